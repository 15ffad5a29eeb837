#include "qr.h"

#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

unsigned char *qr_matrix(const char *text, int *size)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	unsigned char *m;

	*size = 0;
	if (!qr)
		return NULL;
	m = xmalloc((size_t)qr->width * (size_t)qr->width);
	for (int i = 0; i < qr->width * qr->width; i++)
		m[i] = qr->data[i] & 1;
	*size = qr->width;
	QRcode_free(qr);
	return m;
}

/* Light (1) or dark (0) at (x, y) of the code with its quiet zone around it. */
static int light_at(const unsigned char *m, int size, int x, int y)
{
	x -= QR_QUIET;
	y -= QR_QUIET;
	if (x < 0 || y < 0 || x >= size || y >= size)
		return 1;
	return !m[y * size + x];
}

static char *render_line(const unsigned char *m, int size, int y)
{
	static const char *const glyph[4] = {" ", "\xe2\x96\x84", "\xe2\x96\x80", "\xe2\x96\x88"};
	int w = size + 2 * QR_QUIET;
	char *line = xmalloc((size_t)w * 3 + 1), *p = line;

	for (int x = 0; x < w; x++) {
		int g = light_at(m, size, x, y) * 2 + light_at(m, size, x, y + 1);
		size_t k = strlen(glyph[g]);
		memcpy(p, glyph[g], k);
		p += k;
	}
	*p = '\0';
	return line;
}

char **qr_lines(const char *text, int *nlines)
{
	int size, h, n = 0;
	unsigned char *m = qr_matrix(text, &size);
	char **lines;

	*nlines = 0;
	if (!m)
		return NULL;
	h = size + 2 * QR_QUIET;
	lines = xcalloc((size_t)(h + 1) / 2 + 1, sizeof *lines);
	for (int y = 0; y < h; y += 2)
		lines[n++] = render_line(m, size, y);
	free(m);
	*nlines = n;
	return lines;
}

void qr_lines_free(char **lines)
{
	if (!lines)
		return;
	for (char **p = lines; *p; p++)
		free(*p);
	free(lines);
}

int qr_fprint(FILE *f, const char *text)
{
	int n;
	char **lines = qr_lines(text, &n);

	if (!lines)
		return gw_fail(GW_ERR_INPUT, "too long for a QR code");
	for (int i = 0; i < n; i++)
		fprintf(f, "%s\n", lines[i]);
	qr_lines_free(lines);
	return 0;
}
