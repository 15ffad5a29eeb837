/* carry: records that travel in roll-ups and packs besides feeds and households
 * (sync/FORMAT.md, "Records"): compound plans, key revocations, a pack's whole
 * assignment. Writers put them into a bundle; readers check them (ledger NULL: the
 * fuzzers) and apply them inside the caller's transaction. */
#ifndef GW_SYNC_CARRY_H
#define GW_SYNC_CARRY_H

#include <jansson.h>

#include "core/ledger.h"
#include "sync/bundle.h"

struct relay;

int carry_put_plans(struct ledger *l, struct bundle_writer *w);
int carry_put_revocations(struct ledger *l, struct bundle_writer *w);
/* A roll-up's: the plans set here (of its own subdistrict when it knows it), and the
 * revocations made here of terminals it enrolled; a pack carries them all. */
int carry_put_plans_up(struct ledger *l, struct bundle_writer *w);
int carry_put_revocations_up(struct ledger *l, struct bundle_writer *w);
/* {"type":"assignment","households":N,"compounds":[[subdistrict,compound]...]} */
int carry_put_assignment(struct bundle_writer *w, int64_t households, char *const *compounds,
			 int n);

/* origin: the device that sent the record. */
int carry_plan(struct ledger *l, json_t *o, const char *origin);
int carry_revocation(struct ledger *l, json_t *o);
/* The same, carried up in a roll-up the relay c judges (relay_plan, relay_revocation):
 * a revocation is stored as the sending office's. */
int carry_plan_up(struct ledger *l, json_t *o, const char *origin, struct relay *c);
int carry_revocation_up(struct ledger *l, json_t *o, struct relay *c);
int carry_assignment(struct ledger *l, json_t *o, int64_t pack_seq);

#endif
