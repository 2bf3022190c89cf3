/* Unit tests for core/utf8: validation, NFC cleaning, Vietnamese folding, slugs and safe truncation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <utf8proc.h>

#include "core/buf.h"
#include "core/utf8.h"

#define FFFD "\xEF\xBF\xBD"

/* Combining marks used to spell the NFD forms of the table below. */
enum { GRAVE = 0x0300, ACUTE = 0x0301, CIRC = 0x0302, TILDE = 0x0303, BREVE = 0x0306, HOOK = 0x0309,
       HORN = 0x031B, DOT = 0x0323 };
static const uint32_t tones[6] = {0, GRAVE, ACUTE, HOOK, TILDE, DOT};

/* Every accented Vietnamese vowel, written out by hand.  A row is a base vowel and its modifier
 * (breve, circumflex, horn, or none); forms[0] is the modified letter without a tone (NULL for a plain
 * vowel), forms[1..5] carry the tones in the order of `tones`.  đ/Đ follow separately. */
static const struct vrow {
	const char *base;
	uint32_t mod;
	const char *forms[6];
} vowels[] = {
	{"a", 0, {NULL, "à", "á", "ả", "ã", "ạ"}},
	{"a", BREVE, {"ă", "ằ", "ắ", "ẳ", "ẵ", "ặ"}},
	{"a", CIRC, {"â", "ầ", "ấ", "ẩ", "ẫ", "ậ"}},
	{"e", 0, {NULL, "è", "é", "ẻ", "ẽ", "ẹ"}},
	{"e", CIRC, {"ê", "ề", "ế", "ể", "ễ", "ệ"}},
	{"i", 0, {NULL, "ì", "í", "ỉ", "ĩ", "ị"}},
	{"o", 0, {NULL, "ò", "ó", "ỏ", "õ", "ọ"}},
	{"o", CIRC, {"ô", "ồ", "ố", "ổ", "ỗ", "ộ"}},
	{"o", HORN, {"ơ", "ờ", "ớ", "ở", "ỡ", "ợ"}},
	{"u", 0, {NULL, "ù", "ú", "ủ", "ũ", "ụ"}},
	{"u", HORN, {"ư", "ừ", "ứ", "ử", "ữ", "ự"}},
	{"y", 0, {NULL, "ỳ", "ý", "ỷ", "ỹ", "ỵ"}},
	{"A", 0, {NULL, "À", "Á", "Ả", "Ã", "Ạ"}},
	{"A", BREVE, {"Ă", "Ằ", "Ắ", "Ẳ", "Ẵ", "Ặ"}},
	{"A", CIRC, {"Â", "Ầ", "Ấ", "Ẩ", "Ẫ", "Ậ"}},
	{"E", 0, {NULL, "È", "É", "Ẻ", "Ẽ", "Ẹ"}},
	{"E", CIRC, {"Ê", "Ề", "Ế", "Ể", "Ễ", "Ệ"}},
	{"I", 0, {NULL, "Ì", "Í", "Ỉ", "Ĩ", "Ị"}},
	{"O", 0, {NULL, "Ò", "Ó", "Ỏ", "Õ", "Ọ"}},
	{"O", CIRC, {"Ô", "Ồ", "Ố", "Ổ", "Ỗ", "Ộ"}},
	{"O", HORN, {"Ơ", "Ờ", "Ớ", "Ở", "Ỡ", "Ợ"}},
	{"U", 0, {NULL, "Ù", "Ú", "Ủ", "Ũ", "Ụ"}},
	{"U", HORN, {"Ư", "Ừ", "Ứ", "Ử", "Ữ", "Ự"}},
	{"Y", 0, {NULL, "Ỳ", "Ý", "Ỷ", "Ỹ", "Ỵ"}},
};
static const char *const strokes[] = {"đ", "Đ"};

/* ---- helpers ---------------------------------------------------------------------------------------- */

static void put_cp(char *dst, size_t *len, uint32_t cp)
{
	*len += (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)dst + *len);
}

/* Spells base + modifier + tone in canonical (NFD) order: the dot below (class 220) sorts before
 * breve and circumflex (230), the horn (216) before everything, and same-class marks keep their order. */
static void spell_nfd(char *dst, const char *base, uint32_t mod, uint32_t tone)
{
	size_t len = 1;
	dst[0] = base[0];
	if (tone == DOT && (mod == BREVE || mod == CIRC)) {
		put_cp(dst, &len, DOT);
		put_cp(dst, &len, mod);
	} else {
		if (mod)
			put_cp(dst, &len, mod);
		if (tone)
			put_cp(dst, &len, tone);
	}
	dst[len] = '\0';
}

typedef int (*conv_fn)(const char *s, size_t n, buf_t *out);

static void expect_conv(conv_fn fn, const char *in, size_t n, const char *want)
{
	buf_t b;
	buf_init(&b, 0);
	assert_int_equal(fn(in, n, &b), 0);
	assert_string_equal(buf_cstr(&b), want);
	assert_int_equal(b.len, strlen(want));
	buf_release(&b);
}

#define NFC(in, want) expect_conv(utf8_nfc, in, sizeof(in) - 1, want)
#define FOLD(in, want) expect_conv(utf8_fold, in, sizeof(in) - 1, want)

static void expect_slug(const char *in, size_t max, const char *want)
{
	buf_t b;
	buf_init(&b, 0);
	assert_int_equal(utf8_slug(in, strlen(in), &b, max), 0);
	assert_string_equal(buf_cstr(&b), want);
	buf_release(&b);
}

static char *nfd_of(const char *s)
{
	char *d = (char *)utf8proc_NFD((const utf8proc_uint8_t *)s);
	assert_non_null(d);
	return d;
}

/* ---- utf8_valid ------------------------------------------------------------------------------------- */

static void test_valid(void **state)
{
	static const struct {
		const char *s;
		size_t n;
		int ok;
	} cases[] = {
		{"", 0, 1},
		{"abc", 3, 1},
		{"Bế mạc Hội nghị Đảng bộ", sizeof("Bế mạc Hội nghị Đảng bộ") - 1, 1},
		{"中华人民共和国", sizeof("中华人民共和国") - 1, 1},
		{"a\0b", 3, 1},                       /* NUL is well-formed */
		{"\xED\x9F\xBF", 3, 1},               /* U+D7FF, just below the surrogates */
		{"\xEE\x80\x80", 3, 1},               /* U+E000, just above */
		{"\xEF\xBF\xBF", 3, 1},               /* U+FFFF, a noncharacter but well-formed */
		{"\xF0\x90\x80\x80", 4, 1},           /* U+10000 */
		{"\xF4\x8F\xBF\xBF", 4, 1},           /* U+10FFFF */
		{"\x80", 1, 0},                       /* stray continuation */
		{"\xC3", 1, 0},                       /* truncated */
		{"\xE1\xBA", 2, 0},                   /* truncated ạ */
		{"a\xE1\xBAx", 4, 0},
		{"\xC0\x80", 2, 0},                   /* overlong NUL */
		{"\xC1\xBF", 2, 0},                   /* overlong */
		{"\xE0\x80\x80", 3, 0},               /* overlong */
		{"\xE0\x9F\xBF", 3, 0},               /* overlong */
		{"\xF0\x80\x80\x80", 4, 0},           /* overlong */
		{"\xF0\x8F\xBF\xBF", 4, 0},           /* overlong */
		{"\xED\xA0\x80", 3, 0},               /* surrogate D800 */
		{"\xED\xBF\xBF", 3, 0},               /* surrogate DFFF */
		{"\xF4\x90\x80\x80", 4, 0},           /* U+110000 */
		{"\xF5\x80\x80\x80", 4, 0},
		{"\xFE", 1, 0},
		{"\xFF", 1, 0},
		{"h\xE1\xBB\x99i", 5, 1},             /* hội */
		{"h\xE1\xBB\x99", 3, 0},              /* cut by length */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (utf8_valid(cases[i].s, cases[i].n) != cases[i].ok)
			fail_msg("case %zu: utf8_valid gave %d", i, !cases[i].ok);
	}
}

/* ---- utf8_nfc --------------------------------------------------------------------------------------- */

static void test_nfc_nfd_equal(void **state)
{
	static const char *const texts[] = {
		"Bế mạc Hội nghị Đảng bộ",
		"Ủy ban nhân dân tỉnh Quảng Ngãi thông báo lịch tiếp công dân",
		"Thủ tục hành chính: cấp giấy chứng nhận quyền sử dụng đất",
		"Ngữ, Ựa, Ưỡn, Ỷ, Ặc, Ậm",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char *nfd = nfd_of(texts[i]);
		assert_true(strlen(nfd) > strlen(texts[i])); /* really decomposed */
		assert_true(utf8_valid(nfd, strlen(nfd)));
		expect_conv(utf8_nfc, nfd, strlen(nfd), texts[i]);
		expect_conv(utf8_nfc, texts[i], strlen(texts[i]), texts[i]);
		free(nfd);
	}
	/* A mark typed in a non-canonical order still composes. */
	NFC("a\xCC\x82\xCC\xA3", "ậ");
	NFC("a\xCC\xA3\xCC\x82", "ậ");
	/* Compatibility characters are not NFC's business: full-width digits stay. */
	NFC("\xEF\xBC\x92\xEF\xBC\x90", "\xEF\xBC\x92\xEF\xBC\x90");
}

static void test_nfc_appends(void **state)
{
	buf_t b;
	buf_init(&b, 0);
	assert_int_equal(buf_puts(&b, "x:"), 0);
	assert_int_equal(utf8_nfc("ê", sizeof("ê") - 1, &b), 0);
	assert_int_equal(utf8_nfc("", 0, &b), 0);
	assert_string_equal(buf_cstr(&b), "x:ê");
	buf_release(&b);
}

static void test_nfc_invalid(void **state)
{
	NFC("a\xFF" "b", "a" FFFD "b");
	NFC("\x80", FFFD);
	NFC("\xC3", FFFD);
	/* One U+FFFD per maximal ill-formed subpart: a truncated sequence costs one, and the byte that
	 * broke it is kept. */
	NFC("\xE1\xBA", FFFD);
	NFC("\xE1\xBA" "x", FFFD "x");
	NFC("\xF0\x9F\x98" "!", FFFD "!");
	/* Bytes that can never start a well-formed sequence cost one each. */
	NFC("\xC0\xAF", FFFD FFFD);
	NFC("\xED\xA0\x80", FFFD FFFD FFFD);
	NFC("\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD);
	NFC("\xE0\x80\x80", FFFD FFFD FFFD);
	/* Latin-1 bytes pasted into a UTF-8 form. */
	NFC("H\xE0 N\xF4i", "H" FFFD " N" FFFD "i");
	/* A broken byte between a letter and its decomposed accent does not let them compose. */
	NFC("e\xFF\xCC\x82", "e" FFFD "\xCC\x82");
	/* The result is always valid. */
	{
		buf_t b;
		static const char junk[] = "\xFF\xFE\xC0\x80\xED\xA0\x80\xF8\x88\x80\x80\x80ok";
		buf_init(&b, 0);
		assert_int_equal(utf8_nfc(junk, sizeof(junk) - 1, &b), 0);
		assert_true(utf8_valid(b.data, b.len));
		buf_release(&b);
	}
}

static void test_nfc_controls(void **state)
{
	static const char in[] = "a\x01" "b\tc\nd\re\x7f\x00" "f\x1b[0m\x08g\x0b\x0ch";
	expect_conv(utf8_nfc, in, sizeof(in) - 1, "ab\tc\nd\ref[0mgh");
	/* Every C0 control but the three, and DEL. */
	for (int c = 0; c < 0x80; c++) {
		char s[3] = {'x', (char)c, 'y'};
		buf_t b;
		int kept = c >= 0x20 ? c != 0x7F : (c == '\t' || c == '\n' || c == '\r');
		buf_init(&b, 0);
		assert_int_equal(utf8_nfc(s, 3, &b), 0);
		assert_int_equal(b.len, kept ? 3 : 2);
		buf_release(&b);
	}
	/* Controls inside a decomposed word vanish and the word still composes. */
	{
		static const char w[] = "Vi\x01" "e\xCC\x82\x02\xCC\xA3t";
		expect_conv(utf8_nfc, w, sizeof(w) - 1, "Việt");
	}
}

static void test_nfc_cap(void **state)
{
	static const char s[] = "Đảng bộ"; /* 11 bytes */
	buf_t b;

	buf_init(&b, 5);
	assert_int_equal(utf8_nfc(s, sizeof(s) - 1, &b), -1);
	assert_true(b.overflow);
	assert_int_equal(b.len, 0); /* nothing half-written */
	assert_int_equal(utf8_nfc("a", 1, &b), -1); /* stays failed */
	buf_release(&b);

	buf_init(&b, sizeof(s) - 1); /* exact fit */
	assert_int_equal(utf8_nfc(s, sizeof(s) - 1, &b), 0);
	assert_string_equal(buf_cstr(&b), s);
	buf_release(&b);

	/* The cap counts the output, not the input: longer NFD input fits a cap sized for its NFC form. */
	{
		char *nfd = nfd_of(s);
		buf_init(&b, sizeof(s) - 1);
		assert_int_equal(utf8_nfc(nfd, strlen(nfd), &b), 0);
		assert_string_equal(buf_cstr(&b), s);
		buf_release(&b);
		free(nfd);
	}

	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "abc"), 0);
	assert_int_equal(utf8_fold(s, sizeof(s) - 1, &b), -1);
	assert_string_equal(buf_cstr(&b), "abc");
	buf_release(&b);
}

/* ---- utf8_fold -------------------------------------------------------------------------------------- */

static void test_fold_vietnamese_letters(void **state)
{
	size_t lower = 0, upper = 0;
	buf_t b;

	buf_init(&b, 0);
	for (size_t r = 0; r < sizeof(vowels) / sizeof(vowels[0]); r++) {
		const struct vrow *v = &vowels[r];
		char want[2] = {(char)(v->base[0] | 0x20), '\0'};
		int is_upper = v->base[0] >= 'A' && v->base[0] <= 'Z';
		for (int t = 0; t < 6; t++) {
			const char *letter = v->forms[t];
			char nfd[16];
			char *ref;
			if (!letter)
				continue;
			*(is_upper ? &upper : &lower) += 1;
			spell_nfd(nfd, v->base, v->mod, tones[t]);
			/* The hand-written table and the hand-spelled decomposition agree with Unicode... */
			ref = nfd_of(letter);
			if (strcmp(ref, nfd) != 0)
				fail_msg("%s: table NFD does not match Unicode", letter);
			free(ref);
			/* ...the precomposed letter is one code point... */
			assert_true(strlen(letter) >= 2 && strlen(letter) <= 3);
			assert_string_not_equal(nfd, letter);
			/* ...NFD input composes back to it... */
			buf_reset(&b);
			assert_int_equal(utf8_nfc(nfd, strlen(nfd), &b), 0);
			if (strcmp(buf_cstr(&b), letter) != 0)
				fail_msg("nfc of decomposed %s gave \"%s\"", letter, buf_cstr(&b));
			/* ...and both forms fold to the bare ASCII letter. */
			buf_reset(&b);
			assert_int_equal(utf8_fold(letter, strlen(letter), &b), 0);
			if (strcmp(buf_cstr(&b), want) != 0)
				fail_msg("fold(%s) gave \"%s\", want \"%s\"", letter, buf_cstr(&b), want);
			buf_reset(&b);
			assert_int_equal(utf8_fold(nfd, strlen(nfd), &b), 0);
			if (strcmp(buf_cstr(&b), want) != 0)
				fail_msg("fold(decomposed %s) gave \"%s\", want \"%s\"", letter, buf_cstr(&b), want);
			buf_reset(&b);
			assert_int_equal(utf8_slug(nfd, strlen(nfd), &b, 10), 0);
			assert_string_equal(buf_cstr(&b), want);
		}
	}
	/* đ/Đ have no decomposition (the stroke is not a combining mark): NFD leaves them alone, and
	 * folding must map them itself. */
	for (size_t i = 0; i < 2; i++) {
		char *nfd = nfd_of(strokes[i]);
		assert_string_equal(nfd, strokes[i]);
		free(nfd);
		buf_reset(&b);
		assert_int_equal(utf8_fold(strokes[i], strlen(strokes[i]), &b), 0);
		assert_string_equal(buf_cstr(&b), "d");
		*(i ? &upper : &lower) += 1;
	}
	assert_int_equal(lower, 67);
	assert_int_equal(upper, 67);
	buf_release(&b);
}

static void test_fold_text(void **state)
{
	FOLD("Bế mạc Hội nghị Đảng bộ", "be mac hoi nghi dang bo");
	FOLD("ĐẢNG BỘ TỈNH", "dang bo tinh");
	FOLD("Quốc lộ 1A, km 15+200", "quoc lo 1a, km 15+200");
	/* Lookalike eth from some keyboards and PDF extractions. */
	FOLD("\xC3\x90\xC3\xA0 N\xE1\xBA\xB5ng", "da nang");
	FOLD("\xE1\xB6\x9E", "d"); /* modifier small eth: becomes ð only under compatibility decomposition */
	/* Search-only normalisations: full-width digits and letters, soft hyphen, ligature, sharp s. */
	FOLD("\xEF\xBC\x92\xEF\xBC\x90\xEF\xBC\x92\xEF\xBC\x94 \xEF\xBC\xA1", "2024 a");
	FOLD("H\xC3\xA0\xC2\xADN\xE1\xBB\x99i", "hanoi");
	FOLD("\xEF\xAC\x81le", "file");
	FOLD("Stra\xC3\x9F" "e", "strasse");
	/* No Latin letters: passes through. */
	FOLD("中华人民共和国", "中华人民共和国");
	/* Same cleaning as utf8_nfc. */
	FOLD("Vi\xFF\x01t", "vi" FFFD "t");
	{
		char *nfd = nfd_of("Bế mạc Hội nghị Đảng bộ");
		expect_conv(utf8_fold, nfd, strlen(nfd), "be mac hoi nghi dang bo");
		free(nfd);
	}
}

/* Folding must be idempotent (the index stores folded text and queries are folded again) and its output
 * NFC; checked for every code point, each between two letters so composition with neighbours shows. */
static void test_fold_all_codepoints(void **state)
{
	buf_t a, b;

	buf_init(&a, 0);
	buf_init(&b, 0);
	for (int32_t cp = 0; cp < 0x110000; cp++) {
		char in[8] = {'x'};
		size_t n;
		if (cp >= 0xD800 && cp < 0xE000)
			continue;
		n = 1 + (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)in + 1);
		in[n++] = 'y';
		buf_reset(&a);
		buf_reset(&b);
		assert_int_equal(utf8_fold(in, n, &a), 0);
		assert_true(utf8_valid(a.data, a.len));
		assert_null(strstr(a.data, "đ"));
		assert_null(strstr(a.data, "ð"));
		assert_int_equal(utf8_fold(a.data, a.len, &b), 0);
		if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
			fail_msg("fold is not idempotent for U+%04X", (unsigned)cp);
		buf_reset(&b);
		assert_int_equal(utf8_nfc(a.data, a.len, &b), 0);
		if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
			fail_msg("fold output is not NFC for U+%04X", (unsigned)cp);
	}
	buf_release(&a);
	buf_release(&b);
}

/* ---- utf8_slug -------------------------------------------------------------------------------------- */

static void test_slug_examples(void **state)
{
	expect_slug("Bế mạc Hội nghị Đảng bộ", 200, "be-mac-hoi-nghi-dang-bo");
	{
		char *nfd = nfd_of("Bế mạc Hội nghị Đảng bộ");
		expect_slug(nfd, 200, "be-mac-hoi-nghi-dang-bo");
		free(nfd);
	}
	expect_slug("  --Xin   chào!!! Việt Nam…  ", 200, "xin-chao-viet-nam");
	expect_slug("Thành phố Hồ Chí Minh", 200, "thanh-pho-ho-chi-minh");
	expect_slug("C++ & Python 3.12", 200, "c-python-3-12");
	expect_slug("Quyết định số 123/QĐ-UBND", 200, "quyet-dinh-so-123-qd-ubnd");
	expect_slug("\xF0\x9F\x87\xBB\xF0\x9F\x87\xB3 Việt Nam \xF0\x9F\x8E\x89", 200, "viet-nam");
	expect_slug("Năm \xEF\xBC\x92\xEF\xBC\x90\xEF\xBC\x92\xEF\xBC\x94", 200, "nam-2024");
	expect_slug("a\tb\nc", 200, "a-b-c");
	expect_slug("---", 200, "");
	expect_slug("", 200, "");
	/* Mixed scripts keep the Latin part. */
	expect_slug("越南 Việt Nam 2024", 200, "viet-nam-2024");
}

static void test_slug_chinese_empty(void **state)
{
	static const char *const zh[] = {"中华人民共和国", "越南社会主义共和国，省人民委员会。", "，。！"};
	buf_t b;
	buf_init(&b, 0);
	for (size_t i = 0; i < sizeof(zh) / sizeof(zh[0]); i++) {
		buf_reset(&b);
		assert_int_equal(utf8_slug(zh[i], strlen(zh[i]), &b, 80), 0);
		assert_int_equal(b.len, 0);
		assert_string_equal(buf_cstr(&b), "");
	}
	buf_release(&b);
}

static void test_slug_max(void **state)
{
	static const char s[] = "Bế mạc Hội nghị Đảng bộ"; /* be-mac-hoi-nghi-dang-bo: 23 bytes */
	static const struct {
		size_t max;
		const char *want;
	} cases[] = {
		{0, ""},
		{1, "b"},            /* the first word alone is longer: hard cut */
		{2, "be"},           /* ends exactly on a word */
		{3, "be"},           /* never a trailing '-' */
		{5, "be"},
		{6, "be-mac"},
		{9, "be-mac"},
		{10, "be-mac-hoi"},
		{14, "be-mac-hoi"},
		{15, "be-mac-hoi-nghi"},
		{22, "be-mac-hoi-nghi-dang"},
		{23, "be-mac-hoi-nghi-dang-bo"},
		{24, "be-mac-hoi-nghi-dang-bo"},
		{(size_t)-1, "be-mac-hoi-nghi-dang-bo"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_slug(s, cases[i].max, cases[i].want);
	expect_slug("Nghiêngnghiêng ngả", 5, "nghie");
	expect_slug("Nghiêngnghiêng ngả", 15, "nghiengnghieng");

	/* Every max gives a prefix of the full slug, within max, ending on a letter or digit. */
	for (size_t max = 0; max < 30; max++) {
		buf_t b;
		buf_init(&b, 0);
		assert_int_equal(utf8_slug(s, sizeof(s) - 1, &b, max), 0);
		assert_true(b.len <= max);
		assert_memory_equal(buf_cstr(&b), "be-mac-hoi-nghi-dang-bo", b.len);
		if (b.len)
			assert_true(b.data[b.len - 1] != '-');
		buf_release(&b);
	}
}

static void test_slug_cap(void **state)
{
	static const char ex[] = "Bế mạc Hội nghị Đảng bộ";
	buf_t b;

	buf_init(&b, 10);
	assert_int_equal(utf8_slug(ex, sizeof(ex) - 1, &b, 80), -1);
	assert_true(b.overflow);
	assert_int_equal(b.len, 0);
	buf_release(&b);

	/* A max that fits the cap succeeds. */
	buf_init(&b, 10);
	assert_int_equal(utf8_slug(ex, sizeof(ex) - 1, &b, 10), 0);
	assert_string_equal(buf_cstr(&b), "be-mac-hoi");
	buf_release(&b);

	buf_init(&b, 12);
	assert_int_equal(buf_puts(&b, "bai-"), 0);
	assert_int_equal(utf8_slug("Đảng bộ tỉnh", sizeof("Đảng bộ tỉnh") - 1, &b, 80), -1);
	assert_string_equal(buf_cstr(&b), "bai-");
	buf_release(&b);
}

/* ---- utf8_trunc ------------------------------------------------------------------------------------- */

static void test_trunc(void **state)
{
	static const char dang[] = "Đảng"; /* C4 90 | E1 BA A3 | n g */
	static const size_t want[] = {0, 0, 2, 2, 2, 5, 6, 7, 7, 7};
	static const char emoji[] = "a\xF0\x9F\x98\x80" "b";

	for (size_t max = 0; max < sizeof(want) / sizeof(want[0]); max++)
		assert_int_equal(utf8_trunc(dang, sizeof(dang) - 1, max), want[max]);
	for (size_t max = 1; max < 5; max++)
		assert_int_equal(utf8_trunc(emoji, sizeof(emoji) - 1, max), 1);
	assert_int_equal(utf8_trunc(emoji, sizeof(emoji) - 1, 5), 5);
	assert_int_equal(utf8_trunc("abc", 3, 100), 3);
	assert_int_equal(utf8_trunc("abc", 2, 100), 2);
	assert_int_equal(utf8_trunc("", 0, 0), 0);
	/* Already-broken input: stray continuation bytes may be cut anywhere. */
	assert_int_equal(utf8_trunc("\x80\x80\x80\x80\x80", 5, 2), 2);
	assert_int_equal(utf8_trunc("a\x80\x80", 3, 2), 2);
	assert_int_equal(utf8_trunc("\xC3\xA9\x80\x80", 4, 2), 2);
	assert_int_equal(utf8_trunc("\xC3\xA9\x80\x80", 4, 3), 3);
	assert_int_equal(utf8_trunc("x\x80\x80\x80\x80\x80", 6, 5), 5);

	/* Any cut of valid text leaves valid text, and loses less than one character. */
	{
		static const char s[] = "Ủy ban nhân dân tỉnh — 越南 😀 Đảng";
		for (size_t max = 0; max <= sizeof(s); max++) {
			size_t k = utf8_trunc(s, sizeof(s) - 1, max);
			assert_true(k <= max);
			assert_true(utf8_valid(s, k));
			assert_true(max - k < 4 || k == sizeof(s) - 1);
		}
	}
}

/* ---- random input ----------------------------------------------------------------------------------- */

static uint32_t rng_state = 0x9E3779B9u;
static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* Random byte strings biased toward what breaks decoders: fragments of real text, lead bytes,
 * continuation bytes, controls and combining marks. */
static size_t random_text(char *dst, size_t cap)
{
	static const char *const bits[] = {"ế", "Đ", "ư", "\xCC\x81", "\xCC\xA3", "中", "😀", " ", "-", "a",
					   "Z", "9", "\x00", "\x1b", "\x7f", "\t", "\xC2\x85", "\xEF\xBC\x92"};
	size_t n = 0, want = rng() % cap;
	while (n < want) {
		uint32_t r = rng() % 4;
		if (r == 0) {
			const char *b = bits[rng() % (sizeof(bits) / sizeof(bits[0]))];
			size_t l = b[0] ? strlen(b) : 1;
			if (n + l > cap)
				break;
			memcpy(dst + n, b, l);
			n += l;
		} else if (r == 1) {
			dst[n++] = (char)(0x80 + rng() % 0x40);
		} else if (r == 2) {
			dst[n++] = (char)(0xC0 + rng() % 0x40);
		} else {
			dst[n++] = (char)(rng() % 0x80);
		}
	}
	return n;
}

static void test_random(void **state)
{
	char in[96];
	buf_t a, b, c;

	buf_init(&a, 0);
	buf_init(&b, 0);
	buf_init(&c, 0);
	for (int iter = 0; iter < 20000; iter++) {
		size_t n = random_text(in, sizeof(in));
		size_t max = rng() % 40;
		int valid = 1;

		for (utf8proc_ssize_t i = 0; i < (utf8proc_ssize_t)n;) {
			utf8proc_int32_t cp;
			utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)in + i, (utf8proc_ssize_t)n - i, &cp);
			if (l < 0) {
				valid = 0;
				break;
			}
			i += l;
		}
		assert_int_equal(utf8_valid(in, n), valid);

		buf_reset(&a);
		buf_reset(&b);
		assert_int_equal(utf8_nfc(in, n, &a), 0);
		assert_true(utf8_valid(a.data, a.len));
		for (size_t i = 0; i < a.len; i++) {
			unsigned char ch = (unsigned char)a.data[i];
			assert_false((ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0x7F);
		}
		assert_int_equal(utf8_nfc(a.data, a.len, &b), 0); /* idempotent */
		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.data, b.data, a.len);
		if (valid) {
			size_t k = utf8_trunc(in, n, max);
			assert_true(k <= max || k == n);
			assert_true(utf8_valid(in, k));
		}

		buf_reset(&b);
		buf_reset(&c);
		assert_int_equal(utf8_fold(in, n, &b), 0);
		assert_true(utf8_valid(b.data, b.len));
		assert_int_equal(utf8_fold(b.data, b.len, &c), 0); /* a folded query folds to itself */
		assert_int_equal(b.len, c.len);
		assert_memory_equal(b.data, c.data, b.len);

		buf_reset(&c);
		assert_int_equal(utf8_slug(in, n, &c, max), 0);
		assert_true(c.len <= max);
		for (size_t i = 0; i < c.len; i++) {
			char ch = c.data[i];
			assert_true((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-');
			if (ch == '-')
				assert_true(i > 0 && i + 1 < c.len && c.data[i + 1] != '-');
		}
	}
	buf_release(&a);
	buf_release(&b);
	buf_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_nfc_nfd_equal),
		cmocka_unit_test(test_nfc_appends),
		cmocka_unit_test(test_nfc_invalid),
		cmocka_unit_test(test_nfc_controls),
		cmocka_unit_test(test_nfc_cap),
		cmocka_unit_test(test_fold_vietnamese_letters),
		cmocka_unit_test(test_fold_text),
		cmocka_unit_test(test_fold_all_codepoints),
		cmocka_unit_test(test_slug_examples),
		cmocka_unit_test(test_slug_chinese_empty),
		cmocka_unit_test(test_slug_max),
		cmocka_unit_test(test_slug_cap),
		cmocka_unit_test(test_trunc),
		cmocka_unit_test(test_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
