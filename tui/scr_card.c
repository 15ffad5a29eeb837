/* The household card: where and who it is, what the plan requires and what is
 * missing, the last known state, open hazards with their deadlines, the visits; the
 * two one-key outcomes, and the record of visits to void a mistaken one. */
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
	char sector[REFDATA_NAME_MAX + 1];
	int entered;   /* visits that got in (not voided): only they know what is missing */
	int64_t notice_at; /* the last visit that gave the policy notice, 0 none */
	char confirm;  /* the quick "all ok" asked first */
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

/* "1栋 1单元 101": where the door is, short enough for the title. */
static void door_where(const struct household *h, char *out, size_t outsz)
{
	const char *parts[] = {h->building, h->unit, h->room[0] ? h->room : h->floor};
	const char *fmts[] = {_("Bldg %s"), _("Unit %s"), "%s"};
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; i < 3; i++) {
		int ascii = 1;
		if (!parts[i][0])
			continue;
		for (const char *p = parts[i]; *p; p++)
			ascii &= (unsigned char)*p < 0x80;
		if (len && len < outsz)
			len += (size_t)snprintf(out + len, outsz - len, " ");
		if (len < outsz)
			len += (size_t)snprintf(out + len, outsz - len, ascii ? fmts[i] : "%s",
						parts[i]);
	}
}

static void add_identity(struct card *c)
{
	const struct household *h = &c->h;

	add(c, _("Name"), LOOK_NORMAL, "%s", h->name);
	add(c, _("Compound"), LOOK_NORMAL, "%s", h->compound);
	add(c, _("Type"), LOOK_NORMAL, "%s, %s%s", label_category(h->category), label_gas(h->gas),
	    h->new_build ? _(", new build") : "");
	if (h->sector[0])
		add(c, _("Sector"), LOOK_NORMAL, "%s", c->sector);
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

static void add_state(struct card *c)
{
	if (c->st.last_outcome == OUT_VACANT)
		add(c, _("Status"), LOOK_NORMAL, "%s", _("vacant: visited, nothing to do"));
	else
		add(c, _("Status"), c->st.state == ST_COMPLIANT ? LOOK_OK : LOOK_NORMAL, "%s",
		    label_state(c->st.state));
	if (c->st.supply == SUPPLY_STOPPED)
		add(c, _("Supply"), LOOK_ERROR, "%s", _("stopped, not restored yet"));
	if (c->notice_at) {
		char day[16];
		label_day(c->notice_at, day, sizeof day);
		add(c, _("Notice"), LOOK_NORMAL, _("given %s"), day);
	}
}

static void add_needs(struct card *c)
{
	const struct household *h = &c->h;
	char missing[160] = "";
	size_t len = 0;

	add_state(c);
	for (int it = 0; it < ITEM__N && len < sizeof missing; it++)
		if (c->st.missing & (1u << it))
			len += (size_t)snprintf(missing + len, sizeof missing - len, "%s%s",
						len ? _(", ") : "", label_item((enum item)it));
	if (c->entered == 0)
		add(c, _("Missing"), LOOK_DIM, "%s", _("unknown until a visit gets in"));
	else
		add(c, _("Missing"), len ? LOOK_ERROR : LOOK_OK, "%s", len ? missing : _("nothing"));
	for (int it = 0; it < ITEM__N; it++) {
		enum need need = rules_need(h->category, h->gas, h->new_build, (enum item)it);
		int met = rules_item_met((enum item)it, &c->st);
		int lacking = need == NEED_REQUIRED && !met && c->entered > 0;
		if (need == NEED_NONE)
			continue;
		add(c, label_item_short((enum item)it), lacking ? LOOK_ERROR : LOOK_NORMAL, "%s %s: %s",
		    lacking ? "\xe2\x9c\x97" : met && c->entered ? "\xe2\x9c\x93" : c->entered ? "-" : "?",
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
	size_t counted = 0;

	rules_sort(v, n);
	for (size_t i = 0; i < n; i++)
		counted += !v[i].voided;
	add(c, _("Visits"), LOOK_NORMAL, "%zu", counted);
	for (size_t i = n; i-- > 0;) {
		char when[32], fitted[128] = "";
		size_t len = 0;
		label_when(v[i].at, when, sizeof when);
		for (int k = 0; k < v[i].ninstalls && len < sizeof fitted; k++)
			len += (size_t)snprintf(fitted + len, sizeof fitted - len, " +%s",
						label_item(v[i].installs[k].item));
		add(c, "", v[i].voided ? LOOK_DIM : LOOK_NORMAL, "%s %s%s %s %s%s", when,
		    label_outcome(v[i].outcome), v[i].voided ? _("(voided)") : "",
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
	if (c->h.sector[0])
		refdata_sector_name(t->l, c->h.sector, i18n_is_zh(), c->sector, sizeof c->sector);
	c->entered = 0;
	c->notice_at = 0;
	for (size_t i = 0; i < n; i++) {
		c->entered += !v[i].voided && v[i].outcome == OUT_ENTERED;
		if (!v[i].voided && v[i].notice && v[i].at > c->notice_at)
			c->notice_at = v[i].at;
	}
	add_identity(c);
	rules_fold(&c->h, v, n, &c->st); /* leaves voided visits out */
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

static void draw_title(const struct card *c, int cols)
{
	char where[3 * HH_PLACE_MAX + 64], fitted[3 * HH_PLACE_MAX + 64];
	int rw = text_width(c->h.account);

	door_where(&c->h, where, sizeof where);
	text_fit_tail(where, cols - rw - 1, fitted, sizeof fitted);
	tui_title(fitted, c->h.account);
}

static void card_draw(void *self, struct tui *t)
{
	struct card *c = self;
	int top = tui_body_top(), rows = tui_body_rows(), cols = dpy_cols(), lw, w;

	if (c->gen != t->gen && load(c, t) != 0)
		tui_error(t);
	if (t->role == ROLE_INSTALL)
		t->km = KM_CARD_INSTALL;
	draw_title(c, cols);
	if (c->top > c->n - rows)
		c->top = c->n - rows;
	if (c->top < 0)
		c->top = 0;
	lw = label_width(c, cols);
	w = c->n > rows ? cols - 1 : cols;
	for (int i = c->top; i < c->n && i < c->top + rows; i++) {
		int y = top + i - c->top;
		char value[sizeof c->lines[0].value];
		if (i == 1) /* the compound: keep its distinguishing end */
			text_fit_tail(c->lines[i].value, w - lw, value, sizeof value);
		else
			gw_strlcpy(value, c->lines[i].value, sizeof value);
		dpy_put(y, 0, lw, c->lines[i].label, LOOK_DIM);
		dpy_put(y, lw, w - lw, value, c->lines[i].look);
	}
	draw_scroll_marks(top, rows, c->top, c->n);
}

static void quick(struct card *c, struct tui *t, enum action act)
{
	char acc[HH_ACCOUNT_MAX + 1];
	int again = act == ACT_QUICK_OK && c->confirm;

	c->confirm = 0;
	gw_strlcpy(acc, c->account, sizeof acc); /* the card is closed when it saves */
	if (quick_visit(t, acc, act, again) == 1)
		c->confirm = 1;
}

static void card_key(void *self, struct tui *t, const struct tui_event *ev)
{
	struct card *c = self;

	if (ev->act != ACT_QUICK_OK)
		c->confirm = 0;
	switch (ev->act) {
	case ACT_UP: c->top--; break;
	case ACT_DOWN: c->top++; break;
	case ACT_LEFT: c->top -= tui_body_rows(); break;
	case ACT_RIGHT: c->top += tui_body_rows(); break;
	case ACT_BACK: tui_pop(t); break;
	case ACT_CAPTURE: tui_push(t, &screen_capture, c->account); break;
	case ACT_INSTALL: tui_push(t, &screen_install, c->account); break;
	case ACT_VOID: tui_push(t, &screen_history, c->account); break;
	case ACT_QUICK_OK:
	case ACT_QUICK_NOHOME:
		if (t->role != ROLE_INSTALL)
			quick(c, t, ev->act);
		break;
	case ACT_ENTER:
		tui_push(t, t->role == ROLE_INSTALL ? &screen_install : &screen_capture, c->account);
		break;
	default: break;
	}
}

const struct screen screen_card = {"card", KM_CARD, card_open, card_draw, card_key, card_close};
