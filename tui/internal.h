/* The inside of the TUI: actions, the screen table, the display and the widgets.
 * Only display.c and keys.c include curses; screens draw through dpy_* and see keys
 * as actions from the one bindings table in keys.c. */
#ifndef GW_TUI_INTERNAL_H
#define GW_TUI_INTERNAL_H

#include <limits.h>
#include <stddef.h>

#include "core/labels.h"
#include "core/ledger.h"
#include "tui/tui.h"

enum action {
	ACT_NONE,
	ACT_UP, ACT_DOWN, ACT_LEFT, ACT_RIGHT,
	ACT_ENTER, ACT_BACK, ACT_ERASE,
	ACT_DIGIT, /* ev.digit holds 0..9, ev.text the character */
	ACT_TEXT,  /* any other printable character, in ev.text (text fields only) */
	ACT_RESIZE,
	ACT_SCAN,  /* a scanner's burst: ev.code holds what it read (never typed keys) */
	ACT_SEARCH, ACT_PENDING, ACT_DEVICE, ACT_WHO,
	ACT_CAPTURE, ACT_INSTALL,
	ACT_SAVE, ACT_HAZARDS, ACT_PHOTOS, ACT_REFRESH,
	ACT_QUICK_OK, ACT_QUICK_NOHOME, /* the two-key doors: entered all ok, not at home */
	ACT_DISCARD, ACT_STAY,          /* answers to "not saved" */
	ACT_VOID, ACT_ADD, ACT_SUPPLY,
	ACT__N
};

/* Which part of the bindings table a screen uses (plus KM_ANY). */
enum keymap { KM_ANY, KM_ROUTE, KM_DOORS, KM_CARD, KM_CARD_INSTALL, KM_CAPTURE, KM_FORM_SHORT, KM_INSTALL,
	      KM_WHO, KM_SEARCH, KM_CHECKLIST, KM_PHOTOS, KM_DEVICE, KM_HISTORY, KM_VOID, KM_ASK,
	      KM__N };

struct tui_event {
	enum action act;
	int digit;
	char text[8]; /* UTF-8 of the typed character, "" for keys that are not one */
	char code[SERIAL_MAX + 1]; /* ACT_SCAN: the characters scanned */
};

/* ---- keys.c: the bindings table ---- */
/* Maps a curses key (is_char: a character from get_wch) to an event. */
void keys_map(enum keymap km, int is_char, unsigned key, struct tui_event *ev);
/* The key legend of a keymap, e.g. "F1 Find  F2 Pending  Esc Quit". */
void keys_legend(enum keymap km, char *out, size_t outsz);
/* The name of the key doing act in keymap km (its own keys first, then KM_ANY's). */
const char *keys_name(enum keymap km, enum action act);

/* ---- display.c: the only curses calls ---- */
enum look { LOOK_NORMAL, LOOK_TITLE, LOOK_SELECTED, LOOK_DIM, LOOK_ERROR, LOOK_OK, LOOK_QR };

void dpy_open(void);
void dpy_close(void); /* idempotent: also the die() hook */
int dpy_rows(void);
int dpy_cols(void);
void dpy_erase(void);
/* Draws s at (y, x) fitted to w columns (cut with an ellipsis, padded). */
void dpy_put(int y, int x, int w, const char *s, enum look look);
/* Draws already fitted, clean text (QR blocks) without refitting. */
void dpy_raw(int y, int x, const char *s, enum look look);
void dpy_cursor(int y, int x); /* y < 0 hides it */
void dpy_flush(void);
/* Waits for a key; -1 when the terminal gave none (closed). */
int dpy_read(enum keymap km, struct tui_event *ev);
/* The same, waiting at most ms: 1 when nothing was typed in that time. */
int dpy_read_for(enum keymap km, struct tui_event *ev, int ms);
/* Drops whatever was typed and not yet read (also the keys read ahead). */
void dpy_drop_input(void);
int dpy_has_colors(void);

/* ---- app.c: the screen stack ---- */
struct tui;

struct screen {
	const char *name;
	enum keymap keymap;
	void *(*open)(struct tui *t, const void *arg);
	void (*draw)(void *self, struct tui *t);
	void (*key)(void *self, struct tui *t, const struct tui_event *ev);
	void (*close)(void *self);
};

extern const struct screen screen_who, screen_route, screen_card, screen_capture,
	screen_install, screen_search, screen_checklist, screen_photos, screen_device,
	screen_history;

#define TUI_STACK_MAX 8
#define TUI_MSG_MAX 240

struct tui {
	struct ledger *l;
	const struct tui_options *opts;
	struct {
		const struct screen *s;
		void *self;
	} stack[TUI_STACK_MAX];
	int depth;
	char actor[ACTOR_MAX + 1];
	enum role role; /* ROLE_INSPECT or ROLE_INSTALL */
	char camera[PATH_MAX];
	char msg[TUI_MSG_MAX];
	enum look msg_look;
	enum keymap km; /* the top screen's keymap, set before each draw; draw may change it */
	char ask[HH_ACCOUNT_MAX + 1]; /* a scanned household waiting on "not saved" */
	unsigned gen; /* bumped whenever the ledger changes: screens reload */
	int64_t data_version; /* the ledger's as last drawn: others' writes bump gen */
	int quit;
};

/* ---- lock.c: the idle lock (setting idle_lock_minutes) ---- */
/* dpy_read for the main loop: after the idle time the lock screen, until unlocked;
 * then an ACT_NONE event, the screens underneath as they were. */
int lock_read(struct tui *t, enum keymap km, struct tui_event *ev);
/* At start: a terminal under a PIN asks for it before any screen. -1 (gw_error set,
 * nothing drawn) when the key is missing or refused: the terminal does not open. */
int lock_check(struct tui *t);
void lock_start(struct tui *t);

void tui_push(struct tui *t, const struct screen *s, const void *arg);
void tui_pop(struct tui *t);
/* A one-line message under the body until the next key. */
void tui_message(struct tui *t, enum look look, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The last gw_fail() message as an error line. */
void tui_error(struct tui *t);
/* The rows between the title and the message line. */
int tui_body_top(void);
int tui_body_rows(void);
/* The title bar: left text and right text (progress), fitted. */
void tui_title(const char *left, const char *right);
/* Today as YYYY-MM-DD in local time. */
void tui_today(char *out, size_t outsz);
/* Opens a household's card over the route, the route showing its door. */
void tui_open_household(struct tui *t, const char *account);
/* After a visit of account was saved: back to the route, on the next door. */
void tui_visit_saved(struct tui *t, const char *account);

/* ---- fit.c: names told apart by their end ---- */
/* s cleaned and fitted in w columns keeping its end: "…家属院）". */
void text_fit_tail(const char *s, int w, char *out, size_t outsz);
/* The same cutting the middle, the last keep_tail columns kept: "IMG_2023…_0042.jpg". */
void text_fit_middle(const char *s, int w, int keep_tail, char *out, size_t outsz);
/* "↑" on the first and "↓" on the last of rows lines (last column) when a list of
 * total lines shown from first has more above or below. */
void draw_scroll_marks(int top, int rows, int first, int total);

/* ---- scr_route.c: where the walk is ---- */
/* Shows account's door on the route (stack[0]); advance: the next door to do after it,
 * across units and buildings. */
void route_show(struct tui *t, const char *account, int advance);

/* ---- quick.c: the two-key doors ---- */
/* Records "entered, all required present and working" (ACT_QUICK_OK) or "not at home"
 * (ACT_QUICK_NOHOME) for account. 0 saved; 1 it asks first (message shown: the same
 * key again within confirm records it); -1 refused or failed (message shown). */
int quick_visit(struct tui *t, const char *account, enum action act, int confirmed);

/* ---- the forms a scan may interrupt ---- */
int capture_dirty(const void *self);
int capture_save(void *self, struct tui *t); /* 0 saved (screen popped) */
int install_dirty(const void *self);
int install_save(void *self, struct tui *t);

/* ---- field.c: a one-line text entry ---- */
struct field {
	char buf[NOTE_MAX + 1];
	size_t max; /* bytes */
	int digits_only;
};

void field_init(struct field *f, size_t max, int digits_only);
void field_set(struct field *f, const char *s);
/* 1 when the event edited the field (characters, erase). */
int field_key(struct field *f, const struct tui_event *ev);
/* Draws the end of the text that fits in w columns; with focus, places the cursor. */
void field_draw(const struct field *f, int y, int x, int w, int focus);

/* ---- form.c: rows of choices, text fields and buttons ---- */
enum row_kind { ROW_CHOICE, ROW_TEXT, ROW_BUTTON };
#define FORM_MAX_ROWS 16
#define FORM_MAX_OPTS 12

struct form_row {
	enum row_kind kind;
	const char *label;
	int hidden;
	const char *opts[FORM_MAX_OPTS]; /* choice labels */
	int nopts, value;
	struct field *field;
	char info[96]; /* what a button shows after its label */
};

struct form {
	struct form_row rows[FORM_MAX_ROWS];
	int n, focus, top;
};

enum form_result { FORM_IGNORED, FORM_CONSUMED, FORM_CHANGED, FORM_PRESSED };

struct form_row *form_add(struct form *f, enum row_kind kind, const char *label);
enum form_result form_key(struct form *f, const struct tui_event *ev);
void form_draw(struct form *f, int top, int rows, int cols);
/* Index of the focused row. */
int form_focus(const struct form *f);
void form_fix_focus(struct form *f);

/* ---- list.c: a scrolling selection ---- */
struct list {
	int n, sel, top;
};
/* Up/Down move, Left/Right page; 1 when the event moved the selection. */
int list_key(struct list *ls, const struct tui_event *ev, int rows);
/* Adjusts top so sel shows in rows lines. */
void list_scroll(struct list *ls, int rows);

/* What a capture or install form is building: the hazard checklist and the photo
 * picker edit it in place (their screens' argument). */
struct draft {
	struct visit v;
	struct household h;
	int64_t began; /* when the form opened: photos taken since are marked */
};

/* labels: core/labels.h */

/* ---- qr.c: a code as half-block lines ---- */
struct qr_image {
	int size;  /* modules per side of the code itself */
	int quiet; /* modules of light quiet zone drawn around it (qr_make: 2) */
	unsigned char *dark; /* size*size, 1 dark */
};
/* The smallest code of text (sync/qr.c: version 2 for a fingerprint or receipt). */
int qr_make(const char *text, struct qr_image *q);
void qr_free(struct qr_image *q);
/* Columns and lines the code takes with its quiet zone. */
int qr_cols(const struct qr_image *q);
int qr_rows(const struct qr_image *q);
/* Line y (0 .. qr_rows-1) as UTF-8 half blocks: dark modules drawn as ink when
 * ink_dark, else light ones (for a terminal without colours). */
void qr_line(const struct qr_image *q, int y, int ink_dark, char *out, size_t outsz);

#endif
