/* Unit tests for view/i18n: .po parsing and lookup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "view/i18n.h"

/* Writes text to a fresh temporary .po file and returns its malloc'd path. */
static char *write_po(const char *text)
{
	char *path = strdup("/tmp/cong-test-i18n-XXXXXX.po");
	assert_non_null(path);
	int fd = mkstemps(path, 3);
	assert_true(fd >= 0);
	size_t n = strlen(text);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
	return path;
}

/* Loads text as a catalog; fails the test when it does not load. */
static i18n_t *load(const char *text)
{
	char *path = write_po(text);
	char *err = NULL;
	i18n_t *cat = i18n_load_po(path, &err);
	if (!cat)
		fail_msg("load failed: %s", err ? err : "(no message)");
	unlink(path);
	free(path);
	return cat;
}

/* Loads text expecting failure; returns the malloc'd error message. */
static char *load_err(const char *text)
{
	char *path = write_po(text);
	char *err = NULL;
	i18n_t *cat = i18n_load_po(path, &err);
	assert_null(cat);
	assert_non_null(err);
	/* the message names the file */
	assert_non_null(strstr(err, path));
	unlink(path);
	free(path);
	return err;
}

static void test_basic(void **state)
{
	i18n_t *cat = load("# Vietnamese\n"
			   "msgid \"\"\n"
			   "msgstr \"\"\n"
			   "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
			   "\"Language: vi\\n\"\n"
			   "\n"
			   "#: templates/news/home.html:3\n"
			   "msgid \"Home\"\n"
			   "msgstr \"Trang chủ\"\n"
			   "\n"
			   "msgid \"News\"\n"
			   "msgstr \"Tin tức\"\n");
	assert_string_equal(i18n_get(cat, "Home"), "Trang chủ");
	assert_string_equal(i18n_get(cat, "News"), "Tin tức");
	/* the header entry (empty msgid) is not a translation */
	assert_string_equal(i18n_get(cat, ""), "");
	assert_int_equal(i18n_count(cat), 2);
	i18n_free(cat);
}

static void test_multiline(void **state)
{
	i18n_t *cat = load("msgid \"\"\n"
			   "\"Skip to \"\n"
			   "\"main content\"\n"
			   "msgstr \"\"\n"
			   "  \"Chuyển đến \"\n"
			   "\t\"nội dung chính\"\n");
	assert_string_equal(i18n_get(cat, "Skip to main content"), "Chuyển đến nội dung chính");
	i18n_free(cat);
}

static void test_escapes(void **state)
{
	i18n_t *cat = load("msgid \"Line\\none\"\n"
			   "msgstr \"Dòng\\nmột\\t\\\"trích\\\" \\\\ xong\"\n"
			   "msgid \"Say \\\"hi\\\"\"\n"
			   "msgstr \"Nói \\\"chào\\\"\"\n"
			   "msgid \"Oct\\101\"\n"
			   "msgstr \"B\\x42\"\n");
	assert_string_equal(i18n_get(cat, "Line\none"), "Dòng\nmột\t\"trích\" \\ xong");
	assert_string_equal(i18n_get(cat, "Say \"hi\""), "Nói \"chào\"");
	assert_string_equal(i18n_get(cat, "OctA"), "BB");
	i18n_free(cat);
}

static void test_fallback(void **state)
{
	i18n_t *cat = load("#, fuzzy\n"
			   "msgid \"Search\"\n"
			   "msgstr \"Tìm kiếm\"\n"
			   "\n"
			   "msgid \"Untranslated\"\n"
			   "msgstr \"\"\n");
	/* fuzzy entries are used */
	assert_string_equal(i18n_get(cat, "Search"), "Tìm kiếm");
	/* empty msgstr and unknown msgid fall back to the msgid itself (same pointer) */
	const char *id = "Untranslated";
	assert_ptr_equal(i18n_get(cat, id), id);
	const char *unknown = "Nowhere";
	assert_ptr_equal(i18n_get(cat, unknown), unknown);
	assert_int_equal(i18n_count(cat), 1);
	/* no catalog at all: the English text */
	assert_string_equal(i18n_get(NULL, "Search"), "Search");
	assert_int_equal(i18n_count(NULL), 0);
	i18n_free(NULL);
	i18n_free(cat);
}

static void test_ctxt_plural_obsolete(void **state)
{
	i18n_t *cat = load("msgctxt \"menu\"\n"
			   "msgid \"Open\"\n"
			   "msgstr \"Mở\"\n"
			   "\n"
			   "msgid \"%d article\"\n"
			   "msgid_plural \"%d articles\"\n"
			   "msgstr[0] \"%d bài\"\n"
			   "msgstr[1] \"%d bài viết\"\n"
			   "\n"
			   "#~ msgid \"Old\"\n"
			   "#~ msgstr \"Cũ\"\n"
			   "msgid \"Open\"\n"
			   "msgstr \"Mở lại\"\n");
	assert_string_equal(i18n_get(cat, "Open"), "Mở"); /* context ignored; first translation wins */
	assert_string_equal(i18n_get(cat, "%d article"), "%d bài");
	assert_string_equal(i18n_get(cat, "Old"), "Old");
	assert_int_equal(i18n_count(cat), 2);
	i18n_free(cat);
}

static void test_crlf_and_bom(void **state)
{
	i18n_t *cat = load("\xEF\xBB\xBFmsgid \"Contact\"\r\nmsgstr \"Liên hệ\"\r\n");
	assert_string_equal(i18n_get(cat, "Contact"), "Liên hệ");
	i18n_free(cat);
}

static void test_many_entries(void **state)
{
	/* enough entries to exercise the hash table's probing */
	size_t cap = 1 << 20, len = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	for (int i = 0; i < 2000; i++)
		len += (size_t)snprintf(text + len, cap - len, "msgid \"k%d\"\nmsgstr \"v%d\"\n\n", i, i);
	i18n_t *cat = load(text);
	free(text);
	assert_int_equal(i18n_count(cat), 2000);
	char k[32], v[32];
	for (int i = 0; i < 2000; i++) {
		snprintf(k, sizeof(k), "k%d", i);
		snprintf(v, sizeof(v), "v%d", i);
		assert_string_equal(i18n_get(cat, k), v);
	}
	assert_string_equal(i18n_get(cat, "k2000"), "k2000");
	i18n_free(cat);
}

static void test_missing_file(void **state)
{
	char *err = NULL;
	assert_null(i18n_load_po("/nonexistent/cong/vi.po", &err));
	assert_non_null(err);
	assert_non_null(strstr(err, "'/nonexistent/cong/vi.po'"));
	free(err);
	/* err may be NULL */
	assert_null(i18n_load_po("/nonexistent/cong/vi.po", NULL));
}

static void test_syntax_errors(void **state)
{
	char *err;
	err = load_err("msgid \"a\"\nmsgstr \"b\"\nmsgid \"unterminated\n");
	assert_non_null(strstr(err, ":3: unterminated string"));
	free(err);
	err = load_err("msgid \"a\"\nmsgstr \"b\\q\"\n");
	assert_non_null(strstr(err, ":2: invalid escape '\\q'"));
	free(err);
	err = load_err("msgstr \"b\"\n");
	assert_non_null(strstr(err, ":1: msgstr without msgid"));
	free(err);
	err = load_err("msgid \"a\"\nmsgid \"b\"\nmsgstr \"c\"\n");
	assert_non_null(strstr(err, ":2: msgid without msgstr"));
	free(err);
	err = load_err("\n\nbogus line\n");
	assert_non_null(strstr(err, ":3: unexpected text"));
	free(err);
	err = load_err("\"orphan\"\n");
	assert_non_null(strstr(err, ":1: string outside an entry"));
	free(err);
	err = load_err("msgid \"a\" trailing\nmsgstr \"b\"\n");
	assert_non_null(strstr(err, ":1: unexpected text after string"));
	free(err);
	err = load_err("msgid \"a\"\nmsgstr \"b\\000\"\n");
	assert_non_null(strstr(err, ":2: nul byte"));
	free(err);
	err = load_err("msgid \"a\"\n");
	assert_non_null(strstr(err, "msgid without msgstr"));
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_multiline),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_fallback),
		cmocka_unit_test(test_ctxt_plural_obsolete),
		cmocka_unit_test(test_crlf_and_bom),
		cmocka_unit_test(test_many_entries),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_syntax_errors),
	};
	return cmocka_run_group_tests_name("i18n", tests, NULL, NULL);
}
