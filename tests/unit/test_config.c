/* config: defaults, INI file, environment and flags, and errors that quote the bad value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"

static void test_defaults(void **state)
{
	config_t c;
	config_init(&c);
	assert_string_equal(c.listen, "127.0.0.1:8080");
	assert_int_equal(c.page_cache, 1);
	assert_int_equal(c.cache_ttl, 60);
	config_release(&c);
}

static void test_bad_values_are_quoted(void **state)
{
	config_t c;
	config_init(&c);
	char *err = NULL;
	assert_int_equal(config_set(&c, "workers", "lots", &err), -1);
	assert_non_null(strstr(err, "'lots'"));
	free(err);
	assert_int_equal(config_set(&c, "page_cache", "maybe", &err), -1);
	assert_non_null(strstr(err, "'maybe'"));
	free(err);
	assert_int_equal(config_set(&c, "max_body_kb", "0", &err), -1); /* below the range */
	free(err);
	assert_int_equal(config_set(&c, "no_such_thing", "1", &err), -1);
	assert_non_null(strstr(err, "no_such_thing"));
	free(err);
	assert_int_equal(config_set(&c, "page_cache", "off", &err), 0);
	assert_int_equal(c.page_cache, 0);
	config_release(&c);
}

static void test_file_then_env(void **state)
{
	char path[64];
	snprintf(path, sizeof(path), "/tmp/cong-test-%d.ini", (int)getpid());
	FILE *f = fopen(path, "w");
	fputs("; comment\n[server]\nlisten = 0.0.0.0:80\ncache_ttl = 30\n[other]\nignored = yes\n", f);
	fclose(f);
	config_t c;
	config_init(&c);
	char *err = NULL;
	assert_int_equal(config_load_file(&c, path, 0, &err), 0);
	assert_string_equal(c.listen, "0.0.0.0:80");
	assert_int_equal(c.cache_ttl, 30);
	setenv("CONG_CACHE_TTL", "5", 1);
	assert_int_equal(config_load_env(&c, &err), 0);
	assert_int_equal(c.cache_ttl, 5);
	unsetenv("CONG_CACHE_TTL");
	f = fopen(path, "w");
	fputs("[server]\nthreads = many\n", f);
	fclose(f);
	assert_int_equal(config_load_file(&c, path, 0, &err), -1);
	assert_non_null(strstr(err, ":2:")); /* names the line */
	free(err);
	assert_int_equal(config_load_file(&c, "/nonexistent/cong.ini", 1, &err), 0); /* optional and missing */
	assert_int_equal(config_load_file(&c, "/nonexistent/cong.ini", 0, &err), -1);
	free(err);
	unlink(path);
	config_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_bad_values_are_quoted),
		cmocka_unit_test(test_file_then_env),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
