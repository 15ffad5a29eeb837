/* overrule: visits a person set aside when resolving a conflict (gaswalk resolve).
 * A resolved conflict keeps one visit; the other stays in the ledger but the fold
 * no longer sees it, so its observations, installs and hazards are ignored. */
#ifndef GW_OVERRULE_H
#define GW_OVERRULE_H

#include <stddef.h>

#include "ledger.h"

/* Removes the overruled visits of account from v (order kept); updates *n. */
int status_drop_overruled(struct ledger *l, const char *account, struct visit *v, size_t *n);
int status_drop_overruled_lean(struct ledger *l, const char *account, struct visit_lean *v,
			       size_t *n);

#endif
