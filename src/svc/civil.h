/* civil: Gregorian dates as day numbers, and Vietnam's local time.  The calendar modules (lunar, workday)
 * count in whole local days, so they need dates they can subtract; Vietnam is UTC+7 all year with no
 * daylight saving, so local time is plain arithmetic and never depends on the TZ of the process. */
#ifndef SVC_CIVIL_H
#define SVC_CIVIL_H

#define CIVIL_TZ_OFFSET (7 * 3600) /* Asia/Ho_Chi_Minh: UTC+7, no daylight saving since 1975 */
#define CIVIL_DAY 86400

/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d (negative before 1970).  m and d are not
 * checked: 2025-01-32 is 2025-02-01; use civil_valid first when the date comes from outside. */
int civil_days(int y, int m, int d);
/* The date of day number days. */
void civil_date(int days, int *y, int *m, int *d);
/* 1 when y-m-d is a real date of years 1..9999, else 0. */
int civil_valid(int y, int m, int d);
/* Day of the week of day number days: 0 Sunday, 1 Monday … 6 Saturday (as tm_wday). */
int civil_weekday(int days);

/* The local day (UTC+7) that Unix time t falls on, and the seconds since that day's local midnight. */
int civil_local_day(long long t);
int civil_local_secs(long long t);
/* The Unix time of secs seconds after local midnight of day number day. */
long long civil_local_time(int day, int secs);

/* Parses "YYYY-MM-DD" (exactly, nothing after it) into a day number.  0, or -1 on anything else. */
int civil_parse_date(const char *s, int *day);
/* Parses a local time "YYYY-MM-DD HH:MM" (a 'T' may stand for the space) into Unix time.  0 or -1. */
int civil_parse_local(const char *s, long long *t);
/* Writes day as "YYYY-MM-DD" into out (11 bytes with the NUL). */
void civil_format_date(int day, char out[11]);
/* Writes Unix time t as the local "YYYY-MM-DD HH:MM" into out (17 bytes with the NUL). */
void civil_format_local(long long t, char out[17]);
#endif
