/* The visits of one household, newest first; Enter on a visit this terminal
 * recorded voids it, with a reason chosen from a short list (a void record: the
 * visit stays stored and drops out of the status, the reports and any conflict). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "tui/internal.h"

struct history {
	char account[HH_ACCOUNT_MAX + 1];
	struct visit *v;
	size_t n;
	struct list ls;
	struct form reason; /* shown while voiding */
	int voiding;
	unsigned gen;
};

static const char *const reasons[] = {
	/* TRANSLATORS: reasons to void a visit, chosen on the handheld */
	N_("wrong household"), N_("wrong outcome or values"), N_("recorded twice"),
	N_("other mistake"),
};

static int load(struct history *h, struct tui *t)
{
	free(h->v);
	h->v = NULL;
	h->n = 0;
	h->ls.n = 0;
	h->voiding = 0;
	h->gen = t->gen;
	if (visit_load(t->l, h->account, 0, &h->v, &h->n) != 0)
		return -1;
	rules_sort(h->v, h->n);
	for (size_t i = 0; i < h->n / 2; i++) { /* newest first */
		struct visit tmp = h->v[i];
		h->v[i] = h->v[h->n - 1 - i];
		h->v[h->n - 1 - i] = tmp;
	}
	h->ls.n = (int)h->n;
	return 0;
}

static void *history_open(struct tui *t, const void *arg)
{
	struct history *h = xcalloc(1, sizeof *h);
	struct form_row *r;

	gw_strlcpy(h->account, arg, sizeof h->account);
	if (load(h, t) != 0) {
		tui_error(t);
		free(h->v);
		free(h);
		return NULL;
	}
	r = form_add(&h->reason, ROW_CHOICE, _("Reason"));
	for (size_t i = 0; i < GW_ARRAY_LEN(reasons); i++)
		r->opts[r->nopts++] = _(reasons[i]);
	return h;
}

static void history_close(void *self)
{
	struct history *h = self;

	free(h->v);
	free(h);
}

static void visit_line(const struct visit *v, char *out, size_t outsz)
{
	char when[32];

	label_when(v->at, when, sizeof when);
	snprintf(out, outsz, "%s %s%s %s", when, label_outcome(v->outcome),
		 v->voided ? _("(voided)") : "", v->actor);
}

static void draw_list(struct history *h, int top, int rows, int cols)
{
	char line[256];

	list_scroll(&h->ls, rows);
	for (int i = h->ls.top; i < h->ls.n && i < h->ls.top + rows; i++) {
		const struct visit *v = &h->v[i];
		visit_line(v, line, sizeof line);
		dpy_put(top + i - h->ls.top, 0, h->ls.n > rows ? cols - 1 : cols, line,
			i == h->ls.sel ? LOOK_SELECTED : v->voided ? LOOK_DIM : LOOK_NORMAL);
	}
	draw_scroll_marks(top, rows, h->ls.top, h->ls.n);
	if (h->ls.n == 0)
		dpy_put(top, 0, cols, _("No visits yet."), LOOK_DIM);
}

static void history_draw(void *self, struct tui *t)
{
	struct history *h = self;
	int top = tui_body_top(), rows = tui_body_rows(), cols = dpy_cols();
	char line[256];

	if (h->gen != t->gen && load(h, t) != 0)
		tui_error(t);
	tui_title(_("Visits"), h->account);
	if (!h->voiding || h->ls.n == 0) {
		draw_list(h, top, rows, cols);
		return;
	}
	t->km = KM_VOID;
	visit_line(&h->v[h->ls.sel], line, sizeof line);
	dpy_put(top, 0, cols, _("Void this visit:"), LOOK_NORMAL);
	dpy_put(top + 1, 0, cols, line, LOOK_ERROR);
	form_draw(&h->reason, top + 3, rows - 3, cols);
}

/* Only a visit of this terminal, not voided yet. */
static int can_void(const struct history *h, struct tui *t)
{
	const struct visit *v;

	if (h->ls.n == 0)
		return 0;
	v = &h->v[h->ls.sel];
	if (v->voided) {
		tui_message(t, LOOK_ERROR, "%s", _("This visit is voided already."));
		return 0;
	}
	if (strcmp(v->id.device, ledger_device_id(t->l)) != 0) {
		tui_message(t, LOOK_ERROR, "%s", _("Only the office can void another device's visit."));
		return 0;
	}
	return 1;
}

static void void_it(struct history *h, struct tui *t)
{
	const struct visit *v = &h->v[h->ls.sel];
	const char *why = _(reasons[h->reason.rows[0].value]);

	if (visit_void_record(t->l, v->id.device, v->id.seq, why, t->actor, 0, NULL) != 0) {
		tui_error(t);
		return;
	}
	t->gen++;
	h->voiding = 0;
	tui_message(t, LOOK_OK, _("Voided: %s."), why);
}

static void history_key(void *self, struct tui *t, const struct tui_event *ev)
{
	struct history *h = self;

	if (h->voiding) {
		if (ev->act == ACT_BACK)
			h->voiding = 0;
		else if (ev->act == ACT_SAVE)
			void_it(h, t);
		else
			form_key(&h->reason, ev);
		return;
	}
	switch (ev->act) {
	case ACT_BACK: tui_pop(t); break;
	case ACT_ENTER:
		if (can_void(h, t)) {
			h->voiding = 1;
			h->reason.rows[0].value = 0;
		}
		break;
	default: list_key(&h->ls, ev, tui_body_rows());
	}
}

const struct screen screen_history = {"history", KM_HISTORY, history_open, history_draw,
				      history_key, history_close};
