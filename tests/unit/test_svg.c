/* svc/svg: the server-drawn charts — accessible structure, escaping of every label, long labels cut with
 * the whole one kept, patterns as well as colours, no style attributes, and refusal of bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "svc/svg.h"

static int count(const char *s, const char *needle)
{
	int n = 0;
	for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void test_hbars_structure_and_escaping(void **state)
{
	const char *cats[] = {"Sở <Tư pháp> & \"Hộ tịch\"", "O'Brien's office"};
	const char *series[] = {"Trước hạn", "Đúng <hạn>", "Quá hạn"};
	const long long v[] = {3, 2, 1, 0, 4, 0};
	const char *notes[] = {"83,3% <ok>", NULL};
	svg_chart_t c = {.id = "t1", .title = "Tiến độ <giải quyết>", .desc = "A & B", .ncats = 2, .cats = cats, .nseries = 3,
			 .series = series, .values = v, .notes = notes};
	buf_t b;
	buf_init(&b, 0);
	assert_int_equal(svg_hbars(&b, &c), 0);
	const char *s = buf_cstr(&b);
	assert_non_null(strstr(s, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart-svg\" role=\"img\" aria-labelledby=\"t1-t t1-d\""));
	assert_non_null(strstr(s, "<title id=\"t1-t\">Tiến độ &lt;giải quyết&gt;</title>"));
	assert_non_null(strstr(s, "<desc id=\"t1-d\">A &amp; B</desc>"));
	/* labels, legend, tooltips and notes: all escaped, nothing raw */
	assert_non_null(strstr(s, "Sở &lt;Tư pháp&gt; &amp; &quot;Hộ tịch&quot;"));
	assert_non_null(strstr(s, "O&#39;Brien&#39;s office"));
	assert_non_null(strstr(s, ">Đúng &lt;hạn&gt;</text>"));
	assert_non_null(strstr(s, "<title>Sở &lt;Tư pháp&gt; &amp; &quot;Hộ tịch&quot; — Đúng &lt;hạn&gt;: 2</title>"));
	assert_non_null(strstr(s, ">83,3% &lt;ok&gt;</text>"));
	assert_null(strstr(s, "<Tư pháp>"));
	assert_null(strstr(s, "<hạn>"));
	assert_null(strstr(s, "style="));
	/* one group per bar; parts only for non-zero values (3 + 1); the second bar's note is its total */
	assert_int_equal(count(s, "<g class=\"chart-bar\">"), 2);
	assert_int_equal(count(s, "<rect class=\"chart-s"), 4);
	assert_non_null(strstr(s, "class=\"chart-note\""));
	assert_non_null(strstr(s, ">4</text></g>"));
	/* series 1 and 2 are patterns (series 0 is solid), defined once and used by the legend too */
	assert_int_equal(count(s, "<pattern id=\"t1-p"), 2);
	assert_int_equal(count(s, "fill=\"url(#t1-p1)\""), 1 + 2); /* the legend swatch and both bars' on-time parts */
	assert_int_equal(count(s, "</svg>"), 1);
	buf_release(&b);
}

static void test_long_labels_are_cut(void **state)
{
	char label[400];
	size_t n = 0, w = strlen("Ủy ban ");
	for (int i = 0; i < 30; i++, n += w)
		memcpy(label + n, "Ủy ban ", w); /* 7 characters × 30 = 210 */
	label[n] = '\0';
	const char *cats[] = {label};
	const char *series[] = {"n"};
	const long long v[] = {5};
	svg_chart_t c = {.id = "long", .title = "t", .ncats = 1, .cats = cats, .nseries = 1, .series = series, .values = v};
	buf_t b;
	buf_init(&b, 0);
	assert_int_equal(svg_hbars(&b, &c), 0);
	const char *s = buf_cstr(&b);
	assert_non_null(strstr(s, "…</text>"));
	/* the whole label stays in a tooltip */
	assert_non_null(strstr(s, label));
	/* no <desc>: labelled by the title alone */
	assert_non_null(strstr(s, "aria-labelledby=\"long-t\""));
	assert_null(strstr(s, "<desc"));
	buf_release(&b);
}

static void test_columns(void **state)
{
	const char *cats[] = {"01/2025", "02/2025", "03/2025"};
	const char *series[] = {"Tiếp nhận"};
	const long long v[] = {7, 0, -3};
	svg_chart_t c = {.id = "m", .title = "Theo tháng", .ncats = 3, .cats = cats, .nseries = 1, .series = series, .values = v};
	buf_t b;
	buf_init(&b, 0);
	assert_int_equal(svg_columns(&b, &c), 0);
	const char *s = buf_cstr(&b);
	assert_int_equal(count(s, "<g class=\"chart-bar\">"), 3);
	assert_int_equal(count(s, "<rect class=\"chart-s0\""), 1); /* zero and negative draw nothing */
	assert_non_null(strstr(s, ">7</text>"));
	assert_int_equal(count(s, ">0</text>"), 2); /* a negative counts as 0 */
	assert_non_null(strstr(s, ">02/2025</text>"));
	assert_null(strstr(s, "<pattern")); /* one solid series */
	buf_release(&b);
}

static void test_bad_input(void **state)
{
	const char *cats[] = {"a"};
	const char *series[] = {"s"};
	const long long v[] = {1};
	buf_t b;
	buf_init(&b, 0);
	svg_chart_t c = {.id = "bad\"id", .title = "t", .ncats = 1, .cats = cats, .nseries = 1, .series = series, .values = v};
	assert_int_equal(svg_hbars(&b, &c), -1); /* an id that would need escaping is refused */
	c.id = "";
	assert_int_equal(svg_columns(&b, &c), -1);
	c.id = "ok";
	c.nseries = SVG_MAX_SERIES + 1;
	assert_int_equal(svg_hbars(&b, &c), -1);
	c.nseries = 1;
	c.title = NULL;
	assert_int_equal(svg_hbars(&b, &c), -1);
	assert_int_equal(b.len, 0);
	/* no categories: still a valid, labelled image */
	c.title = "empty";
	c.ncats = 0;
	assert_int_equal(svg_hbars(&b, &c), 0);
	assert_non_null(strstr(buf_cstr(&b), "<title id=\"ok-t\">empty</title>"));
	assert_non_null(strstr(buf_cstr(&b), "</svg>"));
	/* a full buffer is an error */
	buf_t small;
	buf_init(&small, 64);
	c.ncats = 1;
	assert_int_equal(svg_hbars(&small, &c), -1);
	buf_release(&small);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hbars_structure_and_escaping),
		cmocka_unit_test(test_long_labels_are_cut),
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
