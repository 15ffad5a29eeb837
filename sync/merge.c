#include "merge.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/install_check.h"
#include "core/i18n.h"
#include "core/settings.h"
#include "core/util.h"
#include "sync/audit.h"
#include "sync/carried.h"
#include "sync/carry.h"
#include "sync/conflict.h"
#include "sync/feed.h"
#include "sync/hash.h"
#include "sync/logproof.h"
#include "sync/photo.h"
#include "sync/records.h"
#include "sync/relay.h"

static const char sql_seen_get[] = "SELECT 1 FROM bundle_seen WHERE hash = ?";
static const char sql_seen_add[] =
	"INSERT OR IGNORE INTO bundle_seen(hash, device, seq, created, merged_at) VALUES(?,?,?,?,?)";
static const char sql_dev_seen[] =
	"UPDATE device SET last_seq = ?2, last_hash = ?3 WHERE id = ?1 AND last_seq < ?2";
static const char sql_missing_add[] =
	"INSERT OR IGNORE INTO photo_missing(device, seq, name, hash) SELECT ?1, ?2, ?3, ?4 "
	"WHERE NOT EXISTS(SELECT 1 FROM photo_waiver WHERE device = ?1 AND seq = ?2 AND name = ?3)";
static const char sql_missing_del[] =
	"DELETE FROM photo_missing WHERE device = ?1 AND seq = ?2 AND name = ?3";
static const char sql_rejections[] =
	"SELECT 1 FROM held_entry e JOIN held h ON h.id = e.held_id "
	"WHERE e.device = ?1 AND h.decision = 'rejected' LIMIT 1";
static const char sql_rejected_get[] =
	"SELECT h.decided_at, h.why, h.id FROM held_entry e JOIN held h ON h.id = e.held_id "
	"WHERE e.device = ?1 AND e.seq = ?2 AND h.decision = 'rejected' ORDER BY h.id DESC LIMIT 1";
static const char sql_head_merged[] =
	"SELECT 1 FROM feed_head WHERE device = ?1 AND n = ?2 AND claimed = 0";
static const char sql_any_void[] =
	"SELECT 1 FROM visit_void WHERE target_device = ?1 AND target_seq = ?2 LIMIT 1";
static const char sql_own_void[] =
	"SELECT 1 FROM visit_void w JOIN visit v ON v.device = w.target_device AND "
	"v.seq = w.target_seq AND v.account = w.account "
	"WHERE w.target_device = ?1 AND w.target_seq = ?2 AND w.device IN (?1, ?3) LIMIT 1";

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
/* Photos beside a bundle whose outcome is remembered within the bundle, so a photo
 * referenced many times is read at most once (more distinct ones are read again). */
#define PHOTO_MEMO 256

/* The feed being read: its manifest, the next entry expected, the chain so far, and
 * the next head already known here for that device (a cursor). */
struct feed_state {
	int open;
	struct feed_manifest m;
	int64_t next;
	unsigned char head[FEED_HASH_LEN];
	struct feed_heads *known;
	int64_t known_n; /* -1: no more known heads */
	char known_hex[FEED_HEX];
	/* a feed relayed in a roll-up (not the sender's own) that differs from what is held
	 * here: the first entry held with other content, else the first known head it
	 * misses; whether the relaying office altered it or the device forked is known at
	 * the feed's end (close_feed) */
	int relayed;
	int64_t diff_entry, diff_head;
	const char *kind, *diff_kind; /* "visit" or "void": the entry being read, and that one */
	/* the earliest date a new entry may have, from this office's own state (FORMAT.md
	 * "Time"): FLOOR_MERGED the last bundle of the device merged here, FLOOR_ENROLLED
	 * its enrolment, FLOOR_PREDECESSOR the last bundle of the terminal it succeeds */
	enum { FLOOR_NONE, FLOOR_MERGED, FLOOR_ENROLLED, FLOOR_PREDECESSOR } floor_kind;
	int64_t floor;
	char floor_dev[DEVICE_ID_MAX + 1];
	int rejections; /* the clerk rejected entries of this device held before */
	/* the sender's claim (its previous bundle's creation) checked as well, when that
	 * bundle was not merged here: never later than this office's clock; 0 none */
	int64_t claim;
};

struct photo_memo {
	char name[PHOTO_NAME_MAX + 1];
	char hash[HASH_HEX_MAX + 1];
	int rc;
};

struct sink {
	struct ledger *l; /* NULL: verify only */
	struct ledger *db; /* read from, also when verifying */
	const struct bundle_header *h;
	int sender_is_office;
	int check_time; /* 0 when the clerk accepted a held bundle */
	int dry; /* verify: merged in a transaction rolled back, no photo stored */
	int64_t skew, now, photo_max;
	struct accounts touched;
	struct merge_report *r;
	char *photo_dir, *store; /* beside the bundle; the office's store (NULL: verify) */
	size_t nphotos;
	int64_t photos_stored; /* of them, in the store now (merge) or good beside it (verify) */
	int64_t visits, visits_new, households, voids, feeds;
	struct feed_state f;
	struct photo_memo memo[PHOTO_MEMO];
	int nmemo;
	struct visit *v; /* each visit line is read into it (7 KB, allocated once) */
	int nsuspects; /* new entries breaking the time bounds or rejected before (check_entry) */
	struct visit_id suspects[MERGE_SUSPECTS];
	char suspect_why[MERGE_SUSPECTS][700];
	struct relay *relay; /* what the sender may relay and where it may act (NULL: verify) */
	struct audit_proof *proof; /* the sender's log entries and head (NULL: a replay) */
	struct carried carried; /* a successor's copies of visits held here (sync/carried.h) */
	int rebase; /* the clerk accepted a roll-up held for its log: the witness re-based */
	/* visits the clerk rejected before, carried again: merged, voided here (rejected_keep) */
	struct rejected_entry {
		struct visit_id id;
		char why[VOID_REASON_MAX + 1];
	} *rejected;
	size_t nrejected, caprejected;
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
	       (!a->base.seq || strcmp(a->base.device, b->base.device) == 0) &&
	       a->carried.seq == b->carried.seq &&
	       (!a->carried.seq || strcmp(a->carried.device, b->carried.device) == 0) && parts_equal(a, b);
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
	if (!same) {
		gw_fail(GW_ERR_REJECTED, _("visit %s/%lld differs from the one already merged"),
			v->id.device, (long long)v->id.seq);
		return -2;
	}
	return 1;
}

/* ---- photo files beside the bundle ---- */

static const char *const photo_why[] = {"", N_("missing"), N_("does not match its hash"),
					N_("not a regular file"), N_("larger than the photo size limit")};

/* The outcome of one photo file beside the bundle: 0 good (and stored when merging),
 * 1..4 as sync_photo_copy(), -1 the store could not be written. */
static int try_photo(struct sink *s, const struct photo *ph)
{
	char *file, *dst;
	int rc;

	for (int i = 0; i < s->nmemo; i++)
		if (!strcmp(s->memo[i].name, ph->name) && !strcmp(s->memo[i].hash, ph->hash))
			return s->memo[i].rc;
	file = sync_path_join(s->photo_dir, ph->name);
	dst = sync_path_join(s->store ? s->store : s->photo_dir, s->store ? ph->hash : ".verify~");
	errno = 0;
	if (s->store && !s->dry) {
		rc = sync_photo_copy(file, dst, ph, s->photo_max);
	} else { /* verify: read and hash, write nothing */
		const char *why = "";
		int64_t size;
		char hex[SYNC_HASH_HEX];
		int fd = sync_open_regular(file, s->photo_max, &size, &why);
		rc = fd < 0 ? (!strcmp(why, "missing") ? 1 : why[0] == 'n' ? 3 : 4) : 0;
		if (fd >= 0)
			close(fd);
		if (rc == 0)
			rc = size != ph->size || sync_hash_file(file, hex, &size) ||
			     strcmp(hex, ph->hash) != 0 ? 2 : 0;
	}
	if (rc < 0)
		gw_fail(GW_ERR_IO, _("%s: cannot store the photo: %s"), dst, strerror(errno ? errno : EIO));
	free(dst);
	free(file);
	if (rc >= 0 && s->nmemo < PHOTO_MEMO) {
		gw_strlcpy(s->memo[s->nmemo].name, ph->name, sizeof s->memo[0].name);
		gw_strlcpy(s->memo[s->nmemo].hash, ph->hash, sizeof s->memo[0].hash);
		s->memo[s->nmemo++].rc = rc;
	}
	return rc;
}

static int photo_row(struct sink *s, const char *sql, const struct visit *v, const struct photo *ph)
{
	sqlite3_stmt *st = ledger_stmt(s->l, sql);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, v->id.device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, v->id.seq);
	sqlite3_bind_text(st, 3, ph->name, -1, SQLITE_STATIC);
	if (sql == sql_missing_add)
		sqlite3_bind_text(st, 4, ph->hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(s->l, "photos");
}

/* The photo store's folder, not created (verify). */
static char *store_path(struct ledger *l)
{
	size_t n = strlen(ledger_path(l)) + 8;
	char *p = xmalloc(n);

	snprintf(p, n, "%s.photos", ledger_path(l));
	return p;
}

/* Each photo of a visit, new or merged before: in the store already, or taken from
 * beside the bundle into it; a photo still missing is listed and remembered
 * (photo_missing), so its visit is not acknowledged until it comes or is waived. */
static int take_photos(struct sink *s, const struct visit *v, int dup)
{
	for (int i = 0; i < v->nphotos; i++) {
		const struct photo *ph = &v->photos[i];
		int rc;

		s->nphotos++;
		if (s->l && !s->store && !(s->store = s->dry ? store_path(s->l) : sync_photo_store(s->l)))
			return -1;
		if (s->store && sync_photo_stored(s->store, ph)) {
			if (dup && photo_row(s, sql_missing_del, v, ph))
				return -1;
			s->photos_stored++;
			continue;
		}
		if ((rc = try_photo(s, ph)) < 0)
			return -1;
		if (rc > 0)
			sync_photo_problem(&s->r->bad_photos, ph->name, photo_why[rc]);
		else
			s->photos_stored++;
		if (rc == 0 && s->l && dup)
			s->r->photos_picked++;
		if (s->l && photo_row(s, rc > 0 ? sql_missing_add : sql_missing_del, v, ph))
			return -1;
	}
	return 0;
}

/* Refreshes the households touched so far and forgets them. */
static int refresh_accounts(struct ledger *l, struct accounts *a, struct merge_report *r)
{
	accounts_unique(a);
	for (size_t i = 0; i < a->n; i++) {
		struct visit_set vs;
		int found;
		/* one load for both: conflicts among all visits, then the status
		 * from those not overruled (a new conflict is not resolved yet); lean
		 * visits, so a household with very many stays within bounded memory */
		if (visit_load_lean(l, a->a[i], 0, &vs))
			return -1;
		found = conflict_detect_lean(l, vs.v, vs.n);
		if (found < 0 || status_refresh_lean(l, a->a[i], vs.v, &vs.n)) {
			visit_set_free(&vs);
			return -1;
		}
		visit_set_free(&vs);
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

/* ---- feeds: a signed manifest, then its entries in order ---- */

static int fork_found(struct sink *s, const char *fmt, const char *dev, long long n)
{
	char what[256];

	snprintf(what, sizeof what, fmt, dev, n);
	s->r->fork = 1;
	gw_strlcpy(s->r->fork_device, s->f.m.device, sizeof s->r->fork_device);
	snprintf(s->r->why, sizeof s->r->why,
		 _("FORK — %s: two histories of one device (a cloned terminal, or one restored "
		 "from a backup that exported before loading a pack); rejected"), what);
	s->r->outcome = MERGE_REJECTED;
	return gw_fail(GW_ERR_REJECTED, "%s", s->r->why);
}

static const char fork_entry[] = "entry %s/%lld differs from the one merged before";
static const char fork_head[] = "the history of %s up to entry %lld differs from the one merged before";

/* Entry n (entry: its content, else the chain head there) differs from what is held
 * here: a fork at once in a device's own feed; noted in a relayed one (close_feed). */
static int differs(struct sink *s, int64_t n, int entry)
{
	struct feed_state *f = &s->f;

	if (!f->relayed)
		return fork_found(s, entry ? fork_entry : fork_head, f->m.device, (long long)n);
	if (entry && !f->diff_entry) {
		f->diff_entry = n;
		f->diff_kind = f->kind;
	} else if (!entry && !f->diff_head) {
		f->diff_head = n;
	}
	return 0;
}

/* A relayed feed whose entries do not give the head its device signed: the office that
 * relays it altered them (the device's manifest is checked already), not the device. */
static int altered(struct sink *s)
{
	const struct feed_state *f = &s->f;
	int64_t n = f->diff_entry ? f->diff_entry : f->m.first == f->m.last ? f->m.first : 0;
	const char *kind = f->diff_entry ? f->diff_kind : f->kind;

	if (n)
		return gw_fail(GW_ERR_REJECTED, _("roll-up from %s alters %s %s/%lld: it does not match "
						"the terminal's signed manifest"), s->h->sender,
			       kind ? kind : "entry", f->m.device, (long long)n);
	return gw_fail(GW_ERR_REJECTED, _("roll-up from %s alters entries %lld..%lld of %s: they do "
					"not match the terminal's signed manifest"), s->h->sender,
		       (long long)f->m.first, (long long)f->m.last, f->m.device);
}

/* Compares the chain at n with a head this ledger knows for n, if any. */
static int check_known(struct sink *s, int64_t n, const unsigned char head[FEED_HASH_LEN])
{
	struct feed_state *f = &s->f;
	char hex[FEED_HEX];
	int rc;

	while (f->known_n >= 0 && f->known_n < n)
		if ((rc = feed_heads_next(f->known, &f->known_n, f->known_hex)) <= 0)
			f->known_n = rc < 0 ? -2 : -1;
	if (f->known_n == -2)
		return -1;
	if (f->known_n != n)
		return 0;
	feed_hex(head, hex);
	if (strcmp(hex, f->known_hex) != 0)
		return differs(s, n, 0);
	return 0;
}

/* The key a manifest is checked with: the sender's own, or (relayed in a roll-up) the
 * key the record carries, which must be the key the device's id is derived from (or,
 * for a legacy id, the key this ledger's keyring holds for it). */
static int feed_key(struct sink *s, const struct feed_manifest *m, const char *key_b64,
		    unsigned char pk[SYNC_PK_BYTES])
{
	char id[DEVICE_ID_MAX + 8];
	struct sync_device d;

	if (!strcmp(m->device, s->h->sender)) {
		memcpy(pk, s->h->sender_pk, SYNC_PK_BYTES);
		return 0;
	}
	if (!s->sender_is_office)
		return gw_fail(GW_ERR_REJECTED, _("feed of %s: a terminal sends only its own feed"),
			       m->device);
	if (sync_unb64(key_b64, pk, SYNC_PK_BYTES) != 0)
		return gw_fail(GW_ERR_REJECTED, _("feed of %s: bad key"), m->device);
	if (s->relay) /* a terminal the sending office enrolled (sync/relay.c) */
		return relay_feed_key(s->relay, m->device, pk, m->first);
	sync_device_id(pk, id);
	if (!strcmp(id, m->device))
		return 0;
	if (s->l && sync_device_get(s->l, m->device, &d) == 0 &&
	    !memcmp(d.ident.sign_pk, pk, SYNC_PK_BYTES))
		return 0;
	return gw_fail(GW_ERR_REJECTED, _("feed of %s: the key it carries is not that device's"),
		       m->device);
}

/* A span of time as a person reads it: days and hours, hours and minutes, minutes, or
 * seconds (never a raw count of seconds past a minute). */
static void span(int64_t secs, char *out, size_t outsz)
{
	long long d = (long long)(secs / 86400), h = (long long)(secs % 86400 / 3600),
		  m = (long long)(secs % 3600 / 60);

	if (d == 1)
		snprintf(out, outsz, _("1 day %lld h"), h);
	else if (d > 1)
		snprintf(out, outsz, _("%lld days %lld h"), d, h);
	else if (h > 0)
		snprintf(out, outsz, _("%lld h %lld min"), h, m);
	else if (m > 0)
		snprintf(out, outsz, _("%lld min"), m);
	else
		snprintf(out, outsz, _("%lld s"), (long long)secs);
}

/* 1 when the clerk rejected a held bundle carrying entries of device, 0 not, -1. */
static int feed_rejections(struct ledger *l, const char *device)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_rejections);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "rejected entries");
}

/* The earliest date this office allows a new entry of the feed: the creation of the
 * last bundle of that device it merged (its entries after that bundle were recorded
 * after it), or, for the device's first, its enrolment here (for a terminal relayed
 * from below, the enrolment its office signed) or what it succeeds. Never the
 * sender's own claim, which a terminal's holder can edit. */
/* The sender's own claim: the creation of its previous bundle, for entries after that
 * bundle's last. Not checked when this office merged that bundle (a kept head at its
 * last entry): its own floor holds it then, at most this office's clock when it merged
 * it; else never later than this office's clock now (a fast clock's claim). */
static int feed_claim(struct sink *s, struct feed_state *f)
{
	sqlite3_stmt *st;
	int rc;

	f->claim = 0;
	if (!f->m.prev_created)
		return 0;
	if (!(st = ledger_stmt(s->db, sql_head_merged)))
		return -1;
	sqlite3_bind_text(st, 1, f->m.device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, f->m.prev_last);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ledger_db_fail(s->db, "feed heads");
	if (rc == SQLITE_DONE)
		f->claim = f->m.prev_created < s->now ? f->m.prev_created : s->now;
	return 0;
}

static int feed_floor(struct sink *s, struct feed_state *f)
{
	struct sync_device d;
	const char *dev = f->m.device;
	int64_t created;
	int rc;

	f->floor_kind = FLOOR_NONE;
	gw_strlcpy(f->floor_dev, dev, sizeof f->floor_dev);
	if (!s->check_time)
		return 0;
	if ((f->rejections = feed_rejections(s->db, dev)) < 0 || feed_claim(s, f))
		return -1;
	if (feed_last_created(s->db, dev, &created))
		return -1;
	if (created > 0) {
		f->floor_kind = FLOOR_MERGED;
		f->floor = created;
		return 0;
	}
	if ((rc = sync_successor_of(s->db, dev, f->floor_dev)) < 0)
		return -1;
	if (rc == 1) {
		if (feed_last_created(s->db, f->floor_dev, &created))
			return -1;
		f->floor_kind = FLOOR_PREDECESSOR;
		f->floor = created;
		if (created > 0)
			return 0;
		dev = f->floor_dev;
	}
	if (sync_device_get(s->db, dev, &d) != 0) {
		if (gw_last_status() != GW_ERR_NOTFOUND)
			return -1;
		gw_clear_error(); /* a legacy id's feed: no floor but its manifests' */
		f->floor_kind = FLOOR_NONE;
		return 0;
	}
	if (d.enrolled_at > 0) {
		f->floor_kind = rc == 1 ? FLOOR_PREDECESSOR : FLOOR_ENROLLED;
		f->floor = d.enrolled_at;
	}
	return 0;
}

static int sink_feed(struct sink *s, json_t *o)
{
	char text[FEED_MANIFEST_MAX], sig[FEED_SIG_B64 + 8], key[64];
	unsigned char pk[SYNC_PK_BYTES], zero[FEED_HASH_LEN] = {0};
	struct feed_state *f = &s->f;

	if (f->open)
		return gw_fail(GW_ERR_REJECTED, _("feed of %s: %lld entries missing before the next feed"),
			       f->m.device, (long long)f->m.last - (long long)f->next + 1);
	if (record_str(o, "manifest", text, sizeof text - 1) || record_str(o, "sig", sig, sizeof sig - 1) ||
	    record_str(o, "key", key, sizeof key - 1) || feed_manifest_parse(text, &f->m) ||
	    feed_key(s, &f->m, key, pk))
		return -1;
	if (feed_manifest_verify(text, sig, pk))
		return gw_fail(GW_ERR_REJECTED, _("feed of %s: the manifest's signature does not match"),
			       f->m.device);
	if (f->m.first == 1 && memcmp(f->m.head_before, zero, FEED_HASH_LEN) != 0)
		return gw_fail(GW_ERR_REJECTED, _("feed of %s: a first entry after a history"), f->m.device);
	/* each manifest is signed for its bundle: relayed ones are older than the roll-up */
	if (s->check_time && f->m.created > s->now + s->skew) {
		char d[48];

		span(f->m.created - s->now, d, sizeof d);
		s->r->held = 1;
		return gw_fail(GW_ERR_REJECTED, _("feed of %s: created %s after this office's clock"),
			       f->m.device, d);
	}
	if (feed_floor(s, f))
		return -1;
	f->open = 1;
	f->relayed = strcmp(f->m.device, s->h->sender) != 0;
	f->diff_entry = f->diff_head = 0;
	f->next = f->m.first;
	memcpy(f->head, f->m.head_before, FEED_HASH_LEN);
	s->feeds++;
	if (s->l) {
		if (!(f->known = feed_heads_open(s->l, f->m.device, f->m.first - 1, f->m.last)))
			return -1;
		f->known_n = 0; /* fetched as the entries come */
		if (f->m.first - 1 > 0 && check_known(s, f->m.first - 1, f->head))
			return -1;
		if (feed_manifest_keep(s->l, &f->m, text, sig, key))
			return -1;
	}
	return 0;
}

/* The time bounds of a new entry (sync/FORMAT.md, "Time"): 1 when broken (why says
 * how), 0 kept. */
static int time_breach(struct sink *s, int64_t n, int64_t at, char *why, size_t whysz)
{
	const struct feed_manifest *m = &s->f.m;
	const struct feed_state *f = &s->f;
	char d[48];

	if (at > m->created + s->skew) {
		span(at - m->created, d, sizeof d);
		snprintf(why, whysz, _("entry %s/%lld is dated %s after its bundle was created"),
			 m->device, (long long)n, d);
		return 1;
	}
	if (f->floor_kind != FLOOR_NONE && at < f->floor - s->skew) {
		span(f->floor - at, d, sizeof d);
		if (f->floor_kind == FLOOR_MERGED)
			snprintf(why, whysz, _("entry %s/%lld is dated %s before the last bundle of %s merged here was created"),
				 m->device, (long long)n, d, f->floor_dev);
		else if (f->floor_kind == FLOOR_ENROLLED)
			snprintf(why, whysz, _("entry %s/%lld is dated %s before %s was enrolled here"),
				 m->device, (long long)n, d, f->floor_dev);
		else
			snprintf(why, whysz, _("entry %s/%lld is dated %s before the last bundle of %s (which it succeeds) merged here was created"),
				 m->device, (long long)n, d, f->floor_dev);
		return 1;
	}
	if (f->claim && n > m->prev_last && at < f->claim - s->skew) {
		span(f->claim - at, d, sizeof d);
		snprintf(why, whysz, _("entry %s/%lld is dated %s before the sender's previous bundle was created"),
			 m->device, (long long)n, d);
		return 1;
	}
	return 0;
}

/* Entry n of the open feed, when the clerk rejected a held bundle carrying it: 1 (why
 * names the rejection: the reason of the void that keeps it uncounted), 0 not, -1. */
static int entry_rejected(struct sink *s, int64_t n, char *why, size_t whysz)
{
	sqlite3_stmt *st;
	char at[40], reason[501];
	int rc;

	if (!s->f.rejections)
		return 0;
	if (!(st = ledger_stmt(s->db, sql_rejected_get)))
		return -1;
	sqlite3_bind_text(st, 1, s->f.m.device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, n);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int64_t t = sqlite3_column_int64(st, 0);

		time_format_iso(t, time_local_offset(t), at, sizeof at);
		gw_strlcpy(reason, ledger_text(st, 1), sizeof reason);
		snprintf(why, whysz, "rejected by the clerk on %s (held bundle %lld): %s", at,
			 (long long)sqlite3_column_int64(st, 2), reason);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(s->db, "rejected entries");
}

/* An entry the clerk rejected before, carried again (its terminal re-sends everything
 * not acknowledged), holds nothing: it is merged, so the feed stays whole, and voided
 * here at the end of the bundle (rejected_keep), kept as evidence and never counted. A
 * void the clerk rejected is merged as it is (it only takes its own device's visit out
 * of the count, which the terminal may do at any time). */
static int rejected_note(struct sink *s, int64_t n, const char *why)
{
	struct rejected_entry *e;

	if (s->f.kind && strcmp(s->f.kind, "void") == 0)
		return 0;
	if (s->nrejected == s->caprejected) {
		s->caprejected = s->caprejected ? 2 * s->caprejected : 16;
		s->rejected = xrealloc(s->rejected, s->caprejected * sizeof *s->rejected);
	}
	e = &s->rejected[s->nrejected++];
	gw_strlcpy(e->id.device, s->f.m.device, sizeof e->id.device);
	e->id.seq = n;
	gw_strlcpy(e->why, why, sizeof e->why);
	return 0;
}

/* At the end of the body: each rejected visit carried again, unless voided already (by
 * its device, or here), is voided under this ledger's key with the clerk's rejection. */
static int rejected_keep(struct sink *s)
{
	sqlite3_stmt *st;
	int rc;

	for (size_t i = 0; i < s->nrejected; i++) {
		const struct rejected_entry *e = &s->rejected[i];

		if (!(st = ledger_stmt(s->l, sql_any_void)))
			return -1;
		sqlite3_bind_text(st, 1, e->id.device, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, e->id.seq);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return ledger_db_fail(s->l, "voids");
		if (rc == SQLITE_ROW)
			continue;
		if (visit_void_add(s->l, e->id.device, e->id.seq, e->why, NULL, 0, NULL))
			return -1;
		s->r->rejected_kept++;
	}
	return 0;
}

/* A new entry that breaks the time bounds does not stop the bundle at once: if its own device voids it (in this bundle or before), it
 * is harmless (a voided visit leaves the fold); the end of the bundle decides
 * (suspects_settle). */
static int check_entry(struct sink *s, int64_t n, int64_t at)
{
	char why[sizeof s->suspect_why[0]];
	int rc;

	if (!s->check_time)
		return 0;
	if ((rc = entry_rejected(s, n, why, sizeof why)) < 0)
		return -1;
	if (rc == 1)
		return rejected_note(s, n, why);
	if (!time_breach(s, n, at, why, sizeof why))
		return 0;
	if (s->nsuspects == MERGE_SUSPECTS) {
		s->r->held = 1;
		return gw_fail(GW_ERR_REJECTED, "%s", why);
	}
	gw_strlcpy(s->suspects[s->nsuspects].device, s->f.m.device, sizeof s->suspects[0].device);
	s->suspects[s->nsuspects].seq = n;
	gw_strlcpy(s->suspect_why[s->nsuspects++], why, sizeof s->suspect_why[0]);
	return 0;
}

/* 1 when entry id is voided by its own device in this ledger (with the void's household
 * its own), 0 not, -1 error. Verifying (nothing stored), nothing is voided. */
static int voided_by_own(struct sink *s, const struct visit_id *id)
{
	sqlite3_stmt *st;
	int rc;

	if (!s->l)
		return 0;
	if (!(st = ledger_stmt(s->l, sql_own_void)))
		return -1;
	sqlite3_bind_text(st, 1, id->device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id->seq);
	sqlite3_bind_text(st, 3, s->h->sender, -1, SQLITE_STATIC); /* the office relaying it */
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(s->l, "voids");
}

/* At the end of the body: the bundle is held when an entry that broke the time bounds
 * or was rejected before is not voided by its device; the report keeps those entries
 * for the hold (held_entry), so a rejection of the hold sticks. */
static int suspects_settle(struct sink *s)
{
	struct merge_report *r = s->r;
	int first = -1;

	for (int i = 0; i < s->nsuspects; i++) {
		/* a successor's copy of a visit held here is no new entry (voided, carried.h) */
		int rc = carried_has(&s->carried, &s->suspects[i]) ? 1 : voided_by_own(s, &s->suspects[i]);

		if (rc < 0)
			return -1;
		if (rc == 1)
			continue;
		if (first < 0)
			first = i;
		r->suspects[r->nsuspects++] = s->suspects[i];
	}
	if (first < 0)
		return 0;
	r->held = 1;
	if (r->nsuspects > 1)
		return gw_fail(GW_ERR_REJECTED, _("%s (and %d more entries)"), s->suspect_why[first],
			       r->nsuspects - 1);
	return gw_fail(GW_ERR_REJECTED, "%s", s->suspect_why[first]);
}

/* What a merged bundle's creation adds to the device's floor: the creation, but never
 * later than this office's clock when it merged it, so a bundle from a fast clock the
 * clerk accepted (held accept) does not hold the terminal's next, correctly dated one
 * (FORMAT.md "Time"). */
static int64_t merged_floor(const struct sink *s, int64_t created)
{
	return created < s->now ? created : s->now;
}

/* The feed's end: the chain must give the head its manifest signs. */
static int close_feed(struct sink *s)
{
	struct feed_state *f = &s->f;
	char hex[FEED_HEX];
	int64_t covered;

	feed_heads_close(f->known);
	f->known = NULL;
	f->open = 0;
	if (memcmp(f->head, f->m.head, FEED_HASH_LEN) != 0)
		return f->relayed ? altered(s)
				  : gw_fail(GW_ERR_REJECTED, _("feed of %s: its entries do not give the "
							     "head its manifest signs"), f->m.device);
	if (f->diff_entry || f->diff_head) /* the device signed both histories */
		return fork_found(s, f->diff_entry ? fork_entry : fork_head, f->m.device,
				  (long long)(f->diff_entry ? f->diff_entry : f->diff_head));
	if (!s->l)
		return 0;
	if (f->m.first > 1) {
		feed_hex(f->m.head_before, hex);
		if (feed_head_put(s->l, f->m.device, f->m.first - 1, hex, 1))
			return -1;
	}
	feed_hex(f->head, hex);
	if (feed_head_put(s->l, f->m.device, f->m.last, hex, 0) ||
	    feed_note_bundle(s->l, f->m.device, merged_floor(s, f->m.created)) ||
	    feed_advance(s->l, f->m.device, &covered))
		return -1;
	if (!strcmp(f->m.device, s->h->sender) && covered < f->m.first - 1)
		snprintf(s->r->gap, sizeof s->r->gap, _("gap: records %lld..%lld of %s not here yet"),
			 (long long)covered + 1, (long long)f->m.first - 1, f->m.device);
	return 0;
}

/* An entry (visit or void) of the open feed: numbered next, chained, its head checked. */
static int feed_entry(struct sink *s, const struct visit_id *id, const unsigned char e[FEED_HASH_LEN])
{
	struct feed_state *f = &s->f;

	if (!f->open)
		return gw_fail(GW_ERR_REJECTED, _("entry %s/%lld outside a feed"), id->device,
			       (long long)id->seq);
	if (strcmp(id->device, f->m.device) != 0 || id->seq != f->next)
		return gw_fail(GW_ERR_REJECTED, _("feed of %s: entry %lld expected, %s/%lld found"),
			       f->m.device, (long long)f->next, id->device, (long long)id->seq);
	feed_chain(f->head, e);
	if (s->l && check_known(s, id->seq, f->head))
		return -1;
	f->next++;
	return 0;
}

static int feed_entry_done(struct sink *s)
{
	return s->f.next > s->f.m.last ? close_feed(s) : 0;
}

/* A new visit's installs whose product is not of the item recorded are flagged, never
 * refused: the catalogs of the terminal and the office may differ (core/install_check.h). */
static int flag_installs(struct sink *s, const struct visit *v)
{
	char why[256], what[320];

	for (int i = 0; i < v->ninstalls; i++) {
		int rc = install_check(s->l, v->installs[i].item, v->installs[i].product, why, sizeof why);
		if (rc < 0)
			return -1;
		if (rc == 1) {
			snprintf(what, sizeof what, "%s/%lld", v->id.device, (long long)v->id.seq);
			sync_photo_problem(&s->r->flagged, what, why);
		}
	}
	return 0;
}

/* A visit read from its line: an entry of the open feed, stored, its photos taken. */
static int sink_parsed_visit(struct sink *s, struct visit *v)
{
	unsigned char e[FEED_HASH_LEN];
	int rc = 0;

	feed_entry_visit(v, e);
	s->f.kind = "visit";
	if (feed_entry(s, &v->id, e))
		return -1;
	if (s->l) {
		rc = sync_store_visit(s->l, v);
		if (rc == -2 && differs(s, v->id.seq, 1))
			return -1;
		rc = rc == -2 ? 1 : rc; /* relayed: judged at the feed's end */
		if (rc == 0 && (check_entry(s, v->id.seq, v->at) || touched(s, v->account) ||
				(v->ninstalls && flag_installs(s, v))))
			return -1;
		s->visits_new += rc == 0;
	} else {
		rc = check_entry(s, v->id.seq, v->at) ? -1 : 1;
	}
	if (rc < 0)
		return -1;
	s->visits++;
	return take_photos(s, v, rc == 1) || feed_entry_done(s) ? -1 : 0;
}

static int sink_visit(struct sink *s, json_t *o)
{
	return record_to_visit(o, s->v) ? -1 : sink_parsed_visit(s, s->v);
}

/* A void: a terminal voids only its own visits; an office any (its territory: T3). */
static int sink_void(struct sink *s, json_t *o)
{
	unsigned char e[FEED_HASH_LEN];
	struct visit_void w;
	int rc = 0;

	if (record_to_void(o, &w))
		return -1;
	if (!s->sender_is_office && strcmp(w.target.device, w.id.device) != 0)
		return gw_fail(GW_ERR_REJECTED, _("void %s/%lld: a terminal voids only its own visits"),
			       w.id.device, (long long)w.id.seq);
	feed_entry_void(&w, e);
	s->f.kind = "void";
	if (feed_entry(s, &w.id, e))
		return -1;
	s->voids++;
	s->visits++;
	if (s->l && (rc = void_insert_new(s->l, &w)) == -2) {
		if (differs(s, w.id.seq, 1))
			return -1;
		rc = 1; /* relayed: judged at the feed's end */
	}
	if (rc < 0 || (rc == 0 && (check_entry(s, w.id.seq, w.at) ||
				   (s->l && touched(s, w.account)))))
		return -1;
	s->visits_new += s->l && rc == 0;
	return feed_entry_done(s);
}

static int sink_household(struct sink *s, json_t *o)
{
	struct household h;
	enum upsert_result res;

	if (!s->sender_is_office)
		return gw_fail(GW_ERR_REJECTED, _("household records come only from offices"));
	if (record_to_household(o, &h))
		return -1;
	s->households++;
	if (!s->l)
		return 0;
	if ((s->relay && relay_household(s->relay, &h)) || household_upsert(s->l, &h, &res))
		return -1;
	return res != UPSERT_UNCHANGED ? touched(s, h.account) : 0;
}

/* Applied as it comes (after the visits: the conflicts it settles are found first), so
 * nothing is kept per record however many there are. */
static int sink_resolution(struct sink *s, json_t *o)
{
	struct conflict_resolution r;

	if (!s->sender_is_office)
		return gw_fail(GW_ERR_REJECTED, _("resolution records come only from offices"));
	if (conflict_parse_resolution(o, &r))
		return -1;
	if (!s->l)
		return 0;
	if (s->touched.n && refresh_accounts(s->l, &s->touched, s->r))
		return -1;
	if (s->relay && relay_resolution(s->relay, r.account))
		return -1;
	return conflict_apply_resolution(s->l, &r);
}

/* The sender's merge-log entries since the head witnessed here, then its head: the new
 * head must extend the witnessed one (sync/logproof.c). A roll-up merged before (a
 * replay) was checked then: its records are passed over. */
static int sink_logproof(struct sink *s, json_t *o, int head)
{
	if (!s->proof)
		return 0;
	if (!head && !s->sender_is_office)
		return gw_fail(GW_ERR_REJECTED, _("logentry records come only from offices"));
	if (!head)
		return logproof_entry(s->proof, o);
	if (logproof_head(s->proof, o, s->h->sender) == 0)
		return 0;
	s->r->held = audit_proof_held(s->proof); /* not extending the witness: the clerk decides */
	return -1;
}

/* An office's signed enrolment of a terminal it relays (sync/relay.c). */
static int sink_enrolment(struct sink *s, json_t *o)
{
	char text[RELAY_TEXT_MAX];

	if (!s->sender_is_office)
		return gw_fail(GW_ERR_REJECTED, _("enrolment records come only from offices"));
	if (record_str(o, "text", text, sizeof text - 1))
		return -1;
	return s->relay ? relay_record(s->relay, "enrolment", text) : 0;
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
	if (s->f.open && strcmp(type, "visit") != 0 && strcmp(type, "void") != 0)
		rc = gw_fail(GW_ERR_REJECTED, _("feed of %s: entry %lld expected, a %s record found"),
			     s->f.m.device, (long long)s->f.next, type);
	else if (strcmp(type, "visit") == 0)
		rc = sink_visit(s, o);
	else if (strcmp(type, "void") == 0)
		rc = sink_void(s, o);
	else if (strcmp(type, "feed") == 0)
		rc = sink_feed(s, o);
	else if (strcmp(type, "household") == 0)
		rc = sink_household(s, o);
	else if (strcmp(type, "resolution") == 0)
		rc = sink_resolution(s, o);
	else if (strcmp(type, "loghead") == 0 || strcmp(type, "logentry") == 0)
		rc = sink_logproof(s, o, type[3] == 'h');
	else if (strcmp(type, "enrolment") == 0)
		rc = sink_enrolment(s, o);
	else if (strcmp(type, "plan") == 0 || strcmp(type, "revocation") == 0)
		rc = !s->sender_is_office
			     ? gw_fail(GW_ERR_REJECTED, _("%s records come only from offices"), type)
		     : type[0] == 'p' ? carry_plan_up(s->l, o, s->h->sender, s->relay)
				      : carry_revocation_up(s->l, o, s->relay);
	else
		rc = gw_fail(GW_ERR_REJECTED, _("unknown record type \"%.32s\" in a bundle"), type);
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
		return reject(r, _("%s: an assignment pack, not a bundle (use 'gaswalk load')%s"), path, "");
	if (strcmp(h->recipient, ledger_device_id(l)) != 0)
		return reject(r, _("%s: sealed to another ledger (%s), not this one"), path, h->recipient);
	if (sync_device_get(l, h->sender, d) != 0) {
		if (gw_last_status() != GW_ERR_NOTFOUND)
			return -1;
		return reject(r, _("%s: from unknown device %s; enroll it first"), path, h->sender);
	}
	if (d->self)
		return reject(r, _("%s: written by this ledger itself%s"), path, "");
	if (d->revoked_at)
		return reject(r, _("%s: device %s is revoked; bundle refused"), path, h->sender);
	if (memcmp(d->ident.sign_pk, h->sender_pk, SYNC_PK_BYTES) != 0)
		return reject(r, _("%s: signed with a key that is not %s's enrolled key"), path, h->sender);
	return 0;
}

/* 1 when a bundle with this hash was merged before, 0 not, -1 error. */
static int seen_before(struct ledger *l, const char *hash)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_seen_get);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "read bundles");
}

/* ---- merging ---- */

static int counts_match(const struct bundle_header *h, const struct sink *s, const char *path,
			struct merge_report *r)
{
	if (s->f.open)
		return reject(r, _("%s: its last feed lacks entries%s"), path, "");
	if ((uint64_t)s->visits != h->nvisits || (uint64_t)s->households != h->nhouseholds ||
	    (uint64_t)s->nphotos != h->nphotos)
		return reject(r, _("%s: record counts differ from its header%s"), path, "");
	if (!s->sender_is_office && s->feeds != 1)
		return reject(r, _("%s: a terminal's bundle carries its own feed, once%s"), path, "");
	return 0;
}

static int record_bundle(struct ledger *l, const struct bundle_header *h, struct merge_report *r)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_seen_add);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, r->hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, h->sender, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (int64_t)h->seq);
	sqlite3_bind_int64(st, 4, h->created_at);
	sqlite3_bind_int64(st, 5, gw_now());
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

static void summary_detail(const struct merge_report *r, char *out, size_t outsz)
{
	snprintf(out, outsz, _("%lld new visits, %lld already there, %lld households, %lld conflicts, %lld photos picked up; acknowledged up to %lld%s%s%s%s"),
		 (long long)r->visits_new, (long long)r->visits_dup, (long long)r->households,
		 (long long)r->conflicts, (long long)r->photos_picked, (long long)r->covered,
		 r->bad_photos.n ? _("; photos: ") : "", r->bad_photos.list,
		 r->flagged.n ? _("; installs flagged: ") : "", r->flagged.list);
}

/* A roll-up must carry its sender's merge-log head (after its log entries). */
static int log_proved(const struct sink *s, const char *path, struct merge_report *r)
{
	if (!s->proof || !s->sender_is_office || audit_proof_done(s->proof))
		return 0;
	return reject(r, "%s: a roll-up without its sender's merge-log head%s", path, "");
}

/* How a bundle's merge uses transactions. */
enum txn {
	TXN_NONE,  /* verifying: merged in a transaction that is rolled back */
	TXN_OWN,   /* the bundle's own transaction */
	TXN_GROUP, /* inside a group's transaction (sync_merge_many) */
};

/* The sender's coverage after the bundle (its own feed; a roll-up's own feed too). */
static int sender_covered(struct ledger *l, const char *device, int64_t *covered)
{
	return feed_advance(l, device, covered);
}

/* Inside the write transaction run() or the group began (none when verifying): its
 * own is committed or rolled back. In a group, any failure while the body is applied
 * returns -3: the group must be rolled back and its bundles merged one by one. */
static int apply(struct ledger *l, const struct sync_keys *k, struct bundle_reader *br,
		 const char *path, struct sink *s, struct merge_report *r, enum txn txn)
{
	char detail[1600];
	enum gw_status st;
	int seen;

	/* a replay is known before the body is read: its log head is not checked again */
	if ((seen = seen_before(l, r->hash)) < 0 ||
	    (!seen && !(s->proof = audit_proof_begin(l, r->device, bundle_header(br)->sender_pk,
						     s->l ? 1 + s->rebase : 0))))
		goto fail;
	if (carried_begin(l, &s->carried) || bundle_read_body(br, k, sink_line, s) ||
	    carried_settle(l, &s->carried) || suspects_settle(s) ||
	    counts_match(bundle_header(br), s, path, r) ||
	    log_proved(s, path, r) || (s->relay && relay_end(s->relay)) || rejected_keep(s))
		goto fail;
	r->visits_new = s->visits_new;
	r->visits_dup = s->visits - s->visits_new;
	r->households = s->households;
	r->outside = relay_outside(s->relay);
	r->revocations = relay_revocations(s->relay);
	r->carried = s->carried.n;
	gw_strlcpy(r->carried_from, s->carried.from, sizeof r->carried_from);
	r->photos = s->photos_stored; /* "N photos" on the merge line: only those stored */
	if (txn == TXN_NONE) { /* verified: every check merge makes passed; nothing kept */
		ledger_rollback(l);
		r->visits_new = 0;
		r->visits_dup = s->visits;
		return 0;
	}
	if ((s->touched.n && refresh_accounts(l, &s->touched, r)) ||
	    sender_covered(l, r->device, &r->covered))
		goto fail;
	if (seen && r->visits_new == 0 && r->photos_picked == 0 && !r->bad_photos.n) {
		r->outcome = MERGE_ALREADY; /* nothing changed: not logged */
		if (txn == TXN_OWN && ledger_commit(l))
			goto fail;
		return 0;
	}
	summary_detail(r, detail, sizeof detail);
	if (record_bundle(l, bundle_header(br), r) ||
	    audit_log(l, k, r->device, r->seq, r->hash, seen ? "photos" : "merged", detail) ||
	    (txn == TXN_OWN && ledger_commit(l)))
		goto fail;
	if (seen)
		r->outcome = MERGE_ALREADY;
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
	if (r->outcome != MERGE_REJECTED || r->held) {
		r->outcome = r->held ? MERGE_HELD : MERGE_REJECTED;
		gw_strlcpy(r->why, gw_error(), sizeof r->why);
	}
	return -1;
}

static void sink_init(struct sink *s, struct ledger *db, struct ledger *l, const struct bundle_header *h,
		      int office, struct merge_report *r, const char *path, int check_time)
{
	memset(s, 0, sizeof *s);
	s->l = l;
	s->db = db;
	s->h = h;
	s->sender_is_office = office;
	s->r = r;
	s->check_time = check_time;
	s->now = gw_now();
	if (l) {
		s->skew = (int64_t)settings_get_int(l, "clock_skew_hours") * 3600;
		s->photo_max = sync_photo_max(l);
	}
	s->photo_dir = sync_photo_dir(path);
	s->v = xmalloc(sizeof *s->v);
}

static void sink_free(struct sink *s)
{
	relay_free(s->relay);
	audit_proof_free(s->proof);
	carried_free(&s->carried);
	feed_heads_close(s->f.known);
	free(s->v);
	free(s->touched.a);
	free(s->photo_dir);
	free(s->store);
	free(s->rejected);
}

/* A bundle created after this office's clock (plus the skew) is held. */
static int check_created(struct ledger *l, const struct bundle_header *h, struct merge_report *r)
{
	int64_t skew = (int64_t)settings_get_int(l, "clock_skew_hours") * 3600;
	char d[48];

	if (h->created_at <= gw_now() + skew)
		return 0;
	r->held = 1;
	r->outcome = MERGE_HELD;
	span(h->created_at - gw_now(), d, sizeof d);
	snprintf(r->why, sizeof r->why, _("bundle %lld of %s was created %s after this office's clock"),
		 (long long)h->seq, h->sender, d);
	return gw_fail(GW_ERR_REJECTED, "%s", r->why);
}

static int run(struct ledger *l, const struct sync_keys *k, const char *path, enum txn txn,
	       struct merge_report *r, struct bundle_reader *br, int check_time)
{
	int verify_only = txn == TXN_NONE;
	struct sync_device d;
	struct sink s;
	int rc, office;

	const struct bundle_header *h = bundle_header(br);
	int rebase = check_time < 0; /* accepted, held for its log (sync_merge_accept) */

	check_time = check_time > 0;
	gw_strlcpy(r->device, h->sender, sizeof r->device);
	r->seq = (int64_t)h->seq;
	if (check_sender(l, h, path, r, &d) || bundle_verify(br, d.ident.sign_pk))
		return -1;
	office = strcmp(d.ident.kind, "office") == 0;
	gw_strlcpy(r->hash, bundle_hash_hex(br), sizeof r->hash);
	if (check_time && check_created(l, h, r))
		return -1;
	/* verify runs the merge itself, every check included (the relay's and the
	 * territory's), in a transaction it always rolls back */
	if (txn != TXN_GROUP && ledger_begin(l))
		return -2;
	/* apply commits or rolls back; -2 when this ledger itself failed */
	sink_init(&s, l, l, h, office, r, path, check_time);
	s.dry = verify_only;
	s.rebase = rebase;
	if (relay_begin(l, &d, r->hash, &s.relay)) {
		sink_free(&s);
		if (txn != TXN_GROUP)
			ledger_rollback(l);
		return -2;
	}
	rc = apply(l, k, br, path, &s, r, txn);
	sink_free(&s);
	if (rc == 0 && r->outcome != MERGE_ALREADY)
		r->outcome = verify_only ? MERGE_VERIFIED : MERGE_MERGED;
	return rc;
}

/* 0 done (merged, already merged, held, or rejected and logged), -1 this ledger failed,
 * -3 in a group: a failure while applying the body (see apply()). */
static int merge_one(struct ledger *l, const struct sync_keys *k, const char *path, enum txn txn,
		     struct merge_report *r, int check_time)
{
	struct bundle_reader *br = NULL;
	int rc;

	memset(r, 0, sizeof *r);
	rc = bundle_open(path, &br);
	if (rc == 0)
		rc = run(l, k, path, txn, r, br, check_time);
	bundle_close(br);
	if (rc == 0 || rc == -3)
		return rc;
	if (rc == -2)
		return -1;
	if (!r->why[0])
		gw_strlcpy(r->why, gw_error(), sizeof r->why);
	if (r->held) {
		r->outcome = MERGE_HELD;
		if (txn == TXN_GROUP)
			return -3; /* held on its own, outside the group */
		if (txn == TXN_OWN && sync_hold(l, k, path, r))
			return -1;
		return 0;
	}
	r->outcome = MERGE_REJECTED;
	if (txn != TXN_NONE &&
	    audit_log(l, k, r->device[0] ? r->device : NULL, r->seq, r->hash[0] ? r->hash : NULL,
		      "rejected", r->why))
		return txn == TXN_GROUP ? -3 : -1;
	if (txn != TXN_NONE && r->fork && r->device[0] &&
	    feed_fork_note(l, r->fork_device[0] ? r->fork_device : r->device))
		return txn == TXN_GROUP ? -3 : -1;
	return 0;
}

int sync_merge(struct ledger *l, const struct sync_keys *k, const char *path, int verify_only,
	       struct merge_report *r)
{
	return merge_one(l, k, path, verify_only ? TXN_NONE : TXN_OWN, r, 1);
}

int sync_merge_accept(struct ledger *l, const struct sync_keys *k, const char *path, int rebase,
		      struct merge_report *r)
{
	return merge_one(l, k, path, TXN_OWN, r, rebase ? -1 : 0);
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
		rc = merge_one(l, k, paths[*count], TXN_GROUP, &r[*count], 1);
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
