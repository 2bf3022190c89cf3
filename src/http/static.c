/* static: the files under static/ are read into memory at start-up, each reachable under a name carrying
 * a hash of its content (/static/css/site.3f9a0c1b.css, cached for a year) and under its plain name
 * (cached briefly, for links that cannot know the hash).  Text files keep a gzip copy. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "http/server.h"
#include "http/static.h"
#include "http/util.h"

#define STATIC_MAX_FILES 256
#define STATIC_MAX_SIZE (4u << 20)

static http_static_file_t static_files[STATIC_MAX_FILES];
static int static_count;

static int static_read(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	buf_t b;
	buf_init(&b, STATIC_MAX_SIZE);
	char chunk[16384];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_append(&b, chunk, n) < 0)
			break;
	int bad = ferror(f) || b.overflow;
	fclose(f);
	if (bad) {
		buf_release(&b);
		return -1;
	}
	*out = buf_detach(&b, len);
	return 0;
}

static int static_add(const char *path, const char *name, char **err)
{
	if (static_count == STATIC_MAX_FILES) {
		*err = strdup("too many files under static/");
		return -1;
	}
	http_static_file_t *f = &static_files[static_count];
	if (static_read(path, &f->body, &f->len) < 0) {
		size_t n = strlen(path) + 32;
		*err = malloc(n);
		snprintf(*err, n, "cannot read %s", path);
		return -1;
	}
	f->ctype = http_mime(name);
	http_etag(f->body, f->len, f->etag);
	f->plain_url = malloc(strlen(name) + 10);
	snprintf(f->plain_url, strlen(name) + 10, "/static/%s", name);
	const char *dot = strrchr(name, '.');
	size_t stem = dot && !strchr(dot, '/') ? (size_t)(dot - name) : strlen(name);
	size_t cap = strlen(name) + 32;
	f->url = malloc(cap);
	snprintf(f->url, cap, "/static/%.*s.%.8llx%s", (int)stem, name,
		 (unsigned long long)(http_hash64(f->body, f->len) >> 32), name + stem);
	if (http_compressible(f->ctype) && http_gzip(f->body, f->len, 9, &f->gz, &f->gzlen) == 0 && f->gzlen >= f->len) {
		free(f->gz); /* not worth it */
		f->gz = NULL;
	}
	f->name = strdup(name);
	static_count++;
	return 0;
}

static int static_walk(const char *dir, const char *prefix, char **err)
{
	DIR *d = opendir(dir);
	if (!d) {
		size_t n = strlen(dir) + 40;
		*err = malloc(n);
		snprintf(*err, n, "cannot open static directory %s", dir);
		return -1;
	}
	int rc = 0;
	struct dirent *de;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char path[4096], name[1024];
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= (int)sizeof(path) ||
		    snprintf(name, sizeof(name) - 1, "%s%s", prefix, de->d_name) >= (int)sizeof(name) - 1)
			continue; /* absurdly deep trees are not assets */
		struct stat st;
		if (stat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			size_t n = strlen(name);
			name[n] = '/';
			name[n + 1] = '\0';
			rc = static_walk(path, name, err);
		} else if (S_ISREG(st.st_mode)) {
			rc = static_add(path, name, err);
		}
	}
	closedir(d);
	return rc;
}

int http_static_load(const char *dir, char **err)
{
	return static_walk(dir, "", err);
}

const char *http_static_url(const char *name)
{
	for (int i = 0; i < static_count; i++)
		if (strcmp(static_files[i].name, name) == 0)
			return static_files[i].url;
	return NULL;
}

const http_static_file_t *http_static_find(const char *path, size_t len, int *hashed)
{
	for (int i = 0; i < static_count; i++) {
		const http_static_file_t *f = &static_files[i];
		if (strlen(f->url) == len && memcmp(f->url, path, len) == 0) {
			*hashed = 1;
			return f;
		}
		if (strlen(f->plain_url) == len && memcmp(f->plain_url, path, len) == 0) {
			*hashed = 0;
			return f;
		}
	}
	return NULL;
}
