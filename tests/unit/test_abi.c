/* What the ARM terminals must share with the office's amd64: 64-bit time_t and off_t
 * (armhf builds with _TIME_BITS=64 and _FILE_OFFSET_BITS=64), times after 2038 through
 * the local-time paths, and text code that does not depend on char's signedness.
 * 'make check-cross' runs it under qemu; 'make check' natively. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include "core/model.h"
#include "core/text.h"

static void test_64bit_time_and_offsets(void **s)
{
	(void)s;
	assert_int_equal(sizeof(time_t), 8);
	assert_int_equal(sizeof(off_t), 8);
	assert_true(sizeof(size_t) >= 4);
}

/* 2040-01-01T08:00+08:00 is 2208988800: past the 32-bit time_t limit of 2038-01-19. */
static void test_local_time_after_2038(void **s)
{
	int64_t t;
	int tz;
	char buf[40];

	(void)s;
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	assert_int_equal(time_parse_iso("2040-01-01T08:00", &t, &tz), 0);
	assert_int_equal(t, INT64_C(2208988800));
	assert_int_equal(tz, 480);
	assert_int_equal(time_local_offset(t), 480);
	time_format_iso(t, tz, buf, sizeof buf);
	assert_string_equal(buf, "2040-01-01T08:00:00+08:00");
	assert_int_equal(time_parse_iso("2038-01-19T03:14:08Z", &t, &tz), 0);
	assert_int_equal(t, INT64_C(2147483648));
	time_format_iso(t, 0, buf, sizeof buf);
	assert_string_equal(buf, "2038-01-19T03:14:08+00:00");
}

/* Bytes >= 0x80 read as negative chars on x86 and positive on ARM: same answers both. */
static void test_high_bytes_same_everywhere(void **s)
{
	uint32_t cp = 0;
	char out[64];

	(void)s;
	assert_int_equal(text_decode("\xe5\xbc\xa0", 3, &cp), 3);
	assert_int_equal(cp, 0x5F20); /* 张 */
	assert_int_equal(text_width("\xe5\xbc\xa0\xe4\xb8\x89"), 4);
	assert_false(text_valid_utf8("\xff\xfe", 2));
	assert_false(text_valid_utf8("\xc0\xaf", 2)); /* overlong '/' */
	assert_true(text_valid_utf8("\xe5\xbc\xa0", 3));
	text_clean("a\x9b" "31mb", out, sizeof out); /* C1 CSI must not reach a terminal */
	assert_null(strchr(out, '\x9b'));
	assert_int_equal(text_chars("\xe5\xbc\xa0\xe4\xb8\x89"), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_64bit_time_and_offsets),
		cmocka_unit_test(test_local_time_after_2038),
		cmocka_unit_test(test_high_bytes_same_everywhere),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
