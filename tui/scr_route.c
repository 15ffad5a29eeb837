/* The walk: compounds → buildings → units → doors in walking order, with progress,
 * a filter for doors still to do, and an account number typed or scanned + Enter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/route.h"
#include "core/text.h"
#include "core/util.h"
#include "tui/internal.h"

enum level { LV_COMPOUND, LV_BUILDING, LV_UNIT, LV_DOOR };

struct route {
	enum level level;
	char place[3][HH_PLACE_MAX + 1]; /* compound, building, unit chosen */
	int saved_sel[4];
	struct route_group *groups;
	struct route_door *doors;
	int cap;
	struct list ls;
	int pending;
	int day_done, day_total;
	struct route_group compound; /* progress of the compound walked */
	struct field scan;
	unsigned gen;
	int loaded, quit_armed;
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

	if (r->pending && g->done == g->total)
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

static int find_compound(void *ctx, const struct route_group *g)
{
	struct route *r = ctx;

	if (strcmp(g->name, r->place[0]) != 0)
		return 0;
	r->compound = *g;
	return 1;
}

static int load(struct route *r, struct tui *t)
{
	const char *c = r->place[0], *b = r->place[1];

	free(r->groups);
	free(r->doors);
	r->groups = NULL;
	r->doors = NULL;
	r->cap = r->ls.n = 0;
	r->gen = t->gen;
	r->loaded = 1;
	if (route_day(t->l, &r->day_done, &r->day_total))
		return -1;
	if (r->level > LV_COMPOUND && route_groups(t->l, NULL, NULL, find_compound, r))
		return -1;
	if (r->level == LV_DOOR)
		return route_doors(t->l, c, b, r->place[2], r->pending, add_door, r);
	return route_groups(t->l, r->level > LV_COMPOUND ? c : NULL,
			    r->level > LV_BUILDING ? b : NULL, add_group, r);
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

/* 1 when the name already says what it is: "3号楼", "2单元", "B座". */
static int says_what_it_is(const char *name)
{
	static const char *const words[] = {"楼", "栋", "幢", "座", "号", "单元", "门", "区"};
	size_t n = strlen(name);

	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		size_t k = strlen(words[i]);
		if (n >= k && strcmp(name + n - k, words[i]) == 0)
			return 1;
	}
	return 0;
}

/* "3" becomes "3栋" / "Bldg 3"; "3号楼" stays as it is. */
static void place_label(const char *fmt, const char *name, char *out, size_t outsz)
{
	if (!name[0])
		snprintf(out, outsz, "-");
	else if (says_what_it_is(name))
		snprintf(out, outsz, "%s", name);
	else
		snprintf(out, outsz, fmt, name);
}

static void group_label(const struct route *r, const char *name, char *out, size_t outsz)
{
	if (r->level == LV_BUILDING)
		place_label(_("Bldg %s"), name, out, outsz);
	else if (r->level == LV_UNIT)
		place_label(_("Unit %s"), name, out, outsz);
	else
		snprintf(out, outsz, "%s", name[0] ? name : "-");
}

static void draw_group(const struct route *r, int i, int y, int cols)
{
	char count[32], name[HH_PLACE_MAX + 32];
	const struct route_group *g = &r->groups[i];
	int cw;
	enum look look = i == r->ls.sel ? LOOK_SELECTED : LOOK_NORMAL;

	snprintf(count, sizeof count, " %d/%d", g->done, g->total);
	cw = text_width(count);
	group_label(r, g->name, name, sizeof name);
	dpy_put(y, 0, cols - cw, name, look);
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

/* The room, with its floor in front when the room number does not say it. */
static void door_place(const struct route_door *d, char *out, size_t outsz)
{
	size_t fl = strlen(d->floor);

	if (!d->room[0] || !fl || !strncmp(d->room, d->floor, fl))
		snprintf(out, outsz, "%s", d->room[0] ? d->room : d->floor);
	else
		snprintf(out, outsz, "%s-%s", d->floor, d->room);
}

#define ROOM_W 6
#define MARKS_W 6
#define OUTCOME_W 5

static void draw_door(const struct route *r, int i, int y, int cols)
{
	const struct route_door *d = &r->doors[i];
	enum look look = i == r->ls.sel ? LOOK_SELECTED : LOOK_NORMAL;
	int name_w = cols - ROOM_W - MARKS_W - OUTCOME_W;
	char marks[32], out[32], place[2 * HH_PLACE_MAX + 2];

	door_marks(d, marks, sizeof marks);
	snprintf(out, sizeof out, " %s", label_outcome_short(d->last_outcome));
	door_place(d, place, sizeof place);
	dpy_put(y, 0, ROOM_W, place, look);
	dpy_put(y, ROOM_W, name_w, d->name, look);
	dpy_put(y, ROOM_W + name_w, MARKS_W, marks, look);
	dpy_put(y, cols - OUTCOME_W, OUTCOME_W, out, look);
}

static void draw_door_header(int y, int cols)
{
	int name_w = cols - ROOM_W - MARKS_W - OUTCOME_W;

	dpy_put(y, 0, ROOM_W, _("Room"), LOOK_DIM);
	dpy_put(y, ROOM_W, name_w, _("Name"), LOOK_DIM);
	/* TRANSLATORS: column heads for hose, valve, alarm: one wide or two narrow characters each */
	dpy_put(y, ROOM_W + name_w, MARKS_W, _(" H V A"), LOOK_DIM);
	dpy_put(y, cols - OUTCOME_W, OUTCOME_W, _(" Last"), LOOK_DIM);
}

static void draw_title(const struct route *r)
{
	char right[64], left[640], b[HH_PLACE_MAX + 32], u[HH_PLACE_MAX + 32];

	snprintf(right, sizeof right, _("today %d/%d"), r->day_done, r->day_total);
	if (r->level == LV_COMPOUND) {
		tui_title(r->pending ? _("Route (to do)") : _("Route"), right);
		return;
	}
	place_label(_("Bldg %s"), r->place[1], b, sizeof b);
	place_label(_("Unit %s"), r->place[2], u, sizeof u);
	snprintf(left, sizeof left, "%s %d/%d%s%s%s%s", r->place[0], r->compound.done,
		 r->compound.total, r->level > LV_BUILDING ? " " : "",
		 r->level > LV_BUILDING ? b : "", r->level > LV_UNIT ? " " : "",
		 r->level > LV_UNIT ? u : "");
	tui_title(left, right);
}

static void draw_scan(const struct route *r, int y, int cols)
{
	const char *label = _("Account: ");
	int lw = text_width(label);

	dpy_put(y, 0, lw, label, LOOK_NORMAL);
	field_draw(&r->scan, y, lw, cols - lw, 1);
}

static void route_draw(void *self, struct tui *t)
{
	struct route *r = self;
	int top = tui_body_top(), rows = tui_body_rows(), cols = dpy_cols();

	if ((!r->loaded || r->gen != t->gen) && load(r, t) != 0)
		tui_error(t);
	draw_title(r);
	if (r->scan.buf[0])
		draw_scan(r, top + --rows, cols);
	if (r->level == LV_DOOR) {
		draw_door_header(top++, cols);
		rows--;
	}
	list_scroll(&r->ls, rows);
	for (int i = r->ls.top; i < r->ls.n && i < r->ls.top + rows; i++) {
		if (r->level == LV_DOOR)
			draw_door(r, i, top + i - r->ls.top, cols);
		else
			draw_group(r, i, top + i - r->ls.top, cols);
	}
	if (r->ls.n == 0)
		dpy_put(top, 0, cols, r->pending ? _("Nothing left to do here.") : _("No households."),
			LOOK_DIM);
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
	r->saved_sel[r->level] = r->ls.sel;
	r->level++;
	r->ls.sel = r->ls.top = 0;
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
	r->ls.sel = r->saved_sel[r->level];
	r->loaded = 0;
}

static void open_scanned(struct route *r, struct tui *t)
{
	struct household h;

	if (household_get(t->l, r->scan.buf, &h) != 0) {
		char clean[64];
		text_clean(r->scan.buf, clean, sizeof clean);
		tui_message(t, LOOK_ERROR, _("No household with account %s."), clean);
	} else {
		tui_push(t, &screen_card, h.account);
	}
	field_set(&r->scan, "");
}

static void route_key(void *self, struct tui *t, const struct tui_event *ev)
{
	struct route *r = self;
	int scanning = r->scan.buf[0] != '\0';

	if (ev->act != ACT_BACK)
		r->quit_armed = 0;
	if (field_key(&r->scan, ev))
		return;
	switch (ev->act) {
	case ACT_ENTER:
		if (scanning)
			open_scanned(r, t);
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
		r->pending = !r->pending;
		r->ls.sel = r->ls.top = 0;
		r->loaded = 0;
		break;
	case ACT_SEARCH: tui_push(t, &screen_search, NULL); break;
	case ACT_DEVICE: tui_push(t, &screen_device, NULL); break;
	case ACT_WHO: tui_push(t, &screen_who, NULL); break;
	default:
		list_key(&r->ls, ev, tui_body_rows());
	}
}

const struct screen screen_route = {"route", KM_ROUTE, route_open, route_draw, route_key,
				    route_close};
