/* api/public: the public read API (docs/API.md, "Public read API").  Only published articles whose time
 * has come are ever listed or returned, exactly the rule of the public pages (VISIBLE in news.c), so a
 * draft can never leak.  Answers are cacheable like pages (cache_ttl = cfg.cache_ttl: the page cache and
 * ETag/304 apply) and therefore must never depend on request headers: the cache key is the URL alone.
 * Calls that reach a worker are rate-limited per client address with a fixed one-minute window. */
#include "api/public.h"

#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "db/db.h"
#include "http/form.h"
#include "http/static.h"
#include "core/utf8.h"
#include "news/news.h"
#include "search/search.h"
#include "view/md.h"

#define PUB_VISIBLE " a.status = 'published' AND a.published_at <= ?"
#define PUB_DEFAULT_LIMIT 20
#define PUB_MAX_LIMIT 100
#define PUB_MAX_CATEGORIES 2000
#define PUB_FAR (1LL << 62) /* after every real time and id: the start of a listing */
#define PUB_OPENAPI "/static/api/openapi.json"

static void pub_categories(http_request_t *req, http_response_t *res);
static void pub_search(http_request_t *req, http_response_t *res);
static void pub_openapi(http_request_t *req, http_response_t *res);
static void pub_preflight(http_request_t *req, http_response_t *res);

const app_route_t api_public_routes[] = {
	{"GET", "vi", "/api/v1/categories", pub_categories},
	{"GET", "vi", "/api/v1/search", pub_search},
	{"GET", "vi", "/api/v1/openapi.json", pub_openapi},
	{"OPTIONS", "vi", "/api/v1/articles", pub_preflight},
	{"OPTIONS", "vi", "/api/v1/articles/*", pub_preflight},
	{"OPTIONS", "vi", "/api/v1/categories", pub_preflight},
	{"OPTIONS", "vi", "/api/v1/search", pub_preflight},
	{"OPTIONS", "vi", "/api/v1/openapi.json", pub_preflight},
	{NULL, NULL, NULL, NULL},
};

int api_public_request(const http_request_t *req)
{
	return http_header(req, "authorization") == NULL && http_cookie(req, auth_cookie_name(req)) == NULL;
}

/* ---- rate limit ---------------------------------------------------------------------------------- */

/* A fixed-window counter per client address: at most cfg.api_rate_limit calls per minute.  The table is
 * a small open-addressed hash with a few probes; a slot of an older window is free.  When every probe
 * of a full table is taken this minute, the quietest address loses its slot (it may then get a few calls
 * more: the table is bounded, which matters more). */
#define RL_SLOTS 8192
#define RL_PROBES 8
#define RL_WINDOW 60

typedef struct rl_slot {
	char addr[48];
	long long window;
	int count;
} rl_slot_t;

static rl_slot_t rl_slots[RL_SLOTS];
static pthread_mutex_t rl_lock = PTHREAD_MUTEX_INITIALIZER;

/* 0 when the call may go ahead, else the seconds until the window ends (for Retry-After). */
static int rl_check(const char *addr, int limit, long long now)
{
	if (limit <= 0)
		return 0;
	if (!addr)
		addr = "";
	uint32_t h = 2166136261u;
	for (const char *p = addr; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	long long window = now / RL_WINDOW;
	int wait = 0;
	pthread_mutex_lock(&rl_lock);
	rl_slot_t *slot = NULL, *spare = NULL;
	for (int i = 0; i < RL_PROBES; i++) {
		rl_slot_t *s = &rl_slots[(h + (uint32_t)i) & (RL_SLOTS - 1)];
		if (s->window == window && strncmp(s->addr, addr, sizeof(s->addr) - 1) == 0) {
			slot = s;
			break;
		}
		if (s->window != window) {
			if (!spare || spare->window == window)
				spare = s;
		} else if (!spare || (spare->window == window && s->count < spare->count)) {
			spare = s;
		}
	}
	if (!slot) {
		slot = spare;
		snprintf(slot->addr, sizeof(slot->addr), "%s", addr);
		slot->window = window;
		slot->count = 0;
	}
	if (slot->count >= limit)
		wait = (int)(RL_WINDOW - now % RL_WINDOW);
	else
		slot->count++;
	pthread_mutex_unlock(&rl_lock);
	return wait;
}

/* ---- responses ----------------------------------------------------------------------------------- */

/* Sends v (taken over) as JSON.  ttl > 0: cacheable for that long (public, the same for everyone). */
static void pub_json(http_response_t *res, int status, int ttl, json_t *v)
{
	http_add_header(res, "access-control-allow-origin", "*");
	app_json(res, status, ttl, v);
}

static void pub_ok(http_response_t *res, json_t *v)
{
	pub_json(res, 200, app.cfg.cache_ttl, v);
}

static void pub_error(http_response_t *res, int status, const char *code, const char *message)
{
	pub_json(res, status, status >= 500 ? -1 : 0, json_pack("{s:s, s:s}", "error", code, "message", message));
}

/* Counts the call against the client's address; 0 after answering 429. */
static int pub_allowed(http_request_t *req, http_response_t *res)
{
	return api_public_allowed(req, res);
}

int api_public_allowed(http_request_t *req, http_response_t *res)
{
	int wait = rl_check(req->remote, app.cfg.api_rate_limit, (long long)time(NULL));
	if (!wait)
		return 1;
	http_add_header(res, "retry-after", arena_printf(req->arena, "%d", wait));
	pub_json(res, 429, -1,
		 json_pack("{s:s, s:s, s:i}", "error", "rate_limited", "message",
			   arena_printf(req->arena, "Too many requests: at most %d a minute from one address; wait and try again.",
					app.cfg.api_rate_limit),
			   "retry_after", wait));
	return 0;
}

static void pub_preflight(http_request_t *req, http_response_t *res)
{
	api_public_preflight(req, res);
}

void api_public_preflight(http_request_t *req, http_response_t *res)
{
	(void)req;
	res->status = 204;
	res->cache_ttl = 0;
	http_add_header(res, "access-control-allow-origin", "*");
	http_add_header(res, "access-control-allow-methods", "GET, HEAD");
	http_add_header(res, "access-control-allow-headers", "If-None-Match");
	http_add_header(res, "access-control-max-age", "86400");
}

/* ---- helpers ------------------------------------------------------------------------------------- */

static const char *pub_base(http_request_t *req)
{
	const char *b = app_setting(req, "site.base_url", "");
	size_t n = strlen(b);
	while (n && b[n - 1] == '/')
		n--;
	return arena_strndup(req->arena, b, n);
}

static int pub_lang_ok(const char *l)
{
	for (int i = 0; i < APP_NLANGS; i++)
		if (strcmp(l, app_langs[i]) == 0)
			return 1;
	return 0;
}

static long long pub_days_from_civil(long long y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int pub_digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Parses an ISO 8601 date ("2026-11-28", Vietnam midnight) or date-time ("2026-11-28T08:00",
 * "…T08:00:00", with an optional "Z" or ±HH:MM offset; without one, Vietnam time) into UTC seconds.
 * A space where the '+' of an offset belongs (an unencoded '+' in a query) is taken as '+'.  0 or -1. */
static int pub_parse_time(const char *s, long long *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0, off = 7 * 3600;
	static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (strlen(s) < 10 || pub_digits(s, 4, &y) || s[4] != '-' || pub_digits(s + 5, 2, &mo) || s[7] != '-' ||
	    pub_digits(s + 8, 2, &d))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || y < 1970 ||
	    (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
		return -1;
	const char *p = s + 10;
	if (*p == 'T' || *p == 't' || (*p == ' ' && p[1] && p[3] == ':')) {
		if (pub_digits(p + 1, 2, &h) || p[3] != ':' || pub_digits(p + 4, 2, &mi))
			return -1;
		p += 6;
		if (*p == ':') {
			if (pub_digits(p + 1, 2, &se))
				return -1;
			p += 3;
			if (*p == '.') /* fractions of a second are ignored */
				for (p++; *p >= '0' && *p <= '9'; p++)
					;
		}
		if (h > 23 || mi > 59 || se > 60)
			return -1;
		if (se == 60)
			se = 59;
		if (*p == 'Z' || *p == 'z') {
			off = 0;
			p++;
		} else if (*p == '+' || *p == '-' || *p == ' ') {
			int oh, om;
			if (pub_digits(p + 1, 2, &oh) || p[3] != ':' || pub_digits(p + 4, 2, &om) || oh > 14 || om > 59)
				return -1;
			off = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
			p += 6;
		}
	}
	if (*p)
		return -1;
	*out = pub_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
	return 0;
}

/* The opaque cursor of a position in the listing: base64url of "1:<published_at>:<id>". */
static char *pub_cursor_make(arena_t *a, long long published, long long id)
{
	char raw[64];
	int n = snprintf(raw, sizeof(raw), "1:%lld:%lld", published, id);
	size_t cap = sodium_base64_ENCODED_LEN((size_t)n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = arena_alloc(a, cap);
	if (out)
		sodium_bin2base64(out, cap, (const unsigned char *)raw, (size_t)n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

static int pub_cursor_parse(const char *s, long long *published, long long *id)
{
	unsigned char raw[64];
	size_t n = 0;
	if (strlen(s) > 80 ||
	    sodium_base642bin(raw, sizeof(raw) - 1, s, strlen(s), NULL, &n, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return -1;
	raw[n] = '\0';
	char *end;
	if (raw[0] != '1' || raw[1] != ':')
		return -1;
	*published = strtoll((char *)raw + 2, &end, 10);
	if (*end != ':' || end == (char *)raw + 2)
		return -1;
	const char *idp = end + 1;
	*id = strtoll(idp, &end, 10);
	if (*end || end == idp || *id <= 0)
		return -1;
	return 0;
}

/* The category filter: a numeric id or a slug in any language.  0 when none was asked for, -1 when it
 * names no category. */
static long long pub_category(http_request_t *req, const char *v, const char *lang)
{
	if (!v || !*v)
		return 0;
	char *end;
	long long id = strtoll(v, &end, 10);
	if (!*end && id > 0)
		return db_int(req->db, "SELECT id FROM categories WHERE id = ?", "i", -1, id);
	/* the slug in the asked language first, then in any */
	return db_int(req->db,
		      "SELECT category_id FROM category_i18n WHERE slug = ? ORDER BY CASE WHEN lang = ? THEN 0 ELSE 1 END,"
		      " category_id LIMIT 1",
		      "ss", -1, v, lang);
}

/* Columns of an article in the API.  0 id, 1 lang, 2 slug, 3 title, 4 lead, 5 published_at, 6 updated_at,
 * 7 category_id, 8 category slug, 9 category name, 10 media name, 11 media width, 12 cover_alt, 13 media alt,
 * 14 group, 15 body, 16 author, 17 source, 18 cover_caption */
#define PUB_COLS                                                                                            \
	"a.id, a.lang, a.slug, a.title, a.lead, a.published_at, a.updated_at, a.category_id, ci.slug, ci.name," \
	" m.name, m.width, a.cover_alt, m.alt, coalesce(a.group_id, a.id)"
#define PUB_FROM                                                                                            \
	" FROM articles a JOIN category_i18n ci ON ci.category_id = a.category_id AND ci.lang = a.lang"     \
	" LEFT JOIN media m ON m.id = a.cover_id"

static json_t *pub_article_json(http_request_t *req, db_stmt_t *st, const char *base)
{
	const char *lang = db_col_text(st, 1);
	json_t *image = json_null();
	if (!db_col_null(st, 10)) {
		const char *alt = db_col_text(st, 12)[0] ? db_col_text(st, 12) : db_col_text(st, 13);
		long long w = db_col_int(st, 11);
		image = json_pack("{s:s, s:s}", "url", arena_printf(req->arena, "%s/media/%s.jpg", base, db_col_text(st, 10)),
				  "alt", alt);
		if (w > 0) /* <name>.jpg is the 1600-pixel variant, never enlarged */
			json_object_set_new(image, "width", json_integer(w < 1600 ? w : 1600));
	}
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:I, s:s, s:s}, s:o, s:[]}", "id",
			 (json_int_t)db_col_int(st, 0), "lang", lang, "title", db_col_text(st, 3), "slug", db_col_text(st, 2),
			 "url", arena_printf(req->arena, "%s%s", base, news_url(req->arena, lang, 'a', db_col_text(st, 2))),
			 "lead", db_col_text(st, 4), "published_at", app_iso(req->arena, db_col_int(st, 5)), "updated_at",
			 app_iso(req->arena, db_col_int(st, 6)), "category", "id", (json_int_t)db_col_int(st, 7), "slug",
			 db_col_text(st, 8), "name", db_col_text(st, 9), "image", image, "translations");
}

/* Fills the "translations" of an article: its visible translations, absolute URLs. */
static void pub_translations(http_request_t *req, json_t *article, long long group, const char *base, long long now)
{
	json_t *list = json_object_get(article, "translations");
	long long id = json_integer_value(json_object_get(article, "id"));
	db_stmt_t *st = db_prepare(req->db, "SELECT a.lang, a.slug FROM articles a WHERE coalesce(a.group_id, a.id) = ?"
					    " AND a.id <> ? AND" PUB_VISIBLE " ORDER BY a.lang");
	if (!st || db_bindf(st, "iii", group, id, now) < 0) {
		if (st)
			db_done(st);
		return;
	}
	while (db_step(st) == DB_ROW) {
		const char *l = db_col_text(st, 0);
		json_array_append_new(list, json_pack("{s:s, s:s}", "lang", l, "url",
						      arena_printf(req->arena, "%s%s", base, news_url(req->arena, l, 'a', db_col_text(st, 1)))));
	}
	db_done(st);
}

/* ---- articles ------------------------------------------------------------------------------------ */

void api_public_articles(http_request_t *req, http_response_t *res)
{
	if (!pub_allowed(req, res))
		return;
	const char *lang = http_query(req, "lang");
	if (!lang)
		lang = http_query(req, "language");
	if (!lang || !*lang)
		lang = "vi";
	if (!pub_lang_ok(lang)) {
		pub_error(res, 400, "bad_request", "lang must be vi, en or zh.");
		return;
	}
	long long limit = PUB_DEFAULT_LIMIT;
	const char *lv = http_query(req, "limit");
	if (lv && *lv) {
		limit = http_query_int(req, "limit", 1, PUB_MAX_LIMIT, -1);
		if (limit < 0) {
			pub_error(res, 400, "bad_request", "limit must be a whole number from 1 to 100.");
			return;
		}
	}
	long long since = -PUB_FAR;
	const char *sv = http_query(req, "since");
	if (sv && *sv && pub_parse_time(sv, &since) < 0) {
		pub_error(res, 400, "bad_request", "since must be an ISO 8601 date (2026-11-28) or date-time (2026-11-28T08:00:00+07:00).");
		return;
	}
	long long cur_pub = PUB_FAR, cur_id = PUB_FAR;
	const char *cv = http_query(req, "cursor");
	if (cv && *cv && pub_cursor_parse(cv, &cur_pub, &cur_id) < 0) {
		pub_error(res, 400, "bad_request", "cursor is not one this API gave out: use the \"next\" of a listing.");
		return;
	}
	const char *catv = http_query(req, "category");
	long long cat = pub_category(req, catv, lang);
	if (cat < 0) {
		pub_error(res, 404, "not_found", "No such category: give its id or slug (see /api/v1/categories).");
		return;
	}

	long long now = (long long)time(NULL);
	const char *base = pub_base(req);
	/* keyset pagination on (published_at, id), newest first: an article published meanwhile sorts before
	 * the cursor, so the pages a client walks neither repeat nor skip anything */
	db_stmt_t *st = db_prepare(req->db, "SELECT " PUB_COLS PUB_FROM " WHERE a.lang = ? AND" PUB_VISIBLE
					    " AND (? = 0 OR a.category_id = ? OR a.category_id IN"
					    " (SELECT id FROM categories WHERE parent_id = ?))"
					    " AND a.published_at >= ?"
					    " AND (a.published_at < ? OR (a.published_at = ? AND a.id < ?))"
					    " ORDER BY a.published_at DESC, a.id DESC LIMIT ?");
	if (!st || db_bindf(st, "siiiiiiiii", lang, now, cat, cat, cat, since, cur_pub, cur_pub, cur_id, limit + 1) < 0) {
		if (st)
			db_done(st);
		pub_error(res, 500, "error", "Internal error.");
		return;
	}
	json_t *items = json_array();
	long long groups[PUB_MAX_LIMIT + 1], last_pub = 0, last_id = 0;
	int more = 0;
	size_t n = 0;
	while (db_step(st) == DB_ROW) {
		if ((long long)n == limit) {
			more = 1;
			break;
		}
		groups[n++] = db_col_int(st, 14);
		last_pub = db_col_int(st, 5);
		last_id = db_col_int(st, 0);
		json_array_append_new(items, pub_article_json(req, st, base));
	}
	db_done(st);
	/* translations after the listing: one statement at a time on the connection */
	for (size_t i = 0; i < n; i++)
		pub_translations(req, json_array_get(items, i), groups[i], base, now);

	json_t *out = json_pack("{s:o}", "items", items);
	if (more) {
		const char *next = pub_cursor_make(req->arena, last_pub, last_id);
		buf_t u;
		buf_init(&u, 4096);
		buf_appendf(&u, "/api/v1/articles?lang=%s", lang);
		if (catv && *catv) {
			buf_puts(&u, "&category=");
			buf_append_url(&u, catv, strlen(catv));
		}
		if (sv && *sv) {
			buf_puts(&u, "&since=");
			buf_append_url(&u, sv, strlen(sv));
		}
		if (lv && *lv)
			buf_appendf(&u, "&limit=%lld", limit);
		buf_appendf(&u, "&cursor=%s", next);
		json_object_set_new(out, "next", json_string(next));
		json_object_set_new(out, "next_url", json_string(arena_printf(req->arena, "%s%s", base, buf_cstr(&u))));
		buf_release(&u);
	} else {
		json_object_set_new(out, "next", json_null());
		json_object_set_new(out, "next_url", json_null());
	}
	pub_ok(res, out);
}

static long long pub_id(const char *s)
{
	char *end;
	long long v = strtoll(s ? s : "", &end, 10);
	return s && *s && !*end && v > 0 ? v : 0;
}

void api_public_article(http_request_t *req, http_response_t *res)
{
	if (!pub_allowed(req, res))
		return;
	long long id = pub_id(req->params[0]), now = (long long)time(NULL);
	const char *base = pub_base(req);
	db_stmt_t *st = db_prepare(req->db, "SELECT " PUB_COLS ", a.body, a.author, a.source, a.cover_caption" PUB_FROM
					    " WHERE a.id = ? AND" PUB_VISIBLE);
	if (!id || !st || db_bindf(st, "ii", id, now) < 0 || db_step(st) != DB_ROW) {
		if (st)
			db_done(st);
		pub_error(res, 404, "not_found", "No such published article.");
		return;
	}
	json_t *a = pub_article_json(req, st, base);
	long long group = db_col_int(st, 14);
	const char *md = db_col_text(st, 15);
	buf_t html;
	buf_init(&html, 4u << 20);
	md_render(md, strlen(md), &html);
	json_object_set_new(a, "body_html", json_string(buf_cstr(&html)));
	buf_release(&html);
	json_object_set_new(a, "body_markdown", json_string(md));
	json_object_set_new(a, "author", json_string(db_col_text(st, 16)));
	json_object_set_new(a, "source", json_string(db_col_text(st, 17)));
	json_t *image = json_object_get(a, "image");
	if (json_is_object(image))
		json_object_set_new(image, "caption", json_string(db_col_text(st, 18)));
	db_done(st);
	json_t *tags = json_array();
	st = db_prepare(req->db, "SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id WHERE x.article_id = ?"
				 " ORDER BY t.name");
	if (st && db_bindf(st, "i", id) == 0)
		while (db_step(st) == DB_ROW)
			json_array_append_new(tags, json_string(db_col_text(st, 0)));
	if (st)
		db_done(st);
	json_object_set_new(a, "tags", tags);
	pub_translations(req, a, group, base, now);
	pub_ok(res, a);
}

/* ---- categories ---------------------------------------------------------------------------------- */

static void pub_categories(http_request_t *req, http_response_t *res)
{
	if (!pub_allowed(req, res))
		return;
	const char *base = pub_base(req);
	json_t *byid = json_object(), *order = json_array();
	db_stmt_t *st = db_prepare(req->db, "SELECT id, coalesce(parent_id, 0), position FROM categories ORDER BY position, id");
	if (!st) {
		json_decref(byid);
		json_decref(order);
		pub_error(res, 500, "error", "Internal error.");
		return;
	}
	while (db_step(st) == DB_ROW && json_array_size(order) < PUB_MAX_CATEGORIES) {
		long long id = db_col_int(st, 0), parent = db_col_int(st, 1);
		json_t *c = json_pack("{s:I, s:o, s:I, s:{}, s:[]}", "id", (json_int_t)id, "parent_id",
				      parent ? json_integer(parent) : json_null(), "position", (json_int_t)db_col_int(st, 2),
				      "i18n", "children");
		json_object_set_new(byid, arena_printf(req->arena, "%lld", id), c);
		json_array_append(order, c);
	}
	db_done(st);
	st = db_prepare(req->db, "SELECT category_id, lang, slug, name, description FROM category_i18n ORDER BY category_id, lang");
	if (st) {
		while (db_step(st) == DB_ROW) {
			json_t *c = json_object_get(byid, arena_printf(req->arena, "%lld", db_col_int(st, 0)));
			const char *l = db_col_text(st, 1);
			if (!c || !pub_lang_ok(l))
				continue;
			json_object_set_new(json_object_get(c, "i18n"), l,
					    json_pack("{s:s, s:s, s:s, s:s}", "name", db_col_text(st, 3), "slug", db_col_text(st, 2),
						      "description", db_col_text(st, 4), "url",
						      arena_printf(req->arena, "%s%s", base, news_url(req->arena, l, 'c', db_col_text(st, 2)))));
		}
		db_done(st);
	}
	/* rows come in position order, so appending keeps each parent's children in order */
	json_t *roots = json_array();
	size_t i;
	json_t *c;
	json_array_foreach(order, i, c)
	{
		json_t *pid = json_object_get(c, "parent_id");
		json_t *parent = json_is_integer(pid)
					 ? json_object_get(byid, arena_printf(req->arena, "%lld", (long long)json_integer_value(pid)))
					 : NULL;
		json_array_append(parent ? json_object_get(parent, "children") : roots, c);
	}
	json_decref(order);
	json_decref(byid);
	pub_ok(res, json_pack("{s:o}", "items", roots));
}

/* ---- search -------------------------------------------------------------------------------------- */

#define PUB_SNIPPET 240           /* bytes of text around the first match */
#define PUB_SNIPPET_SRC 16384     /* bytes of the body looked at */
#define PUB_MAX_SEARCH_PAGE 1000

/* Markdown as plain text for a snippet: link targets dropped, markup characters blanked, spaces joined. */
static void pub_plain(const char *s, size_t n, buf_t *out)
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
		if (strchr("#*_`>|[]!\t\r\n ", c)) {
			if (!space)
				buf_putc(out, ' ');
			space = 1;
			continue;
		}
		buf_putc(out, c);
		space = 0;
	}
}

static void pub_search(http_request_t *req, http_response_t *res)
{
	if (!pub_allowed(req, res))
		return;
	const char *q = http_query(req, "q");
	if (!q || !*q) {
		pub_error(res, 400, "bad_request", "Give the words to look for in q.");
		return;
	}
	search_params_t p = {0};
	const char *lang = http_query(req, "lang");
	if (lang && *lang && strcmp(lang, "all") != 0) {
		if (!pub_lang_ok(lang)) {
			pub_error(res, 400, "bad_request", "lang must be vi, en, zh or all.");
			return;
		}
		p.lang = lang;
	}
	const char *lv = http_query(req, "limit"), *pv = http_query(req, "page"), *sort = http_query(req, "sort");
	long long limit = lv && *lv ? http_query_int(req, "limit", 1, PUB_MAX_LIMIT, -1) : PUB_DEFAULT_LIMIT;
	long long page = pv && *pv ? http_query_int(req, "page", 1, PUB_MAX_SEARCH_PAGE, -1) : 1;
	if (limit < 0 || page < 0) {
		pub_error(res, 400, "bad_request", "limit must be 1 to 100 and page 1 to 1000.");
		return;
	}
	if (sort && *sort && strcmp(sort, "relevance") != 0 && strcmp(sort, "date") != 0) {
		pub_error(res, 400, "bad_request", "sort must be relevance or date.");
		return;
	}
	p.by_date = sort && strcmp(sort, "date") == 0;
	const char *sv = http_query(req, "since");
	if (sv && *sv && pub_parse_time(sv, &p.from) < 0) {
		pub_error(res, 400, "bad_request", "since must be an ISO 8601 date (2026-11-28) or date-time (2026-11-28T08:00:00+07:00).");
		return;
	}
	const char *catv = http_query(req, "category");
	p.category_id = pub_category(req, catv, lang && pub_lang_ok(lang) ? lang : "vi");
	if (p.category_id < 0) {
		pub_error(res, 404, "not_found", "No such category: give its id or slug (see /api/v1/categories).");
		return;
	}
	search_query_t sq;
	if (search_query_parse(req->arena, q, &sq) < 0) {
		pub_error(res, 500, "error", "Internal error.");
		return;
	}
	p.match = search_match_expr(req->arena, &sq);
	p.offset = (page - 1) * limit;
	p.limit = limit;
	long long ids[PUB_MAX_LIMIT], total = 0;
	int n = 0;
	if (p.match) { /* a query of only exclusions or punctuation finds nothing, as on the results page */
		search_sync(req->db);
		n = search_find(req->db, &p, ids, &total);
		if (n < 0) {
			pub_error(res, 500, "error", "Internal error.");
			return;
		}
	}
	long long now = (long long)time(NULL);
	const char *base = pub_base(req);
	json_t *items = json_array();
	long long groups[PUB_MAX_LIMIT];
	for (int i = 0; i < n; i++) {
		db_stmt_t *st = db_prepare(req->db, "SELECT " PUB_COLS ", a.body" PUB_FROM " WHERE a.id = ? AND" PUB_VISIBLE);
		if (!st || db_bindf(st, "ii", ids[i], now) < 0 || db_step(st) != DB_ROW) {
			if (st)
				db_done(st);
			continue;
		}
		json_t *a = pub_article_json(req, st, base);
		groups[json_array_size(items)] = db_col_int(st, 14);
		const char *title = db_col_text(st, 3), *lead = db_col_text(st, 4), *body = db_col_text(st, 15);
		buf_t th, text, snip;
		buf_init(&th, 64 * 1024);
		buf_init(&text, 64 * 1024);
		buf_init(&snip, 64 * 1024);
		search_highlight(&sq, title, strlen(title), 0, &th);
		buf_puts(&text, lead);
		buf_putc(&text, '\n');
		pub_plain(body, utf8_trunc(body, strlen(body), PUB_SNIPPET_SRC), &text);
		search_highlight(&sq, buf_cstr(&text), text.len, PUB_SNIPPET, &snip);
		json_object_set_new(a, "title_html", json_string(buf_cstr(&th)));
		json_object_set_new(a, "snippet_html", json_string(buf_cstr(&snip)));
		buf_release(&th);
		buf_release(&text);
		buf_release(&snip);
		db_done(st);
		json_array_append_new(items, a);
	}
	for (size_t i = 0; i < json_array_size(items); i++)
		pub_translations(req, json_array_get(items, i), groups[i], base, now);
	json_t *out = json_pack("{s:s, s:I, s:I, s:I, s:o}", "query", q, "total", (json_int_t)total, "page", (json_int_t)page,
				"limit", (json_int_t)limit, "items", items);
	if (page * limit < total) {
		buf_t u;
		buf_init(&u, 8192);
		buf_puts(&u, "/api/v1/search?q=");
		buf_append_url(&u, q, strlen(q));
		const char *keep[][2] = {{"lang", lang}, {"category", catv}, {"since", sv}, {"sort", sort}, {"limit", lv}};
		for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
			if (keep[i][1] && *keep[i][1]) {
				buf_appendf(&u, "&%s=", keep[i][0]);
				buf_append_url(&u, keep[i][1], strlen(keep[i][1]));
			}
		buf_appendf(&u, "&page=%lld", page + 1);
		json_object_set_new(out, "next_url", json_string(arena_printf(req->arena, "%s%s", base, buf_cstr(&u))));
		buf_release(&u);
	} else {
		json_object_set_new(out, "next_url", json_null());
	}
	pub_ok(res, out);
}

/* ---- OpenAPI ------------------------------------------------------------------------------------- */

static void pub_openapi(http_request_t *req, http_response_t *res)
{
	if (!pub_allowed(req, res))
		return;
	int hashed = 0;
	const http_static_file_t *f = http_static_find(PUB_OPENAPI, strlen(PUB_OPENAPI), &hashed);
	if (!f) {
		pub_error(res, 500, "error", "The OpenAPI description is missing (static/api/openapi.json).");
		return;
	}
	res->status = 200;
	res->content_type = "application/json; charset=utf-8";
	res->cache_ttl = app.cfg.cache_ttl;
	http_add_header(res, "access-control-allow-origin", "*");
	buf_append(&res->body, f->body, f->len);
}
