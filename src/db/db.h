/* db: the one database interface the modules use.  SQL is written once with `?` placeholders in the
 * portable subset SQLite and PostgreSQL share; the backend translates.  One connection per thread:
 * a db_t is never shared between threads. */
#ifndef DB_DB_H
#define DB_DB_H
#include <stddef.h>

typedef struct db db_t;
typedef struct db_stmt db_stmt_t;

enum { DB_DONE = 0, DB_ROW = 1, DB_ERROR = -1 };

/* Process-wide set-up, before the first connection opens. */
void db_global_init(void);
/* Opens (creating when create is set) the SQLite database at path, in WAL mode with foreign keys on.
 * Returns NULL and a malloc'd message in *err on failure. */
db_t *db_open(const char *path, int create, char **err);
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

int db_begin(db_t *db);      /* BEGIN IMMEDIATE: a writer takes the lock up front, no upgrade deadlocks */
int db_commit(db_t *db);
void db_rollback(db_t *db);
long long db_last_id(db_t *db);
const char *db_errmsg(db_t *db);
/* A number that changes whenever another connection (or process) commits a change to the database;
 * this connection's own writes do not change it. */
long long db_data_version(db_t *db);
/* The SQLite file this connection uses. */
const char *db_path(db_t *db);
#endif
