/* static: in-memory static assets (see static.c). */
#ifndef HTTP_STATIC_H
#define HTTP_STATIC_H
#include <stddef.h>

typedef struct http_static_file {
	char *name;      /* "css/site.css" */
	char *url;       /* "/static/css/site.3f9a0c1b.css" */
	char *plain_url; /* "/static/css/site.css" */
	char *body, *gz;
	size_t len, gzlen;
	char etag[20];
	const char *ctype;
} http_static_file_t;

/* The asset whose hashed or plain URL is path; *hashed tells which. */
const http_static_file_t *http_static_find(const char *path, size_t len, int *hashed);
#endif
