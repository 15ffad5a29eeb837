/* Capture a visit: outcome, hose, the devices that apply to the household, hazards
 * from the checklist, photos, a note. Saving is one transaction (visit_record). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "tui/internal.h"

enum { R_OUTCOME, R_HOSE, R_VALVE, R_ALARM, R_SHUTOFF, R_HAZARDS, R_PHOTOS, R_NOTE, R_SAVE };

struct capture {
	struct draft d;
	struct form form;
	struct field note;
	int discard_armed;
};

static void choice(struct form_row *r, const char *(*label)(int), int first, int n)
{
	for (int i = 0; i < n && i < FORM_MAX_OPTS; i++)
		r->opts[r->nopts++] = label(first + i);
}

static const char *outcome_opt(int v) { return label_outcome((enum outcome)v); }
static const char *hose_opt(int v) { return label_hose((enum hose)v); }
static const char *dev_opt(int v) { return label_devstate((enum devstate)v); }

static void build_form(struct capture *c)
{
	struct form *f = &c->form;
	const struct household *h = &c->d.h;
	static const enum item devs[] = {ITEM_VALVE, ITEM_ALARM, ITEM_SHUTOFF};

	choice(form_add(f, ROW_CHOICE, _("Outcome")), outcome_opt, 0, OUT__N);
	choice(form_add(f, ROW_CHOICE, label_item(ITEM_HOSE)), hose_opt, 0, HOSE__N);
	for (int i = 0; i < 3; i++) {
		struct form_row *r = form_add(f, ROW_CHOICE, label_item(devs[i]));
		choice(r, dev_opt, 0, DEV__N);
		r->hidden = rules_need(h->category, h->gas, h->new_build, devs[i]) == NEED_NONE;
	}
	form_add(f, ROW_BUTTON, _("Hazards"));
	form_add(f, ROW_BUTTON, _("Photos"));
	form_add(f, ROW_TEXT, _("Note"))->field = &c->note;
	form_add(f, ROW_BUTTON, _("Save"));
}

/* Rows that only make sense when the door opened; counts on the buttons. */
static void refresh_form(struct capture *c)
{
	const struct household *h = &c->d.h;
	int entered = c->form.rows[R_OUTCOME].value == OUT_ENTERED;
	static const enum item devs[] = {ITEM_VALVE, ITEM_ALARM, ITEM_SHUTOFF};

	c->form.rows[R_HOSE].hidden = !entered;
	for (int i = 0; i < 3; i++)
		c->form.rows[R_VALVE + i].hidden =
			!entered ||
			rules_need(h->category, h->gas, h->new_build, devs[i]) == NEED_NONE;
	c->form.rows[R_HAZARDS].hidden = !entered;
	snprintf(c->form.rows[R_HAZARDS].info, sizeof c->form.rows[0].info, _("%d found"),
		 c->d.v.nhazards);
	snprintf(c->form.rows[R_PHOTOS].info, sizeof c->form.rows[0].info, _("%d attached"),
		 c->d.v.nphotos);
	form_fix_focus(&c->form);
}

static void *capture_open(struct tui *t, const void *arg)
{
	struct capture *c = xcalloc(1, sizeof *c);

	if (household_get(t->l, arg, &c->d.h) != 0) {
		tui_error(t);
		free(c);
		return NULL;
	}
	c->d.began = gw_now();
	gw_strlcpy(c->d.v.account, c->d.h.account, sizeof c->d.v.account);
	field_init(&c->note, NOTE_MAX, 0);
	build_form(c);
	refresh_form(c);
	return c;
}

static void capture_close(void *self)
{
	free(self);
}

static void capture_draw(void *self, struct tui *t)
{
	struct capture *c = self;
	char title[HH_NAME_MAX + HH_PLACE_MAX + 8];

	(void)t;
	refresh_form(c);
	snprintf(title, sizeof title, "%s %s", c->d.h.room, c->d.h.name);
	tui_title(title, _("visit"));
	form_draw(&c->form, tui_body_top(), tui_body_rows(), dpy_cols());
}

static void fill_visit(struct capture *c, struct tui *t)
{
	struct visit *v = &c->d.v;
	const struct form_row *r = c->form.rows;

	v->outcome = (enum outcome)r[R_OUTCOME].value;
	v->role = t->role;
	gw_strlcpy(v->actor, t->actor, sizeof v->actor);
	gw_strlcpy(v->note, c->note.buf, sizeof v->note);
	v->at = gw_now();
	v->tz_minutes = time_local_offset(v->at);
	v->hose = v->outcome == OUT_ENTERED ? (enum hose)r[R_HOSE].value : HOSE_UNKNOWN;
	v->valve = !r[R_VALVE].hidden ? (enum devstate)r[R_VALVE].value : DEV_UNKNOWN;
	v->alarm = !r[R_ALARM].hidden ? (enum devstate)r[R_ALARM].value : DEV_UNKNOWN;
	v->shutoff = !r[R_SHUTOFF].hidden ? (enum devstate)r[R_SHUTOFF].value : DEV_UNKNOWN;
	if (v->outcome != OUT_ENTERED)
		v->nhazards = 0;
}

static void save(struct capture *c, struct tui *t)
{
	struct visit *v = &c->d.v;

	fill_visit(c, t);
	if (visit_record(t->l, v) != 0) {
		tui_error(t);
		return;
	}
	t->gen++;
	tui_message(t, LOOK_OK, _("Saved: %s, visit %lld."), label_outcome(v->outcome),
		    (long long)v->id.seq);
	tui_pop(t);
}

static void back(struct capture *c, struct tui *t)
{
	int touched = c->note.buf[0] || c->d.v.nhazards || c->d.v.nphotos;

	for (int i = 0; i <= R_SHUTOFF; i++)
		touched |= c->form.rows[i].value != 0;
	if (touched && !c->discard_armed) {
		c->discard_armed = 1;
		tui_message(t, LOOK_ERROR, "%s", _("Not saved. Esc again to discard, F1 to save."));
		return;
	}
	tui_pop(t);
}

static void capture_key(void *self, struct tui *t, const struct tui_event *ev)
{
	struct capture *c = self;
	int row = form_focus(&c->form);

	if (ev->act != ACT_BACK)
		c->discard_armed = 0;
	switch (ev->act) {
	case ACT_SAVE: save(c, t); return;
	case ACT_BACK: back(c, t); return;
	case ACT_HAZARDS:
		if (c->form.rows[R_OUTCOME].value == OUT_ENTERED)
			tui_push(t, &screen_checklist, &c->d);
		return;
	case ACT_PHOTOS: tui_push(t, &screen_photos, &c->d); return;
	default: break;
	}
	if (form_key(&c->form, ev) != FORM_PRESSED)
		return;
	if (row == R_HAZARDS)
		tui_push(t, &screen_checklist, &c->d);
	else if (row == R_PHOTOS)
		tui_push(t, &screen_photos, &c->d);
	else if (row == R_SAVE)
		save(c, t);
}

const struct screen screen_capture = {"capture", KM_CAPTURE, capture_open, capture_draw,
				      capture_key, capture_close};
