/* Households in the ledger: upsert by account number, read, list in walking order. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "ledger.h"
#include "util.h"

static const char sql_get[] = "SELECT " HOUSEHOLD_COLUMNS " FROM household h WHERE account = ?";

static const char sql_insert[] =
	"INSERT INTO household(account, category, gas, new_build, sector, name, phone, "
	"subdistrict, community, compound, building, unit, floor, room) "
	"VALUES(?1, ?2, ?3, ?4, NULLIF(?5, ''), ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";

static const char sql_update[] =
	"UPDATE household SET category = ?2, gas = ?3, new_build = ?4, sector = NULLIF(?5, ''), "
	"name = ?6, phone = ?7, subdistrict = ?8, community = ?9, compound = ?10, "
	"building = ?11, unit = ?12, floor = ?13, room = ?14 WHERE account = ?1";

static void copy_col(sqlite3_stmt *st, int i, char *dst, size_t size)
{
	gw_strlcpy(dst, ledger_text(st, i), size);
}

void household_from_row(sqlite3_stmt *st, int first, struct household *h)
{
	copy_col(st, first + 0, h->account, sizeof h->account);
	h->category = (enum category)(category_parse(ledger_text(st, first + 1)) > 0);
	h->gas = (enum gas)(gas_parse(ledger_text(st, first + 2)) > 0);
	h->new_build = sqlite3_column_int(st, first + 3);
	copy_col(st, first + 4, h->sector, sizeof h->sector);
	copy_col(st, first + 5, h->name, sizeof h->name);
	copy_col(st, first + 6, h->phone, sizeof h->phone);
	copy_col(st, first + 7, h->subdistrict, sizeof h->subdistrict);
	copy_col(st, first + 8, h->community, sizeof h->community);
	copy_col(st, first + 9, h->compound, sizeof h->compound);
	copy_col(st, first + 10, h->building, sizeof h->building);
	copy_col(st, first + 11, h->unit, sizeof h->unit);
	copy_col(st, first + 12, h->floor, sizeof h->floor);
	copy_col(st, first + 13, h->room, sizeof h->room);
}

int household_get(struct ledger *l, const char *account, struct household *h)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_get);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		household_from_row(st, 0, h);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ledger_db_fail(l, "read household");
	return gw_fail(GW_ERR_NOTFOUND, _("%s: no such household"), account);
}

static void bind_household(sqlite3_stmt *st, const struct household *h)
{
	const char *text[] = {h->account, category_name(h->category), gas_name(h->gas), NULL,
			      h->sector, h->name, h->phone, h->subdistrict, h->community,
			      h->compound, h->building, h->unit, h->floor, h->room};

	for (int i = 0; i < (int)GW_ARRAY_LEN(text); i++)
		if (i == 3)
			sqlite3_bind_int(st, 4, h->new_build);
		else
			sqlite3_bind_text(st, i + 1, text[i], -1, SQLITE_STATIC);
}

static int same_household(const struct household *a, const struct household *b)
{
	return a->category == b->category && a->gas == b->gas && a->new_build == b->new_build &&
	       !strcmp(a->sector, b->sector) && !strcmp(a->name, b->name) &&
	       !strcmp(a->phone, b->phone) && !strcmp(a->subdistrict, b->subdistrict) &&
	       !strcmp(a->community, b->community) && !strcmp(a->compound, b->compound) &&
	       !strcmp(a->building, b->building) && !strcmp(a->unit, b->unit) &&
	       !strcmp(a->floor, b->floor) && !strcmp(a->room, b->room);
}

static int run(struct ledger *l, const char *sql, const struct household *h)
{
	sqlite3_stmt *st = ledger_stmt(l, sql);
	int rc;

	if (!st)
		return -1;
	bind_household(st, h);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, h->account);
}

int household_insert(struct ledger *l, const struct household *h)
{
	return run(l, sql_insert, h);
}

int household_upsert(struct ledger *l, const struct household *h, enum upsert_result *res)
{
	struct household old = {0};

	if (household_get(l, h->account, &old) != 0) {
		if (gw_last_status() != GW_ERR_NOTFOUND)
			return -1;
		*res = UPSERT_ADDED;
		return run(l, sql_insert, h);
	}
	if (same_household(&old, h)) {
		*res = UPSERT_UNCHANGED;
		return 0;
	}
	*res = UPSERT_UPDATED;
	if (run(l, sql_update, h))
		return -1;
	/* a new category or gas type changes what the household must have */
	if (old.category != h->category || old.gas != h->gas || old.new_build != h->new_build)
		return status_refresh(l, h->account);
	return 0;
}

/* ---- listing ---- */

static const char sql_list[] =
	"SELECT h.account, h.category, h.gas, h.new_build, COALESCE(h.sector, ''), h.name, "
	"h.phone, h.subdistrict, h.community, h.compound, h.building, h.unit, h.floor, h.room, "
	"COALESCE(s.state, 'never_reached'), s.hose, s.valve, s.alarm, s.shutoff, "
	"COALESCE(s.visits, 0), COALESCE(s.open_hazards, 0), s.last_outcome, "
	"COALESCE(s.last_at, 0), s.missing "
	"FROM household h LEFT JOIN status s ON s.account = h.account "
	"WHERE (?1 IS NULL OR h.compound = ?1 OR h.subdistrict || '/' || h.compound = ?1) "
	"AND (?2 = 0 OR COALESCE(s.state, 'never_reached') <> 'compliant') "
	"AND (?3 IS NULL OR instr(h.account, ?3) OR instr(h.name, ?3) "
	"  OR instr(h.compound || h.building || '-' || h.unit || '-' || h.room, ?3) "
	"  OR instr(h.compound || ' ' || h.building || ' ' || h.unit || ' ' || h.room, ?3)) "
	"ORDER BY h.compound, h.subdistrict, h.building, h.unit, CAST(h.floor AS INTEGER), h.floor, "
	"h.room "
	"LIMIT CASE WHEN ?4 > 0 THEN ?4 ELSE -1 END";

static unsigned missing_from_str(const char *s)
{
	unsigned m = 0;

	for (int it = 0; it < ITEM__N; it++)
		if (strstr(s, item_name((enum item)it)))
			m |= 1u << it;
	return m;
}

static void status_from_row(sqlite3_stmt *st, int c, struct status *s)
{
	memset(s, 0, sizeof *s);
	s->state = (enum state)enum_or_unknown(state_parse(ledger_text(st, c)));
	s->hose = (enum hose)enum_or_unknown(hose_parse(ledger_text(st, c + 1)));
	s->valve = (enum devstate)enum_or_unknown(devstate_parse(ledger_text(st, c + 2)));
	s->alarm = (enum devstate)enum_or_unknown(devstate_parse(ledger_text(st, c + 3)));
	s->shutoff = (enum devstate)enum_or_unknown(devstate_parse(ledger_text(st, c + 4)));
	s->visits = sqlite3_column_int(st, c + 5);
	s->open_hazards = sqlite3_column_int(st, c + 6);
	s->last_outcome = outcome_parse(ledger_text(st, c + 7));
	s->last_at = sqlite3_column_int64(st, c + 8);
	s->missing = missing_from_str(ledger_text(st, c + 9));
}

int ledger_list(struct ledger *l, const struct list_filter *f, household_fn fn, void *ctx)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_list);
	struct household h;
	struct status s;
	int rc;

	if (!st)
		return -1;
	if (f->compound)
		sqlite3_bind_text(st, 1, f->compound, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, f->pending_only);
	if (f->search && *f->search)
		sqlite3_bind_text(st, 3, f->search, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, f->limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		household_from_row(st, 0, &h);
		status_from_row(st, 14, &s);
		if (s.visits == 0)
			s.missing = 0;
		if (fn(ctx, &h, &s) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "list");
}
