/* libFuzzer target: the search query parser, the MATCH expression it builds and the snippet highlighter —
 * whatever a citizen types into the search box. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "search/query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena_t a;
	arena_init(&a, 64u << 20);
	char *q = arena_strndup(&a, (const char *)data, size);
	search_query_t sq;
	if (q && search_query_parse(&a, q, &sq) == 0) {
		char *m = search_match_expr(&a, &sq);
		/* every term is quoted by us: the expression never carries an unbalanced quote */
		if (m) {
			size_t quotes = 0;
			for (const char *p = m; *p; p++)
				quotes += *p == '"';
			if (quotes % 2)
				__builtin_trap();
		}
		buf_t out;
		buf_init(&out, 1 << 20);
		search_highlight(&sq, (const char *)data, size, 200, &out);
		buf_release(&out);
	}
	buf_t f;
	buf_init(&f, 1 << 22);
	search_fold((const char *)data, size, 1, &f);
	buf_release(&f);
	arena_release(&a);
	return 0;
}
