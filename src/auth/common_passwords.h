/* common_passwords: passwords of 10 or more characters that attackers try first (shorter ones are refused
 * by length anyway).  Compared case-insensitively by password_policy. */
#ifndef AUTH_COMMON_PASSWORDS_H
#define AUTH_COMMON_PASSWORDS_H
#include <stddef.h>

extern const char *const common_passwords[];
extern const size_t common_passwords_count;
#endif
