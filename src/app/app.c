#include "app/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "db/db.h"
#include "http/server.h"
#include "news/news.h"
#include "view/i18n.h"
#include "view/tpl.h"

app_t app;
const char *const app_langs[APP_NLANGS] = {"vi", "en", "zh"};
static const char *const app_lang_labels[APP_NLANGS] = {"Tiếng Việt", "English", "中文"};
static const char *const app_prefixes[APP_NLANGS] = {"", "/en", "/zh"};

/* Site settings as seen at start-up, for the few pages rendered without a database (413 on the loop). */
static json_t *app_site_snapshot[APP_NLANGS];

static int app_lang_index(const char *lang)
{
	for (int i = 0; i < APP_NLANGS; i++)
		if (strcmp(lang, app_langs[i]) == 0)
			return i;
	return 0;
}

const char *app_t_(const http_request_t *req, const char *msgid)
{
	return i18n_get(app.cat[app_lang_index(req->lang ? req->lang : "vi")], msgid);
}

int app_load(char **err)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/templates", app.cfg.share_dir);
	if ((app.tpl = tpl_set_load(path, err)) == NULL)
		return -1;
	for (int i = 0; i < APP_NLANGS; i++) {
		snprintf(path, sizeof(path), "%s/locale/%s.po", app.cfg.share_dir, app_langs[i]);
		if ((app.cat[i] = i18n_load_po(path, err)) == NULL)
			return -1;
	}
	snprintf(path, sizeof(path), "%s/static", app.cfg.share_dir);
	if (http_static_load(path, err) < 0)
		return -1;
	app.css_url = http_static_url("css/site.css");
	app.staff_css_url = http_static_url("css/staff.css");
	if (!app.css_url) {
		*err = strdup("static/css/site.css is missing");
		return -1;
	}
	return 0;
}

void app_unload(void)
{
	tpl_set_free(app.tpl);
	for (int i = 0; i < APP_NLANGS; i++) {
		i18n_free(app.cat[i]);
		json_decref(app_site_snapshot[i]);
	}
}

/* ---- dates --------------------------------------------------------------------------------------- */

#define APP_TZ_OFFSET (7 * 3600) /* Vietnam: UTC+7 all year, no daylight saving */

char *app_date(arena_t *a, const char *lang, long long t, int with_time)
{
	static const char *const months_en[12] = {"January", "February", "March", "April", "May", "June", "July",
						  "August", "September", "October", "November", "December"};
	time_t lt = (time_t)(t + APP_TZ_OFFSET);
	struct tm tm;
	gmtime_r(&lt, &tm);
	char hm[8] = "";
	if (with_time)
		snprintf(hm, sizeof(hm), "%02d:%02d", tm.tm_hour, tm.tm_min);
	if (strcmp(lang, "en") == 0)
		return arena_printf(a, "%d %s %d%s%s", tm.tm_mday, months_en[tm.tm_mon], tm.tm_year + 1900,
				    with_time ? ", " : "", hm);
	if (strcmp(lang, "zh") == 0)
		return arena_printf(a, "%d年%d月%d日%s%s", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
				    with_time ? " " : "", hm);
	return arena_printf(a, "%02d/%02d/%d%s%s", tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900, with_time ? " " : "",
			    hm);
}

char *app_iso(arena_t *a, long long t)
{
	time_t lt = (time_t)(t + APP_TZ_OFFSET);
	struct tm tm;
	gmtime_r(&lt, &tm);
	return arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02d+07:00", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			    tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* "Thứ Bảy, 28/11/2026" / "Saturday, 28 November 2026" / "2026年11月28日 星期六" */
static char *app_today(http_request_t *req)
{
	static const char *const days[7] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
	long long now = (long long)time(NULL);
	time_t lt = (time_t)(now + APP_TZ_OFFSET);
	struct tm tm;
	gmtime_r(&lt, &tm);
	const char *day = app_t_(req, days[tm.tm_wday]);
	const char *date = app_date(req->arena, req->lang, now, 0);
	if (strcmp(req->lang, "zh") == 0)
		return arena_printf(req->arena, "%s %s", date, day);
	return arena_printf(req->arena, "%s, %s", day, date);
}

/* ---- the common page context --------------------------------------------------------------------- */

const char *app_setting(http_request_t *req, const char *key, const char *dflt)
{
	/* the base URL goes into every absolute link of a page: one query per request, not one per link (a
	 * round trip each on PostgreSQL) */
	int base = strcmp(key, "site.base_url") == 0;
	if (base && req->base_url)
		return *req->base_url ? req->base_url : dflt;
	db_stmt_t *st = db_prepare(req->db, "SELECT value FROM settings WHERE key = ?");
	const char *v = dflt;
	if (st && db_bindf(st, "s", key) == 0 && db_step(st) == DB_ROW)
		v = arena_strdup(req->arena, db_col_text(st, 0));
	if (st)
		db_done(st);
	if (base)
		req->base_url = v ? v : "";
	return v;
}

/* The main menu of the request's language; the item whose URL is a prefix of the path is current. */
static json_t *app_menu(http_request_t *req)
{
	json_t *menu = json_array();
	db_stmt_t *st = db_prepare(req->db, "SELECT label, url FROM menu_items WHERE lang = ? ORDER BY position, id");
	if (!st || db_bindf(st, "s", req->lang) < 0)
		return menu;
	const char *here = req->raw_path;
	size_t best = 0;
	json_t *current = NULL;
	while (db_step(st) == DB_ROW) {
		const char *url = db_col_text(st, 1);
		json_t *item = json_pack("{s:s, s:s, s:b}", "label", db_col_text(st, 0), "url", url, "current", 0);
		size_t n = strlen(url);
		int home = strcmp(url, "/") == 0 || (n == 4 && url[3] == '/');
		int match = home ? strcmp(here, url) == 0 : strncmp(here, url, n) == 0 && (here[n] == '\0' || here[n] == '/');
		if (match && n > best) {
			best = n;
			current = item;
		}
		json_array_append_new(menu, item);
	}
	db_done(st);
	if (current)
		json_object_set_new(current, "current", json_true());
	return menu;
}

/* The site's identity in the request's language, from one query: site.<key>.<lang> and the language-less
 * site.phone / site.email. */
static json_t *app_site(http_request_t *req)
{
	static const char *const keys[] = {"name", "agency", "responsible", "address", "license", "phone", "email"};
	json_t *site = json_object();
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		json_object_set_new(site, keys[i], json_string(""));
	db_stmt_t *st = db_prepare(req->db, "SELECT key, value FROM settings WHERE key LIKE 'site.%'");
	size_t ll = strlen(req->lang);
	while (st && db_step(st) == DB_ROW) {
		const char *k = db_col_text(st, 0) + 5, *dot = strchr(k, '.');
		if (strcmp(k, "base_url") == 0)
			req->base_url = arena_strdup(req->arena, db_col_text(st, 1));
		size_t kl = dot ? (size_t)(dot - k) : strlen(k);
		if (dot && (strlen(dot + 1) != ll || strcmp(dot + 1, req->lang) != 0))
			continue; /* another language's value */
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (strlen(keys[i]) == kl && strncmp(keys[i], k, kl) == 0)
				json_object_set_new(site, keys[i], json_string(db_col_text(st, 1)));
	}
	if (st)
		db_done(st);
	return site;
}

json_t *app_page_ctx(http_request_t *req, const char *title)
{
	json_t *ctx = json_object();
	json_t *site = app_site(req);
	const char *site_name = json_string_value(json_object_get(site, "name"));
	json_object_set_new(ctx, "lang", json_string(req->lang));
	json_object_set_new(ctx, "prefix", json_string(req->prefix));
	json_object_set_new(ctx, "home_url", json_string(*req->prefix ? arena_printf(req->arena, "%s/", req->prefix) : "/"));
	json_object_set_new(ctx, "title", json_string(title ? arena_printf(req->arena, "%s | %s", title, site_name) : site_name));
	json_object_set_new(ctx, "page_title", json_string(title ? title : site_name));
	const char *base = app_setting(req, "site.base_url", "");
	long long page = http_query_int(req, "page", 2, 100000, 0);
	json_object_set_new(ctx, "base", json_string(base));
	json_object_set_new(ctx, "canonical", json_string(page ? arena_printf(req->arena, "%s%s?page=%lld", base, req->raw_path, page)
							       : arena_printf(req->arena, "%s%s", base, req->raw_path)));
	json_object_set_new(ctx, "css", json_string(app.css_url));
	json_object_set_new(ctx, "today", json_string(app_today(req)));
	/* the date only: a time of day here would give the page a new ETag every second */
	json_object_set_new(ctx, "today_iso", json_string(arena_strndup(req->arena, app_iso(req->arena, (long long)time(NULL)), 10)));
	json_object_set_new(ctx, "login_url", json_string(strcmp(req->lang, "vi") == 0 ? "/dang-nhap"
								  : arena_printf(req->arena, "%s/login", req->prefix)));
	json_object_set_new(ctx, "skip_label", json_string(app_t_(req, "Skip to main content")));
	json_object_set_new(ctx, "site", site);

	json_t *langs = json_array();
	for (int i = 0; i < APP_NLANGS; i++) {
		/* "alt": a real equivalent page (hreflang); otherwise the switch just leads to that language's home */
		json_t *l = json_pack("{s:s, s:s, s:s, s:b, s:b}", "code", app_langs[i], "label", app_lang_labels[i], "url",
				      i == 0 ? "/" : arena_printf(req->arena, "%s/", app_prefixes[i]), "current",
				      strcmp(app_langs[i], req->lang) == 0, "alt", title == NULL);
		json_array_append_new(langs, l);
	}
	json_object_set_new(ctx, "langs", langs);
	json_object_set_new(ctx, "menu", app_menu(req));
	return ctx;
}

void app_set_alternate(json_t *ctx, const char *lang, const char *url)
{
	size_t i;
	json_t *l;
	json_array_foreach(json_object_get(ctx, "langs"), i, l)
	{
		if (strcmp(json_string_value(json_object_get(l, "code")), lang) == 0) {
			json_object_set_new(l, "url", json_string(url));
			json_object_set_new(l, "alt", json_true());
		}
	}
}

void app_render(http_request_t *req, http_response_t *res, const char *name, json_t *ctx)
{
	res->status = 200;
	res->content_type = "text/html; charset=utf-8";
	if (tpl_render(app.tpl, name, ctx, app.cat[app_lang_index(req->lang)], &res->body) < 0) {
		log_msg(LOG_ERR, req->rid, "cannot render template %s", name);
		buf_reset(&res->body);
		res->status = 500;
		res->cache_ttl = 0;
		buf_puts(&res->body, "internal error");
	} else if (res->cache_ttl == 0) {
		res->cache_ttl = app.cfg.cache_ttl;
	}
	json_decref(ctx);
}

void app_json(http_response_t *res, int status, int ttl, json_t *v)
{
	res->status = status;
	res->content_type = "application/json; charset=utf-8";
	res->cache_ttl = ttl;
	char *s = json_dumps(v, JSON_COMPACT);
	buf_puts(&res->body, s ? s : "null");
	buf_putc(&res->body, '\n');
	free(s);
	json_decref(v);
}

void app_json_error(http_response_t *res, int status, int ttl, const char *code, const char *message)
{
	app_json(res, status, ttl, json_pack("{s:s, s:s}", "error", code, "message", message));
}

/* ---- errors -------------------------------------------------------------------------------------- */

static const struct {
	int status;
	const char *heading, *message;
} app_errors[] = {
	{400, "Bad request", "The request could not be understood."},
	{401, "Sign-in required", "Please sign in to continue."},
	{403, "Forbidden", "You do not have permission to do this, or the form expired. Go back, reload the page and try again."},
	{404, "Page not found", "The page you are looking for does not exist or has been moved."},
	{405, "Method not allowed", "This address does not accept that kind of request."},
	{413, "Request too large", "The data you sent is larger than this site accepts."},
	{429, "Too many requests", "Please wait a moment and try again."},
	{503, "Service busy", "The portal is busy right now. Please try again in a moment."},
	{500, "Server error", "Something went wrong on our side. Please try again later."},
};

/* The entry for status; a status without its own text is shown as a server error (500's text). */
static int app_error_index(int status)
{
	for (int pass = 0; pass < 2; pass++, status = 500)
		for (size_t i = 0; i < sizeof(app_errors) / sizeof(app_errors[0]); i++)
			if (app_errors[i].status == status)
				return (int)i;
	return 0;
}

static void app_error_ctx(json_t *ctx, const i18n_t *cat, int status)
{
	int e = app_error_index(status);
	json_object_set_new(ctx, "status", json_integer(status));
	json_object_set_new(ctx, "heading", json_string(i18n_get(cat, app_errors[e].heading)));
	json_object_set_new(ctx, "message", json_string(i18n_get(cat, app_errors[e].message)));
}

void app_error(http_request_t *req, http_response_t *res, int status)
{
	if (!req->lang) {
		req->lang = "vi";
		req->prefix = "";
	}
	const i18n_t *cat = app.cat[app_lang_index(req->lang)];
	json_t *ctx = app_page_ctx(req, i18n_get(cat, app_errors[app_error_index(status)].heading));
	app_error_ctx(ctx, cat, status);
	buf_reset(&res->body);
	res->cache_ttl = 0;
	app_render(req, res, "error", ctx);
	res->cache_ttl = 0;
	if (res->status == 200)
		res->status = status;
}

void app_error_page_static(int status, const char *path, buf_t *out)
{
	int li = strncmp(path, "/en/", 4) == 0 ? 1 : strncmp(path, "/zh/", 4) == 0 ? 2 : 0;
	const i18n_t *cat = app.cat[li];
	const char *heading = i18n_get(cat, app_errors[app_error_index(status)].heading);
	json_t *ctx = json_pack("{s:s, s:s, s:s, s:s, s:s}", "lang", app_langs[li], "prefix", app_prefixes[li], "css",
				app.css_url, "title", heading, "home_url", li ? (li == 1 ? "/en/" : "/zh/") : "/");
	if (app_site_snapshot[li])
		json_object_set(ctx, "site", app_site_snapshot[li]);
	app_error_ctx(ctx, cat, status);
	if (tpl_render(app.tpl, "error", ctx, cat, out) < 0) {
		buf_reset(out);
		buf_puts(out, heading);
	}
	json_decref(ctx);
}

void app_snapshot_site(db_t *db)
{
	http_request_t req;
	arena_t a;
	arena_init(&a, 0);
	memset(&req, 0, sizeof(req));
	req.arena = &a;
	req.db = db;
	for (int i = 0; i < APP_NLANGS; i++) {
		req.lang = app_langs[i];
		app_site_snapshot[i] = app_site(&req);
	}
	arena_release(&a);
}
