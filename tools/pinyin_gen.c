/* pinyin_gen: reads Unicode's Unihan_Readings.txt (decompressed) on stdin and writes
 * the C source of core/pinyin.c's character -> toneless pinyin table on stdout.
 * Every reading of the kMandarin, kHanyuPinyin and kXHC1983 fields counts; tones are
 * stripped and ü becomes v (as typed on a Chinese keyboard). Runs on the build host.
 *
 * The table (see core/pinyin.h, struct pinyin_table):
 *   syllables  the distinct toneless syllables, sorted, NUL-separated, and their offsets;
 *   sets       the distinct reading sets, each a count followed by syllable indexes;
 *   pages      one per 64 code points holding a reading: the page number, a 64-bit map
 *              of the code points present and the index of its first one in set_of;
 *   set_of     per code point present, in code point order, the offset of its set.
 * Usage: pinyin_gen < Unihan_Readings.txt > pinyin_table.c */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CP 0x110000
#define MAX_SYL 1024
#define MAX_SET_LEN 16
#define SYL_LEN 8

static char syl[MAX_SYL][SYL_LEN];
static int nsyl;
/* per code point: its syllables (indexes into syl, not yet sorted) */
struct entry {
	uint32_t cp;
	int n;
	short s[MAX_SET_LEN];
};
static struct entry *entries;
static int nentries, cap;

static void die(const char *msg)
{
	fprintf(stderr, "pinyin_gen: %s\n", msg);
	exit(1);
}

/* Decodes one UTF-8 sequence; returns its length (0 if invalid). */
static int utf8(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
		*cp = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
		return 2;
	}
	if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		*cp = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
		return 3;
	}
	return 0;
}

/* The toneless ASCII letter of a pinyin letter, 0 for a combining mark, -1 unknown. */
static int base_letter(uint32_t cp)
{
	static const struct {
		const char *marked;
		char base;
	} map[] = {
		{"āáǎàa", 'a'}, {"ēéěèêếềḗ", 'e'}, {"īíǐìi", 'i'}, {"ōóǒòo", 'o'},
		{"ūúǔùu", 'u'}, {"ǖǘǚǜü", 'v'}, {"ńňǹn", 'n'}, {"ḿm", 'm'},
	};

	if (cp >= 'a' && cp <= 'z')
		return (int)cp;
	if (cp >= 'A' && cp <= 'Z')
		return (int)(cp - 'A' + 'a');
	if (cp >= 0x300 && cp <= 0x36F)
		return 0;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		const unsigned char *p = (const unsigned char *)map[i].marked;
		uint32_t c;
		int k;
		for (; *p; p += k)
			if ((k = utf8(p, &c)) == 0)
				die("bad table");
			else if (c == cp)
				return map[i].base;
	}
	return -1;
}

static int syllable_id(const char *s)
{
	for (int i = 0; i < nsyl; i++)
		if (!strcmp(syl[i], s))
			return i;
	if (nsyl == MAX_SYL)
		die("too many syllables");
	snprintf(syl[nsyl], SYL_LEN, "%s", s);
	return nsyl++;
}

static struct entry *entry_for(uint32_t cp)
{
	if (nentries && entries[nentries - 1].cp == cp)
		return &entries[nentries - 1];
	if (nentries && entries[nentries - 1].cp > cp)
		die("input not in code point order");
	if (nentries == cap) {
		cap = cap ? 2 * cap : 4096;
		entries = realloc(entries, (size_t)cap * sizeof *entries);
		if (!entries)
			die("out of memory");
	}
	memset(&entries[nentries], 0, sizeof *entries);
	entries[nentries].cp = cp;
	return &entries[nentries++];
}

/* Adds the reading in s[0..len) (with tone marks) to cp's set. */
static void add_reading(uint32_t cp, const char *s, size_t len)
{
	char plain[SYL_LEN];
	size_t n = 0;
	struct entry *e;
	int id;

	for (size_t i = 0; i < len;) {
		uint32_t c;
		int k = utf8((const unsigned char *)s + i, &c), b;
		if (k == 0)
			die("invalid UTF-8 in a reading");
		i += (size_t)k;
		b = base_letter(c);
		if (b < 0) {
			fprintf(stderr, "pinyin_gen: U+%04X: unknown letter U+%04X\n", (unsigned)cp,
				(unsigned)c);
			exit(1);
		}
		if (b == 0)
			continue;
		if (n + 1 >= sizeof plain)
			die("reading too long");
		plain[n++] = (char)b;
	}
	plain[n] = '\0';
	if (!n)
		return;
	id = syllable_id(plain);
	e = entry_for(cp);
	for (int i = 0; i < e->n; i++)
		if (e->s[i] == id)
			return;
	if (e->n == MAX_SET_LEN)
		die("too many readings for one character");
	e->s[e->n++] = (short)id;
}

/* A field's value: kMandarin is space-separated readings; kHanyuPinyin and kXHC1983
 * are space-separated "locations:reading,reading". */
static void parse_value(uint32_t cp, char *v)
{
	for (char *tok = strtok(v, " "); tok; tok = strtok(NULL, " ")) {
		char *colon = strchr(tok, ':'), *r = colon ? colon + 1 : tok;
		while (*r) {
			size_t len = strcspn(r, ",");
			add_reading(cp, r, len);
			r += len + (r[len] == ',');
		}
	}
}

static void read_input(void)
{
	char line[4096];

	while (fgets(line, sizeof line, stdin)) {
		char *f2, *f3;
		unsigned long cp;
		line[strcspn(line, "\r\n")] = '\0';
		if (strncmp(line, "U+", 2) != 0 || !(f2 = strchr(line, '\t')) ||
		    !(f3 = strchr(f2 + 1, '\t')))
			continue;
		*f3++ = '\0';
		f2++;
		if (strcmp(f2, "kMandarin") && strcmp(f2, "kHanyuPinyin") && strcmp(f2, "kXHC1983"))
			continue;
		cp = strtoul(line + 2, NULL, 16);
		if (cp == 0 || cp >= MAX_CP)
			die("bad code point");
		parse_value((uint32_t)cp, f3);
	}
}

static int cmp_syl(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int cmp_short(const void *a, const void *b)
{
	return *(const short *)a - *(const short *)b;
}

/* Sorts the syllables and renumbers every set; sorts each set. */
static void sort_syllables(void)
{
	static char old[MAX_SYL][SYL_LEN];
	static short map[MAX_SYL];

	memcpy(old, syl, sizeof syl);
	qsort(syl, (size_t)nsyl, SYL_LEN, cmp_syl);
	for (int i = 0; i < nsyl; i++)
		for (int j = 0; j < nsyl; j++)
			if (!strcmp(old[i], syl[j]))
				map[i] = (short)j;
	for (int e = 0; e < nentries; e++) {
		for (int i = 0; i < entries[e].n; i++)
			entries[e].s[i] = map[entries[e].s[i]];
		qsort(entries[e].s, (size_t)entries[e].n, sizeof(short), cmp_short);
	}
}

static unsigned short *sets;
static size_t nsets_words, sets_cap;

/* The offset of e's set in sets, added when new (linear search over a hash). */
static unsigned set_offset(const struct entry *e)
{
	enum { HASH = 8192 };
	static int head[HASH], *next;
	static unsigned *offs;
	static int n, ncap;
	unsigned h = (unsigned)e->n;

	if (!next)
		memset(head, -1, sizeof head);
	for (int i = 0; i < e->n; i++)
		h = h * 31u + (unsigned)e->s[i];
	h %= HASH;
	for (int k = head[h]; k >= 0; k = next[k]) {
		const unsigned short *s = sets + offs[k];
		int same = s[0] == e->n;
		for (int i = 0; same && i < e->n; i++)
			same = s[1 + i] == (unsigned short)e->s[i];
		if (same)
			return offs[k];
	}
	if (n == ncap) {
		ncap = ncap ? 2 * ncap : 1024;
		next = realloc(next, (size_t)ncap * sizeof *next);
		offs = realloc(offs, (size_t)ncap * sizeof *offs);
		if (!next || !offs)
			die("out of memory");
	}
	if (nsets_words + (size_t)e->n + 1 > sets_cap) {
		sets_cap = sets_cap ? 2 * sets_cap : 8192;
		sets = realloc(sets, sets_cap * sizeof *sets);
		if (!sets)
			die("out of memory");
	}
	offs[n] = (unsigned)nsets_words;
	next[n] = head[h];
	head[h] = n++;
	sets[nsets_words++] = (unsigned short)e->n;
	for (int i = 0; i < e->n; i++)
		sets[nsets_words++] = (unsigned short)e->s[i];
	if (nsets_words > 0xFFFF)
		die("sets exceed 16-bit offsets");
	return offs[n - 1];
}

static void write_syllables(void)
{
	unsigned off = 0;

	printf("static const char syllables[] =");
	for (int i = 0; i < nsyl; i++)
		printf("%s\"%s\\0\"", i % 10 ? " " : "\n\t", syl[i]);
	printf(";\nstatic const unsigned short syllable_at[%d] = {", nsyl);
	for (int i = 0; i < nsyl; i++) {
		printf("%s%u,", i % 12 ? " " : "\n\t", off);
		off += (unsigned)strlen(syl[i]) + 1;
	}
	printf("\n};\n");
}

static void write_tables(void)
{
	unsigned *set_of = malloc((size_t)nentries * sizeof *set_of);
	int npages = 0;

	if (!set_of)
		die("out of memory");
	for (int e = 0; e < nentries; e++)
		set_of[e] = set_offset(&entries[e]);
	printf("static const unsigned short sets[%zu] = {", nsets_words);
	for (size_t i = 0; i < nsets_words; i++)
		printf("%s%u,", i % 14 ? " " : "\n\t", sets[i]);
	printf("\n};\nstatic const unsigned short set_of[%d] = {", nentries);
	for (int e = 0; e < nentries; e++)
		printf("%s%u,", e % 12 ? " " : "\n\t", set_of[e]);
	printf("\n};\nstatic const struct pinyin_page pages[] = {");
	for (int e = 0; e < nentries;) {
		uint32_t page = entries[e].cp >> 6;
		unsigned long long map = 0;
		int first = e;
		for (; e < nentries && entries[e].cp >> 6 == page; e++)
			map |= 1ull << (entries[e].cp & 63);
		printf("\n\t{0x%05X, %d, 0x%016llXull},", (unsigned)page, first, map);
		npages++;
	}
	printf("\n};\n");
	printf("const struct pinyin_table pinyin_table = {syllables, syllable_at, %d, sets, set_of, "
	       "pages, %d, %d};\n", nsyl, npages, nentries);
	free(set_of);
}

int main(void)
{
	read_input();
	if (nentries < 20000)
		die("fewer than 20000 characters read: is the input Unihan_Readings.txt?");
	sort_syllables();
	printf("/* Generated by tools/pinyin_gen.c from Unihan_Readings.txt (kMandarin,\n"
	       " * kHanyuPinyin, kXHC1983): %d characters, %d toneless syllables. Do not edit. */\n"
	       "#include \"core/pinyin.h\"\n\n", nentries, nsyl);
	write_syllables();
	write_tables();
	if (fflush(stdout) != 0 || ferror(stdout))
		die("write error");
	return 0;
}
