/* search/query: folding, query parsing, MATCH building and highlighting (see query.h). */
#include "search/query.h"

#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

#include "core/utf8.h"

/* Decodes the code point at s (n >= 1); returns its length (1 for a bad byte, reported as U+FFFD). */
static size_t sq_next(const char *s, size_t n, int32_t *cp)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &c);
	if (len <= 0) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = c;
	return (size_t)len;
}

/* Scripts written without spaces between words: indexed as bigrams. */
static int sq_cjk(int32_t c)
{
	return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
	       (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF);
}

/* A character FTS5's unicode61 tokenizer keeps inside a token (its default: L*, N*, Co); marks too, so
 * that an original accented word stays one word when highlighting. */
static int sq_wordch(int32_t c)
{
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
	case UTF8PROC_CATEGORY_CO: case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
		return 1;
	default:
		return 0;
	}
}

int search_fold(const char *s, size_t n, int for_query, buf_t *out)
{
	buf_t f;
	int rc = -1;
	size_t start = out->len;

	buf_init(&f, out->max ? out->max : BUF_DEFAULT_MAX);
	if (utf8_fold(s, n, &f) < 0)
		goto out;
	const char *p = buf_cstr(&f), *end = p + f.len;
	while (p < end) {
		int32_t c;
		size_t l = sq_next(p, (size_t)(end - p), &c);
		if (!sq_cjk(c)) {
			if (buf_append(out, p, l) < 0)
				goto out;
			p += l;
			continue;
		}
		/* a CJK run: "a b c d" → " ab bc cd d " (the lone last character only in the index) */
		const char *run = p;
		size_t chars = 0;
		while (p < end) {
			size_t k = sq_next(p, (size_t)(end - p), &c);
			if (!sq_cjk(c))
				break;
			p += k;
			chars++;
		}
		if (buf_putc(out, ' ') < 0)
			goto out;
		const char *q = run;
		for (size_t i = 0; i < chars; i++) {
			int32_t c1;
			size_t l1 = sq_next(q, (size_t)(p - q), &c1);
			if (i + 1 < chars) {
				size_t l2 = sq_next(q + l1, (size_t)(p - q - l1), &c1);
				if (buf_append(out, q, l1 + l2) < 0 || buf_putc(out, ' ') < 0)
					goto out;
			} else if (chars == 1 || !for_query) {
				if (buf_append(out, q, l1) < 0 || buf_putc(out, ' ') < 0)
					goto out;
			}
			q += l1;
		}
	}
	rc = 0;
out:
	if (rc < 0 && out->len > start) { /* nothing appended on failure */
		out->len = start;
		out->data[start] = '\0';
		out->overflow = 1;
	}
	buf_release(&f);
	return rc;
}

/* The FTS5 phrase of a folded term: its tokens double-quoted ("hoi nghi"); a single CJK character, which
 * the index holds only as the first half of bigrams, becomes a prefix query ("省"*).  NULL when the term
 * has no token. */
static char *sq_phrase(arena_t *a, const char *raw, size_t n)
{
	buf_t f, m;
	char *res = NULL;
	int ntok = 0, lastcjk = 0, lastchars = 0;

	buf_init(&f, 64 * 1024);
	buf_init(&m, 64 * 1024);
	if (search_fold(raw, n, 1, &f) < 0)
		goto out;
	buf_putc(&m, '"');
	const char *p = buf_cstr(&f), *end = p + f.len;
	while (p < end) {
		int32_t c;
		size_t l = sq_next(p, (size_t)(end - p), &c);
		if (!sq_wordch(c)) {
			p += l;
			continue;
		}
		if (ntok++)
			buf_putc(&m, ' ');
		lastcjk = 0;
		lastchars = 0;
		while (p < end) {
			l = sq_next(p, (size_t)(end - p), &c);
			if (!sq_wordch(c))
				break;
			lastcjk |= sq_cjk(c);
			lastchars++;
			buf_append(&m, p, l); /* a token's characters never include '"' */
			p += l;
		}
	}
	buf_putc(&m, '"');
	if (ntok == 1 && lastcjk && lastchars == 1)
		buf_putc(&m, '*');
	if (ntok > 0 && !m.overflow)
		res = arena_strndup(a, buf_cstr(&m), m.len);
out:
	buf_release(&f);
	buf_release(&m);
	return res;
}

static int sq_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

int search_query_parse(arena_t *a, const char *q, search_query_t *out)
{
	buf_t clean;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	buf_init(&clean, SEARCH_MAX_QUERY * 4 + 64);
	if (!q)
		q = "";
	size_t n = utf8_trunc(q, strlen(q), SEARCH_MAX_QUERY);
	if (utf8_nfc(q, n, &clean) < 0)
		goto out;
	const char *p = buf_cstr(&clean), *end = p + clean.len;
	while (p < end && out->nterms < SEARCH_MAX_TERMS) {
		while (p < end && sq_space((unsigned char)*p))
			p++;
		if (p >= end)
			break;
		int exclude = 0, phrase = 0;
		if (*p == '-' && p + 1 < end && !sq_space((unsigned char)p[1]) && p[1] != '-') {
			exclude = 1;
			p++;
		}
		const char *s = p;
		if (*p == '"') {
			phrase = 1;
			s = ++p;
			while (p < end && *p != '"')
				p++;
		} else {
			while (p < end && !sq_space((unsigned char)*p) && *p != '"')
				p++;
		}
		size_t len = (size_t)(p - s);
		if (phrase && p < end)
			p++; /* the closing quote */
		char *match = sq_phrase(a, s, len);
		if (!match)
			continue; /* nothing searchable: punctuation, FTS operators made of symbols … */
		search_term_t *t = &out->terms[out->nterms++];
		buf_t f;
		buf_init(&f, 64 * 1024);
		utf8_fold(s, len, &f);
		t->raw = arena_strndup(a, s, len);
		t->fold = arena_strndup(a, buf_cstr(&f), f.len);
		buf_release(&f);
		t->match = match;
		t->phrase = phrase;
		t->exclude = exclude;
		if (!t->raw || !t->fold)
			goto out;
		out->npos += !exclude;
	}
	rc = out->nterms;
out:
	buf_release(&clean);
	return rc;
}

char *search_match_expr(arena_t *a, const search_query_t *q)
{
	buf_t m;
	char *res = NULL;
	int np = 0, nn = 0;

	if (q->npos == 0)
		return NULL;
	buf_init(&m, 64 * 1024);
	buf_putc(&m, '(');
	for (int i = 0; i < q->nterms; i++)
		if (!q->terms[i].exclude)
			buf_appendf(&m, "%s%s", np++ ? " AND " : "", q->terms[i].match);
	buf_putc(&m, ')');
	for (int i = 0; i < q->nterms; i++)
		if (q->terms[i].exclude)
			buf_appendf(&m, "%s%s", nn++ ? " OR " : " NOT (", q->terms[i].match);
	if (nn)
		buf_putc(&m, ')');
	if (!m.overflow)
		res = arena_strndup(a, buf_cstr(&m), m.len);
	buf_release(&m);
	return res;
}

char *search_query_text(arena_t *a, const search_query_t *q, int skip)
{
	buf_t m;
	buf_init(&m, 64 * 1024);
	for (int i = 0; i < q->nterms; i++) {
		const search_term_t *t = &q->terms[i];
		if (i == skip)
			continue;
		if (m.len)
			buf_putc(&m, ' ');
		buf_appendf(&m, t->phrase ? "%s\"%s\"" : "%s%s", t->exclude ? "-" : "", t->raw);
	}
	char *res = arena_strndup(a, buf_cstr(&m), m.len);
	buf_release(&m);
	return res;
}

/* ---- highlighting ------------------------------------------------------------------------------------ */

#define SQ_MAX_MARKS 256

typedef struct sq_mark {
	size_t from, to;
} sq_mark_t;

/* Is the folded word w (wn bytes) one of the Latin tokens of a positive term? */
static int sq_word_hit(const search_query_t *q, const char *w, size_t wn)
{
	for (int i = 0; i < q->nterms; i++) {
		if (q->terms[i].exclude)
			continue;
		const char *p = q->terms[i].fold, *end = p + strlen(p);
		while (p < end) {
			int32_t c;
			size_t l = sq_next(p, (size_t)(end - p), &c);
			if (!sq_wordch(c) || sq_cjk(c)) {
				p += l;
				continue;
			}
			const char *s = p;
			while (p < end) {
				l = sq_next(p, (size_t)(end - p), &c);
				if (!sq_wordch(c) || sq_cjk(c))
					break;
				p += l;
			}
			if ((size_t)(p - s) == wn && memcmp(s, w, wn) == 0)
				return 1;
		}
	}
	return 0;
}

static void sq_add(sq_mark_t *m, int *nm, size_t from, size_t to)
{
	if (*nm > 0 && from < m[*nm - 1].to) { /* overlapping CJK hits merge */
		if (to > m[*nm - 1].to)
			m[*nm - 1].to = to;
		return;
	}
	if (*nm < SQ_MAX_MARKS)
		m[(*nm)++] = (sq_mark_t){from, to};
}

/* Marks the CJK runs of the positive terms inside the word at text[ws..we). */
static void sq_cjk_hits(const search_query_t *q, const char *text, size_t ws, size_t we, sq_mark_t *m, int *nm)
{
	for (size_t pos = ws; pos < we;) {
		size_t best = 0;
		for (int i = 0; i < q->nterms; i++) {
			if (q->terms[i].exclude)
				continue;
			const char *p = q->terms[i].fold, *end = p + strlen(p);
			while (p < end) {
				int32_t c;
				size_t l = sq_next(p, (size_t)(end - p), &c);
				if (!sq_cjk(c)) {
					p += l;
					continue;
				}
				const char *s = p;
				while (p < end) {
					l = sq_next(p, (size_t)(end - p), &c);
					if (!sq_cjk(c))
						break;
					p += l;
				}
				size_t rn = (size_t)(p - s);
				if (rn <= we - pos && rn > best && memcmp(text + pos, s, rn) == 0)
					best = rn;
			}
		}
		if (best) {
			sq_add(m, nm, pos, pos + best);
			pos += best;
		} else {
			int32_t c;
			pos += sq_next(text + pos, we - pos, &c);
		}
	}
}

int search_highlight(const search_query_t *q, const char *text, size_t n, size_t window, buf_t *out)
{
	sq_mark_t marks[SQ_MAX_MARKS];
	int nm = 0;
	buf_t w;

	buf_init(&w, 4096);
	for (size_t pos = 0; pos < n && nm < SQ_MAX_MARKS;) {
		int32_t c;
		if (window > 0 && nm > 0 && pos > marks[0].from + window)
			break; /* past the snippet: folding the rest would only cost time */
		size_t l = sq_next(text + pos, n - pos, &c);
		if (!sq_wordch(c)) {
			pos += l;
			continue;
		}
		size_t ws = pos;
		int cjk = 0;
		while (pos < n) {
			l = sq_next(text + pos, n - pos, &c);
			if (!sq_wordch(c))
				break;
			cjk |= sq_cjk(c);
			pos += l;
		}
		if (cjk) {
			sq_cjk_hits(q, text, ws, pos, marks, &nm);
			continue;
		}
		buf_reset(&w);
		int ascii = 1;
		for (size_t i = ws; i < pos && ascii; i++)
			ascii = (unsigned char)text[i] < 0x80;
		if (ascii) /* the common case, and utf8_fold's work for it is only lowercasing */
			for (size_t i = ws; i < pos; i++)
				buf_putc(&w, (char)(text[i] >= 'A' && text[i] <= 'Z' ? text[i] + 32 : text[i]));
		if (pos - ws < 256 && (ascii || utf8_fold(text + ws, pos - ws, &w) == 0) && sq_word_hit(q, buf_cstr(&w), w.len))
			sq_add(marks, &nm, ws, pos);
	}
	buf_release(&w);

	size_t from = 0, to = n;
	if (window > 0 && n > window) {
		size_t first = nm ? marks[0].from : 0;
		from = first > window / 4 ? first - window / 4 : 0;
		while (from > 0 && !sq_space((unsigned char)text[from - 1]))
			from--; /* start on a word */
		if (from + window < n) {
			to = from + utf8_trunc(text + from, n - from, window);
			size_t t = to;
			while (t > from && !sq_space((unsigned char)text[t]))
				t--;
			if (t > from)
				to = t;
		}
	}
	int rc = 0, shown = 0;
	if (from > 0)
		rc |= buf_puts(out, "… ");
	size_t at = from;
	for (int i = 0; i < nm; i++) {
		if (marks[i].from < from || marks[i].to > to)
			continue;
		rc |= buf_append_html(out, text + at, marks[i].from - at);
		rc |= buf_puts(out, "<mark>");
		rc |= buf_append_html(out, text + marks[i].from, marks[i].to - marks[i].from);
		rc |= buf_puts(out, "</mark>");
		at = marks[i].to;
		shown++;
	}
	rc |= buf_append_html(out, text + at, to - at);
	if (to < n)
		rc |= buf_puts(out, " …");
	return rc < 0 ? -1 : shown;
}
