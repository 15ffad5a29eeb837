/* libFuzzer target for identity lines and typed fingerprints (make fuzz / make
 * fuzz-check). The input is one line. An accepted line must be self-consistent: its
 * id is the one its key gives, and formatting it again gives the same bytes (the
 * bytes that were signed), which parse again to the same identity. A typed
 * fingerprint that normalises must be a valid derived id. Anything else aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/keys.h"

static void check_line(const char *line)
{
	struct sync_identity a, b;
	char again[SYNC_ID_LINE_MAX], id[SYNC_FPR_MAX];

	if (sync_identity_parse(line, &a) != 0)
		return;
	sync_device_id(a.sign_pk, id);
	sync_identity_format(&a, again, sizeof again);
	if (strcmp(id, a.id) != 0 || strcmp(again, line) != 0 || sync_identity_parse(again, &b) != 0 ||
	    memcmp(&a, &b, sizeof a) != 0) {
		fprintf(stderr, "fuzz_identity: accepted line not canonical: %s\n", line);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1), fpr[SYNC_FPR_MAX];

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	sync_init();
	check_line(line);
	if (sync_fingerprint_norm(line, fpr) == 0 && !sync_device_id_ok(fpr, strlen(fpr))) {
		fprintf(stderr, "fuzz_identity: %s normalised to a bad id %s\n", line, fpr);
		abort();
	}
	free(line);
	return 0;
}
