/* auth pages: sign in, sign out, the second factor. */
#ifndef AUTH_ROUTES_H
#define AUTH_ROUTES_H
#include "app/app.h"

extern const app_route_t auth_routes[];  /* login.c: /dang-nhap, /en/login, /zh/login; sign out */
extern const app_route_t totp_routes[];  /* totp.c: the second-factor page and its set-up */

/* Outcome of checking a login name and password, shared by the login form and the API. */
typedef enum auth_check {
	AUTH_OK,
	AUTH_BAD,        /* unknown login or wrong password: the same answer for both */
	AUTH_THROTTLED,  /* too many failures: *retry_after seconds */
	AUTH_ERROR,
} auth_check_t;

/* Verifies login/password with throttling per account and per address, audit-logging failures.  On
 * AUTH_OK *user_id and *totp (whether a second factor is due) are set. */
auth_check_t auth_check_password(http_request_t *req, const char *login, const char *password, long long *user_id,
				 int *totp, long long *retry_after);
/* Whether p is a safe place to send a browser after signing in: a path on this site, printable ASCII only. */
int auth_local_path(const char *p);
/* The login page URL in the request's language. */
const char *auth_login_url(const http_request_t *req);
/* The URL of the second-factor page in the request's language. */
const char *auth_totp_url(const http_request_t *req);
#endif
