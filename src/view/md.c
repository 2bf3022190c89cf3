#include "view/md.h"

#include <md4c.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* md4c-html cannot vet URLs, so this is a renderer of our own on md4c's parser callbacks.  Raw HTML is
 * off in the parser (MD_FLAG_NOHTML): it reaches us as ordinary text and is escaped like any text. */
#define MD_FLAGS (MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_NOHTML | MD_FLAG_PERMISSIVEURLAUTOLINKS)

#define MD_MEDIA_MAX 80 /* longest /media/<name> that gets a srcset */

/* md4c 0.4.8 (Debian 12) reads the byte just past the input, and when that byte happens to be e.g. ')'
 * its state goes wrong: it can report text beyond the input or crash (found by tests/fuzz/fuzz_md.c).
 * Every caller-supplied slice is therefore parsed from a private copy followed by NUL bytes, the layout
 * md4c is used with everywhere, and text it reports past the end is clipped. */
#define MD_PAD 16

typedef struct md_r {
	const char *src, *src_end; /* the private copy of the input, for clipping md4c's text */
	buf_t *out;
	buf_t *cur;       /* out, or para while inside a paragraph */
	buf_t para;       /* a paragraph is held back until we know whether it is a lone image (a figure) */
	buf_t caption;    /* the escaped title of the current image */
	buf_t url;        /* scratch: a URL decoded and cleaned */
	int img;          /* image nesting; > 0 while the alt text is being written */
	int in_para, para_imgs, para_other;
	size_t title_from, title_to; /* the title="…" of the paragraph's image, left out of a figure */
} md_r_t;

/* Text that starts inside the input never runs past its end (see MD_PAD); md4c's own constant strings
 * (line breaks, NUL) and the attribute buffers it builds lie elsewhere and pass untouched. */
static MD_SIZE md_clip(const md_r_t *r, const char *s, MD_SIZE n)
{
	/* compared as integers: the pointers may belong to different objects */
	uintptr_t p = (uintptr_t)s, lo = (uintptr_t)r->src, end = (uintptr_t)r->src_end;
	if (p >= lo && p <= end + MD_PAD && p + n > end)
		return p < end ? (MD_SIZE)(end - p) : 0;
	return n;
}

/* ---- entities ------------------------------------------------------------------------------------ */

static int md_utf8(buf_t *b, uint32_t cp)
{
	char u[4];
	size_t n;
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return buf_append(b, u, n);
}

/* The named entities worth decoding: the ones used to disguise URL schemes and the common typography.
 * Others pass through as written: as text the browser decodes them harmlessly, and inside a URL we
 * escape their '&', so the URL the browser follows is exactly the one we checked. */
static const struct {
	const char *name;
	uint32_t cp;
} md_entities[] = {
	{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}, {"nbsp", 0xA0},
	{"colon", ':'}, {"Tab", '\t'}, {"NewLine", '\n'}, {"sol", '/'}, {"bsol", '\\'}, {"lpar", '('},
	{"rpar", ')'}, {"period", '.'}, {"comma", ','}, {"excl", '!'}, {"num", '#'}, {"percnt", '%'},
	{"semi", ';'}, {"equals", '='}, {"quest", '?'}, {"commat", '@'}, {"lsqb", '['}, {"rsqb", ']'},
	{"lbrace", '{'}, {"rbrace", '}'}, {"lowbar", '_'}, {"copy", 0xA9}, {"reg", 0xAE}, {"trade", 0x2122},
	{"hellip", 0x2026}, {"mdash", 0x2014}, {"ndash", 0x2013}, {"laquo", 0xAB}, {"raquo", 0xBB},
	{"ldquo", 0x201C}, {"rdquo", 0x201D}, {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"bull", 0x2022},
	{"middot", 0xB7}, {"deg", 0xB0}, {"times", 0xD7}, {"divide", 0xF7}, {"euro", 0x20AC},
};

/* Decodes "&…;" (as md4c delimits it) into *cp; 0 when it is a named entity we do not know. */
static int md_entity(const char *s, size_t n, uint32_t *cp)
{
	if (n < 3 || s[0] != '&' || s[n - 1] != ';')
		return 0;
	s++;
	n -= 2;
	if (s[0] == '#') {
		uint32_t v = 0;
		int hex = n > 1 && (s[1] == 'x' || s[1] == 'X');
		size_t i = hex ? 2 : 1;
		if (i >= n)
			return 0;
		for (; i < n; i++) {
			char c = s[i];
			uint32_t d;
			if (c >= '0' && c <= '9')
				d = (uint32_t)(c - '0');
			else if (hex && c >= 'a' && c <= 'f')
				d = (uint32_t)(c - 'a' + 10);
			else if (hex && c >= 'A' && c <= 'F')
				d = (uint32_t)(c - 'A' + 10);
			else
				return 0;
			v = v * (hex ? 16 : 10) + d;
			if (v > 0x10FFFF)
				v = 0x110000; /* stays out of range however many digits follow */
		}
		*cp = v;
		return 1;
	}
	for (size_t i = 0; i < sizeof(md_entities) / sizeof(md_entities[0]); i++) {
		if (strlen(md_entities[i].name) == n && memcmp(md_entities[i].name, s, n) == 0) {
			*cp = md_entities[i].cp;
			return 1;
		}
	}
	return 0;
}

/* Appends an entity as escaped text. */
static int md_entity_html(buf_t *b, const char *s, size_t n)
{
	uint32_t cp;
	if (!md_entity(s, n, &cp))
		return buf_append(b, s, n);
	switch (cp) {
	case '&': return buf_puts(b, "&amp;");
	case '<': return buf_puts(b, "&lt;");
	case '>': return buf_puts(b, "&gt;");
	case '"': return buf_puts(b, "&quot;");
	case '\'': return buf_puts(b, "&#39;");
	default: return md_utf8(b, cp);
	}
}

/* Appends an attribute (title) as escaped text with its entities decoded. */
static int md_attr_html(const md_r_t *r, buf_t *b, const MD_ATTRIBUTE *a)
{
	for (unsigned i = 0; a->substr_offsets[i] < a->size; i++) {
		const char *s = a->text + a->substr_offsets[i];
		size_t n = md_clip(r, s, a->substr_offsets[i + 1] - a->substr_offsets[i]);
		int rc;
		switch (a->substr_types[i]) {
		case MD_TEXT_ENTITY: rc = md_entity_html(b, s, n); break;
		case MD_TEXT_NULLCHAR: rc = md_utf8(b, 0xFFFD); break;
		default: rc = buf_append_html(b, s, n); break;
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* ---- URLs ---------------------------------------------------------------------------------------- */

static int md_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int md_alnum(char c)
{
	return md_alpha(c) || (c >= '0' && c <= '9');
}

/* Decodes a link or image destination into r->url and cleans it the way a browser's URL parser would
 * (leading/trailing C0 controls and spaces dropped, tab/CR/LF removed anywhere), so the scheme we judge
 * is the scheme the browser will see.  Returns 1 when the URL may be used, 0 when it must become "#",
 * -1 when memory ran out; *http tells whether it is http(s). */
static int md_url(md_r_t *r, const MD_ATTRIBUTE *a, int *http)
{
	buf_t *u = &r->url;
	buf_reset(u);
	*http = 0;
	for (unsigned i = 0; a->substr_offsets[i] < a->size; i++) {
		const char *s = a->text + a->substr_offsets[i];
		size_t n = md_clip(r, s, a->substr_offsets[i + 1] - a->substr_offsets[i]);
		uint32_t cp;
		int rc;
		if (a->substr_types[i] == MD_TEXT_ENTITY && md_entity(s, n, &cp))
			rc = md_utf8(u, cp);
		else if (a->substr_types[i] == MD_TEXT_NULLCHAR)
			rc = md_utf8(u, 0xFFFD);
		else
			rc = buf_append(u, s, n);
		if (rc < 0)
			return -1;
	}
	char *d = u->data;
	size_t n = u->len, k = 0, start = 0;
	while (start < n && (unsigned char)d[start] <= 0x20)
		start++;
	while (n > start && (unsigned char)d[n - 1] <= 0x20)
		n--;
	for (size_t i = start; i < n; i++)
		if (d[i] != '\t' && d[i] != '\n' && d[i] != '\r')
			d[k++] = d[i];
	if (d) {
		u->len = k;
		d[k] = '\0';
	}
	if (k == 0 || !md_alpha(d[0]))
		return 1;
	size_t i = 1;
	while (i < k && (md_alnum(d[i]) || d[i] == '+' || d[i] == '-' || d[i] == '.'))
		i++;
	if (i == k || d[i] != ':')
		return 1; /* no scheme: a relative reference */
	if ((i == 4 && strncasecmp(d, "http", 4) == 0) || (i == 5 && strncasecmp(d, "https", 5) == 0)) {
		*http = 1;
		return 1;
	}
	return (i == 6 && strncasecmp(d, "mailto", 6) == 0) || (i == 3 && strncasecmp(d, "tel", 3) == 0);
}

/* Writes r->url into an attribute value: bytes that may not stand in a URL are percent-encoded, and
 * & and ' are escaped for HTML. */
static int md_put_url(md_r_t *r)
{
	static const char hex[] = "0123456789ABCDEF";
	static const char keep[] = "-_.~!$()*+,;=:@/?#[]%";
	const char *s = buf_cstr(&r->url);
	buf_t *b = r->cur;
	size_t run = 0, n = r->url.len;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (md_alnum(c) || (c && strchr(keep, c)))
			continue;
		if (buf_append(b, s + run, i - run) < 0)
			return -1;
		run = i + 1;
		int rc;
		if (c == '&')
			rc = buf_puts(b, "&amp;");
		else if (c == '\'')
			rc = buf_puts(b, "&#39;");
		else {
			char enc[3] = {'%', hex[(unsigned char)c >> 4], hex[(unsigned char)c & 15]};
			rc = buf_append(b, enc, 3);
		}
		if (rc < 0)
			return -1;
	}
	return buf_append(b, s + run, n - run);
}

/* ---- callbacks ----------------------------------------------------------------------------------- */

static int md_enter_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	md_r_t *r = ud;
	buf_t *b = r->cur;
	switch (type) {
	case MD_BLOCK_DOC: return 0;
	case MD_BLOCK_QUOTE: return buf_puts(b, "<blockquote>\n");
	case MD_BLOCK_UL: return buf_puts(b, "<ul>\n");
	case MD_BLOCK_OL: {
		unsigned start = ((const MD_BLOCK_OL_DETAIL *)detail)->start;
		return start == 1 ? buf_puts(b, "<ol>\n") : buf_appendf(b, "<ol start=\"%u\">\n", start);
	}
	case MD_BLOCK_LI: return buf_puts(b, "<li>");
	case MD_BLOCK_HR: return buf_puts(b, "<hr>\n");
	case MD_BLOCK_H: {
		unsigned level = ((const MD_BLOCK_H_DETAIL *)detail)->level + 1;
		return buf_appendf(b, "<h%u>", level > 6 ? 6 : level);
	}
	case MD_BLOCK_CODE: {
		const MD_ATTRIBUTE *lang = &((const MD_BLOCK_CODE_DETAIL *)detail)->lang;
		MD_SIZE len = md_clip(r, lang->text, lang->size);
		int ok = len > 0 && len <= 32;
		/* only a plain language word becomes a class; anything odd is dropped rather than escaped */
		for (unsigned i = 0; ok && i < len; i++)
			ok = md_alnum(lang->text[i]) || lang->text[i] == '-' || lang->text[i] == '_' ||
			     lang->text[i] == '+';
		if (!ok)
			return buf_puts(b, "<pre><code>");
		if (buf_puts(b, "<pre><code class=\"language-") < 0 || buf_append(b, lang->text, len) < 0)
			return -1;
		return buf_puts(b, "\">");
	}
	case MD_BLOCK_HTML: return 0; /* cannot happen with MD_FLAG_NOHTML; its text is escaped anyway */
	case MD_BLOCK_P:
		r->in_para = 1;
		r->para_imgs = r->para_other = 0;
		buf_reset(&r->para);
		r->cur = &r->para;
		return 0;
	case MD_BLOCK_TABLE: return buf_puts(b, "<div class=\"table-wrap\"><table>\n");
	case MD_BLOCK_THEAD: return buf_puts(b, "<thead>\n");
	case MD_BLOCK_TBODY: return buf_puts(b, "<tbody>\n");
	case MD_BLOCK_TR: return buf_puts(b, "<tr>\n");
	case MD_BLOCK_TH:
	case MD_BLOCK_TD: {
		const char *tag = type == MD_BLOCK_TH ? "th" : "td";
		switch (((const MD_BLOCK_TD_DETAIL *)detail)->align) {
		case MD_ALIGN_LEFT: return buf_appendf(b, "<%s class=\"align-left\">", tag);
		case MD_ALIGN_CENTER: return buf_appendf(b, "<%s class=\"align-center\">", tag);
		case MD_ALIGN_RIGHT: return buf_appendf(b, "<%s class=\"align-right\">", tag);
		default: return buf_appendf(b, "<%s>", tag);
		}
	}
	}
	return 0;
}

/* A paragraph holding one image and nothing else becomes a figure (a figure may not sit inside a <p>). */
static int md_leave_para(md_r_t *r)
{
	buf_t *p = &r->para, *o = r->out;
	r->cur = o;
	r->in_para = 0;
	if (r->para_imgs != 1 || r->para_other)
		return buf_puts(o, "<p>") < 0 || buf_append(o, buf_cstr(p), p->len) < 0 ? -1 : buf_puts(o, "</p>\n");
	if (buf_puts(o, "<figure class=\"figure\">") < 0 || buf_append(o, buf_cstr(p), r->title_from) < 0 ||
	    buf_append(o, buf_cstr(p) + r->title_to, p->len - r->title_to) < 0)
		return -1;
	if (r->caption.len && (buf_puts(o, "<figcaption>") < 0 || buf_append(o, r->caption.data, r->caption.len) < 0 ||
			       buf_puts(o, "</figcaption>") < 0))
		return -1;
	return buf_puts(o, "</figure>\n");
}

static int md_leave_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	md_r_t *r = ud;
	buf_t *b = r->cur;
	switch (type) {
	case MD_BLOCK_DOC: return 0;
	case MD_BLOCK_QUOTE: return buf_puts(b, "</blockquote>\n");
	case MD_BLOCK_UL: return buf_puts(b, "</ul>\n");
	case MD_BLOCK_OL: return buf_puts(b, "</ol>\n");
	case MD_BLOCK_LI: return buf_puts(b, "</li>\n");
	case MD_BLOCK_HR: return 0;
	case MD_BLOCK_H: {
		unsigned level = ((const MD_BLOCK_H_DETAIL *)detail)->level + 1;
		return buf_appendf(b, "</h%u>\n", level > 6 ? 6 : level);
	}
	case MD_BLOCK_CODE: return buf_puts(b, "</code></pre>\n");
	case MD_BLOCK_HTML: return 0;
	case MD_BLOCK_P: return md_leave_para(r);
	case MD_BLOCK_TABLE: return buf_puts(b, "</table></div>\n");
	case MD_BLOCK_THEAD: return buf_puts(b, "</thead>\n");
	case MD_BLOCK_TBODY: return buf_puts(b, "</tbody>\n");
	case MD_BLOCK_TR: return buf_puts(b, "</tr>\n");
	case MD_BLOCK_TH: return buf_puts(b, "</th>\n");
	case MD_BLOCK_TD: return buf_puts(b, "</td>\n");
	}
	return 0;
}

/* "/media/<name>.jpg" with a plain name: the upload pipeline made -480/-960/-1600 variants of it. */
static int md_media_name(const buf_t *u, const char **name, size_t *len)
{
	const char *s = buf_cstr(u);
	size_t n = u->len;
	if (n <= 11 || memcmp(s, "/media/", 7) != 0 || memcmp(s + n - 4, ".jpg", 4) != 0 || n - 11 > MD_MEDIA_MAX)
		return 0;
	for (size_t i = 7; i < n - 4; i++)
		if (!md_alnum(s[i]) && s[i] != '-' && s[i] != '_')
			return 0;
	*name = s + 7;
	*len = n - 11;
	return 1;
}

static int md_enter_img(md_r_t *r, const MD_SPAN_IMG_DETAIL *d)
{
	buf_t *b = r->cur;
	int http, ok = md_url(r, &d->src, &http);
	if (ok < 0)
		return -1;
	if (r->in_para)
		r->para_imgs++;
	buf_reset(&r->caption);
	if (md_attr_html(r, &r->caption, &d->title) < 0 || buf_puts(b, "<img src=\"") < 0 ||
	    (ok ? md_put_url(r) : buf_putc(b, '#')) < 0 || buf_puts(b, "\"") < 0)
		return -1;
	const char *name;
	size_t len;
	if (ok && md_media_name(&r->url, &name, &len) &&
	    buf_appendf(b, " srcset=\"/media/%.*s-480.jpg 480w, /media/%.*s-960.jpg 960w, /media/%.*s-1600.jpg 1600w\"",
			(int)len, name, (int)len, name, (int)len, name) < 0)
		return -1;
	return buf_puts(b, " alt=\"");
}

static int md_leave_img(md_r_t *r)
{
	buf_t *b = r->cur;
	if (buf_puts(b, "\" loading=\"lazy\" decoding=\"async\"") < 0)
		return -1;
	r->title_from = r->title_to = b->len;
	if (r->caption.len) {
		if (buf_puts(b, " title=\"") < 0 || buf_append(b, r->caption.data, r->caption.len) < 0 ||
		    buf_putc(b, '"') < 0)
			return -1;
		r->title_to = b->len;
	}
	return buf_putc(b, '>');
}

static int md_enter_span(MD_SPANTYPE type, void *detail, void *ud)
{
	md_r_t *r = ud;
	buf_t *b = r->cur;
	if (r->img) {
		/* inside alt text only the words count: no tags, no nested images */
		r->img += type == MD_SPAN_IMG;
		return 0;
	}
	if (type == MD_SPAN_IMG) {
		r->img = 1;
		return md_enter_img(r, detail);
	}
	r->para_other = 1;
	switch (type) {
	case MD_SPAN_EM: return buf_puts(b, "<em>");
	case MD_SPAN_STRONG: return buf_puts(b, "<strong>");
	case MD_SPAN_CODE: return buf_puts(b, "<code>");
	case MD_SPAN_DEL: return buf_puts(b, "<del>");
	case MD_SPAN_U: return buf_puts(b, "<u>");
	case MD_SPAN_A: {
		const MD_SPAN_A_DETAIL *d = detail;
		int http, ok = md_url(r, &d->href, &http);
		if (ok < 0 || buf_puts(b, "<a href=\"") < 0 || (ok ? md_put_url(r) : buf_putc(b, '#')) < 0 ||
		    buf_putc(b, '"') < 0)
			return -1;
		if (d->title.size &&
		    (buf_puts(b, " title=\"") < 0 || md_attr_html(r, b, &d->title) < 0 || buf_putc(b, '"') < 0))
			return -1;
		if (ok && http && buf_puts(b, " rel=\"noopener\"") < 0)
			return -1;
		return buf_putc(b, '>');
	}
	default: return 0; /* LaTeX and wiki links are not enabled */
	}
}

static int md_leave_span(MD_SPANTYPE type, void *detail, void *ud)
{
	md_r_t *r = ud;
	buf_t *b = r->cur;
	if (r->img) {
		if (type == MD_SPAN_IMG && --r->img == 0)
			return md_leave_img(r);
		return 0;
	}
	switch (type) {
	case MD_SPAN_EM: return buf_puts(b, "</em>");
	case MD_SPAN_STRONG: return buf_puts(b, "</strong>");
	case MD_SPAN_CODE: return buf_puts(b, "</code>");
	case MD_SPAN_DEL: return buf_puts(b, "</del>");
	case MD_SPAN_U: return buf_puts(b, "</u>");
	case MD_SPAN_A: return buf_puts(b, "</a>");
	default: return 0;
	}
}

static int md_text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *ud)
{
	md_r_t *r = ud;
	buf_t *b = r->cur;
	n = md_clip(r, s, n);
	if (r->in_para && !r->img && type != MD_TEXT_SOFTBR) {
		for (MD_SIZE i = 0; i < n && !r->para_other; i++)
			if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
				r->para_other = 1;
		if (type == MD_TEXT_BR || type == MD_TEXT_NULLCHAR)
			r->para_other = 1;
	}
	switch (type) {
	case MD_TEXT_NULLCHAR: return md_utf8(b, 0xFFFD);
	case MD_TEXT_BR: return buf_puts(b, r->img ? " " : "<br>\n");
	case MD_TEXT_SOFTBR: return buf_puts(b, r->img ? " " : "\n");
	case MD_TEXT_ENTITY: return md_entity_html(b, s, n);
	default: return buf_append_html(b, s, n); /* normal, code, and raw HTML that must not pass */
	}
}

int md_render(const char *src, size_t n, buf_t *out)
{
	if (n > (MD_SIZE)-1)
		return -1;
	MD_PARSER parser = {
		.flags = MD_FLAGS,
		.enter_block = md_enter_block,
		.leave_block = md_leave_block,
		.enter_span = md_enter_span,
		.leave_span = md_leave_span,
		.text = md_text,
	};
	char *copy = malloc(n + MD_PAD);
	if (!copy)
		return -1;
	if (n)
		memcpy(copy, src, n);
	memset(copy + n, 0, MD_PAD);
	md_r_t r = {.src = copy, .src_end = copy + n, .out = out, .cur = out};
	buf_init(&r.para, out->max);
	buf_init(&r.caption, out->max);
	buf_init(&r.url, out->max);
	int rc = md_parse(copy, (MD_SIZE)n, &parser, &r);
	buf_release(&r.para);
	buf_release(&r.caption);
	buf_release(&r.url);
	free(copy);
	return rc == 0 && !out->overflow ? 0 : -1;
}
