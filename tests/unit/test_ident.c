/* Identifiers as people type them: citizen identity numbers (CCCD), phone numbers, dossier codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "svc/ident.h"

/* ---- CCCD ---------------------------------------------------------------------------------------------- */

static void test_cccd_good(void **state)
{
	ident_cccd_t c;
	assert_int_equal(ident_cccd_check("001099012345", 0, &c), IDENT_OK);
	assert_string_equal(c.digits, "001099012345");
	assert_int_equal(c.province, 1); /* Hà Nội */
	assert_int_equal(c.female, 0);
	assert_int_equal(c.birth_year, 1999);

	/* separators are dropped */
	assert_int_equal(ident_cccd_check("079 301 000 123", 0, &c), IDENT_OK);
	assert_string_equal(c.digits, "079301000123");
	assert_int_equal(c.province, 79); /* TP. Hồ Chí Minh */
	assert_int_equal(c.female, 1);
	assert_int_equal(c.birth_year, 2001);
	assert_int_equal(ident_cccd_check("040.185.001.234", 0, &c), IDENT_OK);
	assert_int_equal(c.birth_year, 1985);
	assert_int_equal(c.female, 1);
	assert_int_equal(ident_cccd_check("096-200-123456", 0, &c), IDENT_OK);
	assert_int_equal(c.birth_year, 2000);
	assert_int_equal(c.province, 96); /* Cà Mau, the last code */

	/* with the birth year from the form */
	assert_int_equal(ident_cccd_check("001099012345", 1999, NULL), IDENT_OK);
	assert_int_equal(ident_cccd_check("038205012345", 2005, NULL), IDENT_OK);
	assert_int_equal(ident_cccd_check("038100012345", 1900, NULL), IDENT_OK);
}

static void test_cccd_bad(void **state)
{
	static const struct {
		const char *s;
		int birth, err;
	} v[] = {
		{"", 0, IDENT_EEMPTY},
		{" - ", 0, IDENT_EEMPTY},
		{"00109901234", 0, IDENT_ELENGTH},   /* 11 digits */
		{"0010990123456", 0, IDENT_ELENGTH}, /* 13 */
		{"123456789", 0, IDENT_ELENGTH},     /* an old 9-digit CMND */
		{"00109901234X", 0, IDENT_ECHAR},
		{"001/099/012345", 0, IDENT_ECHAR},
		{"000099012345", 0, IDENT_EPROVINCE},
		{"003099012345", 0, IDENT_EPROVINCE}, /* 003 was never used */
		{"097099012345", 0, IDENT_EPROVINCE},
		{"999099012345", 0, IDENT_EPROVINCE},
		{"001499012345", 0, IDENT_ECENTURY}, /* born 2199? */
		{"001999012345", 0, IDENT_ECENTURY},
		{"001099012345", 1998, IDENT_EBIRTH},
		{"001099012345", 2099, IDENT_EBIRTH}, /* the year digits agree, the century does not */
		{"001299012345", 1999, IDENT_EBIRTH},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int err = ident_cccd_check(v[i].s, v[i].birth, NULL);
		if (err != v[i].err)
			fail_msg("'%s' (%d): expected %s, got %s", v[i].s, v[i].birth, ident_strerror(v[i].err),
				 ident_strerror(err));
	}
}

/* every code from 001 to 099 is either one of the 63 provinces or refused */
static void test_cccd_provinces(void **state)
{
	int known = 0;
	char s[13];
	for (int p = 0; p < 1000; p++) {
		s[0] = (char)('0' + p / 100);
		s[1] = (char)('0' + p / 10 % 10);
		s[2] = (char)('0' + p % 10);
		memcpy(s + 3, "085000001", 10);
		int err = ident_cccd_check(s, 0, NULL);
		assert_true(err == IDENT_OK || err == IDENT_EPROVINCE);
		known += err == IDENT_OK;
	}
	assert_int_equal(known, 63);
	static const char *const some[] = {"001", "031", "048", "079", "092", "040", "046", "067"};
	for (size_t i = 0; i < sizeof(some) / sizeof(some[0]); i++) {
		memcpy(s, some[i], 3);
		assert_int_equal(ident_cccd_check(s, 0, NULL), IDENT_OK);
	}
}

/* ---- phones -------------------------------------------------------------------------------------------- */

static void test_phone_good(void **state)
{
	static const struct {
		const char *in, *out;
		int kind;
	} v[] = {
		{"0912345678", "0912345678", IDENT_PHONE_MOBILE},
		{"091 234 5678", "0912345678", IDENT_PHONE_MOBILE},
		{"0912.345.678", "0912345678", IDENT_PHONE_MOBILE},
		{"0912-345-678", "0912345678", IDENT_PHONE_MOBILE},
		{"  0912345678", "0912345678", IDENT_PHONE_MOBILE},
		{"+84912345678", "0912345678", IDENT_PHONE_MOBILE},
		{"+84 91 234 5678", "0912345678", IDENT_PHONE_MOBILE},
		{"+84 (0) 912 345 678", "0912345678", IDENT_PHONE_MOBILE},
		{"(+84) 912 345 678", "0912345678", IDENT_PHONE_MOBILE},
		{"84912345678", "0912345678", IDENT_PHONE_MOBILE},
		{"0084 912 345 678", "0912345678", IDENT_PHONE_MOBILE},
		{"0321234567", "0321234567", IDENT_PHONE_MOBILE}, /* Viettel 032 */
		{"0561234567", "0561234567", IDENT_PHONE_MOBILE},
		{"0701234567", "0701234567", IDENT_PHONE_MOBILE},
		{"0888 123 456", "0888123456", IDENT_PHONE_MOBILE},
		{"024 3825 1234", "02438251234", IDENT_PHONE_LANDLINE}, /* Hà Nội */
		{"028.3829.1234", "02838291234", IDENT_PHONE_LANDLINE}, /* TP.HCM */
		{"0238 3844 123", "02383844123", IDENT_PHONE_LANDLINE}, /* Nghệ An */
		{"+84 24 3825 1234", "02438251234", IDENT_PHONE_LANDLINE},
		{"(024) 3825 1234", "02438251234", IDENT_PHONE_LANDLINE},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char out[IDENT_PHONE_MAX];
		int kind = 0, err = ident_phone_norm(v[i].in, out, &kind);
		if (err != IDENT_OK)
			fail_msg("'%s': %s", v[i].in, ident_strerror(err));
		assert_string_equal(out, v[i].out);
		assert_int_equal(kind, v[i].kind);
	}
}

static void test_phone_bad(void **state)
{
	static const struct {
		const char *in;
		int err;
	} v[] = {
		{"", IDENT_EEMPTY},
		{"  ", IDENT_EEMPTY},
		{"091234567", IDENT_ELENGTH},       /* 9 digits */
		{"09123456789", IDENT_ELENGTH},     /* 11 digits for a mobile */
		{"0243825123", IDENT_ELENGTH},      /* 10 digits for a landline */
		{"024382512345", IDENT_ELENGTH},    /* 12 */
		{"01231234567", IDENT_EPREFIX},     /* the 11-digit mobiles retired in 2018 */
		{"0412345678", IDENT_EPREFIX},      /* 04 is no longer an area code */
		{"0612345678", IDENT_EPREFIX},
		{"19001234", IDENT_EPREFIX},        /* a service number */
		{"1800 1234", IDENT_EPREFIX},
		{"912345678", IDENT_EPREFIX},       /* no leading 0 */
		{"+1 202 555 0100", IDENT_EPREFIX}, /* another country */
		{"+8491234567", IDENT_ELENGTH},
		{"0912 345 67a", IDENT_ECHAR},
		{"0912+345678", IDENT_ECHAR},
		{"0912345678 ext 12", IDENT_ECHAR},
		{"00912345678", IDENT_EPREFIX},
		{"0912345678901234567890", IDENT_ELENGTH},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char out[IDENT_PHONE_MAX] = "untouched";
		int err = ident_phone_norm(v[i].in, out, NULL);
		if (err != v[i].err)
			fail_msg("'%s': expected %s, got %s", v[i].in, ident_strerror(v[i].err), ident_strerror(err));
		assert_string_equal(out, "untouched");
	}
}

/* ---- dossier codes ------------------------------------------------------------------------------------- */

static void test_dossier_format_parse(void **state)
{
	char code[IDENT_DOSSIER_MAX];
	ident_dossier_t c = {"000.00.30.H23", 2023, 12, 1, 1};
	assert_int_equal(ident_dossier_format(&c, code), IDENT_OK);
	assert_string_equal(code, "000.00.30.H23-231201-0001");

	ident_dossier_t p;
	assert_int_equal(ident_dossier_parse(code, &p), IDENT_OK);
	assert_string_equal(p.agency, "000.00.30.H23");
	assert_int_equal(p.y, 2023);
	assert_int_equal(p.m, 12);
	assert_int_equal(p.d, 1);
	assert_int_equal(p.seq, 1);

	/* as typed into the look-up box */
	assert_int_equal(ident_dossier_parse("  000.00.30.h23-231201-0001 \n", &p), IDENT_OK);
	assert_int_equal(ident_dossier_format(&p, code), IDENT_OK);
	assert_string_equal(code, "000.00.30.H23-231201-0001");

	ident_dossier_t c2 = {"H23.99", 2024, 2, 29, 9999};
	assert_int_equal(ident_dossier_format(&c2, code), IDENT_OK);
	assert_string_equal(code, "H23.99-240229-9999");
	ident_dossier_t c3 = {"ABCDEFGHIJ0123456789", 2099, 12, 31, 42}; /* 20 characters */
	assert_int_equal(ident_dossier_format(&c3, code), IDENT_OK);
	assert_string_equal(code, "ABCDEFGHIJ0123456789-991231-0042");
	assert_int_equal(strlen(code) + 1, IDENT_DOSSIER_MAX);
	assert_int_equal(ident_dossier_parse(code, &p), IDENT_OK);
	assert_int_equal(p.seq, 42);
	assert_int_equal(ident_dossier_parse("UB-000101-0300", &p), IDENT_OK);
	assert_int_equal(p.y, 2000);
	assert_int_equal(p.seq, 300);
}

static void test_dossier_bad(void **state)
{
	static const struct {
		const char *s;
		int err;
	} parse[] = {
		{"", IDENT_EFORMAT},
		{"000.00.30.H23", IDENT_EFORMAT},
		{"000.00.30.H23-231201", IDENT_EFORMAT},
		{"000.00.30.H23-231201-001", IDENT_EFORMAT},
		{"000.00.30.H23-231201-00001", IDENT_EFORMAT},
		{"000.00.30.H23-2312010-0001", IDENT_EFORMAT},
		{"000.00.30.H23_231201-0001", IDENT_EFORMAT},
		{"000.00.30.H23-23120a-0001", IDENT_EFORMAT},
		{"000.00.30.H23-231201-00a1", IDENT_EFORMAT},
		{"H-23-231201-0001", IDENT_EFORMAT},
		{"X-231201-0001", IDENT_EFORMAT},                 /* a one-letter agency */
		{"ABCDEFGHIJ0123456789X-231201-0001", IDENT_EFORMAT}, /* 21 */
		{"A..B-231201-0001", IDENT_EAGENCY},
		{".AB-231201-0001", IDENT_EAGENCY},
		{"AB.-231201-0001", IDENT_EAGENCY},
		{"Sở TP-231201-0001", IDENT_EAGENCY},
		{"SỞ.TP-231201-0001", IDENT_EAGENCY},
		{"A B-231201-0001", IDENT_EAGENCY},
		{"H23-231301-0001", IDENT_EDATE},
		{"H23-230229-0001", IDENT_EDATE},
		{"H23-231200-0001", IDENT_EDATE},
		{"H23-231201-0000", IDENT_ESEQ},
	};
	for (size_t i = 0; i < sizeof(parse) / sizeof(parse[0]); i++) {
		ident_dossier_t p = {"untouched", 1, 1, 1, 1};
		int err = ident_dossier_parse(parse[i].s, &p);
		if (err != parse[i].err)
			fail_msg("'%s': expected %s, got %s", parse[i].s, ident_strerror(parse[i].err), ident_strerror(err));
		assert_string_equal(p.agency, "untouched");
	}

	char code[IDENT_DOSSIER_MAX] = "untouched";
	ident_dossier_t f[] = {
		{"h23", 2023, 12, 1, 1},  {"H", 2023, 12, 1, 1},       {"H23", 1999, 12, 1, 1}, {"H23", 2100, 1, 1, 1},
		{"H23", 2023, 2, 29, 1},  {"H23", 2023, 12, 1, 0},     {"H23", 2023, 12, 1, 10000},
	};
	int want[] = {IDENT_EAGENCY, IDENT_EAGENCY, IDENT_EDATE, IDENT_EDATE, IDENT_EDATE, IDENT_ESEQ, IDENT_ESEQ};
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		assert_int_equal(ident_dossier_format(&f[i], code), want[i]);
		assert_string_equal(code, "untouched");
	}
	assert_int_equal(ident_agency_check("000.00.30.H23"), IDENT_OK);
	assert_int_equal(ident_agency_check("UBND"), IDENT_OK);
	assert_int_equal(ident_agency_check("ubnd"), IDENT_EAGENCY);
	assert_int_equal(ident_agency_check(""), IDENT_EAGENCY);
}

static void test_strerror(void **state)
{
	for (int e = IDENT_OK; e <= IDENT_EFORMAT; e++) {
		const char *s = ident_strerror(e);
		assert_non_null(s);
		assert_true(strlen(s) > 1 && strcmp(s, "unknown error") != 0);
	}
	assert_string_equal(ident_strerror(-1), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cccd_good),
		cmocka_unit_test(test_cccd_bad),
		cmocka_unit_test(test_cccd_provinces),
		cmocka_unit_test(test_phone_good),
		cmocka_unit_test(test_phone_bad),
		cmocka_unit_test(test_dossier_format_parse),
		cmocka_unit_test(test_dossier_bad),
		cmocka_unit_test(test_strerror),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
