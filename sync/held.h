/* held: bundles held whole because they break the time bounds (sync/FORMAT.md,
 * "Time"). A copy of the bundle and of its photos is kept in "<ledger>.held/"; the
 * clerk lists them (gaswalk held) and accepts one (merged without the time bounds) or
 * rejects it, with a reason that goes into the merge log. */
#ifndef GW_SYNC_HELD_H
#define GW_SYNC_HELD_H

#include <stdint.h>

#include "core/ledger.h"
#include "sync/keys.h"
#include "sync/merge.h"

struct held_bundle {
	int64_t id, seq, held_at, decided_at;
	char device[DEVICE_ID_MAX + 1];
	char hash[BUNDLE_HASH_HEX];
	char file[1024];
	char reason[512];
	char decision[16]; /* "", "accepted", "rejected" */
	char why[512];
};

typedef int (*held_fn)(void *ctx, const struct held_bundle *b);
/* All held bundles, oldest first (decided ones too when all). */
int sync_held_each(struct ledger *l, int all, held_fn fn, void *ctx);
/* Accepts (merges, r filled) or rejects held bundle id with a reason; logged. */
int sync_held_decide(struct ledger *l, const struct sync_keys *k, int64_t id, int accept,
		     const char *reason, struct merge_report *r);

/* Waives a photo missing at this office (listed by merge): its visit no longer waits
 * for it to be acknowledged. Logged with the reason. */
int sync_photo_waive(struct ledger *l, const struct sync_keys *k, const struct visit_id *id,
		     const char *name, const char *reason);

typedef int (*missing_fn)(void *ctx, const struct visit_id *id, const char *name,
			  const char *hash);
/* The photos missing here, by visit. */
int sync_photos_missing(struct ledger *l, missing_fn fn, void *ctx);

#endif
