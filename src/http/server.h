/* server: libh2o event loops (one per thread, each with its own SO_REUSEPORT listeners) in front of a
 * worker pool.  Static assets and page-cache hits are answered on the loop; everything else is copied
 * into a job for a worker, whose response is posted back to the loop that owns the connection. */
#ifndef HTTP_SERVER_H
#define HTTP_SERVER_H
#include <stddef.h>

#include "http/http.h"

typedef void (*http_app_fn)(http_request_t *req, http_response_t *res);

typedef struct http_server_opts {
	const char *const *listen; /* "127.0.0.1:8080", "[::1]:8080", ":8080"; NULL-terminated */
	int threads;               /* event loops */
	int workers;               /* worker threads */
	size_t max_body;           /* request bodies above this are refused with 413 */
	int req_timeout_ms;        /* whole request (headers + body) deadline; also keep-alive idle */
	int idle_timeout_ms;       /* HTTP/2 idle */
	int max_connections;       /* per loop; accepted connections beyond are closed at once */
	size_t max_queued_body;    /* bytes of request bodies held by queued or running jobs; beyond: 503 */
	const char *tls_cert, *tls_key; /* PEM files; both set → TLS with HTTP/2 via ALPN */
	const char *static_dir;    /* served under /static/ with content-hashed names, from memory */
	const char *media_dir;     /* served under /media/ by h2o's file handler */
	int page_cache;            /* 0 disables the page cache (benchmarks of uncached rendering) */
	size_t page_cache_bytes;
	const char *access_log;    /* file path, "-" for stdout, NULL for none */
	const char *trusted_proxies; /* comma-separated addresses whose X-Forwarded-For names the client */
	http_app_fn app;           /* runs on a worker */
	db_t *(*worker_db)(void);  /* opens a worker's database connection (called on the worker) */
	/* Fills an error page for a status the loop itself produces (413); runs on a worker-free path, so it
	 * must not touch the database. */
	void (*error_page)(int status, const char *path, buf_t *out);
	void (*on_view)(long long article_id); /* a cached page of an article was served */
} http_server_opts_t;

/* Binds every listener (so a port in use is reported before anything starts), then serves until SIGTERM or
 * SIGINT, lets in-flight requests finish (up to 10 s) and returns 0.  -1 with *err on start-up failure. */
int http_serve(const http_server_opts_t *o, char **err);
/* The hashed URL of a static asset ("css/site.css" → "/static/css/site.3f9a0c1b.css"), or NULL.  Valid after
 * http_static_load. */
const char *http_static_url(const char *name);
int http_static_load(const char *dir, char **err);
/* Drops every cached page: call after any change to published content. */
void http_cache_invalidate(void);
#endif
