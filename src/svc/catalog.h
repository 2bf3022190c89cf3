/* catalog: the store of the procedure catalog (thủ tục hành chính) — agencies, fields (lĩnh vực),
 * procedures with their texts in three languages, documents (thành phần hồ sơ) and forms (biểu mẫu) —
 * and its CSV import (docs/IMPORT.md).  The staff pages (admin/catalog.c), the command line (cong import)
 * and the demo loader all write through here, so the rules are the same everywhere.  Errors are English
 * msgids (the staff pages translate them), never HTML. */
#ifndef SVC_CATALOG_H
#define SVC_CATALOG_H
#include <stddef.h>

#include "core/arena.h"

typedef struct db db_t;

#define CATALOG_NLANGS 3          /* vi, en, zh: the order of every per-language array here */
#define CATALOG_MAX_DOCS 40
#define CATALOG_MAX_FORMS 20
#define CATALOG_MAX_FORM (5u << 20) /* bytes in one form file (a response body holds 8 MB) */
#define CATALOG_CODE_MAX 30

/* The long texts of a procedure, in the order of catalog_text_cols. */
enum { CAT_NAME, CAT_STEPS, CAT_METHODS, CAT_SUBJECTS, CAT_RESULT, CAT_FEES, CAT_CONDITIONS, CAT_LEGAL, CAT_NTEXT };
/* The procedure_i18n column of each text ("name", "steps" …). */
extern const char *const catalog_text_cols[CAT_NTEXT];

/* "tinh" or "xa" for what a person may write ("tinh", "xa", "Cấp tỉnh", "cấp xã", "province", "commune"),
 * or NULL. */
const char *catalog_level_parse(const char *s);
/* "toan_trinh" or "mot_phan" ("Toàn trình", "một phần", "full", "partial" …), or NULL. */
const char *catalog_online_parse(const char *s);
/* 1 when s can be a procedure code: 1–30 of A–Z a–z 0–9 . - _ (as in 2.000635 or 1.001612.000.00.00.H50). */
int catalog_code_ok(const char *s);

/* A procedure as a form or a CSV row gives it.  Texts may be "" (never NULL); a language other than vi
 * exists when its name is not empty. */
typedef struct catalog_proc {
	const char *code;
	long long field_id, agency_id;
	const char *level, *online;
	long long days;
	int published;
	const char *text[CAT_NTEXT][CATALOG_NLANGS];
	int ndocs;
	const char *doc_name[CATALOG_MAX_DOCS][CATALOG_NLANGS];
	const char *doc_copies[CATALOG_MAX_DOCS];
	int doc_required[CATALOG_MAX_DOCS];
} catalog_proc_t;

/* Parses a document list: items separated by '|' or line breaks, each "Name (copies)" with a final '?'
 * for an optional document ("Bản sao sổ hộ khẩu (01 bản sao)?").  Without copies: "01 bản chính".  For a
 * translation (lang > 0) the item's whole text is the name.  Fills p's documents of language lang and
 * returns their number, or -1 with *why (a msgid; *arg the offending item). */
int catalog_docs_parse(arena_t *a, const char *s, int lang, catalog_proc_t *p, const char **why, const char **arg);

/* Saves p (matched by code: created or updated) inside the caller's transaction.  Documents keep their ids
 * when their Vietnamese name stays (a renamed one keeps its place's id), so dossiers keep pointing at the
 * right slot; a document that submitted dossiers hold cannot be removed.  0 with *id and *created set;
 * 1 when refused (*why a msgid, *arg a detail or NULL); -1 on a database error. */
int catalog_proc_save(db_t *db, arena_t *a, const catalog_proc_t *p, long long now, long long *id, int *created,
		      const char **why, const char **arg);

/* The field (lĩnh vực) called name: by slug, else by Vietnamese name; created when missing (when create is
 * set), with en/zh names set when not NULL/"".  The id, 0 when absent, -1 on error. */
long long catalog_field_get(db_t *db, const char *name, const char *en, const char *zh, int create);

/* An agency as the staff form or CSV gives it. */
typedef struct catalog_agency {
	const char *code, *level, *commune, *address, *phone, *email;
	const char *name[CATALOG_NLANGS];
	long long position;
} catalog_agency_t;
/* Creates or updates (by code) an agency inside the caller's transaction; 0, 1 refused (*why), -1. */
int catalog_agency_save(db_t *db, const catalog_agency_t *g, long long *id, int *created, const char **why);

/* Recomputes procedures.search (the folded names in every language and the code) of procedure id. */
int catalog_search_update(db_t *db, long long id);

/* The MIME type of a form file, judged by its content (and, among ZIP- and OLE-based office formats, by
 * the extension of filename): PDF, DOC, DOCX, XLS, XLSX, ODT, ODS; NULL for anything else. */
const char *catalog_form_sniff(const void *data, size_t len, const char *filename);
/* Writes a form file durably under files_dir/forms with a new random name (written into stored, 40 bytes)
 * and adds its row to procedure id.  0, 1 refused (*why), -1 failed (*why; nothing left behind). */
int catalog_form_add(db_t *db, const char *files_dir, long long proc_id, const char *title, const char *filename,
		     const void *data, size_t len, char stored[40], const char **why);

/* ---- CSV import (docs/IMPORT.md) ------------------------------------------------------------------ */

#define CATALOG_MAX_BAD 500

typedef struct catalog_bad {
	long line;
	const char *msgid; /* English, with one %s for arg when arg is not NULL */
	const char *arg;
} catalog_bad_t;

typedef struct catalog_report {
	int imported, updated, nbad, rows;
	int refused;         /* the whole file was refused (bad header): bad[0] says why */
	catalog_bad_t bad[CATALOG_MAX_BAD];
} catalog_report_t;

/* Imports a CSV of kind "procedures" or "agencies" (n bytes at csv) in one transaction in which every
 * row is applied or skipped as a whole (a savepoint each): good rows are saved, bad rows reported.
 * forms_dir: where the files named in a `forms` column are read (NULL: that column is ignored);
 * files_dir: the portal's files directory.  0 when every row was good, 1 when some were bad or the file
 * was refused, -1 on a database error (nothing saved). */
int catalog_import(db_t *db, arena_t *a, const char *kind, const char *csv, size_t n, const char *forms_dir,
		   const char *files_dir, long long now, catalog_report_t *r);

/* Loads demo/agencies.csv and demo/procedures.csv (forms from demo/forms) into a new portal. */
int catalog_demo_load(db_t *db, const char *demo_dir, const char *files_dir, char **err);
#endif
