/* photo: photo files beside bundles and in an office's photo store.
 *
 * An office keeps the photos it has merged in "<ledger>.photos/", one file per
 * content, named by its BLAKE2b-256 hash, so names that repeat (a camera's counter
 * starting again) never overwrite each other, and its roll-ups take them from there. */
#ifndef GW_SYNC_PHOTO_H
#define GW_SYNC_PHOTO_H

#include "core/ledger.h"

char *sync_path_join(const char *dir, const char *name);
/* Copies src to dst through a temporary file (fsynced, renamed), hashing what it
 * copies; 0 copied and matching, 1 src missing, 2 not matching, -1 failed. */
int sync_photo_copy(const char *src, const char *dst, const struct photo *ph);
/* The office's photo store for this ledger, created if absent (malloc'd). */
char *sync_photo_store(struct ledger *l);
/* 1 when the store holds this photo (checked against its hash). */
int sync_photo_stored(const char *store, const struct photo *ph);

/* Photos an export or merge could not take as recorded: how many, and a list of
 * "name (why)" for the message, cut at its size. */
struct sync_photo_problems {
	int n;
	char list[512];
};
void sync_photo_problem(struct sync_photo_problems *p, const char *name, const char *what);

#endif
