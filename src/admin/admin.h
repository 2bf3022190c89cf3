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
extern const app_route_t admin_catalog_routes[]; /* catalog.c: procedures, agencies, fields, CSV import */
extern const app_route_t admin_dossier_routes[]; /* dossiers.c: officers' queues, dossiers, notices */
extern const app_route_t admin_calendar_routes[]; /* calendar.c: the announced days off and working days */

/* The staff area URL for path ("" = the dashboard, "/articles" …) in the request's language:
 * "/admin/articles", "/en/admin/articles". */
const char *admin_url(const http_request_t *req, const char *path);

/* The signed-in user when they may do p (author_id/status describe the article for article actions);
 * otherwise answers (redirect to the login page when nobody is signed in and it is a GET, else 403/401)
 * and returns NULL.  Every staff handler starts with it. */
const auth_user_t *admin_require(http_request_t *req, http_response_t *res, perm_t p, long long author_id,
				 const char *status);
/* The id a URL segment or a form field names: a plain positive decimal number (no sign, no leading zero,
 * at most 15 digits, so one object has one URL); 0 for anything else. */
long long admin_id(const char *s);
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

/* ---- dossiers.c: the officers' side, shared with the JSON API (api/api.c) ---- */
/* A list of dossiers: a queue (svc/queue.h) and filters, always within the officer's agencies. */
typedef struct admin_dossier_filter {
	int queue;                          /* enum queue_id */
	long long agency_id, procedure_id;  /* 0: any (of the officer's) */
	int status;                         /* 0: any */
	const char *q;                      /* the code contains, or NULL */
	long long page;                     /* from 1 */
	int per_page;                       /* 0: the page's default (50) */
	arena_t *arena;                     /* the request's */
} admin_dossier_filter_t;
/* The count of each queue for officer u at now, as {queue key: count}; NULL on a database error. */
json_t *admin_dossier_counts(http_request_t *req, const auth_user_t *u, long long now);
/* One page of a list (an array of dossier objects, docs/API.md's shape) and its *total; NULL on error. */
json_t *admin_dossier_list(http_request_t *req, const auth_user_t *u, const admin_dossier_filter_t *f, long long now,
			   long long *total);
/* The id of the dossier ref (its code, or its id in digits) when it is one of officer u's agencies', else 0:
 * another agency's dossier and a dossier that does not exist are answered alike. */
long long admin_dossier_find(http_request_t *req, const auth_user_t *u, const char *ref);
/* Dossier id as an object with the applicant, the request and the moves an officer may make; NULL on error. */
json_t *admin_dossier_get(http_request_t *req, long long id, long long now);
/* Moves dossier id (already found with admin_dossier_find) to status to, by officer u: expect > 0 is the
 * status the officer saw.  200 done (audited); 409 stale expect or no such move (*why); 422 note missing or
 * too long (*why); 404; 500.  *why is a msgid. */
int admin_dossier_transition(http_request_t *req, const auth_user_t *u, long long id, int to, int expect, const char *note,
			     const char **why);
/* The queues page for officer u (also what /admin shows an officer). */
void admin_dossier_queues_page(http_request_t *req, http_response_t *res, const auth_user_t *u);
#endif
