#include "admin/admin.h"

#include <string.h>

#include "auth/routes.h"
#include "db/db.h"

static void admin_dashboard(http_request_t *req, http_response_t *res);

const app_route_t admin_routes[] = {
	{"GET", "vi en zh", "/admin", admin_dashboard},
	{NULL, NULL, NULL, NULL},
};

long long admin_id(const char *s)
{
	long long v = 0;
	if (!s || !*s || *s == '0' || strlen(s) > 15)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (*s - '0');
	}
	return v;
}

const char *admin_url(const http_request_t *req, const char *path)
{
	return arena_printf(req->arena, "%s/admin%s", req->prefix, path);
}

void admin_forbidden(http_request_t *req, http_response_t *res)
{
	app_error(req, res, 403);
	res->cache_ttl = -1;
}

const auth_user_t *admin_require(http_request_t *req, http_response_t *res, perm_t p, long long author_id,
				 const char *status)
{
	const auth_user_t *u = auth_user(req);
	res->cache_ttl = -1;
	if (!u) {
		if (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0) {
			/* come back here after signing in */
			const char *here = *req->query ? arena_printf(req->arena, "%s?%s", req->raw_path, req->query) : req->raw_path;
			http_redirect(res, 303, arena_printf(req->arena, "%s?next=%s", auth_login_url(req), http_urlencode(req->arena, here)));
		} else {
			app_error(req, res, 401);
		}
		return NULL;
	}
	if (!perm_allows(u, p, author_id, status)) {
		admin_forbidden(req, res);
		return NULL;
	}
	return u;
}

form_t *admin_form(http_request_t *req, http_response_t *res)
{
	form_t *f = form_parse(req);
	if (!auth_csrf_ok(req, f)) {
		admin_forbidden(req, res);
		return NULL;
	}
	return f;
}

json_t *admin_ctx(http_request_t *req, const char *title, const char *section)
{
	const auth_user_t *u = auth_user(req);
	json_t *ctx = app_page_ctx(req, title);
	json_object_set_new(ctx, "staff_css", json_string(app.staff_css_url));
	static const struct {
		const char *id, *label, *path;
		perm_t perm;
	} nav[] = {
		{"dashboard", "Overview", "", PERM_ARTICLE_LIST},  {"articles", "Articles", "/articles", PERM_ARTICLE_LIST},
		{"media", "Media library", "/media", PERM_MEDIA_UPLOAD}, {"users", "Users", "/users", PERM_USERS},
		{"audit", "Audit log", "/audit", PERM_AUDIT},        {"settings", "Site settings", "/settings", PERM_SETTINGS},
		{"dossiers", "Dossiers", "/dossiers", PERM_DOSSIER}, {"calendar", "Calendar", "/calendar", PERM_CALENDAR},
		{"stats", "Statistics", "/stats", PERM_STATS},
		{"catalog", "Procedures", "/catalog", PERM_CATALOG},
	};
	json_t *items = json_array();
	for (size_t i = 0; i < sizeof(nav) / sizeof(nav[0]); i++)
		if (perm_allows(u, nav[i].perm, 0, NULL))
			json_array_append_new(items, json_pack("{s:s, s:s, s:b}", "label", app_t_(req, nav[i].label), "url",
							       admin_url(req, nav[i].path), "current",
							       section && strcmp(section, nav[i].id) == 0));
	json_object_set_new(ctx, "staff",
			    json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s}", "login", u ? u->login : "", "name",
				      u ? u->display_name : "", "role", u ? app_t_(req, u->role) : "", "csrf", u ? u->csrf : "",
				      "nav", items, "logout_url", admin_url(req, "/logout"), "home", admin_url(req, ""),
				      "profile_url", admin_url(req, "/profile")));
	const char *flash = http_cookie(req, "cong_flash");
	if (flash && *flash)
		json_object_set_new(ctx, "flash", json_string(app_t_(req, http_urldecode(req->arena, flash, strlen(flash), 0) ?: "")));
	return ctx;
}

void admin_render(http_request_t *req, http_response_t *res, const char *tpl, json_t *ctx)
{
	res->cache_ttl = -1;
	if (http_cookie(req, "cong_flash")) /* shown once */
		http_add_header(res, "set-cookie", "cong_flash=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
	app_render(req, res, tpl, ctx);
	res->cache_ttl = -1;
}

void admin_flash(http_request_t *req, http_response_t *res, const char *msgid)
{
	http_add_header(res, "set-cookie", arena_printf(req->arena, "cong_flash=%s; Path=/; HttpOnly; SameSite=Lax%s",
							 http_urlencode(req->arena, msgid), req->tls ? "; Secure" : ""));
}

/* ---- the dashboard --------------------------------------------------------------------------------- */

static void admin_dashboard(http_request_t *req, http_response_t *res)
{
	/* an officer has no articles: their overview is their dossier queues */
	const auth_user_t *o = auth_user(req);
	if (o && !perm_allows(o, PERM_ARTICLE_LIST, 0, NULL) && perm_allows(o, PERM_DOSSIER, 0, NULL)) {
		admin_dossier_queues_page(req, res, o);
		return;
	}
	const auth_user_t *u = admin_require(req, res, PERM_ARTICLE_LIST, 0, NULL);
	if (!u)
		return;
	json_t *ctx = admin_ctx(req, app_t_(req, "Overview"), "dashboard");
	int mine_only = strcmp(u->role, "editor") == 0;
	static const char *const states[] = {"draft", "pending", "returned", "published", "unpublished"};
	json_t *counts = json_array();
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		long long n = mine_only ? db_int(req->db, "SELECT count(*) FROM articles WHERE status = ? AND author_id = ?", "si", 0,
						 states[i], u->id)
					: db_int(req->db, "SELECT count(*) FROM articles WHERE status = ?", "s", 0, states[i]);
		json_array_append_new(counts, json_pack("{s:s, s:s, s:I, s:s}", "state", states[i], "label", app_t_(req, states[i]),
							"count", n, "url",
							arena_printf(req->arena, "%s?status=%s", admin_url(req, "/articles"), states[i])));
	}
	json_object_set_new(ctx, "counts", counts);
	json_object_set_new(ctx, "new_url", json_string(admin_url(req, "/articles/new")));
	admin_render(req, res, "admin/dashboard", ctx);
}
