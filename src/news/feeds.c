/* feeds: RSS 2.0 and Atom feeds, sitemap.xml (and its index), robots.txt, the HTML site map and the
 * JSON-LD of article pages.  URLs (vi / en, zh):
 *   /rss.xml  /atom.xml                                   the language's latest articles
 *   <list page>/feed/rss.xml, <list page>/feed/atom.xml   a list page's feed: /tin-tuc/feed/rss.xml (the same
 *       articles as /rss.xml), /chuyen-muc/<slug>/feed/atom.xml, /en/category/<slug>/feed/rss.xml …
 *       Two segments, so that a page's head can link "{{url}}/feed/rss.xml" for whichever list it shows
 *       without the link looking like an article (/tin-tuc/<slug>).
 *   /sitemap.xml  /sitemap-<n>.xml  /robots.txt          one for the whole site, at the root
 *   /so-do-cong  (/en/sitemap, /zh/sitemap)               the HTML site map
 * Feeds and sitemaps are cacheable like pages (the page cache drops them when content changes). */
#include "news/feeds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "news/news.h"

#define VISIBLE " a.status = 'published' AND a.published_at <= ?"
/* The later of publication and last change; CASE, not max(a, b), which PostgreSQL spells greatest(). */
#define CHANGED " CASE WHEN a.updated_at > a.published_at THEN a.updated_at ELSE a.published_at END"
#define IN_CATEGORY " AND (a.category_id = ? OR a.category_id IN (SELECT id FROM categories WHERE parent_id = ?))"

static void feeds_rss(http_request_t *req, http_response_t *res);
static void feeds_atom(http_request_t *req, http_response_t *res);
static void feeds_sitemap(http_request_t *req, http_response_t *res);
static void feeds_sitemap_part(http_request_t *req, http_response_t *res);
static void feeds_robots(http_request_t *req, http_response_t *res);
static void feeds_sitemap_page(http_request_t *req, http_response_t *res);

const app_route_t feed_routes[] = {
	{"GET", "vi en zh", "/rss.xml", feeds_rss},
	{"GET", "vi en zh", "/atom.xml", feeds_atom},
	{"GET", "vi", "/tin-tuc/feed/rss.xml", feeds_rss},
	{"GET", "vi", "/tin-tuc/feed/atom.xml", feeds_atom},
	{"GET", "en zh", "/news/feed/rss.xml", feeds_rss},
	{"GET", "en zh", "/news/feed/atom.xml", feeds_atom},
	{"GET", "vi", "/chuyen-muc/*/feed/rss.xml", feeds_rss},
	{"GET", "vi", "/chuyen-muc/*/feed/atom.xml", feeds_atom},
	{"GET", "en zh", "/category/*/feed/rss.xml", feeds_rss},
	{"GET", "en zh", "/category/*/feed/atom.xml", feeds_atom},
	{"GET", "vi", "/sitemap.xml", feeds_sitemap},
	{"GET", "vi", "/sitemap-*", feeds_sitemap_part},
	{"GET", "vi", "/robots.txt", feeds_robots},
	{"GET", "vi", "/so-do-cong", feeds_sitemap_page},
	{"GET", "en zh", "/sitemap", feeds_sitemap_page},
	{NULL, NULL, NULL, NULL},
};

static const char *const feeds_langs[APP_NLANGS] = {"vi", "en", "zh"};

static long long feeds_now(void)
{
	return (long long)time(NULL);
}

static const char *feeds_prefix(const char *lang)
{
	return strcmp(lang, "vi") == 0 ? "" : strcmp(lang, "en") == 0 ? "/en" : "/zh";
}

static const char *feeds_base(http_request_t *req)
{
	return app_setting(req, "site.base_url", "");
}

/* A per-language site setting (site.name.vi …), or dflt. */
static const char *feeds_site(http_request_t *req, const char *key, const char *dflt)
{
	return app_setting(req, arena_printf(req->arena, "site.%s.%s", key, req->lang), dflt);
}

/* RFC 822 (as RSS 2.0 wants it, with a four-digit year), in GMT; names are English whatever the locale. */
static char *feeds_rfc822(arena_t *a, long long t)
{
	static const char *const days[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	return arena_printf(a, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
			    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* XML text: the HTML escaper's entities (&amp; &lt; &gt; &quot; &#39;) are all valid XML. */
static void feeds_text(buf_t *b, const char *s)
{
	buf_append_html(b, s, strlen(s));
}

/* <name>escaped text</name> */
static void feeds_elem(buf_t *b, const char *name, const char *s)
{
	buf_appendf(b, "<%s>", name);
	feeds_text(b, s);
	buf_appendf(b, "</%s>\n", name);
}

static void feeds_finish(http_request_t *req, http_response_t *res, const char *type, buf_t *b)
{
	if (b->overflow) {
		app_error(req, res, 500);
		return;
	}
	res->status = 200;
	res->content_type = type;
	res->cache_ttl = app.cfg.cache_ttl;
}

/* ---- RSS and Atom ------------------------------------------------------------------------------- */

typedef struct feeds_feed {
	const char *title;       /* the feed's title */
	const char *subtitle;
	const char *page;        /* absolute URL of the HTML page the feed follows */
	const char *self;        /* absolute URL of the feed itself */
	const char *author;      /* the agency, for the feed and entries without a byline */
	long long category;      /* 0: the whole language */
} feeds_feed_t;

/* Fills f for the request's URL; 0, or -1 when the category does not exist (404). */
static int feeds_feed_info(http_request_t *req, feeds_feed_t *f, const char *file)
{
	const char *base = feeds_base(req);
	const char *site = feeds_site(req, "name", "");
	memset(f, 0, sizeof(*f));
	f->author = feeds_site(req, "agency", site);
	f->subtitle = app_t_(req, "Latest news");
	if (req->params[0]) {
		db_stmt_t *st = db_prepare(req->db, "SELECT category_id, name, description, slug FROM category_i18n"
						    " WHERE lang = ? AND slug = ?");
		if (!st || db_bindf(st, "ss", req->lang, req->params[0]) < 0 || db_step(st) != DB_ROW) {
			if (st)
				db_done(st);
			return -1;
		}
		f->category = db_col_int(st, 0);
		f->title = arena_printf(req->arena, "%s – %s", db_col_text(st, 1), site);
		if (*db_col_text(st, 2))
			f->subtitle = arena_strdup(req->arena, db_col_text(st, 2));
		const char *path = news_url(req->arena, req->lang, 'c', db_col_text(st, 3));
		f->page = arena_printf(req->arena, "%s%s", base, path);
		f->self = arena_printf(req->arena, "%s%s/feed/%s", base, path, file);
		db_done(st);
	} else {
		f->title = site;
		f->page = arena_printf(req->arena, "%s%s/", base, req->prefix);
		/* the feed's own address as asked (/rss.xml or /tin-tuc/feed/rss.xml) */
		f->self = arena_printf(req->arena, "%s%s", base, req->raw_path);
	}
	return 0;
}

/* The feed's articles, newest first. */
static db_stmt_t *feeds_items(http_request_t *req, const feeds_feed_t *f)
{
	static const char *const cols =
		"SELECT a.id, a.slug, a.title, a.lead, a.published_at, a.updated_at, a.author, ci.slug, ci.name"
		" FROM articles a JOIN category_i18n ci ON ci.category_id = a.category_id AND ci.lang = a.lang"
		" WHERE a.lang = ? AND" VISIBLE;
	db_stmt_t *st;
	int rc;
	if (f->category) {
		st = db_prepare(req->db, arena_printf(req->arena, "%s%s ORDER BY a.published_at DESC, a.id DESC LIMIT %d",
						      cols, IN_CATEGORY, FEEDS_ITEMS));
		rc = st ? db_bindf(st, "siii", req->lang, feeds_now(), f->category, f->category) : -1;
	} else {
		st = db_prepare(req->db, arena_printf(req->arena, "%s ORDER BY a.published_at DESC, a.id DESC LIMIT %d", cols,
						      FEEDS_ITEMS));
		rc = st ? db_bindf(st, "si", req->lang, feeds_now()) : -1;
	}
	if (rc < 0 && st) {
		db_done(st);
		st = NULL;
	}
	return st;
}

/* The newest change among the feed's articles (so an unchanged feed keeps its bytes and ETag). */
static long long feeds_newest(http_request_t *req, const feeds_feed_t *f)
{
	if (f->category)
		return db_int(req->db, "SELECT max(" CHANGED ") FROM articles a WHERE a.lang = ? AND" VISIBLE IN_CATEGORY,
			      "siii", 0, req->lang, feeds_now(), f->category, f->category);
	return db_int(req->db, "SELECT max(" CHANGED ") FROM articles a WHERE a.lang = ? AND" VISIBLE,
		      "si", 0, req->lang, feeds_now());
}

static void feeds_rss(http_request_t *req, http_response_t *res)
{
	feeds_feed_t f;
	if (feeds_feed_info(req, &f, "rss.xml") < 0) {
		app_error(req, res, 404);
		return;
	}
	const char *base = feeds_base(req);
	buf_t *b = &res->body;
	long long newest = feeds_newest(req, &f);
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
		    "<channel>\n");
	feeds_elem(b, "title", f.title);
	feeds_elem(b, "link", f.page);
	feeds_elem(b, "description", f.subtitle);
	feeds_elem(b, "language", strcmp(req->lang, "zh") == 0 ? "zh-CN" : req->lang);
	if (newest)
		feeds_elem(b, "lastBuildDate", feeds_rfc822(req->arena, newest));
	feeds_elem(b, "generator", "Cổng");
	buf_puts(b, "<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"");
	feeds_text(b, f.self);
	buf_puts(b, "\"/>\n");
	db_stmt_t *st = feeds_items(req, &f);
	while (st && db_step(st) == DB_ROW) {
		const char *url = arena_printf(req->arena, "%s%s", base, news_url(req->arena, req->lang, 'a', db_col_text(st, 1)));
		buf_puts(b, "<item>\n");
		feeds_elem(b, "title", db_col_text(st, 2));
		feeds_elem(b, "link", url);
		feeds_elem(b, "description", db_col_text(st, 3));
		feeds_elem(b, "pubDate", feeds_rfc822(req->arena, db_col_int(st, 4)));
		buf_puts(b, "<guid isPermaLink=\"true\">");
		feeds_text(b, url);
		buf_puts(b, "</guid>\n<category domain=\"");
		feeds_text(b, base);
		feeds_text(b, news_url(req->arena, req->lang, 'c', db_col_text(st, 7)));
		buf_puts(b, "\">");
		feeds_text(b, db_col_text(st, 8));
		buf_puts(b, "</category>\n");
		feeds_elem(b, "dc:creator", *db_col_text(st, 6) ? db_col_text(st, 6) : f.author);
		buf_puts(b, "</item>\n");
	}
	if (st)
		db_done(st);
	buf_puts(b, "</channel>\n</rss>\n");
	feeds_finish(req, res, "application/rss+xml; charset=utf-8", b);
}

static void feeds_atom(http_request_t *req, http_response_t *res)
{
	feeds_feed_t f;
	if (feeds_feed_info(req, &f, "atom.xml") < 0) {
		app_error(req, res, 404);
		return;
	}
	const char *base = feeds_base(req);
	buf_t *b = &res->body;
	long long newest = feeds_newest(req, &f);
	buf_appendf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		       "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"%s\">\n",
		    req->lang);
	feeds_elem(b, "id", f.self);
	feeds_elem(b, "title", f.title);
	feeds_elem(b, "subtitle", f.subtitle);
	/* an empty feed still needs <updated>: the start of its lists' time */
	feeds_elem(b, "updated", app_iso(req->arena, newest));
	buf_puts(b, "<link rel=\"self\" type=\"application/atom+xml\" href=\"");
	feeds_text(b, f.self);
	buf_puts(b, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	feeds_text(b, f.page);
	buf_puts(b, "\"/>\n<author><name>");
	feeds_text(b, f.author);
	buf_puts(b, "</name><uri>");
	feeds_text(b, base);
	buf_puts(b, "/</uri></author>\n");
	buf_puts(b, "<generator>Cổng</generator>\n<icon>");
	feeds_text(b, base);
	buf_puts(b, "/static/img/favicon.svg</icon>\n<logo>");
	feeds_text(b, base);
	buf_puts(b, "/static/img/emblem.svg</logo>\n");
	db_stmt_t *st = feeds_items(req, &f);
	while (st && db_step(st) == DB_ROW) {
		const char *url = arena_printf(req->arena, "%s%s", base, news_url(req->arena, req->lang, 'a', db_col_text(st, 1)));
		long long published = db_col_int(st, 4), updated = db_col_int(st, 5);
		buf_puts(b, "<entry>\n");
		feeds_elem(b, "id", url);
		feeds_elem(b, "title", db_col_text(st, 2));
		buf_puts(b, "<link rel=\"alternate\" type=\"text/html\" href=\"");
		feeds_text(b, url);
		buf_puts(b, "\"/>\n");
		feeds_elem(b, "published", app_iso(req->arena, published));
		feeds_elem(b, "updated", app_iso(req->arena, updated > published ? updated : published));
		buf_puts(b, "<author><name>");
		feeds_text(b, *db_col_text(st, 6) ? db_col_text(st, 6) : f.author);
		buf_puts(b, "</name></author>\n<category term=\"");
		feeds_text(b, db_col_text(st, 7));
		buf_puts(b, "\" label=\"");
		feeds_text(b, db_col_text(st, 8));
		buf_puts(b, "\" scheme=\"");
		feeds_text(b, base);
		feeds_text(b, news_url(req->arena, req->lang, 'c', ""));
		buf_puts(b, "\"/>\n");
		if (*db_col_text(st, 3)) {
			buf_puts(b, "<summary type=\"text\">");
			feeds_text(b, db_col_text(st, 3));
			buf_puts(b, "</summary>\n");
		}
		buf_puts(b, "</entry>\n");
	}
	if (st)
		db_done(st);
	buf_puts(b, "</feed>\n");
	feeds_finish(req, res, "application/atom+xml; charset=utf-8", b);
}

/* ---- sitemap.xml -------------------------------------------------------------------------------- */

/* The list, in a fixed order so parts never overlap: 3 home pages, 3 news lists, categories (per
 * category, per language), static pages (per group, per language), visible articles (by id).  Each
 * section answers with its count and writes a slice [off, off+lim) of itself. */
typedef struct feeds_section {
	long long (*count)(http_request_t *req);
	long long (*write)(http_request_t *req, buf_t *b, long long off, long long lim);
} feeds_section_t;

/* One <url>: loc, lastmod (t > 0), and the hreflang alternates in alts (a JSON array of {lang, url}, or
 * NULL); alternates are listed only when there is a translation, and then include the URL itself. */
static void feeds_url(http_request_t *req, buf_t *b, const char *path, long long t, json_t *alts)
{
	const char *base = feeds_base(req);
	buf_puts(b, "<url><loc>");
	feeds_text(b, base);
	feeds_text(b, path);
	buf_puts(b, "</loc>");
	if (t > 0)
		buf_appendf(b, "<lastmod>%s</lastmod>", app_iso(req->arena, t));
	if (alts && json_array_size(alts) > 1) {
		size_t i;
		json_t *a;
		json_array_foreach(alts, i, a)
		{
			buf_appendf(b, "\n  <xhtml:link rel=\"alternate\" hreflang=\"%s\" href=\"",
				    json_string_value(json_object_get(a, "lang")));
			feeds_text(b, base);
			feeds_text(b, json_string_value(json_object_get(a, "url")));
			buf_puts(b, "\"/>");
		}
	}
	buf_puts(b, "</url>\n");
	json_decref(alts);
}

/* Collects (lang, slug) rows of st (bound, not stepped) as alternates of kind ('a', 'c', 'p'). */
static json_t *feeds_alts(http_request_t *req, db_stmt_t *st, char kind)
{
	json_t *alts = json_array();
	while (st && db_step(st) == DB_ROW)
		json_array_append_new(alts, json_pack("{s:s, s:s}", "lang", db_col_text(st, 0), "url",
						      news_url(req->arena, db_col_text(st, 0), kind, db_col_text(st, 1))));
	if (st)
		db_done(st);
	return alts;
}

static long long feeds_fixed_count(http_request_t *req)
{
	return 2 * APP_NLANGS;
}

static long long feeds_fixed_write(http_request_t *req, buf_t *b, long long off, long long lim)
{
	long long n = 0;
	for (long long i = off; i < 2 * APP_NLANGS && n < lim; i++, n++) {
		int list = i >= APP_NLANGS; /* 0..2 homes, 3..5 news lists */
		json_t *alts = json_array();
		const char *self = NULL;
		for (int l = 0; l < APP_NLANGS; l++) {
			const char *p = feeds_prefix(feeds_langs[l]);
			const char *u = list ? arena_printf(req->arena, "%s/%s", p, l ? "news" : "tin-tuc")
					     : arena_printf(req->arena, "%s/", p);
			json_array_append_new(alts, json_pack("{s:s, s:s}", "lang", feeds_langs[l], "url", u));
			if (l == i % APP_NLANGS)
				self = u;
		}
		long long t = db_int(req->db, "SELECT max(a.published_at) FROM articles a WHERE a.lang = ? AND" VISIBLE, "si", 0,
				     feeds_langs[i % APP_NLANGS], feeds_now());
		feeds_url(req, b, self, t, alts);
	}
	return n;
}

static long long feeds_cat_count(http_request_t *req)
{
	return db_int(req->db, "SELECT count(*) FROM category_i18n", "", 0);
}

static long long feeds_cat_write(http_request_t *req, buf_t *b, long long off, long long lim)
{
	db_stmt_t *st = db_prepare(req->db, "SELECT ci.category_id, ci.lang, ci.slug,"
					    " (SELECT max(a.published_at) FROM articles a WHERE a.lang = ci.lang AND" VISIBLE
					    " AND (a.category_id = ci.category_id OR a.category_id IN"
					    " (SELECT id FROM categories WHERE parent_id = ci.category_id)))"
					    " FROM category_i18n ci ORDER BY ci.category_id, ci.lang LIMIT ? OFFSET ?");
	if (!st || db_bindf(st, "iii", feeds_now(), lim, off) < 0) {
		if (st)
			db_done(st);
		return -1;
	}
	/* collected first: the alternates need a statement of their own */
	json_t *rows = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(rows, json_pack("{s:I, s:s, s:s, s:I}", "id", db_col_int(st, 0), "lang", db_col_text(st, 1),
						      "slug", db_col_text(st, 2), "t", db_col_int(st, 3)));
	db_done(st);
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		db_stmt_t *a = db_prepare(req->db, "SELECT lang, slug FROM category_i18n WHERE category_id = ? ORDER BY lang");
		if (a && db_bindf(a, "i", json_integer_value(json_object_get(r, "id"))) < 0) {
			db_done(a);
			a = NULL;
		}
		const char *lang = json_string_value(json_object_get(r, "lang"));
		feeds_url(req, b, news_url(req->arena, lang, 'c', json_string_value(json_object_get(r, "slug"))),
			  json_integer_value(json_object_get(r, "t")), feeds_alts(req, a, 'c'));
	}
	long long n = (long long)json_array_size(rows);
	json_decref(rows);
	return n;
}

static long long feeds_page_count(http_request_t *req)
{
	return db_int(req->db, "SELECT count(*) FROM pages", "", 0);
}

static long long feeds_page_write(http_request_t *req, buf_t *b, long long off, long long lim)
{
	db_stmt_t *st = db_prepare(req->db, "SELECT group_key, lang, slug, updated_at FROM pages"
					    " ORDER BY group_key, lang LIMIT ? OFFSET ?");
	if (!st || db_bindf(st, "ii", lim, off) < 0) {
		if (st)
			db_done(st);
		return -1;
	}
	json_t *rows = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:I}", "group", db_col_text(st, 0), "lang",
						      db_col_text(st, 1), "slug", db_col_text(st, 2), "t", db_col_int(st, 3)));
	db_done(st);
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		db_stmt_t *a = db_prepare(req->db, "SELECT lang, slug FROM pages WHERE group_key = ? ORDER BY lang");
		if (a && db_bindf(a, "s", json_string_value(json_object_get(r, "group"))) < 0) {
			db_done(a);
			a = NULL;
		}
		const char *lang = json_string_value(json_object_get(r, "lang"));
		feeds_url(req, b, news_url(req->arena, lang, 'p', json_string_value(json_object_get(r, "slug"))),
			  json_integer_value(json_object_get(r, "t")), feeds_alts(req, a, 'p'));
	}
	long long n = (long long)json_array_size(rows);
	json_decref(rows);
	return n;
}

static long long feeds_article_count(http_request_t *req)
{
	return db_int(req->db, "SELECT count(*) FROM articles a WHERE" VISIBLE, "i", 0, feeds_now());
}

static long long feeds_article_write(http_request_t *req, buf_t *b, long long off, long long lim)
{
	long long now = feeds_now();
	db_stmt_t *st = db_prepare(req->db, "SELECT a.id, a.lang, a.slug," CHANGED ", coalesce(a.group_id, 0)"
					    " FROM articles a WHERE" VISIBLE " ORDER BY a.id LIMIT ? OFFSET ?");
	if (!st || db_bindf(st, "iii", now, lim, off) < 0) {
		if (st)
			db_done(st);
		return -1;
	}
	/* a part holds at most FEEDS_SITEMAP_MAX rows: small enough to collect before the alternates */
	json_t *rows = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(rows, json_pack("{s:s, s:s, s:I, s:I}", "lang", db_col_text(st, 1), "slug",
						      db_col_text(st, 2), "t", db_col_int(st, 3), "group", db_col_int(st, 4)));
	db_done(st);
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		long long group = json_integer_value(json_object_get(r, "group"));
		db_stmt_t *a = NULL;
		if (group) {
			a = db_prepare(req->db, "SELECT a.lang, a.slug FROM articles a WHERE a.group_id = ? AND" VISIBLE " ORDER BY a.lang");
			if (a && db_bindf(a, "ii", group, now) < 0) {
				db_done(a);
				a = NULL;
			}
		}
		const char *lang = json_string_value(json_object_get(r, "lang"));
		feeds_url(req, b, news_url(req->arena, lang, 'a', json_string_value(json_object_get(r, "slug"))),
			  json_integer_value(json_object_get(r, "t")), a ? feeds_alts(req, a, 'a') : NULL);
	}
	long long n = (long long)json_array_size(rows);
	json_decref(rows);
	return n;
}

static const feeds_section_t feeds_sections[] = {
	{feeds_fixed_count, feeds_fixed_write},
	{feeds_cat_count, feeds_cat_write},
	{feeds_page_count, feeds_page_write},
	{feeds_article_count, feeds_article_write},
};
#define FEEDS_NSECTIONS (sizeof(feeds_sections) / sizeof(feeds_sections[0]))

long long feeds_sitemap_count(http_request_t *req)
{
	long long n = 0;
	for (size_t s = 0; s < FEEDS_NSECTIONS; s++)
		n += feeds_sections[s].count(req);
	return n;
}

long long feeds_sitemap_urlset(http_request_t *req, buf_t *out, long long part, long long size)
{
	long long off = part > 0 ? (part - 1) * size : 0, lim = part > 0 ? size : FEEDS_SITEMAP_MAX, written = 0;
	buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		      "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\""
		      " xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
	for (size_t s = 0; s < FEEDS_NSECTIONS && lim > 0; s++) {
		long long n = feeds_sections[s].count(req);
		if (off >= n) {
			off -= n;
			continue;
		}
		long long w = feeds_sections[s].write(req, out, off, lim);
		if (w < 0)
			return -1;
		written += w;
		lim -= w;
		off = 0;
	}
	buf_puts(out, "</urlset>\n");
	return out->overflow ? -1 : written;
}

/* URLs per sitemap file: FEEDS_SITEMAP_MAX, or less when the hidden setting sitemap.page_size says so. */
static long long feeds_sitemap_size(http_request_t *req)
{
	const char *s = app_setting(req, "sitemap.page_size", NULL);
	char *end;
	long long n = s ? strtoll(s, &end, 10) : 0;
	return s && *end == '\0' && n >= 1 && n <= FEEDS_SITEMAP_MAX ? n : FEEDS_SITEMAP_MAX;
}

/* A full part (50,000 URLs with their alternates) is larger than a page's buffer cap: allow what the
 * sitemaps.org protocol allows for one file. */
static void feeds_sitemap_buffer(http_response_t *res)
{
	buf_release(&res->body);
	buf_init(&res->body, FEEDS_SITEMAP_BYTES);
}

static void feeds_sitemap(http_request_t *req, http_response_t *res)
{
	long long size = feeds_sitemap_size(req), total = feeds_sitemap_count(req);
	buf_t *b = &res->body;
	feeds_sitemap_buffer(res);
	if (total <= size) {
		if (feeds_sitemap_urlset(req, b, 1, size) < 0) {
			app_error(req, res, 500);
			return;
		}
	} else {
		const char *base = feeds_base(req);
		long long parts = (total + size - 1) / size;
		buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			    "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
		for (long long i = 1; i <= parts; i++) {
			buf_puts(b, "<sitemap><loc>");
			feeds_text(b, base);
			buf_appendf(b, "/sitemap-%lld.xml</loc></sitemap>\n", i);
		}
		buf_puts(b, "</sitemapindex>\n");
	}
	feeds_finish(req, res, "application/xml; charset=utf-8", b);
}

/* /sitemap-<n>.xml: a part of the list, only when the list needs an index. */
static void feeds_sitemap_part(http_request_t *req, http_response_t *res)
{
	const char *p = req->params[0];
	char *end;
	long long n = (*p >= '1' && *p <= '9') ? strtoll(p, &end, 10) : 0;
	long long size = feeds_sitemap_size(req), total;
	if (n < 1 || strcmp(end, ".xml") != 0 || (total = feeds_sitemap_count(req)) <= size || (n - 1) * size >= total) {
		app_error(req, res, 404);
		return;
	}
	feeds_sitemap_buffer(res);
	if (feeds_sitemap_urlset(req, &res->body, n, size) < 0) {
		app_error(req, res, 500);
		return;
	}
	feeds_finish(req, res, "application/xml; charset=utf-8", &res->body);
}

/* ---- robots.txt ----------------------------------------------------------------------------------- */

static void feeds_robots(http_request_t *req, http_response_t *res)
{
	/* the staff area and the sign-in pages in every language; everything else may be crawled */
	buf_puts(&res->body, "User-agent: *\nAllow: /\n"
			     "Disallow: /admin\nDisallow: /en/admin\nDisallow: /zh/admin\n"
			     "Disallow: /dang-nhap\nDisallow: /en/login\nDisallow: /zh/login\n\n");
	buf_appendf(&res->body, "Sitemap: %s/sitemap.xml\n", feeds_base(req));
	feeds_finish(req, res, "text/plain; charset=utf-8", &res->body);
}

/* ---- the HTML site map ---------------------------------------------------------------------------- */

static void feeds_sitemap_page(http_request_t *req, http_response_t *res)
{
	json_t *ctx = app_page_ctx(req, app_t_(req, "Site map"));
	for (int l = 0; l < APP_NLANGS; l++)
		app_set_alternate(ctx, feeds_langs[l], l ? arena_printf(req->arena, "%s/sitemap", feeds_prefix(feeds_langs[l])) : "/so-do-cong");

	/* the category tree: two levels (a subcategory's parent is always top-level) */
	json_t *top = json_array(), *byid = json_object(), *kids = json_array();
	db_stmt_t *st = db_prepare(req->db, "SELECT c.id, coalesce(c.parent_id, 0), ci.slug, ci.name FROM categories c"
					    " JOIN category_i18n ci ON ci.category_id = c.id AND ci.lang = ?"
					    " ORDER BY c.position, c.id");
	if (st && db_bindf(st, "s", req->lang) == 0)
		while (db_step(st) == DB_ROW) {
			json_t *c = json_pack("{s:s, s:s, s:[], s:I}", "name", db_col_text(st, 3), "url",
					      news_url(req->arena, req->lang, 'c', db_col_text(st, 2)), "children", "parent",
					      db_col_int(st, 1));
			json_object_set(byid, arena_printf(req->arena, "%lld", db_col_int(st, 0)), c);
			json_array_append_new(db_col_int(st, 1) ? kids : top, c);
		}
	if (st)
		db_done(st);
	size_t i;
	json_t *c;
	json_array_foreach(kids, i, c) /* second pass: a parent may come after its children in the order */
	{
		json_t *parent = json_object_get(byid, arena_printf(req->arena, "%lld", json_integer_value(json_object_get(c, "parent"))));
		json_array_append(parent ? json_object_get(parent, "children") : top, c);
	}
	json_decref(kids);
	json_decref(byid);
	json_array_foreach(top, i, c) /* {"sub": {"items": […]}} only when there are subcategories: one <ul> */
	{
		json_t *ch = json_object_get(c, "children");
		if (json_array_size(ch))
			json_object_set_new(c, "sub", json_pack("{s:O}", "items", ch));
		json_object_del(c, "children");
		json_object_del(c, "parent");
	}
	json_object_set_new(ctx, "categories", top);

	json_t *pages = json_array();
	st = db_prepare(req->db, "SELECT slug, title FROM pages WHERE lang = ? ORDER BY title");
	if (st && db_bindf(st, "s", req->lang) == 0)
		while (db_step(st) == DB_ROW)
			json_array_append_new(pages, json_pack("{s:s, s:s}", "name", db_col_text(st, 1), "url",
							       news_url(req->arena, req->lang, 'p', db_col_text(st, 0))));
	if (st)
		db_done(st);
	if (json_array_size(pages))
		json_object_set_new(ctx, "pages", json_pack("{s:o}", "items", pages));
	else
		json_decref(pages);
	json_object_set_new(ctx, "news_url", json_string(arena_printf(req->arena, "%s/%s", req->prefix,
								       strcmp(req->lang, "vi") == 0 ? "tin-tuc" : "news")));
	json_object_set_new(ctx, "feed_prefix", json_string(req->prefix));
	app_render(req, res, "news/sitemap", ctx);
}

/* ---- JSON-LD ------------------------------------------------------------------------------------- */

static const char *feeds_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* "key":"escaped value" with a leading comma unless first */
static void feeds_jprop(buf_t *b, const char *key, const char *v, int *first)
{
	buf_appendf(b, "%s\"%s\":\"", *first ? "" : ",", key);
	buf_append_json(b, v, strlen(v));
	buf_putc(b, '"');
	*first = 0;
}

void feeds_article_meta(http_request_t *req, json_t *ctx)
{
	json_t *art = json_object_get(ctx, "article");
	if (!art)
		return;
	json_t *site = json_object_get(ctx, "site");
	const char *base = feeds_str(ctx, "base"), *canonical = feeds_str(ctx, "canonical");
	const char *published = feeds_str(art, "datetime"), *modified = feeds_str(art, "updated_iso");
	const char *org = *feeds_str(site, "agency") ? feeds_str(site, "agency") : feeds_str(site, "name");
	buf_t b;
	buf_init(&b, 256u << 10);
	int first = 1;
	buf_putc(&b, '{');
	feeds_jprop(&b, "@context", "https://schema.org", &first);
	feeds_jprop(&b, "@type", "NewsArticle", &first);
	feeds_jprop(&b, "headline", feeds_str(art, "title"), &first);
	if (*feeds_str(art, "lead"))
		feeds_jprop(&b, "description", feeds_str(art, "lead"), &first);
	feeds_jprop(&b, "datePublished", published, &first);
	feeds_jprop(&b, "dateModified", *modified ? modified : published, &first);
	feeds_jprop(&b, "inLanguage", feeds_str(ctx, "lang"), &first);
	feeds_jprop(&b, "url", canonical, &first);
	buf_puts(&b, ",\"mainEntityOfPage\":{");
	first = 1;
	feeds_jprop(&b, "@type", "WebPage", &first);
	feeds_jprop(&b, "@id", canonical, &first);
	buf_putc(&b, '}');
	json_t *cat = json_object_get(art, "category");
	first = 0;
	if (cat)
		feeds_jprop(&b, "articleSection", feeds_str(cat, "name"), &first);
	json_t *cover = json_object_get(art, "cover");
	if (cover && *feeds_str(cover, "src")) {
		/* the largest variant: /media/<name>-960.jpg → /media/<name>.jpg (1600 px) */
		const char *src = feeds_str(cover, "src");
		size_t n = strlen(src);
		const char *big = n > 8 && strcmp(src + n - 8, "-960.jpg") == 0
					  ? arena_printf(req->arena, "%.*s.jpg", (int)(n - 8), src)
					  : src;
		buf_puts(&b, ",\"image\":[\"");
		const char *abs = arena_printf(req->arena, "%s%s", base, big);
		buf_append_json(&b, abs, strlen(abs));
		buf_puts(&b, "\"]");
	}
	buf_puts(&b, ",\"author\":{");
	first = 1;
	if (*feeds_str(art, "author")) {
		feeds_jprop(&b, "@type", "Person", &first);
		feeds_jprop(&b, "name", feeds_str(art, "author"), &first);
	} else {
		feeds_jprop(&b, "@type", "Organization", &first);
		feeds_jprop(&b, "name", org, &first);
	}
	buf_puts(&b, "},\"publisher\":{");
	first = 1;
	feeds_jprop(&b, "@type", "GovernmentOrganization", &first);
	feeds_jprop(&b, "name", org, &first);
	feeds_jprop(&b, "url", arena_printf(req->arena, "%s/", base), &first);
	buf_puts(&b, ",\"logo\":{");
	first = 1;
	feeds_jprop(&b, "@type", "ImageObject", &first);
	feeds_jprop(&b, "url", arena_printf(req->arena, "%s/static/img/emblem.svg", base), &first);
	buf_puts(&b, "}}}");
	if (!b.overflow)
		json_object_set_new(ctx, "jsonld", json_string(buf_cstr(&b)));
	buf_release(&b);
}
