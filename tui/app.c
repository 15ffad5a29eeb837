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
	s->draw(t->stack[t->depth - 1].self, t);
	keys_legend(s->keymap, legend, sizeof legend);
	if (rows >= 2)
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
		gw_strlcpy(t->camera, dir, sizeof t->camera);
		return ledger_meta_set(t->l, "tui_camera", dir);
	}
	if (ledger_meta(t->l, "tui_camera", t->camera, sizeof t->camera) != 1 || !t->camera[0])
		gw_strlcpy(t->camera, DEFAULT_CAMERA, sizeof t->camera);
	return 0;
}

static void loop(struct tui *t)
{
	int errors = 0;

	while (!t->quit && t->depth > 0) {
		struct tui_event ev;
		const struct screen *s;

		draw(t);
		if (t->opts->exit_after_draw)
			break;
		s = t->stack[t->depth - 1].s;
		if (dpy_read(s->keymap, &ev) != 0) {
			if (++errors > MAX_READ_ERRORS) /* the terminal is gone */
				break;
			continue;
		}
		errors = 0;
		if (ev.act == ACT_NONE)
			continue;
		t->msg[0] = '\0';
		if (ev.act != ACT_RESIZE)
			s->key(t->stack[t->depth - 1].self, t, &ev);
	}
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
	gw_set_die_hook(dpy_close);
	dpy_open();
	tui_push(t, &screen_route, NULL);
	if (!who_remembered(t))
		tui_push(t, &screen_who, NULL);
	loop(t);
	while (t->depth > 0)
		tui_pop(t);
	dpy_close();
	free(t);
	return rc;
}
