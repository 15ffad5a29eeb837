/* Relayed evidence: the office's signed enrolment of a terminal, parsed strictly and
 * checked; territories; a relayed feed's key accepted only for a terminal the sending
 * office enrolled. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>

#include "sync/keys.h"
#include "sync/relay.h"
#include "sync/territory.h"
#include "tests/unit/fixture.h"

struct keypair {
	unsigned char pk[SYNC_PK_BYTES], sk[64], box[SYNC_PK_BYTES];
	char id[SYNC_ID_CHARS + 1];
};

static void keypair(struct keypair *k)
{
	sync_init();
	crypto_sign_keypair(k->pk, k->sk);
	randombytes_buf(k->box, sizeof k->box);
	sync_device_id(k->pk, k->id);
}

/* An enrolment of terminal t by office o, signed by o. */
static void make_enrolment(const struct keypair *o, const struct keypair *t, const char *name,
			   char *out, size_t outsz)
{
	struct relay_enrolment e;
	char body[RELAY_TEXT_MAX], *sig;

	memset(&e, 0, sizeof e);
	gw_strlcpy(e.office, o->id, sizeof e.office);
	gw_strlcpy(e.device, t->id, sizeof e.device);
	memcpy(e.sign_pk, t->pk, SYNC_PK_BYTES);
	memcpy(e.box_pk, t->box, SYNC_PK_BYTES);
	gw_strlcpy(e.name, name, sizeof e.name);
	e.at = 1700000000;
	relay_enrolment_format(&e, body, sizeof body); /* signature of zeros, cut off below */
	sig = strrchr(body, ':');
	*sig = '\0';
	crypto_sign_detached(e.sig, NULL, (const unsigned char *)body, strlen(body), o->sk);
	relay_enrolment_format(&e, out, outsz);
}

static void enrolment_round_trip(void **state)
{
	struct keypair o, t, other;
	struct relay_enrolment e;
	char text[RELAY_TEXT_MAX];

	(void)state;
	keypair(&o);
	keypair(&t);
	keypair(&other);
	make_enrolment(&o, &t, "终端:01", text, sizeof text);
	assert_int_equal(relay_enrolment_parse(text, &e), 0);
	assert_string_equal(e.office, o.id);
	assert_string_equal(e.device, t.id);
	assert_string_equal(e.name, "终端:01");
	assert_int_equal(e.at, 1700000000);
	assert_memory_equal(e.sign_pk, t.pk, SYNC_PK_BYTES);
	assert_int_equal(relay_enrolment_check(&e, o.pk), 0);
	assert_int_not_equal(relay_enrolment_check(&e, other.pk), 0); /* not the office's */
	e.at++;
	assert_int_not_equal(relay_enrolment_check(&e, o.pk), 0); /* signature covers the time */
	e.at--;
	memcpy(e.sign_pk, other.pk, SYNC_PK_BYTES); /* the id is not the key's */
	assert_int_not_equal(relay_enrolment_check(&e, o.pk), 0);
}

static void enrolment_parse_strict(void **state)
{
	struct keypair o, t;
	struct relay_enrolment e;
	char text[RELAY_TEXT_MAX], bad[RELAY_TEXT_MAX + 8];

	(void)state;
	keypair(&o);
	keypair(&t);
	make_enrolment(&o, &t, "T", text, sizeof text);
	snprintf(bad, sizeof bad, "gaswalk-enrol2%s", text + 14);
	assert_int_not_equal(relay_enrolment_parse(bad, &e), 0);
	snprintf(bad, sizeof bad, "%s:", text); /* a field too many */
	assert_int_not_equal(relay_enrolment_parse(bad, &e), 0);
	gw_strlcpy(bad, text, sizeof bad);
	*strrchr(bad, ':') = '\0'; /* no signature */
	assert_int_not_equal(relay_enrolment_parse(bad, &e), 0);
	assert_int_not_equal(relay_enrolment_parse("", &e), 0);
	assert_int_not_equal(relay_enrolment_parse("gaswalk-enrol1:::::::", &e), 0);
	gw_clear_error();
}

static void territory_names(void **state)
{
	struct tmp_ledger t;
	struct territory terr;
	struct sync_device office;

	(void)state;
	assert_int_equal(tmp_ledger_open(&t, "office", "District"), 0);
	memset(&office, 0, sizeof office);
	gw_strlcpy(office.ident.id, "X", sizeof office.ident.id);
	assert_int_not_equal(territory_of(t.l, &office, &terr), 0); /* none given */
	gw_clear_error();
	gw_strlcpy(office.subdistrict, "LSZ", sizeof office.subdistrict);
	assert_int_equal(territory_of(t.l, &office, &terr), 0);
	assert_string_equal(terr.name, "林山寨街道");
	assert_true(territory_has(&terr, "LSZ"));
	assert_true(territory_has(&terr, "林山寨街道"));
	assert_false(territory_has(&terr, "建设路街道"));
	assert_false(territory_has(&terr, ""));
	tmp_ledger_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(enrolment_round_trip),
		cmocka_unit_test(enrolment_parse_strict),
		cmocka_unit_test(territory_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
