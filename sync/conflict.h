/* conflict: two visits of one household, recorded on different devices from the
 * same base, that disagree on a field (sync/FORMAT.md, CONFLICTS). */
#ifndef GW_SYNC_CONFLICT_H
#define GW_SYNC_CONFLICT_H

#include <jansson.h>

#include "core/ledger.h"
#include "sync/bundle.h"

/* Finds the conflicts among account's visits and stores the new ones (inside the
 * caller's transaction). Returns the number of new conflicts or -1. */
int conflict_detect(struct ledger *l, const char *account);
/* The same from the household's visits, already loaded (all of them). */
int conflict_detect_visits(struct ledger *l, const struct visit *v, size_t n);
int conflict_detect_lean(struct ledger *l, const struct visit_lean *v, size_t n);

/* Which fields two visits disagree on, as "outcome,valve,hazards"; "" if none. */
void conflict_fields(const struct visit_lean *a, const struct visit_lean *b, char *out, size_t outsz);

/* Settles conflict id keeping visit keep; refreshes the household's status. */
int conflict_resolve(struct ledger *l, int64_t id, const struct visit_id *keep);

/* A resolution as it travels in a roll-up: the pair and the visit kept. */
struct conflict_resolution {
	char account[HH_ACCOUNT_MAX + 1];
	struct visit_id a, b, keep;
};

/* Writes every resolved conflict as a "resolution" record (roll-ups); keep (NULL: all)
 * says of each conflict's household whether it goes: 1 yes, 0 no, -1 error. */
int conflict_put_resolutions(struct ledger *l, struct bundle_writer *w,
			     int (*keep)(void *ctx, const char *account), void *ctx);
int conflict_parse_resolution(json_t *o, struct conflict_resolution *r);
/* Settles the same conflict here if it is here and still open; refreshes the status. */
int conflict_apply_resolution(struct ledger *l, const struct conflict_resolution *r);

#endif
