/* api/procedures: the catalog's JSON API (see procedures.h).  The queries are the public pages' own
 * (svc/catalog_pages.h), so both always agree on what is published and how translations fall back. */
#include "api/procedures.h"

#include <stdlib.h>
#include <string.h>

#include "api/public.h"
#include "svc/catalog_pages.h"

static void apip_list(http_request_t *req, http_response_t *res);
static void apip_get(http_request_t *req, http_response_t *res);

const app_route_t api_procedure_routes[] = {
	{"GET", "vi", "/api/v1/procedures", apip_list},
	{"GET", "vi", "/api/v1/procedures/*", apip_get},
	{"OPTIONS", "vi", "/api/v1/procedures", api_public_preflight},
	{"OPTIONS", "vi", "/api/v1/procedures/*", api_public_preflight},
	{NULL, NULL, NULL, NULL},
};

/* Public and cacheable when it worked; readable from any origin. */
static void apip_json(http_response_t *res, int status, json_t *v)
{
	http_add_header(res, "access-control-allow-origin", "*");
	app_json(res, status, status == 200 ? app.cfg.cache_ttl : 0, v);
}

static void apip_error(http_response_t *res, int status, const char *code, const char *message)
{
	apip_json(res, status, json_pack("{s:s, s:s}", "error", code, "message", message));
}

/* The lang parameter: vi (default), en or zh; NULL when it is something else. */
static const char *apip_lang(http_request_t *req)
{
	const char *l = http_query(req, "lang");
	if (!l || !*l)
		return "vi";
	for (int i = 0; i < APP_NLANGS; i++)
		if (strcmp(l, app_langs[i]) == 0)
			return app_langs[i];
	return NULL;
}

static const char *apip_base(http_request_t *req)
{
	const char *b = app_setting(req, "site.base_url", "");
	size_t n = strlen(b);
	while (n && b[n - 1] == '/')
		n--;
	return arena_strndup(req->arena, b, n);
}

/* Adds the links of a procedure object (html page, submission form, this API). */
static void apip_links(http_request_t *req, json_t *p, const char *lang)
{
	const char *code = json_string_value(json_object_get(p, "code")), *base = apip_base(req);
	json_object_set_new(p, "url", json_string(arena_printf(req->arena, "%s%s", base, catalog_proc_url(req->arena, lang, code))));
	json_object_set_new(p, "submit_url", json_string(arena_printf(req->arena, "%s%s", base, catalog_submit_url(req->arena, lang, code))));
	json_object_set_new(p, "api_url", json_string(arena_printf(req->arena, "%s/api/v1/procedures/%s", base, code)));
}

static void apip_list(http_request_t *req, http_response_t *res)
{
	if (!api_public_allowed(req, res))
		return;
	const char *lang = apip_lang(req);
	if (!lang) {
		apip_error(res, 400, "bad_lang", "lang must be vi, en or zh.");
		return;
	}
	const char *level = http_query(req, "level");
	if (level && *level && strcmp(level, "tinh") && strcmp(level, "xa")) {
		apip_error(res, 400, "bad_level", "level must be tinh (province) or xa (commune).");
		return;
	}
	long long page = http_query(req, "page") ? http_query_int(req, "page", 1, 10000, -1) : 1;
	if (page < 0) {
		apip_error(res, 400, "bad_page", "page must be a number from 1.");
		return;
	}
	const char *q = http_query(req, "q");
	catalog_filter_t f = {http_nfc(req->arena, http_query(req, "field")), http_nfc(req->arena, http_query(req, "agency")), level,
			      q ? http_nfc(req->arena, q) : NULL};
	long long total = 0;
	json_t *items = catalog_list(req, lang, &f, page, &total);
	if (!items) {
		apip_error(res, 500, "internal", "The catalog could not be read.");
		res->cache_ttl = -1;
		return;
	}
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) apip_links(req, it, lang);
	long long pages = (total + CATALOG_PER_PAGE - 1) / CATALOG_PER_PAGE;
	apip_json(res, 200, json_pack("{s:s, s:I, s:I, s:I, s:i, s:o}", "lang", lang, "page", page, "pages", pages, "total", total,
				      "per_page", CATALOG_PER_PAGE, "items", items));
}

static void apip_get(http_request_t *req, http_response_t *res)
{
	if (!api_public_allowed(req, res))
		return;
	const char *lang = apip_lang(req);
	if (!lang) {
		apip_error(res, 400, "bad_lang", "lang must be vi, en or zh.");
		return;
	}
	json_t *p = catalog_get(req, lang, req->params[0]);
	if (!p) {
		apip_error(res, 404, "not_found", "No published procedure has this code.");
		return;
	}
	apip_links(req, p, lang);
	const char *base = apip_base(req);
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(p, "forms"), i, f)
		json_object_set_new(f, "url", json_string(arena_printf(req->arena, "%s%s", base, json_string_value(json_object_get(f, "url")))));
	json_object_set_new(p, "lang", json_string(lang));
	apip_json(res, 200, p);
}
