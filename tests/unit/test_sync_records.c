/* export's direct visit writer (record_visit_line) against the jansson tree of
 * record_visit(): the same JSON value for plain, full and awkward visits, and the
 * same ISO times as the C library's gmtime_r() gives, across dates, offsets and leap
 * days (time_format_iso() computes them itself). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/util.h"
#include "sync/records.h"
#include "tests/unit/fixture.h"

static void same_json(const struct visit *v)
{
	size_t len;
	char *line = record_visit_line(v, &len);
	json_error_t err;
	json_t *want = record_visit(v), *got;

	assert_true(len > 1);
	assert_int_equal(line[len - 1], '\n');
	assert_null(memchr(line, '\n', len - 1));
	got = json_loadb(line, len - 1, JSON_REJECT_DUPLICATES, &err);
	if (!got || !json_equal(got, want)) {
		char *w = json_dumps(want, JSON_COMPACT);
		fprintf(stderr, "want %s\ngot  %.*s\n", w, (int)len, line);
		free(w);
		fail();
	}
	json_decref(got);
	json_decref(want);
	free(line);
}

static void test_plain(void **state)
{
	struct visit v;

	(void)state;
	fixture_visit(&v);
	same_json(&v);
	v.hose = HOSE_METAL;
	v.valve = DEV_OK;
	v.supply = SUPPLY_STOPPED;
	same_json(&v);
}

static void test_full(void **state)
{
	struct visit v;

	(void)state;
	fixture_visit(&v);
	v.role = ROLE_INSTALL;
	v.tz_minutes = 480;
	v.alarm = DEV_FAULTY;
	v.shutoff = DEV_ABSENT;
	gw_strlcpy(v.base.device, "fedcba9876543210", sizeof v.base.device);
	v.base.seq = 7;
	gw_strlcpy(v.carried.device, "0123456789abcdef", sizeof v.carried.device);
	v.carried.seq = 3;
	v.nhazards = 2;
	gw_strlcpy(v.hazards[0].code, "H06", sizeof v.hazards[0].code);
	v.hazards[0].grade = 2;
	gw_strlcpy(v.hazards[1].code, "H03", sizeof v.hazards[1].code);
	v.hazards[1].grade = 1;
	v.ninstalls = 1;
	v.installs[0].item = ITEM_VALVE;
	gw_strlcpy(v.installs[0].product, "V-STD", sizeof v.installs[0].product);
	gw_strlcpy(v.installs[0].serial, "SN \"2\"", sizeof v.installs[0].serial);
	v.installs[0].price_fen = 12050;
	v.nphotos = 2;
	gw_strlcpy(v.photos[0].name, "IMG 0001.jpg", sizeof v.photos[0].name);
	v.photos[0].size = 123456789012;
	memset(v.photos[0].hash, 'a', 64);
	gw_strlcpy(v.photos[1].name, "照片.jpg", sizeof v.photos[1].name);
	memset(v.photos[1].hash, '0', 64);
	same_json(&v);
}

static void test_awkward_text(void **state)
{
	struct visit v;

	(void)state;
	fixture_visit(&v);
	gw_strlcpy(v.note, "阀门后接口漏气 \"quoted\" back\\slash\nnew line\ttab\r\x01\x1f\x7f/ é 😀", sizeof v.note);
	gw_strlcpy(v.actor, "王师傅", sizeof v.actor);
	same_json(&v);
}

/* The reference: the C library's calendar and strftime. */
static void reference_iso(int64_t epoch, int tz_minutes, char *out, size_t outsz)
{
	time_t t = (time_t)(epoch + (int64_t)tz_minutes * 60);
	struct tm tm;
	int off = tz_minutes < 0 ? -tz_minutes : tz_minutes;
	size_t n;

	gmtime_r(&t, &tm);
	n = strftime(out, outsz, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, outsz - n, "%c%02d:%02d", tz_minutes < 0 ? '-' : '+', off / 60, off % 60);
}

static void test_times(void **state)
{
	static const int tz[] = {0, 480, -300, 330, -720, 840, 59, -1};
	struct visit v;

	(void)state;
	fixture_visit(&v);
	/* every 7 hours 13 minutes over 1969..2101, around leap days and year ends */
	for (int64_t t = -86400 * 366; t < INT64_C(4133980800); t += 7 * 3600 + 13 * 60 + 17) {
		v.at = t;
		v.tz_minutes = tz[(t / 1000) & 7];
		size_t len;
		char *line = record_visit_line(&v, &len), want[48], *at = strstr(line, "\"at\":\"");
		reference_iso(v.at, v.tz_minutes, want, sizeof want);
		assert_non_null(at);
		if (strncmp(at + 6, want, strlen(want)) != 0 || at[6 + strlen(want)] != '"')
			fail_msg("%lld %d: %.40s, want %s", (long long)t, v.tz_minutes, at + 6, want);
		free(line);
	}
	/* outside years 0..9999 the C library formats it */
	char got[48], want[48];
	time_format_iso(INT64_C(253402300800), 0, got, sizeof got);
	reference_iso(INT64_C(253402300800), 0, want, sizeof want);
	assert_string_equal(got, want);
	assert_string_equal(got, "10000-01-01T00:00:00+00:00");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_awkward_text),
		cmocka_unit_test(test_times),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
