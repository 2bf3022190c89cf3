/* cong: the command table.  One function per command; each parses its own flags. */
#include <errno.h>
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
#include "db/db.h"
#include "db/migrate.h"
#include "http/server.h"
#include "media/media.h"
#include "news/editorial.h"
#include "news/news.h"
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
	 "usage: cong user add --data DIR|--db URL --login NAME --role admin|editor|publisher [--name 'Full name'] --password-stdin\n"
	 "\n"
	 "Adds an account.  The password is read from the first line of standard input; it must have at least\n"
	 "10 characters, must not contain the login name and must not be a common password.\n"},
	{"calendar", calendar_cmd, "list the days off of a year and compute due dates", calendar_cmd_usage},
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
		fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].summary);
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
		.app = app_handle,
		.worker_db = serve_worker_db,
		.error_page = app_error_page_static,
		.on_view = news_views_hit,
	};
	if ((o.tls_cert == NULL) != (o.tls_key == NULL)) {
		fprintf(stderr, "cong serve: tls_cert and tls_key go together\n");
		return 2;
	}
	pthread_t ticker;
	pthread_create(&ticker, NULL, serve_ticker, NULL);
	int rc = http_serve(&o, &err);
	__atomic_store_n(&serve_running, 0, __ATOMIC_RELEASE);
	pthread_join(ticker, NULL);
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
	}
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
	const char *dir = getenv("CONG_DATA"), *login = NULL, *role = NULL, *display = NULL, *db_url = NULL;
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
	if (strcmp(role, "admin") && strcmp(role, "editor") && strcmp(role, "publisher")) {
		fprintf(stderr, "cong user add: unknown role '%s': expected admin, editor or publisher\n", role);
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
	if (password_hash(pw, hash) < 0 ||
	    db_execf(db, "INSERT INTO users (login, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
		     "ssssi", login, display ? display : login, role, hash, (long long)time(NULL)) < 0) {
		fprintf(stderr, "cong user add: cannot add the user: %s\n", db_errmsg(db));
		goto out;
	}
	printf("added %s (%s)\n", login, role);
	rc = 0;
out:
	sodium_memzero(pw, sizeof(pw));
	db_close(db);
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
