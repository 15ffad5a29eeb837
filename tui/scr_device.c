/* The device: its name, id and public-key fingerprint, the fingerprint also as a QR
 * code the office scans to check an enrolment. The text goes above the code when
 * there is room, beside it on a 40x15 handheld; too small a screen gets a sentence,
 * never a broken code. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "sync/keys.h"
#include "tui/internal.h"

#define DEVICE_GAP 1 /* columns between the code and the text beside it */

struct device {
	struct qr_image qr;
	char fpr[SYNC_FPR_MAX];
	int ok;
};

/* The fingerprint in capitals, so the code uses the compact alphanumeric mode
 * (version 1, 21 modules: it fits a 40x15 screen). Without keys: the device id. */
static void device_code_text(struct tui *t, struct device *d)
{
	struct sync_identity id;

	if (sync_identity_self(t->l, &id) == 0)
		sync_fingerprint(id.sign_pk, d->fpr);
	else
		gw_strlcpy(d->fpr, ledger_device_id(t->l), sizeof d->fpr);
	for (char *p = d->fpr; *p; p++)
		*p = (char)toupper((unsigned char)*p);
}

static void *device_open(struct tui *t, const void *arg)
{
	struct device *d = xcalloc(1, sizeof *d);

	(void)arg;
	device_code_text(t, d);
	d->ok = qr_make(d->fpr, &d->qr) == 0;
	if (!d->ok)
		tui_error(t);
	return d;
}

static void device_close(void *self)
{
	struct device *d = self;

	qr_free(&d->qr);
	free(d);
}

/* Lines the code needs: the last one of an odd-sized code is only quiet zone and may
 * be left to the blank line below it. */
static int code_lines(const struct device *d)
{
	return d->qr.size / 2;
}

static void draw_code(const struct device *d, int top, int x)
{
	int lines = code_lines(d);
	char buf[1024];

	for (int y = 0; y < lines; y++) {
		qr_line(&d->qr, y, dpy_has_colors(), buf, sizeof buf);
		dpy_raw(top + y, x, buf, LOOK_QR);
	}
}

/* Label and value lines; a value too wide for w is cut into pieces of w columns. */
static int text_lines(struct tui *t, const struct device *d, int w, char out[][128], int max)
{
	const char *labels[] = {_("Name:"), _("Id:"), _("Fingerprint:")};
	const char *values[] = {ledger_name(t->l), ledger_device_id(t->l), d->fpr};
	int n = 0;

	for (int i = 0; i < 3 && n < max; i++) {
		size_t len = strlen(values[i]), step = (size_t)(w > 0 ? w : 1);
		if (text_width(labels[i]) + 1 + text_width(values[i]) <= w) {
			snprintf(out[n++], 128, "%s %s", labels[i], values[i]);
			continue;
		}
		snprintf(out[n++], 128, "%s", labels[i]);
		if (text_width(values[i]) != (int)len) { /* not plain ASCII: one cut line */
			if (n < max)
				text_fit(values[i], w, 0, out[n++], 128);
			continue;
		}
		for (size_t k = 0; k < len && n < max; k += step)
			snprintf(out[n++], 128, "%.*s", (int)step, values[i] + k);
	}
	return n;
}

static void too_small(const struct device *d, int top, int rows, int cols)
{
	char msg[160];

	snprintf(msg, sizeof msg, _("Too small for the QR code: needs %dx%d."), d->qr.size,
		 code_lines(d) + 3);
	dpy_put(top, 0, cols, msg, LOOK_ERROR);
	if (rows > 1)
		dpy_put(top + 1, 0, cols, _("Read the fingerprint to the office instead."),
			LOOK_DIM);
}

static void device_draw(void *self, struct tui *t)
{
	struct device *d = self;
	int top = tui_body_top(), rows = tui_body_rows(), cols = dpy_cols();
	int code_rows = code_lines(d), side = cols - d->qr.size - DEVICE_GAP, n;
	char lines[12][128];

	tui_title(_("This device"), NULL);
	n = text_lines(t, d, cols, lines, 12);
	if (d->ok && n == 3 && rows >= code_rows + n) { /* one line each, above the code */
		for (int i = 0; i < n; i++)
			dpy_put(top + i, 0, cols, lines[i], LOOK_NORMAL);
		draw_code(d, top + n, (cols - d->qr.size) / 2);
		return;
	}
	n = text_lines(t, d, side, lines, rows < 12 ? rows : 12);
	if (d->ok && rows >= code_rows && side >= 8) {
		draw_code(d, top, 0);
		for (int i = 0; i < n; i++)
			dpy_put(top + i, d->qr.size + DEVICE_GAP, side, lines[i], LOOK_NORMAL);
		return;
	}
	n = text_lines(t, d, cols, lines, rows < 12 ? rows : 12);
	for (int i = 0; i < n && i < rows - 2; i++)
		dpy_put(top + i, 0, cols, lines[i], LOOK_NORMAL);
	if (d->ok)
		too_small(d, top + (n < rows - 2 ? n : rows - 2), 2, cols);
}

static void device_key(void *self, struct tui *t, const struct tui_event *ev)
{
	(void)self;
	if (ev->act == ACT_BACK || ev->act == ACT_ENTER)
		tui_pop(t);
}

const struct screen screen_device = {"device", KM_DEVICE, device_open, device_draw, device_key,
				     device_close};
