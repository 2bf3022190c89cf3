/* demo: loads the fictional province's demo portal from demo/ (format in demo/README.md).  Pictures are
 * drawn here and stored through media_store, so the demo exercises the same validation as uploads. */
#include <dirent.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "db/db.h"
#include "media/media.h"
#include "news/news.h"

#define DEMO_MAX_FILES 512
#define DEMO_FIELDS 16

typedef struct demo_doc {
	char *keys[DEMO_FIELDS], *vals[DEMO_FIELDS];
	int n;
	char *body;
	char *text; /* the whole file; keys, vals and body point into it */
} demo_doc_t;

#define DEMO_MAX_GROUPS 512

typedef struct demo_ctx {
	db_t *db;
	char *group_keys[DEMO_MAX_GROUPS]; /* translation group names in the files → the original's id */
	long long group_ids[DEMO_MAX_GROUPS];
	int ngroups;
	const char *media_dir;
	unsigned seed;
	char *err;
} demo_ctx_t;

static char *demo_errf(const char *fmt, const char *a, const char *b)
{
	char *m = NULL;
	if (asprintf(&m, fmt, a, b ? b : "") < 0)
		return NULL;
	return m;
}

static const char *demo_get(const demo_doc_t *d, const char *key, const char *dflt)
{
	for (int i = 0; i < d->n; i++)
		if (strcmp(d->keys[i], key) == 0)
			return d->vals[i];
	return dflt;
}

static char *demo_read(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	buf_t b;
	buf_init(&b, 4u << 20);
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	if (b.overflow) {
		buf_release(&b);
		return NULL;
	}
	/* text from files is normalised like any other input */
	buf_t nfc;
	buf_init(&nfc, 8u << 20);
	utf8_nfc(buf_cstr(&b), b.len, &nfc);
	buf_release(&b);
	return buf_detach(&nfc, NULL);
}

/* Splits "key: value" header lines (up to the first blank line) from the Markdown body. */
static int demo_parse(const char *path, demo_doc_t *d)
{
	memset(d, 0, sizeof(*d));
	if ((d->text = demo_read(path)) == NULL)
		return -1;
	char *p = d->text;
	while (*p && *p != '\n') {
		char *eol = strchr(p, '\n');
		if (eol)
			*eol = '\0';
		char *colon = strchr(p, ':');
		if (colon && d->n < DEMO_FIELDS) {
			*colon = '\0';
			char *v = colon + 1;
			while (*v == ' ')
				v++;
			d->keys[d->n] = p;
			d->vals[d->n++] = v;
		}
		if (!eol)
			return 0;
		p = eol + 1;
	}
	d->body = *p == '\n' ? p + 1 : p;
	return 0;
}

/* Local time "YYYY-MM-DD HH:MM" in Vietnam (UTC+7) to Unix seconds. */
static long long demo_time(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	if (!strptime(s, "%Y-%m-%d %H:%M", &tm))
		return (long long)time(NULL);
	return (long long)timegm(&tm) - 7 * 3600;
}

static int demo_image(demo_ctx_t *x, const char *keyword, const char *alt, const char *caption, long long *id)
{
	void *png;
	size_t len;
	const char *why;
	if (media_demo_image(keyword, x->seed++, &png, &len) < 0) {
		x->err = demo_errf("cannot draw the demo picture '%s'%s", keyword, NULL);
		return -1;
	}
	int rc = media_store(x->db, x->media_dir, png, len, alt, caption, id, &why);
	media_free(png);
	if (rc < 0)
		x->err = demo_errf("cannot store the demo picture '%s': %s", keyword, why);
	return rc;
}

/* ---- site settings and categories -------------------------------------------------------------------- */

static int demo_site_kv(void *user, const char *section, const char *name, const char *value)
{
	demo_ctx_t *x = user;
	char key[128];
	const char *us = strrchr(name, '_');
	if (us && (!strcmp(us, "_vi") || !strcmp(us, "_en") || !strcmp(us, "_zh")))
		snprintf(key, sizeof(key), "site.%.*s.%s", (int)(us - name), name, us + 1);
	else
		snprintf(key, sizeof(key), "site.%s", name);
	return db_execf(x->db, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
			"ss", key, value) < 0 ? 0 : 1;
}

static long long demo_category_id(db_t *db, const char *slug)
{
	return db_int(db, "SELECT category_id FROM category_i18n WHERE lang = 'vi' AND slug = ?", "s", 0, slug);
}

static int demo_categories(demo_ctx_t *x, const char *path)
{
	char *text = demo_read(path);
	if (!text) {
		x->err = demo_errf("cannot read %s%s", path, NULL);
		return -1;
	}
	int pos = 0, rc = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line && rc == 0; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#' || !line[0])
			continue;
		char *f[6] = {0};
		int nf = 0;
		for (char *p = line; nf < 6; nf++) {
			f[nf] = p;
			char *bar = strchr(p, '|');
			if (!bar) {
				nf++;
				break;
			}
			*bar = '\0';
			p = bar + 1;
		}
		if (nf < 5) {
			x->err = demo_errf("%s: bad line '%s'", path, line);
			rc = -1;
			break;
		}
		long long parent = f[1][0] ? demo_category_id(x->db, f[1]) : 0;
		if (db_execf(x->db, "INSERT INTO categories (parent_id, position) VALUES (?, ?)", parent ? "ii" : "ni",
			     parent ? parent : (long long)pos, (long long)pos) < 0) {
			rc = -1;
			break;
		}
		pos++;
		long long id = db_last_id(x->db);
		const char *names[3] = {f[2], f[3], f[4]}, *langs[3] = {"vi", "en", "zh"};
		for (int l = 0; l < 3 && rc == 0; l++) {
			buf_t slug;
			buf_init(&slug, 256);
			utf8_slug(l == 1 ? names[1] : f[0], strlen(l == 1 ? names[1] : f[0]), &slug, 80);
			if (db_execf(x->db, "INSERT INTO category_i18n (category_id, lang, slug, name, description) VALUES (?, ?, ?, ?, ?)",
				     "issss", id, langs[l], buf_cstr(&slug), names[l], l == 0 && nf > 5 ? f[5] : "") < 0)
				rc = -1;
			buf_release(&slug);
		}
	}
	if (rc < 0 && !x->err)
		x->err = demo_errf("cannot store categories: %s%s", db_errmsg(x->db), NULL);
	free(text);
	return rc;
}

/* ---- articles ----------------------------------------------------------------------------------------- */

/* Replaces image:KEYWORD links in a body by freshly drawn and stored pictures. */
static char *demo_inline_images(demo_ctx_t *x, const char *body)
{
	buf_t out;
	buf_init(&out, 8u << 20);
	const char *p = body, *hit;
	while ((hit = strstr(p, "](image:")) != NULL) {
		const char *kw = hit + 8, *end = kw;
		while ((*end >= 'a' && *end <= 'z'))
			end++;
		char keyword[32];
		snprintf(keyword, sizeof(keyword), "%.*s", (int)(end - kw), kw);
		long long id;
		if (demo_image(x, keyword, "", "", &id) < 0) {
			buf_release(&out);
			return NULL;
		}
		buf_append(&out, p, (size_t)(hit - p));
		db_stmt_t *st = db_prepare(x->db, "SELECT name FROM media WHERE id = ?");
		if (st && db_bindf(st, "i", id) == 0 && db_step(st) == DB_ROW)
			buf_appendf(&out, "](/media/%s.jpg", db_col_text(st, 0));
		if (st)
			db_done(st);
		p = end;
	}
	buf_puts(&out, p);
	return buf_detach(&out, NULL);
}

static int demo_tags(demo_ctx_t *x, long long article, const char *lang, const char *list)
{
	char *copy = strdup(list), *save = NULL;
	int rc = 0;
	for (char *t = strtok_r(copy, ",", &save); t && rc == 0; t = strtok_r(NULL, ",", &save)) {
		while (*t == ' ')
			t++;
		size_t n = strlen(t);
		while (n && t[n - 1] == ' ')
			t[--n] = '\0';
		if (!n)
			continue;
		buf_t slug;
		buf_init(&slug, 256);
		utf8_slug(t, n, &slug, 80);
		const char *s = slug.len ? buf_cstr(&slug) : t;
		long long tag = db_int(x->db, "SELECT id FROM tags WHERE lang = ? AND slug = ?", "ss", 0, lang, s);
		if (!tag && db_execf(x->db, "INSERT INTO tags (lang, slug, name) VALUES (?, ?, ?)", "sss", lang, s, t) > 0)
			tag = db_last_id(x->db);
		if (!tag || db_execf(x->db, "INSERT INTO article_tags (article_id, tag_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
				     "ii", article, tag) < 0)
			rc = -1;
		buf_release(&slug);
	}
	free(copy);
	return rc;
}

/* Picks a slug unique within the language: the folded title, or the original's slug for a translation
 * whose title does not fold (Chinese), with -2, -3 … on collisions. */
static char *demo_slug(demo_ctx_t *x, const char *lang, const char *title, long long group)
{
	buf_t s;
	buf_init(&s, 512);
	utf8_slug(title, strlen(title), &s, 80);
	if (strcspn(buf_cstr(&s), "abcdefghijklmnopqrstuvwxyz") == s.len) /* only digits: a Chinese title */
		buf_reset(&s);
	if (s.len == 0 && group) {
		db_stmt_t *st = db_prepare(x->db, "SELECT slug FROM articles WHERE id = ?");
		if (st && db_bindf(st, "i", group) == 0 && db_step(st) == DB_ROW)
			buf_puts(&s, db_col_text(st, 0));
		if (st)
			db_done(st);
	}
	if (s.len == 0)
		buf_puts(&s, "bai-viet");
	size_t base = s.len;
	for (int n = 2; db_int(x->db, "SELECT count(*) FROM articles WHERE lang = ? AND slug = ?", "ss", 0, lang, buf_cstr(&s)) > 0; n++) {
		s.len = base;
		buf_appendf(&s, "-%d", n);
	}
	return buf_detach(&s, NULL);
}

static int demo_article(demo_ctx_t *x, const char *path, const char *want_lang)
{
	demo_doc_t d;
	if (demo_parse(path, &d) < 0) {
		x->err = demo_errf("cannot read %s%s", path, NULL);
		return -1;
	}
	int rc = -1;
	char *slug = NULL, *body = NULL;
	const char *lang = demo_get(&d, "lang", "vi"), *group_key = demo_get(&d, "group", "");
	if (strcmp(lang, want_lang) != 0) {
		rc = 0;
		goto out;
	}
	const char *title = demo_get(&d, "title", "");
	long long cat = demo_category_id(x->db, demo_get(&d, "category", ""));
	if (!cat || !*title) {
		x->err = demo_errf("%s: unknown category or no title%s", path, NULL);
		goto out;
	}
	/* translations share the original's cover picture and translation group */
	long long group = 0;
	for (int i = 0; i < x->ngroups && *group_key; i++)
		if (strcmp(x->group_keys[i], group_key) == 0)
			group = x->group_ids[i];
	long long cover = group ? db_int(x->db, "SELECT cover_id FROM articles WHERE id = ?", "i", 0, group) : 0;
	const char *keyword = demo_get(&d, "image", NULL);
	if (!cover && keyword && demo_image(x, keyword, demo_get(&d, "alt", ""), demo_get(&d, "caption", ""), &cover) < 0)
		goto out;
	if ((body = demo_inline_images(x, d.body)) == NULL)
		goto out;
	slug = demo_slug(x, lang, title, group);
	long long published = demo_time(demo_get(&d, "published", ""));
	if (db_execf(x->db,
		     "INSERT INTO articles (lang, group_id, category_id, slug, title, lead, body, cover_id, cover_caption, cover_alt,"
		     " author, source, status, featured, published_at, created_at, updated_at)"
		     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'published', ?, ?, ?, ?)",
		     "snisssszssssiiii", lang, cat, slug, title, demo_get(&d, "lead", ""), body, cover,
		     demo_get(&d, "caption", ""), demo_get(&d, "alt", ""), demo_get(&d, "author", ""), demo_get(&d, "source", ""),
		     (long long)(strcmp(demo_get(&d, "featured", "no"), "yes") == 0), published, published, published) < 0)
		goto out;
	long long id = db_last_id(x->db);
	if (!group) {
		group = id;
		if (*group_key && x->ngroups < DEMO_MAX_GROUPS) {
			x->group_keys[x->ngroups] = strdup(group_key);
			x->group_ids[x->ngroups++] = id;
		}
	}
	if (db_execf(x->db, "UPDATE articles SET group_id = ? WHERE id = ?", "ii", group, id) < 0 ||
	    demo_tags(x, id, lang, demo_get(&d, "tags", "")) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0 && !x->err)
		x->err = demo_errf("%s: %s", path, db_errmsg(x->db));
	free(slug);
	free(body);
	free(d.text);
	return rc;
}

/* ---- pages, menus and the whole load ------------------------------------------------------------------ */

static int demo_page(demo_ctx_t *x, const char *path)
{
	demo_doc_t d;
	if (demo_parse(path, &d) < 0) {
		x->err = demo_errf("cannot read %s%s", path, NULL);
		return -1;
	}
	int rc = db_execf(x->db, "INSERT INTO pages (lang, group_key, slug, title, body, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
			  "sssssi", demo_get(&d, "lang", "vi"), demo_get(&d, "group", ""), demo_get(&d, "slug", ""),
			  demo_get(&d, "title", ""), d.body, (long long)time(NULL)) < 0 ? -1 : 0;
	if (rc < 0)
		x->err = demo_errf("%s: %s", path, db_errmsg(x->db));
	free(d.text);
	return rc;
}

static int demo_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .md files of a folder, sorted, so that loading is repeatable. */
static int demo_list(const char *dir, char **out, int max)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL && n < max) {
		size_t l = strlen(de->d_name);
		if (l > 3 && strcmp(de->d_name + l - 3, ".md") == 0 && de->d_name[0] != '.') {
			size_t sz = strlen(dir) + l + 2;
			out[n] = malloc(sz);
			snprintf(out[n++], sz, "%s/%s", dir, de->d_name);
		}
	}
	closedir(d);
	qsort(out, (size_t)n, sizeof(char *), demo_cmp);
	return n;
}

/* Adds a menu item pointing at the page of group in each language that has one. */
static int demo_menu_page(db_t *db, const char *group, int position)
{
	return db_execf(db, "INSERT INTO menu_items (lang, position, label, url)"
			    " SELECT lang, ?, title, CASE lang WHEN 'vi' THEN '/trang/' || slug ELSE '/' || lang || '/page/' || slug END"
			    " FROM pages WHERE group_key = ?",
			"is", (long long)position, group) < 0 ? -1 : 0;
}

int news_default_menu(db_t *db)
{
	static const char *const items[][4] = {
		/* lang, label, url, position */
		{"vi", "Trang chủ", "/", "0"},           {"vi", "Tin tức – Sự kiện", "/tin-tuc", "20"},
		{"en", "Home", "/en/", "0"},             {"en", "News and Events", "/en/news", "20"},
		{"zh", "首页", "/zh/", "0"},             {"zh", "新闻动态", "/zh/news", "20"},
		/* the procedure catalog (svc/catalog_pages.c): services within three clicks of every page */
		{"vi", "Dịch vụ công", "/thu-tuc", "30"},  {"en", "Public services", "/en/procedures", "30"},
		{"zh", "公共服务", "/zh/procedures", "30"},
	};
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
		if (db_execf(db, "INSERT INTO menu_items (lang, position, label, url) VALUES (?, ?, ?, ?)", "siss", items[i][0],
			     strtoll(items[i][3], NULL, 10), items[i][1], items[i][2]) < 0)
			return -1;
	return 0;
}

int news_demo_load(db_t *db, const char *dir, const char *media_dir, char **err)
{
	demo_ctx_t x = {.db = db, .media_dir = media_dir, .seed = 1};
	char path[4096], *files[DEMO_MAX_FILES];
	int n = 0, rc = -1;
	if (db_begin(db) < 0) {
		*err = demo_errf("cannot start a transaction: %s%s", db_errmsg(db), NULL);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/site.ini", dir);
	if (ini_parse(path, demo_site_kv, &x) != 0) {
		x.err = demo_errf("cannot load %s%s", path, NULL);
		goto out;
	}
	snprintf(path, sizeof(path), "%s/categories.txt", dir);
	if (demo_categories(&x, path) < 0)
		goto out;
	snprintf(path, sizeof(path), "%s/articles", dir);
	if ((n = demo_list(path, files, DEMO_MAX_FILES)) < 0) {
		x.err = demo_errf("cannot list %s%s", path, NULL);
		n = 0;
		goto out;
	}
	/* originals first, so translations find their group and cover */
	static const char *const langs[] = {"vi", "en", "zh"};
	for (int l = 0; l < 3; l++)
		for (int i = 0; i < n; i++)
			if (demo_article(&x, files[i], langs[l]) < 0)
				goto out;
	for (int i = 0; i < n; i++)
		free(files[i]);
	snprintf(path, sizeof(path), "%s/pages", dir);
	if ((n = demo_list(path, files, DEMO_MAX_FILES)) < 0)
		n = 0;
	for (int i = 0; i < n; i++)
		if (demo_page(&x, files[i]) < 0)
			goto out;
	if (demo_menu_page(db, "gioi-thieu", 10) < 0 || demo_menu_page(db, "lien-he", 90) < 0)
		goto out;
	if (db_commit(db) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0) {
		db_rollback(db);
		*err = x.err ? x.err : demo_errf("database error: %s%s", db_errmsg(db), NULL);
	} else {
		free(x.err);
	}
	for (int i = 0; i < n; i++)
		free(files[i]);
	for (int i = 0; i < x.ngroups; i++)
		free(x.group_keys[i]);
	return rc;
}
