/* The device: its name, id and a QR code an office can scan to enrol it. Too small
 * a screen gets a sentence, never a broken code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "tui/internal.h"

struct device {
	struct qr_image qr;
	char text[256];
	int ok;
};

static void *device_open(struct tui *t, const void *arg)
{
	struct device *d = xcalloc(1, sizeof *d);

	(void)arg;
	snprintf(d->text, sizeof d->text, "gaswalk-device:%s:%s", ledger_device_id(t->l),
		 ledger_name(t->l));
	d->ok = qr_make(d->text, &d->qr) == 0;
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

static void draw_code(const struct device *d, int top, int rows, int cols)
{
	int lines = (d->qr.size + 1) / 2, x = (cols - d->qr.size) / 2;
	char buf[1024], msg[160];

	if (d->qr.size > cols || lines > rows) {
		snprintf(msg, sizeof msg, _("Too small for the QR code: needs %dx%d."), d->qr.size,
			 lines + 5);
		dpy_put(top, 0, cols, msg, LOOK_ERROR);
		if (rows > 1)
			dpy_put(top + 1, 0, cols, _("Read the id above to the office instead."),
				LOOK_DIM);
		return;
	}
	for (int y = 0; y < lines; y++) {
		qr_line(&d->qr, y, dpy_has_colors(), buf, sizeof buf);
		dpy_raw(top + y, x, buf, LOOK_QR);
	}
}

static void device_draw(void *self, struct tui *t)
{
	struct device *d = self;
	int top = tui_body_top(), rows = tui_body_rows(), cols = dpy_cols();
	char line[200];

	tui_title(_("This device"), NULL);
	snprintf(line, sizeof line, "%s %s", _("Name:"), ledger_name(t->l));
	dpy_put(top, 0, cols, line, LOOK_NORMAL);
	snprintf(line, sizeof line, "%s %s", _("Id:"), ledger_device_id(t->l));
	dpy_put(top + 1, 0, cols, line, LOOK_NORMAL);
	if (d->ok && rows > 2)
		draw_code(d, top + 2, rows - 2, cols);
}

static void device_key(void *self, struct tui *t, const struct tui_event *ev)
{
	(void)self;
	if (ev->act == ACT_BACK || ev->act == ACT_ENTER)
		tui_pop(t);
}

const struct screen screen_device = {"device", KM_DEVICE, device_open, device_draw, device_key,
				     device_close};
