/* `cong calendar`: the working-day calendar from the command line, for checking the computed days off
 * against the announced schedule and for answering "when is this due" without the web interface. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/config.h"
#include "db/db.h"
#include "svc/civil.h"
#include "svc/dossier.h"
#include "svc/workday.h"

const char calendar_cmd_usage[] =
	"usage: cong calendar YEAR [--data DIR | --db URL]\n"
	"       cong calendar due 'YYYY-MM-DD HH:MM' N [--data DIR | --db URL]\n"
	"\n"
	"The first form prints the days off of YEAR (1900–2199), one a line as YYYY-MM-DD<TAB>name, by date;\n"
	"days off that fall on a weekend are listed too, followed by their compensatory day (Nghỉ bù).\n"
	"The second prints, as YYYY-MM-DD HH:MM, when a dossier received at that local time (Vietnam, UTC+7)\n"
	"with a time limit of N working days falls due: 17:00 on the N-th working day, the day of receipt\n"
	"counting when it came in by 15:00.\n"
	"Both use the computed calendar (Labour Code holidays, lunar dates, compensatory days; see\n"
	"docs/CALENDAR.md); with --data DIR or --db URL, also the days an administrator announced for the\n"
	"portal (its calendar_days), exactly as the portal counts due dates.\n";

/* Parses a whole decimal number in [lo, hi]; 0 or -1. */
static int parse_int(const char *s, long lo, long hi, long *v)
{
	char *end;
	errno = 0;
	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	long x = strtol(s, &end, 10);
	if (errno || *end || x < lo || x > hi)
		return -1;
	*v = x;
	return 0;
}

/* The portal's database named by --data DIR / --db URL, found as the other commands find it: --db, else
 * CONG_DB (or CONG_DATABASE_URL) or the db setting of DIR/cong.ini, else the SQLite file DIR/cong.db.
 * NULL after saying why. */
static db_t *calendar_open(const char *dir, const char *url)
{
	config_t c;
	config_init(&c);
	char *err = NULL, target[4200];
	int rc = url ? 0 : config_load_env(&c, &err);
	if (rc == 0 && !url && !c.db) {
		snprintf(target, sizeof(target), "%s/cong.ini", dir);
		rc = config_load_file(&c, target, 1, &err);
	}
	if (rc < 0) {
		fprintf(stderr, "cong calendar: %s\n", err);
		free(err);
		config_release(&c);
		return NULL;
	}
	if (url || c.db)
		snprintf(target, sizeof(target), "%s", url ? url : c.db);
	else
		snprintf(target, sizeof(target), "%s/cong.db", dir);
	config_release(&c);
	db_t *db = db_open(target, 0, &err);
	if (!db) {
		fprintf(stderr, "cong calendar: cannot open the portal's database: %s\n", err);
		free(err);
	}
	return db;
}

/* The calendar with the announced schedule of the portal (db), or the computed one alone (db NULL). */
static int calendar_make(db_t *db, arena_t *a, workday_cal_t *cal)
{
	if (!db) {
		workday_cal_init(cal, NULL, 0);
		return 0;
	}
	if (dossier_calendar(db, a, cal) < 0) {
		fprintf(stderr, "cong calendar: cannot read the announced days: %s\n", db_errmsg(db));
		return -1;
	}
	return 0;
}

static int calendar_year(db_t *db, arena_t *a, long year)
{
	workday_cal_t cal;
	if (calendar_make(db, a, &cal) < 0)
		return 1;
	workday_off_t off[WORKDAY_YEAR_MAX + 64];
	int n = workday_days_off(&cal, (int)year, off, sizeof(off) / sizeof(off[0]));
	if (n < 0) {
		fprintf(stderr, "cong calendar: cannot list the days off of %ld\n", year);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		char date[11];
		civil_format_date(off[i].day, date);
		printf("%s\t%s\n", date, off[i].name);
	}
	return 0;
}

static int calendar_due(db_t *db, arena_t *a, const char *when, const char *count)
{
	long long received, due;
	long n;
	if (civil_parse_local(when, &received) < 0) {
		fprintf(stderr, "cong calendar due: bad time '%s': expected 'YYYY-MM-DD HH:MM' (local time)\n", when);
		return 2;
	}
	if (parse_int(count, 1, WORKDAY_MAX_N, &n) < 0) {
		fprintf(stderr, "cong calendar due: bad number of working days '%s': expected 1 to %d\n", count,
			WORKDAY_MAX_N);
		return 2;
	}
	workday_cal_t cal;
	if (calendar_make(db, a, &cal) < 0)
		return 1;
	if (workday_due(&cal, received, (int)n, NULL, 0, &due) != 0) {
		fprintf(stderr, "cong calendar due: '%s' plus %ld working days is outside the calendar (1900–2199)\n",
			when, n);
		return 1;
	}
	char out[17];
	civil_format_local(due, out);
	printf("%s\n", out);
	return 0;
}

int calendar_cmd(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(calendar_cmd_usage, stdout);
			return 0;
		}
	/* --data DIR / --db URL (anywhere): the portal's announced days too */
	const char *dir = NULL, *url = NULL;
	char *args[8];
	int n = 0;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
			dir = argv[++i];
		} else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			url = argv[++i];
		} else if (n < 8) {
			args[n++] = argv[i];
		} else {
			n = 9;
			break;
		}
	}
	long year;
	int rc = -1;
	db_t *db = NULL;
	arena_t a;
	arena_init(&a, 1 << 20);
	if ((dir || url) && !(db = calendar_open(dir, url)))
		rc = 1;
	else if (n == 2 && parse_int(args[1], LUNAR_YEAR_MIN, LUNAR_YEAR_MAX, &year) == 0)
		rc = calendar_year(db, &a, year);
	else if (n == 4 && strcmp(args[1], "due") == 0)
		rc = calendar_due(db, &a, args[2], args[3]);
	if (db)
		db_close(db);
	arena_release(&a);
	if (rc >= 0)
		return rc;
	argc = n;
	argv = args;
	if (argc == 2 && strcmp(argv[1], "due") != 0)
		fprintf(stderr, "cong calendar: bad year '%s': expected %d to %d\n", argv[1], LUNAR_YEAR_MIN,
			LUNAR_YEAR_MAX);
	else if (argc > 1)
		fprintf(stderr, "cong calendar: unexpected arguments\n");
	fputs(calendar_cmd_usage, stderr);
	return 2;
}
