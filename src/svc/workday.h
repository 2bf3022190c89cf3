/* workday: the working-day calendar of the one-stop shop: which days are days off, and when a dossier
 * with a statutory time limit of N working days falls due.  Days off are computed for any year from the
 * Labour Code 2019 (Art. 111–112) with the rules below, then the year's announced schedule is laid over
 * them as per-date overrides, which the caller supplies (an admin-edited table: this module does not know
 * where they come from).  Everything is counted in local days of Vietnam (UTC+7, no daylight saving)
 * with integer arithmetic; day numbers are those of svc/civil.h.
 *
 * The default days off of a Gregorian year (the rules are explained in docs/CALENDAR.md):
 *   1/1                       Tết Dương lịch
 *   the last two days of the old lunar year and 1/1–3/1 lunar     Tết Nguyên Đán (5 days)
 *   10/3 lunar                Giỗ Tổ Hùng Vương
 *   30/4                      Ngày Giải phóng miền Nam
 *   1/5                       Ngày Quốc tế Lao động
 *   2/9 and 1/9 (3/9 when 2/9 is a Thursday)                      Quốc khánh
 * and for each of them that falls on a Saturday or Sunday, the next working day, in date order, as
 * "Nghỉ bù <name>".  When two fall on one date it is one day off, under the first name above. */
#ifndef SVC_WORKDAY_H
#define SVC_WORKDAY_H
#include <limits.h>
#include <stddef.h>

#include "svc/lunar.h"

#define WORKDAY_CUTOFF (15 * 3600) /* received after 15:00 local: the next working day is the first one */
#define WORKDAY_CLOSE (17 * 3600)  /* a due date is 17:00 local, when the offices close */
#define WORKDAY_MAX_N 3650         /* the longest time limit accepted, in working days */
#define WORKDAY_OPEN LLONG_MAX     /* the end of a pause that has not ended yet */
#define WORKDAY_YEAR_MAX 40        /* room for one year's default days off (there are at most ~20) */

/* One date of the announced schedule, laid over the computed defaults. */
typedef struct workday_override {
	int day;          /* day number (civil_days) */
	int off;          /* 1: a day off (a swapped day, an extra holiday); 0: a working day (a swapped
			     Saturday, or a computed day off that the year's schedule does not have) */
	const char *name; /* the name of a day off, caller-owned; NULL for "Ngày nghỉ" */
} workday_override_t;

typedef struct workday_off {
	int day;
	const char *name; /* a static string, or the name of an override */
} workday_off_t;

/* A calendar: the caller's overrides (not copied; they must outlive it) and a cache of one year's default
 * days off, so that walking over days recomputes the lunar calendar once a year rather than once a day.
 * It has no resources to release.  Not for sharing between threads: make one per request, it is cheap. */
typedef struct workday_cal {
	const workday_override_t *ov;
	size_t nov;
	int year; /* the cached year, 0 for none */
	int n;
	workday_off_t off[WORKDAY_YEAR_MAX];
} workday_cal_t;

/* The clock of a dossier stopped from start up to, not including, end (Unix seconds); end is WORKDAY_OPEN
 * while the applicant has not answered yet. */
typedef struct workday_pause {
	long long start, end;
} workday_pause_t;

enum { WORKDAY_EARLY = 1, WORKDAY_ON_TIME, WORKDAY_LATE };

/* Sets up c over n overrides (ov may be NULL when n is 0).  Overrides are looked up linearly: a few
 * hundred is fine.  When two overrides name the same date, the first one counts. */
void workday_cal_init(workday_cal_t *c, const workday_override_t *ov, size_t n);

/* The days off of Gregorian year year (defaults with the overrides of that year applied), sorted by date,
 * into out.  The count, or -1 when there are more than cap or the year is outside LUNAR_YEAR_MIN–MAX.
 * Days off on a weekend are listed too (Tết often has some), each followed in time by its "Nghỉ bù". */
int workday_days_off(workday_cal_t *c, int year, workday_off_t *out, size_t cap);
/* 1 when day is a working day, 0 when not, -1 when its year is out of range. */
int workday_is_working(workday_cal_t *c, int day);
/* The name of day as a day off, or NULL when it is a working day or a plain weekend (or out of range). */
const char *workday_off_name(workday_cal_t *c, int day);
/* The first working day after day, or INT_MIN when the search leaves the range. */
int workday_next(workday_cal_t *c, int day);

/* The due moment of a dossier received at Unix time received with a time limit of n working days
 * (1–WORKDAY_MAX_N), with the clock stopped during the np pauses (any order, may overlap; p may be NULL
 * when np is 0).  A working day counts when the clock is running at 15:00 local on it: so the day of
 * receipt counts when the dossier came in by 15:00 (a non-working day never counts), a day on which a
 * pause starts by 15:00 does not, and a day on which the clock restarts counts when it restarts by
 * 15:00.  The due moment is 17:00 local on the n-th counted day.  Returns 0 with *due set; 1 when an
 * open pause (end WORKDAY_OPEN) stops the clock before the time runs out, so there is no due date yet;
 * -1 on a bad n or when the count leaves the calendar's range. */
int workday_due(workday_cal_t *c, long long received, int n, const workday_pause_t *p, size_t np, long long *due);

/* The number of working days after the local day of from up to and including the local day of to;
 * negative, counted the same way, when to is on an earlier day; 0 on the same day.  Friday to the next
 * Monday is 1.  For "how many working days early or late".  INT_MIN when out of range. */
int workday_between(workday_cal_t *c, long long from, long long to);
/* 1 when due has not passed at now and lies within k working days of it (0: due today), else 0: for
 * "falls due within k working days" warnings. */
int workday_due_within(workday_cal_t *c, long long now, long long due, int k);
/* Early (done on a day before the due day), on time (on the due day, by the due moment) or late (after
 * the due moment): one of WORKDAY_EARLY, WORKDAY_ON_TIME, WORKDAY_LATE. */
int workday_status(long long done, long long due);

/* `cong calendar`: the days off of a year, and due dates (svc/calendar_cmd.c).  Its usage text is
 * calendar_cmd_usage. */
int calendar_cmd(int argc, char **argv);
extern const char calendar_cmd_usage[];
#endif
