/* libFuzzer target for the texts trust part 3 reads from roll-ups and the command line
 * (make fuzz / make fuzz-check): a merge-log head (gaswalk-loghead1:…) and an office's
 * enrolment of a terminal (gaswalk-enrol1:…). The input is one line. An accepted text
 * must survive formatting: formatted again and parsed again, it gives the same fields.
 * Anything else aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "sync/audit.h"
#include "sync/relay.h"

static void check_head(const char *line)
{
	struct audit_head a, b;
	char dev[DEVICE_ID_MAX + 1], dev2[DEVICE_ID_MAX + 1], again[AUDIT_HEAD_MAX];

	if (audit_head_parse(line, &a, dev) != 0)
		return;
	audit_head_format(&a, dev, again, sizeof again);
	if (audit_head_parse(again, &b, dev2) != 0 || strcmp(dev, dev2) != 0 ||
	    memcmp(&a, &b, sizeof a) != 0) {
		fprintf(stderr, "fuzz_relay: head not stable: %s\n", line);
		abort();
	}
}

static void check_enrolment(const char *line)
{
	struct relay_enrolment a, b;
	char again[RELAY_TEXT_MAX];

	if (relay_enrolment_parse(line, &a) != 0)
		return;
	relay_enrolment_format(&a, again, sizeof again);
	if (relay_enrolment_parse(again, &b) != 0 || memcmp(&a, &b, sizeof a) != 0) {
		fprintf(stderr, "fuzz_relay: enrolment not stable: %s\n", line);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	sync_init();
	check_head(line);
	check_enrolment(line);
	gw_clear_error();
	free(line);
	return 0;
}
