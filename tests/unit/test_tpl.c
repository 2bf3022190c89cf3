/* Unit tests for view/tpl: the Mustache-style engine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "view/tpl.h"

/* Renders src with the context given as JSON text; returns the malloc'd output (NULL on failure, with
 * the error in *errp when errp is not NULL). */
static char *render_cat(const char *src, const char *json, const i18n_t *cat, char **errp)
{
	json_error_t jerr;
	json_t *ctx = json ? json_loads(json, 0, &jerr) : NULL;
	if (json && !ctx)
		fail_msg("bad test json: %s", jerr.text);
	buf_t out;
	buf_init(&out, 0);
	char *err = NULL;
	char *res = NULL;
	if (tpl_render_string(src, ctx, cat, &out, &err) == 0) {
		res = buf_detach(&out, NULL);
		assert_null(err);
	} else {
		assert_non_null(err);
	}
	if (errp)
		*errp = err;
	else
		free(err);
	buf_release(&out);
	json_decref(ctx);
	return res;
}

static char *render(const char *src, const char *json)
{
	return render_cat(src, json, NULL, NULL);
}

#define assert_render(src, json, want)                                                                 \
	do {                                                                                           \
		char *got_ = render((src), (json));                                                    \
		if (!got_)                                                                             \
			fail_msg("render failed: %s", (src));                                          \
		assert_string_equal(got_, (want));                                                     \
		free(got_);                                                                            \
	} while (0)

/* Expects a parse/render failure whose message contains want. */
static void assert_fails(const char *src, const char *json, const char *want)
{
	char *err = NULL;
	char *got = render_cat(src, json, NULL, &err);
	if (got)
		fail_msg("expected failure for '%s', got '%s'", src, got);
	if (!strstr(err, want))
		fail_msg("error '%s' lacks '%s'", err, want);
	free(err);
}

/* ---- temporary template directories ---- */

static char tmpdir[64];

static void put_file(const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	/* create parent directories */
	for (char *p = path + strlen(tmpdir) + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			assert_true(mkdir(path, 0700) == 0 || errno == EEXIST);
			*p = '/';
		}
	}
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int make_tmpdir(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/cong-test-tpl-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	return remove(path);
}

static int remove_tmpdir(void **state)
{
	return nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- values and escaping ---- */

static void test_escaping(void **state)
{
	const char *ctx = "{\"x\": \"<a href='q'>&\\\"</a>\"}";
	assert_render("{{x}}", ctx, "&lt;a href=&#39;q&#39;&gt;&amp;&quot;&lt;/a&gt;");
	assert_render("{{{x}}}", ctx, "<a href='q'>&\"</a>");
	assert_render("{{& x}}", ctx, "<a href='q'>&\"</a>");
	assert_render("{{ x }}|{{{ x }}}", "{\"x\":\"<\"}", "&lt;|<");
	/* Vietnamese text passes untouched */
	assert_render("{{x}}", "{\"x\":\"Ủy ban nhân dân tỉnh\"}", "Ủy ban nhân dân tỉnh");
}

static void test_values(void **state)
{
	assert_render("[{{i}}][{{n}}][{{r}}][{{big}}]", "{\"i\": 42, \"n\": -7, \"r\": 2.5, \"big\": 1e20}",
		      "[42][-7][2.5][1e+20]");
	assert_render("[{{t}}][{{f}}][{{z}}][{{missing}}][{{o}}][{{a}}]",
		      "{\"t\": true, \"f\": false, \"z\": null, \"o\": {\"k\":1}, \"a\": [1]}", "[true][][][][][]");
	assert_render("no tags at all", NULL, "no tags at all");
	assert_render("{{x}}", NULL, "");
	assert_render("", "{}", "");
	/* a brace that is not a tag is plain text */
	assert_render("a { b } c }} d", "{}", "a { b } c }} d");
}

static void test_sections(void **state)
{
	/* arrays: each element on top of the stack */
	assert_render("<ul>{{#items}}<li>{{name}}</li>{{/items}}</ul>",
		      "{\"items\": [{\"name\": \"a\"}, {\"name\": \"<b>\"}]}", "<ul><li>a</li><li>&lt;b&gt;</li></ul>");
	assert_render("{{#xs}}{{.}},{{/xs}}", "{\"xs\": [1, \"two\", 3.5]}", "1,two,3.5,");
	/* an object is pushed once */
	assert_render("{{#site}}{{name}} / {{agency}}{{/site}}", "{\"site\": {\"name\": \"N\", \"agency\": \"A\"}}",
		      "N / A");
	/* booleans and truthy scalars enter once */
	assert_render("{{#t}}yes{{/t}}{{#f}}no{{/f}}", "{\"t\": true, \"f\": false}", "yes");
	assert_render("{{#s}}[{{.}}]{{/s}}", "{\"s\": \"hi\"}", "[hi]");
	/* falsy: false null missing "" 0 0.0 [] {} */
	assert_render("{{#a}}1{{/a}}{{#b}}2{{/b}}{{#c}}3{{/c}}{{#d}}4{{/d}}{{#e}}5{{/e}}{{#g}}6{{/g}}{{#h}}7{{/h}}"
		      "{{#i}}8{{/i}}",
		      "{\"a\": false, \"b\": null, \"d\": \"\", \"e\": 0, \"g\": [], \"h\": {}, \"i\": 0.0}", "");
	/* nested sections */
	assert_render("{{#sections}}[{{category.name}}:{{#articles}}{{title}};{{/articles}}]{{/sections}}",
		      "{\"sections\": [{\"category\": {\"name\": \"X\"}, \"articles\": [{\"title\": \"t1\"}, "
		      "{\"title\": \"t2\"}]}, {\"category\": {\"name\": \"Y\"}, \"articles\": []}]}",
		      "[X:t1;t2;][Y:]");
}

static void test_inverted(void **state)
{
	const char *ctx = "{\"empty\": [], \"full\": [1], \"f\": false, \"s\": \"\", \"o\": {}, \"z\": 0}";
	assert_render("{{^empty}}none{{/empty}}", ctx, "none");
	assert_render("{{^full}}none{{/full}}", ctx, "");
	assert_render("{{^missing}}m{{/missing}}{{^f}}f{{/f}}{{^s}}s{{/s}}{{^o}}o{{/o}}{{^z}}z{{/z}}", ctx, "mfsoz");
	assert_render("{{#full}}has{{/full}}{{^full}}none{{/full}}", ctx, "has");
}

static void test_dotted_and_stack(void **state)
{
	const char *ctx = "{\"article\": {\"category\": {\"name\": \"Tin\", \"url\": \"/tin\"}, \"title\": \"T\"},"
			  " \"lang\": \"vi\", \"prefix\": \"/en\", \"name\": \"outer\","
			  " \"items\": [{\"name\": \"inner\"}, {\"other\": 1}]}";
	assert_render("{{article.category.name}} {{article.category.url}}", ctx, "Tin /tin");
	assert_render("{{article.nope.name}}{{lang.x}}", ctx, "");
	/* inner names shadow outer ones; missing names fall back outwards */
	assert_render("{{#items}}{{name}}-{{lang}}-{{prefix}};{{/items}}", ctx, "inner-vi-/en;outer-vi-/en;");
	/* a dotted name resolves its first segment outwards, then stays inside that value */
	assert_render("{{#article}}{{category.name}}|{{title}}|{{lang}}{{/article}}", ctx, "Tin|T|vi");
	assert_render("{{#article}}{{#category}}{{name}}@{{title}}{{/category}}{{/article}}", ctx, "Tin@T");
	/* an inner key that exists (even as null) hides the outer one */
	assert_render("{{#o}}[{{lang}}]{{/o}}", "{\"lang\": \"vi\", \"o\": {\"lang\": null}}", "[]");
	/* dotted section names */
	assert_render("{{#article.category}}{{url}}{{/article.category}}", ctx, "/tin");
}

static void test_comments_and_standalone(void **state)
{
	assert_render("a{{! a comment }}b{{!\nmulti\nline\n}}c", "{}", "abc");
	assert_render("<ul>\n  {{#xs}}\n  <li>{{.}}</li>\n  {{/xs}}\n</ul>\n", "{\"xs\": [1, 2]}",
		      "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>\n");
	assert_render("a\n{{! c }}\nb\n", "{}", "a\nb\n");
	/* tags sharing a line with text are not standalone */
	assert_render("x {{#t}}y{{/t}} z\n", "{\"t\": true}", "x y z\n");
	assert_render("{{#t}}\r\nline\r\n{{/t}}\r\n", "{\"t\": true}", "line\r\n");
	/* a NUL byte where a sigil would be is just a bad name */
	char *err = NULL;
	assert_null(render_cat("{{\x01}}", "{}", NULL, &err));
	free(err);
}

static void test_translation(void **state)
{
	char path[] = "/tmp/cong-test-tpl-XXXXXX.po";
	int fd = mkstemps(path, 3);
	assert_true(fd >= 0);
	const char *po = "msgid \"\"\nmsgstr \"Language: vi\\n\"\n\n"
			 "msgid \"Skip to main content\"\nmsgstr \"Chuyển đến nội dung chính\"\n\n"
			 "msgid \"Search\"\nmsgstr \"Tìm <kiếm> & \\\"xem\\\"\"\n";
	assert_int_equal(write(fd, po, strlen(po)), (ssize_t)strlen(po));
	close(fd);
	char *err = NULL;
	i18n_t *cat = i18n_load_po(path, &err);
	unlink(path);
	assert_non_null(cat);

	char *got = render_cat("<a>{{_ Skip to main content }}</a>", "{}", cat, NULL);
	assert_string_equal(got, "<a>Chuyển đến nội dung chính</a>");
	free(got);
	/* multi-line tag: the msgid is trimmed */
	got = render_cat("{{_\n   Search\n}}", "{}", cat, NULL);
	assert_string_equal(got, "Tìm &lt;kiếm&gt; &amp; &quot;xem&quot;");
	free(got);
	/* missing translation or no catalog: the English text, escaped */
	got = render_cat("{{_ Read more & more }}", "{}", cat, NULL);
	assert_string_equal(got, "Read more &amp; more");
	free(got);
	got = render_cat("{{_ Search}}", "{}", NULL, NULL);
	assert_string_equal(got, "Search");
	free(got);
	/* {{_name}} without a space is an ordinary variable */
	assert_render("{{_id}}", "{\"_id\": 5}", "5");
	i18n_free(cat);
}

static void test_parse_errors(void **state)
{
	assert_fails("{{#a}}x", "{}", "<string>:1: unclosed section 'a'");
	assert_fails("line1\n{{#a}}\n{{#b}}\n{{/a}}\n", "{}", "<string>:4: mismatched close 'a', expected 'b'");
	assert_fails("\n\n{{/a}}", "{}", "<string>:3: unexpected close 'a'");
	assert_fails("x\n{{name", "{}", "<string>:2: unclosed tag");
	assert_fails("{{{raw}}", "{}", "unclosed tag");
	assert_fails("{{a b}}", "{}", "<string>:1: bad name 'a b'");
	assert_fails("{{a..b}}", "{}", "bad name");
	assert_fails("{{.a}}", "{}", "bad name");
	assert_fails("{{}}", "{}", "bad name");
	assert_fails("{{> }}", "{}", "bad partial name");
	assert_fails("{{=<% %>=}}", "{}", "set-delimiter");
	/* nesting deeper than the limit */
	char deep[64 * 12 + 16] = "";
	for (int i = 0; i < 65; i++)
		strncat(deep, "{{#a}}", sizeof(deep) - strlen(deep) - 1);
	assert_fails(deep, "{}", "nested deeper");
}

static void test_overflow(void **state)
{
	json_t *ctx = json_pack("{s:s}", "x", "0123456789");
	buf_t out;
	buf_init(&out, 16);
	char *err = NULL;
	assert_int_equal(tpl_render_string("{{x}}{{x}}", ctx, NULL, &out, &err), -1);
	assert_non_null(strstr(err, "output too large"));
	free(err);
	buf_release(&out);
	json_decref(ctx);
}

static void test_runaway_render(void **state)
{
	/* 100^4 = 10^8 iterations: stopped by the step limit, not left to hang a worker */
	json_t *xs = json_array();
	for (int i = 0; i < 100; i++)
		json_array_append_new(xs, json_integer(i));
	json_t *ctx = json_pack("{s:o}", "xs", xs);
	buf_t out;
	buf_init(&out, 0);
	char *err = NULL;
	const char *deep = "{{#xs}}{{#xs}}{{#xs}}{{#xs}}{{/xs}}{{/xs}}{{/xs}}{{/xs}}";
	assert_int_equal(tpl_render_string(deep, ctx, NULL, &out, &err), -1);
	assert_non_null(strstr(err, "steps"));
	free(err);
	/* two levels are fine */
	buf_reset(&out);
	assert_int_equal(tpl_render_string("{{#xs}}{{#xs}}.{{/xs}}{{/xs}}", ctx, NULL, &out, &err), 0);
	assert_int_equal(out.len, 10000);
	buf_release(&out);
	json_decref(ctx);
}

static void test_set_load_and_partials(void **state)
{
	put_file("layout.html", "<html>{{> partials/header}}<main>{{#items}}{{> news/item}}{{/items}}</main></html>");
	put_file("partials/header.html", "<h1>{{site.name}}</h1>");
	put_file("news/item.html", "<p>{{title}} ({{site.name}})</p>");
	put_file("news/loop.html", "[{{> news/loop}}]");
	put_file("news/missing.html", "a{{> nope}}b");
	put_file("news/.hidden.html", "{{#broken}}");
	put_file("notes.txt", "{{#not a template}}");
	char *err = NULL;
	tpl_set_t *set = tpl_set_load(tmpdir, &err);
	if (!set)
		fail_msg("load: %s", err);
	assert_null(err);
	assert_true(tpl_exists(set, "layout"));
	assert_true(tpl_exists(set, "partials/header"));
	assert_true(tpl_exists(set, "news/item"));
	assert_false(tpl_exists(set, "news/item.html"));
	assert_false(tpl_exists(set, "notes"));
	assert_false(tpl_exists(set, "news/.hidden"));

	json_t *ctx = json_loads("{\"site\": {\"name\": \"Cổng <TTĐT>\"}, \"items\": [{\"title\": \"A\"}, "
				 "{\"title\": \"B\", \"site\": {\"name\": \"own\"}}]}",
				 0, NULL);
	buf_t out;
	buf_init(&out, 0);
	assert_int_equal(tpl_render(set, "layout", ctx, NULL, &out), 0);
	assert_string_equal(buf_cstr(&out), "<html><h1>Cổng &lt;TTĐT&gt;</h1><main><p>A (Cổng &lt;TTĐT&gt;)</p>"
					    "<p>B (own)</p></main></html>");
	/* a self-including partial stops at the depth limit instead of exhausting the stack */
	buf_reset(&out);
	assert_int_equal(tpl_render(set, "news/loop", ctx, NULL, &out), -1);
	buf_reset(&out);
	assert_int_equal(tpl_render(set, "news/missing", ctx, NULL, &out), -1);
	buf_reset(&out);
	assert_int_equal(tpl_render(set, "no/such", ctx, NULL, &out), -1);
	/* the set can render again after failures */
	buf_reset(&out);
	assert_int_equal(tpl_render(set, "partials/header", ctx, NULL, &out), 0);
	assert_string_equal(buf_cstr(&out), "<h1>Cổng &lt;TTĐT&gt;</h1>");
	buf_release(&out);
	json_decref(ctx);
	tpl_set_free(set);
	tpl_set_free(NULL);
	/* partials are not available to one-off strings */
	assert_fails("{{> partials/header}}", "{}", "missing partial 'partials/header'");
}

static void test_partial_depth_exact(void **state)
{
	/* 16 levels of nesting are allowed, a 17th is not */
	char name[32], body[64];
	for (int i = 0; i <= 17; i++) {
		snprintf(name, sizeof(name), "depth/d%d.html", i);
		if (i < 17)
			snprintf(body, sizeof(body), "%d{{> depth/d%d}}", i, i + 1);
		else
			snprintf(body, sizeof(body), "end");
		put_file(name, body);
	}
	put_file("depth/ok.html", "{{> depth/d1}}");
	char *err = NULL;
	tpl_set_t *set = tpl_set_load(tmpdir, &err);
	assert_non_null(set);
	buf_t out;
	buf_init(&out, 0);
	/* d1 → … → d17: 16 partial inclusions */
	assert_int_equal(tpl_render(set, "depth/d1", NULL, NULL, &out), 0);
	assert_string_equal(buf_cstr(&out), "12345678910111213141516end");
	buf_reset(&out);
	/* ok → d1 → … → d17: 17 inclusions */
	assert_int_equal(tpl_render(set, "depth/ok", NULL, NULL, &out), -1);
	buf_release(&out);
	tpl_set_free(set);
}

static void test_set_load_errors(void **state)
{
	char *err = NULL;
	assert_null(tpl_set_load("/nonexistent/cong/templates", &err));
	assert_non_null(strstr(err, "cannot open directory '/nonexistent/cong/templates'"));
	free(err);
	err = NULL;

	put_file("bad/broken.html", "<ul>\n{{#items}}\n<li>{{name}}</li>\n");
	assert_null(tpl_set_load(tmpdir, &err));
	char want[256];
	snprintf(want, sizeof(want), "%s/bad/broken.html:2: unclosed section 'items'", tmpdir);
	assert_string_equal(err, want);
	free(err);
	err = NULL;

	put_file("bad/broken.html", "a\nb\n{{#x}}{{/y}}\n");
	assert_null(tpl_set_load(tmpdir, &err));
	snprintf(want, sizeof(want), "%s/bad/broken.html:3: mismatched close 'y', expected 'x'", tmpdir);
	assert_string_equal(err, want);
	free(err);
	/* err may be NULL */
	assert_null(tpl_set_load(tmpdir, NULL));
	char path[512];
	snprintf(path, sizeof(path), "%s/bad/broken.html", tmpdir);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_inverted),
		cmocka_unit_test(test_dotted_and_stack),
		cmocka_unit_test(test_comments_and_standalone),
		cmocka_unit_test(test_translation),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_runaway_render),
		cmocka_unit_test(test_set_load_and_partials),
		cmocka_unit_test(test_partial_depth_exact),
		cmocka_unit_test(test_set_load_errors),
	};
	return cmocka_run_group_tests_name("tpl", tests, make_tmpdir, remove_tmpdir);
}
