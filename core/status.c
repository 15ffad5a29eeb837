/* The derived tables: status, rectifications and suspensions, refolded from the visits
 * of one household whenever one of its visits arrives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "ledger.h"
#include "overrule.h"
#include "util.h"

static const char sql_status_put[] =
	"INSERT INTO status(account, state, hose, valve, alarm, shutoff, missing, "
	"visits, open_hazards, last_device, last_seq, last_at, last_outcome, compliant_at) "
	"VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(account) DO UPDATE SET "
	"state = excluded.state, hose = excluded.hose, valve = excluded.valve, "
	"alarm = excluded.alarm, shutoff = excluded.shutoff, missing = excluded.missing, "
	"visits = excluded.visits, open_hazards = excluded.open_hazards, "
	"last_device = excluded.last_device, last_seq = excluded.last_seq, "
	"last_at = excluded.last_at, last_outcome = excluded.last_outcome, "
	"compliant_at = excluded.compliant_at";
static const char sql_status_del[] = "DELETE FROM status WHERE account = ?";
static const char sql_rect_del[] = "DELETE FROM rectification WHERE account = ?";
static const char sql_rect_put[] =
	"INSERT OR REPLACE INTO rectification VALUES(?,?,?,?,?,?,?,?)";
static const char sql_susp_del[] = "DELETE FROM suspension WHERE account = ?";
static const char sql_susp_put[] = "INSERT OR REPLACE INTO suspension VALUES(?,?,?,?)";
static const char sql_last_visit[] =
	"SELECT last_device, last_seq FROM status WHERE account = ?";
static const char sql_visit_same[] =
	"SELECT account, outcome, at_epoch FROM visit WHERE device = ? AND seq = ?";

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static int step_done(struct ledger *l, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, what);
}

static int delete_for(struct ledger *l, const char *sql, const char *account)
{
	sqlite3_stmt *st = ledger_stmt(l, sql);

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	return step_done(l, st, account);
}

/* An update in place when the household has a status already: unlike a replace, it
 * neither deletes the row nor checks the household again (the key does not change). */
static int put_status(struct ledger *l, const char *account, const struct status *s)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_status_put);
	char missing[64];

	if (!st)
		return -1;
	rules_missing_str(s->missing, missing, sizeof missing);
	sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, state_name(s->state), -1, SQLITE_STATIC);
	bind_opt(st, 3, hose_name(s->hose));
	bind_opt(st, 4, devstate_name(s->valve));
	bind_opt(st, 5, devstate_name(s->alarm));
	bind_opt(st, 6, devstate_name(s->shutoff));
	sqlite3_bind_text(st, 7, missing, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 8, s->visits);
	sqlite3_bind_int(st, 9, s->open_hazards);
	sqlite3_bind_text(st, 10, s->last.device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 11, s->last.seq);
	sqlite3_bind_int64(st, 12, s->last_at);
	bind_opt(st, 13, s->last_outcome >= 0 ? outcome_name((enum outcome)s->last_outcome) : NULL);
	if (s->compliant_at)
		sqlite3_bind_int64(st, 14, s->compliant_at);
	return step_done(l, st, account);
}

/* ---- rectification orders: one per hazard found, cleared when a later picture lacks it ---- */

struct order {
	struct hazard hz;
	int64_t opened_at, cleared_at;
	const struct visit_lean *by;
};

static int put_order(struct ledger *l, const char *account, const struct order *o, int days)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_rect_put);
	int days1 = ledger_rectify_days_grade1(l);

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, o->hz.code, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, o->hz.grade);
	sqlite3_bind_int64(st, 4, o->opened_at);
	if (o->hz.grade == 1)
		sqlite3_bind_int64(st, 5, o->opened_at + (int64_t)days1 * 86400);
	else if (o->hz.grade == 2)
		sqlite3_bind_int64(st, 5, o->opened_at + (int64_t)days * 86400);
	if (o->cleared_at)
		sqlite3_bind_int64(st, 6, o->cleared_at);
	sqlite3_bind_text(st, 7, o->by->id.device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, o->by->id.seq);
	return step_done(l, st, account);
}

static int has_code(const struct visit_lean *v, const char *code)
{
	for (int i = 0; i < v->nhazards; i++)
		if (!strcmp(v->hazards[i].code, code))
			return 1;
	return 0;
}

static int is_picture(const struct visit_lean *v)
{
	return rules_is_picture(v);
}

/* 1 when the visit ends the order: a picture without it, or an install that fixes it. */
static int clears(const struct visit_lean *v, const char *code)
{
	if (v->outcome != OUT_ENTERED)
		return 0;
	if (is_picture(v))
		return !has_code(v, code);
	for (int k = 0; k < v->ninstalls; k++)
		if (rules_hazard_fixed_by(code, v->installs[k].item))
			return 1;
	return 0;
}

/* Visits are in fold order. Orders still open are kept in open[]. */
static int write_orders(struct ledger *l, const char *account, const struct visit_lean *v, size_t n,
			int days)
{
	struct order open[VISIT_MAX_HAZARDS];
	int nopen = 0;

	for (size_t i = 0; i < n; i++) {
		for (int k = 0; k < nopen; k++) {
			if (!clears(&v[i], open[k].hz.code))
				continue;
			open[k].cleared_at = v[i].at;
			if (put_order(l, account, &open[k], days))
				return -1;
			open[k--] = open[--nopen];
		}
		for (int h = 0; h < v[i].nhazards && is_picture(&v[i]); h++) {
			int known = 0;
			for (int k = 0; k < nopen; k++)
				known |= !strcmp(open[k].hz.code, v[i].hazards[h].code);
			if (!known && nopen < VISIT_MAX_HAZARDS)
				open[nopen++] = (struct order){v[i].hazards[h], v[i].at, 0, &v[i]};
		}
	}
	for (int k = 0; k < nopen; k++)
		if (put_order(l, account, &open[k], days))
			return -1;
	return 0;
}

/* ---- supply suspensions: stopped, hazard cleared, restored ---- */

static int put_suspension(struct ledger *l, const char *account, const int64_t t[3])
{
	sqlite3_stmt *st = ledger_stmt(l, sql_susp_put);

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, t[0]);
	for (int i = 1; i < 3; i++)
		if (t[i])
			sqlite3_bind_int64(st, i + 2, t[i]);
	return step_done(l, st, account);
}

/* A leak (H03 at a joint, H22 detected) is cleared only by an observation that no
 * longer finds it, never by an install (plan §5 (11): restore after the hazard is cleared). */
static int is_leak(const char *code)
{
	return !strcmp(code, "H03") || !strcmp(code, "H22");
}

/* 1 when the visit clears the hazard for the supply rule: an observation without it,
 * or an install whose item fixes it (rules_hazard_fixed_by), a leak excepted. */
static int clears_supply(const struct visit_lean *v, const char *code)
{
	if (v->outcome != OUT_ENTERED)
		return 0;
	if (is_picture(v))
		return !has_code(v, code);
	return !is_leak(code) && clears(v, code);
}

/* The grade 1-2 hazards open after each visit, as the orders see them. */
struct serious {
	char code[VISIT_MAX_HAZARDS][HAZARD_CODE_MAX + 1];
	int n;
};

static void serious_drop(struct serious *s, const struct visit_lean *v)
{
	for (int k = 0; k < s->n; k++)
		if (clears_supply(v, s->code[k]))
			memcpy(s->code[k--], s->code[--s->n], sizeof s->code[0]);
}

static void serious_add(struct serious *s, const char *code)
{
	for (int k = 0; k < s->n; k++)
		if (!strcmp(s->code[k], code))
			return;
	if (s->n < VISIT_MAX_HAZARDS)
		gw_strlcpy(s->code[s->n++], code, sizeof s->code[0]);
}

static void serious_update(struct serious *s, const struct visit_lean *v)
{
	serious_drop(s, v);
	for (int h = 0; h < v->nhazards && is_picture(v); h++)
		if (v->hazards[h].grade <= 2)
			serious_add(s, v->hazards[h].code);
}

/* A stop's hazards: the one the stop names (visit.supply_hazard), else the grade 1-2
 * hazards open when it was recorded. Cleared when every one of them is; a stop that
 * names none and finds none open is cleared by the next observation without any. */
static void stop_hazards(const struct visit_lean *v, const struct serious *open, struct serious *stop)
{
	stop->n = 0;
	if (v->supply_hazard[0])
		serious_add(stop, v->supply_hazard);
	else
		*stop = *open;
}

static int write_suspensions(struct ledger *l, const char *account, const struct visit_lean *v,
			     size_t n)
{
	int64_t t[3] = {0, 0, 0}; /* stopped, cleared, restored */
	struct serious open = {.n = 0}, stop = {.n = 0};
	int named = 0;

	for (size_t i = 0; i < n; i++) {
		serious_update(&open, &v[i]);
		if (v[i].supply == SUPPLY_STOPPED && !t[0]) {
			t[0] = v[i].at;
			stop_hazards(&v[i], &open, &stop);
			named = stop.n > 0;
			continue;
		}
		if (!t[0])
			continue;
		serious_drop(&stop, &v[i]);
		if (!t[1] && ((named && stop.n == 0) || (!named && is_picture(&v[i]) && open.n == 0)))
			t[1] = v[i].at;
		if (v[i].supply == SUPPLY_RESTORED) {
			t[2] = v[i].at;
			if (put_suspension(l, account, t))
				return -1;
			t[0] = t[1] = t[2] = 0;
		}
	}
	return t[0] ? put_suspension(l, account, t) : 0;
}

/* What a refresh needs besides the visits, in one lookup: the household, and
 * whether it has rectifications, suspensions or resolved conflicts at all (most
 * have none, and then nothing is deleted or looked up for them). */
static const char sql_refresh_get[] =
	"SELECT " HOUSEHOLD_COLUMNS ", "
	"EXISTS(SELECT 1 FROM rectification r WHERE r.account = h.account), "
	"EXISTS(SELECT 1 FROM suspension s WHERE s.account = h.account), "
	"EXISTS(SELECT 1 FROM conflict c WHERE c.account = h.account AND c.resolved_at IS NOT NULL) "
	"FROM household h WHERE h.account = ?";

struct refresh_facts {
	struct household h;
	int rects, susps, resolved;
};

static int refresh_get(struct ledger *l, const char *account, struct refresh_facts *f)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_refresh_get);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		household_from_row(st, 0, &f->h);
		f->rects = sqlite3_column_int(st, HOUSEHOLD_NCOLS);
		f->susps = sqlite3_column_int(st, HOUSEHOLD_NCOLS + 1);
		f->resolved = sqlite3_column_int(st, HOUSEHOLD_NCOLS + 2);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return ledger_db_fail(l, "read household");
	return gw_fail(GW_ERR_NOTFOUND, _("%s: no such household"), account);
}

int status_refresh_visits(struct ledger *l, const char *account, struct visit *v, size_t *n)
{
	struct visit_lean *w = *n ? xmalloc(*n * sizeof *w) : NULL;
	int rc;

	for (size_t i = 0; i < *n; i++)
		visit_lean_from(&w[i], &v[i]);
	rc = status_refresh_lean(l, account, w, n);
	free(w);
	return rc;
}

int status_refresh_lean(struct ledger *l, const char *account, struct visit_lean *v, size_t *n)
{
	struct refresh_facts f = {0}; /* clang-analyzer cannot see gw_fail() returns -1 */
	struct status s;
	int days = ledger_rectify_days(l);

	visit_drop_voided_lean(v, n);
	if (refresh_get(l, account, &f) ||
	    (f.resolved && status_drop_overruled_lean(l, account, v, n)))
		return -1;
	rules_fold_lean(&f.h, v, *n, &s);
	if ((f.rects && delete_for(l, sql_rect_del, account)) ||
	    (f.susps && delete_for(l, sql_susp_del, account)))
		return -1;
	if (*n == 0)
		return delete_for(l, sql_status_del, account);
	if (put_status(l, account, &s) || write_orders(l, account, v, *n, days) ||
	    write_suspensions(l, account, v, *n))
		return -1;
	return 0;
}

int status_refresh(struct ledger *l, const char *account)
{
	struct visit_set vs;
	int rc;

	if (visit_load_lean(l, account, 0, &vs))
		return -1;
	rc = status_refresh_lean(l, account, vs.v, &vs.n);
	visit_set_free(&vs);
	return rc;
}

int status_get(struct ledger *l, const char *account, int64_t as_of, const struct household *h,
	       struct status *st)
{
	struct visit_set vs;

	if (visit_load_lean(l, account, as_of, &vs))
		return -1;
	if (status_drop_overruled_lean(l, account, vs.v, &vs.n)) {
		visit_set_free(&vs);
		return -1;
	}
	rules_fold_lean(h, vs.v, vs.n, st);
	visit_set_free(&vs);
	return 0;
}

/* ---- writing visits ---- */

static int last_visit(struct ledger *l, const char *account, struct visit_id *base)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_last_visit);
	int rc;

	memset(base, 0, sizeof *base);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		gw_strlcpy(base->device, (const char *)sqlite3_column_text(st, 0),
			   sizeof base->device);
		base->seq = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "read status");
}

static int next_seq(struct ledger *l, int64_t *seq)
{
	char buf[32];

	if (ledger_meta(l, "next_seq", buf, sizeof buf) != 1)
		return gw_fail(GW_ERR_DB, "%s: no sequence counter", ledger_path(l));
	*seq = strtoll(buf, NULL, 10);
	snprintf(buf, sizeof buf, "%lld", (long long)*seq + 1);
	return ledger_meta_set(l, "next_seq", buf);
}

int visit_record(struct ledger *l, struct visit *v)
{
	struct household h;

	const char *bad = rules_visit_invalid(v);

	if (bad)
		return gw_fail(GW_ERR_INPUT, "%s: %s", v->account, bad);
	if (v->supply_hazard[0] && ledger_hazard_grade(l, v->supply_hazard) < 0)
		return gw_fail(GW_ERR_INPUT, "%s: supply hazard %s is not a hazard code", v->account,
			       v->supply_hazard);
	if (household_get(l, v->account, &h))
		return -1;
	if (ledger_begin(l))
		return -1;
	gw_strlcpy(v->id.device, ledger_device_id(l), sizeof v->id.device);
	if (next_seq(l, &v->id.seq) || last_visit(l, v->account, &v->base) ||
	    visit_insert_raw(l, v) || status_refresh(l, v->account) || ledger_commit(l)) {
		ledger_rollback(l);
		return -1;
	}
	return 0;
}

/* 1 when a visit with this id is stored already, 0 when not, -1 on error;
 * a stored visit that differs in household, outcome or time is an error. */
static int already_stored(struct ledger *l, const struct visit *v)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_visit_same);
	int rc, same = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, v->id.device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, v->id.seq);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		same = !strcmp((const char *)sqlite3_column_text(st, 0), v->account) &&
		       !strcmp((const char *)sqlite3_column_text(st, 1), outcome_name(v->outcome)) &&
		       sqlite3_column_int64(st, 2) == v->at;
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return ledger_db_fail(l, "read visit");
	if (!same)
		return gw_fail(GW_ERR_REJECTED, "visit %s/%lld differs from the one already merged",
			       v->id.device, (long long)v->id.seq);
	return 1;
}

int visit_store(struct ledger *l, const struct visit *v)
{
	int have = already_stored(l, v);

	if (have != 0)
		return have;
	if (visit_insert_raw(l, v) || status_refresh(l, v->account))
		return -1;
	return 0;
}
