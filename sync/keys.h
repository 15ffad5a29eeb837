/* keys: this ledger's key pairs, its public identity line, and the keyring.
 *
 * Each ledger has an Ed25519 signing pair and an X25519 encryption pair. The
 * secret halves live in "<ledger>.key" (mode 0600), never in the ledger; the
 * public halves sit in the keyring row of kind 'self'. A device id is derived from
 * its signing key (sync_device_id), so an identity is its key. */
#ifndef GW_SYNC_KEYS_H
#define GW_SYNC_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "core/ledger.h"

#define SYNC_PK_BYTES 32
#define SYNC_SIGN_SK_BYTES 64
#define SYNC_SIG_BYTES 64
/* A derived device id: 26 base32 capitals (128 bits). It is also the fingerprint. */
#define SYNC_ID_CHARS 26
#define SYNC_FPR_MAX (SYNC_ID_CHARS + 1)
#define SYNC_ID_LINE_MAX 1024

/* Secrets: allocated with sodium_malloc, wiped and freed by sync_keys_free. */
struct sync_keys {
	unsigned char sign_sk[SYNC_SIGN_SK_BYTES];
	unsigned char sign_pk[SYNC_PK_BYTES];
	unsigned char box_sk[SYNC_PK_BYTES];
	unsigned char box_pk[SYNC_PK_BYTES];
};

/* A public identity: what `key show` prints and `enroll`/`trust` accept.
 * In a keyring entry, kind is the role the enrolling office gave ("terminal",
 * "office" or "self"); in a parsed line, the kind the device declared. */
struct sync_identity {
	char id[DEVICE_ID_MAX + 1];
	char kind[16];
	char name[128];
	unsigned char sign_pk[SYNC_PK_BYTES];
	unsigned char box_pk[SYNC_PK_BYTES];
	unsigned char sig[SYNC_SIG_BYTES]; /* self-signature of the line (proof of possession) */
};

/* A keyring entry. */
struct sync_device {
	struct sync_identity ident;
	char legacy_id[DEVICE_ID_MAX + 1]; /* the old random hex id of a migrated entry, or "" */
	char office[DEVICE_ID_MAX + 1];    /* the office that enrolled it, "" for this ledger */
	char subdistrict[16];              /* a sub-office's territory (its subdistrict code) */
	int64_t enrolled_at;
	int64_t revoked_at; /* 0: not revoked */
	int64_t last_seq;
	int self;
};

int sync_init(void);

/* ---- ids and fingerprints ---- */

/* The device id of a signing key: the first 16 bytes of BLAKE2b-256 over
 * "gaswalk device id v1" NUL || sign_pk, in RFC 4648 base32 capitals, no padding. */
void sync_device_id(const unsigned char sign_pk[SYNC_PK_BYTES], char out[SYNC_ID_CHARS + 1]);
/* RFC 4648 base32 of 16 bytes: 26 capitals, no padding (ids, receipts). */
void sync_base32_16(const unsigned char in[16], char out[SYNC_ID_CHARS + 1]);
/* The fingerprint a clerk compares: the same 26 characters as the id. */
void sync_fingerprint(const unsigned char sign_pk[SYNC_PK_BYTES], char out[SYNC_FPR_MAX]);
/* A fingerprint as typed (any case, spaces or dashes between groups) to its
 * canonical 26 capitals; -1 if it is not one. */
int sync_fingerprint_norm(const char *in, char out[SYNC_FPR_MAX]);
/* 1 if s[0..n) is a device id: 26 base32 capitals (derived), or 16 lowercase hex
 * (a legacy id from before 0007, valid only for visits recorded before it). */
int sync_device_id_ok(const char *s, size_t n);

/* ---- this ledger's keys ---- */

/* The key file's path for a ledger path (malloc'd). */
char *sync_keys_path(const char *db_path);
/* 1 when a key file exists for db_path. */
int sync_keys_exist(const char *db_path);
/* Destroys a ledger's key file (key new --replace): its bytes overwritten with random
 * ones where they lie, synced, then the file removed. 0, or -1 when it stays. */
int sync_keys_destroy(const char *db_path);
/* Creates both key pairs, writes the key file, makes the ledger's device id the one
 * derived from the signing key and stores the signed identity line. */
int sync_keys_create(struct ledger *l);
/* Loads the secrets. Refuses a key file that is a symlink, not a regular file, not
 * owned by the user, readable by group or others, or whose keys are not the
 * ledger's own public keys; each with advice. A key under a PIN asks for it (once a
 * process): wrong PINs are counted in the file before each try, back off, and the
 * key is destroyed at setting pin_max_tries. */
struct sync_keys *sync_keys_load(struct ledger *l);
void sync_keys_free(struct sync_keys *k);

/* The same with the secret keys under a PIN (Argon2id; NULL: unprotected). */
int sync_keys_create_pin(struct ledger *l, const char *pin);

/* ---- the key under a PIN (a terminal's; FORMAT.md "Keys") ---- */

#define SYNC_PIN_MIN 6
#define SYNC_PIN_MAX 32
/* 1 if pin is SYNC_PIN_MIN to SYNC_PIN_MAX digits. */
int sync_pin_ok(const char *pin);
/* Where PINs are read from: a file descriptor (--pin-fd N, one PIN a line), else
 * the terminal, asked without echo. */
void sync_pin_from_fd(int fd);
/* The same from the text of --pin-fd N; -1 if N is not an open descriptor. */
int sync_pin_fd_arg(const char *arg);
/* 1 if PINs come from a descriptor (--pin-fd, global or the command's own). */
int sync_pin_fd_given(void);
int sync_pin_read(const char *prompt, char *out, size_t n);
/* A PIN already typed (the TUI's PIN screen): sync_keys_load uses it. */
void sync_pin_use(const char *pin);
/* 1 if this ledger's key file is under a PIN, 0 if not, -1 if unreadable, or refused
 * with the next step: a terminal's key file missing (destroyed after the last wrong PIN,
 * or lost), or under no PIN where the key was made under one (meta key_pin). */
int sync_keys_protected(struct ledger *l);
/* A key under a PIN, for a PIN screen: wrong tries counted so far, the most allowed
 * (setting pin_max_tries), seconds to wait before the next try. -1 if not under one. */
struct sync_pin_state {
	long used, max, wait;
};
int sync_pin_state(struct ledger *l, struct sync_pin_state *st);
/* Rewrites the key file with k under pin (a new salt), atomically. */
int sync_keys_write_pin(struct ledger *l, const struct sync_keys *k, const char *pin);

/* Keyring upgrade after migration 0007 (idempotent, cheap): entries and this
 * ledger get the ids derived from their keys, old ids kept as legacy_id. */
int sync_keyring_upgrade(struct ledger *l);

/* ---- identity lines ---- */

/* This ledger's identity, signature included. */
int sync_identity_self(struct ledger *l, struct sync_identity *id);
/* The same, signed: a ledger from before schema 0007 loads its keys to sign its line
 * once (sync_identity_self gives it unsigned until then). */
int sync_identity_self_signed(struct ledger *l, struct sync_identity *id);
/* "gaswalk-id2:ID:KIND:NAME:SIGNPK:BOXPK:SIG", the name percent-escaped, SIG an
 * Ed25519 signature by SIGNPK over everything before ":SIG". */
void sync_identity_format(const struct sync_identity *id, char *out, size_t outsz);
/* Fills id->sig: the signature over the line's text before ":SIG" (id->id must be
 * the one derived from id->sign_pk for the line to be accepted). */
void sync_identity_sign(struct sync_identity *id, const unsigned char sign_sk[SYNC_SIGN_SK_BYTES]);
/* Parses and checks a line: the id must be the one derived from SIGNPK and the
 * signature must verify; anything else is refused with one line. */
int sync_identity_parse(const char *line, struct sync_identity *id);
/* An identity given on the command line: the line itself, or a file holding it. */
int sync_identity_arg(const char *arg, struct sync_identity *id);

/* ---- the keyring ---- */

/* By id (derived or legacy); GW_ERR_NOTFOUND when the device is unknown. */
int sync_device_get(struct ledger *l, const char *id, struct sync_device *d);
/* What a user typed for a device: its id, its legacy id, its name, or at a
 * district OFFICE/NAME (the enrolling office's name, then the device's).
 * GW_ERR_NOTFOUND when unknown; GW_ERR_INPUT when a bare name is ambiguous. */
int sync_device_resolve(struct ledger *l, const char *arg, struct sync_device *d);
/* By signing key; GW_ERR_NOTFOUND when unknown. */
int sync_device_by_key(struct ledger *l, const unsigned char sign_pk[SYNC_PK_BYTES],
		       struct sync_device *d);

/* How an office enrolls a device: the role is the office's, never the line's. */
struct sync_enrolment {
	const char *role;        /* "terminal" or "office" (a sub-office, at a district) */
	const char *name;        /* unique within (office, name) */
	const char *subdistrict; /* a sub-office's subdistrict code; NULL for a terminal */
	const char *office;      /* enrolling office's id when relayed from below; NULL: here */
	int64_t at;
};
/* Adds a device. Refuses a revoked key (signing or box), a name already used, this
 * ledger's own key. 1 if the same key is already enrolled with the same role and
 * name, 0 added, -1 refused. */
/* A device name (init --device/--office, enroll --name): no '/' (OFFICE/NAME names a
 * device another office enrolled) and no control characters; else GW_ERR_INPUT. */
int sync_name_check(const char *name);
int sync_enroll(struct ledger *l, const struct sync_identity *id, const struct sync_enrolment *e);

/* Successors. On the terminal, after `key new`: the old id is kept (meta
 * predecessor_id); the old feed's records the office had not acknowledged become the
 * new feed's first records (*carried of them), so the first bundle brings them. At the office:
 * enrolls id as the successor of the terminal old (its key revoked if it was not,
 * the succession kept), in the caller's transaction; 0 or 1 as sync_enroll. */
int sync_successor_mark(struct ledger *l, const char *old_id, int64_t *carried);
int sync_enroll_successor(struct ledger *l, const struct sync_identity *id,
			  const struct sync_enrolment *e, const struct sync_device *old);
/* The terminal that device id succeeds: 1 (old filled), 0 none, -1 error. */
int sync_successor_of(struct ledger *l, const char *id, char old[DEVICE_ID_MAX + 1]);

/* Revocation is by key. 1 if the key is revoked (at filled, may be NULL). */
int sync_key_revoked(struct ledger *l, const unsigned char sign_pk[SYNC_PK_BYTES], int64_t *at);
/* Revokes a key, here or as carried in a roll-up or pack (by = the office that
 * revoked it, "" for here); idempotent; works for keys not (yet) in the keyring, so
 * they cannot be enrolled later. box_pk may be NULL. 1 if it was already revoked. */
int sync_revoke_key(struct ledger *l, const unsigned char sign_pk[SYNC_PK_BYTES],
		    const unsigned char *box_pk, int64_t at, const char *by);
/* Every revocation recorded after number `after` (0: all), in order, for packs and
 * roll-ups; fn returns nonzero to stop. n is the revocation's number here. */
typedef int (*sync_revocation_fn)(void *ctx, int64_t n, const unsigned char sign_pk[SYNC_PK_BYTES],
				  const unsigned char box_pk[SYNC_PK_BYTES], int64_t at,
				  const char *by);
int sync_revocations_each(struct ledger *l, int64_t after, sync_revocation_fn fn, void *ctx);

/* Compatibility for format-1 code until it moves to sync_enroll/sync_trust: adds a
 * device with the kind its identity declares. */
int sync_device_add(struct ledger *l, const struct sync_identity *id);

/* ---- the trusted office (upstream) ---- */

/* The office this ledger trusts; GW_ERR_NOTFOUND when none. */
int sync_upstream(struct ledger *l, struct sync_device *d);
/* Trusts an office's identity. Refused when another office is already trusted and
 * replace is 0 ("gaswalk trust-replace" sets replace). 1 if it was already the one. */
int sync_trust(struct ledger *l, const struct sync_identity *id, int replace);

void sync_b64(const unsigned char *bin, size_t n, char *out, size_t outsz);
int sync_unb64(const char *s, unsigned char *bin, size_t n);

#endif
