/* Who is working and as what: asked on the first start of the day, remembered in
 * the ledger for the rest of it. */
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "tui/internal.h"

struct who {
	struct form form;
	struct field actor;
	struct form_row *role;
	int quit_armed;
};

static void *who_open(struct tui *t, const void *arg)
{
	struct who *w = xcalloc(1, sizeof *w);
	struct form_row *r;

	(void)arg;
	field_init(&w->actor, ACTOR_MAX, 0);
	field_set(&w->actor, t->actor);
	r = form_add(&w->form, ROW_TEXT, _("Staff"));
	r->field = &w->actor;
	w->role = form_add(&w->form, ROW_CHOICE, _("Role"));
	w->role->opts[0] = label_role(ROLE_INSPECT);
	w->role->opts[1] = label_role(ROLE_INSTALL);
	w->role->nopts = 2;
	w->role->value = t->role == ROLE_INSTALL;
	form_add(&w->form, ROW_BUTTON, _("Start"));
	return w;
}

static void who_close(void *self)
{
	free(self);
}

static void who_draw(void *self, struct tui *t)
{
	struct who *w = self;
	int top = tui_body_top();

	(void)t;
	tui_title(_("Who is walking today?"), NULL);
	dpy_put(top, 0, dpy_cols(), _("Staff number or name, then the role."), LOOK_DIM);
	form_draw(&w->form, top + 2, tui_body_rows() - 2, dpy_cols());
}

static int remember(struct tui *t, const char *actor, enum role role)
{
	char today[16];

	tui_today(today, sizeof today);
	if (ledger_begin(t->l))
		return -1;
	if (ledger_meta_set(t->l, "tui_actor", actor) ||
	    ledger_meta_set(t->l, "tui_role", role_name(role)) ||
	    ledger_meta_set(t->l, "tui_day", today) || ledger_commit(t->l)) {
		ledger_rollback(t->l);
		return -1;
	}
	return 0;
}

static void save(struct who *w, struct tui *t)
{
	enum role role = w->role->value ? ROLE_INSTALL : ROLE_INSPECT;
	struct household h;

	if (!w->actor.buf[0]) {
		tui_message(t, LOOK_ERROR, "%s", _("Type a staff number or name first."));
		w->form.focus = 0;
		return;
	}
	if (household_get(t->l, w->actor.buf, &h) == 0) {
		tui_message(t, LOOK_ERROR, "%s", _("That is a household's account, not a staff number."));
		field_set(&w->actor, "");
		w->form.focus = 0;
		return;
	}
	if (remember(t, w->actor.buf, role) != 0) {
		tui_error(t);
		return;
	}
	gw_strlcpy(t->actor, w->actor.buf, sizeof t->actor);
	t->role = role;
	tui_pop(t);
}

static void who_key(void *self, struct tui *t, const struct tui_event *ev)
{
	struct who *w = self;

	if (ev->act != ACT_BACK)
		w->quit_armed = 0;
	if (ev->act == ACT_SCAN) { /* a scanned code is never a staff number */
		tui_message(t, LOOK_ERROR, "%s", _("A scan is not a staff number: type it on the keys."));
		return;
	}
	if (ev->act == ACT_SAVE) {
		save(w, t);
		return;
	}
	if (ev->act == ACT_BACK) {
		if (t->actor[0]) {
			tui_pop(t); /* keep who was set */
		} else if (w->quit_armed) {
			t->quit = 1;
		} else {
			w->quit_armed = 1;
			tui_message(t, LOOK_NORMAL, "%s", _("Nobody chosen: Esc again to quit."));
		}
		return;
	}
	if (form_key(&w->form, ev) == FORM_PRESSED)
		save(w, t);
}

const struct screen screen_who = {"who", KM_WHO, who_open, who_draw, who_key, who_close};
