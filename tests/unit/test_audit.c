/* The signed merge log's heads: the text form parsed strictly, signatures checked, and
 * a witness that refuses a head cut or rewritten since the one it kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sync/audit.h"
#include "sync/keys.h"
#include "tests/unit/fixture.h"

struct two {
	struct tmp_ledger up, down; /* the witness and the ledger whose log it holds */
	struct sync_keys *k;        /* down's keys */
	struct sync_identity id;    /* down's identity */
};

static int setup(void **state)
{
	struct two *t = calloc(1, sizeof *t);

	assert_non_null(t);
	assert_int_equal(tmp_ledger_open(&t->up, "office", "District"), 0);
	assert_int_equal(tmp_ledger_open(&t->down, "office", "Sub"), 0);
	assert_int_equal(sync_keys_create(t->up.l), 0);
	assert_int_equal(sync_keys_create(t->down.l), 0);
	t->k = sync_keys_load(t->down.l);
	assert_non_null(t->k);
	assert_int_equal(sync_identity_self(t->down.l, &t->id), 0);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct two *t = *state;

	sync_keys_free(t->k);
	tmp_ledger_close(&t->up);
	tmp_ledger_close(&t->down);
	free(t);
	return 0;
}

static void log_n(struct two *t, int n)
{
	for (int i = 0; i < n; i++)
		assert_int_equal(audit_log(t->down.l, t->k, "dev", i + 1, NULL, "merged", "x"), 0);
}

static void head_round_trip(void **state)
{
	struct two *t = *state;
	struct audit_head h, back;
	char line[AUDIT_HEAD_MAX], dev[DEVICE_ID_MAX + 1];

	log_n(t, 2);
	assert_int_equal(audit_head_get(t->down.l, t->k, &h), 0);
	assert_int_equal(h.count, 2);
	audit_head_format(&h, t->id.id, line, sizeof line);
	assert_int_equal(audit_head_parse(line, &back, dev), 0);
	assert_string_equal(dev, t->id.id);
	assert_int_equal(back.count, 2);
	assert_string_equal(back.hash, h.hash);
	assert_memory_equal(back.sig, h.sig, sizeof h.sig);
	assert_int_equal(audit_head_check(&back, t->id.id, t->id.sign_pk), 0);
	back.count = 1; /* the signature covers the count */
	assert_int_not_equal(audit_head_check(&back, t->id.id, t->id.sign_pk), 0);
	assert_int_not_equal(audit_head_check(&h, "other", t->id.sign_pk), 0);
}

static void head_parse_strict(void **state)
{
	static const char *bad[] = {
		"",
		"gaswalk-loghead1:",
		"gaswalk-loghead2:D:1:" /* wrong magic */,
		"gaswalk-loghead1::1:0000000000000000000000000000000000000000000000000000000000000000:AA",
		"gaswalk-loghead1:D:-1:0000000000000000000000000000000000000000000000000000000000000000:AA",
		"gaswalk-loghead1:D:01:0000000000000000000000000000000000000000000000000000000000000000:AA",
		"gaswalk-loghead1:D:1:000000000000000000000000000000000000000000000000000000000000000:AA",
		"gaswalk-loghead1:D:1:000000000000000000000000000000000000000000000000000000000000000G:AA",
		"gaswalk-loghead1:D:1:0000000000000000000000000000000000000000000000000000000000000000:AA",
		"gaswalk-loghead1:D:1:0000000000000000000000000000000000000000000000000000000000000000",
		"gaswalk-loghead1:D:9999999999999999:0000000000000000000000000000000000000000000000000000000000000000:AA",
	};
	struct audit_head h;
	char dev[DEVICE_ID_MAX + 1];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_not_equal(audit_head_parse(bad[i], &h, dev), 0);
}

static void witness_refuses_cut_and_rewrite(void **state)
{
	struct two *t = *state;
	struct audit_head h3, h2, h4;
	char why[200];

	log_n(t, 3);
	assert_int_equal(audit_head_get(t->down.l, t->k, &h3), 0);
	assert_int_equal(audit_witness(t->up.l, t->id.id, t->id.sign_pk, &h3, why, sizeof why), 0);
	/* the same head again is fine; a head signed by another key is not */
	assert_int_equal(audit_witness(t->up.l, t->id.id, t->id.sign_pk, &h3, why, sizeof why), 0);
	h2 = h3;
	h2.sig[0] ^= 1;
	assert_int_equal(audit_witness(t->up.l, t->id.id, t->id.sign_pk, &h2, why, sizeof why), 1);
	assert_non_null(strstr(why, "not signed by its key"));
	/* cut: the last entry removed */
	assert_int_equal(ledger_exec(t->down.l, "DELETE FROM merge_log WHERE id = 3", 0, NULL), 0);
	assert_int_equal(audit_head_get(t->down.l, t->k, &h2), 0);
	assert_int_equal(audit_witness(t->up.l, t->id.id, t->id.sign_pk, &h2, why, sizeof why), 1);
	assert_non_null(strstr(why, "cut: its head counts 2 entries, 3 were witnessed"));
	/* rewritten: cut and extended to the same count again */
	log_n(t, 1);
	assert_int_equal(audit_head_get(t->down.l, t->k, &h2), 0);
	assert_int_equal(audit_witness(t->up.l, t->id.id, t->id.sign_pk, &h2, why, sizeof why), 1);
	assert_non_null(strstr(why, "rewritten: entry 3 differs"));
	/* further along: kept, and handed back */
	log_n(t, 1);
	assert_int_equal(audit_head_get(t->down.l, t->k, &h4), 0);
	assert_int_equal(audit_witness(t->up.l, t->id.id, t->id.sign_pk, &h4, why, sizeof why), 0);
	assert_int_equal(audit_witness_get(t->up.l, t->id.id, &h2), 0);
	assert_int_equal(h2.count, 4);
	assert_int_equal(audit_witness_get(t->up.l, "nobody", &h2), GW_ERR_NOTFOUND);
}

static void echo_and_verify(void **state)
{
	struct two *t = *state;
	struct audit_head h, other;
	struct audit_check c;
	char why[200];

	log_n(t, 3);
	assert_int_equal(audit_head_get(t->down.l, t->k, &h), 0);
	/* a head signed by another ledger is not echoed */
	other = h;
	other.sig[5] ^= 1;
	assert_int_equal(audit_echo(t->down.l, "up", &other, why, sizeof why), 1);
	assert_int_equal(audit_echo(t->down.l, "up", &h, why, sizeof why), 0);
	assert_int_equal(audit_verify(t->down.l, NULL, &c), 0);
	assert_int_equal(c.fault, AUDIT_OK);
	assert_int_equal(c.witnessed, 1);
	assert_string_equal(c.by, "up");
	assert_int_equal(c.count, 3);
	assert_int_equal(c.nsigned, 3);
	assert_int_equal(ledger_exec(t->down.l, "DELETE FROM merge_log WHERE id = 3", 0, NULL), 0);
	assert_int_equal(audit_verify(t->down.l, NULL, &c), 0);
	assert_int_equal(c.fault, AUDIT_CUT);
	log_n(t, 2);
	assert_int_equal(audit_verify(t->down.l, NULL, &c), 0);
	assert_int_equal(c.fault, AUDIT_REWRITTEN);
	assert_int_equal(c.bad_id, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(head_round_trip, setup, teardown),
		cmocka_unit_test(head_parse_strict),
		cmocka_unit_test_setup_teardown(witness_refuses_cut_and_rewrite, setup, teardown),
		cmocka_unit_test_setup_teardown(echo_and_verify, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
