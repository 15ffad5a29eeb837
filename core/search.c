/* search: the households in memory with their pinyin coded once, matched per keystroke;
 * and the door typed on the route. */
#include "search.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pinyin.h"
#include "util.h"

#define ARENA_BLOCK 65536
#define RANKS 5
#define NO_RANK RANKS

struct arena_block {
	struct arena_block *next;
	size_t used;
	char data[ARENA_BLOCK];
};

struct sx_item {
	struct search_entry e;
	const char *address; /* "compound building-unit-room\ncompound building unit room" */
	const char *phone;   /* the phone's digits */
	uint32_t code;       /* offset of the name's pinyin code in codes */
};

struct search_index {
	struct sx_item *items;
	int n, cap;
	struct arena_block *blocks;
	uint16_t *codes;
	size_t ncodes, codes_cap;
	unsigned char *rank; /* per item, during search_find */
	unsigned char *why;
};

static const char sql_load[] =
	"SELECT h.account, h.name, h.phone, h.compound, h.building, h.unit, h.floor, h.room, "
	"(s.last_outcome IS NOT NULL AND s.last_outcome <> 'not-home') "
	"FROM household h LEFT JOIN status s ON s.account = h.account "
	"ORDER BY h.compound, h.building, h.unit, CAST(h.floor AS INTEGER), h.floor, h.room";

static char *arena_put(struct search_index *ix, const char *s, size_t len)
{
	struct arena_block *b = ix->blocks;
	char *p;

	if (len + 1 > ARENA_BLOCK)
		len = ARENA_BLOCK - 1;
	if (!b || b->used + len + 1 > ARENA_BLOCK) {
		b = xmalloc(sizeof *b);
		b->next = ix->blocks;
		b->used = 0;
		ix->blocks = b;
	}
	p = b->data + b->used;
	memcpy(p, s, len);
	p[len] = '\0';
	b->used += len + 1;
	return p;
}

static const char *arena_str(struct search_index *ix, const char *s)
{
	return arena_put(ix, s, strlen(s));
}

static void add_code(struct search_index *ix, struct sx_item *it, const char *name)
{
	uint16_t code[PINYIN_CODE_MAX];
	size_t n = pinyin_code(name, code, PINYIN_CODE_MAX);

	if (ix->ncodes + n > ix->codes_cap) {
		ix->codes_cap = ix->codes_cap ? 2 * ix->codes_cap + n : 4096 + n;
		ix->codes = xrealloc(ix->codes, ix->codes_cap * sizeof *ix->codes);
	}
	it->code = (uint32_t)ix->ncodes;
	memcpy(ix->codes + ix->ncodes, code, n * sizeof *code);
	ix->ncodes += n;
}

static void add_phone(struct search_index *ix, struct sx_item *it, const char *phone)
{
	char digits[HH_PHONE_MAX + 1];
	size_t n = 0;

	for (; *phone && n < HH_PHONE_MAX; phone++)
		if (*phone >= '0' && *phone <= '9')
			digits[n++] = *phone;
	digits[n] = '\0';
	it->phone = arena_put(ix, digits, n);
	gw_strlcpy(it->e.phone_tail, digits + (n > 4 ? n - 4 : 0), sizeof it->e.phone_tail);
}

static void add_row(struct search_index *ix, sqlite3_stmt *st)
{
	struct sx_item *it;
	char addr[8 * HH_PLACE_MAX + 16];
	int len;

	if (ix->n == ix->cap) {
		ix->cap = ix->cap ? 2 * ix->cap : 1024;
		ix->items = xrealloc(ix->items, (size_t)ix->cap * sizeof *ix->items);
	}
	it = &ix->items[ix->n++];
	memset(it, 0, sizeof *it);
	it->e.account = arena_str(ix, ledger_text(st, 0));
	it->e.name = arena_str(ix, ledger_text(st, 1));
	add_phone(ix, it, ledger_text(st, 2));
	it->e.compound = arena_str(ix, ledger_text(st, 3));
	it->e.building = arena_str(ix, ledger_text(st, 4));
	it->e.unit = arena_str(ix, ledger_text(st, 5));
	it->e.floor = arena_str(ix, ledger_text(st, 6));
	it->e.room = arena_str(ix, ledger_text(st, 7));
	it->e.done = sqlite3_column_int(st, 8);
	len = snprintf(addr, sizeof addr, "%s%s-%s-%s\n%s %s %s %s", it->e.compound,
		       it->e.building, it->e.unit, it->e.room, it->e.compound, it->e.building,
		       it->e.unit, it->e.room);
	it->address = arena_put(ix, addr, len < 0 ? 0 : (size_t)len);
	add_code(ix, it, it->e.name);
}

struct search_index *search_index_load(struct ledger *l)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_load);
	struct search_index *ix;
	int rc;

	if (!st)
		return NULL;
	ix = xcalloc(1, sizeof *ix);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		add_row(ix, st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		search_index_free(ix);
		ledger_db_fail(l, "search");
		return NULL;
	}
	ix->rank = xmalloc((size_t)ix->n + 1);
	ix->why = xmalloc((size_t)ix->n + 1);
	return ix;
}

void search_index_free(struct search_index *ix)
{
	if (!ix)
		return;
	while (ix->blocks) {
		struct arena_block *b = ix->blocks;
		ix->blocks = b->next;
		free(b);
	}
	free(ix->items);
	free(ix->codes);
	free(ix->rank);
	free(ix->why);
	free(ix);
}

int search_index_count(const struct search_index *ix)
{
	return ix->n;
}

/* ---- matching ---- */

struct query {
	const char *s;
	size_t len;
	int digits, alnum; /* only digits; only ASCII letters and digits */
};

static void classify(struct query *q, const char *s)
{
	q->s = s;
	q->len = strlen(s);
	q->digits = q->alnum = q->len > 0;
	for (const char *p = s; *p; p++) {
		int d = *p >= '0' && *p <= '9';
		int a = d || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z');
		q->digits &= d;
		q->alnum &= a;
	}
}

static int keep(int rank, enum search_why why, int *best, enum search_why *best_why)
{
	if (rank < *best) {
		*best = rank;
		*best_why = why;
	}
	return *best;
}

static int phone_match(const struct sx_item *it, const struct query *q)
{
	if (!q->digits)
		return 0;
	if (q->len <= 4)
		return it->e.phone_tail[0] && !strncmp(it->e.phone_tail, q->s, q->len);
	return strstr(it->phone, q->s) != NULL;
}

static int found(enum search_why *why, enum search_why w, int rank)
{
	*why = w;
	return rank;
}

/* The best rank at which the item matches (NO_RANK: none): 0 the account, 1 the room,
 * the whole name (as text or spelled in pinyin) or the phone's last four digits, 2 the
 * name's start, 3 the start of the phone's last four, more of its digits or a fragment
 * of the account, 4 any other fragment. */
static int rank_of(const struct search_index *ix, const struct sx_item *it,
		   const struct query *q, enum search_why *why)
{
	int best = NO_RANK, m, whole;

	if (!strcmp(it->e.account, q->s))
		return found(why, SEARCH_ACCOUNT, 0);
	if (!strcmp(it->e.room, q->s))
		return found(why, SEARCH_ROOM, 1);
	if (!strcmp(it->e.name, q->s))
		return found(why, SEARCH_NAME, 1);
	if (q->digits && q->len == 4 && !strcmp(it->e.phone_tail, q->s))
		return found(why, SEARCH_PHONE, 1);
	if (q->alnum && (m = pinyin_match(ix->codes + it->code, q->s, &whole)) >= 0) {
		if (m == 0)
			return found(why, SEARCH_NAME, whole ? 1 : 2);
		keep(4, SEARCH_OTHER, &best, why);
	}
	if (!strncmp(it->e.name, q->s, q->len))
		return found(why, SEARCH_NAME, 2);
	if (phone_match(it, q))
		return found(why, SEARCH_PHONE, 3);
	if (strstr(it->e.account, q->s))
		return found(why, SEARCH_ACCOUNT, 3);
	if (best == NO_RANK && strstr(it->e.name, q->s))
		keep(4, SEARCH_NAME, &best, why);
	if (best == NO_RANK && strstr(it->address, q->s))
		keep(4, SEARCH_OTHER, &best, why);
	return best;
}

int search_find(struct search_index *ix, const char *query, struct search_hit *hits, int max)
{
	struct query q;
	int count[RANKS] = {0}, total = 0, n = 0;

	classify(&q, query);
	if (!q.len)
		return 0;
	for (int i = 0; i < ix->n; i++) {
		enum search_why why = SEARCH_OTHER;
		int r = rank_of(ix, &ix->items[i], &q, &why);
		ix->rank[i] = (unsigned char)r;
		ix->why[i] = (unsigned char)why;
		if (r < RANKS) {
			count[r]++;
			total++;
		}
	}
	for (int r = 0; r < RANKS && n < max; r++)
		for (int i = 0; i < ix->n && n < max && count[r]; i++)
			if (ix->rank[i] == r) {
				hits[n].e = &ix->items[i].e;
				hits[n].why = (enum search_why)ix->why[i];
				hits[n++].rank = r;
				count[r]--;
			}
	return total;
}

/* ---- the door typed on the route ---- */

static const char sql_account[] = "SELECT account FROM household WHERE account = ?1";
static const char sql_room[] =
	"SELECT account FROM household WHERE room = ?1 AND (?2 IS NULL OR compound = ?2) "
	"AND (?3 IS NULL OR building = ?3) AND (?4 IS NULL OR unit = ?4) "
	"ORDER BY compound, building, unit LIMIT 2";

int search_door(struct ledger *l, const char *typed, const char *compound,
		const char *building, const char *unit, char *account, size_t accountsz)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_account);
	int rc, n = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, typed, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		gw_strlcpy(account, ledger_text(st, 0), accountsz);
		n = 1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ledger_db_fail(l, "search");
	if (n || !(st = ledger_stmt(l, sql_room)))
		return n ? 1 : -1;
	sqlite3_bind_text(st, 1, typed, -1, SQLITE_STATIC);
	if (compound)
		sqlite3_bind_text(st, 2, compound, -1, SQLITE_STATIC);
	if (building)
		sqlite3_bind_text(st, 3, building, -1, SQLITE_STATIC);
	if (unit)
		sqlite3_bind_text(st, 4, unit, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (n++ == 0)
			gw_strlcpy(account, ledger_text(st, 0), accountsz);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ledger_db_fail(l, "search");
	return n > 1 ? 2 : n;
}
