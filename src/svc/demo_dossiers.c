#include "svc/demo_dossiers.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "svc/civil.h"
#include "svc/dossier.h"
#include "svc/ident.h"
#include "svc/workday.h"

#define DEMO_SEED 0x20250701u
#define DEMO_MAX 5000
#define HOUR 3600LL

/* splitmix64: small, fast and the same on every platform, which rand() is not */
static unsigned long long demo_next(unsigned long long *s)
{
	unsigned long long z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* A number in [0, n). */
static int demo_rand(unsigned long long *s, int n)
{
	return n > 0 ? (int)(demo_next(s) % (unsigned long long)n) : 0;
}

static const char *const demo_family[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Phan"};
static const char *const demo_middle_m[] = {"Văn", "Minh", "Hữu", "Đức", "Quang", "Thành", "Công"};
static const char *const demo_middle_f[] = {"Thị", "Thu", "Ngọc", "Thanh", "Minh", "Kim", "Bảo"};
static const char *const demo_given_m[] = {"An", "Bình", "Dũng", "Hải", "Hùng", "Long", "Nam", "Quân", "Sơn", "Tuấn", "Khoa", "Phúc", "Thắng", "Việt"};
static const char *const demo_given_f[] = {"Chi", "Giang", "Hà", "Hạnh", "Lan", "Mai", "Phương", "Tâm", "Thảo", "Trang", "Vy", "Yến", "Linh", "Nhung"};
static const char *const demo_places[] = {"thôn Đông Hòa, xã An Phú", "tổ 3, phường Bến Cảng", "số 12 đường Lạch Tray, phường Hòa Bình",
					 "thôn Tân Lập, xã Hồng Phong", "số 45 phố Chợ Con, phường Lê Lợi", "xóm Bãi, xã Thanh Sơn",
					 "số 8 ngõ 21 đường Trần Phú, phường Hải An", "thôn Phú Mỹ, xã Tiên Lãng"};
static const int demo_provinces[] = {31, 30, 1, 34, 22, 36};
static const char *const demo_mobile[] = {"090", "091", "093", "094", "096", "097", "098", "032", "033", "035", "037", "039"};
static const char *const demo_supplement[] = {"Bổ sung bản sao giấy khai sinh có chứng thực.", "Bổ sung sơ đồ thửa đất có xác nhận của xã.",
					       "Tờ khai thiếu chữ ký của người đề nghị; đề nghị ký bổ sung.",
					       "Bổ sung giấy ủy quyền có chứng thực."};
#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

typedef struct demo_proc {
	long long id, agency_id;
	int days;
	char *agency_code, *name;
} demo_proc_t;

typedef struct demo_plan {
	long long submitted;
	int proc;
	int channel; /* 0 online, 1 counter, 2 api */
} demo_plan_t;

static int demo_plan_cmp(const void *a, const void *b)
{
	long long x = ((const demo_plan_t *)a)->submitted, y = ((const demo_plan_t *)b)->submitted;
	return x < y ? -1 : x > y;
}

/* The 17:00 of the k-th working day counted from received (with the pause), or -1. */
static long long demo_nth(workday_cal_t *cal, long long received, int k, const workday_pause_t *p, size_t np)
{
	long long due;
	return k >= 1 && workday_due(cal, received, k, p, np, &due) == 0 ? due : -1;
}

typedef struct demo_ev {
	long long at;
	int from, to;
	const char *actor, *note;
} demo_ev_t;

static int demo_insert(db_t *db, unsigned long long *rng, workday_cal_t *cal, const demo_proc_t *pr, const demo_plan_t *pl,
		       long long now)
{
	/* the applicant */
	int female = demo_rand(rng, 2), born = 1950 + demo_rand(rng, 56);
	char name[128], cccd[16], phone[16], dob[16], address[160];
	snprintf(name, sizeof(name), "%s %s %s", demo_family[demo_rand(rng, N(demo_family))],
		 female ? demo_middle_f[demo_rand(rng, N(demo_middle_f))] : demo_middle_m[demo_rand(rng, N(demo_middle_m))],
		 female ? demo_given_f[demo_rand(rng, N(demo_given_f))] : demo_given_m[demo_rand(rng, N(demo_given_m))]);
	snprintf(cccd, sizeof(cccd), "%03d%d%02d%06d", demo_provinces[demo_rand(rng, N(demo_provinces))], (born >= 2000 ? 2 : 0) + female,
		 born % 100, demo_rand(rng, 1000000));
	if (ident_cccd_check(cccd, born, NULL) != IDENT_OK)
		snprintf(cccd, sizeof(cccd), "031%d%02d%06d", (born >= 2000 ? 2 : 0) + female, born % 100, demo_rand(rng, 1000000));
	snprintf(phone, sizeof(phone), "%s%07d", demo_mobile[demo_rand(rng, N(demo_mobile))], demo_rand(rng, 10000000));
	snprintf(dob, sizeof(dob), "%04d-%02d-%02d", born, 1 + demo_rand(rng, 12), 1 + demo_rand(rng, 28));
	snprintf(address, sizeof(address), "%s", demo_places[demo_rand(rng, N(demo_places))]);
	const char *channel = pl->channel == 0 ? "online" : pl->channel == 1 ? "counter" : "api";

	/* the history */
	demo_ev_t ev[10];
	int nev = 0, status = DS_NEW;
	long long t = pl->submitted, received = 0, due = 0, finished = 0, returned = 0, rated_at = 0;
	int rating = 0;
	ev[nev++] = (demo_ev_t){t, 0, DS_NEW, name, ""};
	int day = civil_local_day(t), secs = civil_local_secs(t);
	long long recv;
	if (pl->channel == 1)
		recv = t + 10 * 60 + demo_rand(rng, 30) * 60;
	else if (workday_is_working(cal, day) == 1 && secs < 15 * 3600)
		recv = t + HOUR + demo_rand(rng, 3) * HOUR;
	else
		recv = civil_local_time(workday_next(cal, day), 8 * 3600 + demo_rand(rng, 3 * 3600));
	int roll = demo_rand(rng, 100);
	if (recv > now) {
		/* not received yet */
	} else if (roll < 3) {
		status = DS_REFUSED;
		ev[nev++] = (demo_ev_t){recv, DS_NEW, DS_REFUSED, "Bộ phận Một cửa", "Thủ tục không thuộc thẩm quyền giải quyết của cơ quan; đề nghị nộp tại UBND cấp xã nơi cư trú."};
	} else {
		received = recv;
		status = DS_RECEIVED;
		ev[nev++] = (demo_ev_t){received, DS_NEW, DS_RECEIVED, "Bộ phận Một cửa", ""};
		long long proc_at = received + 30 * 60 + demo_rand(rng, 90) * 60;
		workday_pause_t pause[1];
		size_t np = 0;
		int paused = demo_rand(rng, 100) < 9, open = 0;
		long long pstart = 0, pend = 0;
		if (paused) {
			pstart = civil_local_time(workday_next(cal, civil_local_day(received)), 9 * 3600 + demo_rand(rng, 6 * 3600));
			pend = pstart + (2 + demo_rand(rng, 7)) * 86400LL + demo_rand(rng, 8) * HOUR;
			open = pend > now;
			pause[np++] = (workday_pause_t){pstart, open ? WORKDAY_OPEN : pend};
		}
		if (pr->days <= 0)
			due = received;
		else if (workday_due(cal, received, pr->days, pause, np, &due) != 0)
			due = 0;
		/* what happens: withdrawn 3 %, then early 62 %, on time 25 %, late the rest */
		int fate = demo_rand(rng, 100);
		if (pr->days <= 0)
			finished = received + HOUR + demo_rand(rng, 3) * HOUR;
		else if (fate < 62 && pr->days > 1)
			finished = demo_nth(cal, received, 1 + demo_rand(rng, pr->days - 1), pause, np) - (1 + demo_rand(rng, 7)) * HOUR;
		else if (fate < 87 || pr->days == 1)
			finished = due - (1 + demo_rand(rng, 6)) * HOUR;
		else
			finished = demo_nth(cal, received, pr->days + 1 + demo_rand(rng, 6), pause, np) - (1 + demo_rand(rng, 7)) * HOUR;
		if (paused && finished < pend + 2 * HOUR)
			finished = pend + 2 * HOUR + demo_rand(rng, 20) * HOUR;
		if (finished <= proc_at)
			finished = proc_at + HOUR;
		int withdraw = demo_rand(rng, 100) < 3;
		if (proc_at <= now) {
			status = DS_PROCESSING;
			ev[nev++] = (demo_ev_t){proc_at, DS_RECEIVED, DS_PROCESSING, "Bộ phận Một cửa", ""};
		}
		if (paused && pstart <= now && status == DS_PROCESSING) {
			status = DS_SUPPLEMENT;
			ev[nev++] = (demo_ev_t){pstart, DS_PROCESSING, DS_SUPPLEMENT, "Chuyên viên xử lý", demo_supplement[demo_rand(rng, N(demo_supplement))]};
			if (!open) {
				status = DS_PROCESSING;
				ev[nev++] = (demo_ev_t){pend, DS_SUPPLEMENT, DS_PROCESSING, name, "Đã nộp bổ sung."};
			} else {
				due = 0;
			}
		}
		long long wd = received + (1 + demo_rand(rng, 5)) * 86400LL;
		if (withdraw && wd <= now && wd < finished && wd > ev[nev - 1].at && status == DS_PROCESSING) {
			ev[nev++] = (demo_ev_t){wd, status, DS_WITHDRAWN, name, "Người nộp rút hồ sơ để bổ sung giấy tờ."};
			status = DS_WITHDRAWN;
			finished = 0;
		} else if (status == DS_PROCESSING && finished <= now) {
			status = DS_DONE;
			ev[nev++] = (demo_ev_t){finished, DS_PROCESSING, DS_DONE, "Chuyên viên xử lý", ""};
			long long ret = finished + demo_rand(rng, 3) * 86400LL + HOUR;
			if (ret <= now) {
				status = DS_RETURNED;
				returned = ret;
				ev[nev++] = (demo_ev_t){returned, DS_DONE, DS_RETURNED, "Bộ phận Một cửa", ""};
				long long ra = returned + HOUR + demo_rand(rng, 72) * HOUR;
				if (demo_rand(rng, 100) < 45 && ra <= now) {
					int r = demo_rand(rng, 100);
					rating = r < 62 ? 3 : r < 92 ? 2 : 1;
					rated_at = ra;
				}
			}
		} else {
			finished = 0;
		}
	}

	/* the code, from the agency's daily sequence as dossier_submit takes it */
	int y, m, d;
	civil_date(civil_local_day(pl->submitted), &y, &m, &d);
	char yymmdd[8];
	snprintf(yymmdd, sizeof(yymmdd), "%02d%02d%02d", y % 100, m, d);
	if (db_execf(db, "INSERT INTO dossier_seq (agency_id, day, n) VALUES (?, ?, 1)"
			 " ON CONFLICT (agency_id, day) DO UPDATE SET n = dossier_seq.n + 1", "is", pr->agency_id, yymmdd) < 0)
		return -1;
	ident_dossier_t c = {.y = y, .m = m, .d = d};
	snprintf(c.agency, sizeof(c.agency), "%s", pr->agency_code);
	c.seq = (int)db_int(db, "SELECT n FROM dossier_seq WHERE agency_id = ? AND day = ?", "is", 0, pr->agency_id, yymmdd);
	char code[IDENT_DOSSIER_MAX], idem[IDENT_DOSSIER_MAX + 8], token_hash[65], request[600];
	if (ident_dossier_format(&c, code) != IDENT_OK)
		return 0; /* an agency code the format refuses: skip the dossier */
	/* no citizen's link works for a demo dossier: the hash is of nothing anyone holds */
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)code, strlen(code));
	sodium_bin2hex(token_hash, sizeof(token_hash), h, sizeof(h));
	snprintf(idem, sizeof(idem), "demo-%s", code);
	snprintf(request, sizeof(request), "Đề nghị giải quyết: %s.", pr->name);
	long long updated = ev[nev - 1].at > rated_at ? ev[nev - 1].at : rated_at;
	if (db_execf(db, "INSERT INTO dossiers (code, procedure_id, agency_id, status, channel, lang, applicant_name, applicant_id,"
			 " applicant_dob, applicant_address, applicant_phone, applicant_email, request, submitted_at, received_at, due_at,"
			 " finished_at, returned_at, token_hash, idem_key, rating, rated_at, updated_at)"
			 " VALUES (?, ?, ?, ?, ?, 'vi', ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		     "siiisssssssizzzzsszzi", code, pr->id, pr->agency_id, (long long)status, channel, name, cccd, dob, address, phone,
		     request, pl->submitted, received, due, finished, returned, token_hash, idem, (long long)rating, rated_at, updated) < 0)
		return -1;
	long long id = db_last_id(db);
	for (int i = 0; i < nev; i++)
		if (db_execf(db, "INSERT INTO dossier_events (dossier_id, at, user_id, actor, from_status, to_status, kind, note)"
				 " VALUES (?, ?, NULL, ?, ?, ?, 'transition', ?)", "iisiis", id, ev[i].at, ev[i].actor, (long long)ev[i].from,
			     (long long)ev[i].to, ev[i].note) < 0)
			return -1;
	return 1;
}

int demo_dossiers_load(db_t *db, long long now, int n, char **err)
{
	*err = NULL;
	if (n <= 0 || n > DEMO_MAX || db_int(db, "SELECT count(*) FROM dossiers", "", 1) > 0)
		return 0;
	arena_t a;
	arena_init(&a, 64 << 20);
	int rc = -1, added = 0, np = (int)db_int(db, "SELECT count(*) FROM procedures WHERE published = 1", "", 0);
	demo_proc_t *procs = np > 0 ? arena_alloc(&a, sizeof(*procs) * (size_t)np) : NULL;
	demo_plan_t *plan = arena_alloc(&a, sizeof(*plan) * (size_t)n);
	workday_cal_t cal;
	if (np <= 0) {
		rc = 0;
		goto out;
	}
	if (!procs || !plan || dossier_calendar(db, &a, &cal) < 0)
		goto fail;
	db_stmt_t *st = db_prepare(db, "SELECT p.id, p.agency_id, p.days, a.code, COALESCE(i.name, p.code) FROM procedures p"
				       " JOIN agencies a ON a.id = p.agency_id"
				       " LEFT JOIN procedure_i18n i ON i.procedure_id = p.id AND i.lang = 'vi'"
				       " WHERE p.published = 1 ORDER BY p.id");
	if (!st)
		goto fail;
	int k = 0;
	while (k < np && db_step(st) == DB_ROW) {
		procs[k] = (demo_proc_t){db_col_int(st, 0), db_col_int(st, 1), (int)db_col_int(st, 2), arena_strdup(&a, db_col_text(st, 3)),
					 arena_strdup(&a, db_col_text(st, 4))};
		k++;
	}
	db_done(st);
	np = k;
	if (np == 0) {
		rc = 0;
		goto out;
	}

	unsigned long long rng = DEMO_SEED;
	int today = civil_local_day(now);
	for (int i = 0; i < n; i++) {
		demo_plan_t *pl = &plan[i];
		/* a few procedures get most of the dossiers, as in life */
		pl->proc = demo_rand(&rng, 3) == 0 ? demo_rand(&rng, np < 5 ? np : 5) : demo_rand(&rng, np);
		int r = demo_rand(&rng, 100);
		pl->channel = r < 58 ? 0 : r < 95 ? 1 : 2;
		int day = today - 1 - demo_rand(&rng, 365);
		if (pl->channel == 1) { /* the counter is open on working days, 7:30 to 16:30 */
			if (day < today - 350) /* room to step back over Tết and stay within the year */
				day += 15;
			for (int guard = 0; workday_is_working(&cal, day) == 0 && guard < 14; guard++)
				day--;
			pl->submitted = civil_local_time(day, 7 * 3600 + 1800 + demo_rand(&rng, 9 * 3600));
		} else {
			pl->submitted = civil_local_time(day, 6 * 3600 + demo_rand(&rng, 17 * 3600));
		}
	}
	qsort(plan, (size_t)n, sizeof(*plan), demo_plan_cmp);
	if (db_begin(db) < 0)
		goto fail;
	for (int i = 0; i < n; i++) {
		int one = demo_insert(db, &rng, &cal, &procs[plan[i].proc], &plan[i], now);
		if (one < 0) {
			db_rollback(db);
			goto fail;
		}
		added += one;
	}
	if (db_commit(db) < 0) {
		db_rollback(db);
		goto fail;
	}
	rc = added;
	goto out;
fail:
	if (asprintf(err, "cannot add the demo dossiers: %s", db_errmsg(db)) < 0)
		*err = NULL;
out:
	arena_release(&a);
	return rc;
}
