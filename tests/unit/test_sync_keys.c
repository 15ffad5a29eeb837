/* Identity lines, fingerprints, photo names, QR matrices. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/util.h"
#include "sync/keys.h"
#include "sync/qr.h"
#include "sync/records.h"

static void sample(struct sync_identity *id)
{
	memset(id, 0, sizeof *id);
	gw_strlcpy(id->id, "0123456789abcdef", sizeof id->id);
	gw_strlcpy(id->kind, "terminal", sizeof id->kind);
	gw_strlcpy(id->name, "终端 1: 100%", sizeof id->name);
	for (int i = 0; i < SYNC_PK_BYTES; i++) {
		id->sign_pk[i] = (unsigned char)i;
		id->box_pk[i] = (unsigned char)(255 - i);
	}
}

static void test_identity_round_trip(void **state)
{
	struct sync_identity a, b;
	char line[SYNC_ID_LINE_MAX];

	(void)state;
	sample(&a);
	sync_identity_format(&a, line, sizeof line);
	assert_non_null(strstr(line, "gaswalk-id1:0123456789abcdef:terminal:终端%201%3A%20100%25:"));
	assert_int_equal(sync_identity_parse(line, &b), 0);
	assert_string_equal(b.name, a.name);
	assert_string_equal(b.kind, "terminal");
	assert_memory_equal(b.sign_pk, a.sign_pk, SYNC_PK_BYTES);
	assert_memory_equal(b.box_pk, a.box_pk, SYNC_PK_BYTES);
}

static void test_identity_rejects(void **state)
{
	struct sync_identity a, b;
	char line[SYNC_ID_LINE_MAX], bad[SYNC_ID_LINE_MAX + 16];

	(void)state;
	sample(&a);
	sync_identity_format(&a, line, sizeof line);
	assert_int_equal(sync_identity_parse("gaswalk-id1:xyz", &b), -1);
	assert_int_equal(sync_identity_parse("", &b), -1);
	memcpy(bad, line, sizeof line);
	bad[12] = 'G'; /* not hex */
	assert_int_equal(sync_identity_parse(bad, &b), -1);
	snprintf(bad, sizeof bad, "%s:extra", line);
	assert_int_equal(sync_identity_parse(bad, &b), -1);
	snprintf(bad, sizeof bad, "%.*s", (int)strlen(line) - 1, line); /* key one char short */
	assert_int_equal(sync_identity_parse(bad, &b), -1);
	assert_int_equal(sync_identity_parse("gaswalk-id1:0123456789abcdef:robot:x:AA:AA", &b), -1);
	assert_int_equal(sync_identity_parse("gaswalk-id1:0123456789abcdef:office:%0:AA:AA", &b), -1);
}

static void test_fingerprint(void **state)
{
	struct sync_identity a;
	char f1[SYNC_FPR_MAX], f2[SYNC_FPR_MAX];

	(void)state;
	sample(&a);
	sync_init();
	sync_fingerprint(a.sign_pk, f1);
	assert_int_equal(strlen(f1), 19);
	assert_int_equal(f1[4], '-');
	a.sign_pk[0] ^= 1;
	sync_fingerprint(a.sign_pk, f2);
	assert_string_not_equal(f1, f2);
}

static void test_photo_names(void **state)
{
	(void)state;
	assert_true(record_photo_name_ok("IMG_0001.jpg"));
	assert_true(record_photo_name_ok("照片 1.jpg"));
	assert_false(record_photo_name_ok(""));
	assert_false(record_photo_name_ok("../x.jpg"));
	assert_false(record_photo_name_ok("a/b.jpg"));
	assert_false(record_photo_name_ok("a\\b.jpg"));
	assert_false(record_photo_name_ok(".."));
	assert_false(record_photo_name_ok(".hidden"));
	assert_false(record_photo_name_ok("a\nb"));
}

static void test_qr(void **state)
{
	int size, n, dark = 0;
	unsigned char *m = qr_matrix("gaswalk-receipt1:0123456789abcdef:1:2:0:0:00", &size);
	char **lines;

	(void)state;
	assert_non_null(m);
	assert_true(size >= 21 && (size - 17) % 4 == 0);
	for (int i = 0; i < size * size; i++) {
		assert_true(m[i] <= 1);
		dark += m[i];
	}
	assert_int_equal(m[0], 1); /* finder pattern corner */
	assert_true(dark > size && dark < size * size);
	lines = qr_lines("x", &n);
	assert_non_null(lines);
	assert_int_equal(n, (21 + 2 * QR_QUIET + 1) / 2);
	assert_null(lines[n]);
	qr_lines_free(lines);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity_round_trip), cmocka_unit_test(test_identity_rejects),
		cmocka_unit_test(test_fingerprint), cmocka_unit_test(test_photo_names),
		cmocka_unit_test(test_qr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
