/* admin/catalog: the procedure catalog in the staff area (admins: PERM_CATALOG) — procedures with their
 * texts in three languages, documents (one per line: reorder by moving lines) and forms, publish and
 * unpublish; agencies; fields; and the CSV import (the same svc/catalog.h code as `cong import`).
 * Forms follow site.c's pattern: POST → validate → the same page again with status 400, the input kept
 * and the errors tied to their fields; on success an audit entry, http_cache_invalidate() (the public
 * pages show the catalog) and a 303 with a flash message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "admin/admin.h"
#include "db/db.h"
#include "http/server.h"
#include "svc/catalog.h"
#include "svc/catalog_pages.h"
#include "svc/ident.h"

static void cat_list(http_request_t *req, http_response_t *res);
static void cat_new(http_request_t *req, http_response_t *res);
static void cat_create(http_request_t *req, http_response_t *res);
static void cat_edit(http_request_t *req, http_response_t *res);
static void cat_save(http_request_t *req, http_response_t *res);
static void cat_publish(http_request_t *req, http_response_t *res);
static void cat_unpublish(http_request_t *req, http_response_t *res);
static void cat_form_upload(http_request_t *req, http_response_t *res);
static void cat_form_delete(http_request_t *req, http_response_t *res);
static void cat_agencies(http_request_t *req, http_response_t *res);
static void cat_agency_new(http_request_t *req, http_response_t *res);
static void cat_agency_edit(http_request_t *req, http_response_t *res);
static void cat_agency_create(http_request_t *req, http_response_t *res);
static void cat_agency_update(http_request_t *req, http_response_t *res);
static void cat_fields(http_request_t *req, http_response_t *res);
static void cat_field_create(http_request_t *req, http_response_t *res);
static void cat_field_update(http_request_t *req, http_response_t *res);
static void cat_import_page(http_request_t *req, http_response_t *res);
static void cat_import_post(http_request_t *req, http_response_t *res);

const app_route_t admin_catalog_routes[] = {
	{"GET", "vi en zh", "/admin/catalog", cat_list},
	{"POST", "vi en zh", "/admin/catalog", cat_create},
	{"GET", "vi en zh", "/admin/catalog/new", cat_new},
	{"GET", "vi en zh", "/admin/catalog/import", cat_import_page},
	{"POST", "vi en zh", "/admin/catalog/import", cat_import_post},
	{"GET", "vi en zh", "/admin/catalog/agencies", cat_agencies},
	{"POST", "vi en zh", "/admin/catalog/agencies", cat_agency_create},
	{"GET", "vi en zh", "/admin/catalog/agencies/new", cat_agency_new},
	{"GET", "vi en zh", "/admin/catalog/agencies/*", cat_agency_edit},
	{"POST", "vi en zh", "/admin/catalog/agencies/*", cat_agency_update},
	{"GET", "vi en zh", "/admin/catalog/fields", cat_fields},
	{"POST", "vi en zh", "/admin/catalog/fields", cat_field_create},
	{"POST", "vi en zh", "/admin/catalog/fields/*", cat_field_update},
	{"POST", "vi en zh", "/admin/catalog/forms/*/delete", cat_form_delete},
	{"GET", "vi en zh", "/admin/catalog/*", cat_edit},
	{"POST", "vi en zh", "/admin/catalog/*", cat_save},
	{"POST", "vi en zh", "/admin/catalog/*/publish", cat_publish},
	{"POST", "vi en zh", "/admin/catalog/*/unpublish", cat_unpublish},
	{"POST", "vi en zh", "/admin/catalog/*/forms", cat_form_upload},
	{NULL, NULL, NULL, NULL},
};

static const char *const cat_langs[APP_NLANGS] = {"vi", "en", "zh"};
static const char *const cat_lang_names[APP_NLANGS] = {"Tiếng Việt", "English", "中文"};
static const char *const cat_text_labels[CAT_NTEXT] = {"Name", "Steps", "How to submit", "Who may apply", "Result",
						       "Fees and charges", "Requirements and conditions", "Legal basis"};


static const char *cat_get(http_request_t *req, form_t *f, const char *name)
{
	const char *v = form_get(f, name);
	if (!v)
		return "";
	size_t n = strlen(v);
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\n' || v[n - 1] == '\r' || v[n - 1] == '\t'))
		n--;
	while (n && (*v == ' ' || *v == '\n' || *v == '\r' || *v == '\t')) {
		v++;
		n--;
	}
	/* CRLF from browsers → LF */
	char *o = arena_alloc(req->arena, n + 1), *p = o;
	if (!o)
		return "";
	for (size_t i = 0; i < n; i++)
		if (v[i] != '\r')
			*p++ = v[i];
	*p = '\0';
	return o;
}

/* The tabs of the catalog pages. */
static json_t *cat_ctx(http_request_t *req, const char *title, const char *tab)
{
	json_t *ctx = admin_ctx(req, title, "catalog");
	static const struct {
		const char *id, *label, *path;
	} tabs[] = {
		{"procedures", "Procedures", "/catalog"},
		{"agencies", "Agencies", "/catalog/agencies"},
		{"fields", "Fields", "/catalog/fields"},
		{"import", "Import from CSV", "/catalog/import"},
	};
	json_t *a = json_array();
	for (size_t i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "label", app_t_(req, tabs[i].label), "url",
						   admin_url(req, tabs[i].path), "current", strcmp(tabs[i].id, tab) == 0));
	json_object_set_new(ctx, "site_tabs", a);
	json_object_set_new(ctx, "heading", json_string(title));
	return ctx;
}

static void cat_fail(http_request_t *req, http_response_t *res)
{
	app_error(req, res, 500);
	res->cache_ttl = -1;
}

/* One form field for templates/admin/site/field.html (every f_ key set). */
static json_t *cat_field(http_request_t *req, const char *id, const char *name, const char *label, const char *value,
			 const char *type, int max, const char *lang, int required, const char *hint, const char *error)
{
	const char *described = hint && error ? arena_printf(req->arena, "%s-error %s-hint", id, id)
				: error	      ? arena_printf(req->arena, "%s-error", id)
				: hint	      ? arena_printf(req->arena, "%s-hint", id)
						: "";
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:i, s:s, s:b, s:s, s:s, s:s}", "f_id", id, "f_name", name, "f_label",
			 label, "f_slabel", label, "f_value", value ? value : "", "f_type", strcmp(type, "textarea") ? type : "text",
			 "f_textarea", strcmp(type, "textarea") == 0, "f_max", max, "f_lang", lang ? lang : "", "f_required", required,
			 "f_hint", hint ? hint : "", "f_error", error ? error : "", "f_describedby", described);
}

static void cat_summary(json_t *ctx, json_t *groups)
{
	json_t *summary = json_array();
	size_t i, j;
	json_t *g, *f;
	json_array_foreach(groups, i, g) json_array_foreach(json_object_get(g, "fields"), j, f)
	{
		const char *err = json_string_value(json_object_get(f, "f_error"));
		if (err && *err)
			json_array_append_new(summary, json_pack("{s:O, s:O, s:s}", "id", json_object_get(f, "f_id"), "label",
								 json_object_get(f, "f_slabel"), "message", err));
	}
	if (json_array_size(summary))
		json_object_set_new(ctx, "errors_summary", json_pack("{s:o}", "items", summary));
	else
		json_decref(summary);
}

/* ---- procedures: list -------------------------------------------------------------------------------- */

static void cat_list(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_CATALOG, 0, NULL))
		return;
	json_t *ctx = cat_ctx(req, app_t_(req, "Procedure catalog"), "procedures");
	json_t *rows = json_array();
	db_stmt_t *st = db_prepare(req->db, "SELECT p.id, p.code, v.name, p.published, g.code, p.days,"
					    " (SELECT count(*) FROM procedure_docs d WHERE d.procedure_id = p.id),"
					    " (SELECT count(*) FROM procedure_i18n t WHERE t.procedure_id = p.id AND t.lang <> 'vi')"
					    " FROM procedures p JOIN procedure_i18n v ON v.procedure_id = p.id AND v.lang = 'vi'"
					    " JOIN agencies g ON g.id = p.agency_id ORDER BY p.id");
	if (st)
		while (db_step(st) == DB_ROW)
			json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:b, s:s, s:I, s:I, s:I}", "url",
							      admin_url(req, arena_printf(req->arena, "/catalog/%lld", db_col_int(st, 0))),
							      "code", db_col_text(st, 1), "name", db_col_text(st, 2), "published",
							      (int)db_col_int(st, 3), "agency", db_col_text(st, 4), "days", db_col_int(st, 5),
							      "docs", db_col_int(st, 6), "translations", db_col_int(st, 7)));
	if (st)
		db_done(st);
	json_object_set_new(ctx, "rows", rows);
	json_object_set_new(ctx, "new_url", json_string(admin_url(req, "/catalog/new")));
	admin_render(req, res, "admin/catalog/list", ctx);
}

/* ---- procedures: the form ---------------------------------------------------------------------------- */

/* The form's values: {"code": …, "field_id": …, "<text>_<lang>": …, "documents_<lang>": …}. */
static json_t *cat_values_from_db(http_request_t *req, long long id)
{
	json_t *v = json_object();
	db_stmt_t *st = db_prepare(req->db, "SELECT code, field_id, agency_id, level, online, days, published FROM procedures WHERE id = ?");
	if (!st || db_bindf(st, "i", id) < 0 || db_step(st) != DB_ROW) {
		if (st)
			db_done(st);
		json_decref(v);
		return NULL;
	}
	json_object_set_new(v, "code", json_string(db_col_text(st, 0)));
	json_object_set_new(v, "field_id", json_string(arena_printf(req->arena, "%lld", db_col_int(st, 1))));
	json_object_set_new(v, "agency_id", json_string(arena_printf(req->arena, "%lld", db_col_int(st, 2))));
	json_object_set_new(v, "level", json_string(db_col_text(st, 3)));
	json_object_set_new(v, "online", json_string(db_col_text(st, 4)));
	json_object_set_new(v, "days", json_string(arena_printf(req->arena, "%lld", db_col_int(st, 5))));
	json_object_set_new(v, "published", json_string(db_col_int(st, 6) ? "1" : ""));
	db_done(st);
	st = db_prepare(req->db, "SELECT lang, name, steps, methods, subjects, result, fees, conditions, legal_basis FROM procedure_i18n"
				 " WHERE procedure_id = ?");
	if (st && db_bindf(st, "i", id) == 0)
		while (db_step(st) == DB_ROW)
			for (int k = 0; k < CAT_NTEXT; k++)
				json_object_set_new(v, arena_printf(req->arena, "%s_%s", catalog_text_cols[k], db_col_text(st, 0)),
						    json_string(db_col_text(st, 1 + k)));
	if (st)
		db_done(st);
	buf_t docs[APP_NLANGS];
	for (int l = 0; l < APP_NLANGS; l++)
		buf_init(&docs[l], 1u << 20);
	st = db_prepare(req->db, "SELECT d.id, d.copies, d.required, i.lang, i.name FROM procedure_docs d JOIN procedure_doc_i18n i"
				 " ON i.doc_id = d.id WHERE d.procedure_id = ? ORDER BY d.position, d.id, i.lang");
	if (st && db_bindf(st, "i", id) == 0)
		while (db_step(st) == DB_ROW) {
			const char *lang = db_col_text(st, 3);
			int l = strcmp(lang, "vi") == 0 ? 0 : strcmp(lang, "en") == 0 ? 1 : 2;
			if (l == 0)
				buf_appendf(&docs[0], "%s%s (%s)%s", docs[0].len ? "\n" : "", db_col_text(st, 4), db_col_text(st, 1),
					    db_col_int(st, 2) ? "" : "?");
			else
				buf_appendf(&docs[l], "%s%s%s", docs[l].len ? "\n" : "", db_col_text(st, 4), db_col_int(st, 2) ? "" : "?");
		}
	if (st)
		db_done(st);
	for (int l = 0; l < APP_NLANGS; l++) {
		json_object_set_new(v, arena_printf(req->arena, "documents_%s", cat_langs[l]), json_string(buf_cstr(&docs[l])));
		buf_release(&docs[l]);
	}
	return v;
}

static json_t *cat_options(http_request_t *req, const char *sql, const char *selected)
{
	json_t *a = json_array();
	db_stmt_t *st = db_prepare(req->db, sql);
	if (st)
		while (db_step(st) == DB_ROW)
			json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "o_value", db_col_text(st, 0), "o_label", db_col_text(st, 1),
							   "o_selected", selected && strcmp(selected, db_col_text(st, 0)) == 0));
	if (st)
		db_done(st);
	return a;
}

/* Renders the procedure form.  id 0: a new one.  values and errors (name → message) are taken over. */
static void cat_render_form(http_request_t *req, http_response_t *res, long long id, json_t *values, json_t *errors,
			    const char *form_error, int status)
{
#define V(k) json_string_value(json_object_get(values, k))
#define E(k) json_string_value(json_object_get(errors, k))
	json_t *ctx = cat_ctx(req, app_t_(req, id ? "Edit procedure" : "New procedure"), "procedures");
	json_t *groups = json_array();
	json_t *main = json_array();
	json_array_append_new(main, cat_field(req, "p-code", "code", app_t_(req, "Procedure code"), V("code"), "text", CATALOG_CODE_MAX,
					      NULL, 1, app_t_(req, "As in the national catalog, e.g. 2.000635."), E("code")));
	json_array_append_new(main, cat_field(req, "p-days", "days", app_t_(req, "Time limit (working days)"), V("days"), "number", 4,
					      NULL, 1, NULL, E("days")));
	json_array_append_new(groups, json_pack("{s:s, s:s, s:s, s:o}", "g_title", app_t_(req, "Procedure"), "g_lang", "",
						"g_lang_name", "", "fields", main));
	for (int l = 0; l < APP_NLANGS; l++) {
		json_t *fields = json_array();
		for (int k = 0; k < CAT_NTEXT; k++) {
			const char *name = arena_printf(req->arena, "%s_%s", catalog_text_cols[k], cat_langs[l]);
			const char *label = app_t_(req, cat_text_labels[k]);
			json_t *f = cat_field(req, arena_printf(req->arena, "p-%s", name), name, label, V(name), k ? "textarea" : "text",
					      k ? 20000 : 500, cat_langs[l], k == 0 && l == 0,
					      k == 1 && l == 0 ? app_t_(req, "Long texts are Markdown: lists with 1. or -, paragraphs between empty lines.") : NULL,
					      E(name));
			json_object_set_new(f, "f_slabel", json_string(arena_printf(req->arena, "%s (%s)", label, cat_lang_names[l])));
			json_array_append_new(fields, f);
			if (k == CAT_METHODS) {
				const char *dn = arena_printf(req->arena, "documents_%s", cat_langs[l]);
				json_t *d = cat_field(req, arena_printf(req->arena, "p-%s", dn), dn, app_t_(req, "Dossier documents"), V(dn),
						      "textarea", 40000, cat_langs[l], l == 0,
						      app_t_(req, l == 0 ? "One document per line: its name, then the copies in brackets; a ? at the end marks an optional one. Move lines to reorder."
									 : "One line for each Vietnamese document, in the same order."),
						      E(dn));
				json_object_set_new(d, "f_slabel", json_string(arena_printf(req->arena, "%s (%s)", app_t_(req, "Dossier documents"), cat_lang_names[l])));
				json_array_append_new(fields, d);
			}
		}
		json_array_append_new(groups, json_pack("{s:s, s:s, s:s, s:o}", "g_title", "", "g_lang", cat_langs[l], "g_lang_name",
							cat_lang_names[l], "fields", fields));
	}
	cat_summary(ctx, groups);
	const char *sel_field = V("field_id"), *sel_agency = V("agency_id");
	if (E("field_id") || E("agency_id")) {
		json_t *s = json_object_get(ctx, "errors_summary");
		if (!s) {
			s = json_pack("{s:[]}", "items");
			json_object_set_new(ctx, "errors_summary", s);
		}
		if (E("field_id"))
			json_array_append_new(json_object_get(s, "items"), json_pack("{s:s, s:s, s:s}", "id", "p-field", "label", app_t_(req, "Field"), "message", E("field_id")));
		if (E("agency_id"))
			json_array_append_new(json_object_get(s, "items"), json_pack("{s:s, s:s, s:s}", "id", "p-agency", "label", app_t_(req, "Implementing agency"), "message", E("agency_id")));
	}
	json_object_set_new(ctx, "groups", groups);
	json_object_set_new(ctx, "field_options", cat_options(req, "SELECT CAST(f.id AS TEXT), coalesce(i.name, f.slug) FROM proc_fields f"
								 " LEFT JOIN proc_field_i18n i ON i.field_id = f.id AND i.lang = 'vi'"
								 " ORDER BY f.position, f.id", sel_field));
	json_object_set_new(ctx, "agency_options", cat_options(req, "SELECT CAST(g.id AS TEXT), g.code || ' — ' || coalesce(i.name, '') FROM agencies g"
								  " LEFT JOIN agency_i18n i ON i.agency_id = g.id AND i.lang = 'vi'"
								  " ORDER BY g.position, g.id", sel_agency));
	json_object_set_new(ctx, "field_error", json_string(E("field_id") ? E("field_id") : ""));
	json_object_set_new(ctx, "agency_error", json_string(E("agency_id") ? E("agency_id") : ""));
	const char *level = V("level") ? V("level") : "", *online = V("online") ? V("online") : "toan_trinh";
	json_object_set_new(ctx, "levels", json_pack("[{s:s, s:s, s:b}, {s:s, s:s, s:b}, {s:s, s:s, s:b}]", "o_value", "", "o_label",
						     app_t_(req, "The agency's level"), "o_selected", !*level, "o_value", "tinh", "o_label",
						     app_t_(req, "Province level"), "o_selected", strcmp(level, "tinh") == 0, "o_value", "xa",
						     "o_label", app_t_(req, "Commune level"), "o_selected", strcmp(level, "xa") == 0));
	json_object_set_new(ctx, "onlines", json_pack("[{s:s, s:s, s:b}, {s:s, s:s, s:b}]", "o_value", "toan_trinh", "o_label",
						      app_t_(req, "Fully online"), "o_selected", strcmp(online, "mot_phan") != 0, "o_value",
						      "mot_phan", "o_label", app_t_(req, "Partly online"), "o_selected",
						      strcmp(online, "mot_phan") == 0));
	json_object_set_new(ctx, "published", json_boolean(V("published") && *V("published")));
	if (form_error)
		json_object_set_new(ctx, "form_error", json_string(form_error));
	json_object_set_new(ctx, "action", json_string(admin_url(req, id ? arena_printf(req->arena, "/catalog/%lld", id) : "/catalog")));
	json_object_set_new(ctx, "list_url", json_string(admin_url(req, "/catalog")));
	if (id) {
		json_object_set_new(ctx, "id", json_integer(id));
		const char *code = V("code");
		int pub = db_int(req->db, "SELECT published FROM procedures WHERE id = ?", "i", 0, id) != 0;
		json_object_set_new(ctx, "is_published", json_boolean(pub));
		json_object_set_new(ctx, "publish_url", json_string(admin_url(req, arena_printf(req->arena, "/catalog/%lld/%s", id, pub ? "unpublish" : "publish"))));
		json_object_set_new(ctx, "public_url", json_string(catalog_proc_url(req->arena, req->lang, code ? code : "")));
		json_object_set_new(ctx, "upload_url", json_string(admin_url(req, arena_printf(req->arena, "/catalog/%lld/forms", id))));
		json_t *forms = json_array();
		db_stmt_t *st = db_prepare(req->db, "SELECT id, title, filename, bytes FROM procedure_forms WHERE procedure_id = ? ORDER BY position, id");
		if (st && db_bindf(st, "i", id) == 0)
			while (db_step(st) == DB_ROW)
				json_array_append_new(forms, json_pack("{s:s, s:s, s:I, s:s, s:s}", "title", db_col_text(st, 1), "filename",
								       db_col_text(st, 2), "bytes", db_col_int(st, 3), "url",
								       arena_printf(req->arena, "/bieu-mau/%lld", db_col_int(st, 0)), "delete_url",
								       admin_url(req, arena_printf(req->arena, "/catalog/forms/%lld/delete", db_col_int(st, 0)))));
		if (st)
			db_done(st);
		json_object_set_new(ctx, "forms", forms);
		json_t *docs = json_array();
		st = db_prepare(req->db, "SELECT d.id, i.name FROM procedure_docs d JOIN procedure_doc_i18n i ON i.doc_id = d.id AND i.lang = 'vi'"
					 " WHERE d.procedure_id = ? ORDER BY d.position, d.id");
		if (st && db_bindf(st, "i", id) == 0)
			while (db_step(st) == DB_ROW)
				json_array_append_new(docs, json_pack("{s:I, s:s}", "id", db_col_int(st, 0), "name", db_col_text(st, 1)));
		if (st)
			db_done(st);
		json_object_set_new(ctx, "doc_ids", docs);
	}
	admin_render(req, res, "admin/catalog/edit", ctx);
	res->status = status;
	json_decref(values);
	json_decref(errors);
#undef V
#undef E
}

static void cat_new(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_CATALOG, 0, NULL))
		return;
	cat_render_form(req, res, 0, json_pack("{s:s, s:s}", "published", "1", "online", "toan_trinh"), json_object(), NULL, 200);
}

static void cat_edit(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_CATALOG, 0, NULL))
		return;
	long long id = admin_id(req->params[0]);
	json_t *v = id ? cat_values_from_db(req, id) : NULL;
	if (!v) {
		app_error(req, res, 404);
		res->cache_ttl = -1;
		return;
	}
	cat_render_form(req, res, id, v, json_object(), NULL, 200);
}

/* Reads, checks and saves the procedure form (id 0: create). */
static void cat_store(http_request_t *req, http_response_t *res, long long id)
{
	if (!admin_require(req, res, PERM_CATALOG, 0, NULL))
		return;
	form_t *f = admin_form(req, res);
	if (!f)
		return;
	if (id && db_int(req->db, "SELECT count(*) FROM procedures WHERE id = ?", "i", 0, id) != 1) {
		app_error(req, res, 404);
		res->cache_ttl = -1;
		return;
	}
	json_t *values = json_object(), *errors = json_object();
	static const char *const plain[] = {"code", "field_id", "agency_id", "level", "online", "days", "published"};
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		json_object_set_new(values, plain[i], json_string(cat_get(req, f, plain[i])));
	catalog_proc_t p;
	memset(&p, 0, sizeof(p));
	for (int l = 0; l < APP_NLANGS; l++) {
		for (int k = 0; k < CAT_NTEXT; k++) {
			const char *name = arena_printf(req->arena, "%s_%s", catalog_text_cols[k], cat_langs[l]);
			const char *val = cat_get(req, f, name);
			if (k == 0)
				for (char *c = (char *)val; *c; c++)
					if (*c == '\n' || *c == '\t')
						*c = ' ';
			json_object_set_new(values, name, json_string(val));
			p.text[k][l] = val;
			if (strlen(val) > (k ? 20000u : 500u))
				json_object_set_new(errors, name, json_string(app_t_(req, "Too long.")));
		}
		const char *dn = arena_printf(req->arena, "documents_%s", cat_langs[l]);
		json_object_set_new(values, dn, json_string(cat_get(req, f, dn)));
	}
	p.code = arena_strdup(req->arena, json_string_value(json_object_get(values, "code"))); /* outlives values */
	if (!catalog_code_ok(p.code))
		json_object_set_new(errors, "code", json_string(app_t_(req, "Enter the code: 1 to 30 letters, digits, dots or dashes, like 2.000635.")));
	else if (db_int(req->db, "SELECT count(*) FROM procedures WHERE code = ? AND id <> ?", "si", 0, p.code, id) > 0)
		json_object_set_new(errors, "code", json_string(app_t_(req, "Another procedure has this code.")));
	if (!*p.text[CAT_NAME][0])
		json_object_set_new(errors, "name_vi", json_string(app_t_(req, "Enter the procedure's name in Vietnamese.")));
	const char *days = json_string_value(json_object_get(values, "days"));
	char *end = NULL;
	p.days = strtoll(days, &end, 10);
	if (!*days || *end || p.days < 0 || p.days > 3650)
		json_object_set_new(errors, "days", json_string(app_t_(req, "Enter the time limit: a number of working days from 0 to 3650.")));
	p.field_id = admin_id(json_string_value(json_object_get(values, "field_id")));
	if (!p.field_id || db_int(req->db, "SELECT count(*) FROM proc_fields WHERE id = ?", "i", 0, p.field_id) != 1)
		json_object_set_new(errors, "field_id", json_string(app_t_(req, "Choose the field of the procedure.")));
	p.agency_id = admin_id(json_string_value(json_object_get(values, "agency_id")));
	if (!p.agency_id || db_int(req->db, "SELECT count(*) FROM agencies WHERE id = ?", "i", 0, p.agency_id) != 1)
		json_object_set_new(errors, "agency_id", json_string(app_t_(req, "Choose the agency that carries the procedure out.")));
	const char *level = json_string_value(json_object_get(values, "level"));
	p.level = *level ? catalog_level_parse(level) : NULL;
	if (!p.level) {
		p.level = "tinh";
		db_stmt_t *st = db_prepare(req->db, "SELECT level FROM agencies WHERE id = ?");
		if (st && db_bindf(st, "i", p.agency_id) == 0 && db_step(st) == DB_ROW && strcmp(db_col_text(st, 0), "xa") == 0)
			p.level = "xa";
		if (st)
			db_done(st);
	}
	p.online = catalog_online_parse(json_string_value(json_object_get(values, "online")));
	if (!p.online)
		p.online = "toan_trinh";
	p.published = *json_string_value(json_object_get(values, "published")) != '\0';
	const char *why = NULL, *arg = NULL;
	int nd = catalog_docs_parse(req->arena, json_string_value(json_object_get(values, "documents_vi")), 0, &p, &why, &arg);
	if (nd < 0)
		json_object_set_new(errors, "documents_vi", json_string(arg ? arena_printf(req->arena, app_t_(req, why), arg) : app_t_(req, why)));
	else if (nd == 0)
		json_object_set_new(errors, "documents_vi", json_string(app_t_(req, "List at least one document of the dossier.")));
	p.ndocs = nd > 0 ? nd : 0;
	for (int l = 1; l < APP_NLANGS; l++) {
		catalog_proc_t t;
		memset(&t, 0, sizeof(t));
		const char *dn = arena_printf(req->arena, "documents_%s", cat_langs[l]);
		int m = catalog_docs_parse(req->arena, json_string_value(json_object_get(values, dn)), l, &t, &why, &arg);
		if (m > 0 && m != p.ndocs)
			json_object_set_new(errors, dn, json_string(app_t_(req, "Give one line for each Vietnamese document, in the same order.")));
		else if (m < 0)
			json_object_set_new(errors, dn, json_string(app_t_(req, "Too long.")));
		for (int i = 0; i < m && i < p.ndocs; i++)
			p.doc_name[i][l] = t.doc_name[i][l];
	}
	if (json_object_size(errors)) {
		cat_render_form(req, res, id, values, errors, NULL, 400);
		return;
	}
	long long now = (long long)time(NULL), newid = 0;
	int created = 0;
	if (db_begin(req->db) < 0) {
		json_decref(values);
		json_decref(errors);
		cat_fail(req, res);
		return;
	}
	if (id) /* a changed code: the row is found by id, then saved under its new code */
		db_execf(req->db, "UPDATE procedures SET code = ? WHERE id = ?", "si", p.code, id);
	int rc = catalog_proc_save(req->db, req->arena, &p, now, &newid, &created, &why, &arg);
	if (rc != 0 || db_commit(req->db) < 0) {
		db_rollback(req->db);
		if (rc < 0 || !why) {
			json_decref(values);
			json_decref(errors);
			cat_fail(req, res);
			return;
		}
		cat_render_form(req, res, id, values, errors, arg ? arena_printf(req->arena, app_t_(req, why), arg) : app_t_(req, why), 400);
		return;
	}
	json_decref(values);
	json_decref(errors);
	audit_log(req, NULL, created ? "procedure.create" : "procedure.update", "procedure", newid, p.code);
	http_cache_invalidate();
	admin_flash(req, res, "Procedure saved.");
	http_redirect(res, 303, admin_url(req, arena_printf(req->arena, "/catalog/%lld", newid)));
}

static void cat_create(http_request_t *req, http_response_t *res)
{
	cat_store(req, res, 0);
}

static void cat_save(http_request_t *req, http_response_t *res)
{
	long long id = admin_id(req->params[0]);
	if (!id) {
		app_error(req, res, 404);
		res->cache_ttl = -1;
		return;
	}
	cat_store(req, res, id);
}

static void cat_set_published(http_request_t *req, http_response_t *res, int on)
{
	if (!admin_require(req, res, PERM_CATALOG, 0, NULL) || !admin_form(req, res))
		return;
	long long id = admin_id(req->params[0]);
	if (!id || db_execf(req->db, "UPDATE procedures SET published = ?, updated_at = ? WHERE id = ?", "iii", (long long)on,
			    (long long)time(NULL), id) != 1) {
		app_error(req, res, 404);
		res->cache_ttl = -1;
		return;
	}
	audit_log(req, NULL, on ? "procedure.publish" : "procedure.unpublish", "procedure", id, NULL);
	http_cache_invalidate();
	admin_flash(req, res, on ? "Procedure published." : "Procedure unpublished: citizens no longer see it.");
	http_redirect(res, 303, admin_url(req, arena_printf(req->arena, "/catalog/%lld", id)));
}

static void cat_publish(http_request_t *req, http_response_t *res)
{
	cat_set_published(req, res, 1);
}

static void cat_unpublish(http_request_t *req, http_response_t *res)
{
	cat_set_published(req, res, 0);
}

/* ---- forms ------------------------------------------------------------------------------------------ */

static void cat_form_upload(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_CATALOG, 0, NULL))
		return;
	form_t *f = admin_form(req, res);
	if (!f)
		return;
	long long id = admin_id(req->params[0]);
	json_t *v = id ? cat_values_from_db(req, id) : NULL;
	if (!v) {
		app_error(req, res, 404);
		res->cache_ttl = -1;
		return;
	}
	const form_field_t *file = form_file(f, "file");
	const char *title = cat_get(req, f, "title"), *why = NULL;
	if (!file) {
		cat_render_form(req, res, id, v, json_object(), app_t_(req, "Choose a form file to upload."), 400);
		return;
	}
	if (!*title) { /* the file's name, without its extension, is a fair title */
		char *t = arena_strdup(req->arena, file->filename);
		char *dot = t ? strrchr(t, '.') : NULL;
		if (dot && dot != t)
			*dot = '\0';
		title = t && *t ? t : "Biểu mẫu";
	}
	char stored[40];
	if (db_begin(req->db) < 0) {
		json_decref(v);
		cat_fail(req, res);
		return;
	}
	int rc = catalog_form_add(req->db, app.files_dir, id, title, file->filename, file->value, file->len, stored, &why);
	if (rc != 0 || db_commit(req->db) < 0) {
		db_rollback(req->db);
		if (rc == 0) {
			char path[4300];
			snprintf(path, sizeof(path), "%s/forms/%s", app.files_dir, stored);
			unlink(path);
		}
		cat_render_form(req, res, id, v, json_object(), app_t_(req, why ? why : "The form could not be saved."), rc > 0 ? 400 : 500);
		return;
	}
	json_decref(v);
	audit_log(req, NULL, "procedure.form.add", "procedure", id, file->filename);
	http_cache_invalidate();
	admin_flash(req, res, "Form uploaded.");
	http_redirect(res, 303, admin_url(req, arena_printf(req->arena, "/catalog/%lld", id)));
}

static void cat_form_delete(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_CATALOG, 0, NULL) || !admin_form(req, res))
		return;
	long long fid = admin_id(req->params[0]);
	db_stmt_t *st = db_prepare(req->db, "SELECT procedure_id, stored FROM procedure_forms WHERE id = ?");
	if (!fid || !st || db_bindf(st, "i", fid) < 0 || db_step(st) != DB_ROW) {
		if (st)
			db_done(st);
		app_error(req, res, 404);
		res->cache_ttl = -1;
		return;
	}
	long long pid = db_col_int(st, 0);
	char *stored = arena_strdup(req->arena, db_col_text(st, 1));
	db_done(st);
	if (db_execf(req->db, "DELETE FROM procedure_forms WHERE id = ?", "i", fid) != 1) {
		cat_fail(req, res);
		return;
	}
	char path[4300];
	snprintf(path, sizeof(path), "%s/forms/%s", app.files_dir, stored);
	unlink(path);
	audit_log(req, NULL, "procedure.form.delete", "procedure", pid, stored);
	http_cache_invalidate();
	admin_flash(req, res, "Form deleted.");
	http_redirect(res, 303, admin_url(req, arena_printf(req->arena, "/catalog/%lld", pid)));
}

/* ---- agencies --------------------------------------------------------------------------------------- */

static const struct {
	const char *key, *label, *type;
	int max, required;
} cat_agency_fields[] = {
	{"code", "Agency code", "text", 20, 1},   {"name_vi", "Name (Vietnamese)", "text", 300, 1},
	{"name_en", "Name (English)", "text", 300, 0}, {"name_zh", "Name (Chinese)", "text", 300, 0},
	{"commune", "Commune", "text", 200, 0},   {"address", "Address", "text", 300, 0},
	{"phone", "Phone", "tel", 40, 0},         {"email", "Email", "email", 254, 0},
};

static void cat_agencies(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_CATALOG, 0, NULL))
		return;
	json_t *ctx = cat_ctx(req, app_t_(req, "Agencies"), "agencies");
	json_t *rows = json_array();
	db_stmt_t *st = db_prepare(req->db, "SELECT g.id, g.code, coalesce(i.name, ''), g.level, g.commune,"
					    " (SELECT count(*) FROM procedures p WHERE p.agency_id = g.id) FROM agencies g"
					    " LEFT JOIN agency_i18n i ON i.agency_id = g.id AND i.lang = 'vi' ORDER BY g.position, g.id");
	if (st)
		while (db_step(st) == DB_ROW)
			json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "url",
							      admin_url(req, arena_printf(req->arena, "/catalog/agencies/%lld", db_col_int(st, 0))),
							      "code", db_col_text(st, 1), "name", db_col_text(st, 2), "level",
							      app_t_(req, strcmp(db_col_text(st, 3), "xa") ? "Province level" : "Commune level"),
							      "commune", db_col_text(st, 4), "procedures", db_col_int(st, 5)));
	if (st)
		db_done(st);
	json_object_set_new(ctx, "rows", rows);
	json_object_set_new(ctx, "new_url", json_string(admin_url(req, "/catalog/agencies/new")));
	admin_render(req, res, "admin/catalog/agencies", ctx);
}

static void cat_agency_render(http_request_t *req, http_response_t *res, long long id, json_t *values, json_t *errors,
			      const char *form_error, int status)
{
	json_t *ctx = cat_ctx(req, app_t_(req, id ? "Edit agency" : "New agency"), "agencies");
	json_t *fields = json_array();
	for (size_t i = 0; i < sizeof(cat_agency_fields) / sizeof(cat_agency_fields[0]); i++)
		json_array_append_new(fields, cat_field(req, arena_printf(req->arena, "a-%s", cat_agency_fields[i].key), cat_agency_fields[i].key,
							app_t_(req, cat_agency_fields[i].label),
							json_string_value(json_object_get(values, cat_agency_fields[i].key)),
							cat_agency_fields[i].type, cat_agency_fields[i].max, NULL, cat_agency_fields[i].required,
							i == 0 ? app_t_(req, "Capital letters, digits and dots, like 000.00.12.H50: the first part of its dossier codes.") : NULL,
							json_string_value(json_object_get(errors, cat_agency_fields[i].key))));
	json_t *groups = json_pack("[{s:s, s:s, s:s, s:o}]", "g_title", app_t_(req, "Agency"), "g_lang", "", "g_lang_name", "", "fields", fields);
	cat_summary(ctx, groups);
	json_object_set_new(ctx, "groups", groups);
	const char *level = json_string_value(json_object_get(values, "level"));
	int xa = level && strcmp(level, "xa") == 0;
	json_object_set_new(ctx, "levels", json_pack("[{s:s, s:s, s:b}, {s:s, s:s, s:b}]", "o_value", "tinh", "o_label",
						     app_t_(req, "Province level"), "o_selected", !xa, "o_value", "xa", "o_label",
						     app_t_(req, "Commune level"), "o_selected", xa));
	if (form_error)
		json_object_set_new(ctx, "form_error", json_string(form_error));
	json_object_set_new(ctx, "action", json_string(admin_url(req, id ? arena_printf(req->arena, "/catalog/agencies/%lld", id) : "/catalog/agencies")));
	json_object_set_new(ctx, "list_url", json_string(admin_url(req, "/catalog/agencies")));
	admin_render(req, res, "admin/catalog/agency", ctx);
	res->status = status;
	json_decref(values);
	json_decref(errors);
}

static void cat_agency_new(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_CATALOG, 0, NULL))
		return;
	cat_agency_render(req, res, 0, json_object(), json_object(), NULL, 200);
}

static void cat_agency_edit(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_CATALOG, 0, NULL))
		return;
	long long id = admin_id(req->params[0]);
	db_stmt_t *st = db_prepare(req->db, "SELECT code, level, commune, address, phone, email FROM agencies WHERE id = ?");
	if (!id || !st || db_bindf(st, "i", id) < 0 || db_step(st) != DB_ROW) {
		if (st)
			db_done(st);
		app_error(req, res, 404);
		res->cache_ttl = -1;
		return;
	}
	json_t *v = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "code", db_col_text(st, 0), "level", db_col_text(st, 1), "commune",
			      db_col_text(st, 2), "address", db_col_text(st, 3), "phone", db_col_text(st, 4), "email", db_col_text(st, 5));
	db_done(st);
	st = db_prepare(req->db, "SELECT lang, name FROM agency_i18n WHERE agency_id = ?");
	if (st && db_bindf(st, "i", id) == 0)
		while (db_step(st) == DB_ROW)
			json_object_set_new(v, arena_printf(req->arena, "name_%s", db_col_text(st, 0)), json_string(db_col_text(st, 1)));
	if (st)
		db_done(st);
	cat_agency_render(req, res, id, v, json_object(), NULL, 200);
}

/* Creates (edit 0) or updates the agency of the path. */
static void cat_agency_save(http_request_t *req, http_response_t *res, int edit)
{
	if (!admin_require(req, res, PERM_CATALOG, 0, NULL))
		return;
	form_t *f = admin_form(req, res);
	if (!f)
		return;
	long long id = edit ? admin_id(req->params[0]) : 0;
	if (edit && (!id || db_int(req->db, "SELECT count(*) FROM agencies WHERE id = ?", "i", 0, id) != 1)) {
		app_error(req, res, 404);
		res->cache_ttl = -1;
		return;
	}
	json_t *v = json_object(), *errors = json_object();
	for (size_t i = 0; i < sizeof(cat_agency_fields) / sizeof(cat_agency_fields[0]); i++) {
		const char *val = cat_get(req, f, cat_agency_fields[i].key);
		json_object_set_new(v, cat_agency_fields[i].key, json_string(val));
		if (cat_agency_fields[i].required && !*val)
			json_object_set_new(errors, cat_agency_fields[i].key, json_string(app_t_(req, "This field is required.")));
		else if (strlen(val) > (size_t)cat_agency_fields[i].max * 4)
			json_object_set_new(errors, cat_agency_fields[i].key, json_string(app_t_(req, "Too long.")));
	}
	json_object_set_new(v, "level", json_string(cat_get(req, f, "level")));
	catalog_agency_t g = {.code = arena_strdup(req->arena, json_string_value(json_object_get(v, "code"))), .level = json_string_value(json_object_get(v, "level")),
			      .commune = json_string_value(json_object_get(v, "commune")), .address = json_string_value(json_object_get(v, "address")),
			      .phone = json_string_value(json_object_get(v, "phone")), .email = json_string_value(json_object_get(v, "email")),
			      .name = {json_string_value(json_object_get(v, "name_vi")), json_string_value(json_object_get(v, "name_en")),
				       json_string_value(json_object_get(v, "name_zh"))}};
	if (*g.code && ident_agency_check(g.code) != IDENT_OK)
		json_object_set_new(errors, "code", json_string(app_t_(req, "The agency code must be 2 to 20 capital letters, digits and dots, like 000.00.12.H50.")));
	else if (db_int(req->db, "SELECT count(*) FROM agencies WHERE code = ? AND id <> ?", "si", 0, g.code, id) > 0)
		json_object_set_new(errors, "code", json_string(app_t_(req, "Another agency has this code.")));
	if (json_object_size(errors)) {
		cat_agency_render(req, res, id, v, errors, NULL, 400);
		return;
	}
	const char *why = NULL;
	long long saved = 0;
	int created = 0;
	if (db_begin(req->db) < 0) {
		json_decref(v);
		json_decref(errors);
		cat_fail(req, res);
		return;
	}
	if (id)
		db_execf(req->db, "UPDATE agencies SET code = ? WHERE id = ?", "si", g.code, id);
	else
		g.position = db_int(req->db, "SELECT coalesce(max(position), 0) + 10 FROM agencies", "", 0);
	if (id)
		g.position = db_int(req->db, "SELECT position FROM agencies WHERE id = ?", "i", 0, id);
	int rc = catalog_agency_save(req->db, &g, &saved, &created, &why);
	if (rc != 0 || db_commit(req->db) < 0) {
		db_rollback(req->db);
		if (rc > 0) {
			json_object_set_new(errors, strstr(why, "code") ? "code" : "name_vi", json_string(app_t_(req, why)));
			cat_agency_render(req, res, id, v, errors, NULL, 400);
			return;
		}
		json_decref(v);
		json_decref(errors);
		cat_fail(req, res);
		return;
	}
	json_decref(v);
	json_decref(errors);
	audit_log(req, NULL, created ? "agency.create" : "agency.update", "agency", saved, g.code);
	http_cache_invalidate();
	admin_flash(req, res, "Agency saved.");
	http_redirect(res, 303, admin_url(req, "/catalog/agencies"));
}

static void cat_agency_create(http_request_t *req, http_response_t *res)
{
	cat_agency_save(req, res, 0);
}

static void cat_agency_update(http_request_t *req, http_response_t *res)
{
	cat_agency_save(req, res, 1);
}

/* ---- fields ----------------------------------------------------------------------------------------- */

static void cat_fields_render(http_request_t *req, http_response_t *res, const char *error, json_t *typed, int status)
{
	json_t *ctx = cat_ctx(req, app_t_(req, "Fields"), "fields");
	json_t *rows = json_array();
	db_stmt_t *st = db_prepare(req->db, "SELECT f.id, f.slug, (SELECT count(*) FROM procedures p WHERE p.field_id = f.id) FROM proc_fields f"
					    " ORDER BY f.position, f.id");
	long long ids[512];
	int n = 0;
	if (st)
		while (n < 512 && db_step(st) == DB_ROW) {
			ids[n++] = db_col_int(st, 0);
			json_array_append_new(rows, json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:s}", "id", db_col_int(st, 0), "slug", db_col_text(st, 1),
							      "procedures", db_col_int(st, 2), "url",
							      admin_url(req, arena_printf(req->arena, "/catalog/fields/%lld", db_col_int(st, 0))),
							      "name_vi", "", "name_en", "", "name_zh", ""));
		}
	if (st)
		db_done(st);
	for (int i = 0; i < n; i++) {
		st = db_prepare(req->db, "SELECT lang, name FROM proc_field_i18n WHERE field_id = ?");
		if (st && db_bindf(st, "i", ids[i]) == 0)
			while (db_step(st) == DB_ROW)
				json_object_set_new(json_array_get(rows, (size_t)i), arena_printf(req->arena, "name_%s", db_col_text(st, 0)),
						    json_string(db_col_text(st, 1)));
		if (st)
			db_done(st);
	}
	json_object_set_new(ctx, "rows", rows);
	json_object_set_new(ctx, "action", json_string(admin_url(req, "/catalog/fields")));
	json_object_set_new(ctx, "typed", typed ? typed : json_object());
	if (error)
		json_object_set_new(ctx, "form_error", json_string(error));
	admin_render(req, res, "admin/catalog/fields", ctx);
	res->status = status;
}

static void cat_fields(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_CATALOG, 0, NULL))
		return;
	cat_fields_render(req, res, NULL, NULL, 200);
}

/* Creates a field (POST /admin/catalog/fields) or renames one (POST /admin/catalog/fields/ID). */
static void cat_field_save(http_request_t *req, http_response_t *res, int edit)
{
	if (!admin_require(req, res, PERM_CATALOG, 0, NULL))
		return;
	form_t *f = admin_form(req, res);
	if (!f)
		return;
	long long id = edit ? admin_id(req->params[0]) : 0;
	if (edit && (!id || db_int(req->db, "SELECT count(*) FROM proc_fields WHERE id = ?", "i", 0, id) != 1)) {
		app_error(req, res, 404);
		res->cache_ttl = -1;
		return;
	}
	const char *name[APP_NLANGS];
	for (int l = 0; l < APP_NLANGS; l++) {
		name[l] = cat_get(req, f, arena_printf(req->arena, "name_%s", cat_langs[l]));
		if (strlen(name[l]) > 600) {
			cat_fields_render(req, res, app_t_(req, "Too long."), NULL, 400);
			return;
		}
	}
	if (!*name[0]) {
		cat_fields_render(req, res, app_t_(req, "Enter the field's name in Vietnamese."),
				  json_pack("{s:s, s:s}", "name_en", name[1], "name_zh", name[2]), 400);
		return;
	}
	if (db_begin(req->db) < 0) {
		cat_fail(req, res);
		return;
	}
	int ok = 1;
	if (!id) {
		if (catalog_field_get(req->db, name[0], NULL, NULL, 0) > 0) {
			db_rollback(req->db);
			cat_fields_render(req, res, app_t_(req, "A field with this name exists."),
					  json_pack("{s:s, s:s, s:s}", "name_vi", name[0], "name_en", name[1], "name_zh", name[2]), 400);
			return;
		}
		id = catalog_field_get(req->db, name[0], name[1], name[2], 1);
		ok = id > 0;
	} else {
		for (int l = 0; l < APP_NLANGS && ok; l++)
			ok = (*name[l] ? db_execf(req->db, "INSERT INTO proc_field_i18n (field_id, lang, name) VALUES (?, ?, ?)"
							   " ON CONFLICT (field_id, lang) DO UPDATE SET name = excluded.name",
						   "iss", id, cat_langs[l], name[l])
				       : db_execf(req->db, "DELETE FROM proc_field_i18n WHERE field_id = ? AND lang = ?", "is", id, cat_langs[l])) >= 0;
	}
	if (!ok || db_commit(req->db) < 0) {
		db_rollback(req->db);
		cat_fail(req, res);
		return;
	}
	audit_log(req, NULL, edit ? "field.update" : "field.create", "proc_field", id, name[0]);
	http_cache_invalidate();
	admin_flash(req, res, "Field saved.");
	http_redirect(res, 303, admin_url(req, "/catalog/fields"));
}

static void cat_field_create(http_request_t *req, http_response_t *res)
{
	cat_field_save(req, res, 0);
}

static void cat_field_update(http_request_t *req, http_response_t *res)
{
	cat_field_save(req, res, 1);
}

/* ---- CSV import ------------------------------------------------------------------------------------- */

static void cat_import_render(http_request_t *req, http_response_t *res, json_t *report, const char *error, int status)
{
	json_t *ctx = cat_ctx(req, app_t_(req, "Import from CSV"), "import");
	json_object_set_new(ctx, "action", json_string(admin_url(req, "/catalog/import")));
	if (report)
		json_object_set_new(ctx, "report", report);
	if (error)
		json_object_set_new(ctx, "form_error", json_string(error));
	admin_render(req, res, "admin/catalog/import", ctx);
	res->status = status;
}

static void cat_import_page(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_CATALOG, 0, NULL))
		return;
	cat_import_render(req, res, NULL, NULL, 200);
}

static void cat_import_post(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_CATALOG, 0, NULL))
		return;
	form_t *f = admin_form(req, res);
	if (!f)
		return;
	const char *kind = cat_get(req, f, "kind");
	const form_field_t *file = form_file(f, "file");
	if (strcmp(kind, "procedures") && strcmp(kind, "agencies")) {
		cat_import_render(req, res, NULL, app_t_(req, "Choose what the file holds: procedures or agencies."), 400);
		return;
	}
	if (!file) {
		cat_import_render(req, res, NULL, app_t_(req, "Choose a CSV file to import."), 400);
		return;
	}
	catalog_report_t *r = malloc(sizeof(*r));
	if (!r) {
		cat_fail(req, res);
		return;
	}
	int rc = catalog_import(req->db, req->arena, kind, file->value, file->len, NULL, app.files_dir, (long long)time(NULL), r);
	if (rc < 0) {
		free(r);
		cat_fail(req, res);
		return;
	}
	json_t *bad = json_array();
	for (int i = 0; i < r->nbad && i < CATALOG_MAX_BAD; i++) {
		const char *msg = app_t_(req, r->bad[i].msgid);
		json_array_append_new(bad, json_pack("{s:I, s:s}", "line", (long long)r->bad[i].line, "reason",
						     r->bad[i].arg ? arena_printf(req->arena, msg, r->bad[i].arg) : msg));
	}
	json_t *report = json_pack("{s:i, s:i, s:i, s:b, s:b, s:o, s:s}", "imported", r->imported, "updated", r->updated, "bad", r->nbad,
				   "refused", r->refused, "has_rows", r->nbad > 0, "rows", bad, "summary",
				   arena_printf(req->arena, app_t_(req, "%d imported, %d updated, %d bad rows."), r->imported, r->updated, r->nbad));
	if (r->imported + r->updated > 0) {
		audit_log(req, NULL, "catalog.import", kind, 0,
			  arena_printf(req->arena, "%s: %d imported, %d updated, %d bad", file->filename, r->imported, r->updated, r->nbad));
		http_cache_invalidate();
	}
	int status = r->nbad ? 422 : 200;
	free(r);
	cat_import_render(req, res, report, NULL, status);
}
