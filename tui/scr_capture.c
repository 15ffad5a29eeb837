/* Capture a visit: outcome, hose, the devices that apply to the household, hazards
 * from the checklist, the gas supply (non-residential), the policy notice given,
 * photos, a note. Saving is
 * one transaction (visit_record) and moves the route on to the next door. An
 * "entered" visit with a required item not checked is refused, saying which. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/refdata.h"
#include "core/util.h"
#include "tui/internal.h"

enum { R_OUTCOME, R_HOSE, R_VALVE, R_ALARM, R_SHUTOFF, R_HAZARDS, R_SUPPLY, R_CAUSE, R_NOTICE,
       R_PHOTOS, R_NOTE, R_SAVE };

#define CAUSES_MAX FORM_MAX_OPTS
#define NAMES_MAX 64 /* checklist items of one household's category */

struct capture {
	struct draft d;
	struct form form;
	struct field note;
	struct status st; /* before this visit */
	char causes[CAUSES_MAX][HAZARD_CODE_MAX + 1]; /* grade-1 hazards a stop may name */
	char cause_labels[CAUSES_MAX][REFDATA_NAME_MAX + HAZARD_CODE_MAX + 4]; /* "name code" */
	int ncauses;
	struct checklist_item names[NAMES_MAX]; /* the checklist's names of the codes */
	int nnames;
	int discard_armed;
};

static const enum item devs[] = {ITEM_VALVE, ITEM_ALARM, ITEM_SHUTOFF};

static void choice(struct form_row *r, const char *(*label)(int), int first, int n)
{
	for (int i = 0; i < n && i < FORM_MAX_OPTS; i++)
		r->opts[r->nopts++] = label(first + i);
}

static const char *outcome_opt(int v) { return label_outcome((enum outcome)v); }
static const char *hose_opt(int v) { return label_hose((enum hose)v); }
static const char *dev_opt(int v) { return label_devstate((enum devstate)v); }

static enum need need_of(const struct capture *c, enum item it)
{
	const struct household *h = &c->d.h;

	return rules_need(h->category, h->gas, h->new_build, it);
}

static void build_supply(struct capture *c)
{
	struct form_row *r = form_add(&c->form, ROW_CHOICE, _("Supply"));

	r->opts[r->nopts++] = _("unchanged");
	r->opts[r->nopts++] = _("stop");
	r->opts[r->nopts++] = _("restore");
	/* TRANSLATORS: form row: the hazard that made the supply stop */
	form_add(&c->form, ROW_CHOICE, _("Because"));
}

static void build_form(struct capture *c)
{
	struct form *f = &c->form;
	struct form_row *r;

	choice(form_add(f, ROW_CHOICE, _("Outcome")), outcome_opt, 0, OUT__N);
	/* TRANSLATORS: form row: the hose found (metal, non-metal or none) */
	choice(form_add(f, ROW_CHOICE, _("Hose")), hose_opt, 0, HOSE__N);
	for (int i = 0; i < 3; i++)
		choice(form_add(f, ROW_CHOICE, label_item(devs[i])), dev_opt, 0, DEV__N);
	form_add(f, ROW_BUTTON, _("Hazards"));
	build_supply(c);
	r = form_add(f, ROW_CHOICE, _("Notice"));
	r->opts[r->nopts++] = _("not given");
	r->opts[r->nopts++] = _("given");
	form_add(f, ROW_BUTTON, _("Photos"));
	form_add(f, ROW_TEXT, _("Note"))->field = &c->note;
	form_add(f, ROW_BUTTON, _("Save"));
}

static int add_name(void *ctx, const struct checklist_item *it)
{
	struct capture *c = ctx;

	if (c->nnames < NAMES_MAX)
		c->names[c->nnames++] = *it;
	return 0;
}

/* A cause as the checklist names it, its code after: "燃气泄漏 H03". */
static void add_cause(struct capture *c, const char *code)
{
	const char *name = NULL;

	for (int i = 0; i < c->ncauses; i++)
		if (!strcmp(c->causes[i], code))
			return;
	if (c->ncauses >= CAUSES_MAX)
		return;
	for (int i = 0; i < c->nnames && !name; i++)
		if (!strcmp(c->names[i].code, code))
			name = c->names[i].name;
	gw_strlcpy(c->causes[c->ncauses], code, sizeof c->causes[0]);
	snprintf(c->cause_labels[c->ncauses], sizeof c->cause_labels[0], "%s%s%s",
		 name ? name : "", name ? " " : "", code);
	c->ncauses++;
}

/* The grade-1 hazards a supply stop may name: marked in this visit, or still open. */
static void refresh_causes(struct capture *c)
{
	struct form_row *r = &c->form.rows[R_CAUSE];
	const struct visit *v = &c->d.v;

	c->ncauses = 0;
	for (int i = 0; i < v->nhazards; i++)
		if (v->hazards[i].grade == 1)
			add_cause(c, v->hazards[i].code);
	for (int i = 0; i < c->st.nhazards; i++)
		if (c->st.hazards[i].grade == 1)
			add_cause(c, c->st.hazards[i].code);
	r->nopts = 0;
	for (int i = 0; i < c->ncauses; i++)
		r->opts[r->nopts++] = c->cause_labels[i];
	if (!r->nopts)
		r->opts[r->nopts++] = _("(no grade-1 hazard)");
	if (r->value >= r->nopts)
		r->value = 0;
}

/* Rows that only make sense when the door opened; counts on the buttons. */
static void refresh_form(struct capture *c)
{
	struct form_row *rows = c->form.rows;
	int entered = rows[R_OUTCOME].value == OUT_ENTERED;
	int business = c->d.h.category != CAT_RESIDENTIAL;

	rows[R_HOSE].hidden = !entered;
	for (int i = 0; i < 3; i++)
		rows[R_VALVE + i].hidden = !entered || need_of(c, devs[i]) == NEED_NONE;
	rows[R_HAZARDS].hidden = !entered;
	rows[R_SUPPLY].hidden = !entered || !business;
	refresh_causes(c);
	rows[R_CAUSE].hidden = rows[R_SUPPLY].hidden || rows[R_SUPPLY].value != SUPPLY_STOPPED;
	snprintf(rows[R_HAZARDS].info, sizeof rows[0].info, _("%d found"), c->d.v.nhazards);
	snprintf(rows[R_PHOTOS].info, sizeof rows[0].info, _("%d attached"), c->d.v.nphotos);
	form_fix_focus(&c->form);
}

static void *capture_open(struct tui *t, const void *arg)
{
	struct capture *c = xcalloc(1, sizeof *c);

	if (household_get(t->l, arg, &c->d.h) != 0 ||
	    status_get(t->l, c->d.h.account, 0, &c->d.h, &c->st) != 0 ||
	    refdata_checklist(t->l, c->d.h.category, c->d.h.gas, i18n_is_zh(), add_name, c) != 0) {
		tui_error(t);
		free(c);
		return NULL;
	}
	c->d.began = gw_now();
	gw_strlcpy(c->d.v.account, c->d.h.account, sizeof c->d.v.account);
	field_init(&c->note, NOTE_MAX, 0);
	build_form(c);
	refresh_form(c);
	c->form.focus = R_HOSE; /* the outcome is "entered": start on what was found */
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

	refresh_form(c);
	if (c->form.rows[R_OUTCOME].value != OUT_ENTERED)
		t->km = KM_FORM_SHORT; /* no hazards to mark: F2 is not offered */
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
	v->entry_mode = ENTRY_FORM;
	gw_strlcpy(v->actor, t->actor, sizeof v->actor);
	gw_strlcpy(v->note, c->note.buf, sizeof v->note);
	v->at = gw_now();
	v->tz_minutes = time_local_offset(v->at);
	v->hose = v->outcome == OUT_ENTERED ? (enum hose)r[R_HOSE].value : HOSE_UNKNOWN;
	v->valve = !r[R_VALVE].hidden ? (enum devstate)r[R_VALVE].value : DEV_UNKNOWN;
	v->alarm = !r[R_ALARM].hidden ? (enum devstate)r[R_ALARM].value : DEV_UNKNOWN;
	v->shutoff = !r[R_SHUTOFF].hidden ? (enum devstate)r[R_SHUTOFF].value : DEV_UNKNOWN;
	v->supply = !r[R_SUPPLY].hidden ? (enum supply)r[R_SUPPLY].value : SUPPLY_NONE;
	v->notice = r[R_NOTICE].value == 1;
	v->supply_hazard[0] = '\0';
	if (v->supply == SUPPLY_STOPPED && c->ncauses)
		gw_strlcpy(v->supply_hazard, c->causes[r[R_CAUSE].value], sizeof v->supply_hazard);
	if (v->outcome != OUT_ENTERED)
		v->nhazards = 0;
}

/* What an "entered" visit still lacks: the required items left "not seen", a
 * stop without its hazard, a restore with nothing stopped. 0 when complete. */
static int incomplete(struct capture *c, struct tui *t)
{
	const struct visit *v = &c->d.v;
	const enum devstate seen[] = {v->valve, v->alarm, v->shutoff};
	char missing[200] = "";
	size_t len = 0;

	if (v->outcome != OUT_ENTERED)
		return 0;
	if (need_of(c, ITEM_HOSE) != NEED_NONE && v->hose == HOSE_UNKNOWN)
		len += (size_t)snprintf(missing, sizeof missing, "%s", _("Hose"));
	for (int i = 0; i < 3 && len < sizeof missing; i++)
		if (need_of(c, devs[i]) == NEED_REQUIRED && seen[i] == DEV_UNKNOWN)
			len += (size_t)snprintf(missing + len, sizeof missing - len, "%s%s",
						len ? _(", ") : "", label_item(devs[i]));
	if (len) {
		tui_message(t, LOOK_ERROR, _("Not saved: %s not checked."), missing);
		return 1;
	}
	if (v->supply == SUPPLY_STOPPED && !v->supply_hazard[0]) {
		tui_message(t, LOOK_ERROR, "%s", _("Not saved: a supply stop needs a grade-1 hazard."));
		return 1;
	}
	if (v->supply == SUPPLY_RESTORED && c->st.supply != SUPPLY_STOPPED) {
		tui_message(t, LOOK_ERROR, "%s", _("Not saved: the supply is not stopped."));
		return 1;
	}
	return 0;
}

int capture_save(void *self, struct tui *t)
{
	struct capture *c = self;
	struct visit *v = &c->d.v;
	struct status st;

	fill_visit(c, t);
	if (incomplete(c, t))
		return -1;
	if (visit_record(t->l, v) != 0) {
		tui_error(t);
		return -1;
	}
	if (status_get(t->l, c->d.h.account, 0, &c->d.h, &st) != 0)
		st.visits = 0;
	tui_message(t, LOOK_OK, _("Saved: %s %s (visit %d here)."), c->d.h.room,
		    label_outcome(v->outcome), st.visits);
	tui_visit_saved(t, c->d.h.account);
	return 0;
}

int capture_dirty(const void *self)
{
	const struct capture *c = self;
	int touched = c->note.buf[0] || c->d.v.nhazards || c->d.v.nphotos;

	for (int i = 0; i <= R_SHUTOFF; i++)
		touched |= c->form.rows[i].value != 0;
	touched |= c->form.rows[R_SUPPLY].value != 0 || c->form.rows[R_NOTICE].value != 0;
	return touched;
}

static void back(struct capture *c, struct tui *t)
{
	if (capture_dirty(c) && !c->discard_armed) {
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
	case ACT_SAVE: capture_save(c, t); return;
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
		capture_save(c, t);
}

const struct screen screen_capture = {"capture", KM_CAPTURE, capture_open, capture_draw,
				      capture_key, capture_close};
