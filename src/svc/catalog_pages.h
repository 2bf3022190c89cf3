/* catalog_pages: the public pages of the procedure catalog (index with filters and search, a procedure,
 * the agencies, form downloads) and the queries the JSON API shares with them.  Only published
 * procedures are ever shown.  English and Chinese show a translation where there is one, field by field,
 * else the Vietnamese text marked lang="vi" with a note. */
#ifndef SVC_CATALOG_PAGES_H
#define SVC_CATALOG_PAGES_H
#include <jansson.h>

#include "app/app.h"

extern const app_route_t catalog_routes[];

/* Filters of a list; "" or NULL for any. */
typedef struct catalog_filter {
	const char *field;  /* field slug */
	const char *agency; /* agency code */
	const char *level;  /* "tinh" | "xa" */
	const char *q;      /* search text (accents optional) */
} catalog_filter_t;

#define CATALOG_PER_PAGE 20

/* One page (from 1) of published procedures in lang, as an array of {code, name, translated, field {slug,
 * name}, agency {code, name}, level, online, days}; *total counts every match.  NULL on a database error. */
json_t *catalog_list(http_request_t *req, const char *lang, const catalog_filter_t *f, long long page, long long *total);
/* Everything about published procedure code in lang: the list fields plus the texts (steps, methods,
 * subjects, result, fees, conditions, legal_basis: Markdown, each with translated_<name> flags through
 * "fallback": [names shown in Vietnamese]), documents [{id, position, name, copies, required}] and forms
 * [{id, title, filename, mime, bytes, url}].  NULL when there is no such published procedure. */
json_t *catalog_get(http_request_t *req, const char *lang, const char *code);
/* The public URL of procedure code in lang, and of its online submission form. */
char *catalog_proc_url(arena_t *a, const char *lang, const char *code);
char *catalog_submit_url(arena_t *a, const char *lang, const char *code);
#endif
