/* The screen stack and the main loop: draw the top screen, read a key, hand the
 * key to the screen as an action. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "core/watch.h"
#include "tui/internal.h"

#define DEFAULT_CAMERA "./camera"
#define MAX_READ_ERRORS 100

void tui_push(struct tui *t, const struct screen *s, const void *arg)
{
	void *self;

	if (t->depth == TUI_STACK_MAX)
		return;
	self = s->open(t, arg);
	if (!self)
		return;
	t->stack[t->depth].s = s;
	t->stack[t->depth].self = self;
	t->depth++;
}

void tui_pop(struct tui *t)
{
	if (t->depth == 0)
		return;
	t->depth--;
	t->stack[t->depth].s->close(t->stack[t->depth].self);
}

void tui_message(struct tui *t, enum look look, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	t->msg_look = look;
}

void tui_error(struct tui *t)
{
	tui_message(t, LOOK_ERROR, "%s", gw_error());
}

int tui_body_top(void)
{
	return 1;
}

int tui_body_rows(void)
{
	int n = dpy_rows() - 3;

	return n > 0 ? n : 0;
}

void tui_title(const char *left, const char *right)
{
	int cols = dpy_cols(), rw = right ? text_width(right) : 0;

	if (rw > cols / 2)
		rw = cols / 2;
	dpy_put(0, 0, cols, "", LOOK_TITLE);
	dpy_put(0, 0, cols - rw - (rw ? 1 : 0), left, LOOK_TITLE);
	if (rw)
		dpy_put(0, cols - rw, rw, right, LOOK_TITLE);
}

void tui_today(char *out, size_t outsz)
{
	label_day(gw_now(), out, outsz);
}

static void draw(struct tui *t)
{
	const struct screen *s = t->stack[t->depth - 1].s;
	char legend[256];
	int rows = dpy_rows(), cols = dpy_cols();

	dpy_erase();
	dpy_cursor(-1, -1);
	t->km = s->keymap;
	s->draw(t->stack[t->depth - 1].self, t);
	keys_legend(t->ask[0] ? KM_ASK : t->km, legend, sizeof legend);
	if (rows >= 2 && t->msg[0]) /* an empty message row leaves what the screen drew there */
		dpy_put(rows - 2, 0, cols, t->msg, t->msg_look);
	dpy_put(rows - 1, 0, cols, legend, LOOK_TITLE);
	dpy_flush();
}

/* Who is working today: remembered in the ledger for the day. */
static int who_remembered(struct tui *t)
{
	char day[16], today[16], role[16];

	tui_today(today, sizeof today);
	if (ledger_meta(t->l, "tui_day", day, sizeof day) != 1 || strcmp(day, today) != 0 ||
	    ledger_meta(t->l, "tui_actor", t->actor, sizeof t->actor) != 1 || !t->actor[0] ||
	    ledger_meta(t->l, "tui_role", role, sizeof role) != 1)
		return 0;
	t->role = role_parse(role) == ROLE_INSTALL ? ROLE_INSTALL : ROLE_INSPECT;
	return 1;
}

static int set_camera(struct tui *t)
{
	const char *dir = t->opts->camera_dir;

	if (dir) {
		char *abs = gw_abspath(dir);
		int rc;
		gw_strlcpy(t->camera, abs, sizeof t->camera);
		rc = ledger_meta_set(t->l, "tui_camera", abs);
		free(abs);
		return rc;
	}
	if (ledger_meta(t->l, "tui_camera", t->camera, sizeof t->camera) != 1 || !t->camera[0])
		gw_strlcpy(t->camera, DEFAULT_CAMERA, sizeof t->camera);
	return 0;
}

void tui_open_household(struct tui *t, const char *account)
{
	char acc[HH_ACCOUNT_MAX + 1];

	gw_strlcpy(acc, account, sizeof acc); /* account may live in a screen popped here */
	while (t->depth > 1)
		tui_pop(t);
	route_show(t, acc, 0);
	tui_push(t, &screen_card, acc);
}

void tui_visit_saved(struct tui *t, const char *account)
{
	char acc[HH_ACCOUNT_MAX + 1];

	gw_strlcpy(acc, account, sizeof acc);
	t->gen++;
	while (t->depth > 1)
		tui_pop(t);
	route_show(t, acc, 1);
}

/* The form on the stack holding unsaved work, its index; -1 when none. */
static int dirty_form(const struct tui *t)
{
	for (int i = t->depth - 1; i >= 0; i--) {
		const struct screen *s = t->stack[i].s;
		if ((s == &screen_capture && capture_dirty(t->stack[i].self)) ||
		    (s == &screen_install && install_dirty(t->stack[i].self)))
			return i;
	}
	return -1;
}

/* A scanner read code: open that household, asking first when a form holds unsaved
 * work; a code that is no account goes to the screen (an install's serial) and
 * changes nothing else. The who screen never takes a scan. */
static void on_scan(struct tui *t, const struct tui_event *ev)
{
	struct household h;
	char clean[sizeof ev->code];
	void *self = t->stack[t->depth - 1].self;
	const struct screen *s = t->stack[t->depth - 1].s;

	text_clean(ev->code, clean, sizeof clean);
	if (s == &screen_who || household_get(t->l, ev->code, &h) != 0) {
		if (s != &screen_who)
			tui_message(t, LOOK_ERROR, _("Scanned %s: no household has this account."),
				    clean);
		s->key(self, t, ev);
		return;
	}
	if (dirty_form(t) >= 0) {
		gw_strlcpy(t->ask, h.account, sizeof t->ask);
		tui_message(t, LOOK_ERROR, _("Scanned %s: this form is not saved."), clean);
		return;
	}
	tui_open_household(t, h.account);
}

/* The answer to "not saved": F1 saves then opens, Esc discards then opens, any
 * other key stays on the form. */
static void on_ask(struct tui *t, const struct tui_event *ev)
{
	char acc[HH_ACCOUNT_MAX + 1];
	int i = dirty_form(t);
	int saved;

	gw_strlcpy(acc, t->ask, sizeof acc);
	t->ask[0] = '\0';
	if (i < 0 || ev->act == ACT_DISCARD) {
		tui_open_household(t, acc);
		return;
	}
	if (ev->act != ACT_SAVE) {
		tui_message(t, LOOK_NORMAL, "%s", _("Stayed on the form; nothing changed."));
		return;
	}
	while (t->depth > i + 1) /* hazards or photos over the form edit it in place */
		tui_pop(t);
	saved = t->stack[i].s == &screen_capture ? capture_save(t->stack[i].self, t)
						   : install_save(t->stack[i].self, t);
	if (saved == 0)
		tui_open_household(t, acc);
}

static void loop(struct tui *t)
{
	int errors = 0;

	while (!t->quit && t->depth > 0) {
		struct tui_event ev;
		const struct screen *s;

		if (watch_changed(t->l, &t->data_version) > 0)
			t->gen++; /* 'gaswalk record' or a load wrote meanwhile */
		draw(t);
		if (t->opts->exit_after_draw)
			break;
		s = t->stack[t->depth - 1].s;
		if (lock_read(t, t->ask[0] ? KM_ASK : t->km, &ev) != 0) {
			if (++errors > MAX_READ_ERRORS) /* the terminal is gone */
				break;
			continue;
		}
		errors = 0;
		if (ev.act == ACT_NONE && !t->ask[0])
			continue;
		if (ev.act == ACT_RESIZE)
			continue;
		t->msg[0] = '\0';
		if (ev.act == ACT_SCAN)
			on_scan(t, &ev);
		else if (t->ask[0])
			on_ask(t, &ev);
		else
			s->key(t->stack[t->depth - 1].self, t, &ev);
	}
}

/* A clock earlier than the office's last pack: the bundles would be held there. */
static void warn_clock(struct tui *t)
{
	char buf[32], day[16];
	int64_t made;

	if (ledger_meta(t->l, "pack_created", buf, sizeof buf) != 1)
		return;
	made = strtoll(buf, NULL, 10);
	if (made <= gw_now())
		return;
	label_day(made, day, sizeof day);
	tui_message(t, LOOK_ERROR, _("The clock is before the last pack (%s): set the date."), day);
}

int tui_run(struct ledger *l, const struct tui_options *o)
{
	struct tui *t = xcalloc(1, sizeof *t);
	int rc = 0;

	t->l = l;
	t->opts = o;
	if (set_camera(t) != 0) {
		free(t);
		return 1;
	}
	if (lock_check(t) != 0) { /* a destroyed or swapped key opens nothing */
		free(t);
		return 1;
	}
	gw_set_die_hook(dpy_close);
	dpy_open();
	lock_start(t); /* a terminal under a PIN shows nothing before it */
	tui_push(t, &screen_route, NULL);
	warn_clock(t);
	if (!who_remembered(t))
		tui_push(t, &screen_who, NULL);
	loop(t);
	while (t->depth > 0)
		tui_pop(t);
	dpy_close();
	if (t->quit < 0) /* quit on the lock screen: the key is gone */
		rc = lock_check(t) != 0 ? 1 : 0;
	free(t);
	return rc;
}
