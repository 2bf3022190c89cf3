/* app: what every handler shares — the immutable run-time context (settings, templates, catalogs), the
 * common page context (header, menu, language switch, footer) and the route table. */
#ifndef APP_APP_H
#define APP_APP_H
#include <jansson.h>

#include "core/config.h"
#include "http/http.h"

typedef struct tpl_set tpl_set_t;
typedef struct i18n i18n_t;

#define APP_NLANGS 3
extern const char *const app_langs[APP_NLANGS]; /* "vi", "en", "zh": vi is the default, at "/" */

typedef struct app {
	config_t cfg;
	char *db_path;
	char *media_dir;
	char *files_dir; /* dossier documents and procedure forms (svc/) */
	tpl_set_t *tpl;
	i18n_t *cat[APP_NLANGS];
	const char *css_url;
	const char *staff_css_url;
} app_t;

extern app_t app; /* filled once at start-up, read-only afterwards */

/* Loads templates, catalogs and static assets from cfg.share_dir.  0, or -1 with *err. */
int app_load(char **err);
void app_unload(void);

/* A route: method (GET also answers HEAD), the languages the pattern exists in ("vi", "en zh" …), the
 * pattern after the language prefix ("*" captures one segment into req->params), and the handler.
 * Each module exports its own table, ended by an entry with a NULL method; app/routes.c lists them. */
typedef struct app_route {
	const char *method;
	const char *langs;
	const char *pattern;
	void (*fn)(http_request_t *req, http_response_t *res);
} app_route_t;

/* The request dispatcher: routes by language prefix, path and method. */
void app_handle(http_request_t *req, http_response_t *res);

/* The catalog string for msgid in the request's language. */
const char *app_t_(const http_request_t *req, const char *msgid);
/* The value of a site setting (an arena copy), or dflt. */
const char *app_setting(http_request_t *req, const char *key, const char *dflt);
/* Keeps the site settings for pages rendered without a database (call once the database is ready). */
void app_snapshot_site(db_t *db);
/* The common context of a page: site, langs, menu, today, css …  title is the page's own title (NULL for
 * the home page).  Language-switch targets default to each language's home; see app_set_alternate. */
json_t *app_page_ctx(http_request_t *req, const char *title);
/* Points the language switch for lang at url (e.g. an article's translation, or the page itself for its
 * own language) and declares it an hreflang alternate. */
void app_set_alternate(json_t *ctx, const char *lang, const char *url);
/* Renders template name with ctx (which it takes over) into res as a 200 text/html page, cacheable for
 * cfg.cache_ttl seconds. */
void app_render(http_request_t *req, http_response_t *res, const char *name, json_t *ctx);
/* Sends v (taken over) as a compact JSON body with status; ttl is the page cache's res->cache_ttl (> 0 a
 * public answer, 0 not kept, < 0 private).  _error sends {"error": code, "message": message}. */
void app_json(http_response_t *res, int status, int ttl, json_t *v);
void app_json_error(http_response_t *res, int status, int ttl, const char *code, const char *message);
/* A localized error page (404, 400, 405, 413, 500). */
void app_error(http_request_t *req, http_response_t *res, int status);
/* The error page the loop sends for bodies h2o refused (no database, no request). */
void app_error_page_static(int status, const char *path, buf_t *out);
/* Formats a UTC time as the local (Vietnam, UTC+7) date/time for lang: with_time adds hh:mm. */
char *app_date(arena_t *a, const char *lang, long long t, int with_time);
/* ISO 8601 with the +07:00 offset, for <time datetime>. */
char *app_iso(arena_t *a, long long t);
#endif
