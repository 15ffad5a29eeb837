/* territory: where an office may act. A sub-office's territory is the subdistrict the
 * district gave it when it enrolled it (`enroll --office --subdistrict CODE`); its
 * terminals' territory is the same. A household is in it when its subdistrict is that
 * code or that subdistrict's name (data/subdistricts.tsv). */
#ifndef GW_SYNC_TERRITORY_H
#define GW_SYNC_TERRITORY_H

#include <stddef.h>
#include <stdint.h>

#include "core/ledger.h"
#include "sync/keys.h"

struct territory {
	char code[16];
	char name[HH_PLACE_MAX + 1]; /* "" when the code is not in the subdistrict table */
};

/* The territory of a sub-office from its keyring entry; GW_ERR_INPUT when it has none. */
int territory_of(struct ledger *l, const struct sync_device *office, struct territory *t);
/* 1 when a household's subdistrict is in t. */
int territory_has(const struct territory *t, const char *subdistrict);
/* The subdistrict of a household held here ("" when unknown); 0, or -1 on error. */
int territory_household(struct ledger *l, const char *account, char *out, size_t outsz);
/* This ledger's own territory, for its roll-ups: 1 a sub-office with meta subdistrict
 * (t filled), 0 none (a district, a terminal, or no subdistrict given), -1 error. */
int territory_own(struct ledger *l, struct territory *t);
/* 1 when this ledger is a sub-office (territory_own) and household `account` is outside
 * its territory (its subdistrict in sub), 0 when not, -1 on error. */
int territory_own_outside(struct ledger *l, const char *account, struct territory *t,
			  char *sub, size_t subsz);
/* Every entry of the office's own feed that arrived after arrival number `after` must be
 * of a household in t: 0 when so; -1 with GW_ERR_REJECTED naming the first that is
 * not (and the office by its enrolled name), or on error. */
int territory_check_arrivals(struct ledger *l, const struct territory *t, const char *office,
			     const char *name, int64_t after);
/* The relayed visits (devices other than office) arrived after `after` whose household
 * is outside t and that no void cancels yet (*ids malloc'd, *n of them): 0, or -1. */
int territory_relayed_outside(struct ledger *l, const struct territory *t, const char *office,
			      int64_t after, struct visit_id **ids, size_t *n);

#endif
