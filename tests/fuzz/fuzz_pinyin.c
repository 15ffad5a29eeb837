/* libFuzzer target for the keypad name matcher (make fuzz / make fuzz-check): the input
 * is a name, a newline, and what was typed. The name is coded (pinyin_code) and matched
 * (pinyin_match): any bytes, any length, never out of bounds. The name's own initials,
 * read from its code, must match it whole from its start; anything else aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/pinyin.h"

/* The first letter of each unit's first spelling. */
static int initials_of(const uint16_t *code, char *out)
{
	const uint16_t *p = code + 1;
	int n = 0;

	for (int i = 0; i < code[0]; i++, p += 1 + p[0])
		out[n++] = (p[1] & 0x8000) ? (char)(p[1] & 0x7F)
					   : pinyin_table.syllables[pinyin_table.syllable_at[p[1]]];
	out[n] = '\0';
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *query, initials[PINYIN_UNITS_MAX + 1];
	uint16_t code[PINYIN_CODE_MAX];
	int whole = 0;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	query = strchr(buf, '\n');
	if (query)
		*query++ = '\0';
	pinyin_code(buf, code, PINYIN_CODE_MAX);
	if (query)
		(void)pinyin_match(code, query, &whole);
	if (initials_of(code, initials) > 0 &&
	    (pinyin_match(code, initials, &whole) != 0 || !whole)) {
		fprintf(stderr, "fuzz_pinyin: %s does not match its own initials %s\n", buf, initials);
		abort();
	}
	free(buf);
	return 0;
}
