/* Follow-up lists: valves reaching the end of their service life, supply suspensions,
 * and households still not compliant after their deadline. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "report/report.h"

static const char sql_valves[] =
	"SELECT h.account, h.subdistrict, h.compound, h.building, h.unit, h.room, x.product, "
	"x.serial, v.at_epoch FROM visit_install x "
	"CROSS JOIN visit v ON v.device = x.device AND v.seq = x.seq "
	"JOIN household h ON h.account = v.account "
	"WHERE x.item = 'valve' AND +v.at_epoch <= ?1 AND NOT " VISIT_VOIDED("v")
	" ORDER BY h.account, v.at_epoch, x.n";

static const char sql_suspensions[] =
	"SELECT s.account, h.name, h.subdistrict, COALESCE(h.sector, ''), s.stopped_at, "
	"s.cleared_at, s.restored_at, COALESCE(x.name_zh, h.sector, ''), "
	"COALESCE(x.name_en, h.sector, '') FROM suspension s JOIN household h ON h.account = s.account "
	"LEFT JOIN sector x ON x.code = h.sector "
	"WHERE h.category = 'non_residential' AND s.stopped_at <= ?1 "
	"ORDER BY s.stopped_at, s.account";

/* ---- valves ---- */

struct valve {
	char account[HH_ACCOUNT_MAX + 1];
	char address[4 * HH_PLACE_MAX];
	char product[PRODUCT_MAX + 1], serial[SERIAL_MAX + 1];
	int sub, installed, end;
};

struct valves {
	struct valve *v;
	size_t n, cap;
};

static void valve_from(const struct rctx *c, sqlite3_stmt *st, struct valve *v,
		       int life_months)
{
	struct household h = {0}; /* only the address fields are set */

	gw_strlcpy(h.compound, ledger_text(st, 2), sizeof h.compound);
	gw_strlcpy(h.building, ledger_text(st, 3), sizeof h.building);
	gw_strlcpy(h.unit, ledger_text(st, 4), sizeof h.unit);
	gw_strlcpy(h.room, ledger_text(st, 5), sizeof h.room);
	rlabel_address(&h, v->address, sizeof v->address);
	gw_strlcpy(v->account, ledger_text(st, 0), sizeof v->account);
	v->sub = rctx_sub(c, ledger_text(st, 1));
	gw_strlcpy(v->product, ledger_text(st, 6), sizeof v->product);
	gw_strlcpy(v->serial, ledger_text(st, 7), sizeof v->serial);
	v->installed = rday_of(sqlite3_column_int64(st, 8));
	v->end = rday_add_months(v->installed, life_months);
}

static void keep_valve(struct valves *out, const struct valve *v, int until)
{
	if (v->end > until)
		return;
	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 64;
		out->v = xrealloc(out->v, out->cap * sizeof *out->v);
	}
	out->v[out->n++] = *v;
}

/* Keeps the newest valve of each household (rows come by account, oldest first) when
 * its life ends by `until`. */
static int read_valves(struct rctx *c, struct valves *out, int life_months, int until)
{
	sqlite3_stmt *st = ledger_stmt(c->l, sql_valves);
	struct valve cur;
	int rc;

	if (!st)
		return -1;
	cur.account[0] = '\0';
	sqlite3_bind_int64(st, 1, c->as_of);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cur.account[0] && strcmp(cur.account, ledger_text(st, 0)) != 0)
			keep_valve(out, &cur, until);
		valve_from(c, st, &cur, life_months);
	}
	sqlite3_reset(st);
	if (cur.account[0])
		keep_valve(out, &cur, until);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(c->l, "read installs");
}

static int cmp_valve(const void *pa, const void *pb)
{
	const struct valve *a = pa, *b = pb;

	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	return strcmp(a->account, b->account);
}

static void valve_row(struct rctx *c, struct rtable *t, const struct valve *v)
{
	char buf[400];

	rtable_row(t);
	rtable_text(t, c->subs[v->sub].name);
	rtable_text(t, v->account);
	rtable_text(t, v->address);
	rtable_text(t, v->product);
	rtable_text(t, v->serial);
	rday_format(v->installed, buf, sizeof buf);
	rtable_text(t, buf);
	rday_format(v->end, buf, sizeof buf);
	rtable_text(t, buf);
	rtable_int(t, v->end - c->as_of_day);
}

static void valve_table(struct rctx *c, struct report *r, const struct valves *vs, double years)
{
	struct rtable *t = report_add_table(r, _("Self-closing valves due for replacement"));
	int until = rday_add_months(c->as_of_day, c->months);
	char note[300], day[16];

	rday_format(until, day, sizeof day);
	snprintf(note, sizeof note,
		 _("service life %.4g years from the install date; listed when it ends by %s "
		   "(%d months); negative days: already past"),
		 years, day, c->months);
	rtable_note(t, note);
	static const struct rcol cols[] = {
		{N_("subdistrict"), RT_TEXT},
		{N_("account"), RT_ID},
		{N_("address"), RT_TEXT},
		{N_("product"), RT_TEXT},
		{N_("serial"), RT_ID},
		{N_("installed"), RT_TEXT},
		{N_("end of life"), RT_TEXT},
		{N_("days left"), RT_INT},
	};

	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
	for (size_t i = 0; i < vs->n; i++)
		valve_row(c, t, &vs->v[i]);
}

struct report *report_valves(struct rctx *c)
{
	double years = rctx_number(c, "valve_service_life_years", 10);
	struct valves vs = {NULL, 0, 0};
	struct report *r = NULL;
	int until = rday_add_months(c->as_of_day, c->months);
	char sub[200];

	if (read_valves(c, &vs, (int)lround(years * 12), until) == 0) {
		if (vs.n)
			qsort(vs.v, vs.n, sizeof *vs.v, cmp_valve);
		rsubtitle(c, sub, sizeof sub);
		r = report_new(_("Self-closing valves reaching the end of their service life"),
			       sub);
		valve_table(c, r, &vs, years);
	}
	free(vs.v);
	return r;
}

/* ---- suspensions ---- */

static void time_cell(struct rtable *t, int64_t at)
{
	char buf[32];

	if (!at) {
		rtable_null(t);
		return;
	}
	rtime_format(at, buf, sizeof buf);
	rtable_text(t, buf);
}

/* A time stored for the suspension, unless it is after the report's moment. */
static int64_t time_col(sqlite3_stmt *st, int i, int64_t as_of)
{
	int64_t at = sqlite3_column_type(st, i) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, i);

	return at > as_of ? 0 : at;
}

static void suspension_row(struct rctx *c, struct rtable *t, sqlite3_stmt *st, int64_t limit,
			   int64_t *flagged)
{
	int64_t now = gw_now() < c->as_of ? gw_now() : c->as_of;
	int64_t stopped = sqlite3_column_int64(st, 4), cleared = time_col(st, 5, c->as_of);
	int64_t restored = time_col(st, 6, c->as_of), waited = 0;
	const char *flag = "";

	if (cleared) {
		waited = (restored ? restored : now) - cleared;
		if (waited > limit)
			flag = restored ? _("restored late") : _("not restored in time");
	} else if (!restored) {
		flag = _("hazard still open"); /* P: the stop's hazard is not cleared yet */
	}
	*flagged += *flag != 0;
	rtable_row(t);
	rtable_text(t, c->subs[rctx_sub(c, ledger_text(st, 2))].name);
	rtable_text(t, ledger_text(st, 0));
	rtable_text(t, ledger_text(st, 1));
	rtable_text(t, ledger_text(st, i18n_is_zh() ? 7 : 8)); /* the sector's name */
	time_cell(t, stopped);
	time_cell(t, cleared);
	time_cell(t, restored);
	if (cleared)
		rtable_int(t, waited < 0 ? 0 : waited / 3600);
	else
		rtable_null(t);
	rtable_text(t, flag);
}

static struct rtable *suspension_table(struct report *r, double hours)
{
	struct rtable *t = report_add_table(r, _("Non-residential users whose supply was stopped"));
	char note[300];

	snprintf(note, sizeof note,
		 _("supply must be restored within %.4g hours after the hazard is cleared"), hours);
	rtable_note(t, note);
	static const struct rcol cols[] = {
		{N_("subdistrict"), RT_TEXT},
		{N_("account"), RT_ID},
		{N_("name"), RT_TEXT},
		{N_("sector"), RT_TEXT},
		{N_("stopped"), RT_TEXT},
		{N_("hazard cleared"), RT_TEXT},
		{N_("restored"), RT_TEXT},
		{N_("hours cleared to restored"), RT_INT},
		{N_("flag"), RT_TEXT},
	};

	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
	return t;
}

struct report *report_suspensions(struct rctx *c)
{
	double hours = rctx_number(c, "restore_supply_hours", 24);
	sqlite3_stmt *st = ledger_stmt(c->l, sql_suspensions);
	int64_t flagged = 0;
	struct report *r;
	struct rtable *t;
	char sub[200];
	int rc;

	if (!st)
		return NULL;
	rsubtitle(c, sub, sizeof sub);
	r = report_new(_("Supply suspensions"), sub);
	t = suspension_table(r, hours);
	sqlite3_bind_int64(st, 1, c->as_of);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		suspension_row(c, t, st, (int64_t)(hours * 3600), &flagged);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		report_free(r);
		ledger_db_fail(c->l, "read suspensions");
		return NULL;
	}
	return r;
}

/* ---- overdue ---- */

struct late {
	struct rctx *c;
	int deadline[CAT__N], have[CAT__N];
	char day[CAT__N][16]; /* the deadlines as text */
	struct rtable *t;
};

static int late_row(void *ctx, const struct rhouse *hh)
{
	struct late *x = ctx;
	int cat = (int)hh->h.category;
	char buf[400];

	if (hh->state == ST_COMPLIANT || !x->have[cat] || x->c->as_of_day <= x->deadline[cat])
		return 0;
	rtable_row(x->t);
	rtable_text(x->t, x->c->subs[hh->sub].name);
	rtable_text(x->t, hh->h.account);
	rtable_text(x->t, rlabel_category(hh->h.category));
	rtable_text(x->t, hh->h.name);
	rtable_id(x->t, hh->h.phone);
	rlabel_address(&hh->h, buf, sizeof buf);
	rtable_text(x->t, buf);
	rtable_text(x->t, rlabel_state(hh->state));
	rlabel_missing(hh->missing, buf, sizeof buf);
	rtable_text(x->t, buf);
	rtable_text(x->t, x->day[cat]);
	rtable_int(x->t, x->c->as_of_day - x->deadline[cat]);
	return 0;
}

static void late_columns(struct rtable *t)
{
	static const struct rcol cols[] = {
		{N_("subdistrict"), RT_TEXT},
		{N_("account"), RT_ID},
		{N_("category"), RT_TEXT},
		{N_("name"), RT_TEXT},
		{N_("phone"), RT_ID},
		{N_("address"), RT_TEXT},
		{N_("state"), RT_TEXT},
		{N_("missing"), RT_TEXT},
		{N_("deadline"), RT_TEXT},
		{N_("days overdue"), RT_INT},
	};

	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
}

struct report *report_overdue(struct rctx *c)
{
	struct late x;
	struct report *r;
	char sub[200];

	memset(&x, 0, sizeof x);
	x.c = c;
	for (int k = 0; k < CAT__N; k++) {
		x.have[k] =
			rctx_setting_day(c, rules_deadline_key((enum category)k), &x.deadline[k]);
		rday_format(x.deadline[k], x.day[k], sizeof x.day[k]);
	}
	rsubtitle(c, sub, sizeof sub);
	r = report_new(_("Households not compliant after their deadline"), sub);
	x.t = report_add_table(r, _("Overdue households"));
	late_columns(x.t);
	if (rstate_each(c, -1, late_row, &x)) {
		report_free(r);
		return NULL;
	}
	return r;
}
