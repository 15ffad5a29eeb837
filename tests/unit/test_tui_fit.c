/* Names fitted keeping their end: a compound's distinguishing tail, a camera file's
 * sequence number; widths in columns, Chinese two each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <string.h>

#include "core/text.h"
#include "tui/internal.h"

static void test_tail(void **state)
{
	char out[256];

	(void)state;
	text_fit_tail("国棉三厂生活区东院（原纺织机械厂家属院）", 13, out, sizeof out);
	assert_string_equal(out, "…械厂家属院）"); /* the ellipsis takes one column */
	assert_true(text_width(out) <= 13);
	text_fit_tail("东院", 13, out, sizeof out);
	assert_string_equal(out, "东院"); /* fits: unchanged */
	text_fit_tail("A-101-102", 6, out, sizeof out);
	assert_string_equal(out, "…1-102");
	text_fit_tail("abc", 0, out, sizeof out);
	assert_string_equal(out, "");
	text_fit_tail("a\x1b[31mb", 20, out, sizeof out); /* cleaned first */
	assert_null(strchr(out, '\x1b'));
}

static void test_middle(void **state)
{
	char out[256];

	(void)state;
	text_fit_middle("IMG_20231201_101112_BURST0042.jpg", 24, 12, out, sizeof out);
	assert_int_equal(text_width(out), 24);
	assert_non_null(strstr(out, "URST0042.jpg")); /* the last 12 columns: the shot */
	assert_int_equal(strncmp(out, "IMG_2023", 8), 0);
	assert_non_null(strstr(out, "\xe2\x80\xa6"));
	text_fit_middle("IMG_0001.jpg", 24, 12, out, sizeof out);
	assert_string_equal(out, "IMG_0001.jpg");
	text_fit_middle("照片照片照片照片照片照片照片照片.jpg", 20, 12, out, sizeof out);
	assert_true(text_width(out) <= 20);
	assert_non_null(strstr(out, ".jpg"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tail),
		cmocka_unit_test(test_middle),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
