/* utf8: the one place text is checked and normalised.  Everything that enters the program (forms, query
 * strings, imports) passes through utf8_nfc, so the rest of the code may assume valid UTF-8 in NFC;
 * utf8_fold and utf8_slug give the accent-free forms that search and URLs need for Vietnamese. */
#ifndef CORE_UTF8_H
#define CORE_UTF8_H
#include <stddef.h>

#include "core/buf.h"

/* Returns 1 when the n bytes at s are well-formed UTF-8 (no overlongs, surrogates or code points past
 * U+10FFFF), else 0.  NUL bytes are well-formed; reject them yourself where they matter. */
int utf8_valid(const char *s, size_t n);

/* Appends the NFC form of s to out.  Each maximal ill-formed subsequence becomes one U+FFFD; C0 controls
 * other than \t \n \r, and DEL, are dropped.  Returns 0, or -1 when out hit its cap or memory ran out;
 * on -1 nothing has been appended (the buffer is marked overflowed). */
int utf8_nfc(const char *s, size_t n, buf_t *out);

/* Appends the search form of s to out: the input is cleaned as by utf8_nfc, then compatibility-
 * normalised (NFKC: full-width digits and ligatures become ASCII), case-folded, stripped of every
 * combining mark and of default-ignorable code points (soft hyphen, zero-width space), with đ/Đ (and
 * their lookalikes ð/Ð) mapped to d.  Every Vietnamese letter folds to one ASCII letter; text with no
 * Latin letters (Chinese) passes through, NFC.  Apply it to both the indexed text and the query.
 * Returns 0, or -1 as utf8_nfc (nothing appended). */
int utf8_fold(const char *s, size_t n, buf_t *out);

/* Appends a URL slug of s to out: utf8_fold, then runs of [a-z0-9] joined by single '-', with no
 * leading or trailing '-'.  At most max bytes: when longer, the slug is cut at the last '-' within max
 * bytes (dropping that '-'), or at exactly max bytes when the first word alone is longer.  Text with no
 * ASCII letters or digits (Chinese) gives an empty slug, which the caller replaces.  Returns 0, or -1 as
 * utf8_nfc (nothing appended). */
int utf8_slug(const char *s, size_t n, buf_t *out, size_t max);

/* Returns the largest length <= max (and <= n) at which s can be cut without splitting a UTF-8
 * sequence, for snippets and leads.  Bytes that are already ill-formed may be cut anywhere. */
size_t utf8_trunc(const char *s, size_t n, size_t max);
#endif
