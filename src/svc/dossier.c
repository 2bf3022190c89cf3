#include "svc/dossier.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fsio.h"
#include "auth/auth.h"
#include "core/log.h"
#include "svc/civil.h"

static const struct {
	const char *name, *key;
} dossier_statuses[] = {
	[DS_NEW] = {"Mới đăng ký", "new"},
	[DS_RECEIVED] = {"Được tiếp nhận", "received"},
	[DS_REFUSED] = {"Không được tiếp nhận", "refused"},
	[DS_PROCESSING] = {"Đang xử lý", "processing"},
	[DS_SUPPLEMENT] = {"Yêu cầu bổ sung", "supplement"},
	[DS_FINANCIAL] = {"Yêu cầu nghĩa vụ tài chính", "financial"},
	[DS_WITHDRAWN] = {"Rút hồ sơ", "withdrawn"},
	[DS_STOPPED] = {"Dừng xử lý", "stopped"},
	[DS_DONE] = {"Đã xử lý xong", "done"},
	[DS_RETURNED] = {"Đã trả kết quả", "returned"},
};

const char *dossier_status_name(int s)
{
	return s >= DS_NEW && s <= DS__MAX ? dossier_statuses[s].name : "?";
}

const char *dossier_status_key(int s)
{
	return s >= DS_NEW && s <= DS__MAX ? dossier_statuses[s].key : "?";
}

int dossier_status_from_key(const char *key)
{
	for (int s = DS_NEW; key && s <= DS__MAX; s++)
		if (strcmp(dossier_statuses[s].key, key) == 0)
			return s;
	return 0;
}

/* The state machine: every move there is, by whom.  A supplement goes back to where the request found the
 * dossier (new, received or in processing): dossier_supplement picks the row. */
static const dossier_move_t dossier_table[] = {
	{DS_NEW, DS_RECEIVED, DA_OFFICER, 0, "receive", "Tiếp nhận"},
	{DS_NEW, DS_SUPPLEMENT, DA_OFFICER, 1, "supplement", "Yêu cầu bổ sung"},
	{DS_NEW, DS_REFUSED, DA_OFFICER, 1, "refuse", "Từ chối tiếp nhận"},
	{DS_RECEIVED, DS_PROCESSING, DA_OFFICER, 0, "process", "Chuyển xử lý"},
	{DS_RECEIVED, DS_SUPPLEMENT, DA_OFFICER, 1, "supplement", "Yêu cầu bổ sung"},
	{DS_PROCESSING, DS_DONE, DA_OFFICER, 0, "complete", "Đã xử lý xong"},
	{DS_PROCESSING, DS_SUPPLEMENT, DA_OFFICER, 1, "supplement", "Yêu cầu bổ sung"},
	{DS_PROCESSING, DS_FINANCIAL, DA_OFFICER, 1, "financial", "Yêu cầu nghĩa vụ tài chính"},
	{DS_PROCESSING, DS_STOPPED, DA_OFFICER, 1, "stop", "Dừng xử lý"},
	{DS_FINANCIAL, DS_PROCESSING, DA_OFFICER, 0, "resume", "Đã hoàn thành nghĩa vụ tài chính"},
	{DS_FINANCIAL, DS_STOPPED, DA_OFFICER, 1, "stop", "Dừng xử lý"},
	{DS_SUPPLEMENT, DS_STOPPED, DA_OFFICER, 1, "stop", "Dừng xử lý"}, /* the citizen never answered */
	{DS_DONE, DS_RETURNED, DA_OFFICER, 0, "return", "Trả kết quả"},
	{DS_SUPPLEMENT, DS_NEW, DA_CITIZEN, 0, "supplied", "Nộp bổ sung"},
	{DS_SUPPLEMENT, DS_RECEIVED, DA_CITIZEN, 0, "supplied", "Nộp bổ sung"},
	{DS_SUPPLEMENT, DS_PROCESSING, DA_CITIZEN, 0, "supplied", "Nộp bổ sung"},
	{DS_NEW, DS_WITHDRAWN, DA_CITIZEN, 0, "withdraw", "Rút hồ sơ"},
	{DS_RECEIVED, DS_WITHDRAWN, DA_CITIZEN, 0, "withdraw", "Rút hồ sơ"},
	{DS_PROCESSING, DS_WITHDRAWN, DA_CITIZEN, 0, "withdraw", "Rút hồ sơ"},
	{DS_SUPPLEMENT, DS_WITHDRAWN, DA_CITIZEN, 0, "withdraw", "Rút hồ sơ"},
	{DS_FINANCIAL, DS_WITHDRAWN, DA_CITIZEN, 0, "withdraw", "Rút hồ sơ"},
};
#define DOSSIER_NMOVES (sizeof(dossier_table) / sizeof(dossier_table[0]))

const dossier_move_t *dossier_moves(int from, dossier_actor_t actor, int *n)
{
	/* the rows of one (from, actor) are contiguous for officers; citizens' withdraw rows are one per state */
	*n = 0;
	const dossier_move_t *first = NULL;
	for (size_t i = 0; i < DOSSIER_NMOVES; i++)
		if (dossier_table[i].from == from && dossier_table[i].actor == actor) {
			if (!first)
				first = &dossier_table[i];
			else if (&dossier_table[i] != first + *n)
				break;
			(*n)++;
		}
	return first;
}

const dossier_move_t *dossier_move_find(int from, int to, dossier_actor_t actor)
{
	for (size_t i = 0; i < DOSSIER_NMOVES; i++)
		if (dossier_table[i].from == from && dossier_table[i].to == to && dossier_table[i].actor == actor)
			return &dossier_table[i];
	return NULL;
}

const dossier_move_t *dossier_move_by_action(int from, const char *action, dossier_actor_t actor)
{
	for (size_t i = 0; action && i < DOSSIER_NMOVES; i++)
		if (dossier_table[i].from == from && dossier_table[i].actor == actor && strcmp(dossier_table[i].action, action) == 0)
			return &dossier_table[i];
	return NULL;
}

/* ---- the calendar ---------------------------------------------------------------------------------- */

int dossier_calendar(db_t *db, arena_t *a, workday_cal_t *cal)
{
	int n = (int)db_int(db, "SELECT count(*) FROM calendar_days", "", -1);
	if (n < 0)
		return -1;
	workday_override_t *ov = n ? arena_alloc(a, sizeof(*ov) * (size_t)n) : NULL;
	int got = 0;
	if (n && !ov)
		return -1;
	db_stmt_t *st = db_prepare(db, "SELECT day, off, name FROM calendar_days ORDER BY day");
	if (!st)
		return -1;
	while (got < n && db_step(st) == DB_ROW) {
		int day;
		if (civil_parse_date(db_col_text(st, 0), &day) < 0)
			continue;
		ov[got].day = day;
		ov[got].off = (int)db_col_int(st, 1);
		ov[got].name = *db_col_text(st, 2) ? arena_strdup(a, db_col_text(st, 2)) : NULL;
		got++;
	}
	db_done(st);
	workday_cal_init(cal, ov, (size_t)got);
	return 0;
}

/* ---- due dates ------------------------------------------------------------------------------------- */

#define DOSSIER_MAX_PAUSES 64

/* Sets due_at from received_at, the procedure's days and the pauses the events record: the clock stops
 * when a received dossier goes to 5 or 6 and restarts when it leaves.  NULL while a pause is open. */
static int dossier_recompute_due(db_t *db, long long id)
{
	db_stmt_t *st = db_prepare(db, "SELECT d.received_at, p.days FROM dossiers d JOIN procedures p ON p.id = d.procedure_id"
				       " WHERE d.id = ?");
	if (!st || db_bind_int(st, 1, id) < 0 || db_step(st) != DB_ROW) {
		if (st)
			db_done(st);
		return -1;
	}
	int received_null = db_col_null(st, 0);
	long long received = db_col_int(st, 0);
	int days = (int)db_col_int(st, 1);
	db_done(st);
	if (received_null)
		return db_execf(db, "UPDATE dossiers SET due_at = NULL WHERE id = ?", "i", id) < 0 ? -1 : 0;

	workday_pause_t pauses[DOSSIER_MAX_PAUSES];
	size_t np = 0;
	st = db_prepare(db, "SELECT at, from_status, to_status FROM dossier_events WHERE dossier_id = ? AND at >= ?"
			    " AND kind = 'transition' ORDER BY at, id");
	if (!st || db_bindf(st, "ii", id, received) < 0) {
		if (st)
			db_done(st);
		return -1;
	}
	while (db_step(st) == DB_ROW) {
		long long at = db_col_int(st, 0);
		int from = (int)db_col_int(st, 1), to = (int)db_col_int(st, 2);
		int waits_to = to == DS_SUPPLEMENT || to == DS_FINANCIAL, waits_from = from == DS_SUPPLEMENT || from == DS_FINANCIAL;
		if (waits_to && !waits_from && from != DS_NEW && np < DOSSIER_MAX_PAUSES)
			pauses[np++] = (workday_pause_t){at, WORKDAY_OPEN};
		else if (waits_from && !waits_to && np > 0 && pauses[np - 1].end == WORKDAY_OPEN)
			pauses[np - 1].end = at;
	}
	db_done(st);

	arena_t a;
	arena_init(&a, 1 << 20);
	workday_cal_t cal;
	long long due = received;
	int rc = dossier_calendar(db, &a, &cal);
	if (rc == 0 && days > 0)
		rc = workday_due(&cal, received, days, pauses, np, &due);
	arena_release(&a);
	if (rc < 0)
		return -1;
	if (rc == 1) /* waiting for the citizen: no due date until the clock restarts */
		return db_execf(db, "UPDATE dossiers SET due_at = NULL WHERE id = ?", "i", id) < 0 ? -1 : 0;
	return db_execf(db, "UPDATE dossiers SET due_at = ? WHERE id = ?", "ii", due, id) < 0 ? -1 : 0;
}

/* ---- files ----------------------------------------------------------------------------------------- */

const char *dossier_sniff(const void *data, size_t len)
{
	const unsigned char *p = data;
	if (len >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return "application/pdf";
	if (len >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return "image/jpeg";
	if (len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	return NULL;
}

typedef struct dossier_stored {
	char name[40];     /* random file name under FILES/dossiers */
	char sha256[65];
	const char *mime;
} dossier_stored_t;

static void dossier_unlink_files(const char *dir, const dossier_stored_t *s, int n)
{
	for (int i = 0; i < n; i++) {
		char path[4200];
		snprintf(path, sizeof(path), "%s/%.39s", dir, s[i].name);
		unlink(path);
	}
}

/* Checks and writes each file durably (fsynced, renamed, directory fsynced) before any row names it.
 * 0; 1 refused (*why); -1 failed (*why).  On failure nothing is left on disk. */
static int dossier_store_files(const char *dir, const dossier_file_in_t *f, int n, dossier_stored_t *out,
			       const char **why)
{
	if (n > DOSSIER_MAX_FILES) {
		*why = "Too many files.";
		return 1;
	}
	for (int i = 0; i < n; i++) {
		if (f[i].len == 0 || f[i].len > DOSSIER_MAX_FILE) {
			*why = "Each document must be a file of at most 10 MB.";
			return 1;
		}
		if (!(out[i].mime = dossier_sniff(f[i].data, f[i].len))) {
			*why = "Documents must be PDF, JPEG or PNG files.";
			return 1;
		}
	}
	if (fsio_mkdir(dir) < 0) {
		*why = "The documents could not be saved.";
		return -1;
	}
	for (int i = 0; i < n; i++) {
		unsigned char rnd[16], hash[crypto_hash_sha256_BYTES];
		randombytes_buf(rnd, sizeof(rnd));
		sodium_bin2hex(out[i].name, sizeof(out[i].name), rnd, sizeof(rnd));
		crypto_hash_sha256(hash, f[i].data, f[i].len);
		sodium_bin2hex(out[i].sha256, sizeof(out[i].sha256), hash, sizeof(hash));
		if (fsio_write(dir, out[i].name, f[i].data, f[i].len, 0640) < 0) {
			dossier_unlink_files(dir, out, i);
			*why = "The documents could not be saved.";
			return -1;
		}
	}
	if (n && fsio_sync_dir(dir) < 0) {
		*why = "The documents could not be saved.";
		return -1;
	}
	return 0;
}

static int dossier_insert_files(db_t *db, long long id, const dossier_file_in_t *f, const dossier_stored_t *s, int n,
				const char *by, long long now)
{
	for (int i = 0; i < n; i++)
		if (db_execf(db, "INSERT INTO dossier_files (dossier_id, doc_id, stored, filename, mime, bytes, sha256, added_by,"
				 " added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", "izsssissi", id, f[i].doc_id, s[i].name,
			     f[i].filename && *f[i].filename ? f[i].filename : "tai-lieu", s[i].mime, (long long)f[i].len,
			     s[i].sha256, by, now) < 0)
			return -1;
	return 0;
}

static int dossier_event(db_t *db, long long id, long long now, long long user_id, const char *actor, int from, int to,
			 const char *kind, const char *note)
{
	return db_execf(db, "INSERT INTO dossier_events (dossier_id, at, user_id, actor, from_status, to_status, kind, note)"
			    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "iizsiiss", id, now, user_id, actor ? actor : "",
			(long long)from, (long long)to, kind, note ? note : "") < 0 ? -1 : 0;
}

/* ---- the citizen's secret ------------------------------------------------------------------------- */

int dossier_token(db_t *db, const char *code, char out[33])
{
	unsigned char key[crypto_auth_KEYBYTES], mac[crypto_auth_BYTES];
	char msg[64];
	if (auth_site_key(db, key) < 0)
		return -1;
	/* "dossier:" keeps these MACs apart from any other use of the site's key */
	int n = snprintf(msg, sizeof(msg), "dossier:%s", code);
	crypto_auth(mac, (const unsigned char *)msg, (size_t)n, key);
	sodium_memzero(key, sizeof(key));
	sodium_bin2hex(out, 33, mac, 16);
	return 0;
}

int dossier_token_ok(db_t *db, const char *code, const char *token)
{
	char want[33];
	if (!code || !token || strlen(token) != 32 || dossier_token(db, code, want) < 0)
		return 0;
	return sodium_memcmp(want, token, 32) == 0;
}

/* ---- submission ------------------------------------------------------------------------------------ */

/* Checks the files against the procedure's documents: each slot belongs to it, none twice, every required
 * slot filled.  0 or 1 (*why). */
static int dossier_check_slots(db_t *db, const dossier_new_t *in, const char **why)
{
	for (int i = 0; i < in->nfiles; i++) {
		if (db_int(db, "SELECT count(*) FROM procedure_docs WHERE id = ? AND procedure_id = ?", "ii", 0,
			   in->files[i].doc_id, in->procedure_id) != 1) {
			*why = "A document does not belong to this procedure.";
			return 1;
		}
		for (int j = 0; j < i; j++)
			if (in->files[j].doc_id == in->files[i].doc_id) {
				*why = "One file per document, please.";
				return 1;
			}
	}
	db_stmt_t *st = db_prepare(db, "SELECT id FROM procedure_docs WHERE procedure_id = ? AND required = 1");
	if (!st || db_bind_int(st, 1, in->procedure_id) < 0) {
		if (st)
			db_done(st);
		return -1;
	}
	int missing = 0;
	while (!missing && db_step(st) == DB_ROW) {
		long long doc = db_col_int(st, 0);
		missing = 1;
		for (int i = 0; i < in->nfiles; i++)
			if (in->files[i].doc_id == doc)
				missing = 0;
	}
	db_done(st);
	if (missing)
		*why = "Every required document must be attached.";
	return missing;
}

/* The dossier an idempotency key made already, into *out; 1 found, 0 not. */
static int dossier_by_key(db_t *db, const char *key, dossier_receipt_t *out)
{
	db_stmt_t *st = db_prepare(db, "SELECT id, code FROM dossiers WHERE idem_key = ?");
	int found = 0;
	if (st && db_bind_text(st, 1, key) == 0 && db_step(st) == DB_ROW) {
		out->id = db_col_int(st, 0);
		snprintf(out->code, sizeof(out->code), "%s", db_col_text(st, 1));
		out->existed = found = 1;
	}
	if (st)
		db_done(st);
	return found;
}

int dossier_submit(db_t *db, const char *files_dir, const dossier_new_t *in, long long now, dossier_receipt_t *out,
		   const char **why)
{
	memset(out, 0, sizeof(*out));
	*why = NULL;
	if (!in->idem_key || strlen(in->idem_key) < 16 || strlen(in->idem_key) > 64) {
		*why = "The form has expired. Please submit it again.";
		return 1;
	}
	if (dossier_by_key(db, in->idem_key, out))
		return 0;
	db_stmt_t *st = db_prepare(db, "SELECT p.agency_id, a.code FROM procedures p JOIN agencies a ON a.id = p.agency_id"
				       " WHERE p.id = ? AND p.published = 1");
	long long agency = 0;
	char agency_code[IDENT_AGENCY_MAX + 1] = "";
	if (st && db_bind_int(st, 1, in->procedure_id) == 0 && db_step(st) == DB_ROW) {
		agency = db_col_int(st, 0);
		snprintf(agency_code, sizeof(agency_code), "%s", db_col_text(st, 1));
	}
	if (st)
		db_done(st);
	if (!agency) {
		*why = "This procedure does not exist or cannot be submitted online.";
		return 1;
	}
	int rc = dossier_check_slots(db, in, why);
	if (rc != 0)
		return rc;

	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/dossiers", files_dir);
	dossier_stored_t stored[DOSSIER_MAX_FILES];
	if ((rc = dossier_store_files(dir, in->files, in->nfiles, stored, why)) != 0)
		return rc;

	/* the code: the agency's count for the local day, taken under the write lock */
	int day = civil_local_day(now), y, m, d;
	civil_date(day, &y, &m, &d);
	char yymmdd[8];
	snprintf(yymmdd, sizeof(yymmdd), "%02d%02d%02d", y % 100, m, d);
	if (db_begin(db) < 0)
		goto fail;
	if (dossier_by_key(db, in->idem_key, out)) { /* the same submit, retried while we wrote files */
		db_rollback(db);
		dossier_unlink_files(dir, stored, in->nfiles);
		return 0;
	}
	if (db_execf(db, "INSERT INTO dossier_seq (agency_id, day, n) VALUES (?, ?, 1)"
			 " ON CONFLICT (agency_id, day) DO UPDATE SET n = dossier_seq.n + 1", "is", agency, yymmdd) < 0)
		goto fail_txn;
	ident_dossier_t c = {.y = y, .m = m, .d = d};
	snprintf(c.agency, sizeof(c.agency), "%s", agency_code);
	c.seq = (int)db_int(db, "SELECT n FROM dossier_seq WHERE agency_id = ? AND day = ?", "is", 0, agency, yymmdd);
	if (ident_dossier_format(&c, out->code) != IDENT_OK) {
		*why = "The agency has received too many dossiers today; please try again tomorrow.";
		db_rollback(db);
		dossier_unlink_files(dir, stored, in->nfiles);
		return 1;
	}
	unsigned char h[crypto_hash_sha256_BYTES];
	char token[33], token_hash[65];
	if (dossier_token(db, out->code, token) < 0)
		goto fail_txn;
	crypto_hash_sha256(h, (const unsigned char *)token, 32);
	sodium_bin2hex(token_hash, sizeof(token_hash), h, sizeof(h));
	if (db_execf(db, "INSERT INTO dossiers (code, procedure_id, agency_id, status, channel, lang, applicant_name,"
			 " applicant_id, applicant_dob, applicant_address, applicant_phone, applicant_email, request,"
			 " submitted_at, token_hash, idem_key, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		     "siisssssssssissi", out->code, in->procedure_id, agency, in->channel ? in->channel : "online",
		     in->lang ? in->lang : "vi", in->name, in->cccd, in->dob ? in->dob : "", in->address ? in->address : "",
		     in->phone, in->email ? in->email : "", in->request ? in->request : "", now, token_hash, in->idem_key,
		     now) < 0)
		goto fail_txn;
	out->id = db_last_id(db);
	if (dossier_insert_files(db, out->id, in->files, stored, in->nfiles, "citizen", now) < 0 ||
	    dossier_event(db, out->id, now, 0, in->name, 0, DS_NEW, "transition", "") < 0 ||
	    (in->in_txn && in->in_txn(db, out, in->in_txn_arg) != 0) || db_commit(db) < 0)
		goto fail_txn;
	return 0;
fail_txn:
	db_rollback(db);
fail:
	log_msg(LOG_ERR, NULL, "cannot store a dossier: %s", db_errmsg(db));
	dossier_unlink_files(dir, stored, in->nfiles);
	*why = "The dossier could not be saved. Please try again.";
	return -1;
}

/* ---- processing ------------------------------------------------------------------------------------ */

/* The dossier's status, or 0 when there is none. */
static int dossier_status(db_t *db, long long id)
{
	return (int)db_int(db, "SELECT status FROM dossiers WHERE id = ?", "i", 0, id);
}

/* The move itself, inside the caller's transaction. */
static int dossier_apply(db_t *db, long long id, int from, const dossier_move_t *mv, long long user_id,
			 const char *actor, const char *note, long long now)
{
	if (db_execf(db, "UPDATE dossiers SET status = ?, updated_at = ? WHERE id = ? AND status = ?", "iiii",
		     (long long)mv->to, now, id, (long long)from) != 1)
		return -1;
	/* the steps that have a time of their own */
	const char *when = mv->to == DS_RECEIVED ? "UPDATE dossiers SET received_at = ? WHERE id = ?"
			 : mv->to == DS_DONE	 ? "UPDATE dossiers SET finished_at = ? WHERE id = ?"
			 : mv->to == DS_RETURNED ? "UPDATE dossiers SET returned_at = ? WHERE id = ?"
						 : NULL;
	if (when && db_execf(db, when, "ii", now, id) != 1)
		return -1;
	if (dossier_event(db, id, now, user_id, actor, from, mv->to, "transition", note) < 0)
		return -1;
	/* the due date is counted when the clock starts, stops or restarts, on the calendar as it is then; other
	 * moves keep it, so a day off announced later does not move a date already promised (ARCHITECTURE.md) */
	int waits_from = from == DS_SUPPLEMENT || from == DS_FINANCIAL, waits_to = mv->to == DS_SUPPLEMENT || mv->to == DS_FINANCIAL;
	if (mv->to != DS_RECEIVED && waits_from == waits_to)
		return 0;
	return dossier_recompute_due(db, id);
}

int dossier_move(db_t *db, long long id, int expect_from, int to, dossier_actor_t actor, long long user_id,
		 const char *actor_name, const char *note, long long now, const char **why)
{
	*why = NULL;
	if (db_begin(db) < 0)
		return -1;
	int from = dossier_status(db, id);
	const dossier_move_t *mv = from ? dossier_move_find(from, to, actor) : NULL;
	if (!from || (expect_from > 0 && from != expect_from) || !mv || (to == DS_NEW && actor == DA_CITIZEN)) {
		db_rollback(db);
		*why = !from ? "No such dossier." : expect_from > 0 && from != expect_from
					 ? "Someone changed this dossier meanwhile. Reload it and try again."
					 : "This action is not possible in the dossier's present state.";
		return 1;
	}
	if (mv->note_required && (!note || !*note)) {
		db_rollback(db);
		*why = "Please write the reason or what is needed.";
		return 1;
	}
	if (dossier_apply(db, id, from, mv, user_id, actor_name, note, now) < 0 || db_commit(db) < 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

int dossier_apologize(db_t *db, long long id, long long user_id, const char *actor_name, long long new_due,
		      const char *note, long long now, const char **why)
{
	*why = NULL;
	if (db_begin(db) < 0)
		return -1;
	db_stmt_t *st = db_prepare(db, "SELECT status, COALESCE(due_at, 0), COALESCE(apology_due_at, 0) FROM dossiers WHERE id = ?");
	int status = 0;
	long long due = 0, apology = 0;
	if (st && db_bind_int(st, 1, id) == 0 && db_step(st) == DB_ROW) {
		status = (int)db_col_int(st, 0);
		due = db_col_int(st, 1);
		apology = db_col_int(st, 2);
	}
	if (st)
		db_done(st);
	*why = !status ? "No such dossier."
	       : apology ? "An apology with a new date has been sent for this dossier already; it can be done once only."
	       : (status != DS_RECEIVED && status != DS_PROCESSING) ? "This action is not possible in the dossier's present state."
	       : !note || !*note ? "Please write the reason for the delay."
	       : new_due <= (due > now ? due : now) ? "The new date must be later than the promised date."
						    : NULL;
	if (*why) {
		db_rollback(db);
		return 1;
	}
	if (db_execf(db, "UPDATE dossiers SET apology_due_at = ?, updated_at = ? WHERE id = ?", "iii", new_due, now, id) != 1 ||
	    dossier_event(db, id, now, user_id, actor_name, status, status, "apology", note) < 0 || db_commit(db) < 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

int dossier_supplement(db_t *db, const char *files_dir, long long id, const dossier_file_in_t *files, int nfiles,
		       const char *note, long long now, const char **why)
{
	*why = NULL;
	if (nfiles < 1) {
		*why = "Please attach the documents that were asked for.";
		return 1;
	}
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/dossiers", files_dir);
	dossier_stored_t stored[DOSSIER_MAX_FILES];
	int rc = dossier_store_files(dir, files, nfiles, stored, why);
	if (rc != 0)
		return rc;
	if (db_begin(db) < 0)
		goto fail;
	int from = dossier_status(db, id);
	/* back to where the request found it */
	int back = (int)db_int(db, "SELECT from_status FROM dossier_events WHERE dossier_id = ? AND to_status = ?"
				   " AND kind = 'transition' ORDER BY at DESC, id DESC LIMIT 1", "ii", 0, id, (long long)DS_SUPPLEMENT);
	const dossier_move_t *mv = from == DS_SUPPLEMENT ? dossier_move_find(from, back, DA_CITIZEN) : NULL;
	if (!mv) {
		db_rollback(db);
		dossier_unlink_files(dir, stored, nfiles);
		*why = "This dossier is not waiting for additional documents.";
		return 1;
	}
	const char *name = "";
	db_stmt_t *st = db_prepare(db, "SELECT applicant_name FROM dossiers WHERE id = ?");
	char applicant[256] = "";
	if (st && db_bind_int(st, 1, id) == 0 && db_step(st) == DB_ROW)
		snprintf(applicant, sizeof(applicant), "%s", db_col_text(st, 0));
	if (st)
		db_done(st);
	name = applicant;
	if (dossier_insert_files(db, id, files, stored, nfiles, "citizen", now) < 0 ||
	    dossier_apply(db, id, from, mv, 0, name, note, now) < 0 || db_commit(db) < 0)
		goto fail_txn;
	return 0;
fail_txn:
	db_rollback(db);
fail:
	dossier_unlink_files(dir, stored, nfiles);
	*why = "The documents could not be saved. Please try again.";
	return -1;
}

int dossier_rate(db_t *db, long long id, int rating, const char *comment, long long now, const char **why)
{
	*why = NULL;
	if (rating < 1 || rating > 3) {
		*why = "Please choose one of the three levels.";
		return 1;
	}
	long long n = db_execf(db, "UPDATE dossiers SET rating = ?, rating_comment = ?, rated_at = ?, updated_at = ?"
				   " WHERE id = ? AND rating IS NULL AND status IN (9, 10)", "isiii", (long long)rating,
			       comment ? comment : "", now, now, id);
	if (n < 0)
		return -1;
	if (n == 0) {
		*why = "This dossier cannot be rated now, or has been rated already.";
		return 1;
	}
	return 0;
}

int dossier_officer_may(db_t *db, long long user_id, long long agency_id)
{
	return db_int(db, "SELECT count(*) FROM officer_agencies WHERE user_id = ? AND agency_id = ?", "ii", 0, user_id,
		      agency_id) > 0;
}

int dossier_timeliness(int status, long long due, long long done_at, long long now)
{
	if (status == DS_NEW || status == DS_REFUSED || status == DS_WITHDRAWN)
		return DT_NONE;
	if (done_at > 0 && due > 0) {
		int w = workday_status(done_at, due);
		return w == WORKDAY_EARLY ? DT_EARLY : w == WORKDAY_ON_TIME ? DT_ON_TIME : DT_LATE;
	}
	if (status == DS_STOPPED)
		return DT_NONE;
	if (due == 0)
		return DT_PAUSED;
	return now > due ? DT_OVERDUE : DT_IN_TIME;
}
