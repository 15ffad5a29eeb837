/* install_check: an install's product must be of the item it is recorded as — a valve
 * product (V-STD) fitted "as a hose" would make the hose metal. Refused when a visit is
 * recorded (cli record, the TUI installer); only flagged when a bundle brings one to the
 * office, since catalogs change (a product may be unknown or re-classed there). */
#ifndef GW_INSTALL_CHECK_H
#define GW_INSTALL_CHECK_H

#include "ledger.h"

/* 0: the product is in the catalog and of that item; 1: it is not (why: one line,
 * translated, e.g. "product V-STD is a valve, not a hose", or "product X is not in
 * the catalog"); -1: the ledger failed (recorded). */
int install_check(struct ledger *l, enum item it, const char *product, char *why, size_t whysz);

#endif
