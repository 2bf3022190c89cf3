/* routes: the one table of routes.  The language prefix (/en, /zh) is taken off first; patterns match
 * the rest segment by segment, `*` capturing one segment into req->params. */
#include <string.h>

#include "app/app.h"
#include "news/news.h"

typedef void (*app_handler_fn)(http_request_t *, http_response_t *);

static void app_healthz(http_request_t *req, http_response_t *res);

static const struct app_route {
	const char *method; /* GET also answers HEAD */
	const char *langs;  /* languages the pattern exists in */
	const char *pattern;
	app_handler_fn fn;
} app_routes[] = {
	{"GET", "vi en zh", "/", news_home},
	{"GET", "vi", "/tin-tuc", news_all},
	{"GET", "en zh", "/news", news_all},
	{"GET", "vi", "/tin-tuc/*", news_article},
	{"GET", "en zh", "/news/*", news_article},
	{"GET", "vi", "/chuyen-muc/*", news_category},
	{"GET", "en zh", "/category/*", news_category},
	{"GET", "vi", "/trang/*", news_page},
	{"GET", "en zh", "/page/*", news_page},
	{"GET", "vi", "/healthz", app_healthz},
};

static void app_healthz(http_request_t *req, http_response_t *res)
{
	res->content_type = "text/plain; charset=utf-8";
	buf_puts(&res->body, "ok\n");
}

/* Matches path against pattern, capturing `*` segments.  1 on a match. */
static int app_match(const char *pattern, const char *path, http_request_t *req)
{
	int np = 0;
	while (*pattern && *path) {
		if (*pattern == '*') {
			const char *end = strchr(path, '/');
			size_t n = end ? (size_t)(end - path) : strlen(path);
			if (n == 0 || np == HTTP_MAX_PARAMS)
				return 0;
			req->params[np++] = arena_strndup(req->arena, path, n);
			pattern++;
			path += n;
		} else if (*pattern++ != *path++) {
			return 0;
		}
	}
	return *pattern == '\0' && *path == '\0';
}

static int app_lang_ok(const char *langs, const char *lang)
{
	const char *p = strstr(langs, lang);
	return p != NULL;
}

void app_handle(http_request_t *req, http_response_t *res)
{
	req->lang = "vi";
	req->prefix = "";
	if (!req->path || strlen(req->path) > 2048) { /* a path that does not decode is not a page */
		app_error(req, res, 400);
		return;
	}
	const char *rest = req->path;
	for (int i = 1; i < APP_NLANGS; i++) {
		size_t n = strlen(app_langs[i]);
		if (rest[0] == '/' && strncmp(rest + 1, app_langs[i], n) == 0 && (rest[n + 1] == '/' || !rest[n + 1])) {
			req->lang = app_langs[i];
			req->prefix = i == 1 ? "/en" : "/zh";
			rest += n + 1;
			if (!*rest) { /* "/en" → "/en/" so relative links and the cache key are the same */
				http_redirect(res, 301, arena_printf(req->arena, "%s/", req->prefix));
				return;
			}
			break;
		}
	}
	size_t len = strlen(rest);
	if (len > 1 && rest[len - 1] == '/') { /* one URL per page: drop a trailing slash */
		http_redirect(res, 301, arena_printf(req->arena, "%s%.*s", req->prefix, (int)(len - 1), rest));
		return;
	}
	int is_get = strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
	int path_known = 0;
	for (size_t i = 0; i < sizeof(app_routes) / sizeof(app_routes[0]); i++) {
		const struct app_route *r = &app_routes[i];
		if (!app_lang_ok(r->langs, req->lang) || !app_match(r->pattern, rest, req))
			continue;
		path_known = 1;
		if (strcmp(r->method, req->method) == 0 || (is_get && strcmp(r->method, "GET") == 0)) {
			r->fn(req, res);
			return;
		}
	}
	if (path_known) {
		http_add_header(res, "allow", "GET, HEAD");
		app_error(req, res, 405);
		return;
	}
	app_error(req, res, 404);
}
