/* fold_stream: the status of many households as of a moment, folded in one pass.
 *
 * Reads the visits recorded up to as_of ordered by household (with their hazards
 * and installs, streamed the same way), and calls rules_fold once per household.
 * With changed_only, only the households that have a visit recorded after as_of
 * are folded: for every other household the stored status already is its status
 * as of that moment. Households with no visit up to as_of are not reported
 * (their state is never_reached). */
#ifndef GW_FOLD_STREAM_H
#define GW_FOLD_STREAM_H

#include "ledger.h"

/* h has account, category, gas, new_build, sector and subdistrict filled (the
 * other fields are empty); return non-zero to stop. */
typedef int (*fold_stream_fn)(void *ctx, const struct household *h, const struct status *st);

int fold_stream(struct ledger *l, int64_t as_of, int changed_only, fold_stream_fn fn, void *ctx);

/* The time of the newest visit in the ledger (0 when there is none). */
int fold_newest_visit(struct ledger *l, int64_t *at);

#endif
