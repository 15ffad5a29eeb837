/* Reference data queries for the capture forms and the household card. */
#include "refdata.h"

#include <string.h>

#include "util.h"

static const char sql_checklist[] =
	"SELECT code, grade, CASE WHEN ?3 THEN name_zh ELSE name_en END FROM hazard_item "
	"WHERE applies_to IN ('all', ?1, ?2) ORDER BY code";

static const char sql_catalog[] =
	"SELECT c.code, c.item, CASE WHEN ?2 THEN c.name_zh ELSE c.name_en END, c.standard, "
	"c.price_fen, COALESCE(f.category, '') "
	"FROM catalog c LEFT JOIN catalog_fit f ON f.code = c.code WHERE c.item = ?1 "
	"ORDER BY c.code";

static const char sql_rect[] =
	"SELECT r.code, r.grade, r.opened_at, COALESCE(r.deadline, 0), "
	"COALESCE(CASE WHEN ?2 THEN k.name_zh ELSE k.name_en END, r.code) "
	"FROM rectification r LEFT JOIN hazard_item k ON k.code = r.code "
	"WHERE r.account = ?1 AND r.cleared_at IS NULL ORDER BY r.opened_at, r.code";

static const char sql_serial[] =
	"SELECT v.account FROM visit_install i JOIN visit v ON v.device = i.device AND v.seq = i.seq "
	"WHERE i.serial = ?1 AND v.account <> ?2 AND NOT " VISIT_VOIDED("v") " LIMIT 1";

static const char sql_subdistrict[] =
	"SELECT code FROM subdistrict WHERE upper(code) = upper(?1) OR name_zh = ?1 "
	"OR name_zh = ?1 || '街道' OR lower(name_pinyin) = lower(?1) ORDER BY code LIMIT 1";
static const char sql_sector[] =
	"SELECT CASE WHEN ?2 THEN name_zh ELSE name_en END FROM sector WHERE code = ?1";

/* The caller's callback, whichever kind it is. */
struct each {
	union {
		checklist_fn checklist;
		catalog_fn catalog;
		rectification_fn rect;
	} fn;
	void *ctx;
};

/* Steps st to the end, calling row(st, e) for each row until it returns nonzero. */
static int each_row(struct ledger *l, sqlite3_stmt *st,
		    int (*row)(sqlite3_stmt *st, const struct each *e), const struct each *e)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (row(st, e) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "reference data");
}

static int checklist_row(sqlite3_stmt *st, const struct each *e)
{
	struct checklist_item c;

	gw_strlcpy(c.code, ledger_text(st, 0), sizeof c.code);
	c.grade = sqlite3_column_int(st, 1);
	gw_strlcpy(c.name, ledger_text(st, 2), sizeof c.name);
	return e->fn.checklist(e->ctx, &c);
}

int refdata_checklist(struct ledger *l, enum category c, enum gas g, int zh, checklist_fn fn,
		      void *ctx)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_checklist);
	struct each e = {.fn.checklist = fn, .ctx = ctx};

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, category_name(c), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, gas_name(g), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, zh);
	return each_row(l, st, checklist_row, &e);
}

static int catalog_row(sqlite3_stmt *st, const struct each *each)
{
	struct catalog_entry e;
	int it = item_parse(ledger_text(st, 1));

	gw_strlcpy(e.code, ledger_text(st, 0), sizeof e.code);
	e.item = (enum item)(it < 0 ? 0 : it);
	gw_strlcpy(e.name, ledger_text(st, 2), sizeof e.name);
	gw_strlcpy(e.standard, ledger_text(st, 3), sizeof e.standard);
	e.price_fen = sqlite3_column_int64(st, 4);
	e.fits = category_parse(ledger_text(st, 5)); /* -1: any customer */
	return each->fn.catalog(each->ctx, &e);
}

int refdata_catalog(struct ledger *l, enum item it, int zh, catalog_fn fn, void *ctx)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_catalog);
	struct each e = {.fn.catalog = fn, .ctx = ctx};

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, item_name(it), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, zh);
	return each_row(l, st, catalog_row, &e);
}

static int rect_row(sqlite3_stmt *st, const struct each *e)
{
	struct rectification r;

	gw_strlcpy(r.code, ledger_text(st, 0), sizeof r.code);
	r.grade = sqlite3_column_int(st, 1);
	r.opened_at = sqlite3_column_int64(st, 2);
	r.deadline = sqlite3_column_int64(st, 3);
	gw_strlcpy(r.name, ledger_text(st, 4), sizeof r.name);
	return e->fn.rect(e->ctx, &r);
}

int refdata_rectifications(struct ledger *l, const char *account, int zh, rectification_fn fn,
			   void *ctx)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_rect);
	struct each e = {.fn.rect = fn, .ctx = ctx};

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, account, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, zh);
	return each_row(l, st, rect_row, &e);
}

int refdata_sector_name(struct ledger *l, const char *code, int zh, char *out, size_t outsz)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_sector);
	int rc;

	gw_strlcpy(out, code, outsz);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, zh);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		gw_strlcpy(out, ledger_text(st, 0), outsz);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "sector");
}

int refdata_serial_fitted(struct ledger *l, const char *serial, const char *account, char *other,
			  size_t othersz)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_serial);
	int rc;

	if (othersz)
		other[0] = '\0';
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, serial, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, account, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		gw_strlcpy(other, ledger_text(st, 0), othersz);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ledger_db_fail(l, "serial");
	return rc == SQLITE_ROW;
}

int refdata_subdistrict_code(struct ledger *l, const char *typed, char *code, size_t codesz)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_subdistrict);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, typed, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		gw_strlcpy(code, ledger_text(st, 0), codesz);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? 1 : ledger_db_fail(l, "read subdistricts");
}
