/* cong: the command table.  One function per command; each parses its own flags. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/app.h"
#include "auth/password.h"
#include "core/config.h"
#include "core/log.h"
#include "db/backup.h"
#include "db/copy.h"
#include "db/db.h"
#include "db/migrate.h"
#include "http/server.h"
#include "media/media.h"
#include "news/editorial.h"
#include "news/news.h"
#include "svc/catalog.h"
#include "svc/demo_dossiers.h"
#include "svc/outbox.h"
#include "svc/workday.h"
#include <sodium.h>

#define CONG_VERSION "0.1.0"

typedef struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
	const char *usage;
} cmd_t;

static int cmd_serve(int argc, char **argv);
static int cmd_init(int argc, char **argv);
static int cmd_user(int argc, char **argv);
static int cmd_help(int argc, char **argv);
static int cmd_migrate_db(int argc, char **argv);
static int cmd_backup(int argc, char **argv);
static int cmd_import(int argc, char **argv);

static const cmd_t cmds[] = {
	{"serve", cmd_serve, "serve the portal over HTTP",
	 "usage: cong serve --data DIR [--db URL] [--listen HOST:PORT[,HOST:PORT…]] [--config FILE] [--SETTING VALUE …]\n"
	 "\n"
	 "Serves the portal whose data directory is DIR.  Settings come from built-in defaults, then DIR/cong.ini\n"
	 "(or --config FILE; section [server]), then CONG_<SETTING> environment variables, then flags.\n"
	 "Settings (flag --name or --name=value; in the INI file name = value):\n"},
	{"init", cmd_init, "create a data directory (database, media) and an admin account",
	 "usage: cong init --data DIR [--db postgres://USER@HOST/DATABASE] [--demo] [--base-url URL]\n"
	 "\n"
	 "Creates DIR (it must not hold a portal already) with an SQLite database and a media folder, and an\n"
	 "account 'admin' whose random password is printed once.  With --db the database is that PostgreSQL\n"
	 "one instead (it must exist and be empty), and DIR/cong.ini records it for the other commands.  --demo adds the demo portal of the fictional\n"
	 "Sông Lam province: articles in three languages with generated pictures.  --base-url is the public\n"
	 "address used in links that leave the site (default http://127.0.0.1:8080).\n"},
	{"user", cmd_user, "manage staff accounts",
	 "usage: cong user add --data DIR|--db URL --login NAME --role admin|editor|publisher|officer [--agency CODE,…]\n"
	 "                     [--name 'Full name'] --password-stdin\n"
	 "\n"
	 "Adds an account.  The password is read from the first line of standard input; it must have at least\n"
	 "10 characters, must not contain the login name and must not be a common password.\n"},
	{"import", cmd_import, "import the procedure catalog (agencies, procedures) from CSV",
	 "usage: cong import procedures|agencies FILE.csv [--data DIR|--db URL] [--forms DIR]\n"
	 "\n"
	 "Imports a CSV file (docs/IMPORT.md: a header row, RFC 4180 quoting, UTF-8) into the catalog: each row\n"
	 "creates or updates (by code) one procedure or agency, as a whole or not at all.  Good rows are saved even\n"
	 "when others are bad; the report says how many were imported and updated and lists each bad row with its\n"
	 "line and reason, and the exit status is 1 when any row was bad.  Import agencies before the procedures that\n"
	 "name them.  Form files named in a 'forms' column are read from --forms DIR (default: the CSV's directory).\n"},
	{"calendar", calendar_cmd, "list the days off of a year and compute due dates", calendar_cmd_usage},
	{"migrate-db", cmd_migrate_db, "move a portal from SQLite to PostgreSQL",
	 "usage: cong migrate-db --from [sqlite:]DIR --to postgres://USER@HOST[:PORT]/DATABASE [--media-to DIR2]\n"
	 "\n"
	 "Moves the portal of data directory DIR from its SQLite database into an empty PostgreSQL database:\n"
	 "every table, row for row with the same ids, in one transaction committed only once every table has the\n"
	 "same row count and checksum on both sides (one line per table).  Sessions and login throttling are not\n"
	 "moved (everyone signs in again); the search index is rebuilt.  DIR is only read (its schema is first\n"
	 "brought up to date, as cong serve would).  Stop the servers first: what they write meanwhile is not\n"
	 "moved.  The images stay in DIR/media and are served from there (media_dir); --media-to copies them to\n"
	 "DIR2, a new or empty directory.  A target that already holds a portal is refused.\n"},
	{"backup", cmd_backup, "copy a live SQLite database to a file",
	 "usage: cong backup --data DIR --to FILE\n"
	 "\n"
	 "Copies the SQLite database of DIR to FILE while servers keep running (SQLite's online backup), through\n"
	 "FILE.tmp, so FILE is never half written; then checks the copy (integrity_check).  A PostgreSQL portal\n"
	 "is backed up with pg_dump: the command says how, and exits 2.\n"},
	{"help", cmd_help, "show help for a command", "usage: cong help [COMMAND]\n"},
};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static const cmd_t *cmd_find(const char *name)
{
	for (size_t i = 0; i < NCMDS; i++)
		if (strcmp(cmds[i].name, name) == 0)
			return &cmds[i];
	return NULL;
}

static void usage_main(FILE *f)
{
	fprintf(f, "cong %s — the e-government portal of a Vietnamese province\n\nusage: cong COMMAND [OPTIONS]\n\ncommands:\n",
		CONG_VERSION);
	for (size_t i = 0; i < NCMDS; i++)
		fprintf(f, "  %-11s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\n'cong COMMAND --help' describes a command.\n");
}

static void usage_cmd(const cmd_t *c, FILE *f)
{
	fputs(c->usage, f);
	if (c->fn == cmd_serve) {
		char desc[4096];
		config_describe(desc, sizeof(desc));
		fputs(desc, f);
	}
}

static int cmd_help(int argc, char **argv)
{
	const cmd_t *c = argc > 1 ? cmd_find(argv[1]) : NULL;
	if (argc > 1 && !c) {
		fprintf(stderr, "cong: unknown command '%s'\n", argv[1]);
		return 2;
	}
	if (c)
		usage_cmd(c, stdout);
	else
		usage_main(stdout);
	return 0;
}

/* Reads "--name value" / "--name=value" at argv[*i]; the flag name is returned without dashes and the
 * value through *val (NULL for a bare flag when takes_value is 0). */
static const char *flag(int argc, char **argv, int *i, const char **val, int takes_value)
{
	const char *a = argv[*i];
	if (strncmp(a, "--", 2) != 0)
		return NULL;
	static char name[128];
	const char *eq = strchr(a, '=');
	size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	memcpy(name, a + 2, n);
	name[n] = '\0';
	for (char *p = name; *p; p++)
		if (*p == '-')
			*p = '_';
	*val = NULL;
	if (eq)
		*val = eq + 1;
	else if (takes_value && *i + 1 < argc)
		*val = argv[++*i];
	return name;
}

/* A data directory that exists and is writable (it holds cong.ini, and by default the database and media). */
static int data_dir_ok(const char *dir)
{
	if (!dir || !*dir) {
		fprintf(stderr, "cong: no data directory: give --data DIR (or CONG_DATA)\n");
		return 0;
	}
	struct stat st;
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "cong: data directory '%s' does not exist; create it with 'cong init --data %s'\n", dir, dir);
		return 0;
	}
	if (access(dir, W_OK) < 0) {
		fprintf(stderr, "cong: data directory '%s' is not writable: %s\n", dir, strerror(errno));
		return 0;
	}
	return 1;
}

/* The SQLite file of a data directory, checked to exist and be writable. */
static char *data_db_path(const char *dir, int must_exist)
{
	if (!data_dir_ok(dir))
		return NULL;
	size_t n = strlen(dir) + 16;
	char *p = malloc(n);
	snprintf(p, n, "%s/cong.db", dir);
	if (must_exist && access(p, F_OK) < 0) {
		fprintf(stderr, "cong: '%s' is not a portal data directory (no cong.db); run 'cong init --data %s'\n", dir, dir);
		free(p);
		return NULL;
	}
	return p;
}

/* The PostgreSQL database configured for a portal: CONG_DB / CONG_DATABASE_URL, else the db setting of
 * DIR/cong.ini (what `cong init --db` wrote there).  malloc'd; NULL for none (SQLite), and on a bad
 * cong.ini, with *bad set. */
static char *configured_db(const char *dir, int *bad)
{
	config_t c;
	config_init(&c);
	char *err = NULL, ini[4096], *url = NULL;
	if (dir)
		snprintf(ini, sizeof(ini), "%s/cong.ini", dir);
	*bad = 0;
	if (config_load_env(&c, &err) < 0 || (!c.db && dir && config_load_file(&c, ini, 1, &err) < 0)) {
		fprintf(stderr, "cong: %s\n", err);
		free(err);
		*bad = 1;
	} else if (c.db) {
		url = strdup(c.db);
	}
	config_release(&c);
	return url;
}

/* The database a command works on: --db URL, else the configured one, else the SQLite file DIR/cong.db.
 * malloc'd; NULL after telling the user what is wrong. */
static char *portal_db(const char *dir, const char *db_flag)
{
	int bad;
	if (db_flag)
		return strdup(db_flag);
	char *url = configured_db(dir, &bad);
	return url ? url : bad ? NULL : data_db_path(dir, 1);
}

static db_t *open_db(const char *path, int create)
{
	char *err = NULL;
	db_t *db = db_open(path, create, &err);
	if (!db) {
		fprintf(stderr, "cong: cannot open database: %s\n", err);
		free(err);
		return NULL;
	}
	int applied = db_migrate(db, &err);
	if (applied < 0) {
		fprintf(stderr, "cong: %s\n", err);
		free(err);
		db_close(db);
		return NULL;
	}
	if (applied > 0)
		log_msg(LOG_INFO, NULL, "applied %d migration(s); schema version %d", applied, db_schema_version(db));
	return db;
}

/* ---- serve --------------------------------------------------------------------------------------- */

static db_t *serve_worker_db(void)
{
	char *err = NULL;
	db_t *db = db_open(app.db_path, 0, &err);
	if (!db)
		fatal("worker cannot open the database: %s", err);
	return db;
}

static volatile int serve_running = 1;

/* Background duties of a server, on their own connection: publish scheduled articles when their minute
 * comes (checked every second); notice changes other processes committed (a command-line import, another
 * tool) within a second and drop the page cache; write the counted page views every five seconds, and once
 * more at shutdown. */
static void *serve_ticker(void *arg)
{
	db_t *db = serve_worker_db();
	long long version = db_data_version(db);
	for (int tick = 1;; tick++) {
		usleep(200 * 1000);
		int stop = !__atomic_load_n(&serve_running, __ATOMIC_ACQUIRE);
		if (tick % 5 == 0 && editorial_publish_due(db) < 0)
			log_msg(LOG_WARN, NULL, "cannot publish scheduled articles: %s", db_errmsg(db));
		if (tick % 5 == 0 || stop) {
			long long v = db_data_version(db);
			if (v != version) {
				version = v;
				http_cache_invalidate();
			}
		}
		if (tick % 25 == 0 || stop)
			if (news_views_flush(db) < 0)
				log_msg(LOG_WARN, NULL, "cannot write page views: %s", db_errmsg(db));
		if (stop)
			break;
	}
	db_close(db);
	return NULL;
}

/* The mailer: sends the outbox's due messages (svc/outbox.h) every second, on its own connection, so a
 * slow SMTP relay delays mail and nothing else.  Started only when smtp_host and smtp_from are set. */
static void *serve_mailer(void *arg)
{
	db_t *db = serve_worker_db();
	while (__atomic_load_n(&serve_running, __ATOMIC_ACQUIRE)) {
		if (outbox_send_due(db, &app.cfg, (long long)time(NULL), 20) < 0)
			log_msg(LOG_WARN, NULL, "cannot read the outbox: %s", db_errmsg(db));
		for (int i = 0; i < 5 && __atomic_load_n(&serve_running, __ATOMIC_ACQUIRE); i++)
			usleep(200 * 1000);
	}
	db_close(db);
	return NULL;
}

static int cmd_serve(int argc, char **argv)
{
	config_t *c = &app.cfg;
	config_init(c);
	char *err = NULL;
	const char *config_file = NULL;
	/* first pass: where the data and the config file are, so the file can be read before flags override it */
	for (int i = 1; i < argc; i++) {
		const char *v, *name = flag(argc, argv, &i, &v, 1);
		if (name && strcmp(name, "config") == 0)
			config_file = v;
		if (name && strcmp(name, "data") == 0 && v)
			config_set(c, "data", v, &err);
		if (name && strcmp(name, "help") == 0) {
			usage_cmd(cmd_find("serve"), stdout);
			return 0;
		}
	}
	if (!c->data_dir && getenv("CONG_DATA"))
		config_set(c, "data", getenv("CONG_DATA"), &err);
	char ini[4096];
	if (!config_file && c->data_dir)
		snprintf(ini, sizeof(ini), "%s/cong.ini", c->data_dir);
	if ((config_file || c->data_dir) && config_load_file(c, config_file ? config_file : ini, !config_file, &err) < 0)
		goto bad;
	if (config_load_env(c, &err) < 0)
		goto bad;
	for (int i = 1; i < argc; i++) {
		const char *v, *name = flag(argc, argv, &i, &v, 1);
		if (!name) {
			fprintf(stderr, "cong serve: unexpected argument '%s'\n", argv[i]);
			return 2;
		}
		if (strcmp(name, "config") == 0)
			continue;
		if (!v) {
			fprintf(stderr, "cong serve: --%s needs a value\n", name);
			return 2;
		}
		if (config_set(c, name, v, &err) < 0)
			goto bad;
	}
	log_set_level(!strcmp(c->log_level, "debug") ? LOG_DEBUG : !strcmp(c->log_level, "warn") ? LOG_WARN
					  : !strcmp(c->log_level, "error") ? LOG_ERR : LOG_INFO);
	if ((app.db_path = c->db ? (data_dir_ok(c->data_dir) ? strdup(c->db) : NULL) : data_db_path(c->data_dir, 1)) == NULL)
		return 1;
	if (c->media_dir) {
		app.media_dir = strdup(c->media_dir);
	} else {
		size_t n = strlen(c->data_dir) + 8;
		app.media_dir = malloc(n);
		snprintf(app.media_dir, n, "%s/media", c->data_dir);
	}
	app.files_dir = strdup(c->files_dir ? c->files_dir : c->data_dir);
	if (sodium_init() < 0)
		fatal("cannot start libsodium");
	db_t *db = open_db(app.db_path, 0);
	if (!db)
		return 1;
	if (app_load(&err) < 0)
		goto bad;
	app_snapshot_site(db);
	/* what fell due while the server was down goes out now, before the first reader arrives */
	int due = editorial_publish_due(db);
	if (due > 0)
		log_msg(LOG_INFO, NULL, "published %d scheduled article(s) that fell due while the server was down", due);
	db_close(db);

	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	if (cores < 1)
		cores = 1;
	char *listen[9] = {0};
	char *spec = strdup(c->listen), *save = NULL;
	int nl = 0;
	for (char *tok = strtok_r(spec, ",", &save); tok && nl < 8; tok = strtok_r(NULL, ",", &save))
		listen[nl++] = tok;
	http_server_opts_t o = {
		.listen = (const char *const *)listen,
		.threads = c->threads ? c->threads : (int)cores,
		.workers = c->workers ? c->workers : (int)cores * 2,
		.max_body = (size_t)c->max_body_kb * 1024,
		.req_timeout_ms = c->req_timeout * 1000,
		.idle_timeout_ms = c->idle_timeout * 1000,
		.max_connections = c->max_connections,
		.max_queued_body = (size_t)c->max_queued_body_mb << 20,
		.tls_cert = c->tls_cert,
		.tls_key = c->tls_key,
		.media_dir = app.media_dir,
		.page_cache = c->page_cache,
		.page_cache_bytes = (size_t)c->page_cache_mb << 20,
		.access_log = strcmp(c->access_log, "off") == 0 ? NULL : c->access_log,
		.trusted_proxies = c->trusted_proxies,
		.app = app_handle,
		.worker_db = serve_worker_db,
		.error_page = app_error_page_static,
		.on_view = news_views_hit,
	};
	if ((o.tls_cert == NULL) != (o.tls_key == NULL)) {
		fprintf(stderr, "cong serve: tls_cert and tls_key go together\n");
		return 2;
	}
	pthread_t ticker, mailer;
	pthread_create(&ticker, NULL, serve_ticker, NULL);
	int mail = outbox_enabled(c);
	if (mail)
		pthread_create(&mailer, NULL, serve_mailer, NULL);
	int rc = http_serve(&o, &err);
	__atomic_store_n(&serve_running, 0, __ATOMIC_RELEASE);
	pthread_join(ticker, NULL);
	if (mail)
		pthread_join(mailer, NULL);
	free(spec);
	if (rc < 0)
		goto bad;
	app_unload();
	return 0;
bad:
	fprintf(stderr, "cong serve: %s\n", err ? err : "error");
	free(err);
	return 1;
}

/* ---- init ---------------------------------------------------------------------------------------- */

static int init_settings(db_t *db, const char *base_url)
{
	unsigned char key[32];
	char hex[65];
	randombytes_buf(key, sizeof(key)); /* the site's secret for MACs (login-form CSRF tokens) */
	sodium_bin2hex(hex, sizeof(hex), key, sizeof(key));
	if (db_execf(db, "INSERT INTO settings (key, value) VALUES ('secret.key', ?)", "s", hex) < 0)
		return -1;
	static const char *const defaults[][2] = {
		{"site.name.vi", "Cổng Thông tin điện tử"},
		{"site.name.en", "Online Portal"},
		{"site.name.zh", "电子信息门户"},
	};
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		if (db_execf(db, "INSERT INTO settings (key, value) VALUES (?, ?)", "ss", defaults[i][0], defaults[i][1]) < 0)
			return -1;
	return db_execf(db, "INSERT INTO settings (key, value) VALUES ('site.base_url', ?)", "s", base_url) < 0 ? -1 : 0;
}

/* 1 when the PostgreSQL database cannot take a new portal: unreachable, or it has one already. */
static int init_pg_taken(const char *url)
{
	char *err = NULL;
	db_t *db = db_open(url, 0, &err);
	if (!db) {
		fprintf(stderr, "cong init: cannot open database: %s\n", err);
		free(err);
		return 1;
	}
	long long n = db_int(db, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
				 " AND table_schema = current_schema()", "", 1);
	db_close(db);
	return n != 0;
}

/* DIR/cong.ini naming the database, so every later command given --data DIR finds it.  It holds the URL
 * (perhaps with a password): readable by its owner only. */
static int init_write_ini(const char *dir, const char *url)
{
	char ini[4096];
	snprintf(ini, sizeof(ini), "%s/cong.ini", dir);
	if (access(ini, F_OK) == 0) {
		printf("note: %s exists and was left as it is: add 'db = %s' to its [server] section\n", ini, url);
		return 0;
	}
	FILE *f = fopen(ini, "wx");
	if (!f || fchmod(fileno(f), 0600) < 0 || fprintf(f, "[server]\n; the portal's database (cong init --db)\ndb = %s\n", url) < 0 ||
	    fclose(f) != 0) {
		fprintf(stderr, "cong init: cannot write %s: %s\n", ini, strerror(errno));
		return -1;
	}
	return 0;
}

static int cmd_init(int argc, char **argv)
{
	const char *dir = getenv("CONG_DATA"), *base_url = "http://127.0.0.1:8080", *db_url = NULL;
	int demo = 0;
	for (int i = 1; i < argc; i++) {
		const char *v, *name = flag(argc, argv, &i, &v, 0);
		if (name && strcmp(name, "help") == 0) {
			usage_cmd(cmd_find("init"), stdout);
			return 0;
		} else if (name && strcmp(name, "demo") == 0) {
			demo = 1;
		} else if (name && (strcmp(name, "data") == 0 || strcmp(name, "base_url") == 0 || strcmp(name, "db") == 0)) {
			if (!v && i + 1 < argc)
				v = argv[++i];
			if (!v) {
				fprintf(stderr, "cong init: --%s needs a value\n", name);
				return 2;
			}
			if (strcmp(name, "data") == 0)
				dir = v;
			else if (strcmp(name, "db") == 0)
				db_url = v;
			else
				base_url = v;
		} else {
			fprintf(stderr, "cong init: unexpected argument '%s'\n%s", argv[i], cmd_find("init")->usage);
			return 2;
		}
	}
	if (!dir) {
		fprintf(stderr, "cong init: give the data directory with --data DIR\n");
		return 2;
	}
	if (mkdir(dir, 0750) < 0 && errno != EEXIST) {
		fprintf(stderr, "cong init: cannot create '%s': %s\n", dir, strerror(errno));
		return 1;
	}
	char *cfg_url = NULL;
	int bad = 0;
	if (!db_url && dir && (db_url = cfg_url = configured_db(dir, &bad)) == NULL && bad)
		return 1;
	if (db_url && !db_is_url(db_url)) {
		fprintf(stderr, "cong init: --db takes a PostgreSQL URL (postgres://USER@HOST/DATABASE), not '%s'\n", db_url);
		free(cfg_url);
		return 2;
	}
	char *path = db_url ? (data_dir_ok(dir) ? strdup(db_url) : NULL) : data_db_path(dir, 0);
	if (!path)
		return 1;
	if (db_url ? init_pg_taken(db_url) : access(path, F_OK) == 0) {
		fprintf(stderr, "cong init: '%s' already holds a portal (%s); nothing changed\n", dir,
			db_url ? "its PostgreSQL database has one" : "cong.db exists");
		free(path);
		free(cfg_url);
		return 1;
	}
	if (db_url && !cfg_url && init_write_ini(dir, db_url) < 0) {
		free(path);
		free(cfg_url);
		return 1;
	}
	free(cfg_url);
	char media[4096];
	snprintf(media, sizeof(media), "%s/media", dir);
	if (mkdir(media, 0750) < 0 && errno != EEXIST) {
		fprintf(stderr, "cong init: cannot create '%s': %s\n", media, strerror(errno));
		return 1;
	}
	db_t *db = open_db(path, 1);
	free(path);
	if (!db)
		return 1;
	if (sodium_init() < 0)
		fatal("cannot start libsodium");
	char pw[17], hash[PASSWORD_HASH_MAX];
	password_random(pw, 16);
	int rc = 1;
	if (db_begin(db) < 0 || init_settings(db, base_url) < 0 || news_default_menu(db) < 0 || password_hash(pw, hash) < 0 ||
	    db_execf(db, "INSERT INTO users (login, display_name, role, password_hash, created_at) VALUES ('admin', 'Quản trị', 'admin', ?, ?)",
		     "si", hash, (long long)time(NULL)) < 0 || db_commit(db) < 0) {
		fprintf(stderr, "cong init: cannot create the portal: %s\n", db_errmsg(db));
		db_rollback(db);
		goto out;
	}
	if (demo) {
		char demo_dir[4096], *err = NULL;
		const char *share = getenv("CONG_SHARE_DIR") ? getenv("CONG_SHARE_DIR") : CONG_SHARE_DIR;
		snprintf(demo_dir, sizeof(demo_dir), "%s/demo", share);
		if (news_demo_load(db, demo_dir, media, &err) < 0) {
			fprintf(stderr, "cong init: cannot load the demo portal: %s\n", err);
			free(err);
			goto out;
		}
		if (catalog_demo_load(db, demo_dir, dir, &err) < 0) {
			fprintf(stderr, "cong init: cannot load the demo procedure catalog: %s\n", err ? err : "out of memory");
			free(err);
			goto out;
		}
		/* a year of dossiers over those procedures, so the statistics are not empty (svc/demo_dossiers.h) */
		if (demo_dossiers_load(db, (long long)time(NULL), DEMO_DOSSIERS_DEFAULT, &err) < 0) {
			fprintf(stderr, "cong init: cannot load the demo dossiers: %s\n", err ? err : "out of memory");
			free(err);
			goto out;
		}
	}
	/* PostgreSQL plans the first requests with no statistics otherwise (autovacuum analyzes small tables
	 * late or never): measured 2× slower searches right after init.  SQLite keeps its plans as tested. */
	if (strcmp(db_backend_name(db), "postgresql") == 0 && db_exec_script(db, "ANALYZE") < 0)
		log_msg(LOG_WARN, NULL, "cannot analyze the new database: %s", db_errmsg(db));
	printf("Created the portal in %s%s.\n\nAdministrator account (shown only once; write it down):\n  login:    admin\n"
	       "  password: %s\n\nStart it with: cong serve --data %s\n",
	       dir, demo ? " with the demo content" : "", pw, dir);
	rc = 0;
out:
	db_close(db);
	return rc;
}

/* ---- user ---------------------------------------------------------------------------------------- */

static int cmd_user(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage_cmd(cmd_find("user"), argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "add") != 0) {
		fprintf(stderr, "cong user: unknown subcommand '%s'\n%s", argv[1], cmd_find("user")->usage);
		return 2;
	}
	const char *dir = getenv("CONG_DATA"), *login = NULL, *role = NULL, *display = NULL, *db_url = NULL, *agencies = NULL;
	int pw_stdin = 0;
	for (int i = 2; i < argc; i++) {
		const char *v, *name = flag(argc, argv, &i, &v, 0);
		if (name && strcmp(name, "help") == 0) {
			usage_cmd(cmd_find("user"), stdout);
			return 0;
		}
		if (name && strcmp(name, "password_stdin") == 0) {
			pw_stdin = 1;
			continue;
		}
		if (name && !v && i + 1 < argc)
			v = argv[++i];
		if (!name || !v) {
			fprintf(stderr, "cong user add: unexpected argument '%s'\n%s", argv[i], cmd_find("user")->usage);
			return 2;
		}
		if (strcmp(name, "data") == 0)
			dir = v;
		else if (strcmp(name, "db") == 0)
			db_url = v;
		else if (strcmp(name, "login") == 0)
			login = v;
		else if (strcmp(name, "role") == 0)
			role = v;
		else if (strcmp(name, "agency") == 0)
			agencies = v;
		else if (strcmp(name, "name") == 0)
			display = v;
		else {
			fprintf(stderr, "cong user add: unknown option '--%s'\n", name);
			return 2;
		}
	}
	if (!login || !role || !pw_stdin) {
		fprintf(stderr, "cong user add: --login, --role and --password-stdin are required\n");
		return 2;
	}
	if ((strcmp(role, "officer") == 0) != (agencies != NULL)) {
		fprintf(stderr, "cong user add: an officer needs --agency CODE[,CODE…] (the agencies whose dossiers they process),"
				" and only an officer has agencies\n");
		return 2;
	}
	if (strcmp(role, "admin") && strcmp(role, "editor") && strcmp(role, "publisher") && strcmp(role, "officer")) {
		fprintf(stderr, "cong user add: unknown role '%s': expected admin, editor, publisher or officer\n", role);
		return 2;
	}
	size_t ll = strlen(login);
	int login_ok = ll >= 2 && ll <= 64;
	for (const char *p = login; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
			login_ok = 0;
	if (!login_ok) {
		fprintf(stderr, "cong user add: bad login '%s': use 2 to 64 of a-z 0-9 . _ -\n", login);
		return 2;
	}
	char pw[1024];
	if (!fgets(pw, sizeof(pw), stdin)) {
		fprintf(stderr, "cong user add: no password on standard input\n");
		return 2;
	}
	pw[strcspn(pw, "\r\n")] = '\0';
	const char *why = password_policy(pw, login);
	if (why) {
		fprintf(stderr, "cong user add: password refused: %s\n", why);
		return 2;
	}
	char *path = portal_db(dir, db_url);
	if (!path)
		return 1;
	db_t *db = open_db(path, 0);
	free(path);
	if (!db)
		return 1;
	if (sodium_init() < 0)
		fatal("cannot start libsodium");
	char hash[PASSWORD_HASH_MAX];
	int rc = 1;
	if (db_int(db, "SELECT count(*) FROM users WHERE login = ?", "s", 0, login) > 0) {
		fprintf(stderr, "cong user add: login '%s' is taken\n", login);
		goto out;
	}
	if (password_hash(pw, hash) < 0 || db_begin(db) < 0 ||
	    db_execf(db, "INSERT INTO users (login, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
		     "ssssi", login, display ? display : login, role, hash, (long long)time(NULL)) < 0) {
		fprintf(stderr, "cong user add: cannot add the user: %s\n", db_errmsg(db));
		db_rollback(db);
		goto out;
	}
	long long uid = db_last_id(db);
	char *list = agencies ? strdup(agencies) : NULL, *save = NULL;
	for (char *code = list ? strtok_r(list, ",", &save) : NULL; code; code = strtok_r(NULL, ",", &save)) {
		long long agency = db_int(db, "SELECT id FROM agencies WHERE code = ?", "s", 0, code);
		if (!agency || db_execf(db, "INSERT INTO officer_agencies (user_id, agency_id) VALUES (?, ?)", "ii", uid, agency) < 0) {
			fprintf(stderr, "cong user add: %s '%s'\n", agency ? "cannot bind the agency" : "no agency has the code", code);
			free(list);
			db_rollback(db);
			goto out;
		}
	}
	free(list);
	if (db_commit(db) < 0) {
		fprintf(stderr, "cong user add: cannot add the user: %s\n", db_errmsg(db));
		db_rollback(db);
		goto out;
	}
	printf("added %s (%s)\n", login, role);
	rc = 0;
out:
	sodium_memzero(pw, sizeof(pw));
	db_close(db);
	return rc;
}

/* ---- import ------------------------------------------------------------------------------------- */

/* The files directory of a portal (forms/ lives there): CONG_FILES_DIR, else files_dir of DIR/cong.ini,
 * else DIR.  malloc'd; NULL when there is no DIR. */
static char *configured_files_dir(const char *dir)
{
	config_t c;
	config_init(&c);
	char *err = NULL, ini[4096], *out = NULL;
	if (dir)
		snprintf(ini, sizeof(ini), "%s/cong.ini", dir);
	if (config_load_env(&c, &err) == 0 && (!dir || config_load_file(&c, ini, 1, &err) == 0) && c.files_dir)
		out = strdup(c.files_dir);
	free(err);
	config_release(&c);
	return out ? out : dir ? strdup(dir) : NULL;
}

static int cmd_import(int argc, char **argv)
{
	const char *usage = cmd_find("import")->usage;
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *kind = argv[1], *file = NULL, *dir = getenv("CONG_DATA"), *db_url = NULL, *forms = NULL;
	if (strcmp(kind, "procedures") != 0 && strcmp(kind, "agencies") != 0) {
		fprintf(stderr, "cong import: unknown kind '%s': expected procedures or agencies\n%s", kind, usage);
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		const char *v, *name = flag(argc, argv, &i, &v, 0);
		if (!name) {
			if (file) {
				fprintf(stderr, "cong import: unexpected argument '%s'\n%s", argv[i], usage);
				return 2;
			}
			file = argv[i];
			continue;
		}
		if (!v && i + 1 < argc)
			v = argv[++i];
		if (!v) {
			fprintf(stderr, "cong import: --%s needs a value\n", name);
			return 2;
		}
		if (strcmp(name, "data") == 0)
			dir = v;
		else if (strcmp(name, "db") == 0)
			db_url = v;
		else if (strcmp(name, "forms") == 0)
			forms = v;
		else {
			fprintf(stderr, "cong import: unknown option '--%s'\n%s", name, usage);
			return 2;
		}
	}
	if (!file) {
		fprintf(stderr, "cong import: name the CSV file\n%s", usage);
		return 2;
	}
	FILE *f = fopen(file, "rb");
	if (!f) {
		fprintf(stderr, "cong import: cannot open '%s': %s\n", file, strerror(errno));
		return 1;
	}
	buf_t csv;
	buf_init(&csv, 64u << 20);
	char chunk[65536];
	size_t got;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_append(&csv, chunk, got) < 0)
			break;
	int read_err = ferror(f) || csv.overflow;
	fclose(f);
	if (read_err) {
		fprintf(stderr, "cong import: cannot read '%s'%s\n", file, csv.overflow ? ": larger than 64 MB" : "");
		buf_release(&csv);
		return 1;
	}
	char *path = portal_db(dir, db_url);
	if (!path) {
		buf_release(&csv);
		return 1;
	}
	db_t *db = open_db(path, 0);
	free(path);
	if (!db) {
		buf_release(&csv);
		return 1;
	}
	if (sodium_init() < 0)
		fatal("cannot start libsodium");
	char *files_dir = configured_files_dir(dir);
	char forms_dir[4096];
	if (forms) {
		snprintf(forms_dir, sizeof(forms_dir), "%s", forms);
	} else {
		const char *slash = strrchr(file, '/');
		snprintf(forms_dir, sizeof(forms_dir), "%.*s", slash ? (int)(slash - file) : 1, slash ? file : ".");
		if (slash == file)
			snprintf(forms_dir, sizeof(forms_dir), "/");
	}
	arena_t a;
	arena_init(&a, 512u << 20);
	catalog_report_t *r = malloc(sizeof(*r));
	int rc = r ? catalog_import(db, &a, kind, buf_cstr(&csv), csv.len, files_dir ? forms_dir : NULL,
				    files_dir ? files_dir : ".", (long long)time(NULL), r)
		   : -1;
	if (rc < 0) {
		fprintf(stderr, "cong import: nothing imported: database error: %s\n", db_errmsg(db));
	} else if (r->refused) {
		fprintf(stderr, "cong import: %s refused, nothing imported:\n", file);
		for (int i = 0; i < r->nbad && i < CATALOG_MAX_BAD; i++) {
			fprintf(stderr, "  line %ld: ", r->bad[i].line);
			fprintf(stderr, r->bad[i].arg ? r->bad[i].msgid : "%s", r->bad[i].arg ? r->bad[i].arg : r->bad[i].msgid);
			fputc('\n', stderr);
		}
	} else {
		printf("%s: %d imported, %d updated, %d bad row%s\n", file, r->imported, r->updated, r->nbad, r->nbad == 1 ? "" : "s");
		for (int i = 0; i < r->nbad && i < CATALOG_MAX_BAD; i++) {
			fprintf(stderr, "%s:%ld: ", file, r->bad[i].line);
			fprintf(stderr, r->bad[i].arg ? r->bad[i].msgid : "%s", r->bad[i].arg ? r->bad[i].arg : r->bad[i].msgid);
			fputc('\n', stderr);
		}
		if (r->nbad > CATALOG_MAX_BAD)
			fprintf(stderr, "… and %d more bad rows\n", r->nbad - CATALOG_MAX_BAD);
	}
	free(r);
	arena_release(&a);
	free(files_dir);
	buf_release(&csv);
	db_close(db);
	return rc == 0 ? 0 : 1;
}

/* ---- migrate-db, backup -------------------------------------------------------------------------- */

/* url for printing: without the password of user:password@ (it lives in cong.ini and .pgpass, not on
 * terminals).  malloc'd. */
static char *url_without_password(const char *url, int *had)
{
	char *u = strdup(url), *auth = u ? strstr(u, "://") : NULL;
	*had = 0;
	if (!auth)
		return u;
	auth += 3;
	char *at = strchr(auth, '@'), *end = auth + strcspn(auth, "/?");
	char *colon = at && at < end ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (colon) {
		memmove(colon, at, strlen(at) + 1);
		*had = 1;
	}
	return u;
}

/* s in single quotes for a POSIX shell. */
static void shell_quote(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++)
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	fputc('\'', f);
}

/* The images directory of a data directory: media_dir of DIR/cong.ini, else DIR/media.  malloc'd. */
static char *portal_media_dir(const char *dir)
{
	config_t c;
	config_init(&c);
	char ini[4096], *err = NULL, *out = NULL;
	snprintf(ini, sizeof(ini), "%s/cong.ini", dir);
	if (config_load_file(&c, ini, 1, &err) == 0 && c.media_dir)
		out = strdup(c.media_dir);
	free(err);
	config_release(&c);
	if (!out && asprintf(&out, "%s/media", dir) < 0)
		out = NULL;
	return out;
}

/* Copies one file, fsynced, refusing to replace one.  0, or -1 with errno. */
static int copy_file(const char *from, const char *to, mode_t mode, off_t size)
{
	int in = open(from, O_RDONLY | O_CLOEXEC), out = -1, ret = -1;
	char b[65536];
	off_t total = 0;
	if (in < 0 || (out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 0777)) < 0)
		goto out;
	for (;;) {
		ssize_t n = read(in, b, sizeof(b));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto out;
		if (n == 0)
			break;
		for (ssize_t w, off = 0; off < n; off += w)
			if ((w = write(out, b + off, (size_t)(n - off))) < 0) {
				if (errno != EINTR)
					goto out;
				w = 0;
			}
		total += n;
	}
	if (total != size) {
		errno = EIO; /* the file changed while it was copied */
		goto out;
	}
	ret = fsync(out);
out:;
	int e = errno;
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) < 0 && ret == 0)
		ret = -1, e = errno;
	errno = e;
	return ret;
}

/* The images of from copied into to (which must not exist, or be empty): the files the media module
 * writes, with their names; its half-written temporary files (dot files) are left out. */
static int migrate_copy_media(const char *from, const char *to, long long *files, long long *bytes)
{
	DIR *d = opendir(from);
	if (!d) {
		fprintf(stderr, "cong migrate-db: cannot read the images directory '%s': %s\n", from, strerror(errno));
		return -1;
	}
	if (mkdir(to, 0750) < 0 && errno != EEXIST) {
		fprintf(stderr, "cong migrate-db: cannot create '%s': %s\n", to, strerror(errno));
		closedir(d);
		return -1;
	}
	int ret = 0;
	struct dirent *e;
	while (ret == 0 && (errno = 0, e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char src[4096], dst[4096];
		struct stat st;
		snprintf(src, sizeof(src), "%s/%s", from, e->d_name);
		snprintf(dst, sizeof(dst), "%s/%s", to, e->d_name);
		if (stat(src, &st) < 0 || !S_ISREG(st.st_mode)) {
			printf("note: %s is not an image file and was not copied\n", src);
			continue;
		}
		if (copy_file(src, dst, st.st_mode, st.st_size) < 0) {
			fprintf(stderr, "cong migrate-db: cannot copy '%s' to '%s': %s\n", src, dst, strerror(errno));
			ret = -1;
		}
		++*files;
		*bytes += st.st_size;
	}
	if (ret == 0 && errno != 0) {
		fprintf(stderr, "cong migrate-db: cannot read the images directory '%s': %s\n", from, strerror(errno));
		ret = -1;
	}
	closedir(d);
	int fd = ret == 0 ? open(to, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (ret == 0 && (fd < 0 || fsync(fd) < 0)) {
		fprintf(stderr, "cong migrate-db: cannot sync '%s': %s\n", to, strerror(errno));
		ret = -1;
	}
	if (fd >= 0)
		close(fd);
	return ret;
}

/* 1 when dir does not exist or is an empty directory. */
static int dir_absent_or_empty(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT;
	struct dirent *e;
	int empty = 1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = 0;
	closedir(d);
	return empty;
}

/* The media rows whose image is not in dir (a portal that lost files before the move). */
static long long migrate_missing_images(db_t *db, const char *dir)
{
	long long missing = 0;
	db_stmt_t *st = db_prepare(db, "SELECT name FROM media ORDER BY id");
	while (st && db_step(st) == DB_ROW) {
		char p[4096];
		snprintf(p, sizeof(p), "%s/%s.jpg", dir, db_col_text(st, 0));
		missing += access(p, R_OK) < 0;
	}
	if (st)
		db_done(st);
	return missing;
}

static void migrate_print_checks(const db_copy_t *plan)
{
	printf("%-20s %8s  checksum\n", "table", "rows");
	for (int i = 0; i < plan->ntables; i++) {
		const db_copy_table_t *t = &plan->tables[i];
		if (t->kind != DB_COPY_ROWS && t->kind != DB_COPY_COMPARED)
			continue;
		if (t->ok)
			printf("%-20s %8lld  %s  ok\n", t->name, t->rows[0], t->sum[0]);
		else
			printf("%-20s %8lld  %s  DIFFERENT: the target has %lld rows, checksum %s\n", t->name, t->rows[0],
			       t->sum[0], t->rows[1], t->sum[1]);
	}
}

static int cmd_migrate_db(int argc, char **argv)
{
	const char *from = NULL, *to = NULL, *media_to = NULL;
	for (int i = 1; i < argc; i++) {
		const char *v, *name = flag(argc, argv, &i, &v, 1);
		if (name && strcmp(name, "help") == 0) {
			usage_cmd(cmd_find("migrate-db"), stdout);
			return 0;
		}
		if (!name || !v || (strcmp(name, "from") && strcmp(name, "to") && strcmp(name, "media_to"))) {
			fprintf(stderr, "cong migrate-db: unexpected argument '%s'\n%s", argv[i], cmd_find("migrate-db")->usage);
			return 2;
		}
		*(strcmp(name, "from") == 0 ? &from : strcmp(name, "to") == 0 ? &to : &media_to) = v;
	}
	if (!from || !to) {
		fprintf(stderr, "cong migrate-db: --from and --to are required\n%s", cmd_find("migrate-db")->usage);
		return 2;
	}
	const char *dir = strncmp(from, "sqlite:", 7) == 0 ? from + 7 : from;
	if (db_is_url(dir)) {
		fprintf(stderr, "cong migrate-db: --from takes a SQLite portal's data directory, not '%s'\n", from);
		return 2;
	}
	if (!db_is_url(to)) {
		fprintf(stderr, "cong migrate-db: --to takes a PostgreSQL URL (postgres://USER@HOST:PORT/DATABASE), not '%s'\n", to);
		return 2;
	}
	if (media_to && !dir_absent_or_empty(media_to)) {
		fprintf(stderr, "cong migrate-db: --media-to '%s' must be a new or empty directory; nothing changed\n", media_to);
		return 2;
	}
	if (sodium_init() < 0)
		fatal("cannot start libsodium");
	char *src_path = data_db_path(dir, 1), *media = portal_media_dir(dir), *err = NULL;
	int had_pw, rc = 1, src_txn = 0, dst_txn = 0, schema_made = 0;
	char *shown = url_without_password(to, &had_pw);
	db_copy_t plan = {0};
	db_t *src = NULL, *dst = NULL;
	if (!src_path || !media || !shown)
		goto out;
	/* the source at the program's schema, so both sides are at the same one (as cong serve would) */
	if (!(src = open_db(src_path, 0)))
		goto out;
	if (db_copy_plan(&plan, src, &err) < 0) {
		fprintf(stderr, "cong migrate-db: %s\n", err);
		goto out;
	}
	if (!(dst = db_open(to, 0, &err))) {
		fprintf(stderr, "cong migrate-db: cannot open the target: %s\n", err);
		goto out;
	}
	if (db_copy_target_empty(dst, &err) < 0) {
		fprintf(stderr, "cong migrate-db: %s; nothing changed\n", err);
		goto out;
	}
	schema_made = 1;
	int applied = db_migrate(dst, &err);
	if (applied < 0) {
		fprintf(stderr, "cong migrate-db: cannot create the schema on the target: %s\n", err);
		goto out;
	}
	if (db_schema_version(src) != db_schema_version(dst)) {
		fprintf(stderr, "cong migrate-db: the schemas differ: version %d on the source, %d on the target\n",
			db_schema_version(src), db_schema_version(dst));
		goto out;
	}
	printf("moving %s (SQLite, schema %d) to %s (PostgreSQL)\n", src_path, db_schema_version(src), shown);
	/* one snapshot of the source; one transaction on the target, committed only once it is proved equal */
	if (db_exec_script(src, "BEGIN") < 0 || (src_txn = 1, db_begin(dst) < 0)) {
		fprintf(stderr, "cong migrate-db: cannot start: %s\n", db_errmsg(src_txn ? dst : src));
		goto out;
	}
	dst_txn = 1;
	if (db_copy_rows(&plan, src, dst, &err) < 0) {
		fprintf(stderr, "cong migrate-db: %s\n", err);
		goto out;
	}
	int differ = db_copy_verify(&plan, src, dst, &err);
	if (differ < 0) {
		fprintf(stderr, "cong migrate-db: cannot verify the copy: %s\n", err);
		goto out;
	}
	migrate_print_checks(&plan);
	if (differ > 0) {
		fprintf(stderr, "cong migrate-db: %d table%s differ%s after the copy\n", differ,
			differ == 1 ? "" : "s", differ == 1 ? "s" : "");
		goto out;
	}
	long long files = 0, bytes = 0, missing = migrate_missing_images(src, media);
	if (media_to && migrate_copy_media(media, media_to, &files, &bytes) < 0) {
		fprintf(stderr, "cong migrate-db: remove '%s' before trying again\n", media_to);
		goto out;
	}
	if (db_commit(dst) < 0) {
		fprintf(stderr, "cong migrate-db: cannot commit: %s\n", db_errmsg(dst));
		goto out;
	}
	dst_txn = 0;
	long long rows = 0;
	int tables = 0;
	printf("not moved:");
	for (int i = 0; i < plan.ntables; i++) {
		const db_copy_table_t *t = &plan.tables[i];
		if (t->kind == DB_COPY_ROWS)
			rows += t->rows[0], tables++;
		else if (t->kind == DB_COPY_EPHEMERAL)
			printf(" %s (%lld rows),", t->name, t->rows[0]);
		else if (t->kind == DB_COPY_REBUILT)
			printf(" %s,", t->name);
	}
	printf(" ephemeral or rebuilt: everyone signs in again, the search index is built anew\n");
	long long indexed = db_search_sync(dst);
	printf("moved %lld rows in %d tables; search index: %lld articles indexed%s\n", rows, tables, indexed < 0 ? 0 : indexed,
	       indexed < 0 ? " (it will be built at the first search)" : "");
	if (media_to)
		printf("copied %lld image files (%.1f MiB) to %s\n", files, (double)bytes / (1 << 20), media_to);
	if (missing)
		printf("warning: %lld images of the media table are missing from %s (they were missing before the move)\n",
		       missing, media);
	char *abs_media = realpath(media_to ? media_to : media, NULL);
	printf("\nTo serve the portal from PostgreSQL, add to the [server] section of %s/cong.ini (or of another data\n"
	       "directory's):\n  db = %s\n  media_dir = %s\n%s",
	       dir, shown, abs_media ? abs_media : media_to ? media_to : media,
	       had_pw ? "(the password is left out here: add it to the URL, or to ~/.pgpass)\n" : "");
	free(abs_media);
	rc = 0;
out:
	if (dst_txn)
		db_rollback(dst);
	if (rc && schema_made)
		fprintf(stderr, "cong migrate-db: no row was committed: the target holds at most the empty schema, and the move "
				"can be run again\n");
	if (src_txn)
		db_rollback(src);
	db_copy_release(&plan);
	db_close(src);
	db_close(dst);
	free(err);
	free(src_path);
	free(media);
	free(shown);
	return rc;
}

static int cmd_backup(int argc, char **argv)
{
	const char *dir = getenv("CONG_DATA"), *to = NULL;
	for (int i = 1; i < argc; i++) {
		const char *v, *name = flag(argc, argv, &i, &v, 1);
		if (name && strcmp(name, "help") == 0) {
			usage_cmd(cmd_find("backup"), stdout);
			return 0;
		}
		if (!name || !v || (strcmp(name, "data") && strcmp(name, "to"))) {
			fprintf(stderr, "cong backup: unexpected argument '%s'\n%s", argv[i], cmd_find("backup")->usage);
			return 2;
		}
		*(strcmp(name, "data") == 0 ? &dir : &to) = v;
	}
	if (!to) {
		fprintf(stderr, "cong backup: give the file to write with --to FILE\n%s", cmd_find("backup")->usage);
		return 2;
	}
	int bad, had_pw;
	char *url = configured_db(dir, &bad);
	if (bad)
		return 1;
	if (url) {
		char *shown = url_without_password(url, &had_pw);
		fprintf(stderr, "cong backup: this portal's database is PostgreSQL; back it up with pg_dump:\n  pg_dump --format=custom --file=");
		shell_quote(stderr, to);
		fputc(' ', stderr);
		shell_quote(stderr, shown ? shown : url);
		fprintf(stderr, "\n%s", had_pw ? "(with the password of cong.ini in PGPASSWORD or ~/.pgpass)\n" : "");
		free(shown);
		free(url);
		return 2;
	}
	char *path = data_db_path(dir, 1), *err = NULL;
	if (!path)
		return 1;
	int rc = 1;
	db_t *db = NULL;
	if (db_backup_sqlite(path, to, &err) < 0) {
		fprintf(stderr, "cong backup: %s\n", err);
		goto out;
	}
	/* the copy, as a program will read it */
	if (!(db = db_open(to, 0, &err))) {
		fprintf(stderr, "cong backup: cannot open the copy: %s\n", err);
		goto out;
	}
	db_stmt_t *st = db_prepare(db, "PRAGMA integrity_check");
	int ok = st != NULL, r;
	printf("integrity_check:");
	while (st && (r = db_step(st)) == DB_ROW) {
		printf(" %s", db_col_text(st, 0));
		ok = ok && strcmp(db_col_text(st, 0), "ok") == 0;
	}
	if (st) {
		ok = ok && r == DB_DONE;
		db_done(st);
	}
	printf("%s\n", st ? "" : " cannot run");
	long long pages = db_int(db, "PRAGMA page_count", "", -1), size = db_int(db, "PRAGMA page_size", "", 0);
	printf("wrote %s: %lld pages of %lld bytes (%.1f MiB), schema %d\n", to, pages, size,
	       (double)(pages * size) / (1 << 20), db_schema_version(db));
	if (!ok) {
		fprintf(stderr, "cong backup: the copy in %s is damaged: do not rely on it\n", to);
		goto out;
	}
	rc = 0;
out:
	db_close(db);
	free(err);
	free(path);
	return rc;
}

int main(int argc, char **argv)
{
	db_global_init();
	if (argc < 2) {
		usage_main(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage_main(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("cong %s\n", CONG_VERSION);
		return 0;
	}
	const cmd_t *c = cmd_find(argv[1]);
	if (!c) {
		fprintf(stderr, "cong: unknown command '%s'\n\n", argv[1]);
		usage_main(stderr);
		return 2;
	}
	return c->fn(argc - 1, argv + 1);
}
