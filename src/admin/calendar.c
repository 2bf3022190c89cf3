/* calendar: the yearly announced schedule (admins, PERM_CALENDAR).  The days off are computed for any
 * year (svc/workday.h); each year the government announces swaps and extra days, which an admin lays over
 * them here as per-date overrides in calendar_days: a day off (with its name) or a working day (a swapped
 * Saturday, or a computed day off the year's schedule moves).
 *
 * A change applies to due dates computed from now on (a dossier received later, a clock that restarts);
 * the due_at of dossiers already received stays what the citizen was promised (docs/ARCHITECTURE.md). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "admin/admin.h"
#include "core/log.h"
#include "db/db.h"
#include "http/server.h"
#include "svc/civil.h"
#include "svc/dossier.h"
#include "svc/workday.h"

static void cal_page(http_request_t *req, http_response_t *res);
static void cal_add(http_request_t *req, http_response_t *res);
static void cal_remove(http_request_t *req, http_response_t *res);

const app_route_t admin_calendar_routes[] = {
	{"GET", "vi en zh", "/admin/calendar", cal_page},
	{"POST", "vi en zh", "/admin/calendar", cal_add},
	{"POST", "vi en zh", "/admin/calendar/remove", cal_remove},
	{NULL, NULL, NULL, NULL},
};

#define CAL_NAME_MAX 120

static const char *cal_url(http_request_t *req, int year)
{
	return arena_printf(req->arena, "%s?year=%d", admin_url(req, "/calendar"), year);
}

static int cal_this_year(void)
{
	int y, m, d;
	civil_date(civil_local_day((long long)time(NULL)), &y, &m, &d);
	return y;
}

static const char *cal_weekday(http_request_t *req, int day)
{
	static const char *const names[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
	return app_t_(req, names[civil_weekday(day)]);
}

static void cal_render(http_request_t *req, http_response_t *res, int year, json_t *errors, const form_t *f, int status)
{
	workday_cal_t cal;
	if (dossier_calendar(req->db, req->arena, &cal) < 0) {
		json_decref(errors);
		app_error(req, res, 500);
		res->cache_ttl = -1;
		return;
	}
	json_t *ctx = admin_ctx(req, arena_printf(req->arena, "%s %d", app_t_(req, "Working-day calendar"), year), "calendar");
	/* the year's days off as the portal counts them, each marked when an override made it */
	workday_off_t off[WORKDAY_YEAR_MAX + 128];
	int n = workday_days_off(&cal, year, off, sizeof(off) / sizeof(off[0]));
	json_t *days = json_array();
	for (int i = 0; i < n; i++) {
		char iso[11];
		civil_format_date(off[i].day, iso);
		int announced = 0;
		for (size_t k = 0; k < cal.nov; k++)
			announced |= cal.ov[k].day == off[i].day && cal.ov[k].off;
		int wd = civil_weekday(off[i].day);
		json_array_append_new(days, json_pack("{s:s, s:s, s:s, s:s, s:b, s:b}", "date", iso, "shown",
						      app_date(req->arena, req->lang, civil_local_time(off[i].day, 12 * 3600), 0),
						      "weekday", cal_weekday(req, off[i].day), "name", off[i].name, "announced",
						      announced, "weekend", wd == 0 || wd == 6));
	}
	/* the overrides of the year, as stored */
	json_t *ovs = json_array();
	db_stmt_t *st = db_prepare(req->db, "SELECT day, off, name FROM calendar_days WHERE day >= ? AND day <= ? ORDER BY day");
	if (st && db_bindf(st, "ss", arena_printf(req->arena, "%04d-01-01", year), arena_printf(req->arena, "%04d-12-31", year)) == 0)
		while (db_step(st) == DB_ROW) {
			int day;
			if (civil_parse_date(db_col_text(st, 0), &day) < 0)
				continue;
			json_array_append_new(ovs, json_pack("{s:s, s:s, s:s, s:b, s:s}", "date", db_col_text(st, 0), "shown",
							     app_date(req->arena, req->lang, civil_local_time(day, 12 * 3600), 0),
							     "weekday", cal_weekday(req, day), "off", (int)db_col_int(st, 1), "name",
							     db_col_text(st, 2)));
		}
	if (st)
		db_done(st);
	json_object_set_new(ctx, "year", json_integer(year));
	json_object_set_new(ctx, "prev_url", json_string(cal_url(req, year - 1)));
	json_object_set_new(ctx, "next_url", json_string(cal_url(req, year + 1)));
	json_object_set_new(ctx, "prev_year", json_integer(year - 1));
	json_object_set_new(ctx, "next_year", json_integer(year + 1));
	json_object_set_new(ctx, "days", days);
	json_object_set_new(ctx, "count", json_integer(n > 0 ? n : 0));
	json_object_set_new(ctx, "overrides", ovs);
	json_object_set_new(ctx, "has_overrides", json_boolean(json_array_size(ovs) > 0));
	json_object_set_new(ctx, "action", json_string(admin_url(req, "/calendar")));
	json_object_set_new(ctx, "remove_url", json_string(admin_url(req, "/calendar/remove")));
	const char *kind = f && form_get(f, "kind") ? form_get(f, "kind") : "off";
	json_object_set_new(ctx, "form", json_pack("{s:s, s:s, s:b, s:b}", "date", f && form_get(f, "date") ? form_get(f, "date") : "",
						   "name", f && form_get(f, "name") ? form_get(f, "name") : "", "off",
						   strcmp(kind, "work") != 0, "work", strcmp(kind, "work") == 0));
	if (errors && json_object_size(errors))
		json_object_set_new(ctx, "errors", errors);
	else
		json_decref(errors);
	admin_render(req, res, "admin/calendar", ctx);
	res->status = status;
}

static void cal_page(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_CALENDAR, 0, NULL))
		return;
	cal_render(req, res, (int)http_query_int(req, "year", LUNAR_YEAR_MIN, LUNAR_YEAR_MAX, cal_this_year()), NULL, NULL, 200);
}

static void cal_add(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_CALENDAR, 0, NULL))
		return;
	form_t *f = admin_form(req, res);
	if (!f)
		return;
	const char *date = form_get(f, "date"), *kind = form_get(f, "kind"), *name = form_get(f, "name");
	int day, y = cal_this_year(), m, d;
	json_t *errors = json_object();
	if (!date || civil_parse_date(date, &day) < 0)
		json_object_set_new(errors, "date", json_string(app_t_(req, "Give a date.")));
	else {
		civil_date(day, &y, &m, &d);
		if (y < LUNAR_YEAR_MIN || y > LUNAR_YEAR_MAX) {
			json_object_set_new(errors, "date", json_string(app_t_(req, "Give a date.")));
			y = cal_this_year();
		}
	}
	int off = kind && strcmp(kind, "work") == 0 ? 0 : 1;
	if (!kind || (strcmp(kind, "off") && strcmp(kind, "work")))
		json_object_set_new(errors, "kind", json_string(app_t_(req, "Choose a day off or a working day.")));
	size_t chars = 0;
	for (const char *p = name ? name : ""; *p; p++)
		chars += ((unsigned char)*p & 0xc0) != 0x80;
	if (chars > CAL_NAME_MAX)
		json_object_set_new(errors, "name", json_string(app_t_(req, "The name is too long.")));
	else if (off && (!name || !*name))
		json_object_set_new(errors, "name", json_string(app_t_(req, "Give the name of the day off.")));
	if (json_object_size(errors)) {
		cal_render(req, res, y, errors, f, 400);
		return;
	}
	json_decref(errors);
	if (db_execf(req->db, "INSERT INTO calendar_days (day, off, name) VALUES (?, ?, ?)"
			      " ON CONFLICT (day) DO UPDATE SET off = excluded.off, name = excluded.name",
		     "sis", date, (long long)off, off ? name : "") < 0) {
		log_msg(LOG_ERR, req->rid, "cannot save a calendar day: %s", db_errmsg(req->db));
		app_error(req, res, 500);
		res->cache_ttl = -1;
		return;
	}
	audit_log(req, NULL, "calendar.set", "calendar", (long long)day,
		  arena_printf(req->arena, "%s %s%s%s", date, off ? "off" : "work", off ? " " : "", off ? name : ""));
	http_cache_invalidate();
	admin_flash(req, res, "The calendar was saved. It applies to due dates computed from now on.");
	http_redirect(res, 303, cal_url(req, y));
}

static void cal_remove(http_request_t *req, http_response_t *res)
{
	if (!admin_require(req, res, PERM_CALENDAR, 0, NULL))
		return;
	form_t *f = admin_form(req, res);
	if (!f)
		return;
	const char *date = form_get(f, "date");
	int day, y, m, d;
	if (!date || civil_parse_date(date, &day) < 0) {
		app_error(req, res, 400);
		res->cache_ttl = -1;
		return;
	}
	civil_date(day, &y, &m, &d);
	long long n = db_execf(req->db, "DELETE FROM calendar_days WHERE day = ?", "s", date);
	if (n < 0) {
		app_error(req, res, 500);
		res->cache_ttl = -1;
		return;
	}
	if (n > 0) {
		audit_log(req, NULL, "calendar.remove", "calendar", (long long)day, date);
		http_cache_invalidate();
		admin_flash(req, res, "The announced day was removed.");
	}
	http_redirect(res, 303, cal_url(req, y));
}
