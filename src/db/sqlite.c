/* db over SQLite: WAL, FULL sync (an acknowledged write survives a crash), a per-connection cache of
 * prepared statements keyed by the SQL text. */
#include "db/db.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "search/query.h"

#define DB_STMT_CACHE 96

struct db_stmt {
	sqlite3_stmt *st;
	db_t *db;
	unsigned long hash; /* of the SQL text: compared first, then the text itself */
	char *sql_copy;
};

struct db {
	sqlite3 *h;
	char *path;
	db_stmt_t cache[DB_STMT_CACHE];
	int ncache;
};

static char *db_strdup_err(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 3;
	char *m = malloc(n);
	if (m)
		snprintf(m, n, "%s: %s", a, b);
	return m;
}

/* cong_fold(text): the search form of text (search_fold), for the full-text index (006_search.sql).
 * NULL stays NULL. */
static void db_fn_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *s = sqlite3_value_text(argv[0]);
	buf_t out;
	if (!s) {
		sqlite3_result_null(ctx);
		return;
	}
	buf_init(&out, 256u << 20);
	if (search_fold((const char *)s, (size_t)sqlite3_value_bytes(argv[0]), 0, &out) < 0)
		sqlite3_result_error_nomem(ctx);
	else
		sqlite3_result_text(ctx, buf_cstr(&out), (int)out.len, SQLITE_TRANSIENT);
	buf_release(&out);
}

db_t *db_open(const char *path, int create, char **err)
{
	db_t *db = calloc(1, sizeof(*db));
	if (!db) {
		*err = strdup("out of memory");
		return NULL;
	}
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
		*err = db_strdup_err(path, db->h ? sqlite3_errmsg(db->h) : "cannot open");
		goto fail;
	}
	db->path = strdup(path);
	sqlite3_busy_timeout(db->h, 10000);
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_create_function(db->h, "cong_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
				db_fn_fold, NULL, NULL);
	if (db_exec_script(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
			       "PRAGMA temp_store=MEMORY;") < 0) {
		*err = db_strdup_err(path, sqlite3_errmsg(db->h));
		goto fail;
	}
	return db;
fail:
	db_close(db);
	return NULL;
}

void db_close(db_t *db)
{
	if (!db)
		return;
	for (int i = 0; i < db->ncache; i++) {
		sqlite3_finalize(db->cache[i].st);
		free(db->cache[i].sql_copy);
	}
	sqlite3_close_v2(db->h);
	free(db->path);
	free(db);
}

db_stmt_t *db_prepare(db_t *db, const char *sql)
{
	unsigned long h = 5381;
	for (const char *c = sql; *c; c++)
		h = h * 33 + (unsigned char)*c;
	for (int i = 0; i < db->ncache; i++)
		if (db->cache[i].hash == h && strcmp(db->cache[i].sql_copy, sql) == 0)
			return &db->cache[i];
	sqlite3_stmt *st;
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
		return NULL;
	if (db->ncache == DB_STMT_CACHE) { /* full: evict the oldest; callers never hold two at the limit */
		sqlite3_finalize(db->cache[0].st);
		free(db->cache[0].sql_copy);
		memmove(&db->cache[0], &db->cache[1], sizeof(db->cache[0]) * (DB_STMT_CACHE - 1));
		db->ncache--;
	}
	db_stmt_t *s = &db->cache[db->ncache++];
	s->st = st;
	s->db = db;
	s->hash = h;
	s->sql_copy = strdup(sql);
	return s;
}

int db_bind_int(db_stmt_t *st, int idx, long long v)
{
	return sqlite3_bind_int64(st->st, idx, v) == SQLITE_OK ? 0 : -1;
}

int db_bind_text(db_stmt_t *st, int idx, const char *s)
{
	if (!s)
		return sqlite3_bind_null(st->st, idx) == SQLITE_OK ? 0 : -1;
	return sqlite3_bind_text(st->st, idx, s, -1, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : -1;
}

int db_bind_textn(db_stmt_t *st, int idx, const char *s, size_t n)
{
	return sqlite3_bind_text(st->st, idx, s, (int)n, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : -1;
}

static int db_vbindf(db_stmt_t *st, const char *fmt, va_list ap)
{
	int idx = 1;
	for (const char *f = fmt; f && *f; f++, idx++) {
		int rc;
		switch (*f) {
		case 'i': rc = db_bind_int(st, idx, va_arg(ap, long long)); break;
		case 'z': { /* an optional reference: 0 means none */
			long long v = va_arg(ap, long long);
			rc = v ? db_bind_int(st, idx, v) : (sqlite3_bind_null(st->st, idx) == SQLITE_OK ? 0 : -1);
			break;
		}
		case 's': rc = db_bind_text(st, idx, va_arg(ap, const char *)); break;
		case 'n': rc = sqlite3_bind_null(st->st, idx) == SQLITE_OK ? 0 : -1; break;
		default: rc = -1;
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

int db_bindf(db_stmt_t *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = db_vbindf(st, fmt, ap);
	va_end(ap);
	return rc;
}

int db_step(db_stmt_t *st)
{
	switch (sqlite3_step(st->st)) {
	case SQLITE_ROW: return DB_ROW;
	case SQLITE_DONE: return DB_DONE;
	default: return DB_ERROR;
	}
}

long long db_col_int(db_stmt_t *st, int col)
{
	return sqlite3_column_int64(st->st, col);
}

const char *db_col_text(db_stmt_t *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st->st, col);
	return t ? (const char *)t : "";
}

int db_col_null(db_stmt_t *st, int col)
{
	return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

void db_done(db_stmt_t *st)
{
	sqlite3_reset(st->st);
	sqlite3_clear_bindings(st->st);
}

long long db_execf(db_t *db, const char *sql, const char *fmt, ...)
{
	db_stmt_t *st = db_prepare(db, sql);
	if (!st)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	int rc = db_vbindf(st, fmt, ap);
	va_end(ap);
	long long changed = -1;
	if (rc == 0 && db_step(st) != DB_ERROR)
		changed = sqlite3_changes64(db->h);
	db_done(st);
	return changed;
}

long long db_int(db_t *db, const char *sql, const char *fmt, long long dflt, ...)
{
	db_stmt_t *st = db_prepare(db, sql);
	if (!st)
		return dflt;
	va_list ap;
	va_start(ap, dflt);
	int rc = db_vbindf(st, fmt, ap);
	va_end(ap);
	long long v = dflt;
	if (rc == 0 && db_step(st) == DB_ROW && !db_col_null(st, 0))
		v = db_col_int(st, 0);
	db_done(st);
	return v;
}

int db_exec_script(db_t *db, const char *sql)
{
	return sqlite3_exec(db->h, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

int db_begin(db_t *db)
{
	return db_exec_script(db, "BEGIN IMMEDIATE");
}

int db_commit(db_t *db)
{
	return db_exec_script(db, "COMMIT");
}

void db_rollback(db_t *db)
{
	if (!sqlite3_get_autocommit(db->h))
		db_exec_script(db, "ROLLBACK");
}

long long db_last_id(db_t *db)
{
	return sqlite3_last_insert_rowid(db->h);
}

const char *db_errmsg(db_t *db)
{
	return sqlite3_errmsg(db->h);
}

const char *db_path(db_t *db)
{
	return db->path;
}

long long db_data_version(db_t *db)
{
	return db_int(db, "PRAGMA data_version", "", -1);
}

void db_global_init(void)
{
	/* SQLite's memory statistics take a global lock on every allocation, which the workers would fight over */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
