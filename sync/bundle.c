#include "bundle.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#define ZLIB_CONST
#include <zlib.h>

#include "core/i18n.h"
#include "core/util.h"

#define MAGIC "GWBUNDLE"
#define CHUNK 65536
/* Level 3 (zlib's fast matcher): on a terminal the export takes half the time of level 6
 * for a body about a fifth larger, and a USB stick does not mind the size. Readers do
 * not depend on the level. */
#define BUNDLE_DEFLATE_LEVEL 3
#define ABYTES crypto_secretstream_xchacha20poly1305_ABYTES
#define SEALED_KEY_LEN (crypto_box_SEALBYTES + crypto_secretstream_xchacha20poly1305_KEYBYTES)
#define SS_HEADER_LEN crypto_secretstream_xchacha20poly1305_HEADERBYTES

/* Header offsets (FORMAT.md). */
enum {
	OFF_VERSION = 8, OFF_KIND = 10, OFF_SENDER = 12, OFF_RECIPIENT = 38, OFF_SENDER_PK = 64,
	OFF_SEQ = 96, OFF_PREV = 104, OFF_CREATED = 136, OFF_NVISITS = 144, OFF_NHOUSE = 152,
	OFF_NPHOTOS = 160, OFF_PLAIN = 168, OFF_BODY = 176, OFF_SEALED = 184, OFF_SSHEADER = 264,
};

_Static_assert(OFF_SSHEADER + SS_HEADER_LEN == BUNDLE_HEADER_LEN, "header layout");
_Static_assert(OFF_SEALED + SEALED_KEY_LEN == OFF_SSHEADER, "sealed key length");

static void put_u64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_u64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

void bundle_hex(const unsigned char *bin, size_t n, char *out, size_t outsz)
{
	sodium_bin2hex(out, outsz, bin, n);
}

static void encode_header(const struct bundle_header *h, unsigned char *b)
{
	memset(b, 0, OFF_SEALED);
	memcpy(b, MAGIC, 8); /* NOLINT(bugprone-not-null-terminated-result) */
	b[OFF_VERSION] = BUNDLE_VERSION & 0xff;
	b[OFF_VERSION + 1] = BUNDLE_VERSION >> 8;
	b[OFF_KIND] = (unsigned char)h->kind;
	/* fixed-width fields, not strings */
	memcpy(b + OFF_SENDER, h->sender, strnlen(h->sender, DEVICE_ID_MAX)); /* NOLINT(bugprone-not-null-terminated-result) */
	memcpy(b + OFF_RECIPIENT, h->recipient, strnlen(h->recipient, DEVICE_ID_MAX)); /* NOLINT(bugprone-not-null-terminated-result) */
	memcpy(b + OFF_SENDER_PK, h->sender_pk, SYNC_PK_BYTES);
	put_u64(b + OFF_SEQ, h->seq);
	memcpy(b + OFF_PREV, h->prev_hash, BUNDLE_HASH_LEN);
	put_u64(b + OFF_CREATED, (uint64_t)h->created_at);
	put_u64(b + OFF_NVISITS, h->nvisits);
	put_u64(b + OFF_NHOUSE, h->nhouseholds);
	put_u64(b + OFF_NPHOTOS, h->nphotos);
	put_u64(b + OFF_PLAIN, h->plain_size);
	put_u64(b + OFF_BODY, h->body_size);
}

/* A device id field: DEVICE_ID_MAX bytes, the id then NULs (sync_device_id_ok). */
static int id_field(const unsigned char *p, char *out)
{
	size_t n = strnlen((const char *)p, DEVICE_ID_MAX);

	for (size_t i = n; i < DEVICE_ID_MAX; i++)
		if (p[i])
			return -1;
	if (!sync_device_id_ok((const char *)p, n))
		return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

/* A file of another format version: one line naming it. */
static int version_refused(const char *name, int version)
{
	if (version < BUNDLE_VERSION)
		return gw_fail(GW_ERR_REJECTED, _("%s: a format-%d file; this gaswalk reads format %d "
						"only (write it again with this gaswalk)"), name,
			       version, BUNDLE_VERSION);
	return gw_fail(GW_ERR_REJECTED, _("%s: a format-%d file, newer than this gaswalk (format %d)"),
		       name, version, BUNDLE_VERSION);
}

static int decode_header(const unsigned char *b, struct bundle_header *h, const char *name)
{
	memset(h, 0, sizeof *h);
	if (memcmp(b, MAGIC, 8) != 0)
		return gw_fail(GW_ERR_REJECTED, _("%s: not a gaswalk bundle (bad magic)"), name);
	h->version = b[OFF_VERSION] | b[OFF_VERSION + 1] << 8;
	if (h->version != BUNDLE_VERSION)
		return version_refused(name, h->version);
	h->kind = b[OFF_KIND];
	if ((h->kind != BUNDLE_VISITS && h->kind != BUNDLE_PACK) || b[OFF_KIND + 1] != 0)
		return gw_fail(GW_ERR_REJECTED, _("%s: unknown bundle kind %d"), name, h->kind);
	if (id_field(b + OFF_SENDER, h->sender) || id_field(b + OFF_RECIPIENT, h->recipient))
		return gw_fail(GW_ERR_REJECTED, _("%s: bad device id in the header"), name);
	memcpy(h->sender_pk, b + OFF_SENDER_PK, SYNC_PK_BYTES);
	h->seq = get_u64(b + OFF_SEQ);
	memcpy(h->prev_hash, b + OFF_PREV, BUNDLE_HASH_LEN);
	h->created_at = (int64_t)get_u64(b + OFF_CREATED);
	h->nvisits = get_u64(b + OFF_NVISITS);
	h->nhouseholds = get_u64(b + OFF_NHOUSE);
	h->nphotos = get_u64(b + OFF_NPHOTOS);
	h->plain_size = get_u64(b + OFF_PLAIN);
	h->body_size = get_u64(b + OFF_BODY);
	if (h->seq == 0 || h->seq > INT64_MAX || h->plain_size > INT64_MAX)
		return gw_fail(GW_ERR_REJECTED, _("%s: bad sequence number or size in the header"), name);
	return 0;
}

/* ---- writing ---- */

struct bundle_writer {
	FILE *f;
	char *path, *tmp;
	struct bundle_header h;
	unsigned char head[BUNDLE_HEADER_LEN];
	z_stream z;
	crypto_secretstream_xchacha20poly1305_state ss;
	unsigned char chunk[CHUNK];
	size_t chunk_len;
	unsigned char in[CHUNK]; /* plaintext not given to deflate yet (few large calls, not one per record) */
	size_t in_len;
	uint64_t declared_plain; /* 0: the real size */
};

void bundle_writer_declare_plain(struct bundle_writer *w, uint64_t size)
{
	w->declared_plain = size;
}

static int werr(struct bundle_writer *w)
{
	return gw_fail(GW_ERR_IO, "%s: cannot write: %s", w->path, strerror(errno ? errno : EIO));
}

static int write_frame(struct bundle_writer *w, unsigned char tag)
{
	unsigned char out[CHUNK + ABYTES], len[4];
	unsigned long long clen;

	crypto_secretstream_xchacha20poly1305_push(&w->ss, out, &clen, w->chunk, w->chunk_len,
						   NULL, 0, tag);
	for (int i = 0; i < 4; i++)
		len[i] = (unsigned char)(clen >> (8 * i));
	if (fwrite(len, 1, 4, w->f) != 4 || fwrite(out, 1, clen, w->f) != clen)
		return werr(w);
	w->h.body_size += 4 + clen;
	w->chunk_len = 0;
	return 0;
}

/* Appends deflated bytes to the current chunk, sealing full chunks. */
static int add_deflated(struct bundle_writer *w, const unsigned char *p, size_t n)
{
	while (n) {
		size_t k = CHUNK - w->chunk_len < n ? CHUNK - w->chunk_len : n;
		memcpy(w->chunk + w->chunk_len, p, k);
		w->chunk_len += k;
		p += k;
		n -= k;
		if (w->chunk_len == CHUNK &&
		    write_frame(w, crypto_secretstream_xchacha20poly1305_TAG_MESSAGE))
			return -1;
	}
	return 0;
}

static int deflate_some(struct bundle_writer *w, int flush)
{
	unsigned char out[CHUNK];
	int zrc;

	do {
		w->z.next_out = out;
		w->z.avail_out = sizeof out;
		zrc = deflate(&w->z, flush);
		if (zrc == Z_STREAM_ERROR)
			return gw_fail(GW_ERR_IO, "%s: deflate failed", w->path);
		if (add_deflated(w, out, sizeof out - w->z.avail_out))
			return -1;
	} while (w->z.avail_out == 0 || (flush == Z_FINISH && zrc != Z_STREAM_END));
	return 0;
}

static int deflate_input(struct bundle_writer *w, const void *data, size_t len, int flush)
{
	w->z.next_in = data;
	w->z.avail_in = (uInt)len;
	return deflate_some(w, flush);
}

/* Gives deflate what is waiting in w->in. */
static int flush_input(struct bundle_writer *w, int flush)
{
	size_t n = w->in_len;

	w->in_len = 0;
	return deflate_input(w, w->in, n, flush);
}

int bundle_writer_put(struct bundle_writer *w, const void *data, size_t len)
{
	w->h.plain_size += len;
	if (w->in_len + len <= sizeof w->in) {
		memcpy(w->in + w->in_len, data, len);
		w->in_len += len;
		return 0;
	}
	if (flush_input(w, Z_NO_FLUSH))
		return -1;
	if (len >= sizeof w->in)
		return deflate_input(w, data, len, Z_NO_FLUSH);
	memcpy(w->in, data, len);
	w->in_len = len;
	return 0;
}

static int start_seal(struct bundle_writer *w, const unsigned char box_pk[SYNC_PK_BYTES])
{
	unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];

	crypto_secretstream_xchacha20poly1305_keygen(key);
	if (crypto_box_seal(w->head + OFF_SEALED, key, sizeof key, box_pk) != 0) {
		sodium_memzero(key, sizeof key);
		return gw_fail(GW_ERR_INPUT, _("%s: the recipient's key is not usable"), w->path);
	}
	crypto_secretstream_xchacha20poly1305_init_push(&w->ss, w->head + OFF_SSHEADER, key);
	sodium_memzero(key, sizeof key);
	return 0;
}

int bundle_writer_open(const char *path, const struct bundle_header *h,
		       const unsigned char recipient_box_pk[SYNC_PK_BYTES],
		       struct bundle_writer **out)
{
	struct bundle_writer *w = xcalloc(1, sizeof *w);
	size_t n = strlen(path) + 16;
	int fd;

	sync_init();
	*out = NULL;
	w->path = xstrdup(path);
	w->tmp = xmalloc(n);
	snprintf(w->tmp, n, "%s.tmpXXXXXX", path);
	w->h = *h;
	w->h.plain_size = w->h.body_size = 0;
	fd = mkstemp(w->tmp);
	if (fd < 0 || !(w->f = fdopen(fd, "w+b"))) {
		gw_fail(GW_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(w->tmp);
		w->tmp = NULL;
		bundle_writer_abort(w);
		return -1;
	}
	if (deflateInit(&w->z, BUNDLE_DEFLATE_LEVEL) != Z_OK || start_seal(w, recipient_box_pk) ||
	    fwrite(w->head, 1, BUNDLE_HEADER_LEN, w->f) != BUNDLE_HEADER_LEN) {
		if (gw_last_status() == GW_OK)
			werr(w);
		bundle_writer_abort(w);
		return -1;
	}
	*out = w;
	return 0;
}

static void free_writer(struct bundle_writer *w)
{
	deflateEnd(&w->z);
	sodium_memzero(&w->ss, sizeof w->ss);
	if (w->f)
		fclose(w->f);
	free(w->path);
	free(w->tmp);
	free(w);
}

void bundle_writer_abort(struct bundle_writer *w)
{
	if (!w)
		return;
	if (w->tmp)
		unlink(w->tmp);
	free_writer(w);
}

/* Hashes header and body back from the file: the digest to sign and the bundle hash. */
static int hash_written(struct bundle_writer *w, unsigned char digest[64],
			unsigned char hash[BUNDLE_HASH_LEN])
{
	crypto_generichash_state s512, s256;
	unsigned char buf[CHUNK];
	size_t n;

	crypto_generichash_init(&s512, NULL, 0, 64);
	crypto_generichash_init(&s256, NULL, 0, BUNDLE_HASH_LEN);
	if (fflush(w->f) != 0 || fseek(w->f, 0, SEEK_SET) != 0)
		return werr(w);
	while ((n = fread(buf, 1, sizeof buf, w->f)) > 0) {
		crypto_generichash_update(&s512, buf, n);
		crypto_generichash_update(&s256, buf, n);
	}
	if (ferror(w->f))
		return werr(w);
	crypto_generichash_final(&s512, digest, 64);
	crypto_generichash_final(&s256, hash, BUNDLE_HASH_LEN);
	return 0;
}

static int sync_dir_of(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	FILE *d;

	if (slash)
		slash[1] = '\0';
	d = fopen(slash ? dir : ".", "r");
	if (d) {
		fsync(fileno(d));
		fclose(d);
	}
	free(dir);
	return 0;
}

static int seal_and_sign(struct bundle_writer *w, const struct sync_keys *k,
			 unsigned char hash[BUNDLE_HASH_LEN])
{
	unsigned char digest[64], sig[BUNDLE_SIG_LEN];

	if (flush_input(w, Z_FINISH) ||
	    write_frame(w, crypto_secretstream_xchacha20poly1305_TAG_FINAL))
		return -1;
	if (w->declared_plain)
		w->h.plain_size = w->declared_plain;
	encode_header(&w->h, w->head);
	if (fseek(w->f, 0, SEEK_SET) != 0 ||
	    fwrite(w->head, 1, BUNDLE_HEADER_LEN, w->f) != BUNDLE_HEADER_LEN ||
	    hash_written(w, digest, hash))
		return werr(w);
	crypto_sign_detached(sig, NULL, digest, sizeof digest, k->sign_sk);
	if (fseek(w->f, 0, SEEK_END) != 0 || fwrite(sig, 1, sizeof sig, w->f) != sizeof sig ||
	    fflush(w->f) != 0 || fsync(fileno(w->f)) != 0)
		return werr(w);
	return 0;
}

int bundle_writer_finish(struct bundle_writer *w, uint64_t nvisits, uint64_t nhouseholds,
			 uint64_t nphotos, const struct sync_keys *k, char hash_hex[BUNDLE_HASH_HEX])
{
	unsigned char hash[BUNDLE_HASH_LEN];
	int rc;

	w->h.nvisits = nvisits;
	w->h.nhouseholds = nhouseholds;
	w->h.nphotos = nphotos;
	if (seal_and_sign(w, k, hash)) {
		bundle_writer_abort(w);
		return -1;
	}
	rc = fclose(w->f);
	w->f = NULL;
	if (rc != 0 || rename(w->tmp, w->path) != 0) {
		werr(w);
		bundle_writer_abort(w);
		return -1;
	}
	sync_dir_of(w->path);
	bundle_hex(hash, sizeof hash, hash_hex, BUNDLE_HASH_HEX);
	free(w->tmp);
	w->tmp = NULL;
	free_writer(w);
	return 0;
}

/* ---- reading ---- */

struct bundle_reader {
	FILE *f;
	char *name;
	struct bundle_header h;
	unsigned char head[BUNDLE_HEADER_LEN];
	unsigned char digest[64];
	char hash_hex[BUNDLE_HASH_HEX];
	int verified;
};

static int reject(const struct bundle_reader *r, const char *why)
{
	return gw_fail(GW_ERR_REJECTED, _("%s: %s"), r->name, _(why));
}

static int open_common(FILE *f, uint64_t size, const char *name, struct bundle_reader **out)
{
	struct bundle_reader *r = xcalloc(1, sizeof *r);

	r->f = f;
	r->name = xstrdup(name);
	*out = NULL;
	/* the version first: a format-1 file has a shorter header */
	if (size >= 10 && fread(r->head, 1, 10, f) == 10 && memcmp(r->head, MAGIC, 8) == 0 &&
	    (r->head[OFF_VERSION] | r->head[OFF_VERSION + 1] << 8) != BUNDLE_VERSION) {
		version_refused(name, r->head[OFF_VERSION] | r->head[OFF_VERSION + 1] << 8);
		bundle_close(r);
		return -1;
	}
	if (size < BUNDLE_HEADER_LEN + BUNDLE_SIG_LEN ||
	    fread(r->head + 10, 1, BUNDLE_HEADER_LEN - 10, f) != BUNDLE_HEADER_LEN - 10) {
		reject(r, N_("truncated (shorter than a bundle header)"));
		bundle_close(r);
		return -1;
	}
	if (decode_header(r->head, &r->h, name) != 0) {
		bundle_close(r);
		return -1;
	}
	if (r->h.body_size != size - BUNDLE_HEADER_LEN - BUNDLE_SIG_LEN) {
		gw_fail(GW_ERR_REJECTED, _("%s: %s (header says %llu body bytes, file has %llu)"), name,
			r->h.body_size > size - BUNDLE_HEADER_LEN - BUNDLE_SIG_LEN ? _("truncated")
										     : _("has extra bytes"),
			(unsigned long long)r->h.body_size,
			(unsigned long long)(size - BUNDLE_HEADER_LEN - BUNDLE_SIG_LEN));
		bundle_close(r);
		return -1;
	}
	*out = r;
	return 0;
}

int bundle_open(const char *path, struct bundle_reader **out)
{
	/* from a stick: no link followed, never blocking (a FIFO named *.gwb) */
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	struct stat sb;
	FILE *f;

	*out = NULL;
	if (fd < 0)
		return gw_fail(GW_ERR_IO, _("%s: cannot read: %s"), path,
			       errno == ELOOP ? "a symbolic link" : strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return gw_fail(GW_ERR_IO, "%s: not a regular file", path);
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	if (!(f = fdopen(fd, "rb"))) {
		close(fd);
		return gw_fail(GW_ERR_IO, _("%s: cannot read: %s"), path, strerror(errno));
	}
	return open_common(f, (uint64_t)sb.st_size, path, out);
}

int bundle_open_mem(const void *data, size_t len, const char *name, struct bundle_reader **out)
{
	FILE *f;

	*out = NULL;
	if (len == 0)
		return gw_fail(GW_ERR_REJECTED, _("%s: empty"), name);
	f = fmemopen((void *)data, len, "rb");
	if (!f)
		return gw_fail(GW_ERR_IO, _("%s: cannot read"), name);
	return open_common(f, len, name, out);
}

const struct bundle_header *bundle_header(const struct bundle_reader *r) { return &r->h; }
const char *bundle_hash_hex(const struct bundle_reader *r) { return r->hash_hex; }

void bundle_close(struct bundle_reader *r)
{
	if (!r)
		return;
	if (r->f)
		fclose(r->f);
	free(r->name);
	free(r);
}

/* Streams header and body through both hashes; sig gets the trailing signature. */
static int hash_stream(struct bundle_reader *r, unsigned char digest[64],
		       unsigned char hash[BUNDLE_HASH_LEN], unsigned char sig[BUNDLE_SIG_LEN])
{
	crypto_generichash_state s512, s256;
	unsigned char buf[CHUNK];
	uint64_t left = r->h.body_size;

	crypto_generichash_init(&s512, NULL, 0, 64);
	crypto_generichash_init(&s256, NULL, 0, BUNDLE_HASH_LEN);
	crypto_generichash_update(&s512, r->head, BUNDLE_HEADER_LEN);
	crypto_generichash_update(&s256, r->head, BUNDLE_HEADER_LEN);
	if (fseek(r->f, BUNDLE_HEADER_LEN, SEEK_SET) != 0)
		return reject(r, N_("cannot seek"));
	while (left) {
		size_t want = left < sizeof buf ? (size_t)left : sizeof buf;
		if (fread(buf, 1, want, r->f) != want)
			return reject(r, N_("truncated"));
		crypto_generichash_update(&s512, buf, want);
		crypto_generichash_update(&s256, buf, want);
		left -= want;
	}
	if (sig && fread(sig, 1, BUNDLE_SIG_LEN, r->f) != BUNDLE_SIG_LEN)
		return reject(r, N_("truncated (no signature)"));
	crypto_generichash_final(&s512, digest, 64);
	crypto_generichash_final(&s256, hash, BUNDLE_HASH_LEN);
	return 0;
}

int bundle_verify(struct bundle_reader *r, const unsigned char sign_pk[SYNC_PK_BYTES])
{
	unsigned char sig[BUNDLE_SIG_LEN], hash[BUNDLE_HASH_LEN];

	sync_init();
	if (hash_stream(r, r->digest, hash, sig))
		return -1;
	if (crypto_sign_verify_detached(sig, r->digest, sizeof r->digest, sign_pk) != 0)
		return reject(r, N_("bad signature (altered, or not signed by the device it names)"));
	bundle_hex(hash, sizeof hash, r->hash_hex, sizeof r->hash_hex);
	r->verified = 1;
	return 0;
}

/* ---- the body: frames → secretstream → inflate → lines ---- */

struct body {
	crypto_generichash_state s512;
	crypto_secretstream_xchacha20poly1305_state ss;
	z_stream z;
	struct bundle_reader *r;
	unsigned char *in, *out; /* one frame, sealed and opened */
	uint64_t plain, consumed;
	char *line;
	size_t line_len, line_cap;
	bundle_line_fn fn;
	void *ctx;
	int z_end;
};

static int emit_bytes(struct body *b, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\n') {
			b->line[b->line_len] = '\0';
			if (b->fn(b->ctx, b->line, b->line_len))
				return -1;
			b->line_len = 0;
			continue;
		}
		if (b->line_len + 1 >= b->line_cap) {
			if (b->line_cap >= BUNDLE_LINE_MAX)
				return reject(b->r, N_("a record is longer than 1 MiB"));
			b->line_cap *= 2;
			b->line = xrealloc(b->line, b->line_cap);
		}
		b->line[b->line_len++] = (char)p[i];
	}
	return 0;
}

static int inflate_chunk(struct body *b, unsigned char *in, size_t n)
{
	unsigned char out[CHUNK];

	b->z.next_in = in;
	b->z.avail_in = (uInt)n;
	while (b->z.avail_in > 0 && !b->z_end) {
		size_t got;
		int zrc;
		b->z.next_out = out;
		b->z.avail_out = sizeof out;
		zrc = inflate(&b->z, Z_NO_FLUSH);
		if (zrc != Z_OK && zrc != Z_STREAM_END && zrc != Z_BUF_ERROR)
			return reject(b->r, N_("body does not inflate (corrupt deflate stream)"));
		got = sizeof out - b->z.avail_out;
		if (got > b->r->h.plain_size - b->plain)
			return reject(b->r, N_("body inflates beyond the size its header declares"));
		b->plain += got;
		if (emit_bytes(b, out, got))
			return -1;
		b->z_end = zrc == Z_STREAM_END;
		if (zrc == Z_BUF_ERROR && got == 0)
			break;
	}
	if (b->z.avail_in > 0)
		return reject(b->r, N_("data after the end of the deflate stream"));
	return 0;
}

static int read_exact(struct body *b, unsigned char *p, size_t n)
{
	if (fread(p, 1, n, b->r->f) != n)
		return reject(b->r, N_("truncated body"));
	crypto_generichash_update(&b->s512, p, n);
	b->consumed += n;
	return 0;
}

/* Reads one frame; 1 when it was the final one. */
static int read_frame(struct body *b)
{
	unsigned char *in = b->in, *out = b->out, len4[4], tag;
	unsigned long long plen;
	uint32_t len;

	if (b->consumed + 4 > b->r->h.body_size)
		return reject(b->r, N_("truncated body (no final frame)"));
	if (read_exact(b, len4, 4))
		return -1;
	len = (uint32_t)len4[0] | (uint32_t)len4[1] << 8 | (uint32_t)len4[2] << 16 |
	      (uint32_t)len4[3] << 24;
	if (len < ABYTES || len > CHUNK + ABYTES || b->consumed + len > b->r->h.body_size)
		return reject(b->r, N_("bad frame length in the body"));
	if (read_exact(b, in, len))
		return -1;
	if (crypto_secretstream_xchacha20poly1305_pull(&b->ss, out, &plen, &tag, in, len, NULL,
						       0) != 0)
		return reject(b->r, N_("body does not decrypt (altered)"));
	if (inflate_chunk(b, out, (size_t)plen))
		return -1;
	if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL)
		return 1;
	return 0;
}

static int open_seal(struct body *b, const struct sync_keys *k)
{
	unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
	int rc = 0;

	if (crypto_box_seal_open(key, b->r->head + OFF_SEALED, SEALED_KEY_LEN, k->box_pk,
				 k->box_sk) != 0)
		return reject(b->r, N_("not sealed to this ledger's key"));
	if (crypto_secretstream_xchacha20poly1305_init_pull(&b->ss, b->r->head + OFF_SSHEADER,
							    key) != 0)
		rc = reject(b->r, N_("bad stream header"));
	sodium_memzero(key, sizeof key);
	return rc;
}

static int finish_body(struct body *b)
{
	unsigned char digest[64];

	if (b->consumed != b->r->h.body_size)
		return reject(b->r, N_("bytes after the final frame"));
	if (!b->z_end)
		return reject(b->r, N_("body ends before its deflate stream does"));
	if (b->plain != b->r->h.plain_size)
		return reject(b->r, N_("body is shorter than its header declares"));
	if (b->line_len)
		return reject(b->r, N_("last record has no end of line"));
	crypto_generichash_final(&b->s512, digest, sizeof digest);
	if (sodium_memcmp(digest, b->r->digest, sizeof digest) != 0)
		return reject(b->r, N_("file changed while it was read"));
	return 0;
}

int bundle_read_body(struct bundle_reader *r, const struct sync_keys *k, bundle_line_fn fn,
		     void *ctx)
{
	struct body b;
	int rc = 0;

	if (!r->verified)
		return reject(r, N_("read before its signature was checked"));
	memset(&b, 0, sizeof b);
	b.r = r;
	b.fn = fn;
	b.ctx = ctx;
	b.line_cap = 4096;
	b.line = xmalloc(b.line_cap);
	b.in = xmalloc(CHUNK + ABYTES);
	b.out = xmalloc(CHUNK);
	crypto_generichash_init(&b.s512, NULL, 0, 64);
	crypto_generichash_update(&b.s512, r->head, BUNDLE_HEADER_LEN);
	if (inflateInit(&b.z) != Z_OK)
		die("zlib cannot start");
	if (fseek(r->f, BUNDLE_HEADER_LEN, SEEK_SET) != 0)
		rc = reject(r, N_("cannot seek"));
	else
		rc = open_seal(&b, k);
	while (rc == 0)
		rc = read_frame(&b);
	if (rc == 1)
		rc = finish_body(&b);
	inflateEnd(&b.z);
	sodium_memzero(&b.ss, sizeof b.ss);
	free(b.line);
	free(b.in);
	free(b.out);
	return rc;
}
