/* diff: the line-based LCS diff used to compare revisions — edit scripts that rebuild both texts, minimal
 * changes for the usual edits, line numbers, line ends, and the bound on alignment work. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "news/diff.h"

/* The diff as a compact string: one char per line (' ' same, '-' removed, '+' added) then the text. */
static const char *script(arena_t *a, const char *x, const char *y, diff_t *d)
{
	assert_int_equal(diff_lines(a, x, strlen(x), y, strlen(y), d), 0);
	buf_t b;
	buf_init(&b, 0);
	for (size_t i = 0; i < d->n; i++)
		buf_appendf(&b, "%c%.*s|", " -+"[d->lines[i].op], (int)d->lines[i].len, d->lines[i].text);
	char *s = arena_strdup(a, buf_cstr(&b));
	buf_release(&b);
	return s;
}

/* Rebuilds the old (side 0) or new (side 1) text from the edit script, lines joined by '\n'. */
static char *rebuild(arena_t *a, const diff_t *d, int side)
{
	buf_t b;
	buf_init(&b, 0);
	int first = 1;
	for (size_t i = 0; i < d->n; i++) {
		if (d->lines[i].op == (side ? DIFF_DEL : DIFF_INS))
			continue;
		buf_appendf(&b, "%s%.*s", first ? "" : "\n", (int)d->lines[i].len, d->lines[i].text);
		first = 0;
	}
	char *s = arena_strdup(a, buf_cstr(&b));
	buf_release(&b);
	return s;
}

static void test_identical_and_empty(void **state)
{
	arena_t a;
	arena_init(&a, 0);
	diff_t d;
	assert_string_equal(script(&a, "a\nb\nc", "a\nb\nc", &d), " a| b| c|");
	assert_int_equal(d.added + d.removed, 0);
	assert_string_equal(script(&a, "", "", &d), "");
	assert_int_equal(d.n, 0);
	assert_string_equal(script(&a, "", "x\ny", &d), "+x|+y|");
	assert_int_equal(d.added, 2);
	assert_string_equal(script(&a, "x\ny\n", "", &d), "-x|-y|");
	assert_int_equal(d.removed, 2);
	assert_int_equal(diff_lines(&a, NULL, 0, "z", 1, &d), 0);
	assert_int_equal(d.added, 1);
	arena_release(&a);
}

static void test_usual_edits(void **state)
{
	arena_t a;
	arena_init(&a, 0);
	diff_t d;
	/* one line changed in the middle */
	assert_string_equal(script(&a, "một\nhai\nba\nbốn", "một\nhai sửa\nba\nbốn", &d), " một|-hai|+hai sửa| ba| bốn|");
	/* inserted and deleted lines */
	assert_string_equal(script(&a, "a\nb\nc", "a\nx\nb\nc", &d), " a|+x| b| c|");
	assert_string_equal(script(&a, "a\nb\nc", "a\nc", &d), " a|-b| c|");
	assert_string_equal(script(&a, "a\nb\nc", "c\nb\na", &d), "-a|-b| c|+b|+a|");
	/* a paragraph moved: the longest common part stays */
	script(&a, "p1\n\np2\n\np3\n\np4", "p1\n\np3\n\np4\n\np2", &d);
	assert_int_equal(d.removed, 2);
	assert_int_equal(d.added, 2);
	arena_release(&a);
}

static void test_line_numbers_and_ends(void **state)
{
	arena_t a;
	arena_init(&a, 0);
	diff_t d;
	/* "\r\n" and "\n" are the same line end; a final line without one counts */
	assert_string_equal(script(&a, "a\r\nb\r\nc", "a\nb\nc\n", &d), " a| b| c|");
	script(&a, "a\nb\nc\nd", "a\nc\nd\ne", &d);
	/* a=1/1, b=2/-, c=3/2, d=4/3, e=-/4 */
	size_t want_old[] = {1, 2, 3, 4, 0}, want_new[] = {1, 0, 2, 3, 4};
	assert_int_equal(d.n, 5);
	for (size_t i = 0; i < d.n; i++) {
		assert_int_equal(d.lines[i].old_no, want_old[i]);
		assert_int_equal(d.lines[i].new_no, want_new[i]);
	}
	/* blank lines are lines */
	assert_string_equal(script(&a, "a\n\nb", "a\nb", &d), " a|-| b|");
	arena_release(&a);
}

/* A small deterministic generator for random texts. */
static unsigned next(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 16) & 0x7fff;
}

static void test_random_texts_rebuild(void **state)
{
	unsigned seed = 7;
	for (int round = 0; round < 300; round++) {
		arena_t a;
		arena_init(&a, 0);
		buf_t x, y;
		buf_init(&x, 0);
		buf_init(&y, 0);
		int nx = (int)(next(&seed) % 40), ny = (int)(next(&seed) % 40);
		for (int i = 0; i < nx; i++)
			buf_appendf(&x, "%s%c", i ? "\n" : "", 'a' + (int)(next(&seed) % 5));
		for (int i = 0; i < ny; i++)
			buf_appendf(&y, "%s%c", i ? "\n" : "", 'a' + (int)(next(&seed) % 5));
		diff_t d;
		assert_int_equal(diff_lines(&a, buf_cstr(&x), x.len, buf_cstr(&y), y.len, &d), 0);
		assert_string_equal(rebuild(&a, &d, 0), buf_cstr(&x));
		assert_string_equal(rebuild(&a, &d, 1), buf_cstr(&y));
		assert_int_equal(d.n - d.added, (size_t)nx);
		assert_int_equal(d.n - d.removed, (size_t)ny);
		/* an LCS is at least as long as any common subsequence we can name: the greedy one */
		size_t same = d.n - d.added - d.removed, greedy = 0, j = 0;
		const char *ys = buf_cstr(&y);
		for (size_t i = 0; i < x.len; i += 2)
			for (size_t k = j; k < y.len; k += 2)
				if (ys[k] == buf_cstr(&x)[i]) {
					greedy++;
					j = k + 2;
					break;
				}
		assert_true(same >= greedy);
		buf_release(&x);
		buf_release(&y);
		arena_release(&a);
	}
}

static void test_minimal_on_known_case(void **state)
{
	arena_t a;
	arena_init(&a, 0);
	diff_t d;
	/* LCS of ABCBDAB and BDCABA is 4 long */
	script(&a, "A\nB\nC\nB\nD\nA\nB", "B\nD\nC\nA\nB\nA", &d);
	assert_int_equal(d.n - d.added - d.removed, 4);
	assert_int_equal(d.removed, 3);
	assert_int_equal(d.added, 2);
	arena_release(&a);
}

static void test_large_texts(void **state)
{
	arena_t a;
	arena_init(&a, 0);
	buf_t x, y;
	buf_init(&x, 0);
	buf_init(&y, 0);
	/* 20 000 lines with a few changes: the common head and tail make it cheap */
	for (int i = 0; i < 20000; i++) {
		buf_appendf(&x, "dòng %d\n", i);
		buf_appendf(&y, i == 10000 ? "dòng đã sửa %d\n" : "dòng %d\n", i);
	}
	diff_t d;
	assert_int_equal(diff_lines(&a, buf_cstr(&x), x.len, buf_cstr(&y), y.len, &d), 0);
	assert_int_equal(d.added, 1);
	assert_int_equal(d.removed, 1);
	assert_false(d.coarse);
	/* everything different: more line pairs than the bound → coarse, still a correct script */
	buf_reset(&y);
	for (int i = 0; i < 20000; i++)
		buf_appendf(&y, "khác %d\n", i);
	assert_int_equal(diff_lines(&a, buf_cstr(&x), x.len, buf_cstr(&y), y.len, &d), 0);
	assert_true(d.coarse);
	assert_int_equal(d.removed, 20000);
	assert_int_equal(d.added, 20000);
	assert_string_equal(rebuild(&a, &d, 1), arena_strndup(&a, buf_cstr(&y), y.len - 1));
	buf_release(&x);
	buf_release(&y);
	arena_release(&a);
}

static void test_arena_cap(void **state)
{
	arena_t a;
	arena_init(&a, 1024); /* far too small for the line tables */
	buf_t x;
	buf_init(&x, 0);
	for (int i = 0; i < 2000; i++)
		buf_appendf(&x, "%d\n", i);
	diff_t d;
	assert_int_equal(diff_lines(&a, buf_cstr(&x), x.len, "y", 1, &d), -1);
	buf_release(&x);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identical_and_empty),
		cmocka_unit_test(test_usual_edits),
		cmocka_unit_test(test_line_numbers_and_ends),
		cmocka_unit_test(test_random_texts_rebuild),
		cmocka_unit_test(test_minimal_on_known_case),
		cmocka_unit_test(test_large_texts),
		cmocka_unit_test(test_arena_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
