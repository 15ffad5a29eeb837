/* carry: records that travel in roll-ups and packs besides feeds and households
 * (sync/FORMAT.md, "Records"): compound plans, key revocations, a pack's whole
 * assignment. Writers put them into a bundle; readers check them (ledger NULL: the
 * fuzzers) and apply them inside the caller's transaction. */
#ifndef GW_SYNC_CARRY_H
#define GW_SYNC_CARRY_H

#include <jansson.h>

#include "core/ledger.h"
#include "sync/bundle.h"

int carry_put_plans(struct ledger *l, struct bundle_writer *w);
int carry_put_revocations(struct ledger *l, struct bundle_writer *w);
/* {"type":"assignment","households":N,"compounds":[[subdistrict,compound]...]} */
int carry_put_assignment(struct bundle_writer *w, int64_t households, char *const *compounds,
			 int n);

/* origin: the device that sent the record. */
int carry_plan(struct ledger *l, json_t *o, const char *origin);
int carry_revocation(struct ledger *l, json_t *o);
int carry_assignment(struct ledger *l, json_t *o, int64_t pack_seq);

#endif
