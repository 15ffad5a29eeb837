#include "carry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/plan.h"
#include "core/i18n.h"
#include "core/util.h"
#include "sync/keys.h"
#include "sync/records.h"
#include "sync/relay.h"
#include "sync/territory.h"

static int put_plan(void *ctx, const char *subdistrict, const char *compound, const char *month,
		    long households, const char *origin)
{
	(void)origin;
	return record_put(ctx, json_pack("{ss ss ss ss sI}", "type", "plan", "subdistrict",
					 subdistrict, "compound", compound, "month", month,
					 "households", (json_int_t)households));
}

int carry_put_plans(struct ledger *l, struct bundle_writer *w)
{
	return plan_each(l, put_plan, w);
}

struct own_plans {
	struct bundle_writer *w;
	struct territory t;
	int scoped;
};

/* Up, a plan set here ("local"), of this office's own subdistrict when it knows it: the
 * plans that came down from above are the level above's already, and a plan of another
 * subdistrict refuses the roll-up there. */
static int put_own_plan(void *ctx, const char *subdistrict, const char *compound,
			const char *month, long households, const char *origin)
{
	struct own_plans *o = ctx;

	if (strcmp(origin, "local") != 0 || (o->scoped && !territory_has(&o->t, subdistrict)))
		return 0;
	return put_plan(o->w, subdistrict, compound, month, households, origin);
}

int carry_put_plans_up(struct ledger *l, struct bundle_writer *w)
{
	struct own_plans o = {w, {"", ""}, 0};

	if ((o.scoped = territory_own(l, &o.t)) < 0)
		return -1;
	return plan_each(l, put_own_plan, &o);
}

struct revs {
	struct bundle_writer *w;
	const char *self;
};

static int put_revocation(void *ctx, int64_t n, const unsigned char sign_pk[SYNC_PK_BYTES],
			  const unsigned char box_pk[SYNC_PK_BYTES], int64_t at, const char *by)
{
	struct revs *r = ctx;
	char s[64], b[64];

	(void)n;
	sync_b64(sign_pk, SYNC_PK_BYTES, s, sizeof s);
	if (box_pk)
		sync_b64(box_pk, SYNC_PK_BYTES, b, sizeof b);
	return record_put(r->w, json_pack("{ss ss so sI ss}", "type", "revocation", "sign_pk", s,
					  "box_pk", box_pk ? json_string(b) : json_null(), "at",
					  (json_int_t)at, "by", by && *by ? by : r->self));
}

int carry_put_revocations(struct ledger *l, struct bundle_writer *w)
{
	struct revs r = {w, ledger_device_id(l)};

	return sync_revocations_each(l, 0, put_revocation, &r);
}

struct own_revs {
	struct revs r;
	struct ledger *l;
};

/* 1 when entries of the device arrived here: its feed (and the office's enrolment of
 * it) went up, or goes up in this roll-up before the revocations; 0 not; -1 error. */
static int relayed(struct ledger *l, const char *device)
{
	sqlite3_stmt *st = ledger_stmt(l, "SELECT EXISTS(SELECT 1 FROM visit_arrival WHERE device = ?)");
	int rc, yes = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		yes = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? yes : ledger_db_fail(l, "visit arrivals");
}

/* Up, a revocation made here of a terminal this office enrolled and relayed: the level
 * above takes no other (sync/relay.c relay_revocation: it knows a terminal of this
 * office only from its relayed feeds' enrolment; one that never sent anything is
 * accepted nowhere up there anyway), and those that came down are its own. */
static int put_own_revocation(void *ctx, int64_t n, const unsigned char sign_pk[SYNC_PK_BYTES],
			      const unsigned char box_pk[SYNC_PK_BYTES], int64_t at, const char *by)
{
	struct own_revs *o = ctx;
	struct sync_device d;
	char id[SYNC_ID_CHARS + 1];
	int rc;

	if (by && *by)
		return 0;
	sync_device_id(sign_pk, id);
	if (sync_device_get(o->l, id, &d) != 0) {
		if (gw_last_status() != GW_ERR_NOTFOUND)
			return -1;
		gw_clear_error();
		return 0;
	}
	if (d.self || d.office[0] || strcmp(d.ident.kind, "terminal") != 0)
		return 0;
	if ((rc = relayed(o->l, id)) <= 0)
		return rc;
	return put_revocation(&o->r, n, sign_pk, box_pk, at, by);
}

int carry_put_revocations_up(struct ledger *l, struct bundle_writer *w)
{
	struct own_revs o = {{w, ledger_device_id(l)}, l};

	return sync_revocations_each(l, 0, put_own_revocation, &o);
}

int carry_put_assignment(struct bundle_writer *w, int64_t households, char *const *compounds,
			 int n)
{
	json_t *list = json_array();

	for (int i = 0; i < n; i++) {
		/* "SUBDISTRICT/COMPOUND" as assign resolved it, or a bare compound */
		const char *slash = strchr(compounds[i], '/');
		json_array_append_new(list, slash ? json_pack("[s%s]", compounds[i],
							      (size_t)(slash - compounds[i]), slash + 1)
						  : json_pack("[ss]", "", compounds[i]));
	}
	return record_put(w, json_pack("{ss sI so}", "type", "assignment", "households",
				       (json_int_t)households, "compounds", list));
}

int carry_plan(struct ledger *l, json_t *o, const char *origin)
{
	return carry_plan_up(l, o, origin, NULL);
}

int carry_plan_up(struct ledger *l, json_t *o, const char *origin, struct relay *c)
{
	char sub[HH_PLACE_MAX + 1], compound[HH_PLACE_MAX + 1], month[16];
	int64_t n;

	if (record_str(o, "subdistrict", sub, HH_PLACE_MAX) ||
	    record_str(o, "compound", compound, HH_PLACE_MAX) ||
	    record_str(o, "month", month, sizeof month - 1) || record_int(o, "households", &n) ||
	    n < 0 || n > 100000000)
		return sync_fail_ctx("plan record");
	if (c && relay_plan(c, sub, compound, month))
		return -1;
	return l ? plan_put(l, sub, compound, month, (long)n, origin) : 0;
}

static int key_field(json_t *o, const char *name, unsigned char out[SYNC_PK_BYTES], int *null)
{
	char b64[64];
	json_t *v = json_object_get(o, name);

	*null = json_is_null(v);
	if (*null)
		return 0;
	if (record_str(o, name, b64, sizeof b64 - 1) || sync_unb64(b64, out, SYNC_PK_BYTES) != 0)
		return gw_fail(GW_ERR_REJECTED, _("revocation record: bad %s"), name);
	return 0;
}

int carry_revocation(struct ledger *l, json_t *o)
{
	return carry_revocation_up(l, o, NULL);
}

int carry_revocation_up(struct ledger *l, json_t *o, struct relay *c)
{
	unsigned char sign_pk[SYNC_PK_BYTES], box_pk[SYNC_PK_BYTES];
	char by[DEVICE_ID_MAX + 1];
	int64_t at;
	int null_sign, null_box;

	if (key_field(o, "sign_pk", sign_pk, &null_sign) || null_sign ||
	    key_field(o, "box_pk", box_pk, &null_box) || record_int(o, "at", &at) || at < 0 ||
	    record_str(o, "by", by, DEVICE_ID_MAX) || !sync_device_id_ok(by, strlen(by)))
		return gw_fail(GW_ERR_REJECTED, _("revocation record: bad fields"));
	if (!l)
		return 0;
	if (c && relay_revocation(c, sign_pk, null_box ? NULL : box_pk))
		return -1;
	return sync_revoke_key(l, sign_pk, null_box ? NULL : box_pk, at, c ? relay_sender(c) : by) < 0
		       ? -1
		       : 0;
}

int carry_assignment(struct ledger *l, json_t *o, int64_t pack_seq)
{
	json_t *list = json_object_get(o, "compounds"), *t;
	char seq[32], *text;
	int64_t n;
	size_t i;

	if (record_int(o, "households", &n) || n < 0 || !list || !json_is_array(list) ||
	    json_array_size(list) > 4096)
		return gw_fail(GW_ERR_REJECTED, _("assignment record: bad fields"));
	json_array_foreach(list, i, t)
		if (!json_is_array(t) || json_array_size(t) != 2 || !json_is_string(json_array_get(t, 0)) ||
		    !json_is_string(json_array_get(t, 1)) ||
		    json_string_length(json_array_get(t, 1)) > HH_PLACE_MAX ||
		    json_string_length(json_array_get(t, 0)) > HH_PLACE_MAX)
			return gw_fail(GW_ERR_REJECTED, _("assignment record: bad compound"));
	if (!l)
		return 0;
	/* what the terminal is assigned as of this pack (issue 17 prunes by it) */
	text = json_dumps(list, JSON_COMPACT);
	snprintf(seq, sizeof seq, "%lld", (long long)pack_seq);
	n = ledger_meta_set(l, "assignment", text ? text : "[]") ||
	    ledger_meta_set(l, "assignment_pack", seq);
	free(text);
	return n ? -1 : 0;
}
