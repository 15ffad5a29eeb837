/* ledger: the SQLite file a terminal or an office keeps (台账).
 *
 * Opening applies the embedded migrations in order and refuses a ledger made by
 * a newer gaswalk. Every write that is one user action is one transaction. */
#ifndef GW_LEDGER_H
#define GW_LEDGER_H

#include <sqlite3.h>
#include <stdint.h>

#include "model.h"
#include "rules.h"

struct ledger;

/* The schema version this build writes (the highest migration number). */
int ledger_schema_version(void);

/* kind: "terminal" or "office". Fails if a ledger already exists at path. */
int ledger_create(const char *path, const char *kind, const char *name, struct ledger **out);
/* Fails with a clear message if there is no ledger at path. */
int ledger_open(const char *path, struct ledger **out);
void ledger_close(struct ledger *l);

sqlite3 *ledger_sqlite(struct ledger *l);
const char *ledger_path(const struct ledger *l);
const char *ledger_device_id(const struct ledger *l);
const char *ledger_name(const struct ledger *l);
const char *ledger_kind(const struct ledger *l);
/* Gives this ledger's own keyring row and meta the device id derived from its key
 * (sync/keys.c), inside the caller's transaction. */
int ledger_set_device_id(struct ledger *l, const char *id);
/* Days a grade-2 hazard's rectification order allows (setting rectify_days_grade2). */
int ledger_rectify_days(const struct ledger *l);
/* Days a grade-1 order allows (setting rectify_days_grade1, default 1). */
int ledger_rectify_days_grade1(const struct ledger *l);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. */
int ledger_begin(struct ledger *l);
int ledger_commit(struct ledger *l);
void ledger_rollback(struct ledger *l);

/* A cached prepared statement for a static SQL string (reset, bindings cleared).
 * Owned by the ledger: do not finalize it. */
sqlite3_stmt *ledger_stmt(struct ledger *l, const char *sql);
/* A text column of the current row, "" for NULL. */
const char *ledger_text(sqlite3_stmt *st, int col);
/* Records the SQLite error of l as the last failure; returns -1. */
int ledger_db_fail(struct ledger *l, const char *what);

/* Runs one prepared statement with text parameters (NULL binds NULL); no rows. */
int ledger_exec(struct ledger *l, const char *sql, int nparams, const char *const *params);

int ledger_setting(struct ledger *l, const char *key, char *out, size_t outsz);
int ledger_setting_set(struct ledger *l, const char *key, const char *value);
int ledger_meta(struct ledger *l, const char *key, char *out, size_t outsz);
int ledger_meta_set(struct ledger *l, const char *key, const char *value);

/* Reference data. */
int ledger_hazard_grade(struct ledger *l, const char *code);      /* -1 unknown */
int ledger_sector_known(struct ledger *l, const char *code);
int ledger_catalog_item(struct ledger *l, const char *code, enum item *it, int64_t *price_fen);

/* Households. */
enum upsert_result { UPSERT_ADDED, UPSERT_UPDATED, UPSERT_UNCHANGED };
int household_upsert(struct ledger *l, const struct household *h, enum upsert_result *res);
/* Inserts a household known to be new (a first import: no lookup); fails on a duplicate. */
int household_insert(struct ledger *l, const struct household *h);
int household_get(struct ledger *l, const char *account, struct household *h);
/* The columns household_from_row() reads, from first on: SELECT HOUSEHOLD_COLUMNS FROM household h. */
#define HOUSEHOLD_COLUMNS \
	"h.account, h.category, h.gas, h.new_build, COALESCE(h.sector, ''), h.name, h.phone, " \
	"h.subdistrict, h.community, h.compound, h.building, h.unit, h.floor, h.room"
#define HOUSEHOLD_NCOLS 14
void household_from_row(sqlite3_stmt *st, int first, struct household *h);

/* Visits. visit_record gives v this ledger's next (device, seq) and the base
 * (the household's last known visit), stores it and refreshes the household's
 * status, all in one transaction. */
int visit_record(struct ledger *l, struct visit *v);
/* Stores a visit that already has its id (from a bundle); inside the caller's
 * transaction. Returns 0 stored, 1 already present and identical, -1 error. */
int visit_store(struct ledger *l, const struct visit *v);
/* Inserts a visit with its parts, without refreshing the status (bulk merges). */
int visit_insert_raw(struct ledger *l, const struct visit *v);
/* The same when no visit with v's id is stored: 0 inserted, 1 one is stored already
 * (nothing written), -1 error (GW_ERR_REJECTED when v's household is unknown). Only
 * inside a transaction that is rolled back whole when this fails. */
int visit_insert_new(struct ledger *l, const struct visit *v);
/* All visits of a household, recorded up to as_of (0: all). Caller frees *out. */
int visit_load(struct ledger *l, const char *account, int64_t as_of, struct visit **out,
	       size_t *n);
/* A household's visits as the fold, the orders and the conflicts read them (struct
 * visit_lean: no photos, no note), their hazards and installs in two pools: about 200
 * bytes a visit, not 7.7 KB, so a household with 20,000 visits loads in a few MB. */
struct visit_set {
	struct visit_lean *v;
	size_t n;
	struct hazard *hz;
	struct install *in;
};
int visit_load_lean(struct ledger *l, const char *account, int64_t as_of, struct visit_set *out);
void visit_set_free(struct visit_set *s);
/* A visit row as visit_read_row() reads it: SELECT VISIT_ROW_COLUMNS, VISIT_ROW_PARTS
 * FROM visit v ... (the parts column, or when it is NULL the three part tables, says
 * which parts exist, so a visit without any costs no further query). */
#define VISIT_ROW_COLUMNS \
	"v.device, v.seq, v.account, v.actor, v.role, v.at_epoch, v.outcome, v.hose, v.valve, " \
	"v.alarm, v.shutoff, v.supply, v.note, COALESCE(v.base_device, ''), " \
	"COALESCE(v.base_seq, 0), v.at, v.notice, v.entry_mode, COALESCE(v.supply_hazard, ''), " \
	VISIT_VOIDED("v") ", COALESCE(v.carried_device, ''), COALESCE(v.carried_seq, 0)"
#define VISIT_ROW_NCOLS 22
/* 1 when a void cancels visit row `alias` (schema 0008): reports that count visits
 * leave these out ("AND NOT " VISIT_VOIDED("v")), as the fold does. */
#define VISIT_VOIDED(alias) \
	"EXISTS(SELECT 1 FROM visit_void w WHERE w.target_device = " alias ".device " \
	"AND w.target_seq = " alias ".seq AND w.account = " alias ".account)"
#define VISIT_ROW_PARTS \
	"COALESCE(v.parts, " \
	"EXISTS(SELECT 1 FROM visit_hazard p WHERE p.device = v.device AND p.seq = v.seq) + " \
	"2 * EXISTS(SELECT 1 FROM visit_install p WHERE p.device = v.device AND p.seq = v.seq) + " \
	"4 * EXISTS(SELECT 1 FROM photo p WHERE p.device = v.device AND p.seq = v.seq))"
int visit_read_row(struct ledger *l, sqlite3_stmt *st, struct visit *v);
/* One device's visits with a sequence number above after_seq, in sequence order, parts
 * and all, read in a single pass: open, next (1: *v filled, 0: no more, -1: error), close. */
struct visit_stream;
struct visit_stream *visit_stream_open(struct ledger *l, const char *device, int64_t after_seq);
int visit_stream_next(struct visit_stream *s, struct visit *v);
void visit_stream_close(struct visit_stream *s);
/* Visit by id; GW_ERR_NOTFOUND when absent. */
int visit_get(struct ledger *l, const struct visit_id *id, struct visit *v);

/* Voids (struct visit_void, core/model.h).
 * visit_void_record: voids visit target_device/target_seq of this ledger with a reason
 * (actor NULL: the ledger's name; at 0: now). A terminal voids only its own visits, an
 * office any visit it holds; the visit must be here and not voided already. The void
 * gets this ledger's next sequence number (the numbering its visits use); stored with
 * the household's refresh in one transaction; *out (may be NULL) receives it. */
int visit_void_record(struct ledger *l, const char *target_device, int64_t target_seq,
		      const char *reason, const char *actor, int64_t at, struct visit_void *out);
/* The same inside the caller's transaction (merge: a district keeping a visit as
 * evidence without counting it, sync/relay.c). */
int visit_void_add(struct ledger *l, const char *target_device, int64_t target_seq,
		   const char *reason, const char *actor, int64_t at, struct visit_void *out);
/* Stores a void that already has its id (from a bundle), inside the caller's
 * transaction, and drops the conflicts of the visit it cancels (the caller refreshes
 * w->account): 0 stored, 1 the same void stored already, -2 a different void holds
 * that id, -1 error (GW_ERR_REJECTED: a visit holds that id). */
int void_insert_new(struct ledger *l, const struct visit_void *w);
/* A void by its own id: 1 found, 0 none, -1 error. */
int void_get(struct ledger *l, const struct visit_id *id, struct visit_void *w);
/* The void that cancels visit `target` (of its household), if any: 1 found, 0 none, -1 error. */
int void_get_for(struct ledger *l, const struct visit_id *target, struct visit_void *w);
/* The columns a void is read by, in void_from_row's order, and the reader of one row. */
#define VOID_COLUMNS \
	"device, seq, account, target_device, target_seq, actor, at, at_epoch, reason"
void void_from_row(sqlite3_stmt *st, struct visit_void *w);
/* Removes the voided visits (v[i].voided, set by every visit read) from v; *n updated. */
void visit_drop_voided(struct visit *v, size_t *n);
void visit_drop_voided_lean(struct visit_lean *v, size_t *n);

/* Recomputes status, rectifications and suspensions of one household. */
int status_refresh(struct ledger *l, const char *account);
/* The same from the household's visits, already loaded (all of them, any order):
 * drops the overruled ones from v (n updated) and sorts it into fold order. */
int status_refresh_visits(struct ledger *l, const char *account, struct visit *v, size_t *n);
/* The same over lean visits (a household with very many visits: visit_load_lean). */
int status_refresh_lean(struct ledger *l, const char *account, struct visit_lean *v, size_t *n);
/* Status folded from the visits up to as_of (0: all). */
int status_get(struct ledger *l, const char *account, int64_t as_of, const struct household *h,
	       struct status *st);

struct list_filter {
	int pending_only;     /* not compliant */
	const char *compound; /* "subdistrict/compound" or a compound's name; NULL: all */
	const char *search;   /* fragment of account, name or address; NULL: all */
	int limit;            /* 0: no limit */
};

/* Walks households in walking order with their stored status. */
typedef int (*household_fn)(void *ctx, const struct household *h, const struct status *st);
int ledger_list(struct ledger *l, const struct list_filter *f, household_fn fn, void *ctx);

#endif
