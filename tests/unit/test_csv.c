/* The streaming CSV parser and the encoding layer under it (import/csv.c, import/decode.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/csv.h"
#include "import/decode.h"

/* ---- collecting records ---- */

#define MAX_RECS 16

struct got {
	int n;
	long line[MAX_RECS];
	unsigned flags[MAX_RECS];
	long nseen[MAX_RECS];
	uint64_t cut[MAX_RECS];
	char joined[MAX_RECS][256]; /* fields joined with '|' (cut at 255 bytes) */
	size_t len0[MAX_RECS];      /* length of the first field */
};

static int collect(void *ctx, const struct csv_record *r)
{
	struct got *g = ctx;
	size_t at = 0;

	assert_true(g->n < MAX_RECS);
	assert_true(r->nfields <= CSV_FIELDS_MAX);
	g->line[g->n] = r->line;
	g->flags[g->n] = r->flags;
	g->nseen[g->n] = r->nseen;
	g->cut[g->n] = r->cut;
	g->len0[g->n] = r->len[0];
	for (int i = 0; i < r->nfields; i++) {
		assert_int_equal(strlen(r->field[i]), r->len[i]);
		assert_true(r->len[i] <= CSV_FIELD_MAX);
		at += (size_t)snprintf(g->joined[g->n] + at, sizeof g->joined[0] - at, "%s%s",
				       i ? "|" : "", r->field[i]);
		if (at >= sizeof g->joined[0])
			at = sizeof g->joined[0] - 1;
	}
	g->n++;
	return 0;
}

/* Parses n bytes fed in pieces of `step` bytes. */
static void parse(const char *in, size_t n, size_t step, struct got *g)
{
	struct csv *p = csv_new(collect, g);

	memset(g, 0, sizeof *g);
	for (size_t i = 0; i < n; i += step)
		assert_int_equal(csv_feed(p, in + i, n - i < step ? n - i : step), 0);
	assert_int_equal(csv_finish(p), 0);
	csv_free(p);
}

/* Parses s whole, byte by byte and in threes, and checks all three agree. */
static void parse_all_ways(const char *s, size_t n, struct got *g)
{
	static const size_t steps[] = {1, 3, 7};
	struct got other;

	parse(s, n, n ? n : 1, g);
	for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
		parse(s, n, steps[k], &other);
		assert_int_equal(other.n, g->n);
		for (int i = 0; i < g->n; i++) {
			assert_string_equal(other.joined[i], g->joined[i]);
			assert_int_equal(other.line[i], g->line[i]);
			assert_int_equal(other.flags[i], g->flags[i]);
		}
	}
}

#define PARSE(lit, g) parse_all_ways(lit, sizeof(lit) - 1, g)

static void test_quoted_commas(void **state)
{
	struct got g;

	(void)state;
	PARSE("a,\"b,c\",d\n", &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.joined[0], "a|b,c|d");
	assert_int_equal(g.nseen[0], 3);
	assert_int_equal(g.flags[0], 0);
}

static void test_doubled_quotes(void **state)
{
	struct got g;

	(void)state;
	PARSE("\"he said \"\"hi\"\"\",x,\"\"\"\"\n", &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.joined[0], "he said \"hi\"|x|\"");
}

static void test_embedded_newlines_and_lines(void **state)
{
	struct got g;

	(void)state;
	PARSE("h1,h2\n\"l1\nl2\n\",b\nc,d\n\ne,f\n", &g);
	assert_int_equal(g.n, 5);
	assert_string_equal(g.joined[1], "l1\nl2\n|b");
	assert_int_equal(g.line[1], 2);
	assert_string_equal(g.joined[2], "c|d");
	assert_int_equal(g.line[2], 5); /* the record after a 3-line record */
	assert_string_equal(g.joined[3], "");
	assert_int_equal(g.line[3], 6); /* a blank line is an empty record */
	assert_int_equal(g.line[4], 7);
}

static void test_crlf(void **state)
{
	struct got g;

	(void)state;
	PARSE("a,b\r\n\"x\r\ny\",\"q\"\r\nc,\r\n", &g);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.joined[0], "a|b");
	assert_string_equal(g.joined[1], "x\r\ny|q"); /* a CRLF inside quotes is data */
	assert_int_equal(g.line[2], 4);
	assert_string_equal(g.joined[2], "c|");
	assert_int_equal(g.nseen[2], 2);
	PARSE("a\rb,c\n", &g); /* a lone CR is data */
	assert_string_equal(g.joined[0], "a\rb|c");
}

static void test_empty_fields(void **state)
{
	struct got g;

	(void)state;
	PARSE(",,\na,,b\n\"\",\n", &g);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.joined[0], "||");
	assert_int_equal(g.nseen[0], 3);
	assert_string_equal(g.joined[1], "a||b");
	assert_string_equal(g.joined[2], "|");
	assert_int_equal(g.nseen[2], 2);
}

static void test_no_final_newline(void **state)
{
	struct got g;

	(void)state;
	PARSE("a,b\nc,\"d\"", &g);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.joined[1], "c|d");
	assert_int_equal(g.flags[1], 0);
	PARSE("a,b\n", &g); /* the last newline does not make an empty record */
	assert_int_equal(g.n, 1);
	PARSE("", &g);
	assert_int_equal(g.n, 0);
}

static void test_unterminated_quote(void **state)
{
	struct got g;

	(void)state;
	PARSE("h\na,\"bc\nde\nf,g\n", &g);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.line[1], 2);
	assert_int_equal(g.flags[1], CSV_UNTERMINATED);
	assert_string_equal(g.joined[1], "a|bc\nde\nf,g\n");
}

static void test_lenient_quotes(void **state)
{
	struct got g;

	(void)state;
	PARSE("ab\"c,\"x\"y,\"z\" \n", &g);
	assert_string_equal(g.joined[0], "ab\"c|xy|z ");
	assert_int_equal(g.flags[0], 0);
}

static void test_overlong_field(void **state)
{
	size_t n = CSV_FIELD_MAX + 1000;
	char *s = malloc(n + 16);
	struct got g;

	(void)state;
	s[0] = '"';
	memset(s + 1, 'x', n);
	memcpy(s + 1 + n, "\",b\nc,d\n", 8);
	parse_all_ways(s, n + 9, &g);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.flags[0], CSV_CUT);
	assert_int_equal(g.cut[0], 1);
	assert_int_equal(g.len0[0], CSV_FIELD_MAX);
	assert_int_equal(g.nseen[0], 2);
	assert_string_equal(g.joined[1], "c|d");
	assert_int_equal(g.flags[1], 0);
	free(s);
}

static void test_nul_byte(void **state)
{
	static const char s[] = "a\0b,c\nd,e\n";
	struct got g;

	(void)state;
	parse_all_ways(s, sizeof s - 1, &g);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.flags[0], CSV_NUL);
	assert_string_equal(g.joined[0], "ab|c");
	assert_int_equal(g.flags[1], 0);
}

static void test_too_many_fields(void **state)
{
	char s[200];
	struct got g;

	(void)state;
	memset(s, ',', 99);
	memcpy(s + 99, "\nx\n", 3);
	parse_all_ways(s, 102, &g);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.nseen[0], 100);
	assert_int_equal(g.flags[0], CSV_TOO_MANY);
	assert_string_equal(g.joined[1], "x");
}

/* Any bytes: no crash, and every record within the limits (checked in collect). */
static int count_only(void *ctx, const struct csv_record *r)
{
	long *n = ctx;

	assert_true(r->nfields <= CSV_FIELDS_MAX && r->nfields >= 1);
	for (int i = 0; i < r->nfields; i++)
		assert_int_equal(strlen(r->field[i]), r->len[i]);
	(*n)++;
	return 0;
}

static void test_random_bytes(void **state)
{
	static const char alphabet[] = {'"', ',', '\n', '\r', '\0', 'a', '\xe4', '\xff'};
	size_t n = 200000;
	char *s = malloc(n);
	uint32_t x = 12345;
	long records = 0;
	struct csv *p = csv_new(count_only, &records);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		s[i] = (x >> 16) % 5 ? alphabet[(x >> 8) % sizeof alphabet] : (char)(x >> 3);
	}
	for (size_t i = 0; i < n; i += 4093)
		assert_int_equal(csv_feed(p, s + i, n - i < 4093 ? n - i : 4093), 0);
	assert_int_equal(csv_finish(p), 0);
	assert_true(records > 1000);
	csv_free(p);
	free(s);
}

static int stop_at_second(void *ctx, const struct csv_record *r)
{
	int *n = ctx;

	(void)r;
	return ++*n == 2 ? 42 : 0;
}

static void test_callback_stops(void **state)
{
	int n = 0;
	struct csv *p = csv_new(stop_at_second, &n);

	(void)state;
	assert_int_equal(csv_feed(p, "a\nb\nc\n", 6), 42);
	assert_int_equal(n, 2);
	csv_free(p);
}

/* ---- encodings ---- */

/* Converts UTF-8 text to GB18030 with iconv, as a gas company's Excel writes it. */
static char *to_gb18030(const char *utf8, size_t *outn)
{
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	size_t il = strlen(utf8), ol = il * 2 + 16;
	char *out = malloc(ol), *ip = (char *)utf8, *op = out;

	assert_true(cd != (iconv_t)-1);
	assert_int_not_equal(iconv(cd, &ip, &il, &op, &ol), (size_t)-1);
	iconv_close(cd);
	*outn = (size_t)(op - out);
	return out;
}

static const char chinese[] =
	"用户编号,用户名称\n0001,张三（幸福小区）😀€\n0002,\"李四, 王五\"\n";

static void test_detect(void **state)
{
	size_t n;
	char *gb = to_gb18030(chinese, &n);
	char utf8_damaged[512];

	(void)state;
	assert_int_equal(enc_detect((const unsigned char *)chinese, strlen(chinese), 1), ENC_UTF8);
	assert_int_equal(enc_detect((const unsigned char *)gb, n, 1), ENC_GB18030);
	assert_int_equal(enc_detect((const unsigned char *)"abc", 3, 1), ENC_UTF8);
	/* a sample that ends inside a character: fine mid-file, not at the end */
	assert_int_equal(enc_detect((const unsigned char *)"\xe4\xb8", 2, 0), ENC_UTF8);
	assert_int_equal(enc_detect((const unsigned char *)"\xe4\xb8", 2, 1), ENC_GB18030);
	/* UTF-8 with one damaged byte among many characters is still UTF-8 */
	snprintf(utf8_damaged, sizeof utf8_damaged, "%s%s\xff%s", chinese, chinese, chinese);
	assert_int_equal(enc_detect((const unsigned char *)utf8_damaged, strlen(utf8_damaged), 1),
			 ENC_UTF8);
	free(gb);
}

struct sink {
	char *buf;
	size_t n, cap;
};

static int sink_put(void *ctx, const char *b, size_t n)
{
	struct sink *s = ctx;

	if (s->n + n > s->cap) {
		s->cap = (s->n + n) * 2;
		s->buf = realloc(s->buf, s->cap);
	}
	memcpy(s->buf + s->n, b, n);
	s->n += n;
	return 0;
}

/* Decodes in pieces of `step` bytes; returns the output (caller frees). */
static struct sink decode(enum enc forced, const char *in, size_t n, size_t step, enum enc *used)
{
	struct decoder *d;
	struct sink s = {NULL, 0, 0};

	assert_int_equal(decoder_new(forced, &d), 0);
	for (size_t i = 0; i < n; i += step)
		assert_int_equal(decoder_feed(d, in + i, n - i < step ? n - i : step, sink_put, &s), 0);
	assert_int_equal(decoder_finish(d, sink_put, &s), 0);
	*used = decoder_encoding(d);
	decoder_free(d);
	return s;
}

static void expect_decoded(enum enc forced, const char *in, size_t n, const char *want,
			   size_t wantn, enum enc want_enc)
{
	static const size_t steps[] = {1, 2, 3, 5, 4096, 70001};
	enum enc used;

	for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
		struct sink s = decode(forced, in, n, steps[k], &used);
		assert_int_equal(s.n, wantn);
		assert_memory_equal(s.buf, want, wantn);
		assert_int_equal(used, want_enc);
		free(s.buf);
	}
}

/* GB18030 (2- and 4-byte sequences) split at every possible place, and
 * longer than the detection sample and the conversion buffers. */
static void test_gb18030_across_boundaries(void **state)
{
	size_t reps = 2000, one = strlen(chinese), n;
	char *big = malloc(one * reps + 1), *gb;

	(void)state;
	for (size_t i = 0; i < reps; i++)
		memcpy(big + i * one, chinese, one);
	big[one * reps] = '\0';
	gb = to_gb18030(big, &n);
	assert_true(n > 100000);
	expect_decoded(ENC_AUTO, gb, n, big, one * reps, ENC_GB18030);
	expect_decoded(ENC_GB18030, gb, n, big, one * reps, ENC_GB18030);
	expect_decoded(ENC_AUTO, big, one * reps, big, one * reps, ENC_UTF8);
	free(gb);
	free(big);
}

static void test_bom_and_ascii(void **state)
{
	enum enc used;
	struct sink s;

	(void)state;
	expect_decoded(ENC_AUTO, "\xEF\xBB\xBF" "a,b\n", 7, "a,b\n", 4, ENC_UTF8);
	expect_decoded(ENC_UTF8, "\xEF\xBB\xBF" "x", 4, "x", 1, ENC_UTF8);
	expect_decoded(ENC_AUTO, "ab", 2, "ab", 2, ENC_AUTO); /* ASCII decides nothing */
	/* a GB18030 byte-order mark becomes U+FEFF, which is dropped */
	expect_decoded(ENC_GB18030, "\x84\x31\x95\x33" "a", 5, "a", 1, ENC_GB18030);
	s = decode(ENC_AUTO, "", 0, 1, &used);
	assert_int_equal(s.n, 0);
	free(s.buf);
}

static void test_gb18030_invalid(void **state)
{
	(void)state;
	/* an invalid sequence becomes 0xFF (never valid UTF-8); so does a cut one at the end */
	expect_decoded(ENC_GB18030, "a\x81\x20" "b", 4, "a\xff b", 4, ENC_GB18030);
	expect_decoded(ENC_GB18030, "a\xd6", 2, "a\xff", 2, ENC_GB18030);
	expect_decoded(ENC_GB18030, "\xd6\xd0", 2, "中", 3, ENC_GB18030);
}

static void test_enc_parse(void **state)
{
	(void)state;
	assert_int_equal(enc_parse("auto"), ENC_AUTO);
	assert_int_equal(enc_parse("UTF-8"), ENC_UTF8);
	assert_int_equal(enc_parse("gbk"), ENC_GB18030);
	assert_int_equal(enc_parse("latin1"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quoted_commas),
		cmocka_unit_test(test_doubled_quotes),
		cmocka_unit_test(test_embedded_newlines_and_lines),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_empty_fields),
		cmocka_unit_test(test_no_final_newline),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_lenient_quotes),
		cmocka_unit_test(test_overlong_field),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_too_many_fields),
		cmocka_unit_test(test_random_bytes),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_gb18030_across_boundaries),
		cmocka_unit_test(test_bom_and_ascii),
		cmocka_unit_test(test_gb18030_invalid),
		cmocka_unit_test(test_enc_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
