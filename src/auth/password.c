#include "auth/password.h"

#include "auth/common_passwords.h"

#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>

#define PW_OPSLIMIT 3
#define PW_MEMLIMIT (64u << 20)

/* Each hash takes 64 MiB for about 0.1 s: at most this many at once, so a burst of logins cannot exhaust
 * memory; the rest wait their turn on their worker. */
#define PW_MAX_INFLIGHT 2
static sem_t pw_slots;
static pthread_once_t pw_once = PTHREAD_ONCE_INIT;

static void pw_init(void)
{
	sem_init(&pw_slots, 0, PW_MAX_INFLIGHT);
}

int password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
	pthread_once(&pw_once, pw_init);
	sem_wait(&pw_slots);
	int rc = crypto_pwhash_str_alg(out, pw, strlen(pw), PW_OPSLIMIT, PW_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13);
	sem_post(&pw_slots);
	return rc;
}

int password_verify(const char *hash, const char *pw)
{
	pthread_once(&pw_once, pw_init);
	sem_wait(&pw_slots);
	int ok = crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
	sem_post(&pw_slots);
	return ok;
}

const char *password_policy(const char *pw, const char *login)
{
	if (strlen(pw) < 10)
		return "The password must have at least 10 characters.";
	if (login && *login && strcasestr(pw, login))
		return "The password must not contain the login name.";
	for (size_t i = 0; i < common_passwords_count; i++)
		if (strcasecmp(pw, common_passwords[i]) == 0)
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

static char pw_dummy[PASSWORD_HASH_MAX];
static pthread_once_t pw_dummy_once = PTHREAD_ONCE_INIT;

static void pw_dummy_init(void)
{
	char pw[33];
	password_random(pw, 32);
	if (password_hash(pw, pw_dummy) < 0)
		pw_dummy[0] = '\0';
}

const char *password_dummy_hash(void)
{
	pthread_once(&pw_dummy_once, pw_dummy_init);
	return pw_dummy;
}
