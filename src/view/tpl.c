#include "view/tpl.h"

#include "core/arena.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Limits that keep a broken or hostile template from exhausting the stack at render time. */
#define TPL_MAX_NESTING 64         /* sections inside sections, per template */
#define TPL_MAX_DIR_DEPTH 16       /* directories below the template root (symlink loops) */
#define TPL_MAX_FILE (16u << 20)
/* Node visits and loop iterations per render.  Nested loops over the same data multiply (an array of 100 iterated at four
 * levels is 10^8 visits); a worker stuck in such a render is worse than an error page.  A real page
 * visits a few thousand nodes. */
#ifndef TPL_MAX_STEPS
#define TPL_MAX_STEPS (1L << 24)
#endif

enum tpl_kind { TPL_TEXT, TPL_VAR, TPL_RAW, TPL_SECTION, TPL_INVERTED, TPL_PARTIAL, TPL_TRANS };

typedef struct tpl_seg {
	const char *key;  /* NUL-terminated, in the set's arena */
	size_t len;
} tpl_seg_t;

/* A template is a flat array of nodes: a section's body is the nodes after it up to (not including)
 * its end index, so rendering needs no tree pointers and stays cache-friendly. */
typedef struct tpl_node {
	uint8_t kind;
	uint32_t end;            /* TPL_SECTION / TPL_INVERTED: index one past the body */
	uint32_t nseg;           /* name segments; 0 means "." */
	const tpl_seg_t *segs;   /* TPL_VAR, TPL_RAW, TPL_SECTION, TPL_INVERTED */
	const char *str;         /* TPL_TEXT bytes; TPL_PARTIAL name; TPL_TRANS msgid (NUL-terminated) */
	size_t len;
	uint64_t hash;           /* TPL_PARTIAL: hash of the name, computed once at load */
} tpl_node_t;

typedef struct tpl {
	const char *name;
	uint64_t hash;
	tpl_node_t *nodes;
	uint32_t n;
} tpl_t;

struct tpl_set {
	arena_t arena;    /* names, sources, segments, messages */
	tpl_t **slots;    /* open addressing on the name, power-of-two size */
	size_t mask, count;
};

/* A context stack lives in the render functions' own stack frames: pushing costs nothing. */
typedef struct tpl_frame {
	json_t *v;
	const struct tpl_frame *up;
} tpl_frame_t;

enum tpl_fail { TPL_OK, TPL_E_OVERFLOW, TPL_E_PARTIAL, TPL_E_DEPTH, TPL_E_STEPS };

typedef struct tpl_run {
	const tpl_set_t *set;
	const i18n_t *cat;
	buf_t *out;
	int depth;
	long steps;        /* node visits left */
	enum tpl_fail fail;
	const char *what;  /* the missing partial's name */
	size_t what_len;
} tpl_run_t;

/* ---- helpers ------------------------------------------------------------------------------------- */

static uint64_t tpl_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static void tpl_set_err(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tpl_set_err(char **err, const char *fmt, ...)
{
	if (!err)
		return;
	free(*err);
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(err, fmt, ap) < 0)
		*err = NULL;
	va_end(ap);
}

static int tpl_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void tpl_trim(const char **s, size_t *n)
{
	while (*n && tpl_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && tpl_space((*s)[*n - 1]))
		(*n)--;
}

static tpl_set_t *tpl_set_new(void)
{
	tpl_set_t *set = calloc(1, sizeof(*set));
	if (!set)
		return NULL;
	arena_init(&set->arena, 0);
	set->slots = calloc(16, sizeof(*set->slots));
	if (!set->slots) {
		free(set);
		return NULL;
	}
	set->mask = 15;
	return set;
}

void tpl_set_free(tpl_set_t *set)
{
	if (!set)
		return;
	for (size_t i = 0; i <= set->mask; i++) {
		if (set->slots[i]) {
			free(set->slots[i]->nodes);
			free(set->slots[i]);
		}
	}
	free(set->slots);
	arena_release(&set->arena);
	free(set);
}

static const tpl_t *tpl_find(const tpl_set_t *set, const char *name, size_t len, uint64_t h)
{
	for (size_t j = (size_t)h & set->mask; set->slots[j]; j = (j + 1) & set->mask) {
		const tpl_t *t = set->slots[j];
		if (t->hash == h && strncmp(t->name, name, len) == 0 && t->name[len] == '\0')
			return t;
	}
	return NULL;
}

/* Takes ownership of t; the caller has checked the name is new. */
static int tpl_insert(tpl_set_t *set, tpl_t *t)
{
	if ((set->count + 1) * 2 > set->mask + 1) {
		size_t size = (set->mask + 1) * 2;
		tpl_t **slots = calloc(size, sizeof(*slots));
		if (!slots)
			return -1;
		for (size_t i = 0; i <= set->mask; i++) {
			tpl_t *o = set->slots[i];
			if (!o)
				continue;
			size_t j = (size_t)o->hash & (size - 1);
			while (slots[j])
				j = (j + 1) & (size - 1);
			slots[j] = o;
		}
		free(set->slots);
		set->slots = slots;
		set->mask = size - 1;
	}
	size_t j = (size_t)t->hash & set->mask;
	while (set->slots[j])
		j = (j + 1) & set->mask;
	set->slots[j] = t;
	set->count++;
	return 0;
}

/* ---- compiling ----------------------------------------------------------------------------------- */

typedef struct tpl_parser {
	tpl_set_t *set;
	const char *file;     /* for messages */
	const char *src;
	size_t len;
	tpl_node_t *nodes;
	uint32_t n, cap;
	size_t line, line_pos; /* line number of src[line_pos] */
	struct {
		uint32_t node;
		const char *name;
		size_t len;
		size_t line;
	} open[TPL_MAX_NESTING];
	int nopen;
	char **err;
} tpl_parser_t;

/* Line number of src[pos]; positions only move forward, so the count is incremental. */
static size_t tpl_line_at(tpl_parser_t *p, size_t pos)
{
	for (; p->line_pos < pos; p->line_pos++)
		if (p->src[p->line_pos] == '\n')
			p->line++;
	return p->line;
}

static void tpl_fail(tpl_parser_t *p, size_t line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void tpl_fail(tpl_parser_t *p, size_t line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tpl_set_err(p->err, "%s:%zu: %s", p->file, line, msg);
}

static tpl_node_t *tpl_push(tpl_parser_t *p, enum tpl_kind kind)
{
	if (p->n == p->cap) {
		uint32_t cap = p->cap ? p->cap * 2 : 32;
		tpl_node_t *nodes = cap > p->cap ? realloc(p->nodes, cap * sizeof(*nodes)) : NULL;
		if (!nodes)
			return NULL;
		p->nodes = nodes;
		p->cap = cap;
	}
	tpl_node_t *nd = &p->nodes[p->n++];
	memset(nd, 0, sizeof(*nd));
	nd->kind = (uint8_t)kind;
	return nd;
}

static int tpl_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Splits a dotted name into segments stored in the arena; "." alone is the current context. */
static int tpl_parse_name(tpl_parser_t *p, tpl_node_t *nd, const char *s, size_t n, size_t line)
{
	if (n == 1 && s[0] == '.') {
		nd->nseg = 0;
		return 0;
	}
	uint32_t nseg = 1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (i == 0 || i + 1 == n || s[i + 1] == '.')
				goto bad;
			nseg++;
		} else if (!tpl_name_char(s[i])) {
			goto bad;
		}
	}
	if (n == 0)
		goto bad;
	tpl_seg_t *segs = arena_alloc(&p->set->arena, nseg * sizeof(*segs));
	if (!segs)
		goto nomem;
	size_t start = 0;
	uint32_t k = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			segs[k].key = arena_strndup(&p->set->arena, s + start, i - start);
			segs[k].len = i - start;
			if (!segs[k].key)
				goto nomem;
			k++;
			start = i + 1;
		}
	}
	nd->segs = segs;
	nd->nseg = nseg;
	return 0;
bad:
	tpl_fail(p, line, "bad name '%.*s'", (int)(n > 60 ? 60 : n), s);
	return -1;
nomem:
	tpl_fail(p, line, "out of memory");
	return -1;
}

/* A section, inverted, close, partial or comment tag alone on its line (only blanks around it) is
 * removed together with that line, so block tags do not leave blank lines in the HTML. */
static int tpl_standalone(const tpl_parser_t *p, size_t pos, size_t tag_start, size_t tag_end, size_t *line_start,
			  size_t *next)
{
	size_t k = tag_start;
	while (k > pos && (p->src[k - 1] == ' ' || p->src[k - 1] == '\t'))
		k--;
	if (k != 0 && p->src[k - 1] != '\n')
		return 0;
	size_t e = tag_end;
	while (e < p->len && (p->src[e] == ' ' || p->src[e] == '\t'))
		e++;
	if (e == p->len)
		*next = e;
	else if (p->src[e] == '\n')
		*next = e + 1;
	else if (p->src[e] == '\r' && e + 1 < p->len && p->src[e + 1] == '\n')
		*next = e + 2;
	else
		return 0;
	*line_start = k;
	return 1;
}

static int tpl_text(tpl_parser_t *p, size_t from, size_t to)
{
	if (to <= from)
		return 0;
	tpl_node_t *nd = tpl_push(p, TPL_TEXT);
	if (!nd)
		return -1;
	nd->str = p->src + from;
	nd->len = to - from;
	return 0;
}

static int tpl_tag(tpl_parser_t *p, char sigil, const char *s, size_t n, size_t line)
{
	tpl_node_t *nd;
	switch (sigil) {
	case '!':
		return 0;
	case '#':
	case '^':
		if (p->nopen == TPL_MAX_NESTING) {
			tpl_fail(p, line, "sections nested deeper than %d", TPL_MAX_NESTING);
			return -1;
		}
		if (!(nd = tpl_push(p, sigil == '#' ? TPL_SECTION : TPL_INVERTED)))
			goto nomem;
		if (tpl_parse_name(p, nd, s, n, line) < 0)
			return -1;
		p->open[p->nopen].node = p->n - 1;
		p->open[p->nopen].name = s;
		p->open[p->nopen].len = n;
		p->open[p->nopen].line = line;
		p->nopen++;
		return 0;
	case '/':
		if (!p->nopen) {
			tpl_fail(p, line, "unexpected close '%.*s'", (int)(n > 60 ? 60 : n), s);
			return -1;
		}
		p->nopen--;
		if (p->open[p->nopen].len != n || memcmp(p->open[p->nopen].name, s, n) != 0) {
			tpl_fail(p, line, "mismatched close '%.*s', expected '%.*s'", (int)(n > 60 ? 60 : n), s,
				 (int)(p->open[p->nopen].len > 60 ? 60 : p->open[p->nopen].len), p->open[p->nopen].name);
			return -1;
		}
		p->nodes[p->open[p->nopen].node].end = p->n;
		return 0;
	case '>':
		for (size_t i = 0; i < n; i++) {
			if (!tpl_name_char(s[i]) && s[i] != '/' && s[i] != '.') {
				n = 0;
				break;
			}
		}
		if (!n) {
			tpl_fail(p, line, "bad partial name");
			return -1;
		}
		if (!(nd = tpl_push(p, TPL_PARTIAL)))
			goto nomem;
		nd->str = s;
		nd->len = n;
		nd->hash = tpl_hash(s, n);
		return 0;
	case '_':
		if (!(nd = tpl_push(p, TPL_TRANS)) || !(nd->str = arena_strndup(&p->set->arena, s, n)))
			goto nomem;
		nd->len = n;
		return 0;
	case '&':
	case '{':
	default:
		if (!(nd = tpl_push(p, sigil == 0 ? TPL_VAR : TPL_RAW)))
			goto nomem;
		return tpl_parse_name(p, nd, s, n, line);
	}
nomem:
	tpl_fail(p, line, "out of memory");
	return -1;
}

static int tpl_parse(tpl_parser_t *p)
{
	size_t pos = 0;
	const char *src = p->src;
	while (pos < p->len) {
		const char *o = memmem(src + pos, p->len - pos, "{{", 2);
		if (!o)
			return tpl_text(p, pos, p->len) < 0 ? (tpl_fail(p, tpl_line_at(p, p->len), "out of memory"), -1) : 0;
		size_t tag_start = (size_t)(o - src);
		size_t line = tpl_line_at(p, tag_start);
		int triple = tag_start + 2 < p->len && src[tag_start + 2] == '{';
		size_t cstart = tag_start + (triple ? 3 : 2);
		const char *c = memmem(src + cstart, p->len - cstart, triple ? "}}}" : "}}", triple ? 3 : 2);
		if (!c) {
			tpl_fail(p, line, "unclosed tag");
			return -1;
		}
		size_t tag_end = (size_t)(c - src) + (triple ? 3 : 2);
		const char *s = src + cstart;
		size_t n = (size_t)(c - s);
		tpl_trim(&s, &n);
		char sigil = triple ? '{' : 0;
		if (!triple && n) {
			if (s[0] && strchr("#^/>!&", s[0])) {
				sigil = s[0];
			} else if (s[0] == '_' && n > 1 && tpl_space(s[1])) {
				sigil = '_';
			} else if (s[0] == '=') {
				tpl_fail(p, line, "set-delimiter tags are not supported");
				return -1;
			}
			if (sigil) {
				s++;
				n--;
				tpl_trim(&s, &n);
			}
		}
		size_t text_end = tag_start, next = tag_end, ls, nx;
		int block = sigil == '#' || sigil == '^' || sigil == '/' || sigil == '>' || sigil == '!';
		if (block && tpl_standalone(p, pos, tag_start, tag_end, &ls, &nx)) {
			text_end = ls;
			next = nx;
		}
		if (tpl_text(p, pos, text_end) < 0) {
			tpl_fail(p, line, "out of memory");
			return -1;
		}
		if (tpl_tag(p, sigil, s, n, line) < 0)
			return -1;
		pos = next;
	}
	return 0;
}

/* Compiles one template and adds it to the set under name; src is copied. */
static int tpl_set_add(tpl_set_t *set, const char *name, const char *src, size_t len, const char *file, char **err)
{
	int rc = -1;
	tpl_parser_t p = {.set = set, .file = file, .len = len, .line = 1, .err = err};
	tpl_t *t = NULL;
	size_t nlen = strlen(name);
	if (tpl_find(set, name, nlen, tpl_hash(name, nlen))) {
		tpl_set_err(err, "%s: duplicate template '%s'", file, name);
		goto out;
	}
	if (!(p.src = arena_strndup(&set->arena, src, len)) || !(t = calloc(1, sizeof(*t))) ||
	    !(t->name = arena_strdup(&set->arena, name))) {
		tpl_set_err(err, "%s: out of memory", file);
		goto out;
	}
	if (tpl_parse(&p) < 0)
		goto out;
	if (p.nopen) {
		tpl_fail(&p, p.open[p.nopen - 1].line, "unclosed section '%.*s'",
			 (int)(p.open[p.nopen - 1].len > 60 ? 60 : p.open[p.nopen - 1].len), p.open[p.nopen - 1].name);
		goto out;
	}
	t->hash = tpl_hash(name, nlen);
	t->nodes = p.nodes;
	t->n = p.n;
	p.nodes = NULL;
	if (tpl_insert(set, t) < 0) {
		t->nodes = NULL;
		tpl_set_err(err, "%s: out of memory", file);
		goto out;
	}
	t = NULL;
	rc = 0;
out:
	if (t)
		free(t->nodes);
	free(t);
	free(p.nodes);
	return rc;
}

static int tpl_read_file(const char *path, buf_t *b, char **err)
{
	int rc = -1;
	FILE *f = fopen(path, "rb");
	if (!f) {
		tpl_set_err(err, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	char chunk[16384];
	size_t got;
	buf_reset(b);
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (buf_append(b, chunk, got) < 0) {
			tpl_set_err(err, "%s: file too large", path);
			goto out;
		}
	}
	if (ferror(f)) {
		tpl_set_err(err, "cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	fclose(f);
	return rc;
}

/* Walks root/rel recursively; rel is "" at the top.  b is a scratch buffer reused for every file. */
static int tpl_walk(tpl_set_t *set, const char *root, const char *rel, int depth, buf_t *b, char **err)
{
	int rc = -1;
	char *dirpath = NULL;
	DIR *d = NULL;
	if (depth > TPL_MAX_DIR_DEPTH) {
		tpl_set_err(err, "%s/%s: directories nested too deeply", root, rel);
		return -1;
	}
	if (asprintf(&dirpath, "%s%s%s", root, *rel ? "/" : "", rel) < 0) {
		dirpath = NULL;
		tpl_set_err(err, "out of memory");
		goto out;
	}
	if (!(d = opendir(dirpath))) {
		tpl_set_err(err, "cannot open directory '%s': %s", dirpath, strerror(errno));
		goto out;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char *path = NULL, *sub = NULL;
		int ok = -1;
		struct stat st;
		if (asprintf(&path, "%s/%s", dirpath, de->d_name) < 0)
			path = NULL; /* asprintf leaves it undefined on failure */
		if (path && asprintf(&sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name) < 0)
			sub = NULL;
		if (!path || !sub) {
			tpl_set_err(err, "out of memory");
			goto next;
		}
		if (stat(path, &st) < 0) {
			tpl_set_err(err, "cannot stat '%s': %s", path, strerror(errno));
			goto next;
		}
		if (S_ISDIR(st.st_mode)) {
			ok = tpl_walk(set, root, sub, depth + 1, b, err);
		} else {
			size_t n = strlen(sub);
			ok = 0;
			if (S_ISREG(st.st_mode) && n > 5 && strcmp(sub + n - 5, ".html") == 0) {
				sub[n - 5] = '\0';
				if (tpl_read_file(path, b, err) < 0 ||
				    tpl_set_add(set, sub, buf_cstr(b), b->len, path, err) < 0)
					ok = -1;
			}
		}
	next:
		free(path);
		free(sub);
		if (ok < 0)
			goto out;
	}
	rc = 0;
out:
	if (d)
		closedir(d);
	free(dirpath);
	return rc;
}

tpl_set_t *tpl_set_load(const char *dir, char **err)
{
	buf_t b;
	buf_init(&b, TPL_MAX_FILE);
	if (err)
		*err = NULL;
	tpl_set_t *set = tpl_set_new();
	if (!set) {
		tpl_set_err(err, "out of memory");
		goto out;
	}
	if (tpl_walk(set, dir, "", 0, &b, err) < 0) {
		tpl_set_free(set);
		set = NULL;
	}
out:
	buf_release(&b);
	return set;
}

int tpl_exists(const tpl_set_t *set, const char *name)
{
	size_t n = strlen(name);
	return set && tpl_find(set, name, n, tpl_hash(name, n)) != NULL;
}

/* ---- rendering ----------------------------------------------------------------------------------- */

static json_t *tpl_lookup(const tpl_node_t *nd, const tpl_frame_t *f)
{
	if (nd->nseg == 0)
		return f ? f->v : NULL;
	json_t *v = NULL;
	for (; f; f = f->up)
		if (json_is_object(f->v) && (v = json_object_getn(f->v, nd->segs[0].key, nd->segs[0].len)))
			break;
	for (uint32_t i = 1; v && i < nd->nseg; i++)
		v = json_is_object(v) ? json_object_getn(v, nd->segs[i].key, nd->segs[i].len) : NULL;
	return v;
}

static int tpl_truthy(const json_t *v)
{
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_TRUE: return 1;
	case JSON_STRING: return json_string_length(v) > 0;
	case JSON_INTEGER: return json_integer_value(v) != 0;
	case JSON_REAL: return json_real_value(v) != 0.0;
	case JSON_ARRAY: return json_array_size(v) > 0;
	case JSON_OBJECT: return json_object_size(v) > 0;
	default: return 0;
	}
}

/* buf_append_html, with the clean runs between special characters copied in one go: strcspn is
 * vectorised in glibc while the escaper walks byte by byte, and escaping is most of a render's time. */
static int tpl_escape(buf_t *out, const char *s, size_t n)
{
	while (n) {
		size_t k = strcspn(s, "&<>\"'"); /* an embedded NUL also stops it: escaped as itself below */
		if (k >= n)
			return buf_append(out, s, n);
		if (buf_append(out, s, k) < 0 || buf_append_html(out, s + k, 1) < 0)
			return -1;
		s += k + 1;
		n -= k + 1;
	}
	return 0;
}

static int tpl_value(tpl_run_t *r, const json_t *v, int escape)
{
	char num[64];
	int n;
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		return escape ? tpl_escape(r->out, json_string_value(v), json_string_length(v))
			      : buf_append(r->out, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		n = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return buf_append(r->out, num, (size_t)n);
	case JSON_REAL:
		n = snprintf(num, sizeof(num), "%g", json_real_value(v));
		return buf_append(r->out, num, (size_t)n);
	case JSON_TRUE:
		return buf_append(r->out, "true", 4);
	default:
		return 0;
	}
}

static int tpl_run_nodes(tpl_run_t *r, const tpl_node_t *nodes, uint32_t from, uint32_t to, const tpl_frame_t *f);

static int tpl_partial(tpl_run_t *r, const tpl_node_t *nd, const tpl_frame_t *f)
{
	const tpl_t *t = r->set ? tpl_find(r->set, nd->str, nd->len, nd->hash) : NULL;
	if (!t) {
		r->fail = TPL_E_PARTIAL;
		r->what = nd->str;
		r->what_len = nd->len;
		return -1;
	}
	if (r->depth >= TPL_MAX_PARTIAL_DEPTH) {
		r->fail = TPL_E_DEPTH;
		r->what = nd->str;
		r->what_len = nd->len;
		return -1;
	}
	r->depth++;
	int rc = tpl_run_nodes(r, t->nodes, 0, t->n, f);
	r->depth--;
	return rc;
}

static int tpl_run_nodes(tpl_run_t *r, const tpl_node_t *nodes, uint32_t from, uint32_t to, const tpl_frame_t *f)
{
	for (uint32_t i = from; i < to;) {
		const tpl_node_t *nd = &nodes[i];
		json_t *v;
		int rc = 0;
		if (--r->steps < 0) {
			r->fail = TPL_E_STEPS;
			return -1;
		}
		switch ((enum tpl_kind)nd->kind) {
		case TPL_TEXT:
			rc = buf_append(r->out, nd->str, nd->len);
			break;
		case TPL_VAR:
		case TPL_RAW:
			rc = tpl_value(r, tpl_lookup(nd, f), nd->kind == TPL_VAR);
			break;
		case TPL_TRANS:
			{
				const char *s = i18n_get(r->cat, nd->str);
				/* the msgid is its own translation: skip the strlen for the common English page */
				rc = tpl_escape(r->out, s, s == nd->str ? nd->len : strlen(s));
			}
			break;
		case TPL_PARTIAL:
			if (tpl_partial(r, nd, f) < 0)
				return -1;
			break;
		case TPL_SECTION:
			v = tpl_lookup(nd, f);
			if (json_is_array(v)) {
				size_t k;
				json_t *el;
				json_array_foreach(v, k, el) {
					tpl_frame_t top = {el, f};
					/* an empty body visits no nodes, yet nested loops over it still spin */
					if (--r->steps < 0) {
						r->fail = TPL_E_STEPS;
						return -1;
					}
					if (tpl_run_nodes(r, nodes, i + 1, nd->end, &top) < 0)
						return -1;
				}
			} else if (tpl_truthy(v)) {
				tpl_frame_t top = {v, f};
				if (tpl_run_nodes(r, nodes, i + 1, nd->end, &top) < 0)
					return -1;
			}
			i = nd->end;
			continue;
		case TPL_INVERTED:
			if (!tpl_truthy(tpl_lookup(nd, f)) && tpl_run_nodes(r, nodes, i + 1, nd->end, f) < 0)
				return -1;
			i = nd->end;
			continue;
		}
		if (rc < 0) {
			if (r->fail == TPL_OK)
				r->fail = TPL_E_OVERFLOW;
			return -1;
		}
		i++;
	}
	return 0;
}

int tpl_render(const tpl_set_t *set, const char *name, json_t *ctx, const i18n_t *cat, buf_t *out)
{
	size_t n = strlen(name);
	const tpl_t *t = set ? tpl_find(set, name, n, tpl_hash(name, n)) : NULL;
	if (!t)
		return -1;
	tpl_run_t r = {.set = set, .cat = cat, .out = out, .steps = TPL_MAX_STEPS};
	tpl_frame_t root = {ctx, NULL};
	return tpl_run_nodes(&r, t->nodes, 0, t->n, &root);
}

int tpl_render_string(const char *src, json_t *ctx, const i18n_t *cat, buf_t *out, char **err)
{
	int rc = -1;
	if (err)
		*err = NULL;
	tpl_set_t *set = tpl_set_new();
	if (!set) {
		tpl_set_err(err, "out of memory");
		return -1;
	}
	/* the one-off template is not registered under a name, so {{> x}} can never find anything */
	tpl_parser_t p = {.set = set, .file = "<string>", .len = strlen(src), .line = 1, .err = err};
	if (!(p.src = arena_strndup(&set->arena, src, p.len))) {
		tpl_set_err(err, "out of memory");
		goto out;
	}
	if (tpl_parse(&p) < 0)
		goto out;
	if (p.nopen) {
		tpl_fail(&p, p.open[p.nopen - 1].line, "unclosed section '%.*s'",
			 (int)(p.open[p.nopen - 1].len > 60 ? 60 : p.open[p.nopen - 1].len), p.open[p.nopen - 1].name);
		goto out;
	}
	tpl_run_t r = {.cat = cat, .out = out, .steps = TPL_MAX_STEPS};
	tpl_frame_t root = {ctx, NULL};
	if (tpl_run_nodes(&r, p.nodes, 0, p.n, &root) < 0) {
		if (r.fail == TPL_E_PARTIAL)
			tpl_set_err(err, "missing partial '%.*s'", (int)r.what_len, r.what);
		else if (r.fail == TPL_E_DEPTH)
			tpl_set_err(err, "partials nested deeper than %d at '%.*s'", TPL_MAX_PARTIAL_DEPTH,
				    (int)r.what_len, r.what);
		else if (r.fail == TPL_E_STEPS)
			tpl_set_err(err, "render took more than %ld steps", (long)TPL_MAX_STEPS);
		else
			tpl_set_err(err, "output too large");
		goto out;
	}
	rc = 0;
out:
	free(p.nodes);
	tpl_set_free(set);
	return rc;
}
