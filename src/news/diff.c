/* diff: line-based LCS.  The common head and tail are taken off first (most revisions change a few
 * lines), then Hirschberg's algorithm aligns the middle in O(n·m) time and O(m) space: a request can
 * compare two 200 KB bodies without a quadratic table. */
#include "news/diff.h"

#include <stdint.h>
#include <string.h>

typedef struct dline {
	const char *p;
	size_t n;
	uint64_t h;
} dline_t;

typedef struct dctx {
	const dline_t *a, *b;
	uint32_t *fwd, *bwd; /* two rows of m+1 scores, reused at every level */
	diff_line_t *out;
	size_t n;
} dctx_t;

static uint64_t diff_hash(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ull;
	}
	return h;
}

/* Splits s into lines (arena array); *count gets their number.  NULL only when the arena ran out. */
static dline_t *diff_split(arena_t *arena, const char *s, size_t n, size_t *count)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n')
			k++;
	if (n && s[n - 1] != '\n')
		k++;
	dline_t *v = arena_alloc(arena, (k ? k : 1) * sizeof(*v));
	if (!v)
		return NULL;
	size_t start = 0, j = 0;
	for (size_t i = 0; i <= n && j < k; i++) {
		if (i == n || s[i] == '\n') {
			size_t len = i - start;
			if (len && s[start + len - 1] == '\r')
				len--;
			v[j].p = s + start;
			v[j].n = len;
			v[j].h = diff_hash(s + start, len);
			j++;
			start = i + 1;
		}
	}
	*count = k;
	return v;
}

static int diff_eq(const dline_t *x, const dline_t *y)
{
	return x->h == y->h && x->n == y->n && memcmp(x->p, y->p, x->n) == 0;
}

static void diff_emit(dctx_t *c, diff_op_t op, const dline_t *l)
{
	diff_line_t *d = &c->out[c->n++];
	d->op = op;
	d->text = l->p;
	d->len = l->n;
}

/* row[j] = LCS length of a[a0..a1) and b[b0..b0+j), for j = 0..m. */
static void diff_forward(const dctx_t *c, size_t a0, size_t a1, size_t b0, size_t b1, uint32_t *row)
{
	size_t m = b1 - b0;
	memset(row, 0, (m + 1) * sizeof(*row));
	for (size_t i = a0; i < a1; i++) {
		uint32_t diag = 0;
		for (size_t j = 1; j <= m; j++) {
			uint32_t up = row[j];
			row[j] = diff_eq(&c->a[i], &c->b[b0 + j - 1]) ? diag + 1 : (up > row[j - 1] ? up : row[j - 1]);
			diag = up;
		}
	}
}

/* row[j] = LCS length of a[a0..a1) and b[b1-j..b1), for j = 0..m (the suffixes, read backwards). */
static void diff_backward(const dctx_t *c, size_t a0, size_t a1, size_t b0, size_t b1, uint32_t *row)
{
	size_t m = b1 - b0;
	memset(row, 0, (m + 1) * sizeof(*row));
	for (size_t i = a1; i-- > a0;) {
		uint32_t diag = 0;
		for (size_t j = 1; j <= m; j++) {
			uint32_t up = row[j];
			row[j] = diff_eq(&c->a[i], &c->b[b1 - j]) ? diag + 1 : (up > row[j - 1] ? up : row[j - 1]);
			diag = up;
		}
	}
}

static void diff_hirschberg(dctx_t *c, size_t a0, size_t a1, size_t b0, size_t b1)
{
	if (a0 == a1) {
		for (size_t j = b0; j < b1; j++)
			diff_emit(c, DIFF_INS, &c->b[j]);
		return;
	}
	if (b0 == b1) {
		for (size_t i = a0; i < a1; i++)
			diff_emit(c, DIFF_DEL, &c->a[i]);
		return;
	}
	if (a1 - a0 == 1) {
		size_t j = b0;
		while (j < b1 && !diff_eq(&c->a[a0], &c->b[j]))
			j++;
		if (j == b1) {
			diff_emit(c, DIFF_DEL, &c->a[a0]);
			for (j = b0; j < b1; j++)
				diff_emit(c, DIFF_INS, &c->b[j]);
			return;
		}
		for (size_t k = b0; k < j; k++)
			diff_emit(c, DIFF_INS, &c->b[k]);
		diff_emit(c, DIFF_SAME, &c->a[a0]);
		for (size_t k = j + 1; k < b1; k++)
			diff_emit(c, DIFF_INS, &c->b[k]);
		return;
	}
	size_t mid = a0 + (a1 - a0) / 2, m = b1 - b0;
	diff_forward(c, a0, mid, b0, b1, c->fwd);
	diff_backward(c, mid, a1, b0, b1, c->bwd);
	size_t best = 0;
	uint32_t score = 0;
	for (size_t j = 0; j <= m; j++) {
		uint32_t s = c->fwd[j] + c->bwd[m - j];
		if (s > score || j == 0) {
			score = s;
			best = j;
		}
	}
	diff_hirschberg(c, a0, mid, b0, b0 + best);
	diff_hirschberg(c, mid, a1, b0 + best, b1);
}

int diff_lines(arena_t *arena, const char *a, size_t an, const char *b, size_t bn, diff_t *out)
{
	memset(out, 0, sizeof(*out));
	size_t n = 0, m = 0;
	dline_t *la = diff_split(arena, a ? a : "", a ? an : 0, &n);
	dline_t *lb = diff_split(arena, b ? b : "", b ? bn : 0, &m);
	if (!la || !lb)
		return -1;
	dctx_t c = {.a = la, .b = lb};
	c.out = arena_alloc(arena, (n + m + 1) * sizeof(*c.out));
	if (!c.out)
		return -1;
	size_t head = 0, tail = 0;
	while (head < n && head < m && diff_eq(&la[head], &lb[head]))
		head++;
	while (tail < n - head && tail < m - head && diff_eq(&la[n - 1 - tail], &lb[m - 1 - tail]))
		tail++;
	for (size_t i = 0; i < head; i++)
		diff_emit(&c, DIFF_SAME, &la[i]);
	size_t a1 = n - tail, b1 = m - tail, mn = b1 - head;
	if ((unsigned long long)(a1 - head) * mn > DIFF_MAX_CELLS) {
		for (size_t i = head; i < a1; i++)
			diff_emit(&c, DIFF_DEL, &la[i]);
		for (size_t j = head; j < b1; j++)
			diff_emit(&c, DIFF_INS, &lb[j]);
		out->coarse = 1;
	} else {
		c.fwd = arena_alloc(arena, (mn + 1) * sizeof(uint32_t));
		c.bwd = arena_alloc(arena, (mn + 1) * sizeof(uint32_t));
		if (!c.fwd || !c.bwd)
			return -1;
		diff_hirschberg(&c, head, a1, head, b1);
	}
	for (size_t i = n - tail; i < n; i++)
		diff_emit(&c, DIFF_SAME, &la[i]);
	/* line numbers on each side */
	size_t on = 0, nn = 0;
	for (size_t i = 0; i < c.n; i++) {
		diff_line_t *d = &c.out[i];
		d->old_no = d->op == DIFF_INS ? 0 : ++on;
		d->new_no = d->op == DIFF_DEL ? 0 : ++nn;
		out->added += d->op == DIFF_INS;
		out->removed += d->op == DIFF_DEL;
	}
	out->lines = c.out;
	out->n = c.n;
	return 0;
}
