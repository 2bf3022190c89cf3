/* search/query: the text side of full-text search — the folding fed to SQLite FTS5 (for the indexed text
 * and the query alike), the parser of what a citizen types, the FTS5 MATCH expression built from it, and
 * the highlighting of matched words in the original, accented text.  Nothing here touches the database. */
#ifndef SEARCH_QUERY_H
#define SEARCH_QUERY_H
#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"

#define SEARCH_MAX_QUERY 512  /* bytes of the query that are read; the rest is ignored */
#define SEARCH_MAX_TERMS 16   /* words and phrases; later ones are ignored */

/* Appends the search form of s: utf8_fold (NFC, lowercase, accents off, đ→d), then every run of CJK
 * characters (which has no spaces to split it) becomes its overlapping bigrams, separated by spaces.
 * for_query 0 (indexed text) also emits the run's last character alone, so a one-character query can
 * match it as a prefix; for_query 1 does not (a query's bigrams must be consecutive in the text).
 * Returns 0, or -1 when out hit its cap (nothing appended). */
int search_fold(const char *s, size_t n, int for_query, buf_t *out);

typedef struct search_term {
	const char *raw;    /* as typed (NFC), without quotes or the leading '-' */
	const char *fold;   /* utf8_fold(raw) */
	const char *match;  /* the FTS5 phrase: every token double-quoted, e.g. "hoi nghi" or "省"* */
	int phrase;         /* typed in double quotes */
	int exclude;        /* typed with a leading '-' */
} search_term_t;

typedef struct search_query {
	search_term_t terms[SEARCH_MAX_TERMS];
	int nterms;
	int npos;           /* terms that are not exclusions */
} search_query_t;

/* Parses q (any bytes: it is NFC-cleaned and cut at SEARCH_MAX_QUERY first): words, "quoted phrases"
 * (an unbalanced quote runs to the end), -word and -"phrase" exclusions.  Terms with no searchable
 * characters are dropped.  Everything is allocated from a.  Returns the number of terms, or -1 when the
 * arena is exhausted. */
int search_query_parse(arena_t *a, const char *q, search_query_t *out);

/* The FTS5 MATCH expression of a parsed query — positives ANDed, exclusions under NOT — built only from
 * double-quoted tokens, so no user text is ever read as FTS syntax.  NULL when the query has no positive
 * term (nothing to search for). */
char *search_match_expr(arena_t *a, const search_query_t *q);

/* The query as a user would type it, leaving out term skip (-1 keeps all): for "did you mean" links. */
char *search_query_text(arena_t *a, const search_query_t *q, int skip);

/* Appends text (n bytes, NFC) HTML-escaped, with the words that match the query's positive terms inside
 * <mark>…</mark>.  Matching is on folded words, so "hoi" marks "Hội".  window > 0 cuts out about window
 * bytes around the first match (with "…" at the cuts); 0 keeps the whole text.  Returns the number of
 * marks, or -1 when out hit its cap. */
int search_highlight(const search_query_t *q, const char *text, size_t n, size_t window, buf_t *out);
#endif
