/* news: the public news pages.  Every query shows only published articles whose time has come, so a
 * draft or a scheduled article can never leak into a list. */
#include "news/news.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "news/feeds.h"
#include "view/md.h"

#define NEWS_PER_PAGE 12
#define NEWS_MAX_PAGE 10000

/* Columns 0..8 of every article summary. */
#define SUMMARY_COLS "a.id, a.slug, a.title, a.lead, a.published_at, ci.slug, ci.name, m.name, a.cover_alt"
#define SUMMARY_FROM                                                                                        \
	" FROM articles a JOIN category_i18n ci ON ci.category_id = a.category_id AND ci.lang = a.lang"     \
	" LEFT JOIN media m ON m.id = a.cover_id"
#define VISIBLE " a.status = 'published' AND a.published_at <= ?"

static const char *news_word(const char *lang, char kind)
{
	int vi = strcmp(lang, "vi") == 0;
	switch (kind) {
	case 'a': return vi ? "tin-tuc" : "news";
	case 'c': return vi ? "chuyen-muc" : "category";
	default: return vi ? "trang" : "page";
	}
}

static const char *news_prefix(const char *lang)
{
	return strcmp(lang, "vi") == 0 ? "" : strcmp(lang, "en") == 0 ? "/en" : "/zh";
}

const app_route_t news_routes[] = {
	{"GET", "vi en zh", "/", news_home},
	{"GET", "vi", "/tin-tuc", news_all},
	{"GET", "en zh", "/news", news_all},
	{"GET", "vi", "/tin-tuc/*", news_article},
	{"GET", "en zh", "/news/*", news_article},
	{"GET", "vi", "/chuyen-muc/*", news_category},
	{"GET", "en zh", "/category/*", news_category},
	{"GET", "vi", "/trang/*", news_page},
	{"GET", "en zh", "/page/*", news_page},
	{NULL, NULL, NULL, NULL},
};

char *news_url(arena_t *a, const char *lang, char kind, const char *slug)
{
	return arena_printf(a, "%s/%s/%s", news_prefix(lang), news_word(lang, kind), slug);
}

static long long news_now(void)
{
	return (long long)time(NULL);
}

/* The responsive picture of a media item: width variants 480, 960 and 1600 exist for every image. */
static json_t *news_image(arena_t *a, const char *name, const char *alt, int big)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "src", arena_printf(a, "/media/%s-%d.jpg", name, big ? 960 : 480),
			 "srcset",
			 arena_printf(a, "/media/%s-480.jpg 480w, /media/%s-960.jpg 960w, /media/%s-1600.jpg 1600w", name,
				      name, name),
			 "alt", alt, "sizes", big ? "(min-width: 1000px) 760px, 100vw" : "(min-width: 700px) 300px, 100vw");
}

static json_t *news_summary(http_request_t *req, db_stmt_t *st)
{
	long long published = db_col_int(st, 4);
	json_t *s = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}}", "id", db_col_int(st, 0), "title",
			      db_col_text(st, 2), "lead", db_col_text(st, 3), "url",
			      news_url(req->arena, req->lang, 'a', db_col_text(st, 1)), "date",
			      app_date(req->arena, req->lang, published, 1), "datetime", app_iso(req->arena, published),
			      "category", "name", db_col_text(st, 6), "url",
			      news_url(req->arena, req->lang, 'c', db_col_text(st, 5)));
	if (!db_col_null(st, 7))
		json_object_set_new(s, "image", news_image(req->arena, db_col_text(st, 7), db_col_text(st, 8), 0));
	return s;
}

/* Runs a prepared summary query (parameters already bound) and collects its rows. */
static json_t *news_summaries(http_request_t *req, db_stmt_t *st)
{
	json_t *list = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(list, news_summary(req, st));
	db_done(st);
	return list;
}

/* The pager of a list at base_url ("?page=N" appended), or NULL when everything fits one page. */
static json_t *news_pager(http_request_t *req, const char *base_url, long long page, long long total)
{
	long long pages = (total + NEWS_PER_PAGE - 1) / NEWS_PER_PAGE;
	if (pages <= 1)
		return json_null();
	json_t *p = json_pack("{s:I, s:I}", "page", page, "pages", pages);
	if (page > 1)
		json_object_set_new(p, "prev_url", json_string(page == 2 ? base_url
									  : arena_printf(req->arena, "%s?page=%lld", base_url, page - 1)));
	if (page < pages)
		json_object_set_new(p, "next_url", json_string(arena_printf(req->arena, "%s?page=%lld", base_url, page + 1)));
	return p;
}

/* ---- home and the list of all news ---------------------------------------------------------------- */

static json_t *news_sections(http_request_t *req)
{
	json_t *sections = json_array();
	db_stmt_t *cats = db_prepare(req->db, "SELECT c.id, ci.slug, ci.name FROM categories c"
					      " JOIN category_i18n ci ON ci.category_id = c.id AND ci.lang = ?"
					      " WHERE c.parent_id IS NULL ORDER BY c.position, c.id");
	if (!cats || db_bindf(cats, "s", req->lang) < 0)
		return sections;
	/* collect first: a statement must be finished before the next one runs on some backends */
	long long ids[32];
	json_t *heads[32];
	int n = 0;
	while (n < 32 && db_step(cats) == DB_ROW) {
		ids[n] = db_col_int(cats, 0);
		heads[n++] = json_pack("{s:s, s:s}", "name", db_col_text(cats, 2), "url",
				       news_url(req->arena, req->lang, 'c', db_col_text(cats, 1)));
	}
	db_done(cats);
	for (int i = 0; i < n; i++) {
		db_stmt_t *st = db_prepare(req->db, "SELECT " SUMMARY_COLS SUMMARY_FROM " WHERE a.lang = ? AND" VISIBLE
						    " AND (a.category_id = ? OR a.category_id IN"
						    " (SELECT id FROM categories WHERE parent_id = ?))"
						    " ORDER BY a.published_at DESC, a.id DESC LIMIT 4");
		if (!st || db_bindf(st, "siii", req->lang, news_now(), ids[i], ids[i]) < 0) {
			json_decref(heads[i]);
			continue;
		}
		json_t *list = news_summaries(req, st);
		if (json_array_size(list))
			json_array_append_new(sections, json_pack("{s:o, s:o}", "category", heads[i], "articles", list));
		else {
			json_decref(heads[i]);
			json_decref(list);
		}
	}
	return sections;
}

void news_home(http_request_t *req, http_response_t *res)
{
	if (req->query[0] && http_query(req, "page")) { /* the home page has one page; lists live at /tin-tuc */
		http_redirect(res, 301, arena_printf(req->arena, "%s/%s?%s", req->prefix, news_word(req->lang, 'a'), req->query));
		return;
	}
	json_t *ctx = app_page_ctx(req, NULL);
	long long now = news_now();
	db_stmt_t *st = db_prepare(req->db, "SELECT " SUMMARY_COLS SUMMARY_FROM " WHERE a.lang = ? AND" VISIBLE
					    " ORDER BY a.featured DESC, a.published_at DESC, a.id DESC LIMIT 1");
	long long featured_id = 0;
	if (st && db_bindf(st, "si", req->lang, now) == 0 && db_step(st) == DB_ROW) {
		featured_id = db_col_int(st, 0);
		json_object_set_new(ctx, "featured", news_summary(req, st));
	}
	if (st)
		db_done(st);
	st = db_prepare(req->db, "SELECT " SUMMARY_COLS SUMMARY_FROM " WHERE a.lang = ? AND" VISIBLE " AND a.id <> ?"
				 " ORDER BY a.published_at DESC, a.id DESC LIMIT 8");
	if (st && db_bindf(st, "sii", req->lang, now, featured_id) == 0)
		json_object_set_new(ctx, "latest", news_summaries(req, st));
	json_object_set_new(ctx, "sections", news_sections(req));
	json_object_set_new(ctx, "all_url", json_string(arena_printf(req->arena, "%s/%s", req->prefix, news_word(req->lang, 'a'))));
	app_render(req, res, "news/home", ctx);
}

/* The categories under parent (0: the top level) in the request's language, as links. */
static json_t *news_children(http_request_t *req, long long parent)
{
	json_t *list = json_array();
	db_stmt_t *st = db_prepare(req->db, "SELECT ci.slug, ci.name FROM categories c"
					    " JOIN category_i18n ci ON ci.category_id = c.id AND ci.lang = ?"
					    " WHERE coalesce(c.parent_id, 0) = ? ORDER BY c.position, c.id");
	if (!st || db_bindf(st, "si", req->lang, parent) < 0)
		return list;
	while (db_step(st) == DB_ROW)
		json_array_append_new(list, json_pack("{s:s, s:s}", "name", db_col_text(st, 1), "url",
						      news_url(req->arena, req->lang, 'c', db_col_text(st, 0))));
	db_done(st);
	return list;
}

/* The ?page= of a list: 1 when absent, -1 when it is not a page number. */
static long long news_page_param(http_request_t *req)
{
	return http_query(req, "page") ? http_query_int(req, "page", 1, NEWS_MAX_PAGE, -1) : 1;
}

/* Language-switch targets of a list page that exists in every language at the same path. */
static void news_alternates_same(http_request_t *req, json_t *ctx, char kind)
{
	for (int i = 0; i < APP_NLANGS; i++)
		app_set_alternate(ctx, app_langs[i],
				  arena_printf(req->arena, "%s/%s", news_prefix(app_langs[i]), news_word(app_langs[i], kind)));
}

void news_all(http_request_t *req, http_response_t *res)
{
	long long page = news_page_param(req), now = news_now();
	long long total = db_int(req->db, "SELECT count(*) FROM articles a WHERE a.lang = ? AND" VISIBLE, "si", 0,
				 req->lang, now);
	if (page < 0 || (page > 1 && (page - 1) * NEWS_PER_PAGE >= total)) {
		app_error(req, res, 404);
		return;
	}
	const char *base = arena_printf(req->arena, "%s/%s", req->prefix, news_word(req->lang, 'a'));
	const char *name = app_t_(req, "News and events");
	json_t *ctx = app_page_ctx(req, name);
	json_object_set_new(ctx, "category", json_pack("{s:s, s:s}", "name", name, "url", base));
	db_stmt_t *st = db_prepare(req->db, "SELECT " SUMMARY_COLS SUMMARY_FROM " WHERE a.lang = ? AND" VISIBLE
					    " ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?");
	if (st && db_bindf(st, "siii", req->lang, now, (long long)NEWS_PER_PAGE, (page - 1) * NEWS_PER_PAGE) == 0)
		json_object_set_new(ctx, "articles", news_summaries(req, st));
	json_object_set_new(ctx, "children", news_children(req, 0));
	json_object_set_new(ctx, "pager", news_pager(req, base, page, total));
	news_alternates_same(req, ctx, 'a');
	app_render(req, res, "news/category", ctx);
}

/* ---- categories ----------------------------------------------------------------------------------- */

void news_category(http_request_t *req, http_response_t *res)
{
	long long page = news_page_param(req), now = news_now();
	db_stmt_t *st = db_prepare(req->db, "SELECT c.id, c.parent_id, ci.name, ci.description, ci.slug FROM categories c"
					    " JOIN category_i18n ci ON ci.category_id = c.id WHERE ci.lang = ? AND ci.slug = ?");
	if (!st || db_bindf(st, "ss", req->lang, req->params[0]) < 0 || db_step(st) != DB_ROW) {
		if (st)
			db_done(st);
		/* a renamed category: its old URL moves permanently to the new one */
		st = db_prepare(req->db, "SELECT ci.slug FROM category_old_slugs o JOIN category_i18n ci"
					 " ON ci.category_id = o.category_id AND ci.lang = o.lang WHERE o.lang = ? AND o.slug = ?");
		if (st && db_bindf(st, "ss", req->lang, req->params[0]) == 0 && db_step(st) == DB_ROW)
			http_redirect(res, 301, news_url(req->arena, req->lang, 'c', db_col_text(st, 0)));
		else
			app_error(req, res, 404);
		if (st)
			db_done(st);
		return;
	}
	long long id = db_col_int(st, 0), parent = db_col_int(st, 1);
	const char *name = arena_strdup(req->arena, db_col_text(st, 2));
	const char *desc = arena_strdup(req->arena, db_col_text(st, 3));
	const char *base = news_url(req->arena, req->lang, 'c', db_col_text(st, 4));
	db_done(st);

	long long total = db_int(req->db, "SELECT count(*) FROM articles a WHERE a.lang = ? AND" VISIBLE
					  " AND (a.category_id = ? OR a.category_id IN (SELECT id FROM categories WHERE parent_id = ?))",
				 "siii", 0, req->lang, now, id, id);
	if (page < 0 || (page > 1 && (page - 1) * NEWS_PER_PAGE >= total)) {
		app_error(req, res, 404);
		return;
	}
	json_t *ctx = app_page_ctx(req, name);
	json_object_set_new(ctx, "category", json_pack("{s:s, s:s, s:s}", "name", name, "url", base, "description", desc));
	if (parent) {
		st = db_prepare(req->db, "SELECT slug, name FROM category_i18n WHERE category_id = ? AND lang = ?");
		if (st && db_bindf(st, "is", parent, req->lang) == 0 && db_step(st) == DB_ROW)
			json_object_set_new(ctx, "parent", json_pack("{s:s, s:s}", "name", db_col_text(st, 1), "url",
								     news_url(req->arena, req->lang, 'c', db_col_text(st, 0))));
		if (st)
			db_done(st);
	}
	json_object_set_new(ctx, "children", news_children(req, id));
	st = db_prepare(req->db, "SELECT " SUMMARY_COLS SUMMARY_FROM " WHERE a.lang = ? AND" VISIBLE
				 " AND (a.category_id = ? OR a.category_id IN (SELECT id FROM categories WHERE parent_id = ?))"
				 " ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?");
	if (st && db_bindf(st, "siiiii", req->lang, now, id, id, (long long)NEWS_PER_PAGE, (page - 1) * NEWS_PER_PAGE) == 0)
		json_object_set_new(ctx, "articles", news_summaries(req, st));
	json_object_set_new(ctx, "pager", news_pager(req, base, page, total));
	/* the same category in the other languages */
	st = db_prepare(req->db, "SELECT lang, slug FROM category_i18n WHERE category_id = ?");
	if (st && db_bindf(st, "i", id) == 0)
		while (db_step(st) == DB_ROW)
			app_set_alternate(ctx, db_col_text(st, 0), news_url(req->arena, db_col_text(st, 0), 'c', db_col_text(st, 1)));
	if (st)
		db_done(st);
	app_render(req, res, "news/category", ctx);
}

/* ---- articles ------------------------------------------------------------------------------------- */

/* Answers 301 to the current URL when slug is a former slug of a visible article; 1 when it did. */
static int news_old_slug(http_request_t *req, http_response_t *res, char kind)
{
	db_stmt_t *st = db_prepare(req->db, "SELECT a.slug FROM article_old_slugs o JOIN articles a ON a.id = o.article_id"
					    " WHERE o.lang = ? AND o.slug = ? AND" VISIBLE);
	int found = 0;
	if (st && db_bindf(st, "ssi", req->lang, req->params[0], news_now()) == 0 && db_step(st) == DB_ROW) {
		http_redirect(res, 301, news_url(req->arena, req->lang, kind, db_col_text(st, 0)));
		found = 1;
	}
	if (st)
		db_done(st);
	return found;
}

static char *news_absolute(http_request_t *req, const char *path)
{
	return arena_printf(req->arena, "%s%s", app_setting(req, "site.base_url", ""), path);
}

static json_t *news_share(http_request_t *req, const char *url, const char *title)
{
	const char *u = http_urlencode(req->arena, url), *t = http_urlencode(req->arena, title);
	json_t *share = json_array();
	json_array_append_new(share, json_pack("{s:s, s:s, s:s}", "id", "facebook", "label", app_t_(req, "Share on Facebook"), "url",
					       arena_printf(req->arena, "https://www.facebook.com/sharer/sharer.php?u=%s", u)));
	json_array_append_new(share, json_pack("{s:s, s:s, s:s}", "id", "x", "label", app_t_(req, "Share on X"), "url",
					       arena_printf(req->arena, "https://x.com/intent/post?url=%s&text=%s", u, t)));
	json_array_append_new(share, json_pack("{s:s, s:s, s:s}", "id", "email", "label", app_t_(req, "Share by email"), "url",
					       arena_printf(req->arena, "mailto:?subject=%s&body=%s", t, u)));
	return share;
}

static json_t *news_tags(http_request_t *req, long long id)
{
	json_t *tags = json_array();
	db_stmt_t *st = db_prepare(req->db, "SELECT t.name, t.slug FROM article_tags x JOIN tags t ON t.id = x.tag_id"
					    " WHERE x.article_id = ? ORDER BY t.name");
	if (st && db_bindf(st, "i", id) == 0)
		while (db_step(st) == DB_ROW)
			json_array_append_new(tags, json_pack("{s:s, s:s}", "name", db_col_text(st, 0), "slug", db_col_text(st, 1)));
	if (st)
		db_done(st);
	return tags;
}

void news_article(http_request_t *req, http_response_t *res)
{
	long long now = news_now();
	db_stmt_t *st = db_prepare(req->db, "SELECT " SUMMARY_COLS ", a.body, a.author, a.source, a.updated_at,"
					    " a.cover_caption, a.group_id, a.category_id" SUMMARY_FROM
					    " WHERE a.lang = ? AND a.slug = ? AND" VISIBLE);
	if (!st || db_bindf(st, "ssi", req->lang, req->params[0], now) < 0 || db_step(st) != DB_ROW) {
		if (st)
			db_done(st);
		if (!news_old_slug(req, res, 'a'))
			app_error(req, res, 404);
		return;
	}
	json_t *article = news_summary(req, st);
	long long id = db_col_int(st, 0), group = db_col_int(st, 14), category = db_col_int(st, 15);
	long long published = db_col_int(st, 4), updated = db_col_int(st, 12);
	const char *title = json_string_value(json_object_get(article, "title"));
	buf_t body;
	buf_init(&body, 4u << 20);
	const char *md = db_col_text(st, 9);
	md_render(md, strlen(md), &body);
	json_object_set_new(article, "body_html", json_string(buf_cstr(&body)));
	buf_release(&body);
	json_object_set_new(article, "author", json_string(db_col_text(st, 10)));
	json_object_set_new(article, "source", json_string(db_col_text(st, 11)));
	if (updated > published + 60) {
		json_object_set_new(article, "updated", json_string(app_date(req->arena, req->lang, updated, 1)));
		json_object_set_new(article, "updated_iso", json_string(app_iso(req->arena, updated)));
	}
	if (!db_col_null(st, 7)) {
		json_t *cover = news_image(req->arena, db_col_text(st, 7), db_col_text(st, 8), 1);
		json_object_set_new(cover, "caption", json_string(db_col_text(st, 13)));
		json_object_set_new(article, "cover", cover);
	}
	db_done(st);

	const char *url = json_string_value(json_object_get(article, "url"));
	json_t *ctx = app_page_ctx(req, title);
	app_set_alternate(ctx, req->lang, url);
	json_object_set_new(ctx, "canonical", json_string(news_absolute(req, url)));
	json_object_set_new(article, "share", news_share(req, news_absolute(req, url), title));
	json_object_set_new(article, "tags", news_tags(req, id));

	/* translations: the language switch goes to them, and they are listed for search engines */
	json_t *alternates = json_array();
	st = db_prepare(req->db, "SELECT a.lang, a.slug FROM articles a WHERE a.group_id = ? AND a.id <> ? AND" VISIBLE);
	if (group && st && db_bindf(st, "iii", group, id, now) == 0)
		while (db_step(st) == DB_ROW) {
			const char *l = db_col_text(st, 0);
			char *u = news_url(req->arena, l, 'a', db_col_text(st, 1));
			app_set_alternate(ctx, l, u);
			json_array_append_new(alternates, json_pack("{s:s, s:s}", "lang", l, "url", news_absolute(req, u)));
		}
	if (st)
		db_done(st);
	json_object_set_new(ctx, "alternates", alternates);

	st = db_prepare(req->db, "SELECT " SUMMARY_COLS SUMMARY_FROM " WHERE a.lang = ? AND" VISIBLE
				 " AND a.category_id = ? AND a.id <> ? ORDER BY a.published_at DESC, a.id DESC LIMIT 5");
	if (st && db_bindf(st, "siii", req->lang, now, category, id) == 0)
		json_object_set_new(ctx, "related", news_summaries(req, st));
	json_object_set_new(ctx, "article", article);
	res->article_id = id;
	news_views_hit(id);
	feeds_article_meta(req, ctx);
	app_render(req, res, "news/article", ctx);
}

/* ---- static pages --------------------------------------------------------------------------------- */

void news_page(http_request_t *req, http_response_t *res)
{
	db_stmt_t *st = db_prepare(req->db, "SELECT title, body, group_key FROM pages WHERE lang = ? AND slug = ?");
	if (!st || db_bindf(st, "ss", req->lang, req->params[0]) < 0 || db_step(st) != DB_ROW) {
		if (st)
			db_done(st);
		app_error(req, res, 404);
		return;
	}
	const char *title = arena_strdup(req->arena, db_col_text(st, 0));
	const char *group = arena_strdup(req->arena, db_col_text(st, 2));
	buf_t body;
	buf_init(&body, 4u << 20);
	const char *md = db_col_text(st, 1);
	md_render(md, strlen(md), &body);
	db_done(st);
	json_t *ctx = app_page_ctx(req, title);
	json_object_set_new(ctx, "page", json_pack("{s:s, s:s}", "title", title, "body_html", buf_cstr(&body)));
	buf_release(&body);
	st = db_prepare(req->db, "SELECT lang, slug FROM pages WHERE group_key = ?");
	if (st && db_bindf(st, "s", group) == 0)
		while (db_step(st) == DB_ROW)
			app_set_alternate(ctx, db_col_text(st, 0), news_url(req->arena, db_col_text(st, 0), 'p', db_col_text(st, 1)));
	if (st)
		db_done(st);
	app_render(req, res, "news/page", ctx);
}
