#include "audit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

static const char sql_last[] = "SELECT id, hash FROM merge_log ORDER BY id DESC LIMIT 1";
static const char sql_add[] =
	"INSERT INTO merge_log(id, at, device, bundle_seq, bundle_hash, result, detail, "
	"prev_hash, hash, sig) VALUES(?,?,?,?,?,?,?,?,?,?)";
static const char sql_all[] =
	"SELECT id, at, COALESCE(device, ''), COALESCE(bundle_seq, 0), "
	"COALESCE(bundle_hash, ''), result, detail, prev_hash, hash, COALESCE(sig, '') "
	"FROM merge_log ORDER BY id";
static const char sql_after[] =
	"SELECT id, at, COALESCE(device, ''), COALESCE(bundle_seq, 0), "
	"COALESCE(bundle_hash, ''), result, detail, prev_hash, hash, COALESCE(sig, '') "
	"FROM merge_log WHERE id > ? ORDER BY id";
static const char sql_hash_at[] = "SELECT hash FROM merge_log WHERE id = ?";
static const char sql_echo_get[] =
	"SELECT count, hash, sig, at FROM log_echo WHERE by_device = ?";
static const char sql_witness_get[] =
	"SELECT count, hash, sig, at FROM log_witness WHERE device = ?";
static const char sql_witness_put[] =
	"INSERT INTO log_witness(device, count, hash, sig, at) VALUES(?,?,?,?,?) "
	"ON CONFLICT(device) DO UPDATE SET count = excluded.count, hash = excluded.hash, "
	"sig = excluded.sig, at = excluded.at";
static const char sql_witness_all[] =
	"SELECT device, count, hash, sig, at FROM log_witness ORDER BY device";
static const char sql_echo_put[] =
	"INSERT INTO log_echo(by_device, count, hash, sig, at) VALUES(?,?,?,?,?) "
	"ON CONFLICT(by_device) DO UPDATE SET count = excluded.count, hash = excluded.hash, "
	"sig = excluded.sig, at = excluded.at WHERE excluded.count >= log_echo.count";
static const char sql_echo_all[] =
	"SELECT by_device, count, hash, sig, at FROM log_echo ORDER BY count DESC, by_device";

static const char zero_hash[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

#define SIG_B64 90

static void add_field(crypto_generichash_state *s, const char *v)
{
	char len[24];

	snprintf(len, sizeof len, "%zu:", strlen(v));
	crypto_generichash_update(s, (const unsigned char *)len, strlen(len));
	crypto_generichash_update(s, (const unsigned char *)v, strlen(v));
}

/* version 1: the format-1 log (unsigned); 2: the signed chain. */
static void entry_hash(const struct audit_entry *e, int version, char out[BUNDLE_HASH_HEX])
{
	crypto_generichash_state s;
	unsigned char h[BUNDLE_HASH_LEN];
	char num[3][24];

	snprintf(num[0], sizeof num[0], "%lld", (long long)e->id);
	snprintf(num[1], sizeof num[1], "%lld", (long long)e->at);
	snprintf(num[2], sizeof num[2], "%lld", (long long)e->bundle_seq);
	crypto_generichash_init(&s, NULL, 0, sizeof h);
	add_field(&s, version == 1 ? "gaswalk-log1" : "gaswalk-log2");
	add_field(&s, num[0]);
	add_field(&s, num[1]);
	add_field(&s, e->device);
	add_field(&s, num[2]);
	add_field(&s, e->bundle_hash);
	add_field(&s, e->result);
	add_field(&s, e->detail);
	add_field(&s, e->prev_hash);
	crypto_generichash_final(&s, h, sizeof h);
	bundle_hex(h, sizeof h, out, BUNDLE_HASH_HEX);
}

/* What an entry's signature covers. */
static void entry_message(const char *hash, char out[96])
{
	snprintf(out, 96, "gaswalk-log2 entry %s", hash);
}

static int entry_sig_ok(const char *hash, const char *sig_b64, const unsigned char pk[SYNC_PK_BYTES])
{
	unsigned char sig[crypto_sign_BYTES];
	char msg[96];

	entry_message(hash, msg);
	return sync_unb64(sig_b64, sig, sizeof sig) == 0 &&
	       crypto_sign_verify_detached(sig, (const unsigned char *)msg, strlen(msg), pk) == 0;
}

static int last_entry(struct ledger *l, int64_t *id, char prev[BUNDLE_HASH_HEX])
{
	sqlite3_stmt *st = ledger_stmt(l, sql_last);
	int rc;

	if (!st)
		return -1;
	*id = 0;
	gw_strlcpy(prev, zero_hash, BUNDLE_HASH_HEX);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		gw_strlcpy(prev, (const char *)sqlite3_column_text(st, 1), BUNDLE_HASH_HEX);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "merge log");
}

/* How many entries the format-1 log held when schema 0009 sealed it. */
static int64_t format1_entries(struct ledger *l)
{
	char v[24];

	if (ledger_meta(l, "log_format1_entries", v, sizeof v) != 1)
		return 0;
	return strtoll(v, NULL, 10);
}

static int insert_entry(struct ledger *l, const struct sync_keys *k, struct audit_entry *e)
{
	char hash[BUNDLE_HASH_HEX], msg[96], sig_b64[SIG_B64];
	unsigned char sig[crypto_sign_BYTES];
	sqlite3_stmt *st = ledger_stmt(l, sql_add);
	int rc;

	if (!st)
		return -1;
	entry_hash(e, 2, hash);
	entry_message(hash, msg);
	crypto_sign_detached(sig, NULL, (const unsigned char *)msg, strlen(msg), k->sign_sk);
	sync_b64(sig, sizeof sig, sig_b64, sizeof sig_b64);
	sqlite3_bind_int64(st, 1, e->id);
	sqlite3_bind_int64(st, 2, e->at);
	sqlite3_bind_text(st, 3, e->device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, e->bundle_seq);
	sqlite3_bind_text(st, 5, e->bundle_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, e->result, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, e->detail, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, e->prev_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, sig_b64, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "merge log");
}

/* Appends one signed entry after the current last one. */
static int append_signed(struct ledger *l, const struct sync_keys *k, const char *device,
			 int64_t bundle_seq, const char *bundle_hash, const char *result,
			 const char *detail)
{
	struct audit_entry e = {0, gw_now(), bundle_seq, device ? device : "",
				bundle_hash ? bundle_hash : "", result, detail, NULL, NULL, NULL};
	char prev[BUNDLE_HASH_HEX];

	if (last_entry(l, &e.id, prev))
		return -1;
	e.id++;
	e.prev_hash = prev;
	return insert_entry(l, k, &e);
}

int audit_log(struct ledger *l, const struct sync_keys *k, const char *device,
	      int64_t bundle_seq, const char *bundle_hash, const char *result, const char *detail)
{
	int64_t last, old = format1_entries(l);
	char prev[BUNDLE_HASH_HEX], seal[80];

	sync_init();
	if (last_entry(l, &last, prev))
		return -1;
	if (old > 0 && last == old) {
		snprintf(seal, sizeof seal, "format-1 log of %lld entries sealed", (long long)old);
		if (append_signed(l, k, NULL, 0, prev, "sealed", seal))
			return -1;
	}
	return append_signed(l, k, device, bundle_seq, bundle_hash, result, detail);
}

int audit_append(struct ledger *l, const char *device, int64_t bundle_seq,
		 const char *bundle_hash, const char *result, const char *detail)
{
	struct sync_keys *k = sync_keys_load(l);
	int rc;

	if (!k)
		return -1;
	rc = audit_log(l, k, device, bundle_seq, bundle_hash, result, detail);
	sync_keys_free(k);
	return rc;
}

static void entry_from_row(sqlite3_stmt *st, struct audit_entry *e)
{
	e->id = sqlite3_column_int64(st, 0);
	e->at = sqlite3_column_int64(st, 1);
	e->device = ledger_text(st, 2);
	e->bundle_seq = sqlite3_column_int64(st, 3);
	e->bundle_hash = ledger_text(st, 4);
	e->result = ledger_text(st, 5);
	e->detail = ledger_text(st, 6);
	e->prev_hash = ledger_text(st, 7);
	e->hash = ledger_text(st, 8);
	e->sig = ledger_text(st, 9);
}

/* The walk shared by audit_walk and audit_verify; pk NULL: signatures not checked. */
struct walk {
	const unsigned char *pk;
	int64_t old;
	struct audit_check *c;
};

static void check_entry(struct walk *w, const struct audit_entry *e, const char *prev)
{
	char want[BUNDLE_HASH_HEX];
	int version = e->id <= w->old && !e->sig[0] ? 1 : 2;

	entry_hash(e, version, want);
	if (version == 2 && !e->sig[0])
		w->c->fault = AUDIT_UNSIGNED;
	else if (strcmp(want, e->hash) != 0 || strcmp(prev, e->prev_hash) != 0)
		w->c->fault = AUDIT_CHAIN;
	else if (version == 2 && w->pk && !entry_sig_ok(e->hash, e->sig, w->pk))
		w->c->fault = AUDIT_SIG;
	if (w->c->fault)
		w->c->bad_id = e->id;
	w->c->nsigned += version == 2;
}

static int64_t walk(struct ledger *l, struct walk *w, audit_fn fn, void *ctx)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_all);
	char prev[BUNDLE_HASH_HEX];
	struct audit_entry e;
	int rc;

	if (!st)
		return -1;
	sync_init();
	w->old = format1_entries(l);
	gw_strlcpy(prev, zero_hash, sizeof prev);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		entry_from_row(st, &e);
		if (!w->c->fault)
			check_entry(w, &e, prev);
		w->c->count = e.id;
		gw_strlcpy(prev, e.hash, sizeof prev);
		if (fn && fn(ctx, &e, !w->c->fault))
			break;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ledger_db_fail(l, "merge log");
	return w->c->bad_id;
}

int64_t audit_walk(struct ledger *l, audit_fn fn, void *ctx)
{
	struct audit_check c;
	struct walk w = {NULL, 0, &c};

	memset(&c, 0, sizeof c);
	return walk(l, &w, fn, ctx);
}

int audit_each_after(struct ledger *l, int64_t after, audit_fn fn, void *ctx)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_after);
	struct audit_entry e;
	int rc, stop = 0;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, after);
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		entry_from_row(st, &e);
		stop = fn(ctx, &e, 1);
	}
	sqlite3_reset(st);
	if (stop)
		return stop;
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "merge log");
}

/* ---- heads ---- */

static void head_message(const struct audit_head *h, const char *device, char *out, size_t outsz)
{
	snprintf(out, outsz, "gaswalk-loghead1:%s:%lld:%s", device, (long long)h->count, h->hash);
}

int audit_head_get(struct ledger *l, const struct sync_keys *k, struct audit_head *h)
{
	char msg[AUDIT_HEAD_MAX];

	sync_init();
	memset(h, 0, sizeof *h);
	if (last_entry(l, &h->count, h->hash))
		return -1;
	head_message(h, ledger_device_id(l), msg, sizeof msg);
	crypto_sign_detached(h->sig, NULL, (const unsigned char *)msg, strlen(msg), k->sign_sk);
	return 0;
}

void audit_head_format(const struct audit_head *h, const char *device, char *out, size_t outsz)
{
	char sig[SIG_B64];
	size_t n;

	head_message(h, device, out, outsz);
	sync_b64(h->sig, sizeof h->sig, sig, sizeof sig);
	n = strlen(out);
	snprintf(out + n, outsz - n, ":%s", sig);
}

static int is_hex64(const char *s, size_t n)
{
	size_t i;

	if (n != BUNDLE_HASH_HEX - 1)
		return 0;
	for (i = 0; i < n; i++)
		if (!strchr("0123456789abcdef", s[i]) || !s[i])
			return 0;
	return 1;
}

/* The count field: decimal digits only, no sign, no leading zero, below 10^15. */
static int parse_count(const char *s, size_t n, int64_t *out)
{
	size_t i;

	if (n == 0 || n > 15 || (n > 1 && s[0] == '0'))
		return -1;
	*out = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*out = *out * 10 + (s[i] - '0');
	}
	return 0;
}

int audit_head_parse(const char *s, struct audit_head *h, char *device)
{
	static const char magic[] = "gaswalk-loghead1:";
	const char *f[4];
	size_t len[4];
	char sig[SIG_B64];
	int i;

	memset(h, 0, sizeof *h);
	if (strncmp(s, magic, sizeof magic - 1) != 0)
		return -1;
	f[0] = s + sizeof magic - 1;
	for (i = 0; i < 4; i++) {
		const char *end = i < 3 ? strchr(f[i], ':') : f[i] + strlen(f[i]);

		if (!end)
			return -1;
		len[i] = (size_t)(end - f[i]);
		if (i < 3)
			f[i + 1] = end + 1;
	}
	if (len[0] == 0 || len[0] > DEVICE_ID_MAX || parse_count(f[1], len[1], &h->count) ||
	    !is_hex64(f[2], len[2]) || len[3] >= sizeof sig)
		return -1;
	memcpy(device, f[0], len[0]);
	device[len[0]] = '\0';
	memcpy(h->hash, f[2], len[2]);
	h->hash[len[2]] = '\0';
	memcpy(sig, f[3], len[3]);
	sig[len[3]] = '\0';
	return sync_unb64(sig, h->sig, sizeof h->sig);
}

int audit_head_check(const struct audit_head *h, const char *device,
		     const unsigned char sign_pk[SYNC_PK_BYTES])
{
	char msg[AUDIT_HEAD_MAX];

	sync_init();
	head_message(h, device, msg, sizeof msg);
	return crypto_sign_verify_detached(h->sig, (const unsigned char *)msg, strlen(msg),
					   sign_pk) == 0
		       ? 0
		       : -1;
}

/* Reads a stored head from columns count, hash, sig (base64url) starting at col. */
static int head_from_row(sqlite3_stmt *st, int col, struct audit_head *h)
{
	memset(h, 0, sizeof *h);
	h->count = sqlite3_column_int64(st, col);
	gw_strlcpy(h->hash, ledger_text(st, col + 1), sizeof h->hash);
	return sync_unb64(ledger_text(st, col + 2), h->sig, sizeof h->sig);
}

static int put_head(struct ledger *l, const char *sql, const char *device,
		    const struct audit_head *h)
{
	sqlite3_stmt *st = ledger_stmt(l, sql);
	char sig[SIG_B64];
	int rc;

	if (!st)
		return -1;
	sync_b64(h->sig, sizeof h->sig, sig, sizeof sig);
	sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, h->count);
	sqlite3_bind_text(st, 3, h->hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, sig, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, gw_now());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "merge log witness");
}

int audit_witness_get(struct ledger *l, const char *device, struct audit_head *h)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_witness_get);
	int rc, bad = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		bad = head_from_row(st, 0, h);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return GW_ERR_NOTFOUND;
	if (rc != SQLITE_ROW)
		return ledger_db_fail(l, "merge log witness");
	return bad ? gw_fail(GW_ERR_DB, "merge log witness of %s: unreadable signature", device) : 0;
}

int audit_witness_each(struct ledger *l, audit_witness_fn fn, void *ctx)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_witness_all);
	struct audit_head h;
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (head_from_row(st, 1, &h) == 0 &&
		    fn(ctx, ledger_text(st, 0), &h, sqlite3_column_int64(st, 4)))
			break;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "merge log witness");
}

/* ---- the consistency proof a roll-up carries ---- */

struct audit_proof {
	struct ledger *l;
	int keep;
	char device[DEVICE_ID_MAX + 1];
	unsigned char pk[SYNC_PK_BYTES];
	int witnessed;              /* a head was witnessed here before */
	struct audit_head w;        /* it (count 0, zero hash when none) */
	int64_t first, last;        /* the entries sent so far (first 0: none yet) */
	char hash[BUNDLE_HASH_HEX]; /* the chain after the last of them */
	int any_signed, done;
	/* the log does not extend the witnessed head (a ledger restored from a backup, or a
	 * log cut): held for the clerk, unless the clerk accepted it (rebase: keep == 2),
	 * when the witness is re-based on the new head */
	int rebase, diverged;
	char diverged_why[320];
};

struct audit_proof *audit_proof_begin(struct ledger *l, const char *device,
				      const unsigned char sign_pk[SYNC_PK_BYTES], int keep)
{
	struct audit_proof *p = xmalloc(sizeof *p);
	int rc;

	memset(p, 0, sizeof *p);
	p->l = l;
	p->keep = keep != 0;
	p->rebase = keep == 2;
	gw_strlcpy(p->device, device, sizeof p->device);
	memcpy(p->pk, sign_pk, SYNC_PK_BYTES);
	rc = l ? audit_witness_get(l, device, &p->w) : GW_ERR_NOTFOUND;
	if (rc != 0 && rc != GW_ERR_NOTFOUND) {
		free(p);
		return NULL;
	}
	gw_clear_error();
	p->witnessed = rc == 0;
	if (!p->witnessed) {
		memset(&p->w, 0, sizeof p->w);
		gw_strlcpy(p->w.hash, zero_hash, sizeof p->w.hash);
	}
	return p;
}

void audit_proof_free(struct audit_proof *p)
{
	free(p);
}

int audit_proof_done(const struct audit_proof *p)
{
	return p->done;
}

/* The log does not extend the witnessed head: noted (the first reason kept), and the
 * rest is still checked from the entries sent (chain, signatures, head); the end
 * decides (audit_proof_end: held, or re-based when the clerk accepted). */
static void diverge(struct audit_proof *p, const char *why)
{
	if (!p->diverged)
		gw_strlcpy(p->diverged_why, why, sizeof p->diverged_why);
	p->diverged = 1;
}

/* "log of D does not extend the head witnessed at W: <tail>" */
static void not_extending(struct audit_proof *p, const char *tail)
{
	char why[320];

	snprintf(why, sizeof why, "log of %s does not extend the head witnessed at %lld: %s",
		 p->device, (long long)p->w.count, tail);
	diverge(p, why);
}

static void entry_changed(struct audit_proof *p)
{
	char tail[160];

	snprintf(tail, sizeof tail, "its entry %lld is not the one witnessed (the log was cut or "
				    "rewritten after that head went up)", (long long)p->w.count);
	not_extending(p, tail);
}

static void entries_missing(struct audit_proof *p, int64_t upto)
{
	char tail[160];

	if (!p->witnessed) {
		snprintf(tail, sizeof tail, "log of %s: entries 1..%lld are not in the roll-up (no "
					    "head of that log is witnessed here yet)", p->device,
			 (long long)upto);
		diverge(p, tail);
		return;
	}
	snprintf(tail, sizeof tail, "entries %lld..%lld are not in the roll-up",
		 (long long)p->w.count + 1, (long long)upto);
	not_extending(p, tail);
}

/* The first entry sent: it must start at or below the witnessed count. */
static int proof_start(struct audit_proof *p, const struct audit_entry *e, char *why, size_t whysz)
{
	if (e->id < 1)
		return snprintf(why, whysz, "log of %s: bad entry number %lld", p->device,
				(long long)e->id), 1;
	if (e->id - 1 > p->w.count)
		entries_missing(p, e->id - 1);
	else if (e->id - 1 == p->w.count && strcmp(e->prev_hash, p->w.hash) != 0) {
		if (!p->witnessed)
			return snprintf(why, whysz, "log of %s: entry 1 does not start a log",
					p->device), 1;
		entry_changed(p);
	}
	p->first = e->id;
	p->last = e->id - 1;
	gw_strlcpy(p->hash, e->prev_hash, sizeof p->hash);
	return 0;
}

int audit_proof_entry(struct audit_proof *p, const struct audit_entry *e, char *why, size_t whysz)
{
	char hash[BUNDLE_HASH_HEX];
	int version = e->sig[0] ? 2 : 1;

	if (p->done)
		return snprintf(why, whysz, "log of %s: an entry after its head", p->device), 1;
	if (!p->first && proof_start(p, e, why, whysz))
		return 1;
	if (e->id != p->last + 1)
		return snprintf(why, whysz, "log of %s: entry %lld expected, %lld found", p->device,
				(long long)p->last + 1, (long long)e->id), 1;
	if (strcmp(e->prev_hash, p->hash) != 0)
		return snprintf(why, whysz, "log of %s: entry %lld does not chain from entry %lld",
				p->device, (long long)e->id, (long long)p->last), 1;
	/* unsigned: format-1 entries, only where the log is not witnessed yet, before any signed */
	if (version == 1 && (p->any_signed || (p->witnessed && e->id > p->w.count)))
		return snprintf(why, whysz, "log of %s: entry %lld is not signed", p->device,
				(long long)e->id), 1;
	entry_hash(e, version, hash);
	if (version == 2 && !entry_sig_ok(hash, e->sig, p->pk))
		return snprintf(why, whysz, "log of %s: entry %lld is not signed by its key", p->device,
				(long long)e->id), 1;
	if (p->witnessed && e->id == p->w.count && strcmp(hash, p->w.hash) != 0)
		entry_changed(p);
	p->any_signed |= version == 2;
	p->last = e->id;
	gw_strlcpy(p->hash, hash, sizeof p->hash);
	return 0;
}

int audit_proof_end(struct audit_proof *p, const struct audit_head *h, char *why, size_t whysz)
{
	char tail[160];

	if (p->done)
		return snprintf(why, whysz, "log of %s: a second head", p->device), 1;
	p->done = 1;
	if (audit_head_check(h, p->device, p->pk))
		return snprintf(why, whysz, "merge-log head of %s not signed by its key", p->device), 1;
	if (h->count < p->w.count) {
		snprintf(tail, sizeof tail, "its head counts %lld entries (the log was cut, or this "
					    "roll-up is older than one merged here)", (long long)h->count);
		not_extending(p, tail);
	}
	if (!p->first) { /* no entries: the head must be the witnessed one */
		if (h->count > p->w.count)
			entries_missing(p, h->count);
		else if (h->count == p->w.count && strcmp(h->hash, p->w.hash) != 0)
			entry_changed(p);
	} else if (p->last != h->count || strcmp(p->hash, h->hash) != 0) {
		return snprintf(why, whysz, "log of %s: its entries end at entry %lld, %.16s, but "
					    "its head is entry %lld, %.16s", p->device, (long long)p->last,
				p->hash, (long long)h->count, h->hash), 1;
	}
	if (p->diverged && !p->rebase) {
		snprintf(why, whysz, "%s; if %s restored its ledger from a backup, accept it with a "
				     "reason; otherwise reject it", p->diverged_why, p->device);
		return 2;
	}
	if (!p->keep || !p->l || (p->witnessed && h->count == p->w.count && !p->diverged))
		return 0;
	return put_head(p->l, sql_witness_put, p->device, h) ? -1 : 0;
}

int audit_proof_held(const struct audit_proof *p)
{
	return p->done && p->diverged && !p->rebase;
}

static int self_pk(struct ledger *l, unsigned char pk[SYNC_PK_BYTES])
{
	struct sync_identity me;

	if (sync_identity_self(l, &me))
		return -1;
	memcpy(pk, me.sign_pk, SYNC_PK_BYTES);
	return 0;
}

/* Remembers, apart from log_echo, the highest head echoed and by whom ("COUNT:BY"). */
static int echo_mark(struct ledger *l, const char *by, int64_t count)
{
	char v[DEVICE_ID_MAX + 32];

	if (ledger_meta(l, "log_echo_last", v, sizeof v) == 1 && strtoll(v, NULL, 10) > count)
		return 0;
	snprintf(v, sizeof v, "%lld:%s", (long long)count, by);
	return ledger_meta_set(l, "log_echo_last", v);
}

int audit_echo(struct ledger *l, const char *by, const struct audit_head *h, char *why,
	       size_t whysz)
{
	unsigned char pk[SYNC_PK_BYTES];

	if (self_pk(l, pk))
		return -1;
	if (audit_head_check(h, ledger_device_id(l), pk)) {
		snprintf(why, whysz, "merge-log head echoed by %s is not this ledger's", by);
		return 1;
	}
	return put_head(l, sql_echo_put, by, h) || echo_mark(l, by, h->count) ? -1 : 0;
}

int audit_echo_get(struct ledger *l, const char *by, struct audit_head *h)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_echo_get);
	int rc, bad = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, by, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		bad = head_from_row(st, 0, h);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return GW_ERR_NOTFOUND;
	if (rc != SQLITE_ROW)
		return ledger_db_fail(l, "merge log echo");
	return bad ? GW_ERR_NOTFOUND : 0;
}

/* ---- verification ---- */

/* The stored hash of entry id ("" when there is none). */
static int hash_at(struct ledger *l, int64_t id, char out[BUNDLE_HASH_HEX])
{
	sqlite3_stmt *st = ledger_stmt(l, sql_hash_at);
	int rc;

	if (!st)
		return -1;
	out[0] = '\0';
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		gw_strlcpy(out, ledger_text(st, 0), BUNDLE_HASH_HEX);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "merge log");
}

/* Compares the log with one witnessed head. */
static int check_head(struct ledger *l, const struct audit_head *h, struct audit_check *c)
{
	char have[BUNDLE_HASH_HEX];

	if (h->count == 0)
		return 0;
	if (h->count > c->count) {
		c->fault = AUDIT_CUT;
		c->bad_id = c->count + 1;
		return 0;
	}
	if (hash_at(l, h->count, have))
		return -1;
	if (strcmp(have, h->hash) != 0) {
		c->fault = AUDIT_REWRITTEN;
		c->bad_id = h->count;
	}
	return 0;
}

/* Checks every head echoed from above, highest first; keeps the one at fault, or the
 * highest when all match. */
static int check_echoes(struct ledger *l, struct audit_check *c)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_echo_all);
	struct audit_head h;
	int rc, err = 0;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (head_from_row(st, 1, &h))
			continue;
		if ((err = check_head(l, &h, c)) != 0)
			break;
		if (!c->witnessed || c->fault) {
			c->head = h;
			c->head_at = sqlite3_column_int64(st, 4);
			gw_strlcpy(c->by, ledger_text(st, 0), sizeof c->by);
		}
		c->witnessed = 1;
		if (c->fault)
			break;
	}
	sqlite3_reset(st);
	if (!err && rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ledger_db_fail(l, "merge log");
	return err ? -1 : 0;
}

static int64_t meta_count(struct ledger *l, const char *key, char *rest, size_t restsz)
{
	char v[DEVICE_ID_MAX + 32], *end;
	int64_t n;

	if (ledger_meta(l, key, v, sizeof v) != 1)
		return 0;
	n = strtoll(v, &end, 10);
	if (rest)
		gw_strlcpy(rest, *end == ':' ? end + 1 : "", restsz);
	return n;
}

/* No head to check against: did one come down all the same? An echo kept once
 * (log_echo_last), or roll-ups of this office acknowledged by the office above (each
 * such roll-up carried a head, which its next pack echoes). */
static void echo_lost(struct ledger *l, struct audit_check *c)
{
	c->echo_lost_n = meta_count(l, "log_echo_last", c->echo_lost_by, sizeof c->echo_lost_by);
	if (c->echo_lost_n > 0) {
		c->echo_lost = 1;
		return;
	}
	c->echo_lost_n = meta_count(l, "ack_seq", NULL, 0);
	if (c->echo_lost_n > 0 && strcmp(ledger_kind(l), "office") == 0 &&
	    ledger_meta(l, "upstream", c->echo_lost_by, sizeof c->echo_lost_by) == 1)
		c->echo_lost = 2;
	gw_clear_error();
}

int audit_verify(struct ledger *l, const struct audit_head *given, struct audit_check *c)
{
	unsigned char pk[SYNC_PK_BYTES];
	struct walk w = {pk, 0, c};

	memset(c, 0, sizeof *c);
	if (self_pk(l, pk) || walk(l, &w, NULL, NULL) < 0)
		return -1;
	if (c->fault)
		return 0;
	if (given) {
		c->witnessed = 1;
		c->head = *given;
		return check_head(l, given, c);
	}
	if (check_echoes(l, c))
		return -1;
	if (!c->witnessed)
		echo_lost(l, c);
	return 0;
}
