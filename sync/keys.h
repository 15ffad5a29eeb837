/* keys: this ledger's key pairs, its public identity line, and the keyring.
 *
 * Each ledger has an Ed25519 signing pair and an X25519 encryption pair. The
 * secret halves live in "<ledger>.key" (mode 0600), never in the ledger; the
 * public halves sit in the keyring row of kind 'self'. Device ids stay the
 * random 16 hex characters ledger_create() chose. */
#ifndef GW_SYNC_KEYS_H
#define GW_SYNC_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "core/ledger.h"

#define SYNC_PK_BYTES 32
#define SYNC_SIGN_SK_BYTES 64
#define SYNC_FPR_MAX 24
#define SYNC_ID_LINE_MAX 512

/* Secrets: allocated with sodium_malloc, wiped and freed by sync_keys_free. */
struct sync_keys {
	unsigned char sign_sk[SYNC_SIGN_SK_BYTES];
	unsigned char sign_pk[SYNC_PK_BYTES];
	unsigned char box_sk[SYNC_PK_BYTES];
	unsigned char box_pk[SYNC_PK_BYTES];
};

/* A public identity: what `key show` prints and `enroll`/`trust` accept. */
struct sync_identity {
	char id[DEVICE_ID_MAX + 1];
	char kind[16]; /* "terminal" or "office" */
	char name[128];
	unsigned char sign_pk[SYNC_PK_BYTES];
	unsigned char box_pk[SYNC_PK_BYTES];
};

/* A keyring entry. */
struct sync_device {
	struct sync_identity ident;
	int64_t revoked_at; /* 0: not revoked */
	int64_t last_seq;
	int self;
};

int sync_init(void);

/* The key file's path for a ledger path (malloc'd). */
char *sync_keys_path(const char *db_path);
/* 1 when a key file exists for db_path. */
int sync_keys_exist(const char *db_path);
/* Creates both key pairs, writes the key file, fills the keyring's self row. */
int sync_keys_create(struct ledger *l);
/* Loads the secrets; refuses a key file readable by group or others. */
struct sync_keys *sync_keys_load(struct ledger *l);
void sync_keys_free(struct sync_keys *k);

int sync_identity_self(struct ledger *l, struct sync_identity *id);
/* "gaswalk-id1:ID:KIND:NAME:SIGNPK:BOXPK", the name percent-escaped. */
void sync_identity_format(const struct sync_identity *id, char *out, size_t outsz);
int sync_identity_parse(const char *line, struct sync_identity *id);
/* An identity given on the command line: the line itself, or a file holding it. */
int sync_identity_arg(const char *arg, struct sync_identity *id);
/* A short fingerprint of a signing key: "ab12-cd34-ef56-7890". */
void sync_fingerprint(const unsigned char sign_pk[SYNC_PK_BYTES], char out[SYNC_FPR_MAX]);

/* Keyring lookup; GW_ERR_NOTFOUND when the device is unknown. */
int sync_device_get(struct ledger *l, const char *id, struct sync_device *d);
/* Adds a device (kind from its identity); 1 if it is already there with the same keys. */
int sync_device_add(struct ledger *l, const struct sync_identity *id);

void sync_b64(const unsigned char *bin, size_t n, char *out, size_t outsz);
int sync_unb64(const char *s, unsigned char *bin, size_t n);

#endif
