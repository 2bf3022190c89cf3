/* lunar: the Vietnamese lunisolar calendar (âm lịch), for Tết and Giỗ Tổ Hùng Vương in the working-day
 * calendar.  It is computed, not tabulated, the way the official calendar is defined: months begin on the
 * local day (UTC+7) of a new moon; the month holding the winter solstice is month 11; when 13 months lie
 * between two months 11, the first of them without a major solar term (sun longitude a multiple of 30°) is
 * the leap month and repeats the number of the month before it.  New moons and sun longitudes come from
 * the formulas of Jean Meeus, Astronomical Algorithms (2nd ed., ch. 49 and 25).  Because Vietnam counts in
 * UTC+7 and China in UTC+8, the two calendars differ when a new moon or a solar term falls between 23:00
 * and midnight Vietnam time (Tết 1985 came a month earlier in Vietnam, Tết 2007 a day earlier). */
#ifndef SVC_LUNAR_H
#define SVC_LUNAR_H

/* Gregorian years served both ways; the formulas hold much longer, but ΔT (TT − UT) is only known, and
 * the arithmetic only tested, over this range. */
#define LUNAR_YEAR_MIN 1900
#define LUNAR_YEAR_MAX 2199

typedef struct lunar_date {
	int year;  /* the lunar year, named by the Gregorian year its month 1 begins in (Tết 2025 opens 2025) */
	int month; /* 1–12 */
	int day;   /* 1–30 */
	int leap;  /* 1 in a leap month (tháng nhuận), which follows the ordinary month of the same number */
} lunar_date_t;

/* The lunar date of the Gregorian date y-m-d.  0, or -1 when y-m-d is not a date of years
 * LUNAR_YEAR_MIN–LUNAR_YEAR_MAX. */
int lunar_from_solar(int y, int m, int d, lunar_date_t *out);
/* The Gregorian date of a lunar date.  0, or -1 when there is no such day (day 30 of a 29-day month, a
 * leap flag on a month that is not repeated that year) or it falls outside the Gregorian range. */
int lunar_to_solar(const lunar_date_t *in, int *y, int *m, int *d);

/* The same two conversions on day numbers (civil_days). */
int lunar_from_days(int day, lunar_date_t *out);
int lunar_to_days(const lunar_date_t *in, int *day);

/* Sets *day to the day number of Tết (1/1) of lunar year year.  0, or -1 out of range. */
int lunar_new_year(int year, int *day);
/* The number of the month that lunar year year repeats (1–12), 0 when it has no leap month, -1 out of
 * range. */
int lunar_leap_month(int year);
/* The number of days (29 or 30) of the lunar month holding day number day, -1 out of range. */
int lunar_month_length(int day);
#endif
