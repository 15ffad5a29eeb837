/* What every report kind shares: the as-of moment, the subdistricts, the settings,
 * calendar days and labels. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/fold_stream.h"
#include "core/i18n.h"
#include "core/util.h"
#include "report/report.h"

static const char sql_subs[] = "SELECT code, name_zh, name_pinyin FROM subdistrict ORDER BY code";
static const char sql_raw_subs[] = "SELECT DISTINCT subdistrict FROM household";

/* ---- calendar days ---- */

static int days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int z, int *y, int *m, int *d)
{
	int era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int rday_parse(const char *s, int *day)
{
	int y, m, d;

	if (time_parse_date(s, &y, &m, &d)) /* YYYY-MM-DD or YYYY/MM/DD */
		return -1;
	*day = days_from_civil(y, m, d);
	return 0;
}

void rday_format(int day, char *out, size_t outsz)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	snprintf(out, outsz, "%04d-%02d-%02d", y, m, d);
}

int rday_of(int64_t epoch)
{
	time_t t = (time_t)epoch;
	struct tm tm;

	localtime_r(&t, &tm);
	return days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int rday_add_months(int day, int months)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d, last, total;

	civil_from_days(day, &y, &m, &d);
	total = y * 12 + (m - 1) + months;
	y = total / 12;
	m = total % 12 + 1;
	last = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	return days_from_civil(y, m, d > last ? last : d);
}

void rtime_format(int64_t epoch, char *out, size_t outsz)
{
	time_t t = (time_t)epoch;
	struct tm tm;

	localtime_r(&t, &tm);
	snprintf(out, outsz, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min);
}

/* ---- subdistricts ---- */

static int add_sub(struct rctx *c, const char *code, const char *name, int known)
{
	struct rsub *s;

	c->subs = xrealloc(c->subs, (size_t)(c->nsubs + 1) * sizeof *c->subs);
	s = &c->subs[c->nsubs];
	gw_strlcpy(s->code, code, sizeof s->code);
	gw_strlcpy(s->name, *name ? name : _("(no subdistrict)"), sizeof s->name);
	s->known = known;
	return c->nsubs++;
}

static int load_subs(struct rctx *c)
{
	sqlite3_stmt *st = ledger_stmt(c->l, sql_subs);
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		add_sub(c, ledger_text(st, 0), i18n_is_zh() ? ledger_text(st, 1) : ledger_text(st, 2), 1);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(c->l, "read subdistricts");
}

/* Which subdistrict a raw value names: its code, Chinese name or pinyin. */
static int match_sub(struct rctx *c, const char *raw)
{
	sqlite3_stmt *st = ledger_stmt(c->l, sql_subs);
	int i = 0, found = -1;

	if (!st)
		return -1;
	while (found < 0 && sqlite3_step(st) == SQLITE_ROW) {
		if (!strcmp(raw, ledger_text(st, 0)) || !strcmp(raw, ledger_text(st, 1)) ||
		    !strcasecmp(raw, ledger_text(st, 2)))
			found = i;
		i++;
	}
	sqlite3_reset(st);
	return found >= 0 ? found : add_sub(c, raw, raw, 0);
}

static int load_aliases(struct rctx *c)
{
	sqlite3_stmt *st = ledger_stmt(c->l, sql_raw_subs);
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c->alias = xrealloc(c->alias, (size_t)(c->nalias + 1) * sizeof *c->alias);
		c->alias[c->nalias].raw = xstrdup(ledger_text(st, 0));
		c->alias[c->nalias++].sub = -1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ledger_db_fail(c->l, "read households");
	for (int i = 0; i < c->nalias; i++)
		c->alias[i].sub = match_sub(c, c->alias[i].raw);
	return 0;
}

int rctx_sub(const struct rctx *c, const char *raw)
{
	for (int i = 0; i < c->nalias; i++)
		if (!strcmp(c->alias[i].raw, raw))
			return c->alias[i].sub;
	return 0; /* not reached: every raw value was loaded */
}

/* GASWALK_TRACE_SQL=FILE: every statement the report runs, with its values, one per
 * line, appended to FILE: the benchmark (tests/bench/report.sh) times the sqlite3 shell
 * running exactly these. */
static int trace_stmt(unsigned type, void *ctx, void *p, void *x)
{
	char *sql;

	(void)x;
	if (type != SQLITE_TRACE_STMT)
		return 0;
	sql = sqlite3_expanded_sql(p);
	if (sql) {
		fprintf(ctx, "%s;\n", sql);
		sqlite3_free(sql);
	}
	return 0;
}

static void trace_open(struct rctx *c)
{
	const char *path = gw_test_trace_path();

	if (!path)
		return;
	c->trace = fopen(path, "a");
	if (c->trace)
		sqlite3_trace_v2(ledger_sqlite(c->l), SQLITE_TRACE_STMT, trace_stmt, c->trace);
}

int rctx_open(struct rctx *c, struct ledger *l, const char *as_of_day)
{
	char today[16];

	memset(c, 0, sizeof *c);
	c->l = l;
	c->months = 12;
	if (!as_of_day) {
		rday_format(rday_of(gw_now()), today, sizeof today);
		as_of_day = today;
	}
	if (rday_parse(as_of_day, &c->as_of_day) || time_parse_day_end(as_of_day, &c->as_of))
		return gw_fail(GW_ERR_USAGE, _("--as-of %s: not a date (YYYY-MM-DD or YYYY/MM/DD)"), as_of_day);
	/* one read transaction: every query of the report sees the same ledger, even while
	 * a merge writes to it */
	trace_open(c);
	if (sqlite3_exec(ledger_sqlite(l), "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return ledger_db_fail(l, "begin");
	c->in_txn = 1;
	if (fold_newest_visit(l, &c->newest) || load_subs(c) || load_aliases(c))
		return -1;
	return 0;
}

void rctx_close(struct rctx *c)
{
	if (c->in_txn)
		sqlite3_exec(ledger_sqlite(c->l), "COMMIT", NULL, NULL, NULL);
	c->in_txn = 0;
	if (c->trace) {
		sqlite3_trace_v2(ledger_sqlite(c->l), 0, NULL, NULL);
		fclose(c->trace);
		c->trace = NULL;
	}
	for (int i = 0; i < c->nalias; i++)
		free(c->alias[i].raw);
	free(c->alias);
	free(c->subs);
}

/* ---- settings ---- */

void rctx_setting(struct rctx *c, const char *key, const char *def, char *out, size_t outsz)
{
	if (ledger_setting(c->l, key, out, outsz) != 1)
		gw_strlcpy(out, def, outsz);
}

int rctx_setting_day(struct rctx *c, const char *key, int *day)
{
	char buf[32];

	rctx_setting(c, key, "", buf, sizeof buf);
	return rday_parse(buf, day) == 0;
}

double rctx_share(struct rctx *c, const char *key, double def)
{
	char buf[32], *end;
	double num, den;

	rctx_setting(c, key, "", buf, sizeof buf);
	num = strtod(buf, &end);
	if (end == buf)
		return def;
	if (*end != '/')
		return *end ? def : num;
	den = strtod(end + 1, &end);
	return *end || den == 0 ? def : num / den;
}

/* "12.5" as 125/10; -1 when not a plain decimal. */
static int parse_decimal(const char *s, int64_t *num, int64_t *den)
{
	int64_t n = 0, d = 1;
	int point = 0, any = 0;

	for (; *s; s++) {
		if (*s == '.' && !point) {
			point = 1;
			continue;
		}
		if (*s < '0' || *s > '9' || n > INT64_MAX / 100 || d > INT64_MAX / 100)
			return -1;
		n = n * 10 + (*s - '0');
		d *= point ? 10 : 1;
		any = 1;
	}
	if (!any)
		return -1;
	*num = n;
	*den = d;
	return 0;
}

int rctx_fraction(struct rctx *c, const char *key, int64_t *num, int64_t *den)
{
	char buf[64], *slash;
	int64_t an, ad, bn, bd;

	rctx_setting(c, key, "", buf, sizeof buf);
	if (!buf[0])
		return 1;
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	if (parse_decimal(buf, &an, &ad))
		return 0;
	bn = 1;
	bd = 1;
	if (slash && (parse_decimal(slash + 1, &bn, &bd) || bn == 0 || an > INT32_MAX ||
		      ad > INT32_MAX || bn > INT32_MAX || bd > INT32_MAX))
		return 0;
	*num = an * bd; /* (an/ad) / (bn/bd) */
	*den = ad * bn;
	return 1;
}

double rctx_number(struct rctx *c, const char *key, double def)
{
	char buf[32], *end;
	double v;

	rctx_setting(c, key, "", buf, sizeof buf);
	v = strtod(buf, &end);
	return end == buf || *end ? def : v;
}

/* ---- labels ---- */

/* Labels are translated once per process and kept: a report labels hundreds of thousands
 * of rows, and the language does not change while it runs. */
static const char *cached(const char **slot, const char *msgid)
{
	if (!*slot)
		*slot = _(msgid);
	return *slot;
}

const char *rlabel_category(enum category cat)
{
	static const char *tr[2];

	return cat == CAT_RESIDENTIAL ? cached(&tr[0], N_("residential"))
				      : cached(&tr[1], N_("non-residential"));
}

/* "never reached" (未走访): the same words as `list` and `status` */
const char *rlabel_state(int st)
{
	static const char *const names[] = {N_("compliant"), N_("pending"), N_("hazard open"),
					    N_("refused"), N_("never reached"), N_("vacant")};
	static const char *tr[RS__N];

	return st >= 0 && st < RS__N ? cached(&tr[st], names[st]) : "";
}

int rstate_of(const struct status *st)
{
	if (st->state == ST_PENDING && st->last_outcome == OUT_VACANT)
		return RS_VACANT;
	return (int)st->state;
}

const char *rlabel_item(const char *item)
{
	static const char *const names[] = {N_("hose"), N_("valve"), N_("alarm"), N_("shutoff")};
	static const char *tr[ITEM__N];
	int it = item_parse(item);

	return it >= 0 ? cached(&tr[it], names[it]) : item;
}

/* Appends s to out (len bytes used of outsz), cut to fit; the new length. */
static size_t append(char *out, size_t len, size_t outsz, const char *s)
{
	size_t n = strlen(s);

	if (len + n >= outsz)
		n = len + 1 < outsz ? outsz - len - 1 : 0;
	memcpy(out + len, s, n);
	out[len + n] = '\0';
	return len + n;
}

void rlabel_missing(unsigned missing, char *out, size_t outsz)
{
	static const char *const names[] = {N_("metal hose"), N_("self-closing valve"),
					    N_("leak alarm"), N_("linked shut-off")};
	static const char *tr[ITEM__N], *sep;
	size_t len = 0;

	out[0] = '\0';
	for (int it = 0; it < ITEM__N; it++) {
		if (!(missing & (1u << it)))
			continue;
		if (len)
			len = append(out, len, outsz, cached(&sep, N_(", ")));
		len = append(out, len, outsz, cached(&tr[it], names[it]));
	}
}

void rlabel_address(const struct household *h, char *out, size_t outsz)
{
	size_t len = 0;

	out[0] = '\0';
	len = append(out, len, outsz, h->compound);
	len = append(out, len, outsz, " ");
	len = append(out, len, outsz, h->building);
	len = append(out, len, outsz, "-");
	len = append(out, len, outsz, h->unit);
	len = append(out, len, outsz, "-");
	append(out, len, outsz, h->room);
}

void rsubtitle(const struct rctx *c, char *out, size_t outsz)
{
	char day[16];

	rday_format(c->as_of_day, day, sizeof day);
	snprintf(out, outsz, _("as of %s (visits recorded up to the end of that day)"), day);
}
