#include "http/cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "http/server.h"
#include "http/util.h"

#define CACHE_BUCKETS 4096
#define CACHE_STRIPES 16

static http_cache_entry_t *cache_buckets[CACHE_BUCKETS];
static pthread_mutex_t cache_locks[CACHE_STRIPES];
static size_t cache_bytes, cache_max; /* guarded by cache_bytes_lock */
static pthread_mutex_t cache_bytes_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned cache_gen;
static unsigned cache_sweep; /* next bucket the evictor looks at */

void http_cache_init(size_t max_bytes)
{
	for (int i = 0; i < CACHE_STRIPES; i++)
		pthread_mutex_init(&cache_locks[i], NULL);
	cache_max = max_bytes;
}

unsigned http_cache_generation(void)
{
	return __atomic_load_n(&cache_gen, __ATOMIC_ACQUIRE);
}

void http_cache_invalidate(void)
{
	__atomic_add_fetch(&cache_gen, 1, __ATOMIC_ACQ_REL);
}

static size_t cache_entry_size(const http_cache_entry_t *e)
{
	return sizeof(*e) + e->keylen + e->len + e->gzlen;
}

void http_cache_unref(http_cache_entry_t *e)
{
	if (e && __atomic_sub_fetch(&e->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		free(e->key);
		free(e->body);
		free(e->gz);
		free(e);
	}
}

static int cache_stale(const http_cache_entry_t *e, uint64_t now_ms)
{
	return e->gen != http_cache_generation() || e->expires_ms <= now_ms;
}

/* Unlinks entries of one bucket that are stale (or all of them when all is set); lock held. */
static size_t cache_drop(unsigned b, uint64_t now_ms, int all)
{
	size_t freed = 0;
	http_cache_entry_t **pp = &cache_buckets[b];
	while (*pp) {
		http_cache_entry_t *e = *pp;
		if (all || cache_stale(e, now_ms)) {
			*pp = e->next;
			freed += cache_entry_size(e);
			http_cache_unref(e);
		} else {
			pp = &e->next;
		}
	}
	return freed;
}

http_cache_entry_t *http_cache_get(const char *key, size_t keylen, uint64_t now_ms)
{
	uint64_t h = http_hash64(key, keylen);
	unsigned b = (unsigned)(h % CACHE_BUCKETS);
	http_cache_entry_t *found = NULL;
	pthread_mutex_lock(&cache_locks[b % CACHE_STRIPES]);
	for (http_cache_entry_t *e = cache_buckets[b]; e; e = e->next) {
		if (e->hash == h && e->keylen == keylen && memcmp(e->key, key, keylen) == 0) {
			if (!cache_stale(e, now_ms)) {
				__atomic_add_fetch(&e->refs, 1, __ATOMIC_ACQ_REL);
				found = e;
			}
			break;
		}
	}
	pthread_mutex_unlock(&cache_locks[b % CACHE_STRIPES]);
	return found;
}

static void cache_account(long long delta)
{
	pthread_mutex_lock(&cache_bytes_lock);
	cache_bytes = (size_t)((long long)cache_bytes + delta);
	pthread_mutex_unlock(&cache_bytes_lock);
}

/* Frees entries that expire before the new one (stale or older pages first), then whole buckets in turn,
 * until the new entry fits the budget. */
static void cache_make_room(size_t need, uint64_t cutoff_ms)
{
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned n = 0; n < CACHE_BUCKETS; n++) {
			pthread_mutex_lock(&cache_bytes_lock);
			int fits = cache_bytes + need <= cache_max;
			unsigned b = cache_sweep++ % CACHE_BUCKETS;
			pthread_mutex_unlock(&cache_bytes_lock);
			if (fits)
				return;
			pthread_mutex_lock(&cache_locks[b % CACHE_STRIPES]);
			size_t freed = cache_drop(b, cutoff_ms, pass == 1);
			pthread_mutex_unlock(&cache_locks[b % CACHE_STRIPES]);
			cache_account(-(long long)freed);
		}
	}
}

void http_cache_put(const char *key, size_t keylen, unsigned gen, uint64_t expires_ms, const char *body, size_t len,
		    char *gz, size_t gzlen, const char *etag, const char *ctype, long long article_id)
{
	http_cache_entry_t *e = calloc(1, sizeof(*e));
	if (!e || (e->key = malloc(keylen)) == NULL || (e->body = malloc(len ? len : 1)) == NULL) {
		if (e)
			free(e->key);
		free(e);
		free(gz);
		return;
	}
	e->refs = 1;
	e->gen = gen;
	e->hash = http_hash64(key, keylen);
	e->expires_ms = expires_ms;
	memcpy(e->key, key, keylen);
	e->keylen = keylen;
	memcpy(e->body, body, len);
	e->len = len;
	e->gz = gz;
	e->gzlen = gz ? gzlen : 0;
	memcpy(e->etag, etag, sizeof(e->etag));
	e->ctype = ctype;
	e->article_id = article_id;
	size_t size = cache_entry_size(e);
	if (size > cache_max / 4) { /* one huge page must not flush the whole cache */
		http_cache_unref(e);
		return;
	}
	cache_make_room(size, expires_ms);
	unsigned b = (unsigned)(e->hash % CACHE_BUCKETS);
	pthread_mutex_lock(&cache_locks[b % CACHE_STRIPES]);
	size_t freed = 0;
	http_cache_entry_t **pp = &cache_buckets[b];
	while (*pp) { /* replace an older copy of the same page */
		http_cache_entry_t *o = *pp;
		if (o->hash == e->hash && o->keylen == keylen && memcmp(o->key, key, keylen) == 0) {
			*pp = o->next;
			freed += cache_entry_size(o);
			http_cache_unref(o);
		} else {
			pp = &o->next;
		}
	}
	e->next = cache_buckets[b];
	cache_buckets[b] = e;
	pthread_mutex_unlock(&cache_locks[b % CACHE_STRIPES]);
	cache_account((long long)size - (long long)freed);
}
