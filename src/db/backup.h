/* backup: a consistent copy of a live SQLite database.  SQLite only, and so outside the db interface:
 * it uses SQLite's online backup API on connections of its own.  A PostgreSQL portal is copied with
 * pg_dump, which does the same job there. */
#ifndef DB_BACKUP_H
#define DB_BACKUP_H

/* Copies the SQLite database src_path to dst_path while servers keep reading and writing it: the pages
 * are copied a batch at a time (a writer waits for one batch at most, and in WAL mode not at all) into
 * dst_path.tmp (mode 0600: it holds password hashes), which is fsynced and then renamed over dst_path, so
 * dst_path is never half written.  A copy that other writers keep restarting is finished in one read
 * transaction.  0, or -1 with a malloc'd message in *err (no .tmp file is left). */
int db_backup_sqlite(const char *src_path, const char *dst_path, char **err);
#endif
