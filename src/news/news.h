/* news: articles, categories and static pages — the store queries and the public pages. */
#ifndef NEWS_NEWS_H
#define NEWS_NEWS_H
#include "db/db.h"
#include "http/http.h"

#include "app/app.h"

extern const app_route_t news_routes[];

/* Public pages (URLs in news_routes). */
void news_home(http_request_t *req, http_response_t *res);
void news_all(http_request_t *req, http_response_t *res);
void news_category(http_request_t *req, http_response_t *res);
void news_article(http_request_t *req, http_response_t *res);
void news_page(http_request_t *req, http_response_t *res);

/* URL of an article, category or page in lang: "/tin-tuc/<slug>", "/en/category/<slug>" … */
char *news_url(arena_t *a, const char *lang, char kind, const char *slug);

/* View counting: hits are added up in memory and written in batches by news_views_flush. */
void news_views_hit(long long article_id);
/* Writes the counted views to the database; returns how many articles were updated, -1 on error. */
int news_views_flush(db_t *db);

/* The main menu every new portal starts with (home and news, in each language).  0 or -1. */
int news_default_menu(db_t *db);
/* Loads the demo portal from dir (see demo/README.md) into an empty database; images are generated
 * and stored under media_dir.  0, or -1 with a malloc'd *err. */
int news_demo_load(db_t *db, const char *dir, const char *media_dir, char **err);
#endif
