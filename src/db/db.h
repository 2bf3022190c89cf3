/* db: the one database interface the modules use.  SQL is written once with `?` placeholders in the
 * portable subset SQLite and PostgreSQL share; the backend translates.  One connection per thread:
 * a db_t is never shared between threads.  The backend-specific pieces (full-text search, change
 * notification, the write lock) are functions here, implemented by sqlite.c and pg.c. */
#ifndef DB_DB_H
#define DB_DB_H
#include <stddef.h>

#include "core/buf.h"

typedef struct db db_t;
typedef struct db_stmt db_stmt_t;

enum { DB_DONE = 0, DB_ROW = 1, DB_ERROR = -1 };

/* Process-wide set-up, before the first connection opens. */
void db_global_init(void);
/* Opens target: a PostgreSQL URL (postgres://… or postgresql://…; create is ignored, the database must
 * exist) or the path of a SQLite file (created when create is set; WAL mode, foreign keys on).
 * Returns NULL and a malloc'd message in *err on failure. */
db_t *db_open(const char *target, int create, char **err);
/* 1 when target names a PostgreSQL database rather than a SQLite file. */
int db_is_url(const char *target);
/* "sqlite" or "postgresql". */
const char *db_backend_name(db_t *db);
void db_close(db_t *db);

/* Prepares sql, reusing a cached statement when the same SQL was prepared before on this connection.
 * Returns NULL on error (see db_errmsg).  Finish with db_done, which resets it for the next use. */
db_stmt_t *db_prepare(db_t *db, const char *sql);
int db_bind_int(db_stmt_t *st, int idx, long long v);     /* idx counts from 1 */
int db_bind_text(db_stmt_t *st, int idx, const char *s);   /* NULL binds SQL NULL */
int db_bind_textn(db_stmt_t *st, int idx, const char *s, size_t n);
/* Binds in order from a format: 'i' long long, 'z' long long with 0 binding NULL (optional references),
 * 's' const char * (NULL → NULL), 'n' NULL (takes no argument). */
int db_bindf(db_stmt_t *st, const char *fmt, ...);
/* DB_ROW, DB_DONE or DB_ERROR. */
int db_step(db_stmt_t *st);
long long db_col_int(db_stmt_t *st, int col);
/* Valid until the next db_step/db_done; never NULL ("" for SQL NULL). */
const char *db_col_text(db_stmt_t *st, int col);
int db_col_null(db_stmt_t *st, int col);
void db_done(db_stmt_t *st);

/* Runs one parameterised statement to completion: db_exec(db, "UPDATE … WHERE id = ?", "i", id).
 * Returns the number of rows changed, or -1. */
long long db_execf(db_t *db, const char *sql, const char *fmt, ...);
/* Runs a script of several statements without parameters (migrations).  0 or -1. */
int db_exec_script(db_t *db, const char *sql);
/* Fetches one integer: the first column of the first row, or dflt when there is none. */
long long db_int(db_t *db, const char *sql, const char *fmt, long long dflt, ...);

/* A write transaction that takes the database's one write lock up front (SQLite: BEGIN IMMEDIATE;
 * PostgreSQL: a transaction-scoped advisory lock), so writers run one at a time on every backend and
 * across every server: no upgrade deadlocks, no lost updates between a read and the write after it. */
int db_begin(db_t *db);
int db_commit(db_t *db);
void db_rollback(db_t *db);
long long db_last_id(db_t *db);
const char *db_errmsg(db_t *db);
/* A number that changes whenever another connection (or process, or server) commits a change to the
 * database; this connection's own writes do not change it.  PostgreSQL: LISTEN/NOTIFY. */
long long db_data_version(db_t *db);
/* 1 when the last error came from losing the database (PostgreSQL down or restarting): the request
 * gets a 503, and the next statement tries to reconnect. */
int db_unavailable(db_t *db);
/* While on, this connection's writes change no page (view counters): other servers are not told to
 * drop their page caches.  SQLite cannot tell its readers apart, so there it does nothing. */
void db_quiet(db_t *db, int on);

/* ---- full-text search over articles (search/search.c holds the rules; this is the store) ---------- */
enum { DB_SEARCH_RANKED, DB_SEARCH_BY_DATE, DB_SEARCH_CUTOFF };
/* Re-indexes the articles queued in search_dirty; the number re-indexed, or -1. */
long long db_search_sync(db_t *db);
/* The search statements.  RANKED and BY_DATE bind (match, cutoff id, published up to, published from,
 * category ×3, limit, offset) and return (id, total); CUTOFF binds (match, offset) and returns an id. */
const char *db_search_sql(db_t *db, int kind);
/* Appends the value to bind as match: expr (search_match_expr's form) limited to language lang
 * ("" for any).  0, or -1 on overflow. */
int db_search_match(db_t *db, buf_t *out, const char *expr, const char *lang);
#endif
