/* The product catalog: store and walk. */
#include "catalog.h"

#include <string.h>

#include "util.h"

int catalog_price_fen(const char *s, int64_t *fen)
{
	size_t n = strspn(s, "0123456789"), frac = 0;
	int64_t v = 0;

	if (n == 0 || n > 9)
		return -1;
	if (s[n] == '.')
		frac = strspn(s + n + 1, "0123456789");
	if (s[n] && (s[n] != '.' || frac < 1 || frac > 2 || s[n + 1 + frac]))
		return -1;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (int64_t)(s[i] - '0');
	v *= 100;
	if (frac >= 1)
		v += (int64_t)(s[n + 1] - '0') * 10;
	if (frac == 2)
		v += s[n + 2] - '0';
	*fen = v;
	return 0;
}

static const char sql_exists[] = "SELECT 1 FROM catalog WHERE code = ?";
static const char sql_put[] =
	"INSERT INTO catalog(code, item, name_zh, name_en, standard, price_fen) "
	"VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(code) DO UPDATE SET item = ?2, "
	"name_zh = ?3, name_en = ?4, standard = ?5, price_fen = ?6";
static const char sql_put_extra[] =
	"INSERT OR REPLACE INTO catalog_extra(code, brand, model) VALUES(?, ?, ?)";

int catalog_put(struct ledger *l, const struct catalog_row *r, int *added)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_exists);
	const char *text[] = {r->code, item_name(r->item), r->name_zh, r->name_en, r->standard};
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, r->code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ledger_db_fail(l, "read catalog");
	*added = rc == SQLITE_DONE;
	if (!(st = ledger_stmt(l, sql_put)))
		return -1;
	for (int i = 0; i < 5; i++)
		sqlite3_bind_text(st, i + 1, text[i], -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, r->price_fen);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ledger_db_fail(l, "store catalog");
	if (!(st = ledger_stmt(l, sql_put_extra)))
		return -1;
	sqlite3_bind_text(st, 1, r->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->brand, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->model, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "store catalog");
}

static const char sql_each[] =
	"SELECT c.code, c.item, c.name_zh, c.name_en, c.standard, c.price_fen, "
	"COALESCE(e.brand, ''), COALESCE(e.model, '') FROM catalog c "
	"LEFT JOIN catalog_extra e ON e.code = c.code ORDER BY c.code";

static void row_of(sqlite3_stmt *st, struct catalog_row *r)
{
	memset(r, 0, sizeof *r);
	gw_strlcpy(r->code, ledger_text(st, 0), sizeof r->code);
	r->item = (enum item)item_parse(ledger_text(st, 1));
	gw_strlcpy(r->name_zh, ledger_text(st, 2), sizeof r->name_zh);
	gw_strlcpy(r->name_en, ledger_text(st, 3), sizeof r->name_en);
	gw_strlcpy(r->standard, ledger_text(st, 4), sizeof r->standard);
	r->price_fen = sqlite3_column_int64(st, 5);
	gw_strlcpy(r->brand, ledger_text(st, 6), sizeof r->brand);
	gw_strlcpy(r->model, ledger_text(st, 7), sizeof r->model);
}

int catalog_each(struct ledger *l, catalog_row_fn fn, void *ctx)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_each);
	struct catalog_row r;
	int rc = 0, step;

	if (!st)
		return -1;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		row_of(st, &r);
		rc = fn(ctx, &r);
	}
	sqlite3_reset(st);
	if (!rc && step != SQLITE_DONE)
		return ledger_db_fail(l, "read catalog");
	return rc ? -1 : 0;
}

static const char sql_fitted[] =
	"SELECT x.product = ?2 FROM visit v JOIN visit_install x ON x.device = v.device "
	"AND x.seq = v.seq WHERE v.account = ?1 AND x.item = COALESCE("
	"(SELECT item FROM catalog WHERE code = ?2), "
	"(SELECT y.item FROM visit_install y WHERE y.product = ?2 LIMIT 1)) "
	"AND NOT " VISIT_VOIDED("v") " "
	"ORDER BY v.at_epoch DESC, v.device DESC, v.seq DESC, x.n DESC LIMIT 1";

int catalog_fitted(struct ledger *l, const char *account, const char *product)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_fitted);
	int rc, yes = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, product, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		yes = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ledger_db_fail(l, "read installs");
	return yes;
}
