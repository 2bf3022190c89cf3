/* The working-day calendar: the days off of 2025 and 2026 against the announced schedules, compensatory
 * days, overrides, and due dates (weekends, holidays, the 15:00 rule, pauses, year ends); the civil date
 * helpers under it; and `cong calendar` as a user runs it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "svc/civil.h"
#include "svc/workday.h"

#define D(y, m, d) civil_days(y, m, d)
/* Unix time of a local (UTC+7) moment */
#define T(y, m, d, h, mi) civil_local_time(civil_days(y, m, d), (h) * 3600 + (mi) * 60)

typedef struct expect_off {
	int y, m, d;
	const char *name;
} expect_off_t;

static void expect_days_off(workday_cal_t *c, int year, const expect_off_t *e, size_t n)
{
	workday_off_t got[64];
	int k = workday_days_off(c, year, got, 64);
	for (size_t i = 0; i < n || (int)i < k; i++) {
		char g[11] = "-", w[11] = "-";
		if ((int)i < k)
			civil_format_date(got[i].day, g);
		if (i < n)
			civil_format_date(D(e[i].y, e[i].m, e[i].d), w);
		if (i >= n || (int)i >= k || strcmp(g, w) != 0 || strcmp(got[i].name, e[i].name) != 0)
			fail_msg("%d, day off #%zu: expected %s %s, got %s %s", year, i + 1, w, i < n ? e[i].name : "",
				 g, (int)i < k ? got[i].name : "");
	}
}

static void expect_due(workday_cal_t *c, long long received, int n, const workday_pause_t *p, size_t np,
		       const char *want)
{
	long long due = 0;
	char rx[17], got[17];
	civil_format_local(received, rx);
	int rc = workday_due(c, received, n, p, np, &due);
	if (rc != 0)
		fail_msg("received %s + %d: workday_due returned %d", rx, n, rc);
	civil_format_local(due, got);
	if (strcmp(got, want) != 0)
		fail_msg("received %s + %d: expected %s, got %s", rx, n, want, got);
}

/* ---- days off ------------------------------------------------------------------------------------------ */

/* 2025 as announced: Tết 25/1–2/2 (Sat–Sun, the five weekdays 27–31/1: 28 and 29 tháng Chạp, the year
 * having no 30, and 1–3 tháng Giêng), Giỗ Tổ Monday 7/4, 30/4 and 1/5, Quốc khánh 1–2/9 (Mon–Tue).  The
 * defaults give all of it; the one thing they cannot know is the swap of Friday 2/5 with Saturday 26/4. */
static const expect_off_t off_2025[] = {
	{2025, 1, 1, "Tết Dương lịch"},           {2025, 1, 27, "Tết Nguyên Đán"},       {2025, 1, 28, "Tết Nguyên Đán"},
	{2025, 1, 29, "Tết Nguyên Đán"},          {2025, 1, 30, "Tết Nguyên Đán"},       {2025, 1, 31, "Tết Nguyên Đán"},
	{2025, 4, 7, "Giỗ Tổ Hùng Vương"},        {2025, 4, 30, "Ngày Giải phóng miền Nam"},
	{2025, 5, 1, "Ngày Quốc tế Lao động"},    {2025, 9, 1, "Quốc khánh"},            {2025, 9, 2, "Quốc khánh"},
};

static void test_days_off_2025(void **state)
{
	workday_cal_t c;
	workday_cal_init(&c, NULL, 0);
	expect_days_off(&c, 2025, off_2025, sizeof(off_2025) / sizeof(off_2025[0]));
	/* nine days in a row at Tết */
	for (int d = D(2025, 1, 25); d <= D(2025, 2, 2); d++)
		assert_int_equal(workday_is_working(&c, d), 0);
	assert_int_equal(workday_is_working(&c, D(2025, 1, 24)), 1);
	assert_int_equal(workday_is_working(&c, D(2025, 2, 3)), 1);
}

/* The year's schedule laid over the defaults: 2025's swap, and a default day dropped. */
static void test_overrides(void **state)
{
	const workday_override_t ov[] = {
		{D(2025, 5, 2), 1, "Nghỉ hoán đổi (làm bù thứ Bảy 26/4)"},
		{D(2025, 4, 26), 0, NULL},
		{D(2025, 9, 1), 0, NULL},         /* a year whose schedule has 2/9 and 3/9 instead … */
		{D(2025, 9, 3), 1, "Quốc khánh"}, /* … */
		{D(2025, 12, 24), 1, NULL},       /* an extra day off with no name */
		{D(2025, 12, 24), 0, NULL},       /* a second override of the same date: the first counts */
		{D(2026, 1, 2), 1, "Nghỉ hoán đổi"}, /* another year: not in 2025's list */
	};
	workday_cal_t c;
	workday_cal_init(&c, ov, sizeof(ov) / sizeof(ov[0]));
	assert_int_equal(workday_is_working(&c, D(2025, 5, 2)), 0);
	assert_string_equal(workday_off_name(&c, D(2025, 5, 2)), "Nghỉ hoán đổi (làm bù thứ Bảy 26/4)");
	assert_int_equal(workday_is_working(&c, D(2025, 4, 26)), 1); /* a Saturday worked */
	assert_null(workday_off_name(&c, D(2025, 4, 26)));
	assert_int_equal(workday_is_working(&c, D(2025, 9, 1)), 1);
	assert_int_equal(workday_is_working(&c, D(2025, 9, 3)), 0);
	assert_string_equal(workday_off_name(&c, D(2025, 12, 24)), "Ngày nghỉ");
	assert_int_equal(workday_is_working(&c, D(2026, 1, 2)), 0);

	static const expect_off_t want[] = {
		{2025, 1, 1, "Tết Dương lịch"},
		{2025, 1, 27, "Tết Nguyên Đán"},
		{2025, 1, 28, "Tết Nguyên Đán"},
		{2025, 1, 29, "Tết Nguyên Đán"},
		{2025, 1, 30, "Tết Nguyên Đán"},
		{2025, 1, 31, "Tết Nguyên Đán"},
		{2025, 4, 7, "Giỗ Tổ Hùng Vương"},
		{2025, 4, 30, "Ngày Giải phóng miền Nam"},
		{2025, 5, 1, "Ngày Quốc tế Lao động"},
		{2025, 5, 2, "Nghỉ hoán đổi (làm bù thứ Bảy 26/4)"},
		{2025, 9, 2, "Quốc khánh"},
		{2025, 9, 3, "Quốc khánh"},
		{2025, 12, 24, "Ngày nghỉ"},
	};
	expect_days_off(&c, 2025, want, sizeof(want) / sizeof(want[0]));

	/* due dates across the swap: received Tuesday 29/4 at 9:00 with 3 working days, 29/4 counts, 30/4 to
	 * 4/5 are off (with the swapped Friday), then 5/5 and 6/5; received Friday 25/4 after 15:00 with 2,
	 * the worked Saturday 26/4 is the first day and Monday 28/4 the second */
	expect_due(&c, T(2025, 4, 29, 9, 0), 3, NULL, 0, "2025-05-06 17:00");
	expect_due(&c, T(2025, 4, 25, 16, 0), 2, NULL, 0, "2025-04-28 17:00");

	/* too small an array */
	workday_off_t small[4];
	assert_int_equal(workday_days_off(&c, 2025, small, 4), -1);
}

/* 2026 as announced: Tết 14–22/2 (the weekdays 16–20/2: 29 tháng Chạp and 1–4 tháng Giêng, that is 28
 * and 29 tháng Chạp and 1–3 tháng Giêng plus the compensatory day for Sunday 15/2, 28 tháng Chạp); Giỗ Tổ on
 * Sunday 26/4 gives Monday 27/4; 30/4 and 1/5 Thursday and Friday; Quốc khánh Wednesday 2/9 and the day
 * before. */
static void test_days_off_2026(void **state)
{
	static const expect_off_t want[] = {
		{2026, 1, 1, "Tết Dương lịch"},
		{2026, 2, 15, "Tết Nguyên Đán"},
		{2026, 2, 16, "Tết Nguyên Đán"},
		{2026, 2, 17, "Tết Nguyên Đán"},
		{2026, 2, 18, "Tết Nguyên Đán"},
		{2026, 2, 19, "Tết Nguyên Đán"},
		{2026, 2, 20, "Nghỉ bù Tết Nguyên Đán"},
		{2026, 4, 26, "Giỗ Tổ Hùng Vương"},
		{2026, 4, 27, "Nghỉ bù Giỗ Tổ Hùng Vương"},
		{2026, 4, 30, "Ngày Giải phóng miền Nam"},
		{2026, 5, 1, "Ngày Quốc tế Lao động"},
		{2026, 9, 1, "Quốc khánh"},
		{2026, 9, 2, "Quốc khánh"},
	};
	workday_cal_t c;
	workday_cal_init(&c, NULL, 0);
	expect_days_off(&c, 2026, want, sizeof(want) / sizeof(want[0]));
	for (int d = D(2026, 2, 14); d <= D(2026, 2, 22); d++)
		assert_int_equal(workday_is_working(&c, d), 0);
	assert_int_equal(workday_is_working(&c, D(2026, 2, 13)), 1);
	assert_int_equal(workday_is_working(&c, D(2026, 2, 23)), 1);
	for (int d = D(2026, 4, 30); d <= D(2026, 5, 3); d++) /* four days: Thursday to Sunday */
		assert_int_equal(workday_is_working(&c, d), 0);
}

/* The five Tết days rule (the last two days of the year and 1–3 tháng Giêng, weekend days made up
 * after) against the weekdays off of each announced schedule 2020–2026. */
static void test_tet_rule_matches_schedules(void **state)
{
	static const struct {
		int y, m, d[5];
	} v[] = {
		{2020, 1, {23, 24, 27, 28, 29}}, {2021, 2, {10, 11, 12, 15, 16}}, {2022, 0, {0}}, /* Jan–Feb below */
		{2023, 1, {20, 23, 24, 25, 26}}, {2024, 2, {8, 9, 12, 13, 14}},   {2025, 1, {27, 28, 29, 30, 31}},
		{2026, 2, {16, 17, 18, 19, 20}},
	};
	workday_cal_t c;
	workday_cal_init(&c, NULL, 0);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int want[5], tet;
		if (v[i].m == 0) { /* 2022: 31/1–4/2 */
			want[0] = D(2022, 1, 31);
			for (int k = 1; k < 5; k++)
				want[k] = D(2022, 2, k);
		} else {
			for (int k = 0; k < 5; k++)
				want[k] = D(v[i].y, v[i].m, v[i].d[k]);
		}
		assert_int_equal(lunar_new_year(v[i].y, &tet), 0);
		int got = 0;
		for (int d = tet - 12; d <= tet + 12; d++) {
			int w = civil_weekday(d);
			if (w == 0 || w == 6 || workday_is_working(&c, d))
				continue;
			if (got == 5 || d != want[got]) {
				char s[11];
				civil_format_date(d, s);
				fail_msg("Tết %d: %s is off, not in the announced schedule", v[i].y, s);
			}
			got++;
		}
		assert_int_equal(got, 5);
	}
}

/* Holidays on weekends and their compensatory days, as the schedules of 2022–2024 gave them. */
static void test_compensation(void **state)
{
	workday_cal_t c;
	workday_cal_init(&c, NULL, 0);
	/* 2022: 1/1 Saturday → Monday 3/1; Giỗ Tổ Sunday 10/4 → 11/4; 30/4 and 1/5 a weekend → 2/5 and 3/5 */
	assert_string_equal(workday_off_name(&c, D(2022, 1, 3)), "Nghỉ bù Tết Dương lịch");
	assert_string_equal(workday_off_name(&c, D(2022, 4, 11)), "Nghỉ bù Giỗ Tổ Hùng Vương");
	assert_string_equal(workday_off_name(&c, D(2022, 5, 2)), "Nghỉ bù Ngày Giải phóng miền Nam");
	assert_string_equal(workday_off_name(&c, D(2022, 5, 3)), "Nghỉ bù Ngày Quốc tế Lao động");
	assert_int_equal(workday_is_working(&c, D(2022, 5, 4)), 1);
	/* 2023: Giỗ Tổ Saturday 29/4, 30/4 Sunday, 1/5 Monday → 2/5 and 3/5; 2/9 Saturday with 1/9 → 4/9 */
	assert_string_equal(workday_off_name(&c, D(2023, 1, 2)), "Nghỉ bù Tết Dương lịch");
	assert_string_equal(workday_off_name(&c, D(2023, 5, 2)), "Nghỉ bù Giỗ Tổ Hùng Vương");
	assert_string_equal(workday_off_name(&c, D(2023, 5, 3)), "Nghỉ bù Ngày Giải phóng miền Nam");
	assert_string_equal(workday_off_name(&c, D(2023, 9, 1)), "Quốc khánh");
	assert_string_equal(workday_off_name(&c, D(2023, 9, 4)), "Nghỉ bù Quốc khánh");
	/* Quốc khánh's second day: 2021 (2/9 Thursday) the Friday after; 2024 (Monday) the day before is a
	 * Sunday, made up on Tuesday 3/9; 2025 (Tuesday) Monday 1/9 */
	assert_string_equal(workday_off_name(&c, D(2021, 9, 3)), "Quốc khánh");
	assert_int_equal(workday_is_working(&c, D(2021, 9, 1)), 1);
	assert_string_equal(workday_off_name(&c, D(2024, 9, 1)), "Quốc khánh");
	assert_string_equal(workday_off_name(&c, D(2024, 9, 3)), "Nghỉ bù Quốc khánh");
	assert_string_equal(workday_off_name(&c, D(2025, 9, 1)), "Quốc khánh");
	/* plain weekends have no name; out-of-range years are neither working nor named */
	assert_null(workday_off_name(&c, D(2025, 3, 8)));
	assert_null(workday_off_name(&c, D(2025, 3, 10)));
	assert_int_equal(workday_is_working(&c, D(2200, 1, 1)), -1);
	assert_null(workday_off_name(&c, D(1899, 6, 1)));
	workday_off_t off[8];
	assert_int_equal(workday_days_off(&c, 1899, off, 8), -1);
}

static void test_weekends_and_next(void **state)
{
	workday_cal_t c;
	workday_cal_init(&c, NULL, 0);
	assert_int_equal(workday_is_working(&c, D(2025, 3, 7)), 1); /* Friday */
	assert_int_equal(workday_is_working(&c, D(2025, 3, 8)), 0);
	assert_int_equal(workday_is_working(&c, D(2025, 3, 9)), 0);
	assert_int_equal(workday_next(&c, D(2025, 3, 7)), D(2025, 3, 10));
	assert_int_equal(workday_next(&c, D(2026, 2, 13)), D(2026, 2, 23));
	assert_int_equal(workday_next(&c, D(2025, 12, 31)), D(2026, 1, 2));
	assert_int_equal(workday_next(&c, D(2199, 12, 31)), INT_MIN);
}

/* ---- due dates ----------------------------------------------------------------------------------------- */

static void test_due_weekdays(void **state)
{
	workday_cal_t c;
	workday_cal_init(&c, NULL, 0);
	/* Monday 3 March 2025, 9:00: the day of receipt counts */
	expect_due(&c, T(2025, 3, 3, 9, 0), 1, NULL, 0, "2025-03-03 17:00");
	expect_due(&c, T(2025, 3, 3, 9, 0), 3, NULL, 0, "2025-03-05 17:00");
	expect_due(&c, T(2025, 3, 3, 9, 0), 5, NULL, 0, "2025-03-07 17:00");
	expect_due(&c, T(2025, 3, 3, 9, 0), 6, NULL, 0, "2025-03-10 17:00"); /* over the weekend */
	expect_due(&c, T(2025, 3, 3, 9, 0), 15, NULL, 0, "2025-03-21 17:00");
	/* an online submission in the night counts that day */
	expect_due(&c, T(2025, 3, 3, 0, 5), 1, NULL, 0, "2025-03-03 17:00");
}

static void test_due_cutoff(void **state)
{
	workday_cal_t c;
	workday_cal_init(&c, NULL, 0);
	expect_due(&c, T(2025, 3, 3, 14, 59), 1, NULL, 0, "2025-03-03 17:00");
	expect_due(&c, T(2025, 3, 3, 15, 0), 1, NULL, 0, "2025-03-03 17:00"); /* 15:00 is not after 15:00 */
	expect_due(&c, T(2025, 3, 3, 15, 0) + 1, 1, NULL, 0, "2025-03-04 17:00");
	expect_due(&c, T(2025, 3, 3, 16, 30), 2, NULL, 0, "2025-03-05 17:00");
	/* Friday after 15:00, Saturday, Sunday: Monday is the first day */
	expect_due(&c, T(2025, 3, 7, 16, 0), 1, NULL, 0, "2025-03-10 17:00");
	expect_due(&c, T(2025, 3, 8, 10, 0), 1, NULL, 0, "2025-03-10 17:00");
	expect_due(&c, T(2025, 3, 9, 23, 59), 2, NULL, 0, "2025-03-11 17:00");
	/* a holiday counts like a weekend: Giỗ Tổ 7/4/2025 */
	expect_due(&c, T(2025, 4, 7, 9, 0), 1, NULL, 0, "2025-04-08 17:00");
}

static void test_due_holidays_and_year_end(void **state)
{
	workday_cal_t c;
	workday_cal_init(&c, NULL, 0);
	/* the Friday before Tết 2026: that day, then nothing until Monday 23/2 */
	expect_due(&c, T(2026, 2, 13, 10, 0), 2, NULL, 0, "2026-02-23 17:00");
	expect_due(&c, T(2026, 2, 13, 15, 30), 1, NULL, 0, "2026-02-23 17:00");
	expect_due(&c, T(2026, 2, 10, 8, 0), 5, NULL, 0, "2026-02-23 17:00");
	/* year end: 31/12/2025 after 15:00, 1/1/2026 off, so Friday 2/1 is the first day */
	expect_due(&c, T(2025, 12, 31, 16, 0), 1, NULL, 0, "2026-01-02 17:00");
	expect_due(&c, T(2025, 12, 31, 16, 0), 3, NULL, 0, "2026-01-06 17:00");
	expect_due(&c, T(2025, 12, 31, 10, 0), 2, NULL, 0, "2026-01-02 17:00");
	/* 30 working days from mid-December 2025 run into 2026 and through Tết */
	expect_due(&c, T(2025, 12, 15, 9, 0), 30, NULL, 0, "2026-01-26 17:00");
	expect_due(&c, T(2026, 1, 26, 9, 0), 20, NULL, 0, "2026-02-27 17:00");
	/* the time of day is Vietnam's: 23:30 UTC on Sunday 2/3/2025 is 6:30 on Monday */
	expect_due(&c, 1740958200LL, 1, NULL, 0, "2025-03-03 17:00");
	/* and 08:30 UTC on a Monday is 15:30 in Vietnam, after the cut-off */
	expect_due(&c, 1740958200LL + 9 * 3600, 1, NULL, 0, "2025-03-04 17:00");
}

static void test_due_pauses(void **state)
{
	workday_cal_t c;
	workday_cal_init(&c, NULL, 0);
	long long rx = T(2025, 3, 3, 9, 0); /* Monday; without pauses 5 days are due Friday 7/3 */
	/* asked for a supplement Tuesday 10:00, back Thursday 9:00: Tuesday and Wednesday do not count */
	workday_pause_t p1[] = {{T(2025, 3, 4, 10, 0), T(2025, 3, 6, 9, 0)}};
	expect_due(&c, rx, 5, p1, 1, "2025-03-11 17:00");
	/* back on Thursday after 15:00: Thursday does not count either */
	workday_pause_t p2[] = {{T(2025, 3, 4, 10, 0), T(2025, 3, 6, 16, 0)}};
	expect_due(&c, rx, 5, p2, 1, "2025-03-12 17:00");
	/* back on Thursday at 15:00 sharp: it counts */
	workday_pause_t p3[] = {{T(2025, 3, 4, 10, 0), T(2025, 3, 6, 15, 0)}};
	expect_due(&c, rx, 5, p3, 1, "2025-03-11 17:00");
	/* a pause within one morning costs nothing */
	workday_pause_t p4[] = {{T(2025, 3, 4, 9, 0), T(2025, 3, 4, 11, 0)}};
	expect_due(&c, rx, 5, p4, 1, "2025-03-07 17:00");
	/* a pause that starts after 15:00 leaves that day counted: Tuesday counts, Wednesday does not */
	workday_pause_t p5[] = {{T(2025, 3, 4, 16, 0), T(2025, 3, 5, 16, 0)}};
	expect_due(&c, rx, 5, p5, 1, "2025-03-10 17:00");
	/* a pause over a weekend only, and pauses out of order and overlapping */
	workday_pause_t p6[] = {{T(2025, 3, 7, 17, 0), T(2025, 3, 10, 8, 0)}};
	expect_due(&c, rx, 6, p6, 1, "2025-03-10 17:00");
	workday_pause_t p7[] = {{T(2025, 3, 5, 8, 0), T(2025, 3, 6, 9, 0)}, {T(2025, 3, 4, 10, 0), T(2025, 3, 5, 12, 0)}};
	expect_due(&c, rx, 5, p7, 2, "2025-03-11 17:00");
	/* two separate pauses: Tuesday and Thursday lost */
	workday_pause_t p8[] = {{T(2025, 3, 4, 8, 0), T(2025, 3, 4, 16, 0)}, {T(2025, 3, 6, 8, 0), T(2025, 3, 7, 8, 0)}};
	expect_due(&c, rx, 5, p8, 2, "2025-03-11 17:00");
	/* a pause before receipt changes nothing */
	workday_pause_t p9[] = {{T(2025, 2, 1, 8, 0), T(2025, 3, 3, 8, 0)}};
	expect_due(&c, rx, 5, p9, 1, "2025-03-07 17:00");
	/* still waiting for the applicant: no due date; but a pause opened after the time ran out does not
	 * take the due date back */
	long long due = 42;
	workday_pause_t open1[] = {{T(2025, 3, 5, 10, 0), WORKDAY_OPEN}};
	assert_int_equal(workday_due(&c, rx, 5, open1, 1, &due), 1);
	assert_int_equal(due, 42);
	workday_pause_t open2[] = {{T(2025, 3, 7, 17, 30), WORKDAY_OPEN}};
	expect_due(&c, rx, 5, open2, 1, "2025-03-07 17:00");
	/* a pause across Tết: the days off were not going to count anyway */
	workday_pause_t p10[] = {{T(2026, 2, 12, 10, 0), T(2026, 2, 24, 9, 0)}};
	expect_due(&c, T(2026, 2, 9, 9, 0), 5, p10, 1, "2026-02-25 17:00");
}

static void test_due_bad(void **state)
{
	workday_cal_t c;
	workday_cal_init(&c, NULL, 0);
	long long due;
	assert_int_equal(workday_due(&c, T(2025, 3, 3, 9, 0), 0, NULL, 0, &due), -1);
	assert_int_equal(workday_due(&c, T(2025, 3, 3, 9, 0), -3, NULL, 0, &due), -1);
	assert_int_equal(workday_due(&c, T(2025, 3, 3, 9, 0), WORKDAY_MAX_N + 1, NULL, 0, &due), -1);
	assert_int_equal(workday_due(&c, T(2025, 3, 3, 9, 0), 1, NULL, 2, &due), -1);
	assert_int_equal(workday_due(&c, T(2199, 12, 20, 9, 0), 30, NULL, 0, &due), -1);
	assert_int_equal(workday_due(&c, T(2025, 3, 3, 9, 0), WORKDAY_MAX_N, NULL, 0, &due), 0);
}

/* ---- between, within, status --------------------------------------------------------------------------- */

static void test_between(void **state)
{
	workday_cal_t c;
	workday_cal_init(&c, NULL, 0);
	assert_int_equal(workday_between(&c, T(2025, 3, 3, 9, 0), T(2025, 3, 3, 16, 0)), 0);
	assert_int_equal(workday_between(&c, T(2025, 3, 7, 9, 0), T(2025, 3, 10, 9, 0)), 1); /* Friday → Monday */
	assert_int_equal(workday_between(&c, T(2025, 3, 3, 9, 0), T(2025, 3, 7, 9, 0)), 4);
	assert_int_equal(workday_between(&c, T(2025, 3, 10, 9, 0), T(2025, 3, 7, 9, 0)), -1);
	assert_int_equal(workday_between(&c, T(2025, 3, 8, 9, 0), T(2025, 3, 9, 9, 0)), 0); /* weekend */
	assert_int_equal(workday_between(&c, T(2026, 2, 13, 9, 0), T(2026, 2, 23, 9, 0)), 1); /* over Tết */
	assert_int_equal(workday_between(&c, T(2025, 12, 31, 9, 0), T(2026, 1, 2, 9, 0)), 1);
	/* a whole year: 2025 has 250 working days (261 weekdays less 11 holidays on weekdays) */
	assert_int_equal(workday_between(&c, T(2024, 12, 31, 9, 0), T(2025, 12, 31, 9, 0)), 250);
	assert_int_equal(workday_between(&c, T(2199, 12, 31, 9, 0), T(2200, 1, 2, 9, 0)), INT_MIN);
}

static void test_within_and_status(void **state)
{
	workday_cal_t c;
	workday_cal_init(&c, NULL, 0);
	long long due = T(2025, 3, 5, 17, 0); /* Wednesday */
	assert_int_equal(workday_due_within(&c, T(2025, 3, 3, 9, 0), due, 2), 1);
	assert_int_equal(workday_due_within(&c, T(2025, 3, 3, 9, 0), due, 1), 0);
	assert_int_equal(workday_due_within(&c, T(2025, 3, 5, 9, 0), due, 0), 1); /* due today */
	assert_int_equal(workday_due_within(&c, T(2025, 3, 5, 17, 1), due, 5), 0); /* passed */
	/* due on Monday, now Friday: one working day away */
	assert_int_equal(workday_due_within(&c, T(2025, 3, 7, 9, 0), T(2025, 3, 10, 17, 0), 1), 1);

	assert_int_equal(workday_status(T(2025, 3, 4, 16, 0), due), WORKDAY_EARLY);
	assert_int_equal(workday_status(T(2025, 3, 5, 8, 0), due), WORKDAY_ON_TIME);
	assert_int_equal(workday_status(due, due), WORKDAY_ON_TIME);
	assert_int_equal(workday_status(due + 60, due), WORKDAY_LATE);
	assert_int_equal(workday_status(T(2025, 3, 10, 9, 0), due), WORKDAY_LATE);
}

/* ---- civil dates ---------------------------------------------------------------------------------------- */

static void test_civil(void **state)
{
	assert_int_equal(civil_days(1970, 1, 1), 0);
	assert_int_equal(civil_days(1969, 12, 31), -1);
	assert_int_equal(civil_days(2000, 3, 1), 11017);
	assert_int_equal(civil_days(2025, 1, 32), civil_days(2025, 2, 1));
	assert_int_equal(civil_weekday(civil_days(2025, 1, 29)), 3); /* Tết 2025: Wednesday */
	assert_int_equal(civil_weekday(civil_days(1900, 1, 1)), 1);
	assert_int_equal(civil_weekday(civil_days(1969, 12, 28)), 0);
	for (int d = civil_days(1899, 1, 1); d <= civil_days(2201, 1, 1); d++) {
		int y, m, dd;
		civil_date(d, &y, &m, &dd);
		if (!civil_valid(y, m, dd) || civil_days(y, m, dd) != d)
			fail_msg("day %d gave %d-%d-%d", d, y, m, dd);
	}
	assert_false(civil_valid(2100, 2, 29));
	assert_true(civil_valid(2000, 2, 29));
	assert_false(civil_valid(2025, 4, 31));

	/* local time: UTC 16:59:59 is 23:59:59 local, UTC 17:00 the next local day */
	long long t = civil_local_time(civil_days(2025, 1, 1), 0);
	assert_int_equal(t, 1735664400LL); /* 2024-12-31 17:00 UTC */
	assert_int_equal(civil_local_day(t - 1), civil_days(2024, 12, 31));
	assert_int_equal(civil_local_secs(t - 1), 86399);
	assert_int_equal(civil_local_day(t), civil_days(2025, 1, 1));
	assert_int_equal(civil_local_day(-1), 0); /* 1970-01-01 06:59:59 local */
	assert_int_equal(civil_local_day(-7 * 3600), 0);
	assert_int_equal(civil_local_day(-7 * 3600 - 1), -1); /* 1969-12-31 23:59:59 local */
	assert_int_equal(civil_local_secs(-7 * 3600 - 1), 86399);

	long long u;
	int day;
	char s[17];
	assert_int_equal(civil_parse_local("2025-03-03 09:05", &u), 0);
	civil_format_local(u, s);
	assert_string_equal(s, "2025-03-03 09:05");
	assert_int_equal(civil_parse_local("2025-03-03T23:59", &u), 0);
	assert_int_equal(civil_parse_date("2024-02-29", &day), 0);
	civil_format_date(day, s);
	assert_string_equal(s, "2024-02-29");
	const char *bad[] = {"2025-02-29", "2025-3-03", "2025-03-03 ", "25-03-03", "2025/03/03", "", "2025-13-01"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(civil_parse_date(bad[i], &day), -1);
	const char *badt[] = {"2025-03-03", "2025-03-03 24:00", "2025-03-03 9:05", "2025-03-03 09:60",
			      "2025-03-03 09:05:00"};
	for (size_t i = 0; i < sizeof(badt) / sizeof(badt[0]); i++)
		assert_int_equal(civil_parse_local(badt[i], &u), -1);
}

/* ---- the command ---------------------------------------------------------------------------------------- */

/* Runs `cong calendar …` with its standard output captured into out and its standard error dropped. */
static int run_cli(char **argv, int argc, char *out, size_t cap)
{
	fflush(stdout);
	fflush(stderr);
	FILE *tmp = tmpfile(), *null = fopen("/dev/null", "w");
	assert_non_null(tmp);
	assert_non_null(null);
	int saved = dup(1), saved_err = dup(2);
	assert_true(saved >= 0 && saved_err >= 0);
	assert_true(dup2(fileno(tmp), 1) >= 0 && dup2(fileno(null), 2) >= 0);
	int rc = calendar_cmd(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved, 1);
	dup2(saved_err, 2);
	close(saved);
	close(saved_err);
	fclose(null);
	rewind(tmp);
	size_t n = fread(out, 1, cap - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
	return rc;
}

static void test_cli(void **state)
{
	char out[4096];
	char *year[] = {"calendar", "2026", NULL};
	assert_int_equal(run_cli(year, 2, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "2026-01-01\tTết Dương lịch\n2026-02-15\tTết Nguyên Đán\n"));
	assert_non_null(strstr(out, "2026-02-20\tNghỉ bù Tết Nguyên Đán\n"));
	assert_non_null(strstr(out, "2026-09-01\tQuốc khánh\n2026-09-02\tQuốc khánh\n"));
	int lines = 0;
	for (char *p = out; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 13);

	char *due[] = {"calendar", "due", "2026-02-13 15:30", "3", NULL};
	assert_int_equal(run_cli(due, 4, out, sizeof(out)), 0);
	assert_string_equal(out, "2026-02-25 17:00\n");

	char *help[] = {"calendar", "--help", NULL};
	assert_int_equal(run_cli(help, 2, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "usage: cong calendar YEAR"));

	/* mistakes go to standard error with status 2 and print nothing on standard output */
	char *bad1[] = {"calendar", "20x6", NULL};
	char *bad2[] = {"calendar", "due", "2026-02-30 10:00", "3", NULL};
	char *bad3[] = {"calendar", "due", "2026-02-13 10:00", "0", NULL};
	char *bad4[] = {"calendar", NULL};
	char *bad5[] = {"calendar", "1899", NULL};
	assert_int_equal(run_cli(bad1, 2, out, sizeof(out)), 2);
	assert_string_equal(out, "");
	assert_int_equal(run_cli(bad2, 4, out, sizeof(out)), 2);
	assert_int_equal(run_cli(bad3, 4, out, sizeof(out)), 2);
	assert_int_equal(run_cli(bad4, 1, out, sizeof(out)), 2);
	assert_int_equal(run_cli(bad5, 2, out, sizeof(out)), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days_off_2025),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_days_off_2026),
		cmocka_unit_test(test_tet_rule_matches_schedules),
		cmocka_unit_test(test_compensation),
		cmocka_unit_test(test_weekends_and_next),
		cmocka_unit_test(test_due_weekdays),
		cmocka_unit_test(test_due_cutoff),
		cmocka_unit_test(test_due_holidays_and_year_end),
		cmocka_unit_test(test_due_pauses),
		cmocka_unit_test(test_due_bad),
		cmocka_unit_test(test_between),
		cmocka_unit_test(test_within_and_status),
		cmocka_unit_test(test_civil),
		cmocka_unit_test(test_cli),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
