/* Monthly compound plans against what was achieved: per compound, community and
 * subdistrict, with the compounds behind plan flagged. */
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/plan.h"
#include "core/settings.h"
#include "core/util.h"
#include "report/report.h"

static const char sql_plans[] =
	"SELECT subdistrict, compound, month, households FROM plan WHERE month <= ?1 "
	"ORDER BY subdistrict, compound, month";
static const char sql_households[] =
	"SELECT h.account, h.subdistrict, h.community, h.compound, COALESCE(s.state, ''), "
	"COALESCE(s.compliant_at, 0), COALESCE(s.last_at, 0) FROM household h "
	"LEFT JOIN status s ON s.account = h.account "
	"WHERE h.compound IN (SELECT compound FROM plan WHERE month <= ?1) "
	"ORDER BY h.compound, h.subdistrict, h.account";

static const char *want_month;

void report_plan_month(const char *month) { want_month = month; }

struct cplan {
	char code[RSUB_MAX_NAME + 1], compound[HH_PLACE_MAX + 1], community[HH_PLACE_MAX + 1];
	char first[PLAN_MONTH_LEN + 1]; /* the compound's first planned month */
	int sub;
	int64_t households, planned, planned_sum, achieved, achieved_sum;
};

struct plans {
	struct rctx *c;
	char month[PLAN_MONTH_LEN + 1];
	struct cplan *p;
	size_t n, cap;
	int behind_pct;
	char last_raw[HH_PLACE_MAX + 1], last_compound[HH_PLACE_MAX + 1]; /* the last lookup */
	struct cplan *last;
};

static int sub_of_code(const struct rctx *c, const char *code)
{
	for (int i = 0; i < c->nsubs; i++)
		if (c->subs[i].known && strcmp(c->subs[i].code, code) == 0)
			return i;
	return -1;
}

static struct cplan *add_plan(struct plans *x, const char *code, const char *compound)
{
	struct cplan *p;

	if (x->n && !strcmp(x->p[x->n - 1].code, code) && !strcmp(x->p[x->n - 1].compound, compound))
		return &x->p[x->n - 1];
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 64;
		x->p = xrealloc(x->p, x->cap * sizeof *x->p);
	}
	p = &x->p[x->n++];
	memset(p, 0, sizeof *p);
	gw_strlcpy(p->code, code, sizeof p->code);
	gw_strlcpy(p->compound, compound, sizeof p->compound);
	p->sub = sub_of_code(x->c, code);
	return p;
}

static int read_plans(struct plans *x)
{
	sqlite3_stmt *st = ledger_stmt(x->c->l, sql_plans);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, x->month, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cplan *p = add_plan(x, ledger_text(st, 0), ledger_text(st, 1));
		int64_t n = sqlite3_column_int64(st, 3);
		if (!p->first[0])
			gw_strlcpy(p->first, ledger_text(st, 2), sizeof p->first);
		p->planned_sum += n;
		if (!strcmp(ledger_text(st, 2), x->month))
			p->planned = n;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(x->c->l, "read plans");
}

/* The plans are read in (code, compound) order: a binary search. */
static struct cplan *find_plan(struct plans *x, int sub, const char *compound)
{
	const char *code = sub >= 0 && x->c->subs[sub].known ? x->c->subs[sub].code : NULL;
	size_t lo = 0, hi = x->n;

	while (code && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(x->p[mid].code, code);
		if (!c)
			c = strcmp(x->p[mid].compound, compound);
		if (!c)
			return &x->p[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* When the household's compliant period began as of the report's moment; 0 when not
 * compliant then. The stored status serves unless a later visit changed it. */
static int compliant_since(struct rctx *c, sqlite3_stmt *st, int64_t *since)
{
	struct household h;
	struct status s;

	*since = 0;
	if (sqlite3_column_int64(st, 6) <= c->as_of) {
		if (!strcmp(ledger_text(st, 4), "compliant"))
			*since = sqlite3_column_int64(st, 5);
		return 0;
	}
	if (household_get(c->l, ledger_text(st, 0), &h) ||
	    status_get(c->l, ledger_text(st, 0), c->as_of, &h, &s))
		return -1;
	if (s.state == ST_COMPLIANT)
		*since = s.compliant_at;
	return 0;
}

/* Households come by compound and subdistrict: one lookup per run of them. */
static struct cplan *plan_of(struct plans *x, const char *raw, const char *compound)
{
	if (strcmp(raw, x->last_raw) != 0 || strcmp(compound, x->last_compound) != 0 ||
	    !x->last_raw[0]) {
		gw_strlcpy(x->last_raw, raw, sizeof x->last_raw);
		gw_strlcpy(x->last_compound, compound, sizeof x->last_compound);
		x->last = find_plan(x, rctx_sub(x->c, raw), compound);
	}
	return x->last;
}

static int count_household(struct plans *x, sqlite3_stmt *st)
{
	struct cplan *p = plan_of(x, ledger_text(st, 1), ledger_text(st, 3));
	char month[PLAN_MONTH_LEN + 1];
	int64_t since;

	if (!p)
		return 0;
	if (!p->households++)
		gw_strlcpy(p->community, ledger_text(st, 2), sizeof p->community);
	if (compliant_since(x->c, st, &since))
		return -1;
	if (!since)
		return 0;
	plan_month_of(since, month);
	p->achieved += strcmp(month, x->month) == 0;
	p->achieved_sum += strcmp(month, p->first) >= 0 && strcmp(month, x->month) <= 0;
	return 0;
}

static int read_households(struct plans *x)
{
	sqlite3_stmt *st = ledger_stmt(x->c->l, sql_households);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, x->month, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (count_household(x, st)) {
			sqlite3_reset(st);
			return -1;
		}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(x->c->l, "read households");
}

/* ---- the table ---- */

static int cmp_plan(const void *pa, const void *pb)
{
	const struct cplan *a = pa, *b = pb;
	int c;

	if (a->sub != b->sub)
		return a->sub < b->sub ? -1 : 1;
	if ((c = strcmp(a->community, b->community)) != 0)
		return c;
	return strcmp(a->compound, b->compound);
}

static int is_behind(const struct plans *x, int64_t planned, int64_t achieved)
{
	/* behind when short of the plan by more than plan_behind_percent of it */
	return (planned - achieved) * 100 > planned * x->behind_pct;
}

static void plan_row(struct plans *x, struct rtable *t, const char *names[3], const struct cplan *p)
{
	rtable_row(t);
	for (int i = 0; i < 3; i++)
		rtable_text(t, names[i]);
	rtable_int(t, p->households);
	rtable_int(t, p->planned);
	rtable_int(t, p->achieved);
	rtable_rate(t, p->achieved, p->planned);
	rtable_int(t, p->planned_sum);
	rtable_int(t, p->achieved_sum);
	rtable_rate(t, p->achieved_sum, p->planned_sum);
	rtable_text(t, is_behind(x, p->planned, p->achieved) ? _("behind plan") : "");
}

static void sum_into(struct cplan *sum, const struct cplan *p)
{
	sum->households += p->households;
	sum->planned += p->planned;
	sum->achieved += p->achieved;
	sum->planned_sum += p->planned_sum;
	sum->achieved_sum += p->achieved_sum;
}

static const char *sub_name(const struct plans *x, const struct cplan *p)
{
	return p->sub >= 0 ? x->c->subs[p->sub].name : p->code;
}

/* Compound rows, then each community's and each subdistrict's sums, then the district. */
static void plan_rows(struct plans *x, struct rtable *t)
{
	struct cplan com = {0}, sub = {0}, all = {0};
	const char *names[3];

	for (size_t i = 0; i < x->n; i++) {
		const struct cplan *p = &x->p[i], *next = i + 1 < x->n ? &x->p[i + 1] : NULL;
		names[0] = sub_name(x, p), names[1] = p->community, names[2] = p->compound;
		plan_row(x, t, names, p);
		sum_into(&com, p);
		sum_into(&sub, p);
		if (!next || next->sub != p->sub || strcmp(next->community, p->community) != 0) {
			names[2] = _("all compounds");
			plan_row(x, t, names, &com);
			rtable_row_flags(t, RROW_NOCHART);
			memset(&com, 0, sizeof com);
		}
		if (!next || next->sub != p->sub) {
			names[1] = _("all communities");
			plan_row(x, t, names, &sub);
			rtable_row_flags(t, RROW_NOCHART);
			sum_into(&all, &sub);
			memset(&sub, 0, sizeof sub);
		}
	}
	names[0] = _("district total"), names[1] = names[2] = "";
	plan_row(x, t, names, &all);
	rtable_row_flags(t, RROW_NOCHART | RROW_TOTAL);
}

static void plan_table(struct plans *x, struct report *r)
{
	struct rtable *t = report_add_table(r, _("Monthly plan by compound"));
	char note[500];
	static const struct rcol cols[] = {
		{N_("subdistrict"), RT_TEXT},      {N_("community"), RT_TEXT},
		{N_("compound"), RT_TEXT},         {N_("households"), RT_INT},
		{N_("planned this month"), RT_INT}, {N_("achieved this month"), RT_INT},
		{N_("month rate"), RT_PERCENT},    {N_("planned to date"), RT_INT},
		{N_("achieved to date"), RT_INT},  {N_("rate to date"), RT_PERCENT},
		{N_("flag"), RT_TEXT},
	};

	snprintf(note, sizeof note,
		 _("month %s; achieved = households of the compound compliant at the report's "
		   "moment whose compliance began in the month (to date: from the compound's first "
		   "planned month); behind plan = short of the month's plan by more than %d%%"),
		 x->month, x->behind_pct);
	rtable_note(t, note);
	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
	if (x->n)
		qsort(x->p, x->n, sizeof *x->p, cmp_plan);
	plan_rows(x, t);
	t->chart = (struct rchart){RCHART_BAR, 2, {6}, 1, xstrdup(_("Plan achieved this month"))};
}

struct report *report_plan(struct rctx *c)
{
	struct plans x = {.c = c};
	struct report *r = NULL;
	char sub[300];

	if (want_month)
		gw_strlcpy(x.month, want_month, sizeof x.month);
	else
		plan_month_of(c->as_of, x.month);
	x.behind_pct = (int)settings_get_int(c->l, "plan_behind_percent");
	if (read_plans(&x) == 0 && read_households(&x) == 0) {
		rsubtitle(c, sub, sizeof sub);
		r = report_new(_("Monthly installation plans"), sub);
		plan_table(&x, r);
	}
	free(x.p);
	return r;
}
