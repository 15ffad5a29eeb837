#include "carried.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "sync/keys.h"

static const char sql_mark[] = "SELECT coalesce(max(n), 0) FROM visit_arrival";

/* A visit's parts, in a fixed order, to compare two visits' */
#define PARTS(x)                                                                           \
	"coalesce((SELECT group_concat(p, '|') FROM (SELECT item || ':' || product || ':' "   \
	"|| serial || ':' || price_fen AS p FROM visit_install WHERE device = " x ".device "   \
	"AND seq = " x ".seq ORDER BY n)), '') || '#' || coalesce((SELECT group_concat(p, '|') FROM (SELECT code " \
	"|| ':' || grade AS p FROM visit_hazard WHERE device = " x ".device AND seq = " x       \
	".seq ORDER BY code)), '') || '#' || coalesce((SELECT group_concat(p, '|') FROM "      \
	"(SELECT name || ':' || size || ':' || hash AS p FROM photo WHERE device = " x         \
	".device AND seq = " x ".seq ORDER BY name)), '')"

/* The visits new here (arrived after ?1) of a successor, not voided, that copy a visit
 * held here of a terminal it succeeds (directly or through others): the copy, its
 * original. Found by the original's id the copy names ("carried"; held itself, or an
 * earlier copy of it that arrived before and still counts; any key's copy, successor enrolled here or not), else, for a
 * copy of a successor enrolled here made by an older gaswalk that names none, by equal
 * content. */
static const char sql_copies[] =
	"WITH RECURSIVE chain(dev, pred) AS ("
	" SELECT substr(key, 14), value FROM meta WHERE substr(key, 1, 13) = 'successor_of:'"
	" UNION SELECT c.dev, m.value FROM chain c JOIN meta m ON m.key = 'successor_of:' || c.pred), "
	"fresh AS (SELECT v.device, v.seq, v.carried_device AS cdev, v.carried_seq AS cseq, a.n "
	" FROM visit_arrival a JOIN visit v ON v.device = a.device AND v.seq = a.seq "
	" WHERE a.n > ?1 AND (v.device IN (SELECT dev FROM chain) OR v.carried_device IS NOT NULL) "
	" AND NOT EXISTS (SELECT 1 FROM visit_void w WHERE w.target_device = v.device "
	" AND w.target_seq = v.seq)) "
	"SELECT device, seq, odev, oseq, min(n) FROM ("
	" SELECT f.device, f.seq, o.device AS odev, o.seq AS oseq, f.n FROM fresh f "
	" JOIN visit o ON o.device = f.cdev AND o.seq = f.cseq AND o.device <> f.device "
	" UNION ALL "
	" SELECT f.device, f.seq, f.cdev, f.cseq, f.n FROM fresh f "
	" JOIN visit o ON o.carried_device = f.cdev AND o.carried_seq = f.cseq "
	" AND NOT (o.device = f.device AND o.seq = f.seq) "
	" JOIN visit_arrival oa ON oa.device = o.device AND oa.seq = o.seq AND oa.n < f.n "
	" WHERE NOT EXISTS (SELECT 1 FROM visit_void w WHERE w.target_device = o.device "
	" AND w.target_seq = o.seq) "
	" UNION ALL "
	" SELECT f.device, f.seq, o.device, o.seq, f.n FROM fresh f "
	" JOIN visit v ON v.device = f.device AND v.seq = f.seq "
	" JOIN chain c ON c.dev = v.device "
	" JOIN visit o ON o.device = c.pred AND o.account = v.account AND o.at_epoch = v.at_epoch "
	" WHERE f.cdev IS NULL AND o.actor = v.actor AND o.role = v.role AND o.outcome = v.outcome "
	" AND o.hose IS v.hose AND o.valve IS v.valve AND o.alarm IS v.alarm "
	" AND o.shutoff IS v.shutoff AND o.supply IS v.supply AND o.note = v.note "
	" AND o.notice = v.notice AND o.entry_mode IS v.entry_mode "
	" AND o.supply_hazard IS v.supply_hazard "
	" AND " PARTS("v") " = " PARTS("o") ") "
	"GROUP BY device, seq ORDER BY 5";
/* Whether there is anything to look for: a successor enrolled here, or a new visit
 * naming an original (a copy carried by a key that replaced another: the district, or
 * an office that enrolled the new key without --successor, knows no succession, but a
 * copy names what it copies, so it is counted once wherever the original is held). */
static const char sql_any_successor[] =
	"SELECT 1 WHERE EXISTS (SELECT 1 FROM meta WHERE key >= 'successor_of:' AND "
	"key < 'successor_of;') OR EXISTS (SELECT 1 FROM visit_arrival a JOIN visit v ON "
	"v.device = a.device AND v.seq = a.seq WHERE a.n > ?1 AND v.carried_device IS NOT NULL)";

int carried_begin(struct ledger *l, struct carried *c)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_mark);
	int rc;

	memset(c, 0, sizeof *c);
	if (!st)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		c->arrival0 = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : ledger_db_fail(l, "visit arrivals");
}

/* The copies found, each followed by its original (2 ids a copy). */
static int find_copies(struct ledger *l, struct carried *c, struct visit_id **out, size_t *n)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!(st = ledger_stmt(l, sql_any_successor)))
		return -1;
	sqlite3_bind_int64(st, 1, c->arrival0);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "successors");
	if (sqlite3_prepare_v2(ledger_sqlite(l), sql_copies, -1, &st, NULL) != SQLITE_OK)
		return ledger_db_fail(l, "carried visits");
	sqlite3_bind_int64(st, 1, c->arrival0);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n + 2 > cap)
			*out = xrealloc(*out, (cap = cap ? 2 * cap : 16) * sizeof **out);
		for (int i = 0; i < 2; i++) {
			gw_strlcpy((*out)[*n].device, ledger_text(st, 2 * i), sizeof (*out)[0].device);
			(*out)[(*n)++].seq = sqlite3_column_int64(st, 2 * i + 1);
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "carried visits");
}

/* The terminal an original came from, as the clerk knows it: its name, else its id. */
static void device_shown(struct ledger *l, const char *id, char *out, size_t n)
{
	struct sync_device d;

	if (sync_device_get(l, id, &d) == 0 && d.ident.name[0])
		gw_strlcpy(out, d.ident.name, n);
	else
		gw_strlcpy(out, id, n);
	gw_clear_error();
}

int carried_settle(struct ledger *l, struct carried *c)
{
	struct visit_id *p;
	char why[VOID_REASON_MAX + 1];
	size_t n;

	if (find_copies(l, c, &p, &n))
		return -1;
	for (size_t i = 0; i < n; i += 2) {
		snprintf(why, sizeof why, "carried by %s after its key was replaced: a copy of "
					  "%s/%lld, held here already; not counted again",
			 p[i].device, p[i + 1].device, (long long)p[i + 1].seq);
		if (visit_void_add(l, p[i].device, p[i].seq, why, NULL, 0, NULL)) {
			free(p);
			return -1;
		}
		if (!c->n)
			device_shown(l, p[i + 1].device, c->from, sizeof c->from);
		c->ids = xrealloc(c->ids, (c->nids + 1) * sizeof *c->ids);
		c->ids[c->nids++] = p[i];
		c->n++;
	}
	free(p);
	return 0;
}

static const char sql_own_copy[] =
	"SELECT 1 FROM visit WHERE device = ?1 AND carried_device = ?2 AND carried_seq = ?3 "
	"AND NOT (device = ?4 AND seq = ?5) LIMIT 1";

int carried_own(struct ledger *l, const struct visit *v)
{
	const struct visit_id *orig = v->carried.seq ? &v->carried : &v->id;
	sqlite3_stmt *st = ledger_stmt(l, sql_own_copy);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, ledger_device_id(l), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, orig->device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, orig->seq);
	sqlite3_bind_text(st, 4, v->id.device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, v->id.seq);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "carried visits");
}

int carried_has(const struct carried *c, const struct visit_id *id)
{
	for (size_t i = 0; i < c->nids; i++)
		if (c->ids[i].seq == id->seq && strcmp(c->ids[i].device, id->device) == 0)
			return 1;
	return 0;
}

void carried_free(struct carried *c)
{
	free(c->ids);
	c->ids = NULL;
	c->nids = 0;
}
