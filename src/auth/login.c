/* login: the sign-in form and sign-out.  Failures answer the same for an unknown login and a wrong
 * password, and are throttled per account and per address without ever locking anyone out for good. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "admin/admin.h"
#include "auth/auth.h"
#include "auth/password.h"
#include "auth/routes.h"
#include "auth/totp.h"
#include "core/log.h"
#include "db/db.h"

static void login_page(http_request_t *req, http_response_t *res);
static void login_post(http_request_t *req, http_response_t *res);
static void logout_post(http_request_t *req, http_response_t *res);

const app_route_t auth_routes[] = {
	{"GET", "vi", "/dang-nhap", login_page},
	{"POST", "vi", "/dang-nhap", login_post},
	{"GET", "en zh", "/login", login_page},
	{"POST", "en zh", "/login", login_post},
	{"POST", "vi en zh", "/admin/logout", logout_post},
	{NULL, NULL, NULL, NULL},
};

const char *auth_login_url(const http_request_t *req)
{
	return strcmp(req->lang, "vi") == 0 ? "/dang-nhap" : arena_printf(req->arena, "%s/login", req->prefix);
}

const char *auth_totp_url(const http_request_t *req)
{
	return strcmp(req->lang, "vi") == 0 ? "/dang-nhap/xac-thuc" : arena_printf(req->arena, "%s/login/verify", req->prefix);
}

/* ---- checking a password --------------------------------------------------------------------------- */

auth_check_t auth_check_password(http_request_t *req, const char *login, const char *password, long long *user_id,
				 int *totp, long long *retry_after)
{
	long long now = auth_clock();
	const char *akey = arena_printf(req->arena, "u:%s", login), *ikey = arena_printf(req->arena, "a:%s", req->remote);
	long long wait = throttle_wait(req->db, akey, now), wait2 = throttle_wait(req->db, ikey, now);
	if (wait2 > wait)
		wait = wait2;
	if (wait > 0) {
		*retry_after = wait;
		audit_log(req, login, "login.throttled", "user", 0, NULL);
		return AUTH_THROTTLED;
	}
	char hash[PASSWORD_HASH_MAX] = "";
	long long id = 0;
	int disabled = 1, has_totp = 0;
	db_stmt_t *st = db_prepare(req->db, "SELECT id, password_hash, disabled, totp_secret <> '' FROM users WHERE login = ?");
	if (st && db_bindf(st, "s", login) == 0 && db_step(st) == DB_ROW) {
		id = db_col_int(st, 0);
		snprintf(hash, sizeof(hash), "%s", db_col_text(st, 1));
		disabled = (int)db_col_int(st, 2);
		has_totp = (int)db_col_int(st, 3);
	}
	if (st)
		db_done(st);
	/* an unknown login costs a hash too, so timing does not tell which logins exist */
	int ok = password_verify(hash[0] ? hash : password_dummy_hash(), password) && id && !disabled;
	if (!ok) {
		throttle_fail(req->db, akey, THROTTLE_ACCOUNT_FREE, now);
		throttle_fail(req->db, ikey, THROTTLE_ADDRESS_FREE, now);
		audit_log(req, login, "login.failed", "user", id, disabled && id ? "account disabled" : NULL);
		return AUTH_BAD;
	}
	throttle_clear(req->db, akey);
	*user_id = id;
	*totp = has_totp;
	return AUTH_OK;
}

/* ---- pages ----------------------------------------------------------------------------------------- */

int auth_local_path(const char *p)
{
	/* only a path on this site, in plain printable ASCII: no "//host", no "/\\host", no CR/LF or tabs that a
	 * browser would drop to turn it into another site's address */
	if (!p || p[0] != '/' || p[1] == '/' || p[1] == '\\')
		return 0;
	for (const char *c = p; *c; c++)
		if (*c < 0x21 || *c > 0x7e || *c == '\\')
			return 0;
	return strlen(p) < 2048;
}

static void login_render(http_request_t *req, http_response_t *res, const char *login, const char *error, int status)
{
	json_t *ctx = app_page_ctx(req, app_t_(req, "Sign in"));
	json_object_set_new(ctx, "staff_css", json_string(app.staff_css_url));
	const char *next = http_query(req, "next");
	if (!next && strcmp(req->method, "POST") == 0)
		next = form_get(form_parse(req), "next");
	json_object_set_new(ctx, "form", json_pack("{s:s, s:s, s:s, s:s}", "action", auth_login_url(req), "login", login ? login : "",
						   "csrf", auth_login_csrf_issue(req, res), "next",
						   auth_local_path(next) ? next : ""));
	if (error)
		json_object_set_new(ctx, "error", json_string(app_t_(req, error)));
	res->cache_ttl = -1;
	app_render(req, res, "auth/login", ctx);
	res->cache_ttl = -1;
	res->status = status;
}

static void login_page(http_request_t *req, http_response_t *res)
{
	if (auth_user(req)) {
		http_redirect(res, 303, admin_url(req, ""));
		return;
	}
	login_render(req, res, NULL, NULL, 200);
}

static void login_post(http_request_t *req, http_response_t *res)
{
	form_t *form = form_parse(req);
	const char *login = form ? form_get(form, "login") : NULL, *pw = form ? form_get(form, "password") : NULL;
	if (!auth_login_csrf_ok(req, form)) {
		login_render(req, res, login, "Your session expired. Please sign in again.", 403);
		return;
	}
	if (!login || !pw || !*login || !*pw || strlen(login) > 64 || strlen(pw) > 1024) {
		login_render(req, res, login, "Enter your login name and password.", 400);
		return;
	}
	long long uid = 0, retry = 0;
	int totp = 0;
	switch (auth_check_password(req, login, pw, &uid, &totp, &retry)) {
	case AUTH_OK:
		break;
	case AUTH_THROTTLED:
		http_add_header(res, "retry-after", arena_printf(req->arena, "%lld", retry));
		login_render(req, res, login, "Too many failed attempts. Please wait a few minutes and try again.", 429);
		return;
	case AUTH_BAD:
		login_render(req, res, login, "The login name or password is wrong.", 401);
		return;
	default:
		app_error(req, res, 500);
		return;
	}
	if (!totp && totp_required(req, uid)) /* the site requires admins to use a second factor: set it up now */
		totp = 1;
	const char *next = form_get(form, "next");
	if (!auth_local_path(next))
		next = NULL;
	if (!auth_session_start(req, res, uid, "web", totp)) {
		app_error(req, res, 500);
		return;
	}
	if (totp) { /* the password was right; the session is good only for the code page until then */
		http_redirect(res, 303, next ? arena_printf(req->arena, "%s?next=%s", auth_totp_url(req), http_urlencode(req->arena, next))
					     : auth_totp_url(req));
		return;
	}
	audit_log(req, login, "login", "user", uid, NULL);
	http_redirect(res, 303, next ? next : admin_url(req, ""));
}

static void logout_post(http_request_t *req, http_response_t *res)
{
	form_t *form = form_parse(req);
	const auth_user_t *u = auth_user_partial(req);
	if (!u) {
		http_redirect(res, 303, auth_login_url(req));
		return;
	}
	if (!auth_csrf_ok(req, form)) {
		admin_forbidden(req, res);
		return;
	}
	int everywhere = form_get(form, "everywhere") != NULL;
	audit_log(req, NULL, everywhere ? "logout.everywhere" : "logout", "user", u->id, NULL);
	if (everywhere)
		auth_sessions_end_all(req->db, u->id);
	auth_session_end(req, res);
	http_redirect(res, 303, auth_login_url(req));
}
