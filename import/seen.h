/* seen: the account numbers an import has read, to find duplicates in one file.
 *
 * While the file is sorted by account, a spill file of the accounts in order
 * (nothing can repeat); from the first account out of order on, a hash set in
 * memory, then a temporary table of the ledger's connection (account → first
 * line), made inside the import's transaction, or nothing (the caller finds the
 * repeats itself). Memory stays bounded whatever the size of the file. */
#ifndef GW_SEEN_H
#define GW_SEEN_H

#include <stddef.h>

#include "core/ledger.h"

struct seen;

#define SEEN_MEMORY_MAX 393216 /* accounts kept in memory (3/4 of 2^19 slots, about 12 MiB) */

/* mem_max: accounts kept in memory, beyond the sorted prefix; then, with use_table, a
 * temporary table, else seen_add answers 0 for a key it cannot tell (seen_inexact).
 * NULL (gw_fail) when the spill file cannot be made. */
struct seen *seen_new(struct ledger *l, size_t mem_max, int use_table);
/* 1 once seen_add has answered 0 without knowing (memory full, no table). */
int seen_inexact(const struct seen *s);
void seen_free(struct seen *s);
/* Adds key (n bytes) first read on line; returns 0 when it is new, else the line it
 * was first added with, or -1 (gw_fail) when the ledger fails. Lines must be > 0. */
long seen_add(struct seen *s, const char *key, size_t n, long line);

#endif
