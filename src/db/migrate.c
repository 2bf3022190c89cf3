#include "db/migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *migrate_err(const char *what, int version, const char *detail)
{
	char *m = malloc(512);
	if (m)
		snprintf(m, 512, "%s %03d: %s", what, version, detail);
	return m;
}

int db_schema_version(db_t *db)
{
	return (int)db_int(db, "SELECT max(version) FROM schema_migrations", "", 0);
}

int db_migrate(db_t *db, char **err)
{
	if (db_exec_script(db, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
			       " name TEXT NOT NULL, applied_at BIGINT NOT NULL)") < 0) {
		*err = migrate_err("cannot create schema_migrations", 0, db_errmsg(db));
		return -1;
	}
	int have = db_schema_version(db), latest = 0, applied = 0;
	for (const struct db_migration *m = db_migrations; m->version; m++)
		latest = m->version;
	if (have > latest) {
		*err = migrate_err("database schema is newer than this program; latest known is", latest,
				   "upgrade cong");
		return -1;
	}
	for (const struct db_migration *m = db_migrations; m->version; m++) {
		if (m->version <= have)
			continue;
		int pg = strcmp(db_backend_name(db), "postgresql") == 0;
		if (db_begin(db) < 0 || db_exec_script(db, pg && m->sql_pg ? m->sql_pg : m->sql) < 0 ||
		    db_execf(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", "isi",
			     (long long)m->version, m->name, (long long)time(NULL)) < 0 ||
		    db_commit(db) < 0) {
			*err = migrate_err("migration", m->version, db_errmsg(db));
			db_rollback(db);
			return -1;
		}
		applied++;
	}
	return applied;
}
