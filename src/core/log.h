/* log: one line per event on stderr, "2026-11-28T20:58:36Z level [rid] message".  Control characters
 * in messages are replaced so user input can never forge a line. */
#ifndef CORE_LOG_H
#define CORE_LOG_H
enum log_level { LOG_ERR = 3, LOG_WARN = 4, LOG_INFO = 6, LOG_DEBUG = 7 };

void log_set_level(enum log_level lvl);
/* rid may be NULL; it is the request id when the event belongs to a request. */
void log_msg(enum log_level lvl, const char *rid, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Logs and exits with status 1: only for start-up failures and broken invariants. */
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* Writes "YYYY-mm-ddTHH:MM:SSZ" for t into out (at least 21 bytes). */
void log_utc_stamp(char *out, long long t);
#endif
