/* db over PostgreSQL (libpq), for several `cong` servers on one database.
 *
 * Statements: the portable SQL's `?` placeholders become $1, $2 …; each statement is prepared once per
 * connection (lazily, at its first step, so a statement survives a reconnect) and parameters are sent as
 * text of unknown type, so PostgreSQL infers each one's type from where it stands, as SQLite would.
 * Results come whole (PQexecPrepared); the queries the portal runs are all bounded by LIMIT.
 *
 * Writes: db_begin takes one transaction-scoped advisory lock, so writers run one at a time across every
 * server, which is the rule the modules were written to under SQLite.  A transaction (or a single
 * statement) that changed rows sends NOTIFY cong_change before it commits; db_data_version counts the
 * notifications other connections sent, which is how every server drops its page cache within a second
 * of a change made anywhere.
 *
 * Losing the database: a statement that finds the connection broken reconnects first; when that fails
 * db_unavailable() is 1 and the request answers 503.  A read that fails because the connection broke
 * under it is retried once on a new connection; a write is not (it may have committed). */
#include "db/backend.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db/search_sql.h"
#include "search/query.h"

#define PG_STMT_CACHE 128
#define PG_LOCK_KEY 0x436f6e67 /* "Cong": the one advisory lock every writer takes */
#define PG_BOOLOID 16

struct db_stmt {
	struct db_head head;
	db_t *db;
	unsigned long hash;
	char *sql;        /* as the module wrote it, with ? */
	char *pgsql;      /* with $n */
	int nparams;
	int prepared;     /* on the current connection */
	int id;           /* its name on the connection: s<id> */
	char **vals;      /* bound values (NULL: SQL NULL) */
	PGresult *res;
	int row;          /* the current row of res */
};

struct db {
	struct db_head head;
	PGconn *c;
	char *url;
	db_stmt_t cache[PG_STMT_CACHE];
	int ncache, next_id;
	char err[1024];
	int down;          /* the last failure was losing the database */
	long long changes; /* rows changed by the last command */
	int in_txn, txn_dirty, quiet;
	int listening;
	long long version;
};

static void pg_set_err(db_t *db, const char *msg)
{
	snprintf(db->err, sizeof(db->err), "%s", msg && *msg ? msg : "database error");
	size_t n = strlen(db->err);
	while (n && (db->err[n - 1] == '\n' || db->err[n - 1] == ' '))
		db->err[--n] = '\0';
}

static PGconn *pg_connect(const char *url)
{
	/* connect_timeout first, so a value in the URL wins; the URL expands into the other settings */
	const char *keys[] = {"connect_timeout", "application_name", "dbname", NULL};
	const char *vals[] = {"5", "cong", url, NULL};
	return PQconnectdbParams(keys, vals, 1);
}

static void pg_noop_notice(void *arg, const char *msg)
{
}

/* Every new connection: quiet notices, UTC, and the session's own settings. */
static int pg_setup(db_t *db)
{
	PQsetNoticeProcessor(db->c, pg_noop_notice, NULL);
	PGresult *r = PQexec(db->c, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		pg_set_err(db, PQerrorMessage(db->c));
	PQclear(r);
	return ok ? 0 : -1;
}

static db_t *pg_open(const char *url, int create, char **err)
{
	db_t *db = calloc(1, sizeof(*db));
	if (!db) {
		*err = strdup("out of memory");
		return NULL;
	}
	db->head.be = &db_pg_backend;
	db->url = strdup(url);
	db->c = pg_connect(url);
	if (!db->c || PQstatus(db->c) != CONNECTION_OK || pg_setup(db) < 0) {
		const char *m = db->c ? PQerrorMessage(db->c) : "out of memory";
		size_t n = strlen(m) + 64;
		*err = malloc(n);
		if (*err)
			snprintf(*err, n, "PostgreSQL: %s", m);
		if (*err && n > 2 && (*err)[strlen(*err) - 1] == '\n')
			(*err)[strlen(*err) - 1] = '\0';
		PQfinish(db->c);
		free(db->url);
		free(db);
		return NULL;
	}
	return db;
}

static void pg_stmt_clear(db_stmt_t *s)
{
	if (s->res)
		PQclear(s->res);
	s->res = NULL;
	for (int i = 0; i < s->nparams; i++) {
		free(s->vals[i]);
		s->vals[i] = NULL;
	}
}

static void pg_close(db_t *db)
{
	for (int i = 0; i < db->ncache; i++) {
		pg_stmt_clear(&db->cache[i]);
		free(db->cache[i].sql);
		free(db->cache[i].pgsql);
		free(db->cache[i].vals);
	}
	PQfinish(db->c);
	free(db->url);
	free(db);
}

/* The connection, reconnected when it broke.  A transaction cannot survive that: its work is gone, and
 * the caller hears so. */
static int pg_ensure(db_t *db)
{
	if (PQstatus(db->c) == CONNECTION_OK)
		return 0;
	if (db->in_txn) {
		pg_set_err(db, "the connection to the database was lost during a transaction");
		db->down = 1;
		return -1;
	}
	PQreset(db->c);
	if (PQstatus(db->c) != CONNECTION_OK || pg_setup(db) < 0) {
		pg_set_err(db, PQerrorMessage(db->c));
		db->down = 1;
		return -1;
	}
	for (int i = 0; i < db->ncache; i++)
		db->cache[i].prepared = 0;
	db->listening = 0;
	db->version++; /* notifications sent while we were away are lost: count one for them */
	db->down = 0;
	return 0;
}

/* sql with each ? outside quotes replaced by $n; the number of parameters in *n. */
static char *pg_translate(const char *sql, int *n)
{
	size_t len = strlen(sql);
	size_t cap = len * 4 + 1;
	char *out = malloc(cap), *o = out;
	char quote = 0;
	*n = 0;
	if (!out)
		return NULL;
	for (const char *p = sql; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '?') {
			o += snprintf(o, cap - (size_t)(o - out), "$%d", ++*n);
			continue;
		}
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

static db_stmt_t *pg_prepare(db_t *db, const char *sql)
{
	unsigned long h = 5381;
	for (const char *c = sql; *c; c++)
		h = h * 33 + (unsigned char)*c;
	for (int i = 0; i < db->ncache; i++)
		if (db->cache[i].hash == h && strcmp(db->cache[i].sql, sql) == 0)
			return &db->cache[i];
	db->down = 0;
	if (PQstatus(db->c) != CONNECTION_OK && !db->in_txn)
		pg_ensure(db); /* reconnect now if it can: the statement is then prepared at once */
	db_stmt_t s = {.head.be = &db_pg_backend, .db = db, .hash = h, .id = ++db->next_id, .row = -1};
	s.sql = strdup(sql);
	s.pgsql = pg_translate(sql, &s.nparams);
	s.vals = calloc((size_t)s.nparams + 1, sizeof(char *));
	if (!s.sql || !s.pgsql || !s.vals) {
		free(s.sql);
		free(s.pgsql);
		free(s.vals);
		pg_set_err(db, "out of memory");
		return NULL;
	}
	if (db->ncache == PG_STMT_CACHE) { /* full: drop the oldest; callers never hold two at the limit */
		db_stmt_t *old = &db->cache[0];
		pg_stmt_clear(old);
		if (old->prepared && PQstatus(db->c) == CONNECTION_OK) {
			char q[48];
			snprintf(q, sizeof(q), "DEALLOCATE s%d", old->id);
			PQclear(PQexec(db->c, q));
		}
		free(old->sql);
		free(old->pgsql);
		free(old->vals);
		memmove(&db->cache[0], &db->cache[1], sizeof(db->cache[0]) * (PG_STMT_CACHE - 1));
		db->ncache--;
	}
	/* prepared now when the database is there, so a mistake in the SQL shows here as on SQLite; after a
	 * reconnect, at the next step */
	if (PQstatus(db->c) == CONNECTION_OK) {
		char name[24];
		snprintf(name, sizeof(name), "s%d", s.id);
		PGresult *r = PQprepare(db->c, name, s.pgsql, 0, NULL);
		s.prepared = PQresultStatus(r) == PGRES_COMMAND_OK;
		if (!s.prepared) {
			pg_set_err(db, PQresultErrorMessage(r));
			db->down = PQstatus(db->c) != CONNECTION_OK;
		}
		PQclear(r);
		if (!s.prepared && !db->down) {
			free(s.sql);
			free(s.pgsql);
			free(s.vals);
			return NULL;
		}
	}
	db->cache[db->ncache] = s;
	return &db->cache[db->ncache++];
}

static int pg_bind_textn(db_stmt_t *st, int idx, const char *s, size_t n)
{
	if (idx < 1 || idx > st->nparams)
		return -1;
	free(st->vals[idx - 1]);
	st->vals[idx - 1] = NULL;
	if (s && !(st->vals[idx - 1] = strndup(s, n)))
		return -1;
	return 0;
}

static int pg_bind_int(db_stmt_t *st, int idx, long long v)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%lld", v);
	return pg_bind_textn(st, idx, num, (size_t)n);
}

static int pg_notify(db_t *db)
{
	PGresult *r = PQexec(db->c, "NOTIFY cong_change");
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		pg_set_err(db, PQerrorMessage(db->c));
	PQclear(r);
	return ok ? 0 : -1;
}

/* A command changed rows: the other servers must hear of it, at commit, or now outside a transaction. */
static void pg_wrote(db_t *db, PGresult *r)
{
	const char *tag = PQcmdStatus(r);
	if (db->quiet || db->changes <= 0 ||
	    !(strncmp(tag, "INSERT", 6) == 0 || strncmp(tag, "UPDATE", 6) == 0 || strncmp(tag, "DELETE", 6) == 0 ||
	      strncmp(tag, "MERGE", 5) == 0))
		return;
	if (db->in_txn)
		db->txn_dirty = 1;
	else
		pg_notify(db);
}

static int pg_is_read(const char *sql)
{
	while (*sql == ' ' || *sql == '\n' || *sql == '\t')
		sql++;
	return strncasecmp(sql, "SELECT", 6) == 0;
}

/* Runs st with its bound values: 0 with st->res holding the result, or -1. */
static int pg_exec(db_stmt_t *st)
{
	db_t *db = st->db;
	char name[24];
	snprintf(name, sizeof(name), "s%d", st->id);
	db->down = 0;
	for (int attempt = 0;; attempt++) {
		if (pg_ensure(db) < 0)
			return -1;
		if (!st->prepared) {
			st->res = PQprepare(db->c, name, st->pgsql, 0, NULL);
			st->prepared = PQresultStatus(st->res) == PGRES_COMMAND_OK;
			if (st->prepared) {
				PQclear(st->res);
				st->res = PQexecPrepared(db->c, name, st->nparams, (const char *const *)st->vals, NULL, NULL, 0);
			}
		} else {
			st->res = PQexecPrepared(db->c, name, st->nparams, (const char *const *)st->vals, NULL, NULL, 0);
		}
		ExecStatusType s = PQresultStatus(st->res);
		if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK) {
			db->changes = atoll(PQcmdTuples(st->res));
			pg_wrote(db, st->res);
			return 0;
		}
		pg_set_err(db, st->res ? PQresultErrorMessage(st->res) : PQerrorMessage(db->c));
		PQclear(st->res);
		st->res = NULL;
		if (PQstatus(db->c) == CONNECTION_OK)
			return -1;
		db->down = 1;
		if (attempt > 0 || db->in_txn || !pg_is_read(st->sql))
			return -1;
		/* a read can be asked again of a new connection */
	}
}

static int pg_step(db_stmt_t *st)
{
	if (!st->res) {
		if (pg_exec(st) < 0)
			return DB_ERROR;
		st->row = -1;
	}
	if (PQresultStatus(st->res) != PGRES_TUPLES_OK)
		return DB_DONE;
	return ++st->row < PQntuples(st->res) ? DB_ROW : DB_DONE;
}

static long long pg_col_int(db_stmt_t *st, int col)
{
	if (!st->res || st->row < 0 || st->row >= PQntuples(st->res) || col >= PQnfields(st->res))
		return 0;
	const char *v = PQgetvalue(st->res, st->row, col);
	if (PQftype(st->res, col) == PG_BOOLOID)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

static const char *pg_col_text(db_stmt_t *st, int col)
{
	if (!st->res || st->row < 0 || st->row >= PQntuples(st->res) || col >= PQnfields(st->res))
		return "";
	if (PQftype(st->res, col) == PG_BOOLOID) /* as SQLite writes a truth value */
		return PQgetvalue(st->res, st->row, col)[0] == 't' ? "1" : "0";
	return PQgetvalue(st->res, st->row, col);
}

static int pg_col_null(db_stmt_t *st, int col)
{
	if (!st->res || st->row < 0 || st->row >= PQntuples(st->res) || col >= PQnfields(st->res))
		return 1;
	return PQgetisnull(st->res, st->row, col);
}

static void pg_done(db_stmt_t *st)
{
	pg_stmt_clear(st);
	st->row = -1;
}

static long long pg_changes(db_t *db)
{
	return db->changes;
}

/* Migrations are written in the portable dialect: INTEGER PRIMARY KEY becomes an identity column, and
 * every INTEGER a BIGINT, so an id or a count never overflows where SQLite would not. */
static char *pg_dialect(const char *sql)
{
	static const char ipk[] = "INTEGER PRIMARY KEY", ident[] = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
	size_t n = strlen(sql);
	char *out = malloc(n * 3 + 1), *o = out;
	if (!out)
		return NULL;
	for (const char *p = sql; *p;) {
		int word_start = p == sql || !(p[-1] == '_' || (p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= 'a' && p[-1] <= 'z'));
		if (word_start && strncmp(p, ipk, sizeof(ipk) - 1) == 0) {
			o = stpcpy(o, ident);
			p += sizeof(ipk) - 1;
		} else if (word_start && strncmp(p, "INTEGER", 7) == 0 && !(p[7] == '_' || (p[7] >= 'A' && p[7] <= 'Z'))) {
			o = stpcpy(o, "BIGINT");
			p += 7;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return out;
}

static int pg_exec_script(db_t *db, const char *sql)
{
	db->down = 0;
	if (pg_ensure(db) < 0)
		return -1;
	char *q = pg_dialect(sql);
	if (!q) {
		pg_set_err(db, "out of memory");
		return -1;
	}
	PGresult *r = PQexec(db->c, q);
	free(q);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!ok) {
		pg_set_err(db, PQresultErrorMessage(r));
		db->down = PQstatus(db->c) != CONNECTION_OK;
	}
	PQclear(r);
	return ok ? 0 : -1;
}

static int pg_begin(db_t *db)
{
	char q[96];
	snprintf(q, sizeof(q), "BEGIN; SELECT pg_advisory_xact_lock(%d)", PG_LOCK_KEY);
	if (pg_exec_script(db, q) < 0) {
		PQclear(PQexec(db->c, "ROLLBACK"));
		return -1;
	}
	db->in_txn = 1;
	db->txn_dirty = 0;
	return 0;
}

static int pg_commit(db_t *db)
{
	int ok = 1;
	if (db->txn_dirty && pg_notify(db) < 0)
		ok = 0;
	if (ok) {
		PGresult *r = PQexec(db->c, "COMMIT");
		/* a transaction that failed earlier answers COMMIT with ROLLBACK */
		ok = PQresultStatus(r) == PGRES_COMMAND_OK && strcmp(PQcmdStatus(r), "COMMIT") == 0;
		if (!ok) {
			pg_set_err(db, PQresultStatus(r) == PGRES_COMMAND_OK ? "the transaction was rolled back"
									   : PQresultErrorMessage(r));
			db->down = PQstatus(db->c) != CONNECTION_OK;
		}
		PQclear(r);
	}
	if (!ok && PQstatus(db->c) == CONNECTION_OK && PQtransactionStatus(db->c) != PQTRANS_IDLE)
		PQclear(PQexec(db->c, "ROLLBACK"));
	db->in_txn = db->txn_dirty = 0;
	return ok ? 0 : -1;
}

static void pg_rollback(db_t *db)
{
	if (PQstatus(db->c) == CONNECTION_OK && PQtransactionStatus(db->c) != PQTRANS_IDLE)
		PQclear(PQexec(db->c, "ROLLBACK"));
	db->in_txn = db->txn_dirty = 0;
}

static long long pg_last_id(db_t *db)
{
	PGresult *r = PQexec(db->c, "SELECT lastval()");
	long long id = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 ? atoll(PQgetvalue(r, 0, 0)) : 0;
	PQclear(r);
	return id;
}

static const char *pg_errmsg(db_t *db)
{
	return db->err[0] ? db->err : PQerrorMessage(db->c);
}

static long long pg_data_version(db_t *db)
{
	if (pg_ensure(db) < 0)
		return db->version;
	if (!db->listening) {
		PGresult *r = PQexec(db->c, "LISTEN cong_change");
		db->listening = PQresultStatus(r) == PGRES_COMMAND_OK;
		PQclear(r);
	}
	if (!PQconsumeInput(db->c)) {
		db->down = PQstatus(db->c) != CONNECTION_OK;
		return db->version;
	}
	int self = PQbackendPID(db->c);
	PGnotify *n;
	while ((n = PQnotifies(db->c)) != NULL) {
		if (n->be_pid != self)
			db->version++;
		PQfreemem(n);
	}
	return db->version;
}

static int pg_unavailable(db_t *db)
{
	return db->down;
}

static void pg_quiet(db_t *db, int on)
{
	db->quiet = on;
}

/* ---- full-text search: a tsvector per article (migration 006, PostgreSQL form) ---------------------- */

/* The text PostgreSQL's parser is given: the same folding as SQLite's index (search_fold: no accents,
 * đ→d, lower case, Chinese as bigrams), with ASCII punctuation turned into spaces so its parser splits
 * words exactly where FTS5's unicode61 does (it would otherwise keep "1.234" or a URL as one token). */
static int pg_fold(const char *s, buf_t *out)
{
	buf_reset(out);
	if (search_fold(s, strlen(s), 0, out) < 0)
		return -1;
	for (size_t i = 0; i < out->len; i++) {
		unsigned char c = (unsigned char)out->data[i];
		if (c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			out->data[i] = ' ';
	}
	return 0;
}

static long long pg_search_sync(db_t *db)
{
	if (db_int(db, "SELECT count(*) FROM search_dirty", "", 0) == 0)
		return 0;
	if (pg_begin(db) < 0)
		return -1;
	/* under the write lock: no other writer can queue an article meanwhile */
	long long n = db_int(db, "SELECT count(*) FROM search_dirty", "", 0);
	buf_t t, l, b;
	buf_init(&t, 64u << 20);
	buf_init(&l, 64u << 20);
	buf_init(&b, 256u << 20);
	db_stmt_t *st = db_prepare(db, "SELECT a.id, a.title, a.lead, a.body, a.lang FROM search_dirty d"
				       " JOIN articles a ON a.id = d.article_id");
	int rc = st ? DB_DONE : DB_ERROR;
	while (st && (rc = db_step(st)) == DB_ROW) {
		char lang[64];
		snprintf(lang, sizeof(lang), "'lang=%s'", db_col_text(st, 4));
		if (pg_fold(db_col_text(st, 1), &t) < 0 || pg_fold(db_col_text(st, 2), &l) < 0 ||
		    pg_fold(db_col_text(st, 3), &b) < 0 ||
		    db_execf(db, "INSERT INTO article_search (article_id, tsv) VALUES (?, setweight(to_tsvector('cong', ?), 'A')"
				 " || setweight(to_tsvector('cong', ?), 'B') || setweight(to_tsvector('cong', ?), 'C')"
				 " || CAST(? AS tsvector)) ON CONFLICT (article_id) DO UPDATE SET tsv = excluded.tsv",
				 "issss", db_col_int(st, 0), buf_cstr(&t), buf_cstr(&l), buf_cstr(&b), lang) < 0) {
			rc = DB_ERROR;
			break;
		}
	}
	if (st)
		db_done(st);
	buf_release(&t);
	buf_release(&l);
	buf_release(&b);
	if (rc == DB_ERROR ||
	    db_execf(db, "DELETE FROM article_search WHERE article_id IN (SELECT article_id FROM search_dirty)"
			 " AND article_id NOT IN (SELECT id FROM articles)", "") < 0 ||
	    db_execf(db, "DELETE FROM search_dirty", "") < 0 || pg_commit(db) < 0) {
		pg_rollback(db);
		return -1;
	}
	return n;
}

/* Ranked by ts_rank with the weights of SQLite's bm25: title (A) 10, lead (B) 4, body (C) 1; the language
 * lexeme (D) counts for nothing. */
#define PG_RANKED                                                                                          \
	"SELECT s.article_id AS id, -ts_rank('{0, 0.1, 0.4, 1}', s.tsv, q) AS r FROM article_search s,"     \
	" CAST(? AS tsquery) q WHERE s.tsv @@ q AND s.article_id >= ?"
#define PG_UNRANKED                                                                                        \
	"SELECT s.article_id AS id, 0 AS r FROM article_search s WHERE s.tsv @@ CAST(? AS tsquery) AND s.article_id >= ?"

static const char *pg_search_sql(int kind)
{
	switch (kind) {
	case DB_SEARCH_RANKED: return DB_SEARCH_SQL(PG_RANKED, "", "m.r, a.published_at DESC, a.id DESC");
	case DB_SEARCH_BY_DATE: return DB_SEARCH_SQL(PG_UNRANKED, "", "a.published_at DESC, a.id DESC");
	default:
		return "SELECT article_id FROM article_search WHERE tsv @@ CAST(? AS tsquery) ORDER BY article_id DESC"
		       " LIMIT 1 OFFSET ?";
	}
}

/* search_match_expr's FTS5 form → a tsquery: "a b" → ('a' <-> 'b'), "省"* → '省':*, AND → &, OR → |,
 * NOT ( → & !(.  Its tokens are word characters only (never a quote), so nothing typed becomes syntax. */
static int pg_search_match(buf_t *out, const char *expr, const char *lang)
{
	const char *p = expr;
	buf_putc(out, '(');
	while (*p) {
		if (*p == '"') {
			const char *end = strchr(p + 1, '"');
			if (!end)
				return -1;
			int prefix = end[1] == '*';
			buf_putc(out, '(');
			for (const char *t = p + 1; t < end;) {
				const char *sp = memchr(t, ' ', (size_t)(end - t));
				const char *te = sp ? sp : end;
				if (t > p + 1)
					buf_puts(out, " <-> ");
				buf_putc(out, '\'');
				buf_append(out, t, (size_t)(te - t));
				buf_puts(out, prefix ? "':*" : "'");
				t = sp ? sp + 1 : end;
			}
			buf_putc(out, ')');
			p = end + 1 + prefix;
		} else if (strncmp(p, " AND ", 5) == 0) {
			buf_puts(out, " & ");
			p += 5;
		} else if (strncmp(p, " OR ", 4) == 0) {
			buf_puts(out, " | ");
			p += 4;
		} else if (strncmp(p, " NOT ", 5) == 0) {
			buf_puts(out, " & !");
			p += 5;
		} else {
			buf_putc(out, *p++);
		}
	}
	buf_putc(out, ')');
	if (*lang)
		buf_appendf(out, " & 'lang=%s'", lang);
	return out->overflow ? -1 : 0;
}

const struct db_backend db_pg_backend = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.prepare = pg_prepare,
	.bind_int = pg_bind_int,
	.bind_textn = pg_bind_textn,
	.step = pg_step,
	.col_int = pg_col_int,
	.col_text = pg_col_text,
	.col_null = pg_col_null,
	.done = pg_done,
	.changes = pg_changes,
	.exec_script = pg_exec_script,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.last_id = pg_last_id,
	.errmsg = pg_errmsg,
	.data_version = pg_data_version,
	.unavailable = pg_unavailable,
	.quiet = pg_quiet,
	.search_sync = pg_search_sync,
	.search_sql = pg_search_sql,
	.search_match = pg_search_match,
};
