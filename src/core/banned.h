/* Force-included in every translation unit: unchecked or non-reentrant libc calls do not compile. */
#ifndef CORE_BANNED_H
#define CORE_BANNED_H
/* The system headers come first so that their own declarations and inline definitions are untouched. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#define BANNED(f) sorry_##f##_is_banned_use_a_checked_form
#undef strcpy
#define strcpy(a, b) BANNED(strcpy)
#undef strcat
#define strcat(a, b) BANNED(strcat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(a, b) BANNED(strtok)
#undef atoi
#define atoi(a) BANNED(atoi)
#undef gets
#define gets(a) BANNED(gets)
#undef localtime
#define localtime(a) BANNED(localtime)
#undef gmtime
#define gmtime(a) BANNED(gmtime)
#endif
