/* One value of the customer list: folding, phones, accounts, distances (see fields.h). */
#include "fields.h"

#include <string.h>

#include "core/text.h"

#define NUMBER_MAX 32 /* digits of one phone number kept for checking */
#define DIST_MAX 64   /* characters compared by fields_distance */

/* The ASCII character a full-width form at s stands for (0 if none), by mode. */
static char wide_ascii(const unsigned char *s, size_t n, enum fold_mode mode)
{
	char c;

	if (n < 3 || s[0] != 0xEF)
		return 0;
	if (s[1] == 0xBC && s[2] >= 0x81 && s[2] <= 0xBF)
		c = (char)(s[2] - 0x81 + '!');
	else if (s[1] == 0xBD && s[2] >= 0x80 && s[2] <= 0x9E)
		c = (char)(s[2] - 0x80 + '`');
	else
		return 0;
	if (mode == FOLD_CODE || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z'))
		return c;
	return 0;
}

int fields_has_wide(const char *s, size_t n)
{
	return memchr(s, 0xEF, n) || memchr(s, 0xE3, n);
}

size_t fields_fold(const char *s, size_t n, enum fold_mode mode, char *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, o = 0;
	char c;

	while (i < n) {
		if ((c = wide_ascii(p + i, n - i, mode)) != 0) {
			out[o++] = c, i += 3;
		} else if (n - i >= 3 && p[i] == 0xE3 && p[i + 1] == 0x80 && p[i + 2] == 0x80) {
			out[o++] = ' ', i += 3;
		} else {
			out[o++] = s[i++];
		}
	}
	out[o] = '\0';
	return o;
}

int fields_all_digits(const char *s, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int fields_sci_notation(const char *s, size_t n)
{
	size_t i = 0, k;

	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	for (k = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (i == k)
		return 0;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
	if (i == n || (s[i] != 'E' && s[i] != 'e'))
		return 0;
	if (++i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	for (k = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		;
	return i > k && i == n;
}

/* ---- phones ---- */

/* A separator between two numbers: / , ; 、 (the full-width ones are folded before). */
static size_t number_sep(const char *s, size_t n)
{
	if (*s == '/' || *s == ',' || *s == ';')
		return 1;
	return n >= 3 && !memcmp(s, "、", 3) ? 3 : 0;
}

/* An extension marker: 转, ext, x or #; its length, 0 if none. */
static size_t ext_mark(const char *s, size_t n)
{
	if (n >= 3 && !memcmp(s, "转", 3))
		return 3;
	if (n >= 3 && (s[0] == 'e' || s[0] == 'E') && (s[1] == 'x' || s[1] == 'X') &&
	    (s[2] == 't' || s[2] == 'T'))
		return 3;
	return *s == 'x' || *s == 'X' || *s == '#' ? 1 : 0;
}

/* The digits of one number (spaces, '-', '(', ')' and a leading '+' skipped);
 * *ext: digits after an extension marker. 0 when something else is in it. */
static int number_digits(const char *s, size_t n, char *d, size_t *nd, size_t *ext,
			 size_t *last_group)
{
	size_t i = 0, group = 0, k;
	int in_ext = 0, dash = 0;

	*nd = *ext = 0;
	while (i < n) {
		if (s[i] >= '0' && s[i] <= '9') {
			if (in_ext)
				(*ext)++;
			else if (*nd < NUMBER_MAX)
				d[(*nd)++] = s[i], group++;
			else
				return 0;
			i++;
		} else if (s[i] == '-' && !in_ext) {
			dash = 1, group = 0, i++;
		} else if (s[i] == ' ' || s[i] == '(' || s[i] == ')' || (s[i] == '+' && !*nd)) {
			i++;
		} else if (!in_ext && *nd && (k = ext_mark(s + i, n - i)) != 0) {
			in_ext = 1, i += k;
		} else {
			return 0;
		}
	}
	*last_group = dash ? group : 0;
	return *nd > 0 && (!in_ext || (*ext >= 1 && *ext <= 6));
}

static int digits_ok(const char *d, size_t n)
{
	if (n == 11 && d[0] == '1')
		return d[1] >= '3' && d[1] <= '9';
	if (d[0] == '0')
		return n >= 10 && n <= 12;
	if (n == 7 || n == 8)
		return d[0] != '1';
	if (n == 5)
		return !memcmp(d, "95", 2) || !memcmp(d, "96", 2) || !memcmp(d, "12", 2);
	return n == 10 && (!memcmp(d, "400", 3) || !memcmp(d, "800", 3));
}

/* One number: as it is, without a country code 86, or without a '-' extension. */
static int one_number_ok(const char *s, size_t n)
{
	char d[NUMBER_MAX];
	size_t nd, ext, last;

	if (!number_digits(s, n, d, &nd, &ext, &last))
		return 0;
	if (digits_ok(d, nd))
		return 1;
	if (nd > 11 && d[0] == '8' && d[1] == '6' && digits_ok(d + 2, nd - 2))
		return 1;
	return last >= 1 && last <= 6 && nd > last && digits_ok(d, nd - last);
}

int fields_phone_ok(const char *s, size_t n)
{
	size_t start = 0, i = 0, k;
	int numbers = 0;

	while (i <= n) {
		k = i < n ? number_sep(s + i, n - i) : 1;
		if (!k) {
			i++;
			continue;
		}
		while (start < i && s[start] == ' ')
			start++;
		{
			size_t end = i;
			while (end > start && s[end - 1] == ' ')
				end--;
			if (end == start || !one_number_ok(s + start, end - start))
				return 0;
		}
		numbers++;
		i += k;
		start = i;
	}
	return numbers > 0;
}

/* ---- distance ---- */

static size_t to_cps(const char *s, uint32_t *cp)
{
	size_t n = strlen(s), i = 0, k, m = 0;

	while (i < n && m <= DIST_MAX) {
		k = text_decode(s + i, n - i, &cp[m]);
		i += k ? k : 1;
		m++;
	}
	return m;
}

static int min3(int a, int b, int c)
{
	int m = a < b ? a : b;

	return m < c ? m : c;
}

int fields_distance(const char *a, const char *b)
{
	uint32_t x[DIST_MAX + 1], y[DIST_MAX + 1];
	int row[DIST_MAX + 2];
	size_t nx = to_cps(a, x), ny = to_cps(b, y);

	if (nx > DIST_MAX || ny > DIST_MAX)
		return 1000;
	for (size_t j = 0; j <= ny; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= nx; i++) {
		int diag = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= ny; j++) {
			int up = row[j];
			row[j] = min3(row[j] + 1, row[j - 1] + 1, diag + (x[i - 1] != y[j - 1]));
			diag = up;
		}
	}
	return row[ny];
}
