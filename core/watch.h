/* watch: has another process written the ledger since we last looked? (a terminal's
 * screens stay open while 'gaswalk record', 'load' or a merge write the same file) */
#ifndef GW_WATCH_H
#define GW_WATCH_H

#include <stdint.h>

#include "ledger.h"

/* 1 if another connection committed since the version in *seen (which it updates),
 * 0 if not or on the first call, -1 on a ledger error. */
int watch_changed(struct ledger *l, int64_t *seen);

#endif
