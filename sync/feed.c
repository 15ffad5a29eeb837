#include "feed.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "sync/records.h"

#define MANIFEST_TAG "gaswalk-feed2"
#define ENTRY_TAG "gaswalk-entry2\n"

void feed_hex(const unsigned char h[FEED_HASH_LEN], char hex[FEED_HEX])
{
	sodium_bin2hex(hex, FEED_HEX, h, FEED_HASH_LEN);
}

int feed_unhex(const char *hex, unsigned char h[FEED_HASH_LEN])
{
	size_t n = 0;

	if (strlen(hex) != (size_t)2 * FEED_HASH_LEN)
		return -1;
	for (const char *p = hex; *p; p++)
		if (!strchr("0123456789abcdef", *p))
			return -1;
	if (sodium_hex2bin(h, FEED_HASH_LEN, hex, (size_t)2 * FEED_HASH_LEN, NULL, &n, NULL) != 0 ||
	    n != FEED_HASH_LEN)
		return -1;
	return 0;
}

void feed_manifest_format(const struct feed_manifest *m, char *out, size_t outsz)
{
	char hb[FEED_HEX], h[FEED_HEX];

	feed_hex(m->head_before, hb);
	feed_hex(m->head, h);
	snprintf(out, outsz, MANIFEST_TAG ":%s:%lld:%lld:%s:%s:%lld:%lld:%lld:%lld", m->device,
		 (long long)m->first, (long long)m->last, hb, h, (long long)m->created,
		 (long long)m->prev_created, (long long)m->prev_last, (long long)m->bundle_seq);
}

/* A decimal field without sign or leading zero, at most 18 digits. */
static int field_int(const char *s, size_t n, int64_t *out)
{
	int64_t v = 0;

	if (n == 0 || n > 18 || (n > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Splits text at ':' into exactly n fields (pointers and lengths). */
static int split(const char *text, const char **f, size_t *len, int n)
{
	const char *p = text;

	for (int i = 0; i < n; i++) {
		const char *c = strchr(p, ':');
		if ((c == NULL) != (i == n - 1))
			return -1;
		f[i] = p;
		len[i] = c ? (size_t)(c - p) : strlen(p);
		p = c ? c + 1 : p;
	}
	return 0;
}

int feed_manifest_parse(const char *text, struct feed_manifest *m)
{
	const char *f[10];
	size_t len[10];
	char hex[FEED_HEX];

	memset(m, 0, sizeof *m);
	if (strlen(text) >= FEED_MANIFEST_MAX || split(text, f, len, 10) ||
	    len[0] != strlen(MANIFEST_TAG) || memcmp(f[0], MANIFEST_TAG, len[0]) != 0 ||
	    len[1] > DEVICE_ID_MAX || !sync_device_id_ok(f[1], len[1]))
		return gw_fail(GW_ERR_REJECTED, _("feed manifest: not a format-2 manifest"));
	memcpy(m->device, f[1], len[1]);
	if (field_int(f[2], len[2], &m->first) || field_int(f[3], len[3], &m->last) ||
	    field_int(f[6], len[6], &m->created) || field_int(f[7], len[7], &m->prev_created) ||
	    field_int(f[8], len[8], &m->prev_last) || field_int(f[9], len[9], &m->bundle_seq) ||
	    m->first < 1 || m->last < m->first || len[4] != 64 || len[5] != 64)
		return gw_fail(GW_ERR_REJECTED, _("feed manifest of %s: bad numbers"), m->device);
	memcpy(hex, f[4], 64);
	hex[64] = '\0';
	if (feed_unhex(hex, m->head_before))
		return gw_fail(GW_ERR_REJECTED, _("feed manifest of %s: bad head"), m->device);
	memcpy(hex, f[5], 64);
	if (feed_unhex(hex, m->head))
		return gw_fail(GW_ERR_REJECTED, _("feed manifest of %s: bad head"), m->device);
	return 0;
}

void feed_manifest_sign(const char *text, const struct sync_keys *k, char sig[FEED_SIG_B64])
{
	unsigned char s[crypto_sign_BYTES];

	crypto_sign_detached(s, NULL, (const unsigned char *)text, strlen(text), k->sign_sk);
	sync_b64(s, sizeof s, sig, FEED_SIG_B64);
}

int feed_manifest_verify(const char *text, const char *sig_b64,
			 const unsigned char pk[SYNC_PK_BYTES])
{
	unsigned char s[crypto_sign_BYTES];

	if (sync_unb64(sig_b64, s, sizeof s) != 0 ||
	    crypto_sign_verify_detached(s, (const unsigned char *)text, strlen(text), pk) != 0)
		return -1;
	return 0;
}

static void entry_hash(const char *line, size_t len, unsigned char out[FEED_HASH_LEN])
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, NULL, 0, FEED_HASH_LEN);
	crypto_generichash_update(&st, (const unsigned char *)ENTRY_TAG, strlen(ENTRY_TAG));
	crypto_generichash_update(&st, (const unsigned char *)line, len);
	crypto_generichash_final(&st, out, FEED_HASH_LEN);
}

static int cmp_hazard(const void *x, const void *y)
{
	return strcmp(((const struct hazard *)x)->code, ((const struct hazard *)y)->code);
}

static int cmp_photo(const void *x, const void *y)
{
	return strcmp(((const struct photo *)x)->name, ((const struct photo *)y)->name);
}

void feed_entry_visit(struct visit *v, unsigned char out[FEED_HASH_LEN])
{
	char *line;
	size_t len;

	if (v->nhazards > 1)
		qsort(v->hazards, (size_t)v->nhazards, sizeof v->hazards[0], cmp_hazard);
	if (v->nphotos > 1)
		qsort(v->photos, (size_t)v->nphotos, sizeof v->photos[0], cmp_photo);
	line = record_visit_line(v, &len);
	entry_hash(line, len, out);
	free(line);
}

void feed_entry_void(const struct visit_void *w, unsigned char out[FEED_HASH_LEN])
{
	size_t len;
	char *line = record_void_line(w, &len);

	entry_hash(line, len, out);
	free(line);
}

void feed_chain(unsigned char head[FEED_HASH_LEN], const unsigned char entry[FEED_HASH_LEN])
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, NULL, 0, FEED_HASH_LEN);
	crypto_generichash_update(&st, head, FEED_HASH_LEN);
	crypto_generichash_update(&st, entry, FEED_HASH_LEN);
	crypto_generichash_final(&st, head, FEED_HASH_LEN);
}

/* ---- at a receiving office ---- */

static const char sql_heads[] =
	"SELECT n, head FROM feed_head WHERE device = ?1 AND n BETWEEN ?2 AND ?3 ORDER BY n";
static const char sql_head_put[] =
	"INSERT INTO feed_head(device, n, head, claimed) VALUES(?,?,?,?) "
	"ON CONFLICT(device, n) DO NOTHING";
static const char sql_manifest_put[] =
	"INSERT OR IGNORE INTO feed_manifest(device, first, last, manifest, sig, key) "
	"VALUES(?,?,?,?,?,?)";
static const char sql_feed_bundle[] =
	"INSERT INTO feed(device, last_created) VALUES(?1, ?2) ON CONFLICT(device) DO UPDATE "
	"SET last_created = MAX(last_created, excluded.last_created)";
static const char sql_feed_get[] =
	"SELECT covered, last_created, forks FROM feed WHERE device = ?";
static const char sql_feed_cover[] = "UPDATE feed SET covered = ?2 WHERE device = ?1";
static const char sql_feed_fork[] =
	"INSERT INTO feed(device, forks) VALUES(?1, 1) ON CONFLICT(device) DO UPDATE "
	"SET forks = forks + 1";
/* 1 when entry n is here (a visit or a void) and none of its photos is missing. */
static const char sql_entry_ready[] =
	"SELECT (EXISTS(SELECT 1 FROM visit WHERE device = ?1 AND seq = ?2) OR "
	"EXISTS(SELECT 1 FROM visit_void WHERE device = ?1 AND seq = ?2)) AND "
	"NOT EXISTS(SELECT 1 FROM photo_missing WHERE device = ?1 AND seq = ?2)";
/* The same for a whole range at once: entries held in (?2, ?3], and photos missing there. */
static const char sql_range_ready[] =
	"SELECT (SELECT count(*) FROM visit WHERE device = ?1 AND seq > ?2 AND seq <= ?3) + "
	"(SELECT count(*) FROM visit_void WHERE device = ?1 AND seq > ?2 AND seq <= ?3), "
	"EXISTS(SELECT 1 FROM photo_missing WHERE device = ?1 AND seq > ?2 AND seq <= ?3)";
static const char sql_last_held[] =
	"SELECT MAX(m) FROM (SELECT COALESCE(MAX(seq), 0) AS m FROM visit WHERE device = ?1 "
	"UNION ALL SELECT COALESCE(MAX(seq), 0) FROM visit_void WHERE device = ?1)";
static const char sql_ack_head[] =
	"SELECT n, head FROM feed_head WHERE device = ?1 AND n <= ?2 AND claimed = 0 "
	"ORDER BY n DESC LIMIT 1";

struct feed_heads {
	sqlite3_stmt *st;
	struct ledger *l;
};

struct feed_heads *feed_heads_open(struct ledger *l, const char *device, int64_t lo, int64_t hi)
{
	struct feed_heads *c;
	sqlite3_stmt *st = ledger_stmt(l, sql_heads);

	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, device, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, lo);
	sqlite3_bind_int64(st, 3, hi);
	c = xmalloc(sizeof *c);
	c->st = st;
	c->l = l;
	return c;
}

int feed_heads_next(struct feed_heads *c, int64_t *n, char hex[FEED_HEX])
{
	int rc = sqlite3_step(c->st);

	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return ledger_db_fail(c->l, "read feed heads");
	*n = sqlite3_column_int64(c->st, 0);
	gw_strlcpy(hex, ledger_text(c->st, 1), FEED_HEX);
	return 1;
}

void feed_heads_close(struct feed_heads *c)
{
	if (!c)
		return;
	sqlite3_reset(c->st);
	free(c);
}

static int step_done(struct ledger *l, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, what);
}

int feed_head_put(struct ledger *l, const char *device, int64_t n, const char *hex, int claimed)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_head_put);

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, n);
	sqlite3_bind_text(st, 3, hex, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, claimed);
	return step_done(l, st, "store feed head");
}

int feed_manifest_keep(struct ledger *l, const struct feed_manifest *m, const char *text,
		       const char *sig, const char *key_b64)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_manifest_put);

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, m->device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, m->first);
	sqlite3_bind_int64(st, 3, m->last);
	sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, sig, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, key_b64, -1, SQLITE_STATIC);
	return step_done(l, st, "store manifest");
}

int feed_note_bundle(struct ledger *l, const char *device, int64_t created)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_feed_bundle);

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, created);
	return step_done(l, st, "store feed");
}

/* covered, last_created and forks of device's feed row (zeros when none). */
static int feed_get(struct ledger *l, const char *device, int64_t v[3])
{
	sqlite3_stmt *st = ledger_stmt(l, sql_feed_get);
	int rc;

	v[0] = v[1] = v[2] = 0;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		for (int i = 0; i < 3; i++)
			v[i] = sqlite3_column_int64(st, i);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "read feed");
}

int feed_last_created(struct ledger *l, const char *device, int64_t *created)
{
	int64_t v[3];

	if (feed_get(l, device, v))
		return -1;
	*created = v[1];
	return 0;
}

int feed_fork_count(struct ledger *l, const char *device)
{
	int64_t v[3];

	return feed_get(l, device, v) ? -1 : (int)v[2];
}

int feed_fork_note(struct ledger *l, const char *device)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_feed_fork);

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
	return step_done(l, st, "note fork");
}

static int entry_ready(struct ledger *l, const char *device, int64_t n)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_entry_ready);
	int rc, ready = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, n);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		ready = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? ready : ledger_db_fail(l, "read feed entries");
}

/* The last entry of device held here, and whether every entry from `from` + 1 up to it
 * is here without a missing photo: then coverage jumps there in three range queries
 * instead of three lookups per entry. 1 yes (*last set), 0 no, -1 error. */
static int range_ready(struct ledger *l, const char *device, int64_t from, int64_t *last)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_last_held);
	int rc, ok = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*last = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return ledger_db_fail(l, "read feed entries");
	if (*last <= from || !(st = ledger_stmt(l, sql_range_ready)))
		return *last <= from ? 0 : -1;
	sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, *last);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		ok = sqlite3_column_int64(st, 0) == *last - from && sqlite3_column_int(st, 1) == 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? ok : ledger_db_fail(l, "read feed entries");
}

int feed_advance(struct ledger *l, const char *device, int64_t *covered)
{
	int64_t v[3], n, last;
	int ready = 1;
	sqlite3_stmt *st;

	if (feed_get(l, device, v))
		return -1;
	if ((ready = range_ready(l, device, v[0], &last)) < 0)
		return -1;
	n = ready ? last : v[0];
	if (!ready) { /* a gap or a missing photo: entry by entry up to it */
		while ((ready = entry_ready(l, device, n + 1)) == 1)
			n++;
		if (ready < 0)
			return -1;
	}
	*covered = n;
	if (n == v[0])
		return 0;
	if (!(st = ledger_stmt(l, sql_feed_cover)))
		return -1;
	sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, n);
	return step_done(l, st, "store coverage");
}

int feed_ack(struct ledger *l, const char *device, int64_t *n, char hex[FEED_HEX])
{
	int64_t v[3];
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	memset(hex, '0', 64);
	hex[64] = '\0';
	if (feed_get(l, device, v) || !(st = ledger_stmt(l, sql_ack_head)))
		return -1;
	if (v[2] > 0)
		return 0; /* a fork was seen: nothing is acknowledged until the clerk acts */
	sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, v[0]);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*n = sqlite3_column_int64(st, 0);
		gw_strlcpy(hex, ledger_text(st, 1), FEED_HEX);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "read feed");
}
