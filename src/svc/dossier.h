/* dossier: the store of the one-stop shop (một cửa).  The only code that creates or changes a dossier:
 * the citizen's pages, the officers' pages and the JSON API all call it, so the rules live in one place:
 *   - codes <agency code>-<YYMMDD>-<NNNN> from a per-agency daily sequence taken under the write lock
 *     (no duplicate under concurrent submissions, on either database);
 *   - submission: every file written, fsynced and renamed under FILES/dossiers/ before the one
 *     transaction that inserts the dossier, its files and its first event commits; an idempotency key
 *     makes a retried submit return the first dossier;
 *   - the state machine (DOMAIN.md's ten states) as one table: who may move a dossier from which state
 *     to which, and whether a note is required; every move is an event on the control sheet;
 *   - due dates: received time + the procedure's working days on the calendar (svc/workday.h with the
 *     announced days of calendar_days), the clock stopped while the dossier waits for the citizen
 *     (states 5 and 6 after reception). */
#ifndef SVC_DOSSIER_H
#define SVC_DOSSIER_H
#include <stddef.h>

#include "core/arena.h"
#include "db/db.h"
#include "svc/ident.h"
#include "svc/workday.h"

enum dossier_status {
	DS_NEW = 1,        /* Mới đăng ký */
	DS_RECEIVED,       /* Được tiếp nhận: the clock runs */
	DS_REFUSED,        /* Không được tiếp nhận (final) */
	DS_PROCESSING,     /* Đang xử lý */
	DS_SUPPLEMENT,     /* Yêu cầu bổ sung: waits for the citizen */
	DS_FINANCIAL,      /* Yêu cầu nghĩa vụ tài chính: waits for the citizen */
	DS_WITHDRAWN,      /* Rút hồ sơ (final) */
	DS_STOPPED,        /* Dừng xử lý (final) */
	DS_DONE,           /* Đã xử lý xong */
	DS_RETURNED,       /* Đã trả kết quả (final) */
	DS__MAX = DS_RETURNED
};

/* The Vietnamese name of a status (also the msgid to translate it), and a stable key for CSS classes
 * and the API ("new", "received", "refused", "processing", "supplement", "financial", "withdrawn",
 * "stopped", "done", "returned").  "?" for a number out of range. */
const char *dossier_status_name(int status);
const char *dossier_status_key(int status);
/* The status of a key, 0 when unknown. */
int dossier_status_from_key(const char *key);

typedef enum { DA_OFFICER = 1, DA_CITIZEN = 2 } dossier_actor_t;

typedef struct dossier_move {
	int from, to;
	dossier_actor_t actor;
	int note_required; /* a refusal, a request, a stop must say why */
	const char *action; /* "receive", "refuse", "process", "supplement", "financial", "resume", "stop",
			      "complete", "return", "withdraw", "supplied" */
	const char *label;  /* the button's text (msgid) */
} dossier_move_t;

/* The moves actor may make from status, in the order buttons show them; *n gets the count. */
const dossier_move_t *dossier_moves(int from, dossier_actor_t actor, int *n);
/* The move from → to by actor, or NULL when the table has none. */
const dossier_move_t *dossier_move_find(int from, int to, dossier_actor_t actor);
/* The move called action from status from by actor, or NULL. */
const dossier_move_t *dossier_move_by_action(int from, const char *action, dossier_actor_t actor);

/* ---- the calendar ---- */
/* Fills cal with the announced days of calendar_days (allocated from a, which must outlive cal).  0/-1. */
int dossier_calendar(db_t *db, arena_t *a, workday_cal_t *cal);

/* ---- submission ---- */
#define DOSSIER_MAX_FILE (10 << 20) /* one document: 10 MiB */
#define DOSSIER_MAX_FILES 20

typedef struct dossier_file_in {
	long long doc_id;      /* procedure_docs.id; 0 for an officer's file */
	const char *filename;  /* as uploaded (shown to staff, offered on download) */
	const void *data;
	size_t len;
} dossier_file_in_t;

struct dossier_receipt;

typedef struct dossier_new {
	long long procedure_id;
	const char *lang, *channel;          /* "vi"…; "online", "counter" or "api" */
	const char *name, *cccd, *dob, *address, *phone, *email, *request; /* checked by the caller */
	const char *idem_key;                /* 16–64 chars the form or client chose */
	const dossier_file_in_t *files;
	int nfiles;
	/* Optional: called inside the submission's transaction once the rows are in, before the commit (the
	 * citizen side queues the receipt email there, so the mail exists exactly when the dossier does).
	 * Non-zero rolls the submission back (a storage error).  Not called for an idempotent repeat. */
	int (*in_txn)(db_t *db, const struct dossier_receipt *r, void *arg);
	void *in_txn_arg;
} dossier_new_t;

typedef struct dossier_receipt {
	long long id;
	char code[IDENT_DOSSIER_MAX];
	int existed; /* the idempotency key had made this dossier already: nothing new was stored */
} dossier_receipt_t;

/* The MIME type of a document by its content (PDF, JPEG, PNG), or NULL for anything else. */
const char *dossier_sniff(const void *data, size_t len);

/* Stores a new dossier (files under files_dir/dossiers/), received now.  0 with *out set; 1 when the
 * input is refused, with *why a msgid (unknown procedure, a file of a bad type or size, a document slot
 * of another procedure, a missing required document); -1 on a storage error (*why a msgid too). */
int dossier_submit(db_t *db, const char *files_dir, const dossier_new_t *in, long long now, dossier_receipt_t *out,
		   const char **why);

/* The citizen's secret of a dossier (the link on the receipt and in the email: supplements, withdrawal,
 * rating): a MAC of the code under the site's secret, 32 hex digits, so a retried submit can show it again
 * without it being stored.  0, or -1 when the site has no secret. */
int dossier_token(db_t *db, const char *code, char out[33]);
/* 1 when token is the secret of code (constant time). */
int dossier_token_ok(db_t *db, const char *code, const char *token);

/* ---- processing ---- */
/* Moves dossier id to status to, by actor (user_id 0 and actor_name "" for the citizen), with note,
 * at now; sets the times (received, finished, returned), recomputes the due date when the clock starts,
 * stops or restarts (other moves keep it), records the event.
 * expect_from > 0 refuses the move when the dossier is no longer in that state (two officers at once).
 * 0 done; 1 refused with *why a msgid; -1 database error. */
int dossier_move(db_t *db, long long id, int expect_from, int to, dossier_actor_t actor, long long user_id,
		 const char *actor_name, const char *note, long long now, const char **why);
/* The apology (phiếu xin lỗi và hẹn lại): once per dossier, while it is received or in processing, a new
 * promised date later than the current one.  0, 1 refused (*why), -1 error. */
int dossier_apologize(db_t *db, long long id, long long user_id, const char *actor_name, long long new_due,
		      const char *note, long long now, const char **why);
/* Adds files from the citizen to a dossier that waits for a supplement and moves it on (5 → where it was
 * before the request).  0, 1 refused (*why), -1 error. */
int dossier_supplement(db_t *db, const char *files_dir, long long id, const dossier_file_in_t *files, int nfiles,
		       const char *note, long long now, const char **why);
/* The citizen's rating of a finished dossier (3 Rất hài lòng, 2 Hài lòng, 1 Chưa hài lòng), once.
 * 0, 1 refused (*why), -1 error. */
int dossier_rate(db_t *db, long long id, int rating, const char *comment, long long now, const char **why);

/* 1 when officer user_id is bound to agency_id. */
int dossier_officer_may(db_t *db, long long user_id, long long agency_id);

/* ---- timeliness ---- */
enum { DT_NONE = 0, DT_EARLY, DT_ON_TIME, DT_LATE, DT_IN_TIME, DT_OVERDUE, DT_PAUSED };
/* A dossier's timeliness: for a finished one (done_at > 0) early / on time / late against due (the
 * statutory date); for one in progress in time / overdue at now; paused while it waits for the citizen
 * (due 0); none before reception or after a refusal or withdrawal. */
int dossier_timeliness(int status, long long due, long long done_at, long long now);
#endif
