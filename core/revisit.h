/* revisit: households never entered after not-at-home visits (到访不遇), for the revisit
 * round and the terminal's to-do (which shows them first). */
#ifndef GW_REVISIT_H
#define GW_REVISIT_H

#include "ledger.h"

/* account, its not-at-home visits up to the moment, the first and the last of them. */
typedef int (*revisit_fn)(void *ctx, const char *account, int nothome, int64_t first_at,
			  int64_t last_at);

/* Households with at least one not-at-home visit and no visit that got in ("entered"),
 * counting visits up to as_of (0: all), of one compound (NULL: every compound), by
 * compound and then oldest first not-at-home visit. */
int revisit_each(struct ledger *l, const char *compound, int64_t as_of, revisit_fn fn,
		 void *ctx);

#endif
