/* The walk: compounds → buildings → units → doors in walking order, with progress,
 * a filter for doors still to do, an account or room typed or scanned + Enter, and
 * at the doors the two one-key outcomes (all ok, not at home) that move on by
 * themselves, across units and buildings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "core/plan.h"
#include "core/route.h"
#include "core/search.h"
#include "core/text.h"
#include "core/util.h"
#include "tui/internal.h"

enum level { LV_COMPOUND, LV_BUILDING, LV_UNIT, LV_DOOR };

struct route {
	enum level level;
	char place[3][HH_PLACE_MAX + 1]; /* compound, building, unit chosen */
	char ckey[2 * HH_PLACE_MAX + 2]; /* the compound as "街道/小区" (route_group.key) */
	struct route_group *groups;
	struct route_door *doors;
	int cap;
	struct list ls;
	int pending; /* 0 all, 1 to do, 2 lacking a device (an installer's to-do) */
	int day_done, day_total, today;
	struct field scan;
	unsigned gen;
	int loaded, quit_armed;
	char want[HH_ACCOUNT_MAX + 1]; /* the door to select once loaded */
	int want_group;                /* select the group named place[level] once loaded */
	int want_todo;                 /* select the first door still to do once loaded */
	char confirm[HH_ACCOUNT_MAX + 1]; /* the door whose quick "all ok" asked first */
	int has_plan;                     /* the compound's plan for this month */
	long planned, achieved;
};

static void *grow(void *p, int *cap, int n, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 64;
	return xrealloc(p, (size_t)*cap * size);
}

static int add_group(void *ctx, const struct route_group *g)
{
	struct route *r = ctx;

	if ((r->pending == 1 && g->done == g->total) || (r->pending == 2 && !g->lacking))
		return 0;
	r->groups = grow(r->groups, &r->cap, r->ls.n, sizeof *r->groups);
	r->groups[r->ls.n++] = *g;
	return 0;
}

static int add_door(void *ctx, const struct route_door *d)
{
	struct route *r = ctx;

	r->doors = grow(r->doors, &r->cap, r->ls.n, sizeof *r->doors);
	r->doors[r->ls.n++] = *d;
	return 0;
}

/* Midnight today, local time. */
static int64_t day_start(void)
{
	time_t now = (time_t)gw_now();
	struct tm tm;

	localtime_r(&now, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

static void select_wanted(struct route *r)
{
	for (int i = 0; r->want[0] && r->level == LV_DOOR && i < r->ls.n; i++)
		if (!strcmp(r->doors[i].account, r->want))
			r->ls.sel = i;
	for (int i = 0; r->want_group && r->level < LV_DOOR && i < r->ls.n; i++)
		if (!strcmp(r->level == LV_COMPOUND ? r->groups[i].key : r->groups[i].name,
			    r->level == LV_COMPOUND ? r->ckey : r->place[r->level]))
			r->ls.sel = i;
	for (int i = 0; r->want_todo && r->level == LV_DOOR && i < r->ls.n; i++)
		if (!r->doors[i].done) {
			r->ls.sel = i;
			break;
		}
	r->want[0] = '\0';
	r->want_group = 0;
	r->want_todo = 0;
}

/* The to-do shows the doors where nobody was at home first (the revisits), each
 * part in walking order. */
static void revisits_first(struct route *r)
{
	struct route_door *sorted;
	int k = 0;

	if (r->ls.n < 2)
		return;
	sorted = xmalloc((size_t)r->ls.n * sizeof *sorted);
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < r->ls.n; i++)
			if ((r->doors[i].last_outcome == OUT_NOT_HOME) == (pass == 0))
				sorted[k++] = r->doors[i];
	memcpy(r->doors, sorted, (size_t)r->ls.n * sizeof *sorted);
	free(sorted);
}

/* The month's plan of the compound shown (its key is "街道/小区"). */
static int load_plan(struct route *r, struct tui *t)
{
	char sub[HH_PLACE_MAX + 1];
	const char *slash = strchr(r->ckey, '/');
	size_t n = slash ? (size_t)(slash - r->ckey) : 0;
	int rc;

	r->has_plan = 0;
	if (!slash || n >= sizeof sub)
		return 0;
	memcpy(sub, r->ckey, n);
	sub[n] = '\0';
	rc = plan_for_compound(t->l, sub, slash + 1, NULL, &r->planned, &r->achieved);
	r->has_plan = rc == 1;
	return rc < 0 ? -1 : 0;
}

static int load(struct route *r, struct tui *t)
{
	const char *c = r->ckey, *b = r->place[1];
	int rc;

	free(r->groups);
	free(r->doors);
	r->groups = NULL;
	r->doors = NULL;
	r->cap = r->ls.n = 0;
	r->gen = t->gen;
	r->loaded = 1;
	if (route_day(t->l, &r->day_done, &r->day_total) ||
	    route_today(t->l, day_start(), &r->today))
		return -1;
	if (r->level == LV_BUILDING && load_plan(r, t) != 0)
		return -1;
	if (r->level == LV_DOOR) {
		rc = route_doors(t->l, c, b, r->place[2], r->pending, add_door, r);
		if (r->pending == 1)
			revisits_first(r);
	} else
		rc = route_groups(t->l, r->level > LV_COMPOUND ? c : NULL,
				  r->level > LV_BUILDING ? b : NULL, add_group, r);
	select_wanted(r);
	return rc;
}

static void *route_open(struct tui *t, const void *arg)
{
	struct route *r = xcalloc(1, sizeof *r);

	(void)t;
	(void)arg;
	field_init(&r->scan, HH_ACCOUNT_MAX, 0);
	return r;
}

static void route_close(void *self)
{
	struct route *r = self;

	free(r->groups);
	free(r->doors);
	free(r);
}

/* 1 when a bare name needs its kind said: "3", "B" or "十二" do; "3号楼", "底商" do not. */
static int needs_kind(const char *name)
{
	static const char numerals[] = "零一二三四五六七八九十百";

	for (const char *p = name; *p;) {
		uint32_t cp;
		size_t k = text_decode(p, strlen(p), &cp);
		char one[8];
		if (!k)
			return 0;
		memcpy(one, p, k);
		one[k] = '\0';
		if (cp >= 0x80 && !strstr(numerals, one))
			return 0;
		p += k;
	}
	return 1;
}

/* "3" becomes "3栋" / "Bldg 3"; "3号楼" and "底商" stay; no name says so. */
static void place_label(const char *fmt, const char *empty, const char *name, char *out,
			size_t outsz)
{
	if (!name[0])
		snprintf(out, outsz, "%s", empty);
	else if (needs_kind(name))
		snprintf(out, outsz, fmt, name);
	else
		snprintf(out, outsz, "%s", name);
}

static void building_label(const char *name, char *out, size_t outsz)
{
	place_label(_("Bldg %s"), _("(no building)"), name, out, outsz);
}

static void unit_label(const char *name, char *out, size_t outsz)
{
	place_label(_("Unit %s"), _("(no unit)"), name, out, outsz);
}

static void group_label(const struct route *r, const char *name, char *out, size_t outsz)
{
	if (r->level == LV_BUILDING)
		building_label(name, out, outsz);
	else if (r->level == LV_UNIT)
		unit_label(name, out, outsz);
	else
		snprintf(out, outsz, "%s", name[0] ? name : _("(no compound)"));
}

static void draw_group(const struct route *r, int i, int y, int cols)
{
	char count[32], name[HH_PLACE_MAX + 32], fitted[HH_PLACE_MAX * 3];
	const struct route_group *g = &r->groups[i];
	int cw;
	enum look look = i == r->ls.sel ? LOOK_SELECTED : LOOK_NORMAL;

	snprintf(count, sizeof count, " %d/%d", g->done, g->total);
	cw = text_width(count);
	group_label(r, g->name, name, sizeof name);
	text_fit_tail(name, cols - cw, fitted, sizeof fitted);
	dpy_put(y, 0, cols - cw, fitted, look);
	dpy_put(y, cols - cw, cw, count, look);
}

/* One column of marks: + ok, x absent, ! faulty or non-metal, - n/a or no hose, . unseen. */
static const char *dev_mark(enum devstate d)
{
	static const char *const marks[] = {".", "+", "x", "!", "-"};

	return d < DEV__N ? marks[d] : "?";
}

static const char *hose_mark(enum hose h)
{
	static const char *const marks[] = {".", "+", "!", "-"};

	return h < HOSE__N ? marks[h] : "?";
}

static void door_marks(const struct route_door *d, char *out, size_t outsz)
{
	const char *valve = rules_need(d->category, d->gas, 0, ITEM_VALVE) == NEED_NONE
				    ? " " : dev_mark(d->valve);

	snprintf(out, outsz, " %s %s %s", hose_mark(d->hose), valve, dev_mark(d->alarm));
}

/* The room, with its floor in front when a short room number does not say it. */
static void door_place(const struct route_door *d, char *out, size_t outsz)
{
	size_t fl = strlen(d->floor);

	if (!d->room[0] || !fl || !strncmp(d->room, d->floor, fl) || text_chars(d->room) > 2)
		snprintf(out, outsz, "%s", d->room[0] ? d->room : d->floor);
	else
		snprintf(out, outsz, "%s-%s", d->floor, d->room);
}

#define ROOM_W 6
#define ROOM_W_MAX 12
#define MARKS_W 6
#define OUTCOME_W 5

/* The room column: as wide as the longest room shown, at least ROOM_W. */
static int room_width(const struct route *r)
{
	int w = ROOM_W;

	for (int i = 0; i < r->ls.n; i++) {
		char place[2 * HH_PLACE_MAX + 2];
		door_place(&r->doors[i], place, sizeof place);
		if (text_width(place) + 1 > w)
			w = text_width(place) + 1;
	}
	return w < ROOM_W_MAX ? w : ROOM_W_MAX;
}

static void draw_door(const struct route *r, int i, int y, int cols, int room_w)
{
	const struct route_door *d = &r->doors[i];
	enum look look = i == r->ls.sel ? LOOK_SELECTED : LOOK_NORMAL;
	int name_w = cols - room_w - MARKS_W - OUTCOME_W;
	char marks[32], out[32], place[2 * HH_PLACE_MAX + 2], fitted[2 * HH_PLACE_MAX + 8];

	door_marks(d, marks, sizeof marks);
	snprintf(out, sizeof out, " %s", label_outcome_short(d->last_outcome));
	door_place(d, place, sizeof place);
	text_fit_tail(place, room_w - 1, fitted, sizeof fitted);
	dpy_put(y, 0, room_w, fitted, look);
	dpy_put(y, room_w, name_w, d->name, look);
	dpy_put(y, room_w + name_w, MARKS_W, marks, look);
	dpy_put(y, cols - OUTCOME_W, OUTCOME_W, out, look);
}

static void draw_door_header(int y, int cols, int room_w)
{
	int name_w = cols - room_w - MARKS_W - OUTCOME_W;

	dpy_put(y, 0, room_w, _("Room"), LOOK_DIM);
	dpy_put(y, room_w, name_w, _("Name"), LOOK_DIM);
	/* TRANSLATORS: column heads for hose, valve, alarm: one wide or two narrow characters each */
	dpy_put(y, room_w + name_w, MARKS_W, _(" H V A"), LOOK_DIM);
	dpy_put(y, cols - OUTCOME_W, OUTCOME_W, _(" Last"), LOOK_DIM);
}

/* Building and unit always shown; the compound keeps its distinguishing end. */
static void draw_title(const struct route *r)
{
	char right[64], left[640], b[HH_PLACE_MAX + 32], u[HH_PLACE_MAX + 32], rest[2 * HH_PLACE_MAX + 80];
	char comp[HH_PLACE_MAX * 3];
	int cols = dpy_cols(), room;

	if (r->pending == 2)
		snprintf(right, sizeof right, _("to fit, today %d"), r->today);
	else if (r->pending)
		snprintf(right, sizeof right, _("to do, today %d"), r->today);
	else
		snprintf(right, sizeof right, _("today %d"), r->today);
	if (r->level == LV_COMPOUND) {
		snprintf(left, sizeof left, _("Route %d/%d done"), r->day_done, r->day_total);
		tui_title(left, right);
		return;
	}
	building_label(r->place[1], b, sizeof b);
	unit_label(r->place[2], u, sizeof u);
	snprintf(rest, sizeof rest, "%s%s%s%s", r->level > LV_BUILDING ? " " : "",
		 r->level > LV_BUILDING ? b : "", r->level > LV_UNIT ? " " : "",
		 r->level > LV_UNIT ? u : "");
	room = cols - text_width(right) - 1 - text_width(rest);
	text_fit_tail(r->place[0][0] ? r->place[0] : _("(no compound)"), room, comp, sizeof comp);
	snprintf(left, sizeof left, "%s%s", comp, rest);
	tui_title(left, right);
}

static void draw_scan(const struct route *r, int y, int cols)
{
	const char *label = _("Account or room: ");
	int lw = text_width(label);

	dpy_put(y, 0, lw, label, LOOK_NORMAL);
	field_draw(&r->scan, y, lw, cols - lw, 1);
}

static void draw_list(struct route *r, int top, int rows, int cols)
{
	int w = r->ls.n > rows ? cols - 1 : cols, room_w = 0;

	if (r->level == LV_DOOR) {
		room_w = room_width(r);
		draw_door_header(top++, w, room_w);
		rows--;
	}
	list_scroll(&r->ls, rows);
	w = r->ls.n > rows ? cols - 1 : cols;
	for (int i = r->ls.top; i < r->ls.n && i < r->ls.top + rows; i++) {
		if (r->level == LV_DOOR)
			draw_door(r, i, top + i - r->ls.top, w, room_w);
		else
			draw_group(r, i, top + i - r->ls.top, w);
	}
	draw_scroll_marks(top, rows, r->ls.top, r->ls.n);
	if (r->ls.n == 0)
		dpy_put(top, 0, cols, r->pending ? _("Nothing left to do here.") : _("No households."),
			LOOK_DIM);
}

static void route_draw(void *self, struct tui *t)
{
	struct route *r = self;
	int top = tui_body_top(), rows = tui_body_rows(), cols = dpy_cols();

	if ((!r->loaded || r->gen != t->gen) && load(r, t) != 0)
		tui_error(t);
	if (r->level == LV_DOOR)
		t->km = KM_DOORS;
	draw_title(r);
	if (r->scan.buf[0])
		draw_scan(r, top + --rows, cols);
	if (r->level == LV_BUILDING && r->has_plan && rows > 2) {
		char plan[96];
		snprintf(plan, sizeof plan, _("This month's plan: %ld of %ld done"), r->achieved,
			 r->planned);
		dpy_put(top++, 0, cols, plan, LOOK_DIM);
		rows--;
	}
	draw_list(r, top, rows, cols);
}

static void descend(struct route *r, struct tui *t)
{
	if (r->ls.n == 0)
		return;
	if (r->level == LV_DOOR) {
		tui_push(t, &screen_card, r->doors[r->ls.sel].account);
		return;
	}
	gw_strlcpy(r->place[r->level], r->groups[r->ls.sel].name, sizeof r->place[0]);
	if (r->level == LV_COMPOUND)
		gw_strlcpy(r->ckey, r->groups[r->ls.sel].key, sizeof r->ckey);
	r->level++;
	r->ls.sel = r->ls.top = 0;
	r->want_todo = 1;
	r->loaded = 0;
}

static void ascend(struct route *r, struct tui *t)
{
	if (r->level == LV_COMPOUND) {
		if (r->quit_armed) {
			t->quit = 1;
			return;
		}
		r->quit_armed = 1;
		tui_message(t, LOOK_NORMAL, "%s", _("Press Esc again to quit."));
		return;
	}
	r->level--;
	r->want_group = 1;
	r->loaded = 0;
}

/* ---- the next door: after this one in the unit, else the first to do in the
 * units and buildings that follow ---- */

struct names {
	char (*v)[HH_PLACE_MAX + 1];
	int n, cap;
};

static int add_name(void *ctx, const struct route_group *g)
{
	struct names *ns = ctx;

	ns->v = grow(ns->v, &ns->cap, ns->n, sizeof *ns->v);
	gw_strlcpy(ns->v[ns->n++], g->name, sizeof *ns->v);
	return 0;
}

struct first {
	const char *after; /* skip doors up to and including this account; NULL: none */
	int pending, passed;
	char account[HH_ACCOUNT_MAX + 1];
};

static int take_first(void *ctx, const struct route_door *d)
{
	struct first *f = ctx;

	if (f->after && !f->passed) {
		f->passed = !strcmp(d->account, f->after);
		return 0;
	}
	if ((f->pending == 1 && d->done) || (f->pending == 2 && !d->lacking))
		return 0;
	gw_strlcpy(f->account, d->account, sizeof f->account);
	return 1;
}

/* The first door to do in unit u of building b after account (NULL: from the start). */
static int first_in_unit(struct tui *t, const char *c, const char *b, const char *u,
			 const char *after, int pending, char *out)
{
	struct first f = {after, pending, 0, ""};

	if (route_doors(t->l, c, b, u, 0, take_first, &f) < 0)
		return -1;
	gw_strlcpy(out, f.account, HH_ACCOUNT_MAX + 1);
	return out[0] != '\0';
}

/* Units of building b after unit `after` (NULL: all), the first door to do in them. */
static int first_in_building(struct tui *t, const char *c, const char *b, const char *after,
			     int pending, char *out)
{
	struct names ns = {NULL, 0, 0};
	int found = 0, passed = after == NULL;

	if (route_groups(t->l, c, b, add_name, &ns) != 0) {
		free(ns.v);
		return -1;
	}
	for (int i = 0; i < ns.n && !found; i++) {
		if (!passed) {
			passed = !strcmp(ns.v[i], after);
			continue;
		}
		found = first_in_unit(t, c, b, ns.v[i], NULL, pending, out);
	}
	free(ns.v);
	return found;
}

static int next_door(struct tui *t, const struct household *h, const char *c, int pending,
		     char *out)
{
	struct names ns = {NULL, 0, 0};
	int found, passed = 0;

	found = first_in_unit(t, c, h->building, h->unit, h->account, pending, out);
	if (!found)
		found = first_in_building(t, c, h->building, h->unit, pending, out);
	if (found || route_groups(t->l, c, NULL, add_name, &ns) != 0) {
		free(ns.v);
		return found;
	}
	for (int i = 0; i < ns.n && !found; i++) {
		if (!passed) {
			passed = !strcmp(ns.v[i], h->building);
			continue;
		}
		found = first_in_building(t, c, ns.v[i], NULL, pending, out);
	}
	free(ns.v);
	return found;
}

/* Past the compound's last door: its first door still to do, if not this one. */
static int wrap_door(struct tui *t, const struct household *h, const char *c, int pending,
		     char *out)
{
	struct names ns = {NULL, 0, 0};
	int found = 0;

	if (route_groups(t->l, c, NULL, add_name, &ns) != 0)
		found = -1;
	for (int i = 0; i < ns.n && !found; i++)
		found = first_in_building(t, c, ns.v[i], NULL, pending, out);
	free(ns.v);
	return found == 1 && !strcmp(out, h->account) ? 0 : found;
}

static void compound_key(const struct household *h, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s/%s", h->subdistrict, h->compound);
}

static void go_to(struct route *r, const struct household *h)
{
	r->level = LV_DOOR;
	gw_strlcpy(r->place[0], h->compound, sizeof r->place[0]);
	compound_key(h, r->ckey, sizeof r->ckey);
	gw_strlcpy(r->place[1], h->building, sizeof r->place[1]);
	gw_strlcpy(r->place[2], h->unit, sizeof r->place[2]);
	gw_strlcpy(r->want, h->account, sizeof r->want);
	field_set(&r->scan, "");
	r->ls.sel = r->ls.top = 0;
	r->loaded = 0;
}

void route_show(struct tui *t, const char *account, int advance)
{
	struct route *r;
	struct household h, next;
	char acc[HH_ACCOUNT_MAX + 1], key[2 * HH_PLACE_MAX + 2];
	int todo;

	if (t->depth < 1 || t->stack[0].s != &screen_route ||
	    household_get(t->l, account, &h) != 0)
		return;
	r = t->stack[0].self;
	r->confirm[0] = '\0';
	todo = r->pending ? r->pending : 1; /* the next door to do, never one done */
	compound_key(&h, key, sizeof key);
	if (advance && next_door(t, &h, key, todo, acc) == 1 &&
	    household_get(t->l, acc, &next) == 0) {
		go_to(r, &next);
		return;
	}
	if (advance && wrap_door(t, &h, key, todo, acc) == 1 &&
	    household_get(t->l, acc, &next) == 0) {
		go_to(r, &next);
		if (!t->msg[0])
			tui_message(t, LOOK_NORMAL, "%s",
				    _("End of the compound: back to its first door to do."));
		return;
	}
	go_to(r, &h);
	if (advance && !t->msg[0])
		tui_message(t, LOOK_NORMAL, "%s", _("Last door of this compound."));
}

/* ---- an account, or a room of the place shown, typed then Enter ---- */

static void open_typed(struct route *r, struct tui *t)
{
	char typed[HH_ACCOUNT_MAX + 1], acc[HH_ACCOUNT_MAX + 1], clean[64];
	int rc;

	gw_strlcpy(typed, r->scan.buf, sizeof typed);
	field_set(&r->scan, "");
	rc = search_door(t->l, typed, r->level > LV_COMPOUND ? r->place[0] : NULL,
			 r->level > LV_BUILDING ? r->place[1] : NULL,
			 r->level > LV_UNIT ? r->place[2] : NULL, acc, sizeof acc);
	if (rc == 1) {
		tui_open_household(t, acc);
	} else if (rc == 2) { /* several rooms: search shows them, best first */
		tui_push(t, &screen_search, typed);
	} else if (rc < 0) {
		tui_error(t);
	} else {
		text_clean(typed, clean, sizeof clean);
		tui_message(t, LOOK_ERROR, _("No account or room %s here."), clean);
	}
}

static void quick(struct route *r, struct tui *t, enum action act)
{
	char acc[HH_ACCOUNT_MAX + 1];
	int again;

	if (r->level != LV_DOOR || r->ls.n == 0)
		return;
	gw_strlcpy(acc, r->doors[r->ls.sel].account, sizeof acc);
	again = act == ACT_QUICK_OK && !strcmp(r->confirm, acc);
	r->confirm[0] = '\0';
	if (quick_visit(t, acc, act, again) == 1)
		gw_strlcpy(r->confirm, acc, sizeof r->confirm);
}

/* 1 when key act keeps the account or room being typed: more of it, ← or Backspace
 * (erase one), Enter (open it), Esc (clear it). Any other key drops it first, so typed
 * digits never outlive a move, another screen or another level. */
static int keeps_typed(enum action act)
{
	return act == ACT_DIGIT || act == ACT_TEXT || act == ACT_ERASE || act == ACT_LEFT ||
	       act == ACT_ENTER || act == ACT_BACK || act == ACT_NONE || act == ACT_RESIZE;
}

static void route_key(void *self, struct tui *t, const struct tui_event *ev)
{
	struct route *r = self;
	int scanning;

	if (!keeps_typed(ev->act))
		field_set(&r->scan, "");
	scanning = r->scan.buf[0] != '\0';

	if (ev->act != ACT_BACK)
		r->quit_armed = 0;
	if (ev->act != ACT_QUICK_OK)
		r->confirm[0] = '\0';
	if (field_key(&r->scan, ev))
		return;
	switch (ev->act) {
	case ACT_ENTER:
		if (scanning)
			open_typed(r, t);
		else
			descend(r, t);
		break;
	case ACT_RIGHT:
		descend(r, t);
		break;
	case ACT_BACK:
		if (scanning)
			field_set(&r->scan, "");
		else
			ascend(r, t);
		break;
	case ACT_LEFT:
		ascend(r, t);
		break;
	case ACT_PENDING:
		r->pending = r->pending ? 0 : t->role == ROLE_INSTALL ? 2 : 1;
		r->ls.sel = r->ls.top = 0;
		r->loaded = 0;
		break;
	case ACT_QUICK_OK:
	case ACT_QUICK_NOHOME: quick(r, t, ev->act); break;
	case ACT_SEARCH: tui_push(t, &screen_search, NULL); break;
	case ACT_DEVICE: tui_push(t, &screen_device, NULL); break;
	case ACT_WHO: tui_push(t, &screen_who, NULL); break;
	default:
		list_key(&r->ls, ev, tui_body_rows());
	}
}

const struct screen screen_route = {"route", KM_ROUTE, route_open, route_draw, route_key,
				    route_close};
