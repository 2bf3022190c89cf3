/* db over SQLite: WAL, FULL sync (an acknowledged write survives a crash), a per-connection cache of
 * prepared statements keyed by the SQL text. */
#include "db/backend.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "db/search_sql.h"
#include "search/query.h"

#define DB_STMT_CACHE 96

struct db_stmt {
	struct db_head head;
	sqlite3_stmt *st;
	db_t *db;
	unsigned long hash; /* of the SQL text: compared first, then the text itself */
	char *sql_copy;
};

struct db {
	struct db_head head;
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

static void sq_close(db_t *db);
static int sq_exec_script(db_t *db, const char *sql);

static db_t *sq_open(const char *path, int create, char **err)
{
	db_t *db = calloc(1, sizeof(*db));
	if (!db) {
		*err = strdup("out of memory");
		return NULL;
	}
	db->head.be = &db_sqlite_backend;
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
	if (sq_exec_script(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
			       "PRAGMA temp_store=MEMORY;") < 0) {
		*err = db_strdup_err(path, sqlite3_errmsg(db->h));
		goto fail;
	}
	return db;
fail:
	sq_close(db);
	return NULL;
}

static void sq_close(db_t *db)
{
	for (int i = 0; i < db->ncache; i++) {
		sqlite3_finalize(db->cache[i].st);
		free(db->cache[i].sql_copy);
	}
	sqlite3_close_v2(db->h);
	free(db->path);
	free(db);
}

static db_stmt_t *sq_prepare(db_t *db, const char *sql)
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
	s->head.be = &db_sqlite_backend;
	s->st = st;
	s->db = db;
	s->hash = h;
	s->sql_copy = strdup(sql);
	return s;
}

static int sq_bind_int(db_stmt_t *st, int idx, long long v)
{
	return sqlite3_bind_int64(st->st, idx, v) == SQLITE_OK ? 0 : -1;
}

static int sq_bind_textn(db_stmt_t *st, int idx, const char *s, size_t n)
{
	if (!s)
		return sqlite3_bind_null(st->st, idx) == SQLITE_OK ? 0 : -1;
	return sqlite3_bind_text(st->st, idx, s, (int)n, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : -1;
}

static int sq_step(db_stmt_t *st)
{
	switch (sqlite3_step(st->st)) {
	case SQLITE_ROW: return DB_ROW;
	case SQLITE_DONE: return DB_DONE;
	default: return DB_ERROR;
	}
}

static long long sq_col_int(db_stmt_t *st, int col)
{
	return sqlite3_column_int64(st->st, col);
}

static const char *sq_col_text(db_stmt_t *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st->st, col);
	return t ? (const char *)t : "";
}

static int sq_col_null(db_stmt_t *st, int col)
{
	return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

static void sq_done(db_stmt_t *st)
{
	sqlite3_reset(st->st);
	sqlite3_clear_bindings(st->st);
}

static long long sq_changes(db_t *db)
{
	return sqlite3_changes64(db->h);
}

static int sq_exec_script(db_t *db, const char *sql)
{
	if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	/* a script that edited the schema text (008_officer_role.sql loosens a CHECK) must bump the schema
	 * cookie, as SQLite's procedure says, so every connection, this one included, re-reads the schema */
	if (strstr(sql, "writable_schema")) {
		char bump[64];
		snprintf(bump, sizeof(bump), "PRAGMA schema_version = %lld", db_int(db, "PRAGMA schema_version", "", 0) + 1);
		return sqlite3_exec(db->h, bump, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
	}
	return 0;
}

static int sq_begin(db_t *db)
{
	return sq_exec_script(db, "BEGIN IMMEDIATE");
}

static int sq_commit(db_t *db)
{
	return sq_exec_script(db, "COMMIT");
}

static void sq_rollback(db_t *db)
{
	if (!sqlite3_get_autocommit(db->h))
		sq_exec_script(db, "ROLLBACK");
}

static long long sq_last_id(db_t *db)
{
	return sqlite3_last_insert_rowid(db->h);
}

static const char *sq_errmsg(db_t *db)
{
	return sqlite3_errmsg(db->h);
}

static long long sq_data_version(db_t *db)
{
	return db_int(db, "PRAGMA data_version", "", -1);
}

static int sq_unavailable(db_t *db)
{
	return 0; /* a file does not go away between statements */
}

static void sq_quiet(db_t *db, int on)
{
}

/* ---- full-text search: FTS5 (migration 006) -------------------------------------------------------- */

static long long sq_search_sync(db_t *db)
{
	if (db_int(db, "SELECT EXISTS (SELECT 1 FROM search_dirty)", "", 0) == 0)
		return 0;
	if (sq_begin(db) < 0)
		return -1;
	/* under the write lock: no other writer can queue an article between these statements */
	long long n = db_int(db, "SELECT count(*) FROM search_dirty", "", 0);
	if (sq_exec_script(db, "DELETE FROM article_search WHERE rowid IN (SELECT article_id FROM search_dirty);"
			       "INSERT INTO article_search (rowid, title, lead, body, lang)"
			       " SELECT a.id, cong_fold(a.title), cong_fold(a.lead), cong_fold(a.body), a.lang FROM articles a"
			       " WHERE a.id IN (SELECT article_id FROM search_dirty);"
			       "DELETE FROM search_dirty;") < 0 ||
	    sq_commit(db) < 0) {
		sq_rollback(db);
		return -1;
	}
	return n;
}

/* The FTS5 part: relevance ranks with bm25 (title 10, lead 4, body 1) the matches whose rowid is at least
 * the cutoff; date order needs no rank at all.  The filters join articles after, through
 * articles_search_filter (a covering index: the article rows, bodies and all, are never read). */
#define SQ_RANKED "SELECT rowid AS id, bm25(article_search, 10.0, 4.0, 1.0, 0.0) AS r FROM article_search" \
		  " WHERE article_search MATCH ? AND rowid >= ?"
#define SQ_UNRANKED "SELECT rowid AS id, 0 AS r FROM article_search WHERE article_search MATCH ? AND rowid >= ?"

static const char *sq_search_sql(int kind)
{
	switch (kind) {
	case DB_SEARCH_RANKED:
		return DB_SEARCH_SQL(SQ_RANKED, " INDEXED BY articles_search_filter", "m.r, a.published_at DESC, a.id DESC");
	case DB_SEARCH_BY_DATE:
		return DB_SEARCH_SQL(SQ_UNRANKED, " INDEXED BY articles_search_filter", "a.published_at DESC, a.id DESC");
	default:
		return "SELECT rowid FROM article_search WHERE article_search MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?";
	}
}

/* The user's words match the text columns only; the language is a token of the lang column. */
static int sq_search_match(buf_t *out, const char *expr, const char *lang)
{
	buf_appendf(out, "{title lead body} : %s", expr);
	if (*lang)
		buf_appendf(out, " AND lang : \"%s\"", lang);
	return out->overflow ? -1 : 0;
}

void db_global_init(void)
{
	/* SQLite's memory statistics take a global lock on every allocation, which the workers would fight over */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

const struct db_backend db_sqlite_backend = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.prepare = sq_prepare,
	.bind_int = sq_bind_int,
	.bind_textn = sq_bind_textn,
	.step = sq_step,
	.col_int = sq_col_int,
	.col_text = sq_col_text,
	.col_null = sq_col_null,
	.done = sq_done,
	.changes = sq_changes,
	.exec_script = sq_exec_script,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.last_id = sq_last_id,
	.errmsg = sq_errmsg,
	.data_version = sq_data_version,
	.unavailable = sq_unavailable,
	.quiet = sq_quiet,
	.search_sync = sq_search_sync,
	.search_sql = sq_search_sql,
	.search_match = sq_search_match,
};
