/* http: what a handler sees.  A handler runs on a worker thread with a plain copy of the request (it never
 * touches h2o) and fills a response; the server sends it from the connection's event loop. */
#ifndef HTTP_HTTP_H
#define HTTP_HTTP_H
#include "core/arena.h"
#include "core/buf.h"

typedef struct db db_t;

typedef struct http_header {
	const char *name;
	const char *value;
} http_header_t;

#define HTTP_MAX_PARAMS 4
#define HTTP_MAX_RESP_HEADERS 12

typedef struct http_request {
	arena_t *arena;      /* everything allocated for this request; freed when it completes */
	db_t *db;            /* the worker's connection */
	const char *rid;     /* request id, also in the access log */
	const char *method;
	const char *path;    /* percent-decoded, NFC, without the query; always starts with '/' */
	const char *raw_path;/* as sent, without the query */
	const char *query;   /* raw query string without '?', or "" */
	const char *body;
	size_t body_len;
	http_header_t *headers; /* request headers, names lowercase */
	int nheaders;
	const char *remote;  /* client address */
	int tls;
	/* set by the router */
	const char *lang;    /* "vi", "en", "zh" */
	const char *prefix;  /* "", "/en", "/zh" */
	const char *params[HTTP_MAX_PARAMS];
	const void *auth;    /* the signed-in user, looked up once by auth_user() */
	const char *base_url;/* the site.base_url setting, read once per request (app_setting) */
} http_request_t;

typedef struct http_response {
	int status;
	const char *content_type;
	buf_t body;
	http_header_t headers[HTTP_MAX_RESP_HEADERS];
	int nheaders;
	int cache_ttl;        /* > 0: a public page the page cache may keep for that many seconds;
			       * < 0: private (a staff page): "Cache-Control: private, no-store" */
	long long article_id; /* > 0: each hit on this page counts as a view of that article */
} http_response_t;

/* The value of request header name (lowercase), or NULL. */
const char *http_header(const http_request_t *req, const char *name);
/* The value of query parameter name, percent-decoded into the arena, or NULL. */
const char *http_query(const http_request_t *req, const char *name);
/* Parses query parameter name as an integer in [min, max]; dflt when absent or malformed. */
long long http_query_int(const http_request_t *req, const char *name, long long min, long long max, long long dflt);
/* Adds a response header; name and value must outlive the response (literals or arena strings). */
void http_add_header(http_response_t *res, const char *name, const char *value);
/* Sets a redirect (301, 302, 303) to location. */
void http_redirect(http_response_t *res, int status, const char *location);
/* Percent-decodes s (n bytes) into the arena; '+' becomes a space when form is set.  NULL on bad escapes
 * or NUL bytes. */
char *http_urldecode(arena_t *a, const char *s, size_t n, int form);
/* s percent-encoded for a URL query component, in the arena (NULL when out of memory). */
char *http_urlencode(arena_t *a, const char *s);
/* s in NFC (invalid UTF-8 replaced, control characters dropped), copied into the arena when it changes;
 * NULL stays NULL.  Everything a client sends passes through here before a handler sees it. */
char *http_nfc(arena_t *a, const char *s);
#endif
