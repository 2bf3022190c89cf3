/* libFuzzer target: the request-body parsers (urlencoded and multipart) and the Cookie header reader —
 * everything here is what a client sends.  The first byte chooses the parser; the rest is the input. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "http/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	arena_t a;
	arena_init(&a, 64u << 20);
	form_t *f = arena_alloc(&a, sizeof(*f));
	const char *in = (const char *)data + 1;
	size_t n = size - 1;
	switch (data[0] % 3) {
	case 0:
		form_parse_urlencoded(&a, in, n, f);
		break;
	case 1: {
		/* boundary: the text up to the first newline (bounded), body: the rest */
		const char *nl = memchr(in, '\n', n < 80 ? n : 80);
		size_t bl = nl ? (size_t)(nl - in) : 0;
		char *boundary = arena_strndup(&a, in, bl);
		form_parse_multipart(&a, in + bl, n - bl, boundary, f);
		break;
	}
	default: {
		http_header_t h = {"cookie", arena_strndup(&a, in, n)};
		http_request_t req = {.arena = &a, .headers = &h, .nheaders = 1};
		http_cookie(&req, "cong");
		http_cookie(&req, "cong_login");
		break;
	}
	}
	/* what came out must be well-formed: every field has a name and a value within the arena's strings */
	for (int i = 0; i < f->n; i++)
		if (!f->fields[i].name || !f->fields[i].value)
			__builtin_trap();
	arena_release(&a);
	return 0;
}
