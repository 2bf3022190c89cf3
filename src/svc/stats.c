#include "svc/stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin/admin.h"
#include "svc/civil.h"
#include "svc/csv.h"
#include "svc/dossier.h"
#include "svc/svg.h"
#include "svc/workday.h"

/* ---- periods ---------------------------------------------------------------------------------------- */

int stats_period_make(stats_period_t *p, int kind, int year, int n)
{
	if (year < STATS_YEAR_MIN || year > STATS_YEAR_MAX)
		return -1;
	int m0, months;
	switch (kind) {
	case STATS_YEAR:
		if (n != 0)
			return -1;
		m0 = 1, months = 12;
		break;
	case STATS_QUARTER:
		if (n < 1 || n > 4)
			return -1;
		m0 = 3 * n - 2, months = 3;
		break;
	case STATS_MONTH:
		if (n < 1 || n > 12)
			return -1;
		m0 = n, months = 1;
		break;
	default:
		return -1;
	}
	p->kind = kind;
	p->year = year;
	p->n = n;
	/* civil_days takes month 13 as January of the next year */
	p->from = civil_local_time(civil_days(year, m0, 1), 0);
	p->to = civil_local_time(civil_days(year, m0 + months, 1), 0);
	return 0;
}

int stats_period_parse(stats_period_t *p, int year, const char *code)
{
	if (!code || !*code || strcmp(code, "y") == 0)
		return stats_period_make(p, STATS_YEAR, year, 0);
	if ((code[0] != 'q' && code[0] != 'm') || code[1] < '1' || code[1] > '9')
		return -1;
	int n = code[1] - '0';
	if (code[2]) {
		if (code[2] < '0' || code[2] > '9' || code[3])
			return -1;
		n = n * 10 + code[2] - '0';
	}
	return stats_period_make(p, code[0] == 'q' ? STATS_QUARTER : STATS_MONTH, year, n);
}

void stats_period_code(const stats_period_t *p, char out[4])
{
	int n = p->kind == STATS_YEAR ? 0 : p->n < 1 ? 1 : p->n > 12 ? 12 : p->n, k = 0;
	out[k++] = p->kind == STATS_YEAR ? 'y' : p->kind == STATS_QUARTER ? 'q' : 'm';
	if (n >= 10)
		out[k++] = (char)('0' + n / 10);
	if (n > 0)
		out[k++] = (char)('0' + n % 10);
	out[k] = '\0';
}

void stats_months(const stats_period_t *p, long long bounds[13], int ym[12])
{
	int y, m, d;
	civil_date(civil_local_day(p->to - 1), &y, &m, &d); /* the period's last month */
	/* eleven months before it: month m - 11 of year y, normalised */
	int idx = y * 12 + (m - 1) - 11;
	for (int i = 0; i <= 12; i++, idx++) {
		int yy = idx / 12, mm = idx % 12 + 1;
		bounds[i] = civil_local_time(civil_days(yy, mm, 1), 0);
		if (i < 12)
			ym[i] = yy * 100 + mm;
	}
}

/* ---- figures ---------------------------------------------------------------------------------------- */

void stats_add(stats_row_t *r, const stats_dossier_t *d, const stats_period_t *p, long long now)
{
	if (d->received >= p->from && d->received < p->to) {
		r->received++;
		if (d->online)
			r->online++;
	}
	if (d->finished >= p->from && d->finished < p->to && d->finished > 0) {
		r->resolved++;
		int w = d->due > 0 ? workday_status(d->finished, d->due) : WORKDAY_ON_TIME;
		if (w == WORKDAY_EARLY)
			r->early++;
		else if (w == WORKDAY_ON_TIME)
			r->on_time++;
		else
			r->late++;
	}
	/* in progress at the end of the period, or now for the period under way */
	long long at = p->to < now ? p->to : now;
	if (at > p->from && d->received > 0 && d->received < at && (d->finished == 0 || d->finished >= at) &&
	    (d->ended == 0 || d->ended >= at)) {
		r->in_progress++;
		if (d->due > 0 && d->due < at)
			r->overdue++;
	}
	if (d->rated_at >= p->from && d->rated_at < p->to && d->rating >= 1 && d->rating <= 3) {
		r->rated++;
		if (d->rating == 3)
			r->r3++;
		else if (d->rating == 2)
			r->r2++;
		else
			r->r1++;
	}
}

void stats_sum(stats_row_t *a, const stats_row_t *b)
{
	a->received += b->received;
	a->resolved += b->resolved;
	a->early += b->early;
	a->on_time += b->on_time;
	a->late += b->late;
	a->in_progress += b->in_progress;
	a->overdue += b->overdue;
	a->online += b->online;
	a->rated += b->rated;
	a->r3 += b->r3;
	a->r2 += b->r2;
	a->r1 += b->r1;
}

int stats_permille(long long num, long long den)
{
	if (den <= 0)
		return -1;
	return (int)((num * 2000 + den) / (den * 2));
}

int stats_avg100(const stats_row_t *r)
{
	if (r->rated <= 0)
		return -1;
	long long sum = 3 * r->r3 + 2 * r->r2 + r->r1;
	return (int)((sum * 200 + r->rated) / (r->rated * 2));
}

/* ---- the query -------------------------------------------------------------------------------------- */

typedef struct stats_idx {
	long long id;
	int at;
} stats_idx_t;

static int stats_idx_cmp(const void *a, const void *b)
{
	long long x = ((const stats_idx_t *)a)->id, y = ((const stats_idx_t *)b)->id;
	return x < y ? -1 : x > y;
}

static int stats_find(const stats_idx_t *idx, int n, long long id)
{
	stats_idx_t key = {id, 0};
	const stats_idx_t *hit = bsearch(&key, idx, (size_t)n, sizeof(*idx), stats_idx_cmp);
	return hit ? hit->at : -1;
}

#define STATS_MAX_ENTRIES 20000

/* The agencies (or procedures) into t->e, in display order, with an id index.  0 or -1. */
static int stats_load_entries(db_t *db, arena_t *a, const char *lang, int by_procedure, long long agency, stats_table_t *t,
			      stats_idx_t **idx)
{
	const char *count_sql = by_procedure ? "SELECT count(*) FROM procedures WHERE (? = 0 OR agency_id = ?)"
					     : "SELECT count(*) FROM agencies WHERE (? = 0 OR id = ?)";
	long long n = db_int(db, count_sql, "ii", -1, agency, agency);
	if (n < 0 || n > STATS_MAX_ENTRIES)
		return -1;
	t->e = arena_alloc(a, sizeof(*t->e) * (size_t)(n ? n : 1));
	*idx = arena_alloc(a, sizeof(**idx) * (size_t)(n ? n : 1));
	if (!t->e || !*idx)
		return -1;
	memset(t->e, 0, sizeof(*t->e) * (size_t)(n ? n : 1));
	t->n = 0;
#define STATS_AGENCY_NAME(A)                                                                                  \
	"COALESCE((SELECT name FROM agency_i18n WHERE agency_id = " A " AND lang = ?),"                       \
	" (SELECT name FROM agency_i18n WHERE agency_id = " A " AND lang = 'vi'), '')"
	db_stmt_t *st = db_prepare(
		db, by_procedure
			    ? "SELECT p.id, p.code, COALESCE((SELECT name FROM procedure_i18n WHERE procedure_id = p.id AND lang = ?),"
			      " (SELECT name FROM procedure_i18n WHERE procedure_id = p.id AND lang = 'vi'), p.code),"
			      " a.id, a.code, " STATS_AGENCY_NAME("a.id") " FROM procedures p JOIN agencies a ON a.id = p.agency_id"
			      " WHERE (? = 0 OR a.id = ?) ORDER BY a.position, a.id, p.code, p.id"
			    : "SELECT a.id, a.code, " STATS_AGENCY_NAME("a.id") ", a.id, a.code, '' FROM agencies a"
			      " WHERE (? = 0 OR a.id = ?) ORDER BY a.position, a.id");
	if (!st)
		return -1;
	int rc = by_procedure ? db_bindf(st, "ssii", lang, lang, agency, agency) : db_bindf(st, "sii", lang, agency, agency);
	while (rc == 0 && t->n < n && db_step(st) == DB_ROW) {
		stats_entry_t *e = &t->e[t->n];
		e->id = db_col_int(st, 0);
		e->code = arena_strdup(a, db_col_text(st, 1));
		e->name = arena_strdup(a, db_col_text(st, 2));
		e->agency_id = db_col_int(st, 3);
		e->agency_code = arena_strdup(a, db_col_text(st, 4));
		e->agency_name = by_procedure ? arena_strdup(a, db_col_text(st, 5)) : e->name;
		if (!*e->name)
			e->name = e->code;
		if (!e->code || !e->name || !e->agency_code || !e->agency_name)
			rc = -1;
		(*idx)[t->n] = (stats_idx_t){e->id, t->n};
		t->n++;
	}
	db_done(st);
	qsort(*idx, (size_t)t->n, sizeof(**idx), stats_idx_cmp);
	return rc;
}

int stats_query(db_t *db, arena_t *a, const stats_period_t *p, long long now, const char *lang, int by_procedure,
		long long agency, stats_table_t *t)
{
	memset(t, 0, sizeof(*t));
	stats_idx_t *idx;
	if (stats_load_entries(db, a, lang, by_procedure, agency, t, &idx) < 0)
		return -1;
	/* every dossier that can count in the period: received before its end, and not finished, withdrawn or
	 * stopped before its start (unless rated in it) */
	db_stmt_t *st = db_prepare(
		db, "SELECT d.agency_id, d.procedure_id, d.received_at, COALESCE(d.due_at, 0), COALESCE(d.finished_at, 0),"
		    " COALESCE(d.rated_at, 0), COALESCE(d.rating, 0), d.channel,"
		    " COALESCE((SELECT min(e.at) FROM dossier_events e WHERE e.dossier_id = d.id AND e.to_status IN (7, 8)),"
		    " CASE WHEN d.status IN (7, 8) THEN d.updated_at ELSE 0 END)"
		    " FROM dossiers d WHERE d.received_at IS NOT NULL AND d.received_at < ? AND (? = 0 OR d.agency_id = ?)"
		    " AND (d.finished_at IS NULL OR d.finished_at >= ? OR d.rated_at >= ?)"
		    " AND (d.status NOT IN (7, 8) OR d.updated_at >= ?)");
	if (!st)
		return -1;
	if (db_bindf(st, "iiiiii", p->to, agency, agency, p->from, p->from, p->from) < 0) {
		db_done(st);
		return -1;
	}
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		stats_dossier_t d = {
			.received = db_col_int(st, 2),
			.due = db_col_int(st, 3),
			.finished = db_col_int(st, 4),
			.rated_at = db_col_int(st, 5),
			.rating = (int)db_col_int(st, 6),
			.online = strcmp(db_col_text(st, 7), "counter") != 0,
			.ended = db_col_int(st, 8),
		};
		stats_row_t one = {0};
		stats_add(&one, &d, p, now);
		stats_sum(&t->total, &one);
		int at = stats_find(idx, t->n, db_col_int(st, by_procedure ? 1 : 0));
		if (at >= 0)
			stats_sum(&t->e[at].row, &one);
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	if (by_procedure) { /* only the procedures with something to show */
		int k = 0;
		for (int i = 0; i < t->n; i++) {
			const stats_row_t *r = &t->e[i].row;
			if (r->received || r->resolved || r->in_progress || r->rated)
				t->e[k++] = t->e[i];
		}
		t->n = k;
	}

	long long bounds[13];
	stats_months(p, bounds, t->ym);
	st = db_prepare(db, "SELECT received_at FROM dossiers WHERE received_at >= ? AND received_at < ? AND (? = 0 OR agency_id = ?)");
	if (!st)
		return -1;
	if (db_bindf(st, "iiii", bounds[0], bounds[12], agency, agency) < 0) {
		db_done(st);
		return -1;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		long long r = db_col_int(st, 0);
		for (int i = 0; i < 12; i++)
			if (r >= bounds[i] && r < bounds[i + 1]) {
				t->monthly[i]++;
				break;
			}
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

/* ---- formatting ------------------------------------------------------------------------------------- */

static int stats_vi(const http_request_t *req)
{
	return strcmp(req->lang, "vi") == 0;
}

/* n with thousands separators: 1.234 in Vietnamese, 1,234 otherwise. */
static char *stats_int(http_request_t *req, long long n)
{
	char raw[32], out[48];
	int len = snprintf(raw, sizeof(raw), "%lld", n < 0 ? -n : n), k = 0;
	if (n < 0)
		out[k++] = '-';
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[k++] = stats_vi(req) ? '.' : ',';
		out[k++] = raw[i];
	}
	out[k] = '\0';
	return arena_strdup(req->arena, out);
}

/* A number in hundredths or tenths (scale 100 or 10) with the language's decimal mark and an optional
 * suffix; "—" for -1 (no data). */
static char *stats_dec(http_request_t *req, int v, int scale, const char *suffix)
{
	if (v < 0)
		return "—";
	return arena_printf(req->arena, "%d%c%0*d%s", v / scale, stats_vi(req) ? ',' : '.', scale == 100 ? 2 : 1, v % scale,
			    suffix);
}

/* The same for CSV: a dot, no suffix; "" for no data. */
static char *stats_csv_dec(arena_t *a, int v, int scale)
{
	if (v < 0)
		return "";
	return arena_printf(a, "%d.%0*d", v / scale, scale == 100 ? 2 : 1, v % scale);
}

static const char *const stats_roman[] = {"", "I", "II", "III", "IV"};

/* "Năm 2025", "Quý II/2025", "Tháng 3/2025" in the request's language. */
static char *stats_period_label(http_request_t *req, const stats_period_t *p)
{
	if (p->kind == STATS_YEAR)
		return arena_printf(req->arena, "%s %d", app_t_(req, "Year"), p->year);
	if (p->kind == STATS_QUARTER)
		return arena_printf(req->arena, "%s %s/%d", app_t_(req, "Quarter"), stats_roman[p->n], p->year);
	return arena_printf(req->arena, "%s %d/%d", app_t_(req, "Month"), p->n, p->year);
}

/* The figures of one row for a template. */
static json_t *stats_row_json(http_request_t *req, const stats_row_t *r)
{
	json_t *o = json_object();
	const struct {
		const char *k;
		long long v;
	} ints[] = {{"received", r->received}, {"resolved", r->resolved}, {"early", r->early},     {"on_time", r->on_time},
		    {"late", r->late},         {"in_progress", r->in_progress}, {"overdue", r->overdue}, {"rated", r->rated},
		    {"r3", r->r3},             {"r2", r->r2},             {"r1", r->r1}};
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		json_object_set_new(o, ints[i].k, json_string(stats_int(req, ints[i].v)));
	json_object_set_new(o, "on_time_pct", json_string(stats_dec(req, stats_permille(r->early + r->on_time, r->resolved), 10, "%")));
	json_object_set_new(o, "online_pct", json_string(stats_dec(req, stats_permille(r->online, r->received), 10, "%")));
	json_object_set_new(o, "r3_pct", json_string(stats_dec(req, stats_permille(r->r3, r->rated), 10, "%")));
	json_object_set_new(o, "r2_pct", json_string(stats_dec(req, stats_permille(r->r2, r->rated), 10, "%")));
	json_object_set_new(o, "r1_pct", json_string(stats_dec(req, stats_permille(r->r1, r->rated), 10, "%")));
	json_object_set_new(o, "avg", json_string(stats_dec(req, stats_avg100(r), 100, "")));
	json_object_set_new(o, "has_overdue", json_boolean(r->overdue > 0));
	return o;
}

static json_t *stats_entries_json(http_request_t *req, const stats_table_t *t)
{
	json_t *rows = json_array();
	for (int i = 0; i < t->n; i++) {
		json_t *o = stats_row_json(req, &t->e[i].row);
		json_object_set_new(o, "code", json_string(t->e[i].code));
		json_object_set_new(o, "name", json_string(t->e[i].name));
		json_object_set_new(o, "agency_code", json_string(t->e[i].agency_code));
		json_object_set_new(o, "agency_name", json_string(t->e[i].agency_name));
		json_object_set_new(o, "first_of_agency", json_boolean(i == 0 || t->e[i - 1].agency_id != t->e[i].agency_id));
		json_array_append_new(rows, o);
	}
	return rows;
}

/* ---- charts ----------------------------------------------------------------------------------------- */

static char *stats_svg(http_request_t *req, int (*draw)(buf_t *, const svg_chart_t *), const svg_chart_t *c)
{
	buf_t b;
	buf_init(&b, 1 << 20);
	char *s = draw(&b, c) == 0 ? arena_strdup(req->arena, buf_cstr(&b)) : NULL;
	buf_release(&b);
	return s;
}

/* The charts of a table: timeliness and satisfaction per agency (those with something to draw), and the
 * dossiers received per month. */
static void stats_charts(http_request_t *req, json_t *ctx, const stats_table_t *t, const char *scope)
{
	arena_t *a = req->arena;
	int n = t->n;
	const char **cats = arena_alloc(a, sizeof(char *) * (size_t)(n ? n : 1));
	const char **notes = arena_alloc(a, sizeof(char *) * (size_t)(n ? n : 1));
	long long *vals = arena_alloc(a, sizeof(long long) * 3 * (size_t)(n ? n : 1));
	if (!cats || !notes || !vals)
		return;

	int k = 0;
	for (int i = 0; i < n; i++) {
		const stats_row_t *r = &t->e[i].row;
		if (!r->resolved)
			continue;
		cats[k] = t->e[i].name;
		notes[k] = arena_printf(a, "%s %s", stats_dec(req, stats_permille(r->early + r->on_time, r->resolved), 10, "%"),
					app_t_(req, "on time"));
		vals[3 * k] = r->early, vals[3 * k + 1] = r->on_time, vals[3 * k + 2] = r->late;
		k++;
	}
	const char *tseries[] = {app_t_(req, "Early"), app_t_(req, "On time"), app_t_(req, "Late")};
	if (k) {
		svg_chart_t c = {.id = "chart-timeliness", .title = app_t_(req, "Dossiers resolved early, on time and late, by agency"),
				 .desc = arena_printf(a, "%s. %s", scope, app_t_(req, "Each bar is an agency's resolved dossiers, split into early, on time and late; the share resolved early or on time follows the bar. The table below has the same numbers.")),
				 .ncats = k, .cats = cats, .nseries = 3, .series = tseries, .values = vals, .notes = notes};
		char *s = stats_svg(req, svg_hbars, &c);
		if (s)
			json_object_set_new(ctx, "chart_timeliness", json_string(s));
	}

	const char **mcats = arena_alloc(a, sizeof(char *) * 12);
	if (!mcats)
		return;
	for (int i = 0; i < 12; i++)
		mcats[i] = arena_printf(a, "%02d/%d", t->ym[i] % 100, t->ym[i] / 100);
	const char *mseries[] = {app_t_(req, "Received")};
	svg_chart_t mc = {.id = "chart-monthly", .title = app_t_(req, "Dossiers received per month"),
			  .desc = arena_printf(a, "%s. %s", scope, app_t_(req, "One column per month over the twelve months that end with the chosen period; the number of dossiers received is above each column.")),
			  .ncats = 12, .cats = mcats, .nseries = 1, .series = mseries, .values = t->monthly};
	char *s = stats_svg(req, svg_columns, &mc);
	if (s)
		json_object_set_new(ctx, "chart_monthly", json_string(s));
	json_t *months = json_array();
	for (int i = 0; i < 12; i++)
		json_array_append_new(months, json_pack("{s:s, s:s}", "month", mcats[i], "received", stats_int(req, t->monthly[i])));
	json_object_set_new(ctx, "months", months);

	k = 0;
	for (int i = 0; i < n; i++) {
		const stats_row_t *r = &t->e[i].row;
		if (!r->rated)
			continue;
		cats[k] = t->e[i].name;
		notes[k] = arena_printf(a, "%s %s", app_t_(req, "average"), stats_dec(req, stats_avg100(r), 100, ""));
		vals[3 * k] = r->r3, vals[3 * k + 1] = r->r2, vals[3 * k + 2] = r->r1;
		k++;
	}
	const char *rseries[] = {app_t_(req, "Very satisfied"), app_t_(req, "Satisfied"), app_t_(req, "Unsatisfied")};
	if (k) {
		svg_chart_t c = {.id = "chart-satisfaction", .title = app_t_(req, "Citizens' ratings by agency"),
				 .desc = arena_printf(a, "%s. %s", scope, app_t_(req, "Each bar is the ratings an agency received: very satisfied, satisfied and unsatisfied; the average (3 = very satisfied, 1 = unsatisfied) follows the bar.")),
				 .ncats = k, .cats = cats, .nseries = 3, .series = rseries, .values = vals, .notes = notes};
		char *rs = stats_svg(req, svg_hbars, &c);
		if (rs)
			json_object_set_new(ctx, "chart_satisfaction", json_string(rs));
	}
}

/* ---- CSV -------------------------------------------------------------------------------------------- */


static const char *const stats_csv_head[] = {
	"Received", "Resolved", "Early", "On time", "Late", "On-time rate (%)", "In progress", "Overdue", "Online share (%)",
	"Ratings", "Very satisfied", "Satisfied", "Unsatisfied", "Average rating",
};
#define STATS_CSV_NHEAD (sizeof(stats_csv_head) / sizeof(stats_csv_head[0]))

static void stats_csv_figures(buf_t *b, arena_t *a, const stats_row_t *r)
{
	const long long v[] = {r->received, r->resolved, r->early, r->on_time, r->late};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		csv_cell(b, arena_printf(a, "%lld", v[i]), 0);
	csv_cell(b, stats_csv_dec(a, stats_permille(r->early + r->on_time, r->resolved), 10), 0);
	csv_cell(b, arena_printf(a, "%lld", r->in_progress), 0);
	csv_cell(b, arena_printf(a, "%lld", r->overdue), 0);
	csv_cell(b, stats_csv_dec(a, stats_permille(r->online, r->received), 10), 0);
	const long long w[] = {r->rated, r->r3, r->r2, r->r1};
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		csv_cell(b, arena_printf(a, "%lld", w[i]), 0);
	csv_cell(b, stats_csv_dec(a, stats_avg100(r), 100), 1);
}

/* The CSV of a table into res: a UTF-8 BOM (Excel then reads Vietnamese right), a header row, a row per
 * entry, and the total. */
static void stats_csv(http_request_t *req, http_response_t *res, const stats_table_t *t, int by_procedure,
		      const stats_period_t *p, const char *name)
{
	buf_t *b = &res->body;
	buf_reset(b);
	buf_puts(b, "\xEF\xBB\xBF");
	csv_cell(b, app_t_(req, "Period"), 0);
	csv_cell(b, app_t_(req, "Agency code"), 0);
	csv_cell(b, app_t_(req, "Agency"), 0);
	if (by_procedure) {
		csv_cell(b, app_t_(req, "Procedure code"), 0);
		csv_cell(b, app_t_(req, "Procedure"), 0);
	}
	for (size_t i = 0; i < STATS_CSV_NHEAD; i++)
		csv_cell(b, app_t_(req, stats_csv_head[i]), i + 1 == STATS_CSV_NHEAD);
	const char *period = stats_period_label(req, p);
	for (int i = 0; i < t->n; i++) {
		csv_cell(b, period, 0);
		csv_cell(b, t->e[i].agency_code, 0);
		csv_cell(b, t->e[i].agency_name, 0);
		if (by_procedure) {
			csv_cell(b, t->e[i].code, 0);
			csv_cell(b, t->e[i].name, 0);
		}
		stats_csv_figures(b, req->arena, &t->e[i].row);
	}
	csv_cell(b, period, 0);
	csv_cell(b, "", 0);
	csv_cell(b, app_t_(req, "Total"), 0);
	if (by_procedure) {
		csv_cell(b, "", 0);
		csv_cell(b, "", 0);
	}
	stats_csv_figures(b, req->arena, &t->total);
	if (b->overflow) {
		buf_reset(b);
		app_error(req, res, 500);
		return;
	}
	char code[4];
	stats_period_code(p, code);
	res->status = 200;
	res->content_type = "text/csv; charset=utf-8";
	http_add_header(res, "content-disposition",
			arena_printf(req->arena, "attachment; filename=\"%s-%d-%s.csv\"", name, p->year, code));
}

/* ---- the request's period and the filter form ------------------------------------------------------- */

static long long stats_now(void)
{
	return (long long)time(NULL);
}

static int stats_this_year(long long now)
{
	int y, m, d;
	civil_date(civil_local_day(now), &y, &m, &d);
	return y;
}

/* The period the query asks for (?year=YYYY&period=y|qN|mN), the current year by default.  0 or -1. */
static int stats_req_period(http_request_t *req, long long now, stats_period_t *p)
{
	const char *y = http_query(req, "year");
	long long year = stats_this_year(now);
	if (y && *y) {
		char *end;
		year = strtoll(y, &end, 10);
		if (*end || end == y)
			return -1;
	}
	if (year < STATS_YEAR_MIN || year > stats_this_year(now) + 1)
		return -1;
	return stats_period_parse(p, (int)year, http_query(req, "period"));
}

/* The query string of a period (and an agency), for links: "year=2025&period=q2". */
static char *stats_qs(http_request_t *req, const stats_period_t *p, long long agency)
{
	char code[4];
	stats_period_code(p, code);
	return agency ? arena_printf(req->arena, "year=%d&period=%s&agency=%lld", p->year, code, agency)
		      : arena_printf(req->arena, "year=%d&period=%s", p->year, code);
}

/* The filter form's choices: years with dossiers (and this one), and the periods of a year. */
static void stats_filter(http_request_t *req, json_t *ctx, const stats_period_t *p, long long now)
{
	long long first = db_int(req->db, "SELECT COALESCE(min(received_at), 0) FROM dossiers WHERE received_at IS NOT NULL", "", 0);
	int y0 = first > 0 ? stats_this_year(first) : stats_this_year(now), y1 = stats_this_year(now);
	if (p->year < y0)
		y0 = p->year;
	if (p->year > y1)
		y1 = p->year;
	json_t *years = json_array();
	for (int y = y1; y >= y0 && y > y1 - 50; y--)
		json_array_append_new(years, json_pack("{s:i, s:b}", "year", y, "selected", y == p->year));
	json_object_set_new(ctx, "years", years);
	json_t *periods = json_array();
	char code[4];
	stats_period_code(p, code);
	for (int i = 0; i < 17; i++) {
		const char *c = i == 0 ? "y" : i <= 4 ? arena_printf(req->arena, "q%d", i) : arena_printf(req->arena, "m%d", i - 4);
		const char *label = i == 0	? app_t_(req, "Whole year")
				    : i <= 4 ? arena_printf(req->arena, "%s %s", app_t_(req, "Quarter"), stats_roman[i])
					     : arena_printf(req->arena, "%s %d", app_t_(req, "Month"), i - 4);
		json_array_append_new(periods, json_pack("{s:s, s:s, s:b}", "code", c, "label", label, "selected", strcmp(c, code) == 0));
	}
	json_object_set_new(ctx, "periods", periods);
	json_object_set_new(ctx, "period_label", json_string(stats_period_label(req, p)));
	json_object_set_new(ctx, "as_of", json_string(app_date(req->arena, req->lang, p->to < now ? p->to - 1 : now, p->to >= now)));
}

/* The table, the totals and the charts into ctx. */
static void stats_fill(http_request_t *req, json_t *ctx, const stats_table_t *t, const char *scope)
{
	json_object_set_new(ctx, "rows", stats_entries_json(req, t));
	json_object_set_new(ctx, "total", stats_row_json(req, &t->total));
	json_object_set_new(ctx, "rated_rows", json_boolean(t->total.rated > 0));
	stats_charts(req, ctx, t, scope);
}

/* ---- the public summary ----------------------------------------------------------------------------- */

static const char *stats_public_path(const char *lang)
{
	return strcmp(lang, "vi") == 0 ? "/thong-ke-ho-so" : strcmp(lang, "en") == 0 ? "/en/dossier-statistics" : "/zh/dossier-statistics";
}

static void stats_public(http_request_t *req, http_response_t *res)
{
	long long now = stats_now();
	stats_period_t p;
	stats_table_t t;
	if (stats_req_period(req, now, &p) < 0) {
		app_error(req, res, 404);
		return;
	}
	if (stats_query(req->db, req->arena, &p, now, req->lang, 0, 0, &t) < 0) {
		app_error(req, res, 500);
		return;
	}
	const char *title = app_t_(req, "Dossier statistics");
	json_t *ctx = app_page_ctx(req, title);
	const char *self = stats_public_path(req->lang), *qs = stats_qs(req, &p, 0);
	json_object_set_new(ctx, "self_url", json_string(self));
	json_object_set_new(ctx, "heading", json_string(title));
	json_object_set_new(ctx, "csv_url", json_string(arena_printf(req->arena, "%s.csv?%s", self, qs)));
	for (int i = 0; i < APP_NLANGS; i++)
		app_set_alternate(ctx, app_langs[i], arena_printf(req->arena, "%s?%s", stats_public_path(app_langs[i]), qs));
	stats_filter(req, ctx, &p, now);
	stats_fill(req, ctx, &t, stats_period_label(req, &p));
	app_render(req, res, "svc/stats", ctx);
}

static void stats_public_csv(http_request_t *req, http_response_t *res)
{
	long long now = stats_now();
	stats_period_t p;
	stats_table_t t;
	if (stats_req_period(req, now, &p) < 0) {
		app_error(req, res, 404);
		return;
	}
	if (stats_query(req->db, req->arena, &p, now, req->lang, 0, 0, &t) < 0) {
		app_error(req, res, 500);
		return;
	}
	stats_csv(req, res, &t, 0, &p, "thong-ke-ho-so");
	if (res->status == 200)
		res->cache_ttl = app.cfg.cache_ttl;
}

const app_route_t stats_routes[] = {
	{"GET", "vi", "/thong-ke-ho-so", stats_public},
	{"GET", "en zh", "/dossier-statistics", stats_public},
	{"GET", "vi", "/thong-ke-ho-so.csv", stats_public_csv},
	{"GET", "en zh", "/dossier-statistics.csv", stats_public_csv},
	{NULL, NULL, NULL, NULL},
};

/* ---- the staff detail ------------------------------------------------------------------------------- */

/* ?agency=ID: 0 for all; -1 when it names no agency. */
static long long stats_req_agency(http_request_t *req)
{
	const char *s = http_query(req, "agency");
	if (!s || !*s || strcmp(s, "0") == 0)
		return 0;
	long long id = http_query_int(req, "agency", 1, (long long)1 << 53, -1);
	if (id < 0 || db_int(req->db, "SELECT count(*) FROM agencies WHERE id = ?", "i", 0, id) != 1)
		return -1;
	return id;
}

static void stats_admin(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_STATS, 0, NULL))
		return;
	long long now = stats_now(), agency = stats_req_agency(req);
	stats_period_t p;
	stats_table_t ta, tp;
	if (stats_req_period(req, now, &p) < 0 || agency < 0) {
		app_error(req, res, 404);
		res->cache_ttl = -1;
		return;
	}
	if (stats_query(req->db, req->arena, &p, now, req->lang, 0, agency, &ta) < 0 ||
	    stats_query(req->db, req->arena, &p, now, req->lang, 1, agency, &tp) < 0) {
		app_error(req, res, 500);
		res->cache_ttl = -1;
		return;
	}
	json_t *ctx = admin_ctx(req, app_t_(req, "Dossier statistics"), "stats");
	const char *qs = stats_qs(req, &p, agency), *base = admin_url(req, "/stats");
	json_object_set_new(ctx, "self_url", json_string(base));
	json_object_set_new(ctx, "csv_url", json_string(arena_printf(req->arena, "%s.csv?%s", base, qs)));
	json_object_set_new(ctx, "csv_procedures_url", json_string(arena_printf(req->arena, "%s.csv?%s&table=procedures", base, qs)));
	json_object_set_new(ctx, "public_url", json_string(arena_printf(req->arena, "%s?%s", stats_public_path(req->lang), stats_qs(req, &p, 0))));
	stats_filter(req, ctx, &p, now);

	json_t *agencies = json_array();
	const char *scope = stats_period_label(req, &p);
	db_stmt_t *st = db_prepare(req->db, "SELECT a.id, COALESCE((SELECT name FROM agency_i18n WHERE agency_id = a.id AND lang = ?),"
					    " (SELECT name FROM agency_i18n WHERE agency_id = a.id AND lang = 'vi'), a.code)"
					    " FROM agencies a ORDER BY a.position, a.id");
	if (st && db_bind_text(st, 1, req->lang) == 0)
		while (db_step(st) == DB_ROW) {
			long long id = db_col_int(st, 0);
			if (id == agency)
				scope = arena_printf(req->arena, "%s, %s", scope, db_col_text(st, 1));
			json_array_append_new(agencies, json_pack("{s:I, s:s, s:b}", "id", id, "name", db_col_text(st, 1), "selected", id == agency));
		}
	if (st)
		db_done(st);
	json_object_set_new(ctx, "agencies", agencies);
	json_object_set_new(ctx, "agency_filter", json_true());
	stats_fill(req, ctx, &ta, scope);
	json_object_set_new(ctx, "procedures", stats_entries_json(req, &tp));
	admin_render(req, res, "admin/stats", ctx);
}

static void stats_admin_csv(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_STATS, 0, NULL))
		return;
	long long now = stats_now(), agency = stats_req_agency(req);
	const char *table = http_query(req, "table");
	int by_procedure = table && strcmp(table, "procedures") == 0;
	stats_period_t p;
	stats_table_t t;
	if (stats_req_period(req, now, &p) < 0 || agency < 0 || (table && !by_procedure && strcmp(table, "agencies") != 0)) {
		app_error(req, res, 404);
		res->cache_ttl = -1;
		return;
	}
	if (stats_query(req->db, req->arena, &p, now, req->lang, by_procedure, agency, &t) < 0) {
		app_error(req, res, 500);
		res->cache_ttl = -1;
		return;
	}
	stats_csv(req, res, &t, by_procedure, &p, by_procedure ? "thong-ke-thu-tuc" : "thong-ke-co-quan");
	res->cache_ttl = -1;
}

const app_route_t stats_admin_routes[] = {
	{"GET", "vi en zh", "/admin/stats", stats_admin},
	{"GET", "vi en zh", "/admin/stats.csv", stats_admin_csv},
	{NULL, NULL, NULL, NULL},
};
