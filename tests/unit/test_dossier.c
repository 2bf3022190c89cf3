/* svc/dossier on a real database (SQLite, or PostgreSQL with CONG_TEST_PG): the state machine table, codes
 * and their daily sequence, idempotent submission with durable files, due dates with pauses, the apology
 * once only, supplements, ratings, the citizen's token. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/migrate.h"
#include "svc/civil.h"
#include "svc/dossier.h"
#include "testdb.h"

static db_t *db;
static char files[64];
static long long proc, doc_req, doc_opt, agency, officer;

static const char pdf[] = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};

/* 2026-12-01 09:00 local (a Tuesday) */
#define T0 (civil_local_time(civil_days(2026, 12, 1), 9 * 3600))

static int setup(void **state)
{
	char *err = NULL;
	if (sodium_init() < 0 || !(db = testdb_open("dossier")) || db_migrate(db, &err) < 0) {
		fprintf(stderr, "%s\n", err ? err : "cannot open the test database");
		return -1;
	}
	snprintf(files, sizeof(files), "/tmp/cong-test-dossier-%d", (int)getpid());
	mkdir(files, 0750);
	db_execf(db, "INSERT INTO settings (key, value) VALUES ('secret.key', ?)", "s",
		 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
	db_execf(db, "INSERT INTO users (login, role, password_hash, created_at) VALUES ('canbo', 'officer', 'x', 0)", "");
	officer = db_last_id(db);
	db_execf(db, "INSERT INTO agencies (code) VALUES ('000.00.12.H50')", "");
	agency = db_last_id(db);
	db_execf(db, "INSERT INTO proc_fields (slug) VALUES ('ho-tich')", "");
	long long field = db_last_id(db);
	db_execf(db, "INSERT INTO procedures (code, agency_id, field_id, days, updated_at) VALUES ('1.001193', ?, ?, 3, 0)", "ii",
		 agency, field);
	proc = db_last_id(db);
	db_execf(db, "INSERT INTO procedure_docs (procedure_id, position, required) VALUES (?, 1, 1)", "i", proc);
	doc_req = db_last_id(db);
	db_execf(db, "INSERT INTO procedure_docs (procedure_id, position, required) VALUES (?, 2, 0)", "i", proc);
	doc_opt = db_last_id(db);
	return 0;
}

static int remove_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(p);
}

static int teardown(void **state)
{
	testdb_close(db);
	nftw(files, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	return 0;
}

static dossier_new_t sample(const char *key, dossier_file_in_t *f, int nf)
{
	return (dossier_new_t){.procedure_id = proc, .lang = "vi", .channel = "online", .name = "Lê Thị Hoa",
			       .cccd = "038190000123", .phone = "0912345678", .request = "Đăng ký khai sinh cho con",
			       .idem_key = key, .files = f, .nfiles = nf};
}

static long long submit(const char *key, long long at, char code[IDENT_DOSSIER_MAX])
{
	dossier_file_in_t f[] = {{doc_req, "to-khai.pdf", pdf, sizeof(pdf) - 1}};
	dossier_new_t in = sample(key, f, 1);
	dossier_receipt_t r;
	const char *why;
	assert_int_equal(dossier_submit(db, files, &in, at, &r, &why), 0);
	if (code)
		memcpy(code, r.code, IDENT_DOSSIER_MAX);
	return r.id;
}

static void test_state_machine_table(void **state)
{
	int n;
	const dossier_move_t *m = dossier_moves(DS_NEW, DA_OFFICER, &n);
	assert_int_equal(n, 3); /* receive, ask for more, refuse */
	assert_string_equal(m[0].action, "receive");
	for (int s = DS_NEW; s <= DS__MAX; s++) {
		int final = s == DS_REFUSED || s == DS_WITHDRAWN || s == DS_STOPPED || s == DS_RETURNED;
		dossier_moves(s, DA_OFFICER, &n);
		assert_true(final ? n == 0 : n > 0);
		assert_string_not_equal(dossier_status_name(s), "?");
		assert_int_equal(dossier_status_from_key(dossier_status_key(s)), s);
	}
	/* the citizen withdraws before the result, never after */
	assert_non_null(dossier_move_find(DS_PROCESSING, DS_WITHDRAWN, DA_CITIZEN));
	assert_null(dossier_move_find(DS_DONE, DS_WITHDRAWN, DA_CITIZEN));
	assert_null(dossier_move_find(DS_NEW, DS_RECEIVED, DA_CITIZEN));
	assert_null(dossier_move_find(DS_NEW, DS_DONE, DA_OFFICER));
	assert_true(dossier_move_find(DS_NEW, DS_REFUSED, DA_OFFICER)->note_required);
	assert_true(dossier_move_by_action(DS_PROCESSING, "stop", DA_OFFICER)->note_required);
	assert_false(dossier_move_by_action(DS_PROCESSING, "complete", DA_OFFICER)->note_required);
}

static void test_submit_codes_and_idempotency(void **state)
{
	char c1[IDENT_DOSSIER_MAX], c2[IDENT_DOSSIER_MAX], c3[IDENT_DOSSIER_MAX];
	long long a = submit("key-aaaaaaaaaaaaaaaa", T0, c1);
	long long b = submit("key-bbbbbbbbbbbbbbbb", T0 + 60, c2);
	assert_string_equal(c1, "000.00.12.H50-261201-0001");
	assert_string_equal(c2, "000.00.12.H50-261201-0002");
	/* the same key again: the same dossier, nothing new */
	assert_int_equal(submit("key-aaaaaaaaaaaaaaaa", T0 + 120, c3), a);
	assert_string_equal(c3, c1);
	assert_int_equal(db_int(db, "SELECT count(*) FROM dossiers", "", -1), 2);
	/* the next local day starts again at 0001 */
	submit("key-cccccccccccccccc", T0 + 86400, c3);
	assert_string_equal(c3, "000.00.12.H50-261202-0001");
	/* the file is on disk with its checksum */
	db_stmt_t *st = db_prepare(db, "SELECT stored, sha256, mime, bytes FROM dossier_files WHERE dossier_id = ?");
	assert_int_equal(db_bind_int(st, 1, b), 0);
	assert_int_equal(db_step(st), DB_ROW);
	char path[256];
	snprintf(path, sizeof(path), "%s/dossiers/%s", files, db_col_text(st, 0));
	assert_int_equal(access(path, R_OK), 0);
	unsigned char h[32];
	char hex[65];
	crypto_hash_sha256(h, (const unsigned char *)pdf, sizeof(pdf) - 1);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	assert_string_equal(db_col_text(st, 1), hex);
	assert_string_equal(db_col_text(st, 2), "application/pdf");
	db_done(st);
}

static void test_submit_refusals(void **state)
{
	dossier_receipt_t r;
	const char *why;
	dossier_file_in_t only_opt[] = {{doc_opt, "x.png", png, sizeof(png)}};
	dossier_new_t in = sample("key-dddddddddddddddd", only_opt, 1);
	assert_int_equal(dossier_submit(db, files, &in, T0, &r, &why), 1); /* the required document is missing */
	dossier_file_in_t bad[] = {{doc_req, "virus.exe", "MZ\x90\x00", 4}};
	in = sample("key-eeeeeeeeeeeeeeee", bad, 1);
	assert_int_equal(dossier_submit(db, files, &in, T0, &r, &why), 1);
	assert_string_equal(why, "Documents must be PDF, JPEG or PNG files.");
	dossier_file_in_t twice[] = {{doc_req, "a.pdf", pdf, sizeof(pdf) - 1}, {doc_req, "b.pdf", pdf, sizeof(pdf) - 1}};
	in = sample("key-ffffffffffffffff", twice, 2);
	assert_int_equal(dossier_submit(db, files, &in, T0, &r, &why), 1);
	in = sample("short", bad, 0);
	assert_int_equal(dossier_submit(db, files, &in, T0, &r, &why), 1);
	assert_int_equal(db_int(db, "SELECT count(*) FROM dossiers WHERE idem_key LIKE 'key-%' AND idem_key > 'key-d'", "", -1), 0);
}

static long long due_of(long long id)
{
	return db_int(db, "SELECT COALESCE(due_at, 0) FROM dossiers WHERE id = ?", "i", -1, id);
}

static void test_moves_due_dates_and_pauses(void **state)
{
	const char *why;
	long long id = submit("key-gggggggggggggggg", T0, NULL);
	/* a citizen cannot receive; an officer must say why he refuses */
	assert_int_equal(dossier_move(db, id, DS_NEW, DS_RECEIVED, DA_CITIZEN, 0, "", "", T0, &why), 1);
	assert_int_equal(dossier_move(db, id, DS_NEW, DS_REFUSED, DA_OFFICER, officer, "Cán bộ", "", T0, &why), 1);
	/* received Tuesday 09:00 with 3 working days: due Thursday 17:00 */
	assert_int_equal(dossier_move(db, id, DS_NEW, DS_RECEIVED, DA_OFFICER, 0, "Cán bộ", "", T0, &why), 0);
	assert_int_equal(due_of(id), civil_local_time(civil_days(2026, 12, 3), 17 * 3600));
	/* a stale expected state: someone else moved it */
	assert_int_equal(dossier_move(db, id, DS_NEW, DS_PROCESSING, DA_OFFICER, 0, "Cán bộ", "", T0, &why), 1);
	assert_int_equal(dossier_move(db, id, DS_RECEIVED, DS_PROCESSING, DA_OFFICER, 0, "Cán bộ", "", T0 + 600, &why), 0);
	/* a request for more stops the clock: no due date while the citizen has it */
	long long wed = civil_local_time(civil_days(2026, 12, 2), 10 * 3600);
	assert_int_equal(dossier_move(db, id, 0, DS_SUPPLEMENT, DA_OFFICER, 0, "Cán bộ", "Thiếu bản sao CCCD", wed, &why), 0);
	assert_int_equal(due_of(id), 0);
	/* the documents come the next Monday 08:00: Tuesday counted, Wednesday not (paused by 15:00), then
	 * Monday and Tuesday: due Tuesday 8 December 17:00 */
	long long mon = civil_local_time(civil_days(2026, 12, 7), 8 * 3600);
	dossier_file_in_t f[] = {{doc_opt, "cccd.png", png, sizeof(png)}};
	assert_int_equal(dossier_supplement(db, files, id, f, 1, "", mon, &why), 0);
	assert_int_equal(db_int(db, "SELECT status FROM dossiers WHERE id = ?", "i", 0, id), DS_PROCESSING);
	assert_int_equal(due_of(id), civil_local_time(civil_days(2026, 12, 8), 17 * 3600));
	assert_int_equal(dossier_supplement(db, files, id, f, 1, "", mon, &why), 1); /* not waiting any more */
	/* the control sheet has every move */
	assert_int_equal(db_int(db, "SELECT count(*) FROM dossier_events WHERE dossier_id = ?", "i", 0, id), 5);

	/* the apology: once, with a later date */
	long long later = due_of(id) + 3 * 86400;
	assert_int_equal(dossier_apologize(db, id, officer, "Cán bộ", due_of(id) - 1, "Chờ ý kiến", mon, &why), 1);
	assert_int_equal(dossier_apologize(db, id, officer, "Cán bộ", later, "", mon, &why), 1);
	assert_int_equal(dossier_apologize(db, id, officer, "Cán bộ", later, "Chờ ý kiến liên ngành", mon, &why), 0);
	assert_int_equal(dossier_apologize(db, id, officer, "Cán bộ", later + 86400, "Lần hai", mon, &why), 1);

	/* rated only once the result is ready, and once */
	assert_int_equal(dossier_rate(db, id, 3, "", mon, &why), 1);
	long long thu = civil_local_time(civil_days(2026, 12, 10), 9 * 3600);
	assert_int_equal(dossier_move(db, id, DS_PROCESSING, DS_DONE, DA_OFFICER, officer, "Cán bộ", "", thu, &why), 0);
	assert_int_equal(dossier_timeliness(DS_DONE, due_of(id), thu, thu), DT_LATE);
	assert_int_equal(dossier_rate(db, id, 4, "", thu, &why), 1);
	assert_int_equal(dossier_rate(db, id, 2, "Chậm", thu, &why), 0);
	assert_int_equal(dossier_rate(db, id, 3, "", thu, &why), 1);
	/* withdrawal after the result is not a move there is */
	assert_int_equal(dossier_move(db, id, 0, DS_WITHDRAWN, DA_CITIZEN, 0, "", "", thu, &why), 1);
}

static void test_token_and_timeliness(void **state)
{
	char t[33];
	assert_int_equal(dossier_token(db, "000.00.12.H50-261201-0001", t), 0);
	assert_int_equal(strlen(t), 32);
	assert_true(dossier_token_ok(db, "000.00.12.H50-261201-0001", t));
	assert_false(dossier_token_ok(db, "000.00.12.H50-261201-0002", t));
	t[0] = t[0] == 'a' ? 'b' : 'a';
	assert_false(dossier_token_ok(db, "000.00.12.H50-261201-0001", t));
	assert_false(dossier_token_ok(db, "000.00.12.H50-261201-0001", "short"));

	long long due = civil_local_time(civil_days(2026, 12, 3), 17 * 3600);
	assert_int_equal(dossier_timeliness(DS_NEW, 0, 0, T0), DT_NONE);
	assert_int_equal(dossier_timeliness(DS_PROCESSING, due, 0, due - 1), DT_IN_TIME);
	assert_int_equal(dossier_timeliness(DS_PROCESSING, due, 0, due + 1), DT_OVERDUE);
	assert_int_equal(dossier_timeliness(DS_SUPPLEMENT, 0, 0, due), DT_PAUSED);
	assert_int_equal(dossier_timeliness(DS_DONE, due, due - 86400, due), DT_EARLY);
	assert_int_equal(dossier_timeliness(DS_RETURNED, due, due - 3600, due), DT_ON_TIME);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_machine_table),
		cmocka_unit_test(test_submit_codes_and_idempotency),
		cmocka_unit_test(test_submit_refusals),
		cmocka_unit_test(test_moves_due_dates_and_pauses),
		cmocka_unit_test(test_token_and_timeliness),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
