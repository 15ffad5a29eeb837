#include "export.h"

#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/util.h"
#include "sync/audit.h"
#include "sync/carry.h"
#include "sync/conflict.h"
#include "sync/feed.h"
#include "sync/hash.h"
#include "sync/logproof.h"
#include "sync/merge.h"
#include "sync/photo.h"
#include "sync/qr.h"
#include "sync/records.h"
#include "sync/relay.h"
#include "sync/territory.h"

static const char sql_cutoff[] =
	"SELECT upto_visit, upto_household FROM bundle_out WHERE seq = ?";
static const char sql_households_since[] =
	"SELECT account FROM household_change WHERE n > ?1 "
	"UNION SELECT v.account FROM visit_arrival a JOIN visit v "
	"ON v.device = a.device AND v.seq = a.seq WHERE a.n > ?2 ORDER BY 1";
static const char sql_high[] =
	"SELECT (SELECT COALESCE(MAX(n), 0) FROM visit_arrival), "
	"(SELECT COALESCE(MAX(n), 0) FROM household_change)";
static const char sql_out_add[] =
	"INSERT INTO bundle_out(seq, hash, created_at, upto_visit, upto_household, visits, "
	"households, first, last) VALUES(?,?,?,?,?,?,?,?,?)";
/* The last entry of a device's feed held here (a visit or a void). */
static const char sql_last_entry[] =
	"SELECT MAX(m) FROM (SELECT COALESCE(MAX(seq), 0) AS m FROM visit WHERE device = ?1 "
	"UNION ALL SELECT COALESCE(MAX(seq), 0) FROM visit_void WHERE device = ?1)";
static const char sql_voids_from[] =
	"SELECT " VOID_COLUMNS " FROM visit_void WHERE device = ?1 AND seq >= ?2 AND seq <= ?3 "
	"ORDER BY seq";
/* Roll-ups: the devices whose feeds this office holds beyond what the level above has
 * acknowledged (but not those an office above revoked: it refuses their entries), and
 * the manifest that carries the feed furthest from a point. */
static const char sql_relay_devices[] =
	"SELECT device, up_acked, covered FROM feed WHERE covered > up_acked AND device <> ?1 "
	"AND NOT EXISTS(SELECT 1 FROM device d JOIN revoked_key r ON r.sign_pk = d.sign_pk "
	"WHERE d.id = feed.device AND r.by_office <> '') ORDER BY device";
static const char sql_relay_manifest[] =
	"SELECT first, last, manifest, sig, key FROM feed_manifest WHERE device = ?1 "
	"AND first <= ?2 + 1 AND last > ?2 AND last <= ?3 ORDER BY last DESC, first DESC LIMIT 1";

struct cut {
	int64_t visit, household;
};

static int64_t meta_int(struct ledger *l, const char *key)
{
	char buf[32];

	return ledger_meta(l, key, buf, sizeof buf) == 1 ? strtoll(buf, NULL, 10) : 0;
}

static int meta_int_set(struct ledger *l, const char *key, int64_t v)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%lld", (long long)v);
	return ledger_meta_set(l, key, buf);
}

/* Reads two integers from the first row of sql (bound to arg when it has a parameter). */
static int two_ints(struct ledger *l, const char *sql, int64_t arg, struct cut *c)
{
	sqlite3_stmt *st = ledger_stmt(l, sql);
	int rc;

	c->visit = c->household = 0;
	if (!st)
		return -1;
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, arg);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		c->visit = sqlite3_column_int64(st, 0);
		c->household = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "read bundles");
}

/* ---- photos: copied beside the bundle, checked against the hash recorded ---- */

struct photos {
	const char *src_dir;
	int by_hash; /* src_dir is an office's photo store */
	char *dst_dir;
	int made_dir;
	struct export_report *r;
};

static int already_copied(const char *dst, const struct photo *ph)
{
	struct stat st;

	return lstat(dst, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == ph->size;
}

/* A photo missing or changed in the camera folder is a warning; failing to write the
 * copy (a full or read-only disk) fails the export. */
static int copy_photo(struct photos *p, const struct photo *ph)
{
	static const char *const why[] = {"", "", N_("not in the camera folder"),
					  N_("changed since it was recorded"), N_("not a regular file"),
					  N_("larger than the photo size limit")};
	char *src, *dst;
	int rc, err;

	if (!record_photo_name_ok(ph->name)) {
		sync_photo_problem(&p->r->bad_photos, ph->name, N_("unsafe name"));
		return 0;
	}
	if (!p->made_dir && mkdir(p->dst_dir, 0700) != 0 && errno != EEXIST)
		return gw_fail(GW_ERR_IO, "%s: cannot create: %s", p->dst_dir, strerror(errno));
	p->made_dir = 1;
	/* a terminal takes photos from its camera folder, an office from its store */
	src = sync_path_join(p->src_dir, p->by_hash ? ph->hash : ph->name);
	dst = sync_path_join(p->dst_dir, ph->name);
	if (already_copied(dst, ph)) { /* referenced again: copied once */
		free(src);
		free(dst);
		return 0;
	}
	errno = 0;
	rc = sync_photo_copy(src, dst, ph, 0);
	err = errno;
	if (rc < 0)
		gw_fail(GW_ERR_IO, "%s: cannot copy the photo: %s", dst, strerror(err ? err : EIO));
	else if (rc != 0)
		sync_photo_problem(&p->r->bad_photos, ph->name, why[rc + 1]);
	free(src);
	free(dst);
	return rc < 0 ? -1 : 0;
}

/* After a failed export: the photo folder made for it goes too. */
static void remove_photo_dir(const struct photos *p)
{
	DIR *d;
	struct dirent *e;

	if (!p->made_dir || !(d = opendir(p->dst_dir)))
		return;
	while ((e = readdir(d)) != NULL) {
		char *f;

		if (e->d_name[0] == '.')
			continue;
		f = sync_path_join(p->dst_dir, e->d_name);
		unlink(f);
		free(f);
	}
	closedir(d);
	rmdir(p->dst_dir);
}

/* ---- the body ---- */

/* The households changed, or visited, since the cut; a sub-office's only in its own
 * territory (its subdistrict): the others stay here, counted in r->outside. */
static int put_households(struct ledger *l, struct bundle_writer *w, const struct cut *c,
			  struct export_report *r)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_households_since);
	struct territory t;
	struct household h;
	int rc, scoped = territory_own(l, &t);

	if (!st || scoped < 0)
		return -1;
	if (scoped)
		gw_strlcpy(r->territory, t.code, sizeof r->territory);
	sqlite3_bind_int64(st, 1, c->household);
	sqlite3_bind_int64(st, 2, c->visit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (household_get(l, (const char *)sqlite3_column_text(st, 0), &h))
			break;
		if (scoped && !territory_has(&t, h.subdistrict)) {
			r->outside++;
			continue;
		}
		if (record_put(w, record_household(&h)))
			break;
		r->households++;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return -1;
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "read households");
}

/* ---- feeds: a device's entries (visits and voids) in sequence order ---- */

/* Walks the entries first..last of device: its visits (visit_stream) and its voids
 * side by side, in sequence order; every number must be there. */
struct entries {
	struct ledger *l;
	const char *device;
	int64_t next, last;
	struct visit_stream *vs;
	sqlite3_stmt *vo;
	int vrc, wrc; /* 1: v / w holds the next row of its kind */
	struct visit *v;
	struct visit_void w;
};

static int entries_step_void(struct entries *e)
{
	int rc = sqlite3_step(e->vo);

	if (rc == SQLITE_ROW)
		void_from_row(e->vo, &e->w);
	e->wrc = rc == SQLITE_ROW;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : ledger_db_fail(e->l, "read voids");
}

static int entries_open(struct entries *e, struct ledger *l, const char *device, int64_t first,
			int64_t last)
{
	memset(e, 0, sizeof *e);
	e->l = l;
	e->device = device;
	e->next = first;
	e->last = last;
	e->v = xmalloc(sizeof *e->v);
	if (!(e->vs = visit_stream_open(l, device, first - 1)) ||
	    !(e->vo = ledger_stmt(l, sql_voids_from)))
		return -1;
	sqlite3_bind_text(e->vo, 1, device, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(e->vo, 2, first);
	sqlite3_bind_int64(e->vo, 3, last);
	if ((e->vrc = visit_stream_next(e->vs, e->v)) < 0)
		return -1;
	return entries_step_void(e);
}

/* The next entry: 1 a visit (*v), 2 a void (*w), 0 done, -1 error or a number missing. */
static int entries_next(struct entries *e, struct visit **v, struct visit_void **w)
{
	int rc = 0;

	if (e->next > e->last)
		return 0;
	if (e->vrc == 1 && e->v->id.seq == e->next) {
		*v = e->v;
		rc = 1;
	} else if (e->wrc && e->w.id.seq == e->next) {
		*w = &e->w;
		rc = 2;
	} else {
		return gw_fail(GW_ERR_DB, "%s: entry %s/%lld of its feed is missing",
			       ledger_path(e->l), e->device, (long long)e->next);
	}
	e->next++;
	return rc;
}

/* Moves past the entry entries_next() gave (call before the next one). */
static int entries_advance(struct entries *e, int kind)
{
	if (kind == 1)
		return (e->vrc = visit_stream_next(e->vs, e->v)) < 0 ? -1 : 0;
	return entries_step_void(e);
}

static void entries_close(struct entries *e)
{
	visit_stream_close(e->vs);
	if (e->vo)
		sqlite3_reset(e->vo);
	free(e->v);
}

/* The chain over entries first..last from head (pass one), and their photos. */
static int feed_head_of(struct ledger *l, const char *device, int64_t first, int64_t last,
			unsigned char head[FEED_HASH_LEN], int64_t *photos)
{
	struct entries e;
	struct visit *v = NULL;
	struct visit_void *w = NULL;
	unsigned char h[FEED_HASH_LEN];
	int kind = 0;

	*photos = 0;
	if (entries_open(&e, l, device, first, last) == 0)
		while ((kind = entries_next(&e, &v, &w)) > 0) {
			if (kind == 1) {
				feed_entry_visit(v, h);
				*photos += v->nphotos;
			} else {
				feed_entry_void(w, h);
			}
			feed_chain(head, h);
			if (entries_advance(&e, kind))
				break;
		}
	entries_close(&e);
	return kind == 0 && e.next > last ? 0 : -1;
}

int sync_own_head(struct ledger *l, int64_t from, const char *from_hex, int64_t to,
		  char hex[FEED_HEX])
{
	unsigned char head[FEED_HASH_LEN] = {0};
	int64_t photos;

	if (from > 0 && feed_unhex(from_hex, head))
		return gw_fail(GW_ERR_DB, "%s: bad ack_head in meta", ledger_path(l));
	if (to > from && feed_head_of(l, ledger_device_id(l), from + 1, to, head, &photos))
		return -1;
	feed_hex(head, hex);
	return 0;
}

static int put_feed_record(struct bundle_writer *w, const char *manifest, const char *sig,
			   const char *key)
{
	return record_put(w, json_pack("{ss ss ss ss}", "type", "feed", "manifest", manifest, "sig",
				       sig, "key", key));
}

/* Pass two: the entries themselves, with their photos copied beside the bundle. */
static int put_entries(struct ledger *l, struct bundle_writer *bw, const char *device,
		       int64_t first, int64_t last, struct photos *ph, struct export_report *r)
{
	struct entries e;
	struct visit *v = NULL;
	struct visit_void *w = NULL;
	int kind = 0, rc = 0;

	if (entries_open(&e, l, device, first, last) == 0)
		while (rc == 0 && (kind = entries_next(&e, &v, &w)) > 0) {
			if (kind == 1) {
				rc = record_put_visit(bw, v);
				r->photos += v->nphotos;
				for (int i = 0; i < v->nphotos && rc == 0; i++)
					rc = copy_photo(ph, &v->photos[i]);
			} else {
				rc = record_put(bw, record_void(w));
			}
			r->visits++;
			if (rc == 0)
				rc = entries_advance(&e, kind);
		}
	entries_close(&e);
	return rc == 0 && kind == 0 && e.next > last ? 0 : -1;
}

static int64_t meta_int(struct ledger *l, const char *key);

/* This ledger's own feed, from the entry after the last acknowledged one. */
static int put_own_feed(struct ledger *l, const struct sync_keys *k, struct bundle_writer *bw,
			const struct bundle_header *h, struct photos *ph, struct export_report *r)
{
	struct feed_manifest m;
	char text[FEED_MANIFEST_MAX], sig[FEED_SIG_B64], key[64], hex[FEED_HEX];
	int64_t photos;

	memset(&m, 0, sizeof m);
	gw_strlcpy(m.device, ledger_device_id(l), sizeof m.device);
	m.first = r->first;
	m.last = r->last;
	if (ledger_meta(l, "ack_head", hex, sizeof hex) == 1 && m.first > 1 &&
	    feed_unhex(hex, m.head_before))
		return gw_fail(GW_ERR_DB, "%s: bad ack_head in meta", ledger_path(l));
	memcpy(m.head, m.head_before, FEED_HASH_LEN);
	if (feed_head_of(l, m.device, m.first, m.last, m.head, &photos))
		return -1;
	m.created = h->created_at;
	m.prev_created = meta_int(l, "export_created");
	m.prev_last = meta_int(l, "export_last");
	m.bundle_seq = (int64_t)h->seq;
	feed_manifest_format(&m, text, sizeof text);
	feed_manifest_sign(text, k, sig);
	feed_hex(m.head, r->head);
	sync_b64(k->sign_pk, SYNC_PK_BYTES, key, sizeof key);
	return put_feed_record(bw, text, sig, key) ||
	       put_entries(l, bw, m.device, m.first, m.last, ph, r);
}

/* A roll-up relays each terminal's feed beyond what the level above acknowledged: the
 * terminal's own signed manifests, unchanged, each followed by the entries it covers. */
static int relay_device(struct ledger *l, struct bundle_writer *bw, const char *device,
			int64_t from, int64_t covered, struct photos *ph, struct export_report *r)
{
	sqlite3_stmt *st;
	int64_t cur = from, first, last;
	char text[FEED_MANIFEST_MAX], sig[FEED_SIG_B64 + 8], key[64];
	int rc;

	while (cur < covered) {
		if (!(st = ledger_stmt(l, sql_relay_manifest)))
			return -1;
		sqlite3_bind_text(st, 1, device, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, cur);
		sqlite3_bind_int64(st, 3, covered);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			first = sqlite3_column_int64(st, 0);
			last = sqlite3_column_int64(st, 1);
			gw_strlcpy(text, ledger_text(st, 2), sizeof text);
			gw_strlcpy(sig, ledger_text(st, 3), sizeof sig);
			gw_strlcpy(key, ledger_text(st, 4), sizeof key);
		}
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return 0; /* nothing signed covers the next entry: it waits */
		if (rc != SQLITE_ROW)
			return ledger_db_fail(l, "read manifests");
		if (put_feed_record(bw, text, sig, key) ||
		    put_entries(l, bw, device, first, last, ph, r))
			return -1;
		cur = last;
	}
	return 0;
}

/* This office's signed enrolment of a terminal it relays, before its feeds. */
static int put_enrolment(struct ledger *l, const struct sync_keys *k, struct bundle_writer *bw,
			 const char *device)
{
	char text[RELAY_TEXT_MAX];
	int rc = relay_enrolment_make(l, k, device, text);

	if (rc)
		return rc < 0 ? -1 : 0;
	return record_put(bw, json_pack("{ss ss}", "type", "enrolment", "text", text));
}

static int put_relayed(struct ledger *l, const struct sync_keys *k, struct bundle_writer *bw,
		       struct photos *ph, struct export_report *r)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_relay_devices);
	char (*dev)[DEVICE_ID_MAX + 1] = NULL;
	int64_t (*range)[2] = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, ledger_device_id(l), -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) { /* one row per device: few */
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			dev = xrealloc(dev, cap * sizeof *dev);
			range = xrealloc(range, cap * sizeof *range);
		}
		gw_strlcpy(dev[n], ledger_text(st, 0), sizeof dev[0]);
		range[n][0] = sqlite3_column_int64(st, 1);
		range[n++][1] = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = put_enrolment(l, k, bw, dev[i]) ||
		     relay_device(l, bw, dev[i], range[i][0], range[i][1], ph, r);
	free(dev);
	free(range);
	return rc;
}

/* The merge-log entries since the head the office above last echoed, and the head
 * (sync/logproof.c). */
static int put_loghead(struct ledger *l, const struct sync_keys *k, struct bundle_writer *bw,
		       const struct bundle_header *h)
{
	int64_t n;

	return logproof_put(l, k, bw, h->recipient, &n);
}

/* This sub-office's own territory, found once per roll-up. */
struct own_territory {
	struct ledger *l;
	struct territory t;
	int scoped; /* 0: none (every household goes) */
};

/* A resolution goes up only for a household of this sub-office's own territory. */
static int in_territory(void *ctx, const char *account)
{
	struct own_territory *o = ctx;
	char sub[HH_PLACE_MAX + 1];

	if (!o->scoped)
		return 1;
	return territory_household(o->l, account, sub, sizeof sub) ? -1 : territory_has(&o->t, sub);
}

static int put_resolutions(struct ledger *l, struct bundle_writer *w)
{
	struct own_territory o = {l, {"", ""}, 0};

	if ((o.scoped = territory_own(l, &o.t)) < 0)
		return -1;
	return conflict_put_resolutions(l, w, in_territory, &o);
}

static int write_body(struct ledger *l, const struct sync_keys *k, struct bundle_writer *w,
		      const struct bundle_header *h, const struct cut *c, struct photos *ph,
		      struct export_report *r)
{
	int office = strcmp(ledger_kind(l), "terminal") != 0;

	/* households first: the visits that follow may be of households new up there */
	if (office && put_households(l, w, c, r))
		return -1;
	if (r->last >= r->first && put_own_feed(l, k, w, h, ph, r))
		return -1;
	if (!office)
		return 0;
	if (put_relayed(l, k, w, ph, r))
		return -1;
	/* resolutions, plans and revocations are few: each roll-up carries them all (plans
	 * set here, revocations of its terminals made here: sync/carry.c) */
	if ((r->visits || r->households) && put_resolutions(l, w))
		return -1;
	if (carry_put_plans_up(l, w) || carry_put_revocations_up(l, w))
		return -1;
	return put_loghead(l, k, w, h);
}

/* ---- the bundle ---- */

/* The entries of this ledger's own feed not yet acknowledged: r->first..r->last. */
static int own_range(struct ledger *l, struct export_report *r)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_last_entry);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, ledger_device_id(l), -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	r->last = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	r->first = meta_int(l, "ack_n") + 1;
	return rc == SQLITE_ROW ? 0 : ledger_db_fail(l, "read visits");
}

static int upstream(struct ledger *l, struct sync_device *d)
{
	char id[DEVICE_ID_MAX + 1];

	if (ledger_meta(l, "upstream", id, sizeof id) != 1)
		return gw_fail(GW_ERR_INPUT, "no office to export to: run 'gaswalk trust KEY' with "
					     "the office's identity (from its 'gaswalk key show')");
	return sync_device_get(l, id, d);
}

static int prepare_header(struct ledger *l, const struct sync_keys *k, const struct sync_device *to,
			  struct bundle_header *h)
{
	memset(h, 0, sizeof *h);
	h->kind = BUNDLE_VISITS;
	gw_strlcpy(h->sender, ledger_device_id(l), sizeof h->sender);
	gw_strlcpy(h->recipient, to->ident.id, sizeof h->recipient);
	memcpy(h->sender_pk, k->sign_pk, SYNC_PK_BYTES);
	h->seq = (uint64_t)meta_int(l, "bundle_seq") + 1;
	h->created_at = gw_now();
	return 0;
}

static char *bundle_path(const char *dir, const char *device, uint64_t seq)
{
	size_t n = strlen(dir) + 64;
	char *p = xmalloc(n);

	snprintf(p, n, "%s/gaswalk-%s-%06llu.gwb", dir, device, (unsigned long long)seq);
	return p;
}

static int remember(struct ledger *l, const struct bundle_header *h, const struct cut *high,
		    const struct export_report *r)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_out_add);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, (int64_t)h->seq);
	sqlite3_bind_text(st, 2, r->hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, h->created_at);
	sqlite3_bind_int64(st, 4, high->visit);
	sqlite3_bind_int64(st, 5, high->household);
	sqlite3_bind_int64(st, 6, r->visits);
	sqlite3_bind_int64(st, 7, r->households);
	sqlite3_bind_int64(st, 8, r->first);
	sqlite3_bind_int64(st, 9, r->last);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ledger_db_fail(l, "record bundle");
	/* the next bundle's manifest says when this one was made and what it carried */
	return meta_int_set(l, "bundle_seq", (int64_t)h->seq) ||
	       ledger_meta_set(l, "bundle_hash", r->hash) ||
	       (r->last >= r->first && (meta_int_set(l, "export_created", h->created_at) ||
					meta_int_set(l, "export_last", r->last) ||
					ledger_meta_set(l, "export_head", r->head)));
}

static int write_bundle(struct ledger *l, const struct sync_keys *k, const struct sync_device *to,
			const struct cut *c, const char *photo_dir, struct export_report *r)
{
	struct bundle_header h;
	struct bundle_writer *w;
	struct cut high;
	struct photos ph = {photo_dir, strcmp(ledger_kind(l), "terminal") != 0, NULL, 0, r};

	if (prepare_header(l, k, to, &h) || two_ints(l, sql_high, 0, &high))
		return -1;
	r->seq = (int64_t)h.seq;
	ph.dst_dir = sync_photo_dir(r->path);
	if (bundle_writer_open(r->path, &h, to->ident.box_pk, &w)) {
		free(ph.dst_dir);
		return -1;
	}
	if (write_body(l, k, w, &h, c, &ph, r)) {
		bundle_writer_abort(w);
		remove_photo_dir(&ph);
		free(ph.dst_dir);
		return -1;
	}
	if (bundle_writer_finish(w, (uint64_t)r->visits, (uint64_t)r->households,
				 (uint64_t)r->photos, k, r->hash) == 0 &&
	    remember(l, &h, &high, r) == 0) {
		free(ph.dst_dir);
		return 0;
	}
	unlink(r->path);
	remove_photo_dir(&ph);
	free(ph.dst_dir);
	return -1;
}

/* The camera folder: meta camera_dir (export --photos), else the TUI's tui_camera,
 * else "camera" beside the ledger (malloc'd). */
static char *camera_dir(struct ledger *l)
{
	char camera[1024];
	const char *slash = strrchr(ledger_path(l), '/');

	if (ledger_meta(l, "camera_dir", camera, sizeof camera) == 1 ||
	    ledger_meta(l, "tui_camera", camera, sizeof camera) == 1)
		return xstrdup(camera);
	if (!slash)
		return xstrdup("camera");
	size_t n = (size_t)(slash - ledger_path(l)) + 8;
	char *p = xmalloc(n);
	snprintf(p, n, "%.*s/camera", (int)(slash - ledger_path(l)), ledger_path(l));
	return p;
}

int sync_export(struct ledger *l, const struct sync_keys *k, const char *dir,
		const char *photo_dir, struct export_report *r)
{
	struct sync_device to;
	struct cut c;
	char *default_dir = NULL;
	int rc;

	memset(r, 0, sizeof *r);
	if (upstream(l, &to))
		return -1;
	r->acked = meta_int(l, "ack_n");
	if (two_ints(l, sql_cutoff, meta_int(l, "ack_seq"), &c) || own_range(l, r))
		return -1;
	if (r->last < r->first && strcmp(ledger_kind(l), "terminal") == 0) {
		r->nothing = 1; /* an office may still have relayed feeds or households to send */
		return 0;
	}
	if (strcmp(ledger_kind(l), "terminal") != 0)
		photo_dir = default_dir = sync_photo_store(l); /* roll-ups send what was merged */
	else if (!photo_dir)
		photo_dir = default_dir = camera_dir(l);
	if (ledger_begin(l)) {
		free(default_dir);
		return -1;
	}
	r->path = bundle_path(dir, ledger_device_id(l), (uint64_t)meta_int(l, "bundle_seq") + 1);
	rc = write_bundle(l, k, &to, &c, photo_dir, r);
	if (rc == 0 && r->visits == 0 && r->households == 0) {
		unlink(r->path);
		r->nothing = 1;
		ledger_rollback(l);
	} else if (rc == 0 && ledger_commit(l)) {
		unlink(r->path);
		rc = -1;
	} else if (rc != 0) {
		ledger_rollback(l);
	}
	free(default_dir);
	return rc;
}

void sync_export_report_free(struct export_report *r)
{
	free(r->path);
	r->path = NULL;
}

void sync_receipt(const struct ledger *l, const struct export_report *r, char *out, size_t outsz)
{
	/* receipt format 2 (FORMAT.md): fits a version-2 QR code, 40x15 */
	if (qr_receipt_text(ledger_device_id(l), (long long)r->seq, r->hash, out, outsz) != 0)
		snprintf(out, outsz, "GWR2:?:%lld:?", (long long)r->seq);
}
