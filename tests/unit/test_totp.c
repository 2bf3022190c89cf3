/* TOTP (RFC 6238): the Appendix B test vectors, base32 (RFC 4648), the ±1 step window, a code used only
 * once, and the QR code markup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/totp.h"

static const unsigned char rfc_key[] = "12345678901234567890"; /* the SHA-1 seed of RFC 6238 Appendix B */

static void test_rfc6238_sha1_vectors(void **state)
{
	static const struct {
		long long t;
		long long code;
	} v[] = {
		{59, 94287082},         {1111111109, 7081804}, {1111111111, 14050471},
		{1234567890, 89005924}, {2000000000, 69279037}, {20000000000LL, 65353130},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		long long got = totp_code(rfc_key, 20, totp_step(v[i].t), 8);
		if (got != v[i].code)
			fail_msg("T=%lld: expected %08lld, got %08lld", v[i].t, v[i].code, got);
	}
}

static void test_six_digits_are_the_low_digits(void **state)
{
	/* the same HOTP value truncated to 6 digits: the last 6 of the 8-digit code */
	assert_int_equal(totp_code(rfc_key, 20, totp_step(59), 6), 287082);
	assert_int_equal(totp_code(rfc_key, 20, totp_step(1111111109), 6), 81804);
	assert_int_equal(totp_code(rfc_key, 20, 1, 0), -1);
	assert_int_equal(totp_code(rfc_key, 20, 1, 10), -1);
}

static void test_rfc4226_hotp_vectors(void **state)
{
	/* RFC 4226 Appendix D: counters 0..9 */
	static const long long want[] = {755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489};
	for (long long c = 0; c < 10; c++)
		assert_int_equal(totp_code(rfc_key, 20, c, 6), want[c]);
}

static void test_step(void **state)
{
	assert_int_equal(totp_step(0), 0);
	assert_int_equal(totp_step(29), 0);
	assert_int_equal(totp_step(30), 1);
	assert_int_equal(totp_step(59), 1);
	assert_int_equal(totp_step(1111111109), 37037036);
}

static void test_base32_rfc4648_vectors(void **state)
{
	static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	static const char *const enc[] = {"", "MY", "MZXQ", "MZXW6", "MZXW6YQ", "MZXW6YTB", "MZXW6YTBOI"};
	for (size_t i = 0; i < 7; i++) {
		char out[32];
		unsigned char back[32];
		assert_int_equal(totp_base32_encode((const unsigned char *)plain[i], strlen(plain[i]), out, sizeof(out)), 0);
		assert_string_equal(out, enc[i]);
		long long n = totp_base32_decode(enc[i], back, sizeof(back));
		assert_int_equal(n, (long long)strlen(plain[i]));
		assert_memory_equal(back, plain[i], (size_t)n);
	}
}

static void test_base32_round_trip_random(void **state)
{
	for (int i = 0; i < 200; i++) {
		unsigned char raw[40], back[40];
		size_t n = (size_t)(i % 40) + 1;
		randombytes_buf(raw, n);
		char enc[80];
		assert_int_equal(totp_base32_encode(raw, n, enc, sizeof(enc)), 0);
		assert_int_equal(totp_base32_decode(enc, back, sizeof(back)), (long long)n);
		assert_memory_equal(raw, back, n);
	}
}

static void test_base32_decode_is_lenient_but_not_sloppy(void **state)
{
	unsigned char out[16];
	/* lower case, spaces, hyphens and padding as people and apps write them */
	assert_int_equal(totp_base32_decode("mzxw 6ytb-oi======", out, sizeof(out)), 6);
	assert_memory_equal(out, "foobar", 6);
	assert_int_equal(totp_base32_decode("MZXW1", out, sizeof(out)), -1); /* 1 is not in the alphabet */
	assert_int_equal(totp_base32_decode("MZXW6YTBOI", out, 3), -1);      /* does not fit */
	char small[4];
	assert_int_equal(totp_base32_encode((const unsigned char *)"foobar", 6, small, sizeof(small)), -1);
}

static void test_secret_new(void **state)
{
	char a[TOTP_SECRET_B32], b[TOTP_SECRET_B32];
	totp_secret_new(a);
	totp_secret_new(b);
	assert_int_equal(strlen(a), 32); /* 160 bits */
	assert_string_not_equal(a, b);
	unsigned char raw[32];
	assert_int_equal(totp_base32_decode(a, raw, sizeof(raw)), 20);
}

/* The secret of rfc_key in base32, and the 6-digit code at step s. */
static const char *rfc_b32(void)
{
	static char s[TOTP_SECRET_B32];
	totp_base32_encode(rfc_key, 20, s, sizeof(s));
	return s;
}

static const char *code_at(long long step)
{
	static char c[16];
	snprintf(c, sizeof(c), "%06lld", totp_code(rfc_key, 20, step, 6));
	return c;
}

static void test_verify_window(void **state)
{
	const long long now = 1234567890, s = totp_step(now);
	long long got = 0;
	assert_true(totp_verify(rfc_b32(), code_at(s), now, 0, &got));
	assert_int_equal(got, s);
	assert_true(totp_verify(rfc_b32(), code_at(s - 1), now, 0, &got)); /* a clock 30 s behind */
	assert_int_equal(got, s - 1);
	assert_true(totp_verify(rfc_b32(), code_at(s + 1), now, 0, &got)); /* 30 s ahead */
	assert_int_equal(got, s + 1);
	assert_false(totp_verify(rfc_b32(), code_at(s - 2), now, 0, &got));
	assert_false(totp_verify(rfc_b32(), code_at(s + 2), now, 0, &got));
}

static void test_verify_once(void **state)
{
	const long long now = 1234567890, s = totp_step(now);
	long long got = 0;
	/* the step of the last accepted code and every one before it are spent */
	assert_false(totp_verify(rfc_b32(), code_at(s), now, s, &got));
	assert_false(totp_verify(rfc_b32(), code_at(s - 1), now, s - 1, &got));
	assert_true(totp_verify(rfc_b32(), code_at(s + 1), now, s, &got));
	assert_int_equal(got, s + 1);
}

static void test_verify_rejects_malformed(void **state)
{
	const long long now = 1234567890, s = totp_step(now);
	long long got = 0;
	char spaced[32];
	const char *c = code_at(s);
	snprintf(spaced, sizeof(spaced), "%.3s %s", c, c + 3);
	assert_true(totp_verify(rfc_b32(), spaced, now, 0, &got)); /* "123 456" as apps show it */
	assert_false(totp_verify(rfc_b32(), "", now, 0, &got));
	assert_false(totp_verify(rfc_b32(), NULL, now, 0, &got));
	assert_false(totp_verify(rfc_b32(), "12345", now, 0, &got));
	assert_false(totp_verify(rfc_b32(), "1234567", now, 0, &got));
	assert_false(totp_verify(rfc_b32(), "12a456", now, 0, &got));
	char plus[32];
	snprintf(plus, sizeof(plus), "+%s", c);
	assert_false(totp_verify(rfc_b32(), plus, now, 0, &got));
	assert_false(totp_verify("", c, now, 0, &got));       /* no secret: nothing matches */
	assert_false(totp_verify("!!!!", c, now, 0, &got));   /* a broken secret */
	assert_false(totp_verify("MZXW6", c, now, 0, &got));  /* too short to be a key */
}

static void test_uri(void **state)
{
	arena_t a;
	arena_init(&a, 0);
	char *u = totp_uri(&a, "Cổng tỉnh", "bien.tap", "JBSWY3DPEHPK3PXP");
	assert_non_null(u);
	assert_string_equal(u, "otpauth://totp/C%E1%BB%95ng%20t%E1%BB%89nh:bien.tap?secret=JBSWY3DPEHPK3PXP"
			       "&issuer=C%E1%BB%95ng%20t%E1%BB%89nh");
	arena_release(&a);
}

static void test_qr_svg(void **state)
{
	buf_t b;
	buf_init(&b, 0);
	assert_int_equal(totp_qr_svg("otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP&issuer=X", "QR <code>", &b), 0);
	const char *s = buf_cstr(&b);
	assert_true(strncmp(s, "<svg ", 5) == 0);
	assert_non_null(strstr(s, "</svg>"));
	assert_non_null(strstr(s, "aria-label=\"QR &lt;code&gt;\"")); /* the label is escaped */
	assert_non_null(strstr(s, "fill=\"#000\""));
	assert_null(strstr(s, "style")); /* the CSP allows no inline style */
	assert_null(strstr(s, "<script"));
	buf_release(&b);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc6238_sha1_vectors),
		cmocka_unit_test(test_six_digits_are_the_low_digits),
		cmocka_unit_test(test_rfc4226_hotp_vectors),
		cmocka_unit_test(test_step),
		cmocka_unit_test(test_base32_rfc4648_vectors),
		cmocka_unit_test(test_base32_round_trip_random),
		cmocka_unit_test(test_base32_decode_is_lenient_but_not_sloppy),
		cmocka_unit_test(test_secret_new),
		cmocka_unit_test(test_verify_window),
		cmocka_unit_test(test_verify_once),
		cmocka_unit_test(test_verify_rejects_malformed),
		cmocka_unit_test(test_uri),
		cmocka_unit_test(test_qr_svg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
