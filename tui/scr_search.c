/* Search: narrows as each key is typed, through core/search.c: an account, a room, a
 * name as text or as pinyin on the keypad (王建国: 954 or 92645426486; wjg on a
 * keyboard), a phone's last four digits, an address fragment. Best matches first, the
 * first one highlighted; each line shows what tells the doors apart: the room, the
 * name, building-unit and the tail of the compound. Phones show their last four only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/search.h"
#include "core/text.h"
#include "core/util.h"
#include "tui/internal.h"

#define SEARCH_LIMIT 50

struct search {
	struct field query;
	struct search_index *ix;
	unsigned gen; /* the ledger generation ix was read at */
	struct search_hit hits[SEARCH_LIMIT];
	int total;
	struct list ls;
};

/* The index, read again when the ledger changed since. */
static int load(struct search *s, struct tui *t)
{
	if (s->ix && s->gen == t->gen)
		return 0;
	search_index_free(s->ix);
	s->ix = search_index_load(t->l);
	s->gen = t->gen;
	if (!s->ix) {
		tui_error(t);
		return -1;
	}
	return 0;
}

static void run(struct search *s, struct tui *t)
{
	s->ls.n = s->ls.sel = s->ls.top = s->total = 0;
	if (!s->query.buf[0] || load(s, t) != 0)
		return;
	s->total = search_find(s->ix, s->query.buf, s->hits, SEARCH_LIMIT);
	s->ls.n = s->total < SEARCH_LIMIT ? s->total : SEARCH_LIMIT;
}

static void *search_open(struct tui *t, const void *arg)
{
	struct search *s = xcalloc(1, sizeof *s);

	field_init(&s->query, 64, 0);
	load(s, t); /* now, so that the first key is as quick as the others */
	if (arg && *(const char *)arg) { /* opened with a text typed on the route */
		field_set(&s->query, arg);
		run(s, t);
	}
	return s;
}

static void search_close(void *self)
{
	struct search *s = self;

	search_index_free(s->ix);
	free(s);
}

/* "3-1", "3" without a unit, "" without either. */
static void building_unit(const struct search_entry *e, char *out, size_t outsz)
{
	if (e->building[0] && e->unit[0])
		snprintf(out, outsz, "%s-%s", e->building, e->unit);
	else
		snprintf(out, outsz, "%s%s", e->building, e->unit);
}

static void draw_hit(const struct search *s, int i, int y, int cols)
{
	const struct search_hit *h = &s->hits[i];
	const struct search_entry *e = h->e;
	char line[4 * HH_PLACE_MAX + HH_NAME_MAX + 64], bu[2 * HH_PLACE_MAX + 2];
	char phone[48] = "", tail[4 * HH_PLACE_MAX + 8];
	int used;

	building_unit(e, bu, sizeof bu);
	if (h->why == SEARCH_PHONE && e->phone_tail[0])
		snprintf(phone, sizeof phone, _(" phone …%s"), e->phone_tail);
	/* the room first: on a narrow screen it tells doors apart */
	snprintf(line, sizeof line, "%s %s %s%s %s", e->done ? "+" : " ", e->room, e->name,
		 phone, bu);
	used = text_width(line);
	if (e->compound[0] && used + 2 <= cols) {
		size_t len = strlen(line);
		text_fit_tail(e->compound, cols - used - 1, tail, sizeof tail);
		snprintf(line + len, sizeof line - len, " %s", tail);
	}
	dpy_put(y, 0, cols, line, i == s->ls.sel ? LOOK_SELECTED : LOOK_NORMAL);
}

static void search_draw(void *self, struct tui *t)
{
	struct search *s = self;
	int top = tui_body_top(), rows = tui_body_rows() - 1, cols = dpy_cols();
	const char *label = _("Find: ");
	int lw = text_width(label);
	char right[32];

	if (s->ix && s->gen != t->gen && s->query.buf[0]) /* the ledger changed: done marks */
		run(s, t);
	snprintf(right, sizeof right, "%d", s->total);
	tui_title(_("Search"), right);
	list_scroll(&s->ls, rows);
	for (int i = s->ls.top; i < s->ls.n && i < s->ls.top + rows; i++)
		draw_hit(s, i, top + 1 + i - s->ls.top, cols);
	draw_scroll_marks(top + 1, rows, s->ls.top, s->ls.n);
	if (!s->query.buf[0]) {
		const char *hint[] = {_("Type an account, room or name."),
				      _("Pinyin keys find names: 王建国 = 954."),
				      _("Or a phone's last four digits.")};
		for (int i = 0; i < 3 && i < rows; i++)
			dpy_put(top + 1 + i, 0, cols, hint[i], LOOK_DIM);
	}
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
	case ACT_SCAN: /* not an account (app.c opens those): what else it may be */
		field_set(&s->query, ev->code);
		run(s, t);
		break;
	case ACT_ENTER:
	case ACT_RIGHT:
		if (s->ls.n)
			tui_push(t, &screen_card, s->hits[s->ls.sel].e->account);
		break;
	default:
		list_key(&s->ls, ev, tui_body_rows() - 1);
	}
}

const struct screen screen_search = {"search", KM_SEARCH, search_open, search_draw, search_key,
				     search_close};
