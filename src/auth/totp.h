/* totp: time-based one-time codes (RFC 6238: HMAC-SHA-1, 30-second steps) for two-factor sign-in, their
 * base32 secrets and otpauth:// QR codes, and the second-factor page (routes in auth/routes.h). */
#ifndef AUTH_TOTP_H
#define AUTH_TOTP_H
#include <jansson.h>
#include <stddef.h>

#include "auth/auth.h"
#include "core/buf.h"

#define TOTP_PERIOD 30
#define TOTP_DIGITS 6
#define TOTP_SECRET_BYTES 20 /* 160 bits, as RFC 4226 recommends */
#define TOTP_SECRET_B32 33   /* base32 of 20 bytes (32 characters) and its NUL */

/* The HOTP value (RFC 4226) of key at counter step, with digits (1–9) decimal digits; -1 on an error. */
long long totp_code(const unsigned char *key, size_t keylen, long long step, int digits);
/* The step of Unix time t. */
long long totp_step(long long t);

/* RFC 4648 base32 without padding into out (outsz bytes with the NUL).  0, or -1 when out is too small. */
int totp_base32_encode(const unsigned char *in, size_t n, char *out, size_t outsz);
/* Decodes base32 (either case; spaces, hyphens and '=' padding ignored) into out.  The byte count, or -1 on
 * a character outside the alphabet or when out is too small. */
long long totp_base32_decode(const char *in, unsigned char *out, size_t outsz);
/* A new random secret of TOTP_SECRET_BYTES (libsodium), base32. */
void totp_secret_new(char out[TOTP_SECRET_B32]);

/* Checks a 6-digit code against a base32 secret at time now, within one step either side, accepting only
 * steps after last_step (a code works once).  1 with *step set to the step it matched, else 0. */
int totp_verify(const char *secret, const char *code, long long now, long long last_step, long long *step);
/* Verifies code for the user's enabled secret and records the step so the code cannot be used again (the
 * update is conditional, so two requests racing with one code cannot both win).  1 when accepted. */
int totp_verify_user(db_t *db, long long user_id, const char *code, long long now);

/* The otpauth:// URI an authenticator app reads (issuer and account percent-encoded; the defaults SHA-1, 6
 * digits and 30 s implied), in the arena. */
char *totp_uri(arena_t *a, const char *issuer, const char *account, const char *secret);
/* Appends the QR code of text as an inline <svg> element (dark modules as one path, 4-module quiet zone,
 * fill attributes only: no style, so it passes the CSP).  label is its accessible name.  0 or -1. */
int totp_qr_svg(const char *text, const char *label, buf_t *out);

/* Whether the user must set up a second factor before going anywhere: the site setting
 * security.require_2fa_admins is "1", the user is an admin and has no TOTP secret.  login.c asks this after
 * the password so such a session starts with second_factor_due and lands on the code page, which then
 * walks the admin through the set-up. */
int totp_required(http_request_t *req, long long user_id);

/* The set-up part of a page for a user with a pending secret: {secret (grouped by 4), uri, qr_svg}, or NULL
 * when there is none.  Used by the profile page (admin/users.c) and the second-factor page. */
json_t *totp_enrol_ctx(http_request_t *req, long long user_id);
/* Makes a pending secret for the user unless one is waiting already.  0 or -1. */
int totp_enrol_start(http_request_t *req, long long user_id);
/* Checks a first code against the pending secret and, when right, turns two-factor sign-in on (the pending
 * secret becomes the secret and that code's step is spent).  1 when enabled, 0 on a wrong code, -1 on
 * error. */
int totp_enrol_confirm(http_request_t *req, long long user_id, const char *code);

/* Guesses of codes are throttled with throttle_*() from auth/auth.h, key "t:<user id>". */
#endif
