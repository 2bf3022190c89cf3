/* db and migrations on a real SQLite file: schema creation, idempotence, refusal of a newer schema, the
 * slug-history trigger, and the statement cache. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "db/migrate.h"
#include "testdb.h"

static int setup(void **state)
{
	db_t *db = testdb_open("db");
	if (!db)
		return -1;
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	testdb_close(*state);
	return 0;
}

static int latest(void)
{
	int v = 0;
	for (const struct db_migration *m = db_migrations; m->version; m++)
		v = m->version;
	return v;
}

static void test_migrate_fresh_then_idempotent(void **state)
{
	db_t *db = *state;
	char *err = NULL;
	int n = db_migrate(db, &err);
	assert_true(n >= 2);
	assert_int_equal(db_schema_version(db), latest());
	assert_int_equal(db_migrate(db, &err), 0); /* nothing left to apply */
	assert_int_equal(db_int(db, "SELECT count(*) FROM schema_migrations", "", -1), n);
}

static void test_newer_schema_refused(void **state)
{
	db_t *db = *state;
	char *err = NULL;
	assert_true(db_migrate(db, &err) >= 0);
	assert_true(db_execf(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 0)", "i",
			     (long long)latest() + 1) == 1);
	assert_int_equal(db_migrate(db, &err), -1);
	assert_non_null(strstr(err, "newer"));
	free(err);
}

static long long add_article(db_t *db, const char *slug)
{
	if (db_int(db, "SELECT count(*) FROM categories", "", 0) == 0)
		db_execf(db, "INSERT INTO categories (id, position) VALUES (1, 0)", "");
	assert_true(db_execf(db, "INSERT INTO articles (lang, category_id, slug, title, status, created_at, updated_at)"
				 " VALUES ('vi', 1, ?, 'Tiêu đề', 'published', 0, 0)", "s", slug) == 1);
	return db_last_id(db);
}

static void test_slug_history_trigger(void **state)
{
	db_t *db = *state;
	char *err = NULL;
	assert_true(db_migrate(db, &err) >= 0);
	long long id = add_article(db, "be-mac-hoi-nghi");
	assert_int_equal(db_execf(db, "UPDATE articles SET slug = 'be-mac-hoi-nghi-dang-bo' WHERE id = ?", "i", id), 1);
	assert_int_equal(db_int(db, "SELECT article_id FROM article_old_slugs WHERE lang = 'vi' AND slug = 'be-mac-hoi-nghi'", "", 0), id);
	/* back to the first slug: it is current again and no longer a redirect (no loop) */
	db_execf(db, "UPDATE articles SET slug = 'be-mac-hoi-nghi' WHERE id = ?", "i", id);
	assert_int_equal(db_int(db, "SELECT count(*) FROM article_old_slugs WHERE slug = 'be-mac-hoi-nghi'", "", -1), 0);
	assert_int_equal(db_int(db, "SELECT count(*) FROM article_old_slugs WHERE slug = 'be-mac-hoi-nghi-dang-bo'", "", -1), 1);
	/* an update that does not touch the slug records nothing */
	db_execf(db, "UPDATE articles SET title = 'Khác' WHERE id = ?", "i", id);
	assert_int_equal(db_int(db, "SELECT count(*) FROM article_old_slugs", "", -1), 1);
}

static void test_bind_and_cache(void **state)
{
	db_t *db = *state;
	char *err = NULL;
	assert_true(db_migrate(db, &err) >= 0);
	/* a parameter is data, never SQL */
	const char *evil = "x'); DROP TABLE settings; --";
	assert_int_equal(db_execf(db, "INSERT INTO settings (key, value) VALUES (?, ?)", "ss", "k", evil), 1);
	db_stmt_t *st = db_prepare(db, "SELECT value FROM settings WHERE key = ?");
	assert_non_null(st);
	assert_int_equal(db_bindf(st, "s", "k"), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), evil);
	db_done(st);
	/* the same SQL from another buffer finds the cached statement */
	char copy[64];
	snprintf(copy, sizeof(copy), "%s", "SELECT value FROM settings WHERE key = ?");
	assert_ptr_equal(db_prepare(db, copy), st);
	/* 'z' binds 0 as NULL (an optional reference) */
	assert_int_equal(db_execf(db, "INSERT INTO media (name, mime, width, height, bytes, created_at) VALUES ('m', 'image/jpeg', 1, 1, 1, 0)", ""), 1);
	long long id = add_article(db, "a");
	assert_int_equal(db_execf(db, "UPDATE articles SET cover_id = ? WHERE id = ?", "zi", 0LL, id), 1);
	assert_int_equal(db_int(db, "SELECT count(*) FROM articles WHERE cover_id IS NULL AND id = ?", "i", 0, id), 1);
	/* a broken statement reports an error instead of crashing */
	assert_null(db_prepare(db, "SELEKT nonsense"));
	assert_int_equal(db_execf(db, "INSERT INTO articles (id) VALUES (?)", "i", id), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrate_fresh_then_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slug_history_trigger, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind_and_cache, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
