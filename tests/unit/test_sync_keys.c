/* Identity lines (self-signed, ids derived from keys), fingerprints, photo names, QR matrices. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/util.h"
#include "sync/keys.h"
#include "sync/qr.h"
#include "sync/records.h"

static unsigned char sample_sk[SYNC_SIGN_SK_BYTES];

/* A signed identity of a real key pair. */
static void sample(struct sync_identity *id)
{
	unsigned char seed[32];

	sync_init();
	memset(id, 0, sizeof *id);
	for (int i = 0; i < 32; i++)
		seed[i] = (unsigned char)(7 * i);
	crypto_sign_seed_keypair(id->sign_pk, sample_sk, seed);
	for (int i = 0; i < SYNC_PK_BYTES; i++)
		id->box_pk[i] = (unsigned char)(255 - i);
	sync_device_id(id->sign_pk, id->id);
	gw_strlcpy(id->kind, "terminal", sizeof id->kind);
	gw_strlcpy(id->name, "终端 1: 100%", sizeof id->name);
	sync_identity_sign(id, sample_sk);
}

static void test_identity_round_trip(void **state)
{
	struct sync_identity a, b;
	char line[SYNC_ID_LINE_MAX], head[128];

	(void)state;
	sample(&a);
	sync_identity_format(&a, line, sizeof line);
	snprintf(head, sizeof head, "gaswalk-id2:%s:terminal:终端%%201%%3A%%20100%%25:", a.id);
	assert_true(strncmp(line, head, strlen(head)) == 0);
	assert_int_equal(sync_identity_parse(line, &b), 0);
	assert_string_equal(b.id, a.id);
	assert_string_equal(b.name, a.name);
	assert_string_equal(b.kind, "terminal");
	assert_memory_equal(b.sign_pk, a.sign_pk, SYNC_PK_BYTES);
	assert_memory_equal(b.box_pk, a.box_pk, SYNC_PK_BYTES);
}

/* One character of a valid line changed at position i must make it fail. */
static void flip_fails(const char *line, size_t i)
{
	char bad[SYNC_ID_LINE_MAX];
	struct sync_identity b;

	gw_strlcpy(bad, line, sizeof bad);
	bad[i] = bad[i] == 'A' ? 'B' : 'A';
	assert_int_equal(sync_identity_parse(bad, &b), -1);
}

static void test_identity_rejects(void **state)
{
	struct sync_identity a, b;
	char line[SYNC_ID_LINE_MAX], bad[SYNC_ID_LINE_MAX + 16];

	(void)state;
	sample(&a);
	sync_identity_format(&a, line, sizeof line);
	assert_int_equal(sync_identity_parse("gaswalk-id2:xyz", &b), -1);
	assert_int_equal(sync_identity_parse("", &b), -1);
	snprintf(bad, sizeof bad, "%s:extra", line);
	assert_int_equal(sync_identity_parse(bad, &b), -1);
	snprintf(bad, sizeof bad, "%.*s", (int)strlen(line) - 1, line); /* signature one char short */
	assert_int_equal(sync_identity_parse(bad, &b), -1);
	for (size_t i = 12; i < strlen(line); i += 7) /* any change anywhere is refused */
		flip_fails(line, i);
	/* the kind changed from terminal to office: the signature no longer verifies */
	gw_strlcpy(a.kind, "office", sizeof a.kind);
	sync_identity_format(&a, bad, sizeof bad);
	assert_int_equal(sync_identity_parse(bad, &b), -1);
	assert_non_null(strstr(gw_error(), "signature does not verify"));
	/* another device's id with this key, even re-signed: the id is not the key's */
	sample(&a);
	memcpy(a.id, "AAAAAAAAAAAAAAAAAAAAAAAAAA", SYNC_ID_CHARS);
	sync_identity_sign(&a, sample_sk);
	sync_identity_format(&a, bad, sizeof bad);
	assert_int_equal(sync_identity_parse(bad, &b), -1);
	assert_non_null(strstr(gw_error(), "is not the one its key gives"));
	/* format 1 lines are named as such */
	assert_int_equal(sync_identity_parse("gaswalk-id1:0123456789abcdef:office:x:AA:AA", &b), -1);
	assert_non_null(strstr(gw_error(), "older gaswalk"));
}

static void test_device_id(void **state)
{
	unsigned char pk[SYNC_PK_BYTES];
	char id[SYNC_FPR_MAX], f[SYNC_FPR_MAX], n[SYNC_FPR_MAX];

	(void)state;
	for (int i = 0; i < SYNC_PK_BYTES; i++)
		pk[i] = (unsigned char)i;
	/* known answer: base32(BLAKE2b-256("gaswalk device id v1\0" || 00..1f)[0..16)),
	 * computed with Python's hashlib */
	sync_device_id(pk, id);
	assert_string_equal(id, "CIXP3R67K2KPMYCYE2LARTR2QY");
	sync_fingerprint(pk, f);
	assert_string_equal(f, id);
	assert_true(sync_device_id_ok(id, strlen(id)));
	assert_true(sync_device_id_ok("0123456789abcdef", 16)); /* legacy */
	assert_false(sync_device_id_ok("0123456789ABCDEF", 16));
	assert_false(sync_device_id_ok("CIXP3R67K2KPMYCYE2LARTR2Q1", 26)); /* 1 is not base32 */
	assert_false(sync_device_id_ok("CIXP3R67K2KPMYCYE2LARTR2QZ", 26)); /* padding bits set */
	assert_int_equal(sync_fingerprint_norm("cixp3r67-k2kpmyc ye2lartr2qy", n), 0);
	assert_string_equal(n, id);
	assert_int_equal(sync_fingerprint_norm("CIXP3R67K2KPMYCYE2LARTR2QYA", n), -1);
	assert_int_equal(sync_fingerprint_norm("ab12-cd34-ef56-7890", n), -1);
	pk[0] ^= 1;
	sync_device_id(pk, f);
	assert_string_not_equal(f, id);
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
		cmocka_unit_test(test_device_id), cmocka_unit_test(test_photo_names),
		cmocka_unit_test(test_qr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
