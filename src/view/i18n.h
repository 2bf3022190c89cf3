/* i18n: translation catalogs read from gettext .po files.  The UI is written in English; a catalog maps
 * the English text (msgid) to the request language's text (msgstr).  A catalog is immutable after
 * loading, so any number of worker threads may read it at once. */
#ifndef VIEW_I18N_H
#define VIEW_I18N_H
#include <stddef.h>

typedef struct i18n i18n_t;

/* Reads a .po file: msgid/msgstr pairs, strings split over several "..." lines (concatenated), the C
 * escapes \n \t \r \" \\ \a \b \f \v and octal, # comments (obsolete #~ entries included).  msgctxt is
 * ignored (the entry is keyed by msgid alone); for plural entries msgstr[0] translates msgid.  Fuzzy
 * entries are used; entries with an empty msgstr and the header (empty msgid) are dropped.  When a msgid
 * occurs twice the first translation wins.  Returns the catalog, or NULL with *err set to a malloc'd
 * "path:line: message" (the caller frees it; err may be NULL). */
i18n_t *i18n_load_po(const char *path, char **err);
/* Returns the translation of msgid, or msgid itself when the catalog has none; cat may be NULL (no
 * translation: the English text).  The result lives as long as cat or msgid, whichever it came from. */
const char *i18n_get(const i18n_t *cat, const char *msgid);
/* Number of translated entries (0 for NULL). */
size_t i18n_count(const i18n_t *cat);
/* Frees the catalog; NULL is allowed. */
void i18n_free(i18n_t *cat);
#endif
