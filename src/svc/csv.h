/* csv: RFC 4180 records, as spreadsheets export them.  Fields are separated by commas, records by CRLF or
 * LF; a field in double quotes may hold commas, line breaks and doubled quotes ("").  A UTF-8 byte order
 * mark at the start is skipped; blank lines are skipped.  The reader is strict where leniency would guess:
 * a quote inside an unquoted field, text after a closing quote, an unterminated quoted field and bytes that
 * are not UTF-8 are errors naming the line. */
#ifndef SVC_CSV_H
#define SVC_CSV_H
#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"

#define CSV_MAX_FIELDS 128
#define CSV_MAX_FIELD (256u * 1024) /* bytes in one field */

typedef struct csv {
	const char *p, *end;
	long line;      /* the line the reader is at (1-based) */
} csv_t;

/* Starts reading the n bytes at s (not copied: they must outlive the reader). */
void csv_init(csv_t *c, const char *s, size_t n);

/* Reads the next record into fields (NUL-terminated copies in the arena, at most CSV_MAX_FIELDS) and sets
 * *nf and *line (the line the record starts on).  1 for a record, 0 at the end, -1 on an error, with *err
 * an English message (static or in the arena) and the reader moved past the bad record, so the caller may
 * report it and go on. */
int csv_next(csv_t *c, arena_t *a, char **fields, int *nf, long *line, const char **err);

/* Appends s as one CSV cell, then "," or, for the last cell of a record, CRLF: quoted when it holds a
 * separator, a quote or a line break; a cell a spreadsheet would take for a formula (= + - @, or a tab/CR
 * that some strip first) gets a leading apostrophe, so an export never runs anything when opened. */
void csv_cell(buf_t *b, const char *s, int last);
#endif
