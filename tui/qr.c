/* The device identity as a QR code (libqrencode), drawn two modules a line with
 * half-block characters. */
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "tui/internal.h"

#define QR_QUIET 2 /* modules of quiet zone on each side */

int qr_make(const char *text, struct qr_image *q)
{
	QRcode *code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	int n;

	memset(q, 0, sizeof *q);
	if (!code)
		return gw_fail(GW_ERR_INPUT, "cannot make a QR code of this text");
	n = code->width + 2 * QR_QUIET;
	q->size = n;
	q->dark = xcalloc((size_t)n * (size_t)n, 1);
	for (int y = 0; y < code->width; y++)
		for (int x = 0; x < code->width; x++)
			q->dark[(y + QR_QUIET) * n + x + QR_QUIET] =
				code->data[y * code->width + x] & 1;
	QRcode_free(code);
	return 0;
}

void qr_free(struct qr_image *q)
{
	free(q->dark);
	q->dark = NULL;
}

static int module(const struct qr_image *q, int y, int x)
{
	return y < q->size ? q->dark[y * q->size + x] : 0;
}

void qr_line(const struct qr_image *q, int y, int ink_dark, char *out, size_t outsz)
{
	static const char *const blocks[4] = {" ", "\xe2\x96\x84", "\xe2\x96\x80",
					      "\xe2\x96\x88"}; /* none, lower, upper, full */
	size_t len = 0;

	for (int x = 0; x < q->size; x++) {
		int top = module(q, 2 * y, x), bottom = module(q, 2 * y + 1, x);
		const char *b;
		if (!ink_dark) {
			top = !top;
			bottom = !bottom;
		}
		b = blocks[top * 2 + bottom];
		if (len + strlen(b) + 1 > outsz)
			break;
		memcpy(out + len, b, strlen(b));
		len += strlen(b);
	}
	out[len] = '\0';
}
