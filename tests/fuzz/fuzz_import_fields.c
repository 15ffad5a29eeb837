/* libFuzzer target: one value of a customer list through what the import does to it
 * (import/fields.c): full-width folding, the phone check, the scientific-notation and
 * digits checks, the edit distance; checking their promises. Built by make fuzz. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "import/fields.h"

static void check_fold(const char *s, size_t n, enum fold_mode mode)
{
	char *out = malloc(n + 1);
	size_t k = fields_fold(s, n, mode, out);

	if (k > n || out[k] != '\0')
		abort();
	/* folding keeps valid UTF-8 valid, and folds nothing twice */
	if (text_valid_utf8(s, n) && !text_valid_utf8(out, k))
		abort();
	if (!fields_has_wide(s, n) && (k != n || memcmp(s, out, n)))
		abort();
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *a, *b;
	size_t half = size / 2;

	memcpy(s, data, size);
	s[size] = '\0';
	check_fold(s, size, FOLD_TEXT);
	check_fold(s, size, FOLD_CODE);
	(void)fields_phone_ok(s, size);
	if (fields_sci_notation(s, size) && fields_all_digits(s, size))
		abort();
	a = strndup(s, half);
	b = strdup(s + half);
	if (a && b && strlen(a) < 64 && strlen(b) < 64) {
		int d = fields_distance(a, b);
		int valid = text_valid_utf8(a, strlen(a)) && text_valid_utf8(b, strlen(b));
		if (d != fields_distance(b, a) || d < 0 || (valid && d == 0 && strcmp(a, b)))
			abort();
	}
	free(a);
	free(b);
	free(s);
	return 0;
}
