/* The plan's table, row by row, and every outcome of the fold. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/rules.h"
#include "core/util.h"

static struct household make_hh(enum category c, enum gas g, int new_build)
{
	struct household h;

	memset(&h, 0, sizeof h);
	gw_strlcpy(h.account, "A1", sizeof h.account);
	h.category = c;
	h.gas = g;
	h.new_build = new_build;
	if (c == CAT_NON_RESIDENTIAL)
		gw_strlcpy(h.sector, "catering", sizeof h.sector);
	return h;
}

static struct visit make_visit(const char *dev, int64_t seq, int64_t at, enum outcome o)
{
	struct visit v;

	memset(&v, 0, sizeof v);
	gw_strlcpy(v.id.device, dev, sizeof v.id.device);
	v.id.seq = seq;
	gw_strlcpy(v.account, "A1", sizeof v.account);
	v.at = at;
	v.outcome = o;
	v.role = ROLE_INSPECT;
	return v;
}

struct row {
	enum category c;
	enum gas g;
	int new_build;
	enum need hose, valve, alarm, shutoff;
};

/* plan/README.md, "Who has to have what" */
static const struct row plan_rows[] = {
	{CAT_NON_RESIDENTIAL, GAS_PIPELINE, 0, NEED_REQUIRED, NEED_NONE, NEED_REQUIRED, NEED_REQUIRED},
	{CAT_NON_RESIDENTIAL, GAS_LPG, 0, NEED_REQUIRED, NEED_NONE, NEED_REQUIRED, NEED_REQUIRED},
	{CAT_RESIDENTIAL, GAS_PIPELINE, 1, NEED_REQUIRED, NEED_REQUIRED, NEED_ENCOURAGED, NEED_NONE},
	{CAT_RESIDENTIAL, GAS_PIPELINE, 0, NEED_REQUIRED, NEED_REQUIRED, NEED_ENCOURAGED, NEED_NONE},
	{CAT_RESIDENTIAL, GAS_LPG, 0, NEED_REQUIRED, NEED_NONE, NEED_ENCOURAGED, NEED_NONE},
};

static void check_row(const struct row *r)
{
	assert_int_equal(rules_need(r->c, r->g, r->new_build, ITEM_HOSE), r->hose);
	assert_int_equal(rules_need(r->c, r->g, r->new_build, ITEM_VALVE), r->valve);
	assert_int_equal(rules_need(r->c, r->g, r->new_build, ITEM_ALARM), r->alarm);
	assert_int_equal(rules_need(r->c, r->g, r->new_build, ITEM_SHUTOFF), r->shutoff);
}

static void test_row_nonres_pipeline(void **s) { (void)s; check_row(&plan_rows[0]); }
static void test_row_nonres_lpg(void **s) { (void)s; check_row(&plan_rows[1]); }
static void test_row_res_new_build(void **s) { (void)s; check_row(&plan_rows[2]); }
static void test_row_res_existing(void **s) { (void)s; check_row(&plan_rows[3]); }
static void test_row_res_lpg(void **s) { (void)s; check_row(&plan_rows[4]); }

/* A household with everything the row requires, observed in one visit, is compliant;
 * take any one required item away and it is pending with that item missing. */
static void test_rows_compliance(void **s)
{
	(void)s;
	for (size_t r = 0; r < sizeof plan_rows / sizeof plan_rows[0]; r++) {
		struct household h = make_hh(plan_rows[r].c, plan_rows[r].g, plan_rows[r].new_build);
		struct visit v = make_visit("d1", 1, 1000, OUT_ENTERED);
		struct status st;

		v.hose = HOSE_METAL;
		v.valve = v.alarm = v.shutoff = DEV_OK;
		rules_fold(&h, &v, 1, &st);
		assert_int_equal(st.state, ST_COMPLIANT);
		for (int it = 0; it < ITEM__N; it++) {
			if (rules_need(h.category, h.gas, h.new_build, (enum item)it) != NEED_REQUIRED)
				continue;
			struct visit w = v;
			if (it == ITEM_HOSE)
				w.hose = HOSE_NON_METAL;
			else if (it == ITEM_VALVE)
				w.valve = DEV_ABSENT;
			else if (it == ITEM_ALARM)
				w.alarm = DEV_FAULTY;
			else
				w.shutoff = DEV_ABSENT;
			rules_fold(&h, &w, 1, &st);
			assert_int_equal(st.state, ST_PENDING);
			assert_int_equal(st.missing, 1u << it);
		}
	}
}

static void test_encouraged_never_blocks(void **s)
{
	struct household h = make_hh(CAT_RESIDENTIAL, GAS_LPG, 0);
	struct visit v = make_visit("d1", 1, 1000, OUT_ENTERED);
	struct status st;

	(void)s;
	v.hose = HOSE_METAL;
	v.alarm = DEV_ABSENT;
	rules_fold(&h, &v, 1, &st);
	assert_int_equal(st.state, ST_COMPLIANT);
}

static void test_hard_piped_counts_as_metal(void **s)
{
	struct household h = make_hh(CAT_RESIDENTIAL, GAS_LPG, 0);
	struct visit v = make_visit("d1", 1, 1000, OUT_ENTERED);
	struct status st;

	(void)s;
	v.hose = HOSE_NONE;
	rules_fold(&h, &v, 1, &st);
	assert_int_equal(st.state, ST_COMPLIANT);
}

static void test_outcome_never_reached(void **s)
{
	struct household h = make_hh(CAT_RESIDENTIAL, GAS_PIPELINE, 0);
	struct status st;

	(void)s;
	rules_fold(&h, NULL, 0, &st);
	assert_int_equal(st.state, ST_NEVER_REACHED);
	assert_int_equal(st.last_outcome, -1);
}

static void test_outcome_not_home_stays_pending(void **s)
{
	struct household h = make_hh(CAT_RESIDENTIAL, GAS_PIPELINE, 0);
	struct visit v = make_visit("d1", 1, 1000, OUT_NOT_HOME);
	struct status st;

	(void)s;
	rules_fold(&h, &v, 1, &st);
	assert_int_equal(st.state, ST_PENDING);
	assert_int_equal(st.visits, 1);
}

static void test_outcome_vacant_pending(void **s)
{
	struct household h = make_hh(CAT_RESIDENTIAL, GAS_PIPELINE, 0);
	struct visit v = make_visit("d1", 1, 1000, OUT_VACANT);
	struct status st;

	(void)s;
	rules_fold(&h, &v, 1, &st);
	assert_int_equal(st.state, ST_PENDING);
}

static void test_outcome_refused(void **s)
{
	struct household h = make_hh(CAT_NON_RESIDENTIAL, GAS_PIPELINE, 0);
	struct visit v[2] = {make_visit("d1", 1, 1000, OUT_ENTERED),
			     make_visit("d1", 2, 2000, OUT_REFUSED)};
	struct status st;

	(void)s;
	v[0].hose = HOSE_NON_METAL;
	rules_fold(&h, v, 2, &st);
	assert_int_equal(st.state, ST_REFUSED);
}

static void test_refusal_after_compliance_keeps_compliant(void **s)
{
	struct household h = make_hh(CAT_RESIDENTIAL, GAS_LPG, 0);
	struct visit v[2] = {make_visit("d1", 1, 1000, OUT_ENTERED),
			     make_visit("d1", 2, 2000, OUT_REFUSED)};
	struct status st;

	(void)s;
	v[0].hose = HOSE_METAL;
	rules_fold(&h, v, 2, &st);
	assert_int_equal(st.state, ST_COMPLIANT);
}

static void test_outcome_hazard_open_then_cleared(void **s)
{
	struct household h = make_hh(CAT_RESIDENTIAL, GAS_LPG, 0);
	struct visit v[2] = {make_visit("d1", 1, 1000, OUT_ENTERED),
			     make_visit("d1", 2, 2000, OUT_ENTERED)};
	struct status st;

	(void)s;
	v[0].hose = HOSE_METAL;
	gw_strlcpy(v[0].hazards[0].code, "H03", sizeof v[0].hazards[0].code);
	v[0].hazards[0].grade = 1;
	v[0].nhazards = 1;
	rules_fold(&h, v, 1, &st);
	assert_int_equal(st.state, ST_HAZARD_OPEN);
	assert_int_equal(st.open_hazards, 1);
	v[1].role = ROLE_RECHECK;
	rules_fold(&h, v, 2, &st);
	assert_int_equal(st.state, ST_COMPLIANT);
}

static void test_grade3_is_advice_only(void **s)
{
	struct household h = make_hh(CAT_RESIDENTIAL, GAS_LPG, 0);
	struct visit v = make_visit("d1", 1, 1000, OUT_ENTERED);
	struct status st;

	(void)s;
	v.hose = HOSE_METAL;
	gw_strlcpy(v.hazards[0].code, "H14", sizeof v.hazards[0].code);
	v.hazards[0].grade = 3;
	v.nhazards = 1;
	rules_fold(&h, &v, 1, &st);
	assert_int_equal(st.state, ST_COMPLIANT);
	assert_int_equal(st.nhazards, 1);
}

static void test_install_makes_compliant_and_fixes_hose_hazard(void **s)
{
	struct household h = make_hh(CAT_RESIDENTIAL, GAS_PIPELINE, 0);
	struct visit v[2] = {make_visit("d1", 1, 1000, OUT_ENTERED),
			     make_visit("d2", 1, 2000, OUT_ENTERED)};
	struct status st;

	(void)s;
	v[0].hose = HOSE_NON_METAL;
	v[0].valve = DEV_ABSENT;
	gw_strlcpy(v[0].hazards[0].code, "H06", sizeof v[0].hazards[0].code);
	v[0].hazards[0].grade = 2;
	v[0].nhazards = 1;
	v[1].role = ROLE_INSTALL;
	v[1].base = v[0].id;
	v[1].ninstalls = 2;
	v[1].installs[0].item = ITEM_HOSE;
	v[1].installs[1].item = ITEM_VALVE;
	rules_fold(&h, v, 2, &st);
	assert_int_equal(st.state, ST_COMPLIANT);
	assert_int_equal(st.nhazards, 0);
	assert_int_equal(st.compliant_at, 2000);
}

/* Same visits, every insertion order: the same status. */
static void test_fold_is_order_independent(void **s)
{
	struct household h = make_hh(CAT_RESIDENTIAL, GAS_PIPELINE, 0);
	struct visit base[4] = {make_visit("d1", 1, 1000, OUT_ENTERED),
				make_visit("d2", 1, 1000, OUT_ENTERED),
				make_visit("d1", 2, 3000, OUT_NOT_HOME),
				make_visit("d3", 7, 2000, OUT_ENTERED)};
	struct status first, st;
	int perm[4] = {0, 1, 2, 3};

	(void)s;
	base[0].hose = HOSE_METAL;
	base[1].hose = HOSE_NON_METAL; /* same time, other device: the device order decides */
	base[3].valve = DEV_OK;
	struct visit v[4];
	memcpy(v, base, sizeof v);
	rules_fold(&h, v, 4, &first);
	for (int n = 0; n < 24; n++) {
		int k = n;
		int used[4] = {0}, order[4];
		for (int i = 4; i > 0; i--) { /* n-th permutation */
			int pick = k % i, c = -1;
			k /= i;
			for (int j = 0; j < 4; j++)
				if (!used[j] && ++c == pick) {
					order[4 - i] = perm[j];
					used[j] = 1;
					break;
				}
		}
		for (int i = 0; i < 4; i++)
			v[i] = base[order[i]];
		rules_fold(&h, v, 4, &st);
		assert_int_equal(st.state, first.state);
		assert_int_equal(st.hose, first.hose);
		assert_int_equal(st.valve, first.valve);
		assert_string_equal(st.last.device, first.last.device);
	}
	assert_int_equal(first.hose, HOSE_NON_METAL);
}

/* An inspector who did not know of an install cannot undo it, however late. */
static void test_install_not_overruled_by_unaware_inspection(void **s)
{
	struct household h = make_hh(CAT_RESIDENTIAL, GAS_PIPELINE, 0);
	struct visit v[3] = {make_visit("d1", 1, 1000, OUT_ENTERED),
			     make_visit("inst", 1, 2000, OUT_ENTERED),
			     make_visit("d2", 1, 3000, OUT_ENTERED)};
	struct status st;

	(void)s;
	v[0].hose = HOSE_METAL;
	v[0].valve = DEV_ABSENT;
	v[1].role = ROLE_INSTALL;
	v[1].base = v[0].id;
	v[1].ninstalls = 1;
	v[1].installs[0].item = ITEM_VALVE;
	v[2].valve = DEV_ABSENT; /* recorded from the same old base */
	v[2].base = v[0].id;
	rules_fold(&h, v, 3, &st);
	assert_int_equal(st.valve, DEV_OK);
	assert_int_equal(st.state, ST_COMPLIANT);
	/* one that knew of the install may report the valve broken */
	v[2].base = v[1].id;
	v[2].valve = DEV_FAULTY;
	rules_fold(&h, v, 3, &st);
	assert_int_equal(st.valve, DEV_FAULTY);
	assert_int_equal(st.state, ST_PENDING);
}

static void test_missing_str(void **s)
{
	char buf[64];

	(void)s;
	rules_missing_str((1u << ITEM_HOSE) | (1u << ITEM_SHUTOFF), buf, sizeof buf);
	assert_string_equal(buf, "hose,shutoff");
	rules_missing_str(0, buf, sizeof buf);
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_row_nonres_pipeline),
		cmocka_unit_test(test_row_nonres_lpg),
		cmocka_unit_test(test_row_res_new_build),
		cmocka_unit_test(test_row_res_existing),
		cmocka_unit_test(test_row_res_lpg),
		cmocka_unit_test(test_rows_compliance),
		cmocka_unit_test(test_encouraged_never_blocks),
		cmocka_unit_test(test_hard_piped_counts_as_metal),
		cmocka_unit_test(test_outcome_never_reached),
		cmocka_unit_test(test_outcome_not_home_stays_pending),
		cmocka_unit_test(test_outcome_vacant_pending),
		cmocka_unit_test(test_outcome_refused),
		cmocka_unit_test(test_refusal_after_compliance_keeps_compliant),
		cmocka_unit_test(test_outcome_hazard_open_then_cleared),
		cmocka_unit_test(test_grade3_is_advice_only),
		cmocka_unit_test(test_install_makes_compliant_and_fixes_hose_hazard),
		cmocka_unit_test(test_fold_is_order_independent),
		cmocka_unit_test(test_install_not_overruled_by_unaware_inspection),
		cmocka_unit_test(test_missing_str),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
