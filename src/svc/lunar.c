#include "svc/lunar.h"

#include <math.h>

#include "svc/civil.h"

#define PI 3.14159265358979323846
#define JD_UNIX 2440587.5 /* Julian date of 1970-01-01 00:00 UT, day number 0 */
#define SYNODIC 29.530588861

static double sin_deg(double deg)
{
	return sin(deg * PI / 180);
}

/* ΔT = TT − UT in seconds at a (fractional) year: the polynomials of Espenak and Meeus (NASA's eclipse
 * canon) from 1860 on.  The astronomical formulas run on TT; the calendar runs on clocks (UT + 7 h).  ΔT
 * is about a minute today, so an error in it only matters for events within seconds of midnight. */
static double delta_t(double y)
{
	double t;
	if (y < 1900) {
		t = y - 1860;
		return 7.62 + 0.5737 * t - 0.251754 * t * t + 0.01680668 * t * t * t - 0.0004473624 * pow(t, 4) +
		       pow(t, 5) / 233174;
	}
	if (y < 1920) {
		t = y - 1900;
		return -2.79 + 1.494119 * t - 0.0598939 * t * t + 0.0061966 * t * t * t - 0.000197 * pow(t, 4);
	}
	if (y < 1941) {
		t = y - 1920;
		return 21.20 + 0.84493 * t - 0.076100 * t * t + 0.0020936 * t * t * t;
	}
	if (y < 1961) {
		t = y - 1950;
		return 29.07 + 0.407 * t - t * t / 233 + t * t * t / 2547;
	}
	if (y < 1986) {
		t = y - 1975;
		return 45.45 + 1.067 * t - t * t / 260 - t * t * t / 718;
	}
	if (y < 2005) {
		t = y - 2000;
		return 63.86 + 0.3345 * t - 0.060374 * t * t + 0.0017275 * t * t * t + 0.000651814 * pow(t, 4) +
		       0.00002373599 * pow(t, 5);
	}
	if (y < 2050) {
		t = y - 2000;
		return 62.92 + 0.32217 * t + 0.005589 * t * t;
	}
	t = (y - 1820) / 100;
	return y < 2150 ? -20 + 32 * t * t - 0.5628 * (2150 - y) : -20 + 32 * t * t;
}

static double tt_to_ut(double jde)
{
	return jde - delta_t(2000 + (jde - 2451545) / 365.25) / 86400;
}

static double ut_to_tt(double jd)
{
	return jd + delta_t(2000 + (jd - 2451545) / 365.25) / 86400;
}

/* The local day (UTC+7) that the UT instant jd falls on. */
static int jd_local_day(double jd)
{
	return (int)floor(jd - JD_UNIX + (double)CIVIL_TZ_OFFSET / CIVIL_DAY);
}

/* The UT Julian date of local midnight at the start of day number day. */
static double local_midnight_jd(int day)
{
	return JD_UNIX + day - (double)CIVIL_TZ_OFFSET / CIVIL_DAY;
}

/* The instant (JDE, TT) of new moon number k, counted from the one of 2000-01-06: the mean phase plus the
 * periodic terms for the new moon and the planetary arguments of Meeus ch. 49, good to well under a
 * minute, which is what the local date of a new moon needs. */
static double new_moon_jde(int k)
{
	double T = k / 1236.85, T2 = T * T, T3 = T2 * T, T4 = T3 * T;
	double jde = 2451550.09766 + SYNODIC * k + 0.00015437 * T2 - 0.000000150 * T3 + 0.00000000073 * T4;
	double E = 1 - 0.002516 * T - 0.0000074 * T2;
	double M = 2.5534 + 29.10535670 * k - 0.0000014 * T2 - 0.00000011 * T3;          /* sun's anomaly */
	double Mp = 201.5643 + 385.81693528 * k + 0.0107582 * T2 + 0.00001238 * T3 - 0.000000058 * T4; /* moon's */
	double F = 160.7108 + 390.67050284 * k - 0.0016118 * T2 - 0.00000227 * T3 + 0.000000011 * T4;
	double Om = 124.7746 - 1.56375588 * k + 0.0020672 * T2 + 0.00000215 * T3;

	jde += -0.40720 * sin_deg(Mp) + 0.17241 * E * sin_deg(M) + 0.01608 * sin_deg(2 * Mp) + 0.01039 * sin_deg(2 * F) +
	       0.00739 * E * sin_deg(Mp - M) - 0.00514 * E * sin_deg(Mp + M) + 0.00208 * E * E * sin_deg(2 * M) -
	       0.00111 * sin_deg(Mp - 2 * F) - 0.00057 * sin_deg(Mp + 2 * F) + 0.00056 * E * sin_deg(2 * Mp + M) -
	       0.00042 * sin_deg(3 * Mp) + 0.00042 * E * sin_deg(M + 2 * F) + 0.00038 * E * sin_deg(M - 2 * F) -
	       0.00024 * E * sin_deg(2 * Mp - M) - 0.00017 * sin_deg(Om) - 0.00007 * sin_deg(Mp + 2 * M) +
	       0.00004 * sin_deg(2 * Mp - 2 * F) + 0.00004 * sin_deg(3 * M) + 0.00003 * sin_deg(Mp + M - 2 * F) +
	       0.00003 * sin_deg(2 * Mp + 2 * F) - 0.00003 * sin_deg(Mp + M + 2 * F) + 0.00003 * sin_deg(Mp - M + 2 * F) -
	       0.00002 * sin_deg(Mp - M - 2 * F) - 0.00002 * sin_deg(3 * Mp + M) + 0.00002 * sin_deg(4 * Mp);

	static const double planet[14][3] = {
		/* coefficient (days), argument at k = 0 and its rate per lunation (degrees) */
		{0.000325, 299.77, 0.107408}, {0.000165, 251.88, 0.016321}, {0.000164, 251.83, 26.651886},
		{0.000126, 349.42, 36.412478}, {0.000110, 84.66, 18.206239}, {0.000062, 141.74, 53.303771},
		{0.000060, 207.14, 2.453732}, {0.000056, 154.84, 7.306860}, {0.000047, 34.52, 27.261239},
		{0.000042, 207.19, 0.121824}, {0.000040, 291.34, 1.844379}, {0.000037, 161.72, 24.198154},
		{0.000035, 239.56, 25.513099}, {0.000023, 331.55, 3.592518},
	};
	for (int i = 0; i < 14; i++) {
		double arg = planet[i][1] + planet[i][2] * k - (i == 0 ? 0.009173 * T2 : 0);
		jde += planet[i][0] * sin_deg(arg);
	}
	return jde;
}

/* Day number of the local day on which lunar month number k (the one starting at new moon k) begins. */
static int month_start(int k)
{
	return jd_local_day(tt_to_ut(new_moon_jde(k)));
}

/* The sun's apparent longitude in degrees, [0, 360), at JDE (TT): Meeus ch. 25, the equation of the
 * centre on the mean longitude, then aberration and nutation in longitude; good to 0.01°, a quarter of an
 * hour of the sun's motion. */
static double sun_longitude(double jde)
{
	double T = (jde - 2451545) / 36525, T2 = T * T;
	double L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T2;
	double M = 357.52911 + 35999.05029 * T - 0.0001537 * T2;
	double C = (1.914602 - 0.004817 * T - 0.000014 * T2) * sin_deg(M) + (0.019993 - 0.000101 * T) * sin_deg(2 * M) +
		   0.000289 * sin_deg(3 * M);
	double Om = 125.04 - 1934.136 * T;
	double lambda = fmod(L0 + C - 0.00569 - 0.00478 * sin_deg(Om), 360);
	return lambda < 0 ? lambda + 360 : lambda;
}

/* Which twelfth of the ecliptic (0–11, 30° each, 9 holding the winter solstice) the sun is in at local
 * midnight starting day.  A major solar term falls on a day in [a, b) exactly when the sector at the start
 * of a differs from the sector at the start of b. */
static int sun_sector(int day)
{
	return (int)(sun_longitude(ut_to_tt(local_midnight_jd(day))) / 30);
}

/* The local day of the December solstice of Gregorian year y (sun longitude 270°), by Meeus's iteration
 * for equinoxes and solstices: each step corrects by the remaining angle at roughly the sun's speed. */
static int solstice_day(int y)
{
	double jde = JD_UNIX + civil_days(y, 12, 21) + 0.5;
	for (int i = 0; i < 6; i++)
		jde += 58 * sin_deg(270 - sun_longitude(jde));
	return jd_local_day(tt_to_ut(jde));
}

/* The months from month 11 of Gregorian year y (the one holding the December solstice) up to, not
 * including, the next month 11: months 11 and 12 of lunar year y, then months 1–10 of lunar year y + 1. */
typedef struct span {
	int k11;  /* new moon number that opens month 11 */
	int n;    /* 12 or 13 months */
	int leap; /* index (1–12) of the leap month among them, 0 for none */
} span_t;

/* The number of the new moon that opens the month holding day number day. */
static int month_of_day(int day)
{
	int k = (int)floor((local_midnight_jd(day) - 2451550.1) / SYNODIC);
	while (month_start(k + 1) <= day)
		k++;
	while (month_start(k) > day)
		k--;
	return k;
}

static void span_of(int y, span_t *s)
{
	s->k11 = month_of_day(solstice_day(y));
	s->n = month_of_day(solstice_day(y + 1)) - s->k11;
	s->leap = 0;
	if (s->n != 13)
		return;
	/* month 11 holds the solstice, a major term, so the search starts with the month after it */
	int start = month_start(s->k11 + 1), sector = sun_sector(start);
	for (int i = 1; i < 13; i++) {
		int next = sun_sector(month_start(s->k11 + i + 1));
		if (next == sector) {
			s->leap = i;
			return;
		}
		sector = next;
	}
}

/* Month number of index i of span s, and whether it is the leap month. */
static int span_month(const span_t *s, int i, int *leap)
{
	*leap = s->leap && i == s->leap;
	if (s->leap && i >= s->leap)
		i--;
	return (i + 10) % 12 + 1;
}

/* Index in span s of month 1: months before it belong to the lunar year that the span starts in. */
static int span_first_month(const span_t *s)
{
	return s->leap && s->leap <= 2 ? 3 : 2;
}

static int day_in_range(int day)
{
	return day >= civil_days(LUNAR_YEAR_MIN, 1, 1) && day <= civil_days(LUNAR_YEAR_MAX, 12, 31);
}

int lunar_from_days(int day, lunar_date_t *out)
{
	if (!day_in_range(day))
		return -1;
	int y, m, d;
	civil_date(day, &y, &m, &d);
	span_t s;
	span_of(y, &s);
	if (day < month_start(s.k11)) {
		y--;
		span_of(y, &s);
	}
	int k = month_of_day(day), i = k - s.k11;
	out->month = span_month(&s, i, &out->leap);
	out->year = i < span_first_month(&s) ? y : y + 1;
	out->day = day - month_start(k) + 1;
	return 0;
}

int lunar_to_days(const lunar_date_t *in, int *day)
{
	if (in->year < LUNAR_YEAR_MIN - 1 || in->year > LUNAR_YEAR_MAX || in->month < 1 || in->month > 12 ||
	    in->day < 1 || in->day > 30)
		return -1;
	span_t s;
	int base = in->month >= 11 ? in->month - 11 : in->month + 1, i;
	span_of(in->month >= 11 ? in->year : in->year - 1, &s);
	if (in->leap) {
		if (!s.leap || s.leap != base + 1)
			return -1;
		i = s.leap;
	} else {
		i = s.leap && base >= s.leap ? base + 1 : base;
	}
	int start = month_start(s.k11 + i);
	if (in->day > month_start(s.k11 + i + 1) - start || !day_in_range(start + in->day - 1))
		return -1;
	*day = start + in->day - 1;
	return 0;
}

int lunar_from_solar(int y, int m, int d, lunar_date_t *out)
{
	if (!civil_valid(y, m, d))
		return -1;
	return lunar_from_days(civil_days(y, m, d), out);
}

int lunar_to_solar(const lunar_date_t *in, int *y, int *m, int *d)
{
	int day;
	if (lunar_to_days(in, &day) < 0)
		return -1;
	civil_date(day, y, m, d);
	return 0;
}

int lunar_new_year(int year, int *day)
{
	lunar_date_t t = {year, 1, 1, 0};
	if (year < LUNAR_YEAR_MIN || year > LUNAR_YEAR_MAX)
		return -1;
	return lunar_to_days(&t, day);
}

int lunar_leap_month(int year)
{
	if (year < LUNAR_YEAR_MIN || year > LUNAR_YEAR_MAX)
		return -1;
	span_t s;
	int leap;
	/* a leap month from 1 to 10 lies in the span that starts the year before; a leap 11 or 12 in the
	 * span that starts in the year itself, before its month 1 */
	span_of(year - 1, &s);
	if (s.leap >= span_first_month(&s))
		return span_month(&s, s.leap, &leap);
	span_of(year, &s);
	if (s.leap && s.leap < span_first_month(&s))
		return span_month(&s, s.leap, &leap);
	return 0;
}

int lunar_month_length(int day)
{
	if (!day_in_range(day))
		return -1;
	int k = month_of_day(day);
	return month_start(k + 1) - month_start(k);
}
