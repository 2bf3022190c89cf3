/* tpl: Mustache-style HTML templates over jansson contexts, escaping by default.
 *
 * Every template is parsed once, at start-up, into a flat node array; rendering walks that array and the
 * json_t context without allocating (numbers are formatted on the stack), so a set can be shared by all
 * worker threads.  Tags:
 *   {{name}} {{a.b.c}}     value, HTML-escaped; integers print without decimals, reals with %g, true as
 *                          "true"; null/false/missing/arrays/objects print nothing
 *   {{{name}}} {{&name}}   value unescaped: only for HTML the server produced itself
 *   {{#name}}…{{/name}}    once per array element (pushed on the context stack), once for any other true
 *                          value (pushed too), skipped for false/null/missing/""/0/[]/{}
 *   {{^name}}…{{/name}}    rendered exactly when {{#name}} would be skipped
 *   {{.}}                  the top of the context stack
 *   {{> dir/name}}         another template of the set, with the current context (depth-limited)
 *   {{_ English text}}     UI string: i18n_get(cat, text trimmed), HTML-escaped (a space must follow _)
 *   {{! comment }}
 * Names resolve as in Mustache: the first segment of a dotted name is looked up from the innermost
 * context outwards; the remaining segments only inside the value found.  Section, inverted, close,
 * partial and comment tags that stand alone on a line take the whole line with them.  There is no
 * set-delimiter tag. */
#ifndef VIEW_TPL_H
#define VIEW_TPL_H
#include "core/buf.h"
#include "view/i18n.h"

#include <jansson.h>

typedef struct tpl_set tpl_set_t;

/* How deep {{> partial}} may nest before rendering fails: stops a template that includes itself. */
#define TPL_MAX_PARTIAL_DEPTH 16

/* Compiles every *.html file found recursively under dir (dot-files and dot-directories skipped); a
 * template's name is its path relative to dir without ".html" ("news/article").  Returns the set, or
 * NULL with *err set to a malloc'd message naming the file and line ("dir/news/x.html:12: unclosed
 * section 'items'"); the caller frees *err.  err may be NULL. */
tpl_set_t *tpl_set_load(const char *dir, char **err);
/* Frees the set and every template in it; NULL is allowed. */
void tpl_set_free(tpl_set_t *set);
/* Renders template name with ctx (may be NULL) into out, translating {{_ }} through cat (may be NULL).
 * Returns 0, or -1 when the template or a partial is missing, partials nest deeper than
 * TPL_MAX_PARTIAL_DEPTH, out hit its cap, or the render ran away (more than 16M node visits and loop
 * iterations: nested loops multiply); out then holds a partial page the caller must not send. */
int tpl_render(const tpl_set_t *set, const char *name, json_t *ctx, const i18n_t *cat, buf_t *out);
/* 1 when the set has a template of that name, else 0. */
int tpl_exists(const tpl_set_t *set, const char *name);
/* Compiles src as a one-off template named "<string>" and renders it (no partials are available).
 * Returns 0, or -1 with *err set to a malloc'd message (parse or render error; err may be NULL). */
int tpl_render_string(const char *src, json_t *ctx, const i18n_t *cat, buf_t *out, char **err);
#endif
