/* cache: rendered public pages kept in memory per URL, with a gzip copy, so a popular page costs about
 * what a static file costs.  Entries are reference-counted because a loop may still be sending one while
 * another thread replaces it.  Any content change bumps a generation that makes every entry stale. */
#ifndef HTTP_CACHE_H
#define HTTP_CACHE_H
#include <stddef.h>
#include <stdint.h>

typedef struct http_cache_entry {
	int refs;           /* atomic */
	unsigned gen;
	uint64_t hash;
	uint64_t expires_ms;
	char *key;
	size_t keylen;
	char *body, *gz;    /* gz may be NULL */
	size_t len, gzlen;
	char etag[20];
	const char *ctype;  /* static string */
	long long article_id;
	struct http_cache_entry *next;
} http_cache_entry_t;

void http_cache_init(size_t max_bytes);
/* A fresh entry for key with one reference for the caller, or NULL. */
http_cache_entry_t *http_cache_get(const char *key, size_t keylen, uint64_t now_ms);
/* Stores a copy of the page; gz (malloc'd, may be NULL) is taken over.  gen is the generation read when
 * the page's rendering started, so a page rendered before an invalidation is never stored as fresh. */
void http_cache_put(const char *key, size_t keylen, unsigned gen, uint64_t expires_ms, const char *body, size_t len,
		    char *gz, size_t gzlen, const char *etag, const char *ctype, long long article_id);
void http_cache_unref(http_cache_entry_t *e);
unsigned http_cache_generation(void);
#endif
