#include "export.h"

#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"
#include "sync/conflict.h"
#include "sync/hash.h"
#include "sync/merge.h"
#include "sync/photo.h"
#include "sync/records.h"

static const char sql_cutoff[] =
	"SELECT upto_visit, upto_household FROM bundle_out WHERE seq = ?";
/* The visits to send, in arrival order, read in one pass (no query per visit
 * unless it has hazards, installs or photos). */
static const char sql_visits_since[] =
	"SELECT " VISIT_ROW_COLUMNS ", " VISIT_ROW_PARTS " FROM visit_arrival a "
	"JOIN visit v ON v.device = a.device AND v.seq = a.seq "
	"WHERE a.n > ?1 ORDER BY a.n";
/* The highest sequence number of this terminal's own visits arrived up to a cut (and a
 * second column two_ints() reads). */
static const char sql_own_seq_at[] =
	"SELECT COALESCE(MAX(seq), 0), 0 FROM visit_arrival WHERE n <= ?1 AND device = "
	"(SELECT value FROM meta WHERE key = 'device_id')";
static const char sql_any_since[] =
	"SELECT 1 FROM visit_arrival WHERE n > ?1 AND (?2 IS NULL OR device = ?2) LIMIT 1";
static const char sql_households_since[] =
	"SELECT account FROM household_change WHERE n > ?1 "
	"UNION SELECT v.account FROM visit_arrival a JOIN visit v "
	"ON v.device = a.device AND v.seq = a.seq WHERE a.n > ?2 ORDER BY 1";
static const char sql_high[] =
	"SELECT (SELECT COALESCE(MAX(n), 0) FROM visit_arrival), "
	"(SELECT COALESCE(MAX(n), 0) FROM household_change)";
static const char sql_out_add[] =
	"INSERT INTO bundle_out(seq, hash, created_at, upto_visit, upto_household, visits, households) "
	"VALUES(?,?,?,?,?,?,?)";

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

/* A photo missing or changed in the camera folder is a warning; failing to write the
 * copy (a full or read-only disk) fails the export. */
static int copy_photo(struct photos *p, const struct photo *ph)
{
	static const char *const why[] = {"", "", "not in the camera folder",
					  "changed since it was recorded"};
	char *src, *dst;
	int rc, err;

	if (!record_photo_name_ok(ph->name)) {
		sync_photo_problem(&p->r->bad_photos, ph->name, "unsafe name");
		return 0;
	}
	if (!p->made_dir && mkdir(p->dst_dir, 0700) != 0 && errno != EEXIST)
		return gw_fail(GW_ERR_IO, "%s: cannot create: %s", p->dst_dir, strerror(errno));
	p->made_dir = 1;
	/* a terminal takes photos from its camera folder, an office from its store */
	src = sync_path_join(p->src_dir, p->by_hash ? ph->hash : ph->name);
	dst = sync_path_join(p->dst_dir, ph->name);
	errno = 0;
	rc = sync_photo_copy(src, dst, ph);
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

static int put_households(struct ledger *l, struct bundle_writer *w, const struct cut *c,
			  int64_t *n)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_households_since);
	struct household h;
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, c->household);
	sqlite3_bind_int64(st, 2, c->visit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (household_get(l, (const char *)sqlite3_column_text(st, 0), &h) ||
		    record_put(w, record_household(&h))) {
			sqlite3_reset(st);
			return -1;
		}
		(*n)++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "read households");
}

/* One visit into the bundle, its photos copied beside it. */
static int put_visit(struct bundle_writer *w, const struct visit *v, struct photos *ph,
		     struct export_report *r)
{
	if (record_put_visit(w, v))
		return -1;
	r->visits++;
	r->photos += v->nphotos;
	for (int i = 0; i < v->nphotos; i++)
		if (copy_photo(ph, &v->photos[i]))
			return -1;
	return 0;
}

/* An office sends every visit that arrived after the cut, in arrival order. */
static int put_arrived_visits(struct ledger *l, struct bundle_writer *w, const struct cut *c,
			      struct photos *ph, struct export_report *r)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_visits_since);
	struct visit *v = xmalloc(sizeof *v);
	int rc;

	if (!st) {
		free(v);
		return -1;
	}
	sqlite3_bind_int64(st, 1, c->visit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (visit_read_row(l, st, v) || put_visit(w, v, ph, r))
			break;
	sqlite3_reset(st);
	free(v);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* A terminal sends its own visits after the cut. It numbers them as it records them,
 * so they arrive in sequence order: those after the cut are those above the highest
 * sequence number arrived before it, read in one pass (visit_stream). */
static int put_own_visits(struct ledger *l, struct bundle_writer *w, const struct cut *c,
			  struct photos *ph, struct export_report *r)
{
	struct cut seq;
	struct visit_stream *vs;
	struct visit *v;
	int rc;

	if (two_ints(l, sql_own_seq_at, c->visit, &seq) ||
	    !(vs = visit_stream_open(l, ledger_device_id(l), seq.visit)))
		return -1;
	v = xmalloc(sizeof *v);
	while ((rc = visit_stream_next(vs, v)) == 1)
		if (put_visit(w, v, ph, r)) {
			rc = -1;
			break;
		}
	visit_stream_close(vs);
	free(v);
	return rc;
}

static int write_body(struct ledger *l, struct bundle_writer *w, const struct cut *c,
		      struct photos *ph, struct export_report *r)
{
	int office = strcmp(ledger_kind(l), "terminal") != 0;

	if (office && put_households(l, w, c, &r->households))
		return -1;
	if ((office ? put_arrived_visits : put_own_visits)(l, w, c, ph, r))
		return -1;
	/* resolutions are few: each roll-up carries them all */
	return office && (r->visits || r->households) ? conflict_put_resolutions(l, w) : 0;
}

/* ---- the bundle ---- */

/* *n: 1 when there is at least one visit to send, else 0. */
static int any_pending(struct ledger *l, const struct cut *c, int64_t *n)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_any_since);
	int rc;

	*n = 0;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, c->visit);
	if (strcmp(ledger_kind(l), "terminal") == 0)
		sqlite3_bind_text(st, 2, ledger_device_id(l), -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*n = 1;
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "read visits");
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
	char prev[BUNDLE_HASH_HEX];

	memset(h, 0, sizeof *h);
	h->kind = BUNDLE_VISITS;
	gw_strlcpy(h->sender, ledger_device_id(l), sizeof h->sender);
	gw_strlcpy(h->recipient, to->ident.id, sizeof h->recipient);
	memcpy(h->sender_pk, k->sign_pk, SYNC_PK_BYTES);
	h->seq = (uint64_t)meta_int(l, "bundle_seq") + 1;
	h->created_at = gw_now();
	if (ledger_meta(l, "bundle_hash", prev, sizeof prev) == 1 &&
	    sodium_hex2bin(h->prev_hash, BUNDLE_HASH_LEN, prev, strlen(prev), NULL, NULL, NULL) != 0)
		return gw_fail(GW_ERR_DB, "%s: bad bundle_hash in meta", ledger_path(l));
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
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ledger_db_fail(l, "record bundle");
	return meta_int_set(l, "bundle_seq", (int64_t)h->seq) ||
	       ledger_meta_set(l, "bundle_hash", r->hash);
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
	if (write_body(l, w, c, &ph, r)) {
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
	int64_t pending;
	int rc;

	memset(r, 0, sizeof *r);
	if (upstream(l, &to))
		return -1;
	r->acked = meta_int(l, "ack_seq");
	if (two_ints(l, sql_cutoff, r->acked, &c) || any_pending(l, &c, &pending))
		return -1;
	if (pending == 0 && strcmp(ledger_kind(l), "terminal") == 0) {
		r->nothing = 1; /* an office may still have household changes to send */
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
	snprintf(out, outsz, "gaswalk-receipt1:%s:%lld:%lld:%lld:%lld:%s", ledger_device_id(l),
		 (long long)r->seq, (long long)r->visits, (long long)r->households,
		 (long long)r->photos, r->hash);
}
