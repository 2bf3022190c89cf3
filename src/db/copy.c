/* copy: a portal from SQLite into another database, proved by counts and checksums (see copy.h). */
#include "db/copy.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

#define COPY_SQL_MAX (1u << 20)
#define COPY_BATCH 256 /* rows per checksum read: PostgreSQL results come whole */

/* Every table the migrations create, in copy order: a table comes after each table it refers to.  A table
 * of the source that is not here stops the move: a new table must be placed here by whoever adds it. */
static const struct {
	const char *name;
	int kind;
} copy_known[] = {
	{"settings", DB_COPY_ROWS},
	{"users", DB_COPY_ROWS},
	{"categories", DB_COPY_ROWS},
	{"category_i18n", DB_COPY_ROWS},
	{"category_old_slugs", DB_COPY_ROWS},
	{"media", DB_COPY_ROWS},
	{"articles", DB_COPY_ROWS},
	{"article_old_slugs", DB_COPY_ROWS},
	{"tags", DB_COPY_ROWS},
	{"article_tags", DB_COPY_ROWS},
	{"pages", DB_COPY_ROWS},
	{"menu_items", DB_COPY_ROWS},
	{"article_revisions", DB_COPY_ROWS},
	{"autosaves", DB_COPY_ROWS}, /* an editor's unsaved text survives the move */
	{"audit_log", DB_COPY_ROWS},
	/* online public services (009) */
	{"agencies", DB_COPY_ROWS},
	{"agency_i18n", DB_COPY_ROWS},
	{"proc_fields", DB_COPY_ROWS},
	{"proc_field_i18n", DB_COPY_ROWS},
	{"procedures", DB_COPY_ROWS},
	{"procedure_i18n", DB_COPY_ROWS},
	{"procedure_docs", DB_COPY_ROWS},
	{"procedure_doc_i18n", DB_COPY_ROWS},
	{"procedure_forms", DB_COPY_ROWS},
	{"officer_agencies", DB_COPY_ROWS},
	{"dossiers", DB_COPY_ROWS},
	{"dossier_seq", DB_COPY_ROWS}, /* the next dossier code of each agency and day */
	{"dossier_files", DB_COPY_ROWS},
	{"dossier_events", DB_COPY_ROWS},
	{"calendar_days", DB_COPY_ROWS},
	{"outbox", DB_COPY_ROWS}, /* (010) mail not sent yet goes out from the new database */
	{"sessions", DB_COPY_EPHEMERAL},       /* everyone signs in again */
	{"login_throttle", DB_COPY_EPHEMERAL}, /* a window of minutes */
	{"article_search", DB_COPY_REBUILT},   /* FTS5 here, a tsvector there: rebuilt from search_dirty */
	{"search_dirty", DB_COPY_REBUILT},
	{"schema_migrations", DB_COPY_COMPARED}, /* written by db_migrate on each side; versions compared */
};
#define COPY_NKNOWN (sizeof(copy_known) / sizeof(copy_known[0]))

static int copy_fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int copy_fail(char **err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(err, fmt, ap) < 0)
		*err = NULL;
	va_end(ap);
	return -1;
}

/* ---- checksum ------------------------------------------------------------------------------------ */

void db_copy_sum_init(db_copy_sum_t *s)
{
	crypto_generichash_init(&s->st, NULL, 0, 16);
}

void db_copy_sum_value(db_copy_sum_t *s, const char *v, size_t n, int is_null)
{
	char head[32];
	int hl = is_null ? snprintf(head, sizeof(head), "N") : snprintf(head, sizeof(head), "T%zu:", n);
	crypto_generichash_update(&s->st, (const unsigned char *)head, (unsigned long long)hl);
	if (!is_null)
		crypto_generichash_update(&s->st, (const unsigned char *)v, n);
}

void db_copy_sum_row(db_copy_sum_t *s)
{
	crypto_generichash_update(&s->st, (const unsigned char *)"\n", 1);
}

void db_copy_sum_final(db_copy_sum_t *s, char hex[DB_COPY_SUM_HEX])
{
	unsigned char h[16];
	crypto_generichash_final(&s->st, h, sizeof(h));
	sodium_bin2hex(hex, DB_COPY_SUM_HEX, h, sizeof(h));
}

/* ---- SQL text ------------------------------------------------------------------------------------ */

/* An identifier in double quotes, which SQLite and PostgreSQL both read. */
static void copy_ident(buf_t *b, const char *name)
{
	buf_putc(b, '"');
	for (const char *p = name; *p; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

static int copy_is_pg(db_t *db)
{
	return strcmp(db_backend_name(db), "postgresql") == 0;
}

static void copy_col_list(buf_t *b, const db_copy_table_t *t, const char *prefix)
{
	for (int i = 0; i < t->ncols; i++) {
		if (i)
			buf_puts(b, ", ");
		buf_puts(b, prefix);
		copy_ident(b, t->cols[i]);
	}
}

/* ORDER BY the primary key (every column when there is none), text compared byte by byte on both sides
 * (PostgreSQL would otherwise sort by its locale, SQLite never does). */
static void copy_order_by(buf_t *b, const db_copy_table_t *t, int pg)
{
	buf_puts(b, " ORDER BY ");
	int n = t->npk ? t->npk : t->ncols;
	for (int i = 0; i < n; i++) {
		int c = t->npk ? t->pk[i] : i;
		if (i)
			buf_puts(b, ", ");
		copy_ident(b, t->cols[c]);
		if (!t->col_int[c])
			buf_puts(b, pg ? " COLLATE \"C\"" : " COLLATE BINARY");
	}
}

/* ---- the target ----------------------------------------------------------------------------------- */

static int copy_table_exists(db_t *db, const char *name)
{
	if (copy_is_pg(db))
		return db_int(db, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
				  " AND table_name = ?", "s", -1, name) > 0;
	return db_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", "s", -1, name) > 0;
}

static long long copy_count(db_t *db, const char *table)
{
	buf_t q;
	buf_init(&q, COPY_SQL_MAX);
	buf_puts(&q, "SELECT count(*) FROM ");
	copy_ident(&q, table);
	long long n = db_int(db, buf_cstr(&q), "", -1);
	buf_release(&q);
	return n;
}

int db_copy_target_empty(db_t *dst, char **err)
{
	for (size_t i = 0; i < COPY_NKNOWN; i++) {
		if (copy_known[i].kind == DB_COPY_COMPARED || !copy_table_exists(dst, copy_known[i].name))
			continue;
		long long n = copy_count(dst, copy_known[i].name);
		if (n < 0)
			return copy_fail(err, "cannot count the rows of '%s': %s", copy_known[i].name, db_errmsg(dst));
		if (n > 0)
			return copy_fail(err, "the target database already holds a portal: its table '%s' has %lld row%s",
					 copy_known[i].name, n, n == 1 ? "" : "s");
	}
	return 0;
}

/* ---- the plan ------------------------------------------------------------------------------------- */

void db_copy_release(db_copy_t *c)
{
	for (int i = 0; i < c->ntables; i++) {
		db_copy_table_t *t = &c->tables[i];
		for (int j = 0; j < t->ncols; j++)
			free(t->cols[j]);
		free(t->cols);
		free(t->col_int);
		free(t->pk);
		free(t->name);
	}
	free(c->tables);
	c->tables = NULL;
	c->ntables = 0;
}

static int copy_known_kind(const char *name)
{
	for (size_t i = 0; i < COPY_NKNOWN; i++)
		if (strcmp(copy_known[i].name, name) == 0)
			return copy_known[i].kind;
	return -1;
}

static int copy_col_index(const db_copy_table_t *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i], name) == 0)
			return i;
	return -1;
}

/* The columns and key of t, from the source. */
static int copy_read_columns(db_copy_table_t *t, db_t *src, char **err)
{
	if (t->kind == DB_COPY_COMPARED) { /* applied_at differs by nature: the versions and names are compared */
		static const char *const cols[] = {"version", "name"};
		t->ncols = 2;
		t->cols = calloc(2, sizeof(char *));
		t->col_int = calloc(2, sizeof(int));
		t->pk = calloc(1, sizeof(int));
		if (!t->cols || !t->col_int || !t->pk || !(t->cols[0] = strdup(cols[0])) || !(t->cols[1] = strdup(cols[1])))
			return copy_fail(err, "out of memory");
		t->col_int[0] = 1;
		t->npk = 1;
		t->pk[0] = 0;
		return 0;
	}
	t->rowid = db_int(src, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
			       " AND upper(sql) NOT LIKE '%WITHOUT ROWID%'", "s", 0, t->name) > 0;
	long long n = db_int(src, "SELECT count(*) FROM pragma_table_info(?)", "s", -1, t->name);
	if (n <= 0)
		return copy_fail(err, "cannot read the columns of '%s': %s", t->name, db_errmsg(src));
	t->cols = calloc((size_t)n, sizeof(char *));
	t->col_int = calloc((size_t)n, sizeof(int));
	t->pk = calloc((size_t)n, sizeof(int));
	if (!t->cols || !t->col_int || !t->pk)
		return copy_fail(err, "out of memory");
	db_stmt_t *st = db_prepare(src, "SELECT name, upper(type), pk FROM pragma_table_info(?) ORDER BY cid");
	if (!st || db_bind_text(st, 1, t->name) < 0)
		return copy_fail(err, "cannot read the columns of '%s': %s", t->name, db_errmsg(src));
	int rc;
	while ((rc = db_step(st)) == DB_ROW && t->ncols < n) {
		int i = t->ncols;
		if (!(t->cols[i] = strdup(db_col_text(st, 0)))) {
			rc = DB_ERROR;
			break;
		}
		t->col_int[i] = strstr(db_col_text(st, 1), "INT") != NULL; /* SQLite's rule for integer affinity */
		long long pk = db_col_int(st, 2);
		if (pk > 0 && pk <= n) {
			t->pk[pk - 1] = i;
			if (pk > t->npk)
				t->npk = (int)pk;
		}
		t->ncols++;
	}
	db_done(st);
	if (rc == DB_ERROR)
		return copy_fail(err, "cannot read the columns of '%s': %s", t->name, db_errmsg(src));
	return 0;
}

/* Every table t refers to must be copied before it; a reference to itself is copied parents first. */
static int copy_check_refs(db_copy_t *c, int ti, db_t *src, char **err)
{
	db_copy_table_t *t = &c->tables[ti];
	t->self_ref = t->self_key = -1;
	db_stmt_t *st = db_prepare(src, "SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?)");
	if (!st || db_bind_text(st, 1, t->name) < 0)
		return copy_fail(err, "cannot read the references of '%s': %s", t->name, db_errmsg(src));
	int rc, bad = 0;
	char parent[128] = "";
	while ((rc = db_step(st)) == DB_ROW) {
		const char *p = db_col_text(st, 0);
		if (strcmp(p, t->name) == 0) {
			int from = copy_col_index(t, db_col_text(st, 1));
			int to = db_col_null(st, 2) ? (t->npk == 1 ? t->pk[0] : -1) : copy_col_index(t, db_col_text(st, 2));
			if (t->self_ref >= 0 || from < 0 || to < 0) {
				snprintf(parent, sizeof(parent), "%s", p);
				bad = 2;
				break;
			}
			t->self_ref = from;
			t->self_key = to;
			continue;
		}
		int before = 0;
		for (int j = 0; j < ti; j++)
			if (strcmp(c->tables[j].name, p) == 0 && c->tables[j].kind == DB_COPY_ROWS)
				before = 1;
		if (!before) {
			snprintf(parent, sizeof(parent), "%s", p);
			bad = 1;
			break;
		}
	}
	db_done(st);
	if (rc == DB_ERROR)
		return copy_fail(err, "cannot read the references of '%s': %s", t->name, db_errmsg(src));
	if (bad == 1)
		return copy_fail(err, "table '%s' refers to '%s', which is not copied before it: fix the order in db/copy.c",
				 t->name, parent);
	if (bad == 2)
		return copy_fail(err, "table '%s' refers to itself in a way the move does not handle", t->name);
	return 0;
}

int db_copy_plan(db_copy_t *c, db_t *src, char **err)
{
	memset(c, 0, sizeof(*c));
	if (strcmp(db_backend_name(src), "sqlite") != 0)
		return copy_fail(err, "the source of a move must be a SQLite database");
	/* the source's tables: each must be known, internal to SQLite, or part of a virtual table */
	char *names[256], *virt[32];
	int nn = 0, nv = 0, rc, fail = 0;
	db_stmt_t *st = db_prepare(src, "SELECT name, sql LIKE 'CREATE VIRTUAL TABLE%' FROM sqlite_master WHERE type = 'table'"
					" ORDER BY name");
	if (!st)
		return copy_fail(err, "cannot list the source's tables: %s", db_errmsg(src));
	while ((rc = db_step(st)) == DB_ROW) {
		const char *name = db_col_text(st, 0);
		if (strncmp(name, "sqlite_", 7) == 0)
			continue;
		if (nn == 256 || (db_col_int(st, 1) && nv == 32)) {
			fail = 1;
			break;
		}
		names[nn++] = strdup(name);
		if (db_col_int(st, 1))
			virt[nv++] = names[nn - 1];
	}
	db_done(st);
	if (rc == DB_ERROR || fail) {
		for (int i = 0; i < nn; i++)
			free(names[i]);
		return copy_fail(err, "cannot list the source's tables: %s", fail ? "too many" : db_errmsg(src));
	}
	int ret = 0;
	for (int i = 0; i < nn && ret == 0; i++) {
		if (!names[i]) {
			ret = copy_fail(err, "out of memory");
			break;
		}
		int shadow = 0;
		for (int v = 0; v < nv; v++) {
			size_t l = strlen(virt[v]);
			if (names[i] != virt[v] && strncmp(names[i], virt[v], l) == 0 && names[i][l] == '_')
				shadow = 1;
		}
		if (!shadow && copy_known_kind(names[i]) < 0)
			ret = copy_fail(err, "the source has a table the move does not know, '%s': nothing was copied; "
					     "add it to the list in db/copy.c", names[i]);
	}
	if (ret == 0 && !(c->tables = calloc(COPY_NKNOWN, sizeof(*c->tables))))
		ret = copy_fail(err, "out of memory");
	for (size_t k = 0; k < COPY_NKNOWN && ret == 0; k++) {
		int present = 0;
		for (int i = 0; i < nn; i++)
			present |= names[i] && strcmp(names[i], copy_known[k].name) == 0;
		if (!present)
			continue;
		db_copy_table_t *t = &c->tables[c->ntables++];
		t->self_ref = t->self_key = -1;
		t->kind = copy_known[k].kind;
		if (!(t->name = strdup(copy_known[k].name)))
			ret = copy_fail(err, "out of memory");
		else if (t->kind == DB_COPY_ROWS || t->kind == DB_COPY_COMPARED)
			ret = copy_read_columns(t, src, err);
		if (ret == 0 && t->kind == DB_COPY_ROWS)
			ret = copy_check_refs(c, c->ntables - 1, src, err);
	}
	for (int i = 0; i < nn; i++)
		free(names[i]);
	return ret;
}

/* ---- copying -------------------------------------------------------------------------------------- */

/* The source's rows of t, parents before children when t refers to itself (a category before its
 * sub-categories, whatever their ids): PostgreSQL checks each reference as the row goes in. */
static void copy_select(buf_t *q, const db_copy_table_t *t)
{
	if (t->self_ref < 0) {
		buf_puts(q, "SELECT ");
		copy_col_list(q, t, "");
		buf_puts(q, " FROM ");
		copy_ident(q, t->name);
		if (t->rowid)
			buf_puts(q, " ORDER BY rowid");
		else
			copy_order_by(q, t, 0);
		return;
	}
	/* depth 0: the rows that refer to nothing; depth n + 1: the rows that refer to a row of depth n */
	const char *ref = t->cols[t->self_ref], *key = t->cols[t->self_key];
	buf_puts(q, "WITH RECURSIVE copy_depth (k, depth) AS (SELECT ");
	copy_ident(q, key);
	buf_puts(q, ", 0 FROM ");
	copy_ident(q, t->name);
	buf_puts(q, " WHERE ");
	copy_ident(q, ref);
	buf_puts(q, " IS NULL UNION ALL SELECT c.");
	copy_ident(q, key);
	buf_puts(q, ", d.depth + 1 FROM ");
	copy_ident(q, t->name);
	buf_puts(q, " c JOIN copy_depth d ON c.");
	copy_ident(q, ref);
	buf_puts(q, " = d.k WHERE d.depth < 10000) SELECT ");
	copy_col_list(q, t, "t.");
	buf_puts(q, " FROM ");
	copy_ident(q, t->name);
	buf_puts(q, " t JOIN copy_depth d ON t.");
	copy_ident(q, key);
	buf_puts(q, " = d.k ORDER BY d.depth");
	if (t->rowid)
		buf_puts(q, ", t.rowid");
	for (int i = 0; i < t->npk; i++) {
		buf_puts(q, ", t.");
		copy_ident(q, t->cols[t->pk[i]]);
	}
}

static int copy_table(const db_copy_table_t *t, db_t *src, db_t *dst, char **err)
{
	buf_t sel, ins;
	buf_init(&sel, COPY_SQL_MAX);
	buf_init(&ins, COPY_SQL_MAX);
	copy_select(&sel, t);
	buf_puts(&ins, "INSERT INTO ");
	copy_ident(&ins, t->name);
	buf_puts(&ins, " (");
	copy_col_list(&ins, t, "");
	buf_puts(&ins, ") VALUES (");
	for (int i = 0; i < t->ncols; i++)
		buf_puts(&ins, i ? ", ?" : "?");
	buf_putc(&ins, ')');
	int ret = -1;
	if (sel.overflow || ins.overflow) {
		copy_fail(err, "table '%s': statement too long", t->name);
		goto out;
	}
	db_stmt_t *st = db_prepare(src, buf_cstr(&sel));
	if (!st) {
		copy_fail(err, "cannot read '%s': %s", t->name, db_errmsg(src));
		goto out;
	}
	int rc;
	long long row = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		row++;
		db_stmt_t *is = db_prepare(dst, buf_cstr(&ins));
		int ok = is != NULL;
		for (int i = 0; ok && i < t->ncols; i++)
			ok = (db_col_null(st, i) ? db_bind_text(is, i + 1, NULL) : db_bind_text(is, i + 1, db_col_text(st, i))) == 0;
		if (ok)
			ok = db_step(is) != DB_ERROR;
		if (is)
			db_done(is);
		if (!ok) {
			copy_fail(err, "cannot copy row %lld of '%s': %s", row, t->name, db_errmsg(dst));
			db_done(st);
			goto out;
		}
	}
	db_done(st);
	if (rc == DB_ERROR) {
		copy_fail(err, "cannot read '%s': %s", t->name, db_errmsg(src));
		goto out;
	}
	/* PostgreSQL: the next id the table hands out comes after the copied ones */
	if (copy_is_pg(dst) && t->npk == 1 && t->col_int[t->pk[0]]) {
		buf_reset(&sel);
		buf_puts(&sel, "SELECT setval(pg_get_serial_sequence(?, ?), (SELECT COALESCE(max(");
		copy_ident(&sel, t->cols[t->pk[0]]);
		buf_puts(&sel, "), 0) + 1 FROM ");
		copy_ident(&sel, t->name);
		buf_puts(&sel, "), false)");
		buf_reset(&ins);
		copy_ident(&ins, t->name);
		db_stmt_t *sv = sel.overflow ? NULL : db_prepare(dst, buf_cstr(&sel));
		int ok = sv && db_bindf(sv, "ss", buf_cstr(&ins), t->cols[t->pk[0]]) == 0 && db_step(sv) != DB_ERROR;
		if (sv)
			db_done(sv);
		if (!ok) {
			copy_fail(err, "cannot advance the ids of '%s': %s", t->name, db_errmsg(dst));
			goto out;
		}
	}
	ret = 0;
out:
	buf_release(&sel);
	buf_release(&ins);
	return ret;
}

int db_copy_rows(db_copy_t *c, db_t *src, db_t *dst, char **err)
{
	for (int i = 0; i < c->ntables; i++)
		if (c->tables[i].kind == DB_COPY_ROWS && copy_table(&c->tables[i], src, dst, err) < 0)
			return -1;
	/* the search index is built anew on the target from its queue (PostgreSQL's index is not FTS5's) */
	if (copy_table_exists(dst, "search_dirty") && copy_table_exists(dst, "articles") &&
	    db_execf(dst, "INSERT INTO search_dirty (article_id) SELECT id FROM articles"
			  " WHERE id NOT IN (SELECT article_id FROM search_dirty)", "") < 0)
		return copy_fail(err, "cannot queue the articles for the search index: %s", db_errmsg(dst));
	return 0;
}

/* ---- verifying ------------------------------------------------------------------------------------ */

/* The checksum of t's rows on db, read in key order a batch at a time; the number of rows, or -1. */
static long long copy_sum(const db_copy_table_t *t, db_t *db, char hex[DB_COPY_SUM_HEX])
{
	buf_t q;
	buf_init(&q, COPY_SQL_MAX);
	buf_puts(&q, "SELECT ");
	copy_col_list(&q, t, "");
	buf_puts(&q, " FROM ");
	copy_ident(&q, t->name);
	copy_order_by(&q, t, copy_is_pg(db));
	buf_appendf(&q, " LIMIT %d OFFSET ?", COPY_BATCH);
	db_copy_sum_t s;
	db_copy_sum_init(&s);
	long long rows = 0;
	for (;;) {
		db_stmt_t *st = q.overflow ? NULL : db_prepare(db, buf_cstr(&q));
		if (!st || db_bind_int(st, 1, rows) < 0) {
			rows = -1;
			break;
		}
		int rc, got = 0;
		while ((rc = db_step(st)) == DB_ROW) {
			for (int i = 0; i < t->ncols; i++) {
				const char *v = db_col_text(st, i);
				db_copy_sum_value(&s, v, strlen(v), db_col_null(st, i));
			}
			db_copy_sum_row(&s);
			got++;
		}
		db_done(st);
		if (rc == DB_ERROR) {
			rows = -1;
			break;
		}
		rows += got;
		if (got < COPY_BATCH)
			break;
	}
	db_copy_sum_final(&s, hex);
	buf_release(&q);
	return rows;
}

int db_copy_verify(db_copy_t *c, db_t *src, db_t *dst, char **err)
{
	int differ = 0;
	db_t *side[2] = {src, dst};
	for (int i = 0; i < c->ntables; i++) {
		db_copy_table_t *t = &c->tables[i];
		t->ok = 1;
		for (int s = 0; s < 2; s++) {
			t->sum[s][0] = '\0';
			if (t->kind != DB_COPY_ROWS && t->kind != DB_COPY_COMPARED) {
				t->rows[s] = copy_table_exists(side[s], t->name) ? copy_count(side[s], t->name) : 0;
				continue;
			}
			t->rows[s] = copy_count(side[s], t->name);
			if (t->rows[s] < 0)
				return copy_fail(err, "cannot count the rows of '%s' on the %s: %s", t->name,
						 s ? "target" : "source", db_errmsg(side[s]));
			long long summed = copy_sum(t, side[s], t->sum[s]);
			if (summed < 0)
				return copy_fail(err, "cannot read '%s' on the %s: %s", t->name, s ? "target" : "source",
						 db_errmsg(side[s]));
			if (summed != t->rows[s])
				t->ok = 0;
		}
		if (t->kind == DB_COPY_ROWS || t->kind == DB_COPY_COMPARED)
			t->ok = t->ok && t->rows[0] == t->rows[1] && strcmp(t->sum[0], t->sum[1]) == 0;
		differ += !t->ok;
	}
	return differ;
}
