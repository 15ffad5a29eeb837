/* compound: a compound is (subdistrict, compound) — two subdistricts may both have
 * a 幸福小区2期. What a person types names one as "街道/小区" (the subdistrict by its
 * full or short name: 林山寨街道/幸福小区 or 林山寨/幸福小区) or by its name alone when
 * only one subdistrict has it. */
#ifndef GW_COMPOUND_H
#define GW_COMPOUND_H

#include "ledger.h"

struct compound_ref {
	char subdistrict[HH_PLACE_MAX + 1];
	char compound[HH_PLACE_MAX + 1];
};

/* Finds the compound arg names among the ledger's households. 0: found (*out set);
 * -1 with the failure recorded (one translated line): no household in it
 * (GW_ERR_NOTFOUND), a name several subdistricts have (GW_ERR_INPUT, naming the
 * choices as 街道/小区), or a ledger error. */
int compound_resolve(struct ledger *l, const char *arg, struct compound_ref *out);

/* "街道/小区" for r. */
void compound_format(const struct compound_ref *r, char *out, size_t outsz);

#endif
