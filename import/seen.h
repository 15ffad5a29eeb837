/* seen: the account numbers an import has read, to find duplicates in one file.
 *
 * While the file is sorted by account, a spill file of the accounts in order
 * (nothing can repeat); from the first account out of order on, also a temporary
 * table of the ledger's connection (account → first line), made inside the
 * import's transaction. Memory stays bounded whatever the size of the file. */
#ifndef GW_SEEN_H
#define GW_SEEN_H

#include <stddef.h>

#include "core/ledger.h"

struct seen;

/* NULL (gw_fail) when the table cannot be made. */
struct seen *seen_new(struct ledger *l);
void seen_free(struct seen *s);
/* Adds key (n bytes) first read on line; returns 0 when it is new, else the line it
 * was first added with, or -1 (gw_fail) when the ledger fails. Lines must be > 0. */
long seen_add(struct seen *s, const char *key, size_t n, long line);

#endif
