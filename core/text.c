#include "text.h"

#include <string.h>

size_t text_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c;
	size_t len, i;

	*cp = 0xFFFD;
	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
		c = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		c = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

int text_valid_utf8(const char *s, size_t n)
{
	uint32_t cp;

	while (n) {
		size_t k = text_decode(s, n, &cp);
		if (!k)
			return 0;
		s += k;
		n -= k;
	}
	return 1;
}

struct range {
	uint32_t lo, hi;
};

static const struct range wide[] = {
	{0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A}, {0x23E9, 0x23EC},
	{0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF},
	{0xA000, 0xA4CF}, {0xA960, 0xA97F}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},
	{0xFE10, 0xFE19}, {0xFE30, 0xFE6F}, {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6},
	{0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

static const struct range zero[] = {
	{0x0300, 0x036F}, {0x200B, 0x200D}, {0x20D0, 0x20FF}, {0xFE00, 0xFE0F},
	{0xFE20, 0xFE2F},
};

static int in_ranges(uint32_t cp, const struct range *r, size_t n)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cp < r[mid].lo)
			hi = mid;
		else if (cp > r[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

int text_cp_width(uint32_t cp)
{
	if (in_ranges(cp, zero, sizeof zero / sizeof zero[0]))
		return 0;
	if (in_ranges(cp, wide, sizeof wide / sizeof wide[0]))
		return 2;
	return 1;
}

/* Characters that must never reach a terminal as they are. */
static int is_hostile(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x2028 || cp == 0x2029;
}

/* Calls emit for each display unit of s: a clean character or a placeholder. */
typedef int (*emit_fn)(void *ctx, const char *bytes, size_t len, int width);

static void text_walk(const char *s, emit_fn emit, void *ctx)
{
	size_t n = strlen(s);

	while (n) {
		uint32_t cp;
		size_t k = text_decode(s, n, &cp);
		int stop;

		if (k == 0) {
			stop = emit(ctx, "\xEF\xBF\xBD", 3, 1);
			k = 1;
		} else if (cp < 0x20 || cp == 0x7F) {
			char caret[2] = {'^', (char)(cp == 0x7F ? '?' : cp + 0x40)};
			stop = emit(ctx, caret, 2, 2);
		} else if (is_hostile(cp)) {
			stop = emit(ctx, "\xEF\xBF\xBD", 3, 1);
		} else {
			stop = emit(ctx, s, k, text_cp_width(cp));
		}
		if (stop)
			return;
		s += k;
		n -= k;
	}
}

static int count_width(void *ctx, const char *bytes, size_t len, int width)
{
	(void)bytes;
	(void)len;
	*(int *)ctx += width;
	return 0;
}

int text_width(const char *s)
{
	int w = 0;

	text_walk(s, count_width, &w);
	return w;
}

struct fit {
	char *out;
	size_t size, len;
	int cols, used, cut;
};

static int fit_emit(void *ctx, const char *bytes, size_t len, int width)
{
	struct fit *f = ctx;

	if ((f->cols >= 0 && f->used + width > f->cols) || f->len + len + 1 > f->size) {
		f->cut = 1;
		return 1;
	}
	memcpy(f->out + f->len, bytes, len);
	f->len += len;
	f->used += width;
	return 0;
}

void text_clean(const char *s, char *out, size_t outsz)
{
	struct fit f = {out, outsz, 0, -1, 0, 0};

	if (!outsz)
		return;
	text_walk(s, fit_emit, &f);
	out[f.len] = '\0';
}

void text_fit(const char *s, int cols, int pad, char *out, size_t outsz)
{
	struct fit f = {out, outsz, 0, cols, 0, 0};

	if (!outsz)
		return;
	if (cols <= 0) {
		out[0] = '\0';
		return;
	}
	if (text_width(s) > cols) {
		f.cols = cols - 1; /* room for the ellipsis */
		text_walk(s, fit_emit, &f);
		if (f.len + 4 <= outsz) {
			memcpy(out + f.len, "\xE2\x80\xA6", 3);
			f.len += 3;
			f.used += 1;
		}
	} else {
		text_walk(s, fit_emit, &f);
	}
	while (pad && f.used < cols && f.len + 2 <= outsz) {
		out[f.len++] = ' ';
		f.used++;
	}
	out[f.len] = '\0';
}

size_t text_chars(const char *s)
{
	size_t n = strlen(s), count = 0;

	while (n) {
		uint32_t cp;
		size_t k = text_decode(s, n, &cp);
		if (!k)
			k = 1;
		s += k;
		n -= k;
		count++;
	}
	return count;
}
