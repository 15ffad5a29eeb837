/* pinyin: the toneless readings of Chinese characters (every reading Unihan gives in
 * kMandarin, kHanyuPinyin and kXHC1983; ü written v), and matching a name against what
 * a phone keypad or a keyboard types: initials (王建国 "954", "wjg"), full pinyin
 * ("92645426486", "wangjianguo") or a mix ("wangjg"). The table is generated at build
 * time by tools/pinyin_gen.c from Debian's unicode-data. */
#ifndef GW_PINYIN_H
#define GW_PINYIN_H

#include <stddef.h>
#include <stdint.h>

/* ---- the generated table (see tools/pinyin_gen.c) ---- */
struct pinyin_page {
	uint32_t page;           /* code point >> 6 */
	int first;               /* index in set_of of the page's first code point */
	unsigned long long map;  /* bit (cp & 63) set: cp has readings */
};
struct pinyin_table {
	const char *syllables;            /* NUL-separated, sorted */
	const unsigned short *syllable_at; /* offset of syllable i in syllables */
	int nsyllables;
	const unsigned short *sets;       /* at an offset: count, then syllable indexes */
	const unsigned short *set_of;     /* per code point present, its set's offset */
	const struct pinyin_page *pages;
	int npages, nchars;
};
extern const struct pinyin_table pinyin_table;

/* The readings of cp: up to max toneless syllables ("wang") into out; returns how
 * many cp has (0: not a character with a reading). */
int pinyin_readings(uint32_t cp, const char **out, int max);

/* The key 2-9 of a letter on a phone keypad ('2' for a, b, c), 0 if not a letter. */
char pinyin_key(char letter);

/* ---- names made ready for matching ---- */
#define PINYIN_UNITS_MAX 24 /* characters of a name that are matched */
#define PINYIN_ALTS_MAX 8   /* readings of one character that are tried */
#define PINYIN_CODE_MAX (1 + PINYIN_UNITS_MAX * (1 + PINYIN_ALTS_MAX))

/* A name coded for matching, as a sequence of units, each with its alternative
 * spellings: a character's readings, or a letter or digit as itself (lower case).
 * Other characters (spaces, punctuation, characters without a reading) are left
 * out. Coded as 16-bit words: the number of units, then per unit the number of
 * spellings and each one (a syllable index, or 0x8000 | an ASCII character).
 * Returns the words used (at most max, which must be >= 1). */
size_t pinyin_code(const char *utf8, uint16_t *code, size_t max);

/* Where the query matches a coded name: -1 no match, else the index of the unit the
 * match starts at (0: the name's first character). The query is digits and letters:
 * a digit 2-9 stands for any letter on that key (and for itself), a letter for itself
 * (u also for v); each unit from the start on takes the initial of one of its
 * spellings (w, or zh/ch/sh) or the whole of it, the last unit any start of it, so
 * "954", "wangjianguo", "92645426486", "wangjg" and "jg" all match 王建国. An empty
 * query, or one with anything else, never matches. With whole (may be NULL): 1 when
 * the query spells the whole name from its first character, each one by its initial
 * or its whole syllable ("954", "wangjianguo"; not "95", "wangjiangu"). */
int pinyin_match(const uint16_t *code, const char *query, int *whole);

#endif
