/* The idle lock: after setting idle_lock_minutes without a key, the screens hide behind
 * a lock screen that shows no household data. A terminal whose keys are under a PIN
 * is unlocked with that PIN (checked by opening the key file: no verifier; wrong PINs
 * count as on any other try); one without a PIN by Enter. The lock is drawn over the
 * screen stack, which it leaves as it was: a note typed before the lock is still there.
 *
 * An entry shorter than a PIN is no try (nor is a scanner's burst). After a wrong PIN
 * the screen says how many tries are left (and warns before the last), and during the
 * back-off how long to wait, typing ignored. A key destroyed by the tries, missing or
 * swapped for one under no PIN opens nothing: the screen says what happened and what
 * to do, and Esc quits. What was typed before an unlock never reaches the screens. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "core/settings.h"
#include "core/text.h"
#include "core/util.h"
#include "sync/keys.h"
#include "tui/internal.h"

#define LOCK_MSG_MAX 512

struct lock {
	int protected_; /* 1 under a PIN, 0 Enter unlocks, -1 the key is gone: quit only */
	char pin[SYNC_PIN_MAX + 1];
	size_t n;
	char why[LOCK_MSG_MAX];
	enum look look;
};

/* The idle time in ms: the setting, or the test build's GASWALK_IDLE_SECONDS. */
static int idle_ms(struct tui *t)
{
	long s = gw_test_idle_seconds();

	if (s <= 0)
		s = settings_get_int(t->l, "idle_lock_minutes") * 60;
	return s > 0 && s < 24L * 3600 ? (int)(s * 1000) : -1;
}

/* 1 if a line may break after the code point cp (a space, CJK punctuation). */
static int breaks_after(uint32_t cp)
{
	return cp == ' ' || cp == 0xFF0C || cp == 0xFF1B || cp == 0xFF1A || cp == 0x3002 ||
	       cp == 0x3001 || cp == 0xFF09 || cp == 0xFF01;
}

/* The bytes of s that fit in cols columns, cut after a break when there is one. */
static size_t line_len(const char *s, int cols)
{
	size_t i = 0, cut = 0, n = strlen(s);
	int w = 0;

	while (i < n) {
		uint32_t cp;
		size_t len = text_decode(s + i, n - i, &cp);
		int cw;

		len = len ? len : 1;
		cw = text_cp_width(cp);
		if (w + cw > cols)
			break;
		w += cw;
		i += len;
		if (breaks_after(cp))
			cut = i;
	}
	if (i < n && cut > 0)
		i = cut;
	return i ? i : 1;
}

/* Draws s from row y wrapped at the screen's width; the next free row. */
static int put_wrapped(int y, const char *s, enum look look)
{
	char buf[LOCK_MSG_MAX];
	int cols = dpy_cols();

	while (*s && y < dpy_rows()) {
		size_t n = line_len(s, cols);

		memcpy(buf, s, n < sizeof buf ? n : sizeof buf - 1);
		buf[n < sizeof buf ? n : sizeof buf - 1] = '\0';
		dpy_put(y++, 0, cols, buf, look);
		for (s += n; *s == ' ';)
			s++;
	}
	return y;
}

static void draw_lock(const struct lock *k)
{
	char stars[SYNC_PIN_MAX + 1], quit[64];
	int rows = dpy_rows(), cols = dpy_cols(), y = k->protected_ < 0 ? 1 : rows / 2 - 2;

	dpy_erase();
	dpy_put(y < 0 ? 0 : y, 0, cols, _("Locked"), LOOK_TITLE);
	if (k->protected_ < 0) {
		y = put_wrapped(y + 2, k->why, LOOK_ERROR);
		snprintf(quit, sizeof quit, _("%s quits"), keys_name(KM_ROUTE, ACT_BACK));
		dpy_put(y + 1, 0, cols, quit, LOOK_NORMAL);
	} else {
		memset(stars, '*', k->n);
		stars[k->n] = '\0';
		dpy_put(y + 1, 0, cols, k->protected_ ? _("PIN, then Enter:") : _("Enter unlocks"),
			LOOK_NORMAL);
		if (k->protected_)
			dpy_put(y + 2, 0, cols, stars, LOOK_NORMAL);
		put_wrapped(y + 3, k->why, k->look);
	}
	dpy_cursor(-1, 0);
	dpy_flush();
}

/* The key is gone (destroyed, missing, swapped): what happened, from keys.c. */
static void key_gone(struct tui *t, struct lock *k)
{
	(void)t;
	k->protected_ = -1;
	gw_strlcpy(k->why, gw_error(), sizeof k->why);
	k->look = LOOK_ERROR;
}

/* Tries left after wrong PINs (none counted: no message). */
static void say_tries(struct lock *k, const struct sync_pin_state *st)
{
	long left = st->max - st->used;

	k->why[0] = '\0';
	k->look = LOOK_ERROR;
	if (st->used > 0 && left == 1)
		snprintf(k->why, sizeof k->why, "%s",
			 _("Wrong PIN: 1 try left. A wrong PIN now destroys the key!"));
	else if (st->used > 0)
		snprintf(k->why, sizeof k->why,
			 _("Wrong PIN: %ld tries left; after the last the key is destroyed."), left);
}

/* The back-off after wrong PINs: says how long, ignores typing; then what was typed
 * meanwhile is dropped. 0, or -1 if the terminal is gone. */
static int wait_out(struct tui *t, struct lock *k)
{
	struct sync_pin_state st;
	char tries[LOCK_MSG_MAX];
	struct tui_event ev;
	int waited = 0;

	while (sync_pin_state(t->l, &st) == 0 && st.wait > 0) {
		say_tries(k, &st);
		gw_strlcpy(tries, k->why, sizeof tries);
		snprintf(k->why, sizeof k->why, _("%s Wait %ld s before the next try; typing is ignored until then."),
			 tries, st.wait);
		k->n = 0;
		draw_lock(k);
		if (dpy_read_for(KM_ANY, &ev, 1000) < 0)
			return -1;
		waited = 1;
	}
	if (sync_pin_state(t->l, &st) == 0)
		say_tries(k, &st);
	if (waited)
		dpy_drop_input();
	return 0;
}

/* Enter on a PIN: 0 when it opens the key file; 1 after a wrong PIN (counted); -1 when
 * it was no try (a short entry) or failed otherwise (why says). */
static int try_pin(struct tui *t, struct lock *k)
{
	struct sync_pin_state before, after;
	struct sync_keys *keys;

	if (k->n < SYNC_PIN_MIN) {
		snprintf(k->why, sizeof k->why, _("A PIN has at least %d digits; this entry was not counted."),
			 SYNC_PIN_MIN);
		k->look = LOOK_ERROR;
		return -1;
	}
	if (sync_pin_state(t->l, &before) != 0)
		before.used = -1;
	sync_pin_use(k->pin);
	keys = sync_keys_load(t->l);
	sync_keys_free(keys);
	if (keys)
		return 0;
	if (sync_keys_protected(t->l) != 1) { /* destroyed by this try, or gone meanwhile */
		key_gone(t, k);
		return -1;
	}
	if (sync_pin_state(t->l, &after) == 0 && after.used > before.used)
		return 1;
	gw_strlcpy(k->why, gw_error(), sizeof k->why);
	k->look = LOOK_ERROR;
	return -1;
}

static void clear_pin(struct lock *k)
{
	explicit_bzero(k->pin, sizeof k->pin);
	k->n = 0;
}

/* A PIN typed twice (the first Enter seemed not to take) must never reach the screen
 * under the lock, as a room number, a staff number or a form's answers: what was typed
 * during the check is dropped, and so are keys that go on coming at typing speed
 * (each within LOCK_QUIET_MS of the last, for at most LOCK_DROP_MS) after it. */
#define LOCK_QUIET_MS 700
#define LOCK_DROP_MS 4000
static void drop_second_copy(void)
{
	struct tui_event ev;
	struct timespec t0, t1;

	dpy_drop_input();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if ((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 > LOCK_DROP_MS)
			break;
		if (dpy_read_for(KM_ANY, &ev, LOCK_QUIET_MS) != 0)
			break; /* a pause (or the terminal gone): what comes next is meant */
	}
	dpy_drop_input();
}

/* Until unlocked: 0; or 1 when the key is gone and the user quits, -1 if the terminal
 * is gone. */
static int lock_screen(struct tui *t)
{
	struct lock k;
	struct tui_event ev;

	memset(&k, 0, sizeof k);
	k.protected_ = sync_keys_protected(t->l);
	if (k.protected_ < 0)
		key_gone(t, &k);
	if (k.protected_ == 1 && wait_out(t, &k) != 0) /* tries counted before: said */
		return -1;
	for (;;) {
		int rc = 0;

		draw_lock(&k);
		if (dpy_read(KM_ANY, &ev) != 0)
			return -1;
		if (k.protected_ < 0) {
			if (ev.act == ACT_BACK)
				return 1;
		} else if (ev.act == ACT_DIGIT && k.n < SYNC_PIN_MAX) {
			k.pin[k.n++] = (char)('0' + ev.digit);
			k.pin[k.n] = '\0';
		} else if ((ev.act == ACT_ERASE || ev.act == ACT_BACK) && k.n > 0) {
			k.pin[--k.n] = '\0';
		} else if (ev.act == ACT_ENTER && (!k.protected_ || (rc = try_pin(t, &k)) == 0)) {
			clear_pin(&k);
			drop_second_copy();
			return 0;
		} else if (ev.act == ACT_ENTER) {
			clear_pin(&k);
			if (rc == 1 && wait_out(t, &k) != 0) /* tries left, the back-off */
				return -1;
		}
		/* a scanner's burst is not an attempt: ACT_SCAN is ignored here */
	}
}

int lock_check(struct tui *t)
{
	return sync_keys_protected(t->l) < 0 && strcmp(ledger_kind(t->l), "terminal") == 0 ? -1 : 0;
}

/* The lock screen; quitting there (the key is gone) ends the TUI. */
static void lock_run(struct tui *t)
{
	if (lock_screen(t) == 1)
		t->quit = -1;
}

void lock_start(struct tui *t)
{
	if (sync_keys_protected(t->l) == 1)
		lock_run(t);
}

int lock_read(struct tui *t, enum keymap km, struct tui_event *ev)
{
	int ms = idle_ms(t), rc;

	if (ms < 0)
		return dpy_read(km, ev);
	rc = dpy_read_for(km, ev, ms);
	if (rc != 1)
		return rc;
	lock_run(t);
	memset(ev, 0, sizeof *ev); /* ACT_NONE: the loop redraws what was there */
	return 0;
}
