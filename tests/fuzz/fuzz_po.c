/* libFuzzer target for view/i18n: the input is a .po file.  A catalog that loads must answer lookups
 * for all its msgids without surprises.  Build and run: see README.md. */
#include "../../src/view/i18n.c"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *err = NULL;
	i18n_t *cat = i18n_parse((const char *)data, size, "fuzz.po", &err);
	if (!cat) {
		/* a failure always says where */
		if (!err || strncmp(err, "fuzz.po:", 8) != 0)
			abort();
		free(err);
		return 0;
	}
	size_t seen = 0;
	for (size_t i = 0; i <= cat->mask; i++) {
		const i18n_entry_t *e = &cat->slots[i];
		if (!e->msgid)
			continue;
		seen++;
		if (!*e->msgid || !*e->msgstr || i18n_get(cat, e->msgid) != e->msgstr)
			abort();
	}
	if (seen != i18n_count(cat))
		abort();
	(void)i18n_get(cat, "");
	(void)i18n_get(cat, "Home");
	i18n_free(cat);
	return 0;
}
