#include "http/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "http/http.h"

int http_gzip(const char *p, size_t n, int level, char **out, size_t *outlen)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	/* 31 = 15-bit window + gzip wrapper */
	if (deflateInit2(&z, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	size_t cap = deflateBound(&z, n);
	char *buf = malloc(cap);
	if (!buf) {
		deflateEnd(&z);
		return -1;
	}
	z.next_in = (Bytef *)p;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)buf;
	z.avail_out = (uInt)cap;
	int rc = deflate(&z, Z_FINISH);
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(buf);
		return -1;
	}
	*out = buf;
	*outlen = cap - z.avail_out;
	return 0;
}

uint64_t http_hash64(const void *p, size_t n)
{
	/* FNV-1a over 8-byte words with a final mix: good enough to notice a changed page, and about eight
	 * times faster than byte-at-a-time over a 20 KB body */
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL ^ n;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 1099511628211ULL;
		h ^= h >> 29;
	}
	for (; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

void http_etag(const void *p, size_t n, char *out)
{
	snprintf(out, 20, "\"%016llx\"", (unsigned long long)http_hash64(p, n));
}

const char *http_mime(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".css", "text/css; charset=utf-8"},    {".js", "text/javascript; charset=utf-8"},
		{".svg", "image/svg+xml"},              {".png", "image/png"},
		{".jpg", "image/jpeg"},                 {".jpeg", "image/jpeg"},
		{".webp", "image/webp"},                {".ico", "image/x-icon"},
		{".woff2", "font/woff2"},               {".txt", "text/plain; charset=utf-8"},
		{".json", "application/json"},          {".xml", "application/xml; charset=utf-8"},
		{".html", "text/html; charset=utf-8"},  {".pdf", "application/pdf"},
	};
	const char *dot = strrchr(name, '.');
	if (dot)
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (strcasecmp(dot, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

int http_compressible(const char *t)
{
	return t && (strncmp(t, "text/", 5) == 0 || strncmp(t, "application/json", 16) == 0 ||
		     strncmp(t, "application/xml", 15) == 0 || strncmp(t, "image/svg", 9) == 0 ||
		     strncmp(t, "application/atom", 16) == 0 || strncmp(t, "application/rss", 15) == 0);
}

/* ---- the handler-side helpers declared in http.h ---- */

const char *http_header(const http_request_t *req, const char *name)
{
	for (int i = 0; i < req->nheaders; i++)
		if (strcmp(req->headers[i].name, name) == 0)
			return req->headers[i].value;
	return NULL;
}

static int http_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *http_urldecode(arena_t *a, const char *s, size_t n, int form)
{
	char *out = arena_alloc(a, n + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c == '%') {
			int hi = i + 2 < n ? http_hexval((unsigned char)s[i + 1]) : -1;
			int lo = i + 2 < n ? http_hexval((unsigned char)s[i + 2]) : -1;
			if (hi < 0 || lo < 0)
				return NULL;
			c = hi * 16 + lo;
			i += 2;
		} else if (c == '+' && form) {
			c = ' ';
		}
		if (c == 0)
			return NULL;
		*o++ = (char)c;
	}
	*o = '\0';
	return out;
}

char *http_urlencode(arena_t *a, const char *s)
{
	size_t n = strlen(s);
	buf_t b;
	buf_init(&b, n * 3 + 16);
	char *out = buf_append_url(&b, s, n) == 0 ? arena_strndup(a, buf_cstr(&b), b.len) : NULL;
	buf_release(&b);
	return out;
}

char *http_nfc(arena_t *a, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	int ascii = 1;
	for (size_t i = 0; i < n && ascii; i++)
		ascii = (unsigned char)s[i] < 0x80;
	if (ascii) /* the common case: nothing to normalise */
		return (char *)s;
	buf_t b;
	buf_init(&b, n * 4 + 16);
	char *out = utf8_nfc(s, n, &b) == 0 ? arena_strndup(a, buf_cstr(&b), b.len) : NULL;
	buf_release(&b);
	return out;
}

const char *http_query(const http_request_t *req, const char *name)
{
	size_t nl = strlen(name);
	const char *q = req->query;
	while (q && *q) {
		const char *amp = strchr(q, '&');
		size_t len = amp ? (size_t)(amp - q) : strlen(q);
		if (len > nl && strncmp(q, name, nl) == 0 && q[nl] == '=')
			return http_nfc(req->arena, http_urldecode(req->arena, q + nl + 1, len - nl - 1, 1));
		if (len == nl && strncmp(q, name, nl) == 0)
			return "";
		q = amp ? amp + 1 : NULL;
	}
	return NULL;
}

long long http_query_int(const http_request_t *req, const char *name, long long min, long long max, long long dflt)
{
	const char *v = http_query(req, name);
	if (!v || !*v)
		return dflt;
	char *end;
	long long n = strtoll(v, &end, 10);
	if (*end || n < min || n > max)
		return dflt;
	return n;
}

void http_add_header(http_response_t *res, const char *name, const char *value)
{
	/* a CR or LF in a value would let whoever chose it add headers of their own: drop the header */
	if (!value || strpbrk(value, "\r\n"))
		return;
	if (res->nheaders < HTTP_MAX_RESP_HEADERS) {
		res->headers[res->nheaders].name = name;
		res->headers[res->nheaders].value = value;
		res->nheaders++;
	}
}

void http_redirect(http_response_t *res, int status, const char *location)
{
	res->status = status;
	http_add_header(res, "location", location);
}
