#include "auth/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/log.h"
#include "db/db.h"

static long long auth_real_clock(void)
{
	return (long long)time(NULL);
}

long long (*auth_clock)(void) = auth_real_clock;
int auth_idle_timeout = 30 * 60;

const char *auth_cookie_name(const http_request_t *req)
{
	return req->tls ? "__Host-cong" : "cong";
}

static void auth_hex(const unsigned char *p, size_t n, char *out)
{
	sodium_bin2hex(out, n * 2 + 1, p, n);
}

/* The stored form of a token: its BLAKE2b hash, hex. */
static void auth_token_hash(const char *token, char out[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
	auth_hex(h, sizeof(h), out);
}

/* The credential of the request and the kind of session it may name: an API token travels only in the
 * Authorization header and a web session only in its cookie, so a cookie (which a browser attaches to
 * cross-site requests) can never carry a token exempt from CSRF checks. */
static const char *auth_token_from(const http_request_t *req, const char **kind)
{
	const char *authz = http_header(req, "authorization");
	if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
		*kind = "api";
		return authz + 7;
	}
	*kind = "web";
	return http_cookie(req, auth_cookie_name(req));
}

/* A session still waiting for its second factor is only good for the page that asks for it. */
static const auth_user_t *auth_user_partial_check(const auth_user_t *u, int allow_partial)
{
	return u && (allow_partial || !u->second_factor_due) ? u : NULL;
}

static const auth_user_t *auth_lookup(http_request_t *req, int allow_partial)
{
	static const auth_user_t none; /* marks "looked up, nobody" in the request's cache */
	if (req->auth)
		return req->auth == &none ? NULL : auth_user_partial_check(req->auth, allow_partial);
	req->auth = &none;
	const char *kind;
	const char *token = auth_token_from(req, &kind);
	if (!token || strlen(token) != 64 || !req->db)
		return NULL;
	char hash[65];
	auth_token_hash(token, hash);
	db_stmt_t *st = db_prepare(req->db, "SELECT s.id, s.user_id, s.kind, s.csrf, s.second_factor_due, s.created_at, s.last_seen,"
					    " u.login, u.display_name, u.role, u.disabled"
					    " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?");
	if (!st || db_bindf(st, "s", hash) < 0 || db_step(st) != DB_ROW) {
		if (st)
			db_done(st);
		return NULL;
	}
	long long now = auth_clock(), sid = db_col_int(st, 0);
	long long created = db_col_int(st, 5), seen = db_col_int(st, 6);
	int api = strcmp(db_col_text(st, 2), "api") == 0;
	if (strcmp(db_col_text(st, 2), kind) != 0) { /* a token on the wrong channel is no credential */
		db_done(st);
		return NULL;
	}
	/* API tokens have no idle timeout (scripts run rarely) but the same absolute lifetime */
	int expired = db_col_int(st, 10) || now - created > AUTH_ABSOLUTE_TIMEOUT || (!api && now - seen > auth_idle_timeout);
	auth_user_t *u = arena_alloc(req->arena, sizeof(*u));
	if (!expired && u) {
		u->session_id = sid;
		u->id = db_col_int(st, 1);
		u->kind = arena_strdup(req->arena, db_col_text(st, 2));
		u->csrf = arena_strdup(req->arena, db_col_text(st, 3));
		u->second_factor_due = (int)db_col_int(st, 4);
		u->login = arena_strdup(req->arena, db_col_text(st, 7));
		u->display_name = arena_strdup(req->arena, db_col_text(st, 8));
		u->role = arena_strdup(req->arena, db_col_text(st, 9));
	}
	db_done(st);
	if (expired || !u) {
		db_execf(req->db, "DELETE FROM sessions WHERE id = ?", "i", sid);
		return NULL;
	}
	/* last_seen moves at most once a minute: no write per page view of an editor */
	if (now - seen >= 60) {
		db_quiet(req->db, 1); /* no page changes: other servers keep their caches */
		db_execf(req->db, "UPDATE sessions SET last_seen = ? WHERE id = ?", "ii", now, sid);
		db_quiet(req->db, 0);
	}
	req->auth = u;
	return auth_user_partial_check(u, allow_partial);
}

const auth_user_t *auth_user(http_request_t *req)
{
	return auth_lookup(req, 0);
}

const auth_user_t *auth_user_partial(http_request_t *req)
{
	return auth_lookup(req, 1);
}

/* Sets the session cookie for the browser's session (no expiry: the server enforces the timeouts), or
 * clears it. */
static void auth_set_cookie(http_request_t *req, http_response_t *res, const char *value, int clear)
{
	/* SameSite=Lax keeps the cookie off cross-site POSTs; HttpOnly keeps it from scripts; Path=/ and Secure
	 * (with TLS) satisfy the __Host- prefix rules */
	http_add_header(res, "set-cookie",
			arena_printf(req->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", auth_cookie_name(req), value,
				     req->tls ? "; Secure" : "", clear ? "; Max-Age=0" : ""));
}

const char *auth_session_start(http_request_t *req, http_response_t *res, long long user_id, const char *kind,
			       int second_factor_due)
{
	const char *old = strcmp(kind, "web") == 0 ? http_cookie(req, auth_cookie_name(req)) : NULL;
	if (old && strlen(old) == 64) { /* a fixated or stale cookie never survives a login */
		char h[65];
		auth_token_hash(old, h);
		db_execf(req->db, "DELETE FROM sessions WHERE token_hash = ?", "s", h);
	}
	unsigned char raw[32], csrf_raw[32];
	randombytes_buf(raw, sizeof(raw));
	randombytes_buf(csrf_raw, sizeof(csrf_raw));
	char *token = arena_alloc(req->arena, 65), csrf[65], hash[65];
	if (!token)
		return NULL;
	auth_hex(raw, sizeof(raw), token);
	auth_hex(csrf_raw, sizeof(csrf_raw), csrf);
	auth_token_hash(token, hash);
	long long now = auth_clock();
	const char *ua = http_header(req, "user-agent");
	if (db_execf(req->db, "INSERT INTO sessions (token_hash, user_id, kind, csrf, second_factor_due, created_at, last_seen, ip, user_agent)"
			      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		     "sissiiiss", hash, user_id, kind, csrf, (long long)second_factor_due, now, now, req->remote ? req->remote : "",
		     ua ? ua : "") < 0)
		return NULL;
	req->auth = NULL; /* the request now belongs to the new session */
	if (strcmp(kind, "web") == 0)
		auth_set_cookie(req, res, token, 0);
	return token;
}

int auth_session_complete(http_request_t *req)
{
	const auth_user_t *u = auth_user_partial(req);
	if (!u)
		return -1;
	((auth_user_t *)u)->second_factor_due = 0;
	return db_execf(req->db, "UPDATE sessions SET second_factor_due = 0 WHERE id = ?", "i", u->session_id) < 0 ? -1 : 0;
}

void auth_session_end(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = auth_user_partial(req);
	if (u)
		db_execf(req->db, "DELETE FROM sessions WHERE id = ?", "i", u->session_id);
	auth_set_cookie(req, res, "", 1);
	req->auth = NULL;
}

int auth_sessions_end_all(db_t *db, long long user_id)
{
	return db_execf(db, "DELETE FROM sessions WHERE user_id = ?", "i", user_id) < 0 ? -1 : 0;
}

/* ---- CSRF ------------------------------------------------------------------------------------------------ */

static int auth_same(const char *a, const char *b)
{
	size_t n = strlen(a);
	return n > 0 && n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}

int auth_csrf_ok(http_request_t *req, const form_t *form)
{
	const auth_user_t *u = auth_user_partial(req);
	if (!u)
		return 0;
	if (strcmp(u->kind, "api") == 0)
		return 1;
	const char *t = form ? form_get(form, "csrf") : NULL;
	if (!t)
		t = http_header(req, "x-csrf-token");
	return t && auth_same(t, u->csrf);
}

_Static_assert(AUTH_KEY_BYTES == crypto_auth_KEYBYTES, "the site key is a crypto_auth key");

int auth_site_key(db_t *db, unsigned char key[AUTH_KEY_BYTES])
{
	db_stmt_t *st = db_prepare(db, "SELECT value FROM settings WHERE key = 'secret.key'");
	int rc = -1;
	if (st && db_step(st) == DB_ROW) {
		size_t n = 0;
		const char *hex = db_col_text(st, 0);
		rc = sodium_hex2bin(key, crypto_auth_KEYBYTES, hex, strlen(hex), NULL, &n, NULL) == 0 && n == crypto_auth_KEYBYTES ? 0 : -1;
	}
	if (st)
		db_done(st);
	return rc;
}

static const char *auth_login_mac(http_request_t *req, const char *nonce)
{
	unsigned char key[crypto_auth_KEYBYTES], mac[crypto_auth_BYTES];
	if (auth_site_key(req->db, key) < 0)
		return NULL;
	crypto_auth(mac, (const unsigned char *)nonce, strlen(nonce), key);
	sodium_memzero(key, sizeof(key));
	char *out = arena_alloc(req->arena, sizeof(mac) * 2 + 1);
	if (out)
		auth_hex(mac, sizeof(mac), out);
	return out;
}

#define AUTH_PRE_COOKIE "cong_login"

const char *auth_login_csrf_issue(http_request_t *req, http_response_t *res)
{
	const char *nonce = http_cookie(req, AUTH_PRE_COOKIE);
	if (!nonce || strlen(nonce) != 32) {
		unsigned char raw[16];
		randombytes_buf(raw, sizeof(raw));
		char *n = arena_alloc(req->arena, 33);
		auth_hex(raw, sizeof(raw), n);
		nonce = n;
		http_add_header(res, "set-cookie", arena_printf(req->arena, AUTH_PRE_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s",
								 nonce, req->tls ? "; Secure" : ""));
	}
	return auth_login_mac(req, nonce);
}

int auth_login_csrf_ok(http_request_t *req, const form_t *form)
{
	const char *nonce = http_cookie(req, AUTH_PRE_COOKIE), *t = form ? form_get(form, "csrf") : NULL;
	if (!nonce || !t || strlen(nonce) != 32)
		return 0;
	const char *want = auth_login_mac(req, nonce);
	return want && auth_same(t, want);
}

/* ---- audit ------------------------------------------------------------------------------------------------ */

void audit_log(http_request_t *req, const char *login, const char *action, const char *object_type, long long object_id,
	       const char *detail)
{
	const auth_user_t *u = auth_user_partial(req);
	if (db_execf(req->db, "INSERT INTO audit_log (at, user_id, login, action, object_type, object_id, detail, ip)"
			      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		     "izssszss", (long long)time(NULL), u ? u->id : 0LL, u ? u->login : (login ? login : ""), action,
		     object_type ? object_type : "", object_id, detail ? detail : "", req->remote ? req->remote : "") < 0)
		log_msg(LOG_ERR, req->rid, "cannot write the audit log: %s", db_errmsg(req->db));
}
