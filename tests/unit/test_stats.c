/* svc/stats: periods on local days (UTC+7), the counting rules of stats_add, rounding of rates; and
 * svc/demo_dossiers on a real database (SQLite, or PostgreSQL with CONG_TEST_PG): deterministic, codes
 * consistent with the daily sequence, fictional applicants of the right shape, plausible timelines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "db/migrate.h"
#include "svc/civil.h"
#include "svc/demo_dossiers.h"
#include "svc/dossier.h"
#include "svc/ident.h"
#include "svc/stats.h"
#include "testdb.h"

#define L(y, m, d, h) civil_local_time(civil_days(y, m, d), (h) * 3600)

static void test_periods(void **state)
{
	stats_period_t p;
	char code[4];
	assert_int_equal(stats_period_make(&p, STATS_YEAR, 2025, 0), 0);
	/* local midnight: 2024-12-31 17:00 UTC */
	assert_int_equal(p.from, 1735664400LL);
	assert_int_equal(p.to, L(2026, 1, 1, 0));
	stats_period_code(&p, code);
	assert_string_equal(code, "y");

	assert_int_equal(stats_period_parse(&p, 2025, "q4"), 0);
	assert_int_equal(p.kind, STATS_QUARTER);
	assert_int_equal(p.from, L(2025, 10, 1, 0));
	assert_int_equal(p.to, L(2026, 1, 1, 0)); /* across the year's end */
	stats_period_code(&p, code);
	assert_string_equal(code, "q4");

	assert_int_equal(stats_period_parse(&p, 2024, "m2"), 0);
	assert_int_equal(p.to - p.from, 29 * 86400LL); /* a leap February */
	assert_int_equal(stats_period_parse(&p, 2025, "m12"), 0);
	assert_int_equal(p.from, L(2025, 12, 1, 0));
	assert_int_equal(p.to, L(2026, 1, 1, 0));
	stats_period_code(&p, code);
	assert_string_equal(code, "m12");
	assert_int_equal(stats_period_parse(&p, 2025, NULL), 0);
	assert_int_equal(p.kind, STATS_YEAR);
	assert_int_equal(stats_period_parse(&p, 2025, ""), 0);

	const char *bad[] = {"q0", "q5", "m0", "m13", "m123", "x1", "q", "y1", "m1x", "q-1", "m01x"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(stats_period_parse(&p, 2025, bad[i]), -1);
	assert_int_equal(stats_period_make(&p, STATS_YEAR, STATS_YEAR_MIN - 1, 0), -1);
	assert_int_equal(stats_period_make(&p, STATS_YEAR, 2025, 1), -1);
	assert_int_equal(stats_period_make(&p, 7, 2025, 1), -1);
	/* one spelling per period, so one URL per page */
	assert_int_equal(stats_period_parse(&p, 2025, "m01"), -1);
}

static void test_months(void **state)
{
	stats_period_t p;
	long long b[13];
	int ym[12];
	stats_period_make(&p, STATS_YEAR, 2025, 0);
	stats_months(&p, b, ym);
	assert_int_equal(ym[0], 202501);
	assert_int_equal(ym[11], 202512);
	assert_int_equal(b[0], p.from);
	assert_int_equal(b[12], p.to);
	stats_period_make(&p, STATS_QUARTER, 2025, 1);
	stats_months(&p, b, ym);
	assert_int_equal(ym[0], 202404);
	assert_int_equal(ym[11], 202503);
	assert_int_equal(b[12], p.to);
	assert_int_equal(b[11], L(2025, 3, 1, 0));
	stats_period_make(&p, STATS_MONTH, 2025, 1);
	stats_months(&p, b, ym);
	assert_int_equal(ym[0], 202402);
	assert_int_equal(ym[11], 202501);
	for (int i = 0; i < 12; i++)
		assert_true(b[i] < b[i + 1]);
}

static void test_counting_rules(void **state)
{
	stats_period_t p;
	stats_period_make(&p, STATS_QUARTER, 2025, 1); /* Jan–Mar 2025 */
	long long now = L(2026, 6, 1, 12);
	stats_row_t r = {0};
	/* received in the period, online, finished early in it (a day before the due day), rated in it */
	stats_dossier_t d = {.received = L(2025, 1, 6, 9), .due = L(2025, 1, 10, 17), .finished = L(2025, 1, 9, 16), .rated_at = L(2025, 1, 11, 8), .rating = 3, .online = 1};
	stats_add(&r, &d, &p, now);
	assert_int_equal(r.received, 1);
	assert_int_equal(r.online, 1);
	assert_int_equal(r.resolved, 1);
	assert_int_equal(r.early, 1);
	assert_int_equal(r.rated, 1);
	assert_int_equal(r.r3, 1);
	assert_int_equal(r.in_progress, 0);
	/* on time: the due day, by the due moment (17:00 exactly counts) */
	d = (stats_dossier_t){.received = L(2025, 2, 3, 9), .due = L(2025, 2, 5, 17), .finished = L(2025, 2, 5, 17)};
	stats_add(&r, &d, &p, now);
	assert_int_equal(r.on_time, 1);
	assert_int_equal(r.online, 1); /* a counter dossier */
	/* late by a minute */
	d.finished = L(2025, 2, 5, 17) + 60;
	stats_add(&r, &d, &p, now);
	assert_int_equal(r.late, 1);
	assert_int_equal(r.resolved, 3);
	assert_int_equal(stats_permille(r.early + r.on_time, r.resolved), 667);
	/* received in March, finished in April: in progress at the period's end, overdue if due before it */
	stats_row_t q = {0};
	d = (stats_dossier_t){.received = L(2025, 3, 20, 9), .due = L(2025, 3, 27, 17), .finished = L(2025, 4, 2, 9)};
	stats_add(&q, &d, &p, now);
	assert_int_equal(q.received, 1);
	assert_int_equal(q.resolved, 0);
	assert_int_equal(q.in_progress, 1);
	assert_int_equal(q.overdue, 1);
	/* waiting for the citizen at the end: no due date, not overdue */
	d = (stats_dossier_t){.received = L(2025, 3, 20, 9)};
	stats_add(&q, &d, &p, now);
	assert_int_equal(q.in_progress, 2);
	assert_int_equal(q.overdue, 1);
	/* withdrawn before the end: not in progress; after the end: still in progress then */
	d = (stats_dossier_t){.received = L(2025, 3, 3, 9), .due = L(2025, 4, 30, 17), .ended = L(2025, 3, 10, 9)};
	stats_add(&q, &d, &p, now);
	assert_int_equal(q.in_progress, 2);
	d.ended = L(2025, 4, 10, 9);
	stats_add(&q, &d, &p, now);
	assert_int_equal(q.in_progress, 3);
	assert_int_equal(q.received, 4);
	/* received before the period, finished in it: resolved, not received */
	stats_row_t o = {0};
	d = (stats_dossier_t){.received = L(2024, 12, 20, 9), .due = L(2025, 1, 6, 17), .finished = L(2025, 1, 6, 8)};
	stats_add(&o, &d, &p, now);
	assert_int_equal(o.received, 0);
	assert_int_equal(o.resolved, 1);
	assert_int_equal(o.on_time, 1);
	/* the period under way is counted at now, not at its end */
	stats_period_t cur;
	stats_period_make(&cur, STATS_YEAR, 2026, 0);
	stats_row_t c = {0};
	d = (stats_dossier_t){.received = L(2026, 5, 20, 9), .due = L(2026, 6, 5, 17)};
	stats_add(&c, &d, &cur, now); /* due after now: in time */
	assert_int_equal(c.in_progress, 1);
	assert_int_equal(c.overdue, 0);
	d.due = L(2026, 5, 29, 17);
	stats_add(&c, &d, &cur, now);
	assert_int_equal(c.overdue, 1);
	/* a future period counts nothing in progress */
	stats_period_t fut;
	stats_period_make(&fut, STATS_YEAR, 2027, 0);
	stats_row_t f = {0};
	stats_add(&f, &d, &fut, now);
	assert_int_equal(f.in_progress, 0);
	/* a rating out of range is ignored */
	stats_row_t z = {0};
	d = (stats_dossier_t){.rated_at = L(2025, 1, 2, 9), .rating = 4};
	stats_add(&z, &d, &p, now);
	assert_int_equal(z.rated, 0);
	stats_sum(&z, &r);
	assert_int_equal(z.resolved, 3);
}

static void test_rates(void **state)
{
	assert_int_equal(stats_permille(0, 0), -1);
	assert_int_equal(stats_permille(3, 4), 750);
	assert_int_equal(stats_permille(5, 6), 833);
	assert_int_equal(stats_permille(2, 3), 667);    /* 666.67 rounds up */
	assert_int_equal(stats_permille(1, 8), 125);    /* 125 exactly */
	assert_int_equal(stats_permille(1, 16), 63);    /* 62.5 rounds half up */
	assert_int_equal(stats_permille(7, 7), 1000);
	stats_row_t r = {.rated = 3, .r3 = 2, .r2 = 1};
	assert_int_equal(stats_avg100(&r), 267);
	r = (stats_row_t){.rated = 8, .r3 = 1, .r2 = 0, .r1 = 7}; /* 10/8 = 1.25 */
	assert_int_equal(stats_avg100(&r), 125);
	r = (stats_row_t){0};
	assert_int_equal(stats_avg100(&r), -1);
}

/* ---- the demo generator ---------------------------------------------------------------------------- */

static db_t *demo_db(const char *tag)
{
	char *err = NULL;
	db_t *db = testdb_open(tag);
	if (!db || db_migrate(db, &err) < 0) {
		fprintf(stderr, "%s\n", err ? err : "cannot open the test database");
		return NULL;
	}
	db_execf(db, "INSERT INTO agencies (code) VALUES ('000.00.12.H50'), ('000.00.13.H50')", "");
	db_execf(db, "INSERT INTO proc_fields (slug) VALUES ('ho-tich')", "");
	static const struct {
		const char *code, *agency;
		long long days;
	} procs[] = {{"1.000001", "000.00.12.H50", 5}, {"1.000002", "000.00.12.H50", 1}, {"1.000003", "000.00.13.H50", 15},
		     {"1.000004", "000.00.13.H50", 0}};
	for (int i = 0; i < 4; i++) {
		db_execf(db, "INSERT INTO procedures (code, agency_id, field_id, days, updated_at) VALUES (?, (SELECT id FROM agencies"
			     " WHERE code = ?), (SELECT id FROM proc_fields WHERE slug = 'ho-tich'), ?, 0)", "ssi", procs[i].code, procs[i].agency,
			 procs[i].days);
		db_execf(db, "INSERT INTO procedure_i18n (procedure_id, lang, name) SELECT id, 'vi', 'Thủ tục thử' FROM procedures WHERE code = ?",
			 "s", procs[i].code);
	}
	return db;
}

/* A digest of everything the generator wrote that does not depend on ids. */
static void demo_digest(db_t *db, char out[65])
{
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	db_stmt_t *st = db_prepare(db, "SELECT code, status, channel, applicant_name, applicant_id, applicant_phone, submitted_at,"
				       " COALESCE(received_at, 0), COALESCE(due_at, 0), COALESCE(finished_at, 0), COALESCE(rating, 0) FROM dossiers ORDER BY code");
	while (st && db_step(st) == DB_ROW)
		for (int i = 0; i < 11; i++) {
			const char *v = db_col_text(st, i);
			crypto_hash_sha256_update(&h, (const unsigned char *)v, strlen(v) + 1);
		}
	if (st)
		db_done(st);
	unsigned char d[32];
	crypto_hash_sha256_final(&h, d);
	sodium_bin2hex(out, 65, d, 32);
}

static void test_demo_dossiers(void **state)
{
	long long now = L(2026, 6, 15, 10);
	char *err = NULL;
	/* nothing without procedures (one test database at a time: testdb keeps one name) */
	db_t *empty = testdb_open("stats_empty");
	assert_non_null(empty);
	assert_true(db_migrate(empty, &err) >= 0);
	assert_int_equal(demo_dossiers_load(empty, now, 100, &err), 0);
	assert_int_equal(db_int(empty, "SELECT count(*) FROM dossiers", "", -1), 0);
	testdb_close(empty);
	db_t *db = demo_db("stats_demo");
	assert_non_null(db);

	assert_int_equal(demo_dossiers_load(db, now, 300, &err), 300);
	assert_null(err);
	assert_int_equal(db_int(db, "SELECT count(*) FROM dossiers", "", -1), 300);
	/* a second call adds nothing */
	assert_int_equal(demo_dossiers_load(db, now, 300, &err), 0);
	/* over the last year, all in the past */
	assert_int_equal(db_int(db, "SELECT count(*) FROM dossiers WHERE submitted_at < ? OR submitted_at >= ?", "ii", -1, now - 366 * 86400LL, now), 0);
	assert_int_equal(db_int(db, "SELECT count(*) FROM dossier_events WHERE at > ?", "i", -1, now), 0);
	assert_int_equal(db_int(db, "SELECT count(*) FROM dossiers WHERE rated_at > ? OR finished_at > ? OR returned_at > ?", "iii", -1, now, now, now), 0);
	/* a realistic mix: most returned, some of every outcome */
	assert_true(db_int(db, "SELECT count(*) FROM dossiers WHERE status = 10", "", 0) > 200);
	assert_true(db_int(db, "SELECT count(*) FROM dossiers WHERE status = 3", "", 0) > 0);
	assert_true(db_int(db, "SELECT count(*) FROM dossiers WHERE status = 7", "", 0) > 0);
	assert_true(db_int(db, "SELECT count(*) FROM dossiers WHERE rating IS NOT NULL", "", 0) > 60);
	assert_true(db_int(db, "SELECT count(*) FROM dossiers WHERE channel = 'counter'", "", 0) > 60);
	assert_true(db_int(db, "SELECT count(*) FROM dossiers WHERE finished_at > due_at", "", 0) > 5); /* some late */
	assert_true(db_int(db, "SELECT count(*) FROM dossier_events WHERE to_status = 5", "", 0) > 5);  /* some paused */
	/* consistent times and states */
	assert_int_equal(db_int(db, "SELECT count(*) FROM dossiers WHERE status IN (9, 10) AND (finished_at IS NULL OR received_at IS NULL"
				    " OR finished_at < received_at)", "", -1), 0);
	assert_int_equal(db_int(db, "SELECT count(*) FROM dossiers WHERE status = 10 AND (returned_at IS NULL OR returned_at < finished_at)", "", -1), 0);
	assert_int_equal(db_int(db, "SELECT count(*) FROM dossiers WHERE status IN (1, 3) AND received_at IS NOT NULL", "", -1), 0);
	assert_int_equal(db_int(db, "SELECT count(*) FROM dossiers WHERE rating IS NOT NULL AND status <> 10", "", -1), 0);
	assert_int_equal(db_int(db, "SELECT count(*) FROM dossiers d WHERE status <> (SELECT to_status FROM dossier_events e"
				    " WHERE e.dossier_id = d.id ORDER BY at DESC, id DESC LIMIT 1)", "", -1), 0);
	/* codes: the agency, the local day of submission and the day's sequence, which dossier_seq goes on from */
	db_stmt_t *st = db_prepare(db, "SELECT d.code, a.code, d.submitted_at, d.applicant_id, d.applicant_phone FROM dossiers d"
				       " JOIN agencies a ON a.id = d.agency_id");
	int rows = 0;
	while (db_step(st) == DB_ROW) {
		ident_dossier_t c;
		assert_int_equal(ident_dossier_parse(db_col_text(st, 0), &c), IDENT_OK);
		assert_string_equal(c.agency, db_col_text(st, 1));
		int y, m, d;
		civil_date(civil_local_day(db_col_int(st, 2)), &y, &m, &d);
		assert_int_equal(c.y * 10000 + c.m * 100 + c.d, y * 10000 + m * 100 + d);
		assert_int_equal(ident_cccd_check(db_col_text(st, 3), 0, NULL), IDENT_OK);
		char phone[IDENT_PHONE_MAX];
		assert_int_equal(ident_phone_norm(db_col_text(st, 4), phone, NULL), IDENT_OK);
		rows++;
	}
	db_done(st);
	assert_int_equal(rows, 300);
	assert_int_equal(db_int(db, "SELECT count(*) FROM dossier_seq", "", 0),
			 db_int(db, "SELECT count(*) FROM (SELECT DISTINCT agency_id, substr(code, length(code) - 10, 6) FROM dossiers) x", "", -1));
	assert_int_equal(db_int(db, "SELECT sum(n) FROM dossier_seq", "", 0), 300);

	/* the same now gives the same dossiers */
	char a[65], b[65];
	demo_digest(db, a);
	testdb_close(db);
	db = demo_db("stats_demo2");
	assert_int_equal(demo_dossiers_load(db, now, 300, &err), 300);
	demo_digest(db, b);
	assert_string_equal(a, b);

	/* and the statistics of its last year add up */
	arena_t ar;
	arena_init(&ar, 1 << 24);
	stats_period_t p;
	stats_table_t t;
	stats_period_make(&p, STATS_YEAR, 2026, 0);
	assert_int_equal(stats_query(db, &ar, &p, now, "vi", 0, 0, &t), 0);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.total.received, t.e[0].row.received + t.e[1].row.received);
	assert_int_equal(t.total.resolved, t.total.early + t.total.on_time + t.total.late);
	assert_true(t.total.received > 100);
	long long months = 0;
	for (int i = 0; i < 12; i++)
		months += t.monthly[i];
	assert_int_equal(months, t.total.received);
	assert_int_equal(stats_query(db, &ar, &p, now, "vi", 1, 0, &t), 0);
	assert_true(t.n >= 3 && t.n <= 4);
	arena_release(&ar);
	testdb_close(db);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_months),
		cmocka_unit_test(test_counting_rules),
		cmocka_unit_test(test_rates),
		cmocka_unit_test(test_demo_dossiers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
