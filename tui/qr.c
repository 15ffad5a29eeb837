/* A code as half-block lines for curses: two module rows per text line, the quiet
 * zone drawn as light modules too (the terminal around it may be dark). The modules
 * come from sync/qr.c (the smallest code, alphanumeric text in one segment). */
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "sync/qr.h"
#include "tui/internal.h"

int qr_make(const char *text, struct qr_image *q)
{
	memset(q, 0, sizeof *q);
	q->dark = qr_matrix(text, &q->size);
	q->quiet = 2;
	if (!q->dark)
		return gw_fail(GW_ERR_INPUT, "cannot make a QR code of this text");
	return 0;
}

void qr_free(struct qr_image *q)
{
	free(q->dark);
	q->dark = NULL;
}

int qr_cols(const struct qr_image *q)
{
	return q->size + 2 * q->quiet;
}

int qr_rows(const struct qr_image *q)
{
	return (qr_cols(q) + 1) / 2;
}

/* Dark at (x, y) of the code with its quiet zone (outside: light). */
static int module(const struct qr_image *q, int y, int x)
{
	y -= q->quiet;
	x -= q->quiet;
	if (y < 0 || x < 0 || y >= q->size || x >= q->size)
		return 0;
	return q->dark[y * q->size + x];
}

void qr_line(const struct qr_image *q, int y, int ink_dark, char *out, size_t outsz)
{
	static const char *const blocks[4] = {" ", "\xe2\x96\x84", "\xe2\x96\x80",
					      "\xe2\x96\x88"}; /* none, lower, upper, full */
	size_t len = 0;

	for (int x = 0; x < qr_cols(q); x++) {
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
