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
	int64_t photos;     /* their photo files deleted from the camera folder */
	int64_t photos_failed;  /* photo files that could not be checked or deleted */
	char photo_error[512];  /* the first of those: "path: reason" */
};

/* Their photo files leave the camera folder (sync_camera_dir) after the deletion
 * commits: listed in meta "prune_photos" in the same transaction, so a kill before
 * they are deleted leaves them to the next call. Only a file of the recorded size and
 * hash, whose name no kept visit's photo uses, is deleted; a file that cannot be
 * deleted is counted and named in the report, not a failure.
 * Nothing to do (0, report zeros) on an office or before any assignment record. */
int sync_prune(struct ledger *l, struct prune_report *r);

#endif
