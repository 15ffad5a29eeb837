/* pack: assignment packs, office → terminal (or office → sub-office, for the ack):
 * households of some compounds with their visits, catalog, campaign settings, the
 * office's identity and the ack (the highest bundle merged from that device). */
#ifndef GW_SYNC_PACK_H
#define GW_SYNC_PACK_H

#include <stdint.h>

#include "core/ledger.h"
#include "sync/bundle.h"
#include "sync/keys.h"

struct pack_report {
	int64_t seq, ack, households, visits;
	char hash[BUNDLE_HASH_HEX];
	char office[DEVICE_ID_MAX + 1];
	int trusted_now; /* load: the office was added by its fingerprint */
	int fork;        /* load: the ack names another history of this device (fork_why) */
	char fork_why[256];
};

int sync_assign(struct ledger *l, const struct sync_keys *k, const char *device,
		char *const *compounds, int ncompounds, const char *out, struct pack_report *r);
/* trust_fpr: accept a pack from an office not yet trusted if its signing key has
 * this fingerprint (NULL: only the trusted office). */
int sync_load(struct ledger *l, const struct sync_keys *k, const char *path,
	      const char *trust_fpr, struct pack_report *r);

/* Parses one pack record line without a ledger (the fuzzer); 0 when it is valid. */
int sync_pack_check_line(char *line, size_t len);

#endif
