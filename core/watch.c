#include "watch.h"

/* PRAGMA data_version changes only when another connection commits. */
int watch_changed(struct ledger *l, int64_t *seen)
{
	sqlite3_stmt *st = ledger_stmt(l, "PRAGMA data_version");
	int64_t v;
	int first = *seen == 0;

	if (sqlite3_step(st) != SQLITE_ROW)
		return ledger_db_fail(l, "data version");
	v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (v == *seen)
		return 0;
	*seen = v;
	return !first;
}
