/* server: libh2o loops + worker pool.  See server.h for the shape; the rules that keep it correct:
 *  - a loop never blocks: it answers static files and cache hits, and hands everything else to a worker
 *    as a job holding a plain copy of the request;
 *  - a worker never touches h2o: it posts the finished job back to the owning loop's queue;
 *  - a job outlives whichever of (the h2o request, the worker) finishes first: both ends run their
 *    bookkeeping on the loop thread, so two flags suffice and no lock is needed. */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <h2o.h>
#include <h2o/http2.h>

#include "core/log.h"
#include "db/db.h"
#include "http/cache.h"
#include "http/static.h"
#include "http/util.h"

#define SRV_MAX_LISTEN 8
#define SRV_MAX_THREADS 64

typedef struct srv_thread srv_thread_t;

typedef struct srv_job {
	h2o_multithread_message_t msg; /* links the job into the loop's reply queue */
	struct srv_job *next;          /* worker queue */
	srv_thread_t *thread;
	h2o_req_t *req;                /* NULL once h2o has disposed of the request */
	int worker_done;
	unsigned gen;                  /* cache generation when the job was queued */
	uint64_t start_ms;
	char *cache_key;
	size_t cache_keylen;
	int accepts_gzip;
	arena_t arena;
	http_request_t hreq;
	http_response_t hres;
	char *gz;
	size_t gzlen;
	char etag[20];
	size_t body_bytes; /* counted in srv_queued_body while the job lives */
} srv_job_t;

struct srv_thread {
	int idx;
	pthread_t tid;
	h2o_context_t ctx;
	h2o_accept_ctx_t accept_ctx;
	h2o_socket_t *listeners[SRV_MAX_LISTEN];
	int fds[SRV_MAX_LISTEN];
	int nlisten;
	h2o_multithread_queue_t *queue;
	h2o_multithread_receiver_t replies;
	unsigned long long seq;
	int inflight;     /* requests not yet disposed by h2o */
	int connections;
	int stopping;
	uint64_t stop_at_ms;
	buf_t log;             /* access log lines not yet written */
	uint64_t log_flushed_ms;
	long long stamp_sec;   /* the second stamp[] was formatted for */
	char stamp[24];
};

static const http_server_opts_t *srv_opts;
static h2o_globalconf_t srv_config;
static srv_thread_t srv_threads[SRV_MAX_THREADS];
static int srv_nthreads;
static volatile sig_atomic_t srv_stop;
static int srv_access_fd = -1;
static const char srv_csp[] = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
			      "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/* ---- worker pool --------------------------------------------------------------------------------- */

/* Request bodies copied into jobs that are queued or running, in bytes.  Past max_queued_body a new request
 * with a body is answered 503 at once: a burst of large uploads must not take all the memory. */
static size_t srv_queued_body;

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_cond = PTHREAD_COND_INITIALIZER;
static srv_job_t *pool_head, *pool_tail;
static int pool_quit;
static pthread_t *pool_tids;

static void pool_push(srv_job_t *job)
{
	pthread_mutex_lock(&pool_lock);
	job->next = NULL;
	if (pool_tail)
		pool_tail->next = job;
	else
		pool_head = job;
	pool_tail = job;
	pthread_cond_signal(&pool_cond);
	pthread_mutex_unlock(&pool_lock);
}

static srv_job_t *pool_pop(void)
{
	pthread_mutex_lock(&pool_lock);
	while (!pool_head && !pool_quit)
		pthread_cond_wait(&pool_cond, &pool_lock);
	srv_job_t *job = pool_head;
	if (job) {
		pool_head = job->next;
		if (!pool_head)
			pool_tail = NULL;
	}
	pthread_mutex_unlock(&pool_lock);
	return job;
}

static uint64_t srv_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void *pool_main(void *arg)
{
	db_t *db = srv_opts->worker_db ? srv_opts->worker_db() : NULL;
	srv_job_t *job;
	while ((job = pool_pop()) != NULL) {
		job->hreq.db = db;
		buf_init(&job->hres.body, 0);
		job->hres.status = 200;
		job->hres.content_type = "text/html; charset=utf-8";
		srv_opts->app(&job->hreq, &job->hres);
		if (job->hres.body.overflow) {
			log_msg(LOG_ERR, job->hreq.rid, "response body over its cap for %s", job->hreq.path);
			buf_reset(&job->hres.body);
			job->hres.status = 500;
			job->hres.cache_ttl = 0;
			buf_puts(&job->hres.body, "internal error");
		}
		/* compressing and hashing here keeps that work off the loops */
		if (job->hres.status == 200 && job->hres.body.len > 0)
			http_etag(job->hres.body.data, job->hres.body.len, job->etag);
		/* a page for the cache is compressed well once for all its readers; a page for one client who
		 * asked for gzip is compressed fast; nobody else's time goes into compression */
		int for_cache = job->hres.cache_ttl > 0 && job->hres.status == 200 && job->cache_key;
		if ((job->accepts_gzip || for_cache) && job->hres.body.len > 512 && http_compressible(job->hres.content_type))
			http_gzip(job->hres.body.data, job->hres.body.len, for_cache ? 6 : 1, &job->gz, &job->gzlen);
		h2o_multithread_send_message(&job->thread->replies, &job->msg);
	}
	db_close(db);
	return NULL;
}

/* ---- responses ----------------------------------------------------------------------------------- */

static void srv_security_headers(h2o_req_t *req)
{
	h2o_headers_t *h = &req->res.headers;
	h2o_mem_pool_t *p = &req->pool;
	h2o_add_header_by_str(p, h, H2O_STRLIT("content-security-policy"), 0, NULL, srv_csp, sizeof(srv_csp) - 1);
	h2o_add_header_by_str(p, h, H2O_STRLIT("x-content-type-options"), 0, NULL, H2O_STRLIT("nosniff"));
	h2o_add_header_by_str(p, h, H2O_STRLIT("referrer-policy"), 0, NULL, H2O_STRLIT("strict-origin-when-cross-origin"));
	h2o_add_header_by_str(p, h, H2O_STRLIT("x-frame-options"), 0, NULL, H2O_STRLIT("DENY"));
	if (srv_opts->tls_cert)
		h2o_add_header(p, h, H2O_TOKEN_STRICT_TRANSPORT_SECURITY, NULL, H2O_STRLIT("max-age=31536000"));
}

static srv_thread_t *srv_thread_of(h2o_req_t *req)
{
	for (int i = 0; i < srv_nthreads; i++)
		if (&srv_threads[i].ctx == req->conn->ctx)
			return &srv_threads[i];
	return &srv_threads[0];
}

/* Writes a loop's buffered access log lines: one write(2) per batch, no lock (O_APPEND keeps batches whole). */
static void srv_log_flush(srv_thread_t *t)
{
	if (t->log.len && srv_access_fd >= 0) {
		ssize_t w = write(srv_access_fd, t->log.data, t->log.len);
		(void)w;
	}
	buf_reset(&t->log);
	t->log_flushed_ms = srv_now_ms();
}

/* 1 when addr is one of the comma-separated addresses in list. */
static int srv_listed(const char *list, const char *addr)
{
	size_t n = strlen(addr);
	for (const char *p = list; p && *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t l = strcspn(p, ", ");
		if (l == n && l && memcmp(p, addr, n) == 0)
			return 1;
		p += l;
	}
	return 0;
}

/* The client's numeric address into out (NI_MAXHOST bytes: getnameinfo may use all of it), "-" when unknown.
 * Behind a trusted reverse proxy (trusted_proxies) it is the last address of X-Forwarded-For — the one that
 * proxy saw — when that is a valid IPv4 or IPv6 address; anyone else's header is ignored. */
static void srv_peer(h2o_req_t *req, char *out)
{
	struct sockaddr_storage ss;
	socklen_t sl = req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)&ss);
	size_t n = sl ? h2o_socket_getnumerichost((struct sockaddr *)&ss, sl, out) : SIZE_MAX;
	if (n == SIZE_MAX || n >= NI_MAXHOST)
		n = (size_t)snprintf(out, NI_MAXHOST, "-");
	out[n] = '\0';
	if (!srv_opts->trusted_proxies || !srv_listed(srv_opts->trusted_proxies, out))
		return;
	ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_X_FORWARDED_FOR, -1);
	if (i < 0)
		return;
	const h2o_iovec_t *v = &req->headers.entries[i].value;
	size_t end = v->len, start;
	while (end && (v->base[end - 1] == ' ' || v->base[end - 1] == ','))
		end--;
	for (start = end; start && v->base[start - 1] != ',' && v->base[start - 1] != ' '; start--)
		;
	char addr[INET6_ADDRSTRLEN + 1];
	unsigned char bin[sizeof(struct in6_addr)];
	if (end - start == 0 || end - start >= sizeof(addr))
		return;
	memcpy(addr, v->base + start, end - start);
	addr[end - start] = '\0';
	if (inet_pton(AF_INET, addr, bin) == 1 || inet_pton(AF_INET6, addr, bin) == 1)
		snprintf(out, NI_MAXHOST, "%s", addr);
}

/* Appends the request's line to its loop's access log buffer, written in batches of 32 KB or every second
 * (as nginx's "buffer=… flush=1s"): a cache hit must not cost a system call and a shared lock. */
static void srv_access_log(h2o_req_t *req, const char *rid, int status, size_t bytes, uint64_t start_ms,
			   const char *how)
{
	if (srv_access_fd < 0)
		return;
	srv_thread_t *t = srv_thread_of(req);
	long long now = (long long)time(NULL);
	if (now != t->stamp_sec) {
		log_utc_stamp(t->stamp, now);
		t->stamp_sec = now;
	}
	char peer[NI_MAXHOST];
	srv_peer(req, peer);
	/* the path is user input: print it with non-printing bytes and quotes replaced */
	char path[512];
	size_t n = req->input.path.len < sizeof(path) - 1 ? req->input.path.len : sizeof(path) - 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)req->input.path.base[i];
		path[i] = c < 0x21 || c == 0x7f || c == '"' ? '?' : (char)c;
	}
	path[n] = '\0';
	if (!t->log.max)
		buf_init(&t->log, 1 << 20);
	buf_appendf(&t->log, "%s %s %s \"%.*s %s HTTP/%d.%d\" %d %zu %llums %s\n", t->stamp, rid, peer,
		    (int)(req->input.method.len > 16 ? 16 : req->input.method.len), req->input.method.base, path,
		    req->version >> 8, req->version & 0xff, status, bytes, (unsigned long long)(srv_now_ms() - start_ms), how);
	if (t->log.len >= 32768 || t->log.overflow)
		srv_log_flush(t);
}

static int srv_etag_matches(h2o_req_t *req, const char *etag)
{
	ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_IF_NONE_MATCH, -1);
	if (i < 0 || !etag[0])
		return 0;
	h2o_iovec_t v = req->headers.entries[i].value;
	size_t el = strlen(etag);
	return h2o_strstr(v.base, v.len, etag, el) != SIZE_MAX || h2o_memis(v.base, v.len, H2O_STRLIT("*"));
}

static int srv_accepts_gzip(h2o_req_t *req)
{
	ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_ACCEPT_ENCODING, -1);
	if (i < 0)
		return 0;
	h2o_iovec_t v = req->headers.entries[i].value;
	return h2o_strstr(v.base, v.len, H2O_STRLIT("gzip")) != SIZE_MAX;
}

static const char *srv_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return status >= 500 ? "Internal Server Error" : "OK";
	}
}

/* Sends body (which must stay valid until the request is disposed) with the common headers.  When the
 * client's ETag matches, a 304 without body goes out instead. */
static void srv_send(h2o_req_t *req, int status, const char *ctype, const char *body, size_t len, const char *gz,
		     size_t gzlen, const char *etag, const char *cache_control)
{
	static h2o_generator_t generator = {NULL, NULL};
	req->res.status = status;
	req->res.reason = srv_reason(status);
	srv_security_headers(req);
	if (etag && etag[0]) {
		h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ETAG, NULL, etag, strlen(etag));
		if (srv_etag_matches(req, etag)) {
			req->res.status = 304;
			req->res.reason = "Not Modified";
			len = 0;
		}
	}
	if (cache_control)
		h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, cache_control,
			       strlen(cache_control));
	if (ctype)
		h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, ctype, strlen(ctype));
	if (gz) {
		h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_VARY, NULL, H2O_STRLIT("Accept-Encoding"));
		if (req->res.status != 304 && srv_accepts_gzip(req)) {
			h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_ENCODING, NULL, H2O_STRLIT("gzip"));
			body = gz;
			len = gzlen;
		}
	}
	if (req->res.status == 304)
		len = 0;
	req->res.content_length = len;
	/* HEAD: the length of the body a GET would get, and no body */
	if (h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD")))
		len = 0;
	h2o_iovec_t iov = h2o_iovec_init(body, len);
	h2o_start_response(req, &generator);
	h2o_send(req, &iov, len ? 1 : 0, H2O_SEND_STATE_FINAL);
}

/* ---- requests on the loop ------------------------------------------------------------------------ */

typedef struct srv_reqtie {
	srv_thread_t *thread;
	srv_job_t *job;               /* set while a worker owns a job for this request */
	http_cache_entry_t *entry;    /* a cache entry being sent */
	char rid[24];
	uint64_t start_ms;
} srv_reqtie_t;

static void srv_job_free(srv_job_t *job)
{
	__atomic_sub_fetch(&srv_queued_body, job->body_bytes, __ATOMIC_ACQ_REL);
	buf_release(&job->hres.body);
	free(job->gz);
	arena_release(&job->arena);
	free(job);
}

static void srv_reqtie_dispose(void *p)
{
	srv_reqtie_t *tie = p;
	tie->thread->inflight--;
	http_cache_unref(tie->entry);
	if (tie->job) {
		tie->job->req = NULL;
		if (tie->job->worker_done)
			srv_job_free(tie->job);
	}
}

static const char *srv_cache_control(h2o_req_t *req, int ttl)
{
	if (ttl < 0)
		return "private, no-store";
	if (ttl == 0)
		return "no-cache";
	char *v = h2o_mem_alloc_pool(&req->pool, 40);
	snprintf(v, 40, "public, max-age=%d", ttl);
	return v;
}

static void srv_on_reply(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
	while (!h2o_linklist_is_empty(messages)) {
		h2o_multithread_message_t *m = H2O_STRUCT_FROM_MEMBER(h2o_multithread_message_t, link, messages->next);
		h2o_linklist_unlink(&m->link);
		srv_job_t *job = H2O_STRUCT_FROM_MEMBER(srv_job_t, msg, m);
		job->worker_done = 1;
		if (!job->req) { /* the client went away while the worker ran */
			srv_job_free(job);
			continue;
		}
		h2o_req_t *req = job->req;
		http_response_t *res = &job->hres;
		int cacheable = res->cache_ttl > 0 && res->status == 200 && job->cache_key;
		if (cacheable) {
			char *gz = job->gz ? malloc(job->gzlen) : NULL;
			if (gz)
				memcpy(gz, job->gz, job->gzlen);
			http_cache_put(job->cache_key, job->cache_keylen, job->gen, srv_now_ms() + (uint64_t)res->cache_ttl * 1000,
				       res->body.data ? res->body.data : "", res->body.len, gz, gz ? job->gzlen : 0, job->etag,
				       res->content_type, res->article_id);
		}
		for (int i = 0; i < res->nheaders; i++)
			h2o_add_header_by_str(&req->pool, &req->res.headers, res->headers[i].name, strlen(res->headers[i].name),
					      1, NULL, res->headers[i].value, strlen(res->headers[i].value));
		srv_access_log(req, job->hreq.rid, res->status, res->body.len, job->start_ms, "app");
		/* the body buffers stay with the job, which is freed when h2o disposes of the request */
		srv_send(req, res->status, res->content_type, buf_cstr(&res->body), res->body.len, job->gz, job->gzlen, job->etag,
			 srv_cache_control(req, res->cache_ttl));
	}
}

static char *srv_pool_strdup(arena_t *a, h2o_iovec_t v)
{
	return arena_strndup(a, v.base, v.len);
}

/* Answers status with the application's localized error page, made on the loop (no database). */
static void srv_send_error_page(h2o_req_t *req, srv_reqtie_t *tie, int status)
{
	buf_t page;
	buf_init(&page, 1 << 16);
	char path[256];
	size_t n = req->path.len < sizeof(path) - 1 ? req->path.len : sizeof(path) - 1;
	memcpy(path, req->path.base, n);
	path[n] = '\0';
	if (srv_opts->error_page)
		srv_opts->error_page(status, path, &page);
	char *body = h2o_mem_alloc_pool(&req->pool, page.len + 1);
	memcpy(body, buf_cstr(&page), page.len + 1);
	size_t len = page.len;
	buf_release(&page);
	h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_RETRY_AFTER, NULL, H2O_STRLIT("5"));
	srv_access_log(req, tie->rid, status, len, tie->start_ms, "busy");
	srv_send(req, status, "text/html; charset=utf-8", body, len, NULL, 0, NULL, "no-store");
}

static void srv_dispatch(h2o_req_t *req, srv_reqtie_t *tie, const char *key, size_t keylen)
{
	size_t body_bytes = req->entity.base ? req->entity.len : 0;
	if (body_bytes && __atomic_add_fetch(&srv_queued_body, body_bytes, __ATOMIC_ACQ_REL) > srv_opts->max_queued_body) {
		__atomic_sub_fetch(&srv_queued_body, body_bytes, __ATOMIC_ACQ_REL);
		srv_send_error_page(req, tie, 503);
		return;
	}
	srv_job_t *job = calloc(1, sizeof(*job));
	if (!job) {
		__atomic_sub_fetch(&srv_queued_body, body_bytes, __ATOMIC_ACQ_REL);
		srv_send_error_page(req, tie, 503);
		return;
	}
	job->body_bytes = body_bytes;
	arena_init(&job->arena, 0);
	job->thread = tie->thread;
	job->req = req;
	job->gen = http_cache_generation();
	job->start_ms = tie->start_ms;
	job->accepts_gzip = srv_accepts_gzip(req);
	arena_t *a = &job->arena;
	http_request_t *r = &job->hreq;
	r->arena = a;
	r->rid = arena_strdup(a, tie->rid);
	r->method = srv_pool_strdup(a, req->method);
	size_t plen = req->path.len, qat = req->query_at;
	r->raw_path = arena_strndup(a, req->path.base, qat == SIZE_MAX ? plen : qat);
	r->query = qat == SIZE_MAX ? "" : arena_strndup(a, req->path.base + qat + 1, plen - qat - 1);
	r->path = http_nfc(a, http_urldecode(a, r->raw_path, strlen(r->raw_path), 0));
	r->body = req->entity.base ? arena_strndup(a, req->entity.base, req->entity.len) : "";
	r->body_len = req->entity.base ? req->entity.len : 0;
	r->headers = arena_alloc(a, sizeof(http_header_t) * (req->headers.size + 1));
	for (size_t i = 0; r->headers && i < req->headers.size; i++) {
		h2o_header_t *h = &req->headers.entries[i];
		char *name = srv_pool_strdup(a, *h->name);
		for (char *c = name; c && *c; c++)
			*c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
		r->headers[r->nheaders].name = name;
		r->headers[r->nheaders].value = srv_pool_strdup(a, h->value);
		r->nheaders++;
	}
	char peer[NI_MAXHOST];
	srv_peer(req, peer);
	r->remote = arena_strdup(a, peer);
	r->tls = req->scheme == &H2O_URL_SCHEME_HTTPS;
	if (key) {
		job->cache_key = arena_strndup(a, key, keylen);
		job->cache_keylen = keylen;
	}
	if (!r->path || !r->headers || !r->body) { /* undecodable path (bad %-escape, NUL) or out of memory */
		r->path = NULL;
	}
	tie->job = job;
	pool_push(job);
}

static int srv_on_req(h2o_handler_t *self, h2o_req_t *req)
{
	srv_thread_t *t = srv_thread_of(req);
	srv_reqtie_t *tie = h2o_mem_alloc_shared(&req->pool, sizeof(*tie), srv_reqtie_dispose);
	memset(tie, 0, sizeof(*tie));
	tie->thread = t;
	tie->start_ms = srv_now_ms();
	snprintf(tie->rid, sizeof(tie->rid), "%x-%llx", t->idx, ++t->seq);
	t->inflight++;
	h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-request-id"), 0, NULL, tie->rid, strlen(tie->rid));

	int is_get = h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET")) ||
		     h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD"));
	size_t pathlen = req->query_at == SIZE_MAX ? req->path.len : req->query_at;
	if (is_get && pathlen > 8 && memcmp(req->path.base, "/static/", 8) == 0) {
		int hashed;
		const http_static_file_t *f = http_static_find(req->path.base, pathlen, &hashed);
		if (f) {
			srv_access_log(req, tie->rid, 200, f->len, tie->start_ms, "static");
			srv_send(req, 200, f->ctype, f->body, f->len, f->gz, f->gzlen, f->etag,
				 hashed ? "public, max-age=31536000, immutable" : "public, max-age=3600");
			return 0;
		}
	}
	const char *key = NULL;
	size_t keylen = 0;
	/* a request with credentials for the API gets an answer made for it: never a shared cached one, and
	 * its answer is never shared either (public pages are the same for everyone, signed in or not) */
	int api = pathlen >= 5 && memcmp(req->path.base, "/api/", 5) == 0;
	int personal = h2o_find_header(&req->headers, H2O_TOKEN_AUTHORIZATION, -1) != -1;
	if (api && !personal) {
		ssize_t c = h2o_find_header(&req->headers, H2O_TOKEN_COOKIE, -1);
		personal = c != -1 && h2o_strstr(req->headers.entries[c].value.base, req->headers.entries[c].value.len,
						 H2O_STRLIT("cong=")) != SIZE_MAX;
	}
	if (is_get && srv_opts->page_cache && !personal) {
		key = req->path.base;
		keylen = req->path.len;
		http_cache_entry_t *e = http_cache_get(key, keylen, srv_now_ms());
		if (e) {
			tie->entry = e; /* released when h2o disposes of the request */
			if (e->article_id > 0 && srv_opts->on_view)
				srv_opts->on_view(e->article_id);
			srv_access_log(req, tie->rid, 200, e->len, tie->start_ms, "hit");
			uint64_t now = srv_now_ms();
			if (api) /* the public API's answers are readable from any site; the entry keeps no headers */
				h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("access-control-allow-origin"), 0, NULL,
						      H2O_STRLIT("*"));
			srv_send(req, 200, e->ctype, e->body, e->len, e->gz, e->gzlen, e->etag,
				 srv_cache_control(req, e->expires_ms > now ? (int)((e->expires_ms - now) / 1000) + 1 : 1));
			return 0;
		}
	}
	srv_dispatch(req, tie, key, keylen);
	return 0;
}

/* ---- the loop's own error pages (too-large bodies are refused by h2o before a handler runs) ------ */

typedef struct srv_errfilter_stream {
	h2o_ostream_t super;
	buf_t page;
} srv_errfilter_stream_t;

static void srv_errfilter_dispose(void *p)
{
	srv_errfilter_stream_t *s = p;
	buf_release(&s->page);
}

static void srv_errfilter_send(h2o_ostream_t *self, h2o_req_t *req, h2o_iovec_t *inbufs, size_t inbufcnt,
			       h2o_send_state_t state)
{
	srv_errfilter_stream_t *s = (void *)self;
	/* drop h2o's plain-text body and send ours once h2o is done */
	if (state == H2O_SEND_STATE_IN_PROGRESS) {
		h2o_ostream_send_next(&s->super, req, NULL, 0, state);
		return;
	}
	h2o_iovec_t iov = h2o_iovec_init(s->page.data, s->page.len);
	h2o_ostream_send_next(&s->super, req, &iov, 1, state);
}

static void srv_errfilter_setup(h2o_filter_t *self, h2o_req_t *req, h2o_ostream_t **slot)
{
	int st = req->res.status;
	/* only the errors h2o itself generates before our handler: it leaves our responses' x-request-id unset */
	if ((st == 413 || st == 400) && srv_opts->error_page &&
	    h2o_find_header_by_str(&req->res.headers, H2O_STRLIT("x-request-id"), -1) == -1) {
		srv_errfilter_stream_t *s =
			(void *)h2o_add_ostream(req, sizeof(srv_errfilter_stream_t), slot);
		srv_errfilter_stream_t *shared = h2o_mem_alloc_shared(&req->pool, sizeof(*shared), srv_errfilter_dispose);
		buf_init(&shared->page, 1 << 16);
		h2o_iovec_t p = req->input.path;
		char path[256];
		size_t n = p.len < sizeof(path) - 1 ? p.len : sizeof(path) - 1;
		memcpy(path, p.base, n);
		path[n] = '\0';
		srv_opts->error_page(st, path, &shared->page);
		s->page = shared->page; /* the shared copy owns the storage and frees it with the pool */
		s->super.do_send = srv_errfilter_send;
		ssize_t i;
		while ((i = h2o_find_header(&req->res.headers, H2O_TOKEN_CONTENT_TYPE, -1)) != -1)
			h2o_delete_header(&req->res.headers, i);
		h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL,
			       H2O_STRLIT("text/html; charset=utf-8"));
		srv_security_headers(req);
		req->res.content_length = s->page.len;
		slot = &s->super.next;
	}
	h2o_setup_next_ostream(req, slot);
}

/* ---- media files: h2o's file handler does the serving; this filter adds our headers and the log line -- */

static void srv_media_setup(h2o_filter_t *self, h2o_req_t *req, h2o_ostream_t **slot)
{
	static const char csp[] = "default-src 'none'; sandbox; base-uri 'none'; frame-ancestors 'none'";
	h2o_headers_t *h = &req->res.headers;
	h2o_mem_pool_t *p = &req->pool;
	srv_thread_t *t = srv_thread_of(req);
	char *rid = h2o_mem_alloc_pool(p, 24);
	snprintf(rid, 24, "%x-%llx", t->idx, ++t->seq);
	h2o_add_header_by_str(p, h, H2O_STRLIT("x-request-id"), 0, NULL, rid, strlen(rid));
	h2o_add_header_by_str(p, h, H2O_STRLIT("content-security-policy"), 0, NULL, csp, sizeof(csp) - 1);
	h2o_add_header_by_str(p, h, H2O_STRLIT("x-content-type-options"), 0, NULL, H2O_STRLIT("nosniff"));
	h2o_add_header_by_str(p, h, H2O_STRLIT("referrer-policy"), 0, NULL, H2O_STRLIT("strict-origin-when-cross-origin"));
	/* media names are random and never reused, so a found file may be cached for long; a missing one not */
	if (req->res.status == 200 || req->res.status == 206)
		h2o_add_header(p, h, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("public, max-age=2592000, immutable"));
	srv_access_log(req, rid, req->res.status, req->res.content_length == SIZE_MAX ? 0 : req->res.content_length,
		       srv_now_ms(), "media");
	h2o_setup_next_ostream(req, slot);
}

/* ---- loops, listeners, shutdown ------------------------------------------------------------------ */

static void srv_on_conn_close(void *data)
{
	srv_thread_t *t = data;
	t->connections--;
}

static void srv_on_accept(h2o_socket_t *listener, const char *err)
{
	srv_thread_t *t = listener->data;
	if (err)
		return;
	h2o_socket_t *sock;
	/* accept a few at a time so one busy listener does not starve the rest of the loop */
	for (int i = 0; i < 16 && (sock = h2o_evloop_socket_accept(listener)) != NULL; i++) {
		if (t->stopping || t->connections >= srv_opts->max_connections) {
			h2o_socket_close(sock);
			continue;
		}
		t->connections++;
		sock->on_close.cb = srv_on_conn_close;
		sock->on_close.data = t;
		h2o_accept(&t->accept_ctx, sock);
	}
}

static void *srv_thread_main(void *arg)
{
	srv_thread_t *t = arg;
	h2o_context_init(&t->ctx, h2o_evloop_create(), &srv_config);
	t->accept_ctx.ctx = &t->ctx;
	t->accept_ctx.hosts = srv_config.hosts;
	t->queue = h2o_multithread_create_queue(t->ctx.loop);
	h2o_multithread_register_receiver(t->queue, &t->replies, srv_on_reply);
	for (int i = 0; i < t->nlisten; i++) {
		t->listeners[i] = h2o_evloop_socket_create(t->ctx.loop, t->fds[i], H2O_SOCKET_FLAG_DONT_READ);
		t->listeners[i]->data = t;
		h2o_socket_read_start(t->listeners[i], srv_on_accept);
	}
	for (;;) {
		h2o_evloop_run(t->ctx.loop, 100);
		if (t->log.len && srv_now_ms() - t->log_flushed_ms >= 1000)
			srv_log_flush(t);
		if (srv_stop && !t->stopping) {
			t->stopping = 1;
			t->stop_at_ms = srv_now_ms() + 10000;
			for (int i = 0; i < t->nlisten; i++) {
				h2o_socket_read_stop(t->listeners[i]);
				h2o_socket_close(t->listeners[i]);
			}
			h2o_context_request_shutdown(&t->ctx);
		}
		if (t->stopping && (t->inflight == 0 || srv_now_ms() > t->stop_at_ms))
			break;
	}
	srv_log_flush(t);
	buf_release(&t->log);
	return NULL;
}

static void srv_on_signal(int sig)
{
	srv_stop = 1;
}

/* Parses "host:port", "[v6]:port" or ":port" into a sockaddr.  0 or -1. */
static int srv_parse_addr(const char *spec, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[256];
	const char *port;
	if (spec[0] == '[') {
		const char *end = strchr(spec, ']');
		if (!end || end[1] != ':' || (size_t)(end - spec - 1) >= sizeof(host))
			return -1;
		memcpy(host, spec + 1, (size_t)(end - spec - 1));
		host[end - spec - 1] = '\0';
		port = end + 2;
	} else {
		const char *colon = strrchr(spec, ':');
		if (!colon || (size_t)(colon - spec) >= sizeof(host))
			return -1;
		memcpy(host, spec, (size_t)(colon - spec));
		host[colon - spec] = '\0';
		port = colon + 1;
	}
	char *end;
	long p = strtol(port, &end, 10);
	if (*end || p <= 0 || p > 65535)
		return -1;
	memset(ss, 0, sizeof(*ss));
	if (!host[0])
		snprintf(host, sizeof(host), "0.0.0.0");
	struct sockaddr_in *v4 = (void *)ss;
	struct sockaddr_in6 *v6 = (void *)ss;
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)p);
		*len = sizeof(*v4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)p);
		*len = sizeof(*v6);
		return 0;
	}
	return -1;
}

static int srv_listen_fd(const struct sockaddr_storage *ss, socklen_t len, int reuseport)
{
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int on = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (reuseport)
		setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on));
	if (ss->ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	if (bind(fd, (const struct sockaddr *)ss, len) < 0 || listen(fd, 1024) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static char *srv_errf(const char *fmt, const char *a, const char *b)
{
	char *m = malloc(512);
	if (m)
		snprintf(m, 512, fmt, a, b);
	return m;
}

static SSL_CTX *srv_tls(const http_server_opts_t *o, char **err)
{
	SSL_CTX *ssl = SSL_CTX_new(TLS_server_method());
	SSL_CTX_set_min_proto_version(ssl, TLS1_2_VERSION);
	if (SSL_CTX_use_certificate_chain_file(ssl, o->tls_cert) != 1) {
		*err = srv_errf("cannot load TLS certificate %s%s", o->tls_cert, "");
		SSL_CTX_free(ssl);
		return NULL;
	}
	if (SSL_CTX_use_PrivateKey_file(ssl, o->tls_key, SSL_FILETYPE_PEM) != 1) {
		*err = srv_errf("cannot load TLS key %s%s", o->tls_key, "");
		SSL_CTX_free(ssl);
		return NULL;
	}
	h2o_ssl_register_alpn_protocols(ssl, h2o_http2_alpn_protocols);
	return ssl;
}

int http_serve(const http_server_opts_t *o, char **err)
{
	srv_opts = o;
	srv_nthreads = o->threads < 1 ? 1 : o->threads > SRV_MAX_THREADS ? SRV_MAX_THREADS : o->threads;
	signal(SIGPIPE, SIG_IGN);

	/* Bind everything first so that a port in use is an error now, not a surprise later.  A probe bound
	 * without SO_REUSEPORT fails when anyone, including another cong, already listens there. */
	int nl = 0;
	for (; o->listen[nl]; nl++) {
		if (nl == SRV_MAX_LISTEN) {
			*err = srv_errf("too many listen addresses (at most %s)%s", "8", "");
			return -1;
		}
		struct sockaddr_storage ss;
		socklen_t len;
		if (srv_parse_addr(o->listen[nl], &ss, &len) < 0) {
			*err = srv_errf("bad listen address '%s': expected HOST:PORT or [IPv6]:PORT%s", o->listen[nl], "");
			return -1;
		}
		int probe = srv_listen_fd(&ss, len, 0);
		if (probe < 0) {
			*err = srv_errf("cannot listen on %s: %s", o->listen[nl], strerror(errno));
			return -1;
		}
		close(probe);
		for (int t = 0; t < srv_nthreads; t++) {
			int fd = srv_listen_fd(&ss, len, 1);
			if (fd < 0) {
				*err = srv_errf("cannot listen on %s: %s", o->listen[nl], strerror(errno));
				return -1;
			}
			srv_threads[t].fds[nl] = fd;
			srv_threads[t].nlisten = nl + 1;
		}
	}

	/* request bodies above 1 MiB are received into temporary files (mmap'd), not the heap */
	h2o_socket_buffer_mmap_settings.threshold = 1u << 20;
	h2o_config_init(&srv_config);
	srv_config.max_request_entity_size = o->max_body;
	srv_config.http1.req_timeout = (uint64_t)o->req_timeout_ms;
	srv_config.http2.idle_timeout = (uint64_t)o->idle_timeout_ms;
	srv_config.server_name = h2o_iovec_init(H2O_STRLIT("cong"));
	h2o_hostconf_t *host = h2o_config_register_host(&srv_config, h2o_iovec_init(H2O_STRLIT("default")), 65535);
	if (o->media_dir) {
		h2o_pathconf_t *media = h2o_config_register_path(host, "/media", 0);
		h2o_file_register(media, o->media_dir, NULL, NULL, 0);
		h2o_filter_t *mf = h2o_create_filter(media, sizeof(*mf));
		mf->on_setup_ostream = srv_media_setup;
	}
	h2o_pathconf_t *root = h2o_config_register_path(host, "/", 0);
	h2o_handler_t *handler = h2o_create_handler(root, sizeof(*handler));
	handler->on_req = srv_on_req;
	/* h2o refuses an oversized body before routing, under the host's fallback path: filter both */
	h2o_pathconf_t *errpaths[] = {root, &host->fallback_path};
	for (int i = 0; i < 2; i++) {
		h2o_filter_t *filter = h2o_create_filter(errpaths[i], sizeof(*filter));
		filter->on_setup_ostream = srv_errfilter_setup;
	}

	SSL_CTX *ssl = NULL;
	if (o->tls_cert && o->tls_key && (ssl = srv_tls(o, err)) == NULL)
		return -1;

	if (o->access_log) {
		srv_access_fd = strcmp(o->access_log, "-") == 0 ? STDOUT_FILENO
								 : open(o->access_log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
		if (srv_access_fd < 0) {
			*err = srv_errf("cannot open access log %s: %s", o->access_log, strerror(errno));
			return -1;
		}
	}
	http_cache_init(o->page_cache_bytes);

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = srv_on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	int nw = o->workers < 1 ? 1 : o->workers;
	pool_tids = calloc((size_t)nw, sizeof(*pool_tids));
	for (int i = 0; i < nw; i++)
		pthread_create(&pool_tids[i], NULL, pool_main, NULL);
	for (int i = 0; i < srv_nthreads; i++) {
		srv_threads[i].idx = i;
		srv_threads[i].accept_ctx.ssl_ctx = ssl;
		pthread_create(&srv_threads[i].tid, NULL, srv_thread_main, &srv_threads[i]);
	}
	for (int i = 0; i < nl; i++)
		log_msg(LOG_INFO, NULL, "listening on %s%s (%d loops, %d workers)", ssl ? "https://" : "http://",
			o->listen[i], srv_nthreads, nw);
	for (int i = 0; i < srv_nthreads; i++)
		pthread_join(srv_threads[i].tid, NULL);
	pthread_mutex_lock(&pool_lock);
	pool_quit = 1;
	pthread_cond_broadcast(&pool_cond);
	pthread_mutex_unlock(&pool_lock);
	for (int i = 0; i < nw; i++)
		pthread_join(pool_tids[i], NULL);
	free(pool_tids);
	if (srv_access_fd > STDOUT_FILENO)
		close(srv_access_fd);
	log_msg(LOG_INFO, NULL, "stopped");
	return 0;
}
