/* plan_records: compound plans in roll-ups (subdistrict office → district), format-2
 * record {"type":"plan","subdistrict":CODE,"compound":C,"month":"YYYY-MM",
 * "households":N} (sync/FORMAT.md). Written by P (issue 16) for T2's export and merge. */
#ifndef GW_SYNC_PLAN_RECORDS_H
#define GW_SYNC_PLAN_RECORDS_H

#include <jansson.h>

#include "core/ledger.h"
#include "sync/bundle.h"

/* Export (an office's roll-up): one record per plan row this ledger holds. */
int plan_records_put(struct ledger *l, struct bundle_writer *w);

/* Merge: one plan record from sender (a keyring id). Refused (GW_ERR_REJECTED) unless
 * the sender is an office and, when it is a sub-office with a territory, the plan is of
 * its subdistrict. l NULL: check only. Stored with origin = the sender's id. */
int plan_record_sink(struct ledger *l, json_t *o, const char *sender, int sender_is_office);

#endif
