/* The hazard checklist of a visit: the items that apply to this household; Enter
 * marks one found (at its default grade), Left/Right change the grade. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/refdata.h"
#include "core/util.h"
#include "tui/internal.h"

#define CHECKLIST_MAX 64

struct checklist {
	struct draft *d;
	struct checklist_item items[CHECKLIST_MAX];
	struct list ls;
};

static int add_item(void *ctx, const struct checklist_item *it)
{
	struct checklist *c = ctx;

	if (c->ls.n < CHECKLIST_MAX)
		c->items[c->ls.n++] = *it;
	return 0;
}

static void *checklist_open(struct tui *t, const void *arg)
{
	struct checklist *c = xcalloc(1, sizeof *c);

	c->d = (struct draft *)arg;
	if (refdata_checklist(t->l, c->d->h.category, c->d->h.gas, i18n_is_zh(), add_item, c)) {
		tui_error(t);
		free(c);
		return NULL;
	}
	return c;
}

static void checklist_close(void *self)
{
	free(self);
}

/* Index of code among the visit's hazards, -1 when not marked. */
static int marked(const struct visit *v, const char *code)
{
	for (int i = 0; i < v->nhazards; i++)
		if (!strcmp(v->hazards[i].code, code))
			return i;
	return -1;
}

static void checklist_draw(void *self, struct tui *t)
{
	struct checklist *c = self;
	int top = tui_body_top(), rows = tui_body_rows(), cols = dpy_cols();
	char title[64], line[320];

	(void)t;
	snprintf(title, sizeof title, _("%d found"), c->d->v.nhazards);
	tui_title(_("Hazards"), title);
	list_scroll(&c->ls, rows);
	for (int i = c->ls.top; i < c->ls.n && i < c->ls.top + rows; i++) {
		const struct checklist_item *it = &c->items[i];
		int k = marked(&c->d->v, it->code);
		snprintf(line, sizeof line, "[%s] %d %s", k >= 0 ? "x" : " ",
			 k >= 0 ? c->d->v.hazards[k].grade : it->grade, it->name);
		dpy_put(top + i - c->ls.top, 0, c->ls.n > rows ? cols - 1 : cols, line,
			i == c->ls.sel ? LOOK_SELECTED : k >= 0 ? LOOK_ERROR : LOOK_NORMAL);
	}
	draw_scroll_marks(top, rows, c->ls.top, c->ls.n);
}

static void toggle(struct checklist *c, struct tui *t)
{
	struct visit *v = &c->d->v;
	const struct checklist_item *it = &c->items[c->ls.sel];
	int k = marked(v, it->code);

	if (k >= 0) {
		v->hazards[k] = v->hazards[--v->nhazards];
		return;
	}
	if (v->nhazards == VISIT_MAX_HAZARDS) {
		tui_message(t, LOOK_ERROR, "%s", _("Too many hazards."));
		return;
	}
	gw_strlcpy(v->hazards[v->nhazards].code, it->code, sizeof v->hazards[0].code);
	v->hazards[v->nhazards++].grade = it->grade;
}

/* The grade of the selected item when it is marked, else NULL. */
static int *selected_grade(struct checklist *c)
{
	int k = c->ls.n ? marked(&c->d->v, c->items[c->ls.sel].code) : -1;

	return k < 0 ? NULL : &c->d->v.hazards[k].grade;
}

static void regrade(int *grade, int to)
{
	if (grade && to >= 1 && to <= 3)
		*grade = to;
}

static void checklist_key(void *self, struct tui *t, const struct tui_event *ev)
{
	struct checklist *c = self;
	int *g;

	switch (ev->act) {
	case ACT_BACK: tui_pop(t); break;
	case ACT_ENTER:
		if (c->ls.n)
			toggle(c, t);
		break;
	case ACT_LEFT:
	case ACT_RIGHT:
		if ((g = selected_grade(c)))
			regrade(g, *g + (ev->act == ACT_LEFT ? -1 : 1));
		break;
	case ACT_DIGIT:
		regrade(selected_grade(c), ev->digit);
		break;
	default:
		list_key(&c->ls, ev, tui_body_rows());
	}
}

const struct screen screen_checklist = {"checklist", KM_CHECKLIST, checklist_open,
					checklist_draw, checklist_key, checklist_close};
