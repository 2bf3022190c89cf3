/* auth: the password policy, session expiry with a clock the test controls (idle and absolute timeouts),
 * the second-factor gate, CSRF tokens (signed-in and login form), and the permission matrix — every role ×
 * every permission × own/other article × every status, against a table written here from the issue's
 * rules, not from perm.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth.h"
#include "auth/password.h"
#include "db/db.h"
#include "testdb.h"
#include "db/migrate.h"
#include "http/form.h"

static db_t *db;
static long long fake_now;
static long long editor_id, other_id;

static long long fake_clock(void)
{
	return fake_now;
}

/* ---- a fake request: what the server hands a handler, minus the network ---------------------------- */

typedef struct fake {
	http_request_t req;
	arena_t arena;
	http_header_t hdr[2];
	http_response_t res;
} fake_t;

static void fake_init(fake_t *f, const char *cookie, const char *authz)
{
	memset(f, 0, sizeof(*f));
	arena_init(&f->arena, 0);
	f->req.arena = &f->arena;
	f->req.db = db;
	f->req.rid = "test";
	f->req.method = "POST";
	f->req.path = f->req.raw_path = "/admin";
	f->req.query = "";
	f->req.remote = "192.0.2.7";
	f->req.lang = "vi";
	f->req.prefix = "";
	f->req.headers = f->hdr;
	if (cookie) {
		f->hdr[f->req.nheaders].name = "cookie";
		f->hdr[f->req.nheaders++].value = cookie;
	}
	if (authz) {
		f->hdr[f->req.nheaders].name = "authorization";
		f->hdr[f->req.nheaders++].value = authz;
	}
	buf_init(&f->res.body, 0);
}

static void fake_release(fake_t *f)
{
	buf_release(&f->res.body);
	arena_release(&f->arena);
}

/* The value of the response's Set-Cookie for name ("" when cleared), copied to out. */
static int set_cookie(const http_response_t *res, const char *name, char *out, size_t n)
{
	size_t l = strlen(name);
	for (int i = 0; i < res->nheaders; i++)
		if (strcmp(res->headers[i].name, "set-cookie") == 0 && strncmp(res->headers[i].value, name, l) == 0 &&
		    res->headers[i].value[l] == '=') {
			const char *v = res->headers[i].value + l + 1;
			snprintf(out, n, "%.*s", (int)strcspn(v, ";"), v);
			return 1;
		}
	return 0;
}

/* Starts a session for uid at the fake time; returns the cookie header that carries it ("cong=…"). */
static char *start_session(long long uid, const char *kind, int second_factor_due, const char *old_cookie)
{
	fake_t f;
	fake_init(&f, old_cookie, NULL);
	const char *token = auth_session_start(&f.req, &f.res, uid, kind, second_factor_due);
	assert_non_null(token);
	assert_int_equal(strlen(token), 64);
	char *out = malloc(128);
	if (strcmp(kind, "web") == 0) {
		char v[100];
		assert_true(set_cookie(&f.res, "cong", v, sizeof(v)));
		assert_string_equal(v, token);
		snprintf(out, 128, "cong=%s", v);
	} else {
		snprintf(out, 128, "Bearer %s", token);
	}
	fake_release(&f);
	return out;
}

/* Whether the cookie (or "Bearer …" header) is signed in right now; partial allows a pending second factor. */
static int signed_in(const char *cred, int partial)
{
	fake_t f;
	int bearer = strncmp(cred, "Bearer ", 7) == 0;
	fake_init(&f, bearer ? NULL : cred, bearer ? cred : NULL);
	const auth_user_t *u = partial ? auth_user_partial(&f.req) : auth_user(&f.req);
	int ok = u != NULL;
	fake_release(&f);
	return ok;
}

static long long session_rows(long long uid)
{
	return db_int(db, "SELECT count(*) FROM sessions WHERE user_id = ?", "i", -1, uid);
}

/* ---- fixtures --------------------------------------------------------------------------------------------- */

static int setup(void **state)
{
	if (sodium_init() < 0)
		return -1;
	char *err = NULL;
	db = testdb_open("auth");
	if (!db || db_migrate(db, &err) < 0) {
		fprintf(stderr, "%s\n", err ? err : "cannot open the test database");
		return -1;
	}
	db_execf(db, "INSERT INTO users (login, display_name, role, password_hash, created_at) VALUES ('bien', 'Biên', 'editor', 'x', 0)", "");
	editor_id = db_last_id(db);
	db_execf(db, "INSERT INTO users (login, display_name, role, password_hash, created_at) VALUES ('khac', 'Khác', 'publisher', 'x', 0)", "");
	other_id = db_last_id(db);
	db_execf(db, "INSERT INTO settings (key, value) VALUES ('secret.key', ?)", "s",
		 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
	auth_clock = fake_clock;
	return 0;
}

static int teardown(void **state)
{
	testdb_close(db);
	return 0;
}

static int each(void **state)
{
	fake_now = 1800000000;
	auth_idle_timeout = 30 * 60;
	db_execf(db, "DELETE FROM sessions", "");
	db_execf(db, "UPDATE users SET disabled = 0", "");
	return 0;
}

/* ---- password policy --------------------------------------------------------------------------------------- */

static void test_policy_length(void **state)
{
	assert_non_null(password_policy("", "bien"));
	assert_non_null(password_policy("Ab3$efgh9", "bien")); /* 9 characters */
	assert_null(password_policy("Ab3$efgh9k", "bien"));   /* 10 */
	assert_string_equal(password_policy("short", NULL), "The password must have at least 10 characters.");
}

static void test_policy_login_name(void **state)
{
	const char *why = password_policy("xx-bien-2024!", "bien");
	assert_non_null(why);
	assert_string_equal(why, "The password must not contain the login name.");
	assert_non_null(password_policy("BIEN.tap.2024", "bien")); /* any case */
	assert_null(password_policy("xx-bien-2024!", "nguyen"));
	assert_null(password_policy("xx-bien-2024!", ""));
}

static void test_policy_common(void **state)
{
	static const char *const common[] = {"1234567890", "qwertyuiop", "password123", "PASSWORD123", "matkhau123", "administrator"};
	for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++) {
		const char *why = password_policy(common[i], "someone");
		if (!why || strcmp(why, "This password is too common."))
			fail_msg("'%s' accepted or refused for another reason (%s)", common[i], why ? why : "accepted");
	}
	assert_null(password_policy("ngựa-vằn-ăn-cỏ", "someone"));
}

static void test_password_hash_and_random(void **state)
{
	char h[PASSWORD_HASH_MAX], pw[17];
	password_random(pw, 16);
	assert_int_equal(strlen(pw), 16);
	assert_null(password_policy(pw, "bien"));
	for (const char *p = pw; *p; p++)
		assert_null(strchr("0O1lI", *p)); /* no look-alike characters */
	assert_int_equal(password_hash(pw, h), 0);
	assert_true(strncmp(h, "$argon2id$", 10) == 0);
	assert_true(password_verify(h, pw));
	pw[0] ^= 1;
	assert_false(password_verify(h, pw));
}

/* ---- sessions ----------------------------------------------------------------------------------------------- */

static void test_session_idle_timeout(void **state)
{
	char *c = start_session(editor_id, "web", 0, NULL);
	assert_true(signed_in(c, 0));
	fake_now += 29 * 60; /* active within the idle window: still in, and last_seen moves */
	assert_true(signed_in(c, 0));
	fake_now += 29 * 60; /* 58 min after sign-in but 29 after the last request */
	assert_true(signed_in(c, 0));
	fake_now += 30 * 60; /* exactly the idle timeout: still in */
	assert_true(signed_in(c, 0));
	fake_now += 30 * 60 + 1; /* idle longer than 30 min: out, and the row is gone */
	assert_false(signed_in(c, 0));
	assert_int_equal(session_rows(editor_id), 0);
	fake_now -= 60 * 60; /* going back in time does not bring it back */
	assert_false(signed_in(c, 0));
	free(c);
}

static void test_session_idle_timeout_configurable(void **state)
{
	auth_idle_timeout = 120;
	char *c = start_session(editor_id, "web", 0, NULL);
	fake_now += 120;
	assert_true(signed_in(c, 0));
	fake_now += 121;
	assert_false(signed_in(c, 0));
	free(c);
}

static void test_session_absolute_timeout(void **state)
{
	long long start = fake_now;
	char *c = start_session(editor_id, "web", 0, NULL);
	while (fake_now + 20 * 60 <= start + AUTH_ABSOLUTE_TIMEOUT) { /* busy all day, a request every 20 min */
		fake_now += 20 * 60;
		assert_true(signed_in(c, 0));
	}
	fake_now = start + AUTH_ABSOLUTE_TIMEOUT;
	assert_true(signed_in(c, 0));
	fake_now = start + AUTH_ABSOLUTE_TIMEOUT + 1; /* 12 h after sign-in: out, however active */
	assert_false(signed_in(c, 0));
	assert_int_equal(AUTH_ABSOLUTE_TIMEOUT, 12 * 3600);
	free(c);
}

static void test_api_token_no_idle_but_absolute(void **state)
{
	long long start = fake_now;
	char *t = start_session(editor_id, "api", 0, NULL);
	fake_now += 6 * 3600; /* unused for hours: still good */
	assert_true(signed_in(t, 0));
	fake_now = start + AUTH_ABSOLUTE_TIMEOUT + 1;
	assert_false(signed_in(t, 0));
	free(t);
}

static void test_second_factor_gate(void **state)
{
	char *c = start_session(editor_id, "web", 1, NULL);
	assert_false(signed_in(c, 0)); /* the password alone opens nothing */
	assert_true(signed_in(c, 1));  /* except the code page */
	fake_t f;
	fake_init(&f, c, NULL);
	assert_int_equal(auth_session_complete(&f.req), 0);
	fake_release(&f);
	assert_true(signed_in(c, 0));
	free(c);
}

static void test_disabled_and_end_all(void **state)
{
	char *a = start_session(editor_id, "web", 0, NULL), *b = start_session(editor_id, "web", 0, NULL);
	char *o = start_session(other_id, "web", 0, NULL);
	assert_true(signed_in(a, 0) && signed_in(b, 0));
	db_execf(db, "UPDATE users SET disabled = 1 WHERE id = ?", "i", editor_id);
	assert_false(signed_in(a, 0));
	db_execf(db, "UPDATE users SET disabled = 0 WHERE id = ?", "i", editor_id);
	assert_true(signed_in(b, 0));
	assert_int_equal(auth_sessions_end_all(db, editor_id), 0);
	assert_false(signed_in(b, 0));
	assert_true(signed_in(o, 0)); /* someone else's sessions are untouched */
	free(a);
	free(b);
	free(o);
}

static void test_session_not_carried_across_login(void **state)
{
	char *old = start_session(editor_id, "web", 0, NULL);
	char *fresh = start_session(editor_id, "web", 0, old); /* signing in with the old cookie still sent */
	assert_string_not_equal(old, fresh);
	assert_false(signed_in(old, 0));
	assert_true(signed_in(fresh, 0));
	free(old);
	free(fresh);
}

static void test_bad_cookies(void **state)
{
	assert_false(signed_in("cong=", 1));
	assert_false(signed_in("cong=abc", 1));
	assert_false(signed_in("cong=0000000000000000000000000000000000000000000000000000000000000000", 1));
	char *c = start_session(editor_id, "web", 0, NULL);
	char other[128];
	snprintf(other, sizeof(other), "xcong=%s", c + 5); /* the right token under another cookie name */
	assert_false(signed_in(other, 1));
	free(c);
}

/* ---- CSRF ---------------------------------------------------------------------------------------------------- */

static int csrf_with(const char *cookie, const char *authz, const char *body, const char *header)
{
	fake_t f;
	fake_init(&f, cookie, authz);
	if (header) {
		f.hdr[f.req.nheaders].name = "x-csrf-token";
		f.hdr[f.req.nheaders++].value = header;
	}
	form_t *form = NULL;
	if (body) {
		form = arena_alloc(&f.arena, sizeof(*form));
		assert_int_equal(form_parse_urlencoded(&f.arena, body, strlen(body), form), 0);
	}
	int ok = auth_csrf_ok(&f.req, form);
	fake_release(&f);
	return ok;
}

static void test_csrf_session_token(void **state)
{
	char *c = start_session(editor_id, "web", 0, NULL);
	char csrf[80], body[128], wrong[80];
	fake_t f;
	fake_init(&f, c, NULL);
	snprintf(csrf, sizeof(csrf), "%s", auth_user(&f.req)->csrf);
	fake_release(&f);
	assert_int_equal(strlen(csrf), 64);
	snprintf(body, sizeof(body), "title=x&csrf=%s", csrf);
	assert_true(csrf_with(c, NULL, body, NULL));
	assert_true(csrf_with(c, NULL, NULL, csrf)); /* the header form, for scripts */
	snprintf(wrong, sizeof(wrong), "%s", csrf);
	wrong[63] = wrong[63] == 'a' ? 'b' : 'a';
	snprintf(body, sizeof(body), "csrf=%s", wrong);
	assert_false(csrf_with(c, NULL, body, NULL));
	snprintf(body, sizeof(body), "csrf=%.63s", csrf); /* one character short */
	assert_false(csrf_with(c, NULL, body, NULL));
	assert_false(csrf_with(c, NULL, "title=x", NULL)); /* missing */
	assert_false(csrf_with(c, NULL, "csrf=", NULL));   /* empty */
	assert_false(csrf_with(c, NULL, NULL, NULL));
	snprintf(body, sizeof(body), "csrf=%s", csrf);
	assert_false(csrf_with(NULL, NULL, body, NULL)); /* nobody signed in */
	/* another session's token is not this session's */
	char *c2 = start_session(editor_id, "web", 0, NULL);
	assert_false(csrf_with(c2, NULL, body, NULL));
	free(c);
	free(c2);
}

static void test_csrf_bearer_needs_none(void **state)
{
	char *t = start_session(editor_id, "api", 0, NULL);
	assert_true(csrf_with(NULL, t, NULL, NULL));
	free(t);
}

static void test_csrf_login_form(void **state)
{
	fake_t f;
	fake_init(&f, NULL, NULL);
	char token[80], nonce[64], cookie[96], body[128];
	snprintf(token, sizeof(token), "%s", auth_login_csrf_issue(&f.req, &f.res));
	assert_true(set_cookie(&f.res, "cong_login", nonce, sizeof(nonce)));
	fake_release(&f);
	snprintf(cookie, sizeof(cookie), "cong_login=%s", nonce);
	form_t *form = malloc(sizeof(*form));
	arena_t fa; /* the form outlives the requests below */
	arena_init(&fa, 0);

	fake_init(&f, cookie, NULL);
	snprintf(body, sizeof(body), "login=a&csrf=%s", token);
	memset(form, 0, sizeof(*form));
	assert_int_equal(form_parse_urlencoded(&fa, body, strlen(body), form), 0);
	assert_true(auth_login_csrf_ok(&f.req, form));
	fake_release(&f);

	fake_init(&f, NULL, NULL); /* the token without its cookie */
	assert_false(auth_login_csrf_ok(&f.req, form));
	fake_release(&f);

	char other[96];
	snprintf(other, sizeof(other), "cong_login=%s", "0123456789abcdef0123456789abcdef");
	fake_init(&f, other, NULL); /* another browser's cookie */
	assert_false(auth_login_csrf_ok(&f.req, form));
	fake_release(&f);

	fake_init(&f, cookie, NULL); /* a made-up token */
	memset(form, 0, sizeof(*form));
	assert_int_equal(form_parse_urlencoded(&fa, "csrf=00", 7, form), 0);
	assert_false(auth_login_csrf_ok(&f.req, form));
	assert_false(auth_login_csrf_ok(&f.req, NULL));
	fake_release(&f);

	fake_init(&f, cookie, NULL); /* the cookie is kept: a second issue gives the same token */
	assert_string_equal(auth_login_csrf_issue(&f.req, &f.res), token);
	assert_int_equal(f.res.nheaders, 0);
	fake_release(&f);
	arena_release(&fa);
	free(form);
}

/* ---- the permission matrix ------------------------------------------------------------------------------------ */

/* The issues' rules, one row per permission, columns admin, publisher, editor, officer: Y yes, N no, O the
 * editor's own article in any state, E the editor's own article while it is a draft or returned. */
static const struct {
	perm_t p;
	const char *name;
	char admin, publisher, editor, officer;
} expect[] = {
	{PERM_ARTICLE_LIST, "article.list", 'Y', 'Y', 'Y', 'N'},
	{PERM_ARTICLE_CREATE, "article.create", 'Y', 'Y', 'Y', 'N'},
	{PERM_ARTICLE_VIEW, "article.view", 'Y', 'Y', 'O', 'N'},
	{PERM_ARTICLE_EDIT, "article.edit", 'Y', 'Y', 'E', 'N'},
	{PERM_ARTICLE_SUBMIT, "article.submit", 'Y', 'Y', 'E', 'N'},
	{PERM_ARTICLE_RETURN, "article.return", 'Y', 'Y', 'N', 'N'},
	{PERM_ARTICLE_PUBLISH, "article.publish", 'Y', 'Y', 'N', 'N'},
	{PERM_ARTICLE_UNPUBLISH, "article.unpublish", 'Y', 'Y', 'N', 'N'},
	{PERM_ARTICLE_DELETE, "article.delete", 'Y', 'Y', 'E', 'N'},
	{PERM_MEDIA_UPLOAD, "media.upload", 'Y', 'Y', 'Y', 'N'},
	{PERM_MEDIA_EDIT, "media.edit", 'Y', 'Y', 'Y', 'N'},
	{PERM_USERS, "users", 'Y', 'N', 'N', 'N'},
	{PERM_SETTINGS, "settings", 'Y', 'N', 'N', 'N'},
	{PERM_CATEGORIES, "categories", 'Y', 'N', 'N', 'N'},
	{PERM_MENUS, "menus", 'Y', 'N', 'N', 'N'},
	{PERM_AUDIT, "audit", 'Y', 'N', 'N', 'N'},
	{PERM_CATALOG, "catalog", 'Y', 'N', 'N', 'N'},
	{PERM_CALENDAR, "calendar", 'Y', 'N', 'N', 'N'},
	{PERM_DOSSIER, "dossier", 'N', 'N', 'N', 'Y'},
	{PERM_STATS, "stats", 'Y', 'Y', 'N', 'Y'},
};

static int rule_allows(char rule, int own, const char *status)
{
	switch (rule) {
	case 'Y': return 1;
	case 'O': return own;
	case 'E': return own && status && (strcmp(status, "draft") == 0 || strcmp(status, "returned") == 0);
	default: return 0;
	}
}

static void test_perm_matrix(void **state)
{
	assert_int_equal(sizeof(expect) / sizeof(expect[0]), PERM__COUNT); /* a new permission needs a row here */
	static const char *const roles[] = {"admin", "publisher", "editor", "officer", "guest", ""};
	static const char *const statuses[] = {NULL, "draft", "pending", "returned", "scheduled", "published", "unpublished", "bogus"};
	const long long me = 41, someone = 42;
	int checked = 0;
	for (size_t i = 0; i < PERM__COUNT; i++) {
		assert_int_equal(expect[i].p, (perm_t)i);
		assert_string_equal(perm_name(expect[i].p), expect[i].name);
		for (size_t r = 0; r < sizeof(roles) / sizeof(roles[0]); r++) {
			auth_user_t u = {.id = me, .login = "u", .role = roles[r], .kind = "web"};
			char rule = r == 0 ? expect[i].admin : r == 1 ? expect[i].publisher : r == 2 ? expect[i].editor
				  : r == 3 ? expect[i].officer : 'N';
			for (int own = 0; own <= 2; own++) /* 0: another's article, 1: one's own, 2: no article (id 0) */
				for (size_t s = 0; s < sizeof(statuses) / sizeof(statuses[0]); s++) {
					long long author = own == 1 ? me : own == 0 ? someone : 0;
					int want = rule_allows(rule, own == 1, statuses[s]);
					int got = perm_allows(&u, expect[i].p, author, statuses[s]);
					if (!got != !want)
						fail_msg("%s as %s on %s article in state %s: expected %s, got %s", expect[i].name,
							 roles[r][0] ? roles[r] : "(no role)", own == 1 ? "own" : own == 0 ? "another's" : "no",
							 statuses[s] ? statuses[s] : "(none)", want ? "allowed" : "refused",
							 got ? "allowed" : "refused");
					checked++;
				}
		}
	}
	assert_int_equal(checked, PERM__COUNT * 6 * 3 * 8);
	/* nobody signed in, and permissions out of range */
	assert_false(perm_allows(NULL, PERM_ARTICLE_LIST, 0, NULL));
	auth_user_t admin = {.id = 1, .login = "a", .role = "admin", .kind = "web"};
	assert_false(perm_allows(&admin, PERM__COUNT, 0, NULL));
	assert_false(perm_allows(&admin, (perm_t)-1, 0, NULL));
	assert_string_equal(perm_name(PERM__COUNT), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_policy_length, each),
		cmocka_unit_test_setup(test_policy_login_name, each),
		cmocka_unit_test_setup(test_policy_common, each),
		cmocka_unit_test_setup(test_password_hash_and_random, each),
		cmocka_unit_test_setup(test_session_idle_timeout, each),
		cmocka_unit_test_setup(test_session_idle_timeout_configurable, each),
		cmocka_unit_test_setup(test_session_absolute_timeout, each),
		cmocka_unit_test_setup(test_api_token_no_idle_but_absolute, each),
		cmocka_unit_test_setup(test_second_factor_gate, each),
		cmocka_unit_test_setup(test_disabled_and_end_all, each),
		cmocka_unit_test_setup(test_session_not_carried_across_login, each),
		cmocka_unit_test_setup(test_bad_cookies, each),
		cmocka_unit_test_setup(test_csrf_session_token, each),
		cmocka_unit_test_setup(test_csrf_bearer_needs_none, each),
		cmocka_unit_test_setup(test_csrf_login_form, each),
		cmocka_unit_test_setup(test_perm_matrix, each),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
