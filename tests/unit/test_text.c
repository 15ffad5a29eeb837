/* Display width, neutralising and fitting of UTF-8 text; ISO 8601 times. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "core/text.h"

static void test_width(void **s)
{
	(void)s;
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width("张三"), 4);
	assert_int_equal(text_width("a张b"), 4);
	assert_int_equal(text_width("（）"), 4);
	assert_int_equal(text_width("e\xCC\x81"), 1); /* combining acute */
}

static void test_clean_neutralises_escapes(void **s)
{
	char out[64];

	(void)s;
	text_clean("A\x1b[31mB\x07", out, sizeof out);
	assert_null(strchr(out, 0x1b));
	assert_string_equal(out, "A^[[31mB^G");
	text_clean("x\xC2\x9By", out, sizeof out); /* C1 CSI */
	assert_string_equal(out, "x\xEF\xBF\xBDy");
	text_clean("bad\xFF", out, sizeof out);
	assert_string_equal(out, "bad\xEF\xBF\xBD");
	text_clean("\xE2\x80\xAE" "evil", out, sizeof out); /* right-to-left override */
	assert_string_equal(out, "\xEF\xBF\xBD" "evil");
}

static void test_fit_never_halves_wide(void **s)
{
	char out[64];

	(void)s;
	text_fit("张三丰", 5, 0, out, sizeof out);
	assert_string_equal(out, "张三…");
	assert_int_equal(text_width(out), 5);
	text_fit("张三丰", 4, 0, out, sizeof out);
	assert_string_equal(out, "张…");
	assert_true(text_width(out) <= 4);
	text_fit("张三丰", 6, 0, out, sizeof out);
	assert_string_equal(out, "张三丰");
	text_fit("ab", 5, 1, out, sizeof out);
	assert_string_equal(out, "ab   ");
	text_fit("张三丰", 4, 1, out, sizeof out);
	assert_int_equal(text_width(out), 4);
	text_fit("abc", 0, 1, out, sizeof out);
	assert_string_equal(out, "");
}

static void test_fit_small_buffer_never_splits(void **s)
{
	char out[5];

	(void)s;
	text_fit("张三丰", 40, 0, out, sizeof out);
	assert_string_equal(out, "张");
}

static void test_valid_utf8(void **s)
{
	(void)s;
	assert_true(text_valid_utf8("张三", 6));
	assert_false(text_valid_utf8("\xC0\x80", 2)); /* overlong */
	assert_false(text_valid_utf8("\xED\xA0\x80", 3)); /* surrogate */
	assert_false(text_valid_utf8("\xE5\xBC", 2)); /* truncated */
	assert_int_equal(text_chars("张三ab"), 4);
}

static void test_iso_times(void **s)
{
	int64_t t;
	int tz;
	char buf[40];

	(void)s;
	assert_int_equal(time_parse_iso("2023-10-31T10:00:00+08:00", &t, &tz), 0);
	assert_int_equal(t, 1698717600);
	assert_int_equal(tz, 480);
	time_format_iso(t, tz, buf, sizeof buf);
	assert_string_equal(buf, "2023-10-31T10:00:00+08:00");
	assert_int_equal(time_parse_iso("2023-10-31T02:00Z", &t, &tz), 0);
	assert_int_equal(t, 1698717600);
	setenv("TZ", "Asia/Shanghai", 1);
	assert_int_equal(time_parse_iso("2023-10-31 10:00", &t, &tz), 0);
	assert_int_equal(t, 1698717600);
	assert_int_equal(tz, 480);
	assert_int_equal(time_parse_day_end("2023-10-31", &t), 0);
	assert_int_equal(t, 1698767999);
	assert_int_equal(time_parse_iso("2023-02-30", &t, &tz), -1);
	assert_int_equal(time_parse_iso("2023-10-31T25:00", &t, &tz), -1);
	assert_int_equal(time_parse_iso("yesterday", &t, &tz), -1);
	assert_int_equal(time_parse_iso("2023-10-31T10:00+99", &t, &tz), -1);
}

static void test_enum_names_round_trip(void **s)
{
	(void)s;
	for (int i = 0; i < OUT__N; i++)
		assert_int_equal(outcome_parse(outcome_name((enum outcome)i)), i);
	for (int i = 0; i < ROLE__N; i++)
		assert_int_equal(role_parse(role_name((enum role)i)), i);
	assert_int_equal(outcome_parse("not-home"), OUT_NOT_HOME);
	assert_int_equal(hose_parse("non-metal"), HOSE_NON_METAL);
	assert_int_equal(devstate_parse("na"), DEV_NA);
	assert_int_equal(devstate_parse("maybe"), -1);
	assert_null(hose_name(HOSE_UNKNOWN));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_clean_neutralises_escapes),
		cmocka_unit_test(test_fit_never_halves_wide),
		cmocka_unit_test(test_fit_small_buffer_never_splits),
		cmocka_unit_test(test_valid_utf8),
		cmocka_unit_test(test_iso_times),
		cmocka_unit_test(test_enum_names_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
