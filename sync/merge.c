#include "merge.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "sync/audit.h"
#include "sync/conflict.h"
#include "sync/hash.h"
#include "sync/photo.h"
#include "sync/records.h"

static const char sql_in_get[] = "SELECT hash, prev_hash FROM bundle_in WHERE device = ? AND seq = ?";
static const char sql_in_below[] = "SELECT MAX(seq) FROM bundle_in WHERE device = ? AND seq < ?";
static const char sql_in_add[] =
	"INSERT INTO bundle_in(device, seq, hash, prev_hash, merged_at, visits) VALUES(?,?,?,?,?,?)";
static const char sql_dev_seen[] =
	"UPDATE device SET last_seq = ?2, last_hash = ?3 WHERE id = ?1 AND last_seq < ?2";

char *sync_photo_dir(const char *bundle_path)
{
	size_t n = strlen(bundle_path);
	char *p = xmalloc(n + 8);

	if (n > 4 && strcmp(bundle_path + n - 4, ".gwb") == 0)
		n -= 4;
	snprintf(p, n + 8, "%.*s.photos", (int)n, bundle_path);
	return p;
}

/* ---- what the body does to the ledger ---- */

struct accounts {
	char (*a)[HH_ACCOUNT_MAX + 1];
	size_t n, cap;
};

static void accounts_add(struct accounts *s, const char *account)
{
	if (s->n && strcmp(s->a[s->n - 1], account) == 0)
		return;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->a = xrealloc(s->a, s->cap * sizeof *s->a);
	}
	gw_strlcpy(s->a[s->n++], account, sizeof s->a[0]);
}

static int cmp_account(const void *x, const void *y)
{
	return strcmp(x, y);
}

static void accounts_unique(struct accounts *s)
{
	size_t k = 0;

	if (!s->n)
		return;
	qsort(s->a, s->n, sizeof *s->a, cmp_account);
	for (size_t i = 1; i < s->n; i++)
		if (strcmp(s->a[i], s->a[k]) != 0)
			memcpy(s->a[++k], s->a[i], sizeof s->a[0]);
	s->n = k + 1;
}

/* Households whose status waits for the end of the bundle are refreshed in batches
 * of this many, so memory stays bounded however big the bundle (a roll-up can carry a
 * whole subdistrict). */
#define TOUCHED_BATCH 4096

struct sink {
	struct ledger *l; /* NULL: verify only */
	const struct bundle_header *h;
	int sender_is_office;
	struct accounts touched;
	struct merge_report *r;
	char *photo_dir, *store; /* beside the bundle; the office's store (NULL: verify) */
	size_t nphotos;
	struct conflict_resolution *res; /* applied once the conflicts are found */
	size_t nres;
	int64_t visits, visits_new, households, voids;
	struct visit *v; /* each visit line is read into it (7 KB, allocated once) */
};

static int cmp_hazard(const void *x, const void *y)
{
	return strcmp(((const struct hazard *)x)->code, ((const struct hazard *)y)->code);
}

static int cmp_photo(const void *x, const void *y)
{
	return strcmp(((const struct photo *)x)->name, ((const struct photo *)y)->name);
}

static int parts_equal(struct visit *a, const struct visit *b)
{
	if (a->nhazards != b->nhazards || a->ninstalls != b->ninstalls || a->nphotos != b->nphotos)
		return 0;
	qsort(a->hazards, (size_t)a->nhazards, sizeof a->hazards[0], cmp_hazard);
	qsort(a->photos, (size_t)a->nphotos, sizeof a->photos[0], cmp_photo);
	for (int i = 0; i < a->nhazards; i++)
		if (strcmp(a->hazards[i].code, b->hazards[i].code) != 0 ||
		    a->hazards[i].grade != b->hazards[i].grade)
			return 0;
	for (int i = 0; i < a->ninstalls; i++)
		if (a->installs[i].item != b->installs[i].item ||
		    strcmp(a->installs[i].product, b->installs[i].product) != 0 ||
		    strcmp(a->installs[i].serial, b->installs[i].serial) != 0 ||
		    a->installs[i].price_fen != b->installs[i].price_fen)
			return 0;
	for (int i = 0; i < a->nphotos; i++)
		if (strcmp(a->photos[i].name, b->photos[i].name) != 0 ||
		    a->photos[i].size != b->photos[i].size || strcmp(a->photos[i].hash, b->photos[i].hash) != 0)
			return 0;
	return 1;
}

/* a: from the bundle (its parts get sorted), b: as stored. */
static int visits_equal(struct visit *a, const struct visit *b)
{
	return strcmp(a->account, b->account) == 0 && strcmp(a->actor, b->actor) == 0 &&
	       a->role == b->role && a->at == b->at && a->tz_minutes == b->tz_minutes &&
	       a->outcome == b->outcome && a->hose == b->hose && a->valve == b->valve &&
	       a->notice == b->notice && a->entry_mode == b->entry_mode &&
	       strcmp(a->supply_hazard, b->supply_hazard) == 0 &&
	       a->alarm == b->alarm && a->shutoff == b->shutoff && a->supply == b->supply &&
	       strcmp(a->note, b->note) == 0 && a->base.seq == b->base.seq &&
	       (!a->base.seq || strcmp(a->base.device, b->base.device) == 0) && parts_equal(a, b);
}

/* 0 stored now, 1 stored before (the same visit), -1 error or a different visit with
 * that id stored before. */
int sync_store_visit(struct ledger *l, struct visit *v)
{
	struct visit *old;
	int rc = visit_insert_new(l, v), same;

	if (rc != 1)
		return rc;
	old = xmalloc(sizeof *old);
	if (visit_get(l, &v->id, old)) {
		free(old);
		return -1;
	}
	same = visits_equal(v, old);
	free(old);
	if (!same)
		return gw_fail(GW_ERR_REJECTED, "visit %s/%lld differs from the one already merged",
			       v->id.device, (long long)v->id.seq);
	return 1;
}

/* ---- photo files beside the bundle ---- */

/* One photo beside the bundle: checked, and kept in the store when merging
 * (store NULL: verify only). A photo already in the store needs no file beside.
 * A photo missing or changed is listed; one that cannot be written to the store (a
 * full disk) fails the bundle, which is then merged later, whole. */
static int check_photo(const char *dir, const char *store, const struct photo *ph,
		       struct merge_report *r)
{
	char *file = sync_path_join(dir, ph->name), hex[SYNC_HASH_HEX], *dst;
	int64_t size;
	int rc;

	if (!store) {
		if (sync_hash_file(file, hex, &size) != 0)
			sync_photo_problem(&r->bad_photos, ph->name, "missing");
		else if (size != ph->size || strcmp(hex, ph->hash) != 0)
			sync_photo_problem(&r->bad_photos, ph->name, "does not match its hash");
		free(file);
		return 0;
	}
	dst = sync_path_join(store, ph->hash);
	errno = 0;
	rc = sync_photo_stored(store, ph) ? 0 : sync_photo_copy(file, dst, ph);
	if (rc == 1)
		sync_photo_problem(&r->bad_photos, ph->name, "missing");
	else if (rc == 2)
		sync_photo_problem(&r->bad_photos, ph->name, "does not match its hash");
	else if (rc < 0)
		gw_fail(GW_ERR_IO, "%s: cannot store the photo: %s", dst,
			strerror(errno ? errno : EIO));
	free(dst);
	free(file);
	return rc < 0 ? -1 : 0;
}

/* Each photo as its visit arrives: checked beside the bundle, kept in the store. */
static int take_photos(struct sink *s, const struct visit *v)
{
	for (int i = 0; i < v->nphotos; i++) {
		if (s->l && !s->store)
			s->store = sync_photo_store(s->l);
		if (check_photo(s->photo_dir, s->store, &v->photos[i], s->r))
			return -1;
		s->nphotos++;
	}
	return 0;
}

/* Refreshes the households touched so far and forgets them. */
static int refresh_accounts(struct ledger *l, struct accounts *a, struct merge_report *r)
{
	accounts_unique(a);
	for (size_t i = 0; i < a->n; i++) {
		struct visit *v;
		size_t n;
		int found;
		/* one load for both: conflicts among all visits, then the status
		 * from those not overruled (a new conflict is not resolved yet) */
		if (visit_load(l, a->a[i], 0, &v, &n))
			return -1;
		found = conflict_detect_visits(l, v, n);
		if (found < 0 || status_refresh_visits(l, a->a[i], v, &n)) {
			free(v);
			return -1;
		}
		free(v);
		r->conflicts += found;
	}
	a->n = 0;
	return 0;
}

/* A household touched again after its batch is refreshed again: the refresh always
 * starts from all the household's visits, so the result is the same. */
static int touched(struct sink *s, const char *account)
{
	accounts_add(&s->touched, account);
	return s->touched.n < TOUCHED_BATCH ? 0 : refresh_accounts(s->l, &s->touched, s->r);
}

/* A visit read from its line: checked against the sender, stored, its photos taken. */
static int sink_parsed_visit(struct sink *s, struct visit *v)
{
	int rc = 0;

	if (!s->sender_is_office && strcmp(v->id.device, s->h->sender) != 0)
		rc = gw_fail(GW_ERR_REJECTED, "visit %s/%lld: a terminal can only send its own visits",
			     v->id.device, (long long)v->id.seq);
	if (rc == 0 && s->l) {
		rc = sync_store_visit(s->l, v);
		if (rc == 0) {
			s->visits_new++;
			rc = touched(s, v->account);
		}
		rc = rc < 0 ? -1 : 0;
	}
	if (rc == 0) {
		s->visits++;
		rc = take_photos(s, v);
	}
	return rc;
}

static int sink_visit(struct sink *s, json_t *o)
{
	return record_to_visit(o, s->v) ? -1 : sink_parsed_visit(s, s->v);
}

/* A void: a terminal voids only its own visits; an office any (its territory: T3). */
static int sink_void(struct sink *s, json_t *o)
{
	struct visit_void w;
	int rc;

	if (record_to_void(o, &w))
		return -1;
	if (!s->sender_is_office && (strcmp(w.id.device, s->h->sender) != 0 ||
				     strcmp(w.target.device, s->h->sender) != 0))
		return gw_fail(GW_ERR_REJECTED, "void %s/%lld: a terminal voids only its own visits",
			       w.id.device, (long long)w.id.seq);
	s->voids++;
	if (!s->l)
		return 0;
	rc = void_insert_new(s->l, &w);
	if (rc < 0)
		return -1;
	return rc == 0 ? touched(s, w.account) : 0;
}

static int sink_household(struct sink *s, json_t *o)
{
	struct household h;
	enum upsert_result res;

	if (!s->sender_is_office)
		return gw_fail(GW_ERR_REJECTED, "household records come only from offices");
	if (record_to_household(o, &h))
		return -1;
	s->households++;
	if (!s->l)
		return 0;
	if (household_upsert(s->l, &h, &res))
		return -1;
	return res != UPSERT_UNCHANGED ? touched(s, h.account) : 0;
}

static int sink_resolution(struct sink *s, json_t *o)
{
	struct conflict_resolution r;

	if (!s->sender_is_office)
		return gw_fail(GW_ERR_REJECTED, "resolution records come only from offices");
	if (conflict_parse_resolution(o, &r))
		return -1;
	s->res = xrealloc(s->res, (s->nres + 1) * sizeof *s->res);
	s->res[s->nres++] = r;
	return 0;
}

static int sink_line(void *ctx, char *line, size_t len)
{
	struct sink *s = ctx;
	const char *type;
	json_t *o;
	int rc = record_line_to_visit(line, len, s->v); /* the usual line, without jansson */

	if (rc == 0)
		rc = sink_parsed_visit(s, s->v);
	if (rc <= 0)
		return rc;
	o = record_parse(line, len, &type);
	if (!o)
		return -1;
	if (strcmp(type, "visit") == 0)
		rc = sink_visit(s, o);
	else if (strcmp(type, "household") == 0)
		rc = sink_household(s, o);
	else if (strcmp(type, "resolution") == 0)
		rc = sink_resolution(s, o);
	else if (strcmp(type, "void") == 0)
		rc = sink_void(s, o);
	else
		rc = gw_fail(GW_ERR_REJECTED, "unknown record type in a bundle");
	json_decref(o);
	return rc;
}

/* ---- checks before anything is decrypted ---- */

static int reject(struct merge_report *r, const char *fmt, const char *a, const char *b)
{
	snprintf(r->why, sizeof r->why, fmt, a, b);
	r->outcome = MERGE_REJECTED;
	return gw_fail(GW_ERR_REJECTED, "%s", r->why);
}

static int check_sender(struct ledger *l, const struct bundle_header *h, const char *path,
			struct merge_report *r, struct sync_device *d)
{
	if (h->kind != BUNDLE_VISITS)
		return reject(r, "%s: an assignment pack, not a bundle (use 'gaswalk load')%s", path, "");
	if (strcmp(h->recipient, ledger_device_id(l)) != 0)
		return reject(r, "%s: sealed to another ledger (%s), not this one", path, h->recipient);
	if (sync_device_get(l, h->sender, d) != 0) {
		if (gw_last_status() != GW_ERR_NOTFOUND)
			return -1;
		return reject(r, "%s: from unknown device %s; enroll it first", path, h->sender);
	}
	if (d->self)
		return reject(r, "%s: written by this ledger itself%s", path, "");
	if (d->revoked_at)
		return reject(r, "%s: device %s is revoked; bundle refused", path, h->sender);
	if (memcmp(d->ident.sign_pk, h->sender_pk, SYNC_PK_BYTES) != 0)
		return reject(r, "%s: signed with a key that is not %s's enrolled key", path, h->sender);
	return 0;
}

/* 1 found (hashes copied), 0 not found, -1 error. */
static int bundle_seen(struct ledger *l, const char *dev, int64_t seq, char *hash, char *prev)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_in_get);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, dev, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, seq);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		gw_strlcpy(hash, (const char *)sqlite3_column_text(st, 0), BUNDLE_HASH_HEX);
		gw_strlcpy(prev, (const char *)sqlite3_column_text(st, 1), BUNDLE_HASH_HEX);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "read bundles");
}

static int64_t highest_below(struct ledger *l, const char *dev, int64_t seq)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_in_below);
	int64_t below = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, dev, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, seq);
	if (sqlite3_step(st) == SQLITE_ROW)
		below = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return below;
}

static int fork_found(struct merge_report *r, const char *path, const char *what)
{
	r->fork = 1;
	return reject(r, "%s: FORK — %s (a cloned terminal?); rejected", path, what);
}

/* Replays, forks and gaps, from the bundles of this device merged so far. */
static int check_chain(struct ledger *l, const struct bundle_header *h, const char *path,
		       struct merge_report *r)
{
	char hash[BUNDLE_HASH_HEX], prev[BUNDLE_HASH_HEX], want_prev[BUNDLE_HASH_HEX], what[160];
	int64_t seq = (int64_t)h->seq, below;
	int seen;

	bundle_hex(h->prev_hash, BUNDLE_HASH_LEN, want_prev, sizeof want_prev);
	if ((seen = bundle_seen(l, h->sender, seq, hash, prev)) < 0)
		return -1;
	if (seen && strcmp(hash, r->hash) == 0) {
		r->outcome = MERGE_ALREADY;
		return 1;
	}
	snprintf(what, sizeof what, "another bundle %lld from %s was merged before", (long long)seq,
		 h->sender);
	if (seen)
		return fork_found(r, path, what);
	if ((seen = bundle_seen(l, h->sender, seq - 1, hash, prev)) < 0)
		return -1;
	snprintf(what, sizeof what, "bundle %lld does not follow bundle %lld of %s", (long long)seq,
		 (long long)seq - 1, h->sender);
	if (seen && strcmp(hash, want_prev) != 0)
		return fork_found(r, path, what);
	if ((seen = bundle_seen(l, h->sender, seq + 1, hash, prev)) < 0)
		return -1;
	snprintf(what, sizeof what, "bundle %lld of %s does not follow this one", (long long)seq + 1,
		 h->sender);
	if (seen && strcmp(prev, r->hash) != 0)
		return fork_found(r, path, what);
	below = highest_below(l, h->sender, seq);
	if (below < 0)
		return -1;
	if (below < seq - 1)
		snprintf(r->gap, sizeof r->gap, "gap: bundles %lld..%lld of %s not merged yet",
			 (long long)below + 1, (long long)seq - 1, h->sender);
	return 0;
}

/* ---- merging ---- */

static int counts_match(const struct bundle_header *h, const struct sink *s, const char *path,
			struct merge_report *r)
{
	if ((uint64_t)s->visits != h->nvisits || (uint64_t)s->households != h->nhouseholds ||
	    (uint64_t)s->nphotos != h->nphotos)
		return reject(r, "%s: record counts differ from its header%s", path, "");
	return 0;
}

static int record_bundle(struct ledger *l, const struct bundle_header *h, struct merge_report *r,
			 int64_t visits)
{
	char prev[BUNDLE_HASH_HEX];
	sqlite3_stmt *st = ledger_stmt(l, sql_in_add);
	int rc;

	if (!st)
		return -1;
	bundle_hex(h->prev_hash, BUNDLE_HASH_LEN, prev, sizeof prev);
	sqlite3_bind_text(st, 1, h->sender, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (int64_t)h->seq);
	sqlite3_bind_text(st, 3, r->hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, prev, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, gw_now());
	sqlite3_bind_int64(st, 6, visits);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE || !(st = ledger_stmt(l, sql_dev_seen)))
		return ledger_db_fail(l, "record bundle");
	sqlite3_bind_text(st, 1, h->sender, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (int64_t)h->seq);
	sqlite3_bind_text(st, 3, r->hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "record bundle");
}

static int refresh_touched(struct ledger *l, struct sink *s, struct merge_report *r)
{
	if (refresh_accounts(l, &s->touched, r))
		return -1;
	for (size_t i = 0; i < s->nres; i++)
		if (conflict_apply_resolution(l, &s->res[i]))
			return -1;
	return 0;
}

static void summary_detail(const struct merge_report *r, char *out, size_t outsz)
{
	snprintf(out, outsz, "%lld new visits, %lld already there, %lld households, %lld conflicts%s%s%s%s",
		 (long long)r->visits_new, (long long)r->visits_dup, (long long)r->households,
		 (long long)r->conflicts, r->gap[0] ? "; " : "", r->gap,
		 r->bad_photos.n ? "; photos: " : "", r->bad_photos.list);
}

/* How a bundle's merge uses transactions. */
enum txn {
	TXN_NONE,  /* verifying: nothing is written */
	TXN_OWN,   /* the bundle's own transaction */
	TXN_GROUP, /* inside a group's transaction (sync_merge_many) */
};

/* Inside the write transaction run() or the group began (none when verifying): its
 * own is committed or rolled back. In a group, any failure while the body is applied
 * returns -3: the group must be rolled back and its bundles merged one by one. */
static int apply(struct ledger *l, const struct sync_keys *k, struct bundle_reader *br,
		 const char *path, struct sink *s, struct merge_report *r, enum txn txn)
{
	char detail[1024];
	enum gw_status st;

	if (bundle_read_body(br, k, sink_line, s) || counts_match(bundle_header(br), s, path, r))
		goto fail;
	r->visits_new = s->visits_new;
	r->visits_dup = s->visits - s->visits_new;
	r->households = s->households;
	r->photos = (int64_t)s->nphotos;
	if (!s->l)
		return 0;
	summary_detail(r, detail, sizeof detail);
	if (refresh_touched(l, s, r) || record_bundle(l, bundle_header(br), r, s->visits) ||
	    audit_append(l, r->device, r->seq, r->hash, "merged", detail) ||
	    (txn == TXN_OWN && ledger_commit(l)))
		goto fail;
	return 0;
fail:
	if (txn == TXN_GROUP)
		return -3;
	st = gw_last_status();
	if (s->l)
		ledger_rollback(l);
	/* this ledger could not take it (a full disk): not the bundle's fault, no rejection */
	if (s->l && (st == GW_ERR_IO || st == GW_ERR_DB))
		return -2;
	if (r->outcome != MERGE_REJECTED) {
		r->outcome = MERGE_REJECTED;
		gw_strlcpy(r->why, gw_error(), sizeof r->why);
	}
	return -1;
}

static int run(struct ledger *l, const struct sync_keys *k, const char *path, enum txn txn,
	       struct merge_report *r, struct bundle_reader *br)
{
	int verify_only = txn == TXN_NONE;
	struct sync_device d;
	struct sink s;
	int rc, office;

	const struct bundle_header *h = bundle_header(br);
	gw_strlcpy(r->device, h->sender, sizeof r->device);
	r->seq = (int64_t)h->seq;
	if (check_sender(l, h, path, r, &d) || bundle_verify(br, d.ident.sign_pk))
		return -1;
	office = strcmp(d.ident.kind, "office") == 0;
	gw_strlcpy(r->hash, bundle_hash_hex(br), sizeof r->hash);
	/* the chain is checked inside the write transaction: two merges of the same bundle
	 * at once would both find it new otherwise, and the second fail on commit */
	if (txn == TXN_OWN && ledger_begin(l))
		return -2;
	if ((rc = check_chain(l, h, path, r)) != 0) {
		if (txn == TXN_OWN)
			ledger_rollback(l);
		return rc > 0 ? 0 : -1;
	}
	/* apply commits or rolls back; -2 when this ledger itself failed */
	memset(&s, 0, sizeof s);
	s.l = verify_only ? NULL : l;
	s.h = h;
	s.sender_is_office = office;
	s.r = r;
	s.photo_dir = sync_photo_dir(path);
	s.v = xmalloc(sizeof *s.v);
	rc = apply(l, k, br, path, &s, r, txn);
	free(s.v);
	free(s.touched.a);
	free(s.photo_dir);
	free(s.store);
	free(s.res);
	if (rc == 0)
		r->outcome = verify_only ? MERGE_VERIFIED : MERGE_MERGED;
	return rc;
}

/* 0 done (merged, already merged, or rejected and logged), -1 this ledger failed,
 * -3 in a group: a failure while applying the body (see apply()). */
static int merge_one(struct ledger *l, const struct sync_keys *k, const char *path, enum txn txn,
		     struct merge_report *r)
{
	struct bundle_reader *br = NULL;
	int rc;

	memset(r, 0, sizeof *r);
	rc = bundle_open(path, &br);
	if (rc == 0)
		rc = run(l, k, path, txn, r, br);
	bundle_close(br);
	if (rc == 0 || rc == -3)
		return rc;
	if (rc == -2)
		return -1;
	r->outcome = MERGE_REJECTED;
	if (!r->why[0])
		gw_strlcpy(r->why, gw_error(), sizeof r->why);
	if (txn != TXN_NONE &&
	    audit_append(l, r->device[0] ? r->device : NULL, r->seq, r->hash[0] ? r->hash : NULL,
			 "rejected", r->why))
		return txn == TXN_GROUP ? -3 : -1;
	return 0;
}

int sync_merge(struct ledger *l, const struct sync_keys *k, const char *path, int verify_only,
	       struct merge_report *r)
{
	return merge_one(l, k, path, verify_only ? TXN_NONE : TXN_OWN, r);
}

/* ---- many bundles: a transaction per group of bundles ---- */

/* A group ends after this many bundles or visits, whichever comes first: enough to
 * write each page once for many bundles, few enough for the changed pages to stay in
 * the cache sync_merge_batch_begin() sets. */
#define GROUP_BUNDLES 64
#define GROUP_VISITS 20000

/* Merges bundles from paths[0..n-1] in one transaction: 0 when committed, *count the
 * bundles it took (merged, already merged or rejected); 1 when rolled back, *count the
 * bundles to merge again one at a time (those it took and the one that failed). */
static int merge_group(struct ledger *l, const struct sync_keys *k, char *const *paths, int n,
		       struct merge_report *r, int *count)
{
	int64_t visits = 0;
	int rc = 0;

	*count = 0;
	if (ledger_begin(l)) {
		*count = 1;
		return 1;
	}
	while (*count < n && visits < GROUP_VISITS && rc == 0) {
		rc = merge_one(l, k, paths[*count], TXN_GROUP, &r[*count]);
		visits += r[*count].visits_new + r[*count].visits_dup;
		(*count)++;
	}
	if (rc == 0 && ledger_commit(l) == 0)
		return 0;
	ledger_rollback(l);
	return 1;
}

int sync_merge_many(struct ledger *l, const struct sync_keys *k, char *const *paths, int n,
		    sync_merge_done done, void *ctx)
{
	struct merge_report *r = xmalloc(GROUP_BUNDLES * sizeof *r);
	int i = 0, rc = 0, count;

	while (i < n && rc == 0) {
		int want = n - i < GROUP_BUNDLES ? n - i : GROUP_BUNDLES;
		if (merge_group(l, k, paths + i, want, r, &count) == 0) {
			for (int j = 0; j < count; j++)
				done(ctx, paths[i + j], &r[j]);
			i += count;
			continue;
		}
		/* a bundle failed in the group (or the commit did): each on its own, so
		 * only the one at fault is rejected */
		for (int end = i + count; i < end && rc == 0; i++)
			if ((rc = sync_merge(l, k, paths[i], 0, r)) == 0)
				done(ctx, paths[i], r);
	}
	free(r);
	return rc;
}

int sync_merge_batch_begin(struct ledger *l)
{
	static const char relax[] = "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 65536; "
				    "PRAGMA cache_size = -32000; PRAGMA temp_store = MEMORY";

	if (sqlite3_exec(ledger_sqlite(l), relax, NULL, NULL, NULL) != SQLITE_OK)
		return ledger_db_fail(l, "relax synchronous");
	return 0;
}

int sync_merge_batch_end(struct ledger *l)
{
	static const char restore[] = "PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 1000; "
				      "PRAGMA cache_size = -8000";
	sqlite3 *db = ledger_sqlite(l);
	sqlite3_file *wal = NULL;

	if (sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) != SQLITE_OK)
		return ledger_db_fail(l, "find the write-ahead log");
	if (wal && wal->pMethods && wal->pMethods->xSync(wal, SQLITE_SYNC_FULL) != SQLITE_OK)
		return gw_fail(GW_ERR_IO, "%s: cannot flush the write-ahead log to disk", ledger_path(l));
	if (sqlite3_exec(db, restore, NULL, NULL, NULL) != SQLITE_OK)
		return ledger_db_fail(l, "restore synchronous");
	return 0;
}
