#include "conflict.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "sync/records.h"

static const char sql_add[] =
	"INSERT OR IGNORE INTO conflict(account, a_device, a_seq, b_device, b_seq, fields, found_at) "
	"VALUES(?,?,?,?,?,?,?)";
static const char sql_get[] =
	"SELECT account, a_device, a_seq, b_device, b_seq FROM conflict WHERE id = ?";
static const char sql_settle[] =
	"UPDATE conflict SET resolved_at = ?, keep_device = ?, keep_seq = ? WHERE id = ?";

static void add(char *out, size_t outsz, const char *field)
{
	size_t len = strlen(out);

	snprintf(out + len, outsz - len, "%s%s", len ? "," : "", field);
}

static int differ(int a, int b)
{
	return a && b && a != b; /* 0 is "not recorded" */
}

static int is_picture(const struct visit_lean *v)
{
	return rules_is_picture(v);
}

static int hazards_differ(const struct visit_lean *a, const struct visit_lean *b)
{
	if (!is_picture(a) || !is_picture(b))
		return 0;
	if (a->nhazards != b->nhazards)
		return 1;
	for (int i = 0; i < a->nhazards; i++) {
		int found = 0;
		for (int k = 0; k < b->nhazards; k++)
			found |= strcmp(a->hazards[i].code, b->hazards[k].code) == 0 &&
				 a->hazards[i].grade == b->hazards[k].grade;
		if (!found)
			return 1;
	}
	return 0;
}

static int installs_differ(const struct visit_lean *a, const struct visit_lean *b)
{
	for (int i = 0; i < a->ninstalls; i++)
		for (int k = 0; k < b->ninstalls; k++)
			if (a->installs[i].item == b->installs[k].item &&
			    (strcmp(a->installs[i].serial, b->installs[k].serial) != 0 ||
			     strcmp(a->installs[i].product, b->installs[k].product) != 0))
				return 1;
	return 0;
}

/* What a visit says of an item: its observation, or "ok" (metal) for what it fitted. */
static int said(const struct visit_lean *v, enum item it)
{
	int obs = it == ITEM_HOSE ? (int)v->hose : it == ITEM_VALVE ? (int)v->valve
						 : it == ITEM_ALARM ? (int)v->alarm : (int)v->shutoff;

	for (int i = 0; i < v->ninstalls; i++)
		if (v->installs[i].item == it)
			return it == ITEM_HOSE ? HOSE_METAL : DEV_OK;
	return obs;
}

void conflict_fields(const struct visit_lean *a, const struct visit_lean *b, char *out, size_t outsz)
{
	out[0] = '\0';
	if (a->outcome != b->outcome)
		add(out, outsz, "outcome");
	for (int it = 0; it < ITEM__N; it++)
		if (differ(said(a, (enum item)it), said(b, (enum item)it)))
			add(out, outsz, item_name((enum item)it));
	if (differ(a->supply, b->supply))
		add(out, outsz, "supply");
	if (hazards_differ(a, b))
		add(out, outsz, "hazards");
	if (installs_differ(a, b))
		add(out, outsz, "installs");
}

static int same_base(const struct visit_lean *a, const struct visit_lean *b)
{
	return a->base.seq == b->base.seq && strcmp(a->base.device, b->base.device) == 0;
}

/* Orders a pair by (device, seq) so the same pair is stored once whatever the merge order. */
static int id_less(const struct visit_id *a, const struct visit_id *b)
{
	int c = strcmp(a->device, b->device);

	return c < 0 || (c == 0 && a->seq < b->seq);
}

static int store(struct ledger *l, const struct visit_lean *a, const struct visit_lean *b,
		 const char *fields)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_add);
	int rc;

	if (!st)
		return -1;
	if (id_less(&b->id, &a->id)) {
		const struct visit_lean *t = a;
		a = b;
		b = t;
	}
	sqlite3_bind_text(st, 1, a->account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, a->id.device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, a->id.seq);
	sqlite3_bind_text(st, 4, b->id.device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, b->id.seq);
	sqlite3_bind_text(st, 6, fields, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, gw_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ledger_db_fail(l, "store conflict");
	return sqlite3_changes(ledger_sqlite(l));
}

/* Under two devices among the visits, there can be no conflict. */
static int several_devices(const struct visit_lean *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (strcmp(v[i].id.device, v[0].id.device) != 0)
			return 1;
	return 0;
}

/* Visits ordered by the visit they were based on, then by device and number. */
static int by_base(const void *pa, const void *pb)
{
	const struct visit_lean *a = *(const struct visit_lean *const *)pa;
	const struct visit_lean *b = *(const struct visit_lean *const *)pb;
	int c = strcmp(a->base.device, b->base.device);

	if (c == 0)
		c = (a->base.seq > b->base.seq) - (a->base.seq < b->base.seq);
	if (c == 0)
		c = strcmp(a->id.device, b->id.device);
	return c ? c : (a->id.seq > b->id.seq) - (a->id.seq < b->id.seq);
}

/* Conflicting visits share a base: two devices wrote without seeing each other. An
 * honest device bases a later visit on its own earlier one, so within one base it has
 * one visit; only each device's first there is compared, which keeps a hostile feed of
 * thousands of visits on one base to one comparison per pair of devices. */
static int detect_group(struct ledger *l, const struct visit_lean **g, size_t n, char *fields,
			size_t fsz)
{
	int found = 0, rc;

	for (size_t i = 0; i < n; i++) {
		if (i && strcmp(g[i]->id.device, g[i - 1]->id.device) == 0)
			continue;
		for (size_t k = i + 1; k < n; k++) {
			if (strcmp(g[k]->id.device, g[k - 1]->id.device) == 0 ||
			    strcmp(g[i]->id.device, g[k]->id.device) == 0)
				continue;
			conflict_fields(g[i], g[k], fields, fsz);
			if (fields[0] && (rc = store(l, g[i], g[k], fields)) != 0) {
				if (rc < 0)
					return -1;
				found += rc;
			}
		}
	}
	return found;
}

int conflict_detect_lean(struct ledger *l, const struct visit_lean *v, size_t n)
{
	const struct visit_lean **p;
	char fields[128];
	size_t m = 0, start;
	int found = 0, rc = 0;

	if (!several_devices(v, n))
		return 0;
	p = xmalloc(n * sizeof(const struct visit_lean *));
	for (size_t i = 0; i < n; i++)
		if (!v[i].voided)
			p[m++] = &v[i];
	qsort(p, m, sizeof(const struct visit_lean *), by_base);
	start = 0;
	while (start < m && rc >= 0) {
		size_t end = start + 1;
		while (end < m && same_base(p[start], p[end]))
			end++;
		if (end - start > 1 && (rc = detect_group(l, p + start, end - start, fields,
							    sizeof fields)) > 0)
			found += rc;
		start = end;
	}
	free(p);
	return rc < 0 ? -1 : found;
}

int conflict_detect_visits(struct ledger *l, const struct visit *v, size_t n)
{
	struct visit_lean *w = n ? xmalloc(n * sizeof *w) : NULL;
	int found;

	for (size_t i = 0; i < n; i++)
		visit_lean_from(&w[i], &v[i]);
	found = conflict_detect_lean(l, w, n);
	free(w);
	return found;
}

int conflict_detect(struct ledger *l, const char *account)
{
	struct visit *v;
	size_t n;
	int found;

	if (visit_load(l, account, 0, &v, &n))
		return -1;
	found = conflict_detect_visits(l, v, n);
	free(v);
	return found;
}

static int same_id(const struct visit_id *a, const char *dev, int64_t seq)
{
	return a->seq == seq && strcmp(a->device, dev) == 0;
}

int conflict_resolve(struct ledger *l, int64_t id, const struct visit_id *keep)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_get);
	char account[HH_ACCOUNT_MAX + 1];
	int rc, ok = 0;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		gw_strlcpy(account, (const char *)sqlite3_column_text(st, 0), sizeof account);
		ok = same_id(keep, (const char *)sqlite3_column_text(st, 1), sqlite3_column_int64(st, 2)) ||
		     same_id(keep, (const char *)sqlite3_column_text(st, 3), sqlite3_column_int64(st, 4));
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return gw_fail(GW_ERR_NOTFOUND, _("conflict %lld: no such conflict"), (long long)id);
	if (rc != SQLITE_ROW)
		return ledger_db_fail(l, "read conflict");
	if (!ok)
		return gw_fail(GW_ERR_INPUT, _("conflict %lld: visit %s/%lld is not one of its two visits"),
			       (long long)id, keep->device, (long long)keep->seq);
	if (!(st = ledger_stmt(l, sql_settle)))
		return -1;
	sqlite3_bind_int64(st, 1, gw_now());
	sqlite3_bind_text(st, 2, keep->device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, keep->seq);
	sqlite3_bind_int64(st, 4, id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ledger_db_fail(l, "resolve conflict");
	return status_refresh(l, account);
}

/* ---- resolutions in roll-ups ---- */

static const char sql_resolved[] =
	"SELECT account, a_device, a_seq, b_device, b_seq, keep_device, keep_seq FROM conflict "
	"WHERE resolved_at IS NOT NULL ORDER BY a_device, a_seq, b_device, b_seq";
static const char sql_settle_pair[] =
	"UPDATE conflict SET resolved_at = ?, keep_device = ?, keep_seq = ? "
	"WHERE a_device = ? AND a_seq = ? AND b_device = ? AND b_seq = ? AND resolved_at IS NULL "
	"AND account = ?";
static const char sql_pair_account[] =
	"SELECT account FROM conflict WHERE a_device = ? AND a_seq = ? AND b_device = ? AND b_seq = ?";

static json_t *id_json(sqlite3_stmt *st, int col)
{
	return json_pack("[sI]", (const char *)sqlite3_column_text(st, col),
			 (json_int_t)sqlite3_column_int64(st, col + 1));
}

int conflict_put_resolutions(struct ledger *l, struct bundle_writer *w,
			     int (*keep)(void *ctx, const char *account), void *ctx)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_resolved);
	int rc = 0, k;

	if (!st)
		return -1;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW)
		if ((k = keep ? keep(ctx, (const char *)sqlite3_column_text(st, 0)) : 1) <= 0)
			rc = k;
		else
			rc = record_put(w, json_pack("{ss ss so so so}", "type", "resolution", "account",
						     (const char *)sqlite3_column_text(st, 0), "a",
						     id_json(st, 1), "b", id_json(st, 3), "keep",
						     id_json(st, 5)));
	sqlite3_reset(st);
	return rc;
}

static int parse_id(json_t *o, const char *key, struct visit_id *id)
{
	json_t *t = json_object_get(o, key), *d, *n;

	if (!t || !json_is_array(t) || json_array_size(t) != 2 || !(d = json_array_get(t, 0)) ||
	    !json_is_string(d) || json_string_length(d) > DEVICE_ID_MAX ||
	    !record_device_id_ok(json_string_value(d)) || !(n = json_array_get(t, 1)) ||
	    !json_is_integer(n) || json_integer_value(n) <= 0)
		return gw_fail(GW_ERR_REJECTED, _("resolution record: bad %s"), key);
	gw_strlcpy(id->device, json_string_value(d), sizeof id->device);
	id->seq = json_integer_value(n);
	return 0;
}

int conflict_parse_resolution(json_t *o, struct conflict_resolution *r)
{
	memset(r, 0, sizeof *r);
	if (record_str(o, "account", r->account, HH_ACCOUNT_MAX) || parse_id(o, "a", &r->a) ||
	    parse_id(o, "b", &r->b) || parse_id(o, "keep", &r->keep))
		return -1;
	if (!(r->keep.seq == r->a.seq && strcmp(r->keep.device, r->a.device) == 0) &&
	    !(r->keep.seq == r->b.seq && strcmp(r->keep.device, r->b.device) == 0))
		return gw_fail(GW_ERR_REJECTED, _("resolution record: keeps neither visit"));
	return 0;
}

/* A resolution must name the household its two visits belong to (a conflict here, or
 * the visits here): 0 when it does, or they are not here; else the bundle is refused. */
static int pair_account_matches(struct ledger *l, const struct conflict_resolution *r)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_pair_account);
	char account[HH_ACCOUNT_MAX + 1] = "";
	struct visit *v;
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, r->a.device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, r->a.seq);
	sqlite3_bind_text(st, 3, r->b.device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, r->b.seq);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		gw_strlcpy(account, ledger_text(st, 0), sizeof account);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ledger_db_fail(l, "read conflict");
	for (int i = 0; i < 2 && !account[0]; i++) {
		v = xmalloc(sizeof *v);
		if (visit_get(l, i ? &r->b : &r->a, v) == 0)
			gw_strlcpy(account, v->account, sizeof account);
		free(v);
	}
	if (!account[0] || !strcmp(account, r->account))
		return 0;
	return gw_fail(GW_ERR_REJECTED, _("resolution of %s/%lld and %s/%lld names household %s, "
					"but the visits belong to %s"), r->a.device, (long long)r->a.seq,
		       r->b.device, (long long)r->b.seq, r->account, account);
}

int conflict_apply_resolution(struct ledger *l, const struct conflict_resolution *r)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_settle_pair);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, gw_now());
	sqlite3_bind_text(st, 2, r->keep.device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, r->keep.seq);
	sqlite3_bind_text(st, 4, r->a.device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, r->a.seq);
	sqlite3_bind_text(st, 6, r->b.device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, r->b.seq);
	sqlite3_bind_text(st, 8, r->account, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ledger_db_fail(l, "resolve conflict");
	if (sqlite3_changes(ledger_sqlite(l)) == 0)
		return pair_account_matches(l, r); /* not here, settled already, or misnamed */
	return status_refresh(l, r->account);
}
