/* Money: the cost of existing residential installs and who pays it (funding), and
 * the prices installers actually charged against the catalog (prices). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "report/report.h"

static const char sql_funding[] =
	"SELECT h.subdistrict, h.account, x.item, x.price_fen FROM visit v "
	"JOIN visit_install x ON x.device = v.device AND x.seq = v.seq "
	"JOIN household h ON h.account = v.account "
	"WHERE v.at_epoch <= ?1 AND h.category = 'residential' AND h.new_build = 0 "
	"AND x.item IN ('valve', 'hose') ORDER BY h.account";

static const char sql_prices[] =
	"SELECT x.product, v.actor, x.item, x.price_fen, COALESCE(c.price_fen, -1), v.account, "
	"v.at_epoch, x.serial FROM visit v "
	"JOIN visit_install x ON x.device = v.device AND x.seq = v.seq "
	"LEFT JOIN catalog c ON c.code = x.product "
	"WHERE v.at_epoch <= ?1 ORDER BY x.product, v.actor, v.at_epoch, v.account";

/* ---- funding ---- */

static const char *const share_keys[] = {"share_city", "share_district", "share_resident",
					 "share_gas_company"};
static const double share_defaults[] = {1.0 / 3, 1.0 / 6, 1.0 / 6, 1.0 / 3};

struct fund {
	int64_t households, valves, hoses, cost;
};

static int read_funding(struct rctx *c, struct fund *per_sub)
{
	sqlite3_stmt *st = ledger_stmt(c->l, sql_funding);
	char last[HH_ACCOUNT_MAX + 1] = "";
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, c->as_of);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct fund *f = &per_sub[rctx_sub(c, ledger_text(st, 0))];
		if (strcmp(last, ledger_text(st, 1)) != 0) {
			f->households++;
			gw_strlcpy(last, ledger_text(st, 1), sizeof last);
		}
		if (!strcmp(ledger_text(st, 2), "valve"))
			f->valves++;
		else
			f->hoses++;
		f->cost += sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(c->l, "read installs");
}

static void fund_row(struct rtable *t, const char *name, const struct fund *f, const double *share)
{
	rtable_row(t);
	rtable_text(t, name);
	rtable_int(t, f->households);
	rtable_int(t, f->valves);
	rtable_int(t, f->hoses);
	rtable_money(t, f->cost);
	if (f->households)
		rtable_money(t, (int64_t)llround((double)f->cost / (double)f->households));
	else
		rtable_null(t);
	for (int k = 0; k < 4; k++)
		rtable_money(t, (int64_t)llround((double)f->cost * share[k]));
}

static void fund_table(struct rctx *c, struct report *r, const struct fund *per_sub)
{
	struct rtable *t = report_add_table(r, _("Existing residential installs: cost and split"));
	struct fund total = {0, 0, 0, 0};
	double share[4];
	char note[300];

	for (int k = 0; k < 4; k++)
		share[k] = rctx_share(c, share_keys[k], share_defaults[k]);
	snprintf(note, sizeof note,
		 _("valves and hoses fitted on existing residential households, at the installed "
		   "prices; shares: city %.4g, district %.4g, resident %.4g, gas company %.4g"),
		 share[0], share[1], share[2], share[3]);
	rtable_note(t, note);
	static const struct rcol cols[] = {
		{N_("subdistrict"), RT_TEXT},
		{N_("households"), RT_INT},
		{N_("valves"), RT_INT},
		{N_("hoses"), RT_INT},
		{N_("cost (yuan)"), RT_MONEY},
		{N_("per household (yuan)"), RT_MONEY},
		{N_("city (yuan)"), RT_MONEY},
		{N_("district (yuan)"), RT_MONEY},
		{N_("resident (yuan)"), RT_MONEY},
		{N_("gas company (yuan)"), RT_MONEY},
	};

	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
	for (int s = 0; s < c->nsubs; s++) {
		if (!per_sub[s].households)
			continue;
		fund_row(t, c->subs[s].name, &per_sub[s], share);
		total.households += per_sub[s].households;
		total.valves += per_sub[s].valves;
		total.hoses += per_sub[s].hoses;
		total.cost += per_sub[s].cost;
	}
	fund_row(t, _("district total"), &total, share);
	rtable_row_flags(t, RROW_TOTAL | RROW_NOCHART);
}

struct report *report_funding(struct rctx *c)
{
	struct fund *per_sub = xcalloc((size_t)c->nsubs, sizeof *per_sub);
	struct report *r = NULL;
	char sub[200];

	if (read_funding(c, per_sub) == 0) {
		rsubtitle(c, sub, sizeof sub);
		r = report_new(_("Funding of existing residential installs"), sub);
		fund_table(c, r, per_sub);
	}
	free(per_sub);
	return r;
}

/* ---- prices ---- */

struct price_group {
	char product[PRODUCT_MAX + 1], actor[ACTOR_MAX + 1], item[16];
	int64_t n, min, max, sum, catalog, outliers;
};

static int is_outlier(int64_t price, int64_t catalog, double pct)
{
	return catalog > 0 && fabs((double)(price - catalog)) > (double)catalog * pct / 100.0;
}

static void group_row(struct rtable *t, const struct price_group *g)
{
	int64_t avg = (int64_t)llround((double)g->sum / (double)g->n);

	rtable_row(t);
	rtable_text(t, g->product);
	rtable_text(t, rlabel_item(g->item));
	rtable_text(t, g->actor);
	rtable_int(t, g->n);
	rtable_money(t, g->min);
	rtable_money(t, avg);
	rtable_money(t, g->max);
	if (g->catalog >= 0) {
		rtable_money(t, g->catalog);
		rtable_rate(t, avg - g->catalog, g->catalog);
	} else {
		rtable_null(t);
		rtable_null(t);
	}
	rtable_int(t, g->outliers);
}

static void outlier_row(struct rtable *t, sqlite3_stmt *st)
{
	char when[32];

	rtime_format(sqlite3_column_int64(st, 6), when, sizeof when);
	rtable_row(t);
	rtable_text(t, when);
	rtable_text(t, ledger_text(st, 5));
	rtable_text(t, ledger_text(st, 1));
	rtable_text(t, ledger_text(st, 0));
	rtable_text(t, ledger_text(st, 7));
	rtable_money(t, sqlite3_column_int64(st, 3));
	rtable_money(t, sqlite3_column_int64(st, 4));
	rtable_rate(t, sqlite3_column_int64(st, 3) - sqlite3_column_int64(st, 4),
		    sqlite3_column_int64(st, 4));
}

static void start_group(struct price_group *g, sqlite3_stmt *st)
{
	memset(g, 0, sizeof *g);
	gw_strlcpy(g->product, ledger_text(st, 0), sizeof g->product);
	gw_strlcpy(g->actor, ledger_text(st, 1), sizeof g->actor);
	gw_strlcpy(g->item, ledger_text(st, 2), sizeof g->item);
	g->catalog = sqlite3_column_int64(st, 4);
	g->min = INT64_MAX;
}

static int read_prices(struct rctx *c, struct rtable *groups, struct rtable *outliers, double pct)
{
	sqlite3_stmt *st = ledger_stmt(c->l, sql_prices);
	struct price_group g;
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, c->as_of);
	g.n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t price = sqlite3_column_int64(st, 3);
		int same = !strcmp(g.product, ledger_text(st, 0)) && !strcmp(g.actor, ledger_text(st, 1));

		if (g.n && !same) {
			group_row(groups, &g);
			g.n = 0;
		}
		if (!g.n)
			start_group(&g, st);
		g.n++;
		g.sum += price;
		g.min = price < g.min ? price : g.min;
		g.max = price > g.max ? price : g.max;
		if (is_outlier(price, g.catalog, pct)) {
			g.outliers++;
			outlier_row(outliers, st);
		}
	}
	sqlite3_reset(st);
	if (g.n)
		group_row(groups, &g);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(c->l, "read installs");
}

static struct rtable *group_table(struct report *r)
{
	struct rtable *t = report_add_table(r, _("Prices charged per product and installer"));

	static const struct rcol cols[] = {
		{N_("product"), RT_TEXT},
		{N_("item"), RT_TEXT},
		{N_("installer"), RT_TEXT},
		{N_("installs"), RT_INT},
		{N_("lowest (yuan)"), RT_MONEY},
		{N_("average (yuan)"), RT_MONEY},
		{N_("highest (yuan)"), RT_MONEY},
		{N_("catalog (yuan)"), RT_MONEY},
		{N_("average vs catalog"), RT_PERCENT},
		{N_("outliers"), RT_INT},
	};

	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
	return t;
}

static struct rtable *outlier_table(struct report *r, double pct)
{
	struct rtable *t = report_add_table(r, _("Installs to audit (price outliers)"));
	char note[200];

	snprintf(note, sizeof note, _("more than %.4g%% above or below the catalog price"), pct);
	rtable_note(t, note);
	static const struct rcol cols[] = {
		{N_("time"), RT_TEXT},
		{N_("account"), RT_TEXT},
		{N_("installer"), RT_TEXT},
		{N_("product"), RT_TEXT},
		{N_("serial"), RT_TEXT},
		{N_("price (yuan)"), RT_MONEY},
		{N_("catalog (yuan)"), RT_MONEY},
		{N_("vs catalog"), RT_PERCENT},
	};

	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
	return t;
}

struct report *report_prices(struct rctx *c)
{
	double pct = rctx_number(c, "price_outlier_percent", 20);
	char sub[200];
	struct report *r;
	struct rtable *g, *o;

	rsubtitle(c, sub, sizeof sub);
	r = report_new(_("Prices charged for installs"), sub);
	g = group_table(r);
	o = outlier_table(r, pct);
	if (read_prices(c, g, o, pct)) {
		report_free(r);
		return NULL;
	}
	return r;
}
