/* libFuzzer target for the bundle and pack readers (make fuzz / make fuzz-check).
 *
 * The first byte picks what the rest is:
 *   0  a whole bundle file: header checks, signature (nothing gets past it
 *      without the key, which is the point);
 *   1  a deflated body, sealed and signed here with a fixed key, then read back:
 *      secretstream frames, bounded inflate, line splitting, visit/household records;
 *   2  pack record lines (office, ack, feedack, setting, catalog, household, visit,
 *      plan, revocation, assignment, logwitness);
 *   3  bundle record lines (format 2), parsed as visits, voids, feed manifests,
 *      households, resolutions, plans and revocations. */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "sync/bundle.h"
#include "sync/carry.h"
#include "sync/conflict.h"
#include "sync/feed.h"
#include "sync/keys.h"
#include "sync/pack.h"
#include "sync/records.h"

static struct sync_keys keys;

static void init_keys(void)
{
	static int done;
	unsigned char seed[32] = {1};

	if (done)
		return;
	sync_init();
	crypto_sign_seed_keypair(keys.sign_pk, keys.sign_sk, seed);
	crypto_box_seed_keypair(keys.box_pk, keys.box_sk, seed);
	done = 1;
}

static int check_record(void *ctx, char *line, size_t len)
{
	const char *type;
	json_t *o = record_parse(line, len, &type);
	struct visit *v = ctx;
	struct household h;
	struct conflict_resolution r;

	if (!o)
		return -1;
	if (strcmp(type, "visit") == 0) {
		if (record_to_visit(o, v) == 0) {
			unsigned char e[FEED_HASH_LEN];
			feed_entry_visit(v, e); /* the canonical encoding of what was parsed */
		}
	} else if (strcmp(type, "void") == 0) {
		struct visit_void w;
		unsigned char e[FEED_HASH_LEN];
		if (record_to_void(o, &w) == 0)
			feed_entry_void(&w, e);
	} else if (strcmp(type, "feed") == 0) {
		struct feed_manifest m;
		char text[FEED_MANIFEST_MAX];
		if (record_str(o, "manifest", text, sizeof text - 1) == 0 &&
		    feed_manifest_parse(text, &m) == 0)
			feed_manifest_format(&m, text, sizeof text);
	} else if (strcmp(type, "plan") == 0) {
		carry_plan(NULL, o, "AAAAAAAAAAAAAAAAAAAAAAAAAA");
	} else if (strcmp(type, "revocation") == 0) {
		carry_revocation(NULL, o);
	}
	else if (0)
		;
	else if (strcmp(type, "household") == 0)
		record_to_household(o, &h);
	else if (strcmp(type, "resolution") == 0)
		conflict_parse_resolution(o, &r);
	json_decref(o);
	return 0;
}

static void put_u64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Builds a signed, sealed bundle around a deflated body given by the fuzzer. */
static unsigned char *seal_body(const uint8_t *z, size_t n, uint64_t plain, size_t *outlen)
{
	enum { HL = BUNDLE_HEADER_LEN, CH = 65536, AB = crypto_secretstream_xchacha20poly1305_ABYTES };
	crypto_secretstream_xchacha20poly1305_state ss;
	unsigned char key[32], digest[64], *b;
	size_t frames = n / CH + 1, off = HL;

	b = xcalloc(1, HL + n + frames * (4 + AB) + BUNDLE_SIG_LEN);
	memcpy(b, "GWBUNDLE", 8);
	b[8] = BUNDLE_VERSION;
	b[10] = BUNDLE_VISITS;
	memset(b + 12, 'A', 52); /* sender and recipient: 26 base32 capitals each */
	memcpy(b + 64, keys.sign_pk, 32);
	put_u64(b + 96, 1);
	put_u64(b + 168, plain);
	crypto_secretstream_xchacha20poly1305_keygen(key);
	crypto_box_seal(b + 184, key, sizeof key, keys.box_pk);
	crypto_secretstream_xchacha20poly1305_init_push(&ss, b + 264, key);
	for (size_t i = 0; i < frames; i++) {
		size_t k = i + 1 < frames ? CH : n - i * CH;
		unsigned long long clen;
		crypto_secretstream_xchacha20poly1305_push(
			&ss, b + off + 4, &clen, z + i * CH, k, NULL, 0,
			i + 1 < frames ? 0 : crypto_secretstream_xchacha20poly1305_TAG_FINAL);
		for (int j = 0; j < 4; j++)
			b[off + j] = (unsigned char)(clen >> (8 * j));
		off += 4 + clen;
	}
	put_u64(b + 176, off - HL);
	crypto_generichash(digest, sizeof digest, b, off, NULL, 0);
	crypto_sign_detached(b + off, NULL, digest, sizeof digest, keys.sign_sk);
	*outlen = off + BUNDLE_SIG_LEN;
	return b;
}

static void read_bundle(const unsigned char *data, size_t len, struct visit *v)
{
	struct bundle_reader *r;

	if (bundle_open_mem(data, len, "fuzz", &r) != 0)
		return;
	if (bundle_verify(r, keys.sign_pk) == 0)
		bundle_read_body(r, &keys, check_record, v);
	bundle_close(r);
}

static void each_line(const uint8_t *data, size_t len, int pack, struct visit *v)
{
	char *buf = xmalloc(len + 1);
	size_t start = 0;

	memcpy(buf, data, len);
	buf[len] = '\n';
	for (size_t i = 0; i <= len; i++) {
		if (buf[i] != '\n')
			continue;
		buf[i] = '\0';
		if (pack)
			sync_pack_check_line(buf + start, i - start);
		else
			check_record(v, buf + start, i - start);
		start = i + 1;
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct visit *v;
	unsigned char *b;
	size_t blen;

	if (size < 1)
		return 0;
	init_keys();
	v = xmalloc(sizeof *v);
	switch (data[0] % 4) {
	case 0:
		read_bundle(data + 1, size - 1, v);
		break;
	case 1:
		if (size < 3)
			break;
		/* bytes 1-2: the declared plain size, small so the bound is exercised */
		b = seal_body(data + 3, size - 3, (uint64_t)data[1] << 8 | data[2], &blen);
		read_bundle(b, blen, v);
		free(b);
		break;
	default:
		each_line(data + 1, size - 1, data[0] % 4 == 2, v);
		break;
	}
	free(v);
	return 0;
}
