/* seen: the account numbers an import has read, to find duplicates in one file.
 *
 * An open-addressing hash set; keys live in an arena of fixed-size blocks, so
 * memory grows with the number of distinct accounts only (about 40 bytes each). */
#ifndef GW_SEEN_H
#define GW_SEEN_H

#include <stddef.h>

struct seen;

struct seen *seen_new(void);
void seen_free(struct seen *s);
/* Adds key (n bytes, no NUL inside) first read on line; returns 0 when it is
 * new, else the line it was first added with. Lines must be > 0. */
long seen_add(struct seen *s, const char *key, size_t n, long line);
size_t seen_count(const struct seen *s);

#endif
