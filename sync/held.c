#include "held.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "sync/audit.h"
#include "sync/feed.h"
#include "sync/photo.h"
#include "sync/records.h"

static const char sql_held_add[] =
	"INSERT INTO held(hash, device, seq, file, reason, held_at) VALUES(?,?,?,?,?,?) "
	"ON CONFLICT(hash) DO NOTHING";
static const char sql_held_id[] = "SELECT id FROM held WHERE hash = ?";
static const char sql_held_entry[] =
	"INSERT OR IGNORE INTO held_entry(device, seq, held_id) VALUES(?1, ?2, ?3)";
static const char sql_held_list[] =
	"SELECT id, device, seq, hash, file, reason, held_at, COALESCE(decision, ''), "
	"COALESCE(decided_at, 0), COALESCE(why, '') FROM held WHERE ?1 OR decision IS NULL "
	"ORDER BY id";
static const char sql_held_get[] =
	"SELECT id, device, seq, hash, file, reason, held_at, COALESCE(decision, ''), "
	"COALESCE(decided_at, 0), COALESCE(why, '') FROM held WHERE id = ?1";
static const char sql_held_again[] =
	"UPDATE held SET reason = ?2 WHERE id = ?1 AND decision IS NULL";
static const char sql_held_set[] =
	"UPDATE held SET decision = ?2, decided_at = ?3, why = ?4 WHERE id = ?1 AND decision IS NULL";

/* "<ledger>.held", created if absent (malloc'd). */
static char *held_dir(struct ledger *l)
{
	size_t n = strlen(ledger_path(l)) + 8;
	char *p = xmalloc(n);

	snprintf(p, n, "%s.held", ledger_path(l));
	if (mkdir(p, 0700) != 0 && errno != EEXIST) {
		gw_fail(GW_ERR_IO, "%s: cannot create: %s", p, strerror(errno));
		free(p);
		return NULL;
	}
	return p;
}

/* Copies a file from the stick (regular, size-limited) through a temporary name. */
static int copy_plain(const char *src, const char *dst, int64_t max)
{
	const char *why = "";
	int64_t size;
	int fd = sync_open_regular(src, max, &size, &why), rc = 0;
	char buf[65536];
	ssize_t n;
	FILE *out;

	if (fd < 0)
		return gw_fail(GW_ERR_IO, "%s: %s", src, why);
	if (!(out = fopen(dst, "wb"))) {
		close(fd);
		return gw_fail(GW_ERR_IO, "%s: cannot write: %s", dst, strerror(errno));
	}
	while ((n = read(fd, buf, sizeof buf)) > 0)
		if (fwrite(buf, 1, (size_t)n, out) != (size_t)n)
			rc = -1;
	if (n < 0 || ferror(out) || fflush(out) || fsync(fileno(out)))
		rc = -1;
	if (fclose(out))
		rc = -1;
	close(fd);
	return rc ? gw_fail(GW_ERR_IO, "%s: cannot write: %s", dst, strerror(errno ? errno : EIO)) : 0;
}

/* The photos beside the bundle go beside the kept copy (safe names, regular files). */
static int copy_photos(const char *from, const char *to, int64_t max)
{
	DIR *d = opendir(from);
	struct dirent *e;
	int rc = 0;

	if (!d)
		return 0;
	if (mkdir(to, 0700) != 0 && errno != EEXIST) {
		closedir(d);
		return gw_fail(GW_ERR_IO, "%s: cannot create: %s", to, strerror(errno));
	}
	while (rc == 0 && (e = readdir(d)) != NULL) {
		char *src, *dst;

		if (!record_photo_name_ok(e->d_name))
			continue;
		src = sync_path_join(from, e->d_name);
		dst = sync_path_join(to, e->d_name);
		rc = copy_plain(src, dst, max);
		if (rc && gw_last_status() == GW_ERR_IO && access(dst, F_OK) != 0)
			rc = 0; /* a file that is no photo (a FIFO, too large): left behind */
		free(src);
		free(dst);
	}
	closedir(d);
	return rc;
}

static int64_t held_id_of(struct ledger *l, const char *hash)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_held_id);
	int64_t id = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

static int held_row(struct ledger *l, const char *file, const struct merge_report *r)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_held_add);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, r->hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, r->seq);
	sqlite3_bind_text(st, 4, file, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, r->why, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, gw_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "hold bundle");
}

/* The entries that broke the time bounds (r->suspects): a rejection of this hold
 * applies to them in the sender's later bundles (sync/merge.c, entry_rejected). */
static int held_entries(struct ledger *l, const struct merge_report *r)
{
	int64_t id = held_id_of(l, r->hash);
	sqlite3_stmt *st;

	if (id <= 0)
		return id < 0 ? -1 : gw_fail(GW_ERR_DB, "hold bundle: no row");
	for (int i = 0; i < r->nsuspects; i++) {
		int rc;

		if (!(st = ledger_stmt(l, sql_held_entry)))
			return -1;
		sqlite3_bind_text(st, 1, r->suspects[i].device, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, r->suspects[i].seq);
		sqlite3_bind_int64(st, 3, id);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return ledger_db_fail(l, "hold bundle");
	}
	return 0;
}

int sync_hold(struct ledger *l, const struct sync_keys *k, const char *path,
	      struct merge_report *r)
{
	char *dir = held_dir(l), *file = NULL, *photos = NULL, *from = NULL, name[BUNDLE_HASH_HEX + 8];
	int rc = -1;

	if (!dir)
		return -1;
	if ((r->held_id = held_id_of(l, r->hash)) != 0) {
		free(dir);
		return r->held_id < 0 ? -1 : 0; /* held already: nothing new */
	}
	snprintf(name, sizeof name, "%s.gwb", r->hash);
	file = sync_path_join(dir, name);
	photos = sync_photo_dir(file);
	from = sync_photo_dir(path);
	if (copy_plain(path, file, 0) == 0 && copy_photos(from, photos, sync_photo_max(l)) == 0 &&
	    ledger_begin(l) == 0) {
		if (held_row(l, file, r) || held_entries(l, r) ||
		    audit_log(l, k, r->device, r->seq, r->hash, "held", r->why) ||
		    ledger_commit(l))
			ledger_rollback(l);
		else
			rc = 0;
	}
	if (rc == 0)
		r->held_id = held_id_of(l, r->hash);
	free(from);
	free(photos);
	free(file);
	free(dir);
	return rc;
}

static void held_from_row(sqlite3_stmt *st, struct held_bundle *b)
{
	memset(b, 0, sizeof *b);
	b->id = sqlite3_column_int64(st, 0);
	gw_strlcpy(b->device, ledger_text(st, 1), sizeof b->device);
	b->seq = sqlite3_column_int64(st, 2);
	gw_strlcpy(b->hash, ledger_text(st, 3), sizeof b->hash);
	gw_strlcpy(b->file, ledger_text(st, 4), sizeof b->file);
	gw_strlcpy(b->reason, ledger_text(st, 5), sizeof b->reason);
	b->held_at = sqlite3_column_int64(st, 6);
	gw_strlcpy(b->decision, ledger_text(st, 7), sizeof b->decision);
	b->decided_at = sqlite3_column_int64(st, 8);
	gw_strlcpy(b->why, ledger_text(st, 9), sizeof b->why);
}

int sync_held_each(struct ledger *l, int all, held_fn fn, void *ctx)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_held_list);
	struct held_bundle b;
	int rc, stop = 0;

	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, all);
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		held_from_row(st, &b);
		stop = fn(ctx, &b);
	}
	sqlite3_reset(st);
	return stop || rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "read held bundles");
}

static int held_get(struct ledger *l, int64_t id, struct held_bundle *b)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_held_get);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		held_from_row(st, b);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return gw_fail(GW_ERR_NOTFOUND, _("held bundle %lld: no such held bundle"), (long long)id);
	if (rc != SQLITE_ROW)
		return ledger_db_fail(l, "read held bundles");
	if (b->decision[0])
		return gw_fail(GW_ERR_INPUT, strcmp(b->decision, "accepted") == 0
						     ? _("held bundle %lld was accepted already")
						     : _("held bundle %lld was rejected already"),
			       (long long)id);
	return 0;
}

/* Accepting a roll-up held for its log re-based the witness of its sender: written to
 * the signed merge log, from which head to which, with the clerk's reason. */
static int rebased(struct ledger *l, const struct sync_keys *k, const struct held_bundle *b,
		   const struct audit_head *was, int had, const char *reason)
{
	struct audit_head now;
	char detail[900], from[120];

	if (audit_witness_get(l, b->device, &now) != 0) {
		gw_clear_error();
		return 0;
	}
	if (had && was->count == now.count && strcmp(was->hash, now.hash) == 0)
		return 0;
	if (had)
		snprintf(from, sizeof from, "entry %lld, %.16s", (long long)was->count, was->hash);
	else
		gw_strlcpy(from, "none", sizeof from);
	snprintf(detail, sizeof detail, "witness of %s re-based from %s to entry %lld, %.16s "
					"(held bundle %lld accepted): %s", b->device, from,
		 (long long)now.count, now.hash, (long long)b->id, reason);
	return audit_log(l, k, b->device, b->seq, b->hash, "rebased", detail);
}

static int decided(struct ledger *l, const struct sync_keys *k, const struct held_bundle *b,
		   const char *decision, const char *reason, const struct audit_head *was, int had)
{
	sqlite3_stmt *st;
	int rc;

	if (ledger_begin(l))
		return -1;
	if ((was && rebased(l, k, b, was, had, reason)) || !(st = ledger_stmt(l, sql_held_set))) {
		ledger_rollback(l);
		return -1;
	}
	sqlite3_bind_int64(st, 1, b->id);
	sqlite3_bind_text(st, 2, decision, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, gw_now());
	sqlite3_bind_text(st, 4, reason, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE || audit_log(l, k, b->device, b->seq, b->hash, decision, reason) ||
	    ledger_commit(l)) {
		if (rc != SQLITE_DONE)
			ledger_db_fail(l, "held bundle");
		ledger_rollback(l);
		return -1;
	}
	return 0;
}

/* An accepted bundle held again for another reason (a roll-up held for its time
 * bounds whose log no longer extends the witness): its reason is the new one, logged;
 * the clerk decides again. */
static int held_again(struct ledger *l, const struct sync_keys *k, const struct held_bundle *b,
		      const struct merge_report *r)
{
	sqlite3_stmt *st;
	int rc;

	if (ledger_begin(l))
		return -1;
	if (!(st = ledger_stmt(l, sql_held_again))) {
		ledger_rollback(l);
		return -1;
	}
	sqlite3_bind_int64(st, 1, b->id);
	sqlite3_bind_text(st, 2, r->why, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE || audit_log(l, k, b->device, b->seq, b->hash, "held", r->why) ||
	    ledger_commit(l)) {
		if (rc != SQLITE_DONE)
			ledger_db_fail(l, "held bundle");
		ledger_rollback(l);
		return -1;
	}
	return gw_fail(GW_ERR_REJECTED, _("held bundle %lld is held again: %s"), (long long)b->id, r->why);
}

int sync_held_decide(struct ledger *l, const struct sync_keys *k, int64_t id, int accept,
		     const char *reason, struct merge_report *r)
{
	struct held_bundle b = {0};
	struct audit_head was;
	int had = 0, rebase;

	memset(r, 0, sizeof *r);
	if (!reason || !*reason || !text_valid_utf8(reason, strlen(reason)) || strlen(reason) > 500)
		return gw_fail(GW_ERR_INPUT, _("give a reason (1 to 500 bytes of text)"));
	if (held_get(l, id, &b))
		return -1;
	/* held because its sender's log does not extend the witnessed head (sync/audit.c) */
	rebase = strncmp(b.reason, "log of ", 7) == 0;
	if (accept && rebase) {
		if ((had = audit_witness_get(l, b.device, &was)) < 0)
			return -1;
		had = had == 0;
		gw_clear_error();
	}
	if (accept) {
		if (sync_merge_accept(l, k, b.file, rebase, r))
			return -1;
		if (r->outcome == MERGE_REJECTED)
			return gw_fail(GW_ERR_REJECTED, "%s", r->why);
		if (r->outcome == MERGE_HELD)
			return held_again(l, k, &b, r);
	}
	return decided(l, k, &b, accept ? "accepted" : "rejected", reason,
		       accept && rebase ? &was : NULL, had);
}

/* ---- photos that never came: waived by the clerk ---- */

static const char sql_missing_get[] =
	"SELECT 1 FROM photo_missing WHERE device = ?1 AND seq = ?2 AND name = ?3";
static const char sql_missing_del[] =
	"DELETE FROM photo_missing WHERE device = ?1 AND seq = ?2 AND name = ?3";
static const char sql_waiver_add[] =
	"INSERT OR REPLACE INTO photo_waiver(device, seq, name, reason, waived_at) VALUES(?1,?2,?3,?4,?5)";
static const char sql_missing_all[] =
	"SELECT device, seq, name, hash FROM photo_missing ORDER BY device, seq, name";

static int missing_row(struct ledger *l, const char *sql, const struct visit_id *id,
		       const char *name, const char *reason)
{
	sqlite3_stmt *st = ledger_stmt(l, sql);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id->device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id->seq);
	sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
	if (reason) {
		sqlite3_bind_text(st, 4, reason, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, gw_now());
	}
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "missing photos");
}

int sync_photo_waive(struct ledger *l, const struct sync_keys *k, const struct visit_id *id,
		     const char *name, const char *reason)
{
	char detail[700];
	int64_t covered;
	int rc;

	if (!reason || !*reason || !text_valid_utf8(reason, strlen(reason)) || strlen(reason) > 500)
		return gw_fail(GW_ERR_INPUT, _("give a reason (1 to 500 bytes of text)"));
	if (ledger_begin(l))
		return -1;
	rc = missing_row(l, sql_missing_get, id, name, NULL);
	if (rc == 0)
		rc = gw_fail(GW_ERR_NOTFOUND, _("visit %s/%lld: no photo %s is missing here"), id->device,
			     (long long)id->seq, name);
	snprintf(detail, sizeof detail, _("photo %s of visit %s/%lld waived: %s"), name, id->device,
		 (long long)id->seq, reason);
	if (rc < 0 || missing_row(l, sql_missing_del, id, name, NULL) ||
	    missing_row(l, sql_waiver_add, id, name, reason) ||
	    feed_advance(l, id->device, &covered) ||
	    audit_log(l, k, id->device, id->seq, NULL, "waived", detail) || ledger_commit(l)) {
		ledger_rollback(l);
		return -1;
	}
	return 0;
}

int sync_photos_missing(struct ledger *l, missing_fn fn, void *ctx)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_missing_all);
	struct visit_id id;
	int rc, stop = 0;

	if (!st)
		return -1;
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		gw_strlcpy(id.device, ledger_text(st, 0), sizeof id.device);
		id.seq = sqlite3_column_int64(st, 1);
		stop = fn(ctx, &id, ledger_text(st, 2), ledger_text(st, 3));
	}
	sqlite3_reset(st);
	return stop || rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "missing photos");
}
