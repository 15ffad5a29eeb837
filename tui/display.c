/* The display: every curses call of the program outside the bindings table. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <string.h>

#include "core/text.h"
#include "core/util.h"
#include "tui/internal.h"

static int active;
static int colors;

enum { PAIR_TITLE = 1, PAIR_ERROR, PAIR_OK, PAIR_QR };

static void init_colors(void)
{
	if (!has_colors() || start_color() != OK)
		return;
	use_default_colors();
	init_pair(PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
	init_pair(PAIR_ERROR, COLOR_RED, -1);
	init_pair(PAIR_OK, COLOR_GREEN, -1);
	init_pair(PAIR_QR, COLOR_BLACK, COLOR_WHITE);
	colors = 1;
}

void dpy_open(void)
{
	if (active)
		return;
	set_escdelay(25); /* Esc is a key of its own on the keypad */
	if (!initscr())
		die("cannot start the screen (is TERM set?)");
	active = 1;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	init_colors();
	curs_set(0);
}

void dpy_close(void)
{
	if (!active)
		return;
	active = 0;
	endwin();
}

int dpy_rows(void) { return LINES; }
int dpy_cols(void) { return COLS; }
int dpy_has_colors(void) { return colors; }
void dpy_erase(void) { erase(); }
void dpy_flush(void) { refresh(); }

static attr_t look_attr(enum look look)
{
	switch (look) {
	case LOOK_TITLE:
		return colors ? COLOR_PAIR(PAIR_TITLE) | A_BOLD : A_REVERSE;
	case LOOK_SELECTED:
		return A_REVERSE;
	case LOOK_DIM:
		return A_DIM;
	case LOOK_ERROR:
		return colors ? COLOR_PAIR(PAIR_ERROR) | A_BOLD : A_BOLD;
	case LOOK_OK:
		return colors ? COLOR_PAIR(PAIR_OK) | A_BOLD : A_BOLD;
	case LOOK_QR:
		return colors ? COLOR_PAIR(PAIR_QR) : A_NORMAL;
	default:
		return A_NORMAL;
	}
}

void dpy_raw(int y, int x, const char *s, enum look look)
{
	attr_t a = look_attr(look);

	if (y < 0 || y >= LINES || x < 0 || x >= COLS)
		return;
	attron(a);
	mvaddstr(y, x, s);
	attroff(a);
}

void dpy_put(int y, int x, int w, const char *s, enum look look)
{
	char buf[1024];

	if (w > COLS - x)
		w = COLS - x;
	if (w <= 0)
		return;
	text_fit(s, w, 1, buf, sizeof buf);
	dpy_raw(y, x, buf, look);
}

void dpy_cursor(int y, int x)
{
	if (y < 0 || y >= LINES || x < 0 || x >= COLS) {
		curs_set(0);
		return;
	}
	move(y, x);
	curs_set(1);
}

int dpy_read(enum keymap km, struct tui_event *ev)
{
	wint_t wc;
	int rc = get_wch(&wc);

	memset(ev, 0, sizeof *ev);
	if (rc == ERR)
		return -1;
	keys_map(km, rc != KEY_CODE_YES, (unsigned)wc, ev);
	return 0;
}
