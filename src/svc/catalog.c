/* catalog: the store of the procedure catalog and its CSV import (see catalog.h, docs/IMPORT.md). */
#include "svc/catalog.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/fsio.h"
#include "core/utf8.h"
#include "db/db.h"
#include "svc/csv.h"
#include "svc/ident.h"

const char *const catalog_text_cols[CAT_NTEXT] = {"name", "steps", "methods", "subjects", "result", "fees", "conditions",
						  "legal_basis"};
static const char *const cat_langs[CATALOG_NLANGS] = {"vi", "en", "zh"};

/* s folded (utf8_fold) into the arena; "" on failure. */
static const char *cat_fold(arena_t *a, const char *s)
{
	buf_t b;
	buf_init(&b, 64u << 10);
	utf8_fold(s, strlen(s), &b);
	char *out = arena_strdup(a, buf_cstr(&b));
	buf_release(&b);
	return out ? out : "";
}

/* s without surrounding spaces, in the arena. */
static char *cat_trim(arena_t *a, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return arena_strndup(a, s, n);
}

static int cat_fold_is(const char *folded, const char *const *words)
{
	for (; *words; words++)
		if (strcmp(folded, *words) == 0)
			return 1;
	return 0;
}

const char *catalog_level_parse(const char *s)
{
	static const char *const tinh[] = {"tinh", "cap tinh", "province", "provincial", "省", "省级", NULL};
	static const char *const xa[] = {"xa", "cap xa", "commune", "communal", "社", "社级", "乡", NULL};
	arena_t a;
	arena_init(&a, 1u << 16);
	const char *f = cat_fold(&a, s ? s : "");
	const char *r = cat_fold_is(f, tinh) ? "tinh" : cat_fold_is(f, xa) ? "xa" : NULL;
	arena_release(&a);
	return r;
}

const char *catalog_online_parse(const char *s)
{
	static const char *const full[] = {"toan_trinh", "toan trinh", "full", "fully online", "全程", NULL};
	static const char *const part[] = {"mot_phan", "mot phan", "partial", "partly online", "部分", NULL};
	arena_t a;
	arena_init(&a, 1u << 16);
	const char *f = cat_fold(&a, s ? s : "");
	const char *r = cat_fold_is(f, full) ? "toan_trinh" : cat_fold_is(f, part) ? "mot_phan" : NULL;
	arena_release(&a);
	return r;
}

int catalog_code_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > CATALOG_CODE_MAX)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '-' ||
		      *s == '_'))
			return 0;
	return 1;
}

/* ---- documents --------------------------------------------------------------------------------------- */

int catalog_docs_parse(arena_t *a, const char *s, int lang, catalog_proc_t *p, const char **why, const char **arg)
{
	int n = 0;
	*arg = NULL;
	const char *q = s ? s : "";
	while (*q) {
		size_t len = strcspn(q, "|\n");
		char *item = cat_trim(a, q, len);
		q += len;
		if (*q)
			q++;
		if (!item || !*item)
			continue;
		if (n == CATALOG_MAX_DOCS) {
			*why = "Too many documents: at most 40.";
			return -1;
		}
		size_t il = strlen(item);
		int required = 1;
		if (item[il - 1] == '?') {
			required = 0;
			item[--il] = '\0';
			item = cat_trim(a, item, il);
			il = strlen(item);
		}
		const char *copies = "01 bản chính", *name = item;
		if (lang == 0 && il && item[il - 1] == ')') {
			char *open = strrchr(item, '(');
			if (open && open > item) {
				copies = cat_trim(a, open + 1, (size_t)(item + il - 1 - (open + 1)));
				name = cat_trim(a, item, (size_t)(open - item));
				if (!*copies)
					copies = "01 bản chính";
			}
		}
		if (!*name) {
			*why = "A document has no name: %s";
			*arg = item;
			return -1;
		}
		if (strlen(name) > 1000 || strlen(copies) > 200) {
			*why = "A document's name is too long: %s";
			*arg = name;
			return -1;
		}
		p->doc_name[n][lang] = name;
		if (lang == 0) {
			p->doc_copies[n] = copies;
			p->doc_required[n] = required;
		}
		n++;
	}
	return n;
}

/* ---- fields and agencies --------------------------------------------------------------------------- */

static int cat_set_name(db_t *db, const char *table, const char *key, long long id, const char *lang, const char *name)
{
	char sql[256];
	if (!name || !*name) {
		snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE %s = ? AND lang = ?", table, key);
		return db_execf(db, sql, "is", id, lang) < 0 ? -1 : 0;
	}
	snprintf(sql, sizeof(sql), "INSERT INTO %s (%s, lang, name) VALUES (?, ?, ?) ON CONFLICT (%s, lang) DO UPDATE SET name = excluded.name",
		 table, key, key);
	return db_execf(db, sql, "iss", id, lang, name) < 0 ? -1 : 0;
}

long long catalog_field_get(db_t *db, const char *name, const char *en, const char *zh, int create)
{
	buf_t slug;
	buf_init(&slug, 256);
	utf8_slug(name, strlen(name), &slug, 80);
	long long id = 0;
	if (slug.len)
		id = db_int(db, "SELECT id FROM proc_fields WHERE slug = ?", "s", 0, buf_cstr(&slug));
	if (!id)
		id = db_int(db, "SELECT field_id FROM proc_field_i18n WHERE lang = 'vi' AND name = ?", "s", 0, name);
	if (!id && create && slug.len) {
		long long pos = db_int(db, "SELECT coalesce(max(position), 0) + 10 FROM proc_fields", "", 0);
		if (db_execf(db, "INSERT INTO proc_fields (slug, position) VALUES (?, ?)", "si", buf_cstr(&slug), pos) < 0 ||
		    (id = db_last_id(db)) <= 0 || cat_set_name(db, "proc_field_i18n", "field_id", id, "vi", name) < 0)
			id = -1;
	}
	buf_release(&slug);
	if (id > 0 && ((en && *en && cat_set_name(db, "proc_field_i18n", "field_id", id, "en", en) < 0) ||
		       (zh && *zh && cat_set_name(db, "proc_field_i18n", "field_id", id, "zh", zh) < 0)))
		return -1;
	return id;
}

int catalog_agency_save(db_t *db, const catalog_agency_t *g, long long *id, int *created, const char **why)
{
	if (ident_agency_check(g->code) != IDENT_OK) {
		*why = "The agency code must be 2 to 20 capital letters, digits and dots, like 000.00.12.H50.";
		return 1;
	}
	if (!g->name[0] || !*g->name[0]) {
		*why = "Enter the agency's name in Vietnamese.";
		return 1;
	}
	const char *level = catalog_level_parse(g->level && *g->level ? g->level : "tinh");
	if (!level) {
		*why = "The level must be province (tinh) or commune (xa).";
		return 1;
	}
	*id = db_int(db, "SELECT id FROM agencies WHERE code = ?", "s", 0, g->code);
	*created = *id == 0;
	if (*created) {
		if (db_execf(db, "INSERT INTO agencies (code, level, commune, address, phone, email, position) VALUES (?, ?, ?, ?, ?, ?, ?)",
			     "ssssssi", g->code, level, g->commune ? g->commune : "", g->address ? g->address : "",
			     g->phone ? g->phone : "", g->email ? g->email : "", g->position) < 0)
			return -1;
		*id = db_last_id(db);
	} else if (db_execf(db, "UPDATE agencies SET level = ?, commune = ?, address = ?, phone = ?, email = ?, position = ? WHERE id = ?",
			    "ssssssi", level, g->commune ? g->commune : "", g->address ? g->address : "", g->phone ? g->phone : "",
			    g->email ? g->email : "", g->position, *id) < 0) {
		return -1;
	}
	for (int l = 0; l < CATALOG_NLANGS; l++)
		if (cat_set_name(db, "agency_i18n", "agency_id", *id, cat_langs[l], g->name[l]) < 0)
			return -1;
	return 0;
}

/* ---- procedures ------------------------------------------------------------------------------------ */

int catalog_search_update(db_t *db, long long id)
{
	buf_t text, folded;
	buf_init(&text, 64u << 10);
	buf_init(&folded, 64u << 10);
	db_stmt_t *st = db_prepare(db, "SELECT i.name, p.code FROM procedures p JOIN procedure_i18n i ON i.procedure_id = p.id"
				       " WHERE p.id = ? ORDER BY i.lang DESC");
	int rc = -1;
	if (!st || db_bindf(st, "i", id) < 0)
		goto out;
	const char *code = NULL;
	char codebuf[64] = "";
	while (db_step(st) == DB_ROW) {
		buf_appendf(&text, "%s ", db_col_text(st, 0));
		if (!code) {
			snprintf(codebuf, sizeof(codebuf), "%s", db_col_text(st, 1));
			code = codebuf;
		}
	}
	db_done(st);
	buf_puts(&text, codebuf);
	utf8_fold(buf_cstr(&text), text.len, &folded);
	rc = db_execf(db, "UPDATE procedures SET search = ? WHERE id = ?", "si", buf_cstr(&folded), id) < 0 ? -1 : 0;
out:
	buf_release(&text);
	buf_release(&folded);
	return rc;
}

/* The documents of procedure id as they are: ids and Vietnamese names in order. */
static int cat_old_docs(db_t *db, arena_t *a, long long id, long long *ids, const char **names)
{
	db_stmt_t *st = db_prepare(db, "SELECT d.id, coalesce(i.name, '') FROM procedure_docs d LEFT JOIN procedure_doc_i18n i"
				       " ON i.doc_id = d.id AND i.lang = 'vi' WHERE d.procedure_id = ? ORDER BY d.position, d.id");
	int n = 0;
	if (!st || db_bindf(st, "i", id) < 0)
		return -1;
	while (n < CATALOG_MAX_DOCS * 4 && db_step(st) == DB_ROW) {
		ids[n] = db_col_int(st, 0);
		names[n++] = arena_strdup(a, db_col_text(st, 1));
	}
	db_done(st);
	return n;
}

static int cat_save_docs(db_t *db, arena_t *a, long long id, const catalog_proc_t *p, const char **why, const char **arg)
{
	long long old[CATALOG_MAX_DOCS * 4], use[CATALOG_MAX_DOCS];
	const char *oldname[CATALOG_MAX_DOCS * 4];
	int taken[CATALOG_MAX_DOCS * 4] = {0};
	int nold = cat_old_docs(db, a, id, old, oldname);
	if (nold < 0)
		return -1;
	/* the same Vietnamese name keeps its id; the rest pair up in order (a renamed document keeps its id) */
	for (int i = 0; i < p->ndocs; i++) {
		use[i] = 0;
		for (int j = 0; j < nold; j++)
			if (!taken[j] && strcmp(oldname[j], p->doc_name[i][0]) == 0) {
				use[i] = old[j];
				taken[j] = 1;
				break;
			}
	}
	for (int i = 0, j = 0; i < p->ndocs; i++) {
		if (use[i])
			continue;
		while (j < nold && taken[j])
			j++;
		if (j < nold) {
			use[i] = old[j];
			taken[j++] = 1;
		}
	}
	for (int j = 0; j < nold; j++) {
		if (taken[j])
			continue;
		if (db_int(db, "SELECT count(*) FROM dossier_files WHERE doc_id = ?", "i", 0, old[j]) > 0) {
			*why = "The document \"%s\" cannot be removed: submitted dossiers hold files for it.";
			*arg = oldname[j];
			return 1;
		}
		if (db_execf(db, "DELETE FROM procedure_doc_i18n WHERE doc_id = ?", "i", old[j]) < 0 ||
		    db_execf(db, "DELETE FROM procedure_docs WHERE id = ?", "i", old[j]) < 0)
			return -1;
	}
	for (int i = 0; i < p->ndocs; i++) {
		if (use[i]) {
			if (db_execf(db, "UPDATE procedure_docs SET position = ?, copies = ?, required = ? WHERE id = ?", "isii",
				     (long long)i, p->doc_copies[i], (long long)p->doc_required[i], use[i]) < 0)
				return -1;
		} else {
			if (db_execf(db, "INSERT INTO procedure_docs (procedure_id, position, copies, required) VALUES (?, ?, ?, ?)", "iisi",
				     id, (long long)i, p->doc_copies[i], (long long)p->doc_required[i]) < 0)
				return -1;
			use[i] = db_last_id(db);
		}
		for (int l = 0; l < CATALOG_NLANGS; l++)
			if (cat_set_name(db, "procedure_doc_i18n", "doc_id", use[i], cat_langs[l], p->doc_name[i][l]) < 0)
				return -1;
	}
	return 0;
}

int catalog_proc_save(db_t *db, arena_t *a, const catalog_proc_t *p, long long now, long long *id, int *created,
		      const char **why, const char **arg)
{
	*arg = NULL;
	if (!catalog_code_ok(p->code)) {
		*why = "The procedure code must be 1 to 30 letters, digits, dots or dashes, like 2.000635.";
		return 1;
	}
	if (!p->text[CAT_NAME][0] || !*p->text[CAT_NAME][0]) {
		*why = "Enter the procedure's name in Vietnamese.";
		return 1;
	}
	if (p->days < 0 || p->days > 3650) {
		*why = "The time limit must be a number of working days from 0 to 3650.";
		return 1;
	}
	if (p->ndocs < 1) {
		*why = "List at least one document of the dossier.";
		return 1;
	}
	for (int l = 1; l < CATALOG_NLANGS; l++) {
		int has = 0;
		for (int i = 0; i < p->ndocs; i++)
			has |= p->doc_name[i][l] && *p->doc_name[i][l];
		for (int i = 0; has && i < p->ndocs; i++)
			if (!p->doc_name[i][l] || !*p->doc_name[i][l]) {
				*why = "A translated document list must have as many documents as the Vietnamese one (%s).";
				*arg = cat_langs[l];
				return 1;
			}
	}
	if (!p->agency_id || db_int(db, "SELECT count(*) FROM agencies WHERE id = ?", "i", 0, p->agency_id) != 1) {
		*why = "Choose the agency that carries the procedure out.";
		return 1;
	}
	if (!p->field_id || db_int(db, "SELECT count(*) FROM proc_fields WHERE id = ?", "i", 0, p->field_id) != 1) {
		*why = "Choose the field of the procedure.";
		return 1;
	}
	*id = db_int(db, "SELECT id FROM procedures WHERE code = ?", "s", 0, p->code);
	*created = *id == 0;
	if (*created) {
		if (db_execf(db, "INSERT INTO procedures (code, agency_id, field_id, level, online, days, published, updated_at)"
				 " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			     "siissiii", p->code, p->agency_id, p->field_id, p->level, p->online, p->days, (long long)p->published, now) < 0)
			return -1;
		*id = db_last_id(db);
	} else if (db_execf(db, "UPDATE procedures SET agency_id = ?, field_id = ?, level = ?, online = ?, days = ?, published = ?,"
				" updated_at = ? WHERE id = ?",
			    "iissiiii", p->agency_id, p->field_id, p->level, p->online, p->days, (long long)p->published, now, *id) < 0) {
		return -1;
	}
	for (int l = 0; l < CATALOG_NLANGS; l++) {
		const char *v[CAT_NTEXT];
		for (int k = 0; k < CAT_NTEXT; k++)
			v[k] = p->text[k][l] ? p->text[k][l] : "";
		if (!*v[CAT_NAME]) {
			if (db_execf(db, "DELETE FROM procedure_i18n WHERE procedure_id = ? AND lang = ?", "is", *id, cat_langs[l]) < 0)
				return -1;
			continue;
		}
		if (db_execf(db, "INSERT INTO procedure_i18n (procedure_id, lang, name, steps, methods, subjects, result, fees, conditions,"
				 " legal_basis) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (procedure_id, lang) DO UPDATE SET"
				 " name = excluded.name, steps = excluded.steps, methods = excluded.methods, subjects = excluded.subjects,"
				 " result = excluded.result, fees = excluded.fees, conditions = excluded.conditions,"
				 " legal_basis = excluded.legal_basis",
			     "isssssssss", *id, cat_langs[l], v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]) < 0)
			return -1;
	}
	int rc = cat_save_docs(db, a, *id, p, why, arg);
	if (rc)
		return rc;
	return catalog_search_update(db, *id) < 0 ? -1 : 0;
}

/* ---- forms ----------------------------------------------------------------------------------------- */

static const char *cat_ext(const char *filename)
{
	const char *dot = filename ? strrchr(filename, '.') : NULL;
	return dot ? dot + 1 : "";
}

const char *catalog_form_sniff(const void *data, size_t len, const char *filename)
{
	const unsigned char *p = data;
	const char *ext = cat_ext(filename);
	if (len >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return "application/pdf";
	if (len >= 8 && memcmp(p, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) { /* OLE2: .doc or .xls */
		if (strcasecmp(ext, "xls") == 0)
			return "application/vnd.ms-excel";
		return "application/msword";
	}
	if (len >= 4 && memcmp(p, "PK\x03\x04", 4) == 0) { /* ZIP: OOXML or OpenDocument */
		static const char od[] = "mimetypeapplication/vnd.oasis.opendocument.";
		if (len >= 30 + sizeof(od) - 1 && memcmp(p + 30, od, sizeof(od) - 1) == 0) {
			const char *kind = (const char *)p + 30 + sizeof(od) - 1;
			size_t left = len - 30 - (sizeof(od) - 1);
			if (left >= 4 && memcmp(kind, "text", 4) == 0)
				return "application/vnd.oasis.opendocument.text";
			if (left >= 11 && memcmp(kind, "spreadsheet", 11) == 0)
				return "application/vnd.oasis.opendocument.spreadsheet";
			return NULL;
		}
		if (strcasecmp(ext, "docx") == 0)
			return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
		if (strcasecmp(ext, "xlsx") == 0)
			return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
		return NULL;
	}
	return NULL;
}

int catalog_form_add(db_t *db, const char *files_dir, long long proc_id, const char *title, const char *filename,
		     const void *data, size_t len, char stored[40], const char **why)
{
	if (len == 0 || len > CATALOG_MAX_FORM) {
		*why = "A form must be a file of at most 5 MB.";
		return 1;
	}
	const char *mime = catalog_form_sniff(data, len, filename);
	if (!mime) {
		*why = "Forms must be PDF, DOC, DOCX, XLS, XLSX, ODT or ODS files.";
		return 1;
	}
	if (!title || !*title || strlen(title) > 500) {
		*why = "Give the form a title (at most 500 characters).";
		return 1;
	}
	/* the name offered for download: the last path part, no control characters or quotes */
	const char *base = strrchr(filename, '/');
	base = base ? base + 1 : filename;
	const char *b2 = strrchr(base, '\\');
	base = b2 ? b2 + 1 : base;
	char safe[256];
	size_t k = 0;
	for (const char *c = base; *c && k < sizeof(safe) - 1; c++)
		safe[k++] = ((unsigned char)*c < 0x20 || *c == '"' || *c == 0x7f) ? '_' : *c;
	safe[k] = '\0';
	if (!k)
		snprintf(safe, sizeof(safe), "bieu-mau.%s", strcmp(mime, "application/pdf") == 0 ? "pdf" : "bin");
	char dir[4200];
	snprintf(dir, sizeof(dir), "%s/forms", files_dir);
	unsigned char rnd[16];
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(stored, 40, rnd, sizeof(rnd));
	if (fsio_mkdir(dir) < 0 || fsio_write(dir, stored, data, len, 0640) < 0 || fsio_sync_dir(dir) < 0) {
		*why = "The form could not be saved.";
		return -1;
	}
	long long pos = db_int(db, "SELECT coalesce(max(position), 0) + 1 FROM procedure_forms WHERE procedure_id = ?", "i", 0, proc_id);
	if (db_execf(db, "INSERT INTO procedure_forms (procedure_id, title, stored, filename, mime, bytes, position) VALUES (?, ?, ?, ?, ?, ?, ?)",
		     "issssii", proc_id, title, stored, safe, mime, (long long)len, pos) < 0) {
		char path[4300];
		snprintf(path, sizeof(path), "%s/%s", dir, stored);
		unlink(path);
		*why = "The form could not be saved.";
		return -1;
	}
	return 0;
}

/* ---- CSV import -------------------------------------------------------------------------------------- */

static void cat_bad(catalog_report_t *r, long line, const char *msgid, const char *arg)
{
	if (r->nbad < CATALOG_MAX_BAD)
		r->bad[r->nbad] = (catalog_bad_t){line, msgid, arg};
	r->nbad++;
}

/* The columns of a procedures file. */
enum { C_CODE, C_FIELD, C_FIELD_EN, C_FIELD_ZH, C_AGENCY, C_LEVEL, C_ONLINE, C_DAYS, C_PUBLISHED, C_DOCS, C_DOCS_EN, C_DOCS_ZH,
       C_FORMS, C_TEXT /* + CAT_NTEXT × 3 */ };
#define C_NPROC (C_TEXT + CAT_NTEXT * CATALOG_NLANGS)
static const char *const cat_proc_fixed[C_TEXT] = {"code",   "field",     "field_en",  "field_zh",     "agency_code",
						   "level",  "online",    "days",      "published",    "documents",
						   "documents_en", "documents_zh", "forms"};
/* The columns of an agencies file. */
enum { A_CODE, A_NAME_VI, A_NAME_EN, A_NAME_ZH, A_LEVEL, A_COMMUNE, A_ADDRESS, A_PHONE, A_EMAIL, A_POSITION, A_N };
static const char *const cat_agency_cols[A_N] = {"code", "name_vi", "name_en", "name_zh", "level", "commune", "address",
						 "phone", "email", "position"};

/* The column index of header name h, or -1. */
static int cat_proc_col(arena_t *a, const char *h)
{
	for (int i = 0; i < C_TEXT; i++)
		if (strcmp(h, cat_proc_fixed[i]) == 0)
			return i;
	for (int k = 0; k < CAT_NTEXT; k++)
		for (int l = 0; l < CATALOG_NLANGS; l++) {
			const char *full = arena_printf(a, "%s_%s", catalog_text_cols[k], cat_langs[l]);
			if (strcmp(h, full) == 0 || (l == 0 && k != CAT_NAME && strcmp(h, catalog_text_cols[k]) == 0))
				return C_TEXT + k * CATALOG_NLANGS + l;
		}
	return -1;
}

static int cat_agency_col(const char *h)
{
	for (int i = 0; i < A_N; i++)
		if (strcmp(h, cat_agency_cols[i]) == 0)
			return i;
	return strcmp(h, "name") == 0 ? A_NAME_VI : -1;
}

/* Reads a whole file into a malloc'd buffer; NULL (errno set) on failure or past max bytes. */
static char *cat_read_file(const char *path, size_t max, size_t *n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	char *p = NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
		errno = EFBIG;
		goto out;
	}
	p = malloc((size_t)st.st_size + 1);
	size_t got = 0;
	while (p && got < (size_t)st.st_size) {
		ssize_t r = read(fd, p + got, (size_t)st.st_size - got);
		if (r <= 0) {
			free(p);
			p = NULL;
			break;
		}
		got += (size_t)r;
	}
	if (p) {
		p[got] = '\0';
		*n = got;
	}
out:
	close(fd);
	return p;
}

/* A stored form file to remove once the import has committed (old forms replaced by a forms column). */
typedef struct cat_unlink {
	char name[40];
	struct cat_unlink *next;
} cat_unlink_t;

/* Replaces the forms of procedure id with those the forms cell lists ("Title=file.pdf|…", files in
 * forms_dir).  New files go onto *fresh (to remove if the row is rolled back), old ones onto *old. */
static int cat_import_forms(db_t *db, arena_t *a, long long id, const char *cell, const char *forms_dir,
			    const char *files_dir, cat_unlink_t **fresh, cat_unlink_t **old, const char **why, const char **arg)
{
	db_stmt_t *st = db_prepare(db, "SELECT stored FROM procedure_forms WHERE procedure_id = ?");
	if (!st || db_bindf(st, "i", id) < 0)
		return -1;
	while (db_step(st) == DB_ROW) {
		cat_unlink_t *u = arena_alloc(a, sizeof(*u));
		if (!u)
			break;
		snprintf(u->name, sizeof(u->name), "%s", db_col_text(st, 0));
		u->next = *old;
		*old = u;
	}
	db_done(st);
	if (db_execf(db, "DELETE FROM procedure_forms WHERE procedure_id = ?", "i", id) < 0)
		return -1;
	const char *q = cell;
	int n = 0;
	while (*q) {
		size_t len = strcspn(q, "|\n");
		char *item = cat_trim(a, q, len);
		q += len;
		if (*q)
			q++;
		if (!item || !*item)
			continue;
		char *eq = strchr(item, '=');
		const char *file = eq ? cat_trim(a, eq + 1, strlen(eq + 1)) : item;
		const char *title = eq ? cat_trim(a, item, (size_t)(eq - item)) : item;
		*arg = item;
		if (++n > CATALOG_MAX_FORMS) {
			*why = "Too many forms: at most 20.";
			return 1;
		}
		if (!*file || strstr(file, "..") || file[0] == '/') {
			*why = "A form must be a file name inside the forms directory: %s";
			return 1;
		}
		char path[4200];
		snprintf(path, sizeof(path), "%s/%s", forms_dir, file);
		size_t flen = 0;
		char *data = cat_read_file(path, CATALOG_MAX_FORM, &flen);
		if (!data) {
			*why = "Cannot read the form file: %s";
			*arg = file;
			return 1;
		}
		cat_unlink_t *u = arena_alloc(a, sizeof(*u));
		if (!u) {
			free(data);
			return -1;
		}
		int rc = catalog_form_add(db, files_dir, id, title, file, data, flen, u->name, why);
		free(data);
		if (rc)
			return rc;
		u->next = *fresh;
		*fresh = u;
	}
	*arg = NULL;
	return 0;
}

static void cat_unlink_all(const char *files_dir, cat_unlink_t *u)
{
	for (; u; u = u->next) {
		char path[4300];
		snprintf(path, sizeof(path), "%s/forms/%s", files_dir, u->name);
		unlink(path);
	}
}

/* One procedures row: 0 saved, 1 bad (reported), -1 database error. */
static int cat_proc_row(db_t *db, arena_t *a, char **v, long now, const char *forms_dir, const char *files_dir, int has_forms,
			cat_unlink_t **fresh, cat_unlink_t **old, int *created, const char **why, const char **arg)
{
	catalog_proc_t p;
	memset(&p, 0, sizeof(p));
	*arg = NULL;
	p.code = v[C_CODE];
	for (int k = 0; k < CAT_NTEXT; k++)
		for (int l = 0; l < CATALOG_NLANGS; l++)
			p.text[k][l] = v[C_TEXT + k * CATALOG_NLANGS + l];
	if (!catalog_code_ok(p.code)) {
		*why = "Bad procedure code: \"%s\" (1 to 30 letters, digits, dots or dashes).";
		*arg = p.code;
		return 1;
	}
	if (!*v[C_FIELD]) {
		*why = "The field (lĩnh vực) is empty.";
		return 1;
	}
	long long agency = db_int(db, "SELECT id FROM agencies WHERE code = ?", "s", 0, v[C_AGENCY]);
	if (!agency) {
		*why = "Unknown agency code: \"%s\" (import the agencies first).";
		*arg = v[C_AGENCY];
		return 1;
	}
	p.agency_id = agency;
	if (*v[C_LEVEL]) {
		if (!(p.level = catalog_level_parse(v[C_LEVEL]))) {
			*why = "Bad level: \"%s\" (tinh or xa).";
			*arg = v[C_LEVEL];
			return 1;
		}
	} else {
		db_stmt_t *st = db_prepare(db, "SELECT level FROM agencies WHERE id = ?");
		p.level = "tinh";
		if (st && db_bindf(st, "i", agency) == 0 && db_step(st) == DB_ROW)
			p.level = strcmp(db_col_text(st, 0), "xa") == 0 ? "xa" : "tinh";
		if (st)
			db_done(st);
	}
	if (!(p.online = catalog_online_parse(*v[C_ONLINE] ? v[C_ONLINE] : "toan_trinh"))) {
		*why = "Bad online level: \"%s\" (toan_trinh or mot_phan).";
		*arg = v[C_ONLINE];
		return 1;
	}
	char *end = NULL;
	errno = 0;
	long long days = strtoll(v[C_DAYS], &end, 10);
	if (!*v[C_DAYS] || *end || errno || days < 0 || days > 3650) {
		*why = "Bad number of working days: \"%s\".";
		*arg = v[C_DAYS];
		return 1;
	}
	p.days = days;
	const char *pub = v[C_PUBLISHED];
	p.published = !*pub || strcmp(pub, "1") == 0 || strcasecmp(pub, "yes") == 0 || strcasecmp(pub, "co") == 0 ||
		      strcmp(pub, "có") == 0 || strcasecmp(pub, "true") == 0;
	int nd = catalog_docs_parse(a, v[C_DOCS], 0, &p, why, arg);
	if (nd < 0)
		return 1;
	p.ndocs = nd;
	for (int l = 1; l < CATALOG_NLANGS; l++) {
		catalog_proc_t t;
		memset(&t, 0, sizeof(t));
		int m = catalog_docs_parse(a, v[C_DOCS + l], l, &t, why, arg);
		if (m < 0)
			return 1;
		if (m && m != nd) {
			*why = "The translated document list has a different number of documents (%s).";
			*arg = cat_langs[l];
			return 1;
		}
		for (int i = 0; i < m; i++)
			p.doc_name[i][l] = t.doc_name[i][l];
	}
	long long field = catalog_field_get(db, v[C_FIELD], v[C_FIELD_EN], v[C_FIELD_ZH], 1);
	if (field < 0)
		return -1;
	if (!field) {
		*why = "Bad field (lĩnh vực): \"%s\".";
		*arg = v[C_FIELD];
		return 1;
	}
	p.field_id = field;
	long long id;
	int rc = catalog_proc_save(db, a, &p, now, &id, created, why, arg);
	if (rc)
		return rc;
	if (has_forms && forms_dir)
		return cat_import_forms(db, a, id, v[C_FORMS], forms_dir, files_dir, fresh, old, why, arg);
	return 0;
}

static int cat_agency_row(db_t *db, char **v, int *created, const char **why)
{
	catalog_agency_t g = {.code = v[A_CODE], .level = v[A_LEVEL], .commune = v[A_COMMUNE], .address = v[A_ADDRESS],
			      .phone = v[A_PHONE], .email = v[A_EMAIL], .name = {v[A_NAME_VI], v[A_NAME_EN], v[A_NAME_ZH]}};
	char *end = NULL;
	g.position = *v[A_POSITION] ? strtoll(v[A_POSITION], &end, 10) : 0;
	if (end && *end) {
		*why = "Bad position: not a number.";
		return 1;
	}
	long long id;
	return catalog_agency_save(db, &g, &id, created, why);
}

int catalog_import(db_t *db, arena_t *a, const char *kind, const char *csv, size_t n, const char *forms_dir,
		   const char *files_dir, long long now, catalog_report_t *r)
{
	memset(r, 0, sizeof(*r));
	int procs = strcmp(kind, "procedures") == 0, ncols = procs ? C_NPROC : A_N;
	csv_t c;
	csv_init(&c, csv, n);
	char *head[CSV_MAX_FIELDS];
	int nh = 0, map[CSV_MAX_FIELDS], seen[C_NPROC] = {0};
	long line = 1;
	const char *err;
	int rc = csv_next(&c, a, head, &nh, &line, &err);
	if (rc <= 0) {
		cat_bad(r, line, rc < 0 ? "The header row is not valid CSV: %s" : "The file is empty: it needs a header row.", rc < 0 ? err : NULL);
		r->refused = 1;
		return 1;
	}
	for (int i = 0; i < nh; i++) {
		char *h = cat_trim(a, head[i], strlen(head[i]));
		for (char *q = h; *q; q++)
			if (*q >= 'A' && *q <= 'Z')
				*q = (char)(*q - 'A' + 'a');
		map[i] = procs ? cat_proc_col(a, h) : cat_agency_col(h);
		if (map[i] < 0 && *h) {
			cat_bad(r, line, "Unknown column: \"%s\" (docs/IMPORT.md lists the columns).", h);
			r->refused = 1;
		} else if (map[i] >= 0 && seen[map[i]]++) {
			cat_bad(r, line, "The column \"%s\" appears twice.", h);
			r->refused = 1;
		}
	}
	static const int need_proc[] = {C_CODE, C_FIELD, C_AGENCY, C_DAYS, C_DOCS, C_TEXT + CAT_NAME * CATALOG_NLANGS};
	static const int need_agency[] = {A_CODE, A_NAME_VI};
	const int *need = procs ? need_proc : need_agency;
	int nneed = procs ? 6 : 2;
	for (int i = 0; i < nneed; i++)
		if (!seen[need[i]]) {
			cat_bad(r, line, "A required column is missing: \"%s\".",
				procs ? (need[i] >= C_TEXT ? "name_vi" : cat_proc_fixed[need[i]]) : cat_agency_cols[need[i]]);
			r->refused = 1;
		}
	if (r->refused)
		return 1;
	if (db_begin(db) < 0)
		return -1;
	cat_unlink_t *old = NULL, *fresh_all = NULL;
	char *f[CSV_MAX_FIELDS];
	int nf;
	for (;;) {
		rc = csv_next(&c, a, f, &nf, &line, &err);
		if (rc == 0)
			break;
		r->rows++;
		if (rc < 0) {
			cat_bad(r, line, "Not valid CSV: %s", err);
			continue;
		}
		if (nf != nh) {
			cat_bad(r, line, "The row has %s fields; the header has a different number.", arena_printf(a, "%d", nf));
			continue;
		}
		char *v[C_NPROC];
		for (int i = 0; i < ncols; i++)
			v[i] = "";
		for (int i = 0; i < nf; i++)
			if (map[i] >= 0)
				v[map[i]] = cat_trim(a, f[i], strlen(f[i]));
		/* NFC: what a spreadsheet exports may be decomposed */
		for (int i = 0; i < ncols; i++) {
			buf_t b;
			buf_init(&b, CSV_MAX_FIELD * 2);
			if (utf8_nfc(v[i], strlen(v[i]), &b) == 0)
				v[i] = arena_strdup(a, buf_cstr(&b));
			buf_release(&b);
		}
		if (db_exec_script(db, "SAVEPOINT cong_row") < 0)
			goto dberr;
		int created = 0;
		const char *why = NULL, *arg = NULL;
		cat_unlink_t *fresh = NULL, *old_row = NULL;
		int x = procs ? cat_proc_row(db, a, v, now, forms_dir, files_dir, seen[C_FORMS], &fresh, &old_row, &created, &why, &arg)
			      : cat_agency_row(db, v, &created, &why);
		if (x < 0 && !why)
			why = "A database error: %s";
		if (x != 0) {
			if (db_exec_script(db, "ROLLBACK TO SAVEPOINT cong_row") < 0)
				goto dberr;
			cat_unlink_all(files_dir, fresh);
			if (x < 0 && db_unavailable(db))
				goto dberr;
			cat_bad(r, line, why, arg ? arg : x < 0 ? arena_strdup(a, db_errmsg(db)) : NULL);
			continue;
		}
		if (db_exec_script(db, "RELEASE SAVEPOINT cong_row") < 0)
			goto dberr;
		while (old_row) {
			cat_unlink_t *nx = old_row->next;
			old_row->next = old;
			old = old_row;
			old_row = nx;
		}
		while (fresh) {
			cat_unlink_t *nx = fresh->next;
			fresh->next = fresh_all;
			fresh_all = fresh;
			fresh = nx;
		}
		if (created)
			r->imported++;
		else
			r->updated++;
	}
	if (db_commit(db) < 0)
		goto dberr;
	cat_unlink_all(files_dir, old);
	return r->nbad ? 1 : 0;
dberr:
	db_rollback(db);
	cat_unlink_all(files_dir, fresh_all);
	return -1;
}

int catalog_demo_load(db_t *db, const char *demo_dir, const char *files_dir, char **err)
{
	static const char *const kinds[] = {"agencies", "procedures"};
	for (int k = 0; k < 2; k++) {
		char path[4200], forms[4200];
		snprintf(path, sizeof(path), "%s/%s.csv", demo_dir, kinds[k]);
		snprintf(forms, sizeof(forms), "%s", demo_dir);
		size_t n = 0;
		char *csv = cat_read_file(path, 16u << 20, &n);
		if (!csv) {
			if (asprintf(err, "cannot read %s: %s", path, strerror(errno)) < 0)
				*err = NULL;
			return -1;
		}
		arena_t a;
		arena_init(&a, 256u << 20);
		catalog_report_t *r = malloc(sizeof(*r));
		int rc = r ? catalog_import(db, &a, kinds[k], csv, n, forms, files_dir, (long long)time(NULL), r) : -1;
		free(csv);
		if (rc != 0) {
			const char *msg = rc < 0 ? db_errmsg(db) : r->nbad ? r->bad[0].msgid : "bad rows";
			if (asprintf(err, "%s line %ld: %s (%s)", path, r && r->nbad ? r->bad[0].line : 0L, msg,
				     r && r->nbad && r->bad[0].arg ? r->bad[0].arg : "") < 0)
				*err = NULL;
			free(r);
			arena_release(&a);
			return -1;
		}
		free(r);
		arena_release(&a);
	}
	return 0;
}
