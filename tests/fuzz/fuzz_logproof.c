/* libFuzzer target for the merge-log entries a roll-up carries up (make fuzz /
 * make fuzz-check): the input is JSON lines, "logentry" records then a "loghead",
 * fed to a consistency proof with no witness (sync/logproof.c, audit_proof_*), up
 * to the first line refused (a roll-up is refused whole there). Any line may be
 * refused; nothing may crash or read outside its buffers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "sync/logproof.h"
#include "sync/records.h"

static const unsigned char pk[SYNC_PK_BYTES] = {1, 2, 3};

static int one_line(struct audit_proof *p, const char *line, size_t len)
{
	const char *type;
	json_t *o = record_parse(line, len, &type);
	int rc = 0;

	if (!o)
		return -1;
	if (strcmp(type, "logentry") == 0)
		rc = logproof_entry(p, o);
	else if (strcmp(type, "loghead") == 0)
		rc = logproof_head(p, o, "AAAAAAAAAAAAAAAAAAAAAAAAAA");
	json_decref(o);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct audit_proof *p;
	const char *s = (const char *)data, *end = s + size;

	sync_init();
	p = audit_proof_begin(NULL, "AAAAAAAAAAAAAAAAAAAAAAAAAA", pk, 0);
	if (!p)
		abort();
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);

		if (one_line(p, s, len) != 0)
			break;
		s += len + 1;
	}
	audit_proof_free(p);
	gw_clear_error();
	return 0;
}
