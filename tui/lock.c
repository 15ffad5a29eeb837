/* The idle lock: after setting idle_lock_minutes without a key, the screens hide behind
 * a lock screen that shows no household data. A terminal whose keys are under a PIN
 * is unlocked with that PIN (checked by opening the key file: no verifier; wrong PINs
 * count as on any other try); one without a PIN by Enter. The lock is drawn over the
 * screen stack, which it leaves as it was: a note typed before the lock is still there. */
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "core/settings.h"
#include "core/util.h"
#include "sync/keys.h"
#include "tui/internal.h"

/* The idle time in ms: the setting, or the test build's GASWALK_IDLE_SECONDS. */
static int idle_ms(struct tui *t)
{
	long s = gw_test_idle_seconds();

	if (s <= 0)
		s = settings_get_int(t->l, "idle_lock_minutes") * 60;
	return s > 0 && s < 24L * 3600 ? (int)(s * 1000) : -1;
}

static void draw_lock(int protected_, size_t typed, const char *why)
{
	char stars[SYNC_PIN_MAX + 1];
	int rows = dpy_rows(), cols = dpy_cols(), y = rows / 2 - 2;

	memset(stars, '*', typed);
	stars[typed] = '\0';
	dpy_erase();
	dpy_put(y < 0 ? 0 : y, 0, cols, _("Locked"), LOOK_TITLE);
	dpy_put(y + 1, 0, cols, protected_ ? _("PIN, then Enter:") : _("Enter unlocks"), LOOK_NORMAL);
	if (protected_)
		dpy_put(y + 2, 0, cols, stars, LOOK_NORMAL);
	if (why[0])
		dpy_put(y + 3, 0, cols, why, LOOK_ERROR);
	dpy_cursor(-1, 0);
	dpy_flush();
}

/* 0 when the PIN opens the key file. */
static int pin_opens(struct tui *t, const char *pin)
{
	struct sync_keys *k;

	sync_pin_use(pin);
	k = sync_keys_load(t->l);
	sync_keys_free(k);
	return k ? 0 : -1;
}

/* Until unlocked (or the terminal is gone). */
static void lock_screen(struct tui *t)
{
	int protected_ = sync_keys_protected(t->l) == 1;
	char pin[SYNC_PIN_MAX + 1] = "", why[TUI_MSG_MAX] = "";
	size_t n = 0;
	struct tui_event ev;

	for (;;) {
		draw_lock(protected_, n, why);
		if (dpy_read(KM_ANY, &ev) != 0)
			return;
		if (ev.act == ACT_DIGIT && n < SYNC_PIN_MAX) {
			pin[n++] = (char)('0' + ev.digit);
			pin[n] = '\0';
		} else if ((ev.act == ACT_ERASE || ev.act == ACT_BACK) && n > 0) {
			pin[--n] = '\0';
		} else if (ev.act == ACT_ENTER && (!protected_ || pin_opens(t, pin) == 0)) {
			explicit_bzero(pin, sizeof pin);
			return;
		} else if (ev.act == ACT_ENTER) {
			gw_strlcpy(why, sync_keys_protected(t->l) == 1 ? _("Wrong PIN: each try is counted.")
								 : gw_error(),
				   sizeof why);
			n = 0;
			explicit_bzero(pin, sizeof pin);
		}
		/* a scanner's burst is not an attempt: ACT_SCAN is ignored here */
	}
}

void lock_start(struct tui *t)
{
	if (sync_keys_protected(t->l) == 1)
		lock_screen(t);
}

int lock_read(struct tui *t, enum keymap km, struct tui_event *ev)
{
	int ms = idle_ms(t), rc;

	if (ms < 0)
		return dpy_read(km, ev);
	rc = dpy_read_for(km, ev, ms);
	if (rc != 1)
		return rc;
	lock_screen(t);
	memset(ev, 0, sizeof *ev); /* ACT_NONE: the loop redraws what was there */
	return 0;
}
