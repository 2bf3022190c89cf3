/* stats: the statistics of the one-stop shop (thống kê hồ sơ) per agency and per procedure over a month,
 * a quarter or a year, and the pages that show them: the public summary (/thong-ke-ho-so, per agency) and
 * the staff detail (/admin/stats, per procedure), each with SVG charts, tables and CSV downloads.
 * The figures are defined in docs/ARCHITECTURE.md ("Statistics"); the rules live in stats_add().
 * Periods are local (UTC+7) calendar periods computed here from day numbers (svc/civil.h) and passed to
 * SQL as Unix-time bounds, so the SQL stays the same on both databases. */
#ifndef SVC_STATS_H
#define SVC_STATS_H
#include "app/app.h"
#include "core/arena.h"
#include "db/db.h"

extern const app_route_t stats_routes[];       /* the public summary and its CSV */
extern const app_route_t stats_admin_routes[]; /* /admin/stats and its CSV */

/* ---- periods ---- */
enum { STATS_YEAR = 0, STATS_QUARTER, STATS_MONTH };
#define STATS_YEAR_MIN 2000
#define STATS_YEAR_MAX 2100

typedef struct stats_period {
	int kind;          /* STATS_YEAR, STATS_QUARTER, STATS_MONTH */
	int year;
	int n;             /* the quarter 1–4 or the month 1–12; 0 for a year */
	long long from, to; /* Unix times of local midnight on the first day, and on the day after the last */
} stats_period_t;

/* Sets p to the period kind/n of year.  0, or -1 when the year is outside STATS_YEAR_MIN–MAX or n is
 * not a quarter/month (a year takes n 0). */
int stats_period_make(stats_period_t *p, int kind, int year, int n);
/* Parses a period code of year: "y" (or NULL/""), "q1"–"q4", "m1"–"m12".  0 or -1. */
int stats_period_parse(stats_period_t *p, int year, const char *code);
/* Writes p's code ("y", "q2", "m11") into out. */
void stats_period_code(const stats_period_t *p, char out[4]);
/* The twelve months that end with p's last month, oldest first: bounds[i] is the start of month i and
 * bounds[12] the end of the last; ym[i] is year * 100 + month. */
void stats_months(const stats_period_t *p, long long bounds[13], int ym[12]);

/* ---- figures ---- */
typedef struct stats_row {
	long long received;          /* received (received_at) in the period */
	long long resolved;          /* finished (finished_at) in the period … */
	long long early, on_time, late; /* … of which early / on time / late against due_at */
	long long in_progress;       /* received, not finished, withdrawn or stopped at the period's end (or now) */
	long long overdue;           /* … of which past their due date then */
	long long online;            /* received in the period through the portal or the API */
	long long rated, r3, r2, r1; /* ratings given in the period: Rất hài lòng, Hài lòng, Chưa hài lòng */
} stats_row_t;

/* One dossier as stats_add needs it.  Times are Unix seconds, 0 for none. */
typedef struct stats_dossier {
	long long received, due, finished, ended, rated_at; /* ended: withdrawn or stopped */
	int rating;                                         /* 1–3, 0 for none */
	int online;                                         /* channel online or api */
} stats_dossier_t;

/* Adds dossier d to r for period p as seen at now (in progress and overdue are counted at the earlier
 * of the period's end and now). */
void stats_add(stats_row_t *r, const stats_dossier_t *d, const stats_period_t *p, long long now);
/* Adds b into a. */
void stats_sum(stats_row_t *a, const stats_row_t *b);
/* num/den in tenths of a percent (833 for 83.3 %), rounded half up; -1 when den is 0. */
int stats_permille(long long num, long long den);
/* The average rating × 100 (267 for 2.67), -1 without ratings. */
int stats_avg100(const stats_row_t *r);

/* A table of figures: one row per agency (all of them) or per procedure (those with any figure). */
typedef struct stats_entry {
	long long id, agency_id;
	const char *code, *name;      /* the agency's or the procedure's */
	const char *agency_code, *agency_name;
	stats_row_t row;
} stats_entry_t;

typedef struct stats_table {
	stats_entry_t *e;
	int n;
	stats_row_t total;
	long long monthly[12];        /* received per month over stats_months(p) */
	int ym[12];
} stats_table_t;

/* Fills t for period p at now, names in lang (falling back to Vietnamese): per agency, or per procedure
 * when by_procedure is set; agency > 0 keeps only that agency's dossiers.  Everything is allocated from
 * a.  0, or -1 on a database error. */
int stats_query(db_t *db, arena_t *a, const stats_period_t *p, long long now, const char *lang, int by_procedure,
		long long agency, stats_table_t *t);
#endif
