/* bundle: the signed, sealed, deflated container of sync/FORMAT.md, written and
 * read as a stream (memory does not grow with the size of a bundle).
 *
 * The same container carries terminal bundles and roll-ups (BUNDLE_VISITS) and
 * assignment packs (BUNDLE_PACK). Its body is JSON lines (records.h). */
#ifndef GW_SYNC_BUNDLE_H
#define GW_SYNC_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "sync/keys.h"

#define BUNDLE_VERSION 2
#define BUNDLE_HEADER_LEN 288
#define BUNDLE_SIG_LEN 64
#define BUNDLE_HASH_LEN 32
#define BUNDLE_HASH_HEX 65
#define BUNDLE_LINE_MAX (1 << 20)

enum bundle_kind { BUNDLE_VISITS = 1, BUNDLE_PACK = 2 };

struct bundle_header {
	int version;
	int kind;
	char sender[DEVICE_ID_MAX + 1];
	char recipient[DEVICE_ID_MAX + 1];
	unsigned char sender_pk[SYNC_PK_BYTES];
	uint64_t seq;
	unsigned char prev_hash[BUNDLE_HASH_LEN];
	int64_t created_at;
	uint64_t nvisits, nhouseholds, nphotos;
	uint64_t plain_size; /* bytes of the body once inflated */
	uint64_t body_size;  /* bytes of the sealed body in the file */
};

struct bundle_writer;

/* h: kind, sender, recipient, sender_pk, seq, prev_hash, created_at. The file is
 * written to a temporary name beside path and renamed by bundle_writer_finish. */
int bundle_writer_open(const char *path, const struct bundle_header *h,
		       const unsigned char recipient_box_pk[SYNC_PK_BYTES],
		       struct bundle_writer **out);
int bundle_writer_put(struct bundle_writer *w, const void *data, size_t len);
/* Sets the counts, signs, fsyncs, renames; hash_hex gets the bundle's hash. Frees w. */
int bundle_writer_finish(struct bundle_writer *w, uint64_t nvisits, uint64_t nhouseholds,
			 uint64_t nphotos, const struct sync_keys *k, char hash_hex[BUNDLE_HASH_HEX]);
void bundle_writer_abort(struct bundle_writer *w);
/* Tests only: declare another inflated size than was written (a hostile writer). */
void bundle_writer_declare_plain(struct bundle_writer *w, uint64_t size);

struct bundle_reader;

/* Reads and checks the header (magic, version, sizes against the file's size). */
int bundle_open(const char *path, struct bundle_reader **out);
/* Also from memory (the fuzzers): data must outlive the reader. */
int bundle_open_mem(const void *data, size_t len, const char *name, struct bundle_reader **out);
const struct bundle_header *bundle_header(const struct bundle_reader *r);
/* Hashes header and body as a stream and checks the signature with sign_pk. */
int bundle_verify(struct bundle_reader *r, const unsigned char sign_pk[SYNC_PK_BYTES]);
/* The bundle's hash (hex); valid after bundle_verify. */
const char *bundle_hash_hex(const struct bundle_reader *r);

/* Called for each line of the body (without its newline, NUL-terminated). */
typedef int (*bundle_line_fn)(void *ctx, char *line, size_t len);
/* Only after bundle_verify: opens the seal with k, decrypts, inflates at most the
 * declared size, hands each line to fn, and checks the bytes read were the ones verified. */
int bundle_read_body(struct bundle_reader *r, const struct sync_keys *k, bundle_line_fn fn,
		     void *ctx);
void bundle_close(struct bundle_reader *r);

void bundle_hex(const unsigned char *bin, size_t n, char *out, size_t outsz);

#endif
