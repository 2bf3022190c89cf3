/* queue: the officers' work queues over dossiers — new, due today, due within 2 working days, overdue,
 * waiting for the citizen, in progress, all — defined once here, as SQL conditions for the lists and
 * counts and as a plain predicate for code and tests, so that the two cannot disagree.
 *
 * "Due within k working days" is workday_due_within's rule turned into a time range: a due moment d is
 * within k working days of now exactly when now <= d < the start of the (k+1)-th working day after now's
 * local day (queue_horizon).  The clock runs in states 2 (received) and 4 (processing) only, so the
 * time queues hold those; the statutory due_at counts (an apology's new date does not make a dossier
 * less late). */
#ifndef SVC_QUEUE_H
#define SVC_QUEUE_H
#include "svc/workday.h"

enum queue_id {
	QUEUE_NEW,        /* 1 Mới đăng ký: to receive, refuse or ask for a supplement */
	QUEUE_DUE_TODAY,  /* clock running, due before the next working day begins, not past */
	QUEUE_DUE_SOON,   /* clock running, due within QUEUE_SOON_DAYS working days, not past (includes today) */
	QUEUE_OVERDUE,    /* clock running, due moment past */
	QUEUE_WAITING,    /* 5, 6: waiting for the citizen (supplement, financial obligation) */
	QUEUE_PROCESSING, /* 2, 4, 9: received, in processing, done but not yet returned */
	QUEUE_ALL,
	QUEUE__COUNT
};

#define QUEUE_SOON_DAYS 2

/* The moments the time queues compare due dates with, computed once per request. */
typedef struct queue_times {
	long long now;
	long long today_end; /* queue_horizon(now, 0) */
	long long soon_end;  /* queue_horizon(now, QUEUE_SOON_DAYS) */
} queue_times_t;

/* A stable key ("new", "due_today", "due_soon", "overdue", "waiting", "processing", "all") and the
 * English msgid of a queue's name; "?" out of range. */
const char *queue_key(int q);
const char *queue_label(int q);
/* The queue of a key, or -1. */
int queue_from_key(const char *key);

/* The start (Unix time of local midnight) of the (k+1)-th working day after the local day of now: a due
 * moment d lies within k working days of now (workday_due_within) iff now <= d < the horizon.  -1 when
 * the calendar's range ends first. */
long long queue_horizon(workday_cal_t *c, long long now, int k);
/* Fills t for now.  0, or -1 out of the calendar's range. */
int queue_times(workday_cal_t *c, long long now, queue_times_t *t);

/* 1 when a dossier in status with due date due (0 for none) belongs to queue q at t. */
int queue_has(int q, int status, long long due, const queue_times_t *t);
/* The SQL condition of q over the table alias d (dossiers), with ? placeholders whose values go into
 * args (*nargs of them, at most 2), in order.  A static string; "1 = 0" out of range. */
const char *queue_where(int q, const queue_times_t *t, long long args[2], int *nargs);
#endif
