/* migrate: numbered schema migrations, compiled into the binary from src/db/migrations/NNN_name.sql
 * (and NNN_name.pg.sql where PostgreSQL needs its own form) and applied in order at start-up; each
 * applied version is recorded in schema_migrations. */
#ifndef DB_MIGRATE_H
#define DB_MIGRATE_H
#include "db/db.h"

struct db_migration {
	int version;
	const char *name;
	const char *sql;
	const char *sql_pg; /* the PostgreSQL form, when it differs (NNN_name.pg.sql) */
};
extern const struct db_migration db_migrations[]; /* ends with a zero entry */

/* Applies every migration newer than the database, each in its own transaction.  Returns the number
 * applied, or -1 with a malloc'd message in *err.  A database newer than the program is an error. */
int db_migrate(db_t *db, char **err);
/* The highest version the database has applied (0 for an empty database). */
int db_schema_version(db_t *db);
#endif
