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

/* A district with sub-office S (territory LSZ) and the relay of a roll-up from it. */
struct district {
	struct tmp_ledger t;
	struct sync_device s;
	struct relay *c;
};

static void district_open(struct district *d)
{
	struct keypair o;
	struct sync_identity id;
	struct sync_enrolment how = {"office", "Sub", "LSZ", NULL, 1700000000};
	struct household a = fixture_household("A1", CAT_RESIDENTIAL, GAS_PIPELINE);
	struct household x = fixture_household("X1", CAT_RESIDENTIAL, GAS_PIPELINE);
	enum upsert_result res;

	assert_int_equal(tmp_ledger_open(&d->t, "office", "District"), 0);
	keypair(&o);
	memset(&id, 0, sizeof id);
	gw_strlcpy(id.id, o.id, sizeof id.id);
	gw_strlcpy(id.kind, "office", sizeof id.kind);
	gw_strlcpy(id.name, "Sub", sizeof id.name);
	memcpy(id.sign_pk, o.pk, SYNC_PK_BYTES);
	memcpy(id.box_pk, o.box, SYNC_PK_BYTES);
	assert_true(sync_enroll(d->t.l, &id, &how) >= 0);
	assert_int_equal(sync_device_get(d->t.l, o.id, &d->s), 0);
	gw_strlcpy(a.subdistrict, "林山寨街道", sizeof a.subdistrict);
	gw_strlcpy(x.subdistrict, "建设路街道", sizeof x.subdistrict);
	assert_int_equal(household_upsert(d->t.l, &a, &res), 0);
	assert_int_equal(household_upsert(d->t.l, &x, &res), 0);
	assert_int_equal(relay_begin(d->t.l, &d->s, "hash", &d->c), 0);
}

static void district_close(struct district *d)
{
	relay_free(d->c);
	tmp_ledger_close(&d->t);
}

static int64_t count(struct ledger *l, const char *sql)
{
	sqlite3_stmt *st = ledger_stmt(l, sql);
	int64_t n;

	assert_non_null(st);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

static void households_in_territory(void **state)
{
	struct district d;
	struct household h = fixture_household("A1", CAT_RESIDENTIAL, GAS_PIPELINE);

	(void)state;
	district_open(&d);
	gw_strlcpy(h.subdistrict, "林山寨街道", sizeof h.subdistrict);
	gw_strlcpy(h.phone, "139", sizeof h.phone);
	assert_int_equal(relay_household(d.c, &h), 0); /* a change in its territory */
	assert_int_equal(count(d.t.l, "SELECT count(*) FROM household_attribution "
				      "WHERE account = 'A1' AND fields = 'phone'"), 1);
	gw_strlcpy(h.subdistrict, "建设路街道", sizeof h.subdistrict); /* moved out */
	assert_int_not_equal(relay_household(d.c, &h), 0);
	assert_int_equal(gw_last_status(), GW_ERR_REJECTED);
	assert_non_null(strstr(gw_error(), "household A1: office Sub (林山寨街道, LSZ) sends it in '建设路街道', outside its territory; its roll-up is refused whole. Next: that office corrects"));
	h = fixture_household("X1", CAT_RESIDENTIAL, GAS_PIPELINE); /* moved in */
	gw_strlcpy(h.subdistrict, "LSZ", sizeof h.subdistrict);
	assert_int_not_equal(relay_household(d.c, &h), 0);
	assert_non_null(strstr(gw_error(), "household X1 is in '建设路街道' here, but office Sub (林山寨街道, LSZ) sends it in 'LSZ'"));
	h = fixture_household("N1", CAT_RESIDENTIAL, GAS_PIPELINE); /* new, in it */
	gw_strlcpy(h.subdistrict, "LSZ", sizeof h.subdistrict);
	assert_int_equal(relay_household(d.c, &h), 0);
	assert_int_equal(count(d.t.l, "SELECT count(*) FROM household_attribution "
				      "WHERE account = 'N1' AND fields = 'new'"), 1);
	assert_int_equal(relay_resolution(d.c, "A1"), 0);
	assert_int_not_equal(relay_resolution(d.c, "X1"), 0);
	assert_non_null(strstr(gw_error(), "resolution of a conflict of household X1"));
	gw_clear_error();
	district_close(&d);
}

static void entries_in_territory(void **state)
{
	struct district d;
	struct visit *v = calloc(1, sizeof *v);

	(void)state;
	assert_non_null(v);
	district_open(&d);
	gw_strlcpy(v->id.device, d.s.ident.id, sizeof v->id.device);
	v->id.seq = 1;
	gw_strlcpy(v->account, "A1", sizeof v->account);
	gw_strlcpy(v->actor, "x", sizeof v->actor);
	v->role = ROLE_SPOT_CHECK; /* an office adds only self-checks, spot-checks and voids */
	v->at = 1700000000;
	assert_int_equal(visit_store(d.t.l, v), 0);
	assert_int_equal(relay_end(d.c), 0);
	v->id.seq = 2;
	gw_strlcpy(v->account, "X1", sizeof v->account);
	assert_int_equal(visit_store(d.t.l, v), 0);
	assert_int_not_equal(relay_end(d.c), 0);
	assert_int_equal(gw_last_status(), GW_ERR_REJECTED);
	assert_non_null(strstr(gw_error(), "/2: household X1 is in '建设路街道', outside the territory"));
	gw_clear_error();
	free(v);
	district_close(&d);
}

/* A terminal's visit outside its office's territory is kept (its feed goes on) but voided
 * here, so it is not counted; the office's own is refused (above). */
static void terminal_outside_kept_uncounted(void **state)
{
	struct district d;
	struct visit *v = calloc(1, sizeof *v), *got = calloc(1, sizeof *got);
	struct visit_void w;

	(void)state;
	assert_non_null(v);
	assert_non_null(got);
	district_open(&d);
	gw_strlcpy(v->id.device, "TERMINALAAAAAAAAAAAAAAAAAA", sizeof v->id.device);
	v->id.seq = 1;
	gw_strlcpy(v->account, "X1", sizeof v->account);
	gw_strlcpy(v->actor, "x", sizeof v->actor);
	v->at = 1700000000;
	assert_int_equal(visit_store(d.t.l, v), 0);
	assert_int_equal(relay_end(d.c), 0);
	assert_int_equal(relay_outside(d.c), 1);
	assert_int_equal(visit_get(d.t.l, &v->id, got), 0);
	assert_true(got->voided);
	assert_int_equal(void_get_for(d.t.l, &v->id, &w), 1);
	assert_string_equal(w.id.device, ledger_device_id(d.t.l));
	assert_non_null(strstr(w.reason, "outside the territory of office "));
	assert_int_equal(relay_end(d.c), 0); /* voided already: not again */
	assert_int_equal(relay_outside(d.c), 1);
	free(v);
	free(got);
	district_close(&d);
}

/* A sub-office's own territory for its roll-ups: its meta subdistrict, none at a district. */
static void own_territory(void **state)
{
	struct tmp_ledger t;
	struct territory terr;

	(void)state;
	assert_int_equal(tmp_ledger_open(&t, "office", "S"), 0);
	assert_int_equal(territory_own(t.l, &terr), 0); /* no subdistrict given */
	assert_int_equal(ledger_meta_set(t.l, "subdistrict", "LSZ"), 0);
	assert_int_equal(territory_own(t.l, &terr), 1);
	assert_string_equal(terr.code, "LSZ");
	assert_string_equal(terr.name, "林山寨街道");
	assert_int_equal(ledger_meta_set(t.l, "level", "district"), 0);
	assert_int_equal(territory_own(t.l, &terr), 0);
	tmp_ledger_close(&t);
}

static void a_terminal_is_no_office(void **state)
{
	struct district d;
	struct household h = fixture_household("A1", CAT_RESIDENTIAL, GAS_PIPELINE);
	struct relay *c;

	(void)state;
	district_open(&d);
	gw_strlcpy(d.s.ident.kind, "terminal", sizeof d.s.ident.kind);
	assert_int_equal(relay_begin(d.t.l, &d.s, "h", &c), 0);
	assert_int_not_equal(relay_household(c, &h), 0);
	assert_int_not_equal(relay_record(c, "enrolment", "gaswalk-enrol1:x"), 0);
	assert_int_equal(relay_end(c), 0);
	gw_clear_error();
	relay_free(c);
	district_close(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(enrolment_round_trip),
		cmocka_unit_test(enrolment_parse_strict),
		cmocka_unit_test(territory_names),
		cmocka_unit_test(households_in_territory),
		cmocka_unit_test(entries_in_territory),
		cmocka_unit_test(terminal_outside_kept_uncounted),
		cmocka_unit_test(own_territory),
		cmocka_unit_test(a_terminal_is_no_office),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
