/* media: the staff area's media library.  Browse and search the images, upload one (media_store decodes,
 * re-encodes and strips it), edit its alt text and caption, delete one that nothing uses, and a JSON list
 * for the article editor's image picker.  Search runs on media.search, a folded copy of alt, caption and
 * file name that this file computes (see 004_media_library.sql for why it cannot go stale). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "admin/admin.h"
#include "core/log.h"
#include "core/utf8.h"
#include "db/db.h"
#include "http/server.h"
#include "media/media.h"
#include "news/news.h"

#define LIB_PER_PAGE 24
#define LIB_JSON_MAX_PER_PAGE 60
#define LIB_MAX_PAGE 100000
#define LIB_ALT_MAX 250      /* characters: a screen reader reads all of it, so it stays short */
#define LIB_CAPTION_MAX 1000 /* characters */
#define LIB_FILENAME_MAX 200 /* bytes of the uploaded file's name kept for display */
#define LIB_USAGE_MAX 50     /* articles listed as users of one image */

static void lib_page(http_request_t *req, http_response_t *res);
static void lib_upload(http_request_t *req, http_response_t *res);
static void lib_json(http_request_t *req, http_response_t *res);
static void lib_edit_page(http_request_t *req, http_response_t *res);
static void lib_edit_post(http_request_t *req, http_response_t *res);
static void lib_delete(http_request_t *req, http_response_t *res);

const app_route_t admin_media_routes[] = {
	{"GET", "vi en zh", "/admin/media", lib_page},
	{"POST", "vi en zh", "/admin/media", lib_upload},
	{"GET", "vi en zh", "/admin/media.json", lib_json},
	{"GET", "vi en zh", "/admin/media/*", lib_edit_page},
	{"POST", "vi en zh", "/admin/media/*", lib_edit_post},
	{"POST", "vi en zh", "/admin/media/*/delete", lib_delete},
	{NULL, NULL, NULL, NULL},
};

/* ---- text helpers ---------------------------------------------------------------------------------- */

/* s with leading and trailing white space removed and every inner run of white space (line breaks, tabs)
 * made one space: alt text and captions are one line, in the page and in the Markdown snippet.  Input is
 * already NFC (http/form.c); NULL gives "". */
static char *lib_clean(arena_t *a, const char *s)
{
	if (!s)
		return arena_strdup(a, "");
	size_t n = strlen(s);
	char *out = arena_alloc(a, n + 1);
	if (!out)
		return arena_strdup(a, "");
	size_t o = 0;
	int space = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
			space = o > 0;
			continue;
		}
		if (space)
			out[o++] = ' ';
		space = 0;
		out[o++] = c;
	}
	out[o] = '\0';
	return out;
}

/* Characters (code points) in valid UTF-8. */
static size_t lib_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* The uploaded file's own name without any folder part (old browsers send "C:\\fakepath\\x.jpg"), cut to
 * LIB_FILENAME_MAX bytes on a character boundary. */
static char *lib_filename(arena_t *a, const char *name)
{
	if (!name)
		return arena_strdup(a, "");
	const char *base = name;
	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	char *clean = lib_clean(a, base);
	return arena_strndup(a, clean, utf8_trunc(clean, strlen(clean), LIB_FILENAME_MAX));
}

/* The Markdown that inserts the image into an article: ![alt](/media/<name>.jpg "caption").  The alt text
 * and title are escaped so that they come out of the Markdown renderer as the same words. */
static char *lib_markdown(arena_t *a, const char *name, const char *alt, const char *caption)
{
	buf_t b;
	buf_init(&b, 16384);
	buf_puts(&b, "![");
	for (const char *p = alt; *p; p++) {
		if (strchr("\\`*_[]<>&~", *p))
			buf_putc(&b, '\\');
		buf_putc(&b, *p == '\n' || *p == '\r' ? ' ' : *p);
	}
	buf_appendf(&b, "](/media/%s.jpg", name);
	if (*caption) {
		buf_puts(&b, " \"");
		for (const char *p = caption; *p; p++) {
			if (*p == '"' || *p == '\\' || *p == '&')
				buf_putc(&b, '\\');
			buf_putc(&b, *p == '\n' || *p == '\r' ? ' ' : *p);
		}
		buf_putc(&b, '"');
	}
	buf_putc(&b, ')');
	char *out = arena_strdup(a, buf_cstr(&b));
	buf_release(&b);
	return out;
}

/* "245 KB", "1,2 MB" (a decimal comma in Vietnamese). */
static char *lib_size(http_request_t *req, long long bytes)
{
	char *s = bytes < (1LL << 20) ? arena_printf(req->arena, "%lld KB", (bytes + 1023) / 1024)
				      : arena_printf(req->arena, "%.1f MB", (double)bytes / (1 << 20));
	if (s && strcmp(req->lang, "vi") == 0)
		for (char *p = s; *p; p++)
			if (*p == '.')
				*p = ',';
	return s;
}

/* The id in req->params[0] when it is a plain positive number, else 0. */
static long long lib_param_id(const http_request_t *req)
{
	const char *s = req->params[0];
	if (!s || !*s || strlen(s) > 18)
		return 0;
	long long id = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		id = id * 10 + (*s - '0');
	}
	return id;
}

/* ---- the search text ------------------------------------------------------------------------------- */

/* Computes media.search for the rows that have none (new uploads, rows whose text changed, images stored
 * by other code such as the demo loader).  A row changed between the read and the write keeps NULL (the
 * UPDATE checks the text it folded) and is done next time.  Errors are logged: search then misses rows. */
static void lib_search_fill(http_request_t *req)
{
	for (int round = 0; round < 50; round++) {
		long long ids[200];
		char *texts[200];
		const char *alts[200], *caps[200], *files[200];
		int n = 0;
		db_stmt_t *st = db_prepare(req->db, "SELECT id, alt, caption, original_name FROM media WHERE search IS NULL"
						    " ORDER BY id LIMIT 200");
		if (!st) {
			log_msg(LOG_ERR, req->rid, "media search: %s", db_errmsg(req->db));
			return;
		}
		while (n < 200 && db_step(st) == DB_ROW) {
			ids[n] = db_col_int(st, 0);
			alts[n] = arena_strdup(req->arena, db_col_text(st, 1));
			caps[n] = arena_strdup(req->arena, db_col_text(st, 2));
			files[n] = arena_strdup(req->arena, db_col_text(st, 3));
			buf_t f;
			buf_init(&f, 65536);
			const char *all = arena_printf(req->arena, "%s\n%s\n%s", alts[n], caps[n], files[n]);
			utf8_fold(all ? all : "", all ? strlen(all) : 0, &f);
			texts[n] = arena_strdup(req->arena, buf_cstr(&f));
			buf_release(&f);
			n++;
		}
		db_done(st);
		if (n == 0)
			return;
		if (db_begin(req->db) < 0) {
			log_msg(LOG_ERR, req->rid, "media search: %s", db_errmsg(req->db));
			return;
		}
		for (int i = 0; i < n; i++)
			if (texts[i] && alts[i] && caps[i] && files[i] &&
			    db_execf(req->db, "UPDATE media SET search = ? WHERE id = ? AND search IS NULL AND alt = ? AND caption = ?"
					      " AND original_name = ?",
				     "sisss", texts[i], ids[i], alts[i], caps[i], files[i]) < 0) {
				log_msg(LOG_ERR, req->rid, "media search: %s", db_errmsg(req->db));
				db_rollback(req->db);
				return;
			}
		if (db_commit(req->db) < 0) {
			log_msg(LOG_ERR, req->rid, "media search: %s", db_errmsg(req->db));
			return;
		}
		if (n < 200)
			return;
	}
}

/* The LIKE pattern for a search: the folded query with LIKE's wildcards escaped, or NULL for no search. */
static const char *lib_pattern(http_request_t *req, const char *q)
{
	if (!q || !*q)
		return NULL;
	buf_t f;
	buf_init(&f, 4096);
	if (utf8_fold(q, strlen(q), &f) < 0) {
		buf_release(&f);
		return NULL;
	}
	char *folded = lib_clean(req->arena, buf_cstr(&f));
	buf_release(&f);
	if (!*folded)
		return NULL;
	buf_t p;
	buf_init(&p, 16384);
	buf_putc(&p, '%');
	for (const char *c = folded; *c; c++) {
		if (*c == '%' || *c == '_' || *c == '\\')
			buf_putc(&p, '\\');
		buf_putc(&p, *c);
	}
	buf_putc(&p, '%');
	char *out = arena_strdup(req->arena, buf_cstr(&p));
	buf_release(&p);
	return out;
}

/* ---- listing --------------------------------------------------------------------------------------- */

#define LIB_COLS                                                                                            \
	"m.id, m.name, m.width, m.height, m.bytes, m.alt, m.caption, m.created_at, m.original_name,"       \
	" COALESCE(u.display_name, ''), COALESCE(u.login, '')"
#define LIB_FROM " FROM media m LEFT JOIN users u ON u.id = m.uploaded_by"

/* One image as the library page and the JSON list show it, from a row of LIB_COLS. */
static json_t *lib_item(http_request_t *req, db_stmt_t *st)
{
	arena_t *a = req->arena;
	long long id = db_col_int(st, 0), w = db_col_int(st, 2), h = db_col_int(st, 3);
	const char *name = arena_strdup(a, db_col_text(st, 1)), *alt = db_col_text(st, 5), *caption = db_col_text(st, 6);
	long long tw = w < 480 ? w : 480, th = w > 0 ? h * tw / w : 0; /* the -480 variant never enlarges */
	const char *uploader = *db_col_text(st, 9) ? db_col_text(st, 9) : db_col_text(st, 10);
	long long created = db_col_int(st, 7);
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s}",
			 "id", id, "name", name, "alt", alt, "caption", caption, "thumb",
			 arena_printf(a, "/media/%s-480.jpg", name), "url", arena_printf(a, "/media/%s.jpg", name),
			 "srcset",
			 arena_printf(a, "/media/%s-480.jpg 480w, /media/%s-960.jpg 960w, /media/%s-1600.jpg 1600w", name,
				      name, name),
			 "markdown", lib_markdown(a, name, alt, caption), "width", w, "height", h, "thumb_w", tw, "thumb_h",
			 th, "bytes", db_col_int(st, 4), "size", lib_size(req, db_col_int(st, 4)), "uploader", uploader,
			 "date", app_date(a, req->lang, created, 1), "datetime", app_iso(a, created), "original_name",
			 db_col_text(st, 8));
}

/* One page of images, newest first, matching q (NULL: all).  *total gets the number of matches.  The SQL
 * is literal text: db_prepare's statement cache may match on the string's address, which an arena string
 * can share with an earlier, different statement. */
static json_t *lib_list(http_request_t *req, const char *q, long long page, long long per_page, long long *total)
{
	static const char sql_all[] = "SELECT " LIB_COLS LIB_FROM " ORDER BY m.created_at DESC, m.id DESC LIMIT ? OFFSET ?";
	static const char sql_search[] = "SELECT " LIB_COLS LIB_FROM " WHERE m.search LIKE ? ESCAPE '\\'"
					 " ORDER BY m.created_at DESC, m.id DESC LIMIT ? OFFSET ?";
	const char *pat = lib_pattern(req, q);
	if (pat)
		lib_search_fill(req);
	*total = pat ? db_int(req->db, "SELECT count(*) FROM media m WHERE m.search LIKE ? ESCAPE '\\'", "s", 0, pat)
		     : db_int(req->db, "SELECT count(*) FROM media", "", 0);
	json_t *items = json_array();
	db_stmt_t *st = db_prepare(req->db, pat ? sql_search : sql_all);
	if (!st)
		return items;
	long long offset = (page - 1) * per_page;
	int ok = pat ? db_bindf(st, "sii", pat, per_page, offset) : db_bindf(st, "ii", per_page, offset);
	while (ok == 0 && db_step(st) == DB_ROW) {
		json_t *it = lib_item(req, st);
		if (it) {
			json_object_set_new(it, "edit_url", json_string(admin_url(req, arena_printf(req->arena, "/media/%lld",
												     json_integer_value(json_object_get(it, "id"))))));
			json_array_append_new(items, it);
		}
	}
	db_done(st);
	return items;
}

/* The library URL for a page of a search. */
static const char *lib_list_url(http_request_t *req, const char *q, long long page)
{
	buf_t u;
	buf_init(&u, 8192);
	buf_puts(&u, admin_url(req, "/media"));
	char sep = '?';
	if (q && *q) {
		buf_puts(&u, "?q=");
		buf_append_url(&u, q, strlen(q));
		sep = '&';
	}
	if (page > 1)
		buf_appendf(&u, "%cpage=%lld", sep, page);
	const char *out = arena_strdup(req->arena, buf_cstr(&u));
	buf_release(&u);
	return out;
}

/* The upload form's state: what the user typed, and the errors of the last attempt. */
typedef struct lib_upload_form {
	const char *alt, *caption, *filename;
	const char *alt_error, *caption_error, *file_error;
} lib_upload_form_t;

/* Renders the library page (with the upload form as f says) with the given status. */
static void lib_render(http_request_t *req, http_response_t *res, const lib_upload_form_t *f, int status)
{
	const char *q = http_query(req, "q");
	q = q ? lib_clean(req->arena, q) : "";
	if (strlen(q) > 200)
		q = arena_strndup(req->arena, q, utf8_trunc(q, strlen(q), 200));
	long long page = http_query_int(req, "page", 1, LIB_MAX_PAGE, 1), total = 0;
	json_t *items = lib_list(req, q, page, LIB_PER_PAGE, &total);
	long long pages = (total + LIB_PER_PAGE - 1) / LIB_PER_PAGE;
	json_t *ctx = admin_ctx(req, app_t_(req, "Media library"), "media");
	json_object_set_new(ctx, "has_items", json_boolean(json_array_size(items) > 0));
	json_object_set_new(ctx, "items", items);
	json_object_set_new(ctx, "total", json_integer(total));
	json_object_set_new(ctx, "q", json_string(q));
	json_object_set_new(ctx, "searched", json_boolean(*q));
	json_object_set_new(ctx, "action", json_string(admin_url(req, "/media")));
	json_object_set_new(ctx, "media_js", json_string(http_static_url("js/media.js") ?: ""));
	if (pages > 1)
		json_object_set_new(ctx, "pager",
				    json_pack("{s:I, s:I, s:s?, s:s?}", "page", page, "pages", pages, "prev_url",
					      page > 1 ? lib_list_url(req, q, page - 1) : NULL, "next_url",
					      page < pages ? lib_list_url(req, q, page + 1) : NULL));
	json_t *errors = json_array();
	if (f->file_error)
		json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "file", "message", f->file_error));
	if (f->alt_error)
		json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "alt", "message", f->alt_error));
	if (f->caption_error)
		json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "caption", "message", f->caption_error));
	json_t *up = json_pack("{s:s, s:s, s:s, s:s, s:o, s:I}", "alt", f->alt ? f->alt : "", "caption",
			       f->caption ? f->caption : "", "filename", f->filename ? f->filename : "", "action",
			       admin_url(req, "/media"), "errors", errors, "max_bytes", (long long)MEDIA_MAX_BYTES);
	if (f->file_error)
		json_object_set_new(up, "file_error", json_string(f->file_error));
	if (f->alt_error)
		json_object_set_new(up, "alt_error", json_string(f->alt_error));
	if (f->caption_error)
		json_object_set_new(up, "caption_error", json_string(f->caption_error));
	json_object_set_new(up, "failed", json_boolean(json_array_size(errors) > 0));
	json_object_set_new(ctx, "upload", up);
	admin_render(req, res, "admin/media/library", ctx);
	res->status = status;
}

static void lib_page(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_MEDIA_UPLOAD, 0, NULL))
		return;
	lib_upload_form_t f = {0};
	lib_render(req, res, &f, 200);
}

/* ---- upload ---------------------------------------------------------------------------------------- */

/* Whether the bytes are an SVG drawing (text starting with '<' that has an <svg element early on), only
 * to say so plainly: media_store refuses it anyway, as it refuses everything but JPEG, PNG and WebP. */
static int lib_looks_svg(const char *p, size_t n)
{
	size_t i = 0;
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) /* a UTF-8 byte order mark */
		i = 3;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	if (i == n || p[i] != '<')
		return 0; /* JPEG, PNG and WebP start with binary signatures */
	if (n > 4096)
		n = 4096;
	for (; i + 4 <= n; i++)
		if (p[i] == '<' && strncasecmp(p + i + 1, "svg", 3) == 0)
			return 1;
	return 0;
}

/* Checks the alt text and caption the user typed; sets the form's errors (localized). */
static void lib_check_text(http_request_t *req, lib_upload_form_t *f)
{
	if (!*f->alt)
		f->alt_error = app_t_(req, "Enter the alt text: say what the image shows, for people who cannot see it.");
	else if (lib_chars(f->alt) > LIB_ALT_MAX)
		f->alt_error = app_t_(req, "The alt text is too long: at most 250 characters.");
	if (lib_chars(f->caption) > LIB_CAPTION_MAX)
		f->caption_error = app_t_(req, "The caption is too long: at most 1000 characters.");
}

static void lib_upload(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = admin_require(req, res, PERM_MEDIA_UPLOAD, 0, NULL);
	if (!u)
		return;
	form_t *form = admin_form(req, res);
	if (!form)
		return;
	lib_upload_form_t f = {0};
	f.alt = lib_clean(req->arena, form_get(form, "alt"));
	f.caption = lib_clean(req->arena, form_get(form, "caption"));
	const form_field_t *file = form_file(form, "file");
	f.filename = file ? lib_filename(req->arena, file->filename) : "";
	lib_check_text(req, &f);
	int status = 422;
	if (!file)
		f.file_error = app_t_(req, "Choose an image file to upload.");
	else if (file->len > MEDIA_MAX_BYTES) {
		f.file_error = app_t_(req, "The image is larger than 20 MB.");
		status = 413;
	} else if (lib_looks_svg(file->value, file->len))
		f.file_error = app_t_(req, "SVG drawings are not accepted, because they can carry scripts. Export the drawing as PNG and upload that.");
	if (f.file_error || f.alt_error || f.caption_error) {
		lib_render(req, res, &f, status);
		return;
	}
	long long id = 0;
	const char *why = NULL;
	if (media_store(req->db, app.media_dir, file->value, file->len, f.alt, f.caption, &id, &why) < 0) {
		log_msg(LOG_INFO, req->rid, "media upload refused: %s", why ? why : "?");
		f.file_error = app_t_(req, why ? why : "The image could not be saved.");
		lib_render(req, res, &f, strcmp(why ? why : "", "The image could not be saved.") == 0 ? 500 : status);
		return;
	}
	long long now = (long long)time(NULL);
	if (db_execf(req->db, "UPDATE media SET uploaded_by = ?, original_name = ?, updated_at = ? WHERE id = ?", "isii", u->id,
		     f.filename, now, id) < 0)
		log_msg(LOG_ERR, req->rid, "media %lld: cannot record the uploader: %s", id, db_errmsg(req->db));
	lib_search_fill(req);
	const char *name = arena_strdup(req->arena, "");
	db_stmt_t *st = db_prepare(req->db, "SELECT name FROM media WHERE id = ?");
	if (st && db_bindf(st, "i", id) == 0 && db_step(st) == DB_ROW)
		name = arena_strdup(req->arena, db_col_text(st, 0));
	if (st)
		db_done(st);
	audit_log(req, NULL, "media.upload", "media", id, arena_printf(req->arena, "%s.jpg from %s", name, f.filename));
	admin_flash(req, res, "The image was uploaded.");
	http_redirect(res, 303, admin_url(req, "/media"));
}

/* ---- one image: edit, usage, delete ---------------------------------------------------------------- */

/* The image with that id as lib_item shows it, or NULL. */
static json_t *lib_load(http_request_t *req, long long id)
{
	json_t *it = NULL;
	db_stmt_t *st = db_prepare(req->db, "SELECT " LIB_COLS LIB_FROM " WHERE m.id = ?");
	if (st && db_bindf(st, "i", id) == 0 && db_step(st) == DB_ROW)
		it = lib_item(req, st);
	if (st)
		db_done(st);
	return it;
}

/* Whether name is a name media_store makes (lowercase hex): it becomes part of file paths. */
static int lib_name_ok(const char *name)
{
	if (!*name || strlen(name) > 64)
		return 0;
	for (const char *p = name; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

/* What uses the image: articles (any state or language) that have it as cover or in their text, and
 * static pages with it in their text: [{title, href, kind, lang, state, how}].  An article the user may
 * not open (another editor's draft) is listed by number only, with no title and no link: the usage list
 * must not become a way round the permission matrix. */
static json_t *lib_usage(http_request_t *req, long long id, const char *name)
{
	const auth_user_t *u = auth_user(req);
	json_t *out = json_array();
	const char *like = arena_printf(req->arena, "%%/media/%s%%", name); /* a hex name holds no LIKE wildcard */
	long long now = (long long)time(NULL);
	db_stmt_t *st = db_prepare(req->db, "SELECT id, lang, title, status, CASE WHEN cover_id = ? THEN 1 ELSE 0 END,"
					    " CASE WHEN body LIKE ? THEN 1 ELSE 0 END, COALESCE(author_id, 0), slug,"
					    " CASE WHEN status = 'published' AND published_at <= ? THEN 1 ELSE 0 END"
					    " FROM articles WHERE cover_id = ? OR body LIKE ? ORDER BY id LIMIT ?");
	if (st && db_bindf(st, "isiisi", id, like, now, id, like, (long long)LIB_USAGE_MAX) == 0)
		while (db_step(st) == DB_ROW) {
			long long aid = db_col_int(st, 0);
			const char *lang = db_col_text(st, 1), *status = db_col_text(st, 3);
			int cover = (int)db_col_int(st, 4), inline_ = (int)db_col_int(st, 5), visible = (int)db_col_int(st, 8);
			const char *how = cover && inline_ ? "cover image and in the text" : cover ? "cover image" : "in the text";
			const char *title = *db_col_text(st, 2) ? db_col_text(st, 2) : "—", *url = NULL;
			if (perm_allows(u, PERM_ARTICLE_VIEW, db_col_int(st, 6), status))
				url = admin_url(req, arena_printf(req->arena, "/articles/%lld", aid));
			else if (visible)
				url = news_url(req->arena, lang, 'a', db_col_text(st, 7));
			else
				title = arena_printf(req->arena, "%s #%lld", app_t_(req, "An article you cannot open"), aid);
			json_array_append_new(out, json_pack("{s:I, s:s, s:s?, s:s, s:s, s:s, s:s}", "id", aid, "title", title, "href",
							     url, "kind", app_t_(req, "Article"), "lang", lang, "state",
							     app_t_(req, status), "how", app_t_(req, how)));
		}
	if (st)
		db_done(st);
	st = db_prepare(req->db, "SELECT id, lang, title, slug FROM pages WHERE body LIKE ? ORDER BY id LIMIT ?");
	if (st && db_bindf(st, "si", like, (long long)LIB_USAGE_MAX) == 0)
		while (db_step(st) == DB_ROW)
			json_array_append_new(out, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", db_col_int(st, 0), "title",
							     db_col_text(st, 2), "href",
							     news_url(req->arena, db_col_text(st, 1), 'p', db_col_text(st, 3)), "kind",
							     app_t_(req, "Page"), "lang", db_col_text(st, 1), "state", "", "how",
							     app_t_(req, "in the text")));
	if (st)
		db_done(st);
	return out;
}

typedef struct lib_edit_form {
	const char *alt, *caption; /* NULL: the stored ones */
	const char *alt_error, *caption_error;
	const char *delete_error;
} lib_edit_form_t;

static void lib_edit_render(http_request_t *req, http_response_t *res, json_t *img, const lib_edit_form_t *f, int status)
{
	long long id = json_integer_value(json_object_get(img, "id"));
	const char *name = json_string_value(json_object_get(img, "name"));
	long long w = json_integer_value(json_object_get(img, "width")), h = json_integer_value(json_object_get(img, "height"));
	long long pw = w < 960 ? w : 960, ph = w > 0 ? h * pw / w : 0;
	json_t *ctx = admin_ctx(req, arena_printf(req->arena, "%s %lld", app_t_(req, "Image"), id), "media");
	json_object_set_new(img, "preview", json_string(arena_printf(req->arena, "/media/%s-960.jpg", name)));
	json_object_set_new(img, "preview_w", json_integer(pw));
	json_object_set_new(img, "preview_h", json_integer(ph));
	json_t *files = json_array();
	static const int widths[] = {480, 960, 1600};
	for (size_t i = 0; i < sizeof(widths) / sizeof(widths[0]); i++)
		json_array_append_new(files, json_pack("{s:s, s:s}", "label", arena_printf(req->arena, "%d px", widths[i]), "url",
						       arena_printf(req->arena, "/media/%s-%d.jpg", name, widths[i])));
	json_object_set_new(img, "files", files);
	json_t *usage = lib_usage(req, id, name);
	json_object_set_new(ctx, "used", json_boolean(json_array_size(usage) > 0));
	json_object_set_new(ctx, "usage", usage);
	json_t *form = json_pack("{s:s, s:s, s:s}", "action", admin_url(req, arena_printf(req->arena, "/media/%lld", id)), "alt",
				 f->alt ? f->alt : json_string_value(json_object_get(img, "alt")), "caption",
				 f->caption ? f->caption : json_string_value(json_object_get(img, "caption")));
	if (f->alt_error)
		json_object_set_new(form, "alt_error", json_string(f->alt_error));
	if (f->caption_error)
		json_object_set_new(form, "caption_error", json_string(f->caption_error));
	json_object_set_new(form, "failed", json_boolean(f->alt_error || f->caption_error));
	json_object_set_new(ctx, "form", form);
	json_object_set_new(ctx, "image", img);
	if (f->delete_error)
		json_object_set_new(ctx, "delete_error", json_string(f->delete_error));
	json_object_set_new(ctx, "delete_url", json_string(admin_url(req, arena_printf(req->arena, "/media/%lld/delete", id))));
	json_object_set_new(ctx, "library_url", json_string(admin_url(req, "/media")));
	json_object_set_new(ctx, "media_js", json_string(http_static_url("js/media.js") ?: ""));
	admin_render(req, res, "admin/media/edit", ctx);
	res->status = status;
}

static void lib_edit_page(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_MEDIA_EDIT, 0, NULL))
		return;
	long long id = lib_param_id(req);
	json_t *img = id ? lib_load(req, id) : NULL;
	if (!img) {
		app_error(req, res, 404);
		res->cache_ttl = -1;
		return;
	}
	lib_edit_form_t f = {0};
	lib_edit_render(req, res, img, &f, 200);
}

static void lib_edit_post(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_MEDIA_EDIT, 0, NULL))
		return;
	form_t *form = admin_form(req, res);
	if (!form)
		return;
	long long id = lib_param_id(req);
	json_t *img = id ? lib_load(req, id) : NULL;
	if (!img) {
		app_error(req, res, 404);
		res->cache_ttl = -1;
		return;
	}
	lib_upload_form_t t = {0};
	t.alt = lib_clean(req->arena, form_get(form, "alt"));
	t.caption = lib_clean(req->arena, form_get(form, "caption"));
	lib_check_text(req, &t);
	if (t.alt_error || t.caption_error) {
		lib_edit_form_t f = {.alt = t.alt, .caption = t.caption, .alt_error = t.alt_error, .caption_error = t.caption_error};
		lib_edit_render(req, res, img, &f, 422);
		return;
	}
	int alt_changed = strcmp(t.alt, json_string_value(json_object_get(img, "alt"))) != 0;
	int caption_changed = strcmp(t.caption, json_string_value(json_object_get(img, "caption"))) != 0;
	json_decref(img);
	if (alt_changed || caption_changed) {
		if (db_execf(req->db, "UPDATE media SET alt = ?, caption = ?, updated_at = ? WHERE id = ?", "ssii", t.alt, t.caption,
			     (long long)time(NULL), id) < 0) {
			log_msg(LOG_ERR, req->rid, "media %lld: cannot save: %s", id, db_errmsg(req->db));
			app_error(req, res, 500);
			res->cache_ttl = -1;
			return;
		}
		lib_search_fill(req);
		audit_log(req, NULL, "media.edit", "media", id,
			  alt_changed && caption_changed ? "alt, caption" : alt_changed ? "alt" : "caption");
	}
	admin_flash(req, res, "The alt text and caption were saved.");
	http_redirect(res, 303, admin_url(req, arena_printf(req->arena, "/media/%lld", id)));
}

static void lib_delete(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_MEDIA_EDIT, 0, NULL))
		return;
	if (!admin_form(req, res))
		return;
	long long id = lib_param_id(req);
	json_t *img = id ? lib_load(req, id) : NULL;
	if (!img) {
		app_error(req, res, 404);
		res->cache_ttl = -1;
		return;
	}
	const char *name = arena_strdup(req->arena, json_string_value(json_object_get(img, "name")));
	const char *alt = arena_strdup(req->arena, json_string_value(json_object_get(img, "alt")));
	/* the check and the delete in one write transaction: no article can start using it in between */
	if (db_begin(req->db) < 0)
		goto fail;
	json_t *usage = lib_usage(req, id, name);
	size_t used = json_array_size(usage);
	json_decref(usage);
	if (used) {
		db_rollback(req->db);
		lib_edit_form_t f = {.delete_error = app_t_(req, "This image cannot be deleted while it is used. Remove it from the articles and pages listed below first.")};
		lib_edit_render(req, res, img, &f, 409);
		return;
	}
	if (db_execf(req->db, "DELETE FROM media WHERE id = ?", "i", id) < 0 || db_commit(req->db) < 0) {
		db_rollback(req->db);
		goto fail;
	}
	json_decref(img);
	/* the row is gone, so nothing links the files any more; a file that will not go is only logged */
	if (lib_name_ok(name)) {
		const char *files[] = {"%s/%s.jpg", "%s/%s-480.jpg", "%s/%s-960.jpg", "%s/%s-1600.jpg"};
		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			char path[4096];
			snprintf(path, sizeof(path), files[i], app.media_dir, name);
			if (unlink(path) < 0 && errno != ENOENT)
				log_msg(LOG_WARN, req->rid, "media %lld: cannot remove %s: %s", id, path, strerror(errno));
		}
	}
	audit_log(req, NULL, "media.delete", "media", id, arena_printf(req->arena, "%s.jpg: %s", name, alt));
	admin_flash(req, res, "The image was deleted.");
	http_redirect(res, 303, admin_url(req, "/media"));
	return;
fail:
	log_msg(LOG_ERR, req->rid, "media %lld: cannot delete: %s", id, db_errmsg(req->db));
	json_decref(img);
	app_error(req, res, 500);
	res->cache_ttl = -1;
}

/* ---- the JSON list for the article editor's image picker ------------------------------------------ */

static void lib_json_reply(http_request_t *req, http_response_t *res, int status, json_t *body)
{
	res->status = status;
	res->cache_ttl = -1;
	res->content_type = "application/json; charset=utf-8";
	char *s = json_dumps(body, JSON_COMPACT);
	if (s) {
		buf_puts(&res->body, s);
		free(s);
	}
	json_decref(body);
}

static void lib_json(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = auth_user(req);
	if (!u) {
		lib_json_reply(req, res, 401, json_pack("{s:s, s:s}", "error", "unauthenticated", "message",
							 app_t_(req, "Please sign in to continue.")));
		return;
	}
	if (!perm_allows(u, PERM_MEDIA_UPLOAD, 0, NULL)) {
		lib_json_reply(req, res, 403, json_pack("{s:s, s:s}", "error", "forbidden", "message",
							 app_t_(req, "You do not have permission to do this, or the form expired. Go back, reload the page and try again.")));
		return;
	}
	const char *q = http_query(req, "q");
	q = q ? lib_clean(req->arena, q) : "";
	if (strlen(q) > 200)
		q = arena_strndup(req->arena, q, utf8_trunc(q, strlen(q), 200));
	long long page = http_query_int(req, "page", 1, LIB_MAX_PAGE, 1);
	long long per_page = http_query_int(req, "per_page", 1, LIB_JSON_MAX_PER_PAGE, LIB_PER_PAGE), total = 0;
	json_t *rows = lib_list(req, q, page, per_page, &total), *items = json_array(), *it;
	size_t i;
	static const char *const keep[] = {"id",  "name",  "alt",   "caption", "thumb",   "url",
					   "srcset", "markdown", "width", "height",  "edit_url", "datetime"};
	json_array_foreach(rows, i, it)
	{
		json_t *o = json_object();
		for (size_t k = 0; k < sizeof(keep) / sizeof(keep[0]); k++)
			json_object_set(o, keep[k], json_object_get(it, keep[k]));
		json_array_append_new(items, o);
	}
	json_decref(rows);
	lib_json_reply(req, res, 200,
		       json_pack("{s:s, s:I, s:I, s:I, s:I, s:o}", "q", q, "page", page, "per_page", per_page, "pages",
				 (total + per_page - 1) / per_page, "total", total, "items", items));
}
