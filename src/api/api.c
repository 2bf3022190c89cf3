/* api: the JSON admin API under /api/v1 (docs/API.md).  The same permissions, workflow and audit log as
 * the staff pages — it calls the same editorial store — with a bearer token from POST /api/v1/session.
 * Errors are {"error": stable code, "message": English text} with a fitting status. */
#include "api/api.h"
#include "api/public.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "admin/admin.h"
#include "auth/auth.h"
#include "auth/routes.h"
#include "auth/totp.h"
#include "db/db.h"
#include "media/media.h"
#include "news/editorial.h"
#include "svc/dossier.h"
#include "svc/queue.h"

static void api_session_post(http_request_t *req, http_response_t *res);
static void api_session_delete(http_request_t *req, http_response_t *res);
static void api_articles_get(http_request_t *req, http_response_t *res);
static void api_articles_post(http_request_t *req, http_response_t *res);
static void api_article_get(http_request_t *req, http_response_t *res);
static void api_article_put(http_request_t *req, http_response_t *res);
static void api_article_action(http_request_t *req, http_response_t *res);
static void api_media_post(http_request_t *req, http_response_t *res);
static void api_staff_dossiers(http_request_t *req, http_response_t *res);
static void api_staff_dossier(http_request_t *req, http_response_t *res);
static void api_staff_transition(http_request_t *req, http_response_t *res);

const app_route_t api_routes[] = {
	{"POST", "vi", "/api/v1/session", api_session_post},
	{"DELETE", "vi", "/api/v1/session", api_session_delete},
	{"GET", "vi", "/api/v1/articles", api_articles_get},
	{"POST", "vi", "/api/v1/articles", api_articles_post},
	{"GET", "vi", "/api/v1/articles/*", api_article_get},
	{"PUT", "vi", "/api/v1/articles/*", api_article_put},
	{"POST", "vi", "/api/v1/articles/*/*", api_article_action},
	{"POST", "vi", "/api/v1/media", api_media_post},
	{"GET", "vi", "/api/v1/staff/dossiers", api_staff_dossiers},
	{"GET", "vi", "/api/v1/staff/dossiers/*", api_staff_dossier},
	{"POST", "vi", "/api/v1/staff/dossiers/*/transition", api_staff_transition},
	{NULL, NULL, NULL, NULL},
};

#define API_MAX_JSON (1u << 20)

/* Admin API answers are private: never kept by the page cache. */
static void api_json(http_response_t *res, int status, json_t *v)
{
	app_json(res, status, -1, v);
}

static void api_error(http_response_t *res, int status, const char *code, const char *message)
{
	app_json_error(res, status, -1, code, message);
}

static int api_status(ed_rc_t rc)
{
	switch (rc) {
	case ED_OK: return 200;
	case ED_NOT_FOUND: return 404;
	case ED_FORBIDDEN: return 403;
	case ED_CONFLICT: return 409;
	case ED_INVALID: return 422;
	case ED_BAD_STATE: return 409;
	case ED_EXISTS: return 409;
	case ED_HAS_TRANSLATIONS: return 409;
	default: return 500;
	}
}

static void api_ed_error(http_response_t *res, ed_rc_t rc, json_t *errors)
{
	json_t *v = json_pack("{s:s, s:s}", "error", editorial_code(rc), "message", editorial_message(rc));
	if (errors)
		json_object_set_new(v, "fields", errors);
	api_json(res, api_status(rc), v);
}

/* The request body as a JSON object, or NULL after answering 400. */
static json_t *api_body(http_request_t *req, http_response_t *res)
{
	json_error_t e;
	json_t *v = req->body_len && req->body_len <= API_MAX_JSON ? json_loadb(req->body, req->body_len, 0, &e) : NULL;
	if (!json_is_object(v)) {
		json_decref(v);
		api_error(res, 400, "bad_json", "The body must be a JSON object.");
		return NULL;
	}
	return v;
}

/* The signed-in user, checked for CSRF when the credential is a browser cookie; NULL after answering 401/403. */
static const auth_user_t *api_user(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = auth_user(req);
	if (!u) {
		api_error(res, 401, "unauthorized", "Sign in first: POST /api/v1/session, then send Authorization: Bearer <token>.");
		return NULL;
	}
	int mutating = strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0;
	if (mutating && !auth_csrf_ok(req, NULL)) {
		api_error(res, 403, "csrf", "A browser session needs the x-csrf-token header.");
		return NULL;
	}
	return u;
}

/* A copy of a string member (NFC, in the arena), or NULL when absent or not a string. */
static const char *api_str(http_request_t *req, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? http_nfc(req->arena, arena_strdup(req->arena, json_string_value(v))) : NULL;
}

static long long api_int(json_t *o, const char *key, long long dflt)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? (long long)json_integer_value(v) : dflt;
}

static void api_input(http_request_t *req, json_t *o, ed_input_t *in, int create)
{
	memset(in, 0, sizeof(*in));
	in->title = api_str(req, o, "title");
	in->lead = api_str(req, o, "lead");
	in->body = api_str(req, o, "body");
	in->tags = api_str(req, o, "tags");
	in->slug = api_str(req, o, "slug");
	in->cover_caption = api_str(req, o, "cover_caption");
	in->cover_alt = api_str(req, o, "cover_alt");
	in->author = api_str(req, o, "author");
	in->source = api_str(req, o, "source");
	in->published_at = api_str(req, o, "published_at");
	in->lang = api_str(req, o, "lang");
	in->category_id = api_int(o, "category_id", 0);
	in->cover_id = api_int(o, "cover_id", create ? 0 : -1);
}

static long long api_id(const char *s)
{
	char *end;
	long long v = strtoll(s ? s : "", &end, 10);
	return s && *s && !*end && v > 0 ? v : 0;
}

static void api_article_send(http_request_t *req, http_response_t *res, const auth_user_t *u, long long id, int status)
{
	ed_article_t a;
	ed_rc_t rc = editorial_get(req, u, id, &a);
	if (rc != ED_OK)
		api_ed_error(res, rc, NULL);
	else
		api_json(res, status, editorial_article_json(&a));
}

/* ---- session ----------------------------------------------------------------------------------- */

static void api_session_post(http_request_t *req, http_response_t *res)
{
	json_t *b = api_body(req, res);
	if (!b)
		return;
	const char *login = api_str(req, b, "login"), *pw = api_str(req, b, "password"), *code = api_str(req, b, "code");
	json_decref(b);
	if (!login || !pw || !*login || strlen(login) > 64 || strlen(pw) > 1024) {
		api_error(res, 400, "bad_request", "Send {\"login\": …, \"password\": …}.");
		return;
	}
	long long uid = 0, retry = 0;
	int totp = 0;
	switch (auth_check_password(req, login, pw, &uid, &totp, &retry)) {
	case AUTH_OK:
		break;
	case AUTH_THROTTLED:
		http_add_header(res, "retry-after", arena_printf(req->arena, "%lld", retry));
		api_error(res, 429, "throttled", "Too many failed attempts; wait and try again.");
		return;
	case AUTH_BAD:
		api_error(res, 401, "invalid_credentials", "The login name or password is wrong.");
		return;
	default:
		api_error(res, 500, "error", "Internal error.");
		return;
	}
	/* with two-factor sign-in on, the code comes in the same call; wrong codes are throttled like the page's */
	if (!totp && totp_required(req, uid)) {
		api_error(res, 403, "2fa_setup_required", "Set up two-factor sign-in in the staff area first.");
		return;
	}
	if (totp) {
		const char *tkey = arena_printf(req->arena, "t:%lld", uid);
		long long now = auth_clock(), wait = throttle_wait(req->db, tkey, now);
		if (wait > 0) {
			http_add_header(res, "retry-after", arena_printf(req->arena, "%lld", wait));
			api_error(res, 429, "throttled", "Too many wrong codes; wait and try again.");
			return;
		}
		if (!code || !totp_verify_user(req->db, uid, code, now)) {
			if (code)
				throttle_fail(req->db, tkey, THROTTLE_ACCOUNT_FREE, now);
			audit_log(req, login, code ? "login.2fa_failed" : "login.2fa_required", "user", uid, "api");
			api_error(res, 401, code ? "invalid_code" : "code_required", "This account needs its two-factor code in \"code\".");
			return;
		}
		throttle_clear(req->db, tkey);
	}
	const char *token = auth_session_start(req, res, uid, "api", 0);
	if (!token) {
		api_error(res, 500, "error", "Internal error.");
		return;
	}
	audit_log(req, login, "login", "user", uid, "api");
	api_json(res, 201, json_pack("{s:s, s:s, s:I}", "token", token, "token_type", "Bearer", "expires_in",
				     (json_int_t)AUTH_ABSOLUTE_TIMEOUT));
}

static void api_session_delete(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = api_user(req, res);
	if (!u)
		return;
	audit_log(req, NULL, "logout", "user", u->id, "api");
	db_execf(req->db, "DELETE FROM sessions WHERE id = ?", "i", u->session_id);
	res->status = 204;
	res->cache_ttl = -1;
}

/* ---- articles ---------------------------------------------------------------------------------- */

static void api_articles_get(http_request_t *req, http_response_t *res)
{
	if (api_public_request(req)) { /* no credentials: the public read API (api/public.c) */
		api_public_articles(req, res);
		return;
	}
	const auth_user_t *u = api_user(req, res);
	if (!u)
		return;
	ed_filter_t f = {
		.status = http_query(req, "status"),
		.lang = http_query(req, "lang"),
		.q = http_query(req, "q"),
		.author_id = http_query_int(req, "author", 1, 1LL << 50, 0),
		.category_id = http_query_int(req, "category", 1, 1LL << 50, 0),
		.page = http_query_int(req, "page", 1, 100000, 1),
		.per_page = http_query_int(req, "per_page", 1, 100, 0),
	};
	long long total = 0;
	json_t *items = editorial_list(req, u, &f, &total);
	if (!items) {
		api_error(res, 500, "error", "Internal error.");
		return;
	}
	api_json(res, 200, json_pack("{s:o, s:I, s:I}", "items", items, "total", (json_int_t)total, "page", (json_int_t)f.page));
}

static void api_articles_post(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = api_user(req, res);
	json_t *b = u ? api_body(req, res) : NULL;
	if (!b)
		return;
	ed_input_t in;
	api_input(req, b, &in, 1);
	json_decref(b);
	json_t *errors = NULL;
	long long id = 0;
	ed_rc_t rc = editorial_create(req, u, &in, &errors, &id);
	if (rc != ED_OK) {
		api_ed_error(res, rc, errors);
		return;
	}
	http_add_header(res, "location", arena_printf(req->arena, "/api/v1/articles/%lld", id));
	api_article_send(req, res, u, id, 201);
}

static void api_article_get(http_request_t *req, http_response_t *res)
{
	if (api_public_request(req)) {
		api_public_article(req, res);
		return;
	}
	const auth_user_t *u = api_user(req, res);
	if (u)
		api_article_send(req, res, u, api_id(req->params[0]), 200);
}

static void api_article_put(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = api_user(req, res);
	json_t *b = u ? api_body(req, res) : NULL;
	if (!b)
		return;
	long long id = api_id(req->params[0]), expected = api_int(b, "revision", 0), rev = 0;
	if (expected <= 0) {
		json_decref(b);
		api_error(res, 400, "revision_required", "Send the revision you edited in \"revision\" (optimistic locking).");
		return;
	}
	ed_input_t in;
	api_input(req, b, &in, 0);
	json_decref(b);
	json_t *errors = NULL;
	ed_rc_t rc = editorial_update(req, u, id, expected, &in, &errors, &rev);
	if (rc != ED_OK)
		api_ed_error(res, rc, errors);
	else
		api_article_send(req, res, u, id, 200);
}

static void api_article_action(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = api_user(req, res);
	if (!u)
		return;
	int a = editorial_action_from(req->params[1]);
	if (a < 0) {
		api_error(res, 404, "not_found", "Unknown action: use submit, return, publish, schedule, unpublish or delete.");
		return;
	}
	json_t *b = req->body_len ? api_body(req, res) : json_object();
	if (!b)
		return;
	const char *comment = api_str(req, b, "comment"), *at = api_str(req, b, "publish_at");
	json_decref(b);
	long long when = 0;
	if (a == ED_SCHEDULE && (!at || editorial_parse_time(at, &when) < 0)) {
		api_error(res, 422, "invalid", "Send the time in \"publish_at\" as YYYY-MM-DDTHH:MM (Vietnam time).");
		return;
	}
	long long id = api_id(req->params[0]);
	json_t *errors = NULL;
	ed_rc_t rc = editorial_transition(req, u, id, (ed_action_t)a, comment, when, &errors);
	if (rc != ED_OK)
		api_ed_error(res, rc, errors);
	else if (a == ED_DELETE) {
		res->status = 204;
		res->cache_ttl = -1;
	} else
		api_article_send(req, res, u, id, 200);
}

/* ---- media ------------------------------------------------------------------------------------- */

/* Upload one image: the raw bytes as the body (Content-Type image/jpeg, image/png or image/webp) with
 * ?alt=…&caption=…, or a multipart form with "file", "alt" and "caption". */
static void api_media_post(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = api_user(req, res);
	if (!u)
		return;
	if (!perm_allows(u, PERM_MEDIA_UPLOAD, 0, NULL)) {
		api_error(res, 403, "forbidden", "You may not upload images.");
		return;
	}
	const char *ct = http_header(req, "content-type"), *alt = NULL, *caption = NULL;
	const void *data = NULL;
	size_t len = 0;
	if (ct && strncasecmp(ct, "multipart/form-data", 19) == 0) {
		form_t *f = form_parse(req);
		const form_field_t *file = form_file(f, "file");
		if (file) {
			data = file->value;
			len = file->len;
		}
		alt = form_get(f, "alt");
		caption = form_get(f, "caption");
	} else {
		data = req->body;
		len = req->body_len;
		alt = http_query(req, "alt");
		caption = http_query(req, "caption");
	}
	if (!data || !len || !alt || !*alt) {
		api_error(res, 400, "bad_request", "Send an image and its alt text (alt).");
		return;
	}
	long long id = 0;
	const char *why = NULL;
	if (media_store(req->db, app.media_dir, data, len, alt, caption, &id, &why) < 0) {
		api_error(res, 422, "invalid_image", why ? why : "The image could not be stored.");
		return;
	}
	char *name = arena_strdup(req->arena, "");
	db_stmt_t *st = db_prepare(req->db, "SELECT name FROM media WHERE id = ?");
	if (st && db_bindf(st, "i", id) == 0 && db_step(st) == DB_ROW)
		name = arena_strdup(req->arena, db_col_text(st, 0));
	if (st)
		db_done(st);
	audit_log(req, NULL, "media.upload", "media", id, "api");
	api_json(res, 201, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "name", name, "url",
				     arena_printf(req->arena, "/media/%s.jpg", name), "markdown",
				     arena_printf(req->arena, "![%s](/media/%s.jpg)", alt, name)));
}

/* ---- the officers' dossiers (admin/dossiers.c does the work; the same rules as the pages) --------- */

/* The signed-in officer, or NULL after answering 401/403. */
static const auth_user_t *api_officer(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = api_user(req, res);
	if (u && !perm_allows(u, PERM_DOSSIER, 0, NULL)) {
		api_error(res, 403, "forbidden", "Only officers process dossiers.");
		return NULL;
	}
	return u;
}

/* Drops the page-only (localized display) members of a dossier object. */
static json_t *api_dossier_clean(json_t *d)
{
	static const char *const page_only[] = {"submitted", "received", "due", "apology_due", "finished", "returned",
						"timeliness_label", "overdue", "url", "agency_id", "procedure_id"};
	for (size_t i = 0; d && i < sizeof(page_only) / sizeof(page_only[0]); i++)
		json_object_del(d, page_only[i]);
	json_t *moves = json_object_get(d, "moves"), *m;
	size_t i;
	json_array_foreach(moves, i, m)
	{
		json_object_del(m, "label");
	}
	return d;
}

static void api_staff_dossiers(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = api_officer(req, res);
	if (!u)
		return;
	const char *qk = http_query(req, "queue");
	int queue = queue_from_key(qk && *qk ? qk : "all");
	if (queue < 0) {
		api_error(res, 400, "bad_queue", "queue must be one of new, due_today, due_soon, overdue, waiting, processing, all.");
		return;
	}
	admin_dossier_filter_t f = {.queue = queue,
				    .agency_id = http_query_int(req, "agency", 1, 1LL << 50, 0),
				    .procedure_id = http_query_int(req, "procedure", 1, 1LL << 50, 0),
				    .status = (int)http_query_int(req, "status", 1, DS__MAX, 0),
				    .q = http_query(req, "q"),
				    .page = http_query_int(req, "page", 1, 100000, 1),
				    .per_page = (int)http_query_int(req, "per_page", 1, 100, 50),
				    .arena = req->arena};
	if (f.q && strlen(f.q) > 64)
		f.q = NULL;
	long long now = (long long)time(NULL), total = 0;
	json_t *counts = admin_dossier_counts(req, u, now);
	json_t *items = counts ? admin_dossier_list(req, u, &f, now, &total) : NULL;
	if (!items) {
		json_decref(counts);
		api_error(res, 500, "error", "Internal error.");
		return;
	}
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		api_dossier_clean(it);
	}
	api_json(res, 200, json_pack("{s:s, s:o, s:I, s:I, s:I, s:o}", "queue", queue_key(queue), "items", items, "total",
				     (json_int_t)total, "page", (json_int_t)f.page, "per_page", (json_int_t)f.per_page, "counts",
				     counts));
}

static void api_staff_dossier(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = api_officer(req, res);
	if (!u)
		return;
	long long id = admin_dossier_find(req, u, req->params[0]);
	json_t *d = id ? admin_dossier_get(req, id, (long long)time(NULL)) : NULL;
	if (!d)
		api_error(res, id ? 500 : 404, id ? "error" : "not_found", id ? "Internal error." : "No such dossier.");
	else
		api_json(res, 200, api_dossier_clean(d));
}

/* A status given as a number or a key ("received"); 0 when it is neither. */
static int api_status_of(json_t *v)
{
	if (json_is_integer(v))
		return json_integer_value(v) >= DS_NEW && json_integer_value(v) <= DS__MAX ? (int)json_integer_value(v) : 0;
	return json_is_string(v) ? dossier_status_from_key(json_string_value(v)) : 0;
}

static void api_staff_transition(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = api_officer(req, res);
	json_t *b = u ? api_body(req, res) : NULL;
	if (!b)
		return;
	long long id = admin_dossier_find(req, u, req->params[0]);
	if (!id) {
		json_decref(b);
		api_error(res, 404, "not_found", "No such dossier.");
		return;
	}
	int to = api_status_of(json_object_get(b, "to"));
	json_t *ev = json_object_get(b, "expect");
	int expect = ev ? api_status_of(ev) : 0, bad_expect = ev && !json_is_null(ev) && !expect;
	const char *note = api_str(req, b, "note");
	json_decref(b); /* ev points into b: read above, never after */
	if (!to || bad_expect) {
		api_error(res, 422, "invalid", "Send \"to\" (and \"expect\", if given) as a status number 1-10 or its key, e.g. \"received\".");
		return;
	}
	const char *why = NULL;
	int rc = admin_dossier_transition(req, u, id, to, expect, note ? note : "", &why);
	if (rc == 200) {
		json_t *d = admin_dossier_get(req, id, (long long)time(NULL));
		if (d)
			api_json(res, 200, api_dossier_clean(d));
		else
			api_error(res, 500, "error", "Internal error.");
		return;
	}
	if (rc == 409) {
		int now_status = (int)db_int(req->db, "SELECT status FROM dossiers WHERE id = ?", "i", 0, id);
		int stale = expect > 0 && now_status != expect;
		api_json(res, 409, json_pack("{s:s, s:s, s:i, s:s}", "error", stale ? "conflict" : "bad_state", "message",
					     why ? why : "Conflict.", "status", now_status, "status_key", dossier_status_key(now_status)));
		return;
	}
	api_error(res, rc, rc == 422 ? "note_required" : rc == 404 ? "not_found" : "error", why ? why : "Internal error.");
}
