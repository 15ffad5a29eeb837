/* libFuzzer target: any bytes through the decoder (auto-detected encoding) and the
 * CSV parser, fed in pieces whose sizes come from the input, checking the parser's
 * promises on every record. Build and run (from the top of the tree, after make):
 *   clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -I. \
 *     tests/fuzz/fuzz_import_csv.c import/csv.c import/decode.c core/text.c core/util.c \
 *     -o build/fuzz_import_csv && build/fuzz_import_csv -max_total_time=60
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "import/csv.h"
#include "import/decode.h"

static int check_record(void *ctx, const struct csv_record *r)
{
	(void)ctx;
	if (r->nfields < 1 || r->nfields > CSV_FIELDS_MAX || r->nseen < r->nfields || r->line < 1)
		abort();
	for (int i = 0; i < r->nfields; i++)
		if (r->len[i] > CSV_FIELD_MAX || strlen(r->field[i]) != r->len[i])
			abort();
	return 0;
}

static int to_csv(void *ctx, const char *buf, size_t n)
{
	return csv_feed(ctx, buf, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct decoder *d;
	struct csv *p;
	size_t step, i = 1;

	if (size < 1 || decoder_new((enum enc)(data[0] % 3), &d) != 0)
		return 0;
	step = (size_t)(data[0] >> 2) + 1;
	p = csv_new(check_record, NULL);
	while (i < size) {
		size_t k = size - i < step ? size - i : step;
		decoder_feed(d, (const char *)data + i, k, to_csv, p);
		i += k;
	}
	decoder_finish(d, to_csv, p);
	csv_finish(p);
	csv_free(p);
	decoder_free(d);
	return 0;
}
