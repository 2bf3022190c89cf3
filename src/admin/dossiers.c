/* dossiers: the one-stop shop's processing in the staff area, for officers (role officer, bound to
 * agencies in officer_agencies).  Queues with counts, the dossier page (applicant, request, files, the
 * control sheet, timeliness, the moves the state machine allows), downloads of the documents, the
 * apology, and the printable notices.  Every change goes through svc/dossier.h; this file only decides
 * who may see what and renders it.
 *
 * An officer sees only their agencies' dossiers: every query joins officer_agencies on the signed-in
 * user, whatever filter the request carries, and a dossier (by code or id, its files, its notices) of
 * another agency answers 404 — the same answer as a code that does not exist. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "admin/admin.h"
#include "core/log.h"
#include "core/utf8.h"
#include "db/db.h"
#include "svc/civil.h"
#include "svc/dossier.h"
#include "svc/queue.h"

static void dq_list(http_request_t *req, http_response_t *res);
static void dq_show(http_request_t *req, http_response_t *res);
static void dq_move(http_request_t *req, http_response_t *res);
static void dq_apology(http_request_t *req, http_response_t *res);
static void dq_file(http_request_t *req, http_response_t *res);
static void dq_print(http_request_t *req, http_response_t *res);

const app_route_t admin_dossier_routes[] = {
	{"GET", "vi en zh", "/admin/dossiers", dq_list},
	{"GET", "vi en zh", "/admin/dossiers/*", dq_show},
	{"POST", "vi en zh", "/admin/dossiers/*/move", dq_move},
	{"POST", "vi en zh", "/admin/dossiers/*/apology", dq_apology},
	{"GET", "vi en zh", "/admin/dossiers/*/files/*", dq_file},
	{"GET", "vi en zh", "/admin/dossiers/*/print/*", dq_print},
	{NULL, NULL, NULL, NULL},
};

#define DQ_PER_PAGE 50
#define DQ_NOTE_MAX 4000
/* the rows of "my agencies": every list, count and lookup is limited by it */
#define DQ_MINE "d.agency_id IN (SELECT agency_id FROM officer_agencies WHERE user_id = ?)"

/* ---- small helpers --------------------------------------------------------------------------------- */

static const char *S(const char *s)
{
	return s ? s : "";
}


static const char *dq_date(http_request_t *req, long long t, int with_time)
{
	return t > 0 ? app_date(req->arena, req->lang, t, with_time) : "";
}

static const char *dq_url(http_request_t *req, const char *code, const char *tail)
{
	return admin_url(req, arena_printf(req->arena, "/dossiers/%s%s", http_urlencode(req->arena, code), S(tail)));
}

static const struct {
	const char *key, *label;
} dq_timeliness[] = {
	[DT_NONE] = {"none", ""},
	[DT_EARLY] = {"early", "Early"},
	[DT_ON_TIME] = {"on_time", "On time"},
	[DT_LATE] = {"late", "Late"},
	[DT_IN_TIME] = {"in_time", "In time"},
	[DT_OVERDUE] = {"overdue", "Overdue"},
	[DT_PAUSED] = {"paused", "Clock stopped"},
};

/* The queue times of now on the announced calendar.  0 or -1. */
static int dq_times(http_request_t *req, long long now, queue_times_t *t)
{
	workday_cal_t cal;
	if (dossier_calendar(req->db, req->arena, &cal) < 0)
		return -1;
	return queue_times(&cal, now, t);
}

/* ---- SQL with a variable number of arguments -------------------------------------------------------- */

typedef struct dq_arg {
	int text;
	long long i;
	const char *s;
} dq_arg_t;

typedef struct dq_sql {
	buf_t sql;
	int n;
	dq_arg_t a[16];
} dq_sql_t;

static void dq_int(dq_sql_t *q, long long v)
{
	if (q->n < 16)
		q->a[q->n++] = (dq_arg_t){0, v, NULL};
}

static void dq_text(dq_sql_t *q, const char *s)
{
	if (q->n < 16)
		q->a[q->n++] = (dq_arg_t){1, 0, s};
}

static db_stmt_t *dq_prepare(db_t *db, dq_sql_t *q)
{
	db_stmt_t *st = q->sql.overflow ? NULL : db_prepare(db, buf_cstr(&q->sql));
	for (int i = 0; st && i < q->n; i++)
		if ((q->a[i].text ? db_bind_text(st, i + 1, q->a[i].s) : db_bind_int(st, i + 1, q->a[i].i)) < 0) {
			db_done(st);
			st = NULL;
		}
	return st;
}

/* The WHERE clause of a list: the officer's agencies, the queue, the filters. */
static void dq_where(dq_sql_t *q, const auth_user_t *u, const admin_dossier_filter_t *f, const queue_times_t *t)
{
	long long args[2];
	int nargs;
	buf_appendf(&q->sql, " WHERE " DQ_MINE " AND (%s)", queue_where(f->queue, t, args, &nargs));
	dq_int(q, u->id);
	for (int i = 0; i < nargs; i++)
		dq_int(q, args[i]);
	if (f->agency_id) {
		buf_puts(&q->sql, " AND d.agency_id = ?");
		dq_int(q, f->agency_id);
	}
	if (f->procedure_id) {
		buf_puts(&q->sql, " AND d.procedure_id = ?");
		dq_int(q, f->procedure_id);
	}
	if (f->status) {
		buf_puts(&q->sql, " AND d.status = ?");
		dq_int(q, f->status);
	}
	if (f->q && *f->q) {
		/* code contains: LIKE with its wildcards escaped, so the text is matched as typed */
		buf_t like;
		buf_init(&like, 256);
		buf_putc(&like, '%');
		for (const char *p = f->q; *p; p++) {
			if (*p == '%' || *p == '_' || *p == '\\')
				buf_putc(&like, '\\');
			buf_putc(&like, *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p);
		}
		buf_putc(&like, '%');
		buf_puts(&q->sql, " AND upper(d.code) LIKE ? ESCAPE '\\'");
		dq_text(q, like.overflow ? "%" : arena_strdup(f->arena, buf_cstr(&like)));
		buf_release(&like);
	}
}

/* ---- shared with the JSON API (admin.h) ----------------------------------------------------------- */

json_t *admin_dossier_counts(http_request_t *req, const auth_user_t *u, long long now)
{
	queue_times_t t;
	if (dq_times(req, now, &t) < 0)
		return NULL;
	json_t *o = json_object();
	for (int qid = 0; qid < QUEUE__COUNT; qid++) {
		dq_sql_t q = {.n = 0};
		buf_init(&q.sql, 2048);
		buf_puts(&q.sql, "SELECT count(*) FROM dossiers d");
		admin_dossier_filter_t f = {.queue = qid, .arena = req->arena};
		dq_where(&q, u, &f, &t);
		db_stmt_t *st = dq_prepare(req->db, &q);
		long long n = st && db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
		if (st)
			db_done(st);
		buf_release(&q.sql);
		if (n < 0) {
			json_decref(o);
			return NULL;
		}
		json_object_set_new(o, queue_key(qid), json_integer(n));
	}
	return o;
}

/* The columns every list and page reads, in this order (dq_row). */
#define DQ_COLS                                                                                                         \
	"d.id, d.code, d.status, d.applicant_name, d.submitted_at, COALESCE(d.received_at, 0), COALESCE(d.due_at, 0),"  \
	" COALESCE(d.apology_due_at, 0), COALESCE(d.finished_at, 0), COALESCE(d.returned_at, 0), p.code,"               \
	" COALESCE(pl.name, pv.name, p.code), a.code, COALESCE(al.name, av.name, a.code), d.agency_id, d.procedure_id,"  \
	" p.days, d.channel"
#define DQ_FROM                                                                                                         \
	" FROM dossiers d JOIN procedures p ON p.id = d.procedure_id JOIN agencies a ON a.id = d.agency_id"             \
	" LEFT JOIN procedure_i18n pl ON pl.procedure_id = p.id AND pl.lang = ?"                                         \
	" LEFT JOIN procedure_i18n pv ON pv.procedure_id = p.id AND pv.lang = 'vi'"                                      \
	" LEFT JOIN agency_i18n al ON al.agency_id = a.id AND al.lang = ?"                                               \
	" LEFT JOIN agency_i18n av ON av.agency_id = a.id AND av.lang = 'vi'"

/* One dossier row as JSON (the API's and the templates' shape). */
static json_t *dq_row(http_request_t *req, db_stmt_t *st, long long now)
{
	int status = (int)db_col_int(st, 2);
	long long due = db_col_int(st, 6), finished = db_col_int(st, 8);
	int tl = dossier_timeliness(status, due, finished, now);
	const char *code = db_col_text(st, 1);
	json_t *o = json_pack("{s:I, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:s}", "id",
			      (json_int_t)db_col_int(st, 0), "code", code, "status", status, "status_key",
			      dossier_status_key(status), "status_name", app_t_(req, dossier_status_name(status)),
			      "applicant_name", db_col_text(st, 3), "procedure_code", db_col_text(st, 10), "procedure_name",
			      db_col_text(st, 11), "agency_code", db_col_text(st, 12), "agency_name", db_col_text(st, 13),
			      "channel", db_col_text(st, 17), "agency_id", (json_int_t)db_col_int(st, 14), "procedure_id",
			      (json_int_t)db_col_int(st, 15), "days", (json_int_t)db_col_int(st, 16), "timeliness",
			      dq_timeliness[tl].key, "timeliness_label", app_t_(req, dq_timeliness[tl].label), "url",
			      dq_url(req, code, NULL));
	static const struct {
		const char *name;
		int col;
	} times[] = {{"submitted", 4}, {"received", 5}, {"due", 6}, {"apology_due", 7}, {"finished", 8}, {"returned", 9}};
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		long long v = db_col_int(st, times[i].col);
		json_object_set_new(o, arena_printf(req->arena, "%s_at", times[i].name), v > 0 ? json_string(app_iso(req->arena, v)) : json_null());
		json_object_set_new(o, times[i].name, json_string(dq_date(req, v, 1)));
	}
	json_object_set_new(o, "overdue", json_boolean(tl == DT_OVERDUE || tl == DT_LATE));
	return o;
}

json_t *admin_dossier_list(http_request_t *req, const auth_user_t *u, const admin_dossier_filter_t *f, long long now,
			   long long *total)
{
	queue_times_t t;
	*total = 0;
	if (dq_times(req, now, &t) < 0)
		return NULL;
	dq_sql_t q = {.n = 0};
	buf_init(&q.sql, 4096);
	buf_puts(&q.sql, "SELECT count(*) FROM dossiers d");
	dq_where(&q, u, f, &t);
	db_stmt_t *st = dq_prepare(req->db, &q);
	*total = st && db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	if (st)
		db_done(st);
	buf_release(&q.sql);
	if (*total < 0)
		return NULL;

	q = (dq_sql_t){.n = 0};
	buf_init(&q.sql, 8192);
	buf_puts(&q.sql, "SELECT " DQ_COLS DQ_FROM);
	dq_text(&q, req->lang);
	dq_text(&q, req->lang);
	dq_where(&q, u, f, &t);
	/* the time queues first by how soon; new ones first come, first served; the rest newest first */
	buf_puts(&q.sql, f->queue == QUEUE_DUE_TODAY || f->queue == QUEUE_DUE_SOON || f->queue == QUEUE_OVERDUE
				 ? " ORDER BY d.due_at, d.id"
			 : f->queue == QUEUE_NEW ? " ORDER BY d.submitted_at, d.id"
						 : " ORDER BY d.submitted_at DESC, d.id DESC");
	int per = f->per_page > 0 ? f->per_page : DQ_PER_PAGE;
	buf_puts(&q.sql, " LIMIT ? OFFSET ?");
	dq_int(&q, per);
	dq_int(&q, (f->page > 1 ? f->page - 1 : 0) * per);
	st = dq_prepare(req->db, &q);
	buf_release(&q.sql);
	if (!st)
		return NULL;
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, dq_row(req, st, now));
	db_done(st);
	return items;
}

long long admin_dossier_find(http_request_t *req, const auth_user_t *u, const char *ref)
{
	if (!u || !ref || !*ref || strlen(ref) > 64)
		return 0;
	long long id = admin_id(ref);
	return id ? db_int(req->db, "SELECT d.id FROM dossiers d WHERE d.id = ? AND " DQ_MINE, "ii", 0, id, u->id)
		  : db_int(req->db, "SELECT d.id FROM dossiers d WHERE d.code = ? AND " DQ_MINE, "si", 0, ref, u->id);
}

json_t *admin_dossier_get(http_request_t *req, long long id, long long now)
{
	dq_sql_t q = {.n = 0};
	buf_init(&q.sql, 4096);
	buf_puts(&q.sql, "SELECT " DQ_COLS ", d.applicant_id, d.applicant_dob, d.applicant_address, d.applicant_phone,"
			 " d.applicant_email, d.request, d.lang" DQ_FROM " WHERE d.id = ?");
	dq_text(&q, req->lang);
	dq_text(&q, req->lang);
	dq_int(&q, id);
	db_stmt_t *st = dq_prepare(req->db, &q);
	buf_release(&q.sql);
	json_t *o = NULL;
	if (st && db_step(st) == DB_ROW) {
		o = dq_row(req, st, now);
		json_object_set_new(o, "applicant", json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "name", db_col_text(st, 3), "id",
							       db_col_text(st, 18), "dob", db_col_text(st, 19), "address",
							       db_col_text(st, 20), "phone", db_col_text(st, 21), "email",
							       db_col_text(st, 22), "lang", db_col_text(st, 24)));
		json_object_set_new(o, "request", json_string(db_col_text(st, 23)));
	}
	if (st)
		db_done(st);
	if (!o)
		return NULL;
	/* the moves an officer may make now */
	int n = 0, status = (int)json_integer_value(json_object_get(o, "status"));
	const dossier_move_t *mv = dossier_moves(status, DA_OFFICER, &n);
	json_t *moves = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(moves, json_pack("{s:s, s:s, s:i, s:s, s:b}", "action", mv[i].action, "label",
						       app_t_(req, mv[i].label), "to", mv[i].to, "to_key",
						       dossier_status_key(mv[i].to), "note_required", mv[i].note_required));
	json_object_set_new(o, "moves", moves);
	return o;
}

int admin_dossier_transition(http_request_t *req, const auth_user_t *u, long long id, int to, int expect, const char *note,
			     const char **why)
{
	*why = NULL;
	int from = (int)db_int(req->db, "SELECT status FROM dossiers WHERE id = ?", "i", 0, id);
	if (!from)
		return 404;
	if (expect > 0 && from != expect) {
		*why = "Someone changed this dossier meanwhile. Reload it and try again.";
		return 409;
	}
	const dossier_move_t *mv = dossier_move_find(from, to, DA_OFFICER);
	if (!mv) {
		*why = "This action is not possible in the dossier's present state.";
		return 409;
	}
	if (note && strlen(note) > DQ_NOTE_MAX) {
		*why = "The note is too long.";
		return 422;
	}
	if (mv->note_required && (!note || !*note)) {
		*why = "Please write the reason or what is needed.";
		return 422;
	}
	long long now = (long long)time(NULL);
	int rc = dossier_move(req->db, id, from, to, DA_OFFICER, u->id, u->display_name && *u->display_name ? u->display_name : u->login,
			      note, now, why);
	if (rc < 0) {
		log_msg(LOG_ERR, req->rid, "cannot move dossier %lld: %s", id, db_errmsg(req->db));
		*why = "The change could not be saved. Please try again.";
		return 500;
	}
	if (rc == 1) /* another officer got there between our read and the store's transaction */
		return (int)db_int(req->db, "SELECT status FROM dossiers WHERE id = ?", "i", 0, id) != from ? 409 : 422;
	audit_log(req, NULL, arena_printf(req->arena, "dossier.%s", mv->action), "dossier", id,
		  arena_printf(req->arena, "%d -> %d", from, to));
	return 200;
}

/* ---- the list ---------------------------------------------------------------------------------------- */

/* The list URL for queue with the other filters (page p). */
static const char *dq_list_url(http_request_t *req, const char *queue, const admin_dossier_filter_t *f, long long p)
{
	buf_t b;
	buf_init(&b, 4096);
	buf_appendf(&b, "%s?queue=%s", admin_url(req, "/dossiers"), queue);
	if (f->agency_id)
		buf_appendf(&b, "&agency=%lld", f->agency_id);
	if (f->procedure_id)
		buf_appendf(&b, "&procedure=%lld", f->procedure_id);
	if (f->status)
		buf_appendf(&b, "&status=%d", f->status);
	if (f->q && *f->q) {
		buf_puts(&b, "&q=");
		buf_append_url(&b, f->q, strlen(f->q));
	}
	if (p > 1)
		buf_appendf(&b, "&page=%lld", p);
	const char *s = arena_strdup(req->arena, buf_cstr(&b));
	buf_release(&b);
	return s;
}

/* The officer's agencies (and their procedures) as filter options. */
static json_t *dq_options(http_request_t *req, const auth_user_t *u, const char *sql, long long selected)
{
	json_t *a = json_array();
	db_stmt_t *st = db_prepare(req->db, sql);
	if (st && db_bindf(st, "si", req->lang, u->id) == 0)
		while (db_step(st) == DB_ROW)
			json_array_append_new(a, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)db_col_int(st, 0), "label",
							   db_col_text(st, 1), "selected", db_col_int(st, 0) == selected));
	if (st)
		db_done(st);
	return a;
}

void admin_dossier_queues_page(http_request_t *req, http_response_t *res, const auth_user_t *u)
{
	long long now = (long long)time(NULL);
	const char *qk = http_query(req, "queue");
	int queue = queue_from_key(qk && *qk ? qk : "new");
	if (queue < 0)
		queue = QUEUE_NEW;
	admin_dossier_filter_t f = {.queue = queue,
				    .agency_id = http_query_int(req, "agency", 0, 1LL << 50, 0),
				    .procedure_id = http_query_int(req, "procedure", 0, 1LL << 50, 0),
				    .status = (int)http_query_int(req, "status", 0, DS__MAX, 0),
				    .q = http_query(req, "q"),
				    .page = http_query_int(req, "page", 1, 100000, 1),
				    .arena = req->arena};
	if (f.q && strlen(f.q) > 64)
		f.q = NULL;
	long long total = 0;
	json_t *counts = admin_dossier_counts(req, u, now);
	json_t *items = counts ? admin_dossier_list(req, u, &f, now, &total) : NULL;
	if (!items) {
		json_decref(counts);
		app_error(req, res, 500);
		res->cache_ttl = -1;
		return;
	}
	json_t *ctx = admin_ctx(req, app_t_(req, "Dossiers"), "dossiers");
	json_t *tabs = json_array();
	for (int i = 0; i < QUEUE__COUNT; i++)
		json_array_append_new(tabs, json_pack("{s:s, s:s, s:I, s:s, s:b, s:b}", "key", queue_key(i), "label",
						      app_t_(req, queue_label(i)), "count",
						      json_integer_value(json_object_get(counts, queue_key(i))), "url",
						      dq_list_url(req, queue_key(i), &(admin_dossier_filter_t){.queue = i}, 1),
						      "current", i == queue, "alert", i == QUEUE_OVERDUE));
	json_decref(counts);
	json_object_set_new(ctx, "queues", tabs);
	json_object_set_new(ctx, "queue", json_string(queue_key(queue)));
	json_object_set_new(ctx, "queue_label", json_string(app_t_(req, queue_label(queue))));
	json_object_set_new(ctx, "dossiers", items);
	json_object_set_new(ctx, "has_dossiers", json_boolean(json_array_size(items) > 0));
	json_object_set_new(ctx, "total", json_integer(total));
	json_object_set_new(ctx, "list_url", json_string(admin_url(req, "/dossiers")));
	json_object_set_new(ctx, "q", json_string(S(f.q)));
	json_t *agencies = dq_options(req, u, "SELECT a.id, COALESCE(al.name, av.name, a.code) FROM officer_agencies oa"
					      " JOIN agencies a ON a.id = oa.agency_id"
					      " LEFT JOIN agency_i18n al ON al.agency_id = a.id AND al.lang = ?"
					      " LEFT JOIN agency_i18n av ON av.agency_id = a.id AND av.lang = 'vi'"
					      " WHERE oa.user_id = ? ORDER BY a.position, a.code",
				      f.agency_id);
	json_object_set_new(ctx, "no_agencies", json_boolean(json_array_size(agencies) == 0));
	json_object_set_new(ctx, "agencies", agencies);
	json_object_set_new(ctx, "procedures",
			    dq_options(req, u, "SELECT p.id, p.code || ' – ' || COALESCE(pl.name, pv.name, '') FROM procedures p"
					       " LEFT JOIN procedure_i18n pl ON pl.procedure_id = p.id AND pl.lang = ?"
					       " LEFT JOIN procedure_i18n pv ON pv.procedure_id = p.id AND pv.lang = 'vi'"
					       " WHERE p.agency_id IN (SELECT agency_id FROM officer_agencies WHERE user_id = ?)"
					       " ORDER BY p.code",
				       f.procedure_id));
	json_t *states = json_array();
	for (int s = DS_NEW; s <= DS__MAX; s++)
		json_array_append_new(states, json_pack("{s:i, s:s, s:b}", "id", s, "label", app_t_(req, dossier_status_name(s)),
							"selected", s == f.status));
	json_object_set_new(ctx, "states", states);
	long long pages = (total + DQ_PER_PAGE - 1) / DQ_PER_PAGE;
	if (pages > 1) {
		json_t *p = json_pack("{s:I, s:I}", "page", (json_int_t)f.page, "pages", (json_int_t)pages);
		if (f.page > 1)
			json_object_set_new(p, "prev_url", json_string(dq_list_url(req, queue_key(queue), &f, f.page - 1)));
		if (f.page < pages)
			json_object_set_new(p, "next_url", json_string(dq_list_url(req, queue_key(queue), &f, f.page + 1)));
		json_object_set_new(ctx, "pager", p);
	}
	json_object_set_new(ctx, "filtered", json_boolean(f.agency_id || f.procedure_id || f.status || (f.q && *f.q)));
	admin_render(req, res, "admin/dossiers/list", ctx);
}

static void dq_list(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = admin_require(req, res, PERM_DOSSIER, 0, NULL);
	if (u)
		admin_dossier_queues_page(req, res, u);
}

/* ---- one dossier -------------------------------------------------------------------------------------- */

static void dq_not_found(http_request_t *req, http_response_t *res)
{
	app_error(req, res, 404);
	res->cache_ttl = -1;
}

/* The officer and the dossier of the URL (its id in *id), or NULL after answering 403/404. */
static const auth_user_t *dq_target(http_request_t *req, http_response_t *res, long long *id)
{
	const auth_user_t *u = admin_require(req, res, PERM_DOSSIER, 0, NULL);
	if (!u)
		return NULL;
	if (!(*id = admin_dossier_find(req, u, req->params[0]))) {
		dq_not_found(req, res);
		return NULL;
	}
	return u;
}

/* The control sheet: every event, oldest first. */
static json_t *dq_events(http_request_t *req, long long id)
{
	json_t *a = json_array();
	db_stmt_t *st = db_prepare(req->db, "SELECT e.at, e.actor, e.from_status, e.to_status, e.kind, e.note, COALESCE(u.login, '')"
					    " FROM dossier_events e LEFT JOIN users u ON u.id = e.user_id"
					    " WHERE e.dossier_id = ? ORDER BY e.at, e.id");
	if (st && db_bind_int(st, 1, id) == 0)
		for (int n = 1; db_step(st) == DB_ROW; n++) {
			int from = (int)db_col_int(st, 2), to = (int)db_col_int(st, 3);
			const char *kind = db_col_text(st, 4);
			int apology = strcmp(kind, "apology") == 0;
			json_array_append_new(a, json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s}", "n", n, "at",
							   dq_date(req, db_col_int(st, 0), 1), "at_iso",
							   app_iso(req->arena, db_col_int(st, 0)), "actor", db_col_text(st, 1),
							   "login", db_col_text(st, 6), "from",
							   from ? app_t_(req, dossier_status_name(from)) : "", "to",
							   app_t_(req, dossier_status_name(to)), "note", db_col_text(st, 5),
							   "apology", apology, "kind",
							   apology ? app_t_(req, "Apology and new date") : ""));
		}
	if (st)
		db_done(st);
	return a;
}

static json_t *dq_files(http_request_t *req, long long id, const char *code)
{
	json_t *a = json_array();
	db_stmt_t *st = db_prepare(req->db, "SELECT f.id, f.filename, f.mime, f.bytes, f.added_by, f.added_at,"
					    " COALESCE(dl.name, dv.name, '') FROM dossier_files f"
					    " LEFT JOIN procedure_doc_i18n dl ON dl.doc_id = f.doc_id AND dl.lang = ?"
					    " LEFT JOIN procedure_doc_i18n dv ON dv.doc_id = f.doc_id AND dv.lang = 'vi'"
					    " WHERE f.dossier_id = ? ORDER BY f.added_at, f.id");
	if (st && db_bindf(st, "si", req->lang, id) == 0)
		while (db_step(st) == DB_ROW) {
			long long bytes = db_col_int(st, 3);
			json_array_append_new(
				a, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)db_col_int(st, 0), "filename",
					     db_col_text(st, 1), "mime", db_col_text(st, 2), "size",
					     bytes >= 1 << 20 ? arena_printf(req->arena, "%.1f MB", bytes / 1048576.0)
							      : arena_printf(req->arena, "%lld KB", (bytes + 1023) / 1024),
					     "document", db_col_text(st, 6), "added", dq_date(req, db_col_int(st, 5), 1), "url",
					     dq_url(req, code, arena_printf(req->arena, "/files/%lld", db_col_int(st, 0)))));
		}
	if (st)
		db_done(st);
	return a;
}

/* The dossier page, with an error (why, a msgid) and the note typed when a move was refused. */
static void dq_page(http_request_t *req, http_response_t *res, long long id, int status, const char *why, const char *note,
		    const char *apology_date)
{
	long long now = (long long)time(NULL);
	json_t *d = admin_dossier_get(req, id, now);
	if (!d) {
		app_error(req, res, 500);
		res->cache_ttl = -1;
		return;
	}
	const char *code = arena_strdup(req->arena, json_string_value(json_object_get(d, "code")));
	int st = (int)json_integer_value(json_object_get(d, "status"));
	json_t *ctx = admin_ctx(req, arena_printf(req->arena, "%s %s", app_t_(req, "Dossier"), code), "dossiers");
	json_object_set_new(ctx, "files", dq_files(req, id, code));
	json_object_set_new(ctx, "events", dq_events(req, id));
	json_object_set_new(ctx, "move_url", json_string(dq_url(req, code, "/move")));
	json_object_set_new(ctx, "apology_url", json_string(dq_url(req, code, "/apology")));
	int apologized = db_int(req->db, "SELECT COALESCE(apology_due_at, 0) FROM dossiers WHERE id = ?", "i", 0, id) > 0;
	json_object_set_new(ctx, "can_apologize", json_boolean(!apologized && (st == DS_RECEIVED || st == DS_PROCESSING)));
	json_t *prints = json_array();
	static const struct {
		const char *kind, *label, *sql;
	} notices[] = {
		{"supplement", "Request for additional documents", "to_status = 5 AND kind = 'transition'"},
		{"refusal", "Refusal to receive", "to_status = 3 AND kind = 'transition'"},
		{"apology", "Apology and new date", "kind = 'apology'"},
	};
	for (size_t i = 0; i < sizeof(notices) / sizeof(notices[0]); i++)
		if (db_int(req->db, arena_printf(req->arena, "SELECT count(*) FROM dossier_events WHERE dossier_id = ? AND %s", notices[i].sql),
			   "i", 0, id) > 0)
			json_array_append_new(prints, json_pack("{s:s, s:s}", "label", app_t_(req, notices[i].label), "url",
								dq_url(req, code, arena_printf(req->arena, "/print/%s", notices[i].kind))));
	json_array_append_new(prints, json_pack("{s:s, s:s}", "label", app_t_(req, "Process control sheet"), "url",
						dq_url(req, code, "/print/control")));
	json_object_set_new(ctx, "prints", prints);
	json_object_set_new(ctx, "list_url", json_string(admin_url(req, "/dossiers")));
	json_object_set_new(ctx, "note", json_string(S(note)));
	json_object_set_new(ctx, "apology_date", json_string(S(apology_date)));
	if (why)
		json_object_set_new(ctx, "error", json_string(app_t_(req, why)));
	json_object_set_new(ctx, "has_moves", json_boolean(json_array_size(json_object_get(d, "moves")) > 0));
	json_object_set_new(ctx, "dossier", d);
	admin_render(req, res, "admin/dossiers/show", ctx);
	res->status = status;
}

static void dq_show(http_request_t *req, http_response_t *res)
{
	long long id;
	if (dq_target(req, res, &id))
		dq_page(req, res, id, 200, NULL, NULL, NULL);
}

static void dq_move(http_request_t *req, http_response_t *res)
{
	long long id;
	const auth_user_t *u = dq_target(req, res, &id);
	form_t *f = u ? admin_form(req, res) : NULL;
	if (!f)
		return;
	const char *action = form_get(f, "action"), *note = form_get(f, "note");
	int expect = (int)admin_id(form_get(f, "expect"));
	const dossier_move_t *mv = expect ? dossier_move_by_action(expect, action, DA_OFFICER) : NULL;
	const char *why = NULL;
	int status = mv ? admin_dossier_transition(req, u, id, mv->to, expect, note, &why) : 409;
	if (!mv)
		why = "This action is not possible in the dossier's present state.";
	if (status == 200) {
		admin_flash(req, res, "The dossier was updated.");
		http_redirect(res, 303, dq_url(req, req->params[0], ""));
		return;
	}
	if (status == 500) {
		app_error(req, res, 500);
		res->cache_ttl = -1;
		return;
	}
	dq_page(req, res, id, status, why ? why : "This action is not possible in the dossier's present state.", note, NULL);
}

static void dq_apology(http_request_t *req, http_response_t *res)
{
	long long id;
	const auth_user_t *u = dq_target(req, res, &id);
	form_t *f = u ? admin_form(req, res) : NULL;
	if (!f)
		return;
	const char *date = form_get(f, "new_date"), *note = form_get(f, "note");
	int day, status = 422;
	const char *why = NULL;
	workday_cal_t cal;
	if (!date || civil_parse_date(date, &day) < 0)
		why = "Give the new date as a date.";
	else if (note && strlen(note) > DQ_NOTE_MAX)
		why = "The note is too long.";
	else if (dossier_calendar(req->db, req->arena, &cal) < 0)
		status = 500;
	else if (workday_is_working(&cal, day) != 1)
		why = "The new date must be a working day.";
	else {
		/* the new promised moment: the close of that working day, like every due date */
		int rc = dossier_apologize(req->db, id, u->id, u->display_name && *u->display_name ? u->display_name : u->login,
					   civil_local_time(day, WORKDAY_CLOSE), note, (long long)time(NULL), &why);
		status = rc == 0 ? 200 : rc < 0 ? 500 : strstr(S(why), "once only") ? 409 : 422;
	}
	if (status == 200) {
		audit_log(req, NULL, "dossier.apology", "dossier", id, date);
		admin_flash(req, res, "The apology and the new date were recorded.");
		http_redirect(res, 303, dq_url(req, req->params[0], ""));
		return;
	}
	if (status == 500) {
		log_msg(LOG_ERR, req->rid, "cannot record an apology: %s", db_errmsg(req->db));
		app_error(req, res, 500);
		res->cache_ttl = -1;
		return;
	}
	dq_page(req, res, id, status, why, note, date);
}

/* ---- documents ---------------------------------------------------------------------------------------- */

/* A file name for the plain filename= parameter of old clients: folded (no accents, đ → d), then only
 * ASCII letters, digits, dot and hyphen, anything else '_'. */
static const char *dq_ascii_name(http_request_t *req, const char *name)
{
	buf_t b;
	buf_init(&b, 4096);
	utf8_fold(*name ? name : "tai-lieu", strlen(*name ? name : "tai-lieu"), &b);
	char *s = arena_strdup(req->arena, b.len && !b.overflow ? buf_cstr(&b) : "tai-lieu");
	buf_release(&b);
	for (char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'))
			*p = '_';
	return s;
}

static void dq_file(http_request_t *req, http_response_t *res)
{
	long long id;
	const auth_user_t *u = dq_target(req, res, &id);
	if (!u)
		return;
	long long fid = admin_id(req->params[1]);
	char stored[64] = "", filename[512] = "", mime[64] = "";
	db_stmt_t *st = db_prepare(req->db, "SELECT stored, filename, mime FROM dossier_files WHERE id = ? AND dossier_id = ?");
	if (st && db_bindf(st, "ii", fid, id) == 0 && db_step(st) == DB_ROW) {
		snprintf(stored, sizeof(stored), "%s", db_col_text(st, 0));
		snprintf(filename, sizeof(filename), "%s", db_col_text(st, 1));
		snprintf(mime, sizeof(mime), "%s", db_col_text(st, 2));
	}
	if (st)
		db_done(st);
	/* stored names are ours (random hex), but never let one leave the directory */
	if (!*stored || strspn(stored, "0123456789abcdef") != strlen(stored)) {
		dq_not_found(req, res);
		return;
	}
	char path[4200];
	snprintf(path, sizeof(path), "%s/dossiers/%s", app.files_dir, stored);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size > DOSSIER_MAX_FILE) {
		log_msg(LOG_ERR, req->rid, "dossier file %s: %s", stored, fd < 0 ? strerror(errno) : "not a readable file");
		if (fd >= 0)
			close(fd);
		app_error(req, res, 500);
		res->cache_ttl = -1;
		return;
	}
	res->body.max = DOSSIER_MAX_FILE + 1; /* a document may be larger than a page's cap */
	char chunk[65536];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (buf_append(&res->body, chunk, (size_t)n) < 0)
			break;
	close(fd);
	if (n != 0 || res->body.overflow || (off_t)res->body.len != sb.st_size) {
		buf_reset(&res->body);
		app_error(req, res, 500);
		res->cache_ttl = -1;
		return;
	}
	res->status = 200;
	res->cache_ttl = -1;
	/* a download, never shown in the browser: the type is the sniffed one, but sniffing and inline display are off */
	res->content_type = *mime ? arena_strdup(req->arena, mime) : "application/octet-stream";
	http_add_header(res, "content-disposition", arena_printf(req->arena, "attachment; filename=\"%s\"; filename*=UTF-8''%s",
								 dq_ascii_name(req, filename), http_urlencode(req->arena, filename)));
	/* X-Content-Type-Options: nosniff is on every response already (http/server.c) */
	audit_log(req, NULL, "dossier.file", "dossier", id, arena_printf(req->arena, "file %lld", fid));
}

/* ---- printable notices -------------------------------------------------------------------------------- */

static void dq_print(http_request_t *req, http_response_t *res)
{
	long long id;
	const auth_user_t *u = dq_target(req, res, &id);
	if (!u)
		return;
	static const struct {
		const char *kind, *title, *sql;
	} kinds[] = {
		{"supplement", "REQUEST FOR ADDITIONAL DOCUMENTS TO COMPLETE THE DOSSIER", "to_status = 5 AND kind = 'transition'"},
		{"refusal", "REFUSAL TO RECEIVE THE DOSSIER", "to_status = 3 AND kind = 'transition'"},
		{"apology", "APOLOGY AND NEW DATE FOR RETURNING THE RESULT", "kind = 'apology'"},
		{"control", "PROCESS CONTROL SHEET", NULL},
	};
	size_t k = 0;
	while (k < sizeof(kinds) / sizeof(kinds[0]) && strcmp(kinds[k].kind, S(req->params[1])) != 0)
		k++;
	if (k == sizeof(kinds) / sizeof(kinds[0])) {
		dq_not_found(req, res);
		return;
	}
	long long now = (long long)time(NULL);
	json_t *d = admin_dossier_get(req, id, now);
	if (!d) {
		app_error(req, res, 500);
		res->cache_ttl = -1;
		return;
	}
	json_t *ctx = admin_ctx(req, app_t_(req, kinds[k].title), "dossiers");
	if (kinds[k].sql) { /* the notice is the latest such event: its date, its officer and its note */
		db_stmt_t *st = db_prepare(req->db, arena_printf(req->arena, "SELECT at, actor, note FROM dossier_events WHERE dossier_id = ?"
									    " AND %s ORDER BY at DESC, id DESC LIMIT 1", kinds[k].sql));
		int found = 0;
		if (st && db_bind_int(st, 1, id) == 0 && db_step(st) == DB_ROW) {
			found = 1;
			long long at = db_col_int(st, 0);
			int y, m, dd;
			civil_date(civil_local_day(at), &y, &m, &dd);
			json_object_set_new(ctx, "notice", json_pack("{s:s, s:s, s:s, s:i, s:i, s:i}", "date", dq_date(req, at, 0), "officer",
								     db_col_text(st, 1), "note", db_col_text(st, 2), "day", dd,
								     "month", m, "year", y));
		}
		if (st)
			db_done(st);
		if (!found) {
			json_decref(d);
			json_decref(ctx);
			dq_not_found(req, res);
			return;
		}
	} else {
		json_object_set_new(ctx, "events", dq_events(req, id));
		int y, m, dd;
		civil_date(civil_local_day(now), &y, &m, &dd);
		json_object_set_new(ctx, "notice", json_pack("{s:s, s:i, s:i, s:i}", "date", dq_date(req, now, 0), "day", dd, "month", m,
							     "year", y));
	}
	json_object_set_new(ctx, "kind_supplement", json_boolean(k == 0));
	json_object_set_new(ctx, "kind_refusal", json_boolean(k == 1));
	json_object_set_new(ctx, "kind_apology", json_boolean(k == 2));
	json_object_set_new(ctx, "kind_control", json_boolean(k == 3));
	json_object_set_new(ctx, "heading", json_string(app_t_(req, kinds[k].title)));
	json_object_set_new(ctx, "back_url", json_string(json_string_value(json_object_get(d, "url"))));
	json_object_set_new(ctx, "dossier", d);
	admin_render(req, res, "admin/dossiers/print", ctx);
}
