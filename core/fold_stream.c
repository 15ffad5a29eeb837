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

struct stream {
	struct ledger *l;
	struct cursor c[3]; /* visits, hazards, installs */
	struct visit *v;
	size_t n, cap;
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

/* Only the fields rules_fold reads are filled: a struct visit is large. */
static void visit_from(sqlite3_stmt *st, struct visit *v)
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
	v->nhazards = v->ninstalls = v->nphotos = 0;
	v->note[0] = '\0';
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

static struct visit *find(struct stream *s, sqlite3_stmt *st)
{
	const char *device = ledger_text(st, 1);
	int64_t seq = sqlite3_column_int64(st, 2);

	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].id.seq == seq && !strcmp(s->v[i].id.device, device))
			return &s->v[i];
	return NULL;
}

static void attach_hazard(struct visit *v, sqlite3_stmt *st)
{
	if (v->nhazards == VISIT_MAX_HAZARDS)
		return;
	gw_strlcpy(v->hazards[v->nhazards].code, ledger_text(st, 3), sizeof v->hazards[0].code);
	v->hazards[v->nhazards++].grade = sqlite3_column_int(st, 4);
}

static void attach_install(struct visit *v, sqlite3_stmt *st)
{
	if (v->ninstalls == VISIT_MAX_INSTALLS)
		return;
	memset(&v->installs[v->ninstalls], 0, sizeof v->installs[0]);
	v->installs[v->ninstalls++].item = (enum item)parse0(item_parse, st, 3);
}

/* Moves cursor k past the rows of accounts before the current one, attaching
 * the rows of the current account. */
static void attach_parts(struct stream *s, int k)
{
	struct cursor *c = &s->c[k];
	int cmp;

	while (c->row && (cmp = strcmp(ledger_text(c->st, 0), s->h.account)) <= 0) {
		struct visit *v = cmp == 0 ? find(s, c->st) : NULL;
		if (v && k == 1)
			attach_hazard(v, c->st);
		else if (v)
			attach_install(v, c->st);
		advance(s, c);
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
			attach_parts(&s, 1);
			attach_parts(&s, 2);
			if (s.failed)
				break;
			rules_fold(&s.h, s.v, s.n, &st);
			stop = fn(ctx, &s.h, &st);
		}
	}
	reset_all(&s);
	free(s.v);
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
