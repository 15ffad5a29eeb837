/* Search: narrows by account, name or address fragment as each key is typed. Digits
 * from the keypad find accounts and rooms; a keyboard or scanner types anything. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "tui/internal.h"

#define SEARCH_LIMIT 50

struct hit {
	char account[HH_ACCOUNT_MAX + 1];
	char name[HH_NAME_MAX + 1];
	char room[HH_PLACE_MAX + 1];
	char place[4 * HH_PLACE_MAX + 8];
	int done;
};

struct search {
	struct field query;
	struct hit hits[SEARCH_LIMIT];
	struct list ls;
};

static int add_hit(void *ctx, const struct household *h, const struct status *st)
{
	struct search *s = ctx;
	struct hit *hit;

	if (s->ls.n == SEARCH_LIMIT)
		return 1;
	hit = &s->hits[s->ls.n++];
	gw_strlcpy(hit->account, h->account, sizeof hit->account);
	gw_strlcpy(hit->name, h->name, sizeof hit->name);
	gw_strlcpy(hit->room, h->room, sizeof hit->room);
	snprintf(hit->place, sizeof hit->place, "%s %s-%s", h->compound, h->building, h->unit);
	hit->done = st->last_outcome >= 0 && st->last_outcome != OUT_NOT_HOME;
	return 0;
}

static void run(struct search *s, struct tui *t)
{
	struct list_filter f = {0, NULL, s->query.buf, SEARCH_LIMIT};

	s->ls.n = s->ls.sel = s->ls.top = 0;
	if (s->query.buf[0] && ledger_list(t->l, &f, add_hit, s) != 0)
		tui_error(t);
}

static void *search_open(struct tui *t, const void *arg)
{
	struct search *s = xcalloc(1, sizeof *s);

	(void)t;
	(void)arg;
	field_init(&s->query, 64, 0);
	return s;
}

static void search_close(void *self)
{
	free(self);
}

static void draw_hit(const struct search *s, int i, int y, int cols)
{
	const struct hit *h = &s->hits[i];
	char line[sizeof h->room + sizeof h->place + sizeof h->name + 8];

	/* the room first: on a narrow screen it tells doors apart */
	snprintf(line, sizeof line, "%s %s %s %s", h->done ? "+" : " ", h->room, h->name,
		 h->place);
	dpy_put(y, 0, cols, line, i == s->ls.sel ? LOOK_SELECTED : LOOK_NORMAL);
}

static void search_draw(void *self, struct tui *t)
{
	struct search *s = self;
	int top = tui_body_top(), rows = tui_body_rows() - 1, cols = dpy_cols();
	const char *label = _("Find: ");
	int lw = text_width(label);
	char right[32];

	(void)t;
	snprintf(right, sizeof right, s->ls.n == SEARCH_LIMIT ? "%d+" : "%d", s->ls.n);
	tui_title(_("Search"), right);
	list_scroll(&s->ls, rows);
	for (int i = s->ls.top; i < s->ls.n && i < s->ls.top + rows; i++)
		draw_hit(s, i, top + 1 + i - s->ls.top, cols);
	if (!s->query.buf[0])
		dpy_put(top + 1, 0, cols, _("Type an account, room or name."), LOOK_DIM);
	else if (s->ls.n == 0)
		dpy_put(top + 1, 0, cols, _("Nothing found."), LOOK_DIM);
	dpy_put(top, 0, lw, label, LOOK_NORMAL);
	field_draw(&s->query, top, lw, cols - lw, 1);
}

static void search_key(void *self, struct tui *t, const struct tui_event *ev)
{
	struct search *s = self;

	if (field_key(&s->query, ev)) {
		run(s, t);
		return;
	}
	switch (ev->act) {
	case ACT_BACK: tui_pop(t); break;
	case ACT_ENTER:
	case ACT_RIGHT:
		if (s->ls.n)
			tui_push(t, &screen_card, s->hits[s->ls.sel].account);
		break;
	default:
		list_key(&s->ls, ev, tui_body_rows() - 1);
	}
}

const struct screen screen_search = {"search", KM_SEARCH, search_open, search_draw, search_key,
				     search_close};
