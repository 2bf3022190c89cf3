/* totp: two-factor sign-in with time-based one-time codes (RFC 6238), and the page that asks for the code
 * after the password (or, when the site requires it of admins, walks one through setting it up). */
#include "auth/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <qrencode.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "admin/admin.h"
#include "auth/routes.h"
#include "core/log.h"
#include "db/db.h"

static void totp_page(http_request_t *req, http_response_t *res);
static void totp_post(http_request_t *req, http_response_t *res);

const app_route_t totp_routes[] = {
	{"GET", "vi", "/dang-nhap/xac-thuc", totp_page},
	{"POST", "vi", "/dang-nhap/xac-thuc", totp_post},
	{"GET", "en zh", "/login/verify", totp_page},
	{"POST", "en zh", "/login/verify", totp_post},
	{NULL, NULL, NULL, NULL},
};

/* ---- codes ------------------------------------------------------------------------------------------ */

long long totp_code(const unsigned char *key, size_t keylen, long long step, int digits)
{
	if (digits < 1 || digits > 9 || keylen > INT32_MAX)
		return -1;
	unsigned char msg[8], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	uint64_t c = (uint64_t)step;
	for (int i = 7; i >= 0; i--, c >>= 8)
		msg[i] = (unsigned char)(c & 0xff);
	if (!HMAC(EVP_sha1(), key, (int)keylen, msg, sizeof(msg), md, &mdlen) || mdlen != 20)
		return -1;
	/* dynamic truncation (RFC 4226 5.3) */
	unsigned off = md[19] & 0x0f;
	uint32_t bin = (uint32_t)(md[off] & 0x7f) << 24 | (uint32_t)md[off + 1] << 16 | (uint32_t)md[off + 2] << 8 | md[off + 3];
	uint32_t mod = 1;
	for (int i = 0; i < digits; i++)
		mod *= 10;
	return (long long)(bin % mod);
}

long long totp_step(long long t)
{
	return t >= 0 ? t / TOTP_PERIOD : -((-t + TOTP_PERIOD - 1) / TOTP_PERIOD);
}

static const char totp_b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int totp_base32_encode(const unsigned char *in, size_t n, char *out, size_t outsz)
{
	if (outsz < (n * 8 + 4) / 5 + 1)
		return -1;
	size_t o = 0;
	unsigned int acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8 | in[i]) & 0xfff;
		bits += 8;
		while (bits >= 5) {
			out[o++] = totp_b32[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		out[o++] = totp_b32[(acc << (5 - bits)) & 31];
	out[o] = '\0';
	return 0;
}

long long totp_base32_decode(const char *in, unsigned char *out, size_t outsz)
{
	size_t o = 0;
	unsigned int acc = 0;
	int bits = 0;
	for (const char *p = in; *p; p++) {
		int v;
		char ch = *p;
		if (ch == ' ' || ch == '-' || ch == '=')
			continue;
		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		if (ch >= 'A' && ch <= 'Z')
			v = ch - 'A';
		else if (ch >= '2' && ch <= '7')
			v = ch - '2' + 26;
		else
			return -1;
		acc = (acc << 5 | (unsigned)v) & 0xfff;
		bits += 5;
		if (bits >= 8) {
			if (o >= outsz)
				return -1;
			out[o++] = (unsigned char)(acc >> (bits - 8));
			bits -= 8;
		}
	}
	return (long long)o;
}

void totp_secret_new(char out[TOTP_SECRET_B32])
{
	unsigned char raw[TOTP_SECRET_BYTES];
	randombytes_buf(raw, sizeof(raw));
	totp_base32_encode(raw, sizeof(raw), out, TOTP_SECRET_B32);
	sodium_memzero(raw, sizeof(raw));
}

int totp_verify(const char *secret, const char *code, long long now, long long last_step, long long *step)
{
	char clean[16];
	size_t n = 0;
	/* authenticator apps show "123 456": spaces are fine, anything else is not a code */
	for (const char *p = code ? code : ""; *p; p++) {
		if (*p == ' ')
			continue;
		if (*p < '0' || *p > '9' || n >= TOTP_DIGITS)
			return 0;
		clean[n++] = *p;
	}
	clean[n] = '\0';
	if (n != TOTP_DIGITS)
		return 0;
	unsigned char key[64];
	long long keylen = totp_base32_decode(secret ? secret : "", key, sizeof(key));
	if (keylen < 10)
		return 0;
	int ok = 0;
	long long base = totp_step(now);
	for (long long s = base - 1; s <= base + 1; s++) {
		char want[24];
		long long v = totp_code(key, (size_t)keylen, s, TOTP_DIGITS);
		if (v < 0)
			break;
		snprintf(want, sizeof(want), "%0*lld", TOTP_DIGITS, v);
		/* every candidate is compared, in constant time, so timing tells nothing */
		if (sodium_memcmp(want, clean, TOTP_DIGITS) == 0 && s > last_step && !ok) {
			ok = 1;
			*step = s;
		}
	}
	sodium_memzero(key, sizeof(key));
	return ok;
}

int totp_verify_user(db_t *db, long long user_id, const char *code, long long now)
{
	char secret[128] = "";
	long long last = 0, step = 0;
	db_stmt_t *st = db_prepare(db, "SELECT totp_secret, totp_last_step FROM users WHERE id = ?");
	if (st && db_bindf(st, "i", user_id) == 0 && db_step(st) == DB_ROW) {
		snprintf(secret, sizeof(secret), "%s", db_col_text(st, 0));
		last = db_col_int(st, 1);
	}
	if (st)
		db_done(st);
	int ok = secret[0] && totp_verify(secret, code, now, last, &step) &&
		 db_execf(db, "UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?", "iii", step, user_id, step) == 1;
	sodium_memzero(secret, sizeof(secret));
	return ok;
}

/* ---- QR codes ----------------------------------------------------------------------------------------- */

char *totp_uri(arena_t *a, const char *issuer, const char *account, const char *secret)
{
	buf_t b;
	buf_init(&b, 4096);
	buf_puts(&b, "otpauth://totp/");
	buf_append_url(&b, issuer, strlen(issuer));
	buf_puts(&b, ":");
	buf_append_url(&b, account, strlen(account));
	buf_appendf(&b, "?secret=%s&issuer=", secret);
	buf_append_url(&b, issuer, strlen(issuer));
	/* SHA-1, 6 digits and 30 s are the defaults every app assumes: leaving them out keeps the QR code small */
	char *s = b.overflow ? NULL : arena_strdup(a, buf_cstr(&b));
	buf_release(&b);
	return s;
}

int totp_qr_svg(const char *text, const char *label, buf_t *out)
{
	/* level L: a code on a screen is not scratched, and fewer modules scan more easily */
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_L, QR_MODE_8, 1);
	if (!qr)
		return -1;
	const int quiet = 4, w = qr->width, size = w + 2 * quiet;
	buf_appendf(out,
		    "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\""
		    " role=\"img\" aria-label=\"",
		    size, size, size * 6, size * 6);
	buf_append_html(out, label, strlen(label));
	buf_appendf(out, "\" shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
		    size, size);
	/* one subpath per horizontal run of dark modules keeps the markup small */
	for (int y = 0; y < w; y++)
		for (int x = 0; x < w;) {
			if (!(qr->data[y * w + x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < w && (qr->data[y * w + x + run] & 1))
				run++;
			buf_appendf(out, "M%d %dh%dv1h-%dz", x + quiet, y + quiet, run, run);
			x += run;
		}
	buf_puts(out, "\"/></svg>");
	QRcode_free(qr);
	return out->overflow ? -1 : 0;
}

/* ---- policy and set-up --------------------------------------------------------------------------------- */

int totp_required(http_request_t *req, long long user_id)
{
	if (strcmp(app_setting(req, "security.require_2fa_admins", "0"), "1") != 0)
		return 0;
	return db_int(req->db, "SELECT count(*) FROM users WHERE id = ? AND role = 'admin' AND totp_secret = ''", "i", 0,
		      user_id) > 0;
}

/* The issuer shown in authenticator apps: the site's name. */
static const char *totp_issuer(http_request_t *req)
{
	const char *name = app_setting(req, "site.name.vi", "");
	return *name ? name : "Cong";
}

json_t *totp_enrol_ctx(http_request_t *req, long long user_id)
{
	char secret[128] = "", login[128] = "";
	db_stmt_t *st = db_prepare(req->db, "SELECT totp_pending, login FROM users WHERE id = ?");
	if (st && db_bindf(st, "i", user_id) == 0 && db_step(st) == DB_ROW) {
		snprintf(secret, sizeof(secret), "%s", db_col_text(st, 0));
		snprintf(login, sizeof(login), "%s", db_col_text(st, 1));
	}
	if (st)
		db_done(st);
	if (!secret[0])
		return NULL;
	/* "ABCD EFGH …": easier to type into an app by hand */
	buf_t grouped;
	buf_init(&grouped, 256);
	for (size_t i = 0; secret[i]; i++) {
		if (i && i % 4 == 0)
			buf_putc(&grouped, ' ');
		buf_putc(&grouped, secret[i]);
	}
	char *uri = totp_uri(req->arena, totp_issuer(req), login, secret);
	buf_t svg;
	buf_init(&svg, 256 << 10);
	json_t *ctx = NULL;
	if (uri && totp_qr_svg(uri, app_t_(req, "QR code for your authenticator app"), &svg) == 0)
		ctx = json_pack("{s:s, s:s, s:s}", "secret", buf_cstr(&grouped), "uri", uri, "qr_svg", buf_cstr(&svg));
	buf_release(&svg);
	buf_release(&grouped);
	return ctx;
}

int totp_enrol_start(http_request_t *req, long long user_id)
{
	char secret[TOTP_SECRET_B32];
	totp_secret_new(secret);
	return db_execf(req->db, "UPDATE users SET totp_pending = ? WHERE id = ? AND totp_pending = ''", "si", secret, user_id) < 0
		       ? -1
		       : 0;
}

int totp_enrol_confirm(http_request_t *req, long long user_id, const char *code)
{
	char pending[128] = "";
	long long step = 0;
	db_stmt_t *st = db_prepare(req->db, "SELECT totp_pending FROM users WHERE id = ?");
	if (st && db_bindf(st, "i", user_id) == 0 && db_step(st) == DB_ROW)
		snprintf(pending, sizeof(pending), "%s", db_col_text(st, 0));
	if (st)
		db_done(st);
	if (!pending[0] || !totp_verify(pending, code, auth_clock(), 0, &step))
		return 0;
	/* conditional on the same pending secret: a second tab's confirmation cannot swap in another one */
	long long n = db_execf(req->db,
			       "UPDATE users SET totp_secret = totp_pending, totp_pending = '', totp_last_step = ?"
			       " WHERE id = ? AND totp_pending = ?",
			       "iis", step, user_id, pending);
	sodium_memzero(pending, sizeof(pending));
	return n < 0 ? -1 : n == 1;
}

/* ---- the second-factor page ---------------------------------------------------------------------------- */

/* Where to go after the code: a local path from the login form's "next", else the staff area. */
static const char *totp_next(http_request_t *req, const char *next)
{
	return auth_local_path(next) ? next : admin_url(req, "");
}

typedef enum { TOTP_MODE_CODE, TOTP_MODE_START, TOTP_MODE_ENROL } totp_mode_t;

static totp_mode_t totp_mode(http_request_t *req, long long user_id, int *ok)
{
	*ok = 1;
	int has = (int)db_int(req->db, "SELECT count(*) FROM users WHERE id = ? AND totp_secret <> ''", "i", 0, user_id);
	if (has)
		return TOTP_MODE_CODE;
	if (!totp_required(req, user_id)) { /* the secret went away (an admin turned it off) after the password */
		*ok = 0;
		return TOTP_MODE_CODE;
	}
	int pending = (int)db_int(req->db, "SELECT count(*) FROM users WHERE id = ? AND totp_pending <> ''", "i", 0, user_id);
	return pending ? TOTP_MODE_ENROL : TOTP_MODE_START;
}

static void totp_render(http_request_t *req, http_response_t *res, const auth_user_t *u, totp_mode_t mode,
			const char *next, const char *error, int status)
{
	json_t *ctx = app_page_ctx(req, app_t_(req, mode == TOTP_MODE_CODE ? "Two-factor sign-in" : "Set up two-factor sign-in"));
	json_object_set_new(ctx, "staff_css", json_string(app.staff_css_url));
	json_t *form = json_pack("{s:s, s:s, s:s, s:s, s:s}", "action", auth_totp_url(req), "csrf", u->csrf, "next",
				 next ? next : "", "logout_url", admin_url(req, "/logout"), "login", u->login);
	json_object_set_new(ctx, "form", form);
	json_object_set_new(ctx, mode == TOTP_MODE_CODE ? "mode_code" : mode == TOTP_MODE_START ? "mode_start" : "mode_enrol",
			    json_true());
	if (mode == TOTP_MODE_ENROL) {
		json_t *e = totp_enrol_ctx(req, u->id);
		if (e)
			json_object_set_new(ctx, "enrol", e);
	}
	if (error)
		json_object_set_new(ctx, "error", json_string(app_t_(req, error)));
	res->cache_ttl = -1;
	app_render(req, res, "auth/totp", ctx);
	res->cache_ttl = -1;
	res->status = status;
}

/* The partially signed-in user, or NULL after answering (nobody: the login page; done: the staff area). */
static const auth_user_t *totp_user(http_request_t *req, http_response_t *res)
{
	res->cache_ttl = -1;
	const auth_user_t *u = auth_user_partial(req);
	if (!u || strcmp(u->kind, "web") != 0) {
		http_redirect(res, 303, auth_login_url(req));
		return NULL;
	}
	if (!u->second_factor_due) {
		http_redirect(res, 303, admin_url(req, ""));
		return NULL;
	}
	return u;
}

static void totp_page(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = totp_user(req, res);
	if (!u)
		return;
	int ok;
	totp_mode_t mode = totp_mode(req, u->id, &ok);
	if (!ok) {
		auth_session_end(req, res);
		http_redirect(res, 303, auth_login_url(req));
		return;
	}
	totp_render(req, res, u, mode, http_query(req, "next"), NULL, 200);
}

static void totp_post(http_request_t *req, http_response_t *res)
{
	const auth_user_t *u = totp_user(req, res);
	if (!u)
		return;
	form_t *form = form_parse(req);
	if (!auth_csrf_ok(req, form)) {
		admin_forbidden(req, res);
		return;
	}
	const char *next = form_get(form, "next"), *code = form_get(form, "code");
	int ok;
	totp_mode_t mode = totp_mode(req, u->id, &ok);
	if (!ok) {
		auth_session_end(req, res);
		http_redirect(res, 303, auth_login_url(req));
		return;
	}
	if (mode == TOTP_MODE_START) { /* the only step here that takes no code */
		if (totp_enrol_start(req, u->id) < 0) {
			app_error(req, res, 500);
			return;
		}
		buf_t b;
		buf_init(&b, 4096);
		if (next && *next) {
			buf_puts(&b, "?next=");
			buf_append_url(&b, next, strlen(next));
		}
		http_redirect(res, 303, arena_printf(req->arena, "%s%s", auth_totp_url(req), buf_cstr(&b)));
		buf_release(&b);
		return;
	}
	long long now = auth_clock();
	const char *key = arena_printf(req->arena, "t:%lld", u->id);
	long long wait = throttle_wait(req->db, key, now);
	if (wait > 0) {
		http_add_header(res, "retry-after", arena_printf(req->arena, "%lld", wait));
		audit_log(req, NULL, "login.2fa_throttled", "user", u->id, NULL);
		totp_render(req, res, u, mode, next, "Too many failed attempts. Please wait a few minutes and try again.", 429);
		return;
	}
	int good = mode == TOTP_MODE_CODE ? totp_verify_user(req->db, u->id, code, now) : totp_enrol_confirm(req, u->id, code) == 1;
	if (!good) {
		throttle_fail(req->db, key, THROTTLE_ACCOUNT_FREE, now);
		audit_log(req, NULL, "login.2fa_failed", "user", u->id, NULL);
		totp_render(req, res, u, mode, next, "The code is wrong or has expired. Enter the current code from your app.", 401);
		return;
	}
	throttle_clear(req->db, key);
	if (auth_session_complete(req) < 0) {
		app_error(req, res, 500);
		return;
	}
	if (mode == TOTP_MODE_ENROL)
		audit_log(req, NULL, "user.2fa_enable", "user", u->id, "required for admins");
	audit_log(req, NULL, "login", "user", u->id, NULL);
	audit_log(req, NULL, "login.2fa", "user", u->id, NULL);
	http_redirect(res, 303, totp_next(req, next));
}
