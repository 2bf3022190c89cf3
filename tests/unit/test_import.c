/* The catalog's CSV import: the RFC 4180 reader (quoting, line breaks inside fields, BOM, strictness), the
 * document-list syntax, and a whole import into a fresh database (SQLite, or PostgreSQL with CONG_TEST_PG):
 * upserts by code, one savepoint per row, bad rows reported with their lines, document ids kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/migrate.h"
#include "svc/catalog.h"
#include "svc/csv.h"
#include "testdb.h"

/* Reads every record of s; returns them joined as "a|b;c|d;" with "!ERR@line;" for bad ones. */
static char *csv_all(arena_t *a, const char *s, size_t n)
{
	csv_t c;
	csv_init(&c, s, n);
	buf_t out;
	buf_init(&out, 1 << 16);
	char *f[CSV_MAX_FIELDS];
	int nf, rc;
	long line;
	const char *err;
	while ((rc = csv_next(&c, a, f, &nf, &line, &err)) != 0) {
		if (rc < 0) {
			buf_appendf(&out, "!ERR@%ld;", line);
			continue;
		}
		for (int i = 0; i < nf; i++)
			buf_appendf(&out, "%s%s", i ? "|" : "", f[i]);
		buf_appendf(&out, "@%ld;", line);
	}
	char *r = arena_strdup(a, buf_cstr(&out));
	buf_release(&out);
	return r;
}

static void test_csv_basic(void **state)
{
	arena_t a;
	arena_init(&a, 1 << 20);
	const char *s = "\xEF\xBB\xBF" "code,name\r\n1,Đăng ký khai sinh\n2,\"a, b\"\r\n\r\n3,\"x \"\"y\"\" z\"\n4,\"line1\nline2\"\n5,\n";
	assert_string_equal(csv_all(&a, s, strlen(s)), "code|name@1;1|Đăng ký khai sinh@2;2|a, b@3;3|x \"y\" z@5;4|line1\nline2@6;5|@8;");
	/* no final line break; empty fields */
	assert_string_equal(csv_all(&a, ",,", 2), "||@1;");
	assert_string_equal(csv_all(&a, "a", 1), "a@1;");
	assert_string_equal(csv_all(&a, "", 0), "");
	arena_release(&a);
}

static void test_csv_strict(void **state)
{
	arena_t a;
	arena_init(&a, 1 << 20);
	/* a bare quote, text after a closing quote: the record is reported and the next one still read */
	const char *s = "a,b\"c\nok,1\n\"x\"y,2\nfine,3\n";
	assert_string_equal(csv_all(&a, s, strlen(s)), "!ERR@1;ok|1@2;!ERR@3;fine|3@4;");
	/* an unterminated quote runs to the end */
	const char *u = "a,\"open\nb,c\n";
	assert_string_equal(csv_all(&a, u, strlen(u)), "!ERR@1;");
	/* invalid UTF-8 and NUL bytes are refused */
	const char bad[] = "x,\xC3\x28\ny,\0z\nok,1\n";
	assert_string_equal(csv_all(&a, bad, sizeof(bad) - 1), "!ERR@1;!ERR@2;ok|1@3;");
	arena_release(&a);
}

static void test_docs_parse(void **state)
{
	arena_t a;
	arena_init(&a, 1 << 20);
	catalog_proc_t p;
	memset(&p, 0, sizeof(p));
	const char *why, *arg;
	int n = catalog_docs_parse(&a, " Tờ khai (01 bản chính) | Bản sao CCCD (01 bản sao)?\nGiấy chứng sinh\n\n", 0, &p, &why, &arg);
	assert_int_equal(n, 3);
	assert_string_equal(p.doc_name[0][0], "Tờ khai");
	assert_string_equal(p.doc_copies[0], "01 bản chính");
	assert_int_equal(p.doc_required[0], 1);
	assert_string_equal(p.doc_name[1][0], "Bản sao CCCD");
	assert_string_equal(p.doc_copies[1], "01 bản sao");
	assert_int_equal(p.doc_required[1], 0);
	assert_string_equal(p.doc_copies[2], "01 bản chính");
	/* a translation keeps its brackets */
	assert_int_equal(catalog_docs_parse(&a, "Form (No. 1)|ID?", 1, &p, &why, &arg), 2);
	assert_string_equal(p.doc_name[0][1], "Form (No. 1)");
	assert_string_equal(p.doc_name[1][1], "ID");
	assert_int_equal(catalog_docs_parse(&a, "A|?", 0, &p, &why, &arg), -1); /* an item with no name */
	assert_string_equal(catalog_level_parse("Cấp xã"), "xa");
	assert_string_equal(catalog_level_parse("TINH"), "tinh");
	assert_null(catalog_level_parse("huyện"));
	assert_string_equal(catalog_online_parse("Toàn trình"), "toan_trinh");
	assert_string_equal(catalog_online_parse("một phần"), "mot_phan");
	assert_true(catalog_code_ok("1.001193.000.00.00.H50"));
	assert_false(catalog_code_ok("a b"));
	assert_false(catalog_code_ok(""));
	arena_release(&a);
}

static void test_sniff(void **state)
{
	assert_string_equal(catalog_form_sniff("%PDF-1.7", 8, "x.bin"), "application/pdf");
	assert_string_equal(catalog_form_sniff("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, "a.doc"), "application/msword");
	assert_string_equal(catalog_form_sniff("PK\x03\x04zzzz", 8, "a.docx"),
			    "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
	assert_null(catalog_form_sniff("PK\x03\x04zzzz", 8, "a.pdf")); /* a ZIP is not a PDF */
	assert_null(catalog_form_sniff("<html>", 6, "a.pdf"));
	assert_null(catalog_form_sniff("\xFF\xD8\xFF", 3, "a.jpg"));
}

static void test_import_db(void **state)
{
	char *err = NULL;
	db_t *db = testdb_open("import");
	assert_non_null(db);
	assert_true(db_migrate(db, &err) >= 0);
	char files[128];
	snprintf(files, sizeof(files), "/tmp/cong-test-import-%d", (int)getpid());
	mkdir(files, 0750);
	arena_t a;
	arena_init(&a, 64u << 20);
	static catalog_report_t r;
	const char *agencies = "code,name_vi,name_en,level,commune\n000.00.12.H50,Sở Xây dựng,Department of Construction,tinh,\n"
			       "000.21.30.H50,UBND xã Hưng Lam,,xa,Xã Hưng Lam\nbad code,X,,tinh,\n";
	assert_int_equal(catalog_import(db, &a, "agencies", agencies, strlen(agencies), NULL, files, 1000, &r), 1);
	assert_int_equal(r.imported, 2);
	assert_int_equal(r.nbad, 1);
	assert_int_equal(r.bad[0].line, 4);
	const char *procs = "code,name_vi,field,agency_code,days,documents,documents_en,name_en\n"
			    "1.001193,Đăng ký khai sinh,Hộ tịch,000.21.30.H50,1,\"Tờ khai (01 bản chính)|Giấy chứng sinh\",\"Form|Birth notice\",Birth registration\n"
			    "1.009994,Cấp giấy phép xây dựng,Xây dựng,000.00.12.H50,15,Đơn,,\n"
			    "1.1,Thiếu giấy tờ,Xây dựng,000.00.12.H50,15,,,\n"
			    "1.2,Dịch sai,Xây dựng,000.00.12.H50,15,A|B,Only one,\n";
	assert_int_equal(catalog_import(db, &a, "procedures", procs, strlen(procs), NULL, files, 1000, &r), 1);
	assert_int_equal(r.imported, 2);
	assert_int_equal(r.updated, 0);
	assert_int_equal(r.nbad, 2);
	assert_int_equal(r.bad[0].line, 4);
	assert_int_equal(r.bad[1].line, 5);
	assert_int_equal(db_int(db, "SELECT count(*) FROM procedures", "", -1), 2);
	assert_int_equal(db_int(db, "SELECT count(*) FROM proc_fields", "", -1), 2);
	/* the level follows the agency; the search text is folded */
	assert_int_equal(db_int(db, "SELECT count(*) FROM procedures WHERE code = '1.001193' AND level = 'xa'"
				    " AND search LIKE '%dang ky khai sinh%' AND search LIKE '%birth%'", "", -1), 1);
	long long d1 = db_int(db, "SELECT d.id FROM procedure_docs d JOIN procedures p ON p.id = d.procedure_id"
				  " WHERE p.code = '1.001193' AND d.position = 1", "", -1);
	/* reordered and one renamed: the ids follow the names */
	const char *again = "code,name_vi,field,agency_code,days,documents\n"
			    "1.001193,Đăng ký khai sinh,Hộ tịch,000.21.30.H50,2,\"Giấy chứng sinh (01 bản sao)|Tờ khai mới\"\n";
	assert_int_equal(catalog_import(db, &a, "procedures", again, strlen(again), NULL, files, 2000, &r), 0);
	assert_int_equal(r.updated, 1);
	assert_int_equal(db_int(db, "SELECT d.id FROM procedure_docs d JOIN procedures p ON p.id = d.procedure_id"
				    " WHERE p.code = '1.001193' AND d.position = 0", "", -1), d1);
	assert_int_equal(db_int(db, "SELECT days FROM procedures WHERE code = '1.001193'", "", -1), 2);
	/* the English translation went with its name column */
	assert_int_equal(db_int(db, "SELECT count(*) FROM procedure_i18n WHERE lang = 'en'", "", -1), 0);
	/* a bad header refuses the file */
	const char *hdr = "code,nom\n1,x\n";
	assert_int_equal(catalog_import(db, &a, "procedures", hdr, strlen(hdr), NULL, files, 3000, &r), 1);
	assert_true(r.refused);
	arena_release(&a);
	testdb_close(db);
	rmdir(files);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_basic), cmocka_unit_test(test_csv_strict), cmocka_unit_test(test_docs_parse),
		cmocka_unit_test(test_sniff),     cmocka_unit_test(test_import_db),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
