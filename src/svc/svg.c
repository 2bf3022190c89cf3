#include "svc/svg.h"

#include <stdio.h>
#include <string.h>

#define SVG_W 720
#define SVG_PAD 8
#define SVG_CHAR_W 7 /* the width of an average character at font-size 13, for layout estimates */

/* Each series: a colour with at least 3:1 contrast against white (WCAG non-text contrast), plus its own
 * pattern, so that a grey-scale print or a colour-blind reader can still tell the parts apart (the legend
 * shows the same swatches).  Stripes and hatching are darker than their fill, so the white numbers on
 * a bar keep the fill's contrast (6.4:1 and more); the olive's light dots are faint enough to keep 4.9:1. */
static const struct {
	const char *fill;
	const char *mark; /* the pattern's light marks over the fill; NULL: solid */
} svg_styles[SVG_MAX_SERIES] = {
	{"#1e6b3a", NULL},
	{"#1f5fa8", "<rect width=\"3\" height=\"8\" fill=\"#000000\" fill-opacity=\".4\"/>"},
	{"#a3161a", "<path d=\"M0 4H8M4 0V8\" stroke=\"#000000\" stroke-opacity=\".45\" stroke-width=\"1.5\"/>"},
	{"#5c4d00", "<circle cx=\"4\" cy=\"4\" r=\"1.6\" fill=\"#ffffff\" fill-opacity=\".2\"/>"},
};

/* The number of characters of s for layout: code points, CJK ones counted twice (they are square). */
static int svg_text_w(const char *s)
{
	int w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;
		w += *p >= 0xE3 && *p <= 0xE9 ? 2 : 1; /* U+3000–U+9FFF: CJK */
	}
	return w * SVG_CHAR_W;
}

/* Appends s escaped, cut to at most max characters (the last one "…" when cut). */
static int svg_text(buf_t *b, const char *s, int max)
{
	int n = 0;
	const char *p = s;
	for (; *p; p++)
		if ((*p & 0xC0) != 0x80 && ++n > max)
			break;
	if (!*p)
		return buf_append_html(b, s, strlen(s));
	/* cut before the max-th character, to leave room for the ellipsis */
	n = 0;
	const char *cut = s;
	for (const char *q = s; *q; q++)
		if ((*q & 0xC0) != 0x80 && ++n == max) {
			cut = q;
			break;
		}
	if (buf_append_html(b, s, (size_t)(cut - s)) < 0)
		return -1;
	return buf_puts(b, "…");
}

static int svg_ok(const svg_chart_t *c)
{
	if (!c || !c->id || !c->title || c->ncats < 0 || c->ncats > SVG_MAX_CATS || c->nseries < 1 ||
	    c->nseries > SVG_MAX_SERIES || (c->ncats && (!c->cats || !c->values)) || !c->series)
		return 0;
	for (const char *p = c->id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return 0;
	return *c->id != '\0';
}

static long long svg_val(const svg_chart_t *c, int cat, int s)
{
	long long v = c->values[(size_t)cat * (size_t)c->nseries + (size_t)s];
	return v > 0 ? v : 0;
}

static long long svg_total(const svg_chart_t *c, int cat)
{
	long long t = 0;
	for (int s = 0; s < c->nseries; s++)
		t += svg_val(c, cat, s);
	return t;
}

/* The opening tag, title, desc and pattern definitions. */
static void svg_open(buf_t *b, const svg_chart_t *c, int h)
{
	buf_appendf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart-svg\" role=\"img\" aria-labelledby=\"%s-t%s%s%s\""
		       " viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" font-family=\"system-ui, sans-serif\" font-size=\"13\">",
		    c->id, c->desc ? " " : "", c->desc ? c->id : "", c->desc ? "-d" : "", SVG_W, h, SVG_W, h);
	buf_appendf(b, "<title id=\"%s-t\">", c->id);
	buf_append_html(b, c->title, strlen(c->title));
	buf_puts(b, "</title>");
	if (c->desc) {
		buf_appendf(b, "<desc id=\"%s-d\">", c->id);
		buf_append_html(b, c->desc, strlen(c->desc));
		buf_puts(b, "</desc>");
	}
	buf_puts(b, "<defs>");
	for (int s = 0; s < c->nseries; s++)
		if (svg_styles[s].mark)
			buf_appendf(b, "<pattern id=\"%s-p%d\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\""
				       " patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"%s\"/>%s</pattern>",
				    c->id, s, svg_styles[s].fill, svg_styles[s].mark);
	buf_puts(b, "</defs>");
}

/* The fill attribute's value for series s. */
static void svg_fill(buf_t *b, const svg_chart_t *c, int s)
{
	if (svg_styles[s].mark)
		buf_appendf(b, "url(#%s-p%d)", c->id, s);
	else
		buf_puts(b, svg_styles[s].fill);
}

/* The legend from y; returns its height (0 for a single series, which the title names). */
static int svg_legend(buf_t *b, const svg_chart_t *c, int y, int draw)
{
	if (c->nseries < 2)
		return 0;
	int x = SVG_PAD, rows = 1;
	for (int s = 0; s < c->nseries; s++) {
		int w = 20 + svg_text_w(c->series[s]) + 18;
		if (x > SVG_PAD && x + w > SVG_W - SVG_PAD) {
			x = SVG_PAD;
			rows++;
		}
		int ry = y + (rows - 1) * 22;
		if (draw) {
			buf_appendf(b, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" stroke=\"#1d1d1d\" stroke-width=\".5\" fill=\"", x, ry);
			svg_fill(b, c, s);
			buf_appendf(b, "\"/><text x=\"%d\" y=\"%d\" fill=\"#1d1d1d\">", x + 20, ry + 12);
			buf_append_html(b, c->series[s], strlen(c->series[s]));
			buf_puts(b, "</text>");
		}
		x += w;
	}
	return rows * 22 + 6;
}

/* A bar's part: the rectangle with its tooltip, and its number inside when it fits. */
static void svg_part(buf_t *b, const svg_chart_t *c, int cat, int s, long long v, int x, int y, int w, int h)
{
	buf_appendf(b, "<rect class=\"chart-s%d\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"", s, x, y, w, h);
	svg_fill(b, c, s);
	buf_puts(b, "\"><title>");
	buf_append_html(b, c->cats[cat], strlen(c->cats[cat]));
	if (c->nseries > 1) {
		buf_puts(b, " — ");
		buf_append_html(b, c->series[s], strlen(c->series[s]));
	}
	buf_appendf(b, ": %lld</title></rect>", v);
	char num[24];
	int n = snprintf(num, sizeof(num), "%lld", v);
	if (c->nseries > 1 && w >= n * 8 + 6 && h >= 16) /* one series: the bar's note says it already */
		buf_appendf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#ffffff\" font-weight=\"700\">%s</text>", x + w / 2,
			    y + h / 2 + 5, num);
}

int svg_hbars(buf_t *out, const svg_chart_t *c)
{
	if (!svg_ok(c))
		return -1;
	enum { ROW = 46, BAR = 20, NOTE_W = 130 }; /* room for a note like "89,3% đúng hạn" after the longest bar */
	int legend = svg_legend(out, c, SVG_PAD, 0);
	int h = SVG_PAD + legend + (c->ncats ? c->ncats * ROW : ROW) + SVG_PAD;
	long long max = 1;
	for (int i = 0; i < c->ncats; i++)
		if (svg_total(c, i) > max)
			max = svg_total(c, i);
	double scale = (double)(SVG_W - 2 * SVG_PAD - NOTE_W) / (double)max;
	svg_open(out, c, h);
	svg_legend(out, c, SVG_PAD, 1);
	int y = SVG_PAD + legend;
	for (int i = 0; i < c->ncats; i++, y += ROW) {
		buf_appendf(out, "<g class=\"chart-bar\"><text x=\"%d\" y=\"%d\" fill=\"#1d1d1d\">", SVG_PAD, y + 14);
		if (svg_text_w(c->cats[i]) > SVG_W - 2 * SVG_PAD) { /* cut: the whole name in a tooltip */
			buf_puts(out, "<title>");
			buf_append_html(out, c->cats[i], strlen(c->cats[i]));
			buf_puts(out, "</title>");
		}
		svg_text(out, c->cats[i], SVG_LABEL_MAX);
		buf_puts(out, "</text>");
		int x = SVG_PAD;
		for (int s = 0; s < c->nseries; s++) {
			long long v = svg_val(c, i, s);
			int w = (int)((double)v * scale + 0.5);
			if (v > 0 && w < 1)
				w = 1;
			if (v > 0)
				svg_part(out, c, i, s, v, x, y + 20, w, BAR);
			x += w;
		}
		/* the baseline, so an empty bar still shows where it would be */
		buf_appendf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555555\"/>", SVG_PAD, y + 18, SVG_PAD, y + 42);
		buf_appendf(out, "<text class=\"chart-note\" x=\"%d\" y=\"%d\" fill=\"#1d1d1d\">", x + 6, y + 35);
		if (c->notes && c->notes[i])
			buf_append_html(out, c->notes[i], strlen(c->notes[i]));
		else
			buf_appendf(out, "%lld", svg_total(c, i));
		buf_puts(out, "</text></g>");
	}
	if (!c->ncats)
		buf_appendf(out, "<text x=\"%d\" y=\"%d\" fill=\"#1d1d1d\">—</text>", SVG_PAD, y + 28);
	buf_puts(out, "</svg>");
	return out->overflow ? -1 : 0;
}

int svg_columns(buf_t *out, const svg_chart_t *c)
{
	if (!svg_ok(c))
		return -1;
	enum { PLOT = 160, VALUE = 20, LABEL = 26 };
	int legend = svg_legend(out, c, SVG_PAD, 0);
	int top = SVG_PAD + legend + VALUE, base = top + PLOT;
	int h = base + LABEL + SVG_PAD;
	long long max = 1;
	for (int i = 0; i < c->ncats; i++)
		if (svg_total(c, i) > max)
			max = svg_total(c, i);
	double scale = (double)PLOT / (double)max;
	int slot = c->ncats ? (SVG_W - 2 * SVG_PAD) / c->ncats : SVG_W - 2 * SVG_PAD;
	int bw = slot * 62 / 100;
	if (bw < 2)
		bw = 2;
	svg_open(out, c, h);
	svg_legend(out, c, SVG_PAD, 1);
	for (int i = 0; i < c->ncats; i++) {
		int cx = SVG_PAD + slot * i + slot / 2, x = cx - bw / 2, y = base;
		buf_puts(out, "<g class=\"chart-bar\">");
		for (int s = 0; s < c->nseries; s++) {
			long long v = svg_val(c, i, s);
			int hh = (int)((double)v * scale + 0.5);
			if (v > 0 && hh < 1)
				hh = 1;
			y -= hh;
			if (v > 0)
				svg_part(out, c, i, s, v, x, y, bw, hh);
		}
		buf_appendf(out, "<text class=\"chart-note\" x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#1d1d1d\">", cx, y - 5);
		if (c->notes && c->notes[i])
			buf_append_html(out, c->notes[i], strlen(c->notes[i]));
		else
			buf_appendf(out, "%lld", svg_total(c, i));
		buf_appendf(out, "</text><text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#1d1d1d\">", cx, base + 18);
		int fit = slot / SVG_CHAR_W;
		svg_text(out, c->cats[i], fit < 2 ? 2 : fit > SVG_LABEL_MAX ? SVG_LABEL_MAX : fit);
		buf_puts(out, "</text></g>");
	}
	buf_appendf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555555\"/>", SVG_PAD, base, SVG_W - SVG_PAD, base);
	buf_puts(out, "</svg>");
	return out->overflow ? -1 : 0;
}
