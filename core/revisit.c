/* Households to revisit: never entered, left a not-at-home card. */
#include "revisit.h"

#include "util.h"

static const char sql_revisits[] =
	"SELECT v.account, count(*), min(v.at_epoch), max(v.at_epoch) FROM visit v "
	"JOIN household h ON h.account = v.account "
	"WHERE v.outcome = 'not-home' AND v.at_epoch <= ?1 AND (?2 IS NULL OR h.compound = ?2) "
	"AND NOT " VISIT_VOIDED("v") " AND NOT EXISTS (SELECT 1 FROM visit e WHERE "
	"e.account = v.account AND e.outcome = 'entered' AND e.at_epoch <= ?1 "
	"AND NOT " VISIT_VOIDED("e") ") "
	"GROUP BY v.account ORDER BY min(h.subdistrict), min(h.compound), min(v.at_epoch), v.account";

int revisit_each(struct ledger *l, const char *compound, int64_t as_of, revisit_fn fn,
		 void *ctx)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_revisits);
	int rc = 0, step;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, as_of ? as_of : INT64_MAX);
	if (compound)
		sqlite3_bind_text(st, 2, compound, -1, SQLITE_STATIC);
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW)
		rc = fn(ctx, ledger_text(st, 0), sqlite3_column_int(st, 1),
			sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3));
	sqlite3_reset(st);
	if (!rc && step != SQLITE_DONE)
		return ledger_db_fail(l, "read revisits");
	return rc ? -1 : 0;
}
