#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static enum log_level log_level = LOG_INFO;
static const char *const log_names[8] = {"emerg", "alert", "crit", "error", "warn", "notice", "info", "debug"};

void log_set_level(enum log_level lvl)
{
	log_level = lvl;
}

void log_utc_stamp(char *out, long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void log_vwrite(enum log_level lvl, const char *rid, const char *fmt, va_list ap)
{
	char line[2048], stamp[24];
	log_utc_stamp(stamp, (long long)time(NULL));
	int n = snprintf(line, sizeof(line), "%s %s [%s] ", stamp, log_names[lvl & 7], rid ? rid : "-");
	if (n < 0)
		return;
	int start = n;
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	if (m < 0)
		return;
	n += m;
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	for (int i = start; i < n; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '?';
	line[n++] = '\n';
	/* one write(2) per line keeps lines whole when several threads log at once */
	ssize_t w = write(STDERR_FILENO, line, (size_t)n);
	(void)w;
}

void log_msg(enum log_level lvl, const char *rid, const char *fmt, ...)
{
	if (lvl > log_level)
		return;
	va_list ap;
	va_start(ap, fmt);
	log_vwrite(lvl, rid, fmt, ap);
	va_end(ap);
}

void fatal(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vwrite(LOG_ERR, NULL, fmt, ap);
	va_end(ap);
	exit(1);
}
