/* feeds: what machines read about the public site — RSS 2.0 and Atom feeds (whole site and per category,
 * per language), sitemap.xml (split into a sitemap index past a size), robots.txt, the HTML site map
 * page, and an article's schema.org JSON-LD.  Every list uses the same rule as the pages: only published
 * articles whose time has come; every absolute URL comes from the site.base_url setting. */
#ifndef NEWS_FEEDS_H
#define NEWS_FEEDS_H
#include <jansson.h>

#include "app/app.h"
#include "http/http.h"

/* The sitemaps.org limit of URLs per file; the setting "sitemap.page_size" (hidden, for tests) lowers it. */
#define FEEDS_SITEMAP_MAX 50000
/* The protocol's limit on one sitemap file, uncompressed. */
#define FEEDS_SITEMAP_BYTES (50u << 20)
/* Articles per feed. */
#define FEEDS_ITEMS 30

extern const app_route_t feed_routes[];

/* Adds "jsonld" (a schema.org NewsArticle as JSON text, safe inside <script type="application/ld+json">:
 * '<' is escaped) to an article page's context, from what news_article put there (article, canonical,
 * site, base, lang).  Does nothing when ctx has no article. */
void feeds_article_meta(http_request_t *req, json_t *ctx);

/* Writes part `part` (1-based) of the sitemap URL list, `size` URLs per part, as a <urlset> into out;
 * part 0 writes the whole list.  Returns the number of URLs written, -1 on a database or buffer error. */
long long feeds_sitemap_urlset(http_request_t *req, buf_t *out, long long part, long long size);
/* The number of URLs the sitemap lists (homes, news lists, categories, pages, visible articles). */
long long feeds_sitemap_count(http_request_t *req);
#endif
