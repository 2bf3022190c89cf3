/* catalog_pages: the public pages of the procedure catalog (see catalog_pages.h). */
#include "svc/catalog_pages.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/utf8.h"
#include "db/db.h"
#include "svc/catalog.h"
#include "view/md.h"

#define CAT_MAX_TERMS 8
#define CAT_MAX_PAGE 10000

static void catp_index(http_request_t *req, http_response_t *res);
static void catp_procedure(http_request_t *req, http_response_t *res);
static void catp_agencies(http_request_t *req, http_response_t *res);
static void catp_form(http_request_t *req, http_response_t *res);

const app_route_t catalog_routes[] = {
	{"GET", "vi", "/thu-tuc", catp_index},
	{"GET", "en zh", "/procedures", catp_index},
	{"GET", "vi", "/thu-tuc/*", catp_procedure},
	{"GET", "en zh", "/procedures/*", catp_procedure},
	{"GET", "vi", "/co-quan", catp_agencies},
	{"GET", "en zh", "/agencies", catp_agencies},
	{"GET", "vi", "/bieu-mau/*", catp_form},
	{NULL, NULL, NULL, NULL},
};

static const char *catp_prefix(const char *lang)
{
	return strcmp(lang, "vi") == 0 ? "" : strcmp(lang, "en") == 0 ? "/en" : "/zh";
}

static const char *catp_index_path(const char *lang)
{
	return strcmp(lang, "vi") == 0 ? "/thu-tuc" : "/procedures";
}

char *catalog_proc_url(arena_t *a, const char *lang, const char *code)
{
	return arena_printf(a, "%s%s/%s", catp_prefix(lang), catp_index_path(lang), code);
}

char *catalog_submit_url(arena_t *a, const char *lang, const char *code)
{
	return arena_printf(a, "%s%s/%s/%s", catp_prefix(lang), catp_index_path(lang), code,
			    strcmp(lang, "vi") == 0 ? "nop-ho-so" : "submit");
}

/* ---- queries ----------------------------------------------------------------------------------------- */

#define CATP_COLS                                                                                               \
	"SELECT p.id, p.code, coalesce(t.name, v.name), CASE WHEN t.name IS NULL THEN 0 ELSE 1 END, p.level,"   \
	" p.online, p.days, f.slug, coalesce(ft.name, fv.name, f.slug), g.code, coalesce(gt.name, gv.name, g.code)"
#define CATP_FROM                                                                                               \
	" FROM procedures p JOIN procedure_i18n v ON v.procedure_id = p.id AND v.lang = 'vi'"                   \
	" LEFT JOIN procedure_i18n t ON t.procedure_id = p.id AND t.lang = ?"                                   \
	" JOIN proc_fields f ON f.id = p.field_id"                                                              \
	" LEFT JOIN proc_field_i18n fv ON fv.field_id = f.id AND fv.lang = 'vi'"                                \
	" LEFT JOIN proc_field_i18n ft ON ft.field_id = f.id AND ft.lang = ?"                                   \
	" JOIN agencies g ON g.id = p.agency_id"                                                                \
	" LEFT JOIN agency_i18n gv ON gv.agency_id = g.id AND gv.lang = 'vi'"                                   \
	" LEFT JOIN agency_i18n gt ON gt.agency_id = g.id AND gt.lang = ?"

static json_t *catp_item(db_stmt_t *st)
{
	return json_pack("{s:s, s:s, s:b, s:{s:s, s:s}, s:{s:s, s:s}, s:s, s:s, s:I}", "code", db_col_text(st, 1), "name",
			 db_col_text(st, 2), "translated", (int)db_col_int(st, 3), "field", "slug", db_col_text(st, 7), "name",
			 db_col_text(st, 8), "agency", "code", db_col_text(st, 9), "name", db_col_text(st, 10), "level",
			 db_col_text(st, 4), "online", db_col_text(st, 5), "days", db_col_int(st, 6));
}

/* The WHERE clause of a list and its bound values (at most 3 + CAT_MAX_TERMS). */
typedef struct catp_where {
	buf_t sql;
	const char *vals[3 + CAT_MAX_TERMS];
	int n;
} catp_where_t;

static void catp_where(http_request_t *req, const catalog_filter_t *f, catp_where_t *w)
{
	buf_init(&w->sql, 8192);
	w->n = 0;
	buf_puts(&w->sql, " WHERE p.published = 1");
	if (f->field && *f->field) {
		buf_puts(&w->sql, " AND f.slug = ?");
		w->vals[w->n++] = f->field;
	}
	if (f->agency && *f->agency) {
		buf_puts(&w->sql, " AND g.code = ?");
		w->vals[w->n++] = f->agency;
	}
	if (f->level && *f->level) {
		buf_puts(&w->sql, " AND p.level = ?");
		w->vals[w->n++] = f->level;
	}
	if (f->q && *f->q) {
		buf_t folded;
		buf_init(&folded, 2048);
		utf8_fold(f->q, strnlen(f->q, 500), &folded);
		const char *s = buf_cstr(&folded);
		int terms = 0;
		while (*s && terms < CAT_MAX_TERMS) {
			while (*s == ' ' || *s == '\t' || *s == ',' || *s == ';')
				s++;
			size_t n = strcspn(s, " \t,;");
			if (!n)
				break;
			buf_t like;
			buf_init(&like, 2048);
			buf_putc(&like, '%');
			for (size_t i = 0; i < n; i++) {
				if (s[i] == '%' || s[i] == '_' || s[i] == '!')
					buf_putc(&like, '!');
				buf_putc(&like, s[i]);
			}
			buf_putc(&like, '%');
			w->vals[w->n++] = arena_strdup(req->arena, buf_cstr(&like));
			buf_release(&like);
			buf_puts(&w->sql, " AND p.search LIKE ? ESCAPE '!'");
			terms++;
			s += n;
		}
		buf_release(&folded);
	}
}

static int catp_bind(db_stmt_t *st, const char *lang, const catp_where_t *w)
{
	if (db_bindf(st, "sss", lang, lang, lang) < 0)
		return -1;
	for (int i = 0; i < w->n; i++)
		if (db_bind_text(st, 4 + i, w->vals[i]) < 0)
			return -1;
	return 0;
}

json_t *catalog_list(http_request_t *req, const char *lang, const catalog_filter_t *f, long long page, long long *total)
{
	catp_where_t w;
	catp_where(req, f, &w);
	json_t *out = NULL;
	const char *csql = arena_printf(req->arena, "SELECT count(*)" CATP_FROM "%s", buf_cstr(&w.sql));
	db_stmt_t *st = db_prepare(req->db, csql);
	*total = 0;
	if (!st || catp_bind(st, lang, &w) < 0)
		goto out;
	if (db_step(st) == DB_ROW)
		*total = db_col_int(st, 0);
	db_done(st);
	const char *sql = arena_printf(req->arena, CATP_COLS CATP_FROM "%s ORDER BY f.position, f.id, p.id LIMIT %d OFFSET %lld",
				       buf_cstr(&w.sql), CATALOG_PER_PAGE, (page - 1) * CATALOG_PER_PAGE);
	if (!(st = db_prepare(req->db, sql)) || catp_bind(st, lang, &w) < 0)
		goto out;
	out = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(out, catp_item(st));
	db_done(st);
out:
	buf_release(&w.sql);
	return out;
}

json_t *catalog_get(http_request_t *req, const char *lang, const char *code)
{
	db_stmt_t *st = db_prepare(req->db, CATP_COLS ", v.steps, v.methods, v.subjects, v.result, v.fees, v.conditions, v.legal_basis,"
						  " t.steps, t.methods, t.subjects, t.result, t.fees, t.conditions, t.legal_basis, p.updated_at"
					CATP_FROM " WHERE p.published = 1 AND p.code = ?");
	if (!st || db_bindf(st, "ssss", lang, lang, lang, code) < 0 || db_step(st) != DB_ROW) {
		if (st)
			db_done(st);
		return NULL;
	}
	long long id = db_col_int(st, 0);
	json_t *p = catp_item(st);
	json_t *fallback = json_array();
	int translated = (int)db_col_int(st, 3);
	for (int k = 1; k < CAT_NTEXT; k++) {
		const char *vi = db_col_text(st, 10 + k), *tr = db_col_text(st, 17 + k);
		int use_tr = translated && *tr;
		json_object_set_new(p, catalog_text_cols[k], json_string(use_tr ? tr : vi));
		if (strcmp(lang, "vi") != 0 && !use_tr && *vi)
			json_array_append_new(fallback, json_string(catalog_text_cols[k]));
	}
	json_object_set_new(p, "updated_at", json_integer(db_col_int(st, 25)));
	db_done(st);
	json_object_set_new(p, "fallback", fallback);
	json_t *docs = json_array();
	st = db_prepare(req->db, "SELECT d.id, d.copies, d.required, coalesce(t.name, v.name, '') FROM procedure_docs d"
				 " LEFT JOIN procedure_doc_i18n v ON v.doc_id = d.id AND v.lang = 'vi'"
				 " LEFT JOIN procedure_doc_i18n t ON t.doc_id = d.id AND t.lang = ?"
				 " WHERE d.procedure_id = ? ORDER BY d.position, d.id");
	if (st && db_bindf(st, "si", lang, id) == 0) {
		int n = 0;
		while (db_step(st) == DB_ROW)
			json_array_append_new(docs, json_pack("{s:I, s:i, s:s, s:s, s:b}", "id", db_col_int(st, 0), "position", ++n,
							      "name", db_col_text(st, 3), "copies", db_col_text(st, 1), "required",
							      (int)db_col_int(st, 2)));
	}
	if (st)
		db_done(st);
	json_object_set_new(p, "documents", docs);
	json_t *forms = json_array();
	st = db_prepare(req->db, "SELECT id, title, filename, mime, bytes FROM procedure_forms WHERE procedure_id = ? ORDER BY position, id");
	if (st && db_bindf(st, "i", id) == 0)
		while (db_step(st) == DB_ROW)
			json_array_append_new(forms, json_pack("{s:I, s:s, s:s, s:s, s:I, s:s}", "id", db_col_int(st, 0), "title",
							       db_col_text(st, 1), "filename", db_col_text(st, 2), "mime",
							       db_col_text(st, 3), "bytes", db_col_int(st, 4), "url",
							       arena_printf(req->arena, "/bieu-mau/%lld", db_col_int(st, 0))));
	if (st)
		db_done(st);
	json_object_set_new(p, "forms", forms);
	return p;
}

/* ---- pages ------------------------------------------------------------------------------------------- */

static const char *catp_level_label(http_request_t *req, const char *level)
{
	return app_t_(req, strcmp(level, "xa") == 0 ? "Commune level" : "Province level");
}

static const char *catp_online_label(http_request_t *req, const char *online)
{
	return app_t_(req, strcmp(online, "mot_phan") == 0 ? "Partly online" : "Fully online");
}

static const char *catp_days(http_request_t *req, long long days)
{
	return arena_printf(req->arena, app_t_(req, days == 1 ? "%lld working day" : "%lld working days"), days);
}

/* The language switch of a page that exists at the same path in every language. */
static void catp_alternates(http_request_t *req, json_t *ctx, const char *code)
{
	for (int i = 0; i < APP_NLANGS; i++)
		app_set_alternate(ctx, app_langs[i],
				  code ? catalog_proc_url(req->arena, app_langs[i], code)
				       : arena_printf(req->arena, "%s%s", catp_prefix(app_langs[i]), catp_index_path(app_langs[i])));
}

/* A query string value safe to put back into a URL. */
static const char *catp_q(http_request_t *req, const char *name)
{
	const char *v = http_query(req, name);
	return v ? http_nfc(req->arena, v) : "";
}

static void catp_index(http_request_t *req, http_response_t *res)
{
	catalog_filter_t f = {catp_q(req, "field"), catp_q(req, "agency"), catp_q(req, "level"), catp_q(req, "q")};
	if (*f.level && strcmp(f.level, "tinh") && strcmp(f.level, "xa"))
		f.level = "";
	if (strlen(f.q) > 200)
		f.q = arena_strndup(req->arena, f.q, utf8_trunc(f.q, strlen(f.q), 200));
	long long page = http_query(req, "page") ? http_query_int(req, "page", 1, CAT_MAX_PAGE, -1) : 1;
	if (page < 0) {
		app_error(req, res, 404);
		return;
	}
	long long total = 0;
	json_t *items = catalog_list(req, req->lang, &f, page, &total);
	if (!items) {
		app_error(req, res, 500);
		return;
	}
	if (page > 1 && (page - 1) * CATALOG_PER_PAGE >= total) {
		json_decref(items);
		app_error(req, res, 404);
		return;
	}
	const char *title = app_t_(req, "Public services");
	json_t *ctx = app_page_ctx(req, title);
	const char *base = arena_printf(req->arena, "%s%s", req->prefix, catp_index_path(req->lang));
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		const char *code = json_string_value(json_object_get(it, "code"));
		json_object_set_new(it, "url", json_string(catalog_proc_url(req->arena, req->lang, code)));
		json_object_set_new(it, "submit_url", json_string(catalog_submit_url(req->arena, req->lang, code)));
		json_object_set_new(it, "level_label", json_string(catp_level_label(req, json_string_value(json_object_get(it, "level")))));
		json_object_set_new(it, "online_label", json_string(catp_online_label(req, json_string_value(json_object_get(it, "online")))));
		json_object_set_new(it, "full", json_boolean(strcmp(json_string_value(json_object_get(it, "online")), "toan_trinh") == 0));
		json_object_set_new(it, "days_label", json_string(catp_days(req, json_integer_value(json_object_get(it, "days")))));
		json_object_set_new(it, "vi_only", json_boolean(strcmp(req->lang, "vi") && !json_is_true(json_object_get(it, "translated"))));
	}
	json_object_set_new(ctx, "results", items);
	json_object_set_new(ctx, "total", json_integer(total));
	json_object_set_new(ctx, "base_url", json_string(base));
	json_object_set_new(ctx, "agencies_url", json_string(arena_printf(req->arena, "%s%s", req->prefix, strcmp(req->lang, "vi") ? "/agencies" : "/co-quan")));
	json_object_set_new(ctx, "filters", json_pack("{s:s, s:s, s:s, s:s}", "field", f.field, "agency", f.agency, "level", f.level, "q", f.q));
	int filtered = *f.field || *f.agency || *f.level || *f.q;
	json_object_set_new(ctx, "filtered", json_boolean(filtered));

	/* the fields with their counts: browse links, and the options of the field filter */
	json_t *fields = json_array();
	db_stmt_t *st = db_prepare(req->db, "SELECT f.slug, coalesce(ft.name, fv.name, f.slug), count(p.id) FROM proc_fields f"
					    " LEFT JOIN proc_field_i18n fv ON fv.field_id = f.id AND fv.lang = 'vi'"
					    " LEFT JOIN proc_field_i18n ft ON ft.field_id = f.id AND ft.lang = ?"
					    " JOIN procedures p ON p.field_id = f.id AND p.published = 1"
					    " GROUP BY f.id, f.slug, f.position, ft.name, fv.name ORDER BY f.position, f.id");
	if (st && db_bindf(st, "s", req->lang) == 0)
		while (db_step(st) == DB_ROW)
			json_array_append_new(fields, json_pack("{s:s, s:s, s:I, s:b, s:s}", "slug", db_col_text(st, 0), "name",
								db_col_text(st, 1), "count", db_col_int(st, 2), "selected",
								strcmp(f.field, db_col_text(st, 0)) == 0, "url",
								arena_printf(req->arena, "%s?field=%s", base, http_urlencode(req->arena, db_col_text(st, 0)))));
	if (st)
		db_done(st);
	json_object_set_new(ctx, "fields", fields);
	json_t *agencies = json_array();
	st = db_prepare(req->db, "SELECT g.code, coalesce(gt.name, gv.name, g.code) FROM agencies g"
				 " LEFT JOIN agency_i18n gv ON gv.agency_id = g.id AND gv.lang = 'vi'"
				 " LEFT JOIN agency_i18n gt ON gt.agency_id = g.id AND gt.lang = ?"
				 " WHERE EXISTS (SELECT 1 FROM procedures p WHERE p.agency_id = g.id AND p.published = 1)"
				 " ORDER BY g.position, g.id");
	if (st && db_bindf(st, "s", req->lang) == 0)
		while (db_step(st) == DB_ROW)
			json_array_append_new(agencies, json_pack("{s:s, s:s, s:b}", "code", db_col_text(st, 0), "name", db_col_text(st, 1),
								  "selected", strcmp(f.agency, db_col_text(st, 0)) == 0));
	if (st)
		db_done(st);
	json_object_set_new(ctx, "agencies", agencies);
	json_object_set_new(ctx, "levels", json_pack("[{s:s, s:s, s:b}, {s:s, s:s, s:b}]", "key", "tinh", "label",
						     catp_level_label(req, "tinh"), "selected", strcmp(f.level, "tinh") == 0, "key",
						     "xa", "label", catp_level_label(req, "xa"), "selected", strcmp(f.level, "xa") == 0));
	/* the pager keeps the filters */
	buf_t qs;
	buf_init(&qs, 4096);
	const char *names[] = {"field", "agency", "level", "q"}, *vals[] = {f.field, f.agency, f.level, f.q};
	for (int k = 0; k < 4; k++)
		if (*vals[k])
			buf_appendf(&qs, "%s%s=%s", qs.len ? "&" : "", names[k], http_urlencode(req->arena, vals[k]));
	long long pages = (total + CATALOG_PER_PAGE - 1) / CATALOG_PER_PAGE;
	if (pages > 1) {
		json_t *pg = json_pack("{s:I, s:I}", "page", page, "pages", pages);
		const char *sep = qs.len ? "&" : "";
		if (page > 1)
			json_object_set_new(pg, "prev_url", json_string(page == 2 && !qs.len ? base
								: arena_printf(req->arena, "%s?%s%s%s", base, buf_cstr(&qs), sep,
									       page == 2 ? "" : arena_printf(req->arena, "page=%lld", page - 1))));
		if (page < pages)
			json_object_set_new(pg, "next_url", json_string(arena_printf(req->arena, "%s?%s%spage=%lld", base, buf_cstr(&qs), sep, page + 1)));
		json_object_set_new(ctx, "pager", pg);
	}
	buf_release(&qs);
	catp_alternates(req, ctx, NULL);
	app_render(req, res, "catalog/index", ctx);
}

static const struct {
	const char *key, *heading;
} catp_sections[] = {
	{"steps", "Steps"},           {"methods", "How to submit"},          {"subjects", "Who may apply"},
	{"result", "Result"},         {"fees", "Fees and charges"},          {"conditions", "Requirements and conditions"},
	{"legal_basis", "Legal basis"},
};

static int catp_in(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) if (strcmp(json_string_value(v), s) == 0) return 1;
	return 0;
}

static void catp_procedure(http_request_t *req, http_response_t *res)
{
	const char *code = req->params[0];
	json_t *p = catalog_get(req, req->lang, code);
	if (!p) {
		app_error(req, res, 404);
		return;
	}
	const char *name = json_string_value(json_object_get(p, "name"));
	json_t *ctx = app_page_ctx(req, name);
	json_t *fallback = json_object_get(p, "fallback");
	int vi_only = strcmp(req->lang, "vi") && !json_is_true(json_object_get(p, "translated"));
	json_t *sections = json_array();
	for (size_t k = 0; k < sizeof(catp_sections) / sizeof(catp_sections[0]); k++) {
		const char *md = json_string_value(json_object_get(p, catp_sections[k].key));
		buf_t html;
		buf_init(&html, 1u << 20);
		if (md && *md)
			md_render(md, strlen(md), &html);
		int fb = catp_in(fallback, catp_sections[k].key);
		json_array_append_new(sections, json_pack("{s:s, s:s, s:s, s:b, s:b}", "id", catp_sections[k].key, "heading",
							  app_t_(req, catp_sections[k].heading), "html", buf_cstr(&html), "empty",
							  !md || !*md, "vi", fb || vi_only));
		buf_release(&html);
		if (k == 1) /* documents and the time limit come after the methods, as in the national catalog */
			json_array_append_new(sections, json_pack("{s:s, s:b}", "id", "documents", "docs", 1));
	}
	json_object_set_new(p, "sections", sections);
	json_t *docs = json_object_get(p, "documents");
	size_t i;
	json_t *d;
	json_array_foreach(docs, i, d) json_object_set_new(d, "required_label",
							     json_string(app_t_(req, json_is_true(json_object_get(d, "required")) ? "Required" : "Optional")));
	json_t *forms = json_object_get(p, "forms");
	json_array_foreach(forms, i, d)
	{
		long long b = json_integer_value(json_object_get(d, "bytes"));
		json_object_set_new(d, "size", json_string(b < 1024 ? arena_printf(req->arena, "%lld B", b)
								    : arena_printf(req->arena, "%lld KB", (b + 1023) / 1024)));
	}
	const char *field_slug = json_string_value(json_object_get(json_object_get(p, "field"), "slug"));
	const char *agency_code = json_string_value(json_object_get(json_object_get(p, "agency"), "code"));
	const char *base = arena_printf(req->arena, "%s%s", req->prefix, catp_index_path(req->lang));
	json_object_set_new(json_object_get(p, "field"), "url", json_string(arena_printf(req->arena, "%s?field=%s", base, field_slug)));
	json_object_set_new(json_object_get(p, "agency"), "url", json_string(arena_printf(req->arena, "%s?agency=%s", base, agency_code)));
	json_object_set_new(p, "level_label", json_string(catp_level_label(req, json_string_value(json_object_get(p, "level")))));
	json_object_set_new(p, "online_label", json_string(catp_online_label(req, json_string_value(json_object_get(p, "online")))));
	json_object_set_new(p, "full", json_boolean(strcmp(json_string_value(json_object_get(p, "online")), "toan_trinh") == 0));
	json_object_set_new(p, "days_label", json_string(catp_days(req, json_integer_value(json_object_get(p, "days")))));
	json_object_set_new(p, "submit_url", json_string(catalog_submit_url(req->arena, req->lang, code)));
	json_object_set_new(p, "vi_only", json_boolean(vi_only));
	json_object_set_new(p, "some_vi", json_boolean(!vi_only && json_array_size(fallback) > 0));
	json_object_set_new(ctx, "index_url", json_string(base));
	json_object_set_new(ctx, "proc", p);
	json_object_set_new(ctx, "canonical", json_string(arena_printf(req->arena, "%s%s", app_setting(req, "site.base_url", ""),
									 catalog_proc_url(req->arena, req->lang, code))));
	catp_alternates(req, ctx, code);
	app_render(req, res, "catalog/procedure", ctx);
}

static void catp_agencies(http_request_t *req, http_response_t *res)
{
	json_t *ctx = app_page_ctx(req, app_t_(req, "Agencies"));
	json_t *list = json_array();
	const char *base = arena_printf(req->arena, "%s%s", req->prefix, catp_index_path(req->lang));
	db_stmt_t *st = db_prepare(req->db, "SELECT g.code, coalesce(gt.name, gv.name, g.code), g.level, g.commune, g.address, g.phone,"
					    " g.email, (SELECT count(*) FROM procedures p WHERE p.agency_id = g.id AND p.published = 1),"
					    " CASE WHEN gt.name IS NULL THEN 0 ELSE 1 END FROM agencies g"
					    " LEFT JOIN agency_i18n gv ON gv.agency_id = g.id AND gv.lang = 'vi'"
					    " LEFT JOIN agency_i18n gt ON gt.agency_id = g.id AND gt.lang = ?"
					    " ORDER BY g.position, g.id");
	if (st && db_bindf(st, "s", req->lang) == 0)
		while (db_step(st) == DB_ROW) {
			long long n = db_col_int(st, 7);
			json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:b}", "code",
							      db_col_text(st, 0), "name", db_col_text(st, 1), "level_label",
							      catp_level_label(req, db_col_text(st, 2)), "commune", db_col_text(st, 3),
							      "address", db_col_text(st, 4), "phone", db_col_text(st, 5), "email",
							      db_col_text(st, 6), "tel", db_col_text(st, 5), "count", n, "url",
							      arena_printf(req->arena, "%s?agency=%s", base, db_col_text(st, 0)), "vi_only",
							      strcmp(req->lang, "vi") && !db_col_int(st, 8)));
		}
	if (st)
		db_done(st);
	json_object_set_new(ctx, "agencies", list);
	json_object_set_new(ctx, "index_url", json_string(base));
	for (int i = 0; i < APP_NLANGS; i++)
		app_set_alternate(ctx, app_langs[i], arena_printf(req->arena, "%s%s", catp_prefix(app_langs[i]), i ? "/agencies" : "/co-quan"));
	app_render(req, res, "catalog/agencies", ctx);
}

/* A form file: always a download (Content-Disposition: attachment), never rendered by the browser. */
static void catp_form(http_request_t *req, http_response_t *res)
{
	const char *s = req->params[0];
	long long id = 0;
	for (const char *c = s; *c; c++) {
		if (*c < '0' || *c > '9' || c - s > 15) {
			app_error(req, res, 404);
			return;
		}
		id = id * 10 + (*c - '0');
	}
	db_stmt_t *st = db_prepare(req->db, "SELECT f.stored, f.filename, f.mime FROM procedure_forms f"
					    " JOIN procedures p ON p.id = f.procedure_id WHERE f.id = ? AND p.published = 1");
	if (!st || db_bindf(st, "i", id) < 0 || db_step(st) != DB_ROW) {
		if (st)
			db_done(st);
		app_error(req, res, 404);
		return;
	}
	const char *stored = arena_strdup(req->arena, db_col_text(st, 0));
	const char *filename = arena_strdup(req->arena, db_col_text(st, 1));
	const char *mime = arena_strdup(req->arena, db_col_text(st, 2));
	db_done(st);
	char path[4300];
	snprintf(path, sizeof(path), "%s/forms/%s", app.files_dir, stored);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || (size_t)sb.st_size > CATALOG_MAX_FORM) {
		if (fd >= 0)
			close(fd);
		app_error(req, res, 404);
		return;
	}
	char *data = arena_alloc(req->arena, (size_t)sb.st_size + 1);
	size_t got = 0;
	while (data && got < (size_t)sb.st_size) {
		ssize_t r = read(fd, data + got, (size_t)sb.st_size - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (!data || got != (size_t)sb.st_size || buf_append(&res->body, data, got) < 0) {
		buf_reset(&res->body);
		app_error(req, res, 500);
		return;
	}
	/* an ASCII fallback name for old clients, the real one as RFC 5987 UTF-8 */
	buf_t ascii;
	buf_init(&ascii, 1024);
	utf8_slug(filename, strlen(filename), &ascii, 120);
	const char *ext = strrchr(filename, '.');
	char *fallback = arena_printf(req->arena, "%s", ascii.len ? buf_cstr(&ascii) : "bieu-mau");
	size_t fl = strlen(fallback), el = ext ? strlen(ext) : 0;
	if (ext && fl > el - 1 && strcmp(fallback + fl - (el - 1), ext + 1) == 0) /* the slug ate the dot */
		fallback[fl - el] = '\0';
	buf_release(&ascii);
	int ext_ok = ext && strspn(ext + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == strlen(ext + 1);
	res->status = 200;
	res->content_type = mime;
	res->cache_ttl = 0;
	http_add_header(res, "content-disposition",
			arena_printf(req->arena, "attachment; filename=\"%s%s\"; filename*=UTF-8''%s", fallback, ext_ok ? ext : "",
				     http_urlencode(req->arena, filename)));
}
