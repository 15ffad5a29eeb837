#include "territory.h"

#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"

static const char sql_name[] = "SELECT name_zh FROM subdistrict WHERE code = ?";
static const char sql_household[] = "SELECT subdistrict FROM household WHERE account = ?";
/* The first visit, then void, of the office's own feed (?4) arrived after ?1 whose
 * household is outside. */
#define SQL_OUTSIDE(table)                                                                   \
	"SELECT a.device, a.seq, h.account, h.subdistrict FROM visit_arrival a "               \
	"JOIN " table " e ON e.device = a.device AND e.seq = a.seq "                           \
	"JOIN household h ON h.account = e.account "                                           \
	"WHERE a.n > ?1 AND a.device = ?4 AND h.subdistrict <> ?2 AND h.subdistrict <> ?3 "    \
	"ORDER BY a.n LIMIT 1"
static const char *const sql_outside[] = {SQL_OUTSIDE("visit"), SQL_OUTSIDE("visit_void")};
/* The relayed visits (of devices other than the office ?4) arrived after ?1 whose
 * household is outside, not voided yet. */
static const char sql_relayed_outside[] =
	"SELECT a.device, a.seq FROM visit_arrival a "
	"JOIN visit e ON e.device = a.device AND e.seq = a.seq "
	"JOIN household h ON h.account = e.account "
	"WHERE a.n > ?1 AND a.device <> ?4 AND h.subdistrict <> ?2 AND h.subdistrict <> ?3 "
	"AND NOT EXISTS(SELECT 1 FROM visit_void w WHERE w.target_device = e.device "
	"AND w.target_seq = e.seq AND w.account = e.account) ORDER BY a.n";

/* t->code set: its name from the subdistrict table. */
static int territory_name(struct ledger *l, struct territory *t)
{
	sqlite3_stmt *st;
	int rc;

	if (!(st = ledger_stmt(l, sql_name)))
		return -1;
	sqlite3_bind_text(st, 1, t->code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		gw_strlcpy(t->name, ledger_text(st, 0), sizeof t->name);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "subdistrict");
}

int territory_of(struct ledger *l, const struct sync_device *office, struct territory *t)
{
	memset(t, 0, sizeof *t);
	if (!office->subdistrict[0])
		return gw_fail(GW_ERR_INPUT, _("office %s has no territory (enrolled without --subdistrict)"),
			       office->ident.id);
	gw_strlcpy(t->code, office->subdistrict, sizeof t->code);
	return territory_name(l, t);
}

int territory_own(struct ledger *l, struct territory *t)
{
	char level[32];

	memset(t, 0, sizeof *t);
	if (strcmp(ledger_kind(l), "office") != 0 ||
	    (ledger_meta(l, "level", level, sizeof level) == 1 && strcmp(level, "district") == 0) ||
	    ledger_meta(l, "subdistrict", t->code, sizeof t->code) != 1 || !t->code[0])
		return 0;
	return territory_name(l, t) ? -1 : 1;
}

int territory_has(const struct territory *t, const char *subdistrict)
{
	return strcmp(subdistrict, t->code) == 0 || (t->name[0] && strcmp(subdistrict, t->name) == 0);
}

int territory_household(struct ledger *l, const char *account, char *out, size_t outsz)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_household);
	int rc;

	if (!st)
		return -1;
	out[0] = '\0';
	sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		gw_strlcpy(out, ledger_text(st, 0), outsz);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "household");
}

static void bind_outside(sqlite3_stmt *st, const struct territory *t, const char *office,
			 int64_t after)
{
	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_text(st, 2, t->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, t->name[0] ? t->name : t->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, office, -1, SQLITE_STATIC);
}

static int first_outside(struct ledger *l, const char *sql, const struct territory *t,
			 const char *office, const char *name, int64_t after)
{
	sqlite3_stmt *st = ledger_stmt(l, sql);
	int rc;

	if (!st)
		return -1;
	bind_outside(st, t, office, after);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		gw_fail(GW_ERR_REJECTED, _("visit %s/%lld: household %s is in '%s', outside the territory of office %s (%s, %s)"),
			ledger_text(st, 0), (long long)sqlite3_column_int64(st, 1), ledger_text(st, 2),
			ledger_text(st, 3), name, t->name[0] ? t->name : t->code, t->code);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return -1;
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "territory");
}

int territory_check_arrivals(struct ledger *l, const struct territory *t, const char *office,
			     const char *name, int64_t after)
{
	return first_outside(l, sql_outside[0], t, office, name, after) ||
	       first_outside(l, sql_outside[1], t, office, name, after) ? -1 : 0;
}

int territory_relayed_outside(struct ledger *l, const struct territory *t, const char *office,
			      int64_t after, struct visit_id **ids, size_t *n)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_relayed_outside);
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if (!st)
		return -1;
	bind_outside(st, t, office, after);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap)
			*ids = xrealloc(*ids, (cap = cap ? 2 * cap : 16) * sizeof **ids);
		gw_strlcpy((*ids)[*n].device, ledger_text(st, 0), sizeof (*ids)[0].device);
		(*ids)[(*n)++].seq = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "territory");
}

int territory_own_outside(struct ledger *l, const char *account, struct territory *t,
			  char *sub, size_t subsz)
{
	int scoped = territory_own(l, t);

	sub[0] = '\0';
	if (scoped <= 0)
		return scoped;
	if (territory_household(l, account, sub, subsz))
		return -1;
	return !territory_has(t, sub);
}
