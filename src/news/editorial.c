/* editorial: the article store of the staff area and the API.  The workflow is one table (ed_table) read
 * together with the permission matrix; every write happens in one transaction with its audit entry, and
 * re-checks the state or revision it was decided on, so two people acting at once cannot both win. */
#include "news/editorial.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "core/log.h"
#include "core/utf8.h"
#include "http/server.h"

#define ED_TZ (7 * 3600)
#define ED_AUTOSAVE_MAX (ED_BODY_MAX + 64 * 1024)

static long long ed_now(void)
{
	return (long long)time(NULL);
}

/* ---- the transition table ------------------------------------------------------------------------ */

static const struct ed_transition {
	const char *name, *audit, *to;
	perm_t perm;
	const char *from[6];
} ed_table[ED__NACTIONS] = {
	[ED_SUBMIT] = {"submit", "article.submit", "pending", PERM_ARTICLE_SUBMIT, {"draft", "returned"}},
	[ED_RETURN] = {"return", "article.return", "returned", PERM_ARTICLE_RETURN, {"pending"}},
	[ED_PUBLISH] = {"publish", "article.publish", "published", PERM_ARTICLE_PUBLISH,
			{"pending", "draft", "returned", "unpublished", "scheduled"}},
	[ED_SCHEDULE] = {"schedule", "article.schedule", "scheduled", PERM_ARTICLE_PUBLISH,
			 {"pending", "draft", "returned", "unpublished", "scheduled"}},
	[ED_UNPUBLISH] = {"unpublish", "article.unpublish", "unpublished", PERM_ARTICLE_UNPUBLISH, {"published", "scheduled"}},
	[ED_DELETE] = {"delete", "article.delete", NULL, PERM_ARTICLE_DELETE,
		       {"draft", "pending", "returned", "scheduled", "unpublished"}},
};

static const char *const ed_langs[] = {"vi", "en", "zh"};

static int ed_lang_ok(const char *l)
{
	for (size_t i = 0; i < sizeof(ed_langs) / sizeof(ed_langs[0]); i++)
		if (l && strcmp(l, ed_langs[i]) == 0)
			return 1;
	return 0;
}

int editorial_action_from(const char *name)
{
	for (int i = 0; name && i < ED__NACTIONS; i++)
		if (strcmp(name, ed_table[i].name) == 0)
			return i;
	return -1;
}

const char *editorial_action_name(ed_action_t a)
{
	return a >= 0 && a < ED__NACTIONS ? ed_table[a].name : "?";
}

const char *editorial_action_audit(ed_action_t a)
{
	return a >= 0 && a < ED__NACTIONS ? ed_table[a].audit : "?";
}

const char *editorial_action_target(ed_action_t a)
{
	return a >= 0 && a < ED__NACTIONS ? ed_table[a].to : NULL;
}

ed_rc_t editorial_can(const auth_user_t *u, ed_action_t a, long long author_id, const char *status)
{
	if (a < 0 || a >= ED__NACTIONS || !u)
		return ED_FORBIDDEN;
	if (!perm_allows(u, ed_table[a].perm, author_id, status))
		return ED_FORBIDDEN;
	for (int i = 0; i < 6 && ed_table[a].from[i]; i++)
		if (status && strcmp(status, ed_table[a].from[i]) == 0)
			return ED_OK;
	return ED_BAD_STATE;
}

int editorial_can_edit(const auth_user_t *u, long long author_id, const char *status)
{
	return perm_allows(u, PERM_ARTICLE_EDIT, author_id, status);
}

const char *editorial_message(ed_rc_t rc)
{
	switch (rc) {
	case ED_OK: return "Saved.";
	case ED_NOT_FOUND: return "The article does not exist, or you may not see it.";
	case ED_FORBIDDEN: return "You may not do this to this article in its current state.";
	case ED_CONFLICT: return "Someone else saved this article first.";
	case ED_INVALID: return "Please correct the fields marked below.";
	case ED_BAD_STATE: return "This cannot be done in the article's current state.";
	case ED_EXISTS: return "That translation already exists.";
	case ED_HAS_TRANSLATIONS: return "This article has translations; delete them first.";
	default: return "Something went wrong on our side. Please try again later.";
	}
}

const char *editorial_code(ed_rc_t rc)
{
	static const char *const codes[] = {"ok", "not_found", "forbidden", "conflict", "invalid",
					    "bad_state", "exists", "has_translations", "error"};
	return rc >= ED_OK && rc <= ED_ERROR ? codes[rc] : "error";
}

/* ---- text helpers ---------------------------------------------------------------------------------- */

static size_t ed_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Multi-line text as stored: "\r\n" and lone "\r" become "\n"; NULL becomes "". */
static char *ed_lf(arena_t *a, const char *s)
{
	if (!s)
		return arena_strdup(a, "");
	size_t n = strlen(s), j = 0;
	char *o = arena_alloc(a, n + 1);
	if (!o)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\r') {
			o[j++] = '\n';
			if (s[i + 1] == '\n')
				i++;
		} else {
			o[j++] = s[i];
		}
	}
	o[j] = '\0';
	return o;
}

/* One-line text: line breaks and tabs become spaces, runs of spaces one, trimmed. */
static char *ed_line(arena_t *a, const char *s)
{
	if (!s)
		return arena_strdup(a, "");
	size_t n = strlen(s), j = 0;
	char *o = arena_alloc(a, n + 1);
	if (!o)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char c = s[i] == '\r' || s[i] == '\n' || s[i] == '\t' ? ' ' : s[i];
		if (c == ' ' && (j == 0 || o[j - 1] == ' '))
			continue;
		o[j++] = c;
	}
	while (j && o[j - 1] == ' ')
		j--;
	o[j] = '\0';
	return o;
}

/* Trims blank lines and spaces around multi-line text (a lead, a comment). */
static char *ed_trim(arena_t *a, const char *s)
{
	char *t = ed_lf(a, s);
	if (!t)
		return NULL;
	while (*t && isspace((unsigned char)*t))
		t++;
	size_t n = strlen(t);
	while (n && isspace((unsigned char)t[n - 1]))
		t[--n] = '\0';
	return t;
}

static void ed_err(http_request_t *req, json_t **errors, const char *field, const char *msgid)
{
	if (!*errors)
		*errors = json_object();
	if (!json_object_get(*errors, field))
		json_object_set_new(*errors, field, json_string(app_t_(req, msgid)));
}

int editorial_parse_time(const char *s, long long *t)
{
	if (!s)
		return -1;
	int v[6] = {0};
	static const struct {
		int width;
		char sep;
	} part[6] = {{4, '-'}, {2, '-'}, {2, 'T'}, {2, ':'}, {2, ':'}, {2, 0}};
	const char *p = s;
	int k = 0;
	for (; k < 6; k++) {
		for (int i = 0; i < part[k].width; i++, p++) {
			if (!isdigit((unsigned char)*p))
				return -1;
			v[k] = v[k] * 10 + (*p - '0');
		}
		if (k == 4 && *p != ':')
			break; /* seconds are optional */
		if (k < 5) {
			char sep = *p;
			if (!(sep == part[k].sep || (k == 2 && sep == ' ')))
				return -1;
			p++;
		}
	}
	long long offset = ED_TZ;
	if (*p == 'Z') {
		offset = 0;
		p++;
	} else if (strcmp(p, "+07:00") == 0) {
		p += 6;
	}
	if (*p)
		return -1;
	if (v[0] < 1970 || v[0] > 9999 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 || v[4] > 59 || v[5] > 59)
		return -1;
	struct tm tm = {.tm_year = v[0] - 1900, .tm_mon = v[1] - 1, .tm_mday = v[2], .tm_hour = v[3], .tm_min = v[4], .tm_sec = v[5]};
	time_t u = timegm(&tm);
	if (tm.tm_mday != v[2]) /* 31 February: timegm rolled over */
		return -1;
	*t = (long long)u - offset;
	return 0;
}

char *editorial_local_time(arena_t *a, long long t)
{
	time_t lt = (time_t)(t + ED_TZ);
	struct tm tm;
	gmtime_r(&lt, &tm);
	return arena_printf(a, "%04d-%02d-%02dT%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
}

/* ---- loading --------------------------------------------------------------------------------------- */

static char *ed_col(http_request_t *req, db_stmt_t *st, int col)
{
	return arena_strdup(req->arena, db_col_text(st, col));
}

/* The tags of an article as "a, b, c" (sorted by name, as stored). */
static const char *ed_tags_text(http_request_t *req, long long id)
{
	buf_t b;
	buf_init(&b, 64 * 1024);
	db_stmt_t *st = db_prepare(req->db, "SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id"
					    " WHERE x.article_id = ? ORDER BY t.name");
	if (st && db_bindf(st, "i", id) == 0)
		while (db_step(st) == DB_ROW)
			buf_appendf(&b, "%s%s", b.len ? ", " : "", db_col_text(st, 0));
	if (st)
		db_done(st);
	char *s = arena_strdup(req->arena, buf_cstr(&b));
	buf_release(&b);
	return s;
}

/* Loads article id without any permission check. */
static ed_rc_t ed_load(http_request_t *req, long long id, ed_article_t *a)
{
	memset(a, 0, sizeof(*a));
	db_stmt_t *st = db_prepare(req->db,
				   "SELECT a.id, a.lang, coalesce(a.group_id, 0), a.category_id, a.slug, a.title, a.lead, a.body,"
				   " coalesce(a.cover_id, 0), coalesce(m.name, ''), a.cover_caption, a.cover_alt, a.author, a.source,"
				   " a.status, coalesce(a.published_at, 0), a.created_at, a.updated_at, a.revision,"
				   " coalesce(a.author_id, 0), a.review_comment, a.source_revision, coalesce(u.login, ''),"
				   " coalesce(u.display_name, ''), coalesce(o.revision, 0), o.id"
				   " FROM articles a LEFT JOIN media m ON m.id = a.cover_id LEFT JOIN users u ON u.id = a.author_id"
				   " LEFT JOIN articles o ON o.id = a.group_id AND o.id <> a.id WHERE a.id = ?");
	if (!st || db_bindf(st, "i", id) < 0) {
		if (st)
			db_done(st);
		return ED_ERROR;
	}
	int r = db_step(st);
	if (r != DB_ROW) {
		db_done(st);
		return r == DB_DONE ? ED_NOT_FOUND : ED_ERROR;
	}
	a->id = db_col_int(st, 0);
	a->lang = ed_col(req, st, 1);
	a->group_id = db_col_int(st, 2);
	a->category_id = db_col_int(st, 3);
	a->slug = ed_col(req, st, 4);
	a->title = ed_col(req, st, 5);
	a->lead = ed_col(req, st, 6);
	a->body = ed_col(req, st, 7);
	a->cover_id = db_col_int(st, 8);
	a->cover_name = ed_col(req, st, 9);
	a->cover_caption = ed_col(req, st, 10);
	a->cover_alt = ed_col(req, st, 11);
	a->author = ed_col(req, st, 12);
	a->source = ed_col(req, st, 13);
	a->status = ed_col(req, st, 14);
	a->published_at = db_col_int(st, 15);
	a->created_at = db_col_int(st, 16);
	a->updated_at = db_col_int(st, 17);
	a->revision = db_col_int(st, 18);
	a->author_id = db_col_int(st, 19);
	a->review_comment = ed_col(req, st, 20);
	a->source_revision = db_col_int(st, 21);
	a->author_login = ed_col(req, st, 22);
	a->author_name = ed_col(req, st, 23);
	a->original_revision = db_col_int(st, 24);
	a->is_translation = !db_col_null(st, 25);
	db_done(st);
	/* 0 means "not tracked" (imported translations): only a known, older source revision is outdated */
	a->outdated = a->is_translation && a->source_revision > 0 && a->source_revision < a->original_revision;
	a->tags = ed_tags_text(req, id);
	/* only publishing leads to published and unpublished; a scheduled article may have been published before */
	a->ever_published = strcmp(a->status, "published") == 0 || strcmp(a->status, "unpublished") == 0 ||
			    (strcmp(a->status, "scheduled") == 0 &&
			     /* only entries after its creation: SQLite may give a deleted article's id to a new one */
			     db_int(req->db, "SELECT count(*) FROM audit_log WHERE object_type = 'article' AND object_id = ?"
					     " AND action = 'article.publish' AND id > (SELECT coalesce(max(id), 0) FROM audit_log"
					     " WHERE object_type = 'article' AND object_id = ? AND action = 'article.create')",
				    "ii", 0, id, id) > 0);
	return ED_OK;
}

ed_rc_t editorial_get(http_request_t *req, const auth_user_t *u, long long id, ed_article_t *out)
{
	ed_rc_t rc = ed_load(req, id, out);
	if (rc != ED_OK)
		return rc;
	if (!perm_allows(u, PERM_ARTICLE_VIEW, out->author_id, out->status)) {
		memset(out, 0, sizeof(*out));
		return ED_NOT_FOUND;
	}
	return ED_OK;
}

/* ---- validation ------------------------------------------------------------------------------------ */

/* The values a save writes, after validation. */
typedef struct ed_vals {
	const char *lang, *title, *lead, *body, *tags, *caption, *alt, *author, *source;
	const char *slug;       /* an explicit new slug (cleaned), or NULL */
	const char *tag[ED_TAGS_MAX];
	int ntags;
	long long category_id, cover_id, published_at;
} ed_vals_t;

static int ed_cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Splits "a, b，c" into at most ED_TAGS_MAX trimmed, de-duplicated (accents and case ignored) tags
 * sorted by name; v->tags gets them joined with ", ". */
static void ed_parse_tags(http_request_t *req, const char *s, ed_vals_t *v, json_t **errors)
{
	const char *folded[ED_TAGS_MAX];
	int n = 0, too_many = 0;
	char *copy = arena_strdup(req->arena, s ? s : "");
	/* the full-width comma and the ideographic enumeration comma separate too (Chinese keyboards) */
	for (char *p; copy && ((p = strstr(copy, "\xEF\xBC\x8C")) || (p = strstr(copy, "\xE3\x80\x81")));) {
		p[0] = ',';
		memmove(p + 1, p + 3, strlen(p + 3) + 1);
	}
	for (char *p = copy, *next; p && *p; p = next) {
		char *comma = strchr(p, ',');
		next = comma ? comma + 1 : p + strlen(p);
		if (comma)
			*comma = '\0';
		char *t = ed_line(req->arena, p);
		if (!t || !*t)
			continue;
		if (ed_chars(t) > ED_TAG_MAX) {
			ed_err(req, errors, "tags", "A tag is too long (at most 100 characters).");
			continue;
		}
		buf_t f;
		buf_init(&f, 4096);
		utf8_fold(t, strlen(t), &f);
		const char *key = arena_strdup(req->arena, buf_cstr(&f));
		buf_release(&f);
		int dup = 0;
		for (int i = 0; i < n; i++)
			dup |= strcmp(folded[i], key) == 0;
		if (dup)
			continue;
		if (n == ED_TAGS_MAX) {
			too_many = 1;
			continue;
		}
		folded[n] = key;
		v->tag[n++] = t;
	}
	if (too_many)
		ed_err(req, errors, "tags", "Too many tags (at most 20).");
	v->ntags = n;
	qsort(v->tag, (size_t)n, sizeof(v->tag[0]), ed_cmp_str);
	buf_t b;
	buf_init(&b, 64 * 1024);
	for (int i = 0; i < n; i++)
		buf_appendf(&b, "%s%s", i ? ", " : "", v->tag[i]);
	v->tags = arena_strdup(req->arena, buf_cstr(&b));
	buf_release(&b);
}

/* A clean slug of s, "" when nothing of it is usable. */
static char *ed_slugify(http_request_t *req, const char *s)
{
	buf_t b;
	buf_init(&b, ED_SLUG_MAX + 8);
	utf8_slug(s, strlen(s), &b, ED_SLUG_MAX);
	char *r = arena_strdup(req->arena, buf_cstr(&b));
	buf_release(&b);
	return r;
}

/* Whether slug is free in lang for article self (0 for a new one): no other article has it now or had it. */
static int ed_slug_free(http_request_t *req, const char *lang, const char *slug, long long self)
{
	return db_int(req->db, "SELECT count(*) FROM articles WHERE lang = ? AND slug = ? AND id <> ?", "ssi", 1, lang, slug, self) == 0 &&
	       db_int(req->db, "SELECT count(*) FROM article_old_slugs WHERE lang = ? AND slug = ? AND article_id <> ?", "ssi", 1,
		      lang, slug, self) == 0;
}

/* base, or base-2, base-3 … whichever is free first. */
static const char *ed_unique_slug(http_request_t *req, const char *lang, const char *base, long long self)
{
	if (ed_slug_free(req, lang, base, self))
		return base;
	for (int i = 2; i < 100; i++) {
		const char *s = arena_printf(req->arena, "%s-%d", base, i);
		if (ed_slug_free(req, lang, s, self))
			return s;
	}
	return arena_printf(req->arena, "%s-%lld", base, ed_now());
}

static void ed_check_short(http_request_t *req, const char *field, const char *s, json_t **errors)
{
	if (ed_chars(s) > ED_SHORT_MAX)
		ed_err(req, errors, field, "This text is too long (at most 500 characters).");
}

/* Validates in against cur (NULL when creating) into v.  0 when valid, else -1 with *errors. */
static int ed_validate(http_request_t *req, const ed_input_t *in, const ed_article_t *cur, ed_vals_t *v, json_t **errors)
{
	arena_t *a = req->arena;
	memset(v, 0, sizeof(*v));
	v->lang = cur ? cur->lang : in->lang;
	if (!cur && !ed_lang_ok(v->lang))
		ed_err(req, errors, "lang", "Choose a language.");
	v->title = in->title || !cur ? ed_line(a, in->title) : cur->title;
	v->lead = in->lead || !cur ? ed_trim(a, in->lead) : cur->lead;
	v->body = in->body || !cur ? ed_lf(a, in->body) : cur->body;
	v->caption = in->cover_caption || !cur ? ed_line(a, in->cover_caption) : cur->cover_caption;
	v->alt = in->cover_alt || !cur ? ed_line(a, in->cover_alt) : cur->cover_alt;
	v->author = in->author || !cur ? ed_line(a, in->author) : cur->author;
	v->source = in->source || !cur ? ed_line(a, in->source) : cur->source;
	if (!v->title || !v->lead || !v->body || !v->caption || !v->alt || !v->author || !v->source) {
		ed_err(req, errors, "body", "The body is too long (at most 200 KB).");
		return -1;
	}
	if (!*v->title)
		ed_err(req, errors, "title", "Enter a title.");
	else if (ed_chars(v->title) > ED_TITLE_MAX)
		ed_err(req, errors, "title", "The title is too long (at most 300 characters).");
	if (ed_chars(v->lead) > ED_LEAD_MAX)
		ed_err(req, errors, "lead", "The lead is too long (at most 1000 characters).");
	if (strlen(v->body) > ED_BODY_MAX)
		ed_err(req, errors, "body", "The body is too long (at most 200 KB).");
	ed_check_short(req, "cover_caption", v->caption, errors);
	ed_check_short(req, "cover_alt", v->alt, errors);
	ed_check_short(req, "author", v->author, errors);
	ed_check_short(req, "source", v->source, errors);
	if (in->tags || !cur)
		ed_parse_tags(req, in->tags, v, errors);
	else
		ed_parse_tags(req, cur->tags, v, errors);

	v->category_id = in->category_id == 0 && cur ? cur->category_id : in->category_id;
	if (v->category_id <= 0)
		ed_err(req, errors, "category_id", "Choose a category.");
	else if (db_int(req->db, "SELECT count(*) FROM categories WHERE id = ?", "i", 0, v->category_id) == 0)
		ed_err(req, errors, "category_id", "This category does not exist.");
	else if (ed_lang_ok(v->lang) &&
		 db_int(req->db, "SELECT count(*) FROM category_i18n WHERE category_id = ? AND lang = ?", "is", 0, v->category_id, v->lang) == 0)
		/* public pages join the category's name in the article's language: without one it would never show */
		ed_err(req, errors, "category_id",
		       "This category has no name in the article's language yet; choose another one or name it under Categories.");

	v->cover_id = in->cover_id < 0 && cur ? cur->cover_id : in->cover_id < 0 ? 0 : in->cover_id;
	if (v->cover_id > 0 && db_int(req->db, "SELECT count(*) FROM media WHERE id = ?", "i", 0, v->cover_id) == 0)
		ed_err(req, errors, "cover_id", "This image does not exist in the media library.");

	v->published_at = cur ? cur->published_at : 0;
	const char *status = cur ? cur->status : "draft";
	int live = strcmp(status, "published") == 0 || strcmp(status, "scheduled") == 0;
	if (in->published_at && *in->published_at) {
		long long t;
		if (editorial_parse_time(in->published_at, &t) < 0)
			ed_err(req, errors, "published_at", "Enter the date and time as day, month, year, hours and minutes.");
		else {
			t -= ((t % 60) + 60) % 60; /* minute precision */
			long long now = ed_now();
			if (strcmp(status, "published") == 0 && t > now && t != cur->published_at)
				ed_err(req, errors, "published_at", "A published article cannot have a time in the future; use Schedule instead.");
			else if (strcmp(status, "scheduled") == 0 && t <= now && t != cur->published_at)
				ed_err(req, errors, "published_at", "Choose a time in the future.");
			else
				v->published_at = t;
		}
	} else if (in->published_at && !live) {
		v->published_at = 0; /* cleared; a live article keeps its time */
	}

	if (in->slug && (!cur || strcmp(in->slug, cur->slug) != 0) && *in->slug) {
		const char *s = ed_slugify(req, in->slug);
		if (!*s)
			ed_err(req, errors, "slug", "The address may contain only letters a–z, digits and hyphens.");
		else if (ed_lang_ok(v->lang) && !ed_slug_free(req, v->lang, s, cur ? cur->id : 0))
			ed_err(req, errors, "slug", "Another article already uses this address.");
		else if (!cur || strcmp(s, cur->slug) != 0)
			v->slug = s;
	}
	return *errors ? -1 : 0;
}

/* ---- writing --------------------------------------------------------------------------------------- */

static int ed_write_tags(http_request_t *req, long long id, const char *lang, const ed_vals_t *v)
{
	if (db_execf(req->db, "DELETE FROM article_tags WHERE article_id = ?", "i", id) < 0)
		return -1;
	for (int i = 0; i < v->ntags; i++) {
		const char *slug = ed_slugify(req, v->tag[i]);
		if (!*slug) /* Chinese tags do not fold to ASCII: the name is its own key */
			slug = v->tag[i];
		if (db_execf(req->db, "INSERT INTO tags (lang, slug, name) VALUES (?, ?, ?) ON CONFLICT (lang, slug) DO NOTHING",
			     "sss", lang, slug, v->tag[i]) < 0)
			return -1;
		long long tag = db_int(req->db, "SELECT id FROM tags WHERE lang = ? AND slug = ?", "ss", 0, lang, slug);
		if (!tag || db_execf(req->db, "INSERT INTO article_tags (article_id, tag_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
				     "ii", id, tag) < 0)
			return -1;
	}
	return 0;
}

static int ed_write_revision(http_request_t *req, long long id, long long rev, const ed_vals_t *v, const char *status,
			     long long saved_by, long long saved_at)
{
	return db_execf(req->db,
			"INSERT INTO article_revisions (article_id, revision, title, lead, body, category_id, cover_id,"
			" cover_caption, cover_alt, tags, status, saved_by, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			"iisssizssssz" "i", id, rev, v->title, v->lead, v->body, v->category_id, v->cover_id, v->caption, v->alt,
			v->tags, status, saved_by, saved_at) < 0
		       ? -1
		       : 0;
}

/* The values of an article as it is, to record it as a revision. */
static void ed_vals_of(const ed_article_t *a, ed_vals_t *v)
{
	memset(v, 0, sizeof(*v));
	v->lang = a->lang;
	v->title = a->title;
	v->lead = a->lead;
	v->body = a->body;
	v->tags = a->tags;
	v->caption = a->cover_caption;
	v->alt = a->cover_alt;
	v->author = a->author;
	v->source = a->source;
	v->category_id = a->category_id;
	v->cover_id = a->cover_id;
	v->published_at = a->published_at;
}

static ed_rc_t ed_fail(http_request_t *req, const char *what)
{
	log_msg(LOG_ERR, req->rid, "editorial: cannot %s: %s", what, db_errmsg(req->db));
	db_rollback(req->db);
	return ED_ERROR;
}

ed_rc_t editorial_create(http_request_t *req, const auth_user_t *u, const ed_input_t *in, json_t **errors, long long *id)
{
	*errors = NULL;
	if (!perm_allows(u, PERM_ARTICLE_CREATE, u ? u->id : 0, "draft"))
		return ED_FORBIDDEN;
	ed_vals_t v;
	if (ed_validate(req, in, NULL, &v, errors) < 0)
		return ED_INVALID;
	long long now = ed_now();
	if (db_begin(req->db) < 0)
		return ed_fail(req, "begin");
	const char *slug = v.slug;
	if (!slug) {
		const char *base = ed_slugify(req, v.title);
		if (!*base) /* a Chinese title: "bai-<id>" (the id it is about to get) */
			base = arena_printf(req->arena, "bai-%lld", db_int(req->db, "SELECT coalesce(max(id), 0) + 1 FROM articles", "", 1));
		slug = ed_unique_slug(req, v.lang, base, 0);
	}
	if (db_execf(req->db,
		     "INSERT INTO articles (lang, category_id, slug, title, lead, body, cover_id, cover_caption, cover_alt, author,"
		     " source, status, published_at, created_at, updated_at, revision, author_id)"
		     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, 1, ?)",
		     "sissssz" "ssss" "ziii", v.lang, v.category_id, slug, v.title, v.lead, v.body, v.cover_id, v.caption, v.alt,
		     v.author, v.source, v.published_at, now, now, u->id) != 1)
		return ed_fail(req, "insert an article");
	long long nid = db_last_id(req->db);
	/* an original is the head of its own translation group */
	if (db_execf(req->db, "UPDATE articles SET group_id = id WHERE id = ?", "i", nid) < 0 ||
	    ed_write_tags(req, nid, v.lang, &v) < 0 || ed_write_revision(req, nid, 1, &v, "draft", u->id, now) < 0)
		return ed_fail(req, "store a new article");
	audit_log(req, NULL, "article.create", "article", nid, v.title);
	if (db_commit(req->db) < 0)
		return ed_fail(req, "commit");
	editorial_autosave_drop(req, u, 0);
	*id = nid;
	return ED_OK;
}

/* Whether saving v over cur changes anything. */
static int ed_changed(const ed_article_t *cur, const ed_vals_t *v, const char *slug, long long source_rev)
{
	return strcmp(cur->title, v->title) || strcmp(cur->lead, v->lead) || strcmp(cur->body, v->body) ||
	       strcmp(cur->tags, v->tags) || strcmp(cur->cover_caption, v->caption) || strcmp(cur->cover_alt, v->alt) ||
	       strcmp(cur->author, v->author) || strcmp(cur->source, v->source) || strcmp(cur->slug, slug) ||
	       cur->category_id != v->category_id || cur->cover_id != v->cover_id || cur->published_at != v->published_at ||
	       cur->source_revision != source_rev;
}

/* Saves in over article id as a new revision (the body of editorial_update and editorial_restore). */
static ed_rc_t ed_update(http_request_t *req, const auth_user_t *u, long long id, long long expected, const ed_input_t *in,
			 json_t **errors, long long *new_rev, const char *action, const char *detail)
{
	*errors = NULL;
	ed_article_t cur;
	ed_rc_t rc = editorial_get(req, u, id, &cur);
	if (rc != ED_OK)
		return rc;
	if (!editorial_can_edit(u, cur.author_id, cur.status))
		return ED_FORBIDDEN;
	if (cur.revision != expected)
		return ED_CONFLICT;
	ed_vals_t v;
	if (ed_validate(req, in, &cur, &v, errors) < 0)
		return ED_INVALID;
	const char *slug = cur.slug;
	if (v.slug) {
		slug = v.slug; /* an explicit change: the trigger keeps the old URL answering */
	} else if (!cur.ever_published) {
		const char *base = ed_slugify(req, v.title);
		if (*base && strcmp(base, cur.slug) != 0)
			slug = ed_unique_slug(req, cur.lang, base, id);
	}
	long long source_rev = in->sync_source && cur.is_translation ? cur.original_revision : cur.source_revision;
	if (!ed_changed(&cur, &v, slug, source_rev)) {
		*new_rev = cur.revision;
		editorial_autosave_drop(req, u, id);
		return ED_OK;
	}
	long long now = ed_now();
	if (db_begin(req->db) < 0)
		return ed_fail(req, "begin");
	if (db_int(req->db, "SELECT revision FROM articles WHERE id = ?", "i", -1, id) != expected) {
		db_rollback(req->db);
		return ED_CONFLICT;
	}
	/* text saved before history was kept (the demo content) becomes the revision it claims to be */
	if (db_int(req->db, "SELECT count(*) FROM article_revisions WHERE article_id = ? AND revision = ?", "ii", 1, id,
		   cur.revision) == 0) {
		ed_vals_t old;
		ed_vals_of(&cur, &old);
		if (ed_write_revision(req, id, cur.revision, &old, cur.status, cur.author_id, cur.updated_at) < 0)
			return ed_fail(req, "record the earlier revision");
	}
	long long n = db_execf(req->db,
			       "UPDATE articles SET title = ?, lead = ?, body = ?, slug = ?, category_id = ?, cover_id = ?,"
			       " cover_caption = ?, cover_alt = ?, author = ?, source = ?, published_at = ?, source_revision = ?,"
			       " revision = revision + 1, updated_at = ? WHERE id = ? AND revision = ?",
			       "ssssiz" "ssss" "ziiii", v.title, v.lead, v.body, slug, v.category_id, v.cover_id, v.caption, v.alt,
			       v.author, v.source, v.published_at, source_rev, now, id, expected);
	if (n != 1)
		return n < 0 ? ed_fail(req, "update an article") : (db_rollback(req->db), ED_CONFLICT);
	/* a never-published article's former slugs were never public: nothing to redirect */
	if (!cur.ever_published && db_execf(req->db, "DELETE FROM article_old_slugs WHERE article_id = ?", "i", id) < 0)
		return ed_fail(req, "drop private slugs");
	if (ed_write_tags(req, id, cur.lang, &v) < 0 || ed_write_revision(req, id, expected + 1, &v, cur.status, u->id, now) < 0)
		return ed_fail(req, "store a revision");
	audit_log(req, NULL, action, "article", id, detail ? detail : arena_printf(req->arena, "revision %lld", expected + 1));
	if (db_commit(req->db) < 0)
		return ed_fail(req, "commit");
	if (strcmp(cur.status, "published") == 0)
		http_cache_invalidate();
	editorial_autosave_drop(req, u, id);
	*new_rev = expected + 1;
	return ED_OK;
}

ed_rc_t editorial_update(http_request_t *req, const auth_user_t *u, long long id, long long expected_revision,
			 const ed_input_t *in, json_t **errors, long long *new_revision)
{
	return ed_update(req, u, id, expected_revision, in, errors, new_revision, "article.edit", NULL);
}

ed_rc_t editorial_check_action(http_request_t *req, ed_action_t a, const char *comment, long long when, json_t **errors)
{
	*errors = NULL;
	if (a == ED_RETURN) {
		const char *c = ed_trim(req->arena, comment);
		if (!c || !*c)
			ed_err(req, errors, "review_comment", "Write a comment for the author.");
		else if (ed_chars(c) > ED_COMMENT_MAX)
			ed_err(req, errors, "review_comment", "The comment is too long (at most 2000 characters).");
	}
	if (a == ED_SCHEDULE) {
		if (when <= 0)
			ed_err(req, errors, "published_at", "Enter the date and time of publication.");
		else if (when - when % 60 <= ed_now())
			ed_err(req, errors, "published_at", "Choose a time in the future.");
	}
	return *errors ? ED_INVALID : ED_OK;
}

static long long ed_translations_count(http_request_t *req, long long id)
{
	return db_int(req->db, "SELECT count(*) FROM articles WHERE group_id = ? AND id <> ?", "ii", 0, id, id);
}

ed_rc_t editorial_transition(http_request_t *req, const auth_user_t *u, long long id, ed_action_t a, const char *comment,
			     long long when, json_t **errors)
{
	*errors = NULL;
	ed_article_t cur;
	ed_rc_t rc = editorial_get(req, u, id, &cur);
	if (rc != ED_OK)
		return rc;
	if ((rc = editorial_can(u, a, cur.author_id, cur.status)) != ED_OK)
		return rc;
	if (editorial_check_action(req, a, comment, when, errors) != ED_OK)
		return ED_INVALID;
	if (a == ED_DELETE && ed_translations_count(req, id) > 0)
		return ED_HAS_TRANSLATIONS;
	long long now = ed_now(), n = -1;
	const char *detail = NULL;
	if (db_begin(req->db) < 0)
		return ed_fail(req, "begin");
	switch (a) {
	case ED_SUBMIT:
	case ED_UNPUBLISH:
		n = db_execf(req->db, "UPDATE articles SET status = ?, updated_at = ? WHERE id = ? AND status = ?", "siis",
			     ed_table[a].to, now, id, cur.status);
		break;
	case ED_RETURN:
		detail = ed_trim(req->arena, comment);
		n = db_execf(req->db, "UPDATE articles SET status = 'returned', review_comment = ?, updated_at = ? WHERE id = ? AND status = ?",
			     "siis", detail, now, id, cur.status);
		break;
	case ED_PUBLISH:
		n = db_execf(req->db, "UPDATE articles SET status = 'published', published_at = ?, updated_at = ?, review_comment = ''"
				      " WHERE id = ? AND status = ?", "iiis", now, now, id, cur.status);
		break;
	case ED_SCHEDULE:
		when -= when % 60;
		detail = editorial_local_time(req->arena, when);
		n = db_execf(req->db, "UPDATE articles SET status = 'scheduled', published_at = ?, updated_at = ?, review_comment = ''"
				      " WHERE id = ? AND status = ?", "iiis", when, now, id, cur.status);
		break;
	case ED_DELETE:
		detail = cur.title;
		if (db_execf(req->db, "DELETE FROM article_revisions WHERE article_id = ?", "i", id) < 0 ||
		    db_execf(req->db, "DELETE FROM article_tags WHERE article_id = ?", "i", id) < 0 ||
		    db_execf(req->db, "DELETE FROM article_old_slugs WHERE article_id = ?", "i", id) < 0 ||
		    db_execf(req->db, "DELETE FROM autosaves WHERE article_id = ?", "i", id) < 0)
			return ed_fail(req, "delete an article's rows");
		n = db_execf(req->db, "DELETE FROM articles WHERE id = ? AND status = ?", "is", id, cur.status);
		break;
	default:
		break;
	}
	if (n < 0)
		return ed_fail(req, ed_table[a].name);
	if (n == 0) { /* someone changed the state since it was read */
		db_rollback(req->db);
		return ED_BAD_STATE;
	}
	audit_log(req, NULL, ed_table[a].audit, "article", id, detail);
	if (db_commit(req->db) < 0)
		return ed_fail(req, "commit");
	if (a == ED_PUBLISH || a == ED_UNPUBLISH || (a == ED_SCHEDULE && strcmp(cur.status, "published") == 0))
		http_cache_invalidate();
	return ED_OK;
}

/* ---- lists ----------------------------------------------------------------------------------------- */

static int ed_matches(const char *title, const char *folded_q)
{
	buf_t f;
	buf_init(&f, 16 * 1024);
	utf8_fold(title, strlen(title), &f);
	int ok = strstr(buf_cstr(&f), folded_q) != NULL;
	buf_release(&f);
	return ok;
}

json_t *editorial_list(http_request_t *req, const auth_user_t *u, const ed_filter_t *f, long long *total)
{
	*total = 0;
	if (!perm_allows(u, PERM_ARTICLE_LIST, 0, NULL))
		return json_array();
	/* an editor sees their own articles only, whatever the filter asks */
	long long author = perm_allows(u, PERM_ARTICLE_VIEW, -1, "published") ? f->author_id : u->id;
	long long per = f->per_page > 0 && f->per_page <= 200 ? f->per_page : ED_PER_PAGE;
	long long page = f->page > 0 ? f->page : 1, skip = (page - 1) * per;
	const char *q = NULL;
	if (f->q && *f->q) {
		buf_t b;
		buf_init(&b, 4096);
		char *line = ed_line(req->arena, f->q);
		utf8_fold(line, strlen(line), &b);
		q = arena_strdup(req->arena, buf_cstr(&b));
		buf_release(&b);
	}
	const char *status = f->status ? f->status : "", *lang = f->lang ? f->lang : "";
#define ED_LIST_WHERE                                                                                        \
	" WHERE (? = '' OR a.status = ?) AND (? = '' OR a.lang = ?) AND (? = 0 OR a.author_id = ?)"          \
	" AND (? = 0 OR a.category_id = ? OR a.category_id IN (SELECT id FROM categories WHERE parent_id = ?))"
#define ED_LIST_SELECT                                                                                        \
	"SELECT a.id, a.title, a.lang, a.status, a.revision, a.updated_at, coalesce(a.published_at, 0),"      \
	" coalesce(a.author_id, 0), coalesce(nullif(u.display_name, ''), u.login, ''), a.category_id,"      \
	" coalesce(ci.name, cv.name, ''), coalesce(a.group_id, 0), o.id, a.source_revision,"                \
	" coalesce(o.revision, 0), a.review_comment <> '', a.author"                                         \
	" FROM articles a LEFT JOIN users u ON u.id = a.author_id"                                          \
	" LEFT JOIN category_i18n ci ON ci.category_id = a.category_id AND ci.lang = ?"                      \
	" LEFT JOIN category_i18n cv ON cv.category_id = a.category_id AND cv.lang = 'vi'"                   \
	" LEFT JOIN articles o ON o.id = a.group_id AND o.id <> a.id" ED_LIST_WHERE                           \
	" ORDER BY a.updated_at DESC, a.id DESC"
	/* without a title search the database pages; a search folds every title in C (accents, đ → d), so it
	 * walks the filtered rows and keeps the page's share */
	long long count = 0;
	if (!q) {
		count = db_int(req->db, "SELECT count(*) FROM articles a" ED_LIST_WHERE, "ssssiiiii", -1, status, status, lang, lang,
			       author, author, f->category_id, f->category_id, f->category_id);
		if (count < 0)
			return NULL;
	}
	db_stmt_t *st = db_prepare(req->db, q ? ED_LIST_SELECT : ED_LIST_SELECT " LIMIT ? OFFSET ?");
	if (!st || db_bindf(st, "sssssiiiii", req->lang ? req->lang : "vi", status, status, lang, lang, author, author,
			    f->category_id, f->category_id, f->category_id) < 0 ||
	    (!q && (db_bind_int(st, 11, per) < 0 || db_bind_int(st, 12, skip) < 0))) {
		if (st)
			db_done(st);
		return NULL;
	}
	if (!q)
		skip = 0; /* the database skipped them */
	json_t *list = json_array();
	long long n = 0;
	int r;
	while ((r = db_step(st)) == DB_ROW) {
		if (q && !ed_matches(db_col_text(st, 1), q))
			continue;
		n++;
		if (n <= skip || n > skip + per)
			continue;
		int is_tr = !db_col_null(st, 12);
		long long srev = db_col_int(st, 13), orev = db_col_int(st, 14);
		json_array_append_new(
			list, json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:s, s:I, s:s, s:I, s:b, s:b, s:b, s:s}", "id",
					db_col_int(st, 0), "title", db_col_text(st, 1), "lang", db_col_text(st, 2), "status",
					db_col_text(st, 3), "revision", db_col_int(st, 4), "updated_at", db_col_int(st, 5),
					"published_at", db_col_int(st, 6), "author_id", db_col_int(st, 7), "author_name",
					db_col_text(st, 8), "category_id", db_col_int(st, 9), "category_name", db_col_text(st, 10),
					"group_id", db_col_int(st, 11), "is_translation", is_tr, "outdated",
					is_tr && srev > 0 && srev < orev, "has_comment", (int)db_col_int(st, 15), "byline",
					db_col_text(st, 16)));
	}
	db_done(st);
	if (r == DB_ERROR) {
		json_decref(list);
		return NULL;
	}
	*total = q ? n : count;
	return list;
}

/* ---- revisions ------------------------------------------------------------------------------------- */

json_t *editorial_revisions(http_request_t *req, const auth_user_t *u, long long id, ed_rc_t *rc)
{
	ed_article_t a;
	if ((*rc = editorial_get(req, u, id, &a)) != ED_OK)
		return NULL;
	db_stmt_t *st = db_prepare(req->db, "SELECT r.revision, r.saved_at, coalesce(r.saved_by, 0),"
					    " coalesce(nullif(u.display_name, ''), u.login, ''), r.status"
					    " FROM article_revisions r LEFT JOIN users u ON u.id = r.saved_by"
					    " WHERE r.article_id = ? ORDER BY r.revision DESC");
	if (!st || db_bindf(st, "i", id) < 0) {
		if (st)
			db_done(st);
		*rc = ED_ERROR;
		return NULL;
	}
	json_t *list = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(list, json_pack("{s:I, s:I, s:I, s:s, s:s}", "revision", db_col_int(st, 0), "saved_at",
						      db_col_int(st, 1), "saved_by", db_col_int(st, 2), "saved_by_name",
						      db_col_text(st, 3), "status", db_col_text(st, 4)));
	db_done(st);
	if (json_array_size(list) == 0) /* history not kept yet: the current text is the only revision */
		json_array_append_new(list, json_pack("{s:I, s:I, s:I, s:s, s:s}", "revision", a.revision, "saved_at", a.updated_at,
						      "saved_by", a.author_id, "saved_by_name",
						      *a.author_name ? a.author_name : a.author_login, "status", a.status));
	return list;
}

ed_rc_t editorial_revision(http_request_t *req, const auth_user_t *u, long long id, long long revision, ed_revision_t *out)
{
	memset(out, 0, sizeof(*out));
	ed_article_t a;
	ed_rc_t rc = editorial_get(req, u, id, &a);
	if (rc != ED_OK)
		return rc;
	db_stmt_t *st = db_prepare(req->db, "SELECT r.revision, r.category_id, coalesce(r.cover_id, 0), coalesce(r.saved_by, 0),"
					    " r.saved_at, r.title, r.lead, r.body, r.tags, r.cover_caption, r.cover_alt, r.status,"
					    " coalesce(nullif(u.display_name, ''), u.login, '')"
					    " FROM article_revisions r LEFT JOIN users u ON u.id = r.saved_by"
					    " WHERE r.article_id = ? AND r.revision = ?");
	if (!st || db_bindf(st, "ii", id, revision) < 0) {
		if (st)
			db_done(st);
		return ED_ERROR;
	}
	if (db_step(st) == DB_ROW) {
		out->revision = db_col_int(st, 0);
		out->category_id = db_col_int(st, 1);
		out->cover_id = db_col_int(st, 2);
		out->saved_by = db_col_int(st, 3);
		out->saved_at = db_col_int(st, 4);
		out->title = ed_col(req, st, 5);
		out->lead = ed_col(req, st, 6);
		out->body = ed_col(req, st, 7);
		out->tags = ed_col(req, st, 8);
		out->cover_caption = ed_col(req, st, 9);
		out->cover_alt = ed_col(req, st, 10);
		out->status = ed_col(req, st, 11);
		out->saved_by_name = ed_col(req, st, 12);
		db_done(st);
		return ED_OK;
	}
	db_done(st);
	/* the current text of an article without history is its revision */
	if (revision == a.revision &&
	    db_int(req->db, "SELECT count(*) FROM article_revisions WHERE article_id = ?", "i", 1, id) == 0) {
		*out = (ed_revision_t){.revision = a.revision, .category_id = a.category_id, .cover_id = a.cover_id,
				       .saved_by = a.author_id, .saved_at = a.updated_at, .title = a.title, .lead = a.lead,
				       .body = a.body, .tags = a.tags, .cover_caption = a.cover_caption, .cover_alt = a.cover_alt,
				       .status = a.status, .saved_by_name = *a.author_name ? a.author_name : a.author_login};
		return ED_OK;
	}
	return ED_NOT_FOUND;
}

ed_rc_t editorial_restore(http_request_t *req, const auth_user_t *u, long long id, long long revision,
			  long long expected_revision, long long *new_revision)
{
	ed_revision_t r;
	ed_rc_t rc = editorial_revision(req, u, id, revision, &r);
	if (rc != ED_OK)
		return rc;
	ed_input_t in = {.title = r.title, .lead = r.lead, .body = r.body, .tags = r.tags, .cover_caption = r.cover_caption,
			 .cover_alt = r.cover_alt, .category_id = r.category_id, .cover_id = r.cover_id};
	json_t *errors = NULL;
	rc = ed_update(req, u, id, expected_revision, &in, &errors, new_revision, "article.restore",
		       arena_printf(req->arena, "revision %lld from %lld", expected_revision + 1, revision));
	json_decref(errors);
	return rc;
}

/* ---- translations ---------------------------------------------------------------------------------- */

ed_rc_t editorial_translate(http_request_t *req, const auth_user_t *u, long long id, const char *lang, long long *new_id)
{
	ed_article_t o;
	ed_rc_t rc = editorial_get(req, u, id, &o);
	if (rc != ED_OK)
		return rc;
	if (!perm_allows(u, PERM_ARTICLE_CREATE, u->id, "draft"))
		return ED_FORBIDDEN;
	if (o.is_translation || (o.group_id && o.group_id != o.id) || !ed_lang_ok(lang) || strcmp(lang, o.lang) == 0)
		return ED_BAD_STATE;
	long long existing = db_int(req->db, "SELECT id FROM articles WHERE lang = ? AND (group_id = ? OR id = ?) AND id <> ?",
				    "siii", 0, lang, id, id, id);
	if (existing) {
		ed_article_t t;
		*new_id = editorial_get(req, u, existing, &t) == ED_OK ? existing : 0;
		return ED_EXISTS;
	}
	long long now = ed_now();
	ed_vals_t v;
	ed_vals_of(&o, &v);
	v.lang = lang;
	json_t *tag_errors = NULL;
	ed_parse_tags(req, o.tags, &v, &tag_errors);
	json_decref(tag_errors);
	if (db_begin(req->db) < 0)
		return ed_fail(req, "begin");
	const char *base = ed_slugify(req, o.title);
	if (!*base || strcmp(lang, "zh") == 0) /* Chinese has no ASCII fold: a translation takes its original's slug */
		base = o.slug;
	const char *slug = ed_unique_slug(req, lang, base, 0);
	if (db_execf(req->db, "UPDATE articles SET group_id = id WHERE id = ? AND group_id IS NULL", "i", id) < 0 ||
	    db_execf(req->db,
		     "INSERT INTO articles (lang, group_id, category_id, slug, title, lead, body, cover_id, cover_caption, cover_alt,"
		     " author, source, status, created_at, updated_at, revision, author_id, source_revision)"
		     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, 1, ?, ?)",
		     "siissssz" "ssss" "iiii", lang, id, o.category_id, slug, o.title, o.lead, o.body, o.cover_id, o.cover_caption,
		     o.cover_alt, o.author, o.source, now, now, u->id, o.revision) != 1)
		return ed_fail(req, "insert a translation");
	long long nid = db_last_id(req->db);
	if (ed_write_tags(req, nid, lang, &v) < 0 || ed_write_revision(req, nid, 1, &v, "draft", u->id, now) < 0)
		return ed_fail(req, "store a translation");
	audit_log(req, NULL, "article.create", "article", nid, arena_printf(req->arena, "translation (%s) of article %lld", lang, id));
	if (db_commit(req->db) < 0)
		return ed_fail(req, "commit");
	*new_id = nid;
	return ED_OK;
}

json_t *editorial_translations(http_request_t *req, const auth_user_t *u, const ed_article_t *a, json_t **missing)
{
	json_t *list = json_array();
	long long group = a->is_translation ? a->group_id : a->id;
	int have[3] = {0};
	for (int i = 0; i < 3; i++)
		have[i] = strcmp(a->lang, ed_langs[i]) == 0;
	db_stmt_t *st = db_prepare(req->db, "SELECT id, lang, title, status, coalesce(author_id, 0), source_revision, revision"
					    " FROM articles WHERE (group_id = ? OR id = ?) AND id <> ? ORDER BY id");
	long long orig_rev = a->is_translation ? a->original_revision : a->revision;
	if (st && db_bindf(st, "iii", group, group, a->id) == 0)
		while (db_step(st) == DB_ROW) {
			long long id = db_col_int(st, 0), srev = db_col_int(st, 5);
			const char *status = db_col_text(st, 3);
			int viewable = perm_allows(u, PERM_ARTICLE_VIEW, db_col_int(st, 4), status), original = id == group;
			for (int i = 0; i < 3; i++)
				have[i] |= strcmp(db_col_text(st, 1), ed_langs[i]) == 0;
			json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:b, s:b, s:b}", "id", id, "lang",
							      db_col_text(st, 1), "title", viewable ? db_col_text(st, 2) : "",
							      "status", status, "outdated", !original && srev > 0 && srev < orig_rev,
							      "is_original", original, "viewable", viewable));
		}
	if (st)
		db_done(st);
	if (missing) {
		*missing = json_array();
		if (!a->is_translation)
			for (int i = 0; i < 3; i++)
				if (!have[i])
					json_array_append_new(*missing, json_string(ed_langs[i]));
	}
	return list;
}

/* ---- autosaves ------------------------------------------------------------------------------------- */

ed_rc_t editorial_autosave_put(http_request_t *req, const auth_user_t *u, long long id, const char *data)
{
	if (!u || !data)
		return ED_FORBIDDEN;
	if (strlen(data) > ED_AUTOSAVE_MAX)
		return ED_INVALID;
	if (id > 0) {
		ed_article_t a;
		ed_rc_t rc = editorial_get(req, u, id, &a);
		if (rc != ED_OK)
			return rc;
		if (!editorial_can_edit(u, a.author_id, a.status))
			return ED_FORBIDDEN;
	} else if (!perm_allows(u, PERM_ARTICLE_CREATE, u->id, "draft")) {
		return ED_FORBIDDEN;
	}
	if (db_execf(req->db, "INSERT INTO autosaves (user_id, article_id, data, saved_at) VALUES (?, ?, ?, ?)"
			      " ON CONFLICT (user_id, article_id) DO UPDATE SET data = excluded.data, saved_at = excluded.saved_at",
		     "iisi", u->id, id > 0 ? id : 0LL, data, ed_now()) < 0) {
		log_msg(LOG_ERR, req->rid, "editorial: cannot autosave: %s", db_errmsg(req->db));
		return ED_ERROR;
	}
	return ED_OK;
}

const char *editorial_autosave_get(http_request_t *req, const auth_user_t *u, long long id, long long *saved_at)
{
	const char *data = NULL;
	db_stmt_t *st = db_prepare(req->db, "SELECT data, saved_at FROM autosaves WHERE user_id = ? AND article_id = ?");
	if (u && st && db_bindf(st, "ii", u->id, id) == 0 && db_step(st) == DB_ROW) {
		data = ed_col(req, st, 0);
		*saved_at = db_col_int(st, 1);
	}
	if (st)
		db_done(st);
	return data;
}

void editorial_autosave_drop(http_request_t *req, const auth_user_t *u, long long id)
{
	if (u)
		db_execf(req->db, "DELETE FROM autosaves WHERE user_id = ? AND article_id = ?", "ii", u->id, id);
}

/* ---- scheduled publishing -------------------------------------------------------------------------- */

int editorial_publish_due(db_t *db)
{
	long long now = ed_now();
	if (db_int(db, "SELECT count(*) FROM articles WHERE status = 'scheduled' AND published_at <= ?", "i", 0, now) == 0)
		return 0;
	arena_t arena;
	arena_init(&arena, 1u << 20);
	/* the audit log takes a request: this one has no user, so the entries name "system" */
	http_request_t req = {.arena = &arena, .db = db, .method = "POST", .path = "/", .raw_path = "/", .query = "",
			      .lang = "vi", .prefix = "", .remote = ""};
	long long ids[256];
	int n = 0, done = 0;
	db_stmt_t *st = db_prepare(db, "SELECT id FROM articles WHERE status = 'scheduled' AND published_at <= ?"
				       " ORDER BY published_at, id LIMIT 256");
	if (!st || db_bindf(st, "i", now) < 0) {
		if (st)
			db_done(st);
		arena_release(&arena);
		return -1;
	}
	while (n < 256 && db_step(st) == DB_ROW)
		ids[n++] = db_col_int(st, 0);
	db_done(st);
	for (int i = 0; i < n; i++) {
		if (db_begin(db) < 0)
			break;
		/* another server process may have published it in the meantime */
		long long k = db_execf(db, "UPDATE articles SET status = 'published', review_comment = ''"
					   " WHERE id = ? AND status = 'scheduled' AND published_at <= ?", "ii", ids[i], now);
		if (k == 1)
			audit_log(&req, "system", "article.publish", "article", ids[i], "scheduled");
		if (k < 0 || db_commit(db) < 0) {
			db_rollback(db);
			continue;
		}
		done += k == 1;
	}
	arena_release(&arena);
	if (done)
		http_cache_invalidate();
	return done;
}

/* ---- categories and JSON --------------------------------------------------------------------------- */

#define ED_MAX_CATEGORIES 1000
#define ED_MAX_DEPTH 8

typedef struct ed_cat {
	long long id, parent;
	const char *name;
	int used;
} ed_cat_t;

static void ed_cat_add(http_request_t *req, json_t *list, ed_cat_t *c, int depth)
{
	buf_t label;
	buf_init(&label, 4096);
	for (int k = 0; k < depth; k++)
		buf_puts(&label, "— ");
	buf_puts(&label, c->name);
	json_array_append_new(list, json_pack("{s:I, s:s, s:i, s:s}", "id", c->id, "name", c->name, "depth", depth, "label",
					      buf_cstr(&label)));
	buf_release(&label);
	c->used = 1;
}

static void ed_cat_walk(http_request_t *req, json_t *list, ed_cat_t *c, int n, long long parent, int depth)
{
	if (depth > ED_MAX_DEPTH)
		return;
	for (int i = 0; i < n; i++)
		if (!c[i].used && c[i].parent == parent) {
			ed_cat_add(req, list, &c[i], depth);
			ed_cat_walk(req, list, c, n, c[i].id, depth + 1);
		}
}

json_t *editorial_categories(http_request_t *req, const char *lang)
{
	json_t *list = json_array();
	ed_cat_t *c = arena_alloc(req->arena, ED_MAX_CATEGORIES * sizeof(*c));
	int n = 0;
	db_stmt_t *st = db_prepare(req->db, "SELECT c.id, coalesce(c.parent_id, 0), coalesce(ci.name, cv.name, '')"
					    " FROM categories c LEFT JOIN category_i18n ci ON ci.category_id = c.id AND ci.lang = ?"
					    " LEFT JOIN category_i18n cv ON cv.category_id = c.id AND cv.lang = 'vi'"
					    " ORDER BY c.position, c.id");
	if (!c || !st || db_bindf(st, "s", lang) < 0) {
		if (st)
			db_done(st);
		return list;
	}
	while (n < ED_MAX_CATEGORIES && db_step(st) == DB_ROW) {
		c[n].id = db_col_int(st, 0);
		c[n].parent = db_col_int(st, 1);
		const char *name = db_col_text(st, 2);
		c[n].name = *name ? arena_strdup(req->arena, name) : arena_printf(req->arena, "#%lld", c[n].id);
		n++;
	}
	db_done(st);
	for (int i = 0; i < n; i++) { /* a parent that does not exist counts as none */
		int known = 0;
		for (int k = 0; k < n && !known; k++)
			known = c[k].id == c[i].parent;
		if (!known)
			c[i].parent = 0;
	}
	ed_cat_walk(req, list, c, n, 0, 0);
	for (int i = 0; i < n; i++) /* whatever a cycle or the depth cap kept out of the tree */
		if (!c[i].used)
			ed_cat_add(req, list, &c[i], 0);
	return list;
}

json_t *editorial_article_json(const ed_article_t *a)
{
	return json_pack("{s:I, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
			 " s:I, s:I, s:I, s:I, s:I, s:I, s:{s:I, s:s, s:s}, s:b, s:b, s:b}",
			 "id", a->id, "lang", a->lang, "group_id", a->group_id, "category_id", a->category_id, "slug", a->slug,
			 "title", a->title, "lead", a->lead, "body", a->body, "tags", a->tags, "cover_id", a->cover_id,
			 "cover_name", a->cover_name, "cover_caption", a->cover_caption, "cover_alt", a->cover_alt, "author",
			 a->author, "source", a->source, "status", a->status, "review_comment", a->review_comment,
			 "published_at", a->published_at, "created_at", a->created_at, "updated_at", a->updated_at, "revision",
			 a->revision, "source_revision", a->source_revision, "original_revision", a->original_revision,
			 "owner", "id", a->author_id, "login", a->author_login, "name", a->author_name, "is_translation",
			 a->is_translation, "outdated", a->outdated, "ever_published", a->ever_published);
}
