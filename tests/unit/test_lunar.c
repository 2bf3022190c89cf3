/* The Vietnamese lunar calendar: Tết of every year 1985–2030, the years it differs from the Chinese
 * calendar, Giỗ Tổ Hùng Vương, leap months, festivals people know the dates of, and the conversions both
 * ways over the whole range. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "svc/civil.h"
#include "svc/lunar.h"

typedef struct ymd {
	int y, m, d;
} ymd_t;

/* Tết Nguyên Đán in Vietnam, 1985–2030.  Each is the local (UTC+7) date of the new moon that opens month
 * 1.  Cross-checked: against DOMAIN.md (1985, 2024–2027), against the announced holiday schedules
 * (2019–2026, e.g. "nghỉ từ 29 tháng Chạp"), against the Chinese dates (the same except 1985, 2007 and
 * 2030, see below), and against a calendar built from an independent high-precision ephemeris (PyEphem,
 * VSOP87/ELP) with the same rules, which agrees on every month of 1900–2199 but one (July 1967, a new
 * moon two seconds from midnight). */
static const ymd_t tet[] = {
	{1985, 1, 21}, {1986, 2, 9},  {1987, 1, 29}, {1988, 2, 17}, {1989, 2, 6},  {1990, 1, 27}, {1991, 2, 15},
	{1992, 2, 4},  {1993, 1, 23}, {1994, 2, 10}, {1995, 1, 31}, {1996, 2, 19}, {1997, 2, 7},  {1998, 1, 28},
	{1999, 2, 16}, {2000, 2, 5},  {2001, 1, 24}, {2002, 2, 12}, {2003, 2, 1},  {2004, 1, 22}, {2005, 2, 9},
	{2006, 1, 29}, {2007, 2, 17}, {2008, 2, 7},  {2009, 1, 26}, {2010, 2, 14}, {2011, 2, 3},  {2012, 1, 23},
	{2013, 2, 10}, {2014, 1, 31}, {2015, 2, 19}, {2016, 2, 8},  {2017, 1, 28}, {2018, 2, 16}, {2019, 2, 5},
	{2020, 1, 25}, {2021, 2, 12}, {2022, 2, 1},  {2023, 1, 22}, {2024, 2, 10}, {2025, 1, 29}, {2026, 2, 17},
	{2027, 2, 6},  {2028, 1, 26}, {2029, 2, 13},
	/* the new moon is at 23:07 on 2 February Vietnam time, 00:07 on the 3rd in Beijing: China's
	 * Spring Festival is 3 February, Vietnam's Tết the 2nd */
	{2030, 2, 2},
};

static void expect_lunar(int y, int m, int d, int ly, int lm, int ld, int leap)
{
	lunar_date_t l;
	if (lunar_from_solar(y, m, d, &l) != 0)
		fail_msg("%04d-%02d-%02d: conversion failed", y, m, d);
	if (l.year != ly || l.month != lm || l.day != ld || l.leap != leap)
		fail_msg("%04d-%02d-%02d: expected %d/%d%s/%d, got %d/%d%s/%d", y, m, d, ld, lm, leap ? "+" : "", ly, l.day,
			 l.month, l.leap ? "+" : "", l.year);
	int gy, gm, gd;
	assert_int_equal(lunar_to_solar(&l, &gy, &gm, &gd), 0);
	assert_int_equal(gy, y);
	assert_int_equal(gm, m);
	assert_int_equal(gd, d);
}

static void test_tet_1985_2030(void **state)
{
	assert_int_equal(sizeof(tet) / sizeof(tet[0]), 2030 - 1985 + 1);
	for (size_t i = 0; i < sizeof(tet) / sizeof(tet[0]); i++) {
		const ymd_t *t = &tet[i];
		assert_int_equal(t->y, 1985 + (int)i);
		int day;
		assert_int_equal(lunar_new_year(t->y, &day), 0);
		if (day != civil_days(t->y, t->m, t->d)) {
			char got[11];
			civil_format_date(day, got);
			fail_msg("Tết %d: expected %04d-%02d-%02d, got %s", t->y, t->y, t->m, t->d, got);
		}
		expect_lunar(t->y, t->m, t->d, t->y, 1, 1, 0);
		/* the eve is the last day, 29 or 30, of month 12 of the year before */
		lunar_date_t eve;
		assert_int_equal(lunar_from_days(day - 1, &eve), 0);
		assert_int_equal(eve.year, t->y - 1);
		assert_int_equal(eve.month, 12);
		assert_int_equal(eve.leap, 0);
		assert_int_equal(eve.day, lunar_month_length(day - 1));
	}
}

/* Vietnam counts in UTC+7, China in UTC+8.  1985: the December solstice of 1984 fell at 23:22 on the
 * 21st Vietnam time, 00:22 on the 22nd in Beijing, the day a new moon opened a month; so Vietnam's month
 * 11 was the one before, Tết came a month earlier, and the leap month came after it (month 2 of 1985)
 * where China's was month 10 of 1984.  2007 and 2030: the new moon of Tết falls in the hour before
 * midnight Vietnam time. */
static void test_differs_from_china(void **state)
{
	expect_lunar(1985, 1, 21, 1985, 1, 1, 0);
	expect_lunar(1985, 2, 20, 1985, 2, 1, 0); /* China's Spring Festival 1985 */
	assert_int_equal(lunar_leap_month(1984), 0);
	assert_int_equal(lunar_leap_month(1985), 2);
	expect_lunar(2007, 2, 18, 2007, 1, 2, 0); /* China's 2007 */
	expect_lunar(2030, 2, 3, 2030, 1, 2, 0);  /* China's 2030 */
	/* 1987: the term of 150° fell at 23:09 on 23 August Vietnam time, so the month after it, not the one
	 * before, had no major term: leap month 7 (China: 6) */
	assert_int_equal(lunar_leap_month(1987), 7);
	expect_lunar(1987, 8, 24, 1987, 7, 1, 1);
}

/* Giỗ Tổ Hùng Vương, 10/3 lunar (a day off since 2007). */
static void test_gio_to(void **state)
{
	static const ymd_t v[] = {
		{2019, 4, 14}, {2020, 4, 2}, {2021, 4, 21}, {2022, 4, 10}, {2023, 4, 29}, /* after leap month 2 */
		{2024, 4, 18}, {2025, 4, 7}, {2026, 4, 26}, {2027, 4, 16},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		lunar_date_t l = {v[i].y, 3, 10, 0};
		int y, m, d;
		assert_int_equal(lunar_to_solar(&l, &y, &m, &d), 0);
		if (y != v[i].y || m != v[i].m || d != v[i].d)
			fail_msg("Giỗ Tổ %d: expected %02d-%02d, got %04d-%02d-%02d", v[i].y, v[i].m, v[i].d, y, m, d);
		expect_lunar(v[i].y, v[i].m, v[i].d, v[i].y, 3, 10, 0);
	}
}

static void test_leap_months(void **state)
{
	static const int v[][2] = {
		{2001, 4}, {2004, 2}, {2006, 7}, {2009, 5}, {2012, 4}, {2014, 9}, {2017, 6}, {2020, 4},
		{2023, 2}, {2025, 6}, {2028, 5}, {2024, 0}, {2026, 0}, {2027, 0}, {2033, 11},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (lunar_leap_month(v[i][0]) != v[i][1])
			fail_msg("%d: expected leap month %d, got %d", v[i][0], v[i][1], lunar_leap_month(v[i][0]));
	/* 2025's repeated month 6: 25 June and 25 July both open a month 6 */
	expect_lunar(2025, 6, 25, 2025, 6, 1, 0);
	expect_lunar(2025, 7, 25, 2025, 6, 1, 1);
	expect_lunar(2025, 8, 23, 2025, 7, 1, 0);
	/* 2033's leap month 11 comes before month 12 and belongs to the year it starts in */
	expect_lunar(2033, 12, 22, 2033, 11, 1, 1);
	expect_lunar(2034, 1, 20, 2033, 12, 1, 0);
}

/* Dates people know: Trung thu (15/8), Vu Lan (15/7), and the last day of the year. */
static void test_known_days(void **state)
{
	expect_lunar(2024, 9, 17, 2024, 8, 15, 0);
	expect_lunar(2025, 10, 6, 2025, 8, 15, 0);
	expect_lunar(2025, 9, 6, 2025, 7, 15, 0);
	expect_lunar(2025, 1, 28, 2024, 12, 29, 0); /* Giáp Thìn had no 30 Tết */
	expect_lunar(2024, 2, 9, 2023, 12, 30, 0);
	expect_lunar(2024, 12, 31, 2024, 12, 1, 0);
	expect_lunar(2000, 1, 1, 1999, 11, 25, 0);
}

static void test_invalid(void **state)
{
	lunar_date_t l;
	int y, m, d, day;
	assert_int_equal(lunar_from_solar(2025, 2, 29, &l), -1);
	assert_int_equal(lunar_from_solar(1899, 12, 31, &l), -1);
	assert_int_equal(lunar_from_solar(2200, 1, 1, &l), -1);
	assert_int_equal(lunar_from_solar(1900, 1, 1, &l), 0);
	assert_int_equal(lunar_from_solar(2199, 12, 31, &l), 0);
	lunar_date_t bad[] = {
		{2024, 12, 30, 0}, /* month 12 of Giáp Thìn has 29 days */
		{2024, 6, 1, 1},   /* 2024 repeats no month */
		{2025, 5, 1, 1},   /* 2025 repeats month 6, not 5 */
		{2025, 13, 1, 0}, {2025, 0, 1, 0}, {2025, 1, 0, 0}, {2025, 1, 31, 0}, {1800, 1, 1, 0}, {2300, 1, 1, 0},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (lunar_to_solar(&bad[i], &y, &m, &d) != -1)
			fail_msg("%d/%d%s/%d accepted", bad[i].day, bad[i].month, bad[i].leap ? "+" : "", bad[i].year);
	assert_int_equal(lunar_new_year(1899, &day), -1);
	assert_int_equal(lunar_new_year(2200, &day), -1);
	assert_int_equal(lunar_leap_month(2200), -1);
	assert_int_equal(lunar_month_length(civil_days(2200, 1, 1)), -1);
}

/* Every day 1900–2199: lunar days run 1, 2, … up to a month of 29 or 30 days; months follow each other
 * with one leap month at most a year; each month's first and last days convert back. */
static void test_whole_range(void **state)
{
	int first = civil_days(LUNAR_YEAR_MIN, 1, 1), last = civil_days(LUNAR_YEAR_MAX, 12, 31);
	lunar_date_t prev, cur;
	assert_int_equal(lunar_from_days(first, &prev), 0);
	int leaps = 0, tets = 0;
	for (int day = first + 1; day <= last; day++) {
		assert_int_equal(lunar_from_days(day, &cur), 0);
		if (cur.day == prev.day + 1) {
			assert_true(cur.month == prev.month && cur.leap == prev.leap && cur.year == prev.year);
			prev = cur;
			continue;
		}
		/* a new month: the old one had 29 or 30 days and both ends convert back */
		assert_int_equal(cur.day, 1);
		assert_true(prev.day == 29 || prev.day == 30);
		int back;
		assert_int_equal(lunar_to_days(&prev, &back), 0);
		assert_int_equal(back, day - 1);
		assert_int_equal(lunar_to_days(&cur, &back), 0);
		assert_int_equal(back, day);
		if (cur.leap) {
			assert_true(cur.month == prev.month && !prev.leap && cur.year == prev.year);
			leaps++;
		} else if (cur.month == 1) {
			assert_true(prev.month == 12 && cur.year == prev.year + 1);
			tets++;
		} else {
			assert_int_equal(cur.month, prev.month + 1);
			assert_int_equal(cur.year, prev.year);
		}
		prev = cur;
	}
	assert_int_equal(tets, LUNAR_YEAR_MAX - LUNAR_YEAR_MIN + 1); /* 1900-01-01 is in month 12 of 1899 */
	/* 7 leap months in 19 years (the Metonic cycle) */
	assert_true(leaps >= 300 * 7 / 19 - 2 && leaps <= 300 * 7 / 19 + 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tet_1985_2030), cmocka_unit_test(test_differs_from_china),
		cmocka_unit_test(test_gio_to),        cmocka_unit_test(test_leap_months),
		cmocka_unit_test(test_known_days),    cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_whole_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
