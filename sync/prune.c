#include "prune.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/photoname.h"
#include "core/util.h"
#include "sync/photo.h"

/* The households outside the assignment (meta "assignment": [[subdistrict, compound]...],
 * an empty subdistrict matching any), split by whether a record of this terminal's own
 * feed above the acknowledged number (meta "ack_n") still needs them. A terminal given
 * new keys (key new) holds under its old id (meta "predecessor_id") only records the
 * office had acknowledged: the others became the new feed's first records
 * (sync_successor_mark), and are kept until the new feed's acknowledgement covers them;
 * the old feed's acknowledgement never comes down again, and need not. */
static const char sql_outside[] =
	"CREATE TEMP TABLE IF NOT EXISTS prune_out(account TEXT PRIMARY KEY, keep INTEGER) WITHOUT ROWID; "
	"DELETE FROM prune_out;";
static const char sql_fill[] =
	"INSERT INTO prune_out(account, keep) "
	"SELECT h.account, "
	" EXISTS(SELECT 1 FROM visit v WHERE v.account = h.account AND v.device = ?1 AND v.seq > ?2) OR "
	" EXISTS(SELECT 1 FROM visit_void w WHERE w.account = h.account AND w.device = ?1 AND w.seq > ?2) "
	"FROM household h WHERE NOT EXISTS (SELECT 1 FROM json_each(?3) c "
	" WHERE json_extract(c.value, '$[1]') = h.compound AND "
	"       (json_extract(c.value, '$[0]') = '' OR json_extract(c.value, '$[0]') = h.subdistrict))";

/* What goes with a household, children before parents. */
static const char *const sql_delete[] = {
	"DELETE FROM visit_hazard WHERE (device, seq) IN (SELECT device, seq FROM visit WHERE account IN "
	"(SELECT account FROM prune_out WHERE NOT keep))",
	"DELETE FROM visit_install WHERE (device, seq) IN (SELECT device, seq FROM visit WHERE account IN "
	"(SELECT account FROM prune_out WHERE NOT keep))",
	"DELETE FROM photo WHERE (device, seq) IN (SELECT device, seq FROM visit WHERE account IN "
	"(SELECT account FROM prune_out WHERE NOT keep))",
	"DELETE FROM photo_missing WHERE (device, seq) IN (SELECT device, seq FROM visit WHERE account IN "
	"(SELECT account FROM prune_out WHERE NOT keep))",
	"DELETE FROM photo_waiver WHERE (device, seq) IN (SELECT device, seq FROM visit WHERE account IN "
	"(SELECT account FROM prune_out WHERE NOT keep))",
	"DELETE FROM visit_arrival WHERE (device, seq) IN (SELECT device, seq FROM visit WHERE account IN "
	"(SELECT account FROM prune_out WHERE NOT keep))",
	"DELETE FROM visit_void WHERE account IN (SELECT account FROM prune_out WHERE NOT keep)",
	"DELETE FROM conflict WHERE account IN (SELECT account FROM prune_out WHERE NOT keep)",
	"DELETE FROM rectification WHERE account IN (SELECT account FROM prune_out WHERE NOT keep)",
	"DELETE FROM suspension WHERE account IN (SELECT account FROM prune_out WHERE NOT keep)",
	"DELETE FROM status WHERE account IN (SELECT account FROM prune_out WHERE NOT keep)",
	"DELETE FROM household_attribution WHERE account IN (SELECT account FROM prune_out WHERE NOT keep)",
	"DELETE FROM household_change WHERE account IN (SELECT account FROM prune_out WHERE NOT keep)",
	"DELETE FROM visit WHERE account IN (SELECT account FROM prune_out WHERE NOT keep)",
	"DELETE FROM household WHERE account IN (SELECT account FROM prune_out WHERE NOT keep)",
};

/* The photo files to delete once the deletion commits: the pruned visits' photos whose
 * name no other visit's photo uses (a camera's counter may give a kept visit's photo
 * the same name). */
static const char sql_photos_list[] =
	"INSERT OR REPLACE INTO meta(key, value) SELECT 'prune_photos', v FROM "
	"(SELECT json_group_array(json_array(name, size, hash)) AS v, count(*) AS n FROM "
	" (SELECT DISTINCT p.name, p.size, p.hash FROM photo p JOIN visit x ON x.device = p.device "
	"  AND x.seq = p.seq WHERE x.account IN (SELECT account FROM prune_out WHERE NOT keep) "
	"  AND p.name NOT IN (SELECT q.name FROM photo q JOIN visit y ON y.device = q.device "
	"   AND y.seq = q.seq WHERE y.account NOT IN (SELECT account FROM prune_out WHERE NOT keep)))) "
	"WHERE n > 0";
static const char sql_photos_pending[] =
	"SELECT json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), "
	"json_extract(j.value, '$[2]') FROM meta m, json_each(m.value) j WHERE m.key = 'prune_photos'";
static const char sql_photos_done[] = "DELETE FROM meta WHERE key = 'prune_photos'";

static int64_t count(struct ledger *l, const char *sql)
{
	sqlite3_stmt *st = ledger_stmt(l, sql);
	int64_t n = -1;

	if (st && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	if (st)
		sqlite3_reset(st);
	return n;
}

static int plain(struct ledger *l, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(ledger_sqlite(l), sql, NULL, NULL, &err) != SQLITE_OK) {
		sqlite3_free(err);
		return ledger_db_fail(l, "pruning");
	}
	return 0;
}

static int mark(struct ledger *l, const char *assignment)
{
	char ack[32] = "0";
	const char *p[3];

	if (ledger_meta(l, "ack_n", ack, sizeof ack) < 0)
		return -1;
	p[0] = ledger_device_id(l);
	p[1] = ack;
	p[2] = assignment;
	return plain(l, sql_outside) || ledger_exec(l, sql_fill, 3, p) ? -1 : 0;
}

static int delete_marked(struct ledger *l, struct prune_report *r)
{
	r->households = count(l, "SELECT count(*) FROM prune_out WHERE NOT keep");
	r->kept = count(l, "SELECT count(*) FROM prune_out WHERE keep");
	r->visits = count(l, "SELECT count(*) FROM visit WHERE account IN "
			     "(SELECT account FROM prune_out WHERE NOT keep)");
	if (r->households < 0 || r->kept < 0 || r->visits < 0)
		return ledger_db_fail(l, "pruning");
	if (r->households > 0 && ledger_exec(l, sql_photos_list, 0, NULL))
		return -1;
	for (size_t i = 0; i < GW_ARRAY_LEN(sql_delete) && r->households > 0; i++)
		if (ledger_exec(l, sql_delete[i], 0, NULL))
			return -1;
	return 0;
}

static void photo_failed(struct prune_report *r, const char *path, const char *why)
{
	if (r->photos_failed++ == 0)
		snprintf(r->photo_error, sizeof r->photo_error, "%s: %s", path, why);
}

/* One listed photo: deleted if the camera folder holds that very file. */
static void delete_photo(const char *dir, const struct photo *ph, struct prune_report *r)
{
	char *path;
	int m;

	if (!photo_name_ok(ph->name))
		return; /* never a path outside the folder */
	path = sync_path_join(dir, ph->name);
	m = sync_photo_matches(path, ph);
	if (m < 0)
		photo_failed(r, path, strerror(errno));
	else if (m == 1 && unlink(path) != 0 && errno != ENOENT)
		photo_failed(r, path, strerror(errno));
	else if (m == 1)
		r->photos++;
	free(path);
}

/* The photos listed by an earlier pruning transaction, out of the camera folder; then
 * the list goes (one that could not be deleted is reported, not tried again). */
static int delete_photos(struct ledger *l, struct prune_report *r)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_photos_pending);
	char *dir = sync_camera_dir(l);
	struct photo ph;
	int rc, listed = 0;

	if (!st) {
		free(dir);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		listed = 1;
		gw_strlcpy(ph.name, ledger_text(st, 0), sizeof ph.name);
		ph.size = sqlite3_column_int64(st, 1);
		gw_strlcpy(ph.hash, ledger_text(st, 2), sizeof ph.hash);
		delete_photo(dir, &ph, r);
	}
	sqlite3_reset(st);
	free(dir);
	if (rc != SQLITE_DONE)
		return ledger_db_fail(l, "pruning");
	return listed ? ledger_exec(l, sql_photos_done, 0, NULL) : 0;
}

int sync_prune(struct ledger *l, struct prune_report *r)
{
	char *assignment;
	int rc;

	memset(r, 0, sizeof *r);
	if (strcmp(ledger_kind(l), "terminal") != 0)
		return 0;
	/* deleted pages are overwritten with zeros, in the file and in the WAL */
	if (plain(l, "PRAGMA secure_delete = ON"))
		return -1;
	if (delete_photos(l, r)) /* a list left by a kill after the last pruning committed */
		return -1;
	assignment = xmalloc(1 << 20);
	rc = ledger_meta(l, "assignment", assignment, 1 << 20);
	if (rc <= 0) {
		free(assignment);
		return rc;
	}
	if (ledger_begin(l)) {
		free(assignment);
		return -1;
	}
	rc = mark(l, assignment) || delete_marked(l, r) ? -1 : 0;
	free(assignment);
	if (rc != 0 || ledger_commit(l)) {
		ledger_rollback(l);
		return -1;
	}
	if (r->households == 0)
		return 0;
	if (delete_photos(l, r))
		return -1;
	/* the old pages out of the WAL, then a file without free pages */
	return plain(l, "PRAGMA wal_checkpoint(TRUNCATE); VACUUM; PRAGMA wal_checkpoint(TRUNCATE)");
}
