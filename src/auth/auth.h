/* auth: who is asking.  Sessions (web cookie or API bearer token), CSRF tokens, the permission matrix
 * and the audit log.  Everything here runs on workers and reads the database. */
#ifndef AUTH_AUTH_H
#define AUTH_AUTH_H
#include "http/form.h"
#include "http/http.h"

typedef struct auth_user {
	long long id;
	const char *login;
	const char *display_name;
	const char *role;        /* "admin", "publisher", "editor", "officer" */
	long long session_id;
	const char *csrf;        /* the session's synchronizer token */
	const char *kind;        /* "web" or "api" */
	int second_factor_due;   /* signed in with the password only; the TOTP code is still due */
} auth_user_t;

#define AUTH_ABSOLUTE_TIMEOUT (12 * 3600)

/* The clock, replaceable by tests so expiry can be tested without waiting. */
extern long long (*auth_clock)(void);
/* Idle timeout of a web session in seconds (setting session_idle_minutes; default 30 min). */
extern int auth_idle_timeout;

/* The signed-in user of the request — from the session cookie, or an "Authorization: Bearer" token — or
 * NULL.  Expired sessions are deleted; a session whose second factor is still due counts as signed in
 * only when allow_partial is set (the TOTP page itself).  The result is cached on the request. */
const auth_user_t *auth_user(http_request_t *req);
const auth_user_t *auth_user_partial(http_request_t *req);
/* Starts a session for user_id: a fresh 256-bit token (the old cookie's session, if any, is ended: a
 * session is never carried across a login).  For "web" sessions sets the cookie; returns the token
 * (arena) for "api" ones.  NULL on a database error. */
const char *auth_session_start(http_request_t *req, http_response_t *res, long long user_id, const char *kind,
			       int second_factor_due);
/* Marks the second factor done on the current session. */
int auth_session_complete(http_request_t *req);
/* Ends the current session (and clears the cookie). */
void auth_session_end(http_request_t *req, http_response_t *res);
/* Ends every session of a user (log out everywhere, disabled account, changed password).  -1 on error. */
int auth_sessions_end_all(db_t *db, long long user_id);
/* The session cookie's name: "__Host-cong" over TLS (Secure, bound to the host), else "cong". */
const char *auth_cookie_name(const http_request_t *req);

/* CSRF for signed-in users: the form's "csrf" field or the "x-csrf-token" header must equal the session's
 * token (constant-time).  Bearer-token API calls need none (no ambient credential).  1 when fine. */
int auth_csrf_ok(http_request_t *req, const form_t *form);
/* CSRF for the login form, before any session exists: a random cookie and a form token that is its MAC
 * under the site's secret.  _issue sets the cookie (when missing) and returns the form token. */
const char *auth_login_csrf_issue(http_request_t *req, http_response_t *res);
int auth_login_csrf_ok(http_request_t *req, const form_t *form);

/* ---- permissions (docs/PERMISSIONS.md has the matrix) ---- */
typedef enum perm {
	PERM_ARTICLE_LIST,      /* editors see only their own */
	PERM_ARTICLE_CREATE,
	PERM_ARTICLE_VIEW,
	PERM_ARTICLE_EDIT,
	PERM_ARTICLE_SUBMIT,
	PERM_ARTICLE_RETURN,
	PERM_ARTICLE_PUBLISH,   /* includes scheduling */
	PERM_ARTICLE_UNPUBLISH,
	PERM_ARTICLE_DELETE,
	PERM_MEDIA_UPLOAD,
	PERM_MEDIA_EDIT,
	PERM_USERS,
	PERM_SETTINGS,
	PERM_CATEGORIES,
	PERM_MENUS,
	PERM_AUDIT,
	PERM_CATALOG,           /* agencies, fields, procedures, forms; CSV import */
	PERM_CALENDAR,          /* the announced days off and working days */
	PERM_DOSSIER,           /* process dossiers: only those of the officer's agencies (svc_officer_may) */
	PERM_STATS,             /* the staff statistics of dossiers */
	PERM__COUNT
} perm_t;
/* Whether u may do p; for article actions, author_id and status describe the article (0/NULL for none). */
int perm_allows(const auth_user_t *u, perm_t p, long long author_id, const char *status);
const char *perm_name(perm_t p);

/* ---- throttling of guesses (auth/throttle.c) ---- */
#define THROTTLE_ACCOUNT_FREE 5  /* failures an account (or a code) may have in a window before waits begin */
#define THROTTLE_ADDRESS_FREE 20 /* failures from one address, over many accounts */
/* Seconds key must still wait before another try, 0 when it may try now. */
long long throttle_wait(db_t *db, const char *key, long long now);
/* Counts a failure of key; past free_failures in the window, sets the doubling wait. */
void throttle_fail(db_t *db, const char *key, int free_failures, long long now);
/* Forgets key's failures (after a success). */
void throttle_clear(db_t *db, const char *key);

/* ---- the site's secret ---- */
#define AUTH_KEY_BYTES 32 /* crypto_auth_KEYBYTES */
/* The site's secret key (setting "secret.key", made by cong init), for MACs: login-form CSRF tokens, the
 * citizens' dossier links.  0, or -1 when the site has none. */
int auth_site_key(db_t *db, unsigned char key[AUTH_KEY_BYTES]);

/* ---- audit log ---- */
/* Records action by the request's user (or by login when no one is signed in, e.g. a failed login) on an
 * object, with the client's address.  Never fails the caller's work: errors are logged. */
void audit_log(http_request_t *req, const char *login, const char *action, const char *object_type, long long object_id,
	       const char *detail);
#endif
