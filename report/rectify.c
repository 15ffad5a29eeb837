/* Rectification orders (整改): by subdistrict and grade, the open and overdue ones, and
 * the self-check failures with the state of the orders they opened. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "core/settings.h"
#include "core/util.h"
#include "report/report.h"

static const char sql_orders[] =
	"SELECT r.account, h.subdistrict, h.compound, h.building, h.unit, h.room, r.code, r.grade, "
	"r.opened_at, r.cleared_at, COALESCE(v.actor, ''), COALESCE(z.name_zh, r.code), "
	"COALESCE(z.name_en, r.code) FROM rectification r "
	"JOIN household h ON h.account = r.account "
	"LEFT JOIN visit v ON v.device = r.device AND v.seq = r.seq "
	"LEFT JOIN hazard_item z ON z.code = r.code WHERE r.opened_at <= ?1 "
	"ORDER BY r.account, r.code, r.opened_at"; /* the table's own order: no sorting */

#define GRADES 3

/* An order; its strings are offsets into the orders' arena (a few bytes per open order
 * instead of fixed-size fields: the list can hold tens of thousands). */
struct order {
	uint32_t account, address, code, hazard, actor;
	int sub, grade;
	int64_t opened, cleared, deadline; /* cleared 0: open as of the report; deadline 0: none */
};

struct tally {
	int64_t orders, open, overdue, closed, late, close_secs;
};

struct orders {
	struct rctx *c;
	int64_t days[GRADES]; /* seconds each grade allows; 0: never overdue */
	struct order *o;      /* the open ones, for the list */
	size_t n, cap;
	char *arena;          /* their strings, NUL-terminated */
	size_t alen, acap;
	struct tally *t;      /* nsubs * GRADES */
};

/* ---- reading ---- */

static uint32_t arena_put(struct orders *x, const char *s)
{
	size_t n = strlen(s) + 1, at = x->alen;

	if (x->alen + n > x->acap) {
		x->acap = x->acap ? 2 * x->acap : 65536;
		while (x->alen + n > x->acap)
			x->acap *= 2;
		x->arena = xrealloc(x->arena, x->acap);
	}
	memcpy(x->arena + at, s, n);
	x->alen += n;
	return (uint32_t)at;
}

static const char *str(const struct orders *x, uint32_t at) { return x->arena + at; }

static void order_from(struct orders *x, sqlite3_stmt *st, struct order *o)
{
	int64_t as_of = x->c->as_of;

	o->sub = rctx_sub(x->c, ledger_text(st, 1));
	o->grade = sqlite3_column_int(st, 7);
	if (o->grade < 1 || o->grade > GRADES)
		o->grade = GRADES;
	o->opened = sqlite3_column_int64(st, 8);
	o->cleared = sqlite3_column_type(st, 9) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, 9);
	if (o->cleared > as_of)
		o->cleared = 0; /* cleared after the report's moment: open then */
	o->deadline = x->days[o->grade - 1] ? o->opened + x->days[o->grade - 1] : 0;
}

/* The strings of an order kept for the list. */
static void order_keep(struct orders *x, sqlite3_stmt *st, struct order *o)
{
	struct household h = {0}; /* only the address fields are set */
	char address[4 * HH_PLACE_MAX];

	gw_strlcpy(h.compound, ledger_text(st, 2), sizeof h.compound);
	gw_strlcpy(h.building, ledger_text(st, 3), sizeof h.building);
	gw_strlcpy(h.unit, ledger_text(st, 4), sizeof h.unit);
	gw_strlcpy(h.room, ledger_text(st, 5), sizeof h.room);
	rlabel_address(&h, address, sizeof address);
	o->account = arena_put(x, ledger_text(st, 0));
	o->address = arena_put(x, address);
	o->code = arena_put(x, ledger_text(st, 6));
	o->hazard = arena_put(x, ledger_text(st, i18n_is_zh() ? 11 : 12));
	o->actor = arena_put(x, ledger_text(st, 10));
}

/* Counts the order; 1 when it is open and goes on the list. */
static int count(struct orders *x, const struct order *o)
{
	struct tally *t = &x->t[o->sub * GRADES + o->grade - 1];

	t->orders++;
	if (o->cleared) {
		t->closed++;
		t->close_secs += o->cleared - o->opened;
		t->late += o->deadline && o->cleared > o->deadline;
		return 0;
	}
	t->open++;
	t->overdue += o->deadline && x->c->as_of > o->deadline;
	return 1;
}

static int read_orders(struct orders *x)
{
	sqlite3_stmt *st = ledger_stmt(x->c->l, sql_orders);
	struct order o;
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, x->c->as_of);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		order_from(x, st, &o);
		if (!count(x, &o))
			continue;
		order_keep(x, st, &o);
		if (x->n == x->cap) {
			x->cap = x->cap ? 2 * x->cap : 256;
			x->o = xrealloc(x->o, x->cap * sizeof *x->o);
		}
		x->o[x->n++] = o;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(x->c->l, "read rectifications");
}

/* ---- table 1: by subdistrict and grade ---- */

static void tally_add(struct tally *sum, const struct tally *t)
{
	sum->orders += t->orders;
	sum->open += t->open;
	sum->overdue += t->overdue;
	sum->closed += t->closed;
	sum->late += t->late;
	sum->close_secs += t->close_secs;
}

static void tally_row(struct rtable *t, const char *sub, const char *grade, const struct tally *y)
{
	rtable_row(t);
	rtable_text(t, sub);
	rtable_text(t, grade);
	rtable_int(t, y->orders);
	rtable_int(t, y->open);
	rtable_int(t, y->overdue);
	rtable_int(t, y->closed);
	rtable_int(t, y->late);
	if (y->closed)
		rtable_int(t, rround_div(y->close_secs, y->closed * 3600));
	else
		rtable_null(t);
}

static const char *grade_label(int g)
{
	static const char *const labels[] = {N_("grade 1"), N_("grade 2"), N_("grade 3 (advice)")};

	return _(labels[g]);
}

static void grade_table(struct orders *x, struct report *r)
{
	struct rtable *t = report_add_table(r, _("Rectification orders by subdistrict and grade"));
	struct tally all = {0};
	char note[400];
	static const struct rcol cols[] = {
		{N_("subdistrict"), RT_TEXT}, {N_("grade"), RT_TEXT},
		{N_("orders"), RT_INT},       {N_("open"), RT_INT},
		{N_("overdue"), RT_INT},      {N_("closed"), RT_INT},
		{N_("closed late"), RT_INT},  {N_("average hours to close"), RT_INT},
	};

	snprintf(note, sizeof note,
		 _("deadline: grade 1 within %lld day(s), grade 2 within %lld days of the visit "
		   "that found the hazard; grade 3 is advice, never overdue"),
		 (long long)(x->days[0] / 86400), (long long)(x->days[1] / 86400));
	rtable_note(t, note);
	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
	for (int s = 0; s < x->c->nsubs; s++) {
		struct tally sub = {0};
		for (int g = 0; g < GRADES; g++) {
			const struct tally *y = &x->t[s * GRADES + g];
			if (!y->orders)
				continue;
			tally_row(t, x->c->subs[s].name, grade_label(g), y);
			tally_add(&sub, y);
		}
		if (!sub.orders)
			continue;
		tally_row(t, x->c->subs[s].name, _("all"), &sub);
		rtable_row_flags(t, RROW_NOCHART);
		tally_add(&all, &sub);
	}
	tally_row(t, _("district total"), _("all"), &all);
	rtable_row_flags(t, RROW_NOCHART | RROW_TOTAL);
}

/* ---- table 2: the open orders ---- */

/* The list's order as one number per order: subdistrict, then deadline (none last);
 * equal keys in the order read, which is by account and hazard code (sql_orders). */
struct sortkey {
	uint64_t key;
	size_t i;
};

static int cmp_key(const void *pa, const void *pb)
{
	const struct sortkey *a = pa, *b = pb;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

static struct sortkey *sort_keys(const struct orders *x)
{
	struct sortkey *k = xmalloc((x->n ? x->n : 1) * sizeof *k);

	for (size_t i = 0; i < x->n; i++) {
		const struct order *o = &x->o[i];
		/* deadlines are seconds since 1970 (< 2^40 for 30,000 years); none sorts last */
		uint64_t dl = o->deadline > 0 && o->deadline < ((int64_t)1 << 40)
				      ? (uint64_t)o->deadline
				      : ((uint64_t)1 << 40) - 1;
		k[i] = (struct sortkey){((uint64_t)o->sub << 40) | dl, i};
	}
	if (x->n)
		qsort(k, x->n, sizeof *k, cmp_key);
	return k;
}

/* Days since 1970-01-01 of a civil date (the algorithm rday_of uses). */
static int civil_days(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

/* "YYYY-MM-DD HH:MM" in local time, as rtime_format writes it, without printf (the list
 * can hold tens of thousands of orders); returns the local day number. */
int rminute_text(int64_t at, char out[17])
{
	time_t t = (time_t)at;
	struct tm tm;
	int y;

	localtime_r(&t, &tm);
	y = tm.tm_year + 1900;
	put2(out, y / 100);
	put2(out + 2, y % 100);
	out[4] = '-';
	put2(out + 5, tm.tm_mon + 1);
	out[7] = '-';
	put2(out + 8, tm.tm_mday);
	out[10] = ' ';
	put2(out + 11, tm.tm_hour);
	out[13] = ':';
	put2(out + 14, tm.tm_min);
	out[16] = 0;
	return civil_days(y, tm.tm_mon + 1, tm.tm_mday);
}

/* The cell of a moment (empty for 0); its local day number. */
static int time_or_null(struct rtable *t, int64_t at)
{
	char buf[17];
	int day;

	if (!at) {
		rtable_null(t);
		return 0;
	}
	day = rminute_text(at, buf);
	rtable_text(t, buf);
	return day;
}

static void open_row(struct orders *x, struct rtable *t, const struct order *o,
		     const char *const state[2])
{
	int overdue = o->deadline && x->c->as_of > o->deadline, day;

	rtable_row(t);
	rtable_text(t, x->c->subs[o->sub].name);
	rtable_id(t, str(x, o->account));
	rtable_text(t, str(x, o->address));
	rtable_text(t, str(x, o->code));
	rtable_text(t, str(x, o->hazard));
	rtable_int(t, o->grade);
	time_or_null(t, o->opened);
	day = time_or_null(t, o->deadline);
	if (overdue)
		rtable_int(t, x->c->as_of_day - day);
	else
		rtable_null(t);
	rtable_text(t, state[overdue]);
	rtable_text(t, str(x, o->actor));
}

static void open_table(struct orders *x, struct report *r)
{
	struct rtable *t = report_add_table(r, _("Open and overdue rectification orders"));
	const char *const state[2] = {_("open"), _("overdue")};
	static const struct rcol cols[] = {
		{N_("subdistrict"), RT_TEXT}, {N_("account"), RT_ID},   {N_("address"), RT_TEXT},
		{N_("hazard"), RT_TEXT},      {N_("hazard name"), RT_TEXT}, {N_("grade"), RT_INT},
		{N_("found"), RT_TEXT},       {N_("deadline"), RT_TEXT}, {N_("days overdue"), RT_INT},
		{N_("state"), RT_TEXT},       {N_("found by"), RT_TEXT},
	};

	rtable_note(t, _("by subdistrict, soonest deadline first; days overdue counts calendar "
			 "days from the deadline to the as-of day"));
	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
	struct sortkey *k = sort_keys(x);

	for (size_t i = 0; i < x->n; i++)
		open_row(x, t, &x->o[k[i].i], state);
	free(k);
}

struct report *report_rectifications(struct rctx *c)
{
	struct orders x = {.c = c};
	struct report *r = NULL;
	char sub[200];

	x.days[0] = (int64_t)settings_get_int(c->l, "rectify_days_grade1") * 86400;
	x.days[1] = (int64_t)settings_get_int(c->l, "rectify_days_grade2") * 86400;
	x.t = xcalloc((size_t)c->nsubs * GRADES + 1, sizeof *x.t);
	if (read_orders(&x) == 0) {
		rsubtitle(c, sub, sizeof sub);
		r = report_new(_("Rectification orders"), sub);
		grade_table(&x, r);
		open_table(&x, r);
	}
	free(x.o);
	free(x.arena);
	free(x.t);
	return r;
}

/* ---- self-check failures (a table of the acceptance report) ---- */

static const char sql_selfchecks[] =
	"SELECT v.account, h.subdistrict, h.compound, h.building, h.unit, h.room, h.category, h.gas, "
	"v.at_epoch, v.actor, COALESCE(v.hose, ''), COALESCE(v.valve, ''), COALESCE(v.alarm, ''), "
	"COALESCE(v.shutoff, ''), (SELECT group_concat(z.code, ' ') FROM visit_hazard z "
	"WHERE z.device = v.device AND z.seq = v.seq AND z.grade <= 2), v.device, v.seq "
	"FROM visit v JOIN household h ON h.account = v.account "
	"WHERE v.role = 'self-check' AND v.outcome = 'entered' AND v.at_epoch <= ?1 "
	"AND NOT " VISIT_VOIDED("v") " "
	"ORDER BY v.account, v.at_epoch";
static const char sql_opened_by[] =
	"SELECT code, grade, opened_at, COALESCE(cleared_at, 0) FROM rectification "
	"WHERE device = ? AND seq = ? ORDER BY code";

/* The required items the self-check saw missing or not working, as "hose valve". */
static void failed_items(sqlite3_stmt *st, char *out, size_t sz)
{
	int non_res = !strcmp(ledger_text(st, 6), "non_residential");
	int pipeline = !strcmp(ledger_text(st, 7), "pipeline");
	const char *hose = ledger_text(st, 10), *valve = ledger_text(st, 11);
	const char *alarm = ledger_text(st, 12), *shutoff = ledger_text(st, 13);
	size_t n = 0;

	out[0] = 0;
	if (hose[0] && strcmp(hose, "metal") != 0)
		n += (size_t)snprintf(out + n, sz - n, "%s ", rlabel_item("hose"));
	if (!non_res && pipeline && valve[0] && strcmp(valve, "ok") != 0 && strcmp(valve, "na") != 0 && n < sz)
		n += (size_t)snprintf(out + n, sz - n, "%s ", rlabel_item("valve"));
	if (non_res && alarm[0] && strcmp(alarm, "ok") != 0 && n < sz)
		n += (size_t)snprintf(out + n, sz - n, "%s ", rlabel_item("alarm"));
	if (non_res && shutoff[0] && strcmp(shutoff, "ok") != 0 && n < sz)
		n += (size_t)snprintf(out + n, sz - n, "%s ", rlabel_item("shutoff"));
	if (n && n < sz)
		out[n - 1] = 0;
}

/* "H06 closed, H03 overdue" for the orders the visit opened; worst state in *worst
 * (0 none, 1 closed, 2 open, 3 overdue). */
static int orders_of(struct orders *x, sqlite3_stmt *v, char *out, size_t sz, int *worst)
{
	sqlite3_stmt *st = ledger_stmt(x->c->l, sql_opened_by);
	size_t n = 0;
	int rc;

	out[0] = 0;
	*worst = 0;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, ledger_text(v, 15), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, sqlite3_column_int64(v, 16));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < sz) {
		int g = sqlite3_column_int(st, 1);
		int64_t opened = sqlite3_column_int64(st, 2), cleared = sqlite3_column_int64(st, 3);
		int64_t days = g >= 1 && g <= 2 ? x->days[g - 1] : 0;
		int state = cleared && cleared <= x->c->as_of ? 1
			    : days && x->c->as_of > opened + days ? 3 : 2;
		static const char *const names[] = {"", N_("closed"), N_("open"), N_("overdue")};
		n += (size_t)snprintf(out + n, sz - n, "%s%s %s", n ? ", " : "", ledger_text(st, 0),
				      _(names[state]));
		*worst = state > *worst ? state : *worst;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : ledger_db_fail(x->c->l, "read orders");
}

static int selfcheck_row(struct orders *x, struct rtable *t, sqlite3_stmt *st)
{
	static const char *const worst_names[] = {N_("no order"), N_("all closed"), N_("open"),
						  N_("overdue")};
	struct household h = {0};
	char items[200], orders[600], buf[400];
	const char *hz = ledger_text(st, 14);
	int worst;

	failed_items(st, items, sizeof items);
	if (!hz[0] && !items[0])
		return 0; /* passed */
	if (orders_of(x, st, orders, sizeof orders, &worst))
		return -1;
	rtable_row(t);
	rtable_text(t, x->c->subs[rctx_sub(x->c, ledger_text(st, 1))].name);
	rtable_id(t, ledger_text(st, 0));
	gw_strlcpy(h.compound, ledger_text(st, 2), sizeof h.compound);
	gw_strlcpy(h.building, ledger_text(st, 3), sizeof h.building);
	gw_strlcpy(h.unit, ledger_text(st, 4), sizeof h.unit);
	gw_strlcpy(h.room, ledger_text(st, 5), sizeof h.room);
	rlabel_address(&h, buf, sizeof buf);
	rtable_text(t, buf);
	time_or_null(t, sqlite3_column_int64(st, 8));
	rtable_text(t, ledger_text(st, 9));
	rtable_text(t, hz);
	rtable_text(t, items);
	rtable_text(t, orders);
	rtable_text(t, _(worst_names[worst]));
	return 0;
}

void report_selfcheck_table(struct rctx *c, struct report *r)
{
	struct rtable *t = report_add_table(r, _("Self-check failures and their rectification"));
	sqlite3_stmt *st = ledger_stmt(c->l, sql_selfchecks);
	struct orders x = {.c = c};
	static const struct rcol cols[] = {
		{N_("subdistrict"), RT_TEXT},   {N_("account"), RT_ID},
		{N_("address"), RT_TEXT},       {N_("self-checked"), RT_TEXT},
		{N_("checked by"), RT_TEXT},    {N_("hazards (grade 1-2)"), RT_TEXT},
		{N_("items failing"), RT_TEXT}, {N_("orders opened"), RT_TEXT},
		{N_("rectification"), RT_TEXT},
	};

	rtable_note(t, _("each self-check that found a grade 1-2 hazard or a required item missing "
			 "or not working, and the state of the rectification orders it opened"));
	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
	x.days[0] = (int64_t)settings_get_int(c->l, "rectify_days_grade1") * 86400;
	x.days[1] = (int64_t)settings_get_int(c->l, "rectify_days_grade2") * 86400;
	if (!st)
		return;
	sqlite3_bind_int64(st, 1, c->as_of);
	while (sqlite3_step(st) == SQLITE_ROW)
		if (selfcheck_row(&x, t, st))
			break;
	sqlite3_reset(st);
}
