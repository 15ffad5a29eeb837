/* prune: a terminal keeps only what the week needs (issue 17, sync/FORMAT.md "Keys"
 * and the assignment record). After a pack that declares the whole assignment,
 * households outside it are deleted with their visits, photos and derived rows once
 * this terminal has no record of theirs the office has not acknowledged; the freed
 * pages are overwritten (secure_delete), the file vacuumed and the WAL truncated. */
#ifndef GW_SYNC_PRUNE_H
#define GW_SYNC_PRUNE_H

#include <stdint.h>

#include "core/ledger.h"

struct prune_report {
	int64_t households; /* deleted */
	int64_t visits;     /* deleted with them */
	int64_t kept;       /* outside the assignment, kept for their unacknowledged records */
};

/* Nothing to do (0, report zeros) on an office or before any assignment record. */
int sync_prune(struct ledger *l, struct prune_report *r);

#endif
