/* The set of account numbers seen: a sorted spill file, then a temporary table
 * (see seen.h).
 *
 * While the accounts arrive in increasing order (a list sorted by account, as
 * billing systems export it), none can repeat an earlier one: each is appended
 * with its line to a spill file of fixed-size records, which is therefore sorted.
 * From the first account out of order on, each is looked up in the spill (binary
 * search; in memory when it is small) and kept in a hash set in memory, up to
 * SEEN_MEMORY_MAX accounts (about 12 MiB), then — unless the caller finds the rest
 * itself (a first import: its household table holds every account so far) — in a
 * temporary table of the ledger's connection, which SQLite pages out to its temporary
 * file beyond its cache. Memory stays bounded whatever the size of the file. */
#include "seen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"

#define KEY_MAX HH_ACCOUNT_MAX                /* longer keys go to the table only */
#define REC_SIZE (KEY_MAX + 1 + 4)            /* key, its length, the line (LE) */
#define SPILL_IN_MEMORY 65536                 /* records read back into memory, at most */
#define HBLOCK 65536                          /* hash set key arena block, in bytes */

struct hslot {
	const char *key; /* NULL: empty */
	uint32_t hash;
	uint32_t line;
};

struct hblock {
	struct hblock *next;
	size_t used;
	char data[HBLOCK];
};

struct hset {
	struct hslot *slot;
	size_t cap; /* a power of two */
	size_t count;
	struct hblock *blocks;
};

/* FNV-1a. */
static uint32_t hash_of(const char *key, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)key[i]) * 16777619u;
	return h;
}

static const char *arena_copy(struct hset *s, const char *key, size_t n)
{
	struct hblock *b = s->blocks;
	char *p;

	if (n + 1 > HBLOCK)
		die("seen: key of %zu bytes", n);
	if (!b || HBLOCK - b->used < n + 1) {
		b = xmalloc(sizeof *b);
		b->used = 0;
		b->next = s->blocks;
		s->blocks = b;
	}
	p = b->data + b->used;
	memcpy(p, key, n);
	p[n] = '\0';
	b->used += n + 1;
	return p;
}

static struct hslot *find(struct hslot *slot, size_t cap, uint32_t h, const char *key,
			      size_t n)
{
	size_t i = h & (cap - 1);

	while (slot[i].key && !(slot[i].hash == h && !strncmp(slot[i].key, key, n) &&
				slot[i].key[n] == '\0'))
		i = (i + 1) & (cap - 1);
	return &slot[i];
}

static void grow(struct hset *s)
{
	size_t cap = s->cap * 2;
	struct hslot *slot = xcalloc(cap, sizeof *slot);

	for (size_t i = 0; i < s->cap; i++)
		if (s->slot[i].key)
			*find(slot, cap, s->slot[i].hash, s->slot[i].key,
			      strlen(s->slot[i].key)) = s->slot[i];
	free(s->slot);
	s->slot = slot;
	s->cap = cap;
}

static void hset_free(struct hset *s)
{
	while (s->blocks) {
		struct hblock *b = s->blocks;
		s->blocks = b->next;
		free(b);
	}
	free(s->slot);
}

/* The line key was added with (0: absent; added when there is room and add). */
static long hset_add(struct hset *s, const char *key, size_t n, long line, int add)
{
	uint32_t h = hash_of(key, n);
	struct hslot *sl = find(s->slot, s->cap, h, key, n);

	if (sl->key)
		return sl->line;
	if (!add)
		return 0;
	if ((s->count + 1) * 4 > s->cap * 3) {
		grow(s);
		sl = find(s->slot, s->cap, h, key, n);
	}
	sl->key = arena_copy(s, key, n);
	sl->hash = h;
	sl->line = (uint64_t)line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
	s->count++;
	return 0;
}

struct seen {
	struct ledger *l;
	int sorted;         /* every key so far came in increasing order */
	char last[KEY_MAX]; /* the greatest key so far (while sorted) */
	size_t nlast;
	FILE *spill;        /* the sorted prefix, REC_SIZE bytes per key */
	long nspill;
	unsigned char *mem; /* the spill in memory, when small */
	struct hset hset;   /* out-of-order keys, the first mem_max */
	size_t mem_max;
	int use_table;      /* beyond mem_max: the temporary table (else seen_add says 0) */
	int table;          /* the temporary table exists */
	int inexact;        /* a 0 from seen_add may have been a repeat */
};

static const char sql_create[] =
	"CREATE TEMP TABLE IF NOT EXISTS import_seen ("
	"account TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID";
static const char sql_cache[] = "PRAGMA temp.cache_size = -4096"; /* 4 MiB, then the temp file */
static const char sql_clear[] = "DELETE FROM temp.import_seen";
/* A new account returns its own line; a seen one keeps and returns its first line. */
static const char sql_add[] =
	"INSERT INTO temp.import_seen(account, line) VALUES (?1, ?2) "
	"ON CONFLICT(account) DO UPDATE SET line = line RETURNING line";

struct seen *seen_new(struct ledger *l, size_t mem_max, int use_table)
{
	struct seen *s = xcalloc(1, sizeof *s);

	s->mem_max = mem_max;
	s->use_table = use_table;
	s->l = l;
	s->sorted = 1;
	s->hset.cap = 1024;
	s->hset.slot = xcalloc(s->hset.cap, sizeof *s->hset.slot);
	s->spill = tmpfile();
	if (!s->spill) {
		gw_fail(GW_ERR_IO, "import: cannot create a temporary file: %s", strerror(errno));
		free(s);
		return NULL;
	}
	return s;
}

void seen_free(struct seen *s)
{
	if (!s)
		return;
	if (s->table)
		ledger_exec(s->l, sql_clear, 0, NULL);
	fclose(s->spill);
	free(s->mem);
	hset_free(&s->hset);
	free(s);
}

/* Byte order, a shorter key first when it is a prefix of the longer. */
static int key_cmp(const char *a, size_t na, const char *b, size_t nb)
{
	int c = memcmp(a, b, na < nb ? na : nb);

	return c ? c : (na > nb) - (na < nb);
}

static int spill_put(struct seen *s, const char *key, size_t n, long line)
{
	unsigned char rec[REC_SIZE] = {0};
	uint32_t v = (uint64_t)line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;

	memcpy(rec, key, n);
	rec[KEY_MAX] = (unsigned char)n;
	for (int i = 0; i < 4; i++)
		rec[KEY_MAX + 1 + i] = (unsigned char)(v >> (8 * i));
	if (fwrite(rec, REC_SIZE, 1, s->spill) != 1)
		return gw_fail(GW_ERR_IO, "import: temporary file: %s", strerror(errno));
	s->nspill++;
	memcpy(s->last, key, n);
	s->nlast = n;
	return 0;
}

static int spill_read(struct seen *s, long i, unsigned char *rec)
{
	if (s->mem) {
		memcpy(rec, s->mem + (size_t)i * REC_SIZE, REC_SIZE);
		return 0;
	}
	if (pread(fileno(s->spill), rec, REC_SIZE, (off_t)i * REC_SIZE) != REC_SIZE)
		return gw_fail(GW_ERR_IO, "import: temporary file: %s", strerror(errno));
	return 0;
}

/* The line of key in the sorted spill: 0 when absent, -1 on a read error. */
static long spill_find(struct seen *s, const char *key, size_t n)
{
	unsigned char rec[REC_SIZE];
	long lo = 0, hi = s->nspill;

	while (lo < hi) {
		long mid = lo + (hi - lo) / 2;
		int c;
		if (spill_read(s, mid, rec))
			return -1;
		c = key_cmp((const char *)rec, rec[KEY_MAX], key, n);
		if (!c)
			return (long)rec[KEY_MAX + 1] | (long)rec[KEY_MAX + 2] << 8 |
			       (long)rec[KEY_MAX + 3] << 16 | (long)rec[KEY_MAX + 4] << 24;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* The first key out of order: the spill is complete (flushed, or read into memory). */
static int leave_sorted(struct seen *s)
{
	s->sorted = 0;
	if (fflush(s->spill) != 0)
		return gw_fail(GW_ERR_IO, "import: temporary file: %s", strerror(errno));
	if (s->nspill && s->nspill <= SPILL_IN_MEMORY) {
		s->mem = xmalloc((size_t)s->nspill * REC_SIZE);
		if (pread(fileno(s->spill), s->mem, (size_t)s->nspill * REC_SIZE, 0) !=
		    (ssize_t)((size_t)s->nspill * REC_SIZE))
			return gw_fail(GW_ERR_IO, "import: temporary file: %s", strerror(errno));
	}
	return 0;
}

/* When the hash set is full: the temporary table. */
static int open_table(struct seen *s)
{
	if (ledger_exec(s->l, sql_create, 0, NULL) || ledger_exec(s->l, sql_cache, 0, NULL) ||
	    ledger_exec(s->l, sql_clear, 0, NULL))
		return -1;
	s->table = 1;
	return 0;
}

static long table_add(struct seen *s, const char *key, size_t n, long line)
{
	sqlite3_stmt *st = ledger_stmt(s->l, sql_add);
	long first = -1;
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, key, (int)n, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, line);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		first = (long)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return ledger_db_fail(s->l, "import_seen");
	return first == line ? 0 : first;
}

long seen_add(struct seen *s, const char *key, size_t n, long line)
{
	long first;
	int room;

	if (s->sorted && n <= KEY_MAX && (!s->nspill || key_cmp(key, n, s->last, s->nlast) > 0))
		return spill_put(s, key, n, line);
	if (s->sorted && leave_sorted(s))
		return -1;
	if (n <= KEY_MAX && (first = spill_find(s, key, n)) != 0)
		return first;
	room = s->hset.count < s->mem_max;
	if ((first = hset_add(&s->hset, key, n, line, room)) != 0 || room)
		return first;
	if (!s->use_table) {
		s->inexact = 1;
		return 0;
	}
	if (!s->table && open_table(s))
		return -1;
	return table_add(s, key, n, line);
}

int seen_inexact(const struct seen *s)
{
	return s->inexact;
}
