/* audit: the signed, hash-chained merge log and its witnessed heads.
 *
 * Each entry's hash covers its fields and the previous entry's hash, so an edited,
 * removed or reordered entry breaks the chain; each entry since the format-1 log was
 * sealed is signed with the ledger's Ed25519 key. The log's head (entry count, last
 * hash, signed) travels up in every roll-up and is echoed back down in every pack, so
 * the level above keeps a witness and a log rewritten or cut after its head went up no
 * longer matches it (sync/FORMAT.md, "Merge log"). */
#ifndef GW_SYNC_AUDIT_H
#define GW_SYNC_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "core/ledger.h"
#include "sync/bundle.h"
#include "sync/keys.h"

struct audit_entry {
	int64_t id, at, bundle_seq;
	const char *device, *bundle_hash, *result, *detail, *prev_hash, *hash;
	const char *sig; /* "" for a format-1 entry */
};

/* Appends one entry signed with k (inside the caller's transaction, or on its own).
 * The first signed entry of a ledger whose log holds format-1 entries is preceded by
 * a "sealed" entry naming how many there were. */
int audit_log(struct ledger *l, const struct sync_keys *k, const char *device,
	      int64_t bundle_seq, const char *bundle_hash, const char *result, const char *detail);
/* The same, loading the ledger's key file itself (for callers without the keys). */
int audit_append(struct ledger *l, const char *device, int64_t bundle_seq,
		 const char *bundle_hash, const char *result, const char *detail);

typedef int (*audit_fn)(void *ctx, const struct audit_entry *e, int ok);
/* Walks the log in order; ok is 0 from the first entry whose hash or link does
 * not match (and stays 0 after it). Returns the id of the first bad entry, 0 if none,
 * -1 on error. Signatures are not checked here (audit_verify does). */
int64_t audit_walk(struct ledger *l, audit_fn fn, void *ctx);

/* A log's head: how many entries, the last one's hash, and the ledger's signature over
 * "gaswalk-loghead1", its device id, the count and the hash. */
#define AUDIT_HEAD_MAX 256
struct audit_head {
	int64_t count;
	char hash[BUNDLE_HASH_HEX]; /* zeros for an empty log */
	unsigned char sig[64];
};

/* This ledger's current head, signed with k. */
int audit_head_get(struct ledger *l, const struct sync_keys *k, struct audit_head *h);
/* "gaswalk-loghead1:DEVICE:COUNT:HASH:SIG" (SIG base64url). */
void audit_head_format(const struct audit_head *h, const char *device, char *out, size_t outsz);
/* Parses the text form; device (DEVICE_ID_MAX + 1 bytes) gets its device id. 0 or -1. */
int audit_head_parse(const char *s, struct audit_head *h, char *device);
/* 0 when h is signed by device's key sign_pk. */
int audit_head_check(const struct audit_head *h, const char *device,
		     const unsigned char sign_pk[SYNC_PK_BYTES]);

/* Calls fn for each entry after id `after`, in order, through one cursor (nothing is
 * checked; ok is always 1). 0, or -1 on a ledger error; fn returning non-zero stops
 * the walk with that value. */
int audit_each_after(struct ledger *l, int64_t after, audit_fn fn, void *ctx);

/* At the level above: the consistency proof a sender's roll-up carries (sync/FORMAT.md,
 * "Merge log"), checked as it streams in. The entries after some count F, then the
 * sender's head: they must start at or below the head last witnessed here from that
 * sender (entry 1 when none was), chain on from it with its hash at its count, each
 * signed by the sender's key (unsigned format-1 entries only at the start of a log
 * never witnessed, or up to the witnessed count), and end at the head. Memory does
 * not depend on the number of entries. */
struct audit_proof;
/* keep 0: the witness is read but not replaced (verify); 2: as 1, and a log that does
 * not extend the witness (the clerk accepted its held roll-up) re-bases the witness on
 * the new head; l NULL: none is witnessed (the chain is checked from entry 1). NULL on
 * a ledger error. */
struct audit_proof *audit_proof_begin(struct ledger *l, const char *device,
				      const unsigned char sign_pk[SYNC_PK_BYTES], int keep);
/* One entry (hash and prev_hash as sent; hash is recomputed, the sent one ignored).
 * 0 fine so far, 1 refused (why: one line). */
int audit_proof_entry(struct audit_proof *p, const struct audit_entry *e, char *why, size_t whysz);
/* The head, after the entries: 0 accepted (and kept as the witness when keep), 1
 * refused (why), 2 the log does not extend the witnessed head but is otherwise sound
 * (why names how, and the clerk's next step: the roll-up is held), -1 on a ledger
 * error. */
int audit_proof_end(struct audit_proof *p, const struct audit_head *h, char *why, size_t whysz);
/* 1 when audit_proof_end found the log not extending the witness (held). */
int audit_proof_held(const struct audit_proof *p);
/* 1 once audit_proof_end was called. */
int audit_proof_done(const struct audit_proof *p);
void audit_proof_free(struct audit_proof *p);
/* The last head witnessed here from device (to echo back in its pack): 0, or
 * GW_ERR_NOTFOUND when none. */
int audit_witness_get(struct ledger *l, const char *device, struct audit_head *h);
typedef int (*audit_witness_fn)(void *ctx, const char *device, const struct audit_head *h,
				int64_t at);
/* Every head witnessed here, by device. */
int audit_witness_each(struct ledger *l, audit_witness_fn fn, void *ctx);

/* Below: this ledger's own head as the office `by` witnessed it, echoed in its pack.
 * Must be signed by this ledger's key. 0 stored, 1 refused (why), -1 ledger error.
 * Meta log_echo_last ("COUNT:BY") remembers that one came, for log --verify. */
int audit_echo(struct ledger *l, const char *by, const struct audit_head *h, char *why,
	       size_t whysz);
/* The head of this ledger's log that `by` echoed last: 0, or GW_ERR_NOTFOUND. */
int audit_echo_get(struct ledger *l, const char *by, struct audit_head *h);

enum audit_fault {
	AUDIT_OK,
	AUDIT_CHAIN,     /* an entry's hash or link does not match */
	AUDIT_SIG,       /* a signed entry's signature does not match the ledger's key */
	AUDIT_UNSIGNED,  /* an unsigned entry after the signed chain began */
	AUDIT_REWRITTEN, /* the entry at a witnessed head differs from the one witnessed */
	AUDIT_CUT,       /* fewer entries than a witnessed head counts */
};

struct audit_check {
	enum audit_fault fault;
	int64_t bad_id;            /* the entry at fault */
	int64_t count, nsigned;    /* entries, signed entries */
	int witnessed;             /* 1 when a head was checked against */
	char by[DEVICE_ID_MAX + 1]; /* who witnessed it ("" for a head given by hand) */
	struct audit_head head;    /* the head checked against */
	int64_t head_at;           /* when it was echoed */
	/* no head to check against (witnessed 0) although one came down: */
	int echo_lost;             /* 1 an echo was kept (log_echo_last), 2 roll-ups acknowledged */
	int64_t echo_lost_n;       /* its count (1), the last roll-up acknowledged (2) */
	char echo_lost_by[DEVICE_ID_MAX + 1]; /* who echoed it (1), the trusted office (2) */
};

/* Checks the chain, every signature, and consistency with the head given (when
 * `given` is not NULL) or else the latest head echoed by the level above. 0 (the
 * outcome in c->fault), -1 on a ledger error. */
int audit_verify(struct ledger *l, const struct audit_head *given, struct audit_check *c);

#endif
