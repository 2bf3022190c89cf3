#include "core/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <utf8proc.h>

/* Decodes one sequence at s (n >= 1).  Returns the bytes consumed and the code point in *cp, or -1 in
 * *cp for an ill-formed sequence, consuming its maximal subpart (at least one byte): this is the
 * Unicode-recommended way to substitute U+FFFD, and what browsers do, so "\xE1\x80x" costs one U+FFFD
 * and keeps the x.  The byte ranges are those of Unicode table 3-7, which leave out overlongs,
 * surrogates and anything past U+10FFFF. */
static size_t decode(const unsigned char *s, size_t n, int32_t *cp)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t len;
	int32_t v;

	*cp = -1;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0; /* overlong below */
		else if (c == 0xED)
			hi = 0x9F; /* surrogates above */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F; /* past U+10FFFF above */
	} else {
		return 1;
	}
	for (size_t i = 1; i < len; i++) {
		if (i >= n || s[i] < lo || s[i] > hi)
			return i;
		v = (v << 6) | (s[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = v;
	return len;
}

/* Controls have no business in stored text (they break logs, terminals and XML feeds); tab and line
 * breaks are kept because textareas send them. */
static int dropped(int32_t cp)
{
	return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F;
}

int utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	int32_t cp;

	for (size_t i = 0; i < n;) {
		i += decode(p + i, n - i, &cp);
		if (cp < 0)
			return 0;
	}
	return 1;
}

/* Gives utf8proc input it accepts: ill-formed bytes become U+FFFD and controls go.  Most input is
 * already clean, so it is passed through uncopied; otherwise the cleaned copy is built in tmp. */
static int clean(const char *s, size_t n, buf_t *tmp, const char **res, size_t *reslen)
{
	static const char fffd[] = "\xEF\xBF\xBD";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run;
	int32_t cp;

	while (i < n) {
		size_t len = decode(p + i, n - i, &cp);
		if (cp < 0 || dropped(cp))
			break;
		i += len;
	}
	if (i == n) {
		*res = s;
		*reslen = n;
		return 0;
	}
	/* The copy is at most 3n bytes (one U+FFFD per bad byte), so no cap beyond memory is needed. */
	buf_init(tmp, SIZE_MAX);
	run = 0;
	for (i = 0; i < n;) {
		size_t len = decode(p + i, n - i, &cp);
		if (cp < 0 || dropped(cp)) {
			if (buf_append(tmp, s + run, i - run) < 0 || (cp < 0 && buf_append(tmp, fffd, 3) < 0))
				return -1;
			run = i + len;
		}
		i += len;
	}
	if (buf_append(tmp, s + run, n - run) < 0)
		return -1;
	*res = buf_cstr(tmp);
	*reslen = tmp->len;
	return 0;
}

/* utf8proc's stripmark removes combining marks after canonical decomposition, but đ (U+0111) is a
 * letter with a stroke, not d plus a mark, so it has no decomposition and would survive folding; a
 * search for "dang" must still find "Đảng".  ð (eth) goes too: its capital Ð is indistinguishable from
 * Đ and some keyboards and PDF extractions produce it.  This runs on utf8proc's output rather than as
 * its custom mapping because that mapping sees code points before compatibility decomposition, so
 * ᶞ (U+1D9E) would still turn into ð and the fold would not be idempotent.  Case folding has already
 * made Đ/Ð lowercase; both forms are two bytes and 'd' is one, so this compacts in place, and no
 * combining mark is left that could compose with the new d. */
static size_t fold_stroke(utf8proc_uint8_t *d, size_t len)
{
	size_t w = 0;

	for (size_t r = 0; r < len; r++) {
		if (r + 1 < len && ((d[r] == 0xC4 && d[r + 1] == 0x91) || (d[r] == 0xC3 && d[r + 1] == 0xB0))) {
			d[w++] = 'd';
			r++;
		} else {
			d[w++] = d[r];
		}
	}
	d[w] = '\0';
	return w;
}

/* Runs s through clean and then utf8proc with the given options (and fold_stroke when folding).
 * Returns the length of the malloc'd, NUL-terminated result in *dst (caller frees), or -1. */
static ptrdiff_t transform(const char *s, size_t n, utf8proc_option_t opt, int fold, utf8proc_uint8_t **dst)
{
	buf_t tmp = {0};
	const char *in;
	size_t inlen;
	utf8proc_ssize_t r = -1;

	*dst = NULL;
	if (clean(s, n, &tmp, &in, &inlen) < 0 || inlen > (size_t)PTRDIFF_MAX)
		goto out;
	r = utf8proc_map((const utf8proc_uint8_t *)in, (utf8proc_ssize_t)inlen, dst, opt);
	if (r < 0) {
		/* Cleaned input can only fail for want of memory, but never hand back a stale pointer. */
		free(*dst);
		*dst = NULL;
		r = -1;
	} else if (fold) {
		r = (ptrdiff_t)fold_stroke(*dst, (size_t)r);
	}
out:
	buf_release(&tmp);
	return r;
}

/* Appends a transformed string in one piece, so a failure leaves out as it was (but marked, as buf does
 * for its own allocation failures, so that a caller checking only at the end still notices). */
static int transform_append(const char *s, size_t n, utf8proc_option_t opt, int fold, buf_t *out)
{
	utf8proc_uint8_t *d;
	ptrdiff_t len = transform(s, n, opt, fold, &d);
	int rc;

	if (len < 0) {
		out->overflow = 1;
		return -1;
	}
	rc = buf_append(out, d, (size_t)len);
	free(d);
	return rc;
}

/* STABLE follows Unicode's normalisation stability policy, so text stored as NFC stays NFC when utf8proc
 * is upgraded. */
#define NFC_OPTS (UTF8PROC_STABLE | UTF8PROC_COMPOSE)
/* COMPAT and IGNORE go beyond the letter of "NFC + fold" because search wants them: a query typed on a
 * Chinese IME yields full-width digits, and pasted text carries soft hyphens inside words. */
#define FOLD_OPTS                                                                                          \
	(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |   \
	 UTF8PROC_IGNORE)

int utf8_nfc(const char *s, size_t n, buf_t *out)
{
	return transform_append(s, n, NFC_OPTS, 0, out);
}

int utf8_fold(const char *s, size_t n, buf_t *out)
{
	return transform_append(s, n, FOLD_OPTS, 1, out);
}

int utf8_slug(const char *s, size_t n, buf_t *out, size_t max)
{
	utf8proc_uint8_t *d;
	ptrdiff_t len = transform(s, n, FOLD_OPTS, 1, &d);
	size_t w = 0;
	int gap = 0, rc;

	if (len < 0) {
		out->overflow = 1;
		return -1;
	}
	/* Compacts in place: the slug is never longer than the folded text, because every '-' stands for at
	 * least one byte that was skipped, so the write index never passes the read index. */
	for (size_t r = 0; r < (size_t)len; r++) {
		unsigned char c = d[r];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (gap && w)
				d[w++] = '-';
			d[w++] = c;
			gap = 0;
		} else {
			gap = 1;
		}
	}
	if (w > max) {
		/* d[max] == '-' means the first max bytes end on a whole word.  Otherwise back off to the last
		 * '-' so no word is cut in half, unless there is none: then a cut word beats an empty slug. */
		size_t cut = max;
		if (d[max] != '-') {
			size_t p = max;
			while (p > 0 && d[p - 1] != '-')
				p--;
			if (p > 0)
				cut = p - 1;
		}
		w = cut;
	}
	rc = buf_append(out, d, w);
	free(d);
	return rc;
}

size_t utf8_trunc(const char *s, size_t n, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t lead, need;

	if (n <= max)
		return n;
	/* A cut at max is safe unless s[max] continues a sequence that starts at most 3 bytes earlier. */
	for (lead = max; lead > 0 && max - lead < 3 && (p[lead] & 0xC0) == 0x80; lead--)
		;
	if (lead == max || (p[lead] & 0xC0) == 0x80)
		return max;
	need = p[lead] >= 0xF0 ? 4 : p[lead] >= 0xE0 ? 3 : p[lead] >= 0xC0 ? 2 : 1;
	/* Continuation bytes past the lead's own sequence are strays: the input was broken already. */
	return lead + need > max ? lead : max;
}
