/* The progress reports: the weekly bulletin (周通报) and the monthly ranking (月排名). */
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/settings.h"
#include "core/util.h"
#include "report/report.h"

static const char sql_installs_between[] =
	"SELECT h.subdistrict, h.category, count(*) FROM visit v "
	"JOIN visit_install x ON x.device = v.device AND x.seq = v.seq "
	"JOIN household h ON h.account = v.account "
	"WHERE v.at_epoch > ?1 AND v.at_epoch <= ?2 AND NOT " VISIT_VOIDED("v") " GROUP BY 1, 2";

static void add_count(struct rcount *sum, const struct rcount *a)
{
	for (int s = 0; s < RS__N; s++)
		sum->n[s] += a->n[s];
	sum->entered += a->entered;
	sum->total += a->total;
}

/* ---- ranking ---- */

struct rank_row {
	int sub;
	struct rcount cat[CAT__N];
	struct rcount all;
	const struct rcount *ranked; /* cat[k] or all: the population ranked on */
};

struct rank_ctx {
	int category;       /* RCAT_ALL or an enum category */
	int dl[CAT__N], have[CAT__N];
	int64_t flag_num, flag_den; /* vacant-share flag threshold, in points */
};

/* Higher completion rate first, compared exactly; a subdistrict with none of the
 * ranked category last. */
static int cmp_rate(const struct rank_row *a, const struct rank_row *b)
{
	const struct rcount *p = a->ranked, *q = b->ranked;
	int64_t x, y;

	if (!p->total || !q->total)
		return (p->total == 0) - (q->total == 0);
	x = p->n[ST_COMPLIANT] * q->total;
	y = q->n[ST_COMPLIANT] * p->total;
	return (x < y) - (x > y);
}

static const struct rctx *sort_ctx;

static int cmp_rank(const void *pa, const void *pb)
{
	const struct rank_row *a = pa, *b = pb;
	int c = cmp_rate(a, b);

	return c ? c : strcmp(sort_ctx->subs[a->sub].code, sort_ctx->subs[b->sub].code);
}

static const struct rcount *ranked_of(const struct rank_row *r, int category)
{
	return category == RCAT_ALL ? &r->all : &r->cat[category];
}

static int gather_rows(struct rctx *c, const struct rcount *counts, struct rank_row *rows,
		       int category)
{
	int n = 0;

	for (int s = 0; s < c->nsubs; s++) {
		struct rank_row *r = &rows[n];
		memset(r, 0, sizeof *r);
		r->sub = s;
		for (int k = 0; k < CAT__N; k++) {
			r->cat[k] = counts[s * CAT__N + k];
			add_count(&r->all, &r->cat[k]);
		}
		r->ranked = ranked_of(r, category);
		if (r->all.total > 0)
			n++;
	}
	sort_ctx = c;
	qsort(rows, (size_t)n, sizeof *rows, cmp_rank);
	for (int i = 0; i < n; i++) /* qsort moved the rows */
		rows[i].ranked = ranked_of(&rows[i], category);
	return n;
}

/* The category whose deadline is the next on or after the as-of day; after every
 * deadline, the one whose deadline is latest; all when no deadline is set. */
static int default_category(const struct rank_ctx *k, int today)
{
	int best = RCAT_ALL, latest = RCAT_ALL;

	for (int cat = 0; cat < CAT__N; cat++) {
		if (!k->have[cat])
			continue;
		if (k->dl[cat] >= today && (best == RCAT_ALL || k->dl[cat] < k->dl[best]))
			best = cat;
		if (latest == RCAT_ALL || k->dl[cat] > k->dl[latest])
			latest = cat;
	}
	return best != RCAT_ALL ? best : latest;
}

static void rank_setup(struct rctx *c, struct rank_ctx *k)
{
	for (int cat = 0; cat < CAT__N; cat++)
		k->have[cat] = rctx_setting_day(c, rules_deadline_key((enum category)cat), &k->dl[cat]);
	k->category = c->category == RCAT_DEFAULT ? default_category(k, c->as_of_day) : c->category;
	k->flag_num = settings_get_int(c->l, "vacant_flag_points"); /* 0..100, default 5 */
	k->flag_den = 1;
}

static void days_left_cell(struct rtable *t, int have, int deadline, int today)
{
	if (have)
		rtable_int(t, deadline - today);
	else
		rtable_null(t);
}

static void rank_columns(struct rtable *t)
{
	static const struct rcol cols[] = {
		{N_("rank"), RT_INT},
		{N_("subdistrict"), RT_TEXT},
		{N_("households"), RT_INT},
		{N_("entered"), RT_INT},
		{N_("compliant"), RT_INT},
		{N_("vacant"), RT_INT},
		{N_("completion rate"), RT_PERCENT},
		{N_("vacant share"), RT_PERCENT},
		{N_("flag"), RT_TEXT},
		{N_("residential rate"), RT_PERCENT},
		{N_("non-residential rate"), RT_PERCENT},
		{N_("all households rate"), RT_PERCENT},
		{N_("days left, residential"), RT_INT},
		{N_("days left, non-residential"), RT_INT},
	};

	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
}

/* 1 when the vacant share of p is more than the threshold above that of the district:
 * vp/np - vd/nd > num/(100 den), in integers (households < 2^22 and den <= 100 keep
 * every product below 2^63). */
static int vacant_high(const struct rcount *p, const struct rcount *d, const struct rank_ctx *k)
{
	int64_t lhs, rhs;

	if (!p->total || !d->total)
		return 0;
	lhs = 100 * k->flag_den * (p->n[RS_VACANT] * d->total - d->n[RS_VACANT] * p->total);
	rhs = k->flag_num * p->total * d->total;
	return lhs > rhs;
}

static void rank_cells(struct rtable *t, const struct rank_row *r, const struct rank_row *district,
		       const struct rank_ctx *k, int today)
{
	const struct rcount *p = r->ranked;

	rtable_int(t, p->total);
	rtable_int(t, p->entered);
	rtable_int(t, p->n[ST_COMPLIANT]);
	rtable_int(t, p->n[RS_VACANT]);
	rtable_rate(t, p->n[ST_COMPLIANT], p->total);
	rtable_rate(t, p->n[RS_VACANT], p->total);
	rtable_text(t, district && vacant_high(p, district->ranked, k) ? _("vacant share high") : "");
	rtable_rate(t, r->cat[CAT_RESIDENTIAL].n[ST_COMPLIANT], r->cat[CAT_RESIDENTIAL].total);
	rtable_rate(t, r->cat[CAT_NON_RESIDENTIAL].n[ST_COMPLIANT],
		    r->cat[CAT_NON_RESIDENTIAL].total);
	rtable_rate(t, r->all.n[ST_COMPLIANT], r->all.total);
	days_left_cell(t, k->have[CAT_RESIDENTIAL], k->dl[CAT_RESIDENTIAL], today);
	days_left_cell(t, k->have[CAT_NON_RESIDENTIAL], k->dl[CAT_NON_RESIDENTIAL], today);
}

static void rank_total(struct rank_row *total, const struct rank_row *rows, int n, int category)
{
	memset(total, 0, sizeof *total);
	for (int i = 0; i < n; i++) {
		for (int k = 0; k < CAT__N; k++)
			add_count(&total->cat[k], &rows[i].cat[k]);
		add_count(&total->all, &rows[i].all);
	}
	total->ranked = ranked_of(total, category);
}

static void rank_table(struct rctx *c, struct rtable *t, struct rank_row *rows, int n,
		       const struct rank_ctx *k)
{
	struct rank_row total;
	int rank = 0;

	rank_total(&total, rows, n, k->category);
	rank_columns(t);
	for (int i = 0; i < n; i++) {
		int ranked = rows[i].ranked->total > 0;
		if (ranked && (i == 0 || cmp_rate(&rows[i - 1], &rows[i]) != 0))
			rank = i + 1; /* ties share a rank: 1, 2, 2, 4 */
		rtable_row(t);
		if (ranked) {
			rtable_int(t, rank);
		} else {
			rtable_row_flags(t, RROW_NOCHART); /* none of the category: no rank */
			rtable_null(t);
		}
		rtable_text(t, c->subs[rows[i].sub].name);
		rank_cells(t, &rows[i], &total, k, c->as_of_day);
	}
	rtable_row(t);
	rtable_row_flags(t, RROW_NOCHART | RROW_TOTAL);
	rtable_null(t);
	rtable_text(t, _("district total"));
	rank_cells(t, &total, NULL, k, c->as_of_day);
}

static void rank_note(struct rtable *t, const struct rank_ctx *k)
{
	char note[600], day[16], pts[48];
	const char *who;

	if (k->flag_den == 1)
		snprintf(pts, sizeof pts, "%lld", (long long)k->flag_num);
	else
		snprintf(pts, sizeof pts, "%lld/%lld", (long long)k->flag_num,
			 (long long)k->flag_den);
	if (k->category == RCAT_ALL) {
		snprintf(note, sizeof note,
			 _("ranked on all households; completion rate = compliant / households, "
			   "vacant homes included; flag: a vacant share more than %s points above "
			   "the district's"), pts);
		rtable_note(t, note);
		return;
	}
	who = k->category == CAT_RESIDENTIAL ? _("residential users") : _("non-residential users");
	rday_format(k->dl[k->category], day, sizeof day);
	snprintf(note, sizeof note,
		 _("ranked on %s (deadline %s); completion rate = compliant / households of that "
		   "category, vacant homes included; flag: a vacant share more than %s points "
		   "above the district's; days left are to the installation deadlines (negative: "
		   "overdue)"), who, k->have[k->category] ? day : "-", pts);
	rtable_note(t, note);
}

struct report *report_ranking(struct rctx *c)
{
	struct rcount *counts = xcalloc((size_t)c->nsubs * CAT__N, sizeof *counts);
	struct rank_row *rows = xcalloc((size_t)c->nsubs + 1, sizeof *rows);
	struct report *r = NULL;
	struct rank_ctx k;
	struct rtable *t;
	char sub[160];
	int n;

	rank_setup(c, &k);
	if (rstate_counts(c, c->as_of, counts) == 0 && rstate_entered(c, c->as_of, counts) == 0) {
		n = gather_rows(c, counts, rows, k.category);
		rsubtitle(c, sub, sizeof sub);
		r = report_new(_("Monthly ranking of subdistricts"), sub);
		t = report_add_table(r, _("Completion rate by subdistrict"));
		rank_note(t, &k);
		rank_table(c, t, rows, n, &k);
		t->chart = (struct rchart){RCHART_BAR, 1, {6}, 1, xstrdup(_("Completion rate"))};
	}
	free(rows);
	free(counts);
	return r;
}

/* ---- weekly ---- */

struct week {
	struct rcount *now, *before;
	int64_t *installs;
};

static int read_installs(struct rctx *c, int64_t from, int64_t to, int64_t *out)
{
	sqlite3_stmt *st = ledger_stmt(c->l, sql_installs_between);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		out[rctx_sub(c, ledger_text(st, 0)) * CAT__N + (category_parse(ledger_text(st, 1)) > 0)] +=
			sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(c->l, "count installs");
}

static void week_columns(struct rtable *t)
{
	static const struct rcol cols[] = {
		{N_("subdistrict"), RT_TEXT},
		{N_("category"), RT_TEXT},
		{N_("households"), RT_INT},
		{N_("visited"), RT_INT},
		{N_("entered"), RT_INT},
		{N_("compliant"), RT_INT},
		{N_("pending"), RT_INT},
		{N_("hazard open"), RT_INT},
		{N_("refused"), RT_INT},
		{N_("vacant"), RT_INT},
		{N_("never reached"), RT_INT},
		{N_("installs this week"), RT_INT},
		{N_("visited, change"), RT_INT},
		{N_("compliant, change"), RT_INT},
		{N_("completion rate"), RT_PERCENT},
	};

	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
}

static void week_row(struct rtable *t, const char *sub, const char *cat, const struct rcount *now,
		     const struct rcount *before, int64_t installs)
{
	int64_t visited = now->total - now->n[ST_NEVER_REACHED];
	int64_t visited_before = before->total - before->n[ST_NEVER_REACHED];

	rtable_row(t);
	rtable_text(t, sub);
	rtable_text(t, cat);
	rtable_int(t, now->total);
	rtable_int(t, visited);
	rtable_int(t, now->entered);
	rtable_int(t, now->n[ST_COMPLIANT]);
	rtable_int(t, now->n[ST_PENDING]);
	rtable_int(t, now->n[ST_HAZARD_OPEN]);
	rtable_int(t, now->n[ST_REFUSED]);
	rtable_int(t, now->n[RS_VACANT]);
	rtable_int(t, now->n[ST_NEVER_REACHED]);
	rtable_int(t, installs);
	rtable_int(t, visited - visited_before);
	rtable_int(t, now->n[ST_COMPLIANT] - before->n[ST_COMPLIANT]);
	rtable_rate(t, now->n[ST_COMPLIANT], now->total);
}

/* One subdistrict: a row per category, then the subdistrict's all-category row. */
static void week_sub(struct rtable *t, const char *name, const struct week *w, int s,
		     struct rcount sum[2], int64_t *inst_sum)
{
	struct rcount all[2];
	int64_t inst = 0;

	memset(all, 0, sizeof all);
	for (int k = 0; k < CAT__N; k++) {
		int i = s * CAT__N + k;
		if (w->now[i].total == 0)
			continue;
		week_row(t, name, rlabel_category((enum category)k), &w->now[i], &w->before[i],
			 w->installs[i]);
		rtable_row_flags(t, RROW_NOCHART);
		add_count(&all[0], &w->now[i]);
		add_count(&all[1], &w->before[i]);
		inst += w->installs[i];
	}
	week_row(t, name, _("all"), &all[0], &all[1], inst);
	add_count(&sum[0], &all[0]);
	add_count(&sum[1], &all[1]);
	*inst_sum += inst;
}

static void week_table(struct rctx *c, struct rtable *t, const struct week *w)
{
	struct rcount sum[2];
	int64_t inst = 0;

	memset(sum, 0, sizeof sum);
	week_columns(t);
	for (int s = 0; s < c->nsubs; s++)
		if (w->now[(size_t)s * CAT__N].total + w->now[(size_t)s * CAT__N + 1].total > 0)
			week_sub(t, c->subs[s].name, w, s, sum, &inst);
	week_row(t, _("district total"), _("all"), &sum[0], &sum[1], inst);
	rtable_row_flags(t, RROW_NOCHART | RROW_TOTAL);
	t->chart = (struct rchart){RCHART_STACK, 0, {5, 6, 7, 8, 9, 10}, 6,
				   xstrdup(_("Households by state"))};
}

static struct report *week_report(struct rctx *c, const struct week *w, int start_day)
{
	char sub[200], from[16], to[16], note[300];
	struct report *r;
	struct rtable *t;

	rsubtitle(c, sub, sizeof sub);
	r = report_new(_("Weekly bulletin"), sub);
	rday_format(start_day, from, sizeof from);
	rday_format(c->as_of_day, to, sizeof to);
	t = report_add_table(r, _("Progress by subdistrict"));
	snprintf(note, sizeof note,
		 _("week: %s to %s; changes are against the state at the end of the previous week"),
		 from, to);
	rtable_note(t, note);
	week_table(c, t, w);
	return r;
}

struct report *report_weekly(struct rctx *c)
{
	size_t n = (size_t)c->nsubs * CAT__N;
	struct week w = {xcalloc(n, sizeof *w.now), xcalloc(n, sizeof *w.before),
			 xcalloc(n, sizeof *w.installs)};
	struct report *r = NULL;
	char day[16];
	int64_t before;

	rday_format(c->as_of_day - 7, day, sizeof day);
	if (time_parse_day_end(day, &before) == 0 && rstate_counts(c, c->as_of, w.now) == 0 &&
	    rstate_entered(c, c->as_of, w.now) == 0 &&
	    rstate_counts(c, before, w.before) == 0 &&
	    read_installs(c, before, c->as_of, w.installs) == 0)
		r = week_report(c, &w, c->as_of_day - 6);
	if (r && report_weekly_communities(c, r, before)) { /* P: table 2, by community */
		report_free(r);
		r = NULL;
	}
	free(w.now);
	free(w.before);
	free(w.installs);
	return r;
}
