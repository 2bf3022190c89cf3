/* db: picks the backend from the target ("postgres://…" or "postgresql://…": PostgreSQL; anything else
 * is a SQLite file) and dispatches every call to it.  The calls built from others (db_bindf, db_execf,
 * db_int) are written once here. */
#include "db/backend.h"

#include <stdarg.h>
#include <string.h>

#define BE(h) (((struct db_head *)(h))->be)

int db_is_url(const char *target)
{
	return target && (strncmp(target, "postgres://", 11) == 0 || strncmp(target, "postgresql://", 13) == 0);
}

db_t *db_open(const char *target, int create, char **err)
{
	return (db_is_url(target) ? &db_pg_backend : &db_sqlite_backend)->open(target, create, err);
}

void db_close(db_t *db)
{
	if (db)
		BE(db)->close(db);
}

const char *db_backend_name(db_t *db) { return BE(db)->name; }
db_stmt_t *db_prepare(db_t *db, const char *sql) { return BE(db)->prepare(db, sql); }
int db_bind_int(db_stmt_t *st, int idx, long long v) { return BE(st)->bind_int(st, idx, v); }
int db_bind_text(db_stmt_t *st, int idx, const char *s) { return BE(st)->bind_textn(st, idx, s, s ? strlen(s) : 0); }
int db_bind_textn(db_stmt_t *st, int idx, const char *s, size_t n) { return BE(st)->bind_textn(st, idx, s, n); }
int db_step(db_stmt_t *st) { return BE(st)->step(st); }
long long db_col_int(db_stmt_t *st, int col) { return BE(st)->col_int(st, col); }
const char *db_col_text(db_stmt_t *st, int col) { return BE(st)->col_text(st, col); }
int db_col_null(db_stmt_t *st, int col) { return BE(st)->col_null(st, col); }
void db_done(db_stmt_t *st) { BE(st)->done(st); }
int db_exec_script(db_t *db, const char *sql) { return BE(db)->exec_script(db, sql); }
int db_begin(db_t *db) { return BE(db)->begin(db); }
int db_commit(db_t *db) { return BE(db)->commit(db); }
void db_rollback(db_t *db) { BE(db)->rollback(db); }
long long db_last_id(db_t *db) { return BE(db)->last_id(db); }
const char *db_errmsg(db_t *db) { return BE(db)->errmsg(db); }
long long db_data_version(db_t *db) { return BE(db)->data_version(db); }
int db_unavailable(db_t *db) { return db && BE(db)->unavailable(db); }
void db_quiet(db_t *db, int on) { BE(db)->quiet(db, on); }
long long db_search_sync(db_t *db) { return BE(db)->search_sync(db); }
const char *db_search_sql(db_t *db, int kind) { return BE(db)->search_sql(kind); }
int db_search_match(db_t *db, buf_t *out, const char *expr, const char *lang)
{
	return BE(db)->search_match(out, expr, lang);
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
			rc = v ? db_bind_int(st, idx, v) : db_bind_text(st, idx, NULL);
			break;
		}
		case 's': rc = db_bind_text(st, idx, va_arg(ap, const char *)); break;
		case 'n': rc = db_bind_text(st, idx, NULL); break;
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
		changed = BE(db)->changes(db);
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
