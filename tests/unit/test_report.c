/* The report model and its text/CSV/HTML renderers, the spot-check sampler, and the
 * streamed fold against the stored status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fold_stream.h"
#include "core/i18n.h"
#include "core/ledger.h"
#include "core/text.h"
#include "core/util.h"
#include "report/sample.h"
#include "report/table.h"
#include "tests/unit/fixture.h"

/* ---- model and renderers ---- */

static char *render(int (*fn)(const struct report *, FILE *), const struct report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(fn(r, f), 0);
	fclose(f);
	return buf;
}

static struct report *sample_report(void)
{
	struct report *r = report_new("周通报", "as of 2023-09-17");
	struct rtable *t = report_add_table(r, "进度");

	rtable_col(t, "街道", RT_TEXT);
	rtable_col(t, "name", RT_TEXT);
	rtable_col(t, "户数", RT_INT);
	rtable_col(t, "money", RT_MONEY);
	rtable_col(t, "完成率", RT_PERCENT);
	rtable_row(t);
	rtable_text(t, "林山寨街道");
	rtable_text(t, "=1+1");
	rtable_int(t, -5);
	rtable_money(t, 12345);
	rtable_rate(t, 2, 3);
	rtable_row(t);
	rtable_text(t, "JSL");
	rtable_text(t, "a,\"b\" <i>&");
	rtable_int(t, 300000);
	rtable_money(t, -150);
	rtable_rate(t, 1, 0);
	rtable_row(t);
	rtable_text(t, "很长很长很长很长很长很长很长很长很长很长很长很长的名字");
	rtable_text(t, "x");
	rtable_int(t, 0);
	rtable_money(t, 5);
	rtable_pct(t, 1);
	return r;
}

static void test_cell_format(void **state)
{
	struct report *r = sample_report();
	const struct rtable *t = r->tables[0];
	char buf[64];

	(void)state;
	rcell_format(rtable_cell(t, 0, 3), RT_MONEY, buf, sizeof buf);
	assert_string_equal(buf, "123.45");
	rcell_format(rtable_cell(t, 1, 3), RT_MONEY, buf, sizeof buf);
	assert_string_equal(buf, "-1.50");
	rcell_format(rtable_cell(t, 2, 3), RT_MONEY, buf, sizeof buf);
	assert_string_equal(buf, "0.05");
	rcell_format(rtable_cell(t, 0, 4), RT_PERCENT, buf, sizeof buf);
	assert_string_equal(buf, "66.7%");
	rcell_format(rtable_cell(t, 1, 4), RT_PERCENT, buf, sizeof buf);
	assert_string_equal(buf, "");
	assert_true(rtable_cell(t, 1, 4)->null);
	rcell_format(rtable_cell(t, 0, 2), RT_INT, buf, sizeof buf);
	assert_string_equal(buf, "-5");
	assert_true(rcell_formula_like("=1"));
	assert_true(rcell_formula_like("@x"));
	assert_true(rcell_formula_like("\tx"));
	assert_false(rcell_formula_like("林"));
	report_free(r);
}

/* Every line of the table (header, rule, rows) is equally wide in display columns,
 * because the last column is a number (right-aligned, so padded). */
static void test_text_widths(void **state)
{
	struct report *r = sample_report();
	char *out = render(render_text, r), *save = NULL;
	int width = -1, lines = 0, seen_rule = 0;

	(void)state;
	for (char *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(l, "----", 4))
			seen_rule = 1;
		if (!strncmp(l, "街道", strlen("街道")) || seen_rule) {
			if (width < 0)
				width = text_width(l);
			assert_int_equal(text_width(l), width);
			lines++;
		}
	}
	assert_int_equal(lines, 5); /* header, rule, three rows */
	report_free(r);
	free(out);
	out = render(render_text, r = sample_report());
	/* the long name is cut at 40 columns with an ellipsis */
	assert_non_null(strstr(out, "很长很长很长很长很长很长很长很长很长很…"));
	assert_non_null(strstr(out, "  66.7%"));
	report_free(r);
	free(out);
}

static void test_csv(void **state)
{
	struct report *r = sample_report();
	char *out = render(render_csv, r);

	(void)state;
	assert_memory_equal(out, "\xEF\xBB\xBF街道,name,户数,money,完成率\r\n", 35);
	assert_non_null(strstr(out, "林山寨街道,'=1+1,-5,123.45,66.7%\r\n"));
	assert_non_null(strstr(out, "JSL,\"a,\"\"b\"\" <i>&\",300000,-1.50,\r\n"));
	report_free(r);
	free(out);
}

/* Rates and averages are rounded half up (away from zero) from the exact fraction, and
 * every format shows the rounded value: 13/16 is 81.3%, never 81.2%. */
static void test_half_up(void **state)
{
	static const struct {
		int64_t num, den;
		const char *shown;
	} rates[] = {
		{13, 16, "81.3%"}, {1, 16, "6.3%"}, {-1, 16, "-6.3%"}, {2, 3, "66.7%"},
		{1, 8, "12.5%"},  {1, 3, "33.3%"}, {0, 5, "0.0%"},     {999999, 1000000, "100.0%"},
		{1, 2000, "0.1%"}, {1, 2001, "0.0%"},
	};
	struct report *r = report_new("t", "");
	struct rtable *t = report_add_table(r, "t");
	char buf[32];

	(void)state;
	rtable_col(t, "rate", RT_PERCENT);
	rtable_col(t, "id", RT_ID);
	for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++) {
		rtable_row(t);
		rtable_rate(t, rates[i].num, rates[i].den);
		rtable_id(t, "0300000001");
		rcell_format(rtable_cell(t, i, 0), RT_PERCENT, buf, sizeof buf);
		assert_string_equal(buf, rates[i].shown);
	}
	assert_true(rtable_cell(t, 0, 0)->i == 813);
	assert_true(rtable_cell(t, 0, 0)->f == 0.813); /* what XLSX stores */
	assert_true(rround_div(25, 10) == 3 && rround_div(-25, 10) == -3);
	assert_true(rround_div(24, 10) == 2 && rround_div(50000, 3) == 16667);
	assert_true(rround_div(12999, 2) == 6500 && rround_div(7, -2) == -4);
	assert_true(rtype_is_text(RT_ID) && !rtype_is_text(RT_PERCENT));
	report_free(r);
}

/* An identifier column in CSV: ="..." with the quotes doubled, so a spreadsheet keeps it
 * as text; a formula-like text elsewhere keeps its apostrophe. */
static void test_csv_ids(void **state)
{
	struct report *r = report_new("t", "");
	struct rtable *t = report_add_table(r, "t");
	char *out;

	(void)state;
	rtable_col(t, "account", RT_ID);
	rtable_col(t, "name", RT_TEXT);
	rtable_row(t);
	rtable_id(t, "0300000001");
	rtable_text(t, "=1+1");
	rtable_row(t);
	rtable_id(t, "a\"b");
	rtable_text(t, "x");
	rtable_row(t);
	rtable_id(t, "");
	rtable_text(t, "y");
	out = render(render_csv, r);
	assert_non_null(strstr(out, "\r\n\"=\"\"0300000001\"\"\",'=1+1\r\n"));
	assert_non_null(strstr(out, "\r\n\"=\"\"a\"\"\"\"b\"\"\",x\r\n"));
	assert_non_null(strstr(out, "\r\n,y\r\n"));
	report_free(r);
	free(out);
}

static void test_html(void **state)
{
	struct report *r = sample_report();
	char *out;

	(void)state;
	r->tables[0]->chart = (struct rchart){RCHART_BAR, 0, {4}, 1, xstrdup("<chart>")};
	out = render(render_html, r);
	assert_non_null(strstr(out, "<td>a,&quot;b&quot; &lt;i&gt;&amp;</td>"));
	assert_null(strstr(out, "<i>"));
	assert_non_null(strstr(out, "&lt;chart&gt;"));
	assert_non_null(strstr(out, "<svg"));
	assert_non_null(strstr(out, "@page { size: A4"));
	/* two drawn bars: the row without a rate has a zero-width one */
	assert_non_null(strstr(out, "class=\"bar\""));
	report_free(r);
	free(out);
}

/* ---- the sampler ---- */

static void test_splitmix_reference(void **state)
{
	uint64_t s = 0;

	(void)state;
	/* the first outputs of splitmix64 seeded with 0 */
	assert_true(sample_next(&s) == 0xE220A8397B1DCDAFull);
	assert_true(sample_next(&s) == 0x6E789E6AA1B965F4ull);
}

static void test_sample_reproducible(void **state)
{
	size_t a[50], b[50], c[50];
	uint64_t s1 = 42, s2 = 42, s3 = 43;
	int differs = 0;

	(void)state;
	assert_int_equal(sample_draw(&s1, 1000, 50, a), 50);
	assert_int_equal(sample_draw(&s2, 1000, 50, b), 50);
	assert_int_equal(sample_draw(&s3, 1000, 50, c), 50);
	assert_memory_equal(a, b, sizeof a);
	for (int i = 0; i < 50; i++) {
		assert_true(a[i] < 1000);
		if (i)
			assert_true(a[i - 1] < a[i]); /* distinct, ascending */
		differs |= a[i] != c[i];
	}
	assert_true(differs);
	/* asking for more than there are gives all of them */
	assert_int_equal(sample_draw(&s1, 3, 10, a), 3);
	assert_int_equal(a[0], 0);
	assert_int_equal(a[2], 2);
	assert_int_equal(sample_draw(&s1, 0, 10, a), 0);
}

static void test_sample_uniform(void **state)
{
	int hits[10] = {0};
	uint64_t s = 7;
	size_t pick[1];

	(void)state;
	for (int i = 0; i < 10000; i++) {
		sample_draw(&s, 10, 1, pick);
		hits[pick[0]]++;
	}
	for (int i = 0; i < 10; i++)
		assert_true(hits[i] > 850 && hits[i] < 1150);
}

/* ---- the streamed fold against the stored status ---- */

struct fx {
	struct tmp_ledger t;
	struct ledger *l;
};

static struct household house(const char *account, enum category c, enum gas g)
{
	struct household h = fixture_household(account, c, g);

	gw_strlcpy(h.subdistrict, "LSZ", sizeof h.subdistrict);
	return h;
}

static void record(struct ledger *l, const char *account, int64_t at, enum hose hose,
		   enum devstate valve, enum devstate alarm, const char *hazard, int install)
{
	struct visit *v = calloc(1, sizeof *v);

	gw_strlcpy(v->account, account, sizeof v->account);
	gw_strlcpy(v->actor, "t", sizeof v->actor);
	v->at = at;
	v->tz_minutes = 480;
	v->outcome = OUT_ENTERED;
	v->hose = hose;
	v->valve = valve;
	v->alarm = alarm;
	v->shutoff = alarm;
	if (hazard) {
		gw_strlcpy(v->hazards[0].code, hazard, sizeof v->hazards[0].code);
		v->hazards[0].grade = 2;
		v->nhazards = 1;
	}
	if (install) {
		v->role = ROLE_INSTALL;
		v->installs[0].item = ITEM_VALVE;
		gw_strlcpy(v->installs[0].product, "V-STD", sizeof v->installs[0].product);
		gw_strlcpy(v->installs[0].serial, "S", sizeof v->installs[0].serial);
		v->installs[0].price_fen = 12000;
		v->ninstalls = 1;
	}
	assert_int_equal(visit_record(l, v), 0);
	free(v);
}

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	static const char *const acc[] = {"A1", "A2", "A3", "B1", "B2"};
	enum upsert_result res;

	if (tmp_ledger_open(&f->t, "office", "O") != 0)
		return -1;
	f->l = f->t.l;
	for (int i = 0; i < 5; i++) {
		struct household h = house(acc[i], i < 3 ? CAT_RESIDENTIAL : CAT_NON_RESIDENTIAL,
					   i == 2 ? GAS_LPG : GAS_PIPELINE);
		if (household_upsert(f->l, &h, &res))
			return -1;
	}
	record(f->l, "A1", 1000, HOSE_NON_METAL, DEV_ABSENT, DEV_UNKNOWN, NULL, 0);
	record(f->l, "A1", 2000, HOSE_METAL, DEV_UNKNOWN, DEV_UNKNOWN, NULL, 0);
	record(f->l, "A1", 3000, HOSE_UNKNOWN, DEV_UNKNOWN, DEV_UNKNOWN, NULL, 1);
	record(f->l, "A2", 1500, HOSE_METAL, DEV_OK, DEV_UNKNOWN, "H01", 0);
	record(f->l, "A2", 2500, HOSE_METAL, DEV_OK, DEV_UNKNOWN, NULL, 0);
	record(f->l, "A3", 2600, HOSE_METAL, DEV_UNKNOWN, DEV_UNKNOWN, NULL, 0);
	record(f->l, "B1", 900, HOSE_METAL, DEV_UNKNOWN, DEV_OK, NULL, 0);
	record(f->l, "B1", 2900, HOSE_METAL, DEV_UNKNOWN, DEV_ABSENT, "H03", 0);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	tmp_ledger_close(&f->t);
	free(f);
	return 0;
}

struct check {
	struct ledger *l;
	int64_t as_of;
	int seen;
	char accounts[8][8];
};

static int compare_fold(void *ctx, const struct household *h, const struct status *st)
{
	struct check *c = ctx;
	struct household full;
	struct status want;

	assert_int_equal(household_get(c->l, h->account, &full), 0);
	assert_int_equal(status_get(c->l, h->account, c->as_of, &full, &want), 0);
	assert_int_equal(st->state, want.state);
	assert_int_equal(st->missing, want.missing);
	assert_int_equal(st->open_hazards, want.open_hazards);
	assert_int_equal(st->visits, want.visits);
	assert_true(st->compliant_at == want.compliant_at);
	assert_string_equal(h->subdistrict, "LSZ");
	gw_strlcpy(c->accounts[c->seen++], h->account, sizeof c->accounts[0]);
	return 0;
}

static void test_fold_all_matches_status(void **state)
{
	struct fx *f = *state;
	struct check c = {f->l, 0, 0, {{0}}};

	assert_int_equal(fold_stream(f->l, INT64_MAX, 0, compare_fold, &c), 0);
	/* B2 has no visit: not reported; the rest in account order */
	assert_int_equal(c.seen, 4);
	assert_string_equal(c.accounts[0], "A1");
	assert_string_equal(c.accounts[3], "B1");
}

static void test_fold_changed_only(void **state)
{
	struct fx *f = *state;
	struct check c = {f->l, 2000, 0, {{0}}};
	int64_t newest;

	assert_int_equal(fold_newest_visit(f->l, &newest), 0);
	assert_true(newest == 3000);
	/* visited after 2000: A1 (3000), A2 (2500), B1 (2900); A3 (2600) has nothing before */
	assert_int_equal(fold_stream(f->l, 2000, 1, compare_fold, &c), 0);
	assert_int_equal(c.seen, 3);
	assert_string_equal(c.accounts[0], "A1");
	assert_string_equal(c.accounts[1], "A2");
	assert_string_equal(c.accounts[2], "B1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cell_format),
		cmocka_unit_test(test_text_widths),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_half_up),
		cmocka_unit_test(test_csv_ids),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_splitmix_reference),
		cmocka_unit_test(test_sample_reproducible),
		cmocka_unit_test(test_sample_uniform),
		cmocka_unit_test_setup_teardown(test_fold_all_matches_status, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_fold_changed_only, fx_setup, fx_teardown),
	};

	i18n_init("en");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
