#include "qr.h"

#include <qrencode.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "sync/keys.h"

static int alnum_only(const char *text)
{
	for (; *text; text++)
		if (!((*text >= '0' && *text <= '9') || (*text >= 'A' && *text <= 'Z') ||
		      strchr(" $%*+-./:", *text)))
			return 0;
	return 1;
}

/* One level's smallest code: text that is all alphanumeric as one alphanumeric
 * segment (libqrencode's own split may cut digits out at a cost), else as it splits. */
static QRcode *encode_level(const char *text, QRecLevel level)
{
	QRinput *in;
	QRcode *c = NULL;

	if (!alnum_only(text) || !*text)
		return QRcode_encodeString(text, 0, level, QR_MODE_8, 1);
	in = QRinput_new2(0, level);
	if (!in)
		return NULL;
	if (QRinput_append(in, QR_MODE_AN, (int)strlen(text), (const unsigned char *)text) == 0)
		c = QRcode_encodeInput(in);
	QRinput_free(in);
	return c;
}

/* The smallest code of text: for each level, the smallest version; of those the
 * smallest, the highest level among equals. */
static QRcode *encode(const char *text)
{
	static const QRecLevel levels[] = {QR_ECLEVEL_H, QR_ECLEVEL_Q, QR_ECLEVEL_M,
					   QR_ECLEVEL_L};
	QRcode *best = NULL;

	for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
		QRcode *c = encode_level(text, levels[i]);
		if (c && (!best || c->width < best->width)) {
			QRcode_free(best);
			best = c;
		} else {
			QRcode_free(c);
		}
	}
	return best;
}

unsigned char *qr_matrix(const char *text, int *size)
{
	QRcode *qr = encode(text);
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
static int light_at(const unsigned char *m, int size, int quiet, int x, int y)
{
	x -= quiet;
	y -= quiet;
	if (x < 0 || y < 0 || x >= size || y >= size)
		return 1;
	return !m[y * size + x];
}

static char *render_line(const unsigned char *m, int size, int quiet, int y)
{
	static const char *const glyph[4] = {" ", "\xe2\x96\x84", "\xe2\x96\x80", "\xe2\x96\x88"};
	int w = size + 2 * quiet; /* the side, quiet zone included */
	char *line = xmalloc((size_t)w * 3 + 1), *p = line;

	for (int x = 0; x < w; x++) {
		int bottom = y + 1 < w ? light_at(m, size, quiet, x, y + 1) : 0;
		int g = light_at(m, size, quiet, x, y) * 2 + bottom;
		size_t k = strlen(glyph[g]);
		memcpy(p, glyph[g], k);
		p += k;
	}
	*p = '\0';
	return line;
}

char **qr_lines_quiet(const char *text, int quiet, int *nlines)
{
	int size, h, n = 0;
	unsigned char *m = qr_matrix(text, &size);
	char **lines;

	*nlines = 0;
	if (!m)
		return NULL;
	h = size + 2 * quiet;
	lines = xcalloc((size_t)(h + 1) / 2 + 1, sizeof *lines);
	for (int y = 0; y < h; y += 2)
		lines[n++] = render_line(m, size, quiet, y);
	free(m);
	*nlines = n;
	return lines;
}

char **qr_lines(const char *text, int *nlines)
{
	return qr_lines_quiet(text, QR_QUIET, nlines);
}

void qr_lines_free(char **lines)
{
	if (!lines)
		return;
	for (char **p = lines; *p; p++)
		free(*p);
	free(lines);
}

int qr_text_size(const char *text, int quiet, int *cols, int *lines)
{
	QRcode *qr = encode(text);
	int n;

	*cols = *lines = 0;
	if (!qr)
		return -1;
	n = qr->width + 2 * quiet;
	QRcode_free(qr);
	*cols = n;
	*lines = (n + 1) / 2;
	return 0;
}

static int env_int(const char *name)
{
	const char *s = getenv(name);
	long v = s ? strtol(s, NULL, 10) : 0;

	return v > 0 && v < 100000 ? (int)v : 0;
}

/* The terminal's columns and lines (0: not known). */
static void terminal_size(FILE *f, int *cols, int *rows)
{
	struct winsize ws;

	if (isatty(fileno(f)) && ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
		*cols = ws.ws_col;
		*rows = ws.ws_row;
		return;
	}
	*cols = env_int("COLUMNS");
	*rows = env_int("LINES");
}

static int fits(const char *text, int quiet, int cols, int rows)
{
	int w, h;

	return qr_text_size(text, quiet, &w, &h) == 0 && (!cols || w <= cols) &&
	       (!rows || h < rows); /* a line is left for the prompt */
}

int qr_fprint(FILE *f, const char *text)
{
	int cols, rows, w, h, quiet = QR_QUIET, n;
	char **lines;

	if (qr_text_size(text, quiet, &w, &h) != 0)
		return gw_fail(GW_ERR_INPUT, "too long for a QR code");
	terminal_size(f, &cols, &rows);
	if (!fits(text, quiet, cols, rows))
		quiet = 1;
	if (!fits(text, quiet, cols, rows)) {
		char clean[4096];
		qr_text_size(text, 1, &w, &h);
		fprintf(f, _("The QR code needs %dx%d characters, the terminal has %dx%d: the text instead:\n"),
			w, h + 1, cols, rows);
		text_clean(text, clean, sizeof clean);
		fprintf(f, "%s\n", clean);
		return 0;
	}
	lines = qr_lines_quiet(text, quiet, &n);
	for (int i = 0; i < n; i++)
		fprintf(f, "%s\n", lines[i]);
	qr_lines_free(lines);
	return 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int qr_receipt_text(const char *device, long long seq, const char *hash_hex, char *out,
		    size_t outsz)
{
	unsigned char h[16];
	char dev[9], b32[SYNC_ID_CHARS + 1];
	size_t i;
	int n;

	for (i = 0; i < sizeof h; i++) {
		int hi = hex_digit(hash_hex[2 * i]), lo = hi < 0 ? -1 : hex_digit(hash_hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return gw_fail(GW_ERR_INPUT, "receipt: the bundle hash is not hex");
		h[i] = (unsigned char)(hi << 4 | lo);
	}
	for (i = 0; i < 8 && device[i]; i++)
		dev[i] = (char)(device[i] >= 'a' && device[i] <= 'z' ? device[i] - 32 : device[i]);
	dev[i] = '\0';
	sync_base32_16(h, b32);
	n = snprintf(out, outsz, "GWR2:%s:%lld:%s", dev, seq, b32);
	if (n < 0 || (size_t)n >= outsz)
		return gw_fail(GW_ERR_INPUT, "receipt: too long");
	return 0;
}
