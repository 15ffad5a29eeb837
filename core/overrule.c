#include "overrule.h"

#include <string.h>

#include "util.h"

static const char sql_losers[] =
	"SELECT CASE WHEN keep_device = a_device AND keep_seq = a_seq THEN b_device ELSE a_device END, "
	"CASE WHEN keep_device = a_device AND keep_seq = a_seq THEN b_seq ELSE a_seq END "
	"FROM conflict WHERE account = ? AND resolved_at IS NOT NULL";

static void drop(struct visit *v, size_t *n, const char *device, int64_t seq)
{
	for (size_t i = 0; i < *n; i++) {
		if (v[i].id.seq != seq || strcmp(v[i].id.device, device) != 0)
			continue;
		memmove(&v[i], &v[i + 1], (*n - i - 1) * sizeof *v);
		(*n)--;
		return;
	}
}

int status_drop_overruled(struct ledger *l, const char *account, struct visit *v, size_t *n)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_losers);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, account, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		drop(v, n, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "read resolutions");
}

static void drop_lean(struct visit_lean *v, size_t *n, const char *device, int64_t seq)
{
	for (size_t i = 0; i < *n; i++) {
		if (v[i].id.seq != seq || strcmp(v[i].id.device, device) != 0)
			continue;
		memmove(&v[i], &v[i + 1], (*n - i - 1) * sizeof *v);
		(*n)--;
		return;
	}
}

int status_drop_overruled_lean(struct ledger *l, const char *account, struct visit_lean *v,
			       size_t *n)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_losers);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, account, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		drop_lean(v, n, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "read resolutions");
}
