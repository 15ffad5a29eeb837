#include "rules.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

enum need rules_need(enum category c, enum gas g, int new_build, enum item it)
{
	(void)new_build; /* new builds need the same items, fitted at construction */
	if (c == CAT_NON_RESIDENTIAL) {
		if (it == ITEM_HOSE || it == ITEM_ALARM || it == ITEM_SHUTOFF)
			return NEED_REQUIRED;
		return NEED_NONE;
	}
	switch (it) {
	case ITEM_HOSE:
		return NEED_REQUIRED;
	case ITEM_VALVE:
		return g == GAS_PIPELINE ? NEED_REQUIRED : NEED_NONE;
	case ITEM_ALARM:
		return NEED_ENCOURAGED;
	default:
		return NEED_NONE;
	}
}

const char *rules_deadline_key(enum category c)
{
	return c == CAT_NON_RESIDENTIAL ? "nonresidential_deadline" : "residential_deadline";
}

int rules_item_met(enum item it, const struct status *st)
{
	switch (it) {
	case ITEM_HOSE:
		return st->hose == HOSE_METAL || st->hose == HOSE_NONE;
	case ITEM_VALVE:
		return st->valve == DEV_OK;
	case ITEM_ALARM:
		return st->alarm == DEV_OK;
	case ITEM_SHUTOFF:
		return st->shutoff == DEV_OK;
	default:
		return 0;
	}
}

int rules_hazard_fixed_by(const char *code, enum item it)
{
	static const struct {
		const char *code;
		enum item item;
	} fixes[] = {
		{"H06", ITEM_HOSE}, {"H07", ITEM_HOSE},    {"H08", ITEM_HOSE},
		{"H09", ITEM_HOSE}, {"H10", ITEM_HOSE},    {"H16", ITEM_ALARM},
		{"H16", ITEM_SHUTOFF}, {"H17", ITEM_SHUTOFF}, {"H18", ITEM_ALARM},
		{"H19", ITEM_VALVE},
	};

	for (size_t i = 0; i < sizeof fixes / sizeof fixes[0]; i++)
		if (fixes[i].item == it && strcmp(fixes[i].code, code) == 0)
			return 1;
	return 0;
}

static int order_cmp(int64_t at1, const struct visit_id *x, int64_t at2, const struct visit_id *y)
{
	int c;

	if (at1 != at2)
		return at1 < at2 ? -1 : 1;
	c = strcmp(x->device, y->device);
	if (c)
		return c;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static int visit_cmp(const void *a, const void *b)
{
	const struct visit *x = a, *y = b;

	return order_cmp(x->at, &x->id, y->at, &y->id);
}

static int lean_cmp(const void *a, const void *b)
{
	const struct visit_lean *x = a, *y = b;

	return order_cmp(x->at, &x->id, y->at, &y->id);
}

void rules_sort(struct visit *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof *v, visit_cmp);
}

void rules_sort_lean(struct visit_lean *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof *v, lean_cmp);
}

void visit_lean_from(struct visit_lean *o, const struct visit *v)
{
	o->id = v->id;
	o->base = v->base;
	memcpy(o->account, v->account, sizeof o->account);
	o->role = v->role;
	o->at = v->at;
	o->outcome = v->outcome;
	o->hose = v->hose;
	o->valve = v->valve;
	o->alarm = v->alarm;
	o->shutoff = v->shutoff;
	o->supply = v->supply;
	memcpy(o->supply_hazard, v->supply_hazard, sizeof o->supply_hazard);
	o->entry_mode = v->entry_mode;
	o->voided = v->voided;
	o->nhazards = v->nhazards;
	o->ninstalls = v->ninstalls;
	o->hazards = v->hazards;
	o->installs = v->installs;
}

static int same_id(const struct visit_id *a, const struct visit_id *b)
{
	return a->seq == b->seq && strcmp(a->device, b->device) == 0;
}

static long find_visit(const struct visit_lean *v, size_t n, const struct visit_id *id)
{
	for (size_t i = 0; i < n; i++)
		if (same_id(&v[i].id, id))
			return (long)i;
	return -1;
}

/* 1 when visit `later` was recorded knowing of visit `earlier` (through its base chain). */
static int knows(const struct visit_lean *v, size_t n, size_t later, size_t earlier)
{
	size_t steps = 0;
	long cur = (long)later;

	while (cur >= 0 && steps++ <= n) {
		if (v[cur].base.seq == 0)
			return 0;
		cur = find_visit(v, n, &v[cur].base);
		if (cur == (long)earlier)
			return 1;
		/* the base of a visit recorded on the same device includes its own past */
		if (cur < 0)
			return 0;
	}
	return 0;
}

struct fold {
	const struct visit_lean *v;
	size_t n;
	long installed_by[ITEM__N]; /* index of the visit that fitted the item, -1 none */
};

/* An observation replaces an installed item only if it knew of the install. */
static int may_observe(struct fold *f, size_t i, enum item it)
{
	long inst = f->installed_by[it];

	if (inst < 0 || !strcmp(f->v[inst].id.device, f->v[i].id.device))
		return 1;
	return knows(f->v, f->n, i, (size_t)inst);
}

static void observe_dev(struct fold *f, size_t i, enum item it, enum devstate obs,
			enum devstate *cur)
{
	if (obs == DEV_UNKNOWN || !may_observe(f, i, it))
		return;
	*cur = obs;
	f->installed_by[it] = -1;
}

static void apply_installs(struct fold *f, size_t i, struct status *st)
{
	const struct visit_lean *v = &f->v[i];

	for (int k = 0; k < v->ninstalls; k++) {
		enum item it = v->installs[k].item;
		if (it == ITEM_HOSE)
			st->hose = HOSE_METAL;
		else if (it == ITEM_VALVE)
			st->valve = DEV_OK;
		else if (it == ITEM_ALARM)
			st->alarm = DEV_OK;
		else if (it == ITEM_SHUTOFF)
			st->shutoff = DEV_OK;
		f->installed_by[it] = (long)i;
	}
}

static void apply_observations(struct fold *f, size_t i, struct status *st)
{
	const struct visit_lean *v = &f->v[i];

	if (v->hose != HOSE_UNKNOWN && may_observe(f, i, ITEM_HOSE)) {
		st->hose = v->hose;
		f->installed_by[ITEM_HOSE] = -1;
	}
	observe_dev(f, i, ITEM_VALVE, v->valve, &st->valve);
	observe_dev(f, i, ITEM_ALARM, v->alarm, &st->alarm);
	observe_dev(f, i, ITEM_SHUTOFF, v->shutoff, &st->shutoff);
}

static int fixed_by_visit(const struct visit_lean *v, const char *code)
{
	for (int k = 0; k < v->ninstalls; k++)
		if (rules_hazard_fixed_by(code, v->installs[k].item))
			return 1;
	return 0;
}

int rules_is_picture(const struct visit_lean *v)
{
	return v->outcome == OUT_ENTERED && v->entry_mode != ENTRY_QUICK &&
	       (v->role != ROLE_INSTALL || v->nhazards > 0);
}

const char *rules_visit_invalid(const struct visit *v)
{
	if (v->entry_mode == ENTRY_QUICK &&
	    (v->nhazards || v->ninstalls || v->supply != SUPPLY_NONE))
		return "a quick visit records no hazard, install or supply action";
	if (v->supply_hazard[0] && v->supply != SUPPLY_STOPPED)
		return "a supply hazard goes with a supply stop";
	return NULL;
}

/* An inspection that got in states the whole hazard picture at that time; a quick
 * visit states none and changes none; an install that states none only removes the
 * hazards its items fix. */
static void apply_hazards(const struct visit_lean *v, struct status *st)
{
	if (v->entry_mode == ENTRY_QUICK)
		return;
	if (v->role == ROLE_INSTALL && v->nhazards == 0) {
		int kept = 0;
		for (int k = 0; k < st->nhazards; k++)
			if (!fixed_by_visit(v, st->hazards[k].code))
				st->hazards[kept++] = st->hazards[k];
		st->nhazards = kept;
		return;
	}
	st->nhazards = v->nhazards;
	if (v->nhazards > 0) /* a lean visit without hazards points at no pool */
		memcpy(st->hazards, v->hazards, sizeof v->hazards[0] * (size_t)v->nhazards);
}

static unsigned compute_missing(const struct household *h, const struct status *st)
{
	unsigned missing = 0;

	for (int it = 0; it < ITEM__N; it++)
		if (rules_need(h->category, h->gas, h->new_build, (enum item)it) == NEED_REQUIRED &&
		    !rules_item_met((enum item)it, st))
			missing |= 1u << it;
	return missing;
}

static int count_open(const struct status *st)
{
	int open = 0;

	for (int k = 0; k < st->nhazards; k++)
		if (st->hazards[k].grade <= 2)
			open++;
	return open;
}

static enum state decide(const struct status *st)
{
	if (st->visits == 0)
		return ST_NEVER_REACHED;
	if (st->open_hazards > 0)
		return ST_HAZARD_OPEN;
	if (st->missing == 0)
		return ST_COMPLIANT;
	if (st->last_outcome == OUT_REFUSED)
		return ST_REFUSED;
	return ST_PENDING;
}

void rules_fold(const struct household *h, struct visit *v, size_t n, struct status *st)
{
	struct visit_lean *w = n ? xmalloc(n * sizeof *w) : NULL;

	rules_sort(v, n); /* callers read v in fold order afterwards */
	for (size_t i = 0; i < n; i++)
		visit_lean_from(&w[i], &v[i]);
	rules_fold_lean(h, w, n, st);
	free(w);
}

void rules_fold_lean(const struct household *h, struct visit_lean *v, size_t n, struct status *st)
{
	struct fold f = {v, n, {-1, -1, -1, -1}};

	memset(st, 0, sizeof *st);
	st->last_outcome = -1;
	rules_sort_lean(v, n);
	for (size_t i = 0; i < n; i++) {
		if (v[i].voided)
			continue;
		st->visits++;
		st->last = v[i].id;
		st->last_at = v[i].at;
		st->last_outcome = (int)v[i].outcome;
		if (v[i].supply != SUPPLY_NONE)
			st->supply = v[i].supply;
		if (v[i].outcome != OUT_ENTERED)
			continue;
		apply_observations(&f, i, st);
		apply_installs(&f, i, st);
		apply_hazards(&v[i], st);
		st->missing = compute_missing(h, st);
		st->open_hazards = count_open(st);
		if (st->missing == 0 && st->open_hazards == 0) {
			if (!st->compliant_at)
				st->compliant_at = v[i].at;
		} else {
			st->compliant_at = 0;
		}
	}
	st->missing = compute_missing(h, st);
	st->open_hazards = count_open(st);
	st->state = decide(st);
}

void rules_missing_str(unsigned missing, char *out, size_t outsz)
{
	size_t len = 0;

	if (outsz)
		out[0] = '\0';
	for (int it = 0; it < ITEM__N; it++) {
		const char *name = item_name((enum item)it);
		size_t k = strlen(name);
		if (!(missing & (1u << it)) || len + k + 2 > outsz)
			continue;
		if (len)
			out[len++] = ',';
		memcpy(out + len, name, k + 1);
		len += k;
	}
}
