/* libFuzzer target for view/md: the input is Markdown.  Besides memory errors it checks the safety
 * promise of md_render: every '<' in the output opens one of the renderer's own tags, and no href or src
 * starts with a script-capable scheme.  Build and run: see README.md. */
#include "view/md.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const fuzz_tags[] = {
	"p", "em", "strong", "code", "del", "u", "a", "img", "figure", "figcaption", "h2", "h3", "h4", "h5",
	"h6", "blockquote", "ul", "ol", "li", "hr", "pre", "table", "thead", "tbody", "tr", "th", "td", "div", "br",
};

static int fuzz_known_tag(const char *s)
{
	if (*s == '/')
		s++;
	for (size_t i = 0; i < sizeof(fuzz_tags) / sizeof(fuzz_tags[0]); i++) {
		size_t n = strlen(fuzz_tags[i]);
		if (strncmp(s, fuzz_tags[i], n) == 0 && (s[n] == '>' || s[n] == ' '))
			return 1;
	}
	return 0;
}

/* The URL in an attribute value as a browser would judge its scheme: &amp;-style escapes undone,
 * leading blanks/controls dropped, tabs and newlines removed, lowercased. */
static int fuzz_bad_url(const char *v, size_t n)
{
	char u[64];
	size_t k = 0;
	for (size_t i = 0; i < n && k < sizeof(u) - 1; i++) {
		char c = v[i];
		if (c == '&') {
			/* only &amp; and &#39; are produced inside URLs; anything else is a renderer bug */
			if (strncmp(v + i, "&amp;", 5) == 0) {
				i += 4;
			} else if (strncmp(v + i, "&#39;", 5) == 0) {
				i += 4;
				c = '\'';
			} else {
				return 1;
			}
		}
		if ((unsigned char)c <= 0x20 && k == 0)
			continue;
		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		u[k++] = (char)tolower((unsigned char)c);
	}
	u[k] = '\0';
	return strncmp(u, "javascript:", 11) == 0 || strncmp(u, "data:", 5) == 0 ||
	       strncmp(u, "vbscript:", 9) == 0 || strncmp(u, "file:", 5) == 0;
}

static void fuzz_check(const char *html, size_t len)
{
	for (const char *p = html; (p = memchr(p, '<', len - (size_t)(p - html))); p++)
		if (!fuzz_known_tag(p + 1))
			abort();
	static const char *const attrs[] = {" href=\"", " src=\""};
	for (int a = 0; a < 2; a++) {
		size_t an = strlen(attrs[a]);
		for (const char *p = html; (p = strstr(p, attrs[a])); p += an) {
			const char *v = p + an, *q = strchr(v, '"');
			if (!q || fuzz_bad_url(v, (size_t)(q - v)))
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	buf_t out;
	buf_init(&out, 4u << 20);
	if (md_render((const char *)data, size, &out) == 0)
		fuzz_check(buf_cstr(&out), out.len);
	buf_release(&out);
	return 0;
}
