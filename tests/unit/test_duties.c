/* The plan's duties: settings (types, ranges, scope, what a pack may bring), months,
 * the serial rule of recalls, catalog prices, plans and the supply-restore rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/catalog.h"
#include "core/plan.h"
#include "core/settings.h"
#include "report/report.h"
#include "fixture.h"

static int setup(void **state)
{
	static struct tmp_ledger t;

	if (tmp_ledger_open(&t, "office", "Unit Office"))
		return -1;
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	tmp_ledger_close(*state);
	return 0;
}

static void test_check(void **s)
{
	char c[64];

	(void)s;
	assert_int_equal(settings_check("rectify_days_grade1", "7", c, sizeof c), 0);
	assert_string_equal(c, "7");
	assert_int_equal(settings_check("rectify_days_grade1", "0", c, sizeof c), -1);
	assert_int_equal(settings_check("rectify_days_grade1", "366", c, sizeof c), -1);
	assert_int_equal(settings_check("rectify_days_grade1", "7x", c, sizeof c), -1);
	assert_int_equal(settings_check("rectify_days_grade1", "", c, sizeof c), -1);
	assert_int_equal(settings_check("rectify_days_grade1", " 7", c, sizeof c), -1);
	assert_int_equal(settings_check("residential_deadline", "2023/10/31", c, sizeof c), 0);
	assert_string_equal(c, "2023-10-31");
	assert_int_equal(settings_check("residential_deadline", "2023-02-29", c, sizeof c), -1);
	assert_int_equal(settings_check("residential_deadline", "2024-02-29", c, sizeof c), 0);
	assert_int_equal(settings_check("share_city", "1/3", c, sizeof c), 0);
	assert_int_equal(settings_check("share_city", "0.25", c, sizeof c), 0);
	assert_int_equal(settings_check("share_city", "4/3", c, sizeof c), -1);
	assert_int_equal(settings_check("share_city", "1/0", c, sizeof c), -1);
	assert_int_equal(settings_check("share_city", "1.5", c, sizeof c), -1);
	assert_int_equal(settings_check("price_valve_yuan", "99.50", c, sizeof c), 0);
	assert_int_equal(settings_check("price_valve_yuan", "99.505", c, sizeof c), -1);
	assert_int_equal(settings_check("price_valve_yuan", "100000", c, sizeof c), 0);
	assert_int_equal(settings_check("price_valve_yuan", "100000.01", c, sizeof c), -1);
	assert_int_equal(settings_check("no_such", "1", c, sizeof c), -1);
}

static void test_scope(void **s)
{
	(void)s;
	assert_int_equal(settings_find("idle_lock_minutes")->scope, SETTING_TERMINAL);
	assert_int_equal(settings_find("pin_max_tries")->scope, SETTING_TERMINAL);
	assert_int_equal(settings_find("plan_behind_percent")->scope, SETTING_OFFICE);
	assert_int_equal(settings_find("rectify_days_grade2")->scope, SETTING_DISTRICT);
	assert_null(settings_find("nope"));
	for (size_t i = 0; i < settings_count(); i++) {
		char c[64];
		const struct setting_def *d = settings_at(i);
		assert_int_equal(settings_check(d->key, d->def, c, sizeof c), 0); /* defaults valid */
	}
}

static void test_set_receive(void **state)
{
	struct tmp_ledger *t = *state;
	char v[64];

	assert_int_equal(settings_get_int(t->l, "account_length"), 0); /* built-in default */
	assert_int_equal(settings_set(t->l, "account_length", "10", "unit"), 0);
	assert_int_equal(settings_get_int(t->l, "account_length"), 10);
	/* an office value does not replace what the district sent */
	assert_int_equal(ledger_begin(t->l), 0);
	assert_int_equal(settings_receive(t->l, "rectify_days_grade2", "20", "district"), 0);
	assert_int_equal(settings_receive(t->l, "rectify_days_grade2", "25", "office"), 0);
	assert_int_equal(settings_receive(t->l, "idle_lock_minutes", "9", "office"), -1);
	assert_int_equal(settings_receive(t->l, "rectify_days_grade2", "0", "district"), -1);
	assert_int_equal(settings_receive(t->l, "rectify_days_grade2", "9", "nobody"), -1);
	assert_int_equal(ledger_commit(t->l), 0);
	settings_get_text(t->l, "rectify_days_grade2", v, sizeof v);
	assert_string_equal(v, "20");
	/* and this office cannot change it either */
	assert_int_equal(settings_set(t->l, "rectify_days_grade2", "5", "unit"), -1);
	assert_int_equal(settings_set(t->l, "idle_lock_minutes", "0", "unit"), -1);
}

struct travel {
	char origin_of_grade2[16], origin_of_behind[16];
	int terminal_local;
};

static int travel_seen(void *ctx, const char *key, const char *value, const char *scope,
		       const char *origin)
{
	struct travel *t = ctx;

	(void)value;
	if (!strcmp(key, "rectify_days_grade2"))
		gw_strlcpy(t->origin_of_grade2, origin, sizeof t->origin_of_grade2);
	if (!strcmp(key, "plan_behind_percent"))
		gw_strlcpy(t->origin_of_behind, origin, sizeof t->origin_of_behind);
	t->terminal_local += !strcmp(scope, "terminal");
	return 0;
}

static void test_travel(void **state)
{
	struct tmp_ledger *t = *state;
	struct travel tr = {"", "", 0};

	/* a subdistrict office sends its own values as "office" ones */
	assert_int_equal(settings_each_travelling(t->l, travel_seen, &tr), 0);
	assert_string_equal(tr.origin_of_grade2, "office");
	assert_string_equal(tr.origin_of_behind, "office");
	assert_int_equal(tr.terminal_local, 0);
	/* the district sends district-wide ones as the district's */
	assert_int_equal(ledger_meta_set(t->l, "level", "district"), 0);
	assert_int_equal(settings_each_travelling(t->l, travel_seen, &tr), 0);
	assert_string_equal(tr.origin_of_grade2, "district");
	assert_string_equal(tr.origin_of_behind, "office");
}

static void test_months(void **s)
{
	char m[PLAN_MONTH_LEN + 1];

	(void)s;
	assert_int_equal(plan_month_parse("2023-09", m), 0);
	assert_string_equal(m, "2023-09");
	assert_int_equal(plan_month_parse("2023/9", m), 0);
	assert_string_equal(m, "2023-09");
	assert_int_equal(plan_month_parse("2023/12", m), 0);
	assert_string_equal(m, "2023-12");
	assert_int_equal(plan_month_parse("2023-13", m), -1);
	assert_int_equal(plan_month_parse("2023-00", m), -1);
	assert_int_equal(plan_month_parse("2023-9", m), -1);
	assert_int_equal(plan_month_parse("202309", m), -1);
	assert_int_equal(plan_month_valid("2023-1x"), 0);
}

static void test_serials(void **s)
{
	(void)s;
	assert_true(report_serial_cmp("A9", "A10") < 0);
	assert_true(report_serial_cmp("A0009", "A10") < 0);
	assert_int_equal(report_serial_cmp("sn2023a10", "SN2023A0010"), 0);
	assert_true(report_serial_cmp("A10", "a11") < 0);
	assert_true(report_serial_cmp("a11", "B1") < 0);
	assert_true(report_serial_cmp("1A", "A1") < 0); /* digits before other characters */
	assert_true(report_serial_cmp("AB", "ABC") < 0);
	assert_true(report_serial_cmp("X-2", "X-10") < 0);
	assert_true(report_serial_cmp("99999999999999999999", "100000000000000000000") < 0);
}

static void test_prices(void **s)
{
	int64_t f;

	(void)s;
	assert_int_equal(catalog_price_fen("120", &f), 0);
	assert_int_equal(f, 12000);
	assert_int_equal(catalog_price_fen("158.5", &f), 0);
	assert_int_equal(f, 15850);
	assert_int_equal(catalog_price_fen("0.05", &f), 0);
	assert_int_equal(f, 5);
	assert_int_equal(catalog_price_fen("1.234", &f), -1);
	assert_int_equal(catalog_price_fen("-1", &f), -1);
	assert_int_equal(catalog_price_fen("1.", &f), -1);
	assert_int_equal(catalog_price_fen("", &f), -1);
}

static void test_plan_rows(void **state)
{
	struct tmp_ledger *t = *state;
	char code[16];
	long planned, achieved;

	assert_int_equal(plan_subdistrict_code(t->l, "林山寨", code, sizeof code), 1);
	assert_string_equal(code, "LSZ");
	assert_int_equal(plan_subdistrict_code(t->l, "linshanzhai", code, sizeof code), 1);
	assert_int_equal(plan_subdistrict_code(t->l, "Nowhere", code, sizeof code), 0);
	assert_int_equal(ledger_begin(t->l), 0);
	assert_int_equal(plan_put(t->l, "LSZ", "幸福小区", "2023-09", 5, "local"), 0);
	assert_int_equal(plan_put(t->l, "LSZ", "幸福小区", "2023-09", 6, "local"), 0); /* replaces */
	assert_int_equal(plan_put(t->l, "LSZ", "幸福小区", "2023-9", 6, "local"), -1);
	assert_int_equal(ledger_commit(t->l), 0);
	assert_int_equal(plan_for_compound(t->l, "林山寨街道", "幸福小区", "2023-09", &planned, &achieved), 1);
	assert_int_equal(planned, 6);
	assert_int_equal(achieved, 0);
	assert_int_equal(plan_for_compound(t->l, "LSZ", "幸福小区", "2023-10", &planned, &achieved), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_scope),
		cmocka_unit_test_setup_teardown(test_set_receive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_travel, setup, teardown),
		cmocka_unit_test(test_months),
		cmocka_unit_test(test_serials),
		cmocka_unit_test(test_prices),
		cmocka_unit_test_setup_teardown(test_plan_rows, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
