/* feed: each device's records (visits and voids) as an append-only feed numbered
 * 1, 2, 3 ... (their sequence numbers), hash-chained and committed to by signed
 * manifests (sync/FORMAT.md, "Feeds"). A manifest travels in front of the entries it
 * covers, in the device's own bundle and unchanged in roll-ups.
 *
 * entry hash e_n = BLAKE2b-256("gaswalk-entry2\n" || canonical line of entry n)
 * chain head h_n = BLAKE2b-256(h_{n-1} || e_n), h_0 = 32 zero bytes */
#ifndef GW_SYNC_FEED_H
#define GW_SYNC_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "core/ledger.h"
#include "sync/keys.h"

#define FEED_HASH_LEN 32
#define FEED_HEX 65
#define FEED_MANIFEST_MAX 512
#define FEED_SIG_B64 88

struct feed_manifest {
	char device[DEVICE_ID_MAX + 1];
	int64_t first, last; /* the entries it covers, first >= 1, last >= first */
	unsigned char head_before[FEED_HASH_LEN]; /* h_{first-1} */
	unsigned char head[FEED_HASH_LEN];        /* h_last */
	int64_t created;      /* the bundle's creation (the sender's clock) */
	int64_t prev_created; /* the creation of the sender's previous bundle, 0: none */
	int64_t prev_last;    /* the last entry that previous bundle carried, 0: none */
	int64_t bundle_seq;   /* the sender's bundle number (its file name) */
};

/* "gaswalk-feed2:DEV:FIRST:LAST:HBEFORE:HEAD:CREATED:PREVCREATED:PREVLAST:SEQ" */
void feed_manifest_format(const struct feed_manifest *m, char *out, size_t outsz);
int feed_manifest_parse(const char *text, struct feed_manifest *m);
/* Ed25519 over the manifest's text, base64url. */
void feed_manifest_sign(const char *text, const struct sync_keys *k, char sig[FEED_SIG_B64]);
int feed_manifest_verify(const char *text, const char *sig_b64,
			 const unsigned char pk[SYNC_PK_BYTES]);

/* The entry hash of a visit (its parts are sorted into canonical order) or a void. */
void feed_entry_visit(struct visit *v, unsigned char out[FEED_HASH_LEN]);
void feed_entry_void(const struct visit_void *w, unsigned char out[FEED_HASH_LEN]);
/* head = H(head || entry) */
void feed_chain(unsigned char head[FEED_HASH_LEN], const unsigned char entry[FEED_HASH_LEN]);
void feed_hex(const unsigned char h[FEED_HASH_LEN], char hex[FEED_HEX]);
int feed_unhex(const char *hex, unsigned char h[FEED_HASH_LEN]);

/* ---- at a receiving office ---- */

/* The heads known for device at n in [lo, hi], in order: a cursor (next: 1 row, 0 done). */
struct feed_heads;
struct feed_heads *feed_heads_open(struct ledger *l, const char *device, int64_t lo, int64_t hi);
int feed_heads_next(struct feed_heads *c, int64_t *n, char hex[FEED_HEX]);
void feed_heads_close(struct feed_heads *c);
/* Keeps a head at (device, n) unless one is known there already. */
int feed_head_put(struct ledger *l, const char *device, int64_t n, const char *hex, int claimed);
int feed_manifest_keep(struct ledger *l, const struct feed_manifest *m, const char *text,
		       const char *sig, const char *key_b64);
/* The feed row: created (the newest bundle's creation), advanced coverage. */
int feed_note_bundle(struct ledger *l, const char *device, int64_t created);
int feed_last_created(struct ledger *l, const char *device, int64_t *created);
/* Moves device's coverage up over the entries now held with their photos. */
int feed_advance(struct ledger *l, const char *device, int64_t *covered);
/* What to acknowledge to device: the highest n <= coverage with a known head (0, zeros
 * when none). */
int feed_ack(struct ledger *l, const char *device, int64_t *n, char hex[FEED_HEX]);
int feed_fork_count(struct ledger *l, const char *device);
int feed_fork_note(struct ledger *l, const char *device);

#endif
