/* editorial: the article store behind the staff pages and the JSON API — create, read, update with
 * optimistic locking, lists, the workflow's transitions, revisions, translations, autosaves and scheduled
 * publishing.  Nothing here writes HTML.
 *
 * Conventions:
 * - Every function acting for a user takes the request (database connection, arena, language for
 *   messages, client address for the audit log) and the user, and checks the permission matrix
 *   (perm_allows in auth/perm.c) against the article's author and state.  An article the user may not
 *   view is reported as ED_NOT_FOUND — exactly as if it did not exist — so its content never leaks.
 * - Strings in results are allocated from req->arena; json_t results belong to the caller (json_decref).
 * - Validation errors come back as a JSON object {field: localized message} in *errors (NULL when there
 *   are none); fields are the ed_input_t member names ("title", "category_id", "published_at" …) plus
 *   "review_comment".
 * - Every change of an article writes an audit_log entry (article.create, article.edit, article.submit,
 *   article.return, article.publish, article.schedule, article.unpublish, article.delete,
 *   article.restore) and calls http_cache_invalidate() whenever public pages could change.
 * - Times are UTC Unix seconds; the forms' local time is Vietnam time (UTC+7). */
#ifndef NEWS_EDITORIAL_H
#define NEWS_EDITORIAL_H
#include <jansson.h>

#include "auth/auth.h"
#include "db/db.h"
#include "http/http.h"

#define ED_TITLE_MAX 300          /* characters */
#define ED_LEAD_MAX 1000          /* characters */
#define ED_BODY_MAX (200u * 1024) /* bytes */
#define ED_TAGS_MAX 20
#define ED_TAG_MAX 100            /* characters per tag */
#define ED_SHORT_MAX 500          /* characters: caption, alt text, author, source */
#define ED_SLUG_MAX 120           /* bytes */
#define ED_COMMENT_MAX 2000       /* characters: a review comment */
#define ED_PER_PAGE 20

typedef enum ed_rc {
	ED_OK = 0,
	ED_NOT_FOUND,     /* no such article (or revision), or one the user may not view */
	ED_FORBIDDEN,     /* the user may view the article but not do this to it */
	ED_CONFLICT,      /* the expected revision is stale: someone saved first; nothing changed */
	ED_INVALID,       /* the input failed validation: see *errors; nothing changed */
	ED_BAD_STATE,     /* the action does not apply to the article's state (publish a published one …) */
	ED_EXISTS,        /* the translation already exists */
	ED_HAS_TRANSLATIONS, /* an original with translations cannot be deleted */
	ED_ERROR,         /* database error (logged) */
} ed_rc_t;

/* The workflow's actions.  Edits are not transitions: they need PERM_ARTICLE_EDIT in the current state. */
typedef enum ed_action {
	ED_SUBMIT,    /* draft | returned → pending */
	ED_RETURN,    /* pending → returned, with a comment */
	ED_PUBLISH,   /* pending | draft | returned | unpublished | scheduled → published, now */
	ED_SCHEDULE,  /* pending | draft | returned | unpublished | scheduled → scheduled at a future minute */
	ED_UNPUBLISH, /* published | scheduled → unpublished */
	ED_DELETE,    /* any state but published → gone (with its revisions and tags) */
	ED__NACTIONS
} ed_action_t;

/* An article as the staff see it. */
typedef struct ed_article {
	long long id, group_id, category_id, cover_id, author_id;
	const char *lang, *slug, *title, *lead, *body, *tags; /* tags: "a, b, c" */
	const char *cover_name;                               /* media file stem, "" for none */
	const char *cover_caption, *cover_alt, *author, *source;
	const char *status, *review_comment;
	const char *author_login, *author_name;               /* the owner (author_id); "" for imported articles */
	long long published_at;                               /* 0 when never set */
	long long created_at, updated_at, revision;
	long long source_revision;   /* a translation: the original's revision it follows (0: not tracked) */
	long long original_revision; /* a translation: the original's current revision (0 for an original) */
	int is_translation, outdated, ever_published;
} ed_article_t;

/* What an editor sends.  NULL strings keep the current value on update (and are "" on create);
 * category_id 0 keeps the current category on update (required on create), -1 means "not a valid
 * choice"; cover_id -1 keeps the current cover, 0 means none.  published_at is a local (UTC+7) time
 * "YYYY-MM-DDTHH:MM" (a datetime-local value; ":SS" and a "Z" or "+07:00" suffix are accepted), "" for
 * none.  slug is applied only when it differs from the current one (an explicit change); otherwise an
 * article that was never published takes its slug from the title at every save. */
typedef struct ed_input {
	const char *title, *lead, *body, *tags, *slug;
	const char *cover_caption, *cover_alt, *author, *source, *published_at;
	const char *lang; /* create only: "vi", "en", "zh" */
	long long category_id, cover_id;
	int sync_source;  /* a translation: mark it as following the original's current revision */
} ed_input_t;

typedef struct ed_filter {
	const char *status, *lang, *q; /* NULL or "" for any; q: words in the title, accents ignored */
	long long author_id, category_id; /* 0 for any; a category includes its subcategories */
	long long page;                   /* from 1 */
	long long per_page;               /* 0: ED_PER_PAGE */
} ed_filter_t;

/* One saved revision. */
typedef struct ed_revision {
	long long revision, category_id, cover_id, saved_by, saved_at;
	const char *title, *lead, *body, *tags, *cover_caption, *cover_alt, *status;
	const char *saved_by_name; /* "" when unknown (imported text) */
} ed_revision_t;

/* ---- the transition table (pure: no database) ---- */

/* The action called name ("submit", "return", "publish", "schedule", "unpublish", "delete"), or -1. */
int editorial_action_from(const char *name);
const char *editorial_action_name(ed_action_t a);
/* The audit action of a ("article.submit" …). */
const char *editorial_action_audit(ed_action_t a);
/* The state a leads to, NULL for ED_DELETE. */
const char *editorial_action_target(ed_action_t a);
/* Whether u may do a to an article owned by author_id that is in status: ED_OK, ED_FORBIDDEN (the role
 * may not, or not to this article) or ED_BAD_STATE (the role may, but not from this state). */
ed_rc_t editorial_can(const auth_user_t *u, ed_action_t a, long long author_id, const char *status);
/* Whether u may edit (save) such an article. */
int editorial_can_edit(const auth_user_t *u, long long author_id, const char *status);
/* An English msgid describing rc for a person ("Someone else saved this article first." …). */
const char *editorial_message(ed_rc_t rc);
/* A stable machine code for rc ("not_found", "conflict" …), for the JSON API. */
const char *editorial_code(ed_rc_t rc);

/* ---- articles ---- */

/* Fills *out with article id when u may view it.  ED_OK, ED_NOT_FOUND or ED_ERROR. */
ed_rc_t editorial_get(http_request_t *req, const auth_user_t *u, long long id, ed_article_t *out);
/* Creates a draft owned by u (revision 1, the first history row).  ED_OK with *id, ED_INVALID with
 * *errors, ED_FORBIDDEN or ED_ERROR.  Drops u's autosave of a new article. */
ed_rc_t editorial_create(http_request_t *req, const auth_user_t *u, const ed_input_t *in, json_t **errors, long long *id);
/* Saves a new revision of article id when its current revision is expected_revision.  A save that
 * changes nothing writes nothing and returns ED_OK with *new_revision = the current one.  ED_CONFLICT
 * (stale), ED_INVALID (*errors), ED_NOT_FOUND, ED_FORBIDDEN (may view, may not edit now) or ED_ERROR;
 * on any error nothing changed.  Drops u's autosave of the article on success. */
ed_rc_t editorial_update(http_request_t *req, const auth_user_t *u, long long id, long long expected_revision,
			 const ed_input_t *in, json_t **errors, long long *new_revision);
/* Checks the extra input an action needs without changing anything: the comment of ED_RETURN, the
 * time of ED_SCHEDULE (when: UTC, must be a future minute).  ED_OK or ED_INVALID with *errors. */
ed_rc_t editorial_check_action(http_request_t *req, ed_action_t a, const char *comment, long long when, json_t **errors);
/* Applies action a to article id (see ed_action_t).  comment: ED_RETURN's comment (required);
 * when: ED_SCHEDULE's time (UTC; cut to the minute; must be in the future).  The state is re-checked
 * inside the transaction, so two publishers racing cannot both act.  ED_OK, ED_NOT_FOUND,
 * ED_FORBIDDEN, ED_BAD_STATE, ED_INVALID (*errors), ED_HAS_TRANSLATIONS or ED_ERROR. */
ed_rc_t editorial_transition(http_request_t *req, const auth_user_t *u, long long id, ed_action_t a,
			     const char *comment, long long when, json_t **errors);
/* The articles u may see that match f, newest change first: a JSON array of
 * {id, title, lang, status, revision, updated_at, published_at, author_id, author_name, category_id,
 *  category_name, group_id, is_translation, outdated, has_comment}; *total gets the number of matches.
 * Editors see only their own articles whatever f says.  NULL on a database error. */
json_t *editorial_list(http_request_t *req, const auth_user_t *u, const ed_filter_t *f, long long *total);

/* ---- revisions ---- */

/* The history of article id, newest first: [{revision, saved_at, saved_by, saved_by_name, status}].
 * An article saved before revisions were kept (the demo content) shows its current text as revision 1.
 * *rc gets ED_OK, ED_NOT_FOUND or ED_ERROR; NULL unless ED_OK. */
json_t *editorial_revisions(http_request_t *req, const auth_user_t *u, long long id, ed_rc_t *rc);
/* One revision of article id.  ED_OK, ED_NOT_FOUND or ED_ERROR. */
ed_rc_t editorial_revision(http_request_t *req, const auth_user_t *u, long long id, long long revision, ed_revision_t *out);
/* Saves the text of an old revision as a new one (audit article.restore).  As editorial_update. */
ed_rc_t editorial_restore(http_request_t *req, const auth_user_t *u, long long id, long long revision,
			  long long expected_revision, long long *new_revision);

/* ---- translations ---- */

/* Creates the lang version of original article id as u's draft (same group, same category and cover,
 * the original's text to translate, source_revision = the original's revision).  ED_OK with *new_id,
 * ED_NOT_FOUND, ED_FORBIDDEN, ED_BAD_STATE (id is itself a translation, or lang is not another
 * language), ED_EXISTS (*new_id = the existing one, when u may view it) or ED_ERROR. */
ed_rc_t editorial_translate(http_request_t *req, const auth_user_t *u, long long id, const char *lang, long long *new_id);
/* The other language versions of a: [{id, lang, title, status, outdated, is_original, viewable}], and the
 * languages still missing in *missing (a JSON array of codes; only for an original).  Never NULL. */
json_t *editorial_translations(http_request_t *req, const auth_user_t *u, const ed_article_t *a, json_t **missing);

/* ---- autosaves: the editor's unsaved form, keyed by user and article (0: a new article) ---- */

/* Stores data (a JSON object of form fields) for u's editor of article id (0 = new), when u may edit it.
 * ED_OK, ED_NOT_FOUND, ED_FORBIDDEN, ED_INVALID (data too large) or ED_ERROR. */
ed_rc_t editorial_autosave_put(http_request_t *req, const auth_user_t *u, long long id, const char *data);
/* u's autosave of article id (arena copy) and its time, or NULL. */
const char *editorial_autosave_get(http_request_t *req, const auth_user_t *u, long long id, long long *saved_at);
void editorial_autosave_drop(http_request_t *req, const auth_user_t *u, long long id);

/* ---- scheduled publishing ---- */

/* Publishes every scheduled article whose time has come (audit article.publish by "system") and
 * invalidates the page cache when any was.  For the server's ticker (every second, and once at
 * start-up so what fell due while the server was down is published).  Returns how many, -1 on error. */
int editorial_publish_due(db_t *db);

/* ---- helpers for forms ---- */

/* Parses a local (UTC+7) "YYYY-MM-DDTHH:MM[:SS]" (optionally ending in "Z" for UTC or "+07:00") into
 * *t (UTC).  0, or -1 when malformed. */
int editorial_parse_time(const char *s, long long *t);
/* t (UTC) as a datetime-local value in Vietnam time, "YYYY-MM-DDTHH:MM" (arena). */
char *editorial_local_time(arena_t *a, long long t);
/* Categories as a depth-first tree for a select: [{id, name, depth, label}], names in lang (falling
 * back to Vietnamese); label is the name indented with "— " per level.  Never NULL. */
json_t *editorial_categories(http_request_t *req, const char *lang);
/* A JSON object of an article for the API (every ed_article_t field). */
json_t *editorial_article_json(const ed_article_t *a);
#endif
