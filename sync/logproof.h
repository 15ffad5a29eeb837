/* logproof: the merge-log entries a roll-up carries up, so the level above can check
 * that the sender's new head extends the one it witnessed (a consistency proof,
 * sync/FORMAT.md "Merge log"): "logentry" records, then the "loghead" record. */
#ifndef GW_SYNC_LOGPROOF_H
#define GW_SYNC_LOGPROOF_H

#include <jansson.h>
#include <stdint.h>

#include "core/ledger.h"
#include "sync/audit.h"
#include "sync/bundle.h"
#include "sync/keys.h"

/* Writes this ledger's log entries after the head `to` last echoed back to it (all of
 * them when it echoed none), then its head signed with k. *n gets the number of
 * entries written. Streams: memory does not grow with the log. */
int logproof_put(struct ledger *l, const struct sync_keys *k, struct bundle_writer *w,
		 const char *to, int64_t *n);

/* A "logentry" record fed to the proof: 0, or -1 with the refusal (GW_ERR_REJECTED). */
int logproof_entry(struct audit_proof *p, json_t *o);
/* A "loghead" record from sender: 0 accepted (and witnessed when the proof keeps it),
 * -1 refused (GW_ERR_REJECTED; held when audit_proof_held) or a ledger error. */
int logproof_head(struct audit_proof *p, json_t *o, const char *sender);

#endif
