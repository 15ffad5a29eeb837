/* QR codes that fit a 40x15 handheld: the smallest version, alphanumeric text in one
 * segment, and qr_fprint drawing only what fits the terminal, else the text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/qr.h"

#define FPR "K7Q2M4XAMZXW6YTBOI3DGNZUGQ"
#define RECEIPT "GWR2:K7Q2M4XA:123456:MZXW6YTBOI3DGNZUGQ2DSMRVGE" /* 46 characters */

static void test_sizes(void **s)
{
	int size, cols, lines;
	unsigned char *m;

	(void)s;
	m = qr_matrix(FPR, &size);
	assert_non_null(m);
	assert_int_equal(size, 25); /* version 2 */
	free(m);
	m = qr_matrix(RECEIPT, &size);
	assert_non_null(m);
	assert_int_equal(size, 25); /* one alphanumeric segment: 46 characters in version 2 */
	free(m);
	m = qr_matrix("0123456789", &size);
	assert_int_equal(size, 21);
	free(m);
	assert_int_equal(qr_text_size(RECEIPT, 1, &cols, &lines), 0);
	assert_int_equal(cols, 27);
	assert_int_equal(lines, 14);
	assert_int_equal(qr_text_size(RECEIPT, 2, &cols, &lines), 0);
	assert_int_equal(cols, 29);
	assert_int_equal(lines, 15);
	/* lower case is byte mode: bigger */
	assert_int_equal(qr_text_size("gwr2:k7q2m4xa:123456:mzxw6ytboi3dgnzugq2dsmrvge", 0, &cols,
				      &lines), 0);
	assert_true(cols > 25);
}

/* What qr_fprint writes for text on a terminal of cols x rows ("" for unknown). */
static char *printed(const char *text, const char *cols, const char *rows)
{
	FILE *f = tmpfile();
	char *buf = calloc(1, 65536);
	size_t n;

	assert_non_null(f);
	setenv("COLUMNS", cols, 1);
	setenv("LINES", rows, 1);
	assert_int_equal(qr_fprint(f, text), 0);
	rewind(f);
	n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_fprint_fits(void **s)
{
	char *out, id[400];

	(void)s;
	out = printed(RECEIPT, "80", "40"); /* room: a 2-module quiet zone */
	assert_int_equal(count_lines(out), 15);
	assert_null(strstr(out, RECEIPT));
	free(out);
	out = printed(RECEIPT, "40", "15"); /* the handheld: a 1-module zone, 14 lines */
	assert_int_equal(count_lines(out), 14);
	free(out);
	out = printed(RECEIPT, "", ""); /* size unknown: drawn */
	assert_int_equal(count_lines(out), 15);
	free(out);
	/* a whole identity does not fit 40x15: one line saying so, then the text */
	memset(id, 'a', sizeof id - 1);
	id[sizeof id - 1] = '\0';
	out = printed(id, "40", "15");
	assert_int_equal(count_lines(out), 2);
	assert_non_null(strstr(out, "the terminal has 40x15"));
	assert_non_null(strstr(out, id));
	free(out);
	out = printed("x\x1b[31m", "10", "5"); /* the text printed is cleaned */
	assert_null(strchr(out, 0x1b));
	free(out);
}

static void test_receipt(void **s)
{
	char out[QR_RECEIPT_MAX];
	int size;
	unsigned char *m;

	(void)s;
	/* RFC 4648's test vector "foobar" = 666f6f626172 -> MZXW6YTBOI (then the rest) */
	assert_int_equal(qr_receipt_text("K7Q2M4XAMZXW6YTBOI3DGNZUGQ", 12,
					 "666f6f6261720000000000000000000000000000000000000000000000000000ff",
					 out, sizeof out), 0);
	assert_string_equal(out, "GWR2:K7Q2M4XA:12:MZXW6YTBOIAAAAAAAAAAAAAAAA");
	assert_int_equal(qr_receipt_text("0123456789abcdef", 999999,
					 "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000000000000000000000000000",
					 out, sizeof out), 0);
	assert_string_equal(out, "GWR2:01234567:999999:77777777777777777777777774");
	assert_int_equal((int)strlen(out), 47); /* the most version 2 holds */
	m = qr_matrix(out, &size);
	assert_int_equal(size, 25); /* version 2 */
	free(m);
	assert_int_equal(qr_receipt_text("K7Q2M4XA", 1, "66zz", out, sizeof out), -1);
	assert_int_equal(qr_receipt_text("K7Q2M4XA", 1, "", out, sizeof out), -1);
	assert_int_equal(qr_receipt_text("K7Q2M4XA", 1, "666f6f626172000000000000000000000000", out, 10),
			 -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_fprint_fits),
		cmocka_unit_test(test_receipt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
