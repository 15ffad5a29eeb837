/* photo: photo files beside bundles and in an office's photo store.
 *
 * An office keeps the photos it has merged in "<ledger>.photos/", one file per
 * content, named by its BLAKE2b-256 hash, so names that repeat (a camera's counter
 * starting again) never overwrite each other, and its roll-ups take them from there. */
#ifndef GW_SYNC_PHOTO_H
#define GW_SYNC_PHOTO_H

#include "core/ledger.h"

char *sync_path_join(const char *dir, const char *name);

/* Opens a file that came on a stick (beside a bundle, or a bundle): no symbolic link
 * followed, never blocking (a FIFO), a regular file of at most max bytes (0: no limit).
 * Returns the descriptor and sets *size; -1 with *why "missing", "not a regular file"
 * or "larger than the limit" (errno kept for "missing"). */
int sync_open_regular(const char *path, int64_t max, int64_t *size, const char **why);
/* The largest photo a bundle may bring: the setting photo_max_mb (default 20 MB). */
int64_t sync_photo_max(struct ledger *l);

/* Copies src to dst through a temporary file (fsynced, renamed), hashing what it
 * copies (src opened with sync_open_regular, at most max bytes); 0 copied and
 * matching, 1 src missing, 2 not matching, 3 not a regular file, 4 too large,
 * -1 failed (writing). */
int sync_photo_copy(const char *src, const char *dst, const struct photo *ph, int64_t max);
/* A terminal's camera folder: meta camera_dir (export --photos), else the TUI's
 * tui_camera, else "camera" beside the ledger (malloc'd). */
char *sync_camera_dir(struct ledger *l);
/* 1 when path is a regular file (no link followed) of ph's size and hash, 0 when it is
 * missing or another file, -1 when it cannot be read (errno set). */
int sync_photo_matches(const char *path, const struct photo *ph);
/* The office's photo store for this ledger, created if absent (malloc'd). */
char *sync_photo_store(struct ledger *l);
/* 1 when the store holds this photo: a regular file of its size, named by its hash.
 * Only photos checked against their hash are ever written there, so it is not hashed
 * again. */
int sync_photo_stored(const char *store, const struct photo *ph);

/* Photos an export or merge could not take as recorded: how many, and a list of
 * "name (why)" for the message, cut at its size. */
struct sync_photo_problems {
	int n;
	char list[512];
};
void sync_photo_problem(struct sync_photo_problems *p, const char *name, const char *what);

#endif
