/* The settings table: definitions, validation, scope, history. */
#include "settings.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "model.h"
#include "util.h"

#define D SETTING_DISTRICT
#define O SETTING_OFFICE
#define T SETTING_TERMINAL

static const struct setting_def defs[] = {
	{"ledger_deadline", SETTING_DATE, D, 0, 0, "2022-01-31", N_("survey ledgers complete (plan phase 1)")},
	{"nonresidential_deadline", SETTING_DATE, D, 0, 0, "2022-06-30", N_("non-residential users installed")},
	{"residential_deadline", SETTING_DATE, D, 0, 0, "2023-10-31", N_("existing residential users installed")},
	{"selfcheck_deadline", SETTING_DATE, D, 0, 0, "2023-11-15", N_("subdistrict self-checks done")},
	{"spotcheck_deadline", SETTING_DATE, D, 0, 0, "2023-11-30", N_("district spot-checks done")},
	{"share_city", SETTING_SHARE, D, 0, 0, "1/3", N_("city finance's share of a residential install")},
	{"share_district", SETTING_SHARE, D, 0, 0, "1/6", N_("district finance's share")},
	{"share_resident", SETTING_SHARE, D, 0, 0, "1/6", N_("the resident's share")},
	{"share_gas_company", SETTING_SHARE, D, 0, 0, "1/3", N_("the gas company's share")},
	{"price_valve_yuan", SETTING_YUAN, D, 0, 100000, "120", N_("estimated price of a self-closing valve")},
	{"price_hose_yuan", SETTING_YUAN, D, 0, 100000, "120", N_("estimated price of a metal hose")},
	{"valve_service_life_years", SETTING_INT, D, 1, 50, "10", N_("service life of a self-closing valve")},
	{"restore_supply_hours", SETTING_INT, D, 1, 720, "24", N_("hours to restore supply after a hazard is cleared")},
	{"inspect_interval_nonresidential_months", SETTING_INT, D, 1, 120, "12", N_("months between inspections, non-residential")},
	{"inspect_interval_residential_months", SETTING_INT, D, 1, 120, "24", N_("months between inspections, residential")},
	{"price_outlier_percent", SETTING_INT, D, 0, 1000, "20", N_("install price off the catalog by more than this is audited")},
	{"rectify_days_grade1", SETTING_INT, D, 1, 365, "1", N_("days a grade-1 rectification order allows")},
	{"rectify_days_grade2", SETTING_INT, D, 1, 365, "30", N_("days a grade-2 rectification order allows")},
	{"account_length", SETTING_INT, D, 0, 32, "0", N_("digits of an account number (0: not fixed)")},
	{"vacant_flag_points", SETTING_INT, D, 0, 100, "5", N_("vacant share above the district's by this many points is flagged")},
	{"photo_max_mb", SETTING_INT, D, 1, 1024, "20", N_("largest photo a bundle may bring, in MB")},
	{"clock_skew_hours", SETTING_INT, D, 0, 720, "24", N_("clock difference allowed between a bundle and the office")},
	{"plan_behind_percent", SETTING_INT, O, 0, 100, "0", N_("a compound is behind plan below this many percent short of it")},
	{"pin_max_tries", SETTING_INT, T, 3, 100, "10", N_("wrong PINs before the terminal's key is destroyed")},
	{"idle_lock_minutes", SETTING_INT, T, 1, 240, "5", N_("idle minutes before the screens lock")},
};

#undef D
#undef O
#undef T

size_t settings_count(void) { return GW_ARRAY_LEN(defs); }
const struct setting_def *settings_at(size_t i) { return i < GW_ARRAY_LEN(defs) ? &defs[i] : NULL; }

const struct setting_def *settings_find(const char *key)
{
	for (size_t i = 0; i < GW_ARRAY_LEN(defs); i++)
		if (strcmp(defs[i].key, key) == 0)
			return &defs[i];
	return NULL;
}

const char *settings_scope_name(enum setting_scope s)
{
	static const char *const names[] = {"district", "office", "terminal"};

	return names[s];
}

const char *settings_type_name(enum setting_type t)
{
	static const char *const names[] = {N_("int"), N_("date"), N_("share"),
						 N_("yuan")};

	return names[t];
}

/* ---- reading ---- */

int settings_get_text(struct ledger *l, const char *key, char *out, size_t sz)
{
	const struct setting_def *d = settings_find(key);

	if (ledger_setting(l, key, out, sz) == 1)
		return 1;
	gw_strlcpy(out, d ? d->def : "", sz);
	return d != NULL;
}

static int parse_long(const char *s, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	return s[0] && !*end && errno == 0 && s[0] != ' ' ? 0 : -1;
}

long settings_get_int(struct ledger *l, const char *key)
{
	const struct setting_def *d = settings_find(key);
	char buf[64];
	long v = 0;

	if (ledger_setting(l, key, buf, sizeof buf) == 1 && parse_long(buf, &v) == 0)
		return v;
	if (d && parse_long(d->def, &v) == 0)
		return v;
	return 0;
}

/* ---- validation ---- */

static int check_int(const struct setting_def *d, const char *value, char *canon, size_t sz)
{
	long v;

	if (parse_long(value, &v) || v < d->min || v > d->max)
		return gw_fail(GW_ERR_INPUT, _("%s: '%s' is not a whole number from %ld to %ld"), d->key,
			       value, d->min, d->max);
	snprintf(canon, sz, "%ld", v);
	return 0;
}

static int check_date(const struct setting_def *d, const char *value, char *canon, size_t sz)
{
	char day[16];
	int64_t e;
	int y, m, dd;

	/* typed by a person: YYYY-MM-DD or YYYY/MM/DD (time_parse_date), stored YYYY-MM-DD */
	if (time_parse_date(value, &y, &m, &dd) != 0 || y < 1970 || y > 9999)
		return gw_fail(GW_ERR_INPUT, _("%s: '%s' is not a date YYYY-MM-DD"), d->key, value);
	snprintf(day, sizeof day, "%04d-%02d-%02d", y, m, dd);
	if (time_parse_day_end(day, &e) != 0)
		return gw_fail(GW_ERR_INPUT, _("%s: '%s' is not a date YYYY-MM-DD"), d->key, value);
	gw_strlcpy(canon, day, sz);
	return 0;
}

/* "a/b" with 0 <= a <= b, b > 0, or a decimal from 0 to 1. */
static int check_share(const struct setting_def *d, const char *value, char *canon, size_t sz)
{
	const char *slash = strchr(value, '/');
	long a, b;
	char num[32];
	double x;
	char *end;

	if (slash && (size_t)(slash - value) < sizeof num) {
		memcpy(num, value, (size_t)(slash - value));
		num[slash - value] = 0;
		if (!parse_long(num, &a) && !parse_long(slash + 1, &b) && b > 0 && a >= 0 && a <= b) {
			snprintf(canon, sz, "%ld/%ld", a, b);
			return 0;
		}
	} else if (!slash && value[0] >= '0' && value[0] <= '9') {
		x = strtod(value, &end);
		if (!*end && x >= 0 && x <= 1 && strlen(value) < 16) {
			gw_strlcpy(canon, value, sz);
			return 0;
		}
	}
	return gw_fail(GW_ERR_INPUT, _("%s: '%s' is not a share like 1/3 or 0.25 (0 to 1)"), d->key,
		       value);
}

/* Digits, at most two decimals, within [min, max] yuan. */
static int check_yuan(const struct setting_def *d, const char *value, char *canon, size_t sz)
{
	size_t n = strspn(value, "0123456789"), frac = 0;
	long whole;
	char w[16];

	if (n > 0 && n < sizeof w && value[n] == '.')
		frac = strspn(value + n + 1, "0123456789");
	if (n > 0 && n < sizeof w && (value[n] == 0 || (value[n] == '.' && frac >= 1 && frac <= 2 &&
							value[n + 1 + frac] == 0))) {
		memcpy(w, value, n);
		w[n] = 0;
		if (!parse_long(w, &whole) && whole >= d->min &&
		    (whole < d->max || (whole == d->max && strspn(value + n, ".0") == strlen(value + n)))) {
			gw_strlcpy(canon, value, sz);
			return 0;
		}
	}
	return gw_fail(GW_ERR_INPUT, _("%s: '%s' is not an amount in yuan from %ld to %ld"), d->key,
		       value, d->min, d->max);
}

int settings_check(const char *key, const char *value, char *canon, size_t sz)
{
	const struct setting_def *d = settings_find(key);

	if (!d)
		return gw_fail(GW_ERR_NOTFOUND, _("%s: no such setting (gaswalk settings lists them)"), key);
	switch (d->type) {
	case SETTING_INT:
		return check_int(d, value, canon, sz);
	case SETTING_DATE:
		return check_date(d, value, canon, sz);
	case SETTING_SHARE:
		return check_share(d, value, canon, sz);
	case SETTING_YUAN:
		return check_yuan(d, value, canon, sz);
	}
	return -1;
}

/* ---- writing ---- */

static const char sql_get_origin[] =
	"SELECT s.value, COALESCE(o.origin, 'default') FROM setting s "
	"LEFT JOIN setting_origin o ON o.key = s.key WHERE s.key = ?";
static const char sql_put[] =
	"INSERT INTO setting(key, value, source) VALUES(?1, ?2, '') "
	"ON CONFLICT(key) DO UPDATE SET value = ?2";
static const char sql_put_origin[] =
	"INSERT OR REPLACE INTO setting_origin(key, origin, set_by, set_at) VALUES(?1, ?2, ?3, ?4)";
static const char sql_log[] =
	"INSERT INTO setting_log(at, key, old, new, origin, who) VALUES(?, ?, ?, ?, ?, ?)";

/* The stored value and origin; 1 found, 0 none, -1 error. */
static int stored(struct ledger *l, const char *key, char *value, size_t vsz, char *origin,
		  size_t osz)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_get_origin);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		gw_strlcpy(value, ledger_text(st, 0), vsz);
		gw_strlcpy(origin, ledger_text(st, 1), osz);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "read setting");
}

static int step_done(struct ledger *l, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, what);
}

/* Stores and logs; old is NULL when there was no row. */
static int put(struct ledger *l, const char *key, const char *old, const char *value,
	       const char *origin, const char *who)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_put);
	int64_t now = gw_now();

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	if (step_done(l, st, "store setting") || !(st = ledger_stmt(l, sql_put_origin)))
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, origin, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, who, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	if (step_done(l, st, "store setting origin") || !(st = ledger_stmt(l, sql_log)))
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	if (old)
		sqlite3_bind_text(st, 3, old, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, value, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, origin, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, who, -1, SQLITE_STATIC);
	return step_done(l, st, "log setting");
}

static int may_set_here(struct ledger *l, const struct setting_def *d, const char *origin)
{
	if (strcmp(ledger_kind(l), "terminal") == 0 && d->scope != SETTING_TERMINAL)
		return gw_fail(GW_ERR_REJECTED,
			       _("%s: set at the office (%s scope); it reaches this terminal in a pack"),
			       d->key, settings_scope_name(d->scope));
	if (d->scope == SETTING_DISTRICT && strcmp(origin, "district") == 0)
		return gw_fail(GW_ERR_REJECTED, _("%s: set by the district; change it there"), d->key);
	return 0;
}

int settings_set(struct ledger *l, const char *key, const char *value, const char *who)
{
	const struct setting_def *d = settings_find(key);
	char canon[64], old[256] = "", origin[32] = "";
	int have;

	if (settings_check(key, value, canon, sizeof canon))
		return -1;
	if (ledger_begin(l))
		return -1;
	have = stored(l, key, old, sizeof old, origin, sizeof origin);
	if (have < 0 || may_set_here(l, d, origin) ||
	    put(l, key, have ? old : NULL, canon, "local", who)) {
		ledger_rollback(l);
		return -1;
	}
	return ledger_commit(l);
}

int settings_receive(struct ledger *l, const char *key, const char *value, const char *origin)
{
	const struct setting_def *d = settings_find(key);
	char canon[64], old[256] = "", was[32] = "";
	int have;

	if (!d || d->scope == SETTING_TERMINAL)
		return gw_fail(GW_ERR_REJECTED, _("setting %s: %s"), key,
			       d ? _("terminal-local settings never travel") : _("unknown setting"));
	if (strcmp(origin, "district") != 0 && strcmp(origin, "office") != 0)
		return gw_fail(GW_ERR_REJECTED, _("setting %s: unknown origin '%s'"), key, origin);
	if (settings_check(key, value, canon, sizeof canon))
		return gw_fail(GW_ERR_REJECTED, "%s", gw_error());
	have = stored(l, key, old, sizeof old, was, sizeof was);
	if (have < 0)
		return -1;
	if (d->scope == SETTING_DISTRICT && strcmp(was, "district") == 0 &&
	    strcmp(origin, "office") == 0)
		return 0; /* the district's value wins */
	if (have && strcmp(old, canon) == 0 && strcmp(was, origin) == 0)
		return 0;
	return put(l, key, have ? old : NULL, canon, origin, origin);
}

/* Where a value this ledger sends comes from: what it received, else its own level. */
static const char *sent_origin(struct ledger *l, const struct setting_def *d, const char *was)
{
	char level[32] = "";

	if (strcmp(was, "district") == 0 || strcmp(was, "office") == 0)
		return was;
	if (d->scope == SETTING_DISTRICT && ledger_meta(l, "level", level, sizeof level) == 1 &&
	    strcmp(level, "district") == 0)
		return "district";
	return "office";
}

int settings_each_travelling(struct ledger *l, settings_fn fn, void *ctx)
{
	for (size_t i = 0; i < GW_ARRAY_LEN(defs); i++) {
		const struct setting_def *d = &defs[i];
		char value[256], was[32] = "";
		int have;

		if (d->scope == SETTING_TERMINAL)
			continue;
		have = stored(l, d->key, value, sizeof value, was, sizeof was);
		if (have < 0)
			return -1;
		if (!have)
			gw_strlcpy(value, d->def, sizeof value);
		if (fn(ctx, d->key, value, settings_scope_name(d->scope), sent_origin(l, d, was)))
			return -1;
	}
	return 0;
}
