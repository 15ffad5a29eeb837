/* Household changes made by sub-offices' roll-ups, attributed (sync/relay.c keeps them):
 * the district's list of who changed which household's record, when, and which fields. */
#include <string.h>

#include "core/i18n.h"
#include "core/labels.h"
#include "core/util.h"
#include "report/attribution.h"

static const char sql_changes[] =
	"SELECT a.at, COALESCE(d.name, ''), a.office, COALESCE(d.subdistrict, ''), a.account, "
	"COALESCE(h.subdistrict, ''), COALESCE(h.compound, ''), a.fields, a.bundle_hash "
	"FROM household_attribution a LEFT JOIN device d ON d.id = a.office "
	"LEFT JOIN household h ON h.account = a.account WHERE a.at <= ?1 ORDER BY a.n";

static void change_row(struct rtable *t, sqlite3_stmt *st)
{
	char day[32], hash[17], fields[400];

	rday_format(rday_of(sqlite3_column_int64(st, 0)), day, sizeof day);
	gw_strlcpy(hash, ledger_text(st, 8), sizeof hash);
	rtable_row(t);
	rtable_text(t, day);
	rtable_text(t, ledger_text(st, 1));
	rtable_id(t, ledger_text(st, 2));
	rtable_id(t, ledger_text(st, 3));
	rtable_id(t, ledger_text(st, 4));
	rtable_text(t, ledger_text(st, 5));
	rtable_text(t, ledger_text(st, 6));
	label_fields(ledger_text(st, 7), fields, sizeof fields);
	rtable_text(t, fields);
	rtable_id(t, hash);
}

static int change_table(struct rctx *c, struct report *r)
{
	static const struct rcol cols[] = {
		{N_("date"), RT_TEXT},        {N_("office"), RT_TEXT},
		{N_("office id"), RT_ID},     {N_("territory"), RT_ID},
		{N_("account"), RT_ID},       {N_("subdistrict"), RT_TEXT},
		{N_("compound"), RT_TEXT},    {N_("fields changed"), RT_TEXT},
		{N_("roll-up"), RT_ID},
	};
	struct rtable *t = report_add_table(r, _("Household changes by office"));
	sqlite3_stmt *st = ledger_stmt(c->l, sql_changes);
	int rc;

	if (!st)
		return -1;
	rtable_note(t, _("every household record a sub-office's roll-up added or changed here, "
			 "in the order merged; 'new' for a household it added"));
	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
	sqlite3_bind_int64(st, 1, c->as_of);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		change_row(t, st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(c->l, "read household changes");
}

struct report *report_household_changes(struct rctx *c)
{
	struct report *r;
	char sub[200];

	rsubtitle(c, sub, sizeof sub);
	r = report_new(_("Household changes"), sub);
	if (change_table(c, r)) {
		report_free(r);
		return NULL;
	}
	return r;
}
