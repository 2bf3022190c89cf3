/* The officers' queues (svc/queue.c): the horizon of "due within k working days" agrees with
 * workday_due_within at every hour around weekends and Tết, the predicate agrees with the states, and the
 * keys round-trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "svc/civil.h"
#include "svc/dossier.h"
#include "svc/queue.h"
#include "svc/workday.h"

#define T(y, m, d, h, mi) civil_local_time(civil_days(y, m, d), (h) * 3600 + (mi) * 60)

static void test_keys(void **state)
{
	(void)state;
	for (int q = 0; q < QUEUE__COUNT; q++)
		assert_int_equal(queue_from_key(queue_key(q)), q);
	assert_int_equal(queue_from_key("nope"), -1);
	assert_int_equal(queue_from_key(NULL), -1);
	assert_string_equal(queue_key(QUEUE__COUNT), "?");
}

static void test_horizon_weekend(void **state)
{
	(void)state;
	workday_cal_t c;
	workday_cal_init(&c, NULL, 0);
	/* Thursday 2025-03-13 10:00: today ends at Friday 00:00, "within 2" at Tuesday 00:00 (Fri, Mon count) */
	long long now = T(2025, 3, 13, 10, 0);
	assert_int_equal(queue_horizon(&c, now, 0), T(2025, 3, 14, 0, 0));
	assert_int_equal(queue_horizon(&c, now, 2), T(2025, 3, 18, 0, 0));
	/* Friday: "today" runs until Monday */
	assert_int_equal(queue_horizon(&c, T(2025, 3, 14, 16, 0), 0), T(2025, 3, 17, 0, 0));
	/* a Saturday too */
	assert_int_equal(queue_horizon(&c, T(2025, 3, 15, 9, 0), 1), T(2025, 3, 18, 0, 0));
}

/* For every hour of a stretch with weekends, Tết 2025 and an override, every due moment of the next
 * days: the time range and workday_due_within say the same. */
static void test_horizon_matches_due_within(void **state)
{
	(void)state;
	workday_override_t ov[] = {{civil_days(2025, 2, 8), 0, NULL}, {civil_days(2025, 2, 12), 1, "Ngày nghỉ thêm"}};
	workday_cal_t c;
	workday_cal_init(&c, ov, 2);
	for (long long now = T(2025, 1, 20, 0, 30); now < T(2025, 2, 20, 0, 0); now += 3 * 3600 + 17 * 60) {
		queue_times_t t;
		assert_int_equal(queue_times(&c, now, &t), 0);
		for (long long due = now - 86400; due < now + 20 * 86400; due += 3600 + 7 * 60) {
			int want0 = workday_due_within(&c, now, due, 0), want2 = workday_due_within(&c, now, due, QUEUE_SOON_DAYS);
			if (queue_has(QUEUE_DUE_TODAY, DS_PROCESSING, due, &t) != want0 ||
			    queue_has(QUEUE_DUE_SOON, DS_RECEIVED, due, &t) != want2)
				fail_msg("now %lld due %lld: today %d/%d, soon %d/%d", now, due,
					 queue_has(QUEUE_DUE_TODAY, DS_PROCESSING, due, &t), want0,
					 queue_has(QUEUE_DUE_SOON, DS_RECEIVED, due, &t), want2);
			/* overdue is dossier_timeliness's overdue */
			assert_int_equal(queue_has(QUEUE_OVERDUE, DS_PROCESSING, due, &t),
					 dossier_timeliness(DS_PROCESSING, due, 0, now) == DT_OVERDUE);
		}
	}
}

static void test_states(void **state)
{
	(void)state;
	workday_cal_t c;
	workday_cal_init(&c, NULL, 0);
	queue_times_t t;
	long long now = T(2025, 3, 13, 10, 0);
	assert_int_equal(queue_times(&c, now, &t), 0);
	long long past = now - 3600, soon = now + 3600;
	for (int s = DS_NEW; s <= DS__MAX; s++) {
		int running = s == DS_RECEIVED || s == DS_PROCESSING;
		assert_int_equal(queue_has(QUEUE_NEW, s, 0, &t), s == DS_NEW);
		assert_int_equal(queue_has(QUEUE_WAITING, s, 0, &t), s == DS_SUPPLEMENT || s == DS_FINANCIAL);
		assert_int_equal(queue_has(QUEUE_PROCESSING, s, soon, &t), running || s == DS_DONE);
		assert_int_equal(queue_has(QUEUE_OVERDUE, s, past, &t), running);
		assert_int_equal(queue_has(QUEUE_DUE_TODAY, s, soon, &t), running);
		assert_int_equal(queue_has(QUEUE_ALL, s, 0, &t), 1);
	}
	/* no due date (a paused clock, a procedure without one) is in no time queue */
	assert_false(queue_has(QUEUE_OVERDUE, DS_PROCESSING, 0, &t));
	assert_false(queue_has(QUEUE_DUE_SOON, DS_PROCESSING, 0, &t));
	/* the SQL conditions take the values the predicate uses */
	long long args[2];
	int n;
	assert_non_null(strstr(queue_where(QUEUE_DUE_SOON, &t, args, &n), "due_at < ?"));
	assert_int_equal(n, 2);
	assert_int_equal(args[0], now);
	assert_int_equal(args[1], t.soon_end);
	queue_where(QUEUE_OVERDUE, &t, args, &n);
	assert_int_equal(n, 1);
	queue_where(QUEUE_NEW, &t, args, &n);
	assert_int_equal(n, 0);
	assert_string_equal(queue_where(99, &t, args, &n), "1 = 0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_horizon_weekend),
		cmocka_unit_test(test_horizon_matches_due_within),
		cmocka_unit_test(test_states),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
