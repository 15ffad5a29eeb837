/* The customer-list import against a real ledger in a temporary folder (import/import.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/ledger.h"
#include "core/util.h"
#include "import/import.h"
#include "import/seen.h"
#include "tests/unit/fixture.h"

struct fixture {
	struct tmp_ledger t;
	char db[96];
	char csv[96];
	struct ledger *l;
	char rejects[4096]; /* "LINE: reason\n" for each rejected row */
	char warnings[2048]; /* "LINE: what\n" for each row taken with a warning */
	const char *rejects_file;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	if (tmp_ledger_open(&f->t, "office", "test office") != 0)
		return -1;
	f->l = f->t.l;
	gw_strlcpy(f->db, f->t.path, sizeof f->db);
	snprintf(f->csv, sizeof f->csv, "%s/list.csv", f->t.dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	f->t.l = f->l;
	tmp_ledger_close(&f->t);
	free(f);
	return 0;
}

static void write_csv(struct fixture *f, const char *text)
{
	FILE *fp = fopen(f->csv, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
	assert_int_equal(fclose(fp), 0);
}

static void on_reject(void *ctx, const char *file, long line, const char *reason)
{
	struct fixture *f = ctx;
	size_t n = strlen(f->rejects);

	assert_non_null(strstr(file, "list.csv"));
	snprintf(f->rejects + n, sizeof f->rejects - n, "%ld: %s\n", line, reason);
}

static void on_warn(void *ctx, const char *file, long line, const char *what)
{
	struct fixture *f = ctx;
	size_t n = strlen(f->warnings);

	assert_non_null(strstr(file, "list.csv"));
	snprintf(f->warnings + n, sizeof f->warnings - n, "%ld: %s\n", line, what);
}

static int run(struct fixture *f, int skip_invalid, int dry_run, struct import_counts *c)
{
	struct import_opts o = {ENC_AUTO, skip_invalid, dry_run, f->rejects_file};
	struct import_hooks h = {on_reject, NULL, f, on_warn};

	f->rejects[0] = '\0';
	f->warnings[0] = '\0';
	return import_csv(f->l, f->csv, &o, &h, c);
}

static int households(struct fixture *f)
{
	sqlite3_stmt *st;
	int n = -1;

	assert_int_equal(sqlite3_prepare_v2(ledger_sqlite(f->l), "SELECT count(*) FROM household",
					    -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

static int household_indexes(struct fixture *f)
{
	sqlite3_stmt *st;
	int n = -1;

	assert_int_equal(sqlite3_prepare_v2(ledger_sqlite(f->l),
					    "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
					    "AND tbl_name = 'household' AND sql IS NOT NULL",
					    -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

static const char header[] =
	"用户编号,用户类型,气源,新建,行业,用户名称,联系电话,街道,社区,小区,楼栋,单元,楼层,房号\n";

static const char three_good_one_bad[] =
	"用户编号,用户类型,气源,新建,行业,用户名称,联系电话,街道,社区,小区,楼栋,单元,楼层,房号\n"
	"A1,居民,管道天然气,否,,张三,13800000001,建设路街道,一社区,幸福小区,1,2,3,301\n"
	"A2,非居民,瓶装液化石油气,,餐饮,\"老王饭店, 分店\",0371-65123456,建设路街道,一社区,,,,,\n"
	"A3,居民户,管道天然气,否,,李四,,,,,,,,\n"
	"A4, residential ,lpg,yes,,\" 王五 \",,建设路街道,,幸福小区,1,2,4,401\n";

static void test_all_or_nothing(void **state)
{
	struct fixture *f = *state;
	struct import_counts c;

	write_csv(f, three_good_one_bad);
	assert_int_equal(run(f, 0, 0, &c), IMPORT_REJECTED);
	assert_int_equal(c.rows, 4);
	assert_int_equal(c.rejected, 1);
	assert_int_equal(c.added, 0);
	assert_string_equal(f->rejects, "4: unknown category \"居民户\" (expected 居民, 非居民, "
					"residential or non_residential)\n");
	assert_int_equal(households(f), 0);
	assert_int_equal(household_indexes(f), 0); /* the rollback restored them */
}

static void test_skip_invalid(void **state)
{
	struct fixture *f = *state;
	struct import_counts c;
	struct household h;

	write_csv(f, three_good_one_bad);
	assert_int_equal(run(f, 1, 0, &c), IMPORT_OK);
	assert_int_equal(c.rows, 4);
	assert_int_equal(c.added, 3);
	assert_int_equal(c.rejected, 1);
	assert_int_equal(households(f), 3);
	assert_int_equal(household_indexes(f), 0);
	assert_int_equal(household_get(f->l, "A2", &h), 0);
	assert_int_equal(h.category, CAT_NON_RESIDENTIAL);
	assert_int_equal(h.gas, GAS_LPG);
	assert_string_equal(h.sector, "catering"); /* given by its Chinese name */
	assert_string_equal(h.name, "老王饭店, 分店");
	assert_int_equal(household_get(f->l, "A4", &h), 0); /* whitespace trimmed */
	assert_int_equal(h.category, CAT_RESIDENTIAL);
	assert_int_equal(h.new_build, 1);
	assert_string_equal(h.name, "王五");
	assert_string_equal(h.room, "401");
	assert_int_not_equal(household_get(f->l, "A3", &h), 0);
}

static void test_dry_run(void **state)
{
	struct fixture *f = *state;
	struct import_counts c;

	write_csv(f, three_good_one_bad);
	assert_int_equal(run(f, 1, 1, &c), IMPORT_OK);
	assert_int_equal(c.added, 3);
	assert_int_equal(c.rejected, 1);
	assert_int_equal(households(f), 0);
	assert_int_equal(household_indexes(f), 0);
	assert_int_equal(run(f, 0, 1, &c), IMPORT_REJECTED); /* a dry run without --skip-invalid */
	assert_int_equal(households(f), 0);
}

static int count_visits(struct fixture *f, const char *account)
{
	struct visit *v;
	size_t n;

	assert_int_equal(visit_load(f->l, account, 0, &v, &n), 0);
	free(v);
	return (int)n;
}

static void test_reimport(void **state)
{
	struct fixture *f = *state;
	struct import_counts c;
	struct household h;
	struct visit *v = calloc(1, sizeof *v);
	char text[2048];

	write_csv(f, three_good_one_bad);
	assert_int_equal(run(f, 1, 0, &c), IMPORT_OK);
	gw_strlcpy(v->account, "A1", sizeof v->account);
	gw_strlcpy(v->actor, "inspector 7", sizeof v->actor);
	v->role = ROLE_INSPECT;
	v->outcome = OUT_NOT_HOME;
	v->at = 1700000000;
	assert_int_equal(visit_record(f->l, v), 0);
	free(v);
	/* A1 moved to another room, A2 unchanged, A4 missing (kept), A5 new. */
	snprintf(text, sizeof text, "%s%s", header,
		 "A1,居民,管道天然气,否,,张三,13800000001,建设路街道,一社区,幸福小区,1,2,3,302\r\n"
		 "A2,非居民,瓶装液化石油气,,catering,\"老王饭店, 分店\",0371-65123456,建设路街道,一社区,,,,,\r\n"
		 "A5,居民,管道天然气,否,,赵六,,建设路街道,,,,,,\r\n");
	write_csv(f, text);
	assert_int_equal(run(f, 0, 0, &c), IMPORT_OK);
	assert_int_equal(c.rows, 3);
	assert_int_equal(c.updated, 1);
	assert_int_equal(c.unchanged, 1);
	assert_int_equal(c.added, 1);
	assert_int_equal(households(f), 4);
	assert_int_equal(household_get(f->l, "A1", &h), 0);
	assert_string_equal(h.room, "302");
	assert_int_equal(count_visits(f, "A1"), 1);
	assert_int_equal(run(f, 0, 0, &c), IMPORT_OK); /* the same list again changes nothing */
	assert_int_equal(c.unchanged, 3);
	assert_int_equal(c.added + c.updated, 0);
	assert_int_equal(count_visits(f, "A1"), 1);
}

static void test_reasons(void **state)
{
	struct fixture *f = *state;
	struct import_counts c;
	/* enough valid UTF-8 that one damaged name does not make the file GB18030 */
	static const char long_zh[] = "幸福小区幸福小区幸福小区幸福小区幸福小区幸福小区幸福小区幸福小区幸福小区幸福小区";
	char text[4096], name[260];

	memset(name, 'n', 201);
	name[201] = '\0';
	snprintf(text, sizeof text,
		 "account,category,gas,sector,name,extra\n"
		 "B1,residential,pipeline,,%s,whatever\n"                 /* 2 */
		 "B2,residential,coal,,x,\n"                              /* 3 */
		 ",residential,pipeline,,x,\n"                            /* 4 */
		 "B1,residential,pipeline,,again,\n"                      /* 5 */
		 "B3,non_residential,pipeline,,x,\n"                      /* 6 */
		 "B4,non_residential,pipeline,bakery,x,\n"                /* 7 */
		 "B5,residential,pipeline,,%s,\n"                         /* 8 */
		 "B6,residential,pipeline,,\xff\xfe,\n"                   /* 9 */
		 "B7,residential\n"                                       /* 10 */
		 "\"B8\nB8\",residential,pipeline,,x,\n"                  /* 11-12 */
		 ",,,,,\n"                                                /* 13: blank */
		 "B9,residential,pipeline,,\"x\n",                        /* 14 */
		 long_zh, name);
	write_csv(f, text);
	assert_int_equal(run(f, 0, 0, &c), IMPORT_REJECTED);
	assert_string_equal(f->rejects,
			    "3: unknown gas type \"coal\" (expected 管道天然气, 瓶装液化石油气, "
			    "pipeline or lpg)\n"
			    "4: missing account\n"
			    "5: duplicate account B1 (first on line 2)\n"
			    "6: non-residential without a sector\n"
			    "7: unknown sector \"bakery\" (see data/sectors.tsv)\n"
			    "8: field too long: name (201 characters, at most 66)\n"
			    "9: bad encoding in name (not valid UTF-8)\n"
			    "10: wrong number of fields: 2 (the header has 6)\n"
			    "14: unterminated quoted field (the file ends inside quotes)\n");
	assert_int_equal(c.rows, 11);
	assert_int_equal(c.rejected, 9);
	assert_int_equal(households(f), 0);
}

static void test_header_errors(void **state)
{
	struct fixture *f = *state;
	struct import_counts c;

	write_csv(f, "name,category\nx,residential\n");
	assert_int_equal(run(f, 0, 0, &c), -1);
	assert_non_null(strstr(gw_error(), "list.csv:1: no 用户编号/account column"));
	write_csv(f, "\n\naccount,用户编号,category\n");
	assert_int_equal(run(f, 0, 0, &c), -1);
	assert_non_null(strstr(gw_error(), "list.csv:3: column 用户编号/account appears twice"));
	write_csv(f, "");
	assert_int_equal(run(f, 0, 0, &c), -1);
	assert_non_null(strstr(gw_error(), "empty file"));
	unlink(f->csv);
	assert_int_equal(run(f, 0, 0, &c), -1);
	assert_non_null(strstr(gw_error(), "list.csv"));
}

static void test_gb18030_file(void **state)
{
	struct fixture *f = *state;
	struct import_counts c;
	struct household h;
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	char gb[4096], *ip = (char *)three_good_one_bad, *op = gb;
	size_t il = strlen(three_good_one_bad), ol = sizeof gb - 1;

	assert_int_not_equal(iconv(cd, &ip, &il, &op, &ol), (size_t)-1);
	iconv_close(cd);
	*op = '\0';
	write_csv(f, gb);
	assert_int_equal(run(f, 1, 0, &c), IMPORT_OK);
	assert_int_equal(c.added, 3);
	assert_non_null(strstr(f->rejects, "4: unknown category \"居民户\""));
	assert_int_equal(household_get(f->l, "A1", &h), 0);
	assert_string_equal(h.compound, "幸福小区");
}

/* Full-width characters, Excel's damage, subdistricts, phones, an empty category. */
static void test_dirty(void **state)
{
	struct fixture *f = *state;
	struct import_counts c;
	struct household h;

	write_csv(f, "用户编号,用户类型,联系电话,街道,房号\n"
		     "０１００００００１,居民,１３８ ０００ ０００ ０１,林山寨街道,４０２\n" /* 2 */
		     "010000002,居民,0371-6512,林山寨,403\n"                          /* 3 */
		     "7.00003E+08,居民,,林山寨街道,404\n"                             /* 4 */
		     "010000004,,,林山寨街道,405\n"                                   /* 5 */
		     "010000005,居民,,棉纺街道,406\n"                                 /* 6 */
		     "010000006,居民,,,407\n"                                         /* 7: none */
		     "010000007,居民,+86 138-0000-0007/65123456转801,LSZ,408\n");      /* 8 */
	assert_int_equal(run(f, 1, 0, &c), IMPORT_OK);
	assert_string_equal(f->rejects,
			    "4: account 7.00003E+08 is in scientific notation, as Excel shows a long "
			    "number: the digits are lost; export the list again with the column "
			    "formatted as text\n"
			    "5: missing category\n"
			    "6: unknown subdistrict \"棉纺街道\" (not one of data/subdistricts.tsv; "
			    "nearest: 棉纺路街道)\n");
	assert_string_equal(f->warnings,
			    "3: subdistrict \"林山寨\" taken as 林山寨街道; phone \"0371-6512\" does "
			    "not look like a phone number (kept as it is)\n"
			    "8: subdistrict \"LSZ\" taken as 林山寨街道\n");
	assert_int_equal(c.added, 4);
	assert_int_equal(c.warnings, 2);
	assert_int_equal(household_get(f->l, "010000001", &h), 0);
	assert_string_equal(h.phone, "138 000 000 01");
	assert_string_equal(h.room, "402");
	assert_int_equal(household_get(f->l, "010000002", &h), 0);
	assert_string_equal(h.subdistrict, "林山寨街道");
	/* the ledger's accounts have 9 digits now: one without its leading zero is refused */
	write_csv(f, "account,category,subdistrict\n10000009,residential,林山寨街道\n");
	assert_int_equal(run(f, 0, 1, &c), IMPORT_REJECTED);
	assert_string_equal(f->rejects,
			    "2: account 10000009 has 8 digits, the ledger's accounts have 9: leading "
			    "zeros lost? Export the list again with the column formatted as text\n");
	assert_int_equal(ledger_setting_set(f->l, "account_length", "10"), 0);
	write_csv(f, "account,category\n010000009,residential\n");
	assert_int_equal(run(f, 0, 1, &c), IMPORT_REJECTED);
	assert_non_null(strstr(f->rejects, "has 9 digits, account_length is 10"));
}

/* Duplicates found in a sorted prefix, then out of order, beyond the first thousands. */
static void test_duplicates_any_order(void **state)
{
	struct fixture *f = *state;
	struct import_counts c;
	size_t cap = 80000 * 40, n = 0;
	char *text = malloc(cap);

	n += (size_t)snprintf(text + n, cap - n, "account,category\n");
	for (int i = 0; i < 70000; i++) /* lines 2..70001, sorted */
		n += (size_t)snprintf(text + n, cap - n, "A%06d,residential\n", i * 2);
	n += (size_t)snprintf(text + n, cap - n, "A000001,residential\n"); /* 70002: out of order */
	n += (size_t)snprintf(text + n, cap - n, "A000004,residential\n"); /* 70003: line 4's */
	n += (size_t)snprintf(text + n, cap - n, "A000001,residential\n"); /* 70004: 70002's */
	n += (size_t)snprintf(text + n, cap - n, "A139998,residential\n"); /* 70005: the last */
	write_csv(f, text);
	free(text);
	assert_int_equal(run(f, 1, 0, &c), IMPORT_OK);
	assert_string_equal(f->rejects, "70003: duplicate account A000004 (first on line 4)\n"
					"70004: duplicate account A000001 (first on line 70002)\n"
					"70005: duplicate account A139998 (first on line 70001)\n");
	assert_int_equal(c.added, 70001);
	assert_int_equal(households(f), 70001);
}

/* A first import of a shuffled list bigger than the accounts kept in memory: a repeat
 * of an account read after the memory filled is found by the insert itself. */
static void test_duplicates_beyond_memory(void **state)
{
	struct fixture *f = *state;
	struct import_counts c;
	const long n = SEEN_MEMORY_MAX + 1000;
	size_t cap = (size_t)(n + 4) * 32, len = 0;
	char *text = malloc(cap), expect[256];

	len += (size_t)snprintf(text + len, cap - len, "account,category\n");
	for (long i = 1; i <= n; i++) /* a scrambled order: 7919 is prime, n is not its multiple;
						 * in long long: i * 7919 passes 2^31 (armhf's long) */
		len += (size_t)snprintf(text + len, cap - len, "D%07lld,residential\n", (long long)i * 7919 % n);
	len += (size_t)snprintf(text + len, cap - len, "D%07lld,residential\n", ((long long)n * 7919 - 7919) % n);
	len += (size_t)snprintf(text + len, cap - len, "D%07lld,residential\n", 7919LL % n);
	write_csv(f, text);
	free(text);
	assert_int_equal(run(f, 1, 0, &c), IMPORT_OK);
	/* the last row but one repeats line n (after the memory filled): found by its insert;
	 * the last repeats line 2 (in memory): its first line is known */
	snprintf(expect, sizeof expect,
		 "%ld: duplicate account D%07lld (earlier in the file)\n"
		 "%ld: duplicate account D%07lld (first on line 2)\n",
		 n + 2, ((long long)n * 7919 - 7919) % n, n + 3, 7919LL % n);
	assert_string_equal(f->rejects, expect);
	assert_int_equal(c.added, n);
	assert_int_equal(households(f), n);
}

/* The file of rejected rows: the header, the rows as read, a reason; BOM and CRLF. */
static void test_rejects_file(void **state)
{
	struct fixture *f = *state;
	struct import_counts c;
	char path[128], buf[1024];
	FILE *fp;
	size_t n;

	snprintf(path, sizeof path, "%s/rejects.csv", f->t.dir);
	f->rejects_file = path;
	write_csv(f, "account,category,备注\n"
		     "C1,residential,\"a, \"\"b\"\"\"\n"
		     "C2,villa,\"two\nlines\"\n"
		     "C3\n");
	assert_int_equal(run(f, 1, 0, &c), IMPORT_OK);
	f->rejects_file = NULL;
	fp = fopen(path, "rb");
	assert_non_null(fp);
	n = fread(buf, 1, sizeof buf - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	assert_string_equal(buf, "\xEF\xBB\xBF" "account,category,备注,rejection reason\r\n"
				 "C2,villa,\"two\nlines\",\"unknown category \"\"villa\"\" "
				 "(expected 居民, 非居民, residential or non_residential)\"\r\n"
				 "C3,,,wrong number of fields: 1 (the header has 3)\r\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_all_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skip_invalid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dry_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reimport, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reasons, setup, teardown),
		cmocka_unit_test_setup_teardown(test_header_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gb18030_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dirty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicates_any_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rejects_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicates_beyond_memory, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
