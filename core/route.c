/* The route queries behind the terminal's walk screen. */
#include "route.h"

#include <string.h>

#include "util.h"

#define DONE_EXPR "(s.last_outcome IS NOT NULL AND s.last_outcome <> 'not-home')"
/* A visit found a required device missing: an installer's door. */
#define LACKING_EXPR "COALESCE(s.missing <> '', 0)"

/* ?1 names a compound as "subdistrict/compound" (route_group.key) or by name alone. */
#define COMPOUND_IS_1 "(h.compound = ?1 OR h.subdistrict || '/' || h.compound = ?1)"

static const char sql_day[] =
	"SELECT count(*), COALESCE(sum(" DONE_EXPR "), 0) "
	"FROM household h LEFT JOIN status s ON s.account = h.account";

static const char sql_compounds[] =
	"SELECT h.compound, count(*), COALESCE(sum(" DONE_EXPR "), 0), sum(" LACKING_EXPR "), "
	"h.subdistrict || '/' || h.compound "
	"FROM household h LEFT JOIN status s ON s.account = h.account "
	"GROUP BY h.subdistrict, h.compound ORDER BY h.compound, h.subdistrict";

static const char sql_buildings[] =
	"SELECT h.building, count(*), COALESCE(sum(" DONE_EXPR "), 0), sum(" LACKING_EXPR ") "
	"FROM household h LEFT JOIN status s ON s.account = h.account "
	"WHERE " COMPOUND_IS_1 " GROUP BY h.building "
	"ORDER BY CAST(h.building AS INTEGER), h.building";

static const char sql_units[] =
	"SELECT h.unit, count(*), COALESCE(sum(" DONE_EXPR "), 0), sum(" LACKING_EXPR ") "
	"FROM household h LEFT JOIN status s ON s.account = h.account "
	"WHERE " COMPOUND_IS_1 " AND h.building = ?2 GROUP BY h.unit "
	"ORDER BY CAST(h.unit AS INTEGER), h.unit";

static const char sql_doors[] =
	"SELECT h.account, h.name, h.floor, h.room, h.category, h.gas, "
	"COALESCE(s.state, 'never_reached'), s.hose, s.valve, s.alarm, s.shutoff, "
	"s.last_outcome, " DONE_EXPR ", " LACKING_EXPR " "
	"FROM household h LEFT JOIN status s ON s.account = h.account "
	"WHERE " COMPOUND_IS_1 " AND h.building = ?2 AND h.unit = ?3 "
	"AND (?4 = 0 OR (?4 = 1 AND NOT " DONE_EXPR ") OR (?4 = 2 AND " LACKING_EXPR ")) "
	"ORDER BY CAST(h.floor AS INTEGER), h.floor, CAST(h.room AS INTEGER), h.room";

static const char sql_today[] =
	"SELECT count(DISTINCT v.account) FROM visit v WHERE v.at_epoch >= ?1 AND NOT "
	VISIT_VOIDED("v");

static int or0(int v)
{
	return v < 0 ? 0 : v;
}

int route_day(struct ledger *l, int *done, int *total)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_day);
	int rc;

	*done = *total = 0;
	if (!st)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*total = sqlite3_column_int(st, 0);
		*done = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : ledger_db_fail(l, "route");
}

int route_today(struct ledger *l, int64_t since, int *visited)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_today);
	int rc;

	*visited = 0;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, since);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*visited = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : ledger_db_fail(l, "route");
}

int route_groups(struct ledger *l, const char *compound, const char *building,
		 route_group_fn fn, void *ctx)
{
	const char *sql = !compound ? sql_compounds : !building ? sql_buildings : sql_units;
	sqlite3_stmt *st = ledger_stmt(l, sql);
	struct route_group g;
	int rc;

	if (!st)
		return -1;
	if (compound)
		sqlite3_bind_text(st, 1, compound, -1, SQLITE_TRANSIENT);
	if (compound && building)
		sqlite3_bind_text(st, 2, building, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		gw_strlcpy(g.name, ledger_text(st, 0), sizeof g.name);
		g.total = sqlite3_column_int(st, 1);
		g.done = sqlite3_column_int(st, 2);
		g.lacking = sqlite3_column_int(st, 3);
		gw_strlcpy(g.key, compound ? g.name : ledger_text(st, 4), sizeof g.key);
		if (fn(ctx, &g) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "route");
}

static void door_from_row(sqlite3_stmt *st, struct route_door *d)
{
	gw_strlcpy(d->account, ledger_text(st, 0), sizeof d->account);
	gw_strlcpy(d->name, ledger_text(st, 1), sizeof d->name);
	gw_strlcpy(d->floor, ledger_text(st, 2), sizeof d->floor);
	gw_strlcpy(d->room, ledger_text(st, 3), sizeof d->room);
	d->category = (enum category)or0(category_parse(ledger_text(st, 4)));
	d->gas = (enum gas)or0(gas_parse(ledger_text(st, 5)));
	d->state = (enum state)or0(state_parse(ledger_text(st, 6)));
	d->hose = (enum hose)or0(hose_parse(ledger_text(st, 7)));
	d->valve = (enum devstate)or0(devstate_parse(ledger_text(st, 8)));
	d->alarm = (enum devstate)or0(devstate_parse(ledger_text(st, 9)));
	d->shutoff = (enum devstate)or0(devstate_parse(ledger_text(st, 10)));
	d->last_outcome = outcome_parse(ledger_text(st, 11));
	d->done = sqlite3_column_int(st, 12);
	d->lacking = sqlite3_column_int(st, 13);
}

int route_doors(struct ledger *l, const char *compound, const char *building, const char *unit,
		int pending_only, route_door_fn fn, void *ctx)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_doors);
	struct route_door d;
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, compound, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, building, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, unit, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 4, pending_only);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		door_from_row(st, &d);
		if (fn(ctx, &d) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "route");
}
