#include "view/i18n.h"

#include "core/arena.h"
#include "core/buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A catalog far larger than any real one is a mistake (or an attack on start-up); refuse it early. */
#define I18N_MAX_FILE (32u << 20)

typedef struct i18n_entry {
	const char *msgid, *msgstr;
	uint64_t hash;
} i18n_entry_t;

struct i18n {
	arena_t arena;        /* every string of the catalog */
	i18n_entry_t *slots;  /* open addressing, power-of-two size, msgid == NULL when free */
	size_t mask;
	size_t count;
};

/* The parser's state between lines: the entry being read and which of its strings a continuation
 * line ("...") extends. */
enum po_field { PO_NONE, PO_CTXT, PO_ID, PO_PLURAL, PO_STR, PO_STR_OTHER };

typedef struct po_parser {
	i18n_t *cat;
	const char *name;
	size_t line;
	enum po_field field;
	int has_id, has_str;
	buf_t id, str, discard;
	i18n_entry_t *list;  /* entries in file order; hashed once parsing is done */
	size_t nlist, caplist;
	char **err;
} po_parser_t;

static uint64_t i18n_hash(const char *s, size_t *len)
{
	uint64_t h = 1469598103934665603ull;
	const char *p = s;
	for (; *p; p++) {
		h ^= (unsigned char)*p;
		h *= 1099511628211ull;
	}
	*len = (size_t)(p - s);
	return h;
}

static void i18n_set_err(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void i18n_set_err(char **err, const char *fmt, ...)
{
	if (!err)
		return;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(err, fmt, ap) < 0)
		*err = NULL;
	va_end(ap);
}

static void po_fail(po_parser_t *p, const char *what)
{
	i18n_set_err(p->err, "%s:%zu: %s", p->name, p->line, what);
}

/* Keeps the finished entry when it carries a translation; the header (empty msgid) and untranslated
 * entries are dropped because i18n_get falls back to the msgid for them anyway. */
static int po_flush(po_parser_t *p)
{
	int rc = 0;
	if (p->has_id && !p->has_str) {
		po_fail(p, "msgid without msgstr");
		return -1;
	}
	if (p->has_id && p->id.len && p->str.len) {
		if (p->nlist == p->caplist) {
			size_t cap = p->caplist ? p->caplist * 2 : 64;
			i18n_entry_t *l = realloc(p->list, cap * sizeof(*l));
			if (!l)
				goto nomem;
			p->list = l;
			p->caplist = cap;
		}
		i18n_entry_t *e = &p->list[p->nlist];
		e->msgid = arena_strndup(&p->cat->arena, p->id.data, p->id.len);
		e->msgstr = arena_strndup(&p->cat->arena, p->str.data, p->str.len);
		if (!e->msgid || !e->msgstr)
			goto nomem;
		size_t len;
		e->hash = i18n_hash(e->msgid, &len);
		p->nlist++;
	}
	goto out;
nomem:
	po_fail(p, "out of memory");
	rc = -1;
out:
	buf_reset(&p->id);
	buf_reset(&p->str);
	p->has_id = p->has_str = 0;
	p->field = PO_NONE;
	return rc;
}

static int po_octal(char c)
{
	return c >= '0' && c <= '7';
}

static int po_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes one "..." string starting at s (which must point at the opening quote) into dst; only
 * whitespace may follow the closing quote on the line. */
static int po_string(po_parser_t *p, const char *s, const char *end, buf_t *dst)
{
	if (s >= end || *s != '"') {
		po_fail(p, "expected a quoted string");
		return -1;
	}
	s++;
	while (s < end && *s != '"') {
		char c = *s++;
		if (c == '\0') {
			po_fail(p, "nul byte in string");
			return -1;
		}
		if (c == '\\') {
			if (s >= end) {
				po_fail(p, "unterminated string");
				return -1;
			}
			char e = *s++;
			switch (e) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'a': c = '\a'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'v': c = '\v'; break;
			case '"': case '\\': case '\'': case '?': c = e; break;
			case 'x': {
				unsigned v = 0;
				int digits = 0, d;
				while (s < end && (d = po_hex(*s)) >= 0 && digits < 2) {
					v = v * 16 + (unsigned)d;
					s++;
					digits++;
				}
				if (!digits) {
					po_fail(p, "invalid escape '\\x'");
					return -1;
				}
				c = (char)v;
				break;
			}
			default:
				if (po_octal(e)) {
					unsigned v = (unsigned)(e - '0');
					for (int k = 0; k < 2 && s < end && po_octal(*s); k++)
						v = v * 8 + (unsigned)(*s++ - '0');
					c = (char)(v & 0xff);
					break;
				}
				{
					char msg[40];
					snprintf(msg, sizeof(msg), "invalid escape '\\%c'",
						 (unsigned char)e >= 0x20 && e != 0x7f ? e : '?');
					po_fail(p, msg);
				}
				return -1;
			}
			/* a NUL would silently cut the C string that i18n_get hands out */
			if (c == '\0') {
				po_fail(p, "nul byte in string");
				return -1;
			}
		}
		if (buf_putc(dst, c) < 0) {
			po_fail(p, "string too long");
			return -1;
		}
	}
	if (s >= end) {
		po_fail(p, "unterminated string");
		return -1;
	}
	for (s++; s < end; s++) {
		if (*s != ' ' && *s != '\t') {
			po_fail(p, "unexpected text after string");
			return -1;
		}
	}
	return 0;
}

static buf_t *po_target(po_parser_t *p)
{
	switch (p->field) {
	case PO_ID: return &p->id;
	case PO_STR: return &p->str;
	default: return &p->discard;
	}
}

/* Recognises "keyword" at s followed by a space, tab or quote; returns the text after it or NULL. */
static const char *po_keyword(const char *s, const char *end, const char *kw)
{
	size_t n = strlen(kw);
	if ((size_t)(end - s) <= n || memcmp(s, kw, n) != 0)
		return NULL;
	char c = s[n];
	return c == ' ' || c == '\t' || c == '"' ? s + n : NULL;
}

static int po_line(po_parser_t *p, const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	if (s == end || *s == '#')
		return 0;
	const char *rest;
	if (*s == '"') {
		if (p->field == PO_NONE) {
			po_fail(p, "string outside an entry");
			return -1;
		}
		buf_reset(&p->discard);
		return po_string(p, s, end, po_target(p));
	}
	if ((rest = po_keyword(s, end, "msgctxt"))) {
		if ((p->has_id || p->field == PO_CTXT) && po_flush(p) < 0)
			return -1;
		p->field = PO_CTXT;
	} else if ((rest = po_keyword(s, end, "msgid"))) {
		if (p->has_id && po_flush(p) < 0)
			return -1;
		p->has_id = 1;
		p->field = PO_ID;
	} else if ((rest = po_keyword(s, end, "msgid_plural"))) {
		if (!p->has_id || p->has_str) {
			po_fail(p, "msgid_plural without msgid");
			return -1;
		}
		p->field = PO_PLURAL;
	} else if ((rest = po_keyword(s, end, "msgstr"))) {
		if (!p->has_id || p->has_str) {
			po_fail(p, p->has_str ? "second msgstr" : "msgstr without msgid");
			return -1;
		}
		p->has_str = 1;
		p->field = PO_STR;
	} else if (end - s > 7 && memcmp(s, "msgstr[", 7) == 0) {
		const char *q = s + 7;
		unsigned idx = 0;
		int digits = 0;
		while (q < end && *q >= '0' && *q <= '9' && digits < 4) {
			idx = idx * 10 + (unsigned)(*q++ - '0');
			digits++;
		}
		if (!digits || q >= end || *q != ']' || !p->has_id) {
			po_fail(p, p->has_id ? "bad msgstr index" : "msgstr without msgid");
			return -1;
		}
		if (idx == 0) {
			if (p->has_str) {
				po_fail(p, "second msgstr[0]");
				return -1;
			}
			p->has_str = 1;
			p->field = PO_STR;
		} else {
			if (!p->has_str) {
				po_fail(p, "msgstr[n] before msgstr[0]");
				return -1;
			}
			p->field = PO_STR_OTHER;
		}
		rest = q + 1;
	} else {
		po_fail(p, "unexpected text, expected msgid, msgstr or a string");
		return -1;
	}
	while (rest < end && (*rest == ' ' || *rest == '\t'))
		rest++;
	buf_reset(&p->discard);
	return po_string(p, rest, end, po_target(p));
}

/* Moves the parsed entries into the hash table; a repeated msgid keeps its first translation. */
static int i18n_build(i18n_t *cat, const i18n_entry_t *list, size_t n)
{
	size_t size = 16;
	while (size < n * 2)
		size *= 2;
	cat->slots = calloc(size, sizeof(*cat->slots));
	if (!cat->slots)
		return -1;
	cat->mask = size - 1;
	for (size_t i = 0; i < n; i++) {
		size_t j = (size_t)list[i].hash & cat->mask;
		while (cat->slots[j].msgid && strcmp(cat->slots[j].msgid, list[i].msgid) != 0)
			j = (j + 1) & cat->mask;
		if (!cat->slots[j].msgid) {
			cat->slots[j] = list[i];
			cat->count++;
		}
	}
	return 0;
}

/* Parses a whole .po text held in memory; name is used in error messages. */
static i18n_t *i18n_parse(const char *src, size_t n, const char *name, char **err)
{
	po_parser_t p = {.name = name, .err = err};
	i18n_t *cat = calloc(1, sizeof(*cat));
	i18n_t *ret = NULL;
	if (!cat) {
		i18n_set_err(err, "%s: out of memory", name);
		return NULL;
	}
	arena_init(&cat->arena, 0);
	p.cat = cat;
	buf_init(&p.id, 0);
	buf_init(&p.str, 0);
	buf_init(&p.discard, 0);

	const char *s = src, *end = src + n;
	/* a UTF-8 byte order mark is tolerated: some editors write one */
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *eol = nl ? nl : end;
		p.line++;
		if (po_line(&p, s, eol) < 0)
			goto out;
		s = nl ? nl + 1 : end;
	}
	p.line++;
	if (po_flush(&p) < 0)
		goto out;
	if (i18n_build(cat, p.list, p.nlist) < 0) {
		i18n_set_err(err, "%s: out of memory", name);
		goto out;
	}
	ret = cat;
	cat = NULL;
out:
	buf_release(&p.id);
	buf_release(&p.str);
	buf_release(&p.discard);
	free(p.list);
	i18n_free(cat);
	return ret;
}

i18n_t *i18n_load_po(const char *path, char **err)
{
	i18n_t *cat = NULL;
	char *data = NULL;
	FILE *f = fopen(path, "rb");
	if (!f) {
		i18n_set_err(err, "cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	buf_t b;
	buf_init(&b, I18N_MAX_FILE);
	char chunk[16384];
	size_t got;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (buf_append(&b, chunk, got) < 0) {
			i18n_set_err(err, "%s: file too large", path);
			goto out;
		}
	}
	if (ferror(f)) {
		i18n_set_err(err, "cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	size_t len;
	data = buf_detach(&b, &len);
	cat = i18n_parse(data, len, path, err);
out:
	fclose(f);
	buf_release(&b);
	free(data);
	return cat;
}

const char *i18n_get(const i18n_t *cat, const char *msgid)
{
	if (!cat || !msgid || !cat->count)
		return msgid;
	size_t len;
	uint64_t h = i18n_hash(msgid, &len);
	for (size_t j = (size_t)h & cat->mask; cat->slots[j].msgid; j = (j + 1) & cat->mask) {
		const i18n_entry_t *e = &cat->slots[j];
		if (e->hash == h && strcmp(e->msgid, msgid) == 0)
			return e->msgstr;
	}
	return msgid;
}

size_t i18n_count(const i18n_t *cat)
{
	return cat ? cat->count : 0;
}

void i18n_free(i18n_t *cat)
{
	if (!cat)
		return;
	free(cat->slots);
	arena_release(&cat->arena);
	free(cat);
}
