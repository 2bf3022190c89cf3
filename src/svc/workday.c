#include "svc/workday.h"

#include "svc/civil.h"

/* The holidays of the Labour Code, in the order that decides the name when two share a date. */
enum { H_NEW_YEAR, H_TET, H_HUNG_KINGS, H_REUNIFICATION, H_LABOUR, H_NATIONAL, H_N };

static const char *const hol_name[H_N] = {
	"Tết Dương lịch",           "Tết Nguyên Đán",        "Giỗ Tổ Hùng Vương",
	"Ngày Giải phóng miền Nam", "Ngày Quốc tế Lao động", "Quốc khánh",
};
static const char *const comp_name[H_N] = {
	"Nghỉ bù Tết Dương lịch",           "Nghỉ bù Tết Nguyên Đán",        "Nghỉ bù Giỗ Tổ Hùng Vương",
	"Nghỉ bù Ngày Giải phóng miền Nam", "Nghỉ bù Ngày Quốc tế Lao động", "Nghỉ bù Quốc khánh",
};
static const char default_off_name[] = "Ngày nghỉ";

typedef struct hol {
	int day, kind;
} hol_t;

static int hol_before(const hol_t *a, const hol_t *b)
{
	return a->day < b->day || (a->day == b->day && a->kind < b->kind);
}

void workday_cal_init(workday_cal_t *c, const workday_override_t *ov, size_t n)
{
	c->ov = n ? ov : NULL;
	c->nov = n;
	c->year = 0;
	c->n = 0;
}

static int weekend(int day)
{
	int w = civil_weekday(day);
	return w == 0 || w == 6;
}

static int year_of(int day)
{
	int y, m, d;
	civil_date(day, &y, &m, &d);
	return y;
}

static int listed(const workday_off_t *v, int n, int day)
{
	for (int i = 0; i < n; i++)
		if (v[i].day == day)
			return 1;
	return 0;
}

static void sort_off(workday_off_t *v, int n)
{
	for (int i = 1; i < n; i++) {
		workday_off_t x = v[i];
		int j = i;
		for (; j > 0 && v[j - 1].day > x.day; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* Fills c's cache with the default days off of year: the holidays, then a compensatory day for each one
 * on a weekend.  Holidays are taken in date order and each compensatory day is the first weekday after
 * its holiday that is neither a holiday nor taken by an earlier compensatory day: so the two weekend days
 * inside a Tết block become the two working days after it, as Art. 111(3) of the Labour Code reads
 * ("nghỉ bù vào ngày làm việc kế tiếp") and as the yearly schedules have applied it. */
static int load_year(workday_cal_t *c, int year)
{
	if (c->year == year)
		return 0;
	if (year < LUNAR_YEAR_MIN || year > LUNAR_YEAR_MAX)
		return -1;
	hol_t h[12];
	int nh = 0, tet, hung, qk = civil_days(year, 9, 2);
	lunar_date_t hung_lunar = {year, 3, 10, 0}; /* in a year with a leap month 3, the ordinary month */
	if (lunar_new_year(year, &tet) < 0 || lunar_to_days(&hung_lunar, &hung) < 0)
		return -1;
#define ADD(d, k) (h[nh].day = (d), h[nh].kind = (k), nh++)
	ADD(civil_days(year, 1, 1), H_NEW_YEAR);
	for (int i = -2; i <= 2; i++) /* 29 and 30 (or 28 and 29) of month 12, then 1–3 of month 1 */
		ADD(tet + i, H_TET);
	ADD(hung, H_HUNG_KINGS);
	ADD(civil_days(year, 4, 30), H_REUNIFICATION);
	ADD(civil_days(year, 5, 1), H_LABOUR);
	/* the day before 2/9, unless 2/9 is a Thursday: then the Friday after, so that the two days join the
	 * weekend (the schedules of 2021–2025 did exactly this; a Monday's day before is a Sunday, which the
	 * compensation below turns into the Tuesday, as in 2024) */
	ADD(civil_weekday(qk) == 4 ? qk + 1 : qk - 1, H_NATIONAL);
	ADD(qk, H_NATIONAL);
#undef ADD
	/* date order, and on a shared date the earlier kind first */
	for (int i = 1; i < nh; i++)
		for (int j = i; j > 0 && hol_before(&h[j], &h[j - 1]); j--) {
			hol_t t = h[j];
			h[j] = h[j - 1];
			h[j - 1] = t;
		}
	int n = 0;
	for (int i = 0; i < nh; i++)
		if (!listed(c->off, n, h[i].day))
			c->off[n++] = (workday_off_t){h[i].day, hol_name[h[i].kind]};
	for (int i = 0; i < nh; i++) {
		if (!weekend(h[i].day) || (i > 0 && h[i - 1].day == h[i].day))
			continue;
		int d = h[i].day + 1;
		while (weekend(d) || listed(c->off, n, d))
			d++;
		c->off[n++] = (workday_off_t){d, comp_name[h[i].kind]};
	}
	sort_off(c->off, n);
	c->n = n;
	c->year = year;
	return 0;
}

static const workday_override_t *find_override(const workday_cal_t *c, int day)
{
	for (size_t i = 0; i < c->nov; i++)
		if (c->ov[i].day == day)
			return &c->ov[i];
	return NULL;
}

/* The default day off at day (NULL for none) in *off; -1 when the year is out of range. */
static int default_off(workday_cal_t *c, int day, const workday_off_t **off)
{
	*off = NULL;
	if (load_year(c, year_of(day)) < 0)
		return -1;
	for (int i = 0; i < c->n; i++)
		if (c->off[i].day == day)
			*off = &c->off[i];
	return 0;
}

int workday_is_working(workday_cal_t *c, int day)
{
	const workday_off_t *off;
	if (default_off(c, day, &off) < 0)
		return -1;
	const workday_override_t *o = find_override(c, day);
	if (o)
		return !o->off;
	return !weekend(day) && !off;
}

const char *workday_off_name(workday_cal_t *c, int day)
{
	const workday_off_t *off;
	if (default_off(c, day, &off) < 0)
		return NULL;
	const workday_override_t *o = find_override(c, day);
	if (o)
		return o->off ? (o->name ? o->name : default_off_name) : NULL;
	return off ? off->name : NULL;
}

int workday_days_off(workday_cal_t *c, int year, workday_off_t *out, size_t cap)
{
	if (load_year(c, year) < 0)
		return -1;
	size_t n = 0;
	for (int i = 0; i < c->n; i++) {
		const workday_override_t *o = find_override(c, c->off[i].day);
		if (o && !o->off)
			continue;
		if (n == cap)
			return -1;
		out[n].day = c->off[i].day;
		out[n++].name = o ? (o->name ? o->name : default_off_name) : c->off[i].name;
	}
	int first = civil_days(year, 1, 1), last = civil_days(year, 12, 31);
	for (size_t i = 0; i < c->nov; i++) {
		const workday_override_t *o = &c->ov[i];
		if (!o->off || o->day < first || o->day > last || find_override(c, o->day) != o ||
		    listed(c->off, c->n, o->day))
			continue;
		if (n == cap)
			return -1;
		out[n].day = o->day;
		out[n++].name = o->name ? o->name : default_off_name;
	}
	sort_off(out, (int)n);
	return (int)n;
}

int workday_next(workday_cal_t *c, int day)
{
	for (int d = day + 1;; d++) {
		int w = workday_is_working(c, d);
		if (w < 0)
			return INT_MIN;
		if (w)
			return d;
	}
}

/* 1 when Unix time t falls in one of the pauses; an open one (end WORKDAY_OPEN) reports 2. */
static int paused(const workday_pause_t *p, size_t np, long long t)
{
	int r = 0;
	for (size_t i = 0; i < np; i++)
		if (p[i].start <= t && t < p[i].end)
			r = p[i].end == WORKDAY_OPEN ? 2 : r ? r : 1;
	return r;
}

/* The clock is sampled at 15:00 of each working day: one rule covers the receipt (by 15:00 the day
 * counts, after it the next working day is the first), the return of a supplement (the same rule, as for
 * a new receipt) and the day a pause begins (the examination stopped before the day's cut-off, so the day
 * is not spent on the dossier).  Whole days only: the time limits are in working days, and a receipt's
 * promised date is a day, so hours are never carried from one day to the next. */
int workday_due(workday_cal_t *c, long long received, int n, const workday_pause_t *p, size_t np, long long *due)
{
	if (n < 1 || n > WORKDAY_MAX_N || (np && !p))
		return -1;
	int counted = 0;
	for (int d = civil_local_day(received);; d++) {
		int w = workday_is_working(c, d);
		if (w < 0)
			return -1;
		long long cut = civil_local_time(d, WORKDAY_CUTOFF);
		if (!w || cut < received)
			continue;
		int s = paused(p, np, cut);
		if (s == 2)
			return 1;
		if (s)
			continue;
		if (++counted == n) {
			*due = civil_local_time(d, WORKDAY_CLOSE);
			return 0;
		}
	}
}

int workday_between(workday_cal_t *c, long long from, long long to)
{
	int a = civil_local_day(from), b = civil_local_day(to), sign = 1, n = 0;
	if (b < a) {
		int t = a;
		a = b;
		b = t;
		sign = -1;
	}
	for (int d = a + 1; d <= b; d++) {
		int w = workday_is_working(c, d);
		if (w < 0)
			return INT_MIN;
		n += w;
	}
	return sign * n;
}

int workday_due_within(workday_cal_t *c, long long now, long long due, int k)
{
	if (now > due)
		return 0;
	int n = workday_between(c, now, due);
	return n != INT_MIN && n <= k;
}

int workday_status(long long done, long long due)
{
	if (done > due)
		return WORKDAY_LATE;
	return civil_local_day(done) < civil_local_day(due) ? WORKDAY_EARLY : WORKDAY_ON_TIME;
}
