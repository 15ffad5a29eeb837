/* audit: the hash-chained merge log. Each entry's hash covers its fields and the
 * previous entry's hash, so an edited, removed or reordered entry breaks the chain. */
#ifndef GW_SYNC_AUDIT_H
#define GW_SYNC_AUDIT_H

#include <stdint.h>

#include "core/ledger.h"

struct audit_entry {
	int64_t id, at, bundle_seq;
	const char *device, *bundle_hash, *result, *detail, *prev_hash, *hash;
};

/* Appends one entry (inside the caller's transaction, or on its own). */
int audit_append(struct ledger *l, const char *device, int64_t bundle_seq,
		 const char *bundle_hash, const char *result, const char *detail);
typedef int (*audit_fn)(void *ctx, const struct audit_entry *e, int ok);
/* Walks the log in order; ok is 0 from the first entry whose hash or link does
 * not match (and stays 0 after it). Returns the id of the first bad entry, 0 if none,
 * -1 on error. */
int64_t audit_walk(struct ledger *l, audit_fn fn, void *ctx);

#endif
