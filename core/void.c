/* Voids: later records that cancel a mistaken visit (schema 0008, core/model.h).
 * A void and its visit are joined by (target_device, target_seq) and the household:
 * the void may arrive first, and a voided visit stays stored but is left out of the
 * fold (visit_drop_voided, rules_fold) and of every conflict. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"
#include "text.h"
#include "util.h"

static const char sql_void_add[] =
	"INSERT OR FAIL INTO visit_void(device, seq, account, target_device, target_seq, actor, "
	"at, at_epoch, reason, recorded_at) VALUES(?,?,?,?,?,?,?,?,?,?) "
	"ON CONFLICT(device, seq) DO NOTHING";
static const char sql_void_get[] =
	"SELECT " VOID_COLUMNS " FROM visit_void WHERE device = ?1 AND seq = ?2";
static const char sql_void_for[] =
	"SELECT " VOID_COLUMNS " FROM visit_void w WHERE w.target_device = ?1 AND w.target_seq = ?2 "
	"AND EXISTS(SELECT 1 FROM visit v WHERE v.device = w.target_device AND v.seq = w.target_seq "
	"AND v.account = w.account) ORDER BY w.device, w.seq LIMIT 1";
static const char sql_void_arrival[] = "INSERT INTO visit_arrival(device, seq) VALUES(?, ?)";
static const char sql_is_visit[] = "SELECT 1 FROM visit WHERE device = ?1 AND seq = ?2";
static const char sql_void_conflicts[] =
	"DELETE FROM conflict WHERE account = ?1 AND ((a_device = ?2 AND a_seq = ?3) OR "
	"(b_device = ?2 AND b_seq = ?3))";
static const char sql_void_next_seq[] = "SELECT value FROM meta WHERE key = 'next_seq'";
static const char sql_void_bump_seq[] =
	"UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'next_seq'";

void visit_drop_voided(struct visit *v, size_t *n)
{
	size_t k = 0;

	for (size_t i = 0; i < *n; i++)
		if (!v[i].voided) {
			if (k != i)
				memcpy(&v[k], &v[i], sizeof *v);
			k++;
		}
	*n = k;
}

void visit_drop_voided_lean(struct visit_lean *v, size_t *n)
{
	size_t k = 0;

	for (size_t i = 0; i < *n; i++)
		if (!v[i].voided)
			v[k++] = v[i];
	*n = k;
}

void void_from_row(sqlite3_stmt *st, struct visit_void *w)
{
	int64_t epoch;
	int tz = 0;

	memset(w, 0, sizeof *w);
	gw_strlcpy(w->id.device, ledger_text(st, 0), sizeof w->id.device);
	w->id.seq = sqlite3_column_int64(st, 1);
	gw_strlcpy(w->account, ledger_text(st, 2), sizeof w->account);
	gw_strlcpy(w->target.device, ledger_text(st, 3), sizeof w->target.device);
	w->target.seq = sqlite3_column_int64(st, 4);
	gw_strlcpy(w->actor, ledger_text(st, 5), sizeof w->actor);
	if (time_parse_iso(ledger_text(st, 6), &epoch, &tz) == 0)
		w->tz_minutes = tz;
	w->at = sqlite3_column_int64(st, 7);
	gw_strlcpy(w->reason, ledger_text(st, 8), sizeof w->reason);
}

static int get_one(struct ledger *l, const char *sql, const struct visit_id *id,
		   struct visit_void *w)
{
	sqlite3_stmt *st = ledger_stmt(l, sql);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id->device, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, id->seq);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		void_from_row(st, w);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "read voids");
}

int void_get(struct ledger *l, const struct visit_id *id, struct visit_void *w)
{
	return get_one(l, sql_void_get, id, w);
}

int void_get_for(struct ledger *l, const struct visit_id *target, struct visit_void *w)
{
	return get_one(l, sql_void_for, target, w);
}

static int step_done(struct ledger *l, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, what);
}

static int voids_equal(const struct visit_void *a, const struct visit_void *b)
{
	return !strcmp(a->account, b->account) && !strcmp(a->target.device, b->target.device) &&
	       a->target.seq == b->target.seq && !strcmp(a->actor, b->actor) && a->at == b->at &&
	       a->tz_minutes == b->tz_minutes && !strcmp(a->reason, b->reason);
}

/* 1 when a visit holds id (visits and voids of a device share one numbering). */
static int id_is_visit(struct ledger *l, const struct visit_id *id)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_is_visit);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id->device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id->seq);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "read visit");
}

static int insert_void_row(struct ledger *l, const struct visit_void *w)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_void_add);
	char at[40];

	if (!st)
		return -1;
	time_format_iso(w->at, w->tz_minutes, at, sizeof at);
	sqlite3_bind_text(st, 1, w->id.device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, w->id.seq);
	sqlite3_bind_text(st, 3, w->account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, w->target.device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, w->target.seq);
	sqlite3_bind_text(st, 6, w->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 8, w->at);
	sqlite3_bind_text(st, 9, w->reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, gw_now());
	if (step_done(l, st, "store void"))
		return -1;
	return sqlite3_changes(ledger_sqlite(l)) == 0 ? 1 : 0;
}

/* The arrival number (for exports) and the conflicts the voided visit was part of. */
static int void_after_insert(struct ledger *l, const struct visit_void *w)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_void_arrival);

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, w->id.device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, w->id.seq);
	if (step_done(l, st, "store void") || !(st = ledger_stmt(l, sql_void_conflicts)))
		return -1;
	sqlite3_bind_text(st, 1, w->account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, w->target.device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, w->target.seq);
	return step_done(l, st, "drop conflicts");
}

int void_insert_new(struct ledger *l, const struct visit_void *w)
{
	struct visit_void old = {0};
	int rc = id_is_visit(l, &w->id);

	if (rc < 0)
		return -1;
	if (rc == 1)
		return gw_fail(GW_ERR_REJECTED, "void %s/%lld: a visit has that number already",
			       w->id.device, (long long)w->id.seq);
	if ((rc = insert_void_row(l, w)) < 0)
		return -1;
	if (rc == 0)
		return void_after_insert(l, w);
	if (void_get(l, &w->id, &old) != 1)
		return -1;
	if (!voids_equal(w, &old)) {
		gw_fail(GW_ERR_REJECTED, "void %s/%lld differs from the one already merged",
			w->id.device, (long long)w->id.seq);
		return -2;
	}
	return 1;
}

/* ---- voiding a visit here ---- */

static int take_seq(struct ledger *l, int64_t *seq)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_void_next_seq);
	int rc;

	if (!st)
		return -1;
	rc = sqlite3_step(st);
	*seq = rc == SQLITE_ROW ? strtoll(ledger_text(st, 0), NULL, 10) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW || *seq <= 0)
		return gw_fail(GW_ERR_DB, "%s: no sequence counter", ledger_path(l));
	st = ledger_stmt(l, sql_void_bump_seq);
	return st ? step_done(l, st, "sequence counter") : -1;
}

/* What may be voided here: a visit this ledger holds, not voided yet; a terminal's
 * own visits only. */
static int check_target(struct ledger *l, const struct visit_id *target, struct visit *v)
{
	if (strcmp(ledger_kind(l), "office") != 0 && strcmp(target->device, ledger_device_id(l)) != 0)
		return gw_fail(GW_ERR_INPUT, "visit %s/%lld: a terminal voids only its own visits",
			       target->device, (long long)target->seq);
	if (visit_get(l, target, v))
		return -1;
	if (v->voided)
		return gw_fail(GW_ERR_INPUT, "visit %s/%lld is voided already", target->device,
			       (long long)target->seq);
	return 0;
}

static int fill_void(struct ledger *l, const char *target_device, int64_t target_seq,
		     const char *reason, const char *actor, int64_t at, struct visit_void *w)
{
	memset(w, 0, sizeof *w);
	if (!reason || !*reason || strlen(reason) > VOID_REASON_MAX ||
	    !text_valid_utf8(reason, strlen(reason)))
		return gw_fail(GW_ERR_INPUT, "a void needs a reason of 1 to %d bytes of text",
			       VOID_REASON_MAX);
	if (actor && (!*actor || strlen(actor) > ACTOR_MAX || !text_valid_utf8(actor, strlen(actor))))
		return gw_fail(GW_ERR_INPUT, "--actor: give 1 to %d characters", ACTOR_MAX);
	if (strlen(target_device) > DEVICE_ID_MAX || target_seq <= 0)
		return gw_fail(GW_ERR_INPUT, "%s/%lld: no such visit", target_device,
			       (long long)target_seq);
	gw_strlcpy(w->target.device, target_device, sizeof w->target.device);
	w->target.seq = target_seq;
	gw_strlcpy(w->reason, reason, sizeof w->reason);
	gw_strlcpy(w->actor, actor ? actor : ledger_name(l), sizeof w->actor);
	w->at = at ? at : gw_now();
	w->tz_minutes = time_local_offset(w->at);
	gw_strlcpy(w->id.device, ledger_device_id(l), sizeof w->id.device);
	return 0;
}

int visit_void_add(struct ledger *l, const char *target_device, int64_t target_seq,
		   const char *reason, const char *actor, int64_t at, struct visit_void *out)
{
	struct visit_void w;
	struct visit *v;
	int rc;

	if (fill_void(l, target_device, target_seq, reason, actor, at, &w))
		return -1;
	v = xmalloc(sizeof *v);
	rc = check_target(l, &w.target, v);
	if (rc == 0) {
		gw_strlcpy(w.account, v->account, sizeof w.account);
		rc = take_seq(l, &w.id.seq);
	}
	if (rc == 0 && (void_insert_new(l, &w) != 0 || status_refresh(l, w.account)))
		rc = -1;
	if (rc == 0 && out)
		*out = w;
	free(v);
	return rc;
}

int visit_void_record(struct ledger *l, const char *target_device, int64_t target_seq,
		      const char *reason, const char *actor, int64_t at, struct visit_void *out)
{
	int rc;

	if (ledger_begin(l))
		return -1;
	rc = visit_void_add(l, target_device, target_seq, reason, actor, at, out);
	if (rc == 0 && ledger_commit(l))
		rc = -1;
	if (rc)
		ledger_rollback(l);
	return rc;
}
