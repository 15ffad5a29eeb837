/* Fitting names that are told apart by their end: a compound whose last words say
 * which yard, a camera file whose sequence number says which shot. */
#include <string.h>

#include "core/text.h"
#include "core/util.h"
#include "tui/internal.h"

#define ELLIPSIS "\xe2\x80\xa6"

static void append(char *out, size_t outsz, const char *s)
{
	size_t n = strlen(out);

	if (n < outsz)
		gw_strlcpy(out + n, s, outsz - n);
}

/* The start of the longest tail of s that fits in w columns. */
static const char *tail_of(const char *s, int w)
{
	while (*s && text_width(s) > w) {
		uint32_t cp;
		size_t k = text_decode(s, strlen(s), &cp);
		s += k ? k : 1;
	}
	return s;
}

void text_fit_tail(const char *s, int w, char *out, size_t outsz)
{
	char clean[1024];

	text_clean(s, clean, sizeof clean);
	if (w <= 0) {
		if (outsz)
			out[0] = '\0';
		return;
	}
	if (text_width(clean) <= w) {
		gw_strlcpy(out, clean, outsz);
		return;
	}
	gw_strlcpy(out, ELLIPSIS, outsz);
	append(out, outsz, tail_of(clean, w - 1));
}

void text_fit_middle(const char *s, int w, int keep_tail, char *out, size_t outsz)
{
	char clean[1024], head[1024];
	const char *tail;
	int tw;

	text_clean(s, clean, sizeof clean);
	if (text_width(clean) <= w || w <= keep_tail + 2) {
		text_fit(clean, w, 0, out, outsz);
		return;
	}
	tail = tail_of(clean, keep_tail);
	tw = text_width(tail);
	text_fit(clean, w - tw, 0, head, sizeof head); /* ends with the ellipsis */
	gw_strlcpy(out, head, outsz);
	append(out, outsz, tail);
}

void draw_scroll_marks(int top, int rows, int first, int total)
{
	int x = dpy_cols() - 1;

	if (rows <= 0 || total <= rows)
		return;
	if (first > 0)
		dpy_put(top, x, 1, "\xe2\x86\x91", LOOK_DIM);
	if (first + rows < total)
		dpy_put(top + rows - 1, x, 1, "\xe2\x86\x93", LOOK_DIM);
}
