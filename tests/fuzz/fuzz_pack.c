/* libFuzzer target for loading an assignment pack into a terminal ledger (make fuzz /
 * make fuzz-check): the input is the pack's body (JSON lines). It is written as a real
 * pack — the office's identity line first, counts in the header as the lines say,
 * deflated, sealed to the terminal, signed by a trusted office — and loaded with
 * sync_load into a terminal ledger in a temporary folder, so every record reaches the
 * ledger code (households, visits, catalog, settings, acks, status refresh).
 * The ledger is kept between runs (made anew every RENEW runs, so it stays small). */
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/ledger.h"
#include "core/util.h"
#include "sync/bundle.h"
#include "sync/keys.h"
#include "sync/pack.h"
#include "sync/records.h"

#define RENEW 2000

static struct sync_keys office, terminal;
static struct sync_identity office_id;
static char dir[64], db[96], pack[96], office_line[SYNC_ID_LINE_MAX], fpr[SYNC_FPR_MAX];
static struct ledger *l;
static uint64_t seq, runs;

static void seeded(struct sync_keys *k, unsigned char byte)
{
	unsigned char seed[32];

	memset(seed, byte, sizeof seed);
	crypto_sign_seed_keypair(k->sign_pk, k->sign_sk, seed);
	crypto_box_seed_keypair(k->box_pk, k->box_sk, seed);
}

static void remove_ledger(void)
{
	char p[128];

	if (l)
		ledger_close(l);
	l = NULL;
	unlink(db);
	snprintf(p, sizeof p, "%s-wal", db);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", db);
	unlink(p);
}

static void cleanup(void)
{
	remove_ledger();
	unlink(pack);
	rmdir(dir);
}

static void new_ledger(void)
{
	remove_ledger();
	if (ledger_create(db, "terminal", "T", &l) != 0)
		die("fuzz_pack: %s", gw_error());
	seq = 0;
}

static void init(void)
{
	static int done;
	const char *tmp = getenv("TMPDIR");

	if (done)
		return;
	done = 1;
	sync_init();
	seeded(&office, 1);
	seeded(&terminal, 2);
	snprintf(dir, sizeof dir, "%s/fuzz_pack.XXXXXX", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		die("fuzz_pack: cannot make a folder");
	snprintf(db, sizeof db, "%s/t.db", dir);
	snprintf(pack, sizeof pack, "%s/p.gwp", dir);
	atexit(cleanup);
	gw_strlcpy(office_id.id, "0ff1ce0ff1ce0ff1", sizeof office_id.id);
	gw_strlcpy(office_id.kind, "office", sizeof office_id.kind);
	gw_strlcpy(office_id.name, "Fuzz office", sizeof office_id.name);
	memcpy(office_id.sign_pk, office.sign_pk, SYNC_PK_BYTES);
	memcpy(office_id.box_pk, office.box_pk, SYNC_PK_BYTES);
	sync_identity_format(&office_id, office_line, sizeof office_line);
	sync_fingerprint(office.sign_pk, fpr);
	new_ledger();
}

/* Counts the visit and household lines, as the header must declare them. */
static void count(const uint8_t *data, size_t size, uint64_t *nv, uint64_t *nh)
{
	char *buf = xmalloc(size + 1);
	size_t start = 0;

	memcpy(buf, data, size);
	buf[size] = '\n';
	*nv = *nh = 0;
	for (size_t i = 0; i <= size; i++) {
		const char *type;
		json_t *o;

		if (buf[i] != '\n')
			continue;
		o = record_parse(buf + start, i - start, &type);
		if (o && !strcmp(type, "visit"))
			(*nv)++;
		else if (o && !strcmp(type, "household"))
			(*nh)++;
		json_decref(o);
		start = i + 1;
	}
	free(buf);
}

static int write_pack(const uint8_t *data, size_t size)
{
	struct bundle_header h;
	struct bundle_writer *w;
	char head[SYNC_ID_LINE_MAX + 64], hash[BUNDLE_HASH_HEX];
	uint64_t nv, nh;
	int n;

	memset(&h, 0, sizeof h);
	h.kind = BUNDLE_PACK;
	gw_strlcpy(h.sender, office_id.id, sizeof h.sender);
	gw_strlcpy(h.recipient, ledger_device_id(l), sizeof h.recipient);
	memcpy(h.sender_pk, office.sign_pk, SYNC_PK_BYTES);
	h.seq = ++seq;
	h.created_at = 1700000000;
	count(data, size, &nv, &nh);
	n = snprintf(head, sizeof head, "{\"type\":\"office\",\"identity\":\"%s\"}\n", office_line);
	if (bundle_writer_open(pack, &h, terminal.box_pk, &w) != 0)
		return -1;
	if (bundle_writer_put(w, head, (size_t)n) != 0 || bundle_writer_put(w, data, size) != 0 ||
	    (size && data[size - 1] != '\n' && bundle_writer_put(w, "\n", 1) != 0)) {
		bundle_writer_abort(w);
		return -1;
	}
	return bundle_writer_finish(w, nv, nh, 0, &office, hash);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pack_report r;

	init();
	if (++runs % RENEW == 0)
		new_ledger();
	if (size > BUNDLE_LINE_MAX || write_pack(data, size) != 0)
		return 0;
	if (sync_load(l, &terminal, pack, fpr, &r) != 0 && getenv("FUZZ_PACK_DEBUG"))
		fprintf(stderr, "load: %s\n", gw_error());
	else if (getenv("FUZZ_PACK_DEBUG"))
		fprintf(stderr, "loaded: %lld households, %lld visits\n", (long long)r.households, (long long)r.visits);
	return 0;
}
