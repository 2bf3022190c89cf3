/* The SMTP client's message building: addresses, header cleaning, RFC 2047 subjects, line ends and
 * dot-stuffing (the conversation itself is tested over HTTP against a sink: tests/http/dossier-citizen). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <string.h>

#include "svc/smtp.h"

static void test_address(void **state)
{
	assert_true(smtp_address_ok("nguoi.dan@example.vn"));
	assert_true(smtp_address_ok("a+b@sub.example.com"));
	const char *bad[] = {"", "a", "@example.vn", "a@", "a@b", "a@@b.vn", "a b@c.vn", "a@b.vn\r\nBcc: x@y.vn",
			     "<a@b.vn>", "a@b..vn", "a@.b.vn", "a.@b.vn", "\"a\"@b.vn", "a,b@c.vn", "ngườidân@example.vn"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(smtp_address_ok(bad[i]));
}

static void test_clean_and_subject(void **state)
{
	buf_t b;
	buf_init(&b, 4096);
	assert_int_equal(smtp_append_clean(&b, "x\r\nBcc: evil@example.com\t!"), 0);
	assert_string_equal(buf_cstr(&b), "xBcc: evil@example.com!");
	buf_reset(&b);
	assert_int_equal(smtp_append_subject(&b, "Plain ASCII"), 0);
	assert_string_equal(buf_cstr(&b), "Plain ASCII");
	buf_reset(&b);
	/* long Vietnamese: several encoded words, each ≤ 75 bytes, each decoding to whole characters */
	const char *subj = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả 000.00.30.H23-231201-0001 — Sở Tư pháp tỉnh\r\nX: y";
	assert_int_equal(smtp_append_subject(&b, subj), 0);
	char joined[512] = "";
	const char *p = buf_cstr(&b);
	int words = 0;
	while ((p = strstr(p, "=?UTF-8?B?")) != NULL) {
		const char *end = strstr(p + 10, "?=");
		assert_non_null(end);
		assert_true(end + 2 - p <= 75);
		unsigned char bin[128];
		size_t n = 0;
		assert_int_equal(sodium_base642bin(bin, sizeof(bin), p + 10, (size_t)(end - p - 10), NULL, &n, NULL,
						   sodium_base64_VARIANT_ORIGINAL), 0);
		assert_true(n == 0 || (bin[0] & 0xC0) != 0x80); /* starts on a character */
		strncat(joined, (const char *)bin, n);
		words++;
		p = end + 2;
	}
	assert_true(words >= 2);
	assert_null(strstr(buf_cstr(&b), "\r\nX:")); /* folded lines start with a space: no header injected */
	assert_string_equal(joined, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả 000.00.30.H23-231201-0001 — Sở Tư pháp tỉnhX: y");
	buf_release(&b);
}

static void test_format(void **state)
{
	buf_t b;
	buf_init(&b, 1 << 20);
	assert_int_equal(smtp_format(&b, "cong@example.vn", "a@b.vn\r\nBcc: x@y.vn", "Mã hồ sơ", "one\nline two\r\n.dot\n", 1795771800), 0);
	const char *m = buf_cstr(&b);
	assert_non_null(strstr(m, "From: cong@example.vn\r\nTo: a@b.vnBcc: x@y.vn\r\nSubject: =?UTF-8?B?"));
	assert_non_null(strstr(m, "+0700\r\nMessage-ID: <"));
	assert_non_null(strstr(m, "@example.vn>\r\n"));
	assert_non_null(strstr(m, "Content-Type: text/plain; charset=utf-8\r\n"));
	assert_non_null(strstr(m, "\r\n\r\none\r\nline two\r\n.dot\r\n"));
	assert_null(strstr(m, "\r\r"));
	buf_release(&b);
}

static void test_dot_stuff(void **state)
{
	buf_t b;
	buf_init(&b, 4096);
	const char *in = ".start\r\nmiddle . dot\r\n.\r\n..two\r\nend";
	assert_int_equal(smtp_dot_stuff(&b, in, strlen(in)), 0);
	assert_string_equal(buf_cstr(&b), "..start\r\nmiddle . dot\r\n..\r\n...two\r\nend\r\n.\r\n");
	buf_reset(&b);
	assert_int_equal(smtp_dot_stuff(&b, "a\n", 2), 0);
	assert_string_equal(buf_cstr(&b), "a\r\n.\r\n");
	buf_release(&b);
}

static void test_no_relay(void **state)
{
	char err[256];
	/* a port nobody listens on: a temporary failure, said in err */
	assert_int_equal(smtp_send("127.0.0.1", 1, 2, "localhost", "a@b.vn", "c@d.vn", "x\r\n", 3, err, sizeof(err)), SMTP_TEMPORARY);
	assert_non_null(strstr(err, "cannot connect"));
	assert_int_equal(smtp_send("127.0.0.1", 1, 2, "localhost", "a@b.vn", "bad", "x\r\n", 3, err, sizeof(err)), SMTP_PERMANENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_address),
		cmocka_unit_test(test_clean_and_subject),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_dot_stuff),
		cmocka_unit_test(test_no_relay),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
