/* export: everything recorded or merged here since the last acknowledged bundle,
 * as the next bundle of this ledger (a terminal's day, or an office's roll-up). */
#ifndef GW_SYNC_EXPORT_H
#define GW_SYNC_EXPORT_H

#include <stdint.h>

#include "core/ledger.h"
#include "sync/bundle.h"
#include "sync/feed.h"
#include "sync/keys.h"
#include "sync/photo.h"

struct export_report {
	int nothing; /* nothing unacknowledged: no file written */
	char *path;  /* malloc'd */
	int64_t seq, acked; /* the bundle's number; its own entries acknowledged before it */
	int64_t first, last; /* its own feed's entries it carries (last < first: none) */
	char head[FEED_HEX]; /* the chain head after them (meta export_head) */
	char hash[BUNDLE_HASH_HEX];
	int64_t visits, households, photos;
	int64_t outside;     /* a sub-office's households outside its territory, not sent */
	char territory[16];  /* that territory (its subdistrict code), "" for none */
	struct sync_photo_problems bad_photos; /* not copied */
};

/* dir: where the bundle goes; photo_dir: a terminal's camera folder (NULL: meta
 * camera_dir, else the TUI's meta tui_camera, else "camera" beside the ledger).
 * An office's roll-up takes its photos from its photo store (photo.h). */
int sync_export(struct ledger *l, const struct sync_keys *k, const char *dir,
		const char *photo_dir, struct export_report *r);
void sync_export_report_free(struct export_report *r);

/* This ledger's own feed's chain head at entry `to`, from its head from_hex at entry
 * `from` (from 0: the start), over its own entries from+1..to. */
int sync_own_head(struct ledger *l, int64_t from, const char *from_hex, int64_t to,
		  char hex[FEED_HEX]);

/* The receipt line a terminal shows (and encodes as a QR code). */
void sync_receipt(const struct ledger *l, const struct export_report *r, char *out, size_t outsz);

#endif
