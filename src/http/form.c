#include "http/form.h"

#include <string.h>
#include <strings.h>

#include "core/arena.h"

static int form_add(form_t *f, const char *name, const char *value, size_t len, const char *filename, const char *ctype)
{
	if (!name || !value || f->n == FORM_MAX_FIELDS)
		return -1;
	form_field_t *x = &f->fields[f->n++];
	x->name = name;
	x->value = value;
	x->len = len;
	x->filename = filename;
	x->content_type = ctype;
	return 0;
}

int form_parse_urlencoded(arena_t *a, const char *s, size_t n, form_t *f)
{
	const char *end = s + n;
	while (s < end) {
		const char *amp = memchr(s, '&', (size_t)(end - s));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(s, '=', (size_t)(stop - s));
		if (stop > s) {
			const char *vs = eq ? eq + 1 : stop;
			char *name = http_urldecode(a, s, (size_t)((eq ? eq : stop) - s), 1);
			char *value = http_nfc(a, http_urldecode(a, vs, (size_t)(stop - vs), 1));
			if (form_add(f, http_nfc(a, name), value, value ? strlen(value) : 0, NULL, NULL) < 0)
				return -1;
		}
		s = amp ? amp + 1 : end;
	}
	return 0;
}

/* The value of parameter key in a header value such as `form-data; name="x"; filename="a.jpg"`. */
static char *form_param(arena_t *a, const char *h, size_t hl, const char *key)
{
	size_t kl = strlen(key);
	for (size_t i = 0; i + kl + 1 < hl; i++) {
		if ((i == 0 || h[i - 1] == ' ' || h[i - 1] == ';') && strncasecmp(h + i, key, kl) == 0 && h[i + kl] == '=') {
			const char *v = h + i + kl + 1, *e = h + hl;
			if (v < e && *v == '"') {
				const char *q = memchr(v + 1, '"', (size_t)(e - v - 1));
				return q ? arena_strndup(a, v + 1, (size_t)(q - v - 1)) : NULL;
			}
			const char *stop = v;
			while (stop < e && *stop != ';' && *stop != ' ')
				stop++;
			return arena_strndup(a, v, (size_t)(stop - v));
		}
	}
	return NULL;
}

int form_parse_multipart(arena_t *a, const char *body, size_t n, const char *boundary, form_t *f)
{
	size_t bl = strlen(boundary);
	if (bl == 0 || bl > 200)
		return -1;
	char *delim = arena_printf(a, "\r\n--%s", boundary);
	size_t dl = bl + 4;
	/* the body starts with the delimiter without its leading CRLF */
	if (n < dl - 2 || memcmp(body, delim + 2, dl - 2) != 0)
		return -1;
	const char *p = body + dl - 2, *end = body + n;
	for (;;) {
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return 0; /* closing delimiter */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return -1;
		p += 2;
		char *name = NULL, *filename = NULL, *ctype = NULL;
		for (;;) { /* part headers up to an empty line */
			const char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);
			if (!eol)
				return -1;
			if (eol == p) {
				p += 2;
				break;
			}
			size_t hl = (size_t)(eol - p);
			if (hl > 20 && strncasecmp(p, "content-disposition:", 20) == 0) {
				name = form_param(a, p + 20, hl - 20, "name");
				filename = form_param(a, p + 20, hl - 20, "filename");
			} else if (hl > 13 && strncasecmp(p, "content-type:", 13) == 0) {
				const char *v = p + 13;
				while (*v == ' ')
					v++;
				ctype = arena_strndup(a, v, (size_t)(eol - v));
			}
			p = eol + 2;
		}
		const char *stop = memmem(p, (size_t)(end - p), delim, dl);
		if (!stop || !name)
			return -1;
		size_t len = (size_t)(stop - p);
		const char *value;
		if (filename) {
			value = arena_strndup(a, p, len); /* bytes, NUL-terminated for convenience */
		} else {
			value = http_nfc(a, arena_strndup(a, p, len));
			len = value ? strlen(value) : 0;
		}
		if (form_add(f, http_nfc(a, name), value, len, filename ? http_nfc(a, filename) : NULL, ctype) < 0)
			return -1;
		p = stop + dl;
	}
}

form_t *form_parse(http_request_t *req)
{
	const char *ct = http_header(req, "content-type");
	form_t *f = arena_alloc(req->arena, sizeof(*f));
	if (!ct || !f)
		return NULL;
	if (strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0)
		return form_parse_urlencoded(req->arena, req->body, req->body_len, f) == 0 ? f : NULL;
	if (strncasecmp(ct, "multipart/form-data", 19) == 0) {
		char *boundary = form_param(req->arena, ct, strlen(ct), "boundary");
		return boundary && form_parse_multipart(req->arena, req->body, req->body_len, boundary, f) == 0 ? f : NULL;
	}
	return NULL;
}

const char *form_get(const form_t *f, const char *name)
{
	for (int i = 0; f && i < f->n; i++)
		if (!f->fields[i].filename && strcmp(f->fields[i].name, name) == 0)
			return f->fields[i].value;
	return NULL;
}

const form_field_t *form_file(const form_t *f, const char *name)
{
	for (int i = 0; f && i < f->n; i++)
		if (f->fields[i].filename && f->fields[i].len > 0 && strcmp(f->fields[i].name, name) == 0)
			return &f->fields[i];
	return NULL;
}

const char *http_cookie(const http_request_t *req, const char *name)
{
	size_t nl = strlen(name);
	for (int i = 0; i < req->nheaders; i++) {
		if (strcmp(req->headers[i].name, "cookie") != 0)
			continue;
		const char *c = req->headers[i].value;
		while (c && *c) {
			while (*c == ' ' || *c == ';')
				c++;
			const char *semi = strchr(c, ';');
			size_t len = semi ? (size_t)(semi - c) : strlen(c);
			if (len > nl && strncmp(c, name, nl) == 0 && c[nl] == '=')
				return arena_strndup(req->arena, c + nl + 1, len - nl - 1);
			c = semi;
		}
	}
	return NULL;
}
