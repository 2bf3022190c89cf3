/* search: the results pages.  The store side (the full-text index of each backend, and the statements
 * that apply the visibility rule and the filters) is in db/: db_search_sql. */
#include "search/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/utf8.h"
#include "news/news.h"

#define SEARCH_PER_PAGE 10
#define SEARCH_MAX_PAGE 100
#define SEARCH_SNIPPET 280        /* bytes of text around the first match */
#define SEARCH_SNIPPET_SRC 16384  /* bytes of the body looked at for a snippet */
#define SEARCH_TZ (7 * 3600)      /* dates typed in the filters are Vietnam dates */
#define SEARCH_RANK_MAX 1000      /* matches ranked or sorted at most, the newest: as many as 100 pages show */

const app_route_t search_routes[] = {
	{"GET", "vi", "/tim-kiem", search_page},
	{"GET", "en zh", "/search", search_page},
	{NULL, NULL, NULL, NULL},
};

static const char *search_path(const char *lang)
{
	return strcmp(lang, "vi") == 0 ? "/tim-kiem" : strcmp(lang, "en") == 0 ? "/en/search" : "/zh/search";
}

long long search_sync(db_t *db)
{
	return db_search_sync(db);
}

int search_find_capped(db_t *db, const search_params_t *p, long long *ids, long long *total, int *capped)
{
	long long now = (long long)time(NULL);
	long long upto = p->to > 0 && p->to - 1 < now ? p->to - 1 : now;
	long long limit = p->limit > 100 ? 100 : p->limit < 1 ? 1 : p->limit;
	int n = 0;

	*total = 0;
	*capped = 0;
	/* the user's words match the text columns only; the language filter is a token of the lang column */
	int lang_ok = p->lang && strlen(p->lang) == 2 && p->lang[0] >= 'a' && p->lang[0] <= 'z' &&
		      p->lang[1] >= 'a' && p->lang[1] <= 'z';
	buf_t mb;
	buf_init(&mb, 128 * 1024);
	if (db_search_match(db, &mb, p->match, lang_ok ? p->lang : "") < 0) {
		buf_release(&mb);
		return -1;
	}
	const char *match = buf_cstr(&mb);
	/* bm25 and the visibility join cost a few microseconds per match: a query matching most of a large
	 * portal ("hội nghị") is ranked, sorted and counted among its SEARCH_RANK_MAX newest matches only
	 * (rowids grow with creation time), and its total is shown as "N+" */
	long long cutoff = db_int(db, db_search_sql(db, DB_SEARCH_CUTOFF), "si", 0, match, (long long)SEARCH_RANK_MAX - 1);
	*capped = cutoff > 0;
	for (int attempt = 0; attempt < 2; attempt++) {
		db_stmt_t *st = db_prepare(db, db_search_sql(db, p->by_date ? DB_SEARCH_BY_DATE : DB_SEARCH_RANKED));
		long long off = attempt ? 0 : p->offset;
		if (!st) {
			n = -1;
			break;
		}
		if (db_bindf(st, "siiiiiiii", match, cutoff, upto, p->from, p->category_id, p->category_id, p->category_id,
			     attempt ? 1LL : limit, off) < 0) {
			db_done(st);
			n = -1;
			break;
		}
		int rc;
		while ((rc = db_step(st)) == DB_ROW) {
			*total = db_col_int(st, 1);
			if (!attempt)
				ids[n++] = db_col_int(st, 0);
		}
		db_done(st);
		if (rc == DB_ERROR) {
			n = -1;
			break;
		}
		/* a page past the end has no row to carry the total: count with the first row instead */
		if (n > 0 || p->offset == 0 || attempt)
			break;
	}
	buf_release(&mb);
	return n;
}

int search_find(db_t *db, const search_params_t *p, long long *ids, long long *total)
{
	int capped;
	return search_find_capped(db, p, ids, total, &capped);
}

/* ---- the results page ---------------------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static long long search_days(long long y, long long m, long long d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* "YYYY-MM-DD" (a Vietnam date) → the UTC second its day starts (next_day: the day after); 0 when the
 * value is not such a date. */
static long long search_date(const char *s, int next_day)
{
	int y, m, d, len = 0;
	if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &len) != 3 || len != 10 || y < 1970 ||
	    y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	return (search_days(y, m, d) + (next_day ? 1 : 0)) * 86400 - SEARCH_TZ;
}

/* The body as plain text for a snippet: Markdown link targets dropped, markup characters blanked,
 * whitespace runs joined. */
static void search_plain(const char *s, size_t n, buf_t *out)
{
	int space = 1;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == ']' && i + 1 < n && s[i + 1] == '(') {
			const char *close = memchr(s + i, ')', n - i);
			if (close) {
				i = (size_t)(close - s);
				c = ' ';
			}
		}
		if (strchr("#*_`>|[]!\t\r\n", c) || c == ' ') {
			if (!space)
				buf_putc(out, ' ');
			space = 1;
			continue;
		}
		buf_putc(out, c);
		space = 0;
	}
}

static void search_qs_add(buf_t *b, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	buf_appendf(b, "%s%s=", b->len ? "&" : "", name);
	buf_append_url(b, value, strlen(value));
}

typedef struct search_form {
	const char *q, *lang, *cat, *from, *to, *sort;
} search_form_t;

/* The URL of the results page for form f (f->lang = NULL: the page's default language filter). */
static const char *search_url(http_request_t *req, const search_form_t *f, long long page)
{
	buf_t b;
	buf_init(&b, 16384);
	search_qs_add(&b, "q", f->q);
	search_qs_add(&b, "lang", f->lang);
	search_qs_add(&b, "cat", f->cat);
	search_qs_add(&b, "from", f->from);
	search_qs_add(&b, "to", f->to);
	search_qs_add(&b, "sort", f->sort);
	if (page > 1)
		buf_appendf(&b, "%spage=%lld", b.len ? "&" : "", page);
	const char *u = arena_printf(req->arena, "%s%s%s", search_path(req->lang), b.len ? "?" : "", buf_cstr(&b));
	buf_release(&b);
	return u;
}

static json_t *search_result(http_request_t *req, const search_query_t *q, long long id)
{
	db_stmt_t *st = db_prepare(req->db, "SELECT a.slug, a.title, a.lead, a.body, a.published_at, a.lang, ci.slug, ci.name"
					    " FROM articles a JOIN category_i18n ci ON ci.category_id = a.category_id"
					    " AND ci.lang = a.lang WHERE a.id = ?");
	if (!st || db_bindf(st, "i", id) < 0 || db_step(st) != DB_ROW) {
		if (st)
			db_done(st);
		return NULL;
	}
	const char *lang = db_col_text(st, 5), *title = db_col_text(st, 1), *lead = db_col_text(st, 2);
	const char *body = db_col_text(st, 3);
	long long published = db_col_int(st, 4);
	buf_t th, text, snip;
	buf_init(&th, 64 * 1024);
	buf_init(&text, 64 * 1024);
	buf_init(&snip, 64 * 1024);
	search_highlight(q, title, strlen(title), 0, &th);
	buf_puts(&text, lead);
	buf_putc(&text, '\n');
	size_t bn = strlen(body);
	search_plain(body, utf8_trunc(body, bn, SEARCH_SNIPPET_SRC), &text);
	search_highlight(q, buf_cstr(&text), text.len, SEARCH_SNIPPET, &snip);
	json_t *r = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}}", "id", id, "title", title,
			      "title_html", buf_cstr(&th), "snippet_html", buf_cstr(&snip), "url",
			      news_url(req->arena, lang, 'a', db_col_text(st, 0)), "lang", lang, "date",
			      app_date(req->arena, req->lang, published, 0), "datetime", app_iso(req->arena, published),
			      "category", "name", db_col_text(st, 7), "url", news_url(req->arena, lang, 'c', db_col_text(st, 6)));
	if (r && strcmp(lang, req->lang) != 0)
		json_object_set_new(r, "other_lang", json_string(lang));
	db_done(st);
	buf_release(&th);
	buf_release(&text);
	buf_release(&snip);
	return r;
}

/* The categories for the filter, parents each followed by their children. */
static json_t *search_categories(http_request_t *req, const char *selected, long long *selected_id)
{
	json_t *list = json_array();
	db_stmt_t *st = db_prepare(req->db, "SELECT c.id, ci.slug, ci.name, c.parent_id IS NOT NULL FROM categories c"
					    " JOIN category_i18n ci ON ci.category_id = c.id AND ci.lang = ?"
					    " ORDER BY coalesce(c.parent_id, c.id), c.parent_id IS NOT NULL, c.position, c.id");
	if (!st || db_bindf(st, "s", req->lang) < 0)
		return list;
	while (db_step(st) == DB_ROW) {
		int sel = selected && strcmp(selected, db_col_text(st, 1)) == 0;
		if (sel)
			*selected_id = db_col_int(st, 0);
		const char *name = db_col_text(st, 2);
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "slug", db_col_text(st, 1), "name",
						      db_col_int(st, 3) ? arena_printf(req->arena, "— %s", name) : name,
						      "selected", sel));
	}
	db_done(st);
	return list;
}

static long long search_count(db_t *db, const search_query_t *q, arena_t *a, const search_params_t *base)
{
	search_params_t p = *base;
	long long id, total = 0;
	int capped;
	p.match = search_match_expr(a, q);
	p.offset = 0;
	p.limit = 1;
	if (!p.match || search_find_capped(db, &p, &id, &total, &capped) < 0)
		return 0;
	return total;
}

void search_page(http_request_t *req, http_response_t *res)
{
	search_form_t f = {0};
	search_query_t q;
	long long page = http_query_int(req, "page", 1, SEARCH_MAX_PAGE, 1);

	f.q = http_nfc(req->arena, http_query(req, "q"));
	if (!f.q)
		f.q = "";
	f.q = arena_strndup(req->arena, f.q, utf8_trunc(f.q, strlen(f.q), SEARCH_MAX_QUERY));
	if (search_query_parse(req->arena, f.q, &q) < 0)
		memset(&q, 0, sizeof(q));

	search_params_t p = {0};
	const char *lang = http_query(req, "lang");
	p.lang = req->lang;
	if (lang && (strcmp(lang, "vi") == 0 || strcmp(lang, "en") == 0 || strcmp(lang, "zh") == 0)) {
		p.lang = lang;
		f.lang = strcmp(lang, req->lang) ? lang : NULL;
	} else if (lang && strcmp(lang, "all") == 0) {
		p.lang = NULL;
		f.lang = "all";
	}
	f.from = http_query(req, "from");
	f.to = http_query(req, "to");
	p.from = search_date(f.from, 0);
	p.to = search_date(f.to, 1);
	if (!p.from)
		f.from = NULL;
	if (!p.to)
		f.to = NULL;
	f.sort = http_query(req, "sort");
	p.by_date = f.sort && strcmp(f.sort, "date") == 0;
	if (!p.by_date)
		f.sort = NULL;
	f.cat = http_nfc(req->arena, http_query(req, "cat"));

	const char *heading = app_t_(req, "Search");
	json_t *ctx = app_page_ctx(req, *f.q ? arena_printf(req->arena, "%s: %s", heading, f.q) : heading);
	json_object_set_new(ctx, "categories", search_categories(req, f.cat, &p.category_id));
	if (!p.category_id)
		f.cat = NULL;
	json_t *langs = json_array();
	const char *codes[] = {"all", "vi", "en", "zh"};
	const char *labels[] = {app_t_(req, "All languages"), "Tiếng Việt", "English", "中文"};
	for (int i = 0; i < 4; i++)
		json_array_append_new(langs, json_pack("{s:s, s:s, s:b}", "code", codes[i], "label", labels[i], "selected",
						       p.lang ? strcmp(p.lang, codes[i]) == 0 : i == 0));
	json_object_set_new(ctx, "search", json_pack("{s:s, s:s, s:s, s:s, s:o, s:b, s:b}", "q", f.q, "action",
						     search_path(req->lang), "from", f.from ? f.from : "", "to",
						     f.to ? f.to : "", "langs", langs, "by_date", p.by_date, "filtered",
						     f.lang || f.cat || f.from || f.to));
	for (int i = 0; i < APP_NLANGS; i++) {
		buf_t u;
		buf_init(&u, 8192);
		buf_puts(&u, search_path(app_langs[i]));
		if (*f.q) {
			buf_puts(&u, "?q=");
			buf_append_url(&u, f.q, strlen(f.q));
		}
		app_set_alternate(ctx, app_langs[i], arena_strdup(req->arena, buf_cstr(&u)));
		buf_release(&u);
	}

	p.match = search_match_expr(req->arena, &q);
	if (!p.match) {
		json_object_set_new(ctx, "no_query", json_true());
		app_render(req, res, "search/results", ctx);
		return;
	}
	if (search_sync(req->db) < 0)
		log_msg(LOG_WARN, req->rid, "search: cannot update the index: %s", db_errmsg(req->db));
	long long ids[SEARCH_PER_PAGE], total = 0;
	int capped = 0;
	p.offset = (page - 1) * SEARCH_PER_PAGE;
	p.limit = SEARCH_PER_PAGE;
	int n = search_find_capped(req->db, &p, ids, &total, &capped);
	if (n < 0) {
		log_msg(LOG_WARN, req->rid, "search: query failed: %s", db_errmsg(req->db));
		n = 0;
		total = 0;
	}
	json_t *results = json_array();
	for (int i = 0; i < n; i++) {
		json_t *r = search_result(req, &q, ids[i]);
		if (r)
			json_array_append_new(results, r);
	}
	json_object_set_new(ctx, "results", results);
	json_object_set_new(ctx, "total", json_integer(total));
	json_object_set_new(ctx, "capped", json_boolean(capped));
	long long pages = (total + SEARCH_PER_PAGE - 1) / SEARCH_PER_PAGE;
	if (pages > SEARCH_MAX_PAGE)
		pages = SEARCH_MAX_PAGE;
	if (pages > 1) {
		json_t *pg = json_pack("{s:I, s:I}", "page", page, "pages", pages);
		if (page > 1)
			json_object_set_new(pg, "prev_url", json_string(search_url(req, &f, page - 1)));
		if (page < pages)
			json_object_set_new(pg, "next_url", json_string(search_url(req, &f, page + 1)));
		json_object_set_new(ctx, "pager", pg);
	}
	if (total == 0) {
		/* suggestions that do find something: the same words without the filters, then fewer words */
		json_t *sugg = json_array();
		search_params_t all = {.lang = NULL};
		if (f.lang || f.cat || f.from || f.to) {
			search_form_t g = {.q = f.q, .lang = "all", .sort = f.sort};
			long long c = search_count(req->db, &q, req->arena, &all);
			if (c > 0)
				json_array_append_new(sugg, json_pack("{s:s, s:s, s:I}", "label", f.q, "url", search_url(req, &g, 1),
								      "count", c));
		}
		if (q.npos > 1)
			for (int i = 0; i < q.nterms && json_array_size(sugg) < 4; i++) {
				if (q.terms[i].exclude)
					continue;
				search_query_t fewer;
				const char *text = search_query_text(req->arena, &q, i);
				if (search_query_parse(req->arena, text, &fewer) <= 0)
					continue;
				long long c = search_count(req->db, &fewer, req->arena, &p);
				if (c > 0) {
					search_form_t g = f;
					g.q = text;
					json_array_append_new(sugg, json_pack("{s:s, s:s, s:I}", "label", text, "url",
									      search_url(req, &g, 1), "count", c));
				}
			}
		json_object_set_new(ctx, "has_suggestions", json_boolean(json_array_size(sugg) > 0));
		json_object_set_new(ctx, "suggestions", sugg);
		json_object_set_new(ctx, "no_results", json_true());
	}
	app_render(req, res, "search/results", ctx);
}
