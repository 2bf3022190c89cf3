/* md: Markdown (CommonMark + GitHub tables, strikethrough and URL autolinks) to HTML that is safe to
 * put into a page unescaped.  Article bodies are written by editors whose accounts can be stolen, so the
 * output never carries markup or URLs from the source that could run script. */
#ifndef VIEW_MD_H
#define VIEW_MD_H
#include "core/buf.h"

#include <stddef.h>

/* Appends the HTML for the n bytes of Markdown at src to out.
 * - Raw HTML in the source is escaped, never passed through.
 * - Link and image URLs are kept when relative or http/https/mailto/tel, judged after entity decoding and
 *   after dropping what browsers ignore (leading blanks and controls, tabs and newlines anywhere);
 *   anything else (javascript:, data:, vbscript: …) becomes "#".  Links to http(s) get rel="noopener".
 * - Headings move one level down (# → h2, … ###### stays h6): the page title is the only h1.
 * - Tables are wrapped in <div class="table-wrap">; column alignment is a class align-left|center|right.
 * - An image that is the only thing in its paragraph becomes
 *   <figure class="figure"><img src alt loading="lazy" decoding="async" [srcset]>[<figcaption>title
 *   </figcaption>]</figure>; an image inside running text, a link, a list item or a table cell stays an
 *   inline <img> with the same attributes and its title as title="".  "/media/<name>.jpg" ([A-Za-z0-9_-]
 *   names) gets srcset="/media/<name>-480.jpg 480w, …-960.jpg 960w, …-1600.jpg 1600w".
 * Returns 0, or -1 when out hit its cap or the parser failed (out then holds a partial result). */
int md_render(const char *src, size_t n, buf_t *out);
#endif
