/* form: request bodies a browser sends — application/x-www-form-urlencoded and multipart/form-data.
 * Everything lands in the request arena; text fields are NFC-normalised, file parts are kept as bytes. */
#ifndef HTTP_FORM_H
#define HTTP_FORM_H
#include <stddef.h>

#include "http/http.h"

#define FORM_MAX_FIELDS 256

typedef struct form_field {
	const char *name;
	const char *value;      /* text (NFC) for ordinary fields; the raw bytes for files */
	size_t len;
	const char *filename;   /* non-NULL for a file part */
	const char *content_type;
} form_field_t;

typedef struct form {
	form_field_t fields[FORM_MAX_FIELDS];
	int n;
} form_t;

/* Parses req's body by its Content-Type into a form allocated from the arena.  NULL when the body is not a
 * form or is malformed (an unterminated multipart body, too many fields). */
form_t *form_parse(http_request_t *req);
/* The first value of name, or NULL. */
const char *form_get(const form_t *f, const char *name);
/* The first file part called name with a non-empty body, or NULL. */
const form_field_t *form_file(const form_t *f, const char *name);
/* Parses "a=1&b=x%20y" (n bytes) into f; used for bodies and by tests.  0 or -1. */
int form_parse_urlencoded(arena_t *a, const char *s, size_t n, form_t *f);
/* Parses a multipart body with the given boundary.  0 or -1. */
int form_parse_multipart(arena_t *a, const char *body, size_t n, const char *boundary, form_t *f);

/* The value of cookie name from the Cookie header, or NULL. */
const char *http_cookie(const http_request_t *req, const char *name);
#endif
