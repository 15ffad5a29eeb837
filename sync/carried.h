#ifndef GASWALK_SYNC_CARRIED_H
#define GASWALK_SYNC_CARRIED_H
/* Visits a successor carries (sync/FORMAT.md, "Successors"): after `key new`, the
 * records the office had not acknowledged travel again as the first records of the new
 * feed. Those the office already holds from the terminal it succeeds (the
 * acknowledgement had not reached the terminal) are stored as the successor's entries,
 * so its feed stays whole, and voided under this office's key, so they are counted once. */
#include <stdint.h>

#include "core/ledger.h"

struct carried {
	int64_t arrival0; /* visits that arrived after this one are looked at */
	int64_t n;        /* voided as copies */
	char from[128];   /* the terminal the first copy's original came from (its name) */
	struct visit_id *ids;
	size_t nids;
};

/* Before the bundle's body: remembers where its visits start. */
int carried_begin(struct ledger *l, struct carried *c);
/* After the body: each visit new here of a successor whose content equals a visit of a
 * terminal it succeeds (directly or through others) held here is voided under this
 * ledger's key, with the reason naming the original. */
int carried_settle(struct ledger *l, struct carried *c);
/* On a terminal loading a pack: 1 when v is a visit this terminal carries under its own
 * key as a copy (v the original, or another copy of that original), so it is not stored
 * a second time; 0 not; -1 error. */
int carried_own(struct ledger *l, const struct visit *v);
/* 1 when id was voided by carried_settle as a copy, else 0. */
int carried_has(const struct carried *c, const struct visit_id *id);
void carried_free(struct carried *c);

#endif
