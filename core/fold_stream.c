/* One pass over the visits, ordered by household, folding each household's visits
 * with rules_fold. Three statements are stepped side by side (visits, their hazards,
 * their installs), all ordered by account, and merged like sorted files. */
#include "fold_stream.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define FS_ALL " WHERE v.at_epoch <= ?1 AND NOT " VISIT_VOIDED("v") " ORDER BY v.account"
#define FS_CHANGED                                                                       \
	" WHERE v.account IN (SELECT account FROM visit WHERE at_epoch > ?1)"             \
	" AND v.at_epoch <= ?1 AND NOT " VISIT_VOIDED("v") " ORDER BY v.account"
#define FS_VISITS                                                                        \
	"SELECT v.account, v.device, v.seq, v.role, v.at_epoch, v.outcome, v.hose, v.valve, " \
	"v.alarm, v.shutoff, v.supply, COALESCE(v.base_device, ''), COALESCE(v.base_seq, 0), " \
	"h.category, h.gas, h.new_build, COALESCE(h.sector, ''), h.subdistrict, "         \
	"v.entry_mode "                                                                   \
	"FROM visit v JOIN household h ON h.account = v.account"
#define FS_HAZARDS                                                                       \
	"SELECT v.account, v.device, v.seq, x.code, x.grade FROM visit v "                \
	"JOIN visit_hazard x ON x.device = v.device AND x.seq = v.seq"
#define FS_INSTALLS                                                                      \
	"SELECT v.account, v.device, v.seq, x.item FROM visit v "                         \
	"JOIN visit_install x ON x.device = v.device AND x.seq = v.seq"

static const char *const sql_all[3] = {FS_VISITS FS_ALL, FS_HAZARDS FS_ALL, FS_INSTALLS FS_ALL};
static const char *const sql_changed[3] = {FS_VISITS FS_CHANGED, FS_HAZARDS FS_CHANGED,
					   FS_INSTALLS FS_CHANGED};
static const char sql_newest[] = "SELECT COALESCE(MAX(at_epoch), 0) FROM visit";

struct cursor {
	sqlite3_stmt *st;
	int row; /* 1 while positioned on a row */
};

/* A part row of the current household, before the parts are grouped by visit. */
struct part {
	size_t vi; /* index in v[] */
	struct hazard hz;
	enum item item;
};

struct stream {
	struct ledger *l;
	struct cursor c[3]; /* visits, hazards, installs */
	struct visit_lean *v; /* the current household's visits (lean: about 200 bytes each) */
	size_t n, cap;
	size_t *by_id; /* indexes into v, in (device, seq) order, to attach parts */
	struct part *p[2]; /* hazard and install rows of the household */
	size_t np[2], pcap[2];
	struct hazard *hz; /* the parts grouped by visit, where v[].hazards/installs point */
	struct install *in;
	size_t hzcap, incap;
	struct household h;
	int failed;
};

static int parse0(int (*parse)(const char *), sqlite3_stmt *st, int i)
{
	int v = parse(ledger_text(st, i));

	return v < 0 ? 0 : v;
}

static void advance(struct stream *s, struct cursor *c)
{
	int rc = sqlite3_step(c->st);

	c->row = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		s->failed = ledger_db_fail(s->l, "read visits");
}

/* Only the fields rules_fold reads are filled. */
static void visit_from(sqlite3_stmt *st, struct visit_lean *v)
{
	gw_strlcpy(v->account, ledger_text(st, 0), sizeof v->account);
	gw_strlcpy(v->id.device, ledger_text(st, 1), sizeof v->id.device);
	v->id.seq = sqlite3_column_int64(st, 2);
	v->role = (enum role)parse0(role_parse, st, 3);
	v->at = sqlite3_column_int64(st, 4);
	v->outcome = (enum outcome)parse0(outcome_parse, st, 5);
	v->hose = (enum hose)parse0(hose_parse, st, 6);
	v->valve = (enum devstate)parse0(devstate_parse, st, 7);
	v->alarm = (enum devstate)parse0(devstate_parse, st, 8);
	v->shutoff = (enum devstate)parse0(devstate_parse, st, 9);
	v->supply = (enum supply)parse0(supply_parse, st, 10);
	gw_strlcpy(v->base.device, ledger_text(st, 11), sizeof v->base.device);
	v->base.seq = sqlite3_column_int64(st, 12);
	v->entry_mode = strcmp(ledger_text(st, 18), "quick") == 0 ? ENTRY_QUICK : ENTRY_FORM;
	v->voided = 0; /* the statement leaves voided visits out */
	v->nhazards = v->ninstalls = 0;
	v->hazards = NULL;
	v->installs = NULL;
	v->supply_hazard[0] = '\0';
	v->account[0] = '\0';
}

static void household_from(sqlite3_stmt *st, struct household *h)
{
	memset(h, 0, sizeof *h);
	gw_strlcpy(h->account, ledger_text(st, 0), sizeof h->account);
	h->category = (enum category)(category_parse(ledger_text(st, 13)) > 0);
	h->gas = (enum gas)(gas_parse(ledger_text(st, 14)) > 0);
	h->new_build = sqlite3_column_int(st, 15);
	gw_strlcpy(h->sector, ledger_text(st, 16), sizeof h->sector);
	gw_strlcpy(h->subdistrict, ledger_text(st, 17), sizeof h->subdistrict);
}

/* Reads all visit rows of the current account into s->v. */
static void read_visits(struct stream *s)
{
	struct cursor *c = &s->c[0];

	household_from(c->st, &s->h);
	s->n = 0;
	while (c->row && !strcmp(ledger_text(c->st, 0), s->h.account)) {
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 16;
			s->v = xrealloc(s->v, s->cap * sizeof *s->v);
		}
		visit_from(c->st, &s->v[s->n++]);
		advance(s, c);
	}
}

static const struct stream *sorting; /* qsort has no context argument */

static int id_cmp(const struct visit_id *a, const char *device, int64_t seq)
{
	int c = strcmp(a->device, device);

	return c ? c : (a->seq > seq) - (a->seq < seq);
}

static int by_id_cmp(const void *x, const void *y)
{
	const struct visit_id *b = &sorting->v[*(const size_t *)y].id;

	return id_cmp(&sorting->v[*(const size_t *)x].id, b->device, b->seq);
}

/* v[] indexed by (device, seq), so each part row finds its visit in O(log n). */
static void index_visits(struct stream *s)
{
	s->by_id = xrealloc(s->by_id, (s->n ? s->n : 1) * sizeof *s->by_id);
	for (size_t i = 0; i < s->n; i++)
		s->by_id[i] = i;
	sorting = s;
	qsort(s->by_id, s->n, sizeof *s->by_id, by_id_cmp);
}

/* The index of the visit a part row belongs to, or (size_t)-1. */
static size_t find(const struct stream *s, sqlite3_stmt *st)
{
	const char *device = ledger_text(st, 1);
	int64_t seq = sqlite3_column_int64(st, 2);
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = id_cmp(&s->v[s->by_id[mid]].id, device, seq);
		if (c == 0)
			return s->by_id[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (size_t)-1;
}

static void keep_part(struct stream *s, int k, size_t vi, sqlite3_stmt *st)
{
	struct part *p;

	if (s->np[k] == s->pcap[k]) {
		s->pcap[k] = s->pcap[k] ? s->pcap[k] * 2 : 64;
		s->p[k] = xrealloc(s->p[k], s->pcap[k] * sizeof *s->p[k]);
	}
	p = &s->p[k][s->np[k]++];
	memset(p, 0, sizeof *p);
	p->vi = vi;
	if (k == 0) {
		gw_strlcpy(p->hz.code, ledger_text(st, 3), sizeof p->hz.code);
		p->hz.grade = sqlite3_column_int(st, 4);
	} else {
		p->item = (enum item)parse0(item_parse, st, 3);
	}
}

/* Moves cursor k (1 hazards, 2 installs) past the rows of accounts before the current
 * one, keeping the rows of the current account. */
static void attach_parts(struct stream *s, int k)
{
	struct cursor *c = &s->c[k];
	int cmp;

	s->np[k - 1] = 0;
	while (c->row && (cmp = strcmp(ledger_text(c->st, 0), s->h.account)) <= 0) {
		size_t vi = cmp == 0 ? find(s, c->st) : (size_t)-1;
		if (vi != (size_t)-1)
			keep_part(s, k - 1, vi, c->st);
		advance(s, c);
	}
}

/* Groups the kept part rows by visit (a counting sort, in row order within a visit) and
 * points each visit at its own; at most VISIT_MAX_* of each a visit, as a visit holds. */
static void group_parts(struct stream *s)
{
	size_t need[2] = {s->np[0], s->np[1]}, at[2] = {0, 0};

	if (need[0] > s->hzcap)
		s->hz = xrealloc(s->hz, (s->hzcap = need[0]) * sizeof *s->hz);
	if (need[1] > s->incap)
		s->in = xrealloc(s->in, (s->incap = need[1]) * sizeof *s->in);
	for (size_t i = 0; i < s->n; i++)
		s->v[i].nhazards = s->v[i].ninstalls = 0;
	for (size_t j = 0; j < s->np[0]; j++)
		s->v[s->p[0][j].vi].nhazards++;
	for (size_t j = 0; j < s->np[1]; j++)
		s->v[s->p[1][j].vi].ninstalls++;
	for (size_t i = 0; i < s->n; i++) { /* each visit's first slot */
		struct visit_lean *v = &s->v[i];
		v->hazards = s->hz ? s->hz + at[0] : NULL; /* no pool yet: no parts at all */
		v->installs = s->in ? s->in + at[1] : NULL;
		at[0] += (size_t)v->nhazards;
		at[1] += (size_t)v->ninstalls;
		v->nhazards = v->ninstalls = 0;
	}
	for (size_t j = 0; j < s->np[0]; j++) {
		struct visit_lean *v = &s->v[s->p[0][j].vi];
		if (v->nhazards < VISIT_MAX_HAZARDS)
			((struct hazard *)v->hazards)[v->nhazards++] = s->p[0][j].hz;
	}
	for (size_t j = 0; j < s->np[1]; j++) {
		struct visit_lean *v = &s->v[s->p[1][j].vi];
		struct install *in = (struct install *)&v->installs[v->ninstalls];
		if (v->ninstalls == VISIT_MAX_INSTALLS)
			continue;
		memset(in, 0, sizeof *in);
		in->item = s->p[1][j].item;
		v->ninstalls++;
	}
}

static int bind_all(struct stream *s, const char *const *sql, int64_t as_of)
{
	for (int k = 0; k < 3; k++) {
		s->c[k].st = ledger_stmt(s->l, sql[k]);
		if (!s->c[k].st)
			return -1;
		sqlite3_bind_int64(s->c[k].st, 1, as_of);
		advance(s, &s->c[k]);
	}
	return s->failed;
}

static void reset_all(struct stream *s)
{
	for (int k = 0; k < 3; k++)
		if (s->c[k].st)
			sqlite3_reset(s->c[k].st);
}

int fold_stream(struct ledger *l, int64_t as_of, int changed_only, fold_stream_fn fn, void *ctx)
{
	struct stream s;
	struct status st;
	int stop = 0;

	memset(&s, 0, sizeof s);
	s.l = l;
	if (bind_all(&s, changed_only ? sql_changed : sql_all, as_of) == 0) {
		while (s.c[0].row && !s.failed && !stop) {
			read_visits(&s);
			index_visits(&s);
			attach_parts(&s, 1);
			attach_parts(&s, 2);
			if (s.failed)
				break;
			group_parts(&s);
			rules_fold_lean(&s.h, s.v, s.n, &st);
			stop = fn(ctx, &s.h, &st);
		}
	}
	reset_all(&s);
	free(s.v);
	free(s.by_id);
	free(s.p[0]);
	free(s.p[1]);
	free(s.hz);
	free(s.in);
	return s.failed ? -1 : 0;
}

int fold_newest_visit(struct ledger *l, int64_t *at)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_newest);
	int rc;

	*at = 0;
	if (!st)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*at = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : ledger_db_fail(l, "read visits");
}
