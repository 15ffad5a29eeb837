/* The device: its name, id and public-key fingerprint, the fingerprint also as a QR
 * code the office scans to check an enrolment (26 base32 capitals: alphanumeric mode,
 * version 2, 25 modules). The text goes above the code when there is room, beside it
 * otherwise; on a 40x15 handheld the code takes the rows from the top (a 1-module
 * quiet zone: 27 module rows, 14 lines) and the title moves beside it. Too small a
 * screen gets a sentence, never a broken code. */
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
 * (version 2, 25 modules: it fits a 40x15 screen). Without keys: the device id. */
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

static void draw_code(const struct device *d, int top, int x)
{
	char buf[1024];

	for (int y = 0; y < qr_rows(&d->qr); y++) {
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

static void too_small(struct device *d, int top, int rows, int cols)
{
	char msg[160];

	d->qr.quiet = 1;
	snprintf(msg, sizeof msg, _("Too small for the QR code: needs %dx%d."), qr_cols(&d->qr),
		 qr_rows(&d->qr) + 1);
	dpy_put(top, 0, cols, msg, LOOK_ERROR);
	if (rows > 1)
		dpy_put(top + 1, 0, cols, _("Read the fingerprint to the office instead."),
			LOOK_DIM);
}

/* Title, then the three lines, then the code centred below: a large screen. */
static int draw_above(struct device *d, struct tui *t, int rows, int cols)
{
	char lines[4][128];
	int top = tui_body_top();

	d->qr.quiet = 2;
	if (text_lines(t, d, cols, lines, 4) != 3 || rows < 3 + qr_rows(&d->qr) ||
	    qr_cols(&d->qr) > cols)
		return 0;
	tui_title(_("This device"), NULL);
	for (int i = 0; i < 3; i++)
		dpy_put(top + i, 0, cols, lines[i], LOOK_NORMAL);
	draw_code(d, top + 3, (cols - qr_cols(&d->qr)) / 2);
	return 1;
}

/* The code at the left from row top, the text beside it (with the title first when
 * the code covers the title row). */
static int draw_beside(struct device *d, struct tui *t, int top, int avail, int quiet,
		       int cols)
{
	char lines[16][128];
	int side, n, first = top == 0;

	d->qr.quiet = quiet;
	side = cols - qr_cols(&d->qr) - DEVICE_GAP;
	if (avail < qr_rows(&d->qr) || side < 8)
		return 0;
	if (first)
		text_fit(_("This device"), side, 0, lines[0], sizeof lines[0]);
	else
		tui_title(_("This device"), NULL);
	n = first + text_lines(t, d, side, lines + first, 16 - first);
	if (n > avail)
		return 0;
	draw_code(d, top, 0);
	for (int i = 0; i < n; i++)
		dpy_put(top + i, qr_cols(&d->qr) + DEVICE_GAP, side, lines[i],
			i < first ? LOOK_TITLE : LOOK_NORMAL);
	return 1;
}

static void device_draw(void *self, struct tui *t)
{
	struct device *d = self;
	int top = tui_body_top(), rows = tui_body_rows(), cols = dpy_cols(), n;
	char lines[12][128];

	if (d->ok && (draw_above(d, t, rows, cols) || draw_beside(d, t, top, rows, 2, cols) ||
		      draw_beside(d, t, top, rows, 1, cols) ||
		      /* from the top row to the one above the legend (the message row is
		       * blank unless there is a message, which then goes over the code) */
		      draw_beside(d, t, 0, dpy_rows() - 1, 1, cols)))
		return;
	tui_title(_("This device"), NULL);
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
