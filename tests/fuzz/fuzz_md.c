/* libFuzzer target for view/md: the input is Markdown.  Besides memory errors it checks the safety
 * promise of md_render: the output parses as the renderer's own tags with quoted attributes and escaped
 * text, and no href or src starts with a script-capable scheme.  Build and run: see README.md. */
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

static int fuzz_known_tag(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(fuzz_tags) / sizeof(fuzz_tags[0]); i++)
		if (strlen(fuzz_tags[i]) == n && memcmp(s, fuzz_tags[i], n) == 0)
			return 1;
	return 0;
}

static int fuzz_known_attr(const char *s, size_t n)
{
	static const char *const attrs[] = {"href", "src", "srcset", "alt", "title", "rel",
					    "loading", "decoding", "class", "start"};
	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
		if (strlen(attrs[i]) == n && memcmp(s, attrs[i], n) == 0)
			return 1;
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

/* Walks the output as HTML: outside tags no raw < > or " may appear; a tag is one of ours with only
 * name="value" attributes whose values hold no < > or "; href and src values pass fuzz_bad_url. */
static void fuzz_check(const char *p, size_t len)
{
	const char *end = p + len;
	while (p < end) {
		if (*p == '>' || *p == '"')
			abort();
		if (*p++ != '<')
			continue;
		if (p < end && *p == '/')
			p++;
		const char *name = p;
		while (p < end && (islower((unsigned char)*p) || isdigit((unsigned char)*p)))
			p++;
		if (!fuzz_known_tag(name, (size_t)(p - name)))
			abort();
		for (;;) {
			if (p >= end)
				abort();
			if (*p == '>') {
				p++;
				break;
			}
			if (*p++ != ' ')
				abort();
			const char *attr = p;
			while (p < end && (islower((unsigned char)*p) || *p == '-'))
				p++;
			size_t an = (size_t)(p - attr);
			if (!an || end - p < 2 || p[0] != '=' || p[1] != '"')
				abort();
			const char *v = p + 2, *q = v;
			while (q < end && *q != '"') {
				if (*q == '<' || *q == '>')
					abort();
				q++;
			}
			if (q >= end || !fuzz_known_attr(attr, an))
				abort();
			if (((an == 4 && memcmp(attr, "href", 4) == 0) || (an == 3 && memcmp(attr, "src", 3) == 0)) &&
			    fuzz_bad_url(v, (size_t)(q - v)))
				abort();
			p = q + 1;
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
