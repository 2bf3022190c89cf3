#include "svc/civil.h"

/* Floor division: local days before 1970 must round down, not toward zero. */
static long long floordiv(long long a, long long b)
{
	long long q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const unsigned char len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap_year(y) ? 29 : len[m - 1];
}

/* Counting the year from March puts the leap day last, so the days before a month follow one linear
 * formula ((153 * m + 2) / 5 for m = 0 in March … 11 in February) and a year's length only matters
 * through the usual 4/100/400 terms of the years before it. */
int civil_days(int y, int m, int d)
{
	long long yy = m <= 2 ? (long long)y - 1 : y;
	long long mm = m <= 2 ? m + 9 : m - 3;
	long long days = 365 * yy + floordiv(yy, 4) - floordiv(yy, 100) + floordiv(yy, 400) + (153 * mm + 2) / 5 + d - 1;
	return (int)(days - 719468); /* the same count for 1970-01-01 */
}

void civil_date(int days, int *y, int *m, int *d)
{
	/* 146097 days make 400 years exactly; the estimate is off by at most one year either way */
	int yy = 1970 + (int)floordiv((long long)days * 400, 146097);
	while (civil_days(yy + 1, 1, 1) <= days)
		yy++;
	while (civil_days(yy, 1, 1) > days)
		yy--;
	int left = days - civil_days(yy, 1, 1), mm = 1;
	while (left >= month_days(yy, mm))
		left -= month_days(yy, mm++);
	*y = yy;
	*m = mm;
	*d = left + 1;
}

int civil_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= month_days(y, m);
}

int civil_weekday(int days)
{
	int w = (days + 4) % 7; /* 1970-01-01 was a Thursday */
	return w < 0 ? w + 7 : w;
}

int civil_local_day(long long t)
{
	return (int)floordiv(t + CIVIL_TZ_OFFSET, CIVIL_DAY);
}

int civil_local_secs(long long t)
{
	return (int)(t + CIVIL_TZ_OFFSET - (long long)civil_local_day(t) * CIVIL_DAY);
}

long long civil_local_time(int day, int secs)
{
	return (long long)day * CIVIL_DAY + secs - CIVIL_TZ_OFFSET;
}

/* Reads exactly n digits at s into *v. */
static int digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

static int parse_ymd(const char *s, int *day)
{
	int y, m, d;
	if (digits(s, 4, &y) < 0 || s[4] != '-' || digits(s + 5, 2, &m) < 0 || s[7] != '-' ||
	    digits(s + 8, 2, &d) < 0 || !civil_valid(y, m, d))
		return -1;
	*day = civil_days(y, m, d);
	return 0;
}

int civil_parse_date(const char *s, int *day)
{
	int v;
	if (parse_ymd(s, &v) < 0 || s[10] != '\0')
		return -1;
	*day = v;
	return 0;
}

int civil_parse_local(const char *s, long long *t)
{
	int day, h, mi;
	if (parse_ymd(s, &day) < 0 || (s[10] != ' ' && s[10] != 'T') || digits(s + 11, 2, &h) < 0 || s[13] != ':' ||
	    digits(s + 14, 2, &mi) < 0 || s[16] != '\0' || h > 23 || mi > 59)
		return -1;
	*t = civil_local_time(day, h * 3600 + mi * 60);
	return 0;
}

/* Writes v as exactly n decimal digits (v is within range for the years 1–9999 this module serves). */
static char *put_digits(char *p, unsigned v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + n;
}

static char *put_date(char *p, int day)
{
	int y, m, d;
	civil_date(day, &y, &m, &d);
	p = put_digits(p, (unsigned)y, 4);
	*p++ = '-';
	p = put_digits(p, (unsigned)m, 2);
	*p++ = '-';
	return put_digits(p, (unsigned)d, 2);
}

void civil_format_date(int day, char out[11])
{
	*put_date(out, day) = '\0';
}

void civil_format_local(long long t, char out[17])
{
	int secs = civil_local_secs(t);
	char *p = put_date(out, civil_local_day(t));
	*p++ = ' ';
	p = put_digits(p, (unsigned)secs / 3600, 2);
	*p++ = ':';
	p = put_digits(p, (unsigned)secs / 60 % 60, 2);
	*p = '\0';
}
