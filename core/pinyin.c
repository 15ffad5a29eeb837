/* pinyin: character readings from the generated Unihan table, names coded as units of
 * alternative spellings, and matching what a keypad or keyboard typed against them. */
#include "pinyin.h"

#include <string.h>

#include "text.h"

#define ASCII_UNIT 0x8000u
#define QUERY_MAX 128

static const struct pinyin_page *find_page(uint32_t page)
{
	int lo = 0, hi = pinyin_table.npages - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		uint32_t p = pinyin_table.pages[mid].page;
		if (p == page)
			return &pinyin_table.pages[mid];
		if (p < page)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

/* The set (count, then syllable indexes) of cp, NULL without readings. */
static const unsigned short *set_of(uint32_t cp)
{
	const struct pinyin_page *p = find_page(cp >> 6);
	unsigned long long bit = 1ull << (cp & 63);

	if (!p || !(p->map & bit))
		return NULL;
	return pinyin_table.sets +
	       pinyin_table.set_of[p->first + __builtin_popcountll(p->map & (bit - 1))];
}

static const char *syllable(unsigned id)
{
	return pinyin_table.syllables + pinyin_table.syllable_at[id];
}

int pinyin_readings(uint32_t cp, const char **out, int max)
{
	const unsigned short *s = set_of(cp);

	if (!s)
		return 0;
	for (int i = 0; i < s[0] && i < max; i++)
		out[i] = syllable(s[1 + i]);
	return s[0];
}

char pinyin_key(char letter)
{
	static const char keys[] = "22233344455566677778889999";

	if (letter >= 'A' && letter <= 'Z')
		letter = (char)(letter - 'A' + 'a');
	return letter >= 'a' && letter <= 'z' ? keys[letter - 'a'] : 0;
}

static int is_alnum(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Adds one unit for cp at code[*n]; 0 when cp makes no unit or there is no room. */
static int code_unit(uint32_t cp, uint16_t *code, size_t *n, size_t max)
{
	const unsigned short *s;
	int k;

	if (is_alnum(cp)) {
		if (*n + 2 > max)
			return 0;
		code[(*n)++] = 1;
		code[(*n)++] = (uint16_t)(ASCII_UNIT | (cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
		return 1;
	}
	if (!(s = set_of(cp)))
		return 0;
	k = s[0] < PINYIN_ALTS_MAX ? s[0] : PINYIN_ALTS_MAX;
	if (*n + 1 + (size_t)k > max)
		return 0;
	code[(*n)++] = (uint16_t)k;
	for (int i = 0; i < k; i++)
		code[(*n)++] = s[1 + i];
	return 1;
}

size_t pinyin_code(const char *utf8, uint16_t *code, size_t max)
{
	size_t n = 1, len = strlen(utf8);

	code[0] = 0;
	for (size_t i = 0; i < len && code[0] < PINYIN_UNITS_MAX;) {
		uint32_t cp;
		size_t k = text_decode(utf8 + i, len - i, &cp);
		i += k ? k : 1;
		if (k && code_unit(cp, code, &n, max))
			code[0]++;
	}
	return n;
}

struct match {
	const char *q;
	int qlen, n;
	int whole; /* the query must spell every unit, none cut short */
	const uint16_t *unit[PINYIN_UNITS_MAX];
	unsigned char dead[PINYIN_UNITS_MAX][QUERY_MAX + 1];
};

static int char_match(char q, char c)
{
	if (q >= '0' && q <= '9')
		return q == c || pinyin_key(c) == q;
	return q == c || (q == 'u' && c == 'v');
}

/* Whether a unit may take the first k letters of spelling s: its initial (z, or zh,
 * ch, sh), the whole syllable, or, at the end of the query, any start of it. */
static int takes(const char *s, int k, int at_end)
{
	return at_end || k == 1 || s[k] == '\0' ||
	       (k == 2 && s[1] == 'h' && (s[0] == 'z' || s[0] == 'c' || s[0] == 's'));
}

static int match_from(struct match *m, int i, int j)
{
	const uint16_t *u;

	if (j == m->qlen)
		return !m->whole || i == m->n;
	if (i == m->n || m->dead[i][j])
		return 0;
	u = m->unit[i];
	for (int a = 1; a <= u[0]; a++) {
		char one[2] = {(char)(u[a] & 0x7F), '\0'};
		const char *s = (u[a] & ASCII_UNIT) ? one : syllable(u[a]);
		for (int k = 0; s[k] && j + k < m->qlen && char_match(m->q[j + k], s[k]); k++)
			if (takes(s, k + 1, !m->whole && j + k + 1 == m->qlen) &&
			    match_from(m, i + 1, j + k + 1))
				return 1;
	}
	m->dead[i][j] = 1;
	return 0;
}

/* The query in lower case into q; 0 when it is empty, too long or not letters and
 * digits only. */
static int clean_query(const char *query, char *q)
{
	int n = 0;

	for (; *query; query++) {
		char c = *query;
		if (n == QUERY_MAX || !is_alnum((unsigned char)c))
			return 0;
		q[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	q[n] = '\0';
	return n;
}

static void forget(struct match *m)
{
	for (int i = 0; i < m->n; i++)
		memset(m->dead[i], 0, (size_t)m->qlen + 1);
}

int pinyin_match(const uint16_t *code, const char *query, int *whole)
{
	char q[QUERY_MAX + 1];
	struct match m;
	const uint16_t *p = code + 1;

	if (whole)
		*whole = 0;
	m.qlen = clean_query(query, q);
	if (!m.qlen)
		return -1;
	m.q = q;
	m.n = code[0];
	m.whole = 0;
	for (int i = 0; i < m.n; i++) {
		m.unit[i] = p;
		p += 1 + p[0];
	}
	forget(&m);
	for (int i = 0; i < m.n; i++)
		if (match_from(&m, i, 0)) {
			if (i == 0 && whole) {
				m.whole = 1;
				forget(&m);
				*whole = match_from(&m, 0, 0);
			}
			return i;
		}
	return -1;
}
