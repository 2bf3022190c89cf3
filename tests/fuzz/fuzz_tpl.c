/* libFuzzer target for view/tpl: the input is up to four templates separated by NUL bytes, named a, b, c
 * and d so that {{> b}} and friends can find each other (and themselves); each is compiled, then rendered
 * against a fixed context with nested objects, arrays, numbers and falsy values.  Build and run: see
 * README.md. */
#define TPL_MAX_STEPS 200000L /* keeps nested loops from turning into libFuzzer timeouts */
#include "../../src/view/tpl.c"

#include <stdint.h>

static json_t *fuzz_ctx;
static i18n_t *fuzz_cat;

#include "../../src/view/i18n.c"

static void fuzz_init(void)
{
	fuzz_ctx = json_loads("{\"s\": \"<b>&'\\\"\", \"n\": 42, \"r\": 2.5, \"t\": true, \"f\": false, \"z\": null,"
			      " \"e\": \"\", \"o\": {\"a\": {\"b\": \"deep\"}, \"s\": \"inner\"}, \"xs\": [1, \"two\","
			      " {\"s\": \"three\", \"xs\": []}], \"ys\": [[1, 2], {}]}",
			      0, NULL);
	static const char po[] = "msgid \"Hello\"\nmsgstr \"Xin chào <&>\"\n";
	fuzz_cat = i18n_parse(po, sizeof(po) - 1, "fuzz.po", NULL);
	if (!fuzz_ctx || !fuzz_cat)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!fuzz_ctx)
		fuzz_init();
	tpl_set_t *set = tpl_set_new();
	if (!set)
		return 0;
	static const char *const names[] = {"a", "b", "c", "d"};
	const char *p = (const char *)data, *end = p + size;
	for (int i = 0; i < 4 && p <= end; i++) {
		const char *z = memchr(p, '\0', (size_t)(end - p));
		size_t n = z ? (size_t)(z - p) : (size_t)(end - p);
		char *err = NULL;
		if (tpl_set_add(set, names[i], p, n, names[i], &err) < 0) {
			/* every failure must explain itself as name:line: message */
			if (!err || strncmp(err, names[i], 1) != 0 || err[1] != ':')
				abort();
		}
		free(err);
		if (!z)
			break;
		p = z + 1;
	}
	buf_t out;
	buf_init(&out, 1u << 20);
	for (int i = 0; i < 4; i++) {
		buf_reset(&out);
		(void)tpl_render(set, names[i], fuzz_ctx, i & 1 ? fuzz_cat : NULL, &out);
	}
	buf_release(&out);
	tpl_set_free(set);

	/* and the one-off path, on the first template alone */
	const char *z = memchr(data, '\0', size);
	size_t n = z ? (size_t)(z - (const char *)data) : size;
	char *src = malloc(n + 1);
	if (src) {
		memcpy(src, data, n);
		src[n] = '\0';
		char *err = NULL;
		buf_init(&out, 1u << 20);
		if (tpl_render_string(src, fuzz_ctx, fuzz_cat, &out, &err) < 0 && !err)
			abort();
		free(err);
		buf_release(&out);
		free(src);
	}
	return 0;
}
