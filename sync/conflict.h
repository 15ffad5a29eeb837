/* conflict: two visits of one household, recorded on different devices from the
 * same base, that disagree on a field (sync/FORMAT.md, CONFLICTS). */
#ifndef GW_SYNC_CONFLICT_H
#define GW_SYNC_CONFLICT_H

#include "core/ledger.h"

/* Finds the conflicts among account's visits and stores the new ones (inside the
 * caller's transaction). Returns the number of new conflicts or -1. */
int conflict_detect(struct ledger *l, const char *account);

/* Which fields two visits disagree on, as "outcome,valve,hazards"; "" if none. */
void conflict_fields(const struct visit *a, const struct visit *b, char *out, size_t outsz);

/* Settles conflict id keeping visit keep; refreshes the household's status. */
int conflict_resolve(struct ledger *l, int64_t id, const struct visit_id *keep);

#endif
