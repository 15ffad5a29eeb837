/* Revisits (到访不遇): households never entered, with each not-at-home date. */
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "report/report.h"

static const char sql_revisits[] =
	"SELECT h.account, h.subdistrict, h.community, h.compound, h.building, h.unit, h.room, "
	"h.name, h.phone, count(*), min(v.at_epoch), max(v.at_epoch), "
	"group_concat(strftime('%Y-%m-%d', v.at_epoch, 'unixepoch', 'localtime'), ' ') "
	"FROM (SELECT account, at_epoch FROM visit v WHERE outcome = 'not-home' AND at_epoch <= ?1 "
	"AND NOT " VISIT_VOIDED("v") " ORDER BY account, at_epoch) v "
	"JOIN household h ON h.account = v.account "
	"WHERE NOT EXISTS (SELECT 1 FROM visit e WHERE e.account = v.account "
	"AND e.outcome = 'entered' AND e.at_epoch <= ?1 AND NOT " VISIT_VOIDED("e") ") "
	"GROUP BY h.account";

struct door {
	char account[HH_ACCOUNT_MAX + 1], community[HH_PLACE_MAX + 1], compound[HH_PLACE_MAX + 1];
	char address[4 * HH_PLACE_MAX], name[HH_NAME_MAX + 1], phone[HH_PHONE_MAX + 1];
	char *dates;
	int sub, n;
	int64_t first, last;
};

struct doors {
	struct door *d;
	size_t n, cap;
};

static void door_from(struct rctx *c, sqlite3_stmt *st, struct door *d)
{
	struct household h = {0}; /* only the address fields are set */

	gw_strlcpy(d->account, ledger_text(st, 0), sizeof d->account);
	d->sub = rctx_sub(c, ledger_text(st, 1));
	gw_strlcpy(d->community, ledger_text(st, 2), sizeof d->community);
	gw_strlcpy(d->compound, ledger_text(st, 3), sizeof d->compound);
	gw_strlcpy(h.compound, ledger_text(st, 3), sizeof h.compound);
	gw_strlcpy(h.building, ledger_text(st, 4), sizeof h.building);
	gw_strlcpy(h.unit, ledger_text(st, 5), sizeof h.unit);
	gw_strlcpy(h.room, ledger_text(st, 6), sizeof h.room);
	rlabel_address(&h, d->address, sizeof d->address);
	gw_strlcpy(d->name, ledger_text(st, 7), sizeof d->name);
	gw_strlcpy(d->phone, ledger_text(st, 8), sizeof d->phone);
	d->n = sqlite3_column_int(st, 9);
	d->first = sqlite3_column_int64(st, 10);
	d->last = sqlite3_column_int64(st, 11);
	d->dates = xstrdup(ledger_text(st, 12));
}

static int read_doors(struct rctx *c, struct doors *out)
{
	sqlite3_stmt *st = ledger_stmt(c->l, sql_revisits);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, c->as_of);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n == out->cap) {
			out->cap = out->cap ? 2 * out->cap : 256;
			out->d = xrealloc(out->d, out->cap * sizeof *out->d);
		}
		door_from(c, st, &out->d[out->n++]);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(c->l, "read not-at-home visits");
}

static int cmp_door(const void *pa, const void *pb)
{
	const struct door *a = pa, *b = pb;
	int c;

	if (a->sub != b->sub)
		return a->sub < b->sub ? -1 : 1;
	if ((c = strcmp(a->compound, b->compound)) != 0)
		return c;
	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	return strcmp(a->account, b->account);
}

static void door_row(struct rctx *c, struct rtable *t, const struct door *d)
{
	char buf[32];

	rtable_row(t);
	rtable_text(t, c->subs[d->sub].name);
	rtable_text(t, d->community);
	rtable_text(t, d->compound);
	rtable_id(t, d->account);
	rtable_text(t, d->name);
	rtable_text(t, d->address);
	rtable_id(t, d->phone);
	rtable_int(t, d->n);
	rday_format(rday_of(d->first), buf, sizeof buf);
	rtable_text(t, buf);
	rtable_int(t, c->as_of_day - rday_of(d->first));
	rtable_text(t, d->dates);
}

static void door_table(struct rctx *c, struct report *r, const struct doors *ds)
{
	struct rtable *t = report_add_table(r, _("Households never entered"));
	static const struct rcol cols[] = {
		{N_("subdistrict"), RT_TEXT},
		{N_("community"), RT_TEXT},
		{N_("compound"), RT_TEXT},
		{N_("account"), RT_ID},
		{N_("name"), RT_TEXT},
		{N_("address"), RT_TEXT},
		{N_("phone"), RT_ID},
		{N_("not-at-home visits"), RT_INT},
		{N_("first not at home"), RT_TEXT},
		{N_("days since"), RT_INT},
		{N_("not-at-home dates"), RT_TEXT},
	};

	rtable_note(t, _("households with a not-at-home visit and no visit that got in; by "
			 "compound, oldest first"));
	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
	for (size_t i = 0; i < ds->n; i++)
		door_row(c, t, &ds->d[i]);
}

struct report *report_revisits(struct rctx *c)
{
	struct doors ds = {NULL, 0, 0};
	struct report *r = NULL;
	char sub[200];

	if (read_doors(c, &ds) == 0) {
		if (ds.n)
			qsort(ds.d, ds.n, sizeof *ds.d, cmp_door);
		rsubtitle(c, sub, sizeof sub);
		r = report_new(_("Households to revisit"), sub);
		door_table(c, r, &ds);
	}
	for (size_t i = 0; i < ds.n; i++)
		free(ds.d[i].dates);
	free(ds.d);
	return r;
}
