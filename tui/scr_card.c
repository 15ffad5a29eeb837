/* The household card: who and what it is, what the plan requires and what is
 * missing, the last known state, open hazards with their deadlines, the visits. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/refdata.h"
#include "core/text.h"
#include "core/util.h"
#include "tui/internal.h"

#define CARD_LINES 96

struct card_line {
	char label[48];
	char value[512];
	enum look look;
};

struct card {
	char account[HH_ACCOUNT_MAX + 1];
	struct household h;
	struct status st;
	struct card_line lines[CARD_LINES];
	int n, top;
	unsigned gen;
	int loaded;
};

static void add(struct card *c, const char *label, enum look look, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add(struct card *c, const char *label, enum look look, const char *fmt, ...)
{
	struct card_line *ln;
	va_list ap;

	if (c->n == CARD_LINES)
		return;
	ln = &c->lines[c->n++];
	gw_strlcpy(ln->label, label, sizeof ln->label);
	ln->look = look;
	va_start(ap, fmt);
	vsnprintf(ln->value, sizeof ln->value, fmt, ap);
	va_end(ap);
}

static void add_identity(struct card *c)
{
	const struct household *h = &c->h;

	add(c, _("Name"), LOOK_NORMAL, "%s", h->name);
	add(c, _("Address"), LOOK_NORMAL, "%s %s-%s-%s", h->compound, h->building, h->unit,
	    h->room);
	add(c, _("Type"), LOOK_NORMAL, "%s, %s%s", label_category(h->category), label_gas(h->gas),
	    h->new_build ? _(", new build") : "");
	if (h->sector[0])
		add(c, _("Sector"), LOOK_NORMAL, "%s", h->sector);
	if (h->phone[0])
		add(c, _("Phone"), LOOK_NORMAL, "%s", h->phone);
}

static const char *observed(enum item it, const struct status *st)
{
	switch (it) {
	case ITEM_HOSE: return label_hose(st->hose);
	case ITEM_VALVE: return label_devstate(st->valve);
	case ITEM_ALARM: return label_devstate(st->alarm);
	default: return label_devstate(st->shutoff);
	}
}

static void add_needs(struct card *c)
{
	const struct household *h = &c->h;

	char missing[160] = "";
	size_t len = 0;

	add(c, _("Status"), c->st.state == ST_COMPLIANT ? LOOK_OK : LOOK_NORMAL, "%s",
	    label_state(c->st.state));
	for (int it = 0; it < ITEM__N && len < sizeof missing; it++)
		if (c->st.missing & (1u << it))
			len += (size_t)snprintf(missing + len, sizeof missing - len, "%s%s",
						len ? _(", ") : "", label_item((enum item)it));
	if (c->st.visits == 0)
		add(c, _("Missing"), LOOK_DIM, "%s", _("not known before a visit"));
	else
		add(c, _("Missing"), len ? LOOK_ERROR : LOOK_OK, "%s", len ? missing : _("nothing"));
	for (int it = 0; it < ITEM__N; it++) {
		enum need need = rules_need(h->category, h->gas, h->new_build, (enum item)it);
		int met = rules_item_met((enum item)it, &c->st);
		int lacking = need == NEED_REQUIRED && !met && c->st.visits > 0;
		if (need == NEED_NONE)
			continue;
		add(c, label_item((enum item)it), lacking ? LOOK_ERROR : LOOK_NORMAL, "%s %s: %s",
		    lacking ? "\xe2\x9c\x97" : met ? "\xe2\x9c\x93" : c->st.visits ? "-" : "?",
		    label_need(need), observed((enum item)it, &c->st));
	}
}

static int add_rect(void *ctx, const struct rectification *r)
{
	struct card *c = ctx;
	char due[16] = "-";

	if (r->deadline)
		label_day(r->deadline, due, sizeof due);
	add(c, _("Hazard"), r->grade == 1 ? LOOK_ERROR : LOOK_NORMAL, _("%s g%d due %s %s"),
	    r->code, r->grade, due, r->name);
	return 0;
}

static void add_visits(struct card *c, struct visit *v, size_t n)
{
	rules_sort(v, n);
	add(c, _("Visits"), LOOK_NORMAL, "%zu", n);
	for (size_t i = n; i-- > 0;) {
		char when[32], fitted[128] = "";
		size_t len = 0;
		label_when(v[i].at, when, sizeof when);
		for (int k = 0; k < v[i].ninstalls && len < sizeof fitted; k++)
			len += (size_t)snprintf(fitted + len, sizeof fitted - len, " +%s",
						label_item(v[i].installs[k].item));
		add(c, "", LOOK_NORMAL, "%s %s %s %s%s", when, label_outcome(v[i].outcome),
		    label_role(v[i].role), v[i].actor, fitted);
	}
}

static int load(struct card *c, struct tui *t)
{
	struct visit *v;
	size_t n;

	c->n = 0;
	c->loaded = 1;
	c->gen = t->gen;
	if (household_get(t->l, c->account, &c->h) || visit_load(t->l, c->account, 0, &v, &n))
		return -1;
	rules_fold(&c->h, v, n, &c->st);
	add_identity(c);
	add_needs(c);
	if (refdata_rectifications(t->l, c->account, i18n_is_zh(), add_rect, c)) {
		free(v);
		return -1;
	}
	add_visits(c, v, n);
	free(v);
	return 0;
}

static void *card_open(struct tui *t, const void *arg)
{
	struct card *c = xcalloc(1, sizeof *c);

	gw_strlcpy(c->account, arg, sizeof c->account);
	if (load(c, t) != 0) {
		tui_error(t);
		free(c);
		return NULL;
	}
	return c;
}

static void card_close(void *self)
{
	free(self);
}

static int label_width(const struct card *c, int cols)
{
	int w = 0;

	for (int i = 0; i < c->n; i++)
		if (text_width(c->lines[i].label) > w)
			w = text_width(c->lines[i].label);
	return w + 1 < cols / 3 ? w + 1 : cols / 3;
}

static void card_draw(void *self, struct tui *t)
{
	struct card *c = self;
	int top = tui_body_top(), rows = tui_body_rows(), cols = dpy_cols(), lw;

	if (c->gen != t->gen && load(c, t) != 0)
		tui_error(t);
	tui_title(c->h.account, label_role(t->role));
	if (c->top > c->n - rows)
		c->top = c->n - rows;
	if (c->top < 0)
		c->top = 0;
	lw = label_width(c, cols);
	for (int i = c->top; i < c->n && i < c->top + rows; i++) {
		int y = top + i - c->top;
		dpy_put(y, 0, lw, c->lines[i].label, LOOK_DIM);
		dpy_put(y, lw, cols - lw, c->lines[i].value, c->lines[i].look);
	}
}

static void card_key(void *self, struct tui *t, const struct tui_event *ev)
{
	struct card *c = self;

	switch (ev->act) {
	case ACT_UP: c->top--; break;
	case ACT_DOWN: c->top++; break;
	case ACT_LEFT: c->top -= tui_body_rows(); break;
	case ACT_RIGHT: c->top += tui_body_rows(); break;
	case ACT_BACK: tui_pop(t); break;
	case ACT_CAPTURE: tui_push(t, &screen_capture, c->account); break;
	case ACT_INSTALL: tui_push(t, &screen_install, c->account); break;
	case ACT_ENTER:
		tui_push(t, t->role == ROLE_INSTALL ? &screen_install : &screen_capture, c->account);
		break;
	default: break;
	}
}

const struct screen screen_card = {"card", KM_CARD, card_open, card_draw, card_key, card_close};
