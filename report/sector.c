/* Non-residential users by sector, with the bureau that supervises each sector and
 * the users each bureau must push to comply. */
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "report/report.h"

static const char sql_sectors[] =
	"SELECT code, name_zh, name_en, bureau_zh, bureau_en FROM sector ORDER BY bureau_en, code";

struct sector {
	char code[HH_SECTOR_MAX + 1];
	char name[128], bureau[256];
	int64_t users, compliant, vacant;
};

struct laggard {
	int sector;
	struct rhouse hh;
};

struct sectors {
	struct rctx *c;
	struct sector *s;
	int n;
	struct laggard *lag;
	size_t nlag, cap;
};

static void add_sector(struct sectors *x, const char *code, const char *name, const char *bureau)
{
	struct sector *s;

	x->s = xrealloc(x->s, (size_t)(x->n + 1) * sizeof *x->s);
	s = &x->s[x->n++];
	memset(s, 0, sizeof *s);
	gw_strlcpy(s->code, code, sizeof s->code);
	gw_strlcpy(s->name, name, sizeof s->name);
	gw_strlcpy(s->bureau, bureau, sizeof s->bureau);
}

static int load_sectors(struct sectors *x)
{
	sqlite3_stmt *st = ledger_stmt(x->c->l, sql_sectors);
	int zh = i18n_is_zh(), rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		add_sector(x, ledger_text(st, 0), ledger_text(st, zh ? 1 : 2), ledger_text(st, zh ? 3 : 4));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(x->c->l, "read sectors");
}

static int find_sector(struct sectors *x, const char *code)
{
	for (int i = 0; i < x->n; i++)
		if (!strcmp(x->s[i].code, code))
			return i;
	add_sector(x, code, code, _("(no bureau)"));
	return x->n - 1;
}

static int tally(void *ctx, const struct rhouse *hh)
{
	struct sectors *x = ctx;
	int i = find_sector(x, hh->h.sector);

	x->s[i].users++;
	x->s[i].vacant += hh->state == RS_VACANT;
	if (hh->state == ST_COMPLIANT) {
		x->s[i].compliant++;
		return 0;
	}
	if (x->nlag == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 64;
		x->lag = xrealloc(x->lag, x->cap * sizeof *x->lag);
	}
	x->lag[x->nlag].sector = i;
	x->lag[x->nlag++].hh = *hh;
	return 0;
}

static const struct sectors *sort_x;

/* By bureau, then sector, then account. */
static int cmp_laggard(const void *pa, const void *pb)
{
	const struct laggard *a = pa, *b = pb;
	const struct sector *sa = &sort_x->s[a->sector], *sb = &sort_x->s[b->sector];
	int c = strcmp(sa->bureau, sb->bureau);

	if (!c)
		c = strcmp(sa->code, sb->code);
	return c ? c : strcmp(a->hh.h.account, b->hh.h.account);
}

static void summary_table(struct report *r, const struct sectors *x)
{
	struct rtable *t = report_add_table(r, _("Non-residential users by sector"));
	int64_t users = 0, ok = 0, vacant = 0;

	static const struct rcol cols[] = {
		{N_("sector"), RT_TEXT},
		{N_("supervising bureau"), RT_TEXT},
		{N_("users"), RT_INT},
		{N_("compliant"), RT_INT},
		{N_("not compliant"), RT_INT},
		{N_("vacant"), RT_INT},
		{N_("completion rate"), RT_PERCENT},
	};

	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
	for (int i = 0; i < x->n; i++) {
		const struct sector *s = &x->s[i];
		if (!s->users)
			continue;
		rtable_row(t);
		rtable_text(t, s->name);
		rtable_text(t, s->bureau);
		rtable_int(t, s->users);
		rtable_int(t, s->compliant);
		rtable_int(t, s->users - s->compliant);
		rtable_int(t, s->vacant);
		rtable_rate(t, s->compliant, s->users);
		users += s->users;
		ok += s->compliant;
		vacant += s->vacant;
	}
	rtable_row(t);
	rtable_row_flags(t, RROW_TOTAL | RROW_NOCHART);
	rtable_text(t, _("all sectors"));
	rtable_text(t, "");
	rtable_int(t, users);
	rtable_int(t, ok);
	rtable_int(t, users - ok);
	rtable_int(t, vacant);
	rtable_rate(t, ok, users);
	t->chart = (struct rchart){RCHART_BAR, 0, {6}, 1, xstrdup(_("Completion rate by sector"))};
}

static void laggard_table(struct report *r, const struct sectors *x)
{
	struct rtable *t = report_add_table(r, _("Users each bureau must push"));
	char buf[512];

	static const struct rcol cols[] = {
		{N_("supervising bureau"), RT_TEXT},
		{N_("sector"), RT_TEXT},
		{N_("subdistrict"), RT_TEXT},
		{N_("account"), RT_ID},
		{N_("name"), RT_TEXT},
		{N_("phone"), RT_ID},
		{N_("address"), RT_TEXT},
		{N_("state"), RT_TEXT},
		{N_("missing"), RT_TEXT},
	};

	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
	for (size_t i = 0; i < x->nlag; i++) {
		const struct laggard *g = &x->lag[i];
		rtable_row(t);
		rtable_text(t, x->s[g->sector].bureau);
		rtable_text(t, x->s[g->sector].name);
		rtable_text(t, x->c->subs[g->hh.sub].name);
		rtable_text(t, g->hh.h.account);
		rtable_text(t, g->hh.h.name);
		rtable_id(t, g->hh.h.phone);
		rlabel_address(&g->hh.h, buf, sizeof buf);
		rtable_text(t, buf);
		rtable_text(t, rlabel_state(g->hh.state));
		rlabel_missing(g->hh.missing, buf, sizeof buf);
		rtable_text(t, buf);
	}
}

struct report *report_sector(struct rctx *c)
{
	struct sectors x = {c, NULL, 0, NULL, 0, 0};
	struct report *r = NULL;
	char sub[200];

	if (load_sectors(&x) == 0 && rstate_each(c, CAT_NON_RESIDENTIAL, tally, &x) == 0) {
		sort_x = &x;
		qsort(x.lag, x.nlag, sizeof *x.lag, cmp_laggard);
		rsubtitle(c, sub, sizeof sub);
		r = report_new(_("Non-residential users by sector"), sub);
		summary_table(r, &x);
		laggard_table(r, &x);
	}
	free(x.s);
	free(x.lag);
	return r;
}
