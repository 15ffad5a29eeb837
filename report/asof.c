/* Each household's state as of a moment. The stored status is the fold of all visits;
 * it is also the state as of any moment after the household's last visit. Only the
 * households visited after the moment are folded again, from their earlier visits,
 * in one streamed pass (core/fold_stream.c). */
#include <stdlib.h>
#include <string.h>

#include "core/fold_stream.h"
#include "core/util.h"
#include "report/report.h"

/* '' marks a household whose stored status is newer than the moment. */
static const char sql_counts[] =
	"SELECT h.subdistrict, h.category, "
	"CASE WHEN s.last_at > ?1 THEN '' "
	"WHEN s.state = 'pending' AND s.last_outcome = 'vacant' THEN 'vacant' "
	"ELSE COALESCE(s.state, 'never_reached') END, count(*) "
	"FROM household h LEFT JOIN status s ON s.account = h.account GROUP BY 1, 2, 3";

/* Households whose door was opened by the moment: a visit with outcome entered. A
 * household compliant or with a hazard open as of the moment was entered (the fold
 * takes observations, installs and hazards from entered visits only), so only the
 * others are looked up. */
static const char sql_entered[] =
	"SELECT h.subdistrict, h.category, count(*) FROM household h "
	"LEFT JOIN status s ON s.account = h.account "
	"WHERE (s.last_at <= ?1 AND s.state IN ('compliant', 'hazard_open')) OR "
	"(s.state IS NOT NULL AND EXISTS (SELECT 1 FROM visit v WHERE v.account = h.account "
	"AND v.at_epoch <= ?1 AND v.outcome = 'entered' AND NOT " VISIT_VOIDED("v") ")) "
	"GROUP BY 1, 2";

static const char sql_each[] =
	"SELECT h.account, h.category, h.gas, h.new_build, COALESCE(h.sector, ''), h.name, "
	"h.phone, h.subdistrict, h.community, h.compound, h.building, h.unit, h.floor, h.room, "
	"CASE WHEN s.state = 'pending' AND s.last_outcome = 'vacant' THEN 'vacant' "
	"ELSE COALESCE(s.state, 'never_reached') END, COALESCE(s.missing, ''), "
	"COALESCE(s.last_at, 0) "
	"FROM household h LEFT JOIN status s ON s.account = h.account "
	"WHERE ?1 IS NULL OR h.category = ?1 ORDER BY h.account";

/* ---- counts ---- */

static const char sql_last_at[] = "SELECT last_at FROM status WHERE account = ?1";

struct count_fold {
	struct rctx *c;
	struct rcount *out;
	int64_t *refold; /* households to fold again, per subdistrict and category */
	int64_t as_of;
};

/* 1 when the household's stored status is newer than the moment, so that read_counts
 * left it to be folded again. The stream folds every household with any visit after
 * the moment, a voided one too; a household whose stored status ignores that visit was
 * counted already and must not be counted twice. */
static int stored_newer(struct count_fold *f, const char *account)
{
	sqlite3_stmt *st = ledger_stmt(f->c->l, sql_last_at);
	int newer = 1;

	if (!st)
		return 1;
	sqlite3_bind_text(st, 1, account, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		newer = sqlite3_column_type(st, 0) != SQLITE_NULL &&
			sqlite3_column_int64(st, 0) > f->as_of;
	else
		newer = 0; /* no status row: counted as never reached */
	sqlite3_reset(st);
	return newer;
}

static int count_one(void *ctx, const struct household *h, const struct status *st)
{
	struct count_fold *f = ctx;
	int k = rctx_sub(f->c, h->subdistrict) * CAT__N + (int)h->category;

	if (!stored_newer(f, h->account))
		return 0;

	f->out[k].n[rstate_of(st)]++;
	f->out[k].total++;
	f->refold[k]--;
	return 0;
}

static int read_counts(struct rctx *c, int64_t as_of, struct rcount *out, int64_t *refold)
{
	sqlite3_stmt *st = ledger_stmt(c->l, sql_counts);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, as_of);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int k = rctx_sub(c, ledger_text(st, 0)) * CAT__N + (category_parse(ledger_text(st, 1)) > 0);
		const char *name = ledger_text(st, 2);
		int s = !strcmp(name, "vacant") ? RS_VACANT : state_parse(name);
		int64_t n = sqlite3_column_int64(st, 3);
		if (s < 0) {
			refold[k] += n;
			continue;
		}
		out[k].n[s] += n;
		out[k].total += n;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(c->l, "count households");
}

int rstate_entered(struct rctx *c, int64_t as_of, struct rcount *out)
{
	sqlite3_stmt *st = ledger_stmt(c->l, sql_entered);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, as_of);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		out[rctx_sub(c, ledger_text(st, 0)) * CAT__N + (category_parse(ledger_text(st, 1)) > 0)]
			.entered += sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(c->l, "count households entered");
}

int rstate_counts(struct rctx *c, int64_t as_of, struct rcount *out)
{
	size_t n = (size_t)c->nsubs * CAT__N;
	struct count_fold f = {c, out, xcalloc(n, sizeof(int64_t)), as_of};
	int rc = -1;

	memset(out, 0, n * sizeof *out);
	if (read_counts(c, as_of, out, f.refold))
		goto out;
	if (as_of < c->newest && fold_stream(c->l, as_of, 1, count_one, &f))
		goto out;
	/* folded again but no visit up to the moment: never reached then */
	for (size_t k = 0; k < n; k++) {
		out[k].n[ST_NEVER_REACHED] += f.refold[k];
		out[k].total += f.refold[k];
	}
	rc = 0;
out:
	free(f.refold);
	return rc;
}

/* ---- one by one ---- */

struct override {
	char account[HH_ACCOUNT_MAX + 1];
	int state;
	unsigned missing;
};

struct overrides {
	struct override *o;
	size_t n, cap;
};

static int keep_override(void *ctx, const struct household *h, const struct status *st)
{
	struct overrides *ov = ctx;

	if (ov->n == ov->cap) {
		ov->cap = ov->cap ? ov->cap * 2 : 64;
		ov->o = xrealloc(ov->o, ov->cap * sizeof *ov->o);
	}
	gw_strlcpy(ov->o[ov->n].account, h->account, sizeof ov->o[0].account);
	ov->o[ov->n].state = rstate_of(st);
	ov->o[ov->n++].missing = st->missing;
	return 0;
}

static int cmp_override(const void *key, const void *elem)
{
	return strcmp(key, ((const struct override *)elem)->account);
}

static unsigned required_items(const struct household *h)
{
	unsigned m = 0;

	for (int it = 0; it < ITEM__N; it++)
		if (rules_need(h->category, h->gas, h->new_build, (enum item)it) == NEED_REQUIRED)
			m |= 1u << it;
	return m;
}

static unsigned parse_missing(const char *s)
{
	char buf[64], *save = NULL;
	unsigned m = 0;

	gw_strlcpy(buf, s, sizeof buf);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (item_parse(t) >= 0)
			m |= 1u << item_parse(t);
	return m;
}

static void row_household(sqlite3_stmt *st, struct household *h)
{
	char *f[] = {h->account, NULL, NULL, NULL, h->sector, h->name, h->phone, h->subdistrict,
		     h->community, h->compound, h->building, h->unit, h->floor, h->room};
	size_t sz[] = {sizeof h->account, 0, 0, 0, sizeof h->sector, sizeof h->name,
		       sizeof h->phone, sizeof h->subdistrict, sizeof h->community,
		       sizeof h->compound, sizeof h->building, sizeof h->unit, sizeof h->floor,
		       sizeof h->room};

	for (int i = 0; i < (int)GW_ARRAY_LEN(f); i++)
		if (f[i])
			gw_strlcpy(f[i], ledger_text(st, i), sz[i]);
	h->category = (enum category)(category_parse(ledger_text(st, 1)) > 0);
	h->gas = (enum gas)(gas_parse(ledger_text(st, 2)) > 0);
	h->new_build = sqlite3_column_int(st, 3);
}

static void row_state(struct rctx *c, sqlite3_stmt *st, const struct overrides *ov,
		      struct rhouse *hh)
{
	const struct override *o;

	if (sqlite3_column_int64(st, 16) <= c->as_of) {
		const char *name = ledger_text(st, 14);
		hh->state = !strcmp(name, "vacant") ? RS_VACANT : state_parse(name);
		hh->missing = hh->state == ST_NEVER_REACHED ? required_items(&hh->h)
							    : parse_missing(ledger_text(st, 15));
		return;
	}
	o = ov->n ? bsearch(hh->h.account, ov->o, ov->n, sizeof *ov->o, cmp_override) : NULL;
	hh->state = o ? o->state : ST_NEVER_REACHED;
	hh->missing = o ? o->missing : required_items(&hh->h);
}

static int walk(struct rctx *c, int category, const struct overrides *ov, rhouse_fn fn,
		void *ctx)
{
	sqlite3_stmt *st = ledger_stmt(c->l, sql_each);
	struct rhouse *hh = xcalloc(1, sizeof *hh);
	int rc;

	if (!st) {
		free(hh);
		return -1;
	}
	if (category >= 0)
		sqlite3_bind_text(st, 1, category_name((enum category)category), -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_household(st, &hh->h);
		hh->sub = rctx_sub(c, hh->h.subdistrict);
		row_state(c, st, ov, hh);
		if (fn(ctx, hh)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	free(hh);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(c->l, "read households");
}

int rstate_each(struct rctx *c, int category, rhouse_fn fn, void *ctx)
{
	struct overrides ov = {NULL, 0, 0};
	int rc = 0;

	if (c->as_of < c->newest)
		rc = fold_stream(c->l, c->as_of, 1, keep_override, &ov);
	if (rc == 0)
		rc = walk(c, category, &ov, fn, ctx);
	free(ov.o);
	return rc;
}
