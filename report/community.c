/* The weekly bulletin's community rows (the plan works by community, 社区), with the
 * households told of the policy (逐一告知): a table added to report weekly. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "report/report.h"

/* Households given the policy notice up to the moment, and in the week, per community. */
static const char sql_notices[] =
	"SELECT h.subdistrict, h.community, count(DISTINCT v.account), "
	"count(DISTINCT CASE WHEN v.at_epoch > ?2 THEN v.account END) "
	"FROM visit v JOIN household h ON h.account = v.account "
	"WHERE v.notice = 1 AND v.at_epoch <= ?1 AND NOT " VISIT_VOIDED("v") " GROUP BY 1, 2";

struct com {
	int sub;
	char *name;
	int64_t n[RS__N], total, told, told_week;
};

struct coms {
	struct rctx *c;
	struct com *v;
	size_t n, cap;
	size_t *slot; /* open addressing: index + 1, 0 empty */
	size_t nslots;
};

/* FNV-1a, 64-bit on every platform (the handhelds' are 32-bit). */
static size_t hash(int sub, const char *s)
{
	uint64_t h = UINT64_C(1469598103934665603) ^ (uint64_t)(unsigned)sub;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return (size_t)(h ^ (h >> 32));
}

static void rehash(struct coms *x)
{
	size_t n = x->nslots ? 2 * x->nslots : 1024;

	free(x->slot);
	x->slot = xcalloc(n, sizeof *x->slot);
	x->nslots = n;
	for (size_t i = 0; i < x->n; i++) {
		size_t k = hash(x->v[i].sub, x->v[i].name) & (n - 1);
		while (x->slot[k])
			k = (k + 1) & (n - 1);
		x->slot[k] = i + 1;
	}
}

static struct com *com_of(struct coms *x, int sub, const char *name)
{
	size_t k;

	if (2 * (x->n + 1) > x->nslots)
		rehash(x);
	for (k = hash(sub, name) & (x->nslots - 1); x->slot[k]; k = (k + 1) & (x->nslots - 1)) {
		struct com *c = &x->v[x->slot[k] - 1];
		if (c->sub == sub && strcmp(c->name, name) == 0)
			return c;
	}
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 64;
		x->v = xrealloc(x->v, x->cap * sizeof *x->v);
	}
	memset(&x->v[x->n], 0, sizeof x->v[0]);
	x->v[x->n].sub = sub;
	x->v[x->n].name = xstrdup(name);
	x->slot[k] = ++x->n;
	return &x->v[x->n - 1];
}

static int count_house(void *ctx, const struct rhouse *hh)
{
	struct coms *x = ctx;
	struct com *c = com_of(x, hh->sub, hh->h.community);

	c->total++;
	if (hh->state >= 0 && hh->state < RS__N)
		c->n[hh->state]++;
	return 0;
}

static int count_notices(struct coms *x, int64_t week_start)
{
	sqlite3_stmt *st = ledger_stmt(x->c->l, sql_notices);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, x->c->as_of);
	sqlite3_bind_int64(st, 2, week_start);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct com *c = com_of(x, rctx_sub(x->c, ledger_text(st, 0)), ledger_text(st, 1));
		c->told += sqlite3_column_int64(st, 2);
		c->told_week += sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(x->c->l, "read notices");
}

static int cmp_com(const void *pa, const void *pb)
{
	const struct com *a = pa, *b = pb;

	if (a->sub != b->sub)
		return a->sub < b->sub ? -1 : 1;
	return strcmp(a->name, b->name);
}

static void com_add(struct com *sum, const struct com *c)
{
	for (int k = 0; k < RS__N; k++)
		sum->n[k] += c->n[k];
	sum->total += c->total;
	sum->told += c->told;
	sum->told_week += c->told_week;
}

static void com_row(struct rtable *t, const char *sub, const char *name, const struct com *c)
{
	rtable_row(t);
	rtable_text(t, sub);
	rtable_text(t, name);
	rtable_int(t, c->total);
	rtable_int(t, c->total - c->n[ST_NEVER_REACHED]);
	rtable_int(t, c->n[ST_COMPLIANT]);
	rtable_int(t, c->n[ST_PENDING]);
	rtable_int(t, c->n[ST_HAZARD_OPEN]);
	rtable_int(t, c->n[ST_REFUSED]);
	rtable_int(t, c->n[RS_VACANT]);
	rtable_int(t, c->n[ST_NEVER_REACHED]);
	rtable_int(t, c->told);
	rtable_int(t, c->told_week);
	rtable_rate(t, c->n[ST_COMPLIANT], c->total);
}

static void com_table(struct coms *x, struct report *r)
{
	struct rtable *t = report_add_table(r, _("Progress by community"));
	struct com sub, all;
	static const struct rcol cols[] = {
		{N_("subdistrict"), RT_TEXT},     {N_("community"), RT_TEXT},
		{N_("households"), RT_INT},       {N_("visited"), RT_INT},
		{N_("compliant"), RT_INT},        {N_("pending"), RT_INT},
		{N_("hazard open"), RT_INT},      {N_("refused"), RT_INT},
		{N_("vacant"), RT_INT},           {N_("never reached"), RT_INT},
		{N_("notified"), RT_INT},         {N_("notified this week"), RT_INT},
		{N_("completion rate"), RT_PERCENT},
	};

	rtable_note(t, _("notified: households given the policy notice (a visit recorded with "
			 "--notice), up to the as-of day and in the week"));
	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
	if (x->n)
		qsort(x->v, x->n, sizeof *x->v, cmp_com);
	memset(&all, 0, sizeof all);
	memset(&sub, 0, sizeof sub);
	for (size_t i = 0; i < x->n; i++) {
		const struct com *c = &x->v[i];
		const char *name = x->c->subs[c->sub].name;
		com_row(t, name, c->name[0] ? c->name : "-", c);
		com_add(&sub, c);
		if (i + 1 == x->n || x->v[i + 1].sub != c->sub) {
			com_row(t, name, _("all communities"), &sub);
			rtable_row_flags(t, RROW_NOCHART);
			com_add(&all, &sub);
			memset(&sub, 0, sizeof sub);
		}
	}
	com_row(t, _("district total"), _("all"), &all);
	rtable_row_flags(t, RROW_NOCHART | RROW_TOTAL);
}

int report_weekly_communities(struct rctx *c, struct report *r, int64_t week_start)
{
	struct coms x = {.c = c};
	int rc = rstate_each(c, -1, count_house, &x) || count_notices(&x, week_start) ? -1 : 0;

	if (rc == 0)
		com_table(&x, r);
	for (size_t i = 0; i < x.n; i++)
		free(x.v[i].name);
	free(x.v);
	free(x.slot);
	return rc;
}
