/* libFuzzer target for merge's direct visit reader (make fuzz / make fuzz-check):
 * the input is one bundle body line, read by record_line_to_visit() and by the
 * jansson path (record_parse, record_to_visit). They must agree: the direct reader
 * accepts only what jansson accepts, with the same fields; rejects with the same
 * message; or leaves the line to jansson. Anything else aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "tests/unit/visit_same.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fast, slow;

	if (!visit_paths_agree((const char *)data, size, &fast, &slow)) {
		fprintf(stderr, "fuzz_record: direct reader %d, jansson %d on %.*s\n", fast, slow,
			(int)size, (const char *)data);
		abort();
	}
	return 0;
}
