/* testdb: a fresh database for a unit test.  A new SQLite file in /tmp, or, when CONG_TEST_PG holds a
 * PostgreSQL server's base URL (postgres://USER@HOST:PORT/, see scripts/pg.sh), a new database there:
 * the same tests run on both backends. */
#ifndef TESTS_TESTDB_H
#define TESTS_TESTDB_H
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "db/db.h"

static char testdb_target[256];

static int testdb_admin(const char *sql)
{
	char url[300], *err = NULL;
	snprintf(url, sizeof(url), "%spostgres", getenv("CONG_TEST_PG"));
	db_t *a = db_open(url, 0, &err);
	if (!a) {
		fprintf(stderr, "testdb: %s\n", err);
		free(err);
		return -1;
	}
	int rc = db_exec_script(a, sql);
	if (rc < 0)
		fprintf(stderr, "testdb: %s\n", db_errmsg(a));
	db_close(a);
	return rc;
}

/* Opens a new, empty database named after tag; NULL (with the reason on stderr) when it cannot. */
static db_t *testdb_open(const char *tag)
{
	const char *pg = getenv("CONG_TEST_PG");
	char *err = NULL;
	if (pg && *pg) {
		/* two statements: DROP and CREATE DATABASE refuse to run inside one transaction block */
		char drop[128], create[128];
		snprintf(drop, sizeof(drop), "DROP DATABASE IF EXISTS cong_u_%s_%d", tag, (int)getpid());
		snprintf(create, sizeof(create), "CREATE DATABASE cong_u_%s_%d", tag, (int)getpid());
		if (testdb_admin(drop) < 0 || testdb_admin(create) < 0)
			return NULL;
		snprintf(testdb_target, sizeof(testdb_target), "%scong_u_%s_%d", pg, tag, (int)getpid());
	} else {
		snprintf(testdb_target, sizeof(testdb_target), "/tmp/cong-test-%s-%d.db", tag, (int)getpid());
		unlink(testdb_target);
	}
	db_t *db = db_open(testdb_target, 1, &err);
	if (!db) {
		fprintf(stderr, "testdb: %s\n", err);
		free(err);
	}
	return db;
}

/* Closes db and removes its database. */
static void testdb_close(db_t *db)
{
	db_close(db);
	if (db_is_url(testdb_target)) {
		char drop[300];
		snprintf(drop, sizeof(drop), "DROP DATABASE IF EXISTS %s", strrchr(testdb_target, '/') + 1);
		testdb_admin(drop);
		return;
	}
	char p[300];
	unlink(testdb_target);
	snprintf(p, sizeof(p), "%s-wal", testdb_target);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", testdb_target);
	unlink(p);
}
#endif
