/* password: argon2id hashing (libsodium; 64 MiB, t=3) and the password policy. */
#ifndef AUTH_PASSWORD_H
#define AUTH_PASSWORD_H
#include <stddef.h>

#define PASSWORD_HASH_MAX 128

/* Hashes pw into out (PASSWORD_HASH_MAX bytes, an encoded argon2id string).  0, or -1 when out of memory. */
int password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);
/* 1 when pw matches the stored hash; constant time in the password. */
int password_verify(const char *hash, const char *pw);
/* NULL when pw is acceptable for login, else the reason (an English msgid for the catalogs). */
const char *password_policy(const char *pw, const char *login);
/* Fills out with a random password of len characters from an unambiguous alphabet. */
void password_random(char *out, size_t len);
/* A real argon2id hash of a random password, made once: verifying against it costs what a real check
 * costs, so an unknown login answers as slowly as a wrong password. */
const char *password_dummy_hash(void);
#endif
