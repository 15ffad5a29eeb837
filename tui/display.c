/* The display: every curses call of the program outside the bindings table. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <string.h>
#include <time.h>

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

/* Keys read ahead while telling a scanner's burst from typing, handed out later. */
#define BURST_GAP_MS 25 /* a scanner sends a key every few ms; a thumb, every 100 or more */
#define BURST_MIN 4     /* characters before the Enter: shorter is typing */
#define AHEAD_MAX (SERIAL_MAX + 2)

struct raw_key {
	int is_char;
	wint_t wc;
};

static struct raw_key ahead[AHEAD_MAX];
static int ahead_n, ahead_at;

static int scannable(int is_char, wint_t wc)
{
	return is_char && wc < 0x80 &&
	       ((wc >= '0' && wc <= '9') || (wc >= 'A' && wc <= 'Z') || (wc >= 'a' && wc <= 'z') ||
		wc == '-' || wc == '_' || wc == '.' || wc == '/');
}

static int is_enter(int is_char, wint_t wc)
{
	return is_char ? wc == '\n' || wc == '\r' : wc == KEY_ENTER;
}

static struct raw_key lf_kept; /* a key read while looking for a scanner's LF */
static int lf_kept_n;

/* A scanner that ends its code with CR LF: the LF is part of the scan, not a key. */
static void swallow_lf(void)
{
	wint_t wc;
	int rc = get_wch(&wc);

	if (rc != ERR && !(rc != KEY_CODE_YES && wc == '\n')) {
		lf_kept = (struct raw_key){rc != KEY_CODE_YES, wc};
		lf_kept_n = 1;
	}
}

/* After a scannable first key: reads what follows within BURST_GAP_MS each. A burst
 * of BURST_MIN or more such keys closed by Enter is a scan (1, its text in code);
 * else the keys read stay in `ahead` for the next reads (0). */
static int read_burst(wint_t first, char *code, size_t codesz)
{
	size_t n = 0;
	int scan = 0;

	ahead_n = ahead_at = 0;
	ahead[ahead_n++] = (struct raw_key){1, first};
	timeout(BURST_GAP_MS);
	while (ahead_n < AHEAD_MAX) {
		wint_t wc;
		int rc = get_wch(&wc);
		if (rc == ERR)
			break;
		ahead[ahead_n++] = (struct raw_key){rc != KEY_CODE_YES, wc};
		if (is_enter(rc != KEY_CODE_YES, wc)) {
			scan = ahead_n - 1 >= BURST_MIN;
			if (scan && wc == '\r')
				swallow_lf();
			break;
		}
		if (!scannable(rc != KEY_CODE_YES, wc))
			break;
	}
	timeout(-1);
	if (!scan || (size_t)ahead_n > codesz)
		return 0;
	for (int i = 0; i < ahead_n - 1; i++)
		code[n++] = (char)ahead[i].wc;
	code[n] = '\0';
	ahead_n = ahead_at = 0;
	if (lf_kept_n) /* what came after the scan is read next */
		ahead[ahead_n++] = lf_kept;
	lf_kept_n = 0;
	return 1;
}

int dpy_read(enum keymap km, struct tui_event *ev)
{
	wint_t wc;
	int rc, is_char;

	memset(ev, 0, sizeof *ev);
	if (ahead_at < ahead_n) {
		keys_map(km, ahead[ahead_at].is_char, (unsigned)ahead[ahead_at].wc, ev);
		ahead_at++;
		return 0;
	}
	rc = get_wch(&wc);
	if (rc == ERR)
		return -1;
	is_char = rc != KEY_CODE_YES;
	if (scannable(is_char, wc)) {
		char code[sizeof ev->code];
		if (read_burst(wc, code, sizeof code)) {
			ev->act = ACT_SCAN;
			memcpy(ev->code, code, sizeof code);
			return 0;
		}
		return dpy_read(km, ev); /* the first of the keys read ahead */
	}
	keys_map(km, is_char, (unsigned)wc, ev);
	return 0;
}

void dpy_drop_input(void)
{
	flushinp();
	ahead_n = ahead_at = 0;
	lf_kept_n = 0;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (long)(t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

int dpy_read_for(enum keymap km, struct tui_event *ev, int ms)
{
	struct timespec t0;
	int rc;

	if (ahead_at < ahead_n || ms < 0) /* keys read ahead come first, at once */
		return dpy_read(km, ev);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	timeout(ms);
	rc = dpy_read(km, ev);
	timeout(-1);
	if (rc != 0 && ms_since(&t0) >= ms - 50)
		return 1; /* nothing typed for ms */
	return rc;
}
