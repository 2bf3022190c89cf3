/* db/copy (cong migrate-db): the checksum's framing; a SQLite portal copied into a fresh database (SQLite,
 * or PostgreSQL with CONG_TEST_PG) with its ids, NULLs, text keys and a child category older than its
 * parent; the target refused once it holds a portal; a changed or missing row found by the verification;
 * a table the move does not know stops the plan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/copy.h"
#include "db/db.h"
#include "db/migrate.h"
#include "testdb.h"

static char src_path[128];

typedef struct {
	db_t *src, *dst;
} pair_t;

static void sum_of(const char *const *vals, int n, char hex[DB_COPY_SUM_HEX])
{
	db_copy_sum_t s;
	db_copy_sum_init(&s);
	for (int i = 0; i < n; i++)
		db_copy_sum_value(&s, vals[i] ? vals[i] : "", vals[i] ? strlen(vals[i]) : 0, vals[i] == NULL);
	db_copy_sum_row(&s);
	db_copy_sum_final(&s, hex);
}

static void test_checksum_framing(void **state)
{
	char a[DB_COPY_SUM_HEX], b[DB_COPY_SUM_HEX];
	const char *ab_c[] = {"ab", "c"}, *a_bc[] = {"a", "bc"}, *null[] = {NULL}, *empty[] = {""};
	sum_of(ab_c, 2, a);
	sum_of(a_bc, 2, b);
	assert_int_equal(strlen(a), 32);
	assert_string_not_equal(a, b);
	sum_of(null, 1, a);
	sum_of(empty, 1, b);
	assert_string_not_equal(a, b); /* NULL is not '' */
	sum_of(ab_c, 2, a);
	sum_of(ab_c, 2, b);
	assert_string_equal(a, b);
	/* one row of two values is not two rows of one */
	db_copy_sum_t s;
	db_copy_sum_init(&s);
	db_copy_sum_value(&s, "ab", 2, 0);
	db_copy_sum_row(&s);
	db_copy_sum_value(&s, "c", 1, 0);
	db_copy_sum_row(&s);
	db_copy_sum_final(&s, b);
	assert_string_not_equal(a, b);
}

static int setup(void **state)
{
	static pair_t p;
	char *err = NULL;
	snprintf(src_path, sizeof(src_path), "/tmp/cong-test-copysrc-%d.db", (int)getpid());
	unlink(src_path);
	p.src = db_open(src_path, 1, &err);
	if (!p.src || db_migrate(p.src, &err) < 0)
		return -1;
	p.dst = testdb_open("copy");
	if (!p.dst)
		return -1;
	*state = &p;
	return 0;
}

static int teardown(void **state)
{
	pair_t *p = *state;
	char w[160];
	db_close(p->src);
	unlink(src_path);
	snprintf(w, sizeof(w), "%s-wal", src_path);
	unlink(w);
	snprintf(w, sizeof(w), "%s-shm", src_path);
	unlink(w);
	testdb_close(p->dst);
	return 0;
}

/* A small portal with what a copy can get wrong. */
static void fill_source(db_t *s)
{
	static const char *const script =
		"INSERT INTO settings (key, value) VALUES ('site.b', 'hai'), ('site.B', 'Hai'), ('Site.a', 'một'),"
		" ('_x', ''), ('Ž', 'z'), ('quote''s', 'it''s \"quoted\"\nand two lines');"
		"INSERT INTO users (id, login, display_name, role, password_hash, created_at) VALUES"
		" (5, 'bien-tap', 'Biên tập', 'editor', '$argon2id$x', 1700000000);"
		/* a sub-category whose id is lower than its parent's */
		"INSERT INTO categories (id, parent_id, position) VALUES (20, NULL, 0);"
		"INSERT INTO categories (id, parent_id, position) VALUES (10, 20, 1);"
		"INSERT INTO categories (id, parent_id, position) VALUES (30, 10, 2);"
		"INSERT INTO category_i18n (category_id, lang, slug, name) VALUES (20, 'vi', 'thoi-su', 'Thời sự'),"
		" (20, 'en', 'news', 'News'), (10, 'vi', 'kinh-te', 'Kinh tế'), (30, 'zh', 'jingji', '经济');"
		"INSERT INTO media (id, name, mime, width, height, bytes, created_at) VALUES (7, 'abc', 'image/jpeg', 10, 20, 300, 1);"
		"INSERT INTO articles (id, lang, category_id, slug, title, body, cover_id, author_id, status, published_at,"
		" created_at, updated_at) VALUES (3, 'vi', 10, 'mot', 'Một', 'Thân bài', 7, 5, 'published', 1700000100, 1, 2),"
		" (9, 'vi', 20, 'hai', 'Hai', '', NULL, NULL, 'draft', NULL, 3, 4);"
		"INSERT INTO tags (id, lang, slug, name) VALUES (4, 'vi', 'the', 'Thẻ');"
		"INSERT INTO article_tags (article_id, tag_id) VALUES (3, 4), (9, 4);"
		"INSERT INTO audit_log (id, at, user_id, login, action, object_type, object_id) VALUES"
		" (100, 5, 5, 'bien-tap', 'article.create', 'article', 3), (101, 6, NULL, '', 'login.fail', '', NULL);"
		"INSERT INTO autosaves (user_id, article_id, data, saved_at) VALUES (5, 0, '{\"title\":\"Nháp\"}', 9);"
		"INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen) VALUES ('h', 5, 'c', 1, 1);"
		"INSERT INTO login_throttle (key, failures, window_start) VALUES ('a:127.0.0.1', 2, 1);";
	assert_int_equal(db_exec_script(s, script), 0);
}

static db_copy_table_t *table(db_copy_t *c, const char *name)
{
	for (int i = 0; i < c->ntables; i++)
		if (strcmp(c->tables[i].name, name) == 0)
			return &c->tables[i];
	return NULL;
}

static void test_copy_and_verify(void **state)
{
	pair_t *p = *state;
	char *err = NULL;
	fill_source(p->src);
	assert_true(db_migrate(p->dst, &err) >= 0);
	assert_int_equal(db_copy_target_empty(p->dst, &err), 0);

	db_copy_t c;
	assert_int_equal(db_copy_plan(&c, p->src, &err), 0);
	assert_int_equal(table(&c, "sessions")->kind, DB_COPY_EPHEMERAL);
	assert_int_equal(table(&c, "search_dirty")->kind, DB_COPY_REBUILT);
	assert_int_equal(table(&c, "articles")->kind, DB_COPY_ROWS);
	assert_int_equal(table(&c, "categories")->self_ref >= 0, 1);
	/* users before the articles that name their author */
	assert_true(table(&c, "users") < table(&c, "articles"));

	assert_int_equal(db_begin(p->dst), 0);
	if (db_copy_rows(&c, p->src, p->dst, &err) < 0)
		fail_msg("copy: %s", err);
	assert_int_equal(db_copy_verify(&c, p->src, p->dst, &err), 0);
	assert_int_equal(db_commit(p->dst), 0);
	for (int i = 0; i < c.ntables; i++)
		assert_true(c.tables[i].ok);
	assert_int_equal(table(&c, "settings")->rows[1], 6);
	assert_int_equal(table(&c, "schema_migrations")->rows[1], table(&c, "schema_migrations")->rows[0]);

	db_t *d = p->dst;
	assert_int_equal(db_int(d, "SELECT count(*) FROM sessions", "", -1), 0);
	assert_int_equal(db_int(d, "SELECT count(*) FROM login_throttle", "", -1), 0);
	assert_int_equal(db_int(d, "SELECT parent_id FROM categories WHERE id = 30", "", -1), 10);
	assert_int_equal(db_int(d, "SELECT count(*) FROM articles WHERE id = 9 AND published_at IS NULL AND cover_id IS NULL", "", -1), 1);
	assert_int_equal(db_int(d, "SELECT count(*) FROM audit_log WHERE id = 101 AND object_id IS NULL AND user_id IS NULL", "", -1), 1);
	assert_int_equal(db_int(d, "SELECT count(*) FROM settings WHERE value = ?", "s", -1, "it's \"quoted\"\nand two lines"), 1);
	assert_int_equal(db_int(d, "SELECT count(*) FROM search_dirty", "", -1), 2);
	/* new rows get new ids, after the copied ones */
	assert_int_equal(db_execf(d, "INSERT INTO categories (parent_id, position) VALUES (NULL, 9)", ""), 1);
	assert_true(db_int(d, "SELECT max(id) FROM categories", "", -1) > 30);
	assert_int_equal(db_execf(d, "INSERT INTO audit_log (at, action) VALUES (1, 'x')", ""), 1);
	assert_int_equal(db_int(d, "SELECT max(id) FROM audit_log", "", -1), 102);

	/* a portal now: a second move into it is refused, and names why */
	assert_int_equal(db_copy_target_empty(d, &err), -1);
	assert_non_null(strstr(err, "already holds a portal"));
	free(err);
	err = NULL;

	/* a changed value and a missing row are both found, in their tables only */
	assert_int_equal(db_execf(d, "DELETE FROM categories WHERE position = 9", ""), 1);
	assert_int_equal(db_execf(d, "DELETE FROM audit_log WHERE id = 102", ""), 1);
	assert_int_equal(db_copy_verify(&c, p->src, d, &err), 0);
	assert_int_equal(db_execf(d, "UPDATE tags SET name = 'The' WHERE id = 4", ""), 1);
	assert_int_equal(db_execf(d, "DELETE FROM autosaves", ""), 1);
	assert_int_equal(db_copy_verify(&c, p->src, d, &err), 2);
	assert_false(table(&c, "tags")->ok);
	assert_int_equal(table(&c, "tags")->rows[0], table(&c, "tags")->rows[1]);
	assert_string_not_equal(table(&c, "tags")->sum[0], table(&c, "tags")->sum[1]);
	assert_false(table(&c, "autosaves")->ok);
	assert_int_equal(table(&c, "autosaves")->rows[1], 0);
	assert_true(table(&c, "articles")->ok);
	db_copy_release(&c);
}

static void test_unknown_table_stops_the_plan(void **state)
{
	pair_t *p = *state;
	char *err = NULL;
	db_copy_t c;
	assert_int_equal(db_exec_script(p->src, "CREATE TABLE extra_notes (id INTEGER PRIMARY KEY, note TEXT)"), 0);
	assert_int_equal(db_copy_plan(&c, p->src, &err), -1);
	assert_non_null(strstr(err, "'extra_notes'"));
	free(err);
	db_copy_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checksum_framing),
		cmocka_unit_test_setup_teardown(test_copy_and_verify, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_table_stops_the_plan, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
