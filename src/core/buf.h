/* buf: a growable byte string with a hard cap.  Every append either fits entirely or fails and marks
 * the buffer as overflowed, so a runaway template or request can never eat the machine's memory. */
#ifndef CORE_BUF_H
#define CORE_BUF_H
#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
	char *data;     /* always NUL-terminated when non-NULL */
	size_t len;
	size_t cap;
	size_t max;     /* hard cap on len */
	int overflow;   /* set once an append did not fit; later appends are ignored */
} buf_t;

#define BUF_DEFAULT_MAX (8u << 20)

/* Starts an empty buffer that may grow to max bytes (0 means BUF_DEFAULT_MAX).  No allocation yet. */
void buf_init(buf_t *b, size_t max);
/* Frees the storage; the buffer can be reused after buf_init. */
void buf_release(buf_t *b);
/* Empties the buffer but keeps its storage and cap. */
void buf_reset(buf_t *b);
/* Appends n bytes; returns 0, or -1 when the cap would be exceeded or memory ran out. */
int buf_append(buf_t *b, const void *p, size_t n);
int buf_puts(buf_t *b, const char *s);
int buf_putc(buf_t *b, char c);
int buf_appendf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vappendf(buf_t *b, const char *fmt, va_list ap);
/* Appends text escaped for HTML element content and quoted attribute values (& < > " '). */
int buf_append_html(buf_t *b, const char *s, size_t n);
/* Appends text escaped as the inside of a JSON string. */
int buf_append_json(buf_t *b, const char *s, size_t n);
/* Appends s percent-encoded for a URL query component (RFC 3986 unreserved bytes kept). */
int buf_append_url(buf_t *b, const char *s, size_t n);
/* Returns the contents as a C string ("" for an empty buffer); the buffer keeps ownership. */
const char *buf_cstr(const buf_t *b);
/* Hands the storage to the caller (free() it); the buffer is left empty. */
char *buf_detach(buf_t *b, size_t *len);
#endif
