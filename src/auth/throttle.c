/* throttle: guesses of secrets (passwords, second-factor codes) counted per key — "u:<login>" per account,
 * "a:<ip>" per address, "t:<user id>" for codes — in a 15-minute window.  Past the free allowance each
 * further failure doubles the wait (1, 2, 4 … 15 minutes): slow for a guesser, never a lock-out for good. */
#include "auth/auth.h"
#include "db/db.h"

#define THROTTLE_WINDOW (15 * 60)
#define THROTTLE_MAX_WAIT (15 * 60)

long long throttle_wait(db_t *db, const char *key, long long now)
{
	long long until = db_int(db, "SELECT blocked_until FROM login_throttle WHERE key = ?", "s", 0, key);
	return until > now ? until - now : 0;
}

void throttle_fail(db_t *db, const char *key, int free_failures, long long now)
{
	long long failures = 0, start = now;
	db_stmt_t *st = db_prepare(db, "SELECT failures, window_start FROM login_throttle WHERE key = ?");
	if (st && db_bindf(st, "s", key) == 0 && db_step(st) == DB_ROW && now - db_col_int(st, 1) < THROTTLE_WINDOW) {
		failures = db_col_int(st, 0);
		start = db_col_int(st, 1);
	}
	if (st)
		db_done(st);
	failures++;
	long long wait = 0;
	if (failures > free_failures) {
		long long over = failures - free_failures - 1;
		wait = over > 4 ? THROTTLE_MAX_WAIT : 60LL << over;
		if (wait > THROTTLE_MAX_WAIT)
			wait = THROTTLE_MAX_WAIT;
	}
	/* counters change no page: a stream of wrong guesses must not make every server drop its page cache */
	db_quiet(db, 1);
	db_execf(db, "INSERT INTO login_throttle (key, failures, window_start, blocked_until) VALUES (?, ?, ?, ?)"
		     " ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start,"
		     " blocked_until = excluded.blocked_until",
		 "siii", key, failures, start, wait ? now + wait : 0LL);
	db_quiet(db, 0);
}

void throttle_clear(db_t *db, const char *key)
{
	db_quiet(db, 1);
	db_execf(db, "DELETE FROM login_throttle WHERE key = ?", "s", key);
	db_quiet(db, 0);
}
