/* The signed merge log's heads: the text form parsed strictly, signatures checked, and
 * a witness that refuses a head cut or rewritten since the one it kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sync/audit.h"
#include "sync/keys.h"
#include "sync/logproof.h"
#include "sync/merge.h"
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

/* Feeds down's entries after `from` and then its current head to a proof at up: 0
 * accepted, 1 refused (why). */
struct feed {
	struct audit_proof *p;
	char why[512];
	int refused;
};

static int feed_entry(void *ctx, const struct audit_entry *e, int ok)
{
	struct feed *f = ctx;

	(void)ok;
	if (!f->refused)
		f->refused = audit_proof_entry(f->p, e, f->why, sizeof f->why);
	return 0;
}

/* keep 2: the clerk accepted a roll-up held for its log (the witness re-based). */
static int prove_keep(struct two *t, int64_t from, const struct audit_head *head, char *why,
		      int keep)
{
	struct feed f = {NULL, "", 0};
	struct audit_head h;

	f.p = audit_proof_begin(t->up.l, t->id.id, t->id.sign_pk, keep);
	assert_non_null(f.p);
	if (from >= 0)
		assert_int_equal(audit_each_after(t->down.l, from, feed_entry, &f), 0);
	if (!head)
		assert_int_equal(audit_head_get(t->down.l, t->k, &h), 0);
	if (!f.refused)
		f.refused = audit_proof_end(f.p, head ? head : &h, f.why, sizeof f.why);
	assert_int_equal(audit_proof_held(f.p), f.refused == 2);
	audit_proof_free(f.p);
	strcpy(why, f.why);
	return f.refused;
}

static int prove(struct two *t, int64_t from, const struct audit_head *head, char *why)
{
	return prove_keep(t, from, head, why, 1);
}

/* The next step a held roll-up's line ends with. */
static void held_line(char *want, size_t n, const struct two *t, const char *what)
{
	snprintf(want, n, "%s; if %s restored its ledger from a backup, accept it with a reason; "
			  "otherwise reject it", what, t->id.id);
}

static int64_t witnessed(struct two *t)
{
	struct audit_head h;

	assert_int_equal(audit_witness_get(t->up.l, t->id.id, &h), 0);
	return h.count;
}

static void proof_extends_the_witness(void **state)
{
	struct two *t = *state;
	struct audit_head h3;
	char why[512], want[512], what[320];

	log_n(t, 3);
	/* nothing witnessed yet: the whole log, from entry 1 (held: a district restored from a
	 * backup older than the sub-office's echo) */
	assert_int_equal(prove(t, 1, NULL, why), 2);
	snprintf(what, sizeof what, "log of %s: entries 1..1 are not in the roll-up (no head of that "
				    "log is witnessed here yet)", t->id.id);
	held_line(want, sizeof want, t, what);
	assert_string_equal(why, want);
	assert_int_equal(prove(t, 0, NULL, why), 0);
	assert_int_equal(witnessed(t), 3);
	assert_int_equal(audit_head_get(t->down.l, t->k, &h3), 0);
	/* the same head again, with no entries or with all of them */
	assert_int_equal(prove(t, -1, &h3, why), 0);
	assert_int_equal(prove(t, 0, &h3, why), 0);
	/* a head signed by another key */
	h3.sig[0] ^= 1;
	assert_int_equal(prove(t, -1, &h3, why), 1);
	assert_non_null(strstr(why, "not signed by its key"));
	/* two more: from the echoed head, or from further back */
	log_n(t, 2);
	assert_int_equal(prove(t, 3, NULL, why), 0);
	assert_int_equal(witnessed(t), 5);
	log_n(t, 1);
	assert_int_equal(prove(t, 2, NULL, why), 0);
	assert_int_equal(witnessed(t), 6);
	/* the new entries left out */
	log_n(t, 2);
	assert_int_equal(prove(t, 7, NULL, why), 2);
	snprintf(what, sizeof what, "log of %s does not extend the head witnessed at 6: entries "
				    "7..7 are not in the roll-up", t->id.id);
	held_line(want, sizeof want, t, what);
	assert_string_equal(why, want);
	assert_int_equal(witnessed(t), 6);
	/* accepted by the clerk: the witness re-based on the head sent (its entries still
	 * chained and signed) */
	assert_int_equal(prove_keep(t, 7, NULL, why, 2), 0);
	assert_int_equal(witnessed(t), 8);
}

static void proof_refuses_cut_and_padded(void **state)
{
	struct two *t = *state;
	char why[512], want[512], what[320];

	log_n(t, 3);
	assert_int_equal(prove(t, 0, NULL, why), 0);
	/* the witnessed entry 3 cut, the log padded past it with signed entries */
	assert_int_equal(ledger_exec(t->down.l, "DELETE FROM merge_log WHERE id = 3", 0, NULL), 0);
	log_n(t, 4);
	snprintf(what, sizeof what, "log of %s does not extend the head witnessed at 3: its entry 3 "
				    "is not the one witnessed (the log was cut or rewritten after that "
				    "head went up)", t->id.id);
	held_line(want, sizeof want, t, what);
	/* held (2), not merged: the district's clerk decides */
	assert_int_equal(prove(t, 3, NULL, why), 2); /* from the echo */
	assert_string_equal(why, want);
	assert_int_equal(prove(t, 0, NULL, why), 2); /* the whole log */
	assert_string_equal(why, want);
	assert_int_equal(prove(t, 1, NULL, why), 2);
	assert_string_equal(why, want);
	/* only the head: the entries after the witnessed one are missing */
	assert_int_equal(prove(t, -1, NULL, why), 2);
	assert_non_null(strstr(why, "does not extend the head witnessed at 3: entries 4..6 are not in the roll-up; if "));
	/* cut below the witness */
	assert_int_equal(ledger_exec(t->down.l, "DELETE FROM merge_log WHERE id > 2", 0, NULL), 0);
	assert_int_equal(prove(t, 0, NULL, why), 2);
	assert_non_null(strstr(why, "does not extend the head witnessed at 3: its head counts 2 entries"));
	assert_int_equal(witnessed(t), 3);
	/* a broken link is refused (1) even when the clerk accepts: only the witness re-bases */
	log_n(t, 2);
	assert_int_equal(ledger_exec(t->down.l, "UPDATE merge_log SET prev_hash = hash WHERE id = 4", 0, NULL), 0);
	assert_int_equal(prove_keep(t, 0, NULL, why, 2), 1);
	assert_int_equal(witnessed(t), 3);
	/* the restored log accepted: re-based on its head, even below the old witness */
	assert_int_equal(ledger_exec(t->down.l, "DELETE FROM merge_log WHERE id > 2", 0, NULL), 0);
	assert_int_equal(prove_keep(t, 0, NULL, why, 2), 0);
	assert_int_equal(witnessed(t), 2);
	log_n(t, 1);
	assert_int_equal(prove(t, 2, NULL, why), 0);
	assert_int_equal(witnessed(t), 3);
}

static void proof_checks_each_entry(void **state)
{
	struct two *t = *state;
	char why[320];

	log_n(t, 3);
	assert_int_equal(prove(t, 0, NULL, why), 0);
	log_n(t, 2);
	/* an entry's detail edited (its signature is over the old hash) */
	assert_int_equal(ledger_exec(t->down.l, "UPDATE merge_log SET detail = 'y' WHERE id = 4", 0, NULL), 0);
	assert_int_equal(prove(t, 3, NULL, why), 1);
	assert_non_null(strstr(why, ": entry 4 is not signed by its key"));
	assert_int_equal(ledger_exec(t->down.l, "UPDATE merge_log SET detail = 'x' WHERE id = 4", 0, NULL), 0);
	/* unsigned after the witness */
	assert_int_equal(ledger_exec(t->down.l, "UPDATE merge_log SET sig = NULL WHERE id = 5", 0, NULL), 0);
	assert_int_equal(prove(t, 3, NULL, why), 1);
	assert_non_null(strstr(why, ": entry 5 is not signed"));
	/* a link broken */
	assert_int_equal(ledger_exec(t->down.l, "DELETE FROM merge_log WHERE id = 5", 0, NULL), 0);
	log_n(t, 1);
	assert_int_equal(ledger_exec(t->down.l, "UPDATE merge_log SET prev_hash = hash WHERE id = 5", 0, NULL), 0);
	assert_int_equal(prove(t, 3, NULL, why), 1);
	assert_non_null(strstr(why, ": entry 5 does not chain from entry 4"));
	assert_int_equal(witnessed(t), 3);
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

/* A roll-up written by hand by the sub-office (down) to the district (up): its log
 * entries and head when `proof`, else no merge-log record at all. */
static void write_rollup(struct two *t, const char *path, uint64_t seq, int proof)
{
	struct sync_identity up;
	struct bundle_header h;
	struct bundle_writer *w;
	char hash[BUNDLE_HASH_HEX];
	int64_t n;

	assert_int_equal(sync_identity_self(t->up.l, &up), 0);
	memset(&h, 0, sizeof h);
	h.kind = BUNDLE_VISITS;
	gw_strlcpy(h.sender, t->id.id, sizeof h.sender);
	gw_strlcpy(h.recipient, up.id, sizeof h.recipient);
	memcpy(h.sender_pk, t->k->sign_pk, SYNC_PK_BYTES);
	h.seq = seq;
	h.created_at = gw_now();
	assert_int_equal(bundle_writer_open(path, &h, up.box_pk, &w), 0);
	if (proof)
		assert_int_equal(logproof_put(t->down.l, t->k, w, up.id, &n), 0);
	assert_int_equal(bundle_writer_finish(w, 0, 0, 0, t->k, hash), 0);
}

static void rollup_must_carry_its_log(void **state)
{
	struct two *t = *state;
	struct sync_enrolment how = {"office", "Sub", "LSZ", NULL, 1700000000};
	struct sync_keys *upk = sync_keys_load(t->up.l);
	struct merge_report r;
	char path[128];

	assert_non_null(upk);
	assert_true(sync_enroll(t->up.l, &t->id, &how) >= 0);
	log_n(t, 2);
	snprintf(path, sizeof path, "%s/r1.gwb", t->down.dir);
	write_rollup(t, path, 1, 0);
	assert_int_equal(sync_merge(t->up.l, upk, path, 0, &r), 0);
	assert_int_equal(r.outcome, MERGE_REJECTED);
	assert_non_null(strstr(r.why, "r1.gwb: a roll-up without its sender's merge-log head"));
	assert_int_equal(audit_witness_get(t->up.l, t->id.id, &(struct audit_head){0}), GW_ERR_NOTFOUND);
	/* with its entries (the whole log: nothing echoed) and head: merged, witnessed */
	snprintf(path, sizeof path, "%s/r2.gwb", t->down.dir);
	write_rollup(t, path, 2, 1);
	assert_int_equal(sync_merge(t->up.l, upk, path, 0, &r), 0);
	assert_int_equal(r.outcome, MERGE_MERGED);
	assert_int_equal(witnessed(t), 2);
	/* merged again: already merged, the witness as it was */
	log_n(t, 1);
	assert_int_equal(sync_merge(t->up.l, upk, path, 0, &r), 0);
	assert_int_equal(r.outcome, MERGE_ALREADY);
	assert_int_equal(witnessed(t), 2);
	sync_keys_free(upk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(head_round_trip, setup, teardown),
		cmocka_unit_test(head_parse_strict),
		cmocka_unit_test_setup_teardown(proof_extends_the_witness, setup, teardown),
		cmocka_unit_test_setup_teardown(proof_refuses_cut_and_padded, setup, teardown),
		cmocka_unit_test_setup_teardown(proof_checks_each_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(echo_and_verify, setup, teardown),
		cmocka_unit_test_setup_teardown(rollup_must_carry_its_log, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
