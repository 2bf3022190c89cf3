/* diff: a line-based diff (a longest common subsequence, Hirschberg's linear-space algorithm) for
 * comparing two revisions of an article's text. */
#ifndef NEWS_DIFF_H
#define NEWS_DIFF_H
#include <stddef.h>

#include "core/arena.h"

typedef enum diff_op { DIFF_SAME = 0, DIFF_DEL = 1, DIFF_INS = 2 } diff_op_t;

typedef struct diff_line {
	diff_op_t op;
	const char *text;      /* points into the old text (SAME, DEL) or the new text (INS); not NUL-terminated */
	size_t len;            /* without the line end ("\n" or "\r\n") */
	size_t old_no, new_no; /* 1-based line numbers on each side; 0 on the side the line is not on */
} diff_line_t;

typedef struct diff {
	diff_line_t *lines;    /* in order: reading the SAME+DEL lines gives the old text, SAME+INS the new */
	size_t n;
	size_t added, removed; /* counts of INS and DEL lines */
	int coarse;            /* the changed middle was too large to align: it is shown as all removed, then all added */
} diff_t;

/* Diffs the old text a (an bytes) against the new text b (bn bytes) line by line into *out, allocated
 * from arena (the lines point into a and b, which must outlive *out).  Lines end at '\n'; a '\r' before
 * it is not part of the line; a final line without '\n' counts.  Alignment work is bounded: past
 * DIFF_MAX_CELLS line pairs in the changed middle the result is coarse (still a correct edit script).
 * Returns 0, or -1 when the arena ran out. */
int diff_lines(arena_t *arena, const char *a, size_t an, const char *b, size_t bn, diff_t *out);

#define DIFF_MAX_CELLS (64u * 1000 * 1000)
#endif
