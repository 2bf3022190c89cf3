/* backup: SQLite's online backup API, a batch of pages at a time, into a file that appears whole. */
#include "db/backup.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BACKUP_PAGES 256         /* pages per step (1 MiB of 4 KiB pages) */
#define BACKUP_PAUSE_US 2000     /* between steps: writers get the database between two batches */
#define BACKUP_BUSY_PAUSE_US 20000
#define BACKUP_BUSY_MAX 3000     /* a minute of a locked source: give up */
#define BACKUP_STALLS_MAX 8      /* steps without progress (writers restart the copy) before one big step */

static int backup_fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int backup_fail(char **err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(err, fmt, ap) < 0)
		*err = NULL;
	va_end(ap);
	return -1;
}

static int backup_fsync(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	if (close(fd) < 0)
		rc = -1;
	return rc;
}

/* Removes path with a suffix (a journal, a WAL, the file itself); a file that is not there is fine. */
static int backup_unlink(const char *path, const char *suffix)
{
	char p[4096];
	if ((size_t)snprintf(p, sizeof(p), "%s%s", path, suffix) >= sizeof(p))
		return -1;
	return unlink(p) == 0 || errno == ENOENT ? 0 : -1;
}

static void backup_sleep(long us)
{
	struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The pages of src into the new file tmp.  0, or -1 with *err. */
static int backup_copy(const char *src_path, const char *tmp, char **err)
{
	sqlite3 *src = NULL, *dst = NULL;
	int ret = -1;
	/* read-write without create, as the servers open it: a read-only connection to a WAL database needs
	 * its -shm file to exist already */
	int rc = sqlite3_open_v2(src_path, &src, SQLITE_OPEN_READWRITE, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_close(src);
		src = NULL;
		rc = sqlite3_open_v2(src_path, &src, SQLITE_OPEN_READONLY, NULL);
	}
	if (rc != SQLITE_OK) {
		backup_fail(err, "cannot open '%s': %s", src_path, src ? sqlite3_errmsg(src) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(src, 10000);
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		backup_fail(err, "cannot create '%s': %s", tmp, dst ? sqlite3_errmsg(dst) : "out of memory");
		goto out;
	}
	sqlite3_exec(dst, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b) {
		backup_fail(err, "cannot start the backup: %s", sqlite3_errmsg(dst));
		goto out;
	}
	int pages = BACKUP_PAGES, stalls = 0, busy = 0, last = -1;
	for (;;) {
		rc = sqlite3_backup_step(b, pages);
		if (rc == SQLITE_DONE)
			break;
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
			if (++busy > BACKUP_BUSY_MAX)
				break;
			backup_sleep(BACKUP_BUSY_PAUSE_US);
			continue;
		}
		if (rc != SQLITE_OK)
			break;
		busy = 0;
		/* a write between two steps (from another connection) restarts the copy from the first page; when
		 * writers keep doing that, the rest goes in one step, one read transaction, which in WAL mode does
		 * not hold them up either */
		int remaining = sqlite3_backup_remaining(b);
		if (last >= 0 && remaining >= last && ++stalls >= BACKUP_STALLS_MAX)
			pages = -1;
		last = remaining;
		backup_sleep(BACKUP_PAUSE_US);
	}
	int frc = sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE || frc != SQLITE_OK) {
		backup_fail(err, "the backup failed: %s", rc == SQLITE_BUSY || rc == SQLITE_LOCKED
								 ? "the database stayed locked for a minute"
								 : sqlite3_errstr(rc != SQLITE_DONE ? rc : frc));
		goto out;
	}
	ret = 0;
out:
	if (dst && sqlite3_close(dst) != SQLITE_OK && ret == 0)
		ret = backup_fail(err, "cannot close '%s': %s", tmp, sqlite3_errmsg(dst));
	sqlite3_close(src);
	return ret;
}

int db_backup_sqlite(const char *src_path, const char *dst_path, char **err)
{
	char tmp[4096], dir[4096];
	struct stat ss, ds;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", dst_path) >= sizeof(tmp))
		return backup_fail(err, "path too long: '%s'", dst_path);
	if (stat(src_path, &ss) < 0)
		return backup_fail(err, "cannot read '%s': %s", src_path, strerror(errno));
	if (stat(dst_path, &ds) == 0 && ds.st_dev == ss.st_dev && ds.st_ino == ss.st_ino)
		return backup_fail(err, "'%s' is the database itself", dst_path);
	/* what an interrupted backup left */
	if (backup_unlink(tmp, "") < 0 || backup_unlink(tmp, "-journal") < 0 || backup_unlink(tmp, "-wal") < 0 ||
	    backup_unlink(tmp, "-shm") < 0)
		return backup_fail(err, "cannot remove the old '%s': %s", tmp, strerror(errno));
	/* the copy holds password hashes and the site's secret key: its owner alone reads it */
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || close(fd) < 0)
		return backup_fail(err, "cannot create '%s': %s", tmp, strerror(errno));
	if (backup_copy(src_path, tmp, err) < 0)
		goto fail;
	if (backup_fsync(tmp, O_RDONLY) < 0) {
		backup_fail(err, "cannot write '%s': %s", tmp, strerror(errno));
		goto fail;
	}
	/* a WAL of an earlier file at dst_path would be read as part of the new one */
	if (backup_unlink(dst_path, "-wal") < 0 || backup_unlink(dst_path, "-shm") < 0) {
		backup_fail(err, "cannot remove the old '%s-wal': %s", dst_path, strerror(errno));
		goto fail;
	}
	if (rename(tmp, dst_path) < 0) {
		backup_fail(err, "cannot rename '%s' to '%s': %s", tmp, dst_path, strerror(errno));
		goto fail;
	}
	const char *slash = strrchr(dst_path, '/');
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - dst_path) + (slash == dst_path) : 1, slash ? dst_path : ".");
	if (backup_fsync(dir, O_RDONLY | O_DIRECTORY) < 0)
		return backup_fail(err, "cannot sync the directory '%s': %s", dir, strerror(errno));
	return 0;
fail:
	backup_unlink(tmp, "");
	backup_unlink(tmp, "-journal");
	return -1;
}
