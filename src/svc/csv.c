/* csv: the RFC 4180 reader (see csv.h). */
#include "svc/csv.h"

#include <string.h>

#include "core/buf.h"
#include "core/utf8.h"

void csv_init(csv_t *c, const char *s, size_t n)
{
	c->p = s;
	c->end = s + n;
	c->line = 1;
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		c->p += 3;
}

/* Skips to the start of the next line (after a bad record). */
static void csv_skip_line(csv_t *c)
{
	while (c->p < c->end && *c->p != '\n')
		c->p++;
	if (c->p < c->end) {
		c->p++;
		c->line++;
	}
}

int csv_next(csv_t *c, arena_t *a, char **fields, int *nf, long *line, const char **err)
{
	*nf = 0;
	*err = NULL;
	/* blank lines between records */
	while (c->p < c->end && (*c->p == '\n' || (*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n'))) {
		c->p += *c->p == '\r' ? 2 : 1;
		c->line++;
	}
	if (c->p >= c->end)
		return 0;
	*line = c->line;
	buf_t f;
	buf_init(&f, CSV_MAX_FIELD);
	int end_record = 0;
	for (;;) { /* one field per turn */
		buf_reset(&f);
		int quoted = 0;
		if (c->p < c->end && *c->p == '"') {
			quoted = 1;
			c->p++;
			for (;;) {
				if (c->p >= c->end) {
					*err = "unterminated quoted field";
					goto bad_eof;
				}
				char ch = *c->p++;
				if (ch == '"') {
					if (c->p < c->end && *c->p == '"') {
						c->p++;
						buf_putc(&f, '"');
						continue;
					}
					break;
				}
				if (ch == '\n')
					c->line++;
				buf_putc(&f, ch);
			}
		}
		/* the unquoted field, or what follows the closing quote */
		while (c->p < c->end && *c->p != ',' && *c->p != '\n') {
			if (*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n') {
				c->p++;
				break;
			}
			if (quoted) {
				*err = "text after the closing quote of a field";
				goto bad;
			}
			if (*c->p == '"') {
				*err = "a quote inside an unquoted field (quote the whole field and double the quote)";
				goto bad;
			}
			buf_putc(&f, *c->p++);
		}
		if (c->p >= c->end || *c->p == '\n') {
			end_record = 1;
			if (c->p < c->end) {
				c->p++;
				c->line++;
			}
		} else {
			c->p++; /* the comma */
		}
		if (f.overflow) {
			*err = "a field is too long";
			goto bad_keep;
		}
		if (!utf8_valid(buf_cstr(&f), f.len) || memchr(buf_cstr(&f), '\0', f.len)) {
			*err = "a field is not valid UTF-8 text";
			goto bad_keep;
		}
		if (*nf == CSV_MAX_FIELDS) {
			*err = "too many fields in a record";
			goto bad_keep;
		}
		fields[(*nf)++] = arena_strndup(a, buf_cstr(&f), f.len);
		if (end_record)
			break;
	}
	buf_release(&f);
	return 1;
bad_keep: /* the rest of the record's line is skipped */
	if (!end_record)
		csv_skip_line(c);
	buf_release(&f);
	return -1;
bad:
	csv_skip_line(c);
	buf_release(&f);
	return -1;
bad_eof:
	buf_release(&f);
	return -1;
}

void csv_cell(buf_t *b, const char *s, int last)
{
	int formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r';
	int quote = formula || strpbrk(s, ",\"\r\n;") != NULL || s[0] == ' ';
	if (quote)
		buf_putc(b, '"');
	if (formula)
		buf_putc(b, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	if (quote)
		buf_putc(b, '"');
	buf_puts(b, last ? "\r\n" : ",");
}
