/* Visits: recorded here or merged from a bundle, loaded back, folded into status. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"
#include "util.h"

#define INTO_VISIT \
	" INTO visit(device, seq, account, actor, role, at, at_epoch, outcome, hose, " \
	"valve, alarm, shutoff, supply, note, base_device, base_seq, recorded_at, parts, " \
	"notice, entry_mode, supply_hazard, carried_device, carried_seq) " \
	"VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
static const char sql_insert_visit[] = "INSERT" INTO_VISIT;
/* OR FAIL spares SQLite the statement journal (a copy of every page the statement
 * changes, kept to undo that one statement): visit_insert_new() is used where any
 * failure rolls back the whole transaction, so undoing one statement is never needed. */
static const char sql_insert_visit_new[] =
	"INSERT OR FAIL" INTO_VISIT " ON CONFLICT(device, seq) DO NOTHING";
/* Arrival order (sync/FORMAT.md, "Export"): every visit stored here gets the next number. */
static const char sql_insert_arrival[] = "INSERT INTO visit_arrival(device, seq) VALUES(?, ?)";
static const char sql_insert_hazard[] = "INSERT INTO visit_hazard VALUES(?,?,?,?)";
static const char sql_insert_install[] = "INSERT INTO visit_install VALUES(?,?,?,?,?,?,?)";
static const char sql_insert_photo[] = "INSERT INTO photo VALUES(?,?,?,?,?)";

static const char sql_visits_of[] =
	"SELECT " VISIT_ROW_COLUMNS ", " VISIT_ROW_PARTS
	" FROM visit v WHERE account = ?1 AND (?2 = 0 OR at_epoch <= ?2)";
static const char sql_visit_one[] =
	"SELECT " VISIT_ROW_COLUMNS " FROM visit v WHERE device = ?1 AND seq = ?2";
static const char sql_hazards_of[] =
	"SELECT code, grade FROM visit_hazard WHERE device = ? AND seq = ? ORDER BY code";
static const char sql_installs_of[] =
	"SELECT item, product, serial, price_fen FROM visit_install "
	"WHERE device = ? AND seq = ? ORDER BY n";
static const char sql_photos_of[] =
	"SELECT name, size, hash FROM photo WHERE device = ? AND seq = ? ORDER BY name";

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static int step_done(struct ledger *l, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, what);
}

/* Binds v to the statement sql (an INSERT_VISIT); NULL on failure. */
static sqlite3_stmt *bind_row(struct ledger *l, const char *sql, const struct visit *v)
{
	sqlite3_stmt *st = ledger_stmt(l, sql);
	char at[40];

	if (!st)
		return NULL;
	time_format_iso(v->at, v->tz_minutes, at, sizeof at);
	sqlite3_bind_text(st, 1, v->id.device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, v->id.seq);
	sqlite3_bind_text(st, 3, v->account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, v->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, role_name(v->role), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 7, v->at);
	sqlite3_bind_text(st, 8, outcome_name(v->outcome), -1, SQLITE_STATIC);
	bind_opt(st, 9, hose_name(v->hose));
	bind_opt(st, 10, devstate_name(v->valve));
	bind_opt(st, 11, devstate_name(v->alarm));
	bind_opt(st, 12, devstate_name(v->shutoff));
	bind_opt(st, 13, supply_name(v->supply));
	sqlite3_bind_text(st, 14, v->note, -1, SQLITE_STATIC);
	bind_opt(st, 15, v->base.seq ? v->base.device : NULL);
	if (v->base.seq)
		sqlite3_bind_int64(st, 16, v->base.seq);
	sqlite3_bind_int64(st, 17, gw_now());
	sqlite3_bind_int(st, 18, (v->nhazards > 0) + 2 * (v->ninstalls > 0) + 4 * (v->nphotos > 0));
	sqlite3_bind_int(st, 19, v->notice != 0);
	bind_opt(st, 20, v->entry_mode == ENTRY_QUICK ? "quick" : NULL);
	bind_opt(st, 21, v->supply_hazard[0] ? v->supply_hazard : NULL);
	bind_opt(st, 22, v->carried.seq ? v->carried.device : NULL);
	if (v->carried.seq)
		sqlite3_bind_int64(st, 23, v->carried.seq);
	else
		sqlite3_bind_null(st, 23);
	return st;
}

static int insert_row(struct ledger *l, const struct visit *v)
{
	sqlite3_stmt *st = bind_row(l, sql_insert_visit, v);

	return st ? step_done(l, st, v->account) : -1;
}

/* What goes with a visit row: its arrival number, hazards, installs and photos. */
static int insert_rest(struct ledger *l, const struct visit *v)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_insert_arrival);

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, v->id.device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, v->id.seq);
	if (step_done(l, st, v->account))
		return -1;

	for (int i = 0; i < v->nhazards; i++) {
		if (!(st = ledger_stmt(l, sql_insert_hazard)))
			return -1;
		sqlite3_bind_text(st, 1, v->id.device, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, v->id.seq);
		sqlite3_bind_text(st, 3, v->hazards[i].code, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 4, v->hazards[i].grade);
		if (step_done(l, st, v->hazards[i].code))
			return -1;
	}
	for (int i = 0; i < v->ninstalls; i++) {
		const struct install *in = &v->installs[i];
		if (!(st = ledger_stmt(l, sql_insert_install)))
			return -1;
		sqlite3_bind_text(st, 1, v->id.device, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, v->id.seq);
		sqlite3_bind_int(st, 3, i);
		sqlite3_bind_text(st, 4, item_name(in->item), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, in->product, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, in->serial, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 7, in->price_fen);
		if (step_done(l, st, in->serial))
			return -1;
	}
	for (int i = 0; i < v->nphotos; i++) {
		if (!(st = ledger_stmt(l, sql_insert_photo)))
			return -1;
		sqlite3_bind_text(st, 1, v->id.device, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, v->id.seq);
		sqlite3_bind_text(st, 3, v->photos[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, v->photos[i].size);
		sqlite3_bind_text(st, 5, v->photos[i].hash, -1, SQLITE_STATIC);
		if (step_done(l, st, v->photos[i].name))
			return -1;
	}
	return 0;
}

/* ---- reading visits back ---- */

static void visit_from_row(sqlite3_stmt *st, struct visit *v)
{
	int64_t epoch;
	int tz = 0;

	/* every field after the part counts is set below; the part arrays (most of the
	 * struct's 7 KB) hold only what the counts say, so they are not cleared */
	memset(v, 0, offsetof(struct visit, hazards));
	gw_strlcpy(v->id.device, ledger_text(st, 0), sizeof v->id.device);
	v->id.seq = sqlite3_column_int64(st, 1);
	gw_strlcpy(v->account, ledger_text(st, 2), sizeof v->account);
	gw_strlcpy(v->actor, ledger_text(st, 3), sizeof v->actor);
	v->role = (enum role)role_parse(ledger_text(st, 4));
	v->at = sqlite3_column_int64(st, 5);
	if (time_parse_iso(ledger_text(st, 15), &epoch, &tz) == 0)
		v->tz_minutes = tz;
	v->outcome = (enum outcome)outcome_parse(ledger_text(st, 6));
	v->hose = (enum hose)enum_or_unknown(hose_parse(ledger_text(st, 7)));
	v->valve = (enum devstate)enum_or_unknown(devstate_parse(ledger_text(st, 8)));
	v->alarm = (enum devstate)enum_or_unknown(devstate_parse(ledger_text(st, 9)));
	v->shutoff = (enum devstate)enum_or_unknown(devstate_parse(ledger_text(st, 10)));
	v->supply = (enum supply)enum_or_unknown(supply_parse(ledger_text(st, 11)));
	gw_strlcpy(v->note, ledger_text(st, 12), sizeof v->note);
	gw_strlcpy(v->base.device, ledger_text(st, 13), sizeof v->base.device);
	v->base.seq = sqlite3_column_int64(st, 14);
	v->notice = sqlite3_column_int(st, 16) != 0;
	v->entry_mode = strcmp(ledger_text(st, 17), "quick") == 0 ? ENTRY_QUICK : ENTRY_FORM;
	gw_strlcpy(v->supply_hazard, ledger_text(st, 18), sizeof v->supply_hazard);
	v->voided = sqlite3_column_int(st, 19) != 0;
	gw_strlcpy(v->carried.device, ledger_text(st, 20), sizeof v->carried.device);
	v->carried.seq = sqlite3_column_int64(st, 21);
}

static sqlite3_stmt *part_stmt(struct ledger *l, const char *sql, const struct visit *v)
{
	sqlite3_stmt *st = ledger_stmt(l, sql);

	if (st) {
		sqlite3_bind_text(st, 1, v->id.device, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, v->id.seq);
	}
	return st;
}

/* Loads the parts of v; a part whose flag is 0 is known to be absent (want: bits
 * 1 hazards, 2 installs, 4 photos). */
static int load_some_parts(struct ledger *l, struct visit *v, int want)
{
	sqlite3_stmt *st;

	if ((want & 1) && !(st = part_stmt(l, sql_hazards_of, v)))
		return -1;
	while ((want & 1) && sqlite3_step(st) == SQLITE_ROW && v->nhazards < VISIT_MAX_HAZARDS) {
		struct hazard *hz = &v->hazards[v->nhazards++];
		gw_strlcpy(hz->code, ledger_text(st, 0), sizeof hz->code);
		hz->grade = sqlite3_column_int(st, 1);
	}
	if ((want & 1))
		sqlite3_reset(st);
	if ((want & 2) && !(st = part_stmt(l, sql_installs_of, v)))
		return -1;
	while ((want & 2) && sqlite3_step(st) == SQLITE_ROW && v->ninstalls < VISIT_MAX_INSTALLS) {
		struct install *in = &v->installs[v->ninstalls++];
		in->item = (enum item)item_parse(ledger_text(st, 0));
		gw_strlcpy(in->product, ledger_text(st, 1), sizeof in->product);
		gw_strlcpy(in->serial, ledger_text(st, 2), sizeof in->serial);
		in->price_fen = sqlite3_column_int64(st, 3);
	}
	if ((want & 2))
		sqlite3_reset(st);
	if ((want & 4) && !(st = part_stmt(l, sql_photos_of, v)))
		return -1;
	while ((want & 4) && sqlite3_step(st) == SQLITE_ROW && v->nphotos < VISIT_MAX_PHOTOS) {
		struct photo *ph = &v->photos[v->nphotos++];
		gw_strlcpy(ph->name, ledger_text(st, 0), sizeof ph->name);
		ph->size = sqlite3_column_int64(st, 1);
		gw_strlcpy(ph->hash, ledger_text(st, 2), sizeof ph->hash);
	}
	if ((want & 4))
		sqlite3_reset(st);
	return 0;
}

static int load_parts(struct ledger *l, struct visit *v)
{
	return load_some_parts(l, v, 7);
}

/* Which parts a row of VISIT_ROW_COLUMNS, VISIT_ROW_PARTS says its visit has. */
static int parts_wanted(sqlite3_stmt *st)
{
	return sqlite3_column_int(st, VISIT_ROW_NCOLS) & 7;
}

int visit_read_row(struct ledger *l, sqlite3_stmt *st, struct visit *v)
{
	int want = parts_wanted(st);

	visit_from_row(st, v);
	return want ? load_some_parts(l, v, want) : 0;
}

int visit_load(struct ledger *l, const char *account, int64_t as_of, struct visit **out,
	       size_t *n)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_visits_of);
	struct visit *v = NULL;
	unsigned char *want = NULL; /* parts to load, once the statement is done */
	size_t len = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, account, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, as_of);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4;
			v = xrealloc(v, cap * sizeof *v);
			want = xrealloc(want, cap);
		}
		want[len] = (unsigned char)parts_wanted(st);
		visit_from_row(st, &v[len++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(v);
		free(want);
		return ledger_db_fail(l, "read visits");
	}
	for (size_t i = 0; i < len; i++)
		if (want[i] && load_some_parts(l, &v[i], want[i])) {
			free(v);
			free(want);
			return -1;
		}
	free(want);
	*out = v;
	*n = len;
	return 0;
}

void visit_set_free(struct visit_set *s)
{
	free(s->v);
	free(s->hz);
	free(s->in);
	memset(s, 0, sizeof *s);
}

/* The parts of lean visit i (want: bits 1 hazards, 2 installs), read through one struct
 * visit and appended to the set's pools; off[2i], off[2i+1] their first index. */
static int lean_parts(struct ledger *l, struct visit_set *s, size_t i, int want,
		      struct visit *tmp, size_t *nhz, size_t *nin, size_t *off)
{
	struct visit_lean *w = &s->v[i];

	tmp->id = w->id;
	tmp->nhazards = tmp->ninstalls = 0;
	if (load_some_parts(l, tmp, want & 3))
		return -1;
	s->hz = xrealloc(s->hz, (*nhz + (size_t)tmp->nhazards + 1) * sizeof *s->hz);
	s->in = xrealloc(s->in, (*nin + (size_t)tmp->ninstalls + 1) * sizeof *s->in);
	off[2 * i] = *nhz;
	off[2 * i + 1] = *nin;
	memcpy(s->hz + *nhz, tmp->hazards, (size_t)tmp->nhazards * sizeof *s->hz);
	memcpy(s->in + *nin, tmp->installs, (size_t)tmp->ninstalls * sizeof *s->in);
	*nhz += (size_t)tmp->nhazards;
	*nin += (size_t)tmp->ninstalls;
	w->nhazards = tmp->nhazards;
	w->ninstalls = tmp->ninstalls;
	return 0;
}

int visit_load_lean(struct ledger *l, const char *account, int64_t as_of, struct visit_set *out)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_visits_of);
	struct visit *tmp = xmalloc(sizeof *tmp); /* one row at a time */
	unsigned char *want = NULL;
	size_t cap = 0, nhz = 0, nin = 0, n = 0, *off = NULL;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (!st) {
		free(tmp);
		return -1;
	}
	sqlite3_bind_text(st, 1, account, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, as_of);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			out->v = xrealloc(out->v, cap * sizeof *out->v);
			want = xrealloc(want, cap);
		}
		want[n] = (unsigned char)parts_wanted(st);
		visit_from_row(st, tmp);
		tmp->nhazards = tmp->ninstalls = 0;
		visit_lean_from(&out->v[n++], tmp);
	}
	out->n = n;
	sqlite3_reset(st);
	rc = rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "read visits");
	off = out->n ? xcalloc(2 * out->n, sizeof *off) : NULL;
	for (size_t i = 0; want && i < n && rc == 0; i++)
		if (want[i] & 3)
			rc = lean_parts(l, out, i, want[i], tmp, &nhz, &nin, off);
	/* the pools are complete: point each visit at its parts */
	for (size_t i = 0; i < out->n && rc == 0; i++) {
		out->v[i].hazards = out->v[i].nhazards ? out->hz + off[2 * i] : NULL;
		out->v[i].installs = out->v[i].ninstalls ? out->in + off[2 * i + 1] : NULL;
	}
	free(off);
	free(want);
	free(tmp);
	if (rc)
		visit_set_free(out);
	return rc;
}

int visit_get(struct ledger *l, const struct visit_id *id, struct visit *v)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_visit_one);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id->device, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, id->seq);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		visit_from_row(st, v);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return gw_fail(GW_ERR_NOTFOUND, "visit %s/%lld: not found", id->device,
			       (long long)id->seq);
	if (rc != SQLITE_ROW)
		return ledger_db_fail(l, "read visit");
	return load_parts(l, v);
}

int visit_insert_new(struct ledger *l, const struct visit *v)
{
	sqlite3_stmt *st = bind_row(l, sql_insert_visit_new, v);
	int rc, ext, stored;

	if (!st)
		return -1;
	rc = sqlite3_step(st);
	ext = sqlite3_extended_errcode(ledger_sqlite(l));
	stored = sqlite3_changes(ledger_sqlite(l)) == 0;
	sqlite3_reset(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT && ext == SQLITE_CONSTRAINT_FOREIGNKEY)
		return gw_fail(GW_ERR_REJECTED, "visit %s/%lld: household %s is unknown here",
			       v->id.device, (long long)v->id.seq, v->account);
	if (rc != SQLITE_DONE)
		return ledger_db_fail(l, v->account);
	if (stored)
		return 1;
	return insert_rest(l, v);
}

/* Inserts the visit and its hazards, installs and photos (no status refresh). */
int visit_insert_raw(struct ledger *l, const struct visit *v)
{
	if (insert_row(l, v) || insert_rest(l, v))
		return -1;
	return 0;
}

/* ---- one device's visits after a sequence number, parts and all, in one pass ---- */

static const char sql_stream_visits[] =
	"SELECT " VISIT_ROW_COLUMNS " FROM visit v WHERE v.device = ?1 AND v.seq > ?2 ORDER BY v.seq";
static const char sql_stream_hazards[] =
	"SELECT seq, code, grade FROM visit_hazard WHERE device = ?1 AND seq > ?2 ORDER BY seq, code";
static const char sql_stream_installs[] =
	"SELECT seq, item, product, serial, price_fen FROM visit_install "
	"WHERE device = ?1 AND seq > ?2 ORDER BY seq, n";
static const char sql_stream_photos[] =
	"SELECT seq, name, size, hash FROM photo WHERE device = ?1 AND seq > ?2 ORDER BY seq, name";

/* Four cursors walk side by side in sequence order (a merge join), so reading a visit
 * costs no lookup: each part cursor holds its next row (rc SQLITE_ROW) until the
 * visit it belongs to comes. */
struct visit_stream {
	struct ledger *l;
	sqlite3_stmt *st[4]; /* visits, hazards, installs, photos */
	int rc[4];
};

static void stream_hazard(sqlite3_stmt *st, struct visit *v)
{
	struct hazard *hz = &v->hazards[v->nhazards++];

	gw_strlcpy(hz->code, ledger_text(st, 1), sizeof hz->code);
	hz->grade = sqlite3_column_int(st, 2);
}

static void stream_install(sqlite3_stmt *st, struct visit *v)
{
	struct install *in = &v->installs[v->ninstalls++];

	in->item = (enum item)item_parse(ledger_text(st, 1));
	gw_strlcpy(in->product, ledger_text(st, 2), sizeof in->product);
	gw_strlcpy(in->serial, ledger_text(st, 3), sizeof in->serial);
	in->price_fen = sqlite3_column_int64(st, 4);
}

static void stream_photo(sqlite3_stmt *st, struct visit *v)
{
	struct photo *ph = &v->photos[v->nphotos++];

	gw_strlcpy(ph->name, ledger_text(st, 1), sizeof ph->name);
	ph->size = sqlite3_column_int64(st, 2);
	gw_strlcpy(ph->hash, ledger_text(st, 3), sizeof ph->hash);
}

/* Takes the rows of part cursor i that belong to v (and skips any of an earlier seq). */
static int stream_parts(struct visit_stream *s, int i, struct visit *v)
{
	static const int max[4] = {0, VISIT_MAX_HAZARDS, VISIT_MAX_INSTALLS, VISIT_MAX_PHOTOS};
	sqlite3_stmt *st = s->st[i];

	while (s->rc[i] == SQLITE_ROW && sqlite3_column_int64(st, 0) <= v->id.seq) {
		int *n = i == 1 ? &v->nhazards : i == 2 ? &v->ninstalls : &v->nphotos;
		if (sqlite3_column_int64(st, 0) == v->id.seq && *n < max[i]) {
			if (i == 1)
				stream_hazard(st, v);
			else if (i == 2)
				stream_install(st, v);
			else
				stream_photo(st, v);
		}
		s->rc[i] = sqlite3_step(st);
	}
	return s->rc[i] == SQLITE_ROW || s->rc[i] == SQLITE_DONE ? 0 : ledger_db_fail(s->l, "read visits");
}

struct visit_stream *visit_stream_open(struct ledger *l, const char *device, int64_t after_seq)
{
	static const char *const sql[4] = {sql_stream_visits, sql_stream_hazards,
					   sql_stream_installs, sql_stream_photos};
	struct visit_stream *s = xcalloc(1, sizeof *s);

	s->l = l;
	for (int i = 0; i < 4; i++) {
		if (!(s->st[i] = ledger_stmt(l, sql[i]))) {
			visit_stream_close(s);
			return NULL;
		}
		sqlite3_bind_text(s->st[i], 1, device, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(s->st[i], 2, after_seq);
		s->rc[i] = i ? sqlite3_step(s->st[i]) : SQLITE_ROW;
	}
	return s;
}

int visit_stream_next(struct visit_stream *s, struct visit *v)
{
	int rc = sqlite3_step(s->st[0]);

	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return ledger_db_fail(s->l, "read visits");
	visit_from_row(s->st[0], v);
	for (int i = 1; i < 4; i++)
		if (stream_parts(s, i, v))
			return -1;
	return 1;
}

void visit_stream_close(struct visit_stream *s)
{
	if (!s)
		return;
	for (int i = 0; i < 4; i++)
		if (s->st[i])
			sqlite3_reset(s->st[i]);
	free(s);
}
