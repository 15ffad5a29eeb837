/* A one-line text entry: typed or scanned characters, erase from the end. */
#include <string.h>

#include "core/text.h"
#include "core/util.h"
#include "tui/internal.h"

void field_init(struct field *f, size_t max, int digits_only)
{
	memset(f, 0, sizeof *f);
	f->max = max < sizeof f->buf - 1 ? max : sizeof f->buf - 1;
	f->digits_only = digits_only;
}

void field_set(struct field *f, const char *s)
{
	gw_strlcpy(f->buf, s, f->max + 1);
}

/* Removes the last character (not the last byte). */
static void erase_last(struct field *f)
{
	size_t n = strlen(f->buf);

	while (n > 0 && ((unsigned char)f->buf[n - 1] & 0xC0) == 0x80)
		n--;
	if (n > 0)
		n--;
	f->buf[n] = '\0';
}

static int append(struct field *f, const char *s)
{
	size_t n = strlen(f->buf), k = strlen(s);

	if (!k || n + k > f->max)
		return 0;
	if (f->digits_only && !((*s >= '0' && *s <= '9') || *s == '.' || *s == '-'))
		return 0;
	memcpy(f->buf + n, s, k + 1);
	return 1;
}

int field_key(struct field *f, const struct tui_event *ev)
{
	switch (ev->act) {
	case ACT_DIGIT:
	case ACT_TEXT:
		return append(f, ev->text);
	case ACT_ERASE:
	case ACT_LEFT:
		if (!f->buf[0])
			return 0;
		erase_last(f);
		return 1;
	default:
		return 0;
	}
}

/* The start of the longest tail of s that fits in w columns. */
static const char *tail_fitting(const char *s, int w)
{
	while (*s && text_width(s) > w) {
		uint32_t cp;
		size_t k = text_decode(s, strlen(s), &cp);
		s += k ? k : 1;
	}
	return s;
}

void field_draw(const struct field *f, int y, int x, int w, int focus)
{
	const char *tail;

	if (w < 2)
		return;
	tail = tail_fitting(f->buf, w - 1); /* one column for the cursor */
	dpy_put(y, x, w, tail, focus ? LOOK_SELECTED : LOOK_NORMAL);
	if (focus)
		dpy_cursor(y, x + text_width(tail));
}
