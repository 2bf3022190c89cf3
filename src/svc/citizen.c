/* citizen: the public pages and API of a dossier (svc/citizen.h).  Nothing here is cacheable: the forms
 * carry a per-browser CSRF token and a one-time idempotency key, the receipt shows personal data, and
 * lookups are counted; every answer is "private, no-store", and the pages are noindex.
 *
 * CSRF without a session: the login form's double-submit cookie (auth_login_csrf_issue/_ok: a random
 * cookie and a form token that is its MAC under the site's secret).  The token-linked actions need the
 * dossier's secret too, so a forged form would have to know both. */
#include "svc/citizen.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "auth/totp.h"
#include "core/log.h"
#include "db/db.h"
#include "http/form.h"
#include "svc/civil.h"
#include "svc/dossier.h"
#include "svc/ident.h"
#include "svc/outbox.h"
#include "svc/smtp.h"

#define CIT_MAX_DOCS 64
#define CIT_NAME_MAX 200
#define CIT_ADDRESS_MAX 500
#define CIT_REQUEST_MAX 4000
#define CIT_NOTE_MAX 2000
#define CIT_LOOKUP_CODE_FREE 5 /* wrong lookups of one code before waits begin */

static void cit_form_get(http_request_t *req, http_response_t *res);
static void cit_form_post(http_request_t *req, http_response_t *res);
static void cit_receipt(http_request_t *req, http_response_t *res);
static void cit_supplement(http_request_t *req, http_response_t *res);
static void cit_withdraw(http_request_t *req, http_response_t *res);
static void cit_rate(http_request_t *req, http_response_t *res);
static void cit_lookup_get(http_request_t *req, http_response_t *res);
static void cit_lookup_post(http_request_t *req, http_response_t *res);
static void cit_api_submit(http_request_t *req, http_response_t *res);
static void cit_api_lookup(http_request_t *req, http_response_t *res);

const app_route_t citizen_routes[] = {
	{"GET", "vi", "/thu-tuc/*/nop-ho-so", cit_form_get},
	{"POST", "vi", "/thu-tuc/*/nop-ho-so", cit_form_post},
	{"GET", "en zh", "/procedures/*/submit", cit_form_get},
	{"POST", "en zh", "/procedures/*/submit", cit_form_post},
	{"GET", "vi", "/ho-so/*", cit_receipt},
	{"GET", "en zh", "/dossiers/*", cit_receipt},
	{"POST", "vi", "/ho-so/*/bo-sung", cit_supplement},
	{"POST", "en zh", "/dossiers/*/supplement", cit_supplement},
	{"POST", "vi", "/ho-so/*/rut", cit_withdraw},
	{"POST", "en zh", "/dossiers/*/withdraw", cit_withdraw},
	{"POST", "vi", "/ho-so/*/danh-gia", cit_rate},
	{"POST", "en zh", "/dossiers/*/rate", cit_rate},
	{"GET", "vi", "/tra-cuu-ho-so", cit_lookup_get},
	{"POST", "vi", "/tra-cuu-ho-so", cit_lookup_post},
	{"GET", "en zh", "/dossier-lookup", cit_lookup_get},
	{"POST", "en zh", "/dossier-lookup", cit_lookup_post},
	{"POST", "vi", "/api/v1/dossiers", cit_api_submit},
	{"GET", "vi", "/api/v1/dossiers/*", cit_api_lookup},
	{NULL, NULL, NULL, NULL},
};

static int cit_vi(const char *lang)
{
	return strcmp(lang, "vi") == 0;
}

static const char *cit_prefix(const char *lang)
{
	return cit_vi(lang) ? "" : strcmp(lang, "en") == 0 ? "/en" : "/zh";
}

char *citizen_receipt_url(arena_t *a, const char *lang, const char *code, const char *token)
{
	return arena_printf(a, "%s/%s/%s?t=%s", cit_prefix(lang), cit_vi(lang) ? "ho-so" : "dossiers", code, token);
}

static char *cit_action_url(http_request_t *req, const char *code, const char *vi, const char *other)
{
	return arena_printf(req->arena, "%s/%s/%s/%s", req->prefix, cit_vi(req->lang) ? "ho-so" : "dossiers", code,
			    cit_vi(req->lang) ? vi : other);
}

static char *cit_lookup_url(arena_t *a, const char *lang)
{
	return arena_printf(a, "%s/%s", cit_prefix(lang), cit_vi(lang) ? "tra-cuu-ho-so" : "dossier-lookup");
}

static char *cit_submit_url(http_request_t *req, const char *proc_code)
{
	return cit_vi(req->lang) ? arena_printf(req->arena, "/thu-tuc/%s/nop-ho-so", proc_code)
				 : arena_printf(req->arena, "%s/procedures/%s/submit", req->prefix, proc_code);
}

static char *cit_procedure_url(http_request_t *req, const char *proc_code)
{
	return cit_vi(req->lang) ? arena_printf(req->arena, "/thu-tuc/%s", proc_code)
				 : arena_printf(req->arena, "%s/procedures/%s", req->prefix, proc_code);
}

static const char *cit_base(http_request_t *req)
{
	const char *b = app_setting(req, "site.base_url", "");
	size_t n = strlen(b);
	while (n && b[n - 1] == '/')
		n--;
	return arena_strndup(req->arena, b, n);
}

/* Every answer here is for one person: never stored by the page cache or a browser, never indexed. */
static void cit_private(http_response_t *res)
{
	res->cache_ttl = -1;
	http_add_header(res, "x-robots-tag", "noindex, nofollow");
}

static void cit_render(http_request_t *req, http_response_t *res, const char *name, json_t *ctx, int status)
{
	cit_private(res);
	app_render(req, res, name, ctx);
	if (res->status == 200 && status != 200)
		res->status = status;
}

static char *cit_trim(arena_t *a, const char *s)
{
	if (!s)
		return arena_strdup(a, "");
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return arena_strndup(a, s, n);
}

/* ---- the procedure ------------------------------------------------------------------------------- */

typedef struct cit_doc {
	long long id;
	int required;
	const char *name, *copies;
} cit_doc_t;

typedef struct cit_proc {
	long long id;
	int days;
	const char *code, *name, *agency_code, *agency_name, *agency_address, *agency_phone;
	cit_doc_t docs[CIT_MAX_DOCS];
	int ndocs;
} cit_proc_t;

/* Loads a published procedure by code (or by id when code is NULL) with its documents in the request's
 * language (Vietnamese where a translation is missing).  1 found, 0 not. */
static int cit_proc_load(http_request_t *req, const char *code, long long id, cit_proc_t *p)
{
	memset(p, 0, sizeof(*p));
	db_stmt_t *st = db_prepare(req->db,
				   "SELECT p.id, p.code, p.days, COALESCE(pl.name, pv.name), a.code, COALESCE(al.name, av.name, a.code),"
				   " a.address, a.phone FROM procedures p"
				   " JOIN procedure_i18n pv ON pv.procedure_id = p.id AND pv.lang = 'vi'"
				   " LEFT JOIN procedure_i18n pl ON pl.procedure_id = p.id AND pl.lang = ?"
				   " JOIN agencies a ON a.id = p.agency_id"
				   " LEFT JOIN agency_i18n av ON av.agency_id = a.id AND av.lang = 'vi'"
				   " LEFT JOIN agency_i18n al ON al.agency_id = a.id AND al.lang = ?"
				   " WHERE (p.code = ? OR p.id = ?) AND (p.published = 1 OR ? = 0)");
	if (!st || db_bindf(st, "sssii", req->lang, req->lang, code ? code : "", code ? -1LL : id, code ? 1LL : 0LL) < 0) {
		if (st)
			db_done(st);
		return 0;
	}
	if (db_step(st) == DB_ROW) {
		p->id = db_col_int(st, 0);
		p->code = arena_strdup(req->arena, db_col_text(st, 1));
		p->days = (int)db_col_int(st, 2);
		p->name = arena_strdup(req->arena, db_col_text(st, 3));
		p->agency_code = arena_strdup(req->arena, db_col_text(st, 4));
		p->agency_name = arena_strdup(req->arena, db_col_text(st, 5));
		p->agency_address = arena_strdup(req->arena, db_col_text(st, 6));
		p->agency_phone = arena_strdup(req->arena, db_col_text(st, 7));
	}
	db_done(st);
	if (!p->id)
		return 0;
	st = db_prepare(req->db, "SELECT d.id, d.required, d.copies, COALESCE(dl.name, dv.name, '') FROM procedure_docs d"
				 " LEFT JOIN procedure_doc_i18n dv ON dv.doc_id = d.id AND dv.lang = 'vi'"
				 " LEFT JOIN procedure_doc_i18n dl ON dl.doc_id = d.id AND dl.lang = ?"
				 " WHERE d.procedure_id = ? ORDER BY d.position, d.id");
	if (st && db_bindf(st, "si", req->lang, p->id) == 0)
		while (p->ndocs < CIT_MAX_DOCS && db_step(st) == DB_ROW) {
			cit_doc_t *d = &p->docs[p->ndocs++];
			d->id = db_col_int(st, 0);
			d->required = (int)db_col_int(st, 1);
			d->copies = arena_strdup(req->arena, db_col_text(st, 2));
			d->name = arena_strdup(req->arena, db_col_text(st, 3));
		}
	if (st)
		db_done(st);
	return 1;
}

/* The estimated due moment of a dossier of p submitted at t (the clock starts at reception, which the
 * estimate takes to be now); 0 when there is none. */
static long long cit_estimate(http_request_t *req, int days, long long t)
{
	workday_cal_t cal;
	long long due = 0;
	if (days <= 0 || dossier_calendar(req->db, req->arena, &cal) < 0 || workday_due(&cal, t, days, NULL, 0, &due) != 0)
		return 0;
	return due;
}

/* ---- checking the applicant's input -------------------------------------------------------------- */

typedef struct cit_input {
	const char *name, *cccd, *dob, *address, *phone, *email, *request;
	dossier_file_in_t files[DOSSIER_MAX_FILES];
	int nfiles;
} cit_input_t;

/* The file part of document d: "doc_<id>" (the form) or "<id>" (the API). */
static const form_field_t *cit_doc_file(http_request_t *req, const form_t *f, long long id)
{
	const form_field_t *ff = form_file(f, arena_printf(req->arena, "doc_%lld", id));
	return ff ? ff : form_file(f, arena_printf(req->arena, "%lld", id));
}

static void cit_err(json_t *errors, const char *field, const char *msgid)
{
	if (!json_object_get(errors, field))
		json_object_set_new(errors, field, json_string(msgid));
}

/* Reads and checks the applicant's fields and documents from f into in; the problems go into errors as
 * field → msgid (English, to be translated by the caller).  dob_required: the form asks for it, the API
 * may leave it out. */
static void cit_read(http_request_t *req, const form_t *f, const cit_proc_t *p, int dob_required, cit_input_t *in,
		     json_t *errors)
{
	arena_t *a = req->arena;
	memset(in, 0, sizeof(*in));
	in->name = cit_trim(a, form_get(f, "applicant_name"));
	in->dob = cit_trim(a, form_get(f, "applicant_dob"));
	in->address = cit_trim(a, form_get(f, "applicant_address"));
	in->email = cit_trim(a, form_get(f, "applicant_email"));
	in->request = cit_trim(a, form_get(f, "request"));
	const char *cccd = cit_trim(a, form_get(f, "applicant_id")), *phone = cit_trim(a, form_get(f, "applicant_phone"));
	in->cccd = cccd;
	in->phone = phone;

	if (!*in->name)
		cit_err(errors, "applicant_name", "Please enter your full name.");
	else if (strlen(in->name) > CIT_NAME_MAX)
		cit_err(errors, "applicant_name", "This is too long.");
	int birth_year = 0, day;
	if (*in->dob) {
		int y, m, d;
		if (civil_parse_date(in->dob, &day) < 0 || (civil_date(day, &y, &m, &d), y < 1900) ||
		    day > civil_local_day((long long)time(NULL)))
			cit_err(errors, "applicant_dob", "Please enter a real date of birth.");
		else
			birth_year = y;
	} else if (dob_required) {
		cit_err(errors, "applicant_dob", "Please enter your date of birth.");
	}
	ident_cccd_t id;
	int e = ident_cccd_check(cccd, birth_year, &id);
	if (e == IDENT_OK)
		in->cccd = arena_strdup(a, id.digits);
	else
		cit_err(errors, "applicant_id", e == IDENT_EEMPTY	? "Please enter your citizen ID number."
						: e == IDENT_EPROVINCE ? "The first three digits of this citizen ID number are not a province code."
						: e == IDENT_EBIRTH	? "This citizen ID number does not match the date of birth."
						: e == IDENT_ECENTURY	? "This citizen ID number is not valid."
									: "A citizen ID number has 12 digits.");
	if (!*in->address)
		cit_err(errors, "applicant_address", "Please enter your address.");
	else if (strlen(in->address) > CIT_ADDRESS_MAX)
		cit_err(errors, "applicant_address", "This is too long.");
	char norm[IDENT_PHONE_MAX];
	e = ident_phone_norm(phone, norm, NULL);
	if (e == IDENT_OK)
		in->phone = arena_strdup(a, norm);
	else
		cit_err(errors, "applicant_phone", e == IDENT_EEMPTY ? "Please enter your phone number."
								      : "Please enter a Vietnamese phone number, e.g. 0912 345 678.");
	if (*in->email && !smtp_address_ok(in->email))
		cit_err(errors, "applicant_email", "Please enter an email address like name@example.vn, or leave it empty.");
	if (!*in->request)
		cit_err(errors, "request", "Please describe your request.");
	else if (strlen(in->request) > CIT_REQUEST_MAX)
		cit_err(errors, "request", "This is too long.");

	for (int i = 0; i < p->ndocs && in->nfiles < DOSSIER_MAX_FILES; i++) {
		const char *field = arena_printf(a, "doc_%lld", p->docs[i].id);
		const form_field_t *ff = cit_doc_file(req, f, p->docs[i].id);
		if (!ff) {
			if (p->docs[i].required)
				cit_err(errors, field, "Please attach this document.");
			continue;
		}
		if (ff->len > DOSSIER_MAX_FILE)
			cit_err(errors, field, "This file is larger than 10 MB.");
		else if (!dossier_sniff(ff->value, ff->len))
			cit_err(errors, field, "Only PDF, JPEG and PNG files are accepted (the content is checked, not the name).");
		else
			in->files[in->nfiles++] = (dossier_file_in_t){p->docs[i].id, ff->filename, ff->value, ff->len};
	}
}

/* An idempotency key a client may choose: 16–64 of [A-Za-z0-9_-]. */
static int cit_key_ok(const char *k)
{
	size_t n = k ? strlen(k) : 0;
	if (n < 16 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((k[i] >= '0' && k[i] <= '9') || (k[i] >= 'a' && k[i] <= 'z') || (k[i] >= 'A' && k[i] <= 'Z') ||
		      k[i] == '-' || k[i] == '_'))
			return 0;
	return 1;
}

static char *cit_new_key(arena_t *a)
{
	unsigned char rnd[16];
	char *k = arena_alloc(a, 33);
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(k, 33, rnd, sizeof(rnd));
	return k;
}

/* ---- the receipt email (queued inside the submission's transaction) ----------------------------- */

typedef struct cit_mail_arg {
	http_request_t *req;
	const cit_proc_t *p;
	const cit_input_t *in;
	long long now;
} cit_mail_arg_t;

static int cit_mail_receipt(db_t *db, const struct dossier_receipt *r, void *arg)
{
	cit_mail_arg_t *m = arg;
	http_request_t *req = m->req;
	if (!*m->in->email || !outbox_enabled(&app.cfg))
		return 0;
	char token[33];
	if (dossier_token(db, r->code, token) < 0)
		return -1;
	const char *base = cit_base(req);
	long long due = cit_estimate(req, m->p->days, m->now);
	buf_t b;
	buf_init(&b, 64 << 10);
	buf_appendf(&b, "%s %s,\n\n%s\n\n", app_t_(req, "Dear"), m->in->name,
		    app_t_(req, "Your dossier has been submitted online. Keep this email: its link is your access to the dossier."));
	buf_appendf(&b, "%s: %s\n", app_t_(req, "Dossier code"), r->code);
	buf_appendf(&b, "%s: %s (%s)\n", app_t_(req, "Procedure"), m->p->name, m->p->code);
	buf_appendf(&b, "%s: %s\n", app_t_(req, "Agency"), m->p->agency_name);
	buf_appendf(&b, "%s: %s\n", app_t_(req, "Submitted"), app_date(req->arena, req->lang, m->now, 1));
	buf_appendf(&b, "%s: %d\n", app_t_(req, "Documents received"), m->in->nfiles);
	if (due)
		buf_appendf(&b, "%s: %s (%s)\n", app_t_(req, "Estimated return date"), app_date(req->arena, req->lang, due, 0),
			    app_t_(req, "the date is set when an officer receives the dossier"));
	if (*m->p->agency_address)
		buf_appendf(&b, "%s: %s\n", app_t_(req, "Place of return"), m->p->agency_address);
	buf_appendf(&b, "\n%s\n%s%s\n\n", app_t_(req, "Your receipt, additional documents, withdrawal and rating (do not share this link):"),
		    base, citizen_receipt_url(req->arena, req->lang, r->code, token));
	buf_appendf(&b, "%s\n%s%s?ma=%s\n", app_t_(req, "Look up the status:"), base, cit_lookup_url(req->arena, req->lang),
		    r->code);
	const char *subject = arena_printf(req->arena, "%s %s", app_t_(req, "Dossier receipt"), r->code);
	int rc = b.overflow ? -1 : outbox_add(db, m->in->email, subject, buf_cstr(&b), r->code, m->now);
	buf_release(&b);
	return rc;
}

/* ---- the submission form ------------------------------------------------------------------------- */

static json_t *cit_docs_ctx(http_request_t *req, const cit_proc_t *p, json_t *errors)
{
	json_t *docs = json_array();
	for (int i = 0; i < p->ndocs; i++) {
		const char *field = arena_printf(req->arena, "doc_%lld", p->docs[i].id);
		json_t *e = errors ? json_object_get(errors, field) : NULL;
		json_array_append_new(docs, json_pack("{s:I, s:i, s:s, s:s, s:s, s:b, s:s?}", "id", p->docs[i].id, "n", i + 1,
						      "field", field, "name", p->docs[i].name, "copies", p->docs[i].copies,
						      "required", p->docs[i].required, "error",
						      e ? app_t_(req, json_string_value(e)) : NULL));
	}
	return docs;
}

static void cit_form_render(http_request_t *req, http_response_t *res, const cit_proc_t *p, const cit_input_t *in,
			    json_t *errors, const char *idem, const char *form_error, int status)
{
	json_t *ctx = app_page_ctx(req, app_t_(req, "Submit a dossier online"));
	json_t *e = json_object(), *v = json_object();
	const char *k;
	json_t *val;
	json_object_foreach(errors, k, val) json_object_set_new(e, k, json_string(app_t_(req, json_string_value(val))));
	if (in) {
		json_object_set_new(v, "applicant_name", json_string(in->name));
		json_object_set_new(v, "applicant_id", json_string(in->cccd));
		json_object_set_new(v, "applicant_dob", json_string(in->dob));
		json_object_set_new(v, "applicant_address", json_string(in->address));
		json_object_set_new(v, "applicant_phone", json_string(in->phone));
		json_object_set_new(v, "applicant_email", json_string(in->email));
		json_object_set_new(v, "request", json_string(in->request));
	}
	json_object_set_new(ctx, "procedure",
			    json_pack("{s:s, s:s, s:s, s:i, s:s, s:s}", "code", p->code, "name", p->name, "url",
				      cit_procedure_url(req, p->code), "days", p->days, "agency", p->agency_name, "address",
				      p->agency_address));
	json_object_set_new(ctx, "docs", cit_docs_ctx(req, p, errors));
	json_object_set_new(ctx, "has_docs", json_boolean(p->ndocs > 0));
	json_object_set_new(ctx, "v", v);
	json_object_set_new(ctx, "e", e);
	json_object_set_new(ctx, "has_errors", json_boolean(json_object_size(errors) > 0 || form_error));
	if (form_error)
		json_object_set_new(ctx, "form_error", json_string(app_t_(req, form_error)));
	json_object_set_new(ctx, "reattach", json_boolean(in && p->ndocs > 0));
	json_object_set_new(ctx, "action", json_string(cit_submit_url(req, p->code)));
	json_object_set_new(ctx, "idem", json_string(idem));
	json_object_set_new(ctx, "csrf", json_string(auth_login_csrf_issue(req, res) ?: ""));
	json_object_set_new(ctx, "lookup_url", json_string(cit_lookup_url(req->arena, req->lang)));
	cit_render(req, res, "svc/dossier-submit", ctx, status);
}

static void cit_form_get(http_request_t *req, http_response_t *res)
{
	cit_proc_t *p = arena_alloc(req->arena, sizeof(*p));
	if (!p || !cit_proc_load(req, req->params[0], 0, p)) {
		app_error(req, res, 404);
		return;
	}
	json_t *errors = json_object();
	cit_form_render(req, res, p, NULL, errors, cit_new_key(req->arena), NULL, 200);
	json_decref(errors);
}

/* Submits in for p with key; on success *r is set.  0 stored (or found: r->existed), 1 refused (*why),
 * -1 storage error (*why). */
static int cit_store(http_request_t *req, const cit_proc_t *p, cit_input_t *in, const char *key, const char *channel,
		     long long now, dossier_receipt_t *r, const char **why)
{
	cit_mail_arg_t m = {req, p, in, now};
	dossier_new_t d = {
		.procedure_id = p->id,
		.lang = req->lang,
		.channel = channel,
		.name = in->name,
		.cccd = in->cccd,
		.dob = in->dob,
		.address = in->address,
		.phone = in->phone,
		.email = in->email,
		.request = in->request,
		.idem_key = key,
		.files = in->files,
		.nfiles = in->nfiles,
		.in_txn = cit_mail_receipt,
		.in_txn_arg = &m,
	};
	int rc = dossier_submit(req->db, app.files_dir, &d, now, r, why);
	if (rc == 0)
		log_msg(LOG_INFO, req->rid, "dossier %s %s (%s)", r->code, r->existed ? "submitted again: the same key" : "submitted",
			channel);
	return rc;
}

static void cit_form_post(http_request_t *req, http_response_t *res)
{
	cit_proc_t *p = arena_alloc(req->arena, sizeof(*p));
	if (!p || !cit_proc_load(req, req->params[0], 0, p)) {
		app_error(req, res, 404);
		return;
	}
	form_t *f = form_parse(req);
	if (!f) {
		app_error(req, res, 400);
		return;
	}
	if (!auth_login_csrf_ok(req, f)) {
		cit_private(res);
		app_error(req, res, 403);
		return;
	}
	const char *key = form_get(f, "idem");
	if (!cit_key_ok(key))
		key = cit_new_key(req->arena);
	cit_input_t *in = arena_alloc(req->arena, sizeof(*in));
	json_t *errors = json_object();
	cit_read(req, f, p, 1, in, errors);
	if (json_object_size(errors)) {
		cit_form_render(req, res, p, in, errors, key, NULL, 422);
		json_decref(errors);
		return;
	}
	json_decref(errors);
	long long now = (long long)time(NULL);
	dossier_receipt_t r;
	const char *why = NULL;
	int rc = cit_store(req, p, in, key, "online", now, &r, &why);
	if (rc != 0) {
		errors = json_object();
		cit_form_render(req, res, p, in, errors, key, why, rc > 0 ? 422 : 500);
		json_decref(errors);
		return;
	}
	char token[33];
	if (dossier_token(req->db, r.code, token) < 0) {
		app_error(req, res, 500);
		return;
	}
	cit_private(res);
	http_redirect(res, 303, citizen_receipt_url(req->arena, req->lang, r.code, token));
}

/* ---- a stored dossier ---------------------------------------------------------------------------- */

typedef struct cit_dossier {
	long long id, procedure_id, submitted, received, due, apology_due;
	int status, rating;
	const char *code, *name, *cccd, *dob, *address, *phone, *email, *request, *rating_comment;
} cit_dossier_t;

/* Loads the dossier called code (canonical spelling).  1 found, 0 not. */
static int cit_dossier_load(http_request_t *req, const char *code, cit_dossier_t *d)
{
	memset(d, 0, sizeof(*d));
	db_stmt_t *st = db_prepare(req->db, "SELECT id, code, procedure_id, status, applicant_name, applicant_id, applicant_dob,"
					    " applicant_address, applicant_phone, applicant_email, request, submitted_at,"
					    " COALESCE(received_at, 0), COALESCE(due_at, 0), COALESCE(apology_due_at, 0),"
					    " COALESCE(rating, 0), rating_comment FROM dossiers WHERE code = ?");
	if (!st || db_bindf(st, "s", code) < 0) {
		if (st)
			db_done(st);
		return 0;
	}
	arena_t *a = req->arena;
	if (db_step(st) == DB_ROW) {
		d->id = db_col_int(st, 0);
		d->code = arena_strdup(a, db_col_text(st, 1));
		d->procedure_id = db_col_int(st, 2);
		d->status = (int)db_col_int(st, 3);
		d->name = arena_strdup(a, db_col_text(st, 4));
		d->cccd = arena_strdup(a, db_col_text(st, 5));
		d->dob = arena_strdup(a, db_col_text(st, 6));
		d->address = arena_strdup(a, db_col_text(st, 7));
		d->phone = arena_strdup(a, db_col_text(st, 8));
		d->email = arena_strdup(a, db_col_text(st, 9));
		d->request = arena_strdup(a, db_col_text(st, 10));
		d->submitted = db_col_int(st, 11);
		d->received = db_col_int(st, 12);
		d->due = db_col_int(st, 13);
		d->apology_due = db_col_int(st, 14);
		d->rating = (int)db_col_int(st, 15);
		d->rating_comment = arena_strdup(a, db_col_text(st, 16));
	}
	db_done(st);
	return d->id != 0;
}

/* The canonical spelling of a code as typed, or NULL when it is not a dossier code. */
static char *cit_code(http_request_t *req, const char *s)
{
	ident_dossier_t c;
	char out[IDENT_DOSSIER_MAX];
	if (!s || ident_dossier_parse(s, &c) != IDENT_OK || ident_dossier_format(&c, out) != IDENT_OK)
		return NULL;
	return arena_strdup(req->arena, out);
}

/* The promised moment the public may know: the apology's new date, else the due date; 0 while none. */
static long long cit_promised(const cit_dossier_t *d)
{
	return d->apology_due ? d->apology_due : d->due;
}

/* The dates a dossier shows anyone who may see it: {submitted, received, due | due_estimated, paused}. */
static void cit_dates_ctx(http_request_t *req, const cit_dossier_t *d, int days, json_t *o)
{
	json_object_set_new(o, "submitted", json_string(app_date(req->arena, req->lang, d->submitted, 1)));
	if (d->received)
		json_object_set_new(o, "received", json_string(app_date(req->arena, req->lang, d->received, 1)));
	long long promised = cit_promised(d);
	int waiting = d->status == DS_SUPPLEMENT || d->status == DS_FINANCIAL;
	int final = d->status == DS_REFUSED || d->status == DS_WITHDRAWN || d->status == DS_STOPPED;
	if (promised && !final)
		json_object_set_new(o, "due", json_string(app_date(req->arena, req->lang, promised, 0)));
	else if (!d->received && !final && !waiting) {
		long long est = cit_estimate(req, days, (long long)time(NULL) > d->submitted ? (long long)time(NULL) : d->submitted);
		if (est)
			json_object_set_new(o, "due_estimated", json_string(app_date(req->arena, req->lang, est, 0)));
	} else if (d->received && waiting)
		json_object_set_new(o, "paused", json_true());
}

/* The public history: each change of status with its date; an apology as a new date.  No notes, no
 * names: those may hold personal data. */
static json_t *cit_history(http_request_t *req, const cit_dossier_t *d)
{
	json_t *list = json_array();
	db_stmt_t *st = db_prepare(req->db, "SELECT at, to_status, kind FROM dossier_events WHERE dossier_id = ?"
					    " AND kind IN ('transition', 'apology') ORDER BY at, id");
	if (!st || db_bind_int(st, 1, d->id) < 0) {
		if (st)
			db_done(st);
		return list;
	}
	while (db_step(st) == DB_ROW) {
		long long at = db_col_int(st, 0);
		int to = (int)db_col_int(st, 1), apology = strcmp(db_col_text(st, 2), "apology") == 0;
		json_t *e = json_pack("{s:s, s:s, s:s, s:s}", "date", app_date(req->arena, req->lang, at, 1), "datetime",
				      app_iso(req->arena, at), "status",
				      apology ? app_t_(req, "New return date set") : app_t_(req, dossier_status_name(to)), "key",
				      apology ? "apology" : dossier_status_key(to));
		if (apology && d->apology_due)
			json_object_set_new(e, "new_date", json_string(app_date(req->arena, req->lang, d->apology_due, 0)));
		json_array_append_new(list, e);
	}
	db_done(st);
	return list;
}

/* ---- the receipt and the token's actions --------------------------------------------------------- */

/* The dossier of the URL whose token is right, or 0 (answered 404: a wrong token looks like no dossier). */
static int cit_token_dossier(http_request_t *req, http_response_t *res, const char *token, cit_dossier_t *d)
{
	const char *code = cit_code(req, req->params[0]);
	if (!code || !token || !dossier_token_ok(req->db, code, token) || !cit_dossier_load(req, code, d)) {
		cit_private(res);
		app_error(req, res, 404);
		return 0;
	}
	return 1;
}

static void cit_receipt_render(http_request_t *req, http_response_t *res, const cit_dossier_t *d, const char *token,
			       const char *error, int status)
{
	cit_proc_t *p = arena_alloc(req->arena, sizeof(*p));
	if (!p || !cit_proc_load(req, NULL, d->procedure_id, p)) {
		app_error(req, res, 500);
		return;
	}
	json_t *ctx = app_page_ctx(req, app_t_(req, "Dossier receipt"));
	json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "code", d->code, "status",
			      app_t_(req, dossier_status_name(d->status)), "status_key", dossier_status_key(d->status), "days",
			      p->days, "name", d->name, "cccd", d->cccd, "dob", "", "address", d->address, "phone", d->phone,
			      "email", d->email, "request", d->request, "channel", "");
	if (*d->dob) {
		int day, y, m, dd;
		if (civil_parse_date(d->dob, &day) == 0) {
			civil_date(day, &y, &m, &dd);
			json_object_set_new(o, "dob", json_string(app_date(req->arena, req->lang, civil_local_time(day, 12 * 3600), 0)));
		}
	}
	cit_dates_ctx(req, d, p->days, o);
	json_object_set_new(o, "procedure", json_pack("{s:s, s:s, s:s}", "code", p->code, "name", p->name, "url",
						      cit_procedure_url(req, p->code)));
	json_object_set_new(o, "agency", json_pack("{s:s, s:s, s:s}", "name", p->agency_name, "address", p->agency_address,
						   "phone", p->agency_phone));

	/* the documents received, in the procedure's order, each with its file */
	json_t *files = json_array();
	db_stmt_t *st = db_prepare(req->db, "SELECT f.doc_id, f.filename, f.bytes, f.added_at, COALESCE(dl.name, dv.name, ''),"
					    " COALESCE(pd.copies, '') FROM dossier_files f"
					    " LEFT JOIN procedure_docs pd ON pd.id = f.doc_id"
					    " LEFT JOIN procedure_doc_i18n dv ON dv.doc_id = f.doc_id AND dv.lang = 'vi'"
					    " LEFT JOIN procedure_doc_i18n dl ON dl.doc_id = f.doc_id AND dl.lang = ?"
					    " WHERE f.dossier_id = ? AND f.added_by = 'citizen' ORDER BY COALESCE(pd.position, 0), f.id");
	int n = 0;
	if (st && db_bindf(st, "si", req->lang, d->id) == 0)
		while (db_step(st) == DB_ROW) {
			long long bytes = db_col_int(st, 2), added = db_col_int(st, 3);
			json_array_append_new(files, json_pack("{s:i, s:s, s:s, s:s, s:s, s:b}", "n", ++n, "doc", db_col_text(st, 4),
							       "filename", db_col_text(st, 1), "copies", db_col_text(st, 5), "size",
							       bytes >= 1 << 20 ? arena_printf(req->arena, "%.1f MB", (double)bytes / (1 << 20))
										: arena_printf(req->arena, "%lld KB", (bytes + 1023) / 1024),
							       "later", added > d->submitted));
		}
	if (st)
		db_done(st);
	json_object_set_new(o, "files", files);
	json_object_set_new(o, "nfiles", json_integer(n));

	const char *base = cit_base(req), *lookup = cit_lookup_url(req->arena, req->lang);
	const char *lookup_abs = arena_printf(req->arena, "%s%s?ma=%s", base, lookup, d->code);
	buf_t svg;
	buf_init(&svg, 256 << 10);
	if (totp_qr_svg(lookup_abs, app_t_(req, "QR code: look this dossier up"), &svg) == 0)
		json_object_set_new(o, "qr_svg", json_string(buf_cstr(&svg)));
	buf_release(&svg);
	/* the page's own link stays on the host it was read from; only the QR code (read off paper) needs base_url */
	json_object_set_new(o, "lookup_url", json_string(arena_printf(req->arena, "%s?ma=%s", lookup, d->code)));
	json_object_set_new(ctx, "dossier", o);
	json_object_set_new(ctx, "history", cit_history(req, d));

	/* what the citizen may do now */
	const char *csrf = auth_login_csrf_issue(req, res);
	json_t *act = json_object();
	if (d->status == DS_SUPPLEMENT) {
		char *note = NULL;
		st = db_prepare(req->db, "SELECT note FROM dossier_events WHERE dossier_id = ? AND to_status = 5 AND kind = 'transition'"
					 " ORDER BY at DESC, id DESC LIMIT 1");
		if (st && db_bind_int(st, 1, d->id) == 0 && db_step(st) == DB_ROW)
			note = arena_strdup(req->arena, db_col_text(st, 0));
		if (st)
			db_done(st);
		json_t *docs = cit_docs_ctx(req, p, NULL);
		size_t i;
		json_t *doc;
		json_array_foreach(docs, i, doc) json_object_set_new(doc, "required", json_false()); /* any of them */
		json_object_set_new(act, "supplement", json_pack("{s:s?, s:s, s:o}", "note", note, "action",
								   cit_action_url(req, d->code, "bo-sung", "supplement"), "docs", docs));
	}
	if (dossier_move_find(d->status, DS_WITHDRAWN, DA_CITIZEN))
		json_object_set_new(act, "withdraw", json_pack("{s:s}", "action", cit_action_url(req, d->code, "rut", "withdraw")));
	if ((d->status == DS_DONE || d->status == DS_RETURNED) && !d->rating)
		json_object_set_new(act, "rate", json_pack("{s:s}", "action", cit_action_url(req, d->code, "danh-gia", "rate")));
	if (d->rating) {
		static const char *const levels[] = {"", "Not satisfied", "Satisfied", "Very satisfied"};
		json_object_set_new(ctx, "rated", json_pack("{s:s, s:s}", "level", app_t_(req, levels[d->rating]), "comment",
							    d->rating_comment));
	}
	json_object_set_new(ctx, "act", act);
	json_object_set_new(ctx, "token", json_string(token));
	json_object_set_new(ctx, "csrf", json_string(csrf ? csrf : ""));
	if (error)
		json_object_set_new(ctx, "error", json_string(app_t_(req, error)));
	const char *done = http_query(req, "done");
	if (done && !error) {
		const char *msg = strcmp(done, "supplement") == 0 ? "Your additional documents have been received."
				  : strcmp(done, "withdraw") == 0 ? "Your dossier has been withdrawn."
				  : strcmp(done, "rate") == 0	    ? "Thank you for your rating."
								    : NULL;
		if (msg)
			json_object_set_new(ctx, "done", json_string(app_t_(req, msg)));
	}
	cit_render(req, res, "svc/dossier-receipt", ctx, status);
}

static void cit_receipt(http_request_t *req, http_response_t *res)
{
	cit_dossier_t d;
	const char *token = http_query(req, "t");
	if (!cit_token_dossier(req, res, token, &d))
		return;
	cit_receipt_render(req, res, &d, token, NULL, 200);
}

/* The common start of a token action: the form, its CSRF token and the dossier's token.  NULL after
 * answering. */
static form_t *cit_action_start(http_request_t *req, http_response_t *res, cit_dossier_t *d)
{
	form_t *f = form_parse(req);
	if (!f) {
		app_error(req, res, 400);
		return NULL;
	}
	if (!cit_token_dossier(req, res, form_get(f, "t"), d))
		return NULL;
	if (!auth_login_csrf_ok(req, f)) {
		cit_private(res);
		app_error(req, res, 403);
		return NULL;
	}
	return f;
}

static void cit_action_done(http_request_t *req, http_response_t *res, const cit_dossier_t *d, const char *token,
			    int rc, const char *why, const char *what)
{
	if (rc == 0) {
		cit_private(res);
		http_redirect(res, 303, arena_printf(req->arena, "%s&done=%s", citizen_receipt_url(req->arena, req->lang, d->code, token),
						     what));
		return;
	}
	if (rc < 0)
		log_msg(LOG_ERR, req->rid, "dossier %s: %s failed: %s", d->code, what, db_errmsg(req->db));
	cit_dossier_t again;
	cit_receipt_render(req, res, cit_dossier_load(req, d->code, &again) ? &again : d, token,
			   why ? why : "The dossier could not be saved. Please try again.", rc > 0 ? 422 : 500);
}

static void cit_supplement(http_request_t *req, http_response_t *res)
{
	cit_dossier_t d;
	form_t *f = cit_action_start(req, res, &d);
	if (!f)
		return;
	cit_proc_t *p = arena_alloc(req->arena, sizeof(*p));
	if (!p || !cit_proc_load(req, NULL, d.procedure_id, p)) {
		app_error(req, res, 500);
		return;
	}
	dossier_file_in_t files[DOSSIER_MAX_FILES];
	int n = 0;
	const char *why = NULL;
	for (int i = 0; i < p->ndocs && n < DOSSIER_MAX_FILES; i++) {
		const form_field_t *ff = cit_doc_file(req, f, p->docs[i].id);
		if (ff)
			files[n++] = (dossier_file_in_t){p->docs[i].id, ff->filename, ff->value, ff->len};
	}
	const char *note = cit_trim(req->arena, form_get(f, "note"));
	int rc;
	if (strlen(note) > CIT_NOTE_MAX) {
		why = "This is too long.";
		rc = 1;
	} else {
		rc = dossier_supplement(req->db, app.files_dir, d.id, files, n, note, (long long)time(NULL), &why);
	}
	cit_action_done(req, res, &d, form_get(f, "t"), rc, why, "supplement");
}

static void cit_withdraw(http_request_t *req, http_response_t *res)
{
	cit_dossier_t d;
	form_t *f = cit_action_start(req, res, &d);
	if (!f)
		return;
	const char *why = NULL;
	int rc;
	if (!form_get(f, "confirm") || strcmp(form_get(f, "confirm"), "1") != 0) {
		why = "Please tick the box to confirm that you withdraw the dossier.";
		rc = 1;
	} else {
		const char *note = cit_trim(req->arena, form_get(f, "reason"));
		if (strlen(note) > CIT_NOTE_MAX)
			note = arena_strndup(req->arena, note, CIT_NOTE_MAX);
		rc = dossier_move(req->db, d.id, d.status, DS_WITHDRAWN, DA_CITIZEN, 0, d.name, note, (long long)time(NULL), &why);
	}
	cit_action_done(req, res, &d, form_get(f, "t"), rc, why, "withdraw");
}

static void cit_rate(http_request_t *req, http_response_t *res)
{
	cit_dossier_t d;
	form_t *f = cit_action_start(req, res, &d);
	if (!f)
		return;
	const char *r = form_get(f, "rating"), *why = NULL;
	const char *comment = cit_trim(req->arena, form_get(f, "comment"));
	int rating = r && strlen(r) == 1 && r[0] >= '1' && r[0] <= '3' ? r[0] - '0' : 0, rc;
	if (strlen(comment) > CIT_NOTE_MAX) {
		why = "This is too long.";
		rc = 1;
	} else {
		rc = dossier_rate(req->db, d.id, rating, comment, (long long)time(NULL), &why);
	}
	cit_action_done(req, res, &d, form_get(f, "t"), rc, why, "rate");
}

/* ---- lookup -------------------------------------------------------------------------------------- */

enum { CIT_FOUND, CIT_NOMATCH, CIT_THROTTLED, CIT_BADCODE, CIT_BADDIGITS };

/* Finds the dossier of a typed code whose applicant's phone or CCCD ends in last4, counting misses per
 * client address and per code.  The same result for an unknown code and a wrong number. */
static int cit_lookup(http_request_t *req, const char *typed, const char *last4, cit_dossier_t *d, long long *wait)
{
	const char *code = cit_code(req, typed);
	if (!code)
		return CIT_BADCODE;
	if (!last4 || strlen(last4) != 4 || strspn(last4, "0123456789") != 4)
		return CIT_BADDIGITS;
	long long now = (long long)time(NULL);
	const char *akey = arena_printf(req->arena, "lookup:a:%s", req->remote ? req->remote : "");
	const char *ckey = arena_printf(req->arena, "lookup:c:%s", code);
	long long w1 = throttle_wait(req->db, akey, now), w2 = throttle_wait(req->db, ckey, now);
	*wait = w1 > w2 ? w1 : w2;
	if (*wait > 0)
		return CIT_THROTTLED;
	int ok = cit_dossier_load(req, code, d);
	if (ok) {
		size_t pn = strlen(d->phone), cn = strlen(d->cccd);
		int by_phone = pn >= 4 && sodium_memcmp(d->phone + pn - 4, last4, 4) == 0;
		int by_id = cn >= 4 && sodium_memcmp(d->cccd + cn - 4, last4, 4) == 0;
		ok = by_phone || by_id;
	}
	if (!ok) {
		throttle_fail(req->db, akey, THROTTLE_ADDRESS_FREE, now);
		throttle_fail(req->db, ckey, CIT_LOOKUP_CODE_FREE, now);
		log_msg(LOG_INFO, req->rid, "dossier lookup missed");
		return CIT_NOMATCH;
	}
	throttle_clear(req->db, ckey);
	return CIT_FOUND;
}

static void cit_lookup_render(http_request_t *req, http_response_t *res, const char *code, const char *last4,
			      int result, const cit_dossier_t *d, long long wait)
{
	json_t *ctx = app_page_ctx(req, app_t_(req, "Look up a dossier"));
	json_object_set_new(ctx, "action", json_string(cit_lookup_url(req->arena, req->lang)));
	json_object_set_new(ctx, "csrf", json_string(auth_login_csrf_issue(req, res) ?: ""));
	json_object_set_new(ctx, "code", json_string(code ? code : ""));
	json_object_set_new(ctx, "last4", json_string(last4 ? last4 : ""));
	int status = 200;
	if (result == CIT_BADCODE)
		json_object_set_new(ctx, "code_error", json_string(app_t_(req, "A dossier code looks like 000.00.30.H23-231201-0001.")));
	else if (result == CIT_BADDIGITS)
		json_object_set_new(ctx, "last4_error", json_string(app_t_(req, "Please enter four digits.")));
	else if (result == CIT_NOMATCH)
		json_object_set_new(ctx, "error", json_string(app_t_(req, "No dossier matches this code and these digits. Check them and try again.")));
	else if (result == CIT_THROTTLED) {
		status = 429;
		http_add_header(res, "retry-after", arena_printf(req->arena, "%lld", wait));
		json_object_set_new(ctx, "error", json_string(app_t_(req, "Too many unsuccessful attempts. Please wait a few minutes and try again.")));
	}
	if (result == CIT_FOUND && d) {
		cit_proc_t *p = arena_alloc(req->arena, sizeof(*p));
		json_t *o = json_pack("{s:s, s:s, s:s}", "code", d->code, "status", app_t_(req, dossier_status_name(d->status)),
				      "status_key", dossier_status_key(d->status));
		if (p && cit_proc_load(req, NULL, d->procedure_id, p)) {
			json_object_set_new(o, "procedure", json_string(p->name));
			json_object_set_new(o, "agency", json_string(p->agency_name));
			cit_dates_ctx(req, d, p->days, o);
		}
		json_object_set_new(o, "history", cit_history(req, d));
		json_object_set_new(o, "waits_for_you", json_boolean(d->status == DS_SUPPLEMENT || d->status == DS_FINANCIAL));
		json_object_set_new(ctx, "result", o);
	}
	if (result != CIT_FOUND && (result == CIT_BADCODE || result == CIT_BADDIGITS) && status == 200)
		status = 422;
	cit_render(req, res, "svc/dossier-lookup", ctx, status);
}

static void cit_lookup_get(http_request_t *req, http_response_t *res)
{
	const char *code = http_query(req, "ma");
	if (!code)
		code = http_query(req, "code");
	cit_lookup_render(req, res, code ? cit_trim(req->arena, code) : "", "", -1, NULL, 0);
}

static void cit_lookup_post(http_request_t *req, http_response_t *res)
{
	form_t *f = form_parse(req);
	if (!f) {
		app_error(req, res, 400);
		return;
	}
	if (!auth_login_csrf_ok(req, f)) {
		cit_private(res);
		app_error(req, res, 403);
		return;
	}
	const char *code = cit_trim(req->arena, form_get(f, "code")), *last4 = cit_trim(req->arena, form_get(f, "last4"));
	cit_dossier_t d;
	long long wait = 0;
	int r = cit_lookup(req, code, last4, &d, &wait);
	cit_lookup_render(req, res, code, last4, r, r == CIT_FOUND ? &d : NULL, wait);
}

/* ---- the JSON API -------------------------------------------------------------------------------- */

/* Answers about a dossier are private: never kept by the page cache. */
static void cit_json(http_response_t *res, int status, json_t *v)
{
	app_json(res, status, -1, v);
}

static void cit_json_error(http_response_t *res, int status, const char *code, const char *message)
{
	app_json_error(res, status, -1, code, message);
}

static json_t *cit_iso_or_null(http_request_t *req, long long t)
{
	return t ? json_string(app_iso(req->arena, t)) : json_null();
}

static void cit_api_submit(http_request_t *req, http_response_t *res)
{
	form_t *f = form_parse(req);
	if (!f) {
		cit_json_error(res, 400, "bad_request", "Send multipart/form-data (or a urlencoded form).");
		return;
	}
	const char *lang = form_get(f, "lang");
	if (lang && (strcmp(lang, "en") == 0 || strcmp(lang, "zh") == 0)) {
		req->lang = strcmp(lang, "en") == 0 ? "en" : "zh";
		req->prefix = strcmp(lang, "en") == 0 ? "/en" : "/zh";
	}
	const char *code = form_get(f, "procedure_code");
	cit_proc_t *p = arena_alloc(req->arena, sizeof(*p));
	if (!p || !code || !cit_proc_load(req, cit_trim(req->arena, code), 0, p)) {
		cit_json(res, 422, json_pack("{s:s, s:s, s:{s:s}}", "error", "invalid", "message", "The input has errors.",
					     "fields", "procedure_code", "No such procedure accepts dossiers online."));
		return;
	}
	const char *key = http_header(req, "idempotency-key");
	if (!key)
		key = form_get(f, "idempotency_key");
	if (key && !cit_key_ok(key)) {
		cit_json(res, 422, json_pack("{s:s, s:s, s:{s:s}}", "error", "invalid", "message", "The input has errors.", "fields",
					     "idempotency_key", "An idempotency key is 16 to 64 letters, digits, '-' or '_'."));
		return;
	}
	if (!key)
		key = cit_new_key(req->arena);
	cit_input_t *in = arena_alloc(req->arena, sizeof(*in));
	json_t *errors = json_object();
	cit_read(req, f, p, 0, in, errors);
	if (json_object_size(errors)) {
		/* the API's fields name the documents by their id, as the request does */
		json_t *fields = json_object();
		const char *k;
		json_t *v;
		json_object_foreach(errors, k, v) json_object_set(fields, strncmp(k, "doc_", 4) == 0 ? k + 4 : k, v);
		json_decref(errors);
		cit_json(res, 422, json_pack("{s:s, s:s, s:o}", "error", "invalid", "message", "The input has errors.", "fields", fields));
		return;
	}
	json_decref(errors);
	long long now = (long long)time(NULL);
	dossier_receipt_t r;
	const char *why = NULL;
	int rc = cit_store(req, p, in, key, "api", now, &r, &why);
	if (rc != 0) {
		cit_json_error(res, rc > 0 ? 422 : 500, rc > 0 ? "refused" : "storage", why ? why : "error");
		return;
	}
	char token[33];
	cit_dossier_t d;
	if (dossier_token(req->db, r.code, token) < 0 || !cit_dossier_load(req, r.code, &d)) {
		cit_json_error(res, 500, "storage", "The dossier was stored but cannot be read back; look it up by its code.");
		return;
	}
	long long due = cit_promised(&d);
	int estimated = !due;
	if (!due)
		due = cit_estimate(req, p->days, d.submitted > now ? d.submitted : now);
	if (r.existed)
		http_add_header(res, "idempotent-replayed", "true");
	http_add_header(res, "location", arena_printf(req->arena, "/api/v1/dossiers/%s", r.code));
	cit_json(res, r.existed ? 200 : 201,
		 json_pack("{s:s, s:o, s:b, s:s, s:i, s:s, s:s, s:b}", "code", r.code, "due_date", cit_iso_or_null(req, due),
			   "due_date_estimated", estimated, "status", dossier_status_key(d.status), "status_code", d.status,
			   "submitted_at", app_iso(req->arena, d.submitted), "receipt_url",
			   arena_printf(req->arena, "%s%s", cit_base(req), citizen_receipt_url(req->arena, req->lang, r.code, token)),
			   "replayed", r.existed));
}

static void cit_api_lookup(http_request_t *req, http_response_t *res)
{
	const char *last4 = http_query(req, "phone_last4");
	if (!last4)
		last4 = http_query(req, "id_last4");
	cit_dossier_t d;
	long long wait = 0;
	int r = cit_lookup(req, req->params[0], last4, &d, &wait);
	switch (r) {
	case CIT_BADCODE:
		cit_json_error(res, 400, "bad_code", "A dossier code looks like 000.00.30.H23-231201-0001.");
		return;
	case CIT_BADDIGITS:
		cit_json_error(res, 400, "bad_digits", "Give phone_last4 (or id_last4): the last four digits of the applicant's phone (or citizen ID).");
		return;
	case CIT_THROTTLED:
		http_add_header(res, "retry-after", arena_printf(req->arena, "%lld", wait));
		cit_json(res, 429, json_pack("{s:s, s:s, s:I}", "error", "rate_limited", "message",
					     "Too many unsuccessful lookups; wait and try again.", "retry_after", wait));
		return;
	case CIT_NOMATCH:
		cit_json_error(res, 404, "not_found", "No dossier matches this code and these digits.");
		return;
	}
	cit_proc_t *p = arena_alloc(req->arena, sizeof(*p));
	int have_p = p && cit_proc_load(req, NULL, d.procedure_id, p);
	long long promised = cit_promised(&d);
	int final = d.status == DS_REFUSED || d.status == DS_WITHDRAWN || d.status == DS_STOPPED;
	long long est = !promised && !d.received && !final && have_p ? cit_estimate(req, p->days, (long long)time(NULL)) : 0;
	json_t *hist = json_array();
	db_stmt_t *st = db_prepare(req->db, "SELECT at, to_status, kind FROM dossier_events WHERE dossier_id = ?"
					    " AND kind IN ('transition', 'apology') ORDER BY at, id");
	if (st && db_bind_int(st, 1, d.id) == 0)
		while (db_step(st) == DB_ROW) {
			int to = (int)db_col_int(st, 1), apology = strcmp(db_col_text(st, 2), "apology") == 0;
			json_array_append_new(hist, json_pack("{s:s, s:s, s:i, s:s}", "at", app_iso(req->arena, db_col_int(st, 0)),
							      "status", apology ? "apology" : dossier_status_key(to), "status_code", to,
							      "status_name", apology ? "Hẹn lại ngày trả kết quả" : dossier_status_name(to)));
		}
	if (st)
		db_done(st);
	cit_json(res, 200,
		 json_pack("{s:s, s:s, s:i, s:s, s:s?, s:s?, s:s, s:o, s:o, s:o, s:o}", "code", d.code, "status",
			   dossier_status_key(d.status), "status_code", d.status, "status_name", dossier_status_name(d.status),
			   "procedure_code", have_p ? p->code : NULL, "agency_code", have_p ? p->agency_code : NULL,
			   "submitted_at", app_iso(req->arena, d.submitted), "received_at", cit_iso_or_null(req, d.received),
			   "due_date", final ? json_null() : cit_iso_or_null(req, promised), "due_date_estimated",
			   cit_iso_or_null(req, est), "history", hist));
}
