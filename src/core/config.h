/* config: every setting of `cong serve` in one table.  Sources, later ones winning: built-in defaults,
 * the INI file (DATA/cong.ini or --config), environment variables (CONG_*), command-line flags.  Parsed
 * once into an immutable struct. */
#ifndef CORE_CONFIG_H
#define CORE_CONFIG_H
#include <stddef.h>

typedef struct config {
	char *data_dir;
	char *db;            /* PostgreSQL URL; NULL: the SQLite file DATA/cong.db */
	char *media_dir;     /* NULL: DATA/media */
	char *files_dir;     /* NULL: DATA (dossiers/, forms/) */
	char *listen;        /* comma-separated addresses */
	char *share_dir;     /* templates/, locale/, static/, demo/ */
	char *tls_cert, *tls_key;
	char *access_log;    /* path, "-" (stdout) or "off" */
	int threads;         /* event loops; 0 = one per core */
	int workers;         /* 0 = two per core */
	int page_cache;      /* bool */
	int page_cache_mb;
	int cache_ttl;       /* seconds a rendered page may be served from the cache */
	int max_body_kb;
	int req_timeout;     /* seconds */
	int idle_timeout;    /* seconds */
	int max_connections;
	int max_queued_body_mb;
	char *trusted_proxies; /* comma-separated addresses of reverse proxies (nginx) trusted for X-Forwarded-For */
	int api_rate_limit;  /* public /api/v1 calls per minute per client address; 0 = off */
	char *log_level;     /* error, warn, info, debug */
	/* mail (svc/outbox.c, svc/smtp.c): plain SMTP to a relay the operator runs; no host, no mail */
	char *smtp_host;
	int smtp_port;
	char *smtp_from;     /* the sender's address */
	char *smtp_helo;     /* the name given in EHLO */
	int smtp_timeout;    /* seconds per step of a conversation */
	int smtp_retry;      /* seconds before the first retry; doubling after */
} config_t;

/* Fills defaults. */
void config_init(config_t *c);
/* Sets one directive by its INI name ("listen", "page_cache" …).  0, or -1 with a malloc'd *err that
 * quotes the bad value. */
int config_set(config_t *c, const char *name, const char *value, char **err);
/* Reads an INI file ([server] section or no section).  A missing file is not an error when optional. */
int config_load_file(config_t *c, const char *path, int optional, char **err);
/* Applies CONG_<NAME> environment variables. */
int config_load_env(config_t *c, char **err);
/* Writes "name = value" lines describing every directive (for --help). */
void config_describe(char *out, size_t n);
void config_release(config_t *c);
#endif
