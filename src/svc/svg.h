/* svg: bar charts drawn on the server as inline SVG, for pages that must work without JavaScript, print
 * well and pass the CSP (no style attributes: colours are presentation attributes, patterns are <pattern>
 * elements).  Each chart is an image to assistive technology (role="img" named by its <title> and
 * <desc>); series differ by pattern as well as by colour, the legend repeats both, and every bar carries
 * its number as text, so nothing depends on colour alone.  The page shows a table with the same numbers
 * beside the chart.  Every label is escaped; long labels are cut (with "…") and kept whole in a tooltip. */
#ifndef SVC_SVG_H
#define SVC_SVG_H
#include "core/buf.h"

#define SVG_MAX_SERIES 4
#define SVG_MAX_CATS 200
#define SVG_LABEL_MAX 64 /* characters of a category label drawn; the whole label stays in its <title> */

typedef struct svg_chart {
	const char *id;                 /* unique within the page, [a-z0-9-]: the prefix of element ids */
	const char *title;              /* the chart's name (its <title>) */
	const char *desc;               /* what it shows, in a sentence or two (its <desc>); may be NULL */
	int ncats;                      /* bars: 0..SVG_MAX_CATS */
	const char *const *cats;        /* their labels */
	int nseries;                    /* parts stacked in each bar: 1..SVG_MAX_SERIES */
	const char *const *series;      /* their names, for the legend and tooltips */
	const long long *values;        /* ncats × nseries, one bar after another; negatives count as 0 */
	const char *const *notes;       /* optional text after (hbars) or above (columns) each bar, e.g. "83,3%";
					   NULL: the bar's total */
} svg_chart_t;

/* Appends a horizontal stacked bar chart: one bar per category, its label above it, the legend on top
 * (when there are several series).  0, or -1 when out is full or c is malformed (nothing useful drawn). */
int svg_hbars(buf_t *out, const svg_chart_t *c);
/* Appends a column chart: one column per category (stacked when there are several series), the value
 * above it, the label under it.  0 or -1. */
int svg_columns(buf_t *out, const svg_chart_t *c);
#endif
