/* arena: bump allocation for one request (or one command).  Everything allocated from it is freed at
 * once by arena_release, so handlers never call free(). */
#ifndef CORE_ARENA_H
#define CORE_ARENA_H
#include <stdarg.h>
#include <stddef.h>

typedef struct arena_chunk arena_chunk_t;
typedef struct arena {
	arena_chunk_t *head;
	size_t used;   /* bytes handed out, for the cap */
	size_t max;    /* allocations past this fail (return NULL) instead of growing without end */
} arena_t;

void arena_init(arena_t *a, size_t max);
void arena_release(arena_t *a);
/* Returns zeroed memory aligned for any type, or NULL when the cap is reached or memory ran out. */
void *arena_alloc(arena_t *a, size_t n);
char *arena_strndup(arena_t *a, const char *s, size_t n);
char *arena_strdup(arena_t *a, const char *s);
char *arena_printf(arena_t *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#endif
