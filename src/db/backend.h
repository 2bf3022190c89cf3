/* backend: what a database backend (sqlite.c, pg.c) provides to db.c, which dispatches the db.h calls.
 * Every db_t and db_stmt_t starts with the header below, so db.c can find the backend of any handle. */
#ifndef DB_BACKEND_H
#define DB_BACKEND_H
#include "core/buf.h"
#include "db/db.h"

struct db_backend {
	const char *name;
	db_t *(*open)(const char *target, int create, char **err);
	void (*close)(db_t *db);
	db_stmt_t *(*prepare)(db_t *db, const char *sql);
	int (*bind_int)(db_stmt_t *st, int idx, long long v);
	int (*bind_textn)(db_stmt_t *st, int idx, const char *s, size_t n); /* s NULL binds NULL */
	int (*step)(db_stmt_t *st);
	long long (*col_int)(db_stmt_t *st, int col);
	const char *(*col_text)(db_stmt_t *st, int col);
	int (*col_null)(db_stmt_t *st, int col);
	void (*done)(db_stmt_t *st);
	long long (*changes)(db_t *db); /* rows changed by the last statement run to completion */
	int (*exec_script)(db_t *db, const char *sql);
	int (*begin)(db_t *db);
	int (*commit)(db_t *db);
	void (*rollback)(db_t *db);
	long long (*last_id)(db_t *db);
	const char *(*errmsg)(db_t *db);
	long long (*data_version)(db_t *db);
	int (*unavailable)(db_t *db);
	void (*quiet)(db_t *db, int on);
	long long (*search_sync)(db_t *db);
	const char *(*search_sql)(int kind);
	int (*search_match)(buf_t *out, const char *expr, const char *lang);
};

/* The first member of every backend's connection and statement. */
struct db_head {
	const struct db_backend *be;
};

extern const struct db_backend db_sqlite_backend, db_pg_backend;
#endif
