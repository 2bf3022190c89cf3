/* Unit tests for search/query (folding fed to FTS5, the query parser, the MATCH expression, highlighting)
 * and, on a real SQLite database, the index kept by 006_search.sql and search_find. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "testdb.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "db/migrate.h"
#include "search/query.h"
#include "search/search.h"

static arena_t A;

static int setup(void **state)
{
	arena_init(&A, 64u << 20);
	return 0;
}

static int teardown(void **state)
{
	arena_release(&A);
	return 0;
}

static const char *fold(const char *s, int for_query)
{
	buf_t b;
	buf_init(&b, 1u << 20);
	assert_int_equal(search_fold(s, strlen(s), for_query, &b), 0);
	char *r = arena_strdup(&A, buf_cstr(&b));
	buf_release(&b);
	return r;
}

static const char *expr(const char *q)
{
	search_query_t sq;
	assert_true(search_query_parse(&A, q, &sq) >= 0);
	return search_match_expr(&A, &sq);
}

static void test_fold_vietnamese(void **state)
{
	assert_string_equal(fold("Hội nghị Ban Chấp hành Đảng bộ", 0), "hoi nghi ban chap hanh dang bo");
	assert_string_equal(fold("ĐỀ ÁN 06 đường", 1), "de an 06 duong");
	/* NFD input (some phone keyboards) folds the same */
	assert_string_equal(fold("Ho\xcc\x82\xcc\xa3i", 0), "hoi");
	assert_string_equal(fold("Thủ tục cấp giấy phép", 0), "thu tuc cap giay phep");
}

static void test_fold_cjk_bigrams(void **state)
{
	assert_string_equal(fold("松岚省", 0), " 松岚 岚省 省 ");
	assert_string_equal(fold("松岚省", 1), " 松岚 岚省 ");
	assert_string_equal(fold("省", 1), " 省 ");
	assert_string_equal(fold("GDP增长8%", 1), "gdp 增长 8%");
	assert_string_equal(fold("", 0), "");
}

static void test_parse_words_and_case(void **state)
{
	assert_string_equal(expr("hoi nghi"), "(\"hoi\" AND \"nghi\")");
	assert_string_equal(expr("Hội Nghị"), "(\"hoi\" AND \"nghi\")");
	assert_string_equal(expr("  Đề   án  06 "), "(\"de\" AND \"an\" AND \"06\")");
}

static void test_parse_phrase_and_exclusion(void **state)
{
	assert_string_equal(expr("\"Ban Chấp hành\" đảng"), "(\"ban chap hanh\" AND \"dang\")");
	assert_string_equal(expr("lu -bao"), "(\"lu\") NOT (\"bao\")");
	assert_string_equal(expr("lu -bao -\"song lam\""), "(\"lu\") NOT (\"bao\" OR \"song lam\")");
	/* a word joined by punctuation is a phrase of its parts, as FTS5 would read it */
	assert_string_equal(expr("covid-19"), "(\"covid 19\")");
	/* a lone '-' is not an exclusion of nothing */
	assert_string_equal(expr("a - b"), "(\"a\" AND \"b\")");
	/* only exclusions: nothing to search for */
	assert_null(expr("-bao"));
	assert_null(expr(""));
	assert_null(expr("   "));
}

static void test_parse_cjk(void **state)
{
	assert_string_equal(expr("经济"), "(\"经济\")");
	assert_string_equal(expr("松岚省"), "(\"松岚 岚省\")");
	assert_string_equal(expr("省"), "(\"省\"*)");
}

static void test_parse_hostile(void **state)
{
	/* FTS5 syntax is only ever data: every token is double-quoted, never an operator */
	assert_string_equal(expr("a OR b"), "(\"a\" AND \"or\" AND \"b\")");
	assert_string_equal(expr("NEAR(a b) AND NOT c*"), "(\"near a\" AND \"b\" AND \"and\" AND \"not\" AND \"c\")");
	assert_string_equal(expr("title:x ^y"), "(\"title x\" AND \"y\")");
	assert_null(expr("* ^ : ( ) + \" \"\""));
	/* unbalanced quote: the phrase runs to the end */
	assert_string_equal(expr("hoi \"nghi dang"), "(\"hoi\" AND \"nghi dang\")");
	/* control bytes and broken UTF-8 */
	assert_string_equal(expr("ab\x01\x02" "cd \xff\xfe x"), "(\"abcd\" AND \"x\")");
	/* 10 KB: cut at SEARCH_MAX_QUERY bytes and SEARCH_MAX_TERMS terms */
	char big[10240];
	for (size_t i = 0; i < sizeof(big) - 1; i++)
		big[i] = i % 3 == 2 ? ' ' : 'a' + (char)(i % 26);
	big[sizeof(big) - 1] = '\0';
	search_query_t q;
	assert_int_equal(search_query_parse(&A, big, &q), SEARCH_MAX_TERMS);
	assert_non_null(search_match_expr(&A, &q));
	/* every quote inside the expression belongs to our quoting: an even number */
	const char *e = expr("\"\"\"a\"\"b\"\"\"\"\"");
	int quotes = 0;
	for (const char *p = e; *p; p++)
		quotes += *p == '"';
	assert_int_equal(quotes % 2, 0);
}

static void test_query_text(void **state)
{
	search_query_t q;
	assert_int_equal(search_query_parse(&A, "thủ tục \"đất đai\" -lũ", &q), 4);
	assert_int_equal(q.npos, 3);
	assert_string_equal(search_query_text(&A, &q, -1), "thủ tục \"đất đai\" -lũ");
	assert_string_equal(search_query_text(&A, &q, 0), "tục \"đất đai\" -lũ");
}

static const char *hl(const char *query, const char *text, size_t window)
{
	search_query_t q;
	buf_t b;
	assert_true(search_query_parse(&A, query, &q) >= 0);
	buf_init(&b, 1u << 20);
	assert_true(search_highlight(&q, text, strlen(text), window, &b) >= 0);
	char *r = arena_strdup(&A, buf_cstr(&b));
	buf_release(&b);
	return r;
}

static void test_highlight(void **state)
{
	assert_string_equal(hl("hoi nghi", "Hội nghị <b>tỉnh</b>", 0), "<mark>Hội</mark> <mark>nghị</mark> &lt;b&gt;tỉnh&lt;/b&gt;");
	assert_string_equal(hl("dang", "Đảng bộ và đăng ký", 0), "<mark>Đảng</mark> bộ và <mark>đăng</mark> ký");
	assert_string_equal(hl("Hội", "hoi nghi", 0), "<mark>hoi</mark> nghi");
	/* excluded words are not marked; a prefix of a word is not a match */
	assert_string_equal(hl("lu -bao", "lũ và bão lụt", 0), "<mark>lũ</mark> và bão lụt");
	assert_string_equal(hl("经济", "松岚省经济运行", 0), "松岚省<mark>经济</mark>运行");
	/* a window around the first match, cut at spaces, with ellipses */
	buf_t t;
	buf_init(&t, 4096);
	for (int i = 0; i < 60; i++)
		buf_puts(&t, "chữ ");
	buf_puts(&t, "Sông Lam ");
	for (int i = 0; i < 60; i++)
		buf_puts(&t, "nữa ");
	const char *s = hl("song", arena_strdup(&A, buf_cstr(&t)), 120);
	buf_release(&t);
	assert_non_null(strstr(s, "<mark>Sông</mark> Lam"));
	assert_true(strncmp(s, "… ", 4) == 0);
	assert_non_null(strstr(s, " …"));
	assert_true(strlen(s) < 200);
}

/* ---- the index on a real database ---------------------------------------------------------------- */

static db_t *open_db(char *path)
{
	char *err = NULL;
	db_t *db = testdb_open("search");
	assert_non_null(db);
	assert_true(db_migrate(db, &err) > 0);
	assert_true(db_execf(db, "INSERT INTO categories (id) VALUES (1)", "") >= 0);
	return db;
}

static long long add(db_t *db, const char *lang, const char *title, const char *body, const char *status, long long at)
{
	static int n;
	char slug[32];
	snprintf(slug, sizeof(slug), "a-%d", ++n);
	assert_true(db_execf(db, "INSERT INTO articles (lang, category_id, slug, title, body, status, published_at,"
			     " created_at, updated_at) VALUES (?, 1, ?, ?, ?, ?, ?, 0, 0)", "sssssi", lang, slug, title,
			     body, status, at) == 1);
	return db_last_id(db);
}

static int find(db_t *db, const char *query, long long *ids, long long *total)
{
	search_query_t q;
	search_params_t p = {.lang = NULL, .limit = 10};
	assert_true(search_query_parse(&A, query, &q) >= 0);
	p.match = search_match_expr(&A, &q);
	assert_non_null(p.match);
	int capped;
	int n = search_find_capped(db, &p, ids, total, &capped);
	assert_int_equal(capped, 0);
	return n;
}

static void test_index_in_step(void **state)
{
	char path[64];
	db_t *db = open_db(path);
	long long now = (long long)time(NULL), ids[10], total;
	long long a = add(db, "vi", "Hội nghị Đảng bộ tỉnh", "Thân bài về đất đai.", "published", now - 100);
	long long b = add(db, "vi", "Tin khác", "Có nhắc hội nghị trong thân bài.", "published", now - 50);
	add(db, "vi", "Hội nghị bí mật", "", "draft", now - 10);
	add(db, "vi", "Hội nghị tương lai", "", "published", now + 3600);
	long long z = add(db, "zh", "松岚省经济运行", "", "published", now - 10);
	assert_int_equal(search_sync(db), 5);
	assert_int_equal(search_sync(db), 0);

	/* title above body; the draft and the future article never appear */
	assert_int_equal(find(db, "hoi nghi", ids, &total), 2);
	assert_int_equal(total, 2);
	assert_int_equal(ids[0], a);
	assert_int_equal(ids[1], b);
	assert_int_equal(find(db, "dat dai", ids, &total), 1);
	assert_int_equal(find(db, "\"dai dat\"", ids, &total), 0);
	assert_int_equal(find(db, "hoi nghi -dang", ids, &total), 1);
	assert_int_equal(ids[0], b);
	assert_int_equal(find(db, "经济", ids, &total), 1);
	assert_int_equal(ids[0], z);
	assert_int_equal(find(db, "省", ids, &total), 1);

	/* unpublished: gone at once, without re-indexing */
	assert_int_equal(db_execf(db, "UPDATE articles SET status = 'unpublished' WHERE id = ?", "i", a), 1);
	assert_int_equal(find(db, "hoi nghi", ids, &total), 1);
	/* an edit is re-indexed; a deleted article leaves the index */
	assert_int_equal(db_execf(db, "UPDATE articles SET title = 'Đổi tên' WHERE id = ?", "i", b), 1);
	assert_int_equal(search_sync(db), 1);
	assert_int_equal(find(db, "doi ten", ids, &total), 1);
	assert_int_equal(db_execf(db, "DELETE FROM articles WHERE id = ?", "i", z), 1);
	assert_int_equal(search_sync(db), 1);
	assert_int_equal(db_int(db, "SELECT count(*) FROM article_search", "", -1), 4);
	testdb_close(db);
}

int main(void)
{
	db_global_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_vietnamese),
		cmocka_unit_test(test_fold_cjk_bigrams),
		cmocka_unit_test(test_parse_words_and_case),
		cmocka_unit_test(test_parse_phrase_and_exclusion),
		cmocka_unit_test(test_parse_cjk),
		cmocka_unit_test(test_parse_hostile),
		cmocka_unit_test(test_query_text),
		cmocka_unit_test(test_highlight),
		cmocka_unit_test(test_index_in_step),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
