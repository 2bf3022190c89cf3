/* users: accounts (admins), each user's own profile, and the audit log viewer (admins).
 *
 * Accounts are never deleted — the audit log and the articles keep pointing at them — only disabled.
 * Disabling an account or setting its password ends all its sessions at once.  An admin cannot disable
 * themselves or drop their own admin role, and the last enabled admin cannot be demoted or disabled by
 * anyone, so the site always keeps someone who can manage it.  Every change is in the audit log. */
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin/admin.h"
#include "auth/password.h"
#include "auth/routes.h"
#include "auth/totp.h"
#include "core/log.h"
#include "db/db.h"
#include "svc/csv.h"

static void users_list(http_request_t *req, http_response_t *res);
static void users_new(http_request_t *req, http_response_t *res);
static void users_create(http_request_t *req, http_response_t *res);
static void users_edit(http_request_t *req, http_response_t *res);
static void users_save(http_request_t *req, http_response_t *res);
static void users_disable(http_request_t *req, http_response_t *res);
static void users_enable(http_request_t *req, http_response_t *res);
static void users_password(http_request_t *req, http_response_t *res);
static void users_2fa_off(http_request_t *req, http_response_t *res);
static void profile_page(http_request_t *req, http_response_t *res);
static void profile_password(http_request_t *req, http_response_t *res);
static void profile_2fa_page(http_request_t *req, http_response_t *res);
static void profile_2fa_start(http_request_t *req, http_response_t *res);
static void profile_2fa_confirm(http_request_t *req, http_response_t *res);
static void profile_2fa_disable(http_request_t *req, http_response_t *res);
static void audit_page(http_request_t *req, http_response_t *res);
static void audit_csv(http_request_t *req, http_response_t *res);

const app_route_t admin_user_routes[] = {
	{"GET", "vi en zh", "/admin/users", users_list},
	{"GET", "vi en zh", "/admin/users/new", users_new},
	{"POST", "vi en zh", "/admin/users/new", users_create},
	{"GET", "vi en zh", "/admin/users/*", users_edit},
	{"POST", "vi en zh", "/admin/users/*", users_save},
	{"POST", "vi en zh", "/admin/users/*/disable", users_disable},
	{"POST", "vi en zh", "/admin/users/*/enable", users_enable},
	{"POST", "vi en zh", "/admin/users/*/password", users_password},
	{"POST", "vi en zh", "/admin/users/*/2fa-off", users_2fa_off},
	{"GET", "vi en zh", "/admin/profile", profile_page},
	{"POST", "vi en zh", "/admin/profile/password", profile_password},
	{"GET", "vi en zh", "/admin/profile/2fa", profile_2fa_page},
	{"POST", "vi en zh", "/admin/profile/2fa", profile_2fa_start},
	{"POST", "vi en zh", "/admin/profile/2fa/confirm", profile_2fa_confirm},
	{"POST", "vi en zh", "/admin/profile/2fa/disable", profile_2fa_disable},
	{"GET", "vi en zh", "/admin/audit", audit_page},
	{"GET", "vi en zh", "/admin/audit.csv", audit_csv},
	{NULL, NULL, NULL, NULL},
};

#define USERS_NAME_MAX 120
#define USERS_EMAIL_MAX 254
#define USERS_PW_MAX 1024
#define USERS_RANDOM_PW_LEN 16

static const char *const users_roles[] = {"editor", "publisher", "admin", "officer"};

/* ---- the account store -------------------------------------------------------------------------------- */

typedef struct users_row {
	long long id;
	const char *login, *name, *role, *email;
	int disabled, totp, pending;
	long long created_at, password_changed_at;
} users_row_t;

/* Loads user id into *u (arena strings).  1 when found, 0 when not. */
static int users_get(http_request_t *req, long long id, users_row_t *u)
{
	db_stmt_t *st = db_prepare(req->db, "SELECT id, login, display_name, role, email, disabled, totp_secret <> '',"
					    " totp_pending <> '', created_at, password_changed_at FROM users WHERE id = ?");
	int found = 0;
	if (st && db_bindf(st, "i", id) == 0 && db_step(st) == DB_ROW) {
		u->id = db_col_int(st, 0);
		u->login = arena_strdup(req->arena, db_col_text(st, 1));
		u->name = arena_strdup(req->arena, db_col_text(st, 2));
		u->role = arena_strdup(req->arena, db_col_text(st, 3));
		u->email = arena_strdup(req->arena, db_col_text(st, 4));
		u->disabled = (int)db_col_int(st, 5);
		u->totp = (int)db_col_int(st, 6);
		u->pending = (int)db_col_int(st, 7);
		u->created_at = db_col_int(st, 8);
		u->password_changed_at = db_col_int(st, 9);
		found = u->login && u->name && u->role && u->email;
	}
	if (st)
		db_done(st);
	return found;
}

/* The id in the URL (/admin/users/<id>), or 0 when it is not a plain positive number. */
static long long users_param_id(const http_request_t *req)
{
	return admin_id(req->params[0]);
}

/* Enabled admins other than user id. */
static long long users_other_admins(db_t *db, long long id)
{
	return db_int(db, "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0 AND id <> ?", "i", 0, id);
}

static int users_login_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '-'))
			return 0;
	return 1;
}

/* A plausible address (one '@', a dot in the domain, no spaces or markup), or empty. */
static int users_email_ok(const char *s)
{
	if (!*s)
		return 1;
	const char *at = strchr(s, '@');
	if (strlen(s) > USERS_EMAIL_MAX || !at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.') ||
	    at[strlen(at) - 1] == '.' || at[1] == '.')
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || strchr("<>\"'(),;:\\[]", *s))
			return 0;
	return 1;
}

static int users_role_ok(const char *r)
{
	for (size_t i = 0; i < sizeof(users_roles) / sizeof(users_roles[0]); i++)
		if (strcmp(r, users_roles[i]) == 0)
			return 1;
	return 0;
}

/* Leading and trailing white space off (NFC text from the form), in the arena. */
static const char *users_trim(http_request_t *req, const char *s)
{
	if (!s)
		return "";
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return arena_strndup(req->arena, s, n);
}

/* Counts UTF-8 characters (lead bytes). */
static size_t users_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static json_t *users_role_options(http_request_t *req, const char *selected)
{
	json_t *a = json_array();
	for (size_t i = 0; i < sizeof(users_roles) / sizeof(users_roles[0]); i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value", users_roles[i], "label", app_t_(req, users_roles[i]),
						   "selected", selected && strcmp(selected, users_roles[i]) == 0));
	return a;
}

/* ---- officers' agencies (officer_agencies): an officer sees the dossiers of these only ------------------ */

/* The agencies as checkbox options, those of user_id (or, when f is given, those the form sent) checked. */
static json_t *users_agency_options(http_request_t *req, long long user_id, const form_t *f)
{
	json_t *a = json_array();
	db_stmt_t *st = db_prepare(req->db, "SELECT a.id, a.code, COALESCE(l.name, v.name, a.code),"
					    " (SELECT count(*) FROM officer_agencies o WHERE o.agency_id = a.id AND o.user_id = ?)"
					    " FROM agencies a LEFT JOIN agency_i18n l ON l.agency_id = a.id AND l.lang = ?"
					    " LEFT JOIN agency_i18n v ON v.agency_id = a.id AND v.lang = 'vi' ORDER BY a.position, a.code");
	if (st && db_bindf(st, "is", user_id, req->lang) == 0)
		while (db_step(st) == DB_ROW) {
			long long id = db_col_int(st, 0);
			int on = db_col_int(st, 3) > 0;
			if (f) {
				on = 0;
				for (int i = 0; i < f->n; i++)
					on |= strcmp(f->fields[i].name, "agency") == 0 && atoll(f->fields[i].value) == id;
			}
			json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:b}", "id", (json_int_t)id, "code", db_col_text(st, 1),
							   "name", db_col_text(st, 2), "checked", on));
		}
	if (st)
		db_done(st);
	return a;
}

/* Binds user_id to exactly the agencies the form sent (only an officer keeps any), inside the caller's
 * transaction; *what gets the codes for the audit log.  1 when the binding changed, 0 not, -1 on error. */
static int users_set_agencies(http_request_t *req, long long user_id, const char *role, const form_t *f, const char **what)
{
	buf_t before, after;
	buf_init(&before, 4096);
	buf_init(&after, 4096);
	db_stmt_t *st = db_prepare(req->db, "SELECT a.code FROM officer_agencies o JOIN agencies a ON a.id = o.agency_id"
					    " WHERE o.user_id = ? ORDER BY a.code");
	if (st && db_bind_int(st, 1, user_id) == 0)
		while (db_step(st) == DB_ROW)
			buf_appendf(&before, "%s%s", before.len ? "," : "", db_col_text(st, 0));
	if (st)
		db_done(st);
	int rc = db_execf(req->db, "DELETE FROM officer_agencies WHERE user_id = ?", "i", user_id) < 0 ? -1 : 0;
	for (int i = 0; rc == 0 && strcmp(role, "officer") == 0 && i < f->n; i++) {
		long long agency = strcmp(f->fields[i].name, "agency") == 0 ? atoll(f->fields[i].value) : 0;
		if (agency > 0 && db_int(req->db, "SELECT count(*) FROM agencies WHERE id = ?", "i", 0, agency) == 1 &&
		    db_int(req->db, "SELECT count(*) FROM officer_agencies WHERE user_id = ? AND agency_id = ?", "ii", 0, user_id, agency) == 0 &&
		    db_execf(req->db, "INSERT INTO officer_agencies (user_id, agency_id) VALUES (?, ?)", "ii", user_id, agency) < 0)
			rc = -1;
	}
	st = db_prepare(req->db, "SELECT a.code FROM officer_agencies o JOIN agencies a ON a.id = o.agency_id"
				 " WHERE o.user_id = ? ORDER BY a.code");
	if (st && db_bind_int(st, 1, user_id) == 0)
		while (db_step(st) == DB_ROW)
			buf_appendf(&after, "%s%s", after.len ? "," : "", db_col_text(st, 0));
	if (st)
		db_done(st);
	if (rc == 0)
		rc = strcmp(buf_cstr(&before), buf_cstr(&after)) != 0;
	*what = arena_printf(req->arena, "%s -> %s", before.len ? buf_cstr(&before) : "-", after.len ? buf_cstr(&after) : "-");
	buf_release(&before);
	buf_release(&after);
	return rc;
}

/* When the user last signed in: the newest "login" in the audit log (0 for never). */
static long long users_last_login(db_t *db, long long id)
{
	return db_int(db, "SELECT max(at) FROM audit_log WHERE object_type = 'user' AND object_id = ? AND action = 'login'", "i",
		      0, id);
}

static const char *users_when(http_request_t *req, long long t)
{
	return t > 0 ? app_date(req->arena, req->lang, t, 1) : app_t_(req, "never");
}

static const char *users_url(http_request_t *req, long long id, const char *tail)
{
	return admin_url(req, arena_printf(req->arena, "/users/%lld%s", id, tail));
}

/* Checks a new password: the policy and the repeat.  NULL when fine, else the msgid of the reason. */
static const char *users_pw_problem(const char *pw, const char *again, const char *login)
{
	if (strlen(pw) > USERS_PW_MAX)
		return "The password is too long.";
	const char *why = password_policy(pw, login);
	if (why)
		return why;
	if (again && strcmp(pw, again) != 0)
		return "The two passwords do not match.";
	return NULL;
}

/* ---- list -------------------------------------------------------------------------------------------- */

static void users_list(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_USERS, 0, NULL))
		return;
	json_t *ctx = admin_ctx(req, app_t_(req, "Users"), "users");
	json_t *rows = json_array();
	long long now = auth_clock();
	db_stmt_t *st = db_prepare(req->db, "SELECT u.id, u.login, u.display_name, u.role, u.email, u.disabled, u.totp_secret <> '',"
					    " (SELECT max(a.at) FROM audit_log a WHERE a.object_type = 'user' AND a.object_id = u.id"
					    "   AND a.action = 'login'),"
					    " (SELECT count(*) FROM sessions s WHERE s.user_id = u.id AND s.second_factor_due = 0"
					    "   AND s.created_at > ? AND (s.kind = 'api' OR s.last_seen > ?))"
					    " FROM users u ORDER BY u.disabled, u.login");
	if (st && db_bindf(st, "ii", now - AUTH_ABSOLUTE_TIMEOUT, now - auth_idle_timeout) == 0) {
		while (db_step(st) == DB_ROW) {
			long long id = db_col_int(st, 0), last = db_col_int(st, 7);
			json_array_append_new(
				rows, json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:b, s:s, s:s, s:I, s:s}", "id", id, "login",
						db_col_text(st, 1), "name", db_col_text(st, 2), "role", app_t_(req, db_col_text(st, 3)),
						"email", db_col_text(st, 4), "disabled", (int)db_col_int(st, 5), "totp",
						(int)db_col_int(st, 6), "last_login", users_when(req, last), "last_login_iso",
						last > 0 ? app_iso(req->arena, last) : "", "sessions", db_col_int(st, 8), "url",
						users_url(req, id, "")));
		}
	}
	if (st)
		db_done(st);
	json_object_set_new(ctx, "users", rows);
	json_object_set_new(ctx, "new_url", json_string(admin_url(req, "/users/new")));
	admin_render(req, res, "admin/users/list", ctx);
}

/* ---- create ------------------------------------------------------------------------------------------- */

/* The page that shows a generated password, once. */
static void users_show_password(http_request_t *req, http_response_t *res, const users_row_t *u, const char *pw,
				int created)
{
	json_t *ctx = admin_ctx(req, app_t_(req, created ? "User created" : "Password reset"), "users");
	json_object_set_new(ctx, "shown", json_pack("{s:s, s:s, s:s, s:b, s:s, s:s}", "login", u->login, "name", u->name,
						    "password", pw, "created", created, "user_url", users_url(req, u->id, ""),
						    "list_url", admin_url(req, "/users")));
	admin_render(req, res, "admin/users/password", ctx);
}

static void users_new_render(http_request_t *req, http_response_t *res, const form_t *f, json_t *errors, int status)
{
	json_t *ctx = admin_ctx(req, app_t_(req, "New user"), "users");
	const char *role = f ? form_get(f, "role") : NULL;
	json_object_set_new(ctx, "user",
			    json_pack("{s:s, s:s, s:s, s:b}", "login", f && form_get(f, "login") ? form_get(f, "login") : "",
				      "name", f && form_get(f, "name") ? form_get(f, "name") : "", "email",
				      f && form_get(f, "email") ? form_get(f, "email") : "", "generate",
				      f ? form_get(f, "generate") != NULL : 1));
	json_object_set_new(ctx, "roles", users_role_options(req, role ? role : "editor"));
	json_object_set_new(ctx, "agencies", users_agency_options(req, 0, f));
	json_object_set_new(ctx, "action", json_string(admin_url(req, "/users/new")));
	json_object_set_new(ctx, "list_url", json_string(admin_url(req, "/users")));
	if (errors && json_object_size(errors))
		json_object_set_new(ctx, "errors", errors);
	else
		json_decref(errors);
	admin_render(req, res, "admin/users/new", ctx);
	res->status = status;
}

static void users_new(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_USERS, 0, NULL))
		return;
	users_new_render(req, res, NULL, NULL, 200);
}

static void users_create(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_USERS, 0, NULL))
		return;
	form_t *f = admin_form(req, res);
	if (!f)
		return;
	const char *login = users_trim(req, form_get(f, "login")), *name = users_trim(req, form_get(f, "name"));
	const char *email = users_trim(req, form_get(f, "email")), *role = form_get(f, "role");
	const char *pw = form_get(f, "password"), *again = form_get(f, "password2");
	int generate = form_get(f, "generate") != NULL;
	json_t *errors = json_object();
	if (!users_login_ok(login))
		json_object_set_new(errors, "login", json_string(app_t_(req, "Use 2 to 64 characters: a–z, 0–9, dot, underscore or hyphen.")));
	else if (db_int(req->db, "SELECT count(*) FROM users WHERE login = ?", "s", 0, login) > 0)
		json_object_set_new(errors, "login", json_string(app_t_(req, "This login name is taken.")));
	if (users_chars(name) > USERS_NAME_MAX)
		json_object_set_new(errors, "name", json_string(app_t_(req, "The name is too long.")));
	if (!users_email_ok(email))
		json_object_set_new(errors, "email", json_string(app_t_(req, "This is not a valid email address.")));
	if (!role || !users_role_ok(role))
		json_object_set_new(errors, "role", json_string(app_t_(req, "Choose a role.")));
	char random_pw[USERS_RANDOM_PW_LEN + 1];
	if (generate) {
		password_random(random_pw, USERS_RANDOM_PW_LEN);
		pw = random_pw;
	} else {
		const char *why = users_pw_problem(pw ? pw : "", again ? again : "", login);
		if (why)
			json_object_set_new(errors, "password", json_string(app_t_(req, why)));
	}
	if (json_object_size(errors)) {
		users_new_render(req, res, f, errors, 400);
		return;
	}
	json_decref(errors);
	char hash[PASSWORD_HASH_MAX];
	if (password_hash(pw, hash) < 0) {
		app_error(req, res, 500);
		return;
	}
	long long now = (long long)time(NULL), id = 0;
	if (db_begin(req->db) < 0)
		goto fail;
	if (db_execf(req->db, "INSERT INTO users (login, display_name, role, email, password_hash, created_at, password_changed_at)"
			      " VALUES (?, ?, ?, ?, ?, ?, ?)",
		     "sssssii", login, *name ? name : login, role, email, hash, now, now) < 0) {
		db_rollback(req->db);
		/* a concurrent create of the same login lost the race to the UNIQUE constraint */
		if (db_int(req->db, "SELECT count(*) FROM users WHERE login = ?", "s", 0, login) > 0) {
			errors = json_pack("{s:s}", "login", app_t_(req, "This login name is taken."));
			users_new_render(req, res, f, errors, 400);
			return;
		}
		goto fail;
	}
	id = db_last_id(req->db);
	audit_log(req, NULL, "user.create", "user", id, arena_printf(req->arena, "%s (%s)", login, role));
	const char *bound = NULL;
	int agencies_rc = users_set_agencies(req, id, role, f, &bound);
	if (agencies_rc < 0)
		goto fail;
	if (agencies_rc > 0)
		audit_log(req, NULL, "user.agencies", "user", id, bound);
	if (db_commit(req->db) < 0)
		goto fail;
	users_row_t u;
	if (!users_get(req, id, &u))
		goto fail;
	if (generate) {
		users_show_password(req, res, &u, random_pw, 1);
		sodium_memzero(random_pw, sizeof(random_pw));
		return;
	}
	admin_flash(req, res, "The user was created.");
	http_redirect(res, 303, admin_url(req, "/users"));
	return;
fail:
	log_msg(LOG_ERR, req->rid, "cannot create user: %s", db_errmsg(req->db));
	db_rollback(req->db);
	app_error(req, res, 500);
}

/* ---- one user ------------------------------------------------------------------------------------------ */

static void users_edit_render(http_request_t *req, http_response_t *res, const auth_user_t *me, const users_row_t *u,
			      const form_t *f, json_t *errors, int status)
{
	json_t *ctx = admin_ctx(req, arena_printf(req->arena, "%s: %s", app_t_(req, "User"), u->login), "users");
	const char *name = f && form_get(f, "name") ? form_get(f, "name") : u->name;
	const char *email = f && form_get(f, "email") ? form_get(f, "email") : u->email;
	const char *role = f && form_get(f, "role") ? form_get(f, "role") : u->role;
	int self = me->id == u->id;
	long long now = auth_clock();
	long long sessions = db_int(req->db, "SELECT count(*) FROM sessions WHERE user_id = ? AND second_factor_due = 0 AND created_at > ?"
					     " AND (kind = 'api' OR last_seen > ?)",
				    "iii", 0, u->id, now - AUTH_ABSOLUTE_TIMEOUT, now - auth_idle_timeout);
	long long last = users_last_login(req->db, u->id);
	buf_t audit;
	buf_init(&audit, 1024);
	buf_appendf(&audit, "%s?type=user&object=%lld", admin_url(req, "/audit"), u->id);
	json_t *user = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s}",
				 "id", u->id, "login", u->login, "name", name, "email", email, "role_label", app_t_(req, u->role),
				 "role", u->role, "disabled", u->disabled, "totp", u->totp, "self", self, "created",
				 users_when(req, u->created_at), "last_login", users_when(req, last), "password_changed",
				 users_when(req, u->password_changed_at ? u->password_changed_at : u->created_at), "sessions", sessions, "action", users_url(req, u->id, ""),
				 "disable_url", users_url(req, u->id, "/disable"), "enable_url", users_url(req, u->id, "/enable"),
				 "password_url", users_url(req, u->id, "/password"), "totp_off_url", users_url(req, u->id, "/2fa-off"),
				 "audit_url", buf_cstr(&audit));
	buf_release(&audit);
	json_object_set_new(ctx, "user", user);
	json_object_set_new(ctx, "roles", users_role_options(req, role));
	json_object_set_new(ctx, "agencies", users_agency_options(req, u->id, f));
	json_object_set_new(ctx, "list_url", json_string(admin_url(req, "/users")));
	json_object_set_new(ctx, "profile_url", json_string(admin_url(req, "/profile")));
	if (errors && json_object_size(errors))
		json_object_set_new(ctx, "errors", errors);
	else
		json_decref(errors);
	admin_render(req, res, "admin/users/edit", ctx);
	res->status = status;
}

/* The signed-in admin and the user of the URL, or NULL after answering (403, 404, bad CSRF). */
static const auth_user_t *users_target(http_request_t *req, http_response_t *res, users_row_t *u, form_t **f)
{
	const auth_user_t *me = admin_require(req, res, PERM_USERS, 0, NULL);
	if (!me)
		return NULL;
	if (f && !(*f = admin_form(req, res)))
		return NULL;
	long long id = users_param_id(req);
	if (!id || !users_get(req, id, u)) {
		app_error(req, res, 404);
		res->cache_ttl = -1;
		return NULL;
	}
	return me;
}

static void users_edit(http_request_t *req, http_response_t *res)
{
	users_row_t u;
	const auth_user_t *me = users_target(req, res, &u, NULL);
	if (me)
		users_edit_render(req, res, me, &u, NULL, NULL, 200);
}

static void users_save(http_request_t *req, http_response_t *res)
{
	users_row_t u;
	form_t *f = NULL;
	const auth_user_t *me = users_target(req, res, &u, &f);
	if (!me)
		return;
	const char *name = users_trim(req, form_get(f, "name")), *email = users_trim(req, form_get(f, "email"));
	const char *role = form_get(f, "role");
	json_t *errors = json_object();
	if (users_chars(name) > USERS_NAME_MAX)
		json_object_set_new(errors, "name", json_string(app_t_(req, "The name is too long.")));
	if (!users_email_ok(email))
		json_object_set_new(errors, "email", json_string(app_t_(req, "This is not a valid email address.")));
	if (!role || !users_role_ok(role))
		json_object_set_new(errors, "role", json_string(app_t_(req, "Choose a role.")));
	else if (strcmp(u.role, "admin") == 0 && strcmp(role, "admin") != 0) {
		if (me->id == u.id)
			json_object_set_new(errors, "role", json_string(app_t_(req, "You cannot remove your own administrator role.")));
		else if (!u.disabled && users_other_admins(req->db, u.id) == 0)
			json_object_set_new(errors, "role", json_string(app_t_(req, "The site must keep at least one administrator.")));
	}
	if (json_object_size(errors)) {
		users_edit_render(req, res, me, &u, f, errors, 400);
		return;
	}
	json_decref(errors);
	if (!*name)
		name = u.login;
	int role_changed = strcmp(role, u.role) != 0;
	buf_t what;
	buf_init(&what, 256);
	if (strcmp(name, u.name) != 0)
		buf_puts(&what, "name");
	if (strcmp(email, u.email) != 0)
		buf_appendf(&what, "%semail", what.len ? ", " : "");
	const char *changed = arena_strdup(req->arena, buf_cstr(&what));
	buf_release(&what);
	if (db_begin(req->db) < 0)
		goto fail;
	const char *bound = NULL;
	int agencies_rc = users_set_agencies(req, u.id, role, f, &bound);
	if (agencies_rc < 0)
		goto fail;
	if (!*changed && !role_changed && !agencies_rc) {
		db_rollback(req->db);
		admin_flash(req, res, "Nothing was changed.");
		http_redirect(res, 303, users_url(req, u.id, ""));
		return;
	}
	/* the last-admin rule again inside the transaction: two admins demoting each other at once */
	if (role_changed && strcmp(u.role, "admin") == 0 && users_other_admins(req->db, u.id) == 0) {
		db_rollback(req->db);
		users_edit_render(req, res, me, &u, f,
				  json_pack("{s:s}", "role", app_t_(req, "The site must keep at least one administrator.")), 400);
		return;
	}
	if (db_execf(req->db, "UPDATE users SET display_name = ?, email = ?, role = ? WHERE id = ?", "sssi", name, email, role, u.id) < 0)
		goto fail;
	if (*changed)
		audit_log(req, NULL, "user.edit", "user", u.id, changed);
	if (role_changed)
		audit_log(req, NULL, "user.role", "user", u.id, arena_printf(req->arena, "%s -> %s", u.role, role));
	if (agencies_rc > 0)
		audit_log(req, NULL, "user.agencies", "user", u.id, bound);
	if (db_commit(req->db) < 0)
		goto fail;
	admin_flash(req, res, "The changes were saved.");
	http_redirect(res, 303, users_url(req, u.id, ""));
	return;
fail:
	log_msg(LOG_ERR, req->rid, "cannot save user: %s", db_errmsg(req->db));
	db_rollback(req->db);
	app_error(req, res, 500);
}

static void users_disable(http_request_t *req, http_response_t *res)
{
	users_row_t u;
	form_t *f = NULL;
	const auth_user_t *me = users_target(req, res, &u, &f);
	if (!me)
		return;
	if (me->id == u.id) {
		users_edit_render(req, res, me, &u, NULL, json_pack("{s:s}", "account", app_t_(req, "You cannot disable your own account.")),
				  400);
		return;
	}
	if (u.disabled) {
		http_redirect(res, 303, users_url(req, u.id, ""));
		return;
	}
	if (db_begin(req->db) < 0)
		goto fail;
	if (strcmp(u.role, "admin") == 0 && users_other_admins(req->db, u.id) == 0) {
		db_rollback(req->db);
		users_edit_render(req, res, me, &u, NULL,
				  json_pack("{s:s}", "account", app_t_(req, "The site must keep at least one administrator.")), 400);
		return;
	}
	/* the account and every session it has end in one transaction: no request can slip in between */
	if (db_execf(req->db, "UPDATE users SET disabled = 1 WHERE id = ?", "i", u.id) < 0 || auth_sessions_end_all(req->db, u.id) < 0)
		goto fail;
	audit_log(req, NULL, "user.disable", "user", u.id, u.login);
	if (db_commit(req->db) < 0)
		goto fail;
	admin_flash(req, res, "The account was disabled and all its sessions ended.");
	http_redirect(res, 303, users_url(req, u.id, ""));
	return;
fail:
	log_msg(LOG_ERR, req->rid, "cannot disable user: %s", db_errmsg(req->db));
	db_rollback(req->db);
	app_error(req, res, 500);
}

static void users_enable(http_request_t *req, http_response_t *res)
{
	users_row_t u;
	form_t *f = NULL;
	if (!users_target(req, res, &u, &f))
		return;
	if (u.disabled) {
		if (db_begin(req->db) < 0 || db_execf(req->db, "UPDATE users SET disabled = 0 WHERE id = ?", "i", u.id) < 0) {
			db_rollback(req->db);
			app_error(req, res, 500);
			return;
		}
		audit_log(req, NULL, "user.enable", "user", u.id, u.login);
		if (db_commit(req->db) < 0) {
			db_rollback(req->db);
			app_error(req, res, 500);
			return;
		}
		admin_flash(req, res, "The account was enabled.");
	}
	http_redirect(res, 303, users_url(req, u.id, ""));
}

/* Sets user id's password and ends all its sessions except keep (0: all), with an audit entry. 0 or -1. */
static int users_set_password(http_request_t *req, long long id, const char *pw, long long keep, const char *action)
{
	char hash[PASSWORD_HASH_MAX];
	if (password_hash(pw, hash) < 0)
		return -1;
	if (db_begin(req->db) < 0)
		return -1;
	if (db_execf(req->db, "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?", "sii", hash,
		     (long long)time(NULL), id) < 0 ||
	    db_execf(req->db, "DELETE FROM sessions WHERE user_id = ? AND id <> ?", "ii", id, keep) < 0) {
		db_rollback(req->db);
		return -1;
	}
	audit_log(req, NULL, action, "user", id, NULL);
	if (db_commit(req->db) < 0) {
		db_rollback(req->db);
		return -1;
	}
	return 0;
}

static void users_password(http_request_t *req, http_response_t *res)
{
	users_row_t u;
	form_t *f = NULL;
	const auth_user_t *me = users_target(req, res, &u, &f);
	if (!me)
		return;
	if (me->id == u.id) { /* one's own password needs the current one: the profile page */
		http_redirect(res, 303, admin_url(req, "/profile"));
		return;
	}
	int generate = form_get(f, "generate") != NULL;
	const char *pw = form_get(f, "password"), *again = form_get(f, "password2");
	char random_pw[USERS_RANDOM_PW_LEN + 1];
	if (generate) {
		password_random(random_pw, USERS_RANDOM_PW_LEN);
		pw = random_pw;
	} else {
		const char *why = users_pw_problem(pw ? pw : "", again ? again : "", u.login);
		if (why) {
			users_edit_render(req, res, me, &u, NULL, json_pack("{s:s}", "password", app_t_(req, why)), 400);
			return;
		}
	}
	if (users_set_password(req, u.id, pw, 0, "user.password_reset") < 0) {
		log_msg(LOG_ERR, req->rid, "cannot reset password: %s", db_errmsg(req->db));
		app_error(req, res, 500);
		return;
	}
	if (generate) {
		users_show_password(req, res, &u, random_pw, 0);
		sodium_memzero(random_pw, sizeof(random_pw));
		return;
	}
	admin_flash(req, res, "The password was set and all the user's sessions ended.");
	http_redirect(res, 303, users_url(req, u.id, ""));
}

/* For a user who lost their phone: two-factor off, so they can sign in with the password and set it up again. */
static void users_2fa_off(http_request_t *req, http_response_t *res)
{
	users_row_t u;
	form_t *f = NULL;
	if (!users_target(req, res, &u, &f))
		return;
	if (u.totp || u.pending) {
		if (db_begin(req->db) < 0 ||
		    db_execf(req->db, "UPDATE users SET totp_secret = '', totp_pending = '' WHERE id = ?", "i", u.id) < 0) {
			db_rollback(req->db);
			app_error(req, res, 500);
			return;
		}
		audit_log(req, NULL, "user.2fa_reset", "user", u.id, NULL);
		if (db_commit(req->db) < 0) {
			db_rollback(req->db);
			app_error(req, res, 500);
			return;
		}
		admin_flash(req, res, "Two-factor sign-in was turned off for this user.");
	}
	http_redirect(res, 303, users_url(req, u.id, ""));
}

/* ---- profile -------------------------------------------------------------------------------------------- */

/* Any signed-in staff member: every role may list articles, so that permission stands for "staff". */
static const auth_user_t *profile_user(http_request_t *req, http_response_t *res, form_t **f)
{
	const auth_user_t *me = admin_require(req, res, PERM_ARTICLE_LIST, 0, NULL);
	if (me && f && !(*f = admin_form(req, res)))
		return NULL;
	return me;
}

static json_t *profile_sessions(http_request_t *req, const auth_user_t *me)
{
	json_t *a = json_array();
	long long now = auth_clock();
	db_stmt_t *st = db_prepare(req->db, "SELECT id, kind, created_at, last_seen, ip, user_agent FROM sessions WHERE user_id = ?"
					    " AND second_factor_due = 0 AND created_at > ? AND (kind = 'api' OR last_seen > ?)"
					    " ORDER BY last_seen DESC");
	if (st && db_bindf(st, "iii", me->id, now - AUTH_ABSOLUTE_TIMEOUT, now - auth_idle_timeout) == 0)
		while (db_step(st) == DB_ROW) {
			const char *ua = db_col_text(st, 5);
			json_array_append_new(a, json_pack("{s:b, s:s, s:s, s:s, s:s, s:s}", "current", db_col_int(st, 0) == me->session_id,
							   "kind", db_col_text(st, 1), "started", users_when(req, db_col_int(st, 2)),
							   "seen", users_when(req, db_col_int(st, 3)), "ip", db_col_text(st, 4), "agent",
							   arena_strndup(req->arena, ua, strlen(ua) > 120 ? 120 : strlen(ua))));
		}
	if (st)
		db_done(st);
	return a;
}

static void profile_render(http_request_t *req, http_response_t *res, const auth_user_t *me, json_t *errors, int status)
{
	users_row_t u;
	if (!users_get(req, me->id, &u)) {
		json_decref(errors);
		app_error(req, res, 500);
		return;
	}
	json_t *ctx = admin_ctx(req, app_t_(req, "Your profile"), NULL);
	int required = strcmp(u.role, "admin") == 0 && strcmp(app_setting(req, "security.require_2fa_admins", "0"), "1") == 0;
	json_object_set_new(ctx, "me",
			    json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:s, s:s}", "login", u.login, "name", u.name, "role",
				      app_t_(req, u.role), "email", u.email, "totp", u.totp, "pending", u.pending, "totp_required",
				      required, "password_changed", users_when(req, u.password_changed_at ? u.password_changed_at : u.created_at), "last_login",
				      users_when(req, users_last_login(req->db, u.id))));
	json_object_set_new(ctx, "urls",
			    json_pack("{s:s, s:s, s:s, s:s, s:s}", "password", admin_url(req, "/profile/password"), "totp",
				      admin_url(req, "/profile/2fa"), "totp_disable", admin_url(req, "/profile/2fa/disable"),
				      "logout", admin_url(req, "/logout"), "self", admin_url(req, "/profile")));
	json_object_set_new(ctx, "sessions", profile_sessions(req, me));
	if (errors && json_object_size(errors))
		json_object_set_new(ctx, "errors", errors);
	else
		json_decref(errors);
	admin_render(req, res, "admin/users/profile", ctx);
	res->status = status;
}

static void profile_page(http_request_t *req, http_response_t *res)
{
	const auth_user_t *me = profile_user(req, res, NULL);
	if (me)
		profile_render(req, res, me, NULL, 200);
}

/* Checks the signed-in user's own password, throttled like the login form: a stolen session must not become
 * a way to guess the password.  1 when right; 0 wrong; -1 throttled (*wait set). */
static int profile_check_password(http_request_t *req, const auth_user_t *me, const char *pw, long long *wait)
{
	long long now = auth_clock();
	const char *key = arena_printf(req->arena, "p:%lld", me->id);
	if ((*wait = throttle_wait(req->db, key, now)) > 0)
		return -1;
	char hash[PASSWORD_HASH_MAX] = "";
	db_stmt_t *st = db_prepare(req->db, "SELECT password_hash FROM users WHERE id = ?");
	if (st && db_bindf(st, "i", me->id) == 0 && db_step(st) == DB_ROW)
		snprintf(hash, sizeof(hash), "%s", db_col_text(st, 0));
	if (st)
		db_done(st);
	int ok = hash[0] && pw && strlen(pw) <= USERS_PW_MAX && password_verify(hash, pw);
	if (ok) {
		throttle_clear(req->db, key);
	} else {
		throttle_fail(req->db, key, THROTTLE_ACCOUNT_FREE, now);
		audit_log(req, NULL, "user.password_check_failed", "user", me->id, NULL);
	}
	return ok;
}

static void profile_throttled(http_request_t *req, http_response_t *res, const auth_user_t *me, const char *field, long long wait)
{
	http_add_header(res, "retry-after", arena_printf(req->arena, "%lld", wait));
	profile_render(req, res, me,
		       json_pack("{s:s}", field, app_t_(req, "Too many failed attempts. Please wait a few minutes and try again.")), 429);
}

static void profile_password(http_request_t *req, http_response_t *res)
{
	form_t *f = NULL;
	const auth_user_t *me = profile_user(req, res, &f);
	if (!me)
		return;
	const char *cur = form_get(f, "current"), *pw = form_get(f, "password"), *again = form_get(f, "password2");
	long long wait = 0;
	int ok = profile_check_password(req, me, cur ? cur : "", &wait);
	if (ok < 0) {
		profile_throttled(req, res, me, "current", wait);
		return;
	}
	if (!ok) {
		profile_render(req, res, me, json_pack("{s:s}", "current", app_t_(req, "The current password is wrong.")), 400);
		return;
	}
	const char *why = users_pw_problem(pw ? pw : "", again ? again : "", me->login);
	if (!why && strcmp(pw, cur) == 0)
		why = "The new password must differ from the current one.";
	if (why) {
		profile_render(req, res, me, json_pack("{s:s}", "password", app_t_(req, why)), 400);
		return;
	}
	/* every other session ends; this one stays, so the user is not thrown out of the page they are on */
	if (users_set_password(req, me->id, pw, me->session_id, "user.password_change") < 0) {
		log_msg(LOG_ERR, req->rid, "cannot change password: %s", db_errmsg(req->db));
		app_error(req, res, 500);
		return;
	}
	admin_flash(req, res, "Your password was changed. You were signed out everywhere else.");
	http_redirect(res, 303, admin_url(req, "/profile"));
}

static void profile_2fa_page(http_request_t *req, http_response_t *res)
{
	const auth_user_t *me = profile_user(req, res, NULL);
	if (!me)
		return;
	json_t *enrol = totp_enrol_ctx(req, me->id);
	if (!enrol) { /* nothing being set up: the profile page has the button */
		http_redirect(res, 303, admin_url(req, "/profile"));
		return;
	}
	json_t *ctx = admin_ctx(req, app_t_(req, "Set up two-factor sign-in"), NULL);
	json_object_set_new(ctx, "enrol", enrol);
	json_object_set_new(ctx, "confirm_url", json_string(admin_url(req, "/profile/2fa/confirm")));
	json_object_set_new(ctx, "profile_url", json_string(admin_url(req, "/profile")));
	const char *err = http_query(req, "error");
	if (err && strcmp(err, "code") == 0)
		json_object_set_new(ctx, "error", json_string(app_t_(req, "The code is wrong or has expired. Enter the current code from your app.")));
	admin_render(req, res, "admin/users/2fa", ctx);
}

static void profile_2fa_start(http_request_t *req, http_response_t *res)
{
	form_t *f = NULL;
	const auth_user_t *me = profile_user(req, res, &f);
	if (!me)
		return;
	if (db_int(req->db, "SELECT count(*) FROM users WHERE id = ? AND totp_secret <> ''", "i", 0, me->id) > 0) {
		http_redirect(res, 303, admin_url(req, "/profile"));
		return;
	}
	if (totp_enrol_start(req, me->id) < 0) {
		app_error(req, res, 500);
		return;
	}
	http_redirect(res, 303, admin_url(req, "/profile/2fa"));
}

static void profile_2fa_confirm(http_request_t *req, http_response_t *res)
{
	form_t *f = NULL;
	const auth_user_t *me = profile_user(req, res, &f);
	if (!me)
		return;
	long long now = auth_clock();
	const char *key = arena_printf(req->arena, "t:%lld", me->id);
	long long wait = throttle_wait(req->db, key, now);
	if (wait > 0) {
		http_add_header(res, "retry-after", arena_printf(req->arena, "%lld", wait));
		app_error(req, res, 429);
		res->cache_ttl = -1;
		return;
	}
	int r = totp_enrol_confirm(req, me->id, form_get(f, "code"));
	if (r < 0) {
		app_error(req, res, 500);
		return;
	}
	if (r == 0) {
		throttle_fail(req->db, key, THROTTLE_ACCOUNT_FREE, now);
		http_redirect(res, 303, arena_printf(req->arena, "%s?error=code", admin_url(req, "/profile/2fa")));
		return;
	}
	throttle_clear(req->db, key);
	audit_log(req, NULL, "user.2fa_enable", "user", me->id, NULL);
	admin_flash(req, res, "Two-factor sign-in is on. From now on you will be asked for a code after your password.");
	http_redirect(res, 303, admin_url(req, "/profile"));
}

static void profile_2fa_disable(http_request_t *req, http_response_t *res)
{
	form_t *f = NULL;
	const auth_user_t *me = profile_user(req, res, &f);
	if (!me)
		return;
	if (strcmp(me->role, "admin") == 0 && strcmp(app_setting(req, "security.require_2fa_admins", "0"), "1") == 0) {
		profile_render(req, res, me, json_pack("{s:s}", "totp", app_t_(req, "This site requires two-factor sign-in for administrators.")),
			       400);
		return;
	}
	long long wait = 0;
	int ok = profile_check_password(req, me, form_get(f, "password"), &wait);
	if (ok < 0) {
		profile_throttled(req, res, me, "totp", wait);
		return;
	}
	if (!ok) {
		profile_render(req, res, me, json_pack("{s:s}", "totp", app_t_(req, "The current password is wrong.")), 400);
		return;
	}
	if (db_execf(req->db, "UPDATE users SET totp_secret = '', totp_pending = '' WHERE id = ?", "i", me->id) < 0) {
		app_error(req, res, 500);
		return;
	}
	audit_log(req, NULL, "user.2fa_disable", "user", me->id, NULL);
	admin_flash(req, res, "Two-factor sign-in is off.");
	http_redirect(res, 303, admin_url(req, "/profile"));
}

/* ---- the audit log ---------------------------------------------------------------------------------------- */

#define AUDIT_PAGE 50
#define AUDIT_CSV_MAX 20000
#define AUDIT_TZ (7 * 3600) /* dates in the filters are Vietnam dates */

typedef struct audit_filter {
	const char *user, *action, *type, *from, *to; /* as typed ("" when absent) */
	long long object, from_t, to_t;                /* to_t: exclusive; 0 = open */
	int bad_date;
} audit_filter_t;

/* "YYYY-MM-DD" (a Vietnam date) → the UTC time its day starts; -1 when malformed. */
static long long audit_date(const char *s)
{
	int y, m, d;
	char tail;
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 1970 || y > 9999 || m < 1 || m > 12 ||
	    d < 1 || d > 31)
		return -1;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
	time_t t = timegm(&tm);
	if (tm.tm_mday != d || tm.tm_mon != m - 1) /* 2026-02-31 rolled over */
		return -1;
	return (long long)t - AUDIT_TZ;
}

static const char *audit_q(http_request_t *req, const char *name, size_t max)
{
	const char *v = http_nfc(req->arena, http_query(req, name));
	if (!v)
		return "";
	v = users_trim(req, v);
	return strlen(v) > max ? arena_strndup(req->arena, v, max) : v;
}

static void audit_filter_parse(http_request_t *req, audit_filter_t *f)
{
	memset(f, 0, sizeof(*f));
	f->user = audit_q(req, "user", 64);
	f->action = audit_q(req, "action", 64);
	f->type = audit_q(req, "type", 64);
	f->from = audit_q(req, "from", 10);
	f->to = audit_q(req, "to", 10);
	f->object = http_query_int(req, "object", 1, 1LL << 53, 0);
	if (*f->from && (f->from_t = audit_date(f->from)) < 0) {
		f->bad_date = 1;
		f->from_t = 0;
	}
	if (*f->to) {
		long long t = audit_date(f->to);
		if (t < 0)
			f->bad_date = 1;
		else
			f->to_t = t + 86400;
	}
}

/* The filters, always all of them, so each query is one literal SQL text: db_prepare's statement cache
 * matches SQL by address first, so a statement text must never be built at run time.  An unused filter is
 * bound to its neutral value ('' or 0; the whole time range). */
#define AUDIT_WHERE                                                                                              \
	" WHERE at >= ? AND at < ? AND (? = '' OR login = ?) AND (? = '' OR substr(action, 1, ?) = ?)"    \
	" AND (? = '' OR object_type = ?) AND (? = 0 OR object_id = ?)"
#define AUDIT_WHERE_PARAMS 11 /* the ? in AUDIT_WHERE: LIMIT and OFFSET come after them */
#define AUDIT_COLS " id, at, login, user_id, action, object_type, object_id, detail, ip FROM audit_log"
#define AUDIT_SQL_COUNT "SELECT count(*) FROM audit_log" AUDIT_WHERE
#define AUDIT_SQL_PAGE "SELECT" AUDIT_COLS AUDIT_WHERE " ORDER BY at DESC, id DESC LIMIT ? OFFSET ?"
#define AUDIT_STR_(x) #x
#define AUDIT_STR(x) AUDIT_STR_(x)
#define AUDIT_SQL_CSV "SELECT" AUDIT_COLS AUDIT_WHERE " ORDER BY at DESC, id DESC LIMIT " AUDIT_STR(AUDIT_CSV_MAX)

/* sql (one of the AUDIT_SQL_ texts) with the filters bound; the caller binds anything after them.  NULL on a
 * database error. */
static db_stmt_t *audit_query(http_request_t *req, const audit_filter_t *f, const char *sql)
{
	db_stmt_t *st = db_prepare(req->db, sql);
	if (!st)
		return NULL;
	/* the prefix length in characters, as substr counts them */
	if (db_bindf(st, "iisssisssii", f->from_t, f->to_t ? f->to_t : (long long)INT64_MAX, f->user, f->user, f->action,
		     (long long)users_chars(f->action), f->action, f->type, f->type, f->object, f->object) < 0) {
		db_done(st);
		return NULL;
	}
	return st;
}

/* The filters as a query string ("user=a&action=login"), page excluded. */
static const char *audit_filter_qs(http_request_t *req, const audit_filter_t *f)
{
	buf_t b;
	buf_init(&b, 2048);
	const struct {
		const char *k, *v;
	} kv[] = {{"user", f->user}, {"action", f->action}, {"type", f->type}, {"from", f->from}, {"to", f->to}};
	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++) {
		if (!*kv[i].v)
			continue;
		buf_appendf(&b, "%s%s=", b.len ? "&" : "", kv[i].k);
		buf_append_url(&b, kv[i].v, strlen(kv[i].v));
	}
	if (f->object)
		buf_appendf(&b, "%sobject=%lld", b.len ? "&" : "", f->object);
	const char *s = arena_strdup(req->arena, buf_cstr(&b));
	buf_release(&b);
	return s;
}

static void audit_page(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_AUDIT, 0, NULL))
		return;
	audit_filter_t f;
	audit_filter_parse(req, &f);
	json_t *ctx = admin_ctx(req, app_t_(req, "Audit log"), "audit");
	long long total = 0;
	db_stmt_t *st = audit_query(req, &f, AUDIT_SQL_COUNT);
	if (st && db_step(st) == DB_ROW)
		total = db_col_int(st, 0);
	if (st)
		db_done(st);
	long long pages = total ? (total + AUDIT_PAGE - 1) / AUDIT_PAGE : 1;
	long long page = http_query_int(req, "page", 1, 1000000, 1);
	if (page > pages)
		page = pages;
	json_t *rows = json_array();
	st = audit_query(req, &f, AUDIT_SQL_PAGE);
	if (st && (db_bind_int(st, AUDIT_WHERE_PARAMS + 1, AUDIT_PAGE) < 0 ||
		   db_bind_int(st, AUDIT_WHERE_PARAMS + 2, (page - 1) * AUDIT_PAGE) < 0)) {
		db_done(st);
		st = NULL;
	}
	if (st)
		while (db_step(st) == DB_ROW) {
			long long at = db_col_int(st, 1);
			json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", db_col_int(st, 0), "when",
						app_date(req->arena, req->lang, at, 1), "iso", app_iso(req->arena, at), "login",
						db_col_text(st, 2), "action", db_col_text(st, 4), "type", db_col_text(st, 5), "detail",
						db_col_text(st, 7), "ip", db_col_text(st, 8));
			if (!db_col_null(st, 6))
				json_object_set_new(row, "object", json_integer(db_col_int(st, 6)));
			json_array_append_new(rows, row);
		}
	if (st)
		db_done(st);
	const char *qs = audit_filter_qs(req, &f), *base = admin_url(req, "/audit");
	json_t *pager = json_pack("{s:I, s:I}", "page", page, "pages", pages);
	if (page > 1)
		json_object_set_new(pager, "prev_url", json_string(arena_printf(req->arena, "%s?%s%spage=%lld", base, qs, *qs ? "&" : "", page - 1)));
	if (page < pages)
		json_object_set_new(pager, "next_url", json_string(arena_printf(req->arena, "%s?%s%spage=%lld", base, qs, *qs ? "&" : "", page + 1)));
	json_object_set_new(ctx, "pager", pager);
	json_object_set_new(ctx, "entries", rows);
	json_object_set_new(ctx, "total", json_integer(total));
	json_object_set_new(ctx, "filter",
			    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "user", f.user, "action", f.action, "type", f.type,
				      "object", f.object ? arena_printf(req->arena, "%lld", f.object) : "", "from", f.from, "to", f.to,
				      "action_url", base, "csv_url",
				      arena_printf(req->arena, "%s%s%s", admin_url(req, "/audit.csv"), *qs ? "?" : "", qs)));
	if (*qs)
		json_object_set_new(ctx, "filtered", json_true());
	if (f.bad_date)
		json_object_set_new(ctx, "error", json_string(app_t_(req, "A date was not understood and was ignored: use the calendar or YYYY-MM-DD.")));
	json_object_set_new(ctx, "csv_max", json_integer(AUDIT_CSV_MAX));
	/* logins and object types people can pick from */
	json_t *logins = json_array(), *types = json_array();
	if ((st = db_prepare(req->db, "SELECT login FROM users ORDER BY login"))) {
		while (db_step(st) == DB_ROW)
			json_array_append_new(logins, json_string(db_col_text(st, 0)));
		db_done(st);
	}
	if ((st = db_prepare(req->db, "SELECT DISTINCT object_type FROM audit_log WHERE object_type <> '' ORDER BY object_type"))) {
		while (db_step(st) == DB_ROW)
			json_array_append_new(types, json_pack("{s:s, s:b}", "value", db_col_text(st, 0), "selected",
							       strcmp(db_col_text(st, 0), f.type) == 0));
		db_done(st);
	}
	json_object_set_new(ctx, "logins", logins);
	json_object_set_new(ctx, "types", types);
	admin_render(req, res, "admin/users/audit", ctx);
}


static void audit_csv(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_AUDIT, 0, NULL))
		return;
	audit_filter_t f;
	audit_filter_parse(req, &f);
	db_stmt_t *st = audit_query(req, &f, AUDIT_SQL_CSV);
	if (!st) {
		app_error(req, res, 500);
		return;
	}
	buf_t *b = &res->body;
	buf_reset(b);
	buf_puts(b, "\xEF\xBB\xBF"); /* the BOM: Excel then reads the file as UTF-8, and Vietnamese shows right */
	static const char *const head[] = {"ID", "Time (UTC)", "Time (Vietnam)", "User", "User ID", "Action", "Object type",
					   "Object ID", "Detail", "IP address"};
	for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		csv_cell(b, app_t_(req, head[i]), i + 1 == sizeof(head) / sizeof(head[0]));
	while (db_step(st) == DB_ROW) {
		time_t at = (time_t)db_col_int(st, 1), local = at + AUDIT_TZ;
		struct tm u, l;
		char utc[32], vn[32], id[24], uid[24], oid[24];
		gmtime_r(&at, &u);
		gmtime_r(&local, &l);
		strftime(utc, sizeof(utc), "%Y-%m-%dT%H:%M:%SZ", &u);
		strftime(vn, sizeof(vn), "%Y-%m-%d %H:%M:%S", &l);
		snprintf(id, sizeof(id), "%lld", db_col_int(st, 0));
		snprintf(uid, sizeof(uid), "%lld", db_col_int(st, 3));
		snprintf(oid, sizeof(oid), "%lld", db_col_int(st, 6));
		csv_cell(b, id, 0);
		csv_cell(b, utc, 0);
		csv_cell(b, vn, 0);
		csv_cell(b, db_col_text(st, 2), 0);
		csv_cell(b, db_col_null(st, 3) ? "" : uid, 0);
		csv_cell(b, db_col_text(st, 4), 0);
		csv_cell(b, db_col_text(st, 5), 0);
		csv_cell(b, db_col_null(st, 6) ? "" : oid, 0);
		csv_cell(b, db_col_text(st, 7), 0);
		csv_cell(b, db_col_text(st, 8), 1);
	}
	db_done(st);
	if (b->overflow) {
		buf_reset(b);
		app_error(req, res, 500);
		return;
	}
	audit_log(req, NULL, "audit.export", "", 0, audit_filter_qs(req, &f));
	char day[16];
	time_t now = time(NULL) + AUDIT_TZ;
	struct tm t;
	gmtime_r(&now, &t);
	strftime(day, sizeof(day), "%Y%m%d", &t);
	res->status = 200;
	res->content_type = "text/csv; charset=utf-8";
	res->cache_ttl = -1;
	http_add_header(res, "content-disposition", arena_printf(req->arena, "attachment; filename=\"audit-log-%s.csv\"", day));
}
