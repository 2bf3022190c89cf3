/* Unit tests for view/md: Markdown to safe HTML. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view/md.h"

/* Renders src and returns the malloc'd HTML; fails the test when rendering fails. */
static char *md(const char *src)
{
	buf_t out;
	buf_init(&out, 0);
	if (md_render(src, strlen(src), &out) != 0)
		fail_msg("md_render failed for '%s'", src);
	char *s = buf_detach(&out, NULL);
	return s;
}

#define assert_contains(hay, needle)                                                                   \
	do {                                                                                           \
		if (!strstr((hay), (needle)))                                                          \
			fail_msg("'%s' not found in:\n%s", (needle), (hay));                           \
	} while (0)
#define assert_lacks(hay, needle)                                                                      \
	do {                                                                                           \
		if (strstr((hay), (needle)))                                                           \
			fail_msg("'%s' unexpectedly found in:\n%s", (needle), (hay));                  \
	} while (0)

/* Lowercased copy, for checks that must hold whatever the case. */
static char *lower(const char *s)
{
	char *l = strdup(s);
	assert_non_null(l);
	for (char *p = l; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return l;
}

/* No attribute in html may carry a dangerous scheme (after the renderer, what is left must be inert). */
static void assert_no_bad_scheme(const char *html)
{
	char *l = lower(html);
	assert_lacks(l, "href=\"javascript");
	assert_lacks(l, "src=\"javascript");
	assert_lacks(l, "href=\"data");
	assert_lacks(l, "src=\"data");
	assert_lacks(l, "href=\"vbscript");
	assert_lacks(l, "src=\"vbscript");
	assert_lacks(l, "<script");
	free(l);
}

/* Every href and src in html is "#": for inputs whose every URL is hostile. */
static void assert_all_urls_neutral(const char *html)
{
	static const char *const attrs[] = {"href=\"", "src=\""};
	for (int a = 0; a < 2; a++) {
		size_t n = strlen(attrs[a]);
		for (const char *p = html; (p = strstr(p, attrs[a])); p += n)
			if (strncmp(p + n, "#\"", 2) != 0)
				fail_msg("URL kept in:\n%s", html);
	}
}

static void test_raw_html_escaped(void **state)
{
	const char *cases[] = {
		"<script>alert(1)</script>",
		"Hello <script>alert(1)</script> world",
		"<div>\n<script>alert(1)</script>\n</div>",
		"- <script>alert(1)</script>",
		"> <img src=x onerror=alert(1)>",
		"| a |\n|---|\n| <script>alert(1)</script> |",
		"<SCRIPT SRC=//evil/x.js></SCRIPT>",
		"<!-- <script>alert(1)</script> -->",
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *h = md(cases[i]);
		assert_no_bad_scheme(h);
		assert_lacks(h, "<img src=x");
		assert_lacks(h, "<div>");
		assert_lacks(h, "<!--");
		free(h);
	}
	char *h = md("<script>alert(1)</script>");
	assert_string_equal(h, "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
	free(h);
	h = md("a <b onclick=\"x\">b</b> & c");
	assert_string_equal(h, "<p>a &lt;b onclick=&quot;x&quot;&gt;b&lt;/b&gt; &amp; c</p>\n");
	free(h);
}

static void test_bad_links_neutralised(void **state)
{
	const char *cases[] = {
		"[x](javascript:alert(1))",
		"[x](JaVaScRiPt:alert(1))",
		"[x](JAVASCRIPT:alert(1))",
		"[x](<java\tscript:alert(1)>)",
		"[x](<java\nscript:alert(1)>)",
		"[x](java&#9;script:alert(1))",
		"[x](java&#x09;script:alert(1))",
		"[x](java&Tab;script:alert(1))",
		"[x](java&NewLine;script:alert(1))",
		"[x](javascript&colon;alert(1))",
		"[x](javascript&#58;alert(1))",
		"[x](javascript&#x3A;alert(1))",
		"[x](&#106;avascript:alert(1))",
		"[x](&#x6A;&#x61;&#x76;&#x61;script:alert(1))",
		"[x](&#0000106;avascript:alert(1))",
		"[x](&#1;javascript:alert(1))",
		"[x](< javascript:alert(1)>)",
		"[x](<\tjavascript:alert(1)>)",
		"[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
		"[x](DATA:text/html,<script>alert(1)</script>)",
		"[x](vbscript:msgbox(1))",
		"[x](VbScRiPt:msgbox(1))",
		"[x](file:///etc/passwd)",
		"<javascript:alert(1)>",
		"<JavaScript:alert(1)>",
		"<data:text/html,x>",
		"[x][r]\n\n[r]: javascript:alert(1)",
		"[x][r]\n\n[r]: <java\tscript:alert(1)>",
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *h = md(cases[i]);
		assert_no_bad_scheme(h);
		/* the scheme never survives as an attribute value, whatever the spelling */
		assert_all_urls_neutral(h);
		if (cases[i][0] == '[' && !strchr(cases[i], '\n'))
			assert_contains(h, "<a href=\"#\">");
		free(h);
	}
}

static void test_bad_images_neutralised(void **state)
{
	const char *cases[] = {
		"![x](javascript:alert(1))",
		"![x](JaVaScRiPt:alert(1))",
		"![x](java&#9;script:alert(1))",
		"![x](<java\tscript:alert(1)>)",
		"![x](javascript&colon;alert(1))",
		"![x](data:image/svg+xml;base64,PHN2Zz4=)",
		"![x](DaTa:image/png;base64,AAAA)",
		"![x](vbscript:x)",
		"![x](&#x64;ata:image/png,x)",
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *h = md(cases[i]);
		assert_no_bad_scheme(h);
		assert_contains(h, "<img src=\"#\"");
		assert_lacks(h, "srcset");
		free(h);
	}
}

static void test_good_links_kept(void **state)
{
	char *h = md("[a](https://example.gov.vn/x?a=1&b=2 \"Tiêu đề\") [b](HTTP://X.VN) [c](/tin-tuc/bai-1) "
		     "[d](mailto:vp@tinh.gov.vn) [e](tel:+842583) [f](../a.pdf) [g](#top) [h](?q=1)");
	assert_contains(h, "<a href=\"https://example.gov.vn/x?a=1&amp;b=2\" title=\"Tiêu đề\" rel=\"noopener\">a</a>");
	assert_contains(h, "<a href=\"HTTP://X.VN\" rel=\"noopener\">b</a>");
	assert_contains(h, "<a href=\"/tin-tuc/bai-1\">c</a>");
	assert_contains(h, "<a href=\"mailto:vp@tinh.gov.vn\">d</a>");
	assert_contains(h, "<a href=\"tel:+842583\">e</a>");
	assert_contains(h, "<a href=\"../a.pdf\">f</a>");
	assert_contains(h, "<a href=\"#top\">g</a>");
	assert_contains(h, "<a href=\"?q=1\">h</a>");
	free(h);
	/* autolinks, with and without angle brackets */
	h = md("<https://a.vn/b> and http://c.vn/d?x=\"y\" and <vp@tinh.gov.vn>");
	assert_contains(h, "<a href=\"https://a.vn/b\" rel=\"noopener\">https://a.vn/b</a>");
	assert_contains(h, "<a href=\"http://c.vn/d?x=%22y%22\" rel=\"noopener\">");
	assert_contains(h, "<a href=\"mailto:vp@tinh.gov.vn\">vp@tinh.gov.vn</a>");
	free(h);
	/* characters that cannot stand in an attribute are percent-encoded; a colon after a slash is no scheme */
	h = md("[a](</path with space/\"q\"/ủy>) [b](/x:javascript:y) [c](<a'b>)");
	assert_contains(h, "href=\"/path%20with%20space/%22q%22/%E1%BB%A7y\"");
	assert_contains(h, "href=\"/x:javascript:y\"");
	assert_contains(h, "href=\"a&#39;b\"");
	free(h);
	/* entities in URLs are decoded before the check and re-escaped after */
	h = md("[a](https://x.vn/?a=1&amp;b=2)");
	assert_contains(h, "href=\"https://x.vn/?a=1&amp;b=2\"");
	free(h);
}

static void test_figure(void **state)
{
	char *h = md("![Ảnh *hội nghị*](/media/ab12.jpg \"Quang cảnh hội nghị & đại biểu\")");
	assert_string_equal(h, "<figure class=\"figure\"><img src=\"/media/ab12.jpg\" "
			       "srcset=\"/media/ab12-480.jpg 480w, /media/ab12-960.jpg 960w, /media/ab12-1600.jpg 1600w\" "
			       "alt=\"Ảnh hội nghị\" loading=\"lazy\" decoding=\"async\">"
			       "<figcaption>Quang cảnh hội nghị &amp; đại biểu</figcaption></figure>\n");
	free(h);
	/* no title: no figcaption; not a /media jpg: no srcset */
	h = md("![logo](https://cdn.example.vn/logo.png)");
	assert_string_equal(h, "<figure class=\"figure\"><img src=\"https://cdn.example.vn/logo.png\" alt=\"logo\" "
			       "loading=\"lazy\" decoding=\"async\"></figure>\n");
	free(h);
	/* odd names get no srcset (it could smuggle candidates) */
	h = md("![x](/media/a,b.jpg) text\n\n![y](/media/sub/c.jpg)\n\n![z](/media/c.png)\n\n![w](/media/.jpg)");
	assert_lacks(h, "srcset");
	free(h);
	/* alt and caption are escaped */
	h = md("![a\"><script>](/media/x.jpg \"<b>cap</b>\")");
	assert_contains(h, "alt=\"a&quot;&gt;&lt;script&gt;\"");
	assert_contains(h, "<figcaption>&lt;b&gt;cap&lt;/b&gt;</figcaption>");
	assert_no_bad_scheme(h);
	free(h);
	/* an image inside running text stays inline, with its title as an attribute */
	h = md("Xem ![sơ đồ](/media/map.jpg \"Bản đồ\") bên dưới");
	assert_string_equal(h, "<p>Xem <img src=\"/media/map.jpg\" srcset=\"/media/map-480.jpg 480w, "
			       "/media/map-960.jpg 960w, /media/map-1600.jpg 1600w\" alt=\"sơ đồ\" loading=\"lazy\" "
			       "decoding=\"async\" title=\"Bản đồ\"> bên dưới</p>\n");
	free(h);
	/* nested image syntax in alt text renders only words */
	h = md("![a ![b](/x.jpg) c](/y.jpg)");
	assert_contains(h, "alt=\"a b c\"");
	assert_lacks(h, "/x.jpg");
	free(h);
}

static void test_headings_shifted(void **state)
{
	char *h = md("# One\n\n## Two\n\n### Three\n\n#### Four\n\n##### Five\n\n###### Six\n\nSetext\n======\n");
	assert_lacks(h, "<h1");
	assert_contains(h, "<h2>One</h2>");
	assert_contains(h, "<h3>Two</h3>");
	assert_contains(h, "<h4>Three</h4>");
	assert_contains(h, "<h5>Four</h5>");
	assert_contains(h, "<h6>Five</h6>");
	assert_contains(h, "<h6>Six</h6>");
	assert_contains(h, "<h2>Setext</h2>");
	free(h);
}

static void test_tables(void **state)
{
	char *h = md("| Thủ tục | Thời hạn | Phí |\n|:--|:-:|--:|\n| Cấp phép | 5 ngày | 0 |\n");
	assert_string_equal(h, "<div class=\"table-wrap\"><table>\n<thead>\n<tr>\n"
			       "<th class=\"align-left\">Thủ tục</th>\n<th class=\"align-center\">Thời hạn</th>\n"
			       "<th class=\"align-right\">Phí</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n"
			       "<td class=\"align-left\">Cấp phép</td>\n<td class=\"align-center\">5 ngày</td>\n"
			       "<td class=\"align-right\">0</td>\n</tr>\n</tbody>\n</table></div>\n");
	free(h);
}

static void test_blocks(void **state)
{
	char *h = md("Para *em* **strong** ~~del~~ `co<de>`\\\nnext\n\n> quote\n\n1. a\n2. b\n\n3) c\n4) d\n\n---\n\n"
		     "```c onclick=x\nint a < b;\n```\n\n```\"><script>\nx\n```\n");
	assert_contains(h, "<p>Para <em>em</em> <strong>strong</strong> <del>del</del> "
			   "<code>co&lt;de&gt;</code><br>\nnext</p>");
	assert_contains(h, "<blockquote>\n<p>quote</p>\n</blockquote>");
	assert_contains(h, "<ol>\n<li>a</li>\n<li>b</li>\n</ol>");
	assert_contains(h, "<ol start=\"3\">");
	assert_contains(h, "<hr>");
	assert_contains(h, "<pre><code class=\"language-c\">int a &lt; b;\n</code></pre>");
	/* a hostile info string is dropped, not echoed */
	assert_contains(h, "<pre><code>x\n</code></pre>");
	assert_no_bad_scheme(h);
	free(h);
	/* entities and NUL */
	h = md("&copy; &amp; &lt;b&gt; &#60;script&#62; &unknownentity; &#0;");
	assert_string_equal(h, "<p>\xC2\xA9 &amp; &lt;b&gt; &lt;script&gt; &unknownentity; \xEF\xBF\xBD</p>\n");
	free(h);
	buf_t out;
	buf_init(&out, 0);
	assert_int_equal(md_render("a\0b", 3, &out), 0);
	assert_string_equal(buf_cstr(&out), "<p>a\xEF\xBF\xBD" "b</p>\n");
	buf_release(&out);
	h = md("");
	assert_string_equal(h, "");
	free(h);
}

static void test_slice_not_overread(void **state)
{
	/* md4c 0.4.8 reads the byte after its input: a slice "[](h" followed in memory by ")…" became a link
	 * whose text ran past the slice (found by fuzz_md).  Only the n bytes given may count. */
	const char mem[] = "[](hSECRET) tail";
	buf_t out;
	buf_init(&out, 0);
	assert_int_equal(md_render(mem, 4, &out), 0);
	assert_string_equal(buf_cstr(&out), "<p>[](h</p>\n");
	buf_reset(&out);
	const char mem2[] = "[](h)";
	assert_int_equal(md_render(mem2, 4, &out), 0);
	assert_string_equal(buf_cstr(&out), "<p>[](h</p>\n");
	buf_release(&out);
}

static void test_cap(void **state)
{
	buf_t out;
	buf_init(&out, 32);
	assert_int_equal(md_render("A long paragraph that does not fit the cap at all.", 50, &out), -1);
	buf_release(&out);
	/* a figure that does not fit */
	buf_init(&out, 64);
	assert_int_equal(md_render("![a](/media/abc.jpg \"cap\")", 26, &out), -1);
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_raw_html_escaped),
		cmocka_unit_test(test_bad_links_neutralised),
		cmocka_unit_test(test_bad_images_neutralised),
		cmocka_unit_test(test_good_links_kept),
		cmocka_unit_test(test_figure),
		cmocka_unit_test(test_headings_shifted),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_blocks),
		cmocka_unit_test(test_slice_not_overread),
		cmocka_unit_test(test_cap),
	};
	return cmocka_run_group_tests_name("md", tests, NULL, NULL);
}
