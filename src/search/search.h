/* search: full-text search of the published articles — the results pages (/tim-kiem, /en/search,
 * /zh/search) and the store function behind them, for other modules (the public API) to reuse.
 * The index is article_search (006_search.sql); the query language is in search/query.h. */
#ifndef SEARCH_SEARCH_H
#define SEARCH_SEARCH_H
#include "app/app.h"
#include "db/db.h"
#include "search/query.h"

extern const app_route_t search_routes[];

void search_page(http_request_t *req, http_response_t *res);

/* Re-indexes the articles the triggers queued in search_dirty (inserted, edited or deleted since), in one
 * write transaction; a no-op costing one indexed lookup when nothing is queued.  Returns the number of
 * articles re-indexed, or -1 (the index is then as before). */
long long search_sync(db_t *db);

typedef struct search_params {
	const char *match;      /* search_match_expr() of the query */
	const char *lang;       /* "vi", "en", "zh", or NULL for every language */
	long long category_id;  /* 0: any; else that category and its children */
	long long from, to;     /* published_at in [from, to); 0 = unbounded */
	int by_date;            /* newest first instead of best first */
	long long offset, limit;
} search_params_t;

/* The ids of the visible published articles matching p, best (or newest) first, limit at most 100, into
 * ids; *total gets the number of matches.  A query matching more than 1,000 articles is answered from
 * its 1,000 most recently created matches only (as many as 100 pages of results show; it keeps broad
 * queries fast on a large portal): then *total counts those.  Returns how many ids were written, or -1 on a database error. */
int search_find(db_t *db, const search_params_t *p, long long *ids, long long *total);
/* search_find that also tells, in *capped, whether the 1,000-match limit applied ("1000+ results"). */
int search_find_capped(db_t *db, const search_params_t *p, long long *ids, long long *total, int *capped);
#endif
