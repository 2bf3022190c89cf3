/* routes: the one table of routes.  The language prefix (/en, /zh) is taken off first; patterns match
 * the rest segment by segment, `*` capturing one segment into req->params. */
#include <string.h>

#include "app/app.h"
#include "core/log.h"
#include "db/db.h"
#include "admin/admin.h"
#include "api/api.h"
#include "api/procedures.h"
#include "api/public.h"
#include "auth/routes.h"
#include "news/feeds.h"
#include "news/news.h"
#include "search/search.h"
#include "svc/catalog_pages.h"
#include "svc/citizen.h"
#include "svc/stats.h"

static void app_healthz(http_request_t *req, http_response_t *res);

static const app_route_t app_core_routes[] = {
	{"GET", "vi", "/healthz", app_healthz},
	{NULL, NULL, NULL, NULL},
};

/* Every module's table, searched in order. */
static const app_route_t *const app_tables[] = {
	app_core_routes,     feed_routes,         news_routes,         auth_routes,        totp_routes,     admin_routes,
	admin_article_routes, admin_media_routes, admin_user_routes,  admin_site_routes, admin_dossier_routes,
	admin_calendar_routes, api_routes,
	search_routes,
	api_public_routes,   stats_routes,        stats_admin_routes,
	citizen_routes,      catalog_routes,      api_procedure_routes, admin_catalog_routes,
};

/* For a load balancer: 200 when this server can reach its database, 503 when it cannot. */
static void app_healthz(http_request_t *req, http_response_t *res)
{
	int ok = db_int(req->db, "SELECT 1", "", 0) == 1;
	res->status = ok ? 200 : 503;
	res->content_type = "text/plain; charset=utf-8";
	buf_puts(&res->body, ok ? "ok\n" : "database unavailable\n");
}

/* Whatever a handler answered, losing the database mid-way makes it a 503 (the localized page, or JSON
 * under /api/), with Retry-After: nothing was acknowledged, and the next request reconnects. */
static void app_db_lost(http_request_t *req, http_response_t *res)
{
	if (!db_unavailable(req->db) || res->status == 503)
		return;
	log_msg(LOG_WARN, req->rid, "database unavailable: %s", db_errmsg(req->db));
	res->nheaders = 0;
	if (strncmp(req->path, "/api/", 5) == 0) {
		buf_reset(&res->body);
		res->status = 503;
		res->cache_ttl = 0;
		res->content_type = "application/json";
		buf_puts(&res->body, "{\"error\":\"unavailable\",\"message\":\"The database is unavailable; try again shortly.\"}\n");
	} else {
		app_error(req, res, 503);
	}
	http_add_header(res, "retry-after", "5");
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
	buf_t allow; /* the methods this path does answer, for a 405's Allow header */
	buf_init(&allow, 128);
	for (size_t t = 0; t < sizeof(app_tables) / sizeof(app_tables[0]); t++)
		for (const app_route_t *r = app_tables[t]; r->method; r++) {
			if (!app_lang_ok(r->langs, req->lang) || !app_match(r->pattern, rest, req))
				continue;
			path_known = 1;
			if (strcmp(r->method, req->method) == 0 || (is_get && strcmp(r->method, "GET") == 0)) {
				buf_release(&allow);
				r->fn(req, res);
				app_db_lost(req, res);
				return;
			}
			buf_appendf(&allow, "%s%s%s", allow.len ? ", " : "", r->method, strcmp(r->method, "GET") ? "" : ", HEAD");
		}
	if (path_known) {
		http_add_header(res, "allow", arena_strdup(req->arena, buf_cstr(&allow)));
		buf_release(&allow);
		app_error(req, res, 405);
		return;
	}
	buf_release(&allow);
	app_error(req, res, 404);
}
