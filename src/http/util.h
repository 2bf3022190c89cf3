/* util: helpers shared by the loop side of the server (gzip, ETags, MIME types). */
#ifndef HTTP_UTIL_H
#define HTTP_UTIL_H
#include <stddef.h>
#include <stdint.h>

/* Gzips n bytes at zlib level (1 fast … 9 small) into a malloc'd buffer.  0, or -1 (nothing allocated). */
int http_gzip(const char *p, size_t n, int level, char **out, size_t *outlen);
uint64_t http_hash64(const void *p, size_t n);
/* Writes a quoted strong ETag for the bytes into out (at least 20 bytes). */
void http_etag(const void *p, size_t n, char *out);
/* MIME type with charset for a file name's extension. */
const char *http_mime(const char *name);
/* Whether a response of this type is worth compressing. */
int http_compressible(const char *content_type);
#endif
