/* buf and arena: the caps that keep a runaway response or request from eating the machine's memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"

static void test_append_within_cap(void **state)
{
	buf_t b;
	buf_init(&b, 16);
	assert_int_equal(buf_puts(&b, "0123456789"), 0);
	assert_int_equal(buf_appendf(&b, "%d%s", 12, "345"), 0);
	assert_int_equal(b.len, 15);
	assert_string_equal(buf_cstr(&b), "012345678912345");
	assert_int_equal(buf_putc(&b, 'x'), 0); /* exactly at the cap */
	assert_int_equal(b.len, 16);
	buf_release(&b);
}

static void test_overflow_is_sticky(void **state)
{
	buf_t b;
	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "abcdef"), 0);
	assert_int_equal(buf_puts(&b, "ghi"), -1); /* would pass the cap: nothing appended */
	assert_true(b.overflow);
	assert_string_equal(buf_cstr(&b), "abcdef");
	assert_int_equal(buf_putc(&b, 'g'), -1); /* later appends fail too, so output is never half-written */
	assert_int_equal(buf_appendf(&b, "%s", "x"), -1);
	buf_reset(&b);
	assert_false(b.overflow);
	assert_int_equal(buf_puts(&b, "ok"), 0);
	buf_release(&b);
}

static void test_html_escaping(void **state)
{
	buf_t b;
	buf_init(&b, 0);
	const char *in = "<script>alert('x')</script> & \"q\"";
	assert_int_equal(buf_append_html(&b, in, strlen(in)), 0);
	assert_string_equal(buf_cstr(&b), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
	buf_release(&b);
}

static void test_json_and_url_escaping(void **state)
{
	buf_t b;
	buf_init(&b, 0);
	const char *in = "a\"b\\c</script>\n\x01";
	assert_int_equal(buf_append_json(&b, in, strlen(in)), 0);
	assert_string_equal(buf_cstr(&b), "a\\\"b\\\\c\\u003c/script>\\u000a\\u0001");
	buf_reset(&b);
	const char *u = "Hội nghị & a/b?c=d";
	assert_int_equal(buf_append_url(&b, u, strlen(u)), 0);
	assert_string_equal(buf_cstr(&b), "H%E1%BB%99i%20ngh%E1%BB%8B%20%26%20a%2Fb%3Fc%3Dd");
	buf_release(&b);
}

static void test_escaping_respects_cap(void **state)
{
	buf_t b;
	buf_init(&b, 10);
	/* 3 bytes of input, 12 bytes escaped: over the cap */
	assert_int_equal(buf_append_html(&b, "<<<", 3), -1);
	assert_true(b.overflow);
	buf_release(&b);
}

static void test_detach(void **state)
{
	buf_t b;
	buf_init(&b, 0);
	buf_puts(&b, "hello");
	size_t n;
	char *p = buf_detach(&b, &n);
	assert_int_equal(n, 5);
	assert_string_equal(p, "hello");
	assert_null(b.data);
	free(p);
}

static void test_arena_cap_and_alignment(void **state)
{
	arena_t a;
	arena_init(&a, 1024);
	char *s = arena_strdup(&a, "xin chào");
	assert_string_equal(s, "xin chào");
	double *d = arena_alloc(&a, sizeof(double) * 4);
	assert_non_null(d);
	assert_int_equal((uintptr_t)d % sizeof(max_align_t), 0);
	assert_null(arena_alloc(&a, 4096)); /* over the cap: refused, not grown */
	char *p = arena_printf(&a, "%s-%d", "bai", 42);
	assert_string_equal(p, "bai-42");
	arena_release(&a);
	arena_init(&a, 0);
	for (int i = 0; i < 1000; i++) /* many chunks, including big one-off blocks */
		assert_non_null(arena_alloc(&a, i % 100 == 0 ? 20000 : 100));
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_within_cap), cmocka_unit_test(test_overflow_is_sticky),
		cmocka_unit_test(test_html_escaping),     cmocka_unit_test(test_json_and_url_escaping),
		cmocka_unit_test(test_escaping_respects_cap), cmocka_unit_test(test_detach),
		cmocka_unit_test(test_arena_cap_and_alignment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
