#include "pack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/settings.h"
#include "core/util.h"
#include "sync/audit.h"
#include "sync/carried.h"
#include "sync/carry.h"
#include "sync/export.h"
#include "sync/feed.h"
#include "sync/merge.h"
#include "sync/records.h"

static const char sql_ack[] = "SELECT COALESCE(MAX(seq), 0) FROM bundle_seen WHERE device = ?";
/* Feeds to acknowledge: a terminal's own; to a sub-office, every feed it may have relayed. */
static const char sql_feeds_for[] =
	"SELECT device FROM feed WHERE device = ?1 OR ?2 ORDER BY device";
static const char sql_feed_up[] =
	"UPDATE feed SET up_acked = MAX(up_acked, ?2) WHERE device = ?1";

static const char sql_catalog[] =
	"SELECT code, item, name_zh, name_en, standard, price_fen FROM catalog ORDER BY code";
/* ?1: "subdistrict/compound" (what assign resolves a compound to) or a compound's name. */
static const char sql_compound[] =
	"SELECT account FROM household WHERE subdistrict || '/' || compound = ?1 OR compound = ?1 "
	"ORDER BY account";
static const char sql_catalog_put[] =
	"INSERT OR REPLACE INTO catalog(code, item, name_zh, name_en, standard, price_fen) "
	"VALUES(?,?,?,?,?,?)";
static const char sql_household_visits[] =
	"SELECT " VISIT_ROW_COLUMNS ", " VISIT_ROW_PARTS " FROM visit v WHERE account = ?1";
static const char sql_office_seen[] = "UPDATE device SET last_seq = ? WHERE id = ?";

static int64_t meta_int(struct ledger *l, const char *key)
{
	char buf[32];

	return ledger_meta(l, key, buf, sizeof buf) == 1 ? strtoll(buf, NULL, 10) : 0;
}

/* ---- writing ---- */

static int put_table(struct ledger *l, struct bundle_writer *w, const char *sql, int catalog)
{
	sqlite3_stmt *st = ledger_stmt(l, sql);
	int rc = 0;

	if (!st)
		return -1;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		json_t *o = catalog ? json_pack("{ss ss ss ss ss ss sI}", "type", "catalog", "code",
						ledger_text(st, 0), "item", ledger_text(st, 1), "name_zh", ledger_text(st, 2),
						"name_en", ledger_text(st, 3), "standard", ledger_text(st, 4),
						"price_fen", (json_int_t)sqlite3_column_int64(st, 5))
				    : json_pack("{ss ss ss}", "type", "setting", "key", ledger_text(st, 0),
						"value", ledger_text(st, 1));
		rc = record_put(w, o);
	}
	sqlite3_reset(st);
	return rc;
}

/* A household and its visits, one visit in memory at a time: a household with
 * thousands of visits costs no more memory than one with a few. */
static int put_household(struct ledger *l, struct bundle_writer *w, const char *account,
			 struct pack_report *r)
{
	sqlite3_stmt *st;
	struct household h;
	struct visit *v;
	int rc = 0, step;

	if (household_get(l, account, &h) || record_put(w, record_household(&h)) ||
	    !(st = ledger_stmt(l, sql_household_visits)))
		return -1;
	r->households++;
	v = xmalloc(sizeof *v);
	sqlite3_bind_text(st, 1, account, -1, SQLITE_TRANSIENT);
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		rc = visit_read_row(l, st, v) || record_put(w, record_visit(v)) ? -1 : 0;
		r->visits++;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = ledger_db_fail(l, "read visits");
	sqlite3_reset(st);
	free(v);
	return rc;
}

static int put_compound(struct ledger *l, struct bundle_writer *w, const char *compound,
			struct pack_report *r)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_compound);
	char (*acc)[HH_ACCOUNT_MAX + 1] = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, compound, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap)
			acc = xrealloc(acc, (cap = cap ? cap * 2 : 64) * sizeof *acc);
		gw_strlcpy(acc[n++], ledger_text(st, 0), sizeof acc[0]);
	}
	sqlite3_reset(st);
	if (n == 0)
		rc = gw_fail(GW_ERR_INPUT, "compound %s: no households", compound);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = put_household(l, w, acc[i], r);
	free(acc);
	return rc;
}

/* The coverage acknowledgement of each feed (sync/FORMAT.md, "Acknowledgements"): the
 * highest entry up to which this office holds every entry, with the chain head there. */
static int put_feed_acks(struct ledger *l, struct bundle_writer *w, const char *device,
			 struct pack_report *r)
{
	struct sync_device d;
	sqlite3_stmt *st = ledger_stmt(l, sql_feeds_for);
	char dev[DEVICE_ID_MAX + 1], hex[FEED_HEX];
	int64_t n;
	int rc = 0, office = sync_device_get(l, device, &d) == 0 && !strcmp(d.ident.kind, "office");

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, office);
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		gw_strlcpy(dev, ledger_text(st, 0), sizeof dev);
		if ((rc = feed_ack(l, dev, &n, hex)) != 0 || n == 0)
			continue;
		if (!strcmp(dev, device))
			r->ack = n;
		rc = record_put(w, json_pack("{ss ss sI ss}", "type", "feedack", "device", dev, "n",
					     (json_int_t)n, "head", hex));
	}
	sqlite3_reset(st);
	return rc;
}

static int put_logwitness(struct ledger *l, struct bundle_writer *w, const char *device)
{
	struct audit_head h;
	char text[AUDIT_HEAD_MAX];

	int rc = audit_witness_get(l, device, &h);

	if (rc == GW_ERR_NOTFOUND)
		return 0; /* nothing witnessed from it yet */
	if (rc)
		return -1;
	audit_head_format(&h, device, text, sizeof text);
	return record_put(w, json_pack("{ss ss}", "type", "logwitness", "head", text));
}

static int put_setting(void *ctx, const char *key, const char *value, const char *scope,
		       const char *origin)
{
	return record_put(ctx, json_pack("{ss ss ss ss ss}", "type", "setting", "key", key, "value",
					 value, "scope", scope, "origin", origin));
}

static int put_head(struct ledger *l, struct bundle_writer *w, const char *device,
		    struct pack_report *r)
{
	struct sync_identity self;
	char line[SYNC_ID_LINE_MAX];
	sqlite3_stmt *st = ledger_stmt(l, sql_ack);
	int64_t bundles = 0;

	if (!st || sync_identity_self(l, &self))
		return -1;
	sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		bundles = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	sync_identity_format(&self, line, sizeof line);
	r->ack = 0; /* its own records, by coverage (put_feed_acks) */
	if (record_put(w, json_pack("{ss ss}", "type", "office", "identity", line)) ||
	    record_put(w, json_pack("{ss sI}", "type", "ack", "seq", (json_int_t)bundles)) ||
	    put_feed_acks(l, w, device, r) || put_logwitness(l, w, device))
		return -1;
	return settings_each_travelling(l, put_setting, w) || put_table(l, w, sql_catalog, 1);
}

static int check_recipient(struct ledger *l, const char *device, struct sync_device *d)
{
	if (sync_device_resolve(l, device, d))
		return -1;
	if (d->self)
		return gw_fail(GW_ERR_INPUT, "%s: that is this ledger itself", device);
	if (d->revoked_at)
		return gw_fail(GW_ERR_INPUT, "%s: revoked; no pack for it", device);
	return 0;
}

int sync_assign(struct ledger *l, const struct sync_keys *k, const char *device,
		char *const *compounds, int ncompounds, const char *out, struct pack_report *r)
{
	struct sync_device d;
	struct bundle_header h;
	struct bundle_writer *w;
	char seq[32];
	int rc = 0;

	memset(r, 0, sizeof *r);
	if (check_recipient(l, device, &d))
		return -1;
	device = d.ident.id; /* the name or id given, resolved */
	memset(&h, 0, sizeof h);
	h.kind = BUNDLE_PACK;
	gw_strlcpy(h.sender, ledger_device_id(l), sizeof h.sender);
	gw_strlcpy(h.recipient, device, sizeof h.recipient);
	memcpy(h.sender_pk, k->sign_pk, SYNC_PK_BYTES);
	h.seq = (uint64_t)meta_int(l, "pack_seq") + 1;
	h.created_at = gw_now();
	r->seq = (int64_t)h.seq;
	if (ledger_begin(l))
		return -1;
	snprintf(seq, sizeof seq, "%llu", (unsigned long long)h.seq);
	if (ledger_meta_set(l, "pack_seq", seq) || bundle_writer_open(out, &h, d.ident.box_pk, &w)) {
		ledger_rollback(l);
		return -1;
	}
	rc = put_head(l, w, device, r);
	if (rc == 0)
		rc = carry_put_plans(l, w) || carry_put_revocations(l, w) ? -1 : 0;
	for (int i = 0; i < ncompounds && rc == 0; i++)
		rc = put_compound(l, w, compounds[i], r);
	/* the households above are the whole assignment (an ack-only pack declares none) */
	if (rc == 0 && ncompounds > 0)
		rc = carry_put_assignment(w, r->households, compounds, ncompounds);
	if (rc) {
		bundle_writer_abort(w);
		ledger_rollback(l);
		return -1;
	}
	if (bundle_writer_finish(w, (uint64_t)r->visits, (uint64_t)r->households, 0, k, r->hash) ||
	    ledger_commit(l)) {
		ledger_rollback(l);
		return -1;
	}
	return 0;
}

/* ---- loading ---- */

struct load {
	struct ledger *l; /* NULL: checking only (the fuzzer) */
	const struct bundle_header *h;
	struct pack_report *r;
	char (*touched)[HH_ACCOUNT_MAX + 1];
	size_t ntouched, cap;
	int saw_office;
};

/* Households whose status is refreshed at the end, in batches of this many (memory
 * does not grow with the pack). */
#define PACK_TOUCHED 1024

static int refresh_touched(struct load *s)
{
	for (size_t i = 0; i < s->ntouched; i++)
		if ((i == 0 || strcmp(s->touched[i], s->touched[i - 1]) != 0) &&
		    status_refresh(s->l, s->touched[i]))
			return -1;
	s->ntouched = 0;
	return 0;
}

static int touch(struct load *s, const char *account)
{
	if (s->ntouched && !strcmp(s->touched[s->ntouched - 1], account))
		return 0; /* a household's visits come together */
	if (s->ntouched == PACK_TOUCHED && refresh_touched(s))
		return -1;
	if (!s->touched)
		s->touched = xmalloc(PACK_TOUCHED * sizeof *s->touched);
	gw_strlcpy(s->touched[s->ntouched++], account, sizeof s->touched[0]);
	return 0;
}

static int load_office(struct load *s, json_t *o)
{
	struct sync_identity id;
	char line[SYNC_ID_LINE_MAX];
	int rc;

	if (record_str(o, "identity", line, sizeof line - 1) || sync_identity_parse(line, &id))
		return -1;
	if (strcmp(id.id, s->h->sender) != 0 || memcmp(id.sign_pk, s->h->sender_pk, SYNC_PK_BYTES) != 0 ||
	    strcmp(id.kind, "office") != 0)
		return gw_fail(GW_ERR_REJECTED, "the office identity inside does not match the signer");
	s->saw_office = 1;
	if (!s->l)
		return 0;
	rc = sync_trust(s->l, &id, 0); /* refused when another office is trusted */
	return rc < 0 ? -1 : 0;
}

static int load_ack(struct load *s, json_t *o)
{
	int64_t ack, ours;

	if (record_int(o, "seq", &ack) || ack < 0)
		return gw_fail(GW_ERR_REJECTED, "bad ack record");
	s->r->ack = ack;
	if (!s->l)
		return 0;
	ours = meta_int(s->l, "bundle_seq");
	if (ack > ours)
		ack = ours; /* never acknowledge more than was written */
	if (ack <= meta_int(s->l, "ack_seq"))
		return 0;
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", (long long)ack);
	return ledger_meta_set(s->l, "ack_seq", buf);
}

static int load_setting(struct load *s, json_t *o)
{
	char key[128], value[512], scope[16], origin[16];

	if (record_str(o, "key", key, sizeof key - 1) || record_str(o, "value", value, sizeof value - 1) ||
	    record_str(o, "scope", scope, sizeof scope - 1) ||
	    record_str(o, "origin", origin, sizeof origin - 1))
		return -1;
	if (strcmp(origin, "district") != 0 && strcmp(origin, "office") != 0)
		return gw_fail(GW_ERR_REJECTED, "setting %s: unknown origin", key);
	return s->l ? settings_receive(s->l, key, value, origin) : 0;
}

static int meta_int_set(struct ledger *l, const char *key, int64_t v)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%lld", (long long)v);
	return ledger_meta_set(l, key, buf);
}

/* A terminal (or sub-office) restored from a backup numbers on after every entry of
 * its own the office knows of. */
static int seq_at_least(struct ledger *l, int64_t next)
{
	return meta_int(l, "next_seq") < next ? meta_int_set(l, "next_seq", next) : 0;
}

/* An acknowledgement of entries this ledger holds must name this ledger's own history:
 * a clone's entries acknowledged under this terminal's id would otherwise pass for its
 * own. Entries it does not hold (restored from a backup) are taken on the office's word. */
static int own_history_differs(struct load *s, int64_t n, const char *hex)
{
	char have[FEED_HEX], from_hex[FEED_HEX] = "";
	int64_t from = meta_int(s->l, "ack_n");

	if (n >= meta_int(s->l, "next_seq"))
		return 0;
	if (from > 0 && ledger_meta(s->l, "ack_head", from_hex, sizeof from_hex) != 1)
		from = 0;
	if (sync_own_head(s->l, from, from_hex, n, have) != 0 || !strcmp(have, hex))
		return 0;
	s->r->fork = 1;
	snprintf(s->r->fork_why, sizeof s->r->fork_why,
		 "FORK — the office acknowledges records 1..%lld of this device, but not the ones "
		 "recorded here (a clone of this terminal sent its own); they are sent again",
		 (long long)n);
	return 1;
}

/* This ledger's own feed acknowledged up to n (its chain head there: the next bundle
 * starts from it), or a feed it relays, acknowledged by the level above. */
static int load_feedack(struct load *s, json_t *o)
{
	char dev[DEVICE_ID_MAX + 1], hex[FEED_HEX];
	unsigned char head[FEED_HASH_LEN];
	sqlite3_stmt *st;
	int64_t n;

	if (record_str(o, "device", dev, DEVICE_ID_MAX) || !sync_device_id_ok(dev, strlen(dev)) ||
	    record_int(o, "n", &n) || n < 0 || record_str(o, "head", hex, sizeof hex - 1) ||
	    feed_unhex(hex, head))
		return gw_fail(GW_ERR_REJECTED, "bad feedack record");
	if (!s->l)
		return 0;
	if (strcmp(dev, ledger_device_id(s->l)) != 0) {
		if (!(st = ledger_stmt(s->l, sql_feed_up)))
			return -1;
		sqlite3_bind_text(st, 1, dev, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, n);
		n = sqlite3_step(st);
		sqlite3_reset(st);
		return n == SQLITE_DONE ? 0 : ledger_db_fail(s->l, "feed acknowledgement");
	}
	/* the load line names this feed's acknowledged point, not a bundle number */
	s->r->ack = meta_int(s->l, "ack_n");
	if (n <= s->r->ack)
		return 0;
	if (own_history_differs(s, n, hex))
		return 0; /* not acknowledged: the next bundle carries them again */
	s->r->ack = n;
	return meta_int_set(s->l, "ack_n", n) || ledger_meta_set(s->l, "ack_head", hex) ||
	       seq_at_least(s->l, n + 1);
}

static int load_logwitness(struct load *s, json_t *o)
{
	char text[AUDIT_HEAD_MAX], dev[DEVICE_ID_MAX + 1], why[256];
	struct audit_head h;
	int rc;

	if (record_str(o, "head", text, sizeof text - 1) || audit_head_parse(text, &h, dev))
		return gw_fail(GW_ERR_REJECTED, "bad logwitness record");
	if (!s->l || strcmp(dev, ledger_device_id(s->l)) != 0)
		return 0;
	rc = audit_echo(s->l, s->h->sender, &h, why, sizeof why);
	return rc == 1 ? gw_fail(GW_ERR_REJECTED, "%s", why) : rc;
}

static int load_catalog(struct load *s, json_t *o)
{
	char f[5][256];
	static const char *const keys[5] = {"code", "item", "name_zh", "name_en", "standard"};
	int64_t price;
	sqlite3_stmt *st;
	int rc;

	for (int i = 0; i < 5; i++)
		if (record_str(o, keys[i], f[i], sizeof f[i] - 1))
			return -1;
	if (record_int(o, "price_fen", &price) || item_parse(f[1]) < 0 || price < 0)
		return gw_fail(GW_ERR_REJECTED, "bad catalog record");
	if (!s->l)
		return 0;
	if (!(st = ledger_stmt(s->l, sql_catalog_put)))
		return -1;
	for (int i = 0; i < 5; i++)
		sqlite3_bind_text(st, i + 1, f[i], -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, price);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(s->l, "catalog");
}

static int load_household(struct load *s, json_t *o)
{
	struct household h;
	enum upsert_result res;

	if (record_to_household(o, &h))
		return -1;
	s->r->households++;
	if (!s->l)
		return 0;
	if (household_upsert(s->l, &h, &res))
		return -1;
	return 0;
}

static int load_visit(struct load *s, json_t *o)
{
	struct visit *v = xmalloc(sizeof *v);
	int rc = record_to_visit(o, v);

	if (rc == 0)
		s->r->visits++;
	/* one this terminal carries under its new key (key new): its copy is here already */
	if (rc == 0 && s->l && (rc = carried_own(s->l, v)) == 1) {
		free(v);
		return 0;
	}
	if (rc == 0 && s->l && (rc = sync_store_visit(s->l, v)) == 0)
		rc = touch(s, v->account);
	if (rc == -2 && !strcmp(v->id.device, ledger_device_id(s->l))) {
		/* the office holds another record under this device's number: a clone's */
		if (!s->r->fork++)
			snprintf(s->r->fork_why, sizeof s->r->fork_why,
			 "FORK — the office holds a record %lld of this device that is not the one "
			 "recorded here (a clone of this terminal sent it); this one is kept",
			 (long long)v->id.seq);
		rc = 0;
	}
	/* its own visits the office sends back: a ledger restored from a backup numbers on */
	if (rc == 0 && s->l && !strcmp(v->id.device, ledger_device_id(s->l)))
		rc = seq_at_least(s->l, v->id.seq + 1);
	free(v);
	return rc < 0 ? -1 : 0;
}

static int load_line(void *ctx, char *line, size_t len)
{
	struct load *s = ctx;
	const char *type;
	json_t *o = record_parse(line, len, &type);
	int rc;

	if (!o)
		return -1;
	if (strcmp(type, "office") == 0)
		rc = load_office(s, o);
	else if (strcmp(type, "feedack") == 0)
		rc = load_feedack(s, o);
	else if (strcmp(type, "plan") == 0)
		rc = carry_plan(s->l, o, s->h->sender);
	else if (strcmp(type, "revocation") == 0)
		rc = carry_revocation(s->l, o);
	else if (strcmp(type, "assignment") == 0)
		rc = carry_assignment(s->l, o, (int64_t)s->h->seq);
	else if (strcmp(type, "logwitness") == 0)
		rc = load_logwitness(s, o);
	else if (strcmp(type, "ack") == 0)
		rc = load_ack(s, o);
	else if (strcmp(type, "setting") == 0)
		rc = load_setting(s, o);
	else if (strcmp(type, "catalog") == 0)
		rc = load_catalog(s, o);
	else if (strcmp(type, "household") == 0)
		rc = load_household(s, o);
	else if (strcmp(type, "visit") == 0)
		rc = load_visit(s, o);
	else
		rc = gw_fail(GW_ERR_REJECTED, "unknown record type in a pack");
	json_decref(o);
	return rc;
}

/* The key to check the signature with: the trusted office's, or the header's if
 * it has the fingerprint the user gave. */
static int signer_key(struct ledger *l, const struct bundle_header *h, const char *path,
		      const char *fpr, struct pack_report *r, unsigned char pk[SYNC_PK_BYTES])
{
	char up[DEVICE_ID_MAX + 1], have[SYNC_FPR_MAX], want[SYNC_FPR_MAX];
	struct sync_device d;

	if (h->kind != BUNDLE_PACK)
		return gw_fail(GW_ERR_REJECTED, "%s: a bundle, not an assignment pack", path);
	if (strcmp(h->recipient, ledger_device_id(l)) != 0)
		return gw_fail(GW_ERR_REJECTED, "%s: made for device %s, not this one", path,
			       h->recipient);
	sync_fingerprint(h->sender_pk, have);
	if (ledger_meta(l, "upstream", up, sizeof up) == 1 && strcmp(up, h->sender) == 0 &&
	    sync_device_get(l, up, &d) == 0) {
		if (h->seq <= (uint64_t)d.last_seq)
			return gw_fail(GW_ERR_REJECTED, "%s: pack %llu is not newer than pack %lld "
							"already loaded", path,
				       (unsigned long long)h->seq, (long long)d.last_seq);
		memcpy(pk, d.ident.sign_pk, SYNC_PK_BYTES);
		return 0;
	}
	if (sync_upstream(l, &d) == 0)
		return gw_fail(GW_ERR_REJECTED,
			       "%s: from office %s, but this ledger trusts office %s; replacing "
			       "the trusted office is done only with 'gaswalk trust-replace'",
			       path, h->sender, d.ident.id);
	if (gw_last_status() != GW_ERR_NOTFOUND)
		return -1;
	if (!fpr || sync_fingerprint_norm(fpr, want) != 0 || strcmp(want, have) != 0)
		return gw_fail(GW_ERR_REJECTED,
			       "%s: from an office this ledger does not trust (fingerprint %s); "
			       "run 'gaswalk trust KEY' first, or 'load --trust FINGERPRINT' after "
			       "checking the fingerprint with the office",
			       path, have);
	r->trusted_now = 1;
	memcpy(pk, h->sender_pk, SYNC_PK_BYTES);
	return 0;
}

static int apply_pack(struct ledger *l, const struct sync_keys *k, struct bundle_reader *br,
		      struct load *s)
{
	char seq[32];

	if (bundle_read_body(br, k, load_line, s))
		return -1;
	if (!s->saw_office)
		return gw_fail(GW_ERR_REJECTED, "pack without the office identity");
	if ((uint64_t)s->r->visits != s->h->nvisits || (uint64_t)s->r->households != s->h->nhouseholds)
		return gw_fail(GW_ERR_REJECTED, "pack record counts differ from its header");
	if (refresh_touched(s) || meta_int_set(l, "pack_created", s->h->created_at))
		return -1;
	snprintf(seq, sizeof seq, "%llu", (unsigned long long)s->h->seq);
	const char *p[] = {seq, s->h->sender};
	return ledger_exec(l, sql_office_seen, 2, p);
}

int sync_load(struct ledger *l, const struct sync_keys *k, const char *path,
	      const char *trust_fpr, struct pack_report *r)
{
	struct bundle_reader *br;
	unsigned char pk[SYNC_PK_BYTES];
	struct load s;
	int rc;

	memset(r, 0, sizeof *r);
	if (bundle_open(path, &br))
		return -1;
	memset(&s, 0, sizeof s);
	s.l = l;
	s.h = bundle_header(br);
	s.r = r;
	gw_strlcpy(r->office, s.h->sender, sizeof r->office);
	r->seq = (int64_t)s.h->seq;
	rc = signer_key(l, s.h, path, trust_fpr, r, pk);
	if (rc == 0)
		rc = bundle_verify(br, pk);
	if (rc == 0) {
		gw_strlcpy(r->hash, bundle_hash_hex(br), sizeof r->hash);
		rc = ledger_begin(l);
	}
	if (rc == 0) {
		rc = apply_pack(l, k, br, &s);
		if (rc == 0)
			rc = ledger_commit(l);
		if (rc != 0)
			ledger_rollback(l);
	}
	free(s.touched);
	bundle_close(br);
	return rc;
}

int sync_pack_check_line(char *line, size_t len)
{
	struct pack_report r;
	struct bundle_header h;
	struct load s;

	memset(&r, 0, sizeof r);
	memset(&h, 0, sizeof h);
	memset(&s, 0, sizeof s);
	s.h = &h;
	s.r = &r;
	return load_line(&s, line, len);
}
