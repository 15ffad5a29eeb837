/* relay: every counted visit checkable back to the terminal that recorded it, and
 * offices acting only in their territory (sync/FORMAT.md, "Relayed evidence").
 *
 * A device's entries travel in its own signed feeds (sync/feed.h), which a sub-office
 * relays unchanged in its roll-up. What makes a relayed feed's key a terminal of that
 * office is the office's signed enrolment of it, relayed beside the feeds: the level
 * above accepts a relayed feed only from a terminal the sending office enrolled (the
 * district enrolled the office), and every household change, resolution and entry of the
 * roll-up only inside the office's territory. */
#ifndef GW_SYNC_RELAY_H
#define GW_SYNC_RELAY_H

#include <stddef.h>
#include <stdint.h>

#include "core/ledger.h"
#include "sync/keys.h"

#define RELAY_TEXT_MAX 512

/* An office's signed enrolment of a terminal. */
struct relay_enrolment {
	char office[DEVICE_ID_MAX + 1];
	char device[DEVICE_ID_MAX + 1];
	unsigned char sign_pk[SYNC_PK_BYTES], box_pk[SYNC_PK_BYTES];
	char name[128];
	int64_t at;
	unsigned char sig[SYNC_SIG_BYTES];
};
/* "gaswalk-enrol1:OFFICE:DEVICE:SIGNPK:BOXPK:NAME:AT:SIG": keys and NAME (UTF-8) in
 * base64url, AT in seconds, SIG the office's Ed25519 signature over all before ":SIG". */
void relay_enrolment_format(const struct relay_enrolment *e, char *out, size_t outsz);
int relay_enrolment_parse(const char *s, struct relay_enrolment *e);
/* 0 when the device id derives from its key and the office's key signed it. */
int relay_enrolment_check(const struct relay_enrolment *e,
			  const unsigned char office_pk[SYNC_PK_BYTES]);

/* Export, office roll-up: this office's signed enrolment of device (out), to put before
 * its relayed feeds. 0, 1 when the device is no terminal this office enrolled, -1. */
int relay_enrolment_make(struct ledger *l, const struct sync_keys *k, const char *device,
			 char out[RELAY_TEXT_MAX]);
/* The same for every terminal enrolled here that has
 * an entry arrived after arrival number `after`. */
typedef int (*relay_text_fn)(void *ctx, const char *type, const char *text);
int relay_enrolments_write(struct ledger *l, const struct sync_keys *k, int64_t after,
			   relay_text_fn fn, void *ctx);

/* Merge: one per bundle. Every call returns 0 when fine, -1 otherwise: with status
 * GW_ERR_REJECTED when the bundle must be refused (gw_error(): one line naming what was
 * found), another status when the ledger failed. */
struct relay;
int relay_begin(struct ledger *l, const struct sync_device *sender, const char *bundle_hash,
		struct relay **out);
/* A record of type "enrolment" (its text): the terminal joins this keyring under the
 * sending office. */
int relay_record(struct relay *c, const char *type, const char *text);
/* A relayed feed (device other than the sender) signed with pk, from entry `first`: a
 * terminal the sending office enrolled, with that key, not revoked; and every entry
 * before `first` already here (an office relays only what it holds whole, from what
 * the level above acknowledged, so one missing there was dropped). */
int relay_feed_key(struct relay *c, const char *device, const unsigned char pk[SYNC_PK_BYTES],
		   int64_t first);
/* Before a household record is stored: in the territory both before and after; the
 * change is attributed to the office (report household-changes). */
int relay_household(struct relay *c, const struct household *h);
/* Before a resolution of a conflict of household `account` is applied. */
int relay_resolution(struct relay *c, const char *account);
/* Before a plan carried up is stored: of the sending office's territory. */
int relay_plan(struct relay *c, const char *subdistrict, const char *compound,
	       const char *month);
/* Before a revocation carried up is stored (box_pk NULL: none): a key revoked here
 * already changes nothing; else it must be a terminal the sending office enrolled
 * (counted, relay_revocations), with that box key. */
int relay_revocation(struct relay *c, const unsigned char sign_pk[SYNC_PK_BYTES],
		     const unsigned char *box_pk);
/* The sending office's id, and how many of its terminals' revocations were new here. */
const char *relay_sender(const struct relay *c);
int64_t relay_revocations(const struct relay *c);
/* After the records, before commit: every entry of the office's own feed new here in
 * its territory, and only self-checks, spot-checks and voids; a relayed terminal's new
 * visit outside the territory is kept but not counted (voided here, with the reason). */
int relay_end(struct relay *c);
/* How many relayed visits relay_end() kept uncounted (0 for NULL). */
int64_t relay_outside(const struct relay *c);
void relay_free(struct relay *c);

/* Provenance of a visit: the device that signed it, the manifest covering it, and the
 * office that enrolled the device, each checked again from what is held here. */
struct relay_provenance {
	struct sync_device device;  /* the device that recorded it */
	int has_manifest;
	int64_t first, last;        /* the entries the manifest covers */
	char manifest[RELAY_TEXT_MAX];
	char sig[96];               /* the device's signature of the manifest */
	int has_office;
	struct sync_device office;  /* the office that enrolled the device, when relayed */
	char enrolment[RELAY_TEXT_MAX];
};
/* 0, GW_ERR_NOTFOUND when the device is unknown here, -1 on error. */
int relay_provenance(struct ledger *l, const struct visit_id *id, struct relay_provenance *p);
/* Checks it again: the manifest's signature, entries 1..last giving the head it signs,
 * and the office's signature on the enrolment. 0, 1 (why), -1. */
int relay_recheck(struct ledger *l, const struct relay_provenance *p, char *why, size_t whysz);

#endif
