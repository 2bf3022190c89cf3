#include "svc/outbox.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include "svc/smtp.h"

int outbox_enabled(const config_t *cfg)
{
	return cfg->smtp_host && *cfg->smtp_host && cfg->smtp_from && *cfg->smtp_from;
}

int outbox_add(db_t *db, const char *recipient, const char *subject, const char *body, const char *ref, long long now)
{
	if (!smtp_address_ok(recipient))
		return -1;
	return db_execf(db, "INSERT INTO outbox (recipient, subject, body, ref, created_at, next_try_at) VALUES (?, ?, ?, ?, ?, ?)",
			"ssssii", recipient, subject, body, ref ? ref : "", now, now) < 0 ? -1 : 0;
}

typedef struct outbox_msg {
	long long id;
	int attempts;
	char *to, *subject, *body, *ref;
} outbox_msg_t;

/* Takes the oldest due message: moves its next try a lease ahead, conditionally, so another server's mailer
 * that read the same row loses the race.  1 taken, 0 none due, -1 error. */
static int outbox_take(db_t *db, long long now, arena_t *a, outbox_msg_t *m)
{
	db_stmt_t *st = db_prepare(db, "SELECT id, attempts, recipient, subject, body, ref, next_try_at FROM outbox"
				       " WHERE sent_at IS NULL AND failed_at IS NULL AND next_try_at <= ? ORDER BY next_try_at, id LIMIT 1");
	if (!st || db_bind_int(st, 1, now) < 0) {
		if (st)
			db_done(st);
		return -1;
	}
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_done(st);
		return rc == DB_DONE ? 0 : -1;
	}
	m->id = db_col_int(st, 0);
	m->attempts = (int)db_col_int(st, 1);
	m->to = arena_strdup(a, db_col_text(st, 2));
	m->subject = arena_strdup(a, db_col_text(st, 3));
	m->body = arena_strdup(a, db_col_text(st, 4));
	m->ref = arena_strdup(a, db_col_text(st, 5));
	long long was = db_col_int(st, 6);
	db_done(st);
	long long n = db_execf(db, "UPDATE outbox SET next_try_at = ? WHERE id = ? AND next_try_at = ? AND sent_at IS NULL",
			       "iii", now + OUTBOX_LEASE, m->id, was);
	return n < 0 ? -1 : n == 1 ? 1 : 0;
}

int outbox_send_due(db_t *db, const config_t *cfg, long long now, int max)
{
	int sent = 0;
	for (int i = 0; i < max; i++) {
		arena_t a;
		arena_init(&a, 1 << 20);
		outbox_msg_t m;
		int rc = outbox_take(db, now, &a, &m);
		if (rc <= 0) {
			arena_release(&a);
			return rc < 0 ? -1 : sent;
		}
		buf_t data;
		buf_init(&data, 4 << 20);
		char err[256] = "";
		int r = SMTP_PERMANENT;
		if (smtp_format(&data, cfg->smtp_from, m.to, m.subject, m.body, now) < 0)
			snprintf(err, sizeof(err), "the message is too large");
		else
			r = smtp_send(cfg->smtp_host, cfg->smtp_port, cfg->smtp_timeout, cfg->smtp_helo, cfg->smtp_from, m.to,
				      buf_cstr(&data), data.len, err, sizeof(err));
		buf_release(&data);
		int attempts = m.attempts + 1;
		if (r == SMTP_OK) {
			db_execf(db, "UPDATE outbox SET sent_at = ?, attempts = ?, last_error = '' WHERE id = ?", "iii", now,
				 (long long)attempts, m.id);
			log_msg(LOG_INFO, NULL, "mail %lld about %s sent", m.id, m.ref);
			sent++;
		} else if (r == SMTP_PERMANENT || attempts >= OUTBOX_MAX_ATTEMPTS) {
			db_execf(db, "UPDATE outbox SET failed_at = ?, attempts = ?, last_error = ? WHERE id = ?", "iisi", now,
				 (long long)attempts, err, m.id);
			log_msg(LOG_WARN, NULL, "mail %lld about %s given up after %d attempt(s): %s", m.id, m.ref, attempts, err);
		} else {
			long long wait = (long long)cfg->smtp_retry << (attempts - 1 < 10 ? attempts - 1 : 10);
			db_execf(db, "UPDATE outbox SET next_try_at = ?, attempts = ?, last_error = ? WHERE id = ?", "iisi",
				 now + wait, (long long)attempts, err, m.id);
			log_msg(LOG_WARN, NULL, "mail %lld about %s not sent (attempt %d; next in %lld s): %s", m.id, m.ref, attempts,
				wait, err);
			arena_release(&a);
			return sent; /* the relay is unwell: the rest waits for the next round */
		}
		arena_release(&a);
	}
	return sent;
}
