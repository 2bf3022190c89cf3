#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum cfg_type { CFG_STR, CFG_INT, CFG_BOOL };

static const struct cfg_directive {
	const char *name;
	enum cfg_type type;
	size_t off;
	long min, max;
	const char *dflt;
	const char *help;
} cfg_table[] = {
	{"data", CFG_STR, offsetof(config_t, data_dir), 0, 0, NULL, "data directory (database, media)"},
	{"db", CFG_STR, offsetof(config_t, db), 0, 0, NULL, "PostgreSQL database URL (postgres://…; also CONG_DATABASE_URL); unset: DATA/cong.db, SQLite"},
	{"media_dir", CFG_STR, offsetof(config_t, media_dir), 0, 0, NULL, "uploaded images (default DATA/media); with several servers, a directory they share"},
	{"files_dir", CFG_STR, offsetof(config_t, files_dir), 0, 0, NULL, "dossier documents (dossiers/) and procedure forms (forms/); default DATA; with several servers, a directory they share"},
	{"listen", CFG_STR, offsetof(config_t, listen), 0, 0, "127.0.0.1:8080", "addresses, comma-separated: HOST:PORT, [IPV6]:PORT"},
	{"share_dir", CFG_STR, offsetof(config_t, share_dir), 0, 0, CONG_SHARE_DIR, "templates, locale, static and demo files"},
	{"tls_cert", CFG_STR, offsetof(config_t, tls_cert), 0, 0, NULL, "PEM certificate chain: enables TLS and HTTP/2"},
	{"tls_key", CFG_STR, offsetof(config_t, tls_key), 0, 0, NULL, "PEM private key"},
	{"access_log", CFG_STR, offsetof(config_t, access_log), 0, 0, "-", "access log file, - for stdout, off"},
	{"threads", CFG_INT, offsetof(config_t, threads), 0, 64, "0", "event loops (0: one per core)"},
	{"workers", CFG_INT, offsetof(config_t, workers), 0, 256, "0", "worker threads (0: two per core)"},
	{"page_cache", CFG_BOOL, offsetof(config_t, page_cache), 0, 1, "on", "keep rendered public pages in memory"},
	{"page_cache_mb", CFG_INT, offsetof(config_t, page_cache_mb), 1, 4096, "16", "page cache budget in MiB"},
	{"cache_ttl", CFG_INT, offsetof(config_t, cache_ttl), 1, 86400, "60", "seconds a cached page stays fresh"},
	{"max_body_kb", CFG_INT, offsetof(config_t, max_body_kb), 1, 1048576, "24576", "largest request body in KiB (uploads: images up to 20 MB)"},
	{"req_timeout", CFG_INT, offsetof(config_t, req_timeout), 1, 3600, "10", "seconds to receive a whole request"},
	{"idle_timeout", CFG_INT, offsetof(config_t, idle_timeout), 1, 3600, "30", "seconds an idle HTTP/2 connection stays open"},
	{"max_connections", CFG_INT, offsetof(config_t, max_connections), 1, 1000000, "10000", "open connections per loop"},
	{"max_queued_body_mb", CFG_INT, offsetof(config_t, max_queued_body_mb), 1, 65536, "128", "request bodies waiting for workers, MiB; beyond: 503"},
	{"trusted_proxies", CFG_STR, offsetof(config_t, trusted_proxies), 0, 0, NULL, "reverse proxies (addresses, comma-separated) whose X-Forwarded-For names the client"},
	{"api_rate_limit", CFG_INT, offsetof(config_t, api_rate_limit), 0, 1000000, "120", "public API calls per minute per client address (0: no limit)"},
	{"log_level", CFG_STR, offsetof(config_t, log_level), 0, 0, "info", "error, warn, info or debug"},
	{"smtp_host", CFG_STR, offsetof(config_t, smtp_host), 0, 0, NULL, "SMTP relay for the portal's mail (dossier receipts); unset: no mail"},
	{"smtp_port", CFG_INT, offsetof(config_t, smtp_port), 1, 65535, "25", "SMTP relay's port"},
	{"smtp_from", CFG_STR, offsetof(config_t, smtp_from), 0, 0, NULL, "sender address of the portal's mail"},
	{"smtp_helo", CFG_STR, offsetof(config_t, smtp_helo), 0, 0, "localhost", "name this server gives in EHLO"},
	{"smtp_timeout", CFG_INT, offsetof(config_t, smtp_timeout), 1, 300, "10", "seconds the relay may take per step"},
	{"smtp_retry", CFG_INT, offsetof(config_t, smtp_retry), 1, 86400, "60", "seconds before mail the relay refused is tried again (doubling)"},
};
#define CFG_COUNT (sizeof(cfg_table) / sizeof(cfg_table[0]))

static char *cfg_err(const char *fmt, const char *a, const char *b)
{
	char *m = malloc(512);
	if (m)
		snprintf(m, 512, fmt, a, b);
	return m;
}

int config_set(config_t *c, const char *name, const char *value, char **err)
{
	for (size_t i = 0; i < CFG_COUNT; i++) {
		const struct cfg_directive *d = &cfg_table[i];
		if (strcmp(d->name, name) != 0)
			continue;
		void *field = (char *)c + d->off;
		if (d->type == CFG_STR) {
			free(*(char **)field);
			*(char **)field = value ? strdup(value) : NULL;
			return 0;
		}
		long v;
		if (d->type == CFG_BOOL) {
			if (!strcasecmp(value, "on") || !strcasecmp(value, "yes") || !strcasecmp(value, "true") || !strcmp(value, "1"))
				v = 1;
			else if (!strcasecmp(value, "off") || !strcasecmp(value, "no") || !strcasecmp(value, "false") || !strcmp(value, "0"))
				v = 0;
			else {
				*err = cfg_err("%s: expected on or off, got '%s'", name, value);
				return -1;
			}
		} else {
			char *end;
			errno = 0;
			v = strtol(value, &end, 10);
			if (errno || end == value || *end || v < d->min || v > d->max) {
				char range[64];
				snprintf(range, sizeof(range), "%ld..%ld", d->min, d->max);
				char *m = malloc(512);
				if (m)
					snprintf(m, 512, "%s: expected a number in %s, got '%s'", name, range, value);
				*err = m;
				return -1;
			}
		}
		*(int *)field = (int)v;
		return 0;
	}
	*err = cfg_err("unknown setting '%s'%s", name, "");
	return -1;
}

void config_init(config_t *c)
{
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < CFG_COUNT; i++) {
		char *err = NULL;
		if (cfg_table[i].dflt && config_set(c, cfg_table[i].name, cfg_table[i].dflt, &err) < 0)
			free(err); /* defaults are valid by construction */
	}
}

typedef struct cfg_ini_ctx {
	config_t *c;
	char *err;
} cfg_ini_ctx_t;

static int cfg_ini_handler(void *user, const char *section, const char *name, const char *value)
{
	cfg_ini_ctx_t *x = user;
	if (section[0] && strcmp(section, "server") != 0)
		return 1; /* other sections belong to other readers */
	if (!x->err && config_set(x->c, name, value, &x->err) < 0)
		return 0;
	return 1;
}

int config_load_file(config_t *c, const char *path, int optional, char **err)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		if (optional && errno == ENOENT)
			return 0;
		*err = cfg_err("cannot read config file %s: %s", path, strerror(errno));
		return -1;
	}
	cfg_ini_ctx_t x = {c, NULL};
	int line = ini_parse_file(f, cfg_ini_handler, &x);
	fclose(f);
	if (x.err || line != 0) {
		char ln[16];
		snprintf(ln, sizeof(ln), "%d", line);
		char *m = malloc(640);
		if (m)
			snprintf(m, 640, "%s:%s: %s", path, ln, x.err ? x.err : "syntax error");
		free(x.err);
		*err = m;
		return -1;
	}
	return 0;
}

int config_load_env(config_t *c, char **err)
{
	for (size_t i = 0; i < CFG_COUNT; i++) {
		char env[64] = "CONG_";
		size_t n = 5;
		for (const char *p = cfg_table[i].name; *p && n < sizeof(env) - 1; p++)
			env[n++] = (char)toupper((unsigned char)*p);
		env[n] = '\0';
		const char *v = getenv(env);
		if (v && config_set(c, cfg_table[i].name, v, err) < 0)
			return -1;
	}
	/* the name most PostgreSQL tools know */
	if (!getenv("CONG_DB") && getenv("CONG_DATABASE_URL"))
		return config_set(c, "db", getenv("CONG_DATABASE_URL"), err);
	return 0;
}

void config_describe(char *out, size_t n)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < CFG_COUNT && used < n; i++) {
		const struct cfg_directive *d = &cfg_table[i];
		int w = snprintf(out + used, n - used, "  %-16s %s%s%s%s\n", d->name, d->help, d->dflt ? " [" : "",
				 d->dflt ? d->dflt : "", d->dflt ? "]" : "");
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

void config_release(config_t *c)
{
	for (size_t i = 0; i < CFG_COUNT; i++)
		if (cfg_table[i].type == CFG_STR) {
			char **f = (char **)((char *)c + cfg_table[i].off);
			free(*f);
			*f = NULL;
		}
}
