/* editorial: the workflow's transition table — every state × action × role × own/other article against
 * expectations written here from the rules, not from editorial.c — and the store on a real SQLite
 * database: create, permission-checked reads, optimistic locking, validation, transitions with their
 * audit entries, scheduled publishing, slugs, revisions and restore, translations, lists, autosaves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/auth.h"
#include "db/db.h"
#include "testdb.h"
#include "db/migrate.h"
#include "news/editorial.h"

static db_t *db;
static long long category, category_vi_only;
static auth_user_t ed1 = {.login = "lan", .display_name = "Lan", .role = "editor", .kind = "web"};
static auth_user_t ed2 = {.login = "hung", .display_name = "Hùng", .role = "editor", .kind = "web"};
static auth_user_t pub = {.login = "minh", .display_name = "Minh", .role = "publisher", .kind = "web"};
static auth_user_t adm = {.login = "an", .display_name = "An", .role = "admin", .kind = "web"};

/* ---- the transition table ------------------------------------------------------------------------- */

static const char *const states[] = {"draft", "pending", "returned", "scheduled", "published", "unpublished"};

/* Which states each action starts from, as the issue and the brief say. */
static int from_ok(ed_action_t a, const char *s)
{
	switch (a) {
	case ED_SUBMIT: return !strcmp(s, "draft") || !strcmp(s, "returned");
	case ED_RETURN: return !strcmp(s, "pending");
	case ED_PUBLISH:
	case ED_SCHEDULE: return strcmp(s, "published") != 0;
	case ED_UNPUBLISH: return !strcmp(s, "published") || !strcmp(s, "scheduled");
	case ED_DELETE: return strcmp(s, "published") != 0;
	default: return 0;
	}
}

/* Whether the role may do the action at all to this article in this state (before the state rule). */
static int role_ok(const char *role, ed_action_t a, int own, const char *s)
{
	if (!strcmp(role, "admin") || !strcmp(role, "publisher"))
		return 1;
	if (!strcmp(role, "editor")) /* own drafts and returned articles: submit and delete, nothing else */
		return own && (a == ED_SUBMIT || a == ED_DELETE) && (!strcmp(s, "draft") || !strcmp(s, "returned"));
	return 0;
}

static void test_transition_table(void **state)
{
	static const char *const roles[] = {"admin", "publisher", "editor", "guest"};
	const long long me = 41, someone = 42;
	int checked = 0;
	for (size_t r = 0; r < 4; r++)
		for (int a = 0; a < ED__NACTIONS; a++)
			for (size_t s = 0; s < 6; s++)
				for (int own = 0; own <= 1; own++) {
					auth_user_t u = {.id = me, .login = "u", .role = roles[r], .kind = "web"};
					ed_rc_t want = !role_ok(roles[r], (ed_action_t)a, own, states[s]) ? ED_FORBIDDEN
						       : from_ok((ed_action_t)a, states[s])                ? ED_OK
													     : ED_BAD_STATE;
					ed_rc_t got = editorial_can(&u, (ed_action_t)a, own ? me : someone, states[s]);
					if (got != want)
						fail_msg("%s as %s on %s %s article: expected %s, got %s", editorial_action_name((ed_action_t)a),
							 roles[r], own ? "own" : "another's", states[s], editorial_code(want), editorial_code(got));
					checked++;
				}
	assert_int_equal(checked, 4 * ED__NACTIONS * 6 * 2);
	/* where each action leads, and its audit name */
	static const struct {
		const char *name, *to, *audit;
	} want[] = {{"submit", "pending", "article.submit"},     {"return", "returned", "article.return"},
		    {"publish", "published", "article.publish"}, {"schedule", "scheduled", "article.schedule"},
		    {"unpublish", "unpublished", "article.unpublish"}, {"delete", NULL, "article.delete"}};
	for (int a = 0; a < ED__NACTIONS; a++) {
		assert_int_equal(editorial_action_from(want[a].name), a);
		assert_string_equal(editorial_action_name((ed_action_t)a), want[a].name);
		assert_string_equal(editorial_action_audit((ed_action_t)a), want[a].audit);
		if (want[a].to)
			assert_string_equal(editorial_action_target((ed_action_t)a), want[a].to);
		else
			assert_null(editorial_action_target((ed_action_t)a));
	}
	assert_int_equal(editorial_action_from("approve"), -1);
	assert_int_equal(editorial_action_from(NULL), -1);
	assert_int_equal(editorial_can(NULL, ED_SUBMIT, 0, "draft"), ED_FORBIDDEN);
	assert_int_equal(editorial_can(&pub, ED__NACTIONS, 0, "draft"), ED_FORBIDDEN);
}

static void test_edit_rule(void **state)
{
	for (size_t s = 0; s < 6; s++) {
		int editable = !strcmp(states[s], "draft") || !strcmp(states[s], "returned");
		assert_int_equal(editorial_can_edit(&ed1, ed1.id, states[s]), editable);
		assert_false(editorial_can_edit(&ed1, ed2.id, states[s]));
		assert_true(editorial_can_edit(&pub, ed1.id, states[s]));
		assert_true(editorial_can_edit(&adm, ed1.id, states[s]));
	}
}

/* ---- a fake request acting as a user ----------------------------------------------------------------- */

typedef struct fake {
	http_request_t req;
	arena_t arena;
} fake_t;

static http_request_t *as(fake_t *f, auth_user_t *u)
{
	memset(f, 0, sizeof(*f));
	arena_init(&f->arena, 0);
	f->req.arena = &f->arena;
	f->req.db = db;
	f->req.rid = "test";
	f->req.method = "POST";
	f->req.path = f->req.raw_path = "/admin/articles";
	f->req.query = "";
	f->req.remote = "192.0.2.9";
	f->req.lang = "vi";
	f->req.prefix = "";
	f->req.auth = u; /* auth_user() returns what the request already knows */
	return &f->req;
}

static void done(fake_t *f)
{
	arena_release(&f->arena);
}

static long long audit_count(const char *action, long long id)
{
	return db_int(db, "SELECT count(*) FROM audit_log WHERE action = ? AND object_type = 'article' AND object_id = ?", "si", -1,
		      action, id);
}

static long long create(auth_user_t *u, const char *title, const char *body)
{
	fake_t f;
	json_t *errors = NULL;
	long long id = 0;
	ed_input_t in = {.title = title, .lead = "Tóm tắt", .body = body, .tags = "a, b", .lang = "vi", .category_id = category};
	ed_rc_t rc = editorial_create(as(&f, u), u, &in, &errors, &id);
	if (rc != ED_OK) {
		char *e = errors ? json_dumps(errors, 0) : NULL;
		fail_msg("create: %s %s", editorial_code(rc), e ? e : "");
	}
	done(&f);
	return id;
}

static ed_rc_t act(auth_user_t *u, long long id, ed_action_t a, const char *comment, long long when)
{
	fake_t f;
	json_t *errors = NULL;
	ed_rc_t rc = editorial_transition(as(&f, u), u, id, a, comment, when, &errors);
	json_decref(errors);
	done(&f);
	return rc;
}

static ed_rc_t save(auth_user_t *u, long long id, long long expected, ed_input_t in, long long *rev)
{
	fake_t f;
	json_t *errors = NULL;
	long long r = 0;
	ed_rc_t rc = editorial_update(as(&f, u), u, id, expected, &in, &errors, &r);
	json_decref(errors);
	done(&f);
	if (rev)
		*rev = r;
	return rc;
}

static char *text(const char *sql, long long id)
{
	static char out[4096];
	db_stmt_t *st = db_prepare(db, sql);
	out[0] = '\0';
	if (st && db_bindf(st, "i", id) == 0 && db_step(st) == DB_ROW)
		snprintf(out, sizeof(out), "%s", db_col_text(st, 0));
	if (st)
		db_done(st);
	return out;
}

/* ---- fixtures -------------------------------------------------------------------------------------- */

static int setup(void **state)
{
	char *err = NULL;
	db = testdb_open("workflow");
	if (!db || db_migrate(db, &err) < 0) {
		fprintf(stderr, "%s\n", err ? err : "cannot open the test database");
		return -1;
	}
	auth_user_t *us[] = {&ed1, &ed2, &pub, &adm};
	for (size_t i = 0; i < 4; i++) {
		db_execf(db, "INSERT INTO users (login, display_name, role, password_hash, created_at) VALUES (?, ?, ?, 'x', 0)", "sss",
			 us[i]->login, us[i]->display_name, us[i]->role);
		us[i]->id = db_last_id(db);
	}
	db_execf(db, "INSERT INTO categories (position) VALUES (0)", "");
	category = db_last_id(db);
	db_execf(db, "INSERT INTO category_i18n (category_id, lang, slug, name) VALUES (?, 'vi', 'thoi-su', 'Thời sự'), (?, 'en', 'news', 'News'),"
		     " (?, 'zh', 'xinwen', '新闻')", "iii", category, category, category);
	db_execf(db, "INSERT INTO categories (parent_id, position) VALUES (?, 1)", "i", category);
	category_vi_only = db_last_id(db);
	db_execf(db, "INSERT INTO category_i18n (category_id, lang, slug, name) VALUES (?, 'vi', 'tinh-uy', 'Tỉnh ủy')", "i", category_vi_only);
	db_execf(db, "INSERT INTO media (name, mime, width, height, bytes, created_at) VALUES ('abc', 'image/jpeg', 10, 10, 10, 0)", "");
	return 0;
}

static int teardown(void **state)
{
	testdb_close(db);
	return 0;
}

/* ---- the store ------------------------------------------------------------------------------------- */

static void test_create_and_read(void **state)
{
	long long id = create(&ed1, "Khánh thành cầu Bến Đò", "Đoạn một.\r\nĐoạn hai.");
	assert_true(id > 0);
	fake_t f;
	ed_article_t a;
	assert_int_equal(editorial_get(as(&f, &ed1), &ed1, id, &a), ED_OK);
	assert_string_equal(a.status, "draft");
	assert_int_equal(a.revision, 1);
	assert_int_equal(a.author_id, ed1.id);
	assert_int_equal(a.group_id, id);
	assert_string_equal(a.slug, "khanh-thanh-cau-ben-do");
	assert_string_equal(a.body, "Đoạn một.\nĐoạn hai."); /* line ends as stored: \n */
	assert_string_equal(a.tags, "a, b");
	assert_false(a.is_translation);
	assert_false(a.ever_published);
	json_t *j = editorial_article_json(&a);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "revision")), 1);
	json_decref(j);
	done(&f);
	assert_int_equal(db_int(db, "SELECT count(*) FROM article_revisions WHERE article_id = ?", "i", -1, id), 1);
	assert_int_equal(audit_count("article.create", id), 1);
	assert_string_equal(text("SELECT login FROM audit_log WHERE action = 'article.create' AND object_id = ?", id), "lan");

	/* another editor: not found, and nothing of the article comes back */
	assert_int_equal(editorial_get(as(&f, &ed2), &ed2, id, &a), ED_NOT_FOUND);
	assert_null(a.title);
	assert_null(a.body);
	done(&f);
	assert_int_equal(editorial_get(as(&f, &pub), &pub, id, &a), ED_OK);
	done(&f);
	assert_int_equal(editorial_get(as(&f, &pub), &pub, 999999, &a), ED_NOT_FOUND);
	done(&f);
	/* neither may another editor change it, act on it or read its history */
	assert_int_equal(save(&ed2, id, 1, (ed_input_t){.title = "x"}, NULL), ED_NOT_FOUND);
	assert_int_equal(act(&ed2, id, ED_SUBMIT, NULL, 0), ED_NOT_FOUND);
	assert_int_equal(act(&ed2, id, ED_DELETE, NULL, 0), ED_NOT_FOUND);
	ed_rc_t rc;
	assert_null(editorial_revisions(as(&f, &ed2), &ed2, id, &rc));
	assert_int_equal(rc, ED_NOT_FOUND);
	done(&f);
	assert_string_equal(text("SELECT title FROM articles WHERE id = ?", id), "Khánh thành cầu Bến Đò");
}

static void test_validation_fields(void **state)
{
	fake_t f;
	json_t *errors = NULL;
	long long id = 0;
	buf_t title, lead, body, tags;
	buf_init(&title, 0);
	buf_init(&lead, 0);
	buf_init(&body, 0);
	buf_init(&tags, 0);
	for (int i = 0; i < 301; i++)
		buf_puts(&title, "đ"); /* 301 characters (602 bytes): characters count, not bytes */
	for (int i = 0; i < 1001; i++)
		buf_puts(&lead, "ư");
	for (int i = 0; i < 205 * 1024; i++)
		buf_putc(&body, 'x');
	for (int i = 0; i < 21; i++)
		buf_appendf(&tags, "thẻ %d, ", i);
	ed_input_t in = {.title = buf_cstr(&title), .lead = buf_cstr(&lead), .body = buf_cstr(&body), .tags = buf_cstr(&tags),
			 .lang = "vi", .category_id = 12345, .cover_id = 777, .published_at = "2026-02-30T10:00", .slug = "!!!"};
	long long before = db_int(db, "SELECT count(*) FROM articles", "", -1);
	assert_int_equal(editorial_create(as(&f, &ed1), &ed1, &in, &errors, &id), ED_INVALID);
	static const char *const fields[] = {"title", "lead", "body", "tags", "category_id", "cover_id", "published_at", "slug"};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!json_is_string(json_object_get(errors, fields[i])))
			fail_msg("no error for %s", fields[i]);
	json_decref(errors);
	done(&f);
	assert_int_equal(db_int(db, "SELECT count(*) FROM articles", "", -1), before);

	/* exactly at the limits is fine */
	buf_reset(&title);
	for (int i = 0; i < 300; i++)
		buf_puts(&title, "đ");
	ed_input_t ok = {.title = buf_cstr(&title), .lang = "vi", .category_id = category, .tags = "a,b,c"};
	errors = NULL;
	assert_int_equal(editorial_create(as(&f, &ed1), &ed1, &ok, &errors, &id), ED_OK);
	assert_null(errors);
	done(&f);

	/* empty title, missing category, a category without a name in the article's language, bad language */
	ed_input_t bad = {.title = "  ", .lang = "en", .category_id = category_vi_only};
	assert_int_equal(editorial_create(as(&f, &ed1), &ed1, &bad, &errors, &id), ED_INVALID);
	assert_non_null(json_object_get(errors, "title"));
	assert_non_null(json_object_get(errors, "category_id"));
	json_decref(errors);
	done(&f);
	ed_input_t bad2 = {.title = "x", .lang = "fr", .category_id = 0};
	assert_int_equal(editorial_create(as(&f, &ed1), &ed1, &bad2, &errors, &id), ED_INVALID);
	assert_non_null(json_object_get(errors, "lang"));
	assert_non_null(json_object_get(errors, "category_id"));
	json_decref(errors);
	done(&f);
	buf_release(&title);
	buf_release(&lead);
	buf_release(&body);
	buf_release(&tags);
}

static void test_optimistic_lock(void **state)
{
	long long id = create(&ed1, "Hội nghị", "Bản một");
	long long rev = 0;
	assert_int_equal(save(&ed1, id, 1, (ed_input_t){.body = "Bản hai"}, &rev), ED_OK);
	assert_int_equal(rev, 2);
	/* a stale save changes nothing */
	assert_int_equal(save(&pub, id, 1, (ed_input_t){.body = "Bản cũ ghi đè"}, &rev), ED_CONFLICT);
	assert_string_equal(text("SELECT body FROM articles WHERE id = ?", id), "Bản hai");
	assert_int_equal(db_int(db, "SELECT revision FROM articles WHERE id = ?", "i", -1, id), 2);
	assert_int_equal(db_int(db, "SELECT count(*) FROM article_revisions WHERE article_id = ?", "i", -1, id), 2);
	assert_int_equal(audit_count("article.edit", id), 1);
	/* a save with nothing new is no revision */
	assert_int_equal(save(&ed1, id, 2, (ed_input_t){.body = "Bản hai"}, &rev), ED_OK);
	assert_int_equal(rev, 2);
	/* every save is a full-text revision */
	assert_int_equal(save(&pub, id, 2, (ed_input_t){.title = "Hội nghị tổng kết", .tags = "x"}, &rev), ED_OK);
	assert_int_equal(rev, 3);
	assert_string_equal(text("SELECT title FROM article_revisions WHERE article_id = ? AND revision = 3", id), "Hội nghị tổng kết");
	assert_string_equal(text("SELECT body FROM article_revisions WHERE article_id = ? AND revision = 3", id), "Bản hai");
	assert_string_equal(text("SELECT tags FROM article_revisions WHERE article_id = ? AND revision = 3", id), "x");
}

static void test_workflow_and_slugs(void **state)
{
	long long id = create(&ed1, "Lễ hội đua thuyền", "Nội dung");
	long long rev;
	assert_int_equal(save(&ed1, id, 1, (ed_input_t){.title = "Lễ hội đua thuyền truyền thống"}, &rev), ED_OK);
	assert_string_equal(text("SELECT slug FROM articles WHERE id = ?", id), "le-hoi-dua-thuyen-truyen-thong");
	assert_int_equal(db_int(db, "SELECT count(*) FROM article_old_slugs WHERE article_id = ?", "i", -1, id), 0);

	assert_int_equal(act(&ed1, id, ED_PUBLISH, NULL, 0), ED_FORBIDDEN);
	assert_int_equal(act(&ed1, id, ED_SUBMIT, NULL, 0), ED_OK);
	assert_int_equal(act(&ed1, id, ED_SUBMIT, NULL, 0), ED_FORBIDDEN); /* not from pending */
	assert_int_equal(save(&ed1, id, 2, (ed_input_t){.title = "Sửa khi chờ duyệt"}, NULL), ED_FORBIDDEN);
	assert_int_equal(act(&pub, id, ED_SUBMIT, NULL, 0), ED_BAD_STATE);

	fake_t f;
	json_t *errors = NULL;
	assert_int_equal(editorial_transition(as(&f, &pub), &pub, id, ED_RETURN, "  \n ", 0, &errors), ED_INVALID);
	assert_non_null(json_object_get(errors, "review_comment"));
	json_decref(errors);
	done(&f);
	assert_int_equal(act(&pub, id, ED_RETURN, "Thêm ảnh.\r\n", 0), ED_OK);
	assert_string_equal(text("SELECT status FROM articles WHERE id = ?", id), "returned");
	assert_string_equal(text("SELECT review_comment FROM articles WHERE id = ?", id), "Thêm ảnh.");
	assert_string_equal(text("SELECT detail FROM audit_log WHERE action = 'article.return' AND object_id = ?", id), "Thêm ảnh.");
	assert_int_equal(save(&ed1, id, 2, (ed_input_t){.body = "Nội dung có ảnh"}, &rev), ED_OK);
	assert_int_equal(act(&ed1, id, ED_SUBMIT, NULL, 0), ED_OK);

	long long t0 = (long long)time(NULL);
	assert_int_equal(act(&pub, id, ED_PUBLISH, NULL, 0), ED_OK);
	assert_string_equal(text("SELECT status FROM articles WHERE id = ?", id), "published");
	assert_true(db_int(db, "SELECT published_at FROM articles WHERE id = ?", "i", 0, id) >= t0);
	assert_string_equal(text("SELECT review_comment FROM articles WHERE id = ?", id), "");
	assert_int_equal(act(&pub, id, ED_PUBLISH, NULL, 0), ED_BAD_STATE);
	assert_int_equal(act(&pub, id, ED_DELETE, NULL, 0), ED_BAD_STATE);
	for (int i = 0; i < ED__NACTIONS; i++)
		assert_int_equal(act(&ed1, id, (ed_action_t)i, "x", t0 + 3600), ED_FORBIDDEN);

	/* published: the title changes, the slug stays; an explicit slug change leaves the old URL redirecting */
	assert_int_equal(save(&pub, id, 3, (ed_input_t){.title = "Đua thuyền trên sông Lam"}, &rev), ED_OK);
	assert_string_equal(text("SELECT slug FROM articles WHERE id = ?", id), "le-hoi-dua-thuyen-truyen-thong");
	assert_int_equal(save(&pub, id, 4, (ed_input_t){.slug = "Đua thuyền"}, &rev), ED_OK);
	assert_string_equal(text("SELECT slug FROM articles WHERE id = ?", id), "dua-thuyen");
	assert_int_equal(db_int(db, "SELECT article_id FROM article_old_slugs WHERE slug = 'le-hoi-dua-thuyen-truyen-thong'", "", -1), id);
	/* a future time cannot be saved on a published article */
	assert_int_equal(save(&pub, id, 5, (ed_input_t){.published_at = "2999-01-01T00:00"}, NULL), ED_INVALID);

	assert_int_equal(act(&pub, id, ED_UNPUBLISH, NULL, 0), ED_OK);
	assert_int_equal(act(&pub, id, ED_UNPUBLISH, NULL, 0), ED_BAD_STATE);
	/* once published, always "ever published": the slug no longer follows the title */
	assert_int_equal(save(&pub, id, 5, (ed_input_t){.title = "Tiêu đề khác hẳn"}, &rev), ED_OK);
	assert_string_equal(text("SELECT slug FROM articles WHERE id = ?", id), "dua-thuyen");

	assert_int_equal(audit_count("article.submit", id), 2);
	assert_int_equal(audit_count("article.return", id), 1);
	assert_int_equal(audit_count("article.publish", id), 1);
	assert_int_equal(audit_count("article.unpublish", id), 1);

	/* delete: not published, and the rows go with it */
	assert_int_equal(act(&pub, id, ED_DELETE, NULL, 0), ED_OK);
	assert_int_equal(db_int(db, "SELECT count(*) FROM articles WHERE id = ?", "i", -1, id), 0);
	assert_int_equal(db_int(db, "SELECT count(*) FROM article_revisions WHERE article_id = ?", "i", -1, id), 0);
	assert_int_equal(db_int(db, "SELECT count(*) FROM article_tags WHERE article_id = ?", "i", -1, id), 0);
	assert_int_equal(db_int(db, "SELECT count(*) FROM article_old_slugs WHERE article_id = ?", "i", -1, id), 0);
	assert_int_equal(audit_count("article.delete", id), 1);
}

static void test_schedule_and_publish_due(void **state)
{
	long long id = create(&ed1, "Thông báo lịch tiếp dân", "x");
	long long now = (long long)time(NULL);
	fake_t f;
	json_t *errors = NULL;
	assert_int_equal(editorial_transition(as(&f, &pub), &pub, id, ED_SCHEDULE, NULL, now - 60, &errors), ED_INVALID);
	assert_non_null(json_object_get(errors, "published_at"));
	json_decref(errors);
	done(&f);
	assert_int_equal(act(&pub, id, ED_SCHEDULE, NULL, now + 3600 + 37), ED_OK);
	assert_string_equal(text("SELECT status FROM articles WHERE id = ?", id), "scheduled");
	long long at = db_int(db, "SELECT published_at FROM articles WHERE id = ?", "i", 0, id);
	assert_int_equal(at % 60, 0);
	assert_int_equal(at, now + 3600 + 37 - (now + 3600 + 37) % 60);
	assert_int_equal(audit_count("article.schedule", id), 1);
	/* not due yet */
	assert_int_equal(editorial_publish_due(db), 0);
	/* rescheduling a scheduled article is allowed */
	assert_int_equal(act(&pub, id, ED_SCHEDULE, NULL, now + 7200), ED_OK);
	/* scheduled but never published: the slug still follows the title (even when SQLite gave this article
	 * the id of a deleted one that had been published) */
	long long rev;
	assert_int_equal(save(&pub, id, 1, (ed_input_t){.title = "Lịch tiếp công dân tháng 12"}, &rev), ED_OK);
	assert_string_equal(text("SELECT slug FROM articles WHERE id = ?", id), "lich-tiep-cong-dan-thang-12");
	/* the time comes (or came while the server was down) */
	db_execf(db, "UPDATE articles SET published_at = ? WHERE id = ?", "ii", now - 5, id);
	long long other = create(&ed1, "Bài thứ hai hẹn giờ", "y");
	assert_int_equal(act(&pub, other, ED_SCHEDULE, NULL, now + 600), ED_OK);
	db_execf(db, "UPDATE articles SET published_at = ? WHERE id = ?", "ii", now - 1, other);
	long long later = create(&ed1, "Bài chưa đến giờ", "z");
	assert_int_equal(act(&pub, later, ED_SCHEDULE, NULL, now + 600), ED_OK);
	assert_int_equal(editorial_publish_due(db), 2);
	assert_string_equal(text("SELECT status FROM articles WHERE id = ?", id), "published");
	assert_string_equal(text("SELECT status FROM articles WHERE id = ?", other), "published");
	assert_string_equal(text("SELECT status FROM articles WHERE id = ?", later), "scheduled");
	/* (ids of deleted articles come back in SQLite: the newest entry is this article's) */
	assert_string_equal(text("SELECT login FROM audit_log WHERE action = 'article.publish' AND object_id = ? ORDER BY id DESC", id), "system");
	assert_true(db_int(db, "SELECT user_id IS NULL FROM audit_log WHERE action = 'article.publish' AND object_id = ? ORDER BY id DESC", "i", 0, id));
	assert_int_equal(editorial_publish_due(db), 0);
	/* a scheduled article can be unpublished before its time */
	assert_int_equal(act(&pub, later, ED_UNPUBLISH, NULL, 0), ED_OK);
	assert_int_equal(editorial_publish_due(db), 0);
}

static void test_revisions_and_restore(void **state)
{
	long long id = create(&ed1, "Kế hoạch", "một\nhai\nba");
	long long rev;
	assert_int_equal(save(&ed1, id, 1, (ed_input_t){.body = "một\nhai sửa\nba"}, &rev), ED_OK);
	assert_int_equal(save(&ed1, id, 2, (ed_input_t){.title = "Kế hoạch mới", .category_id = category_vi_only}, &rev), ED_OK);
	fake_t f;
	ed_rc_t rc;
	json_t *list = editorial_revisions(as(&f, &ed1), &ed1, id, &rc);
	assert_int_equal(rc, ED_OK);
	assert_int_equal(json_array_size(list), 3);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "revision")), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "saved_by_name")), "Lan");
	json_decref(list);
	ed_revision_t r;
	assert_int_equal(editorial_revision(&f.req, &ed1, id, 1, &r), ED_OK);
	assert_string_equal(r.body, "một\nhai\nba");
	assert_int_equal(editorial_revision(&f.req, &ed1, id, 9, &r), ED_NOT_FOUND);
	done(&f);
	assert_int_equal(editorial_restore(as(&f, &ed1), &ed1, id, 1, 2, &rev), ED_CONFLICT);
	done(&f);
	assert_int_equal(editorial_restore(as(&f, &ed1), &ed1, id, 1, 3, &rev), ED_OK);
	done(&f);
	assert_int_equal(rev, 4);
	assert_string_equal(text("SELECT body FROM articles WHERE id = ?", id), "một\nhai\nba");
	assert_string_equal(text("SELECT title FROM articles WHERE id = ?", id), "Kế hoạch");
	assert_int_equal(db_int(db, "SELECT category_id FROM articles WHERE id = ?", "i", 0, id), category);
	assert_int_equal(audit_count("article.restore", id), 1);
	assert_int_equal(editorial_restore(as(&f, &ed2), &ed2, id, 1, 4, &rev), ED_NOT_FOUND);
	done(&f);
}

static void test_history_of_imported_article(void **state)
{
	/* the demo content: a published article with revision 1 and no history rows */
	db_execf(db, "INSERT INTO articles (lang, category_id, slug, title, body, status, published_at, created_at, updated_at)"
		     " VALUES ('vi', ?, 'bai-cu', 'Bài cũ', 'văn bản cũ', 'published', 1000, 1000, 1000)", "i", category);
	long long id = db_last_id(db);
	fake_t f;
	ed_rc_t rc;
	json_t *list = editorial_revisions(as(&f, &pub), &pub, id, &rc);
	assert_int_equal(rc, ED_OK);
	assert_int_equal(json_array_size(list), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "revision")), 1);
	json_decref(list);
	ed_revision_t r;
	assert_int_equal(editorial_revision(&f.req, &pub, id, 1, &r), ED_OK);
	assert_string_equal(r.body, "văn bản cũ");
	done(&f);
	long long rev;
	assert_int_equal(save(&pub, id, 1, (ed_input_t){.body = "văn bản mới"}, &rev), ED_OK);
	assert_int_equal(rev, 2);
	assert_string_equal(text("SELECT body FROM article_revisions WHERE article_id = ? AND revision = 1", id), "văn bản cũ");
	assert_string_equal(text("SELECT body FROM article_revisions WHERE article_id = ? AND revision = 2", id), "văn bản mới");
	/* an editor cannot see an imported article (it has no owner) */
	ed_article_t a;
	assert_int_equal(editorial_get(as(&f, &ed1), &ed1, id, &a), ED_NOT_FOUND);
	done(&f);
}

static void test_translations(void **state)
{
	long long orig = create(&pub, "Lễ hội", "Gốc");
	fake_t f;
	long long tr = 0, again = 0;
	assert_int_equal(editorial_translate(as(&f, &ed1), &ed1, orig, "en", &tr), ED_NOT_FOUND); /* not theirs to see */
	done(&f);
	assert_int_equal(editorial_translate(as(&f, &pub), &pub, orig, "vi", &tr), ED_BAD_STATE);
	assert_int_equal(editorial_translate(&f.req, &pub, orig, "fr", &tr), ED_BAD_STATE);
	assert_int_equal(editorial_translate(&f.req, &pub, orig, "en", &tr), ED_OK);
	assert_int_equal(editorial_translate(&f.req, &pub, orig, "en", &again), ED_EXISTS);
	assert_int_equal(again, tr);
	long long zh = 0;
	assert_int_equal(editorial_translate(&f.req, &pub, tr, "zh", &zh), ED_BAD_STATE); /* from the original only */
	assert_int_equal(editorial_translate(&f.req, &pub, orig, "zh", &zh), ED_OK);
	ed_article_t a;
	assert_int_equal(editorial_get(&f.req, &pub, tr, &a), ED_OK);
	assert_string_equal(a.lang, "en");
	assert_string_equal(a.status, "draft");
	assert_int_equal(a.group_id, orig);
	assert_true(a.is_translation);
	assert_int_equal(a.source_revision, 1);
	assert_false(a.outdated);
	assert_int_equal(editorial_get(&f.req, &pub, zh, &a), ED_OK);
	assert_string_equal(a.slug, text("SELECT slug FROM articles WHERE id = ?", orig)); /* Chinese keeps the original's slug */
	json_t *missing = NULL;
	ed_article_t o;
	assert_int_equal(editorial_get(&f.req, &pub, orig, &o), ED_OK);
	json_t *list = editorial_translations(&f.req, &pub, &o, &missing);
	assert_int_equal(json_array_size(list), 2);
	assert_int_equal(json_array_size(missing), 0);
	json_decref(list);
	json_decref(missing);
	done(&f);

	/* each has its own state */
	assert_int_equal(act(&pub, tr, ED_PUBLISH, NULL, 0), ED_OK);
	assert_string_equal(text("SELECT status FROM articles WHERE id = ?", orig), "draft");
	/* the original changes: the translation is outdated until it is marked as following it again */
	long long rev;
	assert_int_equal(save(&pub, orig, 1, (ed_input_t){.body = "Gốc mới"}, &rev), ED_OK);
	assert_int_equal(editorial_get(as(&f, &pub), &pub, tr, &a), ED_OK);
	assert_true(a.outdated);
	assert_int_equal(a.original_revision, 2);
	long long total = 0;
	ed_filter_t filt = {.lang = "en"};
	list = editorial_list(&f.req, &pub, &filt, &total);
	int seen = 0;
	size_t i;
	json_t *it;
	json_array_foreach(list, i, it)
	{
		if (json_integer_value(json_object_get(it, "id")) == tr) {
			seen = 1;
			assert_true(json_is_true(json_object_get(it, "outdated")));
		}
	}
	assert_true(seen);
	json_decref(list);
	done(&f);
	assert_int_equal(save(&pub, tr, 1, (ed_input_t){.body = "New", .sync_source = 1}, &rev), ED_OK);
	assert_int_equal(editorial_get(as(&f, &pub), &pub, tr, &a), ED_OK);
	assert_false(a.outdated);
	assert_int_equal(a.source_revision, 2);
	done(&f);
	/* an original with translations is not deleted */
	assert_int_equal(act(&pub, orig, ED_DELETE, NULL, 0), ED_HAS_TRANSLATIONS);

	/* a Chinese title has no ASCII fold: a new Chinese article is "bai-<id>" */
	json_t *errors = NULL;
	long long cn = 0;
	ed_input_t in = {.title = "新闻标题", .lang = "zh", .category_id = category};
	assert_int_equal(editorial_create(as(&f, &pub), &pub, &in, &errors, &cn), ED_OK);
	char want[32];
	snprintf(want, sizeof(want), "bai-%lld", cn);
	assert_string_equal(text("SELECT slug FROM articles WHERE id = ?", cn), want);
	done(&f);
	/* and a new title keeps it */
	assert_int_equal(save(&pub, cn, 1, (ed_input_t){.title = "另一个标题"}, &rev), ED_OK);
	assert_string_equal(text("SELECT slug FROM articles WHERE id = ?", cn), want);
}

static void test_list_filters(void **state)
{
	long long a = create(&ed2, "Đường Hồ Chí Minh mở rộng", "x");
	long long b = create(&ed2, "Cầu mới", "x");
	fake_t f;
	long long total = 0;
	ed_filter_t all = {0};
	/* an editor sees only their own, whatever the filter asks */
	ed_filter_t theirs = {.author_id = ed1.id};
	json_t *list = editorial_list(as(&f, &ed2), &ed2, &theirs, &total);
	assert_int_equal(total, 2);
	json_decref(list);
	list = editorial_list(&f.req, &ed2, &all, &total);
	assert_int_equal(total, 2);
	json_decref(list);
	/* the title search ignores accents and case (đ → d) */
	ed_filter_t q = {.q = "duong ho chi"};
	list = editorial_list(&f.req, &ed2, &q, &total);
	assert_int_equal(total, 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "id")), a);
	json_decref(list);
	done(&f);
	/* publishers see all; pagination counts every match */
	long long everything = db_int(db, "SELECT count(*) FROM articles", "", -1);
	ed_filter_t page2 = {.page = 2, .per_page = 3};
	list = editorial_list(as(&f, &pub), &pub, &page2, &total);
	assert_int_equal(total, everything);
	assert_int_equal(json_array_size(list), 3);
	json_decref(list);
	ed_filter_t byauthor = {.author_id = ed2.id, .status = "draft"};
	list = editorial_list(&f.req, &pub, &byauthor, &total);
	assert_int_equal(total, 2);
	json_decref(list);
	ed_filter_t bycat = {.category_id = category, .lang = "zh"}; /* includes subcategories */
	list = editorial_list(&f.req, &pub, &bycat, &total);
	assert_true(total >= 1);
	json_decref(list);
	done(&f);
	(void)b;
}

static void test_autosave(void **state)
{
	long long id = create(&ed1, "Bài tự lưu", "x");
	fake_t f;
	long long at = 0;
	assert_int_equal(editorial_autosave_put(as(&f, &ed1), &ed1, id, "{\"body\":\"chưa lưu\"}"), ED_OK);
	assert_string_equal(editorial_autosave_get(&f.req, &ed1, id, &at), "{\"body\":\"chưa lưu\"}");
	assert_true(at > 0);
	assert_int_equal(editorial_autosave_put(&f.req, &ed1, 0, "{\"title\":\"mới\"}"), ED_OK);
	done(&f);
	assert_int_equal(editorial_autosave_put(as(&f, &ed2), &ed2, id, "{}"), ED_NOT_FOUND);
	assert_null(editorial_autosave_get(&f.req, &ed2, id, &at));
	done(&f);
	/* a save drops the autosave of that article */
	long long rev;
	assert_int_equal(save(&ed1, id, 1, (ed_input_t){.body = "chưa lưu"}, &rev), ED_OK);
	assert_null(editorial_autosave_get(as(&f, &ed1), &ed1, id, &at));
	done(&f);
	/* an article under review cannot be autosaved by its editor */
	assert_int_equal(act(&ed1, id, ED_SUBMIT, NULL, 0), ED_OK);
	assert_int_equal(editorial_autosave_put(as(&f, &ed1), &ed1, id, "{}"), ED_FORBIDDEN);
	done(&f);
}

static void test_times(void **state)
{
	long long t;
	assert_int_equal(editorial_parse_time("2026-09-02T08:15", &t), 0);
	assert_int_equal(t, 1788311700); /* 08:15 in Vietnam is 01:15 UTC */
	assert_int_equal(editorial_parse_time("2026-09-02T08:15:30", &t), 0);
	assert_int_equal(t, 1788311730);
	assert_int_equal(editorial_parse_time("2026-09-02T01:15Z", &t), 0);
	assert_int_equal(t, 1788311700);
	assert_int_equal(editorial_parse_time("2026-09-02T08:15+07:00", &t), 0);
	assert_int_equal(t, 1788311700);
	assert_int_equal(editorial_parse_time("2026-09-02 08:15", &t), 0);
	static const char *const bad[] = {"", "2026-09-02", "2026-9-02T08:15", "2026-02-30T10:00", "2026-13-01T00:00",
					  "2026-01-01T24:00", "2026-01-01T10:60", "2026-01-01T10:00+08:00", "x", "2026-01-01T10:00 ",
					  "1969-12-31T23:59"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (editorial_parse_time(bad[i], &t) == 0)
			fail_msg("accepted %s", bad[i]);
	assert_int_equal(editorial_parse_time(NULL, &t), -1);
	arena_t a;
	arena_init(&a, 0);
	assert_string_equal(editorial_local_time(&a, 1788311700), "2026-09-02T08:15");
	assert_string_equal(editorial_local_time(&a, 1788311700 + 59), "2026-09-02T08:15");
	arena_release(&a);
}

static void test_categories_tree(void **state)
{
	fake_t f;
	json_t *c = editorial_categories(as(&f, &pub), "en");
	assert_true(json_array_size(c) >= 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(c, 0), "name")), "News");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(c, 1), "depth")), 1);
	/* no English name: the Vietnamese one */
	assert_string_equal(json_string_value(json_object_get(json_array_get(c, 1), "name")), "Tỉnh ủy");
	assert_string_equal(json_string_value(json_object_get(json_array_get(c, 1), "label")), "— Tỉnh ủy");
	json_decref(c);
	done(&f);
	assert_string_equal(editorial_code(ED_CONFLICT), "conflict");
	assert_string_equal(editorial_code(ED_NOT_FOUND), "not_found");
	assert_non_null(editorial_message(ED_CONFLICT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_transition_table),
		cmocka_unit_test(test_edit_rule),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_create_and_read),
		cmocka_unit_test(test_validation_fields),
		cmocka_unit_test(test_optimistic_lock),
		cmocka_unit_test(test_workflow_and_slugs),
		cmocka_unit_test(test_schedule_and_publish_due),
		cmocka_unit_test(test_revisions_and_restore),
		cmocka_unit_test(test_history_of_imported_article),
		cmocka_unit_test(test_translations),
		cmocka_unit_test(test_list_filters),
		cmocka_unit_test(test_autosave),
		cmocka_unit_test(test_categories_tree),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
