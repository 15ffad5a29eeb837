/* Acceptance: each subdistrict's self-check progress against its deadline, and the
 * district's spot-checks: a spot-check passes when the household, folded up to that
 * visit, is compliant by the rules. */
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "report/report.h"

static const char sql_selfchecked[] =
	"SELECT h.subdistrict, count(DISTINCT v.account) FROM visit v "
	"JOIN household h ON h.account = v.account "
	"WHERE v.role = 'self-check' AND +v.at_epoch <= ?1 AND NOT " VISIT_VOIDED("v") " GROUP BY 1";

/* The last spot-check that got in, per household. ("+" keeps SQLite scanning the visits
 * once instead of walking an index over nearly all of them.) */
static const char sql_spotchecks[] =
	"SELECT v.account, max(v.at_epoch) FROM visit v "
	"WHERE v.role = 'spot-check' AND v.outcome = 'entered' AND +v.at_epoch <= ?1 "
	"AND NOT " VISIT_VOIDED("v") " "
	"GROUP BY +v.account ORDER BY 1";

struct spot {
	char account[HH_ACCOUNT_MAX + 1];
	int64_t at;
	int sub, pass;
	struct status st;
};

struct accept {
	struct rcount *counts;
	int64_t *selfchecked, *spotted, *passed;
	struct spot *spots;
	size_t nspots;
};

static int read_selfchecked(struct rctx *c, int64_t *out)
{
	sqlite3_stmt *st = ledger_stmt(c->l, sql_selfchecked);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, c->as_of);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		out[rctx_sub(c, ledger_text(st, 0))] += sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(c->l, "read self-checks");
}

static int read_spots(struct rctx *c, struct accept *a)
{
	sqlite3_stmt *st = ledger_stmt(c->l, sql_spotchecks);
	size_t cap = 0;
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, c->as_of);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (a->nspots == cap) {
			cap = cap ? cap * 2 : 32;
			a->spots = xrealloc(a->spots, cap * sizeof *a->spots);
		}
		memset(&a->spots[a->nspots], 0, sizeof a->spots[0]);
		gw_strlcpy(a->spots[a->nspots].account, ledger_text(st, 0), sizeof a->spots[0].account);
		a->spots[a->nspots++].at = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(c->l, "read spot-checks");
}

/* Folds each spot-checked household up to its spot-check. */
static int judge_spots(struct rctx *c, struct accept *a)
{
	struct household h;

	for (size_t i = 0; i < a->nspots; i++) {
		struct spot *s = &a->spots[i];
		if (household_get(c->l, s->account, &h) ||
		    status_get(c->l, s->account, s->at, &h, &s->st))
			return -1;
		s->sub = rctx_sub(c, h.subdistrict);
		s->pass = s->st.state == ST_COMPLIANT;
		a->spotted[s->sub]++;
		a->passed[s->sub] += s->pass;
	}
	return 0;
}

static void days_cell(struct rtable *t, int have, int day, int today)
{
	if (have)
		rtable_int(t, day - today);
	else
		rtable_null(t);
}

static void accept_row(struct rtable *t, const char *name, int64_t households, int64_t self,
		       int64_t spotted, int64_t passed, const int *dl, const int *have, int today)
{
	rtable_row(t);
	rtable_text(t, name);
	rtable_int(t, households);
	rtable_int(t, self);
	rtable_rate(t, self, households);
	days_cell(t, have[0], dl[0], today);
	rtable_int(t, spotted);
	rtable_int(t, passed);
	rtable_rate(t, passed, spotted);
	days_cell(t, have[1], dl[1], today);
}

static void accept_columns(struct rtable *t)
{
	static const struct rcol cols[] = {
		{N_("subdistrict"), RT_TEXT},
		{N_("households"), RT_INT},
		{N_("self-checked"), RT_INT},
		{N_("self-check progress"), RT_PERCENT},
		{N_("days left to self-check deadline"), RT_INT},
		{N_("spot-checked"), RT_INT},
		{N_("passed"), RT_INT},
		{N_("pass rate"), RT_PERCENT},
		{N_("days left to spot-check deadline"), RT_INT},
	};

	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
}

static void accept_table(struct rctx *c, struct report *r, const struct accept *a)
{
	struct rtable *t = report_add_table(r, _("Self-check and spot-check by subdistrict"));
	int64_t sum[4] = {0, 0, 0, 0};
	int dl[2], have[2];

	have[0] = rctx_setting_day(c, "selfcheck_deadline", &dl[0]);
	have[1] = rctx_setting_day(c, "spotcheck_deadline", &dl[1]);
	accept_columns(t);
	for (int s = 0; s < c->nsubs; s++) {
		size_t k = (size_t)s * CAT__N;
		int64_t n = a->counts[k].total + a->counts[k + 1].total;
		if (!n)
			continue;
		accept_row(t, c->subs[s].name, n, a->selfchecked[s], a->spotted[s], a->passed[s],
			   dl, have, c->as_of_day);
		sum[0] += n;
		sum[1] += a->selfchecked[s];
		sum[2] += a->spotted[s];
		sum[3] += a->passed[s];
	}
	accept_row(t, _("district total"), sum[0], sum[1], sum[2], sum[3], dl, have, c->as_of_day);
	rtable_row_flags(t, RROW_TOTAL | RROW_NOCHART);
	t->chart = (struct rchart){RCHART_BAR, 0, {3}, 1, xstrdup(_("Self-check progress"))};
}

static void spot_table(struct rctx *c, struct report *r, const struct accept *a)
{
	struct rtable *t = report_add_table(r, _("Spot-checks"));
	char buf[200];

	static const struct rcol cols[] = {
		{N_("subdistrict"), RT_TEXT},
		{N_("account"), RT_ID},
		{N_("spot-checked at"), RT_TEXT},
		{N_("result"), RT_TEXT},
		{N_("state"), RT_TEXT},
		{N_("missing"), RT_TEXT},
	};

	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
	for (size_t i = 0; i < a->nspots; i++) {
		const struct spot *s = &a->spots[i];
		rtable_row(t);
		rtable_text(t, c->subs[s->sub].name);
		rtable_text(t, s->account);
		rtime_format(s->at, buf, sizeof buf);
		rtable_text(t, buf);
		rtable_text(t, s->pass ? _("pass") : _("fail"));
		rtable_text(t, rlabel_state(rstate_of(&s->st)));
		rlabel_missing(s->st.missing, buf, sizeof buf);
		rtable_text(t, buf);
	}
}

struct report *report_acceptance(struct rctx *c)
{
	size_t n = (size_t)c->nsubs;
	struct accept a = {xcalloc(n * CAT__N, sizeof(struct rcount)), xcalloc(n, sizeof(int64_t)),
			   xcalloc(n, sizeof(int64_t)), xcalloc(n, sizeof(int64_t)), NULL, 0};
	struct report *r = NULL;
	char sub[200];

	if (rstate_counts(c, c->as_of, a.counts) == 0 && read_selfchecked(c, a.selfchecked) == 0 &&
	    read_spots(c, &a) == 0 && judge_spots(c, &a) == 0) {
		rsubtitle(c, sub, sizeof sub);
		r = report_new(_("Acceptance: self-checks and spot-checks"), sub);
		accept_table(c, r, &a);
		spot_table(c, r, &a);
		report_selfcheck_table(c, r); /* P: self-check failures (report/rectify.c) */
	}
	free(a.counts);
	free(a.selfchecked);
	free(a.spotted);
	free(a.passed);
	free(a.spots);
	return r;
}
