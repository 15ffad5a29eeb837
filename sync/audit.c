#include "audit.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "sync/bundle.h"

static const char sql_last[] = "SELECT id, hash FROM merge_log ORDER BY id DESC LIMIT 1";
static const char sql_add[] =
	"INSERT INTO merge_log(id, at, device, bundle_seq, bundle_hash, result, detail, "
	"prev_hash, hash) VALUES(?,?,?,?,?,?,?,?,?)";
static const char sql_all[] =
	"SELECT id, at, COALESCE(device, ''), COALESCE(bundle_seq, 0), "
	"COALESCE(bundle_hash, ''), result, detail, prev_hash, hash FROM merge_log ORDER BY id";

static const char zero_hash[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

static void add_field(crypto_generichash_state *s, const char *v)
{
	char len[24];

	snprintf(len, sizeof len, "%zu:", strlen(v));
	crypto_generichash_update(s, (const unsigned char *)len, strlen(len));
	crypto_generichash_update(s, (const unsigned char *)v, strlen(v));
}

static void entry_hash(const struct audit_entry *e, char out[BUNDLE_HASH_HEX])
{
	crypto_generichash_state s;
	unsigned char h[BUNDLE_HASH_LEN];
	char num[3][24];

	snprintf(num[0], sizeof num[0], "%lld", (long long)e->id);
	snprintf(num[1], sizeof num[1], "%lld", (long long)e->at);
	snprintf(num[2], sizeof num[2], "%lld", (long long)e->bundle_seq);
	crypto_generichash_init(&s, NULL, 0, sizeof h);
	add_field(&s, "gaswalk-log1");
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

int audit_append(struct ledger *l, const char *device, int64_t bundle_seq,
		 const char *bundle_hash, const char *result, const char *detail)
{
	struct audit_entry e = {0, gw_now(), bundle_seq, device ? device : "",
				bundle_hash ? bundle_hash : "", result, detail, NULL, NULL};
	char prev[BUNDLE_HASH_HEX], hash[BUNDLE_HASH_HEX];
	sqlite3_stmt *st;
	int rc;

	sync_init();
	if (last_entry(l, &e.id, prev) || !(st = ledger_stmt(l, sql_add)))
		return -1;
	e.id++;
	e.prev_hash = prev;
	entry_hash(&e, hash);
	sqlite3_bind_int64(st, 1, e.id);
	sqlite3_bind_int64(st, 2, e.at);
	sqlite3_bind_text(st, 3, e.device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, e.bundle_seq);
	sqlite3_bind_text(st, 5, e.bundle_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, e.result, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, e.detail, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, e.prev_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "merge log");
}

int64_t audit_walk(struct ledger *l, audit_fn fn, void *ctx)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_all);
	char prev[BUNDLE_HASH_HEX], want[BUNDLE_HASH_HEX];
	int64_t bad = 0;
	int rc;

	if (!st)
		return -1;
	sync_init();
	gw_strlcpy(prev, zero_hash, sizeof prev);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct audit_entry e = {sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
					sqlite3_column_int64(st, 3), ledger_text(st, 2), ledger_text(st, 4),
					ledger_text(st, 5), ledger_text(st, 6), ledger_text(st, 7), ledger_text(st, 8)};
		entry_hash(&e, want);
		if (!bad && (strcmp(want, e.hash) != 0 || strcmp(prev, e.prev_hash) != 0))
			bad = e.id;
		gw_strlcpy(prev, e.hash, sizeof prev);
		if (fn && fn(ctx, &e, !bad))
			break;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ledger_db_fail(l, "merge log");
	return bad;
}
