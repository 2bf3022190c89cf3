/* admin: the staff area's shared pieces — the guard every handler starts with, the page context (staff
 * menu, user, CSRF token) and the route tables of its parts. */
#ifndef ADMIN_ADMIN_H
#define ADMIN_ADMIN_H
#include <jansson.h>

#include "app/app.h"
#include "auth/auth.h"
#include "http/form.h"

extern const app_route_t admin_routes[];         /* admin.c: the dashboard */
extern const app_route_t admin_article_routes[]; /* articles.c: lists, editor, workflow, revisions */
extern const app_route_t admin_media_routes[];   /* media.c: the media library */
extern const app_route_t admin_user_routes[];    /* users.c: users, profile, the audit log */
extern const app_route_t admin_site_routes[];    /* site.c: site settings, categories, menus */

/* The staff area URL for path ("" = the dashboard, "/articles" …) in the request's language:
 * "/admin/articles", "/en/admin/articles". */
const char *admin_url(const http_request_t *req, const char *path);

/* The signed-in user when they may do p (author_id/status describe the article for article actions);
 * otherwise answers (redirect to the login page when nobody is signed in and it is a GET, else 403/401)
 * and returns NULL.  Every staff handler starts with it. */
const auth_user_t *admin_require(http_request_t *req, http_response_t *res, perm_t p, long long author_id,
				 const char *status);
/* Parses a POST form and checks its CSRF token; on a bad token answers 403 and returns NULL. */
form_t *admin_form(http_request_t *req, http_response_t *res);
/* 403 with the localized error page. */
void admin_forbidden(http_request_t *req, http_response_t *res);
/* The context of a staff page: the public page context plus `staff` {user, role, csrf, nav [{label, url,
 * current}], logout_url} with section marking the current menu entry ("articles", "media", "users",
 * "audit", "settings"). */
json_t *admin_ctx(http_request_t *req, const char *title, const char *section);
/* Renders a staff page: private, never cached. */
void admin_render(http_request_t *req, http_response_t *res, const char *tpl, json_t *ctx);
/* Sets a one-shot notice shown on the next staff page (a cookie), e.g. after a redirect. */
void admin_flash(http_request_t *req, http_response_t *res, const char *msgid);
#endif
