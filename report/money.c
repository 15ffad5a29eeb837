/* Money: the cost of existing residential installs and who pays it (funding), and
 * the prices installers actually charged against the catalog (prices). */
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "report/report.h"

static const char sql_funding[] =
	"SELECT h.subdistrict, h.account, x.item, x.price_fen, h.name, h.compound, h.building, "
	"h.unit, h.room FROM visit_install x "
	"CROSS JOIN visit v ON v.device = x.device AND v.seq = x.seq "
	"JOIN household h ON h.account = v.account "
	"WHERE +v.at_epoch <= ?1 AND NOT " VISIT_VOIDED("v") " AND h.category = 'residential' "
	"AND h.new_build = 0 "
	"AND x.item IN ('valve', 'hose') ORDER BY h.account";

/* ---- funding ---- */

/* The parties in the order the plan names them (市级财政、区级财政与居民、企业): the
 * order that breaks ties between equal remainders. */
#define NPARTY 4
static const char *const share_keys[NPARTY] = {"share_city", "share_district",
					       "share_resident", "share_gas_company"};
static const int64_t share_defaults[NPARTY][2] = {{1, 3}, {1, 6}, {1, 6}, {1, 3}};

struct fund {
	int64_t households, valves, hoses, cost, part[NPARTY];
};

/* The shares as integer weights over one common denominator (their sum). */
struct split {
	int64_t w[NPARTY], sum;
	int64_t num[NPARTY], den[NPARTY];
};

struct fund_house {
	char account[HH_ACCOUNT_MAX + 1], name[HH_NAME_MAX + 1], address[4 * HH_PLACE_MAX];
	int sub;
	struct fund f;
};

struct funding {
	struct rctx *c;
	struct fund *per_sub;
	struct fund_house cur;
	struct rtable *list; /* --households: a row per household, made as it is read */
};

static int64_t gcd64(int64_t a, int64_t b)
{
	while (b) {
		int64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

static void split_init(struct rctx *c, struct split *sp)
{
	int64_t lcm = 1;

	sp->sum = 0;
	for (int k = 0; k < NPARTY; k++) {
		sp->num[k] = share_defaults[k][0];
		sp->den[k] = share_defaults[k][1];
		if (!rctx_fraction(c, share_keys[k], &sp->num[k], &sp->den[k])) {
			sp->num[k] = share_defaults[k][0];
			sp->den[k] = share_defaults[k][1];
		}
		int64_t g = gcd64(sp->num[k], sp->den[k]);
		if (g > 1) {
			sp->num[k] /= g;
			sp->den[k] /= g;
		}
		lcm = lcm / gcd64(lcm, sp->den[k]) * sp->den[k];
	}
	for (int k = 0; k < NPARTY; k++) {
		sp->w[k] = sp->num[k] * (lcm / sp->den[k]);
		sp->sum += sp->w[k];
	}
	if (sp->sum == 0) { /* every share zero: the plan's split */
		for (int k = 0; k < NPARTY; k++)
			sp->w[k] = share_defaults[k][0] * (6 / share_defaults[k][1]);
		sp->sum = 6;
	}
}

/* cost x w[k] / sum for each party, floored, then the fen left over one each to the
 * largest remainders (ties: the plan's order), so the parts add up to the cost. */
static void split_cost(const struct split *sp, int64_t cost, int64_t *part)
{
	int64_t rem[NPARTY], left = cost;
	int given[NPARTY] = {0};

	for (int k = 0; k < NPARTY; k++) {
		part[k] = cost * sp->w[k] / sp->sum;
		rem[k] = cost * sp->w[k] % sp->sum;
		left -= part[k];
	}
	while (left-- > 0) {
		int best = -1;
		for (int k = 0; k < NPARTY; k++)
			if (!given[k] && (best < 0 || rem[k] > rem[best]))
				best = k;
		given[best] = 1;
		part[best]++;
	}
}

static void fund_add(struct fund *sum, const struct fund *f)
{
	sum->households += f->households;
	sum->valves += f->valves;
	sum->hoses += f->hoses;
	sum->cost += f->cost;
	for (int k = 0; k < NPARTY; k++)
		sum->part[k] += f->part[k];
}

static void parts_cells(struct rtable *t, const struct fund *f)
{
	for (int k = 0; k < NPARTY; k++)
		rtable_money(t, f->part[k]);
}

static void fund_cells(struct rtable *t, const struct fund *f)
{
	rtable_int(t, f->valves);
	rtable_int(t, f->hoses);
	rtable_money(t, f->cost);
	parts_cells(t, f);
}

/* The household just read in full: split its cost, add it to its subdistrict. */
static void house_done(struct funding *fd, const struct split *sp)
{
	if (!fd->cur.account[0])
		return;
	fd->cur.f.households = 1;
	split_cost(sp, fd->cur.f.cost, fd->cur.f.part);
	fund_add(&fd->per_sub[fd->cur.sub], &fd->cur.f);
	if (fd->list) {
		rtable_row(fd->list);
		rtable_text(fd->list, fd->c->subs[fd->cur.sub].name);
		rtable_id(fd->list, fd->cur.account);
		rtable_text(fd->list, fd->cur.name);
		rtable_text(fd->list, fd->cur.address);
		fund_cells(fd->list, &fd->cur.f);
	}
}

/* The name and address of the household just started, for --households. */
static void house_names(struct funding *fd, sqlite3_stmt *st)
{
	struct household h = {0}; /* only the address fields are set */

	gw_strlcpy(fd->cur.name, ledger_text(st, 4), sizeof fd->cur.name);
	gw_strlcpy(h.compound, ledger_text(st, 5), sizeof h.compound);
	gw_strlcpy(h.building, ledger_text(st, 6), sizeof h.building);
	gw_strlcpy(h.unit, ledger_text(st, 7), sizeof h.unit);
	gw_strlcpy(h.room, ledger_text(st, 8), sizeof h.room);
	rlabel_address(&h, fd->cur.address, sizeof fd->cur.address);
}

static void house_start(struct funding *fd, sqlite3_stmt *st)
{
	memset(&fd->cur.f, 0, sizeof fd->cur.f);
	gw_strlcpy(fd->cur.account, ledger_text(st, 1), sizeof fd->cur.account);
	fd->cur.sub = rctx_sub(fd->c, ledger_text(st, 0));
	if (fd->list)
		house_names(fd, st);
}

static int read_funding(struct rctx *c, struct funding *fd, const struct split *sp)
{
	sqlite3_stmt *st = ledger_stmt(c->l, sql_funding);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, c->as_of);
	fd->cur.account[0] = '\0';
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (strcmp(fd->cur.account, ledger_text(st, 1)) != 0) {
			house_done(fd, sp);
			house_start(fd, st);
		}
		if (!strcmp(ledger_text(st, 2), "valve"))
			fd->cur.f.valves++;
		else
			fd->cur.f.hoses++;
		fd->cur.f.cost += sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	house_done(fd, sp);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(c->l, "read installs");
}

static void fund_row(struct rtable *t, const char *name, const struct fund *f)
{
	rtable_row(t);
	rtable_text(t, name);
	rtable_int(t, f->households);
	rtable_int(t, f->valves);
	rtable_int(t, f->hoses);
	rtable_money(t, f->cost);
	if (f->households)
		rtable_money(t, rround_div(f->cost, f->households));
	else
		rtable_null(t);
	parts_cells(t, f);
}

static void share_note(struct rtable *t, const struct split *sp)
{
	char note[400];

	snprintf(note, sizeof note,
		 _("valves and hoses fitted on existing residential households, at the installed "
		   "prices; each household's cost is split city %lld/%lld, district %lld/%lld, "
		   "resident %lld/%lld, gas company %lld/%lld to the fen (largest remainder), and "
		   "every row is the sum of its households"),
		 (long long)sp->num[0], (long long)sp->den[0], (long long)sp->num[1],
		 (long long)sp->den[1], (long long)sp->num[2], (long long)sp->den[2],
		 (long long)sp->num[3], (long long)sp->den[3]);
	rtable_note(t, note);
}

static const struct rcol item_cols[] = {
	{N_("valves"), RT_INT},
	{N_("hoses"), RT_INT},
	{N_("cost (yuan)"), RT_MONEY},
};

static const struct rcol party_cols[] = {
	{N_("city (yuan)"), RT_MONEY},
	{N_("district (yuan)"), RT_MONEY},
	{N_("resident (yuan)"), RT_MONEY},
	{N_("gas company (yuan)"), RT_MONEY},
};

static struct rtable *fund_table(struct report *r, const struct split *sp)
{
	struct rtable *t = report_add_table(r, _("Existing residential installs: cost and split"));
	static const struct rcol cols[] = {
		{N_("subdistrict"), RT_TEXT},
		{N_("households"), RT_INT},
	};

	share_note(t, sp);
	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
	rtable_cols(t, item_cols, GW_ARRAY_LEN(item_cols));
	rtable_col(t, _("per household (yuan)"), RT_MONEY);
	rtable_cols(t, party_cols, GW_ARRAY_LEN(party_cols));
	return t;
}

/* Table 1's rows: per subdistrict, then the district total; every row the sum of its
 * households. */
static void fund_rows(struct rctx *c, struct rtable *t, const struct fund *per_sub,
		      struct fund *total)
{
	memset(total, 0, sizeof *total);
	for (int s = 0; s < c->nsubs; s++) {
		if (!per_sub[s].households)
			continue;
		fund_row(t, c->subs[s].name, &per_sub[s]);
		fund_add(total, &per_sub[s]);
	}
	fund_row(t, _("district total"), total);
	rtable_row_flags(t, RROW_TOTAL | RROW_NOCHART);
}

/* --households: what each household owes, in account order (rows added as read). */
static struct rtable *house_table(struct report *r)
{
	struct rtable *t = report_add_table(r, _("Each household's cost and shares"));
	static const struct rcol cols[] = {
		{N_("subdistrict"), RT_TEXT},
		{N_("account"), RT_ID},
		{N_("name"), RT_TEXT},
		{N_("address"), RT_TEXT},
	};

	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
	rtable_cols(t, item_cols, GW_ARRAY_LEN(item_cols));
	rtable_cols(t, party_cols, GW_ARRAY_LEN(party_cols));
	return t;
}

static void house_total(struct rtable *t, const struct fund *total)
{
	rtable_row(t);
	rtable_row_flags(t, RROW_TOTAL | RROW_NOCHART);
	rtable_text(t, _("district total"));
	rtable_null(t);
	rtable_null(t);
	rtable_null(t);
	fund_cells(t, total);
}

struct report *report_funding(struct rctx *c)
{
	struct funding fd;
	struct report *r;
	struct rtable *t;
	struct split sp;
	struct fund total;
	char sub[200];

	memset(&fd, 0, sizeof fd);
	fd.c = c;
	fd.per_sub = xcalloc((size_t)c->nsubs, sizeof *fd.per_sub);
	split_init(c, &sp);
	rsubtitle(c, sub, sizeof sub);
	r = report_new(_("Funding of existing residential installs"), sub);
	t = fund_table(r, &sp);
	if (c->households)
		fd.list = house_table(r);
	if (read_funding(c, &fd, &sp) == 0) {
		fund_rows(c, t, fd.per_sub, &total);
		if (fd.list)
			house_total(fd.list, &total);
	} else {
		report_free(r);
		r = NULL;
	}
	free(fd.per_sub);
	return r;
}

/* ---- prices ---- */

/* Installs up to ?1; ?2 = 100 x the threshold's denominator, ?3 its numerator. (The
 * installs lead the join: far fewer than the visits, each finds its visit by key.) The
 * plan's audit is of residential valve and hose prices (existing homes, the public
 * money); every other install is listed apart. */
#define PRICE_FROM                                                                          \
	" FROM visit_install x CROSS JOIN visit v ON v.device = x.device AND v.seq = x.seq "  \
	"JOIN household h ON h.account = v.account LEFT JOIN catalog c ON c.code = x.product " \
	"WHERE +v.at_epoch <= ?1 AND NOT " VISIT_VOIDED("v") " "
#define PRICE_RES "h.category = 'residential' AND h.new_build = 0 AND x.item IN ('valve', 'hose')"
#define PRICE_OUTLIER "(c.price_fen > 0 AND abs(x.price_fen - c.price_fen) * ?2 > c.price_fen * ?3)"

static const char sql_by_installer[] =
	"SELECT v.actor, x.item, count(*), sum(x.price_fen), count(c.price_fen), "
	"coalesce(sum(c.price_fen), 0), coalesce(sum(CASE WHEN c.price_fen IS NOT NULL THEN "
	"x.price_fen END), 0), coalesce(sum(max(x.price_fen - c.price_fen, 0)), 0), "
	"coalesce(sum(" PRICE_OUTLIER "), 0)" PRICE_FROM "AND " PRICE_RES
	" GROUP BY 1, 2 ORDER BY 1, 2";

static const char sql_by_product[] =
	"SELECT x.product, x.item, '', count(*), min(x.price_fen), sum(x.price_fen), "
	"max(x.price_fen), coalesce(c.price_fen, -1), coalesce(sum(" PRICE_OUTLIER "), 0)"
	PRICE_FROM "AND " PRICE_RES " GROUP BY 1, 2 ORDER BY 1, 2";

static const char sql_others[] =
	"SELECT x.product, x.item, v.actor, count(*), min(x.price_fen), sum(x.price_fen), "
	"max(x.price_fen), coalesce(c.price_fen, -1), coalesce(sum(" PRICE_OUTLIER "), 0)"
	PRICE_FROM "AND NOT (" PRICE_RES ") GROUP BY 1, 2, 3 ORDER BY 1, 2, 3";

static const char sql_outliers[] =
	"SELECT v.at_epoch, v.account, h.category, v.actor, x.product, x.serial, x.price_fen, "
	"c.price_fen" PRICE_FROM "AND " PRICE_OUTLIER " ORDER BY v.at_epoch, v.account, x.n";

static const char sql_serials[] =
	"SELECT x.serial, x.product, v.account, v.at_epoch, v.actor" PRICE_FROM
	"AND x.serial IN (SELECT x.serial" PRICE_FROM "AND x.serial <> '' GROUP BY x.serial "
	"HAVING count(DISTINCT v.account) > 1) ORDER BY x.serial, v.at_epoch, v.account";

struct price_q {
	struct rctx *c;
	int64_t pct_num, pct_den;
};

static sqlite3_stmt *price_stmt(const struct price_q *q, const char *sql)
{
	sqlite3_stmt *st = ledger_stmt(q->c->l, sql);

	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, q->c->as_of);
	sqlite3_bind_int64(st, 2, 100 * q->pct_den);
	sqlite3_bind_int64(st, 3, q->pct_num);
	return st;
}

static int price_done(const struct price_q *q, sqlite3_stmt *st, int rc)
{
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(q->c->l, "read installs");
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	return ledger_text(st, i);
}

static int64_t col_int(sqlite3_stmt *st, int i)
{
	return sqlite3_column_int64(st, i);
}

/* ---- per installer ---- */

static void installer_row(struct rtable *t, sqlite3_stmt *st)
{
	int64_t n_cat = col_int(st, 4), cat = col_int(st, 5), charged_cat = col_int(st, 6);

	rtable_row(t);
	rtable_text(t, col_text(st, 0));
	rtable_text(t, rlabel_item(col_text(st, 1)));
	rtable_int(t, col_int(st, 2));
	rtable_money(t, col_int(st, 3));
	if (n_cat) {
		rtable_money(t, cat);
		rtable_money(t, col_int(st, 7));
		rtable_rate(t, charged_cat - cat, cat);
	} else {
		rtable_null(t);
		rtable_null(t);
		rtable_null(t);
	}
	rtable_int(t, col_int(st, 8));
}

static int installer_table(const struct price_q *q, struct report *r)
{
	struct rtable *t = report_add_table(r, _("Residential valves and hoses by installer"));
	sqlite3_stmt *st = price_stmt(q, sql_by_installer);
	static const struct rcol cols[] = {
		{N_("installer"), RT_TEXT},	  {N_("item"), RT_TEXT},
		{N_("installs"), RT_INT},	  {N_("charged (yuan)"), RT_MONEY},
		{N_("at catalog prices (yuan)"), RT_MONEY}, {N_("above catalog (yuan)"), RT_MONEY},
		{N_("vs catalog"), RT_PERCENT},	  {N_("outliers"), RT_INT},
	};
	int rc;

	rtable_note(t, _("existing residential households, the installs the public money pays "
			 "for; above catalog: the sum of what each install was charged over its "
			 "catalog price"));
	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		installer_row(t, st);
	return price_done(q, st, rc);
}

/* ---- per product (and installer) ---- */

static void group_row(struct rtable *t, sqlite3_stmt *st, int with_actor)
{
	int64_t n = col_int(st, 3), sum = col_int(st, 5), cat = col_int(st, 7);

	rtable_row(t);
	rtable_text(t, col_text(st, 0));
	rtable_text(t, rlabel_item(col_text(st, 1)));
	if (with_actor)
		rtable_text(t, col_text(st, 2));
	rtable_int(t, n);
	rtable_money(t, col_int(st, 4));
	rtable_money(t, rround_div(sum, n));
	rtable_money(t, col_int(st, 6));
	if (cat >= 0) {
		rtable_money(t, cat);
		rtable_rate(t, sum - n * cat, n * cat); /* the exact average against it */
	} else {
		rtable_null(t);
		rtable_null(t);
	}
	rtable_int(t, col_int(st, 8));
}

static int group_table(const struct price_q *q, struct report *r, int others)
{
	struct rtable *t = report_add_table(
		r, others ? _("Other installs (non-residential, new buildings, alarms and "
			      "shut-offs) by product and installer")
			  : _("Residential valves and hoses by product"));
	sqlite3_stmt *st = price_stmt(q, others ? sql_others : sql_by_product);
	static const struct rcol head[] = {{N_("product"), RT_TEXT}, {N_("item"), RT_TEXT}};
	static const struct rcol cols[] = {
		{N_("installs"), RT_INT},	       {N_("lowest (yuan)"), RT_MONEY},
		{N_("average (yuan)"), RT_MONEY},     {N_("highest (yuan)"), RT_MONEY},
		{N_("catalog (yuan)"), RT_MONEY},     {N_("average vs catalog"), RT_PERCENT},
		{N_("outliers"), RT_INT},
	};
	int rc;

	rtable_cols(t, head, GW_ARRAY_LEN(head));
	if (others)
		rtable_col(t, _("installer"), RT_TEXT);
	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		group_row(t, st, others);
	return price_done(q, st, rc);
}

/* ---- installs to audit ---- */

static void outlier_row(struct rtable *t, sqlite3_stmt *st)
{
	char when[32];
	int cat = category_parse(col_text(st, 2));

	rtime_format(col_int(st, 0), when, sizeof when);
	rtable_row(t);
	rtable_text(t, when);
	rtable_id(t, col_text(st, 1));
	rtable_text(t, cat >= 0 ? rlabel_category((enum category)cat) : col_text(st, 2));
	rtable_text(t, col_text(st, 3));
	rtable_text(t, col_text(st, 4));
	rtable_id(t, col_text(st, 5));
	rtable_money(t, col_int(st, 6));
	rtable_money(t, col_int(st, 7));
	rtable_rate(t, col_int(st, 6) - col_int(st, 7), col_int(st, 7));
}

static int outlier_table(const struct price_q *q, struct report *r)
{
	struct rtable *t = report_add_table(r, _("Installs to audit (price outliers)"));
	sqlite3_stmt *st = price_stmt(q, sql_outliers);
	char note[200], pct[48];
	static const struct rcol cols[] = {
		{N_("time"), RT_TEXT},		{N_("account"), RT_ID},
		{N_("category"), RT_TEXT},	{N_("installer"), RT_TEXT},
		{N_("product"), RT_TEXT},	{N_("serial"), RT_ID},
		{N_("price (yuan)"), RT_MONEY}, {N_("catalog (yuan)"), RT_MONEY},
		{N_("vs catalog"), RT_PERCENT},
	};
	int rc;

	if (q->pct_den == 1)
		snprintf(pct, sizeof pct, "%lld", (long long)q->pct_num);
	else
		snprintf(pct, sizeof pct, "%lld/%lld", (long long)q->pct_num, (long long)q->pct_den);
	snprintf(note, sizeof note, _("more than %s%% above or below the catalog price"), pct);
	rtable_note(t, note);
	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		outlier_row(t, st);
	return price_done(q, st, rc);
}

static int serial_table(const struct price_q *q, struct report *r)
{
	struct rtable *t = report_add_table(r, _("Serials fitted at more than one household"));
	sqlite3_stmt *st = price_stmt(q, sql_serials);
	static const struct rcol cols[] = {
		{N_("serial"), RT_ID},	  {N_("product"), RT_TEXT}, {N_("account"), RT_ID},
		{N_("time"), RT_TEXT},	  {N_("installer"), RT_TEXT},
	};
	char when[32];
	int rc;

	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rtime_format(col_int(st, 3), when, sizeof when);
		rtable_row(t);
		rtable_id(t, col_text(st, 0));
		rtable_text(t, col_text(st, 1));
		rtable_id(t, col_text(st, 2));
		rtable_text(t, when);
		rtable_text(t, col_text(st, 4));
	}
	return price_done(q, st, rc);
}

struct report *report_prices(struct rctx *c)
{
	struct price_q q = {c, 20, 1};
	char sub[200];
	struct report *r;

	if (!rctx_fraction(c, "price_outlier_percent", &q.pct_num, &q.pct_den) ||
	    q.pct_den > 1000000) {
		q.pct_num = 20;
		q.pct_den = 1;
	}
	rsubtitle(c, sub, sizeof sub);
	r = report_new(_("Prices charged for installs"), sub);
	if (installer_table(&q, r) || group_table(&q, r, 0) || group_table(&q, r, 1) ||
	    outlier_table(&q, r) || serial_table(&q, r)) {
		report_free(r);
		return NULL;
	}
	return r;
}
