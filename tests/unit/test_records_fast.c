/* merge's direct visit reader (record_line_to_visit) against the jansson path
 * (record_parse, record_to_visit): export's lines read back field for field, every
 * limit at its maximum and one past it, JSON edge cases, and tens of thousands of
 * mutated lines on which the two paths must agree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/fixture.h"
#include "tests/unit/visit_same.h"

#define HASH_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

/* Every part at its largest count and every string at its longest. */
static void full_visit(struct visit *v)
{
	fixture_visit(v);
	v->id.seq = INT64_MAX;
	v->role = ROLE_SPOT_CHECK;
	v->tz_minutes = -330;
	v->outcome = OUT_VACANT;
	v->hose = HOSE_NON_METAL;
	v->valve = DEV_NA;
	v->alarm = DEV_FAULTY;
	v->shutoff = DEV_ABSENT;
	v->supply = SUPPLY_RESTORED;
	memset(v->account, 'A', HH_ACCOUNT_MAX);
	memset(v->actor, 'b', ACTOR_MAX);
	memset(v->note, 'n', NOTE_MAX);
	gw_strlcpy(v->base.device, "fedcba9876543210", sizeof v->base.device);
	v->base.seq = 1;
	gw_strlcpy(v->carried.device, "0123456789abcdef", sizeof v->carried.device);
	v->carried.seq = INT64_MAX;
	v->nhazards = VISIT_MAX_HAZARDS;
	for (int i = 0; i < v->nhazards; i++) {
		snprintf(v->hazards[i].code, sizeof v->hazards[i].code, "H%06d", i);
		v->hazards[i].grade = 1 + i % 3;
	}
	v->ninstalls = VISIT_MAX_INSTALLS;
	for (int i = 0; i < v->ninstalls; i++) {
		struct install *in = &v->installs[i];
		in->item = (enum item)(i % ITEM__N);
		memset(in->product, 'p', PRODUCT_MAX);
		memset(in->serial, 's', SERIAL_MAX);
		in->price_fen = i ? INT64_MAX - i : 0;
	}
	v->nphotos = VISIT_MAX_PHOTOS;
	for (int i = 0; i < v->nphotos; i++) {
		memset(v->photos[i].name, 'f', PHOTO_NAME_MAX);
		v->photos[i].name[0] = (char)('a' + i);
		v->photos[i].size = i ? INT64_MAX / i : 0;
		memset(v->photos[i].hash, "0123456789abcdef"[i], HASH_HEX_MAX);
	}
}

/* export's line for v, read by both paths: the fast one accepts it as v. */
static void round_trip(const struct visit *v)
{
	size_t len;
	char *line = record_visit_line(v, &len);
	struct visit *got = xmalloc(sizeof *got);
	int fast, slow;

	assert_int_equal(record_line_to_visit(line, len, got), 0);
	if (!visit_same(got, v))
		fail_msg("read back differs: %.300s", line);
	assert_true(visit_paths_agree(line, len, &fast, &slow));
	assert_int_equal(slow, 0);
	free(got);
	free(line);
}

static void test_round_trip(void **state)
{
	struct visit v;

	(void)state;
	fixture_visit(&v);
	round_trip(&v);
	full_visit(&v);
	round_trip(&v);
}

static void test_every_enum(void **state)
{
	struct visit v;

	(void)state;
	fixture_visit(&v);
	for (int i = 0; i < 5 * 4 * 4 * 5 * 3 * 4; i++) {
		int k = i;
		v.role = (enum role)(k % ROLE__N);
		k /= ROLE__N;
		v.outcome = (enum outcome)(k % OUT__N);
		k /= OUT__N;
		v.hose = (enum hose)(k % HOSE__N);
		k /= HOSE__N;
		v.valve = v.alarm = (enum devstate)(k % DEV__N);
		v.shutoff = (enum devstate)((k + 1) % DEV__N);
		k /= DEV__N;
		v.supply = (enum supply)(k % SUPPLY__N);
		k /= SUPPLY__N;
		v.ninstalls = 1;
		v.installs[0].item = (enum item)(k % ITEM__N);
		round_trip(&v);
	}
}

static void test_awkward_text(void **state)
{
	struct visit v;
	char *p;

	(void)state;
	fixture_visit(&v);
	gw_strlcpy(v.actor, "王师傅", sizeof v.actor);
	gw_strlcpy(v.note, "阀门后接口漏气 \"quoted\" back\\slash / é 😀 \x7f", sizeof v.note);
	p = v.note + strlen(v.note);
	for (int c = 1; c < 0x20; c++) /* every control character: \n, \t, \r and \u00XX */
		*p++ = (char)c;
	*p = '\0';
	round_trip(&v);
	/* Chinese at the limits: 21 three-byte characters and one byte is ACTOR_MAX */
	for (int i = 0; i < ACTOR_MAX / 3; i++)
		memcpy(v.actor + 3 * i, "检", 3);
	memcpy(v.actor + ACTOR_MAX - 1, "x", 2);
	assert_int_equal(strlen(v.actor), ACTOR_MAX);
	v.nphotos = 1;
	gw_strlcpy(v.photos[0].name, "照片 0001.jpg", sizeof v.photos[0].name);
	memset(v.photos[0].hash, 'e', HASH_HEX_MAX);
	gw_strlcpy(v.installs[0].serial, "SN \"2\" \\ 号", sizeof v.installs[0].serial);
	v.ninstalls = 1;
	round_trip(&v);
}

/* ---- lines written by hand: one member changed from a valid visit ---- */

struct member {
	const char *key, *value;
};

static const struct member members[] = {
	{"type", "\"visit\""},
	{"device", "\"0123456789abcdef\""},
	{"seq", "42"},
	{"account", "\"H0000001\""},
	{"actor", "\"inspector\""},
	{"role", "\"inspect\""},
	{"at", "\"2023-07-22T12:26:40+08:00\""},
	{"outcome", "\"entered\""},
	{"hose", "\"metal\""},
	{"note", "\"\""},
	{"base", "[\"fedcba9876543210\",7]"},
	{"carried", "[\"0123456789abcdef\",6]"},
	{"hazards", "[[\"H06\",2]]"},
	{"installs", "[[\"hose\",\"P1\",\"S1\",1500]]"},
	{"photos", "[[\"a.jpg\",10,\"" HASH_A "\"]]"},
};

struct buf {
	char *p;
	size_t len, cap;
};

static void add(struct buf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n + 1);
	b->len += n;
}

static void add_member(struct buf *b, const char *key, const char *value)
{
	add(b, b->len > 1 ? ",\"" : "\"");
	add(b, key);
	add(b, "\":");
	add(b, value);
}

/* The line of members[] with key's value replaced (value NULL: key left out; a
 * key not among them, or dup: added at the end). Malloc'd. */
static char *line_with(const char *key, const char *value, int dup)
{
	struct buf b = {NULL, 0, 0};
	int found = 0;

	add(&b, "{");
	for (size_t i = 0; i < sizeof members / sizeof members[0]; i++) {
		int is = strcmp(members[i].key, key) == 0 && !dup;
		found |= is;
		if (!is)
			add_member(&b, members[i].key, members[i].value);
		else if (value)
			add_member(&b, key, value);
	}
	if (!found && value)
		add_member(&b, key, value);
	add(&b, "}");
	return b.p;
}

enum want { ACCEPT, REJECT, FALLBACK };

static void expect_n(const char *line, size_t len, enum want w)
{
	static const char *const names[] = {"accepted", "rejected", "left to jansson"};
	int fast, slow;

	if (!visit_paths_agree(line, len, &fast, &slow))
		fail_msg("paths disagree (fast %d, jansson %d): %.300s", fast, slow, line);
	if ((w == ACCEPT && (fast != 0 || slow != 0)) || (w == REJECT && (slow == 0 || fast == 0)) ||
	    (w == FALLBACK && (fast != 1 || slow != 0)))
		fail_msg("want %s, fast %d, jansson %d: %.300s", names[w], fast, slow, line);
}

static void expect(const char *key, const char *value, enum want w)
{
	char *line = line_with(key, value, 0);

	expect_n(line, strlen(line), w);
	free(line);
}

static void expect_dup(const char *key, const char *value, enum want w)
{
	char *line = line_with(key, value, 1);

	expect_n(line, strlen(line), w);
	free(line);
}

/* "x...x" of n bytes (c repeated), as a JSON string; malloc'd. */
static char *jstring(size_t n, const char *c)
{
	struct buf b = {NULL, 0, 0};

	add(&b, "\"");
	for (size_t i = 0; i < n; i += strlen(c))
		add(&b, c);
	add(&b, "\"");
	return b.p;
}

static void expect_len(const char *key, size_t max, const char *c)
{
	char *at = jstring(max, c), *over = jstring(max + strlen(c), c);

	expect(key, at, ACCEPT);
	expect(key, over, REJECT);
	free(at);
	free(over);
}

static void test_limits(void **state)
{
	char *s;

	(void)state;
	expect("type", "\"visit\"", ACCEPT);
	expect_len("account", HH_ACCOUNT_MAX, "a");
	expect_len("actor", ACTOR_MAX, "a");
	expect_len("note", NOTE_MAX, "a");
	expect_len("note", NOTE_MAX - 1, "中"); /* 333 characters are 999 bytes */
	expect("account", "\"\"", REJECT);
	expect("device", "\"0123456789abcdeff\"", REJECT);
	expect("device", "\"0123456789abcde\"", REJECT);
	expect("device", "\"0123456789ABCDEF\"", REJECT);
	s = jstring(48, "1");
	expect("at", s, REJECT);
	free(s);
	expect("at", "\"2023-07-22T12:26:40Z\"", ACCEPT);
	expect("at", "\"2023-07-22T12:26:40\"", ACCEPT);
	expect("at", "\"2023-02-30T12:26:40+08:00\"", REJECT);
	expect("at", "\"yesterday\"", REJECT);
	for (const char *const *f = (const char *const[]){"device", "account", "actor", "at",
							    "note", "seq", "type", NULL};
	     *f; f++)
		expect(*f, NULL, REJECT);
}

static void test_numbers(void **state)
{
	(void)state;
	expect("seq", "1", ACCEPT);
	expect("seq", "9223372036854775807", ACCEPT);
	expect("seq", "9223372036854775808", REJECT);
	expect("seq", "99999999999999999999", REJECT);
	expect("seq", "0", REJECT);
	expect("seq", "-0", REJECT);
	expect("seq", "-1", REJECT);
	expect("seq", "-9223372036854775808", REJECT);
	expect("seq", "-9223372036854775809", REJECT);
	expect("seq", "042", REJECT);
	expect("seq", "42.0", REJECT);
	expect("seq", "4e1", REJECT);
	expect("seq", "\"42\"", REJECT);
	expect("seq", "-", REJECT);
	expect("seq", "+1", REJECT);
	expect("seq", "true", REJECT);
	expect("seq", "null", REJECT);
	expect("seq", " 42 ", ACCEPT);
}

static void test_parts(void **state)
{
	(void)state;
	expect("hazards", "[]", ACCEPT);
	expect("hazards", NULL, ACCEPT);
	expect("hazards", "null", REJECT);
	expect("hazards", "{}", REJECT);
	expect("hazards", "[[\"H123456\",3],[\"x\",1]]", ACCEPT);
	expect("hazards", "[[\"H1234567\",3]]", REJECT);
	expect("hazards", "[[\"\",1]]", REJECT);
	expect("hazards", "[[\"H1\",0]]", REJECT);
	expect("hazards", "[[\"H1\",4]]", REJECT);
	expect("hazards", "[[\"H1\",2.0]]", REJECT);
	expect("hazards", "[[\"H1\"]]", REJECT);
	expect("hazards", "[[\"H1\",1,1]]", REJECT);
	expect("hazards", "[[\"H1\",1],]", REJECT);
	expect("hazards", "[\"H1\",1]", REJECT);
	expect("installs", "[[\"valve\",\"" "pppppppppppppppp" "\",\"\",0]]", ACCEPT);
	expect("installs", "[[\"valve\",\"" "ppppppppppppppppp" "\",\"\",0]]", REJECT);
	expect("installs", "[[\"pipe\",\"P\",\"S\",0]]", REJECT);
	expect("installs", "[[\"hose\",\"P\",\"S\",-1]]", REJECT);
	expect("installs", "[[\"hose\",\"P\",\"S\",9223372036854775807]]", ACCEPT);
	expect("installs", "[[\"hose\",\"P\",\"S\",9223372036854775808]]", REJECT);
	expect("installs", "[[\"hose\",\"P\",\"S\"]]", REJECT);
	expect("photos", "[[\"a.jpg\",0,\"" HASH_A "\"]]", ACCEPT);
	expect("photos", "[[\"../a.jpg\",0,\"" HASH_A "\"]]", REJECT);
	expect("photos", "[[\".a\",0,\"" HASH_A "\"]]", REJECT);
	expect("photos", "[[\"\",0,\"" HASH_A "\"]]", REJECT);
	expect("photos", "[[\"a\\u0001\",0,\"" HASH_A "\"]]", REJECT);
	expect("photos", "[[\"a.jpg\",-1,\"" HASH_A "\"]]", REJECT);
	expect("photos", "[[\"a.jpg\",0,\"" HASH_A "a\"]]", REJECT);
	expect("photos", "[[\"a.jpg\",0,\"A" HASH_A "\"]]", REJECT);
	expect("photos", "[[\"a.jpg\",0,\"" HASH_A "\",1]]", REJECT);
	for (size_t n = PHOTO_NAME_MAX; n <= PHOTO_NAME_MAX + 1; n++) {
		struct buf b = {NULL, 0, 0};
		char *name = jstring(n, "f");
		add(&b, "[[");
		add(&b, name);
		add(&b, ",1,\"" HASH_A "\"]]");
		expect("photos", b.p, n == PHOTO_NAME_MAX ? ACCEPT : REJECT);
		free(name);
		free(b.p);
	}
	expect("base", "null", ACCEPT);
	expect("base", NULL, ACCEPT);
	expect("base", "[\"fedcba9876543210\",0]", REJECT);
	expect("base", "[\"fedcba987654321\",1]", REJECT);
	expect("base", "[\"fedcba9876543210\",1,2]", REJECT);
	expect("base", "[]", REJECT);
	expect("base", "\"fedcba9876543210\"", REJECT);
	expect("carried", "null", ACCEPT);
	expect("carried", NULL, ACCEPT);
	expect("carried", "[\"fedcba9876543210\",0]", REJECT);
	expect("carried", "[\"fedcba987654321\",1]", REJECT);
	expect("carried", "[]", REJECT);
}

static void test_counts(void **state)
{
	static const char *const one[] = {"[\"H1\",1]", "[\"alarm\",\"P\",\"S\",1]",
					  "[\"a.jpg\",1,\"" HASH_A "\"]"};
	static const char *const key[] = {"hazards", "installs", "photos"};
	static const int max[] = {VISIT_MAX_HAZARDS, VISIT_MAX_INSTALLS, VISIT_MAX_PHOTOS};

	(void)state;
	for (int k = 0; k < 3; k++) {
		struct buf b = {NULL, 0, 0};
		add(&b, "[");
		for (int i = 0; i <= max[k]; i++) {
			if (i == max[k]) {
				add(&b, "]");
				expect(key[k], b.p, ACCEPT);
				b.p[--b.len] = '\0';
			}
			add(&b, i ? "," : "");
			add(&b, one[k]);
		}
		add(&b, "]");
		expect(key[k], b.p, REJECT);
		free(b.p);
	}
}

static void test_enums(void **state)
{
	(void)state;
	expect("hose", "null", ACCEPT);
	expect("hose", NULL, ACCEPT);
	expect("hose", "\"none\"", ACCEPT);
	expect("hose", "\"rubber\"", REJECT);
	expect("hose", "\"\"", REJECT);
	expect("hose", "1", REJECT);
	expect("valve", "\"na\"", ACCEPT);
	expect("supply", "\"stopped\"", ACCEPT);
	expect("supply", "\"stoppedstoppedstoppedstopped\"", REJECT);
	expect("role", "null", REJECT);
	expect("role", NULL, REJECT);
	expect("role", "\"self-check\"", ACCEPT);
	expect("role", "\"Inspect\"", REJECT);
	expect("outcome", "\"not-home\"", ACCEPT);
	expect("outcome", "\"not-\\u0068ome\"", ACCEPT);
	expect("outcome", "\"gone\"", REJECT);
	expect("outcome", NULL, REJECT);
}

/* A known member whose name is escaped: "\u0073eq" is "seq". */
static void escaped_seq(void)
{
	struct buf b = {NULL, 0, 0};
	char *rest = line_with("seq", NULL, 0);

	add(&b, "{\"\\u0073eq\":42,");
	add(&b, rest + 1);
	expect_n(b.p, b.len, ACCEPT);
	free(rest);
	free(b.p);
}

static void test_json(void **state)
{
	(void)state;
	expect("type", "\"vis\\u0069t\"", ACCEPT);
	expect("type", "\"household\"", REJECT);
	expect("type", "\"visits\"", REJECT);
	expect("type", "5", REJECT);
	expect("extra", "\"x\"", ACCEPT);
	expect("extra", "-12", ACCEPT);
	expect("extra", "true", ACCEPT);
	expect("extra", "false", ACCEPT);
	expect("extra", "null", ACCEPT);
	expect("extra", "nul", REJECT);
	expect("extra", "nullx", REJECT);
	expect("extra", "1.5", FALLBACK);
	expect("extra", "[1,{\"a\":2}]", FALLBACK);
	expect("extra", "{}", FALLBACK);
	expect("extra", "1e999", REJECT);
	expect("extra", "1.", REJECT);
	expect("extra", "\"\\u0000\"", REJECT);
	expect("e\\u0078tra", "1", ACCEPT);
	escaped_seq();
	expect_dup("seq", "42", REJECT);
	expect_dup("note", "\"\"", REJECT);
	expect_dup("s\\u0065q", "42", REJECT);
	expect_dup("type", "\"visit\"", REJECT);
	expect_dup("hazards", "[]", REJECT);
	expect_dup("base", "null", REJECT);
	expect_n("{\"x\":1,\"x\":2," "\"type\":\"visit\"}", 29, REJECT);
	expect_n("[1]", 3, REJECT);
	expect_n("{}", 2, REJECT);
	expect_n("", 0, REJECT);
	expect_n("{\"type\":\"visit\"}", 16, REJECT);
}

/* One line with the note's raw value replaced: JSON text to get ACCEPT etc. */
static void note(const char *value, enum want w)
{
	expect("note", value, w);
}

static void test_strings(void **state)
{
	(void)state;
	note("\"\\u4e2d\\u6587 \\u00E9 \\/ \\b\\f\\n\\r\\t \\\" \\\\\"", ACCEPT);
	note("\"\\ud83d\\ude00 \\uD83D\\uDE00\"", ACCEPT);
	note("\"\\ud83d\"", REJECT);
	note("\"\\ud83d x\"", REJECT);
	note("\"\\ude00\"", REJECT);
	note("\"\\ud83d\\u0041\"", REJECT);
	note("\"\\ud83d\\ud83d\"", REJECT);
	note("\"\\u0000\"", REJECT);
	note("\"\\u12\"", REJECT);
	note("\"\\u12g4\"", REJECT);
	note("\"\\x\"", REJECT);
	note("\"\\'\"", REJECT);
	note("\"\xf0\x9f\x98\x80 \xe4\xb8\xad \xc3\xa9 \x7f\"", ACCEPT);
	note("\"\xc3\"", REJECT);
	note("\"\xc3\xc3\"", REJECT);
	note("\"\xc0\x80\"", REJECT);
	note("\"\xc1\xbf\"", REJECT);
	note("\"\xe0\x80\x80\"", REJECT);
	note("\"\xed\xa0\x80\"", REJECT);
	note("\"\xf4\x90\x80\x80\"", REJECT);
	note("\"\xf5\x80\x80\x80\"", REJECT);
	note("\"\xf0\x8f\xbf\xbf\"", REJECT);
	note("\"\xf4\x8f\xbf\xbf\"", ACCEPT);
	note("\"\x80\"", REJECT);
	note("\"\xff\"", REJECT);
	note("\"\x01\"", REJECT);
	note("\"a\tb\"", REJECT);
	note("\"a\nb\"", REJECT);
	note("\"unterminated", REJECT);
	expect_n("{\"note\":\"a\0b\"}", 14, REJECT);
}

/* A visit with blanks everywhere JSON allows them. */
static const char blank_line[] =
	" \t\r\n{ \"type\" : \"visit\" ,\n\"device\":\"0123456789abcdef\",\"seq\" :42 ,"
	"\"account\":\"H1\",\"actor\":\"\",\"role\":\"install\",\"at\":\"2024-02-29\","
	"\"outcome\":\"refused\",\"note\":\"\",\"hazards\" : [ [ \"H1\" , 1 ] , "
	"[\"H2\",2] ] , \"photos\":[ ] } \r\n";

static void test_blanks(void **state)
{
	const char *line = blank_line;
	char *bad = xmalloc(strlen(line) + 2);
	size_t n = strlen(line);

	(void)state;
	expect_n(line, n, ACCEPT);
	memcpy(bad, line, n);
	bad[n] = 'x';
	expect_n(bad, n + 1, REJECT);
	bad[n] = '}';
	expect_n(bad, n + 1, REJECT);
	bad[n] = '\0';
	expect_n(bad, n + 1, REJECT);
	bad[n] = '\f';
	expect_n(bad, n + 1, REJECT);
	free(bad);
}

/* ---- the differential check: mutated lines ---- */

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint32_t next(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)((rng >> 16) % n);
}

static unsigned char some_byte(void)
{
	static const char interesting[] = "\"\\{}[],:0123456789-+.eEu null true \x7f/abcdefABCDEF";
	static const unsigned char high[] = {0x80, 0xbf, 0xc0, 0xc2, 0xc3, 0xe0, 0xe4, 0xed,
					     0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x00, 0x01, 0x1f};

	switch (next(4)) {
	case 0: return (unsigned char)next(256);
	case 1: return high[next(sizeof high)];
	default: return (unsigned char)interesting[next(sizeof interesting - 1)];
	}
}

/* Text that keeps a string valid when put just after its opening quote. */
static size_t insert_text(unsigned char *b, size_t n, size_t cap, size_t at)
{
	static const char *const texts[] = {"x", "中", "\\u00e9", "\\n", "\\ud83d\\ude00",
					    "\\\"", " ", "\xf0\x9f\x98\x80", "\\/", "\x7f"};
	const char *t = texts[next(sizeof texts / sizeof texts[0])];
	size_t len = strlen(t);
	unsigned char *q = memchr(b + at, '"', n - at);

	if (!q || n + len > cap)
		return n;
	at = (size_t)(q - b) + 1;
	memmove(b + at + len, b + at, n - at);
	memcpy(b + at, t, len);
	return n + len;
}

/* One to three changes: flips, insertions, deletions, copied spans, and the
 * gentler ones that often leave a valid visit (a digit changed, text added). */
static size_t mutate(unsigned char *b, size_t n, size_t cap)
{
	for (int k = 1 + (int)next(3); k > 0 && n > 0; k--) {
		size_t at = next((uint32_t)n), span = 1 + next(8);
		switch (next(7)) {
		case 4:
		case 5:
			n = insert_text(b, n, cap, at);
			break;
		case 6:
			if (b[at] >= '0' && b[at] <= '9')
				b[at] = (unsigned char)('0' + next(10));
			break;
		case 0: b[at] = some_byte(); break;
		case 1:
			if (n + 1 > cap)
				break;
			memmove(b + at + 1, b + at, n - at);
			b[at] = some_byte();
			n++;
			break;
		case 2:
			memmove(b + at, b + at + 1, n - at - 1);
			n--;
			break;
		default:
			if (at + span > n || n + span > cap)
				break;
			memmove(b + at + span, b + at, n - at);
			n += span;
			break;
		}
	}
	return n;
}

static char **seed_lines(int *n)
{
	static const char *const changes[][2] = {
		{"extra", "[1]"},	 {"hose", "null"}, {"note", "\"\\u4e2d\\ud83d\\ude00\\n\""},
		{"base", "null"},	 {"extra", "\"x\""}, {"photos", "[]"},
		{"at", "\"2023-07-22\""}, {"seq", "1"}};
	char **lines = xmalloc(16 * sizeof *lines); /* 2 + changes + 1 */
	struct visit v;
	size_t len;
	int k = 0;

	fixture_visit(&v);
	lines[k++] = record_visit_line(&v, &len);
	v.nhazards = 2;
	gw_strlcpy(v.hazards[0].code, "H1", sizeof v.hazards[0].code);
	v.hazards[0].grade = 3;
	gw_strlcpy(v.hazards[1].code, "燃气", sizeof v.hazards[1].code);
	v.hazards[1].grade = 1;
	v.ninstalls = 1;
	gw_strlcpy(v.installs[0].product, "P\"1", sizeof v.installs[0].product);
	v.nphotos = 1;
	gw_strlcpy(v.photos[0].name, "照片.jpg", sizeof v.photos[0].name);
	memset(v.photos[0].hash, 'c', HASH_HEX_MAX);
	gw_strlcpy(v.note, "漏气 \x01 \"q\" \\ é", sizeof v.note);
	v.base.seq = 3;
	gw_strlcpy(v.base.device, "00000000000000ff", sizeof v.base.device);
	v.valve = DEV_OK;
	lines[k++] = record_visit_line(&v, &len);
	for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++)
		lines[k++] = line_with(changes[i][0], changes[i][1], 0);
	lines[k++] = xstrdup(blank_line);
	*n = k;
	return lines;
}

static void test_mutations(void **state)
{
	int nseeds, count[3] = {0, 0, 0}; /* fast accepted, both rejected, left to jansson */
	char **seeds = seed_lines(&nseeds);
	unsigned char buf[2048];

	(void)state;
	for (int i = 0; i < 40000; i++) {
		const char *seed = seeds[next((uint32_t)nseeds)];
		size_t n = strlen(seed);
		int fast, slow;
		assert_true(n < sizeof buf / 2);
		memcpy(buf, seed, n);
		n = mutate(buf, n, sizeof buf);
		if (!visit_paths_agree((const char *)buf, n, &fast, &slow))
			fail_msg("paths disagree (fast %d, jansson %d) on mutation %d: %.*s", fast,
				 slow, i, (int)n, buf);
		count[fast == 0 ? 0 : slow != 0 ? 1 : 2]++;
	}
	print_message("accepted %d, rejected %d, left to jansson %d\n", count[0], count[1], count[2]);
	/* the check sees all three outcomes, the first two often */
	assert_true(count[0] > 2000);
	assert_true(count[1] > 2000);
	assert_true(count[2] > 0);
	for (int i = 0; i < nseeds; i++)
		free(seeds[i]);
	free(seeds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip), cmocka_unit_test(test_every_enum),
		cmocka_unit_test(test_awkward_text), cmocka_unit_test(test_limits),
		cmocka_unit_test(test_numbers),	    cmocka_unit_test(test_parts),
		cmocka_unit_test(test_counts),	    cmocka_unit_test(test_enums),
		cmocka_unit_test(test_json),	    cmocka_unit_test(test_strings),
		cmocka_unit_test(test_blanks),	    cmocka_unit_test(test_mutations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
