#include "svc/queue.h"

#include <string.h>

#include "svc/civil.h"
#include "svc/dossier.h"

static const struct {
	const char *key, *label;
} queue_names[QUEUE__COUNT] = {
	[QUEUE_NEW] = {"new", "New dossiers"},
	[QUEUE_DUE_TODAY] = {"due_today", "Due today"},
	[QUEUE_DUE_SOON] = {"due_soon", "Due within 2 working days"},
	[QUEUE_OVERDUE] = {"overdue", "Overdue"},
	[QUEUE_WAITING] = {"waiting", "Waiting for the citizen"},
	[QUEUE_PROCESSING] = {"processing", "In progress"},
	[QUEUE_ALL] = {"all", "All dossiers"},
};

const char *queue_key(int q)
{
	return q >= 0 && q < QUEUE__COUNT ? queue_names[q].key : "?";
}

const char *queue_label(int q)
{
	return q >= 0 && q < QUEUE__COUNT ? queue_names[q].label : "?";
}

int queue_from_key(const char *key)
{
	for (int q = 0; key && q < QUEUE__COUNT; q++)
		if (strcmp(key, queue_names[q].key) == 0)
			return q;
	return -1;
}

long long queue_horizon(workday_cal_t *c, long long now, int k)
{
	int day = civil_local_day(now);
	for (int i = 0; i <= k; i++)
		if ((day = workday_next(c, day)) == INT_MIN)
			return -1;
	return civil_local_time(day, 0);
}

int queue_times(workday_cal_t *c, long long now, queue_times_t *t)
{
	t->now = now;
	t->today_end = queue_horizon(c, now, 0);
	t->soon_end = queue_horizon(c, now, QUEUE_SOON_DAYS);
	return t->today_end < 0 || t->soon_end < 0 ? -1 : 0;
}

static int queue_running(int status)
{
	return status == DS_RECEIVED || status == DS_PROCESSING;
}

int queue_has(int q, int status, long long due, const queue_times_t *t)
{
	switch (q) {
	case QUEUE_NEW: return status == DS_NEW;
	case QUEUE_DUE_TODAY: return queue_running(status) && due > 0 && due >= t->now && due < t->today_end;
	case QUEUE_DUE_SOON: return queue_running(status) && due > 0 && due >= t->now && due < t->soon_end;
	case QUEUE_OVERDUE: return queue_running(status) && due > 0 && due < t->now;
	case QUEUE_WAITING: return status == DS_SUPPLEMENT || status == DS_FINANCIAL;
	case QUEUE_PROCESSING: return queue_running(status) || status == DS_DONE;
	case QUEUE_ALL: return 1;
	default: return 0;
	}
}

const char *queue_where(int q, const queue_times_t *t, long long args[2], int *nargs)
{
	*nargs = 0;
	switch (q) {
	case QUEUE_NEW: return "d.status = 1";
	case QUEUE_DUE_TODAY:
	case QUEUE_DUE_SOON:
		args[0] = t->now;
		args[1] = q == QUEUE_DUE_TODAY ? t->today_end : t->soon_end;
		*nargs = 2;
		return "d.status IN (2, 4) AND d.due_at > 0 AND d.due_at >= ? AND d.due_at < ?";
	case QUEUE_OVERDUE:
		args[0] = t->now;
		*nargs = 1;
		return "d.status IN (2, 4) AND d.due_at > 0 AND d.due_at < ?";
	case QUEUE_WAITING: return "d.status IN (5, 6)";
	case QUEUE_PROCESSING: return "d.status IN (2, 4, 9)";
	case QUEUE_ALL: return "1 = 1";
	default: return "1 = 0";
	}
}
