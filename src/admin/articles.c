/* articles: the staff area's article lists, editor, workflow, revisions and translations.  The pages are
 * plain forms that work without JavaScript; static/js/editor.js adds the toolbar, the live preview and
 * autosave.  Every decision about who may do what is made by news/editorial.c. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "admin/admin.h"
#include "db/db.h"
#include "http/server.h"
#include "news/diff.h"
#include "news/editorial.h"
#include "news/news.h"
#include "view/md.h"

static void art_list(http_request_t *req, http_response_t *res);
static void art_new(http_request_t *req, http_response_t *res);
static void art_create(http_request_t *req, http_response_t *res);
static void art_edit(http_request_t *req, http_response_t *res);
static void art_save(http_request_t *req, http_response_t *res);
static void art_action(http_request_t *req, http_response_t *res);
static void art_preview(http_request_t *req, http_response_t *res);
static void art_preview_fragment(http_request_t *req, http_response_t *res);
static void art_autosave(http_request_t *req, http_response_t *res);
static void art_autosave_discard(http_request_t *req, http_response_t *res);
static void art_history(http_request_t *req, http_response_t *res);
static void art_diff(http_request_t *req, http_response_t *res);
static void art_revision(http_request_t *req, http_response_t *res);
static void art_restore(http_request_t *req, http_response_t *res);
static void art_translate(http_request_t *req, http_response_t *res);
static void art_delete_confirm(http_request_t *req, http_response_t *res);

/* Specific paths come before the "*" patterns that would also match them. */
const app_route_t admin_article_routes[] = {
	{"GET", "vi en zh", "/admin/articles", art_list},
	{"GET", "vi en zh", "/admin/articles/new", art_new},
	{"POST", "vi en zh", "/admin/articles/new", art_create},
	{"POST", "vi en zh", "/admin/articles/preview", art_preview},
	{"POST", "vi en zh", "/admin/articles/preview-fragment", art_preview_fragment},
	{"POST", "vi en zh", "/admin/articles/autosave", art_autosave},
	{"GET", "vi en zh", "/admin/articles/*", art_edit},
	{"POST", "vi en zh", "/admin/articles/*", art_save},
	{"GET", "vi en zh", "/admin/articles/*/history", art_history},
	{"GET", "vi en zh", "/admin/articles/*/diff", art_diff},
	{"GET", "vi en zh", "/admin/articles/*/revisions/*", art_revision},
	{"POST", "vi en zh", "/admin/articles/*/restore", art_restore},
	{"POST", "vi en zh", "/admin/articles/*/translate", art_translate},
	{"POST", "vi en zh", "/admin/articles/*/autosave-discard", art_autosave_discard},
	{"GET", "vi en zh", "/admin/articles/*/delete", art_delete_confirm},
	{"POST", "vi en zh", "/admin/articles/*/*", art_action},
	{NULL, NULL, NULL, NULL},
};

static const struct {
	const char *code, *label;
} art_langs[] = {{"vi", "Tiếng Việt"}, {"en", "English"}, {"zh", "中文"}};

static const char *const art_states[] = {"draft", "pending", "returned", "scheduled", "published", "unpublished"};

/* The form fields an editor page carries (and autosave stores), in the order errors are listed. */
static const struct {
	const char *name, *label;
} art_fields[] = {
	{"title", "Title"},
	{"slug", "Address (slug)"},
	{"lead", "Lead"},
	{"body", "Body"},
	{"tags", "Tags"},
	{"lang", "Language"},
	{"category_id", "Category"},
	{"published_at", "Publication time"},
	{"author", "Author"},
	{"source", "Source"},
	{"cover_id", "Cover image"},
	{"cover_caption", "Cover caption"},
	{"cover_alt", "Cover alt text"},
	{"review_comment", "Comment for the author"},
};
#define ART_NFIELDS (sizeof(art_fields) / sizeof(art_fields[0]))

/* ---- small helpers --------------------------------------------------------------------------------- */

static const char *S(const char *s)
{
	return s ? s : "";
}


static const char *art_url(http_request_t *req, long long id, const char *rest)
{
	return admin_url(req, arena_printf(req->arena, "/articles/%lld%s", id, S(rest)));
}

static const char *art_lang_label(const char *code)
{
	for (size_t i = 0; i < 3; i++)
		if (strcmp(code, art_langs[i].code) == 0)
			return art_langs[i].label;
	return code;
}

static const char *art_date(http_request_t *req, long long t)
{
	return t > 0 ? app_date(req->arena, req->lang, t, 1) : "";
}

static int art_is(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* Answers an editorial error as a page: 404 for what the user may not see, 403, 409 … */
static void art_fail(http_request_t *req, http_response_t *res, ed_rc_t rc)
{
	switch (rc) {
	case ED_NOT_FOUND: app_error(req, res, 404); break;
	case ED_FORBIDDEN: admin_forbidden(req, res); break;
	default: app_error(req, res, rc == ED_ERROR ? 500 : 400); break;
	}
	res->cache_ttl = -1;
}

static const char *art_flash_for(ed_action_t a)
{
	switch (a) {
	case ED_SUBMIT: return "Submitted for review.";
	case ED_RETURN: return "Returned to the author with your comment.";
	case ED_PUBLISH: return "Published.";
	case ED_SCHEDULE: return "Scheduled.";
	case ED_UNPUBLISH: return "Unpublished.";
	case ED_DELETE: return "The article was deleted.";
	default: return "Saved.";
	}
}

/* ---- the list -------------------------------------------------------------------------------------- */

static json_t *art_options(http_request_t *req, const char *const *codes, size_t n, const char *selected, int label_msgid)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", codes[i], "label",
						      label_msgid ? app_t_(req, codes[i]) : art_lang_label(codes[i]), "selected",
						      art_is(codes[i], selected)));
	return list;
}

static json_t *art_category_options(http_request_t *req, long long selected)
{
	json_t *cats = editorial_categories(req, req->lang);
	size_t i;
	json_t *c;
	json_array_foreach(cats, i, c)
	{
		json_object_set_new(c, "selected", json_boolean(json_integer_value(json_object_get(c, "id")) == selected));
	}
	return cats;
}

/* The list URL with the current filters and page p. */
static const char *art_list_url(http_request_t *req, const char *const keys[], const char *const vals[], int n, long long p)
{
	buf_t b;
	buf_init(&b, 8192);
	buf_puts(&b, admin_url(req, "/articles"));
	char sep = '?';
	for (int i = 0; i < n; i++)
		if (vals[i] && *vals[i]) {
			buf_appendf(&b, "%c%s=", sep, keys[i]);
			buf_append_url(&b, vals[i], strlen(vals[i]));
			sep = '&';
		}
	if (p > 1)
		buf_appendf(&b, "%cpage=%lld", sep, p);
	const char *s = arena_strdup(req->arena, buf_cstr(&b));
	buf_release(&b);
	return s;
}

static void art_list(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = admin_require(req, res, PERM_ARTICLE_LIST, 0, NULL);
	if (!u)
		return;
	int sees_all = perm_allows(u, PERM_ARTICLE_VIEW, -1, "published");
	ed_filter_t f = {.status = http_query(req, "status"), .lang = http_query(req, "lang"), .q = http_query(req, "q"),
			 .author_id = sees_all ? http_query_int(req, "author", 0, 1LL << 50, 0) : 0,
			 .category_id = http_query_int(req, "category", 0, 1LL << 50, 0),
			 .page = http_query_int(req, "page", 1, 100000, 1)};
	int status_ok = 0;
	for (size_t i = 0; i < 6; i++)
		status_ok |= art_is(f.status, art_states[i]);
	if (!status_ok)
		f.status = NULL;
	if (!art_is(f.lang, "vi") && !art_is(f.lang, "en") && !art_is(f.lang, "zh"))
		f.lang = NULL;
	long long total = 0;
	json_t *items = editorial_list(req, u, &f, &total);
	if (!items) {
		app_error(req, res, 500);
		return;
	}
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		long long id = json_integer_value(json_object_get(it, "id"));
		const char *st = json_string_value(json_object_get(it, "status"));
		json_object_set_new(it, "url", json_string(art_url(req, id, NULL)));
		json_object_set_new(it, "status_label", json_string(app_t_(req, st)));
		json_object_set_new(it, "lang_label", json_string(art_lang_label(json_string_value(json_object_get(it, "lang")))));
		json_object_set_new(it, "updated", json_string(art_date(req, json_integer_value(json_object_get(it, "updated_at")))));
		json_object_set_new(it, "updated_iso", json_string(app_iso(req->arena, json_integer_value(json_object_get(it, "updated_at")))));
		long long pub = json_integer_value(json_object_get(it, "published_at"));
		if (pub && (art_is(st, "published") || art_is(st, "scheduled")))
			json_object_set_new(it, "published", json_string(art_date(req, pub)));
		json_object_set_new(it, "returned", json_boolean(art_is(st, "returned")));
		const char *who = json_string_value(json_object_get(it, "author_name"));
		if (!who || !*who)
			json_object_set_new(it, "author_name", json_object_get(it, "byline") ? json_copy(json_object_get(it, "byline")) : json_string(""));
	}
	json_t *ctx = admin_ctx(req, app_t_(req, "Articles"), "articles");
	json_object_set_new(ctx, "has_articles", json_boolean(json_array_size(items) > 0));
	json_object_set_new(ctx, "articles", items);
	json_object_set_new(ctx, "total", json_integer(total));
	json_object_set_new(ctx, "new_url", json_string(admin_url(req, "/articles/new")));
	json_object_set_new(ctx, "list_url", json_string(admin_url(req, "/articles")));
	json_object_set_new(ctx, "q", json_string(S(f.q)));
	json_object_set_new(ctx, "states", art_options(req, art_states, 6, f.status, 1));
	static const char *const langs[] = {"vi", "en", "zh"};
	json_object_set_new(ctx, "langs_filter", art_options(req, langs, 3, f.lang, 0));
	json_object_set_new(ctx, "categories", art_category_options(req, f.category_id));
	if (sees_all) {
		json_t *authors = json_array();
		db_stmt_t *st = db_prepare(req->db, "SELECT id, coalesce(nullif(display_name, ''), login) FROM users ORDER BY 2");
		if (st)
			while (db_step(st) == DB_ROW)
				json_array_append_new(authors, json_pack("{s:I, s:s, s:b}", "id", db_col_int(st, 0), "name",
									 db_col_text(st, 1), "selected", db_col_int(st, 0) == f.author_id));
		if (st)
			db_done(st);
		json_object_set_new(ctx, "authors", authors);
		json_object_set_new(ctx, "show_authors", json_true());
	}
	/* pager: the filters stay */
	long long pages = (total + ED_PER_PAGE - 1) / ED_PER_PAGE;
	if (pages > 1) {
		const char *cat = f.category_id ? arena_printf(req->arena, "%lld", f.category_id) : NULL;
		const char *au = f.author_id ? arena_printf(req->arena, "%lld", f.author_id) : NULL;
		const char *const keys[] = {"status", "lang", "category", "author", "q"};
		const char *const vals[] = {f.status, f.lang, cat, au, f.q};
		json_t *p = json_pack("{s:I, s:I}", "page", f.page, "pages", pages);
		if (f.page > 1)
			json_object_set_new(p, "prev_url", json_string(art_list_url(req, keys, vals, 5, f.page - 1)));
		if (f.page < pages)
			json_object_set_new(p, "next_url", json_string(art_list_url(req, keys, vals, 5, f.page + 1)));
		json_object_set_new(ctx, "pager", p);
	}
	json_object_set_new(ctx, "filtered", json_boolean(f.status || f.lang || f.category_id || f.author_id || (f.q && *f.q)));
	admin_render(req, res, "admin/articles/list", ctx);
}

/* ---- the editor ------------------------------------------------------------------------------------ */

/* Form values of an article as stored. */
static json_t *art_vals_article(http_request_t *req, const ed_article_t *a)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:b}", "title", a->title,
			 "slug", a->slug, "lead", a->lead, "body", a->body, "tags", a->tags, "lang", a->lang, "category_id",
			 arena_printf(req->arena, "%lld", a->category_id), "cover_id", arena_printf(req->arena, "%lld", a->cover_id),
			 "cover_caption", a->cover_caption, "cover_alt", a->cover_alt, "author", a->author, "source", a->source,
			 "published_at", a->published_at ? editorial_local_time(req->arena, a->published_at) : "",
			 "review_comment", "", "revision", a->revision, "sync_source", 0);
}

/* Form values as the user sent them (kept verbatim when the form is shown again). */
static json_t *art_vals_form(http_request_t *req, const form_t *f, const ed_article_t *a)
{
	json_t *v = a ? art_vals_article(req, a) : json_object();
	for (size_t i = 0; i < ART_NFIELDS; i++) {
		const char *s = f ? form_get(f, art_fields[i].name) : NULL;
		if (s || !a)
			json_object_set_new(v, art_fields[i].name, json_string(S(s)));
	}
	if (f && !form_get(f, "cover_id") && a)
		json_object_set_new(v, "cover_id", json_string(arena_printf(req->arena, "%lld", a->cover_id)));
	json_object_set_new(v, "revision", json_integer(admin_id(f ? form_get(f, "revision") : NULL)));
	json_object_set_new(v, "sync_source", json_boolean(f && form_get(f, "sync_source")));
	return v;
}

/* Form values restored from an autosave (a JSON object of fields); the rest from base. */
static json_t *art_vals_autosave(const char *data, json_t *base)
{
	json_t *saved = json_loads(data, 0, NULL);
	for (size_t i = 0; saved && i < ART_NFIELDS; i++) {
		json_t *x = json_object_get(saved, art_fields[i].name);
		if (json_is_string(x) && strcmp(art_fields[i].name, "lang") != 0)
			json_object_set(base, art_fields[i].name, x);
	}
	json_decref(saved);
	return base;
}

static ed_input_t art_input(const form_t *f)
{
	ed_input_t in = {
		.title = form_get(f, "title"), .lead = form_get(f, "lead"), .body = form_get(f, "body"),
		.tags = form_get(f, "tags"), .slug = form_get(f, "slug"), .cover_caption = form_get(f, "cover_caption"),
		.cover_alt = form_get(f, "cover_alt"), .author = form_get(f, "author"), .source = form_get(f, "source"),
		.published_at = form_get(f, "published_at"), .lang = form_get(f, "lang"),
		.sync_source = form_get(f, "sync_source") != NULL,
	};
	const char *c = form_get(f, "category_id");
	in.category_id = !c ? 0 : admin_id(c) ? admin_id(c) : -1;
	const char *cv = form_get(f, "cover_id");
	in.cover_id = !cv ? -1 : admin_id(cv);
	return in;
}

/* Recent images for the cover picker (and the toolbar's image dialog), the current one included. */
static json_t *art_covers(http_request_t *req, long long current)
{
	json_t *list = json_array();
	db_stmt_t *st = db_prepare(req->db, "SELECT id, name, alt, caption FROM media WHERE id = ? OR id IN"
					    " (SELECT id FROM media ORDER BY id DESC LIMIT 24) ORDER BY id = ? DESC, id DESC");
	if (st && db_bindf(st, "ii", current, current) == 0)
		while (db_step(st) == DB_ROW) {
			long long id = db_col_int(st, 0);
			const char *name = db_col_text(st, 1);
			json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "id", id, "thumb",
							      arena_printf(req->arena, "/media/%s-480.jpg", name), "src",
							      arena_printf(req->arena, "/media/%s.jpg", name), "alt", db_col_text(st, 2),
							      "caption", db_col_text(st, 3), "checked", id == current));
		}
	if (st)
		db_done(st);
	return list;
}

typedef struct art_page {
	const ed_article_t *a; /* NULL: a new article */
	json_t *vals;          /* form values (taken over) */
	json_t *errors;        /* {field: message} or NULL (taken over) */
	const char *alert;     /* a form-level error (msgid) */
	json_t *conflict;      /* the stale-save notice (taken over) */
	const char *notice;    /* a form-level notice (msgid) */
	int status;
} art_page_t;

static void art_editor(http_request_t *req, http_response_t *res, const auth_user_t *u, art_page_t *p)
{
	const ed_article_t *a = p->a;
	long long author = a ? a->author_id : u->id;
	const char *status = a ? a->status : "draft";
	int can_edit = a ? editorial_can_edit(u, author, status) : 1;
	const char *heading = a ? app_t_(req, "Edit article") : app_t_(req, "New article");
	json_t *ctx = admin_ctx(req, heading, "articles");
	json_object_set_new(ctx, "heading", json_string(heading));
	json_object_set_new(ctx, "list_url", json_string(admin_url(req, "/articles")));
	json_t *vals = p->vals;
	const char *lang = a ? a->lang : json_string_value(json_object_get(vals, "lang"));
	lang = art_is(lang, "en") ? "en" : art_is(lang, "zh") ? "zh" : "vi"; /* a literal: vals' string is replaced below */
	json_object_set_new(vals, "lang", json_string(lang));
	json_object_set_new(vals, "action", json_string(a ? art_url(req, a->id, NULL) : admin_url(req, "/articles/new")));
	json_object_set_new(vals, "preview_url", json_string(admin_url(req, "/articles/preview")));
	json_object_set_new(vals, "fragment_url", json_string(admin_url(req, "/articles/preview-fragment")));
	json_object_set_new(vals, "autosave_url", json_string(admin_url(req, "/articles/autosave")));
	json_object_set_new(vals, "id", json_integer(a ? a->id : 0));
	json_object_set_new(vals, "updated_ms", json_integer(a ? a->updated_at * 1000 : 0));
	json_object_set_new(vals, "readonly", json_boolean(!can_edit));
	json_object_set_new(vals, "user", json_string(u->login));
	json_object_set_new(ctx, "form", vals);
	json_object_set_new(ctx, "editor_js", json_string(S(http_static_url("js/editor.js"))));

	/* per-field error and the ids that describe each input */
	static const char *const hinted[] = {"title", "slug", "lead", "body", "tags", "published_at", "cover_alt"};
	json_t *fields = json_object(), *summary = json_array();
	for (size_t i = 0; i < ART_NFIELDS; i++) {
		const char *name = art_fields[i].name;
		const char *err = p->errors ? json_string_value(json_object_get(p->errors, name)) : NULL;
		int hint = 0;
		for (size_t k = 0; k < sizeof(hinted) / sizeof(hinted[0]); k++)
			hint |= strcmp(hinted[k], name) == 0;
		const char *by = arena_printf(req->arena, "%s%s%s%s", hint ? name : "", hint ? "-hint" : "",
					      err ? (hint ? " " : "") : "", err ? arena_printf(req->arena, "%s-error", name) : "");
		json_t *fo = json_pack("{s:s}", "describedby", by);
		if (err) {
			json_object_set_new(fo, "error", json_string(err));
			json_array_append_new(summary, json_pack("{s:s, s:s, s:s}", "field", name, "label", app_t_(req, art_fields[i].label),
								 "message", err));
		}
		json_object_set_new(fields, name, fo);
	}
	json_object_set_new(ctx, "fields", fields);
	json_object_set_new(ctx, "has_errors", json_boolean(json_array_size(summary) > 0));
	json_object_set_new(ctx, "error_list", summary);
	json_decref(p->errors);
	if (p->alert)
		json_object_set_new(ctx, "alert", json_string(app_t_(req, p->alert)));
	if (p->notice)
		json_object_set_new(ctx, "notice", json_string(app_t_(req, p->notice)));
	if (p->conflict)
		json_object_set_new(ctx, "conflict", p->conflict);

	/* choices */
	long long cat = admin_id(json_string_value(json_object_get(vals, "category_id")));
	json_object_set_new(ctx, "categories", art_category_options(req, cat));
	long long cover = admin_id(json_string_value(json_object_get(vals, "cover_id")));
	json_object_set_new(ctx, "covers", art_covers(req, cover));
	json_object_set_new(ctx, "no_cover", json_boolean(cover == 0));
	json_object_set_new(ctx, "media_url", json_string(admin_url(req, "/media")));
	if (!a) {
		static const char *const langs[] = {"vi", "en", "zh"};
		json_object_set_new(ctx, "lang_choice", art_options(req, langs, 3, lang, 0));
	}
	json_object_set_new(ctx, "lang_label", json_string(art_lang_label(lang)));

	/* what this user may do now */
	json_t *b = json_object();
	json_object_set_new(b, "save", json_boolean(can_edit));
	json_object_set_new(b, "save_label", json_string(app_t_(req, art_is(status, "draft") || art_is(status, "returned") ? "Save draft" : "Save changes")));
	for (int k = 0; k < ED__NACTIONS; k++)
		json_object_set_new(b, editorial_action_name((ed_action_t)k),
				    json_boolean(editorial_can(u, (ed_action_t)k, author, status) == ED_OK && (a || k != ED_DELETE) &&
						 (a || k != ED_RETURN) && (a || k != ED_UNPUBLISH)));
	json_object_set_new(ctx, "can", b);

	if (a) {
		json_t *art = json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s}", "id", a->id, "status", a->status,
					"status_label", app_t_(req, a->status), "revision", a->revision, "owner",
					*a->author_name ? a->author_name : *a->author_login ? a->author_login : "—", "updated",
					art_date(req, a->updated_at), "history_url", art_url(req, a->id, "/history"), "delete_url",
					art_url(req, a->id, "/delete"), "translate_url", art_url(req, a->id, "/translate"));
		if (art_is(a->status, "published") && a->published_at <= (long long)time(NULL))
			json_object_set_new(art, "public_url", json_string(news_url(req->arena, a->lang, 'a', a->slug)));
		if (art_is(a->status, "scheduled"))
			json_object_set_new(art, "scheduled_for", json_string(art_date(req, a->published_at)));
		if (art_is(a->status, "returned") && *a->review_comment)
			json_object_set_new(art, "review_comment", json_string(a->review_comment));
		json_t *missing = NULL;
		json_t *tr = editorial_translations(req, u, a, &missing);
		size_t i;
		json_t *t;
		json_array_foreach(tr, i, t)
		{
			json_object_set_new(t, "lang_label", json_string(art_lang_label(json_string_value(json_object_get(t, "lang")))));
			json_object_set_new(t, "status_label", json_string(app_t_(req, json_string_value(json_object_get(t, "status")))));
			if (json_is_true(json_object_get(t, "viewable")))
				json_object_set_new(t, "url", json_string(art_url(req, json_integer_value(json_object_get(t, "id")), NULL)));
		}
		json_object_set_new(art, "has_translations", json_boolean(json_array_size(tr) > 0));
		json_object_set_new(art, "translations", tr);
		json_t *miss = json_array();
		json_array_foreach(missing, i, t)
		{
			json_array_append_new(miss, json_pack("{s:s, s:s}", "code", json_string_value(t), "label",
							      art_lang_label(json_string_value(t))));
		}
		json_decref(missing);
		if (perm_allows(u, PERM_ARTICLE_CREATE, u->id, "draft"))
			json_object_set_new(art, "translate_to", miss);
		else
			json_decref(miss);
		if (a->is_translation) {
			json_object_set_new(art, "is_translation", json_true());
			json_object_set_new(art, "original_revision", json_integer(a->original_revision));
			json_object_set_new(art, "source_revision", json_integer(a->source_revision));
			if (a->outdated) {
				json_object_set_new(art, "outdated", json_true());
				json_object_set_new(art, "source_diff_url",
						    json_string(arena_printf(req->arena, "%s?from=%lld&to=%lld", art_url(req, a->group_id, "/diff"),
									     a->source_revision, a->original_revision)));
			}
		}
		json_object_set_new(ctx, "article", art);
	}
	/* an unsaved autosave newer than what is stored */
	if (can_edit && !json_object_get(ctx, "notice") && !p->conflict && !p->errors) {
		long long at = 0;
		const char *data = editorial_autosave_get(req, u, a ? a->id : 0, &at);
		if (data && (!a || at >= a->updated_at)) {
			json_t *saved = json_loads(data, 0, NULL);
			int differs = 0;
			static const char *const keys[] = {"title", "lead", "body", "tags"};
			for (size_t k = 0; saved && k < 4; k++) {
				const char *x = json_string_value(json_object_get(saved, keys[k]));
				const char *y = json_string_value(json_object_get(vals, keys[k]));
				differs |= x && strcmp(x, S(y)) != 0;
			}
			json_decref(saved);
			if (differs)
				json_object_set_new(ctx, "autosave_offer",
						    json_pack("{s:s, s:I, s:s, s:s}", "at", art_date(req, at), "at_ms", at * 1000, "restore_url",
							      arena_printf(req->arena, "%s?restore=autosave",
									   a ? art_url(req, a->id, NULL) : admin_url(req, "/articles/new")),
							      "discard_url", art_url(req, a ? a->id : 0, "/autosave-discard")));
		}
	}
	admin_render(req, res, "admin/articles/edit", ctx);
	if (p->status)
		res->status = p->status;
}

static void art_new(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = admin_require(req, res, PERM_ARTICLE_CREATE, 0, "draft");
	if (!u)
		return;
	json_t *vals = art_vals_form(req, NULL, NULL);
	const char *lang = http_query(req, "lang");
	json_object_set_new(vals, "lang", json_string(lang ? lang : req->lang));
	art_page_t p = {.vals = vals};
	if (art_is(http_query(req, "restore"), "autosave")) {
		long long at = 0;
		const char *data = editorial_autosave_get(req, u, 0, &at);
		if (data) {
			art_vals_autosave(data, vals);
			p.notice = "The unsaved text has been put back into the form. Save it to keep it.";
		}
	}
	art_editor(req, res, u, &p);
}

/* Re-shows the editor with the user's input after a refused save or action. */
static void art_reshow(http_request_t *req, http_response_t *res, const auth_user_t *u, const ed_article_t *a, const form_t *f,
		       json_t *errors, const char *alert, int status)
{
	art_page_t p = {.a = a, .vals = art_vals_form(req, f, a), .errors = errors, .alert = alert, .status = status};
	if (a && !form_get(f, "title")) /* an action without the form: show the stored text and revision */
		json_object_set_new(p.vals, "revision", json_integer(a->revision));
	art_editor(req, res, u, &p);
}

/* The extra input an action needs from the form: the comment, the time. */
static ed_rc_t art_action_input(http_request_t *req, const form_t *f, int act, const char **comment, long long *when,
				json_t **errors)
{
	*comment = form_get(f, "review_comment");
	*when = 0;
	*errors = NULL;
	if (act < 0)
		return ED_OK;
	const char *t = form_get(f, "published_at");
	if (act == ED_SCHEDULE && t && *t && editorial_parse_time(t, when) < 0) {
		*errors = json_pack("{s:s}", "published_at", app_t_(req, "Enter the date and time as day, month, year, hours and minutes."));
		return ED_INVALID;
	}
	return editorial_check_action(req, (ed_action_t)act, *comment, *when, errors);
}

/* "then": what to do after saving ("save" or an action name); -1 for a plain save, -2 for a bad name. */
static int art_then(const form_t *f, const char *forced)
{
	const char *t = forced ? forced : form_get(f, "then");
	if (!t || !*t || strcmp(t, "save") == 0)
		return -1;
	int a = editorial_action_from(t);
	return a < 0 ? -2 : a;
}

static void art_create(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = admin_require(req, res, PERM_ARTICLE_CREATE, 0, "draft");
	if (!u)
		return;
	form_t *f = admin_form(req, res);
	if (!f)
		return;
	int act = art_then(f, NULL);
	if (act == -2 || act == ED_DELETE || act == ED_RETURN || act == ED_UNPUBLISH) {
		app_error(req, res, 400);
		return;
	}
	const char *comment;
	long long when;
	json_t *errors = NULL, *aerr = NULL;
	if (act >= 0 && editorial_can(u, (ed_action_t)act, u->id, "draft") != ED_OK) {
		admin_forbidden(req, res);
		return;
	}
	if (art_action_input(req, f, act, &comment, &when, &aerr) != ED_OK) {
		art_reshow(req, res, u, NULL, f, aerr, NULL, 400);
		return;
	}
	ed_input_t in = art_input(f);
	long long id = 0;
	ed_rc_t rc = editorial_create(req, u, &in, &errors, &id);
	if (rc == ED_INVALID) {
		art_reshow(req, res, u, NULL, f, errors, NULL, 400);
		return;
	}
	if (rc != ED_OK) {
		json_decref(errors);
		art_fail(req, res, rc);
		return;
	}
	const char *flash = "The article was created.";
	if (act >= 0) {
		rc = editorial_transition(req, u, id, (ed_action_t)act, comment, when, &errors);
		json_decref(errors);
		flash = rc == ED_OK ? art_flash_for((ed_action_t)act) : "The article was saved, but the action could not be done.";
	}
	admin_flash(req, res, flash);
	http_redirect(res, 303, art_url(req, id, NULL));
}

static void art_edit(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = admin_require(req, res, PERM_ARTICLE_LIST, 0, NULL);
	if (!u)
		return;
	long long id = admin_id(req->params[0]);
	ed_article_t a;
	ed_rc_t rc = id ? editorial_get(req, u, id, &a) : ED_NOT_FOUND;
	if (rc != ED_OK) {
		art_fail(req, res, rc);
		return;
	}
	art_page_t p = {.a = &a, .vals = art_vals_article(req, &a)};
	if (art_is(http_query(req, "restore"), "autosave") && editorial_can_edit(u, a.author_id, a.status)) {
		long long at = 0;
		const char *data = editorial_autosave_get(req, u, id, &at);
		if (data) {
			art_vals_autosave(data, p.vals);
			p.notice = "The unsaved text has been put back into the form. Save it to keep it.";
		}
	}
	art_editor(req, res, u, &p);
}

/* Saves the form (when it carries the text and the user may edit), then does the action act (-1: none). */
static void art_save_then(http_request_t *req, http_response_t *res, const char *forced)
{
	const auth_user_t *u = admin_require(req, res, PERM_ARTICLE_LIST, 0, NULL);
	if (!u)
		return;
	form_t *f = admin_form(req, res);
	if (!f)
		return;
	long long id = admin_id(req->params[0]);
	ed_article_t a;
	ed_rc_t rc = id ? editorial_get(req, u, id, &a) : ED_NOT_FOUND;
	if (rc != ED_OK) {
		art_fail(req, res, rc);
		return;
	}
	int act = art_then(f, forced);
	if (act == -2) {
		app_error(req, res, 404);
		return;
	}
	int has_text = form_get(f, "title") != NULL;
	int can_edit = editorial_can_edit(u, a.author_id, a.status);
	if (act < 0 && !can_edit) {
		admin_forbidden(req, res);
		return;
	}
	if (act >= 0) {
		rc = editorial_can(u, (ed_action_t)act, a.author_id, a.status);
		if (rc != ED_OK) {
			if (!has_text) {
				art_fail(req, res, rc == ED_BAD_STATE ? ED_FORBIDDEN : rc);
				return;
			}
			art_reshow(req, res, u, &a, f, NULL, editorial_message(rc), 403);
			return;
		}
	}
	const char *comment;
	long long when;
	json_t *errors = NULL, *aerr = NULL;
	art_action_input(req, f, act, &comment, &when, &aerr);
	int saved = 0;
	if (has_text && can_edit && act != ED_DELETE) {
		ed_input_t in = art_input(f);
		long long expected = admin_id(form_get(f, "revision")), nrev = 0;
		if (aerr) { /* the action's own input is wrong: change nothing, keep the text */
			art_reshow(req, res, u, &a, f, aerr, NULL, 400);
			return;
		}
		rc = editorial_update(req, u, id, expected, &in, &errors, &nrev);
		if (rc == ED_CONFLICT) {
			/* the user's text is kept in the form; the hidden revision moves to the current one, so saving
			 * again is a deliberate overwrite after looking at the newer version */
			art_page_t p = {.a = &a, .vals = art_vals_form(req, f, &a), .status = 409};
			json_object_set_new(p.vals, "revision", json_integer(a.revision));
			ed_revision_t cur;
			const char *by = "", *at = art_date(req, a.updated_at);
			if (editorial_revision(req, u, id, a.revision, &cur) == ED_OK)
				by = cur.saved_by_name;
			p.conflict = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}", "yours", expected, "revision", a.revision, "by", by,
					       "at", at, "view_url", art_url(req, id, arena_printf(req->arena, "/revisions/%lld", a.revision)),
					       "diff_url",
					       arena_printf(req->arena, "%s?from=%lld&to=%lld", art_url(req, id, "/diff"), expected, a.revision));
			art_editor(req, res, u, &p);
			return;
		}
		if (rc == ED_INVALID) {
			art_reshow(req, res, u, &a, f, errors, NULL, 400);
			return;
		}
		if (rc != ED_OK) {
			json_decref(errors);
			art_fail(req, res, rc);
			return;
		}
		saved = nrev != a.revision;
	} else if (aerr) {
		art_reshow(req, res, u, &a, f, aerr, NULL, 400);
		return;
	}
	if (act >= 0) {
		rc = editorial_transition(req, u, id, (ed_action_t)act, comment, when, &errors);
		if (rc == ED_INVALID) {
			ed_article_t now;
			art_reshow(req, res, u, editorial_get(req, u, id, &now) == ED_OK ? &now : &a, f, errors, NULL, 400);
			return;
		}
		json_decref(errors);
		if (rc != ED_OK) {
			if (rc == ED_NOT_FOUND || rc == ED_ERROR) {
				art_fail(req, res, rc);
				return;
			}
			ed_article_t now;
			if (editorial_get(req, u, id, &now) != ED_OK) {
				art_fail(req, res, ED_NOT_FOUND);
				return;
			}
			art_page_t p = {.a = &now, .vals = art_vals_article(req, &now), .alert = editorial_message(rc),
					.status = rc == ED_FORBIDDEN ? 403 : 409};
			art_editor(req, res, u, &p);
			return;
		}
		admin_flash(req, res, art_flash_for((ed_action_t)act));
		http_redirect(res, 303, act == ED_DELETE ? admin_url(req, "/articles") : art_url(req, id, NULL));
		return;
	}
	admin_flash(req, res, saved ? "Saved." : "Nothing to save: the article has not changed.");
	http_redirect(res, 303, art_url(req, id, NULL));
}

static void art_save(http_request_t *req, http_response_t *res)
{
	art_save_then(req, res, NULL);
}

static void art_action(http_request_t *req, http_response_t *res)
{
	if (editorial_action_from(req->params[1]) < 0) {
		app_error(req, res, 404);
		return;
	}
	art_save_then(req, res, req->params[1]);
}

static void art_delete_confirm(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = admin_require(req, res, PERM_ARTICLE_LIST, 0, NULL);
	if (!u)
		return;
	long long id = admin_id(req->params[0]);
	ed_article_t a;
	ed_rc_t rc = id ? editorial_get(req, u, id, &a) : ED_NOT_FOUND;
	if (rc == ED_OK)
		rc = editorial_can(u, ED_DELETE, a.author_id, a.status);
	if (rc != ED_OK) {
		art_fail(req, res, rc == ED_BAD_STATE ? ED_FORBIDDEN : rc);
		return;
	}
	json_t *ctx = admin_ctx(req, app_t_(req, "Delete article"), "articles");
	json_object_set_new(ctx, "article", json_pack("{s:s, s:s, s:s, s:s}", "title", a.title, "url", art_url(req, id, NULL),
						      "delete_url", art_url(req, id, "/delete"), "status_label", app_t_(req, a.status)));
	json_object_set_new(ctx, "list_url", json_string(admin_url(req, "/articles")));
	admin_render(req, res, "admin/articles/delete", ctx);
}

/* ---- preview --------------------------------------------------------------------------------------- */

static void art_preview(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = admin_require(req, res, PERM_ARTICLE_LIST, 0, NULL);
	if (!u)
		return;
	form_t *f = admin_form(req, res);
	if (!f)
		return;
	/* the public page in the article's language, with the unsaved text */
	const char *lang = form_get(f, "lang");
	if (art_is(lang, "en") || art_is(lang, "zh")) {
		req->lang = lang;
		req->prefix = art_is(lang, "en") ? "/en" : "/zh";
	} else {
		req->lang = "vi";
		req->prefix = "";
	}
	const char *title = S(form_get(f, "title"));
	long long now = (long long)time(NULL), when = now;
	const char *pt = form_get(f, "published_at");
	if (pt && *pt)
		editorial_parse_time(pt, &when);
	json_t *ctx = app_page_ctx(req, arena_printf(req->arena, "%s: %s", app_t_(req, "Preview"), title));
	buf_t body;
	buf_init(&body, 4u << 20);
	const char *md = S(form_get(f, "body"));
	md_render(md, strlen(md), &body);
	json_t *art = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "title", title, "url", "#", "lead",
				S(form_get(f, "lead")), "date", app_date(req->arena, req->lang, when, 1), "datetime",
				app_iso(req->arena, when), "body_html", buf_cstr(&body), "author", S(form_get(f, "author")), "source",
				S(form_get(f, "source")), "share", json_array());
	buf_release(&body);
	db_stmt_t *st = db_prepare(req->db, "SELECT ci.name, ci.slug FROM category_i18n ci WHERE ci.category_id = ? AND ci.lang = ?");
	if (st && db_bindf(st, "is", admin_id(form_get(f, "category_id")), req->lang) == 0 && db_step(st) == DB_ROW)
		json_object_set_new(art, "category", json_pack("{s:s, s:s}", "name", db_col_text(st, 0), "url",
							       news_url(req->arena, req->lang, 'c', db_col_text(st, 1))));
	if (st)
		db_done(st);
	st = db_prepare(req->db, "SELECT name FROM media WHERE id = ?");
	if (st && db_bindf(st, "i", admin_id(form_get(f, "cover_id"))) == 0 && db_step(st) == DB_ROW) {
		const char *name = db_col_text(st, 0);
		json_object_set_new(art, "cover",
				    json_pack("{s:s, s:s, s:s, s:s}", "src", arena_printf(req->arena, "/media/%s-960.jpg", name),
					      "srcset",
					      arena_printf(req->arena, "/media/%s-480.jpg 480w, /media/%s-960.jpg 960w, /media/%s-1600.jpg 1600w",
							   name, name, name),
					      "alt", S(form_get(f, "cover_alt")), "caption", S(form_get(f, "cover_caption"))));
	}
	if (st)
		db_done(st);
	json_t *tags = json_array();
	const char *tl = form_get(f, "tags");
	for (const char *p = S(tl); *p;) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		while (n && (*p == ' ')) {
			p++;
			n--;
		}
		while (n && p[n - 1] == ' ')
			n--;
		if (n)
			json_array_append_new(tags, json_pack("{s:s%}", "name", p, n));
		p = c ? c + 1 : p + strlen(p);
	}
	json_object_set_new(art, "tags", tags);
	json_object_set_new(ctx, "article", art);
	json_object_set_new(ctx, "related", json_array());
	http_add_header(res, "x-robots-tag", "noindex");
	res->cache_ttl = -1;
	app_render(req, res, "news/article", ctx);
	res->cache_ttl = -1;
}

static void art_preview_fragment(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = admin_require(req, res, PERM_ARTICLE_LIST, 0, NULL);
	if (!u)
		return;
	form_t *f = admin_form(req, res);
	if (!f)
		return;
	const char *md = S(form_get(f, "body"));
	res->status = 200;
	res->content_type = "text/html; charset=utf-8";
	res->cache_ttl = -1;
	if (md_render(md, strlen(md), &res->body) < 0) {
		buf_reset(&res->body);
		res->status = 413;
	}
}

/* ---- autosave -------------------------------------------------------------------------------------- */

static void art_json(http_response_t *res, int status, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);
	res->status = status;
	res->content_type = "application/json";
	res->cache_ttl = -1;
	buf_puts(&res->body, s ? s : "{}");
	free(s);
	json_decref(j);
}

static void art_autosave(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = admin_require(req, res, PERM_ARTICLE_LIST, 0, NULL);
	if (!u)
		return;
	form_t *f = admin_form(req, res);
	if (!f)
		return;
	json_t *data = json_object();
	for (size_t i = 0; i < ART_NFIELDS; i++) {
		const char *v = form_get(f, art_fields[i].name);
		if (v)
			json_object_set_new(data, art_fields[i].name, json_string(v));
	}
	char *s = json_dumps(data, JSON_COMPACT);
	json_decref(data);
	ed_rc_t rc = s ? editorial_autosave_put(req, u, admin_id(form_get(f, "article")), s) : ED_ERROR;
	free(s);
	int status = rc == ED_OK ? 200 : rc == ED_NOT_FOUND ? 404 : rc == ED_FORBIDDEN ? 403 : rc == ED_INVALID ? 413 : 500;
	art_json(res, status, json_pack("{s:b, s:s, s:I}", "ok", rc == ED_OK, "error", editorial_code(rc), "saved_at",
					rc == ED_OK ? (long long)time(NULL) * 1000 : 0LL));
}

static void art_autosave_discard(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = admin_require(req, res, PERM_ARTICLE_LIST, 0, NULL);
	if (!u)
		return;
	if (!admin_form(req, res))
		return;
	long long id = admin_id(req->params[0]);
	editorial_autosave_drop(req, u, id);
	admin_flash(req, res, "The unsaved text was discarded.");
	http_redirect(res, 303, id ? art_url(req, id, NULL) : admin_url(req, "/articles/new"));
}

/* ---- revisions ------------------------------------------------------------------------------------- */

static void art_history_page(http_request_t *req, http_response_t *res, const auth_user_t *u, long long id, const char *alert,
			     int status)
{
	ed_article_t a;
	ed_rc_t rc = editorial_get(req, u, id, &a);
	json_t *revs = rc == ED_OK ? editorial_revisions(req, u, id, &rc) : NULL;
	if (rc != ED_OK) {
		art_fail(req, res, rc);
		return;
	}
	int can_edit = editorial_can_edit(u, a.author_id, a.status);
	size_t i, n = json_array_size(revs);
	json_t *r;
	json_array_foreach(revs, i, r)
	{
		long long rev = json_integer_value(json_object_get(r, "revision"));
		json_object_set_new(r, "when", json_string(art_date(req, json_integer_value(json_object_get(r, "saved_at")))));
		json_object_set_new(r, "when_iso", json_string(app_iso(req->arena, json_integer_value(json_object_get(r, "saved_at")))));
		json_object_set_new(r, "status_label", json_string(app_t_(req, json_string_value(json_object_get(r, "status")))));
		json_object_set_new(r, "view_url", json_string(art_url(req, id, arena_printf(req->arena, "/revisions/%lld", rev))));
		json_object_set_new(r, "current", json_boolean(rev == a.revision));
		json_object_set_new(r, "from_checked", json_boolean(i == 1 || (n == 1 && i == 0)));
		json_object_set_new(r, "to_checked", json_boolean(i == 0));
		json_object_set_new(r, "can_restore", json_boolean(can_edit && rev != a.revision));
		if (i + 1 < n) {
			long long prev = json_integer_value(json_object_get(json_array_get(revs, i + 1), "revision"));
			json_object_set_new(r, "prev_diff_url", json_string(arena_printf(req->arena, "%s?from=%lld&to=%lld",
											 art_url(req, id, "/diff"), prev, rev)));
		}
	}
	json_t *ctx = admin_ctx(req, app_t_(req, "History"), "articles");
	json_object_set_new(ctx, "article", json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s}", "id", id, "title", a.title, "url",
						      art_url(req, id, NULL), "revision", a.revision, "diff_url",
						      art_url(req, id, "/diff"), "restore_url", art_url(req, id, "/restore"),
						      "status_label", app_t_(req, a.status)));
	json_object_set_new(ctx, "revisions", revs);
	json_object_set_new(ctx, "several", json_boolean(n > 1));
	json_object_set_new(ctx, "list_url", json_string(admin_url(req, "/articles")));
	if (alert)
		json_object_set_new(ctx, "alert", json_string(app_t_(req, alert)));
	admin_render(req, res, "admin/articles/history", ctx);
	if (status)
		res->status = status;
}

static void art_history(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = admin_require(req, res, PERM_ARTICLE_LIST, 0, NULL);
	if (!u)
		return;
	long long id = admin_id(req->params[0]);
	if (!id) {
		app_error(req, res, 404);
		return;
	}
	art_history_page(req, res, u, id, NULL, 0);
}

#define ART_CONTEXT 3 /* unchanged lines shown around a change */

/* The rows of one field's diff, unchanged runs folded to ART_CONTEXT lines of context. */
static json_t *art_diff_rows(http_request_t *req, const diff_t *d)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < d->n;) {
		if (d->lines[i].op == DIFF_SAME) {
			size_t j = i;
			while (j < d->n && d->lines[j].op == DIFF_SAME)
				j++;
			/* keep context after a change (when i > 0) and before the next one (when j < n) */
			size_t keep_head = i > 0 ? ART_CONTEXT : 0, keep_tail = j < d->n ? ART_CONTEXT : 0;
			size_t run = j - i;
			if (run > keep_head + keep_tail + 1) {
				for (size_t k = i; k < i + keep_head; k++)
					json_array_append_new(rows, json_pack("{s:b, s:I, s:I, s:s%}", "same", 1, "old_no", (long long)d->lines[k].old_no,
									      "new_no", (long long)d->lines[k].new_no, "text", d->lines[k].text,
									      d->lines[k].len));
				json_array_append_new(rows, json_pack("{s:b, s:I}", "skip", 1, "skipped", (long long)(run - keep_head - keep_tail)));
				for (size_t k = j - keep_tail; k < j; k++)
					json_array_append_new(rows, json_pack("{s:b, s:I, s:I, s:s%}", "same", 1, "old_no", (long long)d->lines[k].old_no,
									      "new_no", (long long)d->lines[k].new_no, "text", d->lines[k].text,
									      d->lines[k].len));
			} else {
				for (size_t k = i; k < j; k++)
					json_array_append_new(rows, json_pack("{s:b, s:I, s:I, s:s%}", "same", 1, "old_no", (long long)d->lines[k].old_no,
									      "new_no", (long long)d->lines[k].new_no, "text", d->lines[k].text,
									      d->lines[k].len));
			}
			i = j;
			continue;
		}
		const diff_line_t *l = &d->lines[i];
		json_t *row = json_pack("{s:s%}", "text", l->text, l->len);
		if (l->op == DIFF_DEL) {
			json_object_set_new(row, "del", json_true());
			json_object_set_new(row, "old_no", json_integer((json_int_t)l->old_no));
		} else {
			json_object_set_new(row, "ins", json_true());
			json_object_set_new(row, "new_no", json_integer((json_int_t)l->new_no));
		}
		json_array_append_new(rows, row);
		i++;
	}
	return rows;
}

static const char *art_category_name(http_request_t *req, long long id)
{
	db_stmt_t *st = db_prepare(req->db, "SELECT coalesce((SELECT name FROM category_i18n WHERE category_id = ? AND lang = ?),"
					    " (SELECT name FROM category_i18n WHERE category_id = ? AND lang = 'vi'), '')");
	const char *name = "";
	if (st && db_bindf(st, "isi", id, req->lang, id) == 0 && db_step(st) == DB_ROW)
		name = arena_strdup(req->arena, db_col_text(st, 0));
	if (st)
		db_done(st);
	return *name ? name : arena_printf(req->arena, "#%lld", id);
}

static void art_diff(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = admin_require(req, res, PERM_ARTICLE_LIST, 0, NULL);
	if (!u)
		return;
	long long id = admin_id(req->params[0]);
	ed_article_t a;
	ed_rc_t rc = id ? editorial_get(req, u, id, &a) : ED_NOT_FOUND;
	if (rc != ED_OK) {
		art_fail(req, res, rc);
		return;
	}
	long long to = http_query_int(req, "to", 1, 1LL << 40, a.revision);
	long long from = http_query_int(req, "from", 1, 1LL << 40, to > 1 ? to - 1 : to);
	if (from > to) {
		long long t = from;
		from = to;
		to = t;
	}
	ed_revision_t ra, rb;
	if ((rc = editorial_revision(req, u, id, from, &ra)) != ED_OK || (rc = editorial_revision(req, u, id, to, &rb)) != ED_OK) {
		art_fail(req, res, rc);
		return;
	}
	struct {
		const char *label, *a, *b;
	} fields[] = {
		{"Title", ra.title, rb.title},
		{"Lead", ra.lead, rb.lead},
		{"Body", ra.body, rb.body},
		{"Tags", ra.tags, rb.tags},
		{"Category", art_category_name(req, ra.category_id), art_category_name(req, rb.category_id)},
		{"Cover image", arena_printf(req->arena, "%lld", ra.cover_id), arena_printf(req->arena, "%lld", rb.cover_id)},
		{"Cover caption", ra.cover_caption, rb.cover_caption},
		{"Cover alt text", ra.cover_alt, rb.cover_alt},
	};
	json_t *out = json_array();
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (strcmp(fields[i].a, fields[i].b) == 0)
			continue;
		diff_t d;
		if (diff_lines(req->arena, fields[i].a, strlen(fields[i].a), fields[i].b, strlen(fields[i].b), &d) < 0) {
			app_error(req, res, 500);
			json_decref(out);
			return;
		}
		json_array_append_new(out, json_pack("{s:s, s:s, s:I, s:I, s:o, s:b}", "label", app_t_(req, fields[i].label), "id",
						     arena_printf(req->arena, "diff-%zu", i), "added", (long long)d.added, "removed",
						     (long long)d.removed, "rows", art_diff_rows(req, &d), "coarse", d.coarse));
	}
	json_t *ctx = admin_ctx(req, app_t_(req, "Compare revisions"), "articles");
	json_object_set_new(ctx, "article", json_pack("{s:I, s:s, s:s, s:s}", "id", id, "title", a.title, "url", art_url(req, id, NULL),
						      "history_url", art_url(req, id, "/history")));
	json_object_set_new(ctx, "from", json_pack("{s:I, s:s, s:s, s:s}", "revision", from, "when", art_date(req, ra.saved_at), "by",
						   ra.saved_by_name, "url", art_url(req, id, arena_printf(req->arena, "/revisions/%lld", from))));
	json_object_set_new(ctx, "to", json_pack("{s:I, s:s, s:s, s:s}", "revision", to, "when", art_date(req, rb.saved_at), "by",
						 rb.saved_by_name, "url", art_url(req, id, arena_printf(req->arena, "/revisions/%lld", to))));
	json_object_set_new(ctx, "identical", json_boolean(json_array_size(out) == 0));
	json_object_set_new(ctx, "fields", out);
	json_object_set_new(ctx, "list_url", json_string(admin_url(req, "/articles")));
	admin_render(req, res, "admin/articles/diff", ctx);
}

static void art_revision(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = admin_require(req, res, PERM_ARTICLE_LIST, 0, NULL);
	if (!u)
		return;
	long long id = admin_id(req->params[0]), rev = admin_id(req->params[1]);
	ed_article_t a;
	ed_revision_t r;
	ed_rc_t rc = id ? editorial_get(req, u, id, &a) : ED_NOT_FOUND;
	if (rc == ED_OK)
		rc = rev ? editorial_revision(req, u, id, rev, &r) : ED_NOT_FOUND;
	if (rc != ED_OK) {
		art_fail(req, res, rc);
		return;
	}
	buf_t body;
	buf_init(&body, 4u << 20);
	md_render(r.body, strlen(r.body), &body);
	json_t *ctx = admin_ctx(req, arena_printf(req->arena, "%s %lld", app_t_(req, "Revision"), rev), "articles");
	json_object_set_new(ctx, "article", json_pack("{s:I, s:s, s:s, s:s, s:I, s:s}", "id", id, "title", a.title, "url",
						      art_url(req, id, NULL), "history_url", art_url(req, id, "/history"), "revision",
						      a.revision, "restore_url", art_url(req, id, "/restore")));
	json_object_set_new(ctx, "rev",
			    json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "revision", rev, "title",
				      r.title, "lead", r.lead, "body", r.body, "body_html", buf_cstr(&body), "tags", r.tags, "when",
				      art_date(req, r.saved_at), "by", r.saved_by_name, "status_label", app_t_(req, r.status),
				      "category", art_category_name(req, r.category_id), "diff_url",
				      arena_printf(req->arena, "%s?from=%lld&to=%lld", art_url(req, id, "/diff"), rev < a.revision ? rev : a.revision,
						   rev < a.revision ? a.revision : rev),
				      "current", rev == a.revision, "can_restore",
				      rev != a.revision && editorial_can_edit(u, a.author_id, a.status)));
	buf_release(&body);
	json_object_set_new(ctx, "list_url", json_string(admin_url(req, "/articles")));
	admin_render(req, res, "admin/articles/revision", ctx);
}

static void art_restore(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = admin_require(req, res, PERM_ARTICLE_LIST, 0, NULL);
	if (!u)
		return;
	form_t *f = admin_form(req, res);
	if (!f)
		return;
	long long id = admin_id(req->params[0]), rev = admin_id(form_get(f, "revision")), expected = admin_id(form_get(f, "current"));
	long long nrev = 0;
	ed_rc_t rc = id && rev ? editorial_restore(req, u, id, rev, expected, &nrev) : ED_NOT_FOUND;
	if (rc == ED_CONFLICT || rc == ED_INVALID) {
		art_history_page(req, res, u, id,
				 rc == ED_CONFLICT ? "Someone else saved this article in the meantime. Look at the history again before restoring."
						   : "This revision cannot be restored as it is (its category no longer exists, for example).",
				 409);
		return;
	}
	if (rc != ED_OK) {
		art_fail(req, res, rc);
		return;
	}
	admin_flash(req, res, "The revision was restored as a new revision.");
	http_redirect(res, 303, art_url(req, id, NULL));
}

/* ---- translations ---------------------------------------------------------------------------------- */

static void art_translate(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = admin_require(req, res, PERM_ARTICLE_CREATE, 0, "draft");
	if (!u)
		return;
	form_t *f = admin_form(req, res);
	if (!f)
		return;
	long long id = admin_id(req->params[0]), nid = 0;
	ed_rc_t rc = id ? editorial_translate(req, u, id, form_get(f, "lang"), &nid) : ED_NOT_FOUND;
	if (rc == ED_EXISTS && nid) {
		admin_flash(req, res, "That translation already exists.");
		http_redirect(res, 303, art_url(req, nid, NULL));
		return;
	}
	if (rc != ED_OK) {
		art_fail(req, res, rc == ED_EXISTS || rc == ED_BAD_STATE ? ED_FORBIDDEN : rc);
		return;
	}
	admin_flash(req, res, "The translation was created: translate the text, then save.");
	http_redirect(res, 303, art_url(req, nid, NULL));
}
