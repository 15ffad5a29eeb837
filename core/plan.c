/* Compound plans: store, walk, and one compound's progress for the terminal's route. */
#include "plan.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "util.h"

int plan_month_valid(const char *s)
{
	if (strlen(s) != PLAN_MONTH_LEN || s[4] != '-')
		return 0;
	for (int i = 0; i < PLAN_MONTH_LEN; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return 0;
	return (s[5] == '0' && s[6] >= '1') || (s[5] == '1' && s[6] <= '2');
}

int plan_month_parse(const char *s, char out[PLAN_MONTH_LEN + 1])
{
	size_t n = strlen(s);
	char buf[16];

	if (n < 6 || n > 7 || (s[4] != '-' && s[4] != '/'))
		return -1;
	if (n == 6 && s[4] == '/')
		snprintf(buf, sizeof buf, "%.4s-0%c", s, s[5]);
	else
		snprintf(buf, sizeof buf, "%.4s-%.2s", s, s + 5);
	if (n == 6 && s[4] == '-')
		return -1;
	if (!plan_month_valid(buf))
		return -1;
	memcpy(out, buf, PLAN_MONTH_LEN + 1);
	return 0;
}

void plan_month_of(int64_t epoch, char out[PLAN_MONTH_LEN + 1])
{
	time_t t = (time_t)epoch;
	struct tm tm;

	localtime_r(&t, &tm);
	char buf[32];

	snprintf(buf, sizeof buf, "%04d-%02d", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100);
	gw_strlcpy(out, buf, PLAN_MONTH_LEN + 1);
}

static const char sql_sub[] =
	"SELECT code FROM subdistrict WHERE code = ?1 OR name_zh = ?1 OR name_zh = ?1 || '街道' "
	"OR lower(name_pinyin) = lower(?1) ORDER BY code LIMIT 1";

int plan_subdistrict_code(struct ledger *l, const char *raw, char *code, size_t sz)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_sub);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, raw, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		gw_strlcpy(code, ledger_text(st, 0), sz);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "read subdistricts");
}

static const char sql_put[] =
	"INSERT INTO plan(subdistrict, compound, month, households, origin, set_at) "
	"VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(subdistrict, compound, month) DO UPDATE SET "
	"households = ?4, origin = ?5, set_at = ?6";

int plan_put(struct ledger *l, const char *subdistrict, const char *compound, const char *month,
	     long households, const char *origin)
{
	sqlite3_stmt *st;
	int rc;

	if (!plan_month_valid(month))
		return gw_fail(GW_ERR_INPUT, _("month '%s' is not YYYY-MM"), month);
	if (households < 0 || households > 10000000)
		return gw_fail(GW_ERR_INPUT, _("households %ld out of range"), households);
	if (!compound[0])
		return gw_fail(GW_ERR_INPUT, _("no compound"));
	if (!(st = ledger_stmt(l, sql_put)))
		return -1;
	sqlite3_bind_text(st, 1, subdistrict, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, compound, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, month, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, households);
	sqlite3_bind_text(st, 5, origin, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, gw_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "store plan");
}

static const char sql_each[] =
	"SELECT subdistrict, compound, month, households, origin FROM plan "
	"ORDER BY subdistrict, compound, month";

int plan_each(struct ledger *l, plan_fn fn, void *ctx)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_each);
	int rc = 0, step;

	if (!st)
		return -1;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW)
		rc = fn(ctx, ledger_text(st, 0), ledger_text(st, 1), ledger_text(st, 2),
			(long)sqlite3_column_int64(st, 3), ledger_text(st, 4));
	sqlite3_reset(st);
	if (!rc && step != SQLITE_DONE)
		return ledger_db_fail(l, "read plans");
	return rc ? -1 : 0;
}

static const char sql_one[] =
	"SELECT households FROM plan WHERE subdistrict = ? AND compound = ? AND month = ?";
/* Local month bounds are compared as "YYYY-MM" of compliant_at, computed in SQLite. */
static const char sql_achieved[] =
	"SELECT count(*) FROM household h JOIN status s ON s.account = h.account "
	"WHERE h.subdistrict IN (SELECT code FROM subdistrict WHERE code = ?1 UNION "
	"SELECT name_zh FROM subdistrict WHERE code = ?1 UNION "
	"SELECT name_pinyin FROM subdistrict WHERE code = ?1) AND h.compound = ?2 AND s.state = 'compliant' "
	"AND strftime('%Y-%m', s.compliant_at, 'unixepoch', 'localtime') = ?3";

int plan_for_compound(struct ledger *l, const char *subdistrict, const char *compound,
		      const char *month, long *planned, long *achieved)
{
	char now[PLAN_MONTH_LEN + 1], code[64];
	sqlite3_stmt *st;
	int found = 0, rc;

	*planned = *achieved = 0;
	rc = plan_subdistrict_code(l, subdistrict, code, sizeof code);
	if (rc <= 0)
		return rc;
	subdistrict = code;
	st = ledger_stmt(l, sql_one);
	if (!month) {
		plan_month_of(gw_now(), now);
		month = now;
	}
	for (int q = 0; q < 2; q++) {
		if (q == 1 && !(st = ledger_stmt(l, sql_achieved)))
			return -1;
		if (!st)
			return -1;
		sqlite3_bind_text(st, 1, subdistrict, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, compound, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, month, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW && q == 0)
			*planned = (long)sqlite3_column_int64(st, 0), found = 1;
		else if (rc == SQLITE_ROW)
			*achieved = (long)sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return ledger_db_fail(l, "read plan");
	}
	return found;
}
