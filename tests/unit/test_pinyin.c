/* Pinyin from the Unihan table, the keypad matcher (initials, full pinyin, mixed,
 * polyphonic characters) and the household search built on it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/pinyin.h"
#include "core/search.h"
#include "fixture.h"

static int has_reading(uint32_t cp, const char *syl)
{
	const char *r[PINYIN_ALTS_MAX * 2];
	int n = pinyin_readings(cp, r, (int)(sizeof r / sizeof r[0]));

	for (int i = 0; i < n && i < (int)(sizeof r / sizeof r[0]); i++)
		if (!strcmp(r[i], syl))
			return 1;
	return 0;
}

static int match(const char *name, const char *query)
{
	uint16_t code[PINYIN_CODE_MAX];

	pinyin_code(name, code, PINYIN_CODE_MAX);
	return pinyin_match(code, query, NULL);
}

static int whole(const char *name, const char *query)
{
	uint16_t code[PINYIN_CODE_MAX];
	int w = -1;

	pinyin_code(name, code, PINYIN_CODE_MAX);
	pinyin_match(code, query, &w);
	return w;
}

static void test_readings(void **s)
{
	const char *r[4];

	(void)s;
	assert_true(pinyin_table.nchars > 20000);
	assert_true(has_reading(0x738B, "wang")); /* 王 */
	assert_true(has_reading(0x5EFA, "jian")); /* 建 */
	assert_true(has_reading(0x56FD, "guo"));  /* 国 */
	/* every reading of a polyphonic character, tones stripped */
	assert_true(has_reading(0x884C, "xing")); /* 行 */
	assert_true(has_reading(0x884C, "hang"));
	assert_true(has_reading(0x957F, "chang")); /* 长 */
	assert_true(has_reading(0x957F, "zhang"));
	assert_true(has_reading(0x4E50, "le")); /* 乐: kMandarin lè, kXHC1983 adds yuè */
	assert_true(has_reading(0x4E50, "yue"));
	assert_true(has_reading(0x7EFF, "lv")); /* 绿: ü as v */
	assert_false(has_reading(0x738B, "wáng"));
	assert_int_equal(pinyin_readings('A', r, 4), 0);
	assert_int_equal(pinyin_readings(0x3000, r, 4), 0); /* ideographic space */
	assert_int_equal(pinyin_readings(0x10FFFF, r, 4), 0);
}

static void test_keys(void **s)
{
	(void)s;
	assert_int_equal(pinyin_key('a'), '2');
	assert_int_equal(pinyin_key('s'), '7');
	assert_int_equal(pinyin_key('v'), '8');
	assert_int_equal(pinyin_key('Z'), '9');
	assert_int_equal(pinyin_key('1'), 0);
}

static void test_initials(void **s)
{
	(void)s;
	assert_int_equal(match("王建国", "954"), 0);
	assert_int_equal(match("王建国", "95"), 0);
	assert_int_equal(match("王建国", "wjg"), 0);
	assert_int_equal(match("王建国", "WJG"), 0);
	assert_int_equal(match("王建国", "955"), -1);
	assert_int_equal(match("王建国", "wjgx"), -1);
	assert_int_equal(match("王建国", "54"), 1); /* 建国: from the given name */
	assert_int_equal(match("王建国", "g"), 2);
}

static void test_full(void **s)
{
	(void)s;
	assert_int_equal(match("王建国", "92645426486"), 0);
	assert_int_equal(match("王建国", "wangjianguo"), 0);
	assert_int_equal(match("王建国", "9264"), 0);
	assert_int_equal(match("王建国", "wangjiang"), 0); /* jian + g(uo) */
	assert_int_equal(match("王建国", "wangjianguoo"), -1);
	assert_int_equal(match("王建国", "wangx"), -1);
	/* only the last character may be cut short: "wa" then "j" is not a name */
	assert_int_equal(match("王建国", "wajg"), -1);
	assert_int_equal(match("王建国", "wangjiag"), -1);
	assert_int_equal(match("长江", "zhjiang"), 0); /* zh, an initial of two letters */
	assert_int_equal(match("长江", "zhajiang"), -1);
	assert_int_equal(match("王建国", "926454264861"), -1);
}

static void test_mixed(void **s)
{
	(void)s;
	assert_int_equal(match("王建国", "wangjg"), 0);
	assert_int_equal(match("王建国", "wjianguo"), 0);
	assert_int_equal(match("王建国", "9j486"), 0); /* digits and letters mixed */
	assert_int_equal(match("Li小明", "lxm"), -1); /* Latin letters are matched one by one */
	assert_int_equal(match("Li小明", "lixm"), 0);
	assert_int_equal(match("Li小明", "549"), 0);
	assert_int_equal(match("张·三", "zs"), 0); /* punctuation is left out */
	assert_int_equal(match("Room 7b", "7b"), 4);
}

static void test_whole(void **s)
{
	(void)s;
	assert_int_equal(whole("王建国", "954"), 1);
	assert_int_equal(whole("王建国", "wangjianguo"), 1);
	assert_int_equal(whole("王建国", "wangjg"), 1);
	assert_int_equal(whole("王建国", "95"), 0);
	assert_int_equal(whole("王建国", "wangjiangu"), 0); /* guo cut short */
	assert_int_equal(whole("王建国", "54"), 0);          /* not from the start */
	assert_int_equal(whole("王建国", "x"), 0);
	assert_int_equal(whole("长江", "954"), 0);           /* z, then ji of jiang */
	assert_int_equal(whole("长江", "zj"), 1);
}

static void test_polyphonic(void **s)
{
	(void)s;
	assert_int_equal(match("长江", "cj"), 0);
	assert_int_equal(match("长江", "zj"), 0);
	assert_int_equal(match("长江", "zhangjiang"), 0);
	assert_int_equal(match("长江", "changjiang"), 0);
	assert_int_equal(match("长江", "24264"), 0); /* chang: c(2)h(4)a(2)n(6)g(4) */
	assert_int_equal(match("行", "x"), 0);
	assert_int_equal(match("行", "h"), 0);
	assert_int_equal(match("曾乐", "zy"), 0);
	assert_int_equal(match("曾乐", "cl"), 0);
	assert_int_equal(match("绿", "lv"), 0);
	assert_int_equal(match("绿", "lu"), 0); /* u stands for v too, and 绿 reads lù */
	assert_int_equal(match("吕", "lu"), 0);  /* 吕 lǚ only: u for ü */
	assert_int_equal(match("吕", "58"), 0);
}

static void test_bad_queries(void **s)
{
	char big[600], name[600];

	(void)s;
	assert_int_equal(match("王建国", ""), -1);
	assert_int_equal(match("王建国", "w j"), -1);
	assert_int_equal(match("王建国", "王"), -1);
	assert_int_equal(match("", "9"), -1);
	memset(big, '2', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	for (size_t i = 0; i + 3 < sizeof name; i += 3)
		memcpy(name + i, "长", 3); /* chang/zhang: many ways, bounded by the memo */
	name[(sizeof name - 1) / 3 * 3] = '\0';
	assert_int_equal(match(name, big), -1);
	assert_int_equal(match(name, "24264242642426424264"), 0);
	assert_int_equal(match("\xff\xfe王", "9"), 0); /* invalid bytes skipped */
}

/* ---- the search index ---- */

static void add(struct ledger *l, const char *account, const char *name, const char *phone,
		const char *building, const char *room)
{
	struct household h = fixture_household(account, CAT_RESIDENTIAL, GAS_PIPELINE);
	enum upsert_result res;

	gw_strlcpy(h.name, name, sizeof h.name);
	gw_strlcpy(h.phone, phone, sizeof h.phone);
	gw_strlcpy(h.subdistrict, "大学路街道", sizeof h.subdistrict);
	gw_strlcpy(h.community, "社区", sizeof h.community);
	gw_strlcpy(h.compound, "幸福小区", sizeof h.compound);
	gw_strlcpy(h.building, building, sizeof h.building);
	gw_strlcpy(h.unit, "1", sizeof h.unit);
	gw_strlcpy(h.floor, "", sizeof h.floor);
	gw_strlcpy(h.room, room, sizeof h.room);
	assert_int_equal(household_upsert(l, &h, &res), 0);
}

static int setup(void **state)
{
	struct tmp_ledger *t = calloc(1, sizeof *t);

	if (!t || tmp_ledger_open(t, "terminal", "t") != 0)
		return -1;
	add(t->l, "0100000001", "王建国", "138-0000-9264", "3", "201");
	add(t->l, "0100000002", "王建国", "13900001111", "5", "502");
	add(t->l, "0100000003", "李明", "", "3", "202");
	add(t->l, "0100000004", "汪洋", "13700002222", "3", "301");
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	tmp_ledger_close(*state);
	free(*state);
	return 0;
}

static void test_search(void **state)
{
	struct tmp_ledger *t = *state;
	struct search_index *ix = search_index_load(t->l);
	struct search_hit h[8];

	assert_non_null(ix);
	assert_int_equal(search_index_count(ix), 4);
	/* 954: both 王建国, in walking order (building 3, then 5), the whole name */
	assert_int_equal(search_find(ix, "954", h, 8), 2);
	assert_int_equal(h[0].rank, 1);
	assert_string_equal(h[0].e->room, "201");
	assert_string_equal(h[1].e->room, "502");
	assert_int_equal(h[0].why, SEARCH_NAME);
	/* wang: 王 and 汪 */
	assert_int_equal(search_find(ix, "wang", h, 8), 3);
	/* a phone's last four digits */
	assert_int_equal(search_find(ix, "1111", h, 8), 1);
	assert_string_equal(h[0].e->account, "0100000002");
	assert_int_equal(h[0].why, SEARCH_PHONE);
	assert_int_equal(h[0].rank, 1);
	assert_string_equal(h[0].e->phone_tail, "1111");
	/* 9264: the phone whose last four they are first, then the names that begin wang */
	assert_int_equal(search_find(ix, "9264", h, 8), 3);
	assert_string_equal(h[0].e->account, "0100000001");
	assert_int_equal(h[0].why, SEARCH_PHONE);
	assert_string_equal(h[1].e->account, "0100000004"); /* 汪洋, building 3 */
	assert_string_equal(h[2].e->account, "0100000002");
	assert_int_equal(search_find(ix, "926", h, 8), 3);
	assert_int_equal(search_find(ix, "13800009264", h, 8), 1);
	assert_int_equal(h[0].why, SEARCH_PHONE);
	/* a room first, then the accounts and addresses holding the digits */
	assert_int_equal(search_find(ix, "202", h, 8), 1);
	assert_int_equal(h[0].why, SEARCH_ROOM);
	assert_string_equal(h[0].e->name, "李明");
	/* an account, whole, before every fragment */
	assert_int_equal(search_find(ix, "0100000004", h, 8), 1);
	assert_int_equal(h[0].rank, 0);
	assert_int_equal(search_find(ix, "01000000", h, 2), 4);
	assert_string_equal(h[1].e->account, "0100000003"); /* limited to 2, walking order */
	/* text typed on a keyboard: name and compound */
	assert_int_equal(search_find(ix, "李", h, 8), 1);
	assert_int_equal(search_find(ix, "幸福", h, 8), 4);
	assert_int_equal(search_find(ix, "", h, 8), 0);
	assert_int_equal(search_find(ix, "zzz", h, 8), 0);
	search_index_free(ix);
	/* a name the query only begins (长江: z, then ji) comes after whole ones, though
	 * it walks first (building 1) */
	add(t->l, "0100000009", "长江", "", "1", "101");
	ix = search_index_load(t->l);
	assert_non_null(ix);
	assert_int_equal(search_find(ix, "954", h, 8), 3);
	assert_string_equal(h[0].e->name, "王建国");
	assert_string_equal(h[1].e->name, "王建国");
	assert_string_equal(h[2].e->name, "长江");
	assert_int_equal(h[2].rank, 2);
	search_index_free(ix);
}

static void test_door(void **state)
{
	struct tmp_ledger *t = *state;
	char acc[HH_ACCOUNT_MAX + 1] = "";

	assert_int_equal(search_door(t->l, "0100000003", NULL, NULL, NULL, acc, sizeof acc), 1);
	assert_string_equal(acc, "0100000003");
	assert_int_equal(search_door(t->l, "201", "幸福小区", "3", "1", acc, sizeof acc), 1);
	assert_string_equal(acc, "0100000001");
	assert_int_equal(search_door(t->l, "201", "幸福小区", "5", "1", acc, sizeof acc), 0);
	assert_int_equal(search_door(t->l, "502", NULL, NULL, NULL, acc, sizeof acc), 1);
	assert_string_equal(acc, "0100000002");
	add(t->l, "0100000005", "赵六", "", "5", "201");
	assert_int_equal(search_door(t->l, "201", "幸福小区", NULL, NULL, acc, sizeof acc), 2);
	assert_int_equal(search_door(t->l, "999", NULL, NULL, NULL, acc, sizeof acc), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readings),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_initials),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_mixed),
		cmocka_unit_test(test_whole),
		cmocka_unit_test(test_polyphonic),
		cmocka_unit_test(test_bad_queries),
		cmocka_unit_test_setup_teardown(test_search, setup, teardown),
		cmocka_unit_test_setup_teardown(test_door, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
