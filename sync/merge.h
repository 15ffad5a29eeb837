/* merge: verify a bundle against the keyring and merge it into the ledger, each
 * bundle all or nothing, idempotent and order-independent (sync/FORMAT.md). */
#ifndef GW_SYNC_MERGE_H
#define GW_SYNC_MERGE_H

#include <stdint.h>

#include "core/ledger.h"
#include "sync/bundle.h"
#include "sync/keys.h"
#include "sync/photo.h"

/* At most this many entries of one bundle break the time bounds or were rejected
 * before and wait for the end of the bundle to see whether their device voided them;
 * one more holds the bundle at once. */
#define MERGE_SUSPECTS 64

enum merge_outcome { MERGE_MERGED, MERGE_ALREADY, MERGE_REJECTED, MERGE_VERIFIED, MERGE_HELD };

struct merge_report {
	enum merge_outcome outcome;
	int fork;
	char fork_device[DEVICE_ID_MAX + 1]; /* the device whose feed forked (a relayed one) */
	char device[DEVICE_ID_MAX + 1];
	int64_t seq;
	char hash[BUNDLE_HASH_HEX];
	int held; /* held whole (time bounds): why says which; kept for 'gaswalk held' */
	int64_t held_id;
	int64_t visits_new, visits_dup, households, photos, conflicts;
	int64_t photos_picked; /* photos missing before that came with this bundle */
	int64_t outside; /* relayed visits outside the sending office's territory, kept voided */
	int64_t rejected_kept; /* visits the clerk rejected before, carried again, kept voided */
	int64_t revocations; /* of the sending office's terminals, new here */
	int64_t carried; /* a successor's copies of visits held here from its predecessor, voided */
	char carried_from[128]; /* the predecessor of the first (its name) */
	int64_t covered;       /* the sender's entries acknowledged once merged */
	char gap[128];      /* "" or "bundles 3..4 of DEVICE not merged yet" */
	struct sync_photo_problems bad_photos; /* missing or mismatched photo files */
	struct sync_photo_problems flagged;    /* installs whose product is not of their item */
	char why[512]; /* the reason when rejected */
	/* held: the entries that broke the time bounds (or were rejected before) and that
	 * their device did not void, kept with the hold (sync_hold) */
	int nsuspects;
	struct visit_id suspects[MERGE_SUSPECTS];
};

/* verify_only: check everything (signature, keyring, sequence, sizes, records)
 * without writing to the ledger. A rejection is also appended to the merge log
 * unless verify_only. Returns 0 unless the ledger itself failed. */
int sync_merge(struct ledger *l, const struct sync_keys *k, const char *path, int verify_only,
	       struct merge_report *r);

/* Merges a bundle the clerk accepted from the held ones: the time bounds are not
 * checked (everything else is); rebase: it was held for its sender's log, which does not
 * extend the head witnessed here: the witness is re-based on the roll-up's head. */
int sync_merge_accept(struct ledger *l, const struct sync_keys *k, const char *path, int rebase,
		      struct merge_report *r);
/* Keeps a held bundle (and its photos) beside the ledger, listed by 'gaswalk held';
 * logged. Sets r->held_id. */
int sync_hold(struct ledger *l, const struct sync_keys *k, const char *path,
	      struct merge_report *r);

/* Called once per bundle, in order, when its outcome is final (committed). */
typedef void (*sync_merge_done)(void *ctx, const char *path, const struct merge_report *r);

/* Merges many bundles, each all or nothing as with sync_merge(), but committed in
 * groups (one transaction for up to 64 bundles or 20,000 visits): a group in which a
 * bundle fails while it is applied is rolled back and its bundles merged one at a
 * time, so only the bundle at fault is rejected. Call between sync_merge_batch_begin()
 * and _end(). Returns 0 unless the ledger itself failed. */
int sync_merge_many(struct ledger *l, const struct sync_keys *k, char *const *paths, int n,
		    sync_merge_done done, void *ctx);

/* A run of merges: a commit is not
 * fsynced (synchronous=NORMAL: in WAL mode still atomic and consistent after a
 * crash, which can only lose the last bundles merged — merging them again is
 * harmless). sync_merge_batch_end() makes everything durable (the WAL fsynced)
 * and restores synchronous=FULL; call it before the command exits. */
int sync_merge_batch_begin(struct ledger *l);
int sync_merge_batch_end(struct ledger *l);

/* Stores a visit from a bundle or pack without refreshing the status: 0 stored,
 * 1 already there and identical, -2 a different visit with that id is stored, -1 failed. */
int sync_store_visit(struct ledger *l, struct visit *v);

/* The folder of photo files that travels beside a bundle ("X.gwb" → "X.photos"). */
char *sync_photo_dir(const char *bundle_path);

#endif
