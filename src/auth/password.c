#include "auth/password.h"

#include <sodium.h>
#include <string.h>
#include <strings.h>

#define PW_OPSLIMIT 3
#define PW_MEMLIMIT (64u << 20)

int password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
	return crypto_pwhash_str_alg(out, pw, strlen(pw), PW_OPSLIMIT, PW_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13);
}

int password_verify(const char *hash, const char *pw)
{
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

/* A short list of the passwords attackers try first; issue 3 ships the long list. */
static const char *const pw_common[] = {
	"1234567890", "12345678910", "123456789a", "qwertyuiop", "password123", "matkhau123", "abc1234567",
	"admin12345", "iloveyou12", "0123456789", "1111111111", "aaaaaaaaaa", "passw0rd12", "administrator",
};

const char *password_policy(const char *pw, const char *login)
{
	if (strlen(pw) < 10)
		return "The password must have at least 10 characters.";
	if (login && *login && strcasestr(pw, login))
		return "The password must not contain the login name.";
	for (size_t i = 0; i < sizeof(pw_common) / sizeof(pw_common[0]); i++)
		if (strcasecmp(pw, pw_common[i]) == 0)
			return "This password is too common.";
	return NULL;
}

void password_random(char *out, size_t len)
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	for (size_t i = 0; i < len; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[len] = '\0';
}
