/* `cong calendar`: the working-day calendar from the command line, for checking the computed days off
 * against the announced schedule and for answering "when is this due" without the web interface. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svc/civil.h"
#include "svc/workday.h"

const char calendar_cmd_usage[] =
	"usage: cong calendar YEAR\n"
	"       cong calendar due 'YYYY-MM-DD HH:MM' N\n"
	"\n"
	"The first form prints the days off of YEAR (1900–2199), one a line as YYYY-MM-DD<TAB>name, by date;\n"
	"days off that fall on a weekend are listed too, followed by their compensatory day (Nghỉ bù).\n"
	"The second prints, as YYYY-MM-DD HH:MM, when a dossier received at that local time (Vietnam, UTC+7)\n"
	"with a time limit of N working days falls due: 17:00 on the N-th working day, the day of receipt\n"
	"counting when it came in by 15:00.\n"
	"Both use the computed calendar (Labour Code holidays, lunar dates, compensatory days; see\n"
	"docs/CALENDAR.md), not yet the schedule an administrator announces for the year.\n";

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

/* The overrides of the announced schedule.  None yet: when the admin-edited calendar table lands, read
 * the rows of the years concerned here (from --data DIR) and return them, so that both subcommands see
 * exactly what the portal uses. */
static void calendar_overrides(const workday_override_t **ov, size_t *n)
{
	*ov = NULL;
	*n = 0;
}

static int calendar_year(long year)
{
	const workday_override_t *ov;
	size_t nov;
	calendar_overrides(&ov, &nov);
	workday_cal_t cal;
	workday_cal_init(&cal, ov, nov);
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

static int calendar_due(const char *when, const char *count)
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
	const workday_override_t *ov;
	size_t nov;
	calendar_overrides(&ov, &nov);
	workday_cal_t cal;
	workday_cal_init(&cal, ov, nov);
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
	long year;
	if (argc == 2 && parse_int(argv[1], LUNAR_YEAR_MIN, LUNAR_YEAR_MAX, &year) == 0)
		return calendar_year(year);
	if (argc == 4 && strcmp(argv[1], "due") == 0)
		return calendar_due(argv[2], argv[3]);
	if (argc == 2 && strcmp(argv[1], "due") != 0)
		fprintf(stderr, "cong calendar: bad year '%s': expected %d to %d\n", argv[1], LUNAR_YEAR_MIN,
			LUNAR_YEAR_MAX);
	else if (argc > 1)
		fprintf(stderr, "cong calendar: unexpected arguments\n");
	fputs(calendar_cmd_usage, stderr);
	return 2;
}
