/* site: site settings, categories and menus (admins only).
 *
 * Everything here changes what every public page shows (footer, header menu, category links), so every
 * successful save calls http_cache_invalidate(): the next public request renders afresh.  Forms follow one
 * pattern: POST → validate every field → on errors the same page again, status 400, the input kept, each
 * error next to its field (aria-describedby) and in a summary at the top; on success a flash message and a
 * 303 back to the list (post/redirect/get). */
#include <string.h>

#include "admin/admin.h"
#include "core/utf8.h"
#include "db/db.h"
#include "http/server.h"
#include "news/news.h"

static void site_settings_page(http_request_t *req, http_response_t *res);
static void site_settings_save(http_request_t *req, http_response_t *res);
static void site_categories_page(http_request_t *req, http_response_t *res);
static void site_category_new(http_request_t *req, http_response_t *res);
static void site_category_create(http_request_t *req, http_response_t *res);
static void site_category_edit(http_request_t *req, http_response_t *res);
static void site_category_save(http_request_t *req, http_response_t *res);
static void site_category_up(http_request_t *req, http_response_t *res);
static void site_category_down(http_request_t *req, http_response_t *res);
static void site_category_delete(http_request_t *req, http_response_t *res);
static void site_menus_home(http_request_t *req, http_response_t *res);
static void site_menu_page(http_request_t *req, http_response_t *res);
static void site_menu_add(http_request_t *req, http_response_t *res);
static void site_menu_item_edit(http_request_t *req, http_response_t *res);
static void site_menu_item_save(http_request_t *req, http_response_t *res);
static void site_menu_item_up(http_request_t *req, http_response_t *res);
static void site_menu_item_down(http_request_t *req, http_response_t *res);
static void site_menu_item_delete(http_request_t *req, http_response_t *res);

const app_route_t admin_site_routes[] = {
	{"GET", "vi en zh", "/admin/settings", site_settings_page},
	{"POST", "vi en zh", "/admin/settings", site_settings_save},
	{"GET", "vi en zh", "/admin/categories", site_categories_page},
	{"POST", "vi en zh", "/admin/categories", site_category_create},
	{"GET", "vi en zh", "/admin/categories/new", site_category_new},
	{"GET", "vi en zh", "/admin/categories/*", site_category_edit},
	{"POST", "vi en zh", "/admin/categories/*", site_category_save},
	{"POST", "vi en zh", "/admin/categories/*/up", site_category_up},
	{"POST", "vi en zh", "/admin/categories/*/down", site_category_down},
	{"POST", "vi en zh", "/admin/categories/*/delete", site_category_delete},
	{"GET", "vi en zh", "/admin/menus", site_menus_home},
	{"GET", "vi en zh", "/admin/menus/*", site_menu_page},
	{"POST", "vi en zh", "/admin/menus/*", site_menu_add},
	{"GET", "vi en zh", "/admin/menus/items/*", site_menu_item_edit},
	{"POST", "vi en zh", "/admin/menus/items/*", site_menu_item_save},
	{"POST", "vi en zh", "/admin/menus/items/*/up", site_menu_item_up},
	{"POST", "vi en zh", "/admin/menus/items/*/down", site_menu_item_down},
	{"POST", "vi en zh", "/admin/menus/items/*/delete", site_menu_item_delete},
	{NULL, NULL, NULL, NULL},
};

/* Each language's name in that language: legends and tabs name a language the way its readers do. */
static const char *const site_lang_names[APP_NLANGS] = {"Tiếng Việt", "English", "中文"};

#define SITE_MAX_ROWS 1000 /* categories or menu items handled at once; far above any real portal */
#define SITE_SLUG_MAX 80

/* ---- shared helpers -------------------------------------------------------------------------------- */


static int site_lang_index(const char *lang)
{
	for (int i = 0; i < APP_NLANGS; i++)
		if (lang && strcmp(lang, app_langs[i]) == 0)
			return i;
	return -1;
}

/* Number of characters (code points) in s, for length limits that mean the same in every script. */
static size_t site_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* A form value trimmed of surrounding white space; in a one-line field, line breaks and tabs (which only a
 * hand-made request can send) become spaces.  Never NULL. */
static const char *site_clean(http_request_t *req, const char *v, int multiline)
{
	if (!v)
		return "";
	while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
		v++;
	size_t n = strlen(v);
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r' || v[n - 1] == '\n'))
		n--;
	char *out = arena_alloc(req->arena, n + 1), *o = out;
	if (!out)
		return "";
	for (size_t i = 0; i < n; i++) {
		char c = v[i];
		if (multiline && c == '\r') { /* CRLF (what browsers send) → LF */
			if (i + 1 < n && v[i + 1] == '\n')
				continue;
			c = '\n';
		}
		if (!multiline && (c == '\r' || c == '\n' || c == '\t'))
			c = ' ';
		*o++ = c;
	}
	*o = '\0';
	return out;
}

/* "Too long: at most N characters." in the request's language. */
static const char *site_too_long(http_request_t *req, int max)
{
	return arena_printf(req->arena, app_t_(req, "Too long: at most %d characters."), max);
}

/* The tabs of the site administration (settings, categories, menus); current is the tab's id. */
static json_t *site_tabs(http_request_t *req, const char *current)
{
	static const struct {
		const char *id, *label, *path;
	} tabs[] = {
		{"settings", "Settings", "/settings"},
		{"categories", "Categories", "/categories"},
		{"menus", "Menus", "/menus"},
	};
	json_t *a = json_array();
	for (size_t i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "label", app_t_(req, tabs[i].label), "url",
						   admin_url(req, tabs[i].path), "current", strcmp(tabs[i].id, current) == 0));
	return a;
}

/* The context of a site administration page: the staff page context, the tabs and the heading. */
static json_t *site_ctx(http_request_t *req, const char *title, const char *tab)
{
	json_t *ctx = admin_ctx(req, title, "settings");
	json_object_set_new(ctx, "site_tabs", site_tabs(req, tab));
	json_object_set_new(ctx, "heading", json_string(title));
	return ctx;
}

/* One form field for templates/admin/site/field.html.  Every key is set (f_ prefixed), so a template
 * section never picks up a same-named value from an outer context.  summary_label names the field in the
 * error summary (with its language when there are several).  type "textarea" gives a text area. */
static json_t *site_field(http_request_t *req, const char *id, const char *name, const char *label,
			  const char *summary_label, const char *value, const char *type, int max, const char *lang,
			  int required, const char *hint, const char *error)
{
	const char *described = NULL;
	if (hint && error)
		described = arena_printf(req->arena, "%s-error %s-hint", id, id);
	else if (error)
		described = arena_printf(req->arena, "%s-error", id);
	else if (hint)
		described = arena_printf(req->arena, "%s-hint", id);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:i, s:s, s:b, s:s, s:s, s:s}", "f_id", id, "f_name", name,
			 "f_label", label, "f_slabel", summary_label ? summary_label : label, "f_value", value ? value : "",
			 "f_type", strcmp(type, "textarea") ? type : "text", "f_textarea", strcmp(type, "textarea") == 0,
			 "f_max", max, "f_lang", lang ? lang : "", "f_required", required, "f_hint", hint ? hint : "",
			 "f_error", error ? error : "", "f_describedby", described ? described : "");
}

/* Adds the fields with errors (of every group's "fields", in order) to the summary list. */
static void site_summary_add(json_t *summary, json_t *fields)
{
	size_t i;
	json_t *f;
	json_array_foreach(fields, i, f)
	{
		const char *err = json_string_value(json_object_get(f, "f_error"));
		if (err && *err)
			json_array_append_new(summary, json_pack("{s:O, s:O, s:s}", "id", json_object_get(f, "f_id"), "label",
								 json_object_get(f, "f_slabel"), "message", err));
	}
}

static void site_summary_set(json_t *ctx, json_t *summary)
{
	if (json_array_size(summary))
		json_object_set_new(ctx, "errors_summary", json_pack("{s:o}", "items", summary));
	else
		json_decref(summary);
}

/* Collects the ids of rows in display order (sql selects one id column, bound by fmt with one argument). */
static int site_ids(db_t *db, const char *sql, const char *fmt, long long iv, const char *sv, long long *ids)
{
	db_stmt_t *st = db_prepare(db, sql);
	if (!st)
		return -1;
	int n = 0, rc = fmt[0] == 'i' ? db_bindf(st, fmt, iv) : db_bindf(st, fmt, sv);
	if (rc < 0) {
		db_done(st);
		return -1;
	}
	while (n < SITE_MAX_ROWS && (rc = db_step(st)) == DB_ROW)
		ids[n++] = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ERROR ? -1 : n;
}

/* Moves id one place (dir -1 up, +1 down) among ids and writes every position (0, step, 2·step …) with
 * update_sql ("UPDATE … SET position = ? WHERE id = ?"), so duplicate or sparse positions get tidied on the
 * way.  1 when it moved, 0 when it was already first/last (or is not there), -1 on a database error. */
static int site_move(db_t *db, const char *update_sql, long long *ids, int n, long long id, int dir, int step)
{
	int i = 0;
	while (i < n && ids[i] != id)
		i++;
	int j = i + dir;
	if (i == n || j < 0 || j >= n)
		return 0;
	ids[i] = ids[j];
	ids[j] = id;
	for (int k = 0; k < n; k++)
		if (db_execf(db, update_sql, "ii", (long long)k * step, ids[k]) < 0)
			return -1;
	return 1;
}

/* ---- site settings ----------------------------------------------------------------------------------- */

/* The identity of the site in each language: settings site.<key>.<lang>, shown in the header and footer. */
static const struct {
	const char *key, *label, *hint;
	int max, required;
} site_identity[] = {
	{"name", "Site name", "Shown in the header and in the title of every page.", 200, 1},
	{"agency", "Owning agency", NULL, 300, 0},
	{"responsible", "Person responsible", "Name and position, as the footer shows them.", 300, 0},
	{"address", "Address", NULL, 300, 0},
	{"license", "Licence line", "The portal's licence: number, issuer and date.", 500, 0},
};

/* The settings that are the same in every language. */
static const struct {
	const char *key, *id, *label, *hint, *type;
	int max, required;
} site_contacts[] = {
	{"site.phone", "s-phone", "Phone", NULL, "tel", 40, 0},
	{"site.email", "s-email", "Email", NULL, "email", 254, 0},
	{"site.base_url", "s-base-url", "Public address of the site",
	 "Used for links shared outside the site. http:// or https:// and the host name only, without a path: "
	 "https://portal.example.vn",
	 "url", 200, 1},
};

#define SITE_2FA_KEY "security.require_2fa_admins"

static int site_phone_ok(const char *s)
{
	int digits = 0;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (!strchr(" +-().", *s))
			return 0;
	}
	return digits >= 3;
}

static int site_email_ok(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@'))
		return 0;
	const char *dom = at + 1, *dot = strchr(dom, '.');
	size_t n = strlen(s);
	if (!*dom || !dot || dom[0] == '.' || s[n - 1] == '.' || dot == dom)
		return 0;
	for (; *s; s++) /* no spaces, quotes or URL syntax: it ends up in a mailto: link */
		if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f || strchr("<>\"'(),;:[]\\?#&%/", *s))
			return 0;
	return 1;
}

/* The public base URL in canonical form (lowercase scheme and host, no trailing slash), or NULL when s is
 * not http:// or https:// followed by a host (name, IPv4 or [IPv6]) and an optional port, and nothing more
 * than one final '/'. */
static const char *site_base_url(http_request_t *req, const char *s)
{
	size_t skip;
	if (strncasecmp(s, "https://", 8) == 0)
		skip = 8;
	else if (strncasecmp(s, "http://", 7) == 0)
		skip = 7;
	else
		return NULL;
	const char *h = s + skip, *p = h;
	if (*p == '[') { /* IPv6 literal */
		p++;
		while (*p && (strchr("0123456789abcdefABCDEF:.", *p)))
			p++;
		if (*p != ']' || p == h + 1)
			return NULL;
		p++;
	} else {
		const char *start = p;
		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
		       *p == '-')
			p++;
		if (p == start || *start == '.' || *start == '-' || p[-1] == '.' || p[-1] == '-' || strstr(start, ".."))
			return NULL;
	}
	if (*p == ':') {
		const char *d = ++p;
		long port = 0;
		while (*p >= '0' && *p <= '9' && p - d < 6)
			port = port * 10 + (*p++ - '0');
		if (p == d || port < 1 || port > 65535)
			return NULL;
	}
	size_t hostlen = (size_t)(p - s);
	if (*p == '/')
		p++;
	if (*p) /* a path, query, fragment or user info */
		return NULL;
	char *out = arena_strndup(req->arena, s, hostlen);
	for (char *c = out; out && *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	return out;
}

/* Renders the settings form.  values: key → value (the saved ones, or what was typed); errors: key → message. */
static void site_settings_render(http_request_t *req, http_response_t *res, json_t *values, json_t *errors, int status)
{
	json_t *ctx = site_ctx(req, app_t_(req, "Site settings"), "settings");
	json_t *groups = json_array(), *summary = json_array();
	for (int l = 0; l < APP_NLANGS; l++) {
		json_t *fields = json_array();
		for (size_t i = 0; i < sizeof(site_identity) / sizeof(site_identity[0]); i++) {
			const char *key = arena_printf(req->arena, "site.%s.%s", site_identity[i].key, app_langs[l]);
			const char *label = app_t_(req, site_identity[i].label);
			json_array_append_new(
				fields, site_field(req, arena_printf(req->arena, "s-%s-%s", site_identity[i].key, app_langs[l]), key,
						   label, arena_printf(req->arena, "%s (%s)", label, site_lang_names[l]),
						   json_string_value(json_object_get(values, key)), "text", site_identity[i].max,
						   app_langs[l], site_identity[i].required, site_identity[i].hint ? app_t_(req, site_identity[i].hint) : NULL,
						   json_string_value(json_object_get(errors, key))));
		}
		site_summary_add(summary, fields);
		json_array_append_new(groups, json_pack("{s:s, s:s, s:s, s:o}", "g_title", app_t_(req, "Site identity"), "g_lang",
							app_langs[l], "g_lang_name", site_lang_names[l], "fields", fields));
	}
	json_t *fields = json_array();
	for (size_t i = 0; i < sizeof(site_contacts) / sizeof(site_contacts[0]); i++)
		json_array_append_new(fields, site_field(req, site_contacts[i].id, site_contacts[i].key, app_t_(req, site_contacts[i].label),
							 NULL, json_string_value(json_object_get(values, site_contacts[i].key)),
							 site_contacts[i].type, site_contacts[i].max, NULL, site_contacts[i].required,
							 site_contacts[i].hint ? app_t_(req, site_contacts[i].hint) : NULL,
							 json_string_value(json_object_get(errors, site_contacts[i].key))));
	site_summary_add(summary, fields);
	json_array_append_new(groups, json_pack("{s:s, s:s, s:s, s:o}", "g_title", app_t_(req, "Contacts and address of the site"),
						"g_lang", "", "g_lang_name", "", "fields", fields));
	json_object_set_new(ctx, "groups", groups);
	site_summary_set(ctx, summary);
	const char *tfa = json_string_value(json_object_get(values, SITE_2FA_KEY));
	json_object_set_new(ctx, "require_2fa", json_boolean(tfa && strcmp(tfa, "1") == 0));
	json_object_set_new(ctx, "action", json_string(admin_url(req, "/settings")));
	admin_render(req, res, "admin/site/settings", ctx);
	res->status = status;
	json_decref(values);
	json_decref(errors);
}

/* Every settings key this page edits, in form order. */
static int site_settings_keys(http_request_t *req, const char **keys, int max)
{
	int n = 0;
	for (int l = 0; l < APP_NLANGS; l++)
		for (size_t i = 0; i < sizeof(site_identity) / sizeof(site_identity[0]) && n < max; i++)
			keys[n++] = arena_printf(req->arena, "site.%s.%s", site_identity[i].key, app_langs[l]);
	for (size_t i = 0; i < sizeof(site_contacts) / sizeof(site_contacts[0]) && n < max; i++)
		keys[n++] = site_contacts[i].key;
	if (n < max)
		keys[n++] = SITE_2FA_KEY;
	return n;
}

static void site_settings_page(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_SETTINGS, 0, NULL))
		return;
	const char *keys[32];
	int n = site_settings_keys(req, keys, 32);
	json_t *values = json_object();
	for (int i = 0; i < n; i++)
		json_object_set_new(values, keys[i], json_string(app_setting(req, keys[i], "")));
	site_settings_render(req, res, values, json_object(), 200);
}

/* Checks one typed value; returns the (untranslated) error or NULL, and may rewrite *v into canonical form. */
static const char *site_setting_check(http_request_t *req, const char *key, const char **v, int max, int required)
{
	if (required && !**v)
		return strcmp(key, "site.base_url") == 0 ? "Enter the public address of the site." : "Enter the site name in this language.";
	if (site_chars(*v) > (size_t)max)
		return site_too_long(req, max);
	if (strcmp(key, "site.phone") == 0 && **v && !site_phone_ok(*v))
		return "Enter a phone number: digits, spaces and + - ( ) . only.";
	if (strcmp(key, "site.email") == 0 && **v && !site_email_ok(*v))
		return "Enter an email address such as name@example.vn.";
	if (strcmp(key, "site.base_url") == 0) {
		const char *u = site_base_url(req, *v);
		if (!u)
			return "Enter http:// or https:// followed by the host name only, without a path, e.g. https://portal.example.vn.";
		*v = u;
	}
	return NULL;
}

static void site_settings_save(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_SETTINGS, 0, NULL))
		return;
	form_t *f = admin_form(req, res);
	if (!f)
		return;
	json_t *values = json_object(), *errors = json_object();
	for (int l = 0; l < APP_NLANGS; l++)
		for (size_t i = 0; i < sizeof(site_identity) / sizeof(site_identity[0]); i++) {
			const char *key = arena_printf(req->arena, "site.%s.%s", site_identity[i].key, app_langs[l]);
			const char *v = site_clean(req, form_get(f, key), 0);
			const char *err = site_setting_check(req, key, &v, site_identity[i].max, site_identity[i].required);
			json_object_set_new(values, key, json_string(v));
			if (err)
				json_object_set_new(errors, key, json_string(app_t_(req, err)));
		}
	for (size_t i = 0; i < sizeof(site_contacts) / sizeof(site_contacts[0]); i++) {
		const char *key = site_contacts[i].key, *v = site_clean(req, form_get(f, key), 0), *typed = v;
		const char *err = site_setting_check(req, key, &v, site_contacts[i].max, site_contacts[i].required);
		json_object_set_new(values, key, json_string(err ? typed : v));
		if (err)
			json_object_set_new(errors, key, json_string(app_t_(req, err)));
	}
	const char *tfa = form_get(f, SITE_2FA_KEY);
	json_object_set_new(values, SITE_2FA_KEY, json_string(tfa && *tfa && strcmp(tfa, "0") ? "1" : "0"));
	if (json_object_size(errors)) {
		site_settings_render(req, res, values, errors, 400);
		return;
	}
	json_decref(errors);

	const char *keys[32];
	int n = site_settings_keys(req, keys, 32);
	buf_t changed;
	buf_init(&changed, 4096);
	if (db_begin(req->db) < 0)
		goto fail;
	for (int i = 0; i < n; i++) {
		const char *now = json_string_value(json_object_get(values, keys[i]));
		/* an absent setting reads as empty (two-factor: off), so saving an untouched form changes nothing */
		const char *was = app_setting(req, keys[i], strcmp(keys[i], SITE_2FA_KEY) ? "" : "0");
		if (strcmp(was, now) == 0)
			continue;
		if (db_execf(req->db,
			     "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
			     "ss", keys[i], now) < 0) {
			db_rollback(req->db);
			goto fail;
		}
		buf_appendf(&changed, "%s%s", changed.len ? ", " : "", keys[i]);
	}
	if (db_commit(req->db) < 0) {
		db_rollback(req->db);
		goto fail;
	}
	json_decref(values);
	if (changed.len) {
		audit_log(req, NULL, "settings.change", "settings", 0, buf_cstr(&changed));
		http_cache_invalidate();
		admin_flash(req, res, "Settings saved.");
	} else {
		admin_flash(req, res, "Nothing was changed.");
	}
	buf_release(&changed);
	http_redirect(res, 303, admin_url(req, "/settings"));
	return;
fail:
	buf_release(&changed);
	json_decref(values);
	app_error(req, res, 500);
	res->cache_ttl = -1;
}

/* ---- categories -------------------------------------------------------------------------------------- */

typedef struct site_cat {
	long long id, parent, position, articles;
	const char *slug[APP_NLANGS], *name[APP_NLANGS], *desc[APP_NLANGS];
	int children, depth, seen;
} site_cat_t;

/* Every category with its texts, article count and number of subcategories, in (position, id) order, in
 * the arena.  NULL on a database error. */
static site_cat_t *site_cats(http_request_t *req, int *count)
{
	site_cat_t *c = arena_alloc(req->arena, sizeof(*c) * SITE_MAX_ROWS);
	int n = 0, rc;
	*count = 0;
	db_stmt_t *st = db_prepare(req->db, "SELECT c.id, coalesce(c.parent_id, 0), c.position,"
					    " (SELECT count(*) FROM articles a WHERE a.category_id = c.id)"
					    " FROM categories c ORDER BY c.position, c.id");
	if (!c || !st)
		return NULL;
	while (n < SITE_MAX_ROWS && (rc = db_step(st)) == DB_ROW) {
		site_cat_t *x = &c[n++];
		x->id = db_col_int(st, 0);
		x->parent = db_col_int(st, 1);
		x->position = db_col_int(st, 2);
		x->articles = db_col_int(st, 3);
		for (int l = 0; l < APP_NLANGS; l++)
			x->slug[l] = x->name[l] = x->desc[l] = "";
	}
	db_done(st);
	if ((st = db_prepare(req->db, "SELECT category_id, lang, slug, name, description FROM category_i18n")) == NULL)
		return NULL;
	while (db_step(st) == DB_ROW) {
		long long id = db_col_int(st, 0);
		int l = site_lang_index(db_col_text(st, 1));
		for (int i = 0; i < n && l >= 0; i++)
			if (c[i].id == id) {
				c[i].slug[l] = arena_strdup(req->arena, db_col_text(st, 2));
				c[i].name[l] = arena_strdup(req->arena, db_col_text(st, 3));
				c[i].desc[l] = arena_strdup(req->arena, db_col_text(st, 4));
				break;
			}
	}
	db_done(st);
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			if (c[j].id == c[i].parent)
				c[j].children++;
	*count = n;
	return c;
}

static site_cat_t *site_cat_find(site_cat_t *c, int n, long long id)
{
	for (int i = 0; i < n; i++)
		if (c[i].id == id)
			return &c[i];
	return NULL;
}

/* The tree in display order: each category followed by its subcategories. */
static void site_cat_walk(site_cat_t *c, int n, long long parent, int depth, site_cat_t **out, int *k)
{
	if (depth > 8)
		return;
	for (int i = 0; i < n; i++)
		if (c[i].parent == parent && !c[i].seen) {
			c[i].seen = 1;
			c[i].depth = depth;
			out[(*k)++] = &c[i];
			site_cat_walk(c, n, c[i].id, depth + 1, out, k);
		}
}

/* A category's name in the request's language, else in Vietnamese. */
static const char *site_cat_name(http_request_t *req, const site_cat_t *c)
{
	int l = site_lang_index(req->lang);
	return l >= 0 && *c->name[l] ? c->name[l] : c->name[0];
}

static void site_categories_page(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_CATEGORIES, 0, NULL))
		return;
	int n;
	site_cat_t *c = site_cats(req, &n);
	if (!c) {
		app_error(req, res, 500);
		return;
	}
	site_cat_t **order = arena_alloc(req->arena, sizeof(*order) * (size_t)(n + 1));
	int k = 0;
	site_cat_walk(c, n, 0, 0, order, &k);
	for (int i = 0; i < n; i++) /* a parent that no longer exists: show it at the top level rather than hide it */
		if (!c[i].seen) {
			c[i].seen = 1;
			order[k++] = &c[i];
		}
	json_t *rows = json_array();
	for (int i = 0; i < k; i++) {
		site_cat_t *x = order[i];
		int first = 1, last = 1; /* among its siblings */
		for (int j = 0; j < k; j++)
			if (order[j] != x && order[j]->parent == x->parent) {
				if (j < i)
					first = 0;
				else
					last = 0;
			}
		json_t *cells = json_array();
		for (int l = 0; l < APP_NLANGS; l++)
			json_array_append_new(cells, json_pack("{s:b, s:s, s:s, s:s, s:s}", "c_first", l == 0, "c_lang", app_langs[l], "c_name", x->name[l],
							       "c_slug", x->slug[l], "c_url",
							       *x->slug[l] ? news_url(req->arena, app_langs[l], 'c', x->slug[l]) : ""));
		const char *base = admin_url(req, arena_printf(req->arena, "/categories/%lld", x->id));
		json_array_append_new(
			rows, json_pack("{s:I, s:b, s:s, s:o, s:I, s:s, s:s, s:s, s:b, s:b, s:s}", "id", x->id, "child", x->depth > 0,
					"name", site_cat_name(req, x), "cells", cells, "articles", x->articles, "edit_url", base,
					"up_url", arena_printf(req->arena, "%s/up", base), "down_url",
					arena_printf(req->arena, "%s/down", base), "can_up", !first, "can_down", !last, "sub_url",
					x->depth == 0 ? arena_printf(req->arena, "%s?parent=%lld", admin_url(req, "/categories/new"), x->id)
						      : ""));
	}
	json_t *ctx = site_ctx(req, app_t_(req, "Categories"), "categories");
	json_object_set_new(ctx, "rows", rows);
	json_object_set_new(ctx, "new_url", json_string(admin_url(req, "/categories/new")));
	json_object_set_new(ctx, "lang_names", json_pack("[s, s, s]", site_lang_names[0], site_lang_names[1], site_lang_names[2]));
	admin_render(req, res, "admin/site/categories", ctx);
}

/* What the category form holds: typed texts per language and the parent (0: top level). */
typedef struct site_cat_in {
	const char *name[APP_NLANGS], *slug[APP_NLANGS], *desc[APP_NLANGS];
	long long parent;
	const char *name_err[APP_NLANGS], *slug_err[APP_NLANGS], *desc_err[APP_NLANGS], *parent_err;
	int bad;
} site_cat_in_t;

#define SITE_CAT_NAME_MAX 200
#define SITE_CAT_DESC_MAX 2000

static void site_cat_from(site_cat_in_t *in, const site_cat_t *c)
{
	memset(in, 0, sizeof(*in));
	for (int l = 0; l < APP_NLANGS; l++) {
		in->name[l] = c ? c->name[l] : "";
		in->slug[l] = c ? c->slug[l] : "";
		in->desc[l] = c ? c->desc[l] : "";
	}
	in->parent = c ? c->parent : 0;
}

static const char *site_slugify(http_request_t *req, const char *s)
{
	buf_t b;
	buf_init(&b, 1024);
	const char *r = "";
	if (utf8_slug(s, strlen(s), &b, SITE_SLUG_MAX) == 0)
		r = arena_strdup(req->arena, buf_cstr(&b));
	buf_release(&b);
	return r ? r : "";
}

/* Reads and checks the category form.  self is the category being edited (NULL for a new one).  Empty
 * slugs are made from the name (a Chinese name has no Latin letters: the Vietnamese slug is used then);
 * typed slugs are folded the same way, so "Kinh tế" becomes "kinh-te". */
static void site_cat_read(http_request_t *req, const form_t *f, site_cat_t *cats, int n, const site_cat_t *self,
			  site_cat_in_t *in)
{
	memset(in, 0, sizeof(*in));
	for (int l = 0; l < APP_NLANGS; l++) {
		const char *lang = app_langs[l];
		in->name[l] = site_clean(req, form_get(f, arena_printf(req->arena, "name_%s", lang)), 0);
		in->desc[l] = site_clean(req, form_get(f, arena_printf(req->arena, "description_%s", lang)), 1);
		const char *typed = site_clean(req, form_get(f, arena_printf(req->arena, "slug_%s", lang)), 0);
		if (!*in->name[l])
			in->name_err[l] = app_t_(req, "Enter the name in this language.");
		else if (site_chars(in->name[l]) > SITE_CAT_NAME_MAX)
			in->name_err[l] = site_too_long(req, SITE_CAT_NAME_MAX);
		if (site_chars(in->desc[l]) > SITE_CAT_DESC_MAX)
			in->desc_err[l] = site_too_long(req, SITE_CAT_DESC_MAX);
		const char *slug = site_slugify(req, *typed ? typed : in->name[l]);
		if (!*slug && !*typed && l > 0 && *in->slug[0] && !in->slug_err[0]) /* 中文: nothing to fold */
			slug = in->slug[0];
		in->slug[l] = *slug ? slug : typed;
		if (!*slug) {
			if (*typed || *in->name[l]) /* with no name, the name's error says it all */
				in->slug_err[l] = app_t_(req, "Enter a slug: Latin letters a–z, digits and hyphens.");
			continue;
		}
		for (int i = 0; i < n; i++)
			if ((!self || cats[i].id != self->id) && strcmp(cats[i].slug[l], slug) == 0) {
				in->slug_err[l] = arena_printf(req->arena, "%s (%s)",
							       app_t_(req, "Another category already uses this slug in this language."),
							       site_cat_name(req, &cats[i]));
				break;
			}
	}
	const char *p = form_get(f, "parent"); /* absent (not a browser's form): the place stays as it is */
	in->parent = !p ? (self ? self->parent : 0) : *p && strcmp(p, "0") ? admin_id(p) : 0;
	if (p && *p && strcmp(p, "0") && !in->parent)
		in->parent_err = app_t_(req, "Choose a category from the list.");
	else if (in->parent) {
		const site_cat_t *par = site_cat_find(cats, n, in->parent);
		if (!par)
			in->parent_err = app_t_(req, "Choose a category from the list.");
		else if (self && par->id == self->id)
			in->parent_err = app_t_(req, "A category cannot be placed under itself.");
		else if (par->parent)
			in->parent_err = app_t_(req, "Choose a top-level category: categories have at most two levels.");
		else if (self && self->children)
			in->parent_err = app_t_(req, "This category has subcategories, so it must stay at the top level.");
	}
	for (int l = 0; l < APP_NLANGS; l++)
		in->bad |= in->name_err[l] || in->slug_err[l] || in->desc_err[l];
	in->bad |= in->parent_err != NULL;
}

/* Renders the new/edit form of a category (self NULL: a new one).  form_error is shown at the top. */
static void site_cat_render(http_request_t *req, http_response_t *res, site_cat_t *cats, int n, const site_cat_t *self,
			    const site_cat_in_t *in, const char *form_error, int status)
{
	const char *title = self ? app_t_(req, "Edit category") : app_t_(req, "New category");
	json_t *ctx = site_ctx(req, self ? arena_printf(req->arena, "%s: %s", title, site_cat_name(req, self)) : title, "categories");
	json_t *groups = json_array(), *summary = json_array();
	for (int l = 0; l < APP_NLANGS; l++) {
		const char *lang = app_langs[l], *ln = site_lang_names[l];
		const char *l_name = app_t_(req, "Name"), *l_slug = app_t_(req, "Slug (web address)"),
			   *l_desc = app_t_(req, "Description");
		json_t *fields = json_array();
		json_array_append_new(fields, site_field(req, arena_printf(req->arena, "c-name-%s", lang),
							 arena_printf(req->arena, "name_%s", lang), l_name,
							 arena_printf(req->arena, "%s (%s)", l_name, ln), in->name[l], "text",
							 SITE_CAT_NAME_MAX, lang, 1, NULL, in->name_err[l]));
		json_array_append_new(
			fields, site_field(req, arena_printf(req->arena, "c-slug-%s", lang), arena_printf(req->arena, "slug_%s", lang),
					   l_slug, arena_printf(req->arena, "%s (%s)", l_slug, ln), in->slug[l], "text", SITE_SLUG_MAX,
					   NULL, 0,
					   arena_printf(req->arena, "%s %s", app_t_(req, "Leave it empty to make it from the name. Address:"),
							news_url(req->arena, lang, 'c', *in->slug[l] ? in->slug[l] : "…")),
					   in->slug_err[l]));
		json_array_append_new(fields, site_field(req, arena_printf(req->arena, "c-desc-%s", lang),
							 arena_printf(req->arena, "description_%s", lang), l_desc,
							 arena_printf(req->arena, "%s (%s)", l_desc, ln), in->desc[l], "textarea",
							 SITE_CAT_DESC_MAX, lang, 0, NULL, in->desc_err[l]));
		site_summary_add(summary, fields);
		json_array_append_new(groups, json_pack("{s:s, s:s, s:o}", "g_lang", lang, "g_lang_name", ln, "fields", fields));
	}
	if (in->parent_err)
		json_array_append_new(summary, json_pack("{s:s, s:s, s:s}", "id", "c-parent", "label", app_t_(req, "Place in the tree"),
							 "message", in->parent_err));
	json_t *parents = json_array();
	for (int i = 0; i < n; i++)
		if (!cats[i].parent && (!self || cats[i].id != self->id))
			json_array_append_new(parents, json_pack("{s:I, s:s, s:b}", "p_id", cats[i].id, "p_name",
								 site_cat_name(req, &cats[i]), "p_selected", cats[i].id == in->parent));
	json_object_set_new(ctx, "groups", groups);
	site_summary_set(ctx, summary);
	json_object_set_new(ctx, "parents", parents);
	json_object_set_new(ctx, "top_selected", json_boolean(in->parent == 0));
	if (in->parent_err)
		json_object_set_new(ctx, "parent_error", json_string(in->parent_err));
	if (form_error)
		json_object_set_new(ctx, "form_error", json_string(form_error));
	json_object_set_new(ctx, "list_url", json_string(admin_url(req, "/categories")));
	if (self) {
		const char *base = admin_url(req, arena_printf(req->arena, "/categories/%lld", self->id));
		json_object_set_new(ctx, "action", json_string(base));
		json_object_set_new(ctx, "has_children", json_boolean(self->children > 0));
		json_object_set_new(ctx, "delete", json_pack("{s:s, s:I, s:I, s:b}", "url", arena_printf(req->arena, "%s/delete", base),
							      "articles", self->articles, "children", (json_int_t)self->children,
							      "allowed", !self->articles && !self->children));
	} else {
		json_object_set_new(ctx, "action", json_string(admin_url(req, "/categories")));
	}
	admin_render(req, res, "admin/site/category", ctx);
	res->status = status;
}

static void site_category_new(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_CATEGORIES, 0, NULL))
		return;
	int n;
	site_cat_t *c = site_cats(req, &n);
	if (!c) {
		app_error(req, res, 500);
		return;
	}
	site_cat_in_t in;
	site_cat_from(&in, NULL);
	long long parent = http_query_int(req, "parent", 1, 1LL << 53, 0);
	if (parent && site_cat_find(c, n, parent))
		in.parent = parent;
	site_cat_render(req, res, c, n, NULL, &in, NULL, 200);
}

static void site_category_create(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_CATEGORIES, 0, NULL))
		return;
	form_t *f = admin_form(req, res);
	if (!f)
		return;
	int n;
	site_cat_t *c = site_cats(req, &n);
	if (!c) {
		app_error(req, res, 500);
		return;
	}
	site_cat_in_t in;
	site_cat_read(req, f, c, n, NULL, &in);
	if (in.bad) {
		site_cat_render(req, res, c, n, NULL, &in, NULL, 400);
		return;
	}
	long long id = 0;
	if (db_begin(req->db) < 0)
		goto fail;
	long long pos = db_int(req->db, "SELECT coalesce(max(position) + 1, 0) FROM categories WHERE coalesce(parent_id, 0) = ?",
			       "i", 0, in.parent);
	if (db_execf(req->db, "INSERT INTO categories (parent_id, position) VALUES (?, ?)", "zi", in.parent, pos) < 0)
		goto rollback;
	id = db_last_id(req->db);
	for (int l = 0; l < APP_NLANGS; l++)
		if (db_execf(req->db, "INSERT INTO category_i18n (category_id, lang, slug, name, description) VALUES (?, ?, ?, ?, ?)",
			     "issss", id, app_langs[l], in.slug[l], in.name[l], in.desc[l]) < 0)
			goto rollback;
	if (db_commit(req->db) < 0)
		goto rollback;
	audit_log(req, NULL, "category.create", "category", id,
		  arena_printf(req->arena, "slug %s/%s/%s parent %lld", in.slug[0], in.slug[1], in.slug[2], in.parent));
	http_cache_invalidate();
	admin_flash(req, res, "The category was created.");
	http_redirect(res, 303, arena_printf(req->arena, "%s#cat-%lld", admin_url(req, "/categories"), id));
	return;
rollback:
	db_rollback(req->db);
fail:
	site_cat_render(req, res, c, n, NULL, &in, app_t_(req, "The category could not be saved. Please try again."), 500);
}

/* The category of the URL (req->params[0]) among cats, or NULL after answering 404. */
static site_cat_t *site_cat_of_url(http_request_t *req, http_response_t *res, site_cat_t *cats, int n)
{
	site_cat_t *c = cats ? site_cat_find(cats, n, admin_id(req->params[0])) : NULL;
	if (!c) {
		app_error(req, res, cats ? 404 : 500);
		res->cache_ttl = -1;
	}
	return c;
}

static void site_category_edit(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_CATEGORIES, 0, NULL))
		return;
	int n;
	site_cat_t *cats = site_cats(req, &n), *c = site_cat_of_url(req, res, cats, n);
	if (!c)
		return;
	site_cat_in_t in;
	site_cat_from(&in, c);
	site_cat_render(req, res, cats, n, c, &in, NULL, 200);
}

static void site_category_save(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_CATEGORIES, 0, NULL))
		return;
	form_t *f = admin_form(req, res);
	if (!f)
		return;
	int n;
	site_cat_t *cats = site_cats(req, &n), *c = site_cat_of_url(req, res, cats, n);
	if (!c)
		return;
	site_cat_in_t in;
	site_cat_read(req, f, cats, n, c, &in);
	if (in.bad) {
		site_cat_render(req, res, cats, n, c, &in, NULL, 400);
		return;
	}
	buf_t changed;
	buf_init(&changed, 1024);
	static const char *const what[] = {"name", "slug", "description"};
	for (int l = 0; l < APP_NLANGS; l++) {
		const char *was[] = {c->name[l], c->slug[l], c->desc[l]}, *now[] = {in.name[l], in.slug[l], in.desc[l]};
		for (int i = 0; i < 3; i++)
			if (strcmp(was[i], now[i]) != 0)
				buf_appendf(&changed, "%s%s.%s", changed.len ? ", " : "", what[i], app_langs[l]);
	}
	int moved = in.parent != c->parent;
	if (!changed.len && !moved) {
		buf_release(&changed);
		admin_flash(req, res, "Nothing was changed.");
		http_redirect(res, 303, arena_printf(req->arena, "%s#cat-%lld", admin_url(req, "/categories"), c->id));
		return;
	}
	if (db_begin(req->db) < 0)
		goto fail;
	if (changed.len)
		for (int l = 0; l < APP_NLANGS; l++)
			if (db_execf(req->db,
				     "INSERT INTO category_i18n (category_id, lang, slug, name, description) VALUES (?, ?, ?, ?, ?)"
				     " ON CONFLICT (category_id, lang) DO UPDATE SET slug = excluded.slug, name = excluded.name,"
				     " description = excluded.description",
				     "issss", c->id, app_langs[l], in.slug[l], in.name[l], in.desc[l]) < 0)
				goto rollback;
	if (moved) { /* the end of its new siblings */
		long long pos = db_int(req->db,
				       "SELECT coalesce(max(position) + 1, 0) FROM categories WHERE coalesce(parent_id, 0) = ? AND id <> ?",
				       "ii", 0, in.parent, c->id);
		if (db_execf(req->db, "UPDATE categories SET parent_id = ?, position = ? WHERE id = ?", "zii", in.parent, pos, c->id) < 0)
			goto rollback;
	}
	if (db_commit(req->db) < 0)
		goto rollback;
	if (changed.len)
		audit_log(req, NULL, "category.edit", "category", c->id, buf_cstr(&changed));
	if (moved)
		audit_log(req, NULL, "category.move", "category", c->id,
			  arena_printf(req->arena, "parent %lld -> %lld", c->parent, in.parent));
	buf_release(&changed);
	http_cache_invalidate();
	admin_flash(req, res, "The category was saved.");
	http_redirect(res, 303, arena_printf(req->arena, "%s#cat-%lld", admin_url(req, "/categories"), c->id));
	return;
rollback:
	db_rollback(req->db);
fail:
	buf_release(&changed);
	site_cat_render(req, res, cats, n, c, &in, app_t_(req, "The category could not be saved. Please try again."), 500);
}

static void site_category_reorder(http_request_t *req, http_response_t *res, int dir)
{
	if (!admin_require(req, res, PERM_CATEGORIES, 0, NULL) || !admin_form(req, res))
		return;
	long long id = admin_id(req->params[0]);
	long long parent = db_int(req->db, "SELECT coalesce(parent_id, 0) FROM categories WHERE id = ?", "i", -1, id);
	if (!id || parent < 0) {
		app_error(req, res, 404);
		res->cache_ttl = -1;
		return;
	}
	long long *ids = arena_alloc(req->arena, sizeof(*ids) * SITE_MAX_ROWS);
	int moved = -1;
	if (ids && db_begin(req->db) == 0) {
		int n = site_ids(req->db, "SELECT id FROM categories WHERE coalesce(parent_id, 0) = ? ORDER BY position, id", "i",
				 parent, NULL, ids);
		moved = n < 0 ? -1 : site_move(req->db, "UPDATE categories SET position = ? WHERE id = ?", ids, n, id, dir, 1);
		if (moved < 0 || db_commit(req->db) < 0) {
			db_rollback(req->db);
			moved = -1;
		}
	}
	if (moved < 0) {
		app_error(req, res, 500);
		res->cache_ttl = -1;
		return;
	}
	if (moved) {
		audit_log(req, NULL, "category.move", "category", id, dir < 0 ? "up" : "down");
		http_cache_invalidate();
		admin_flash(req, res, dir < 0 ? "The category was moved up." : "The category was moved down.");
	}
	http_redirect(res, 303, arena_printf(req->arena, "%s#cat-%lld", admin_url(req, "/categories"), id));
}

static void site_category_up(http_request_t *req, http_response_t *res)
{
	site_category_reorder(req, res, -1);
}

static void site_category_down(http_request_t *req, http_response_t *res)
{
	site_category_reorder(req, res, +1);
}

static void site_category_delete(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_CATEGORIES, 0, NULL) || !admin_form(req, res))
		return;
	int n;
	site_cat_t *cats = site_cats(req, &n), *c = site_cat_of_url(req, res, cats, n);
	if (!c)
		return;
	site_cat_in_t in;
	site_cat_from(&in, c);
	if (c->articles || c->children) {
		site_cat_render(req, res, cats, n, c, &in,
				app_t_(req, c->articles ? "This category cannot be deleted: articles use it. Move them to another category first."
							: "This category cannot be deleted: it has subcategories. Move or delete them first."),
				409);
		return;
	}
	/* an article could have been filed under it since the count: the check and the delete go together */
	if (db_begin(req->db) < 0)
		goto fail;
	if (db_int(req->db, "SELECT count(*) FROM articles WHERE category_id = ?", "i", 1, c->id) ||
	    db_int(req->db, "SELECT count(*) FROM categories WHERE parent_id = ?", "i", 1, c->id) ||
	    db_execf(req->db, "DELETE FROM category_i18n WHERE category_id = ?", "i", c->id) < 0 ||
	    db_execf(req->db, "DELETE FROM categories WHERE id = ?", "i", c->id) < 0 || db_commit(req->db) < 0) {
		db_rollback(req->db);
		goto fail;
	}
	audit_log(req, NULL, "category.delete", "category", c->id,
		  arena_printf(req->arena, "slug %s/%s/%s", c->slug[0], c->slug[1], c->slug[2]));
	http_cache_invalidate();
	admin_flash(req, res, "The category was deleted.");
	http_redirect(res, 303, admin_url(req, "/categories"));
	return;
fail:
	site_cat_render(req, res, cats, n, c, &in, app_t_(req, "The category could not be deleted. Please try again."), 500);
}

/* ---- menus ------------------------------------------------------------------------------------------- */

#define SITE_LABEL_MAX 100
#define SITE_URL_MAX 500

/* A menu link may point into the site ("/tin-tuc", not "//host" nor "/\host", which browsers read as
 * another host) or to another site over https.  No spaces, quotes or angle brackets in either. */
static int site_menu_url_ok(const char *u)
{
	size_t n = strlen(u);
	if (n == 0 || n > SITE_URL_MAX)
		return 0;
	for (const char *p = u; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || strchr("\"'<>\\`", *p))
			return 0;
	if (u[0] == '/')
		return u[1] != '/';
	if (strncmp(u, "https://", 8) != 0)
		return 0;
	const char *h = u + 8, *p = h;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ||
	       *p == ':')
		p++;
	return p > h && *h != '.' && *h != '-' && *h != ':' && (*p == '\0' || *p == '/' || *p == '?' || *p == '#');
}

typedef struct site_menu_in {
	const char *label, *url, *label_err, *url_err;
} site_menu_in_t;

static int site_menu_read(http_request_t *req, const form_t *f, site_menu_in_t *in)
{
	in->label = site_clean(req, form_get(f, "label"), 0);
	in->url = site_clean(req, form_get(f, "url"), 0);
	in->label_err = in->url_err = NULL;
	if (!*in->label)
		in->label_err = app_t_(req, "Enter the text of the link.");
	else if (site_chars(in->label) > SITE_LABEL_MAX)
		in->label_err = site_too_long(req, SITE_LABEL_MAX);
	if (!site_menu_url_ok(in->url))
		in->url_err = app_t_(req, "Enter an address on this site starting with / (such as /tin-tuc) or a full address starting with https://.");
	return in->label_err || in->url_err ? -1 : 0;
}

/* The menu form's fields (label, URL) and their errors in the summary. */
static json_t *site_menu_fields(http_request_t *req, const char *lang, const site_menu_in_t *in, json_t *summary)
{
	json_t *fields = json_array();
	json_array_append_new(fields, site_field(req, "m-label", "label", app_t_(req, "Link text"), NULL, in->label, "text",
						 SITE_LABEL_MAX, lang, 1, NULL, in->label_err));
	json_array_append_new(fields, site_field(req, "m-url", "url", app_t_(req, "Address (URL)"), NULL, in->url, "text", SITE_URL_MAX,
						 NULL, 1,
						 strcmp(lang, "vi") == 0
							 ? app_t_(req, "An address on this site, such as /tin-tuc, or a full address starting with https://.")
							 : arena_printf(req->arena, "%s %s /%s/",
									app_t_(req, "An address on this site, such as /tin-tuc, or a full address starting with https://."),
									app_t_(req, "Pages in this language start with"), lang),
						 in->url_err));
	site_summary_add(summary, fields);
	return fields;
}

static json_t *site_menu_langs(http_request_t *req, int current)
{
	json_t *a = json_array();
	for (int l = 0; l < APP_NLANGS; l++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:b}", "t_lang", app_langs[l], "t_name", site_lang_names[l], "t_url",
						   admin_url(req, arena_printf(req->arena, "/menus/%s", app_langs[l])), "t_current",
						   l == current));
	return a;
}

static void site_menu_render(http_request_t *req, http_response_t *res, int l, const site_menu_in_t *add, int status)
{
	const char *lang = app_langs[l];
	json_t *ctx = site_ctx(req, arena_printf(req->arena, "%s: %s", app_t_(req, "Main menu"), site_lang_names[l]), "menus");
	json_t *rows = json_array();
	db_stmt_t *st = db_prepare(req->db, "SELECT id, label, url FROM menu_items WHERE lang = ? ORDER BY position, id");
	int n = 0;
	if (st && db_bindf(st, "s", lang) == 0)
		while (db_step(st) == DB_ROW) {
			long long id = db_col_int(st, 0);
			const char *base = admin_url(req, arena_printf(req->arena, "/menus/items/%lld", id));
			n++;
			json_array_append_new(rows, json_pack("{s:I, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "id", id, "n", n,
							      "label", db_col_text(st, 1), "url", db_col_text(st, 2), "edit_url", base,
							      "up_url", arena_printf(req->arena, "%s/up", base), "down_url",
							      arena_printf(req->arena, "%s/down", base), "delete_url",
							      arena_printf(req->arena, "%s/delete", base), "can_up", n > 1, "can_down", 1));
		}
	if (st)
		db_done(st);
	if (n)
		json_object_set_new(json_array_get(rows, (size_t)n - 1), "can_down", json_false());
	json_t *summary = json_array();
	json_object_set_new(ctx, "fields", site_menu_fields(req, lang, add, summary));
	site_summary_set(ctx, summary);
	json_object_set_new(ctx, "rows", rows);
	json_object_set_new(ctx, "menu_lang", json_string(lang));
	json_object_set_new(ctx, "menu_lang_name", json_string(site_lang_names[l]));
	json_object_set_new(ctx, "menu_langs", site_menu_langs(req, l));
	json_object_set_new(ctx, "public_url", json_string(l ? arena_printf(req->arena, "/%s/", lang) : "/"));
	json_object_set_new(ctx, "action", json_string(admin_url(req, arena_printf(req->arena, "/menus/%s", lang))));
	admin_render(req, res, "admin/site/menus", ctx);
	res->status = status;
}

static void site_menus_home(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_MENUS, 0, NULL))
		return;
	http_redirect(res, 303, admin_url(req, arena_printf(req->arena, "/menus/%s", req->lang)));
}

/* The language of /admin/menus/<lang>, or -1 after answering 404. */
static int site_menu_lang(http_request_t *req, http_response_t *res)
{
	int l = site_lang_index(req->params[0]);
	if (l < 0) {
		app_error(req, res, 404);
		res->cache_ttl = -1;
	}
	return l;
}

static void site_menu_page(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_MENUS, 0, NULL))
		return;
	int l = site_menu_lang(req, res);
	if (l < 0)
		return;
	site_menu_in_t in = {"", "", NULL, NULL};
	site_menu_render(req, res, l, &in, 200);
}

static void site_menu_add(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_MENUS, 0, NULL))
		return;
	form_t *f = admin_form(req, res);
	if (!f)
		return;
	int l = site_menu_lang(req, res);
	if (l < 0)
		return;
	site_menu_in_t in;
	if (site_menu_read(req, f, &in) < 0) {
		site_menu_render(req, res, l, &in, 400);
		return;
	}
	long long pos = db_int(req->db, "SELECT coalesce(max(position), 0) + 10 FROM menu_items WHERE lang = ?", "s", 0, app_langs[l]);
	if (db_execf(req->db, "INSERT INTO menu_items (lang, position, label, url) VALUES (?, ?, ?, ?)", "siss", app_langs[l], pos,
		     in.label, in.url) < 0) {
		app_error(req, res, 500);
		res->cache_ttl = -1;
		return;
	}
	long long id = db_last_id(req->db);
	audit_log(req, NULL, "menu.change", "menu_item", id, arena_printf(req->arena, "add %s: %s -> %s", app_langs[l], in.label, in.url));
	http_cache_invalidate();
	admin_flash(req, res, "The menu item was added.");
	http_redirect(res, 303, admin_url(req, arena_printf(req->arena, "/menus/%s", app_langs[l])));
}

typedef struct site_menu_item {
	long long id;
	int lang;
	const char *label, *url;
} site_menu_item_t;

/* The menu item of the URL, or 0 after answering 404. */
static int site_menu_item(http_request_t *req, http_response_t *res, site_menu_item_t *it)
{
	it->id = admin_id(req->params[0]);
	it->lang = -1;
	db_stmt_t *st = db_prepare(req->db, "SELECT lang, label, url FROM menu_items WHERE id = ?");
	if (st && db_bindf(st, "i", it->id) == 0 && db_step(st) == DB_ROW) {
		it->lang = site_lang_index(db_col_text(st, 0));
		it->label = arena_strdup(req->arena, db_col_text(st, 1));
		it->url = arena_strdup(req->arena, db_col_text(st, 2));
	}
	if (st)
		db_done(st);
	if (!it->id || it->lang < 0) {
		app_error(req, res, 404);
		res->cache_ttl = -1;
		return 0;
	}
	return 1;
}

static void site_menu_item_render(http_request_t *req, http_response_t *res, const site_menu_item_t *it,
				  const site_menu_in_t *in, int status)
{
	json_t *ctx = site_ctx(req, app_t_(req, "Edit menu item"), "menus");
	json_t *summary = json_array();
	json_object_set_new(ctx, "fields", site_menu_fields(req, app_langs[it->lang], in, summary));
	site_summary_set(ctx, summary);
	json_object_set_new(ctx, "menu_lang_name", json_string(site_lang_names[it->lang]));
	json_object_set_new(ctx, "menu_lang", json_string(app_langs[it->lang]));
	json_object_set_new(ctx, "action", json_string(admin_url(req, arena_printf(req->arena, "/menus/items/%lld", it->id))));
	json_object_set_new(ctx, "list_url", json_string(admin_url(req, arena_printf(req->arena, "/menus/%s", app_langs[it->lang]))));
	admin_render(req, res, "admin/site/menu-item", ctx);
	res->status = status;
}

static void site_menu_item_edit(http_request_t *req, http_response_t *res)
{
	site_menu_item_t it;
	if (!admin_require(req, res, PERM_MENUS, 0, NULL) || !site_menu_item(req, res, &it))
		return;
	site_menu_in_t in = {it.label, it.url, NULL, NULL};
	site_menu_item_render(req, res, &it, &in, 200);
}

static void site_menu_item_save(http_request_t *req, http_response_t *res)
{
	site_menu_item_t it;
	form_t *f;
	if (!admin_require(req, res, PERM_MENUS, 0, NULL) || !(f = admin_form(req, res)) || !site_menu_item(req, res, &it))
		return;
	site_menu_in_t in;
	if (site_menu_read(req, f, &in) < 0) {
		site_menu_item_render(req, res, &it, &in, 400);
		return;
	}
	const char *list = admin_url(req, arena_printf(req->arena, "/menus/%s", app_langs[it.lang]));
	if (strcmp(in.label, it.label) == 0 && strcmp(in.url, it.url) == 0) {
		admin_flash(req, res, "Nothing was changed.");
		http_redirect(res, 303, list);
		return;
	}
	if (db_execf(req->db, "UPDATE menu_items SET label = ?, url = ? WHERE id = ?", "ssi", in.label, in.url, it.id) < 0) {
		app_error(req, res, 500);
		res->cache_ttl = -1;
		return;
	}
	audit_log(req, NULL, "menu.change", "menu_item", it.id,
		  arena_printf(req->arena, "edit %s: %s -> %s (was %s -> %s)", app_langs[it.lang], in.label, in.url, it.label, it.url));
	http_cache_invalidate();
	admin_flash(req, res, "The menu item was saved.");
	http_redirect(res, 303, list);
}

static void site_menu_item_reorder(http_request_t *req, http_response_t *res, int dir)
{
	site_menu_item_t it;
	if (!admin_require(req, res, PERM_MENUS, 0, NULL) || !admin_form(req, res) || !site_menu_item(req, res, &it))
		return;
	long long *ids = arena_alloc(req->arena, sizeof(*ids) * SITE_MAX_ROWS);
	int moved = -1;
	if (ids && db_begin(req->db) == 0) {
		int n = site_ids(req->db, "SELECT id FROM menu_items WHERE lang = ? ORDER BY position, id", "s", 0, app_langs[it.lang], ids);
		moved = n < 0 ? -1 : site_move(req->db, "UPDATE menu_items SET position = ? WHERE id = ?", ids, n, it.id, dir, 10);
		if (moved < 0 || db_commit(req->db) < 0) {
			db_rollback(req->db);
			moved = -1;
		}
	}
	if (moved < 0) {
		app_error(req, res, 500);
		res->cache_ttl = -1;
		return;
	}
	if (moved) {
		audit_log(req, NULL, "menu.change", "menu_item", it.id,
			  arena_printf(req->arena, "%s %s: %s", dir < 0 ? "up" : "down", app_langs[it.lang], it.label));
		http_cache_invalidate();
		admin_flash(req, res, dir < 0 ? "The menu item was moved up." : "The menu item was moved down.");
	}
	http_redirect(res, 303, arena_printf(req->arena, "%s#item-%lld", admin_url(req, arena_printf(req->arena, "/menus/%s", app_langs[it.lang])), it.id));
}

static void site_menu_item_up(http_request_t *req, http_response_t *res)
{
	site_menu_item_reorder(req, res, -1);
}

static void site_menu_item_down(http_request_t *req, http_response_t *res)
{
	site_menu_item_reorder(req, res, +1);
}

static void site_menu_item_delete(http_request_t *req, http_response_t *res)
{
	site_menu_item_t it;
	if (!admin_require(req, res, PERM_MENUS, 0, NULL) || !admin_form(req, res) || !site_menu_item(req, res, &it))
		return;
	if (db_execf(req->db, "DELETE FROM menu_items WHERE id = ?", "i", it.id) < 0) {
		app_error(req, res, 500);
		res->cache_ttl = -1;
		return;
	}
	audit_log(req, NULL, "menu.change", "menu_item", it.id,
		  arena_printf(req->arena, "delete %s: %s -> %s", app_langs[it.lang], it.label, it.url));
	http_cache_invalidate();
	admin_flash(req, res, "The menu item was deleted.");
	http_redirect(res, 303, admin_url(req, arena_printf(req->arena, "/menus/%s", app_langs[it.lang])));
}
