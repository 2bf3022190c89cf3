/* copy: moves a whole portal from a SQLite database into another database (PostgreSQL, for
 * `cong migrate-db`), row for row with the same ids, then proves the copy: row counts and a checksum of
 * every table read back in primary-key order on both sides.
 *
 * The tables and their columns are read from the source (sqlite_master, pragma_table_info), so a column
 * added by a migration is carried without a change here; what a table is for (copied, left out because it
 * is ephemeral or rebuilt) is decided by name below, and a table this module does not know makes the plan
 * fail instead of being left behind.  Both databases must have the same schema (db_migrate on both). */
#ifndef DB_COPY_H
#define DB_COPY_H
#include <sodium.h>
#include <stddef.h>

#include "db/db.h"

enum { DB_COPY_ROWS, DB_COPY_EPHEMERAL, DB_COPY_REBUILT, DB_COPY_COMPARED };

#define DB_COPY_SUM_HEX 33 /* a checksum as hex, with its NUL */

typedef struct db_copy_table {
	char *name;
	int kind;          /* DB_COPY_*: ROWS copied; EPHEMERAL, REBUILT left out; COMPARED checked only */
	int ncols;
	char **cols;       /* the source's columns, in their order */
	int *col_int;      /* 1 for a column of integer affinity */
	int npk;
	int *pk;           /* the primary-key columns (indexes into cols), in key order */
	int self_ref;      /* the column referring to this table's own key (categories.parent_id), or -1 */
	int self_key;      /* the column it refers to, or -1 */
	int rowid;         /* a rowid table: copied in rowid order, so the target stores the rows in the order
			    * the source does (a query without ORDER BY then lists them alike) */
	/* filled by db_copy_verify: the source's and the target's counts and checksums */
	long long rows[2];
	char sum[2][DB_COPY_SUM_HEX];
	int ok;
} db_copy_table_t;

typedef struct db_copy {
	int ntables;
	db_copy_table_t *tables; /* in the order they are copied: a table after every table it refers to */
} db_copy_t;

/* The checksum of a sequence of rows: BLAKE2b-128 over each value as 'N' (SQL NULL) or 'T', its length
 * and its bytes, and a row mark after each row, so NULL differs from '' and ("ab", "c") from ("a", "bc").
 * Init, feed each value of each row then end the row, and finish into hex. */
typedef struct db_copy_sum {
	crypto_generichash_state st;
} db_copy_sum_t;
void db_copy_sum_init(db_copy_sum_t *s);
void db_copy_sum_value(db_copy_sum_t *s, const char *v, size_t n, int is_null);
void db_copy_sum_row(db_copy_sum_t *s);
void db_copy_sum_final(db_copy_sum_t *s, char hex[DB_COPY_SUM_HEX]);

/* 0 when dst can take a portal: none of the portal's tables (schema_migrations aside) holds a row.  A
 * database that holds only the schema (what an interrupted migration leaves) is accepted.  -1 with a
 * malloc'd message naming the first table that has rows, or the error. */
int db_copy_target_empty(db_t *dst, char **err);

/* Reads the source's tables (src must be SQLite) into *c and checks the plan: every table known, every
 * table it refers to copied before it.  0, or -1 with a malloc'd message; release *c with
 * db_copy_release either way. */
int db_copy_plan(db_copy_t *c, db_t *src, char **err);

/* Copies the rows of every DB_COPY_ROWS table from src to dst with their ids, advances dst's identity
 * sequences past them (PostgreSQL) and queues every article for the search index.  dst must be in a
 * transaction (db_begin); src should be in one too, so the copy is one snapshot.  0, or -1 with a
 * malloc'd message. */
int db_copy_rows(db_copy_t *c, db_t *src, db_t *dst, char **err);

/* Counts and checksums every copied table, and schema_migrations (version and name), on both sides; the
 * results are in c->tables.  The number of tables that differ (0: the copy is exact), or -1 with a
 * malloc'd message. */
int db_copy_verify(db_copy_t *c, db_t *src, db_t *dst, char **err);

void db_copy_release(db_copy_t *c);
#endif
