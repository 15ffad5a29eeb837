/* The set of account numbers seen (see seen.h). */
#include "seen.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define SEEN_BLOCK 65536 /* arena block size, in bytes */

struct seen_slot {
	const char *key; /* NULL: empty */
	uint32_t hash;
	uint32_t line;
};

struct seen_block {
	struct seen_block *next;
	size_t used;
	char data[SEEN_BLOCK];
};

struct seen {
	struct seen_slot *slot;
	size_t cap; /* a power of two */
	size_t count;
	struct seen_block *blocks;
};

struct seen *seen_new(void)
{
	struct seen *s = xcalloc(1, sizeof *s);

	s->cap = 1024;
	s->slot = xcalloc(s->cap, sizeof *s->slot);
	return s;
}

void seen_free(struct seen *s)
{
	if (!s)
		return;
	while (s->blocks) {
		struct seen_block *b = s->blocks;
		s->blocks = b->next;
		free(b);
	}
	free(s->slot);
	free(s);
}

size_t seen_count(const struct seen *s)
{
	return s->count;
}

/* FNV-1a. */
static uint32_t hash_of(const char *key, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)key[i]) * 16777619u;
	return h;
}

static const char *arena_copy(struct seen *s, const char *key, size_t n)
{
	struct seen_block *b = s->blocks;
	char *p;

	if (n + 1 > SEEN_BLOCK)
		die("seen: key of %zu bytes", n);
	if (!b || SEEN_BLOCK - b->used < n + 1) {
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

static struct seen_slot *find(struct seen_slot *slot, size_t cap, uint32_t h, const char *key,
			      size_t n)
{
	size_t i = h & (cap - 1);

	while (slot[i].key && !(slot[i].hash == h && !strncmp(slot[i].key, key, n) &&
				slot[i].key[n] == '\0'))
		i = (i + 1) & (cap - 1);
	return &slot[i];
}

static void grow(struct seen *s)
{
	size_t cap = s->cap * 2;
	struct seen_slot *slot = xcalloc(cap, sizeof *slot);

	for (size_t i = 0; i < s->cap; i++)
		if (s->slot[i].key)
			*find(slot, cap, s->slot[i].hash, s->slot[i].key,
			      strlen(s->slot[i].key)) = s->slot[i];
	free(s->slot);
	s->slot = slot;
	s->cap = cap;
}

long seen_add(struct seen *s, const char *key, size_t n, long line)
{
	uint32_t h = hash_of(key, n);
	struct seen_slot *sl = find(s->slot, s->cap, h, key, n);

	if (sl->key)
		return sl->line;
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
