/* gaswalk plan [import FILE.csv [--encoding E]]: the monthly compound plans. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/csvtab.h"
#include "core/i18n.h"
#include "core/plan.h"
#include "core/text.h"
#include "core/util.h"
#include "sync/territory.h"

static const char usage[] = "plan [import FILE.csv [--encoding auto|utf-8|gb18030]]";

enum { P_SUB, P_COMPOUND, P_MONTH, P_HOUSEHOLDS, P__N };

static const struct csvtab_col plan_cols[P__N] = {
	{"街道", "subdistrict", 1},
	{"小区", "compound", 1},
	{"月份", "month", 1},
	{"计划户数", "households", 1},
};

static const char sql_compound_known[] =
	"SELECT EXISTS(SELECT 1 FROM household h WHERE h.compound = ?2 AND h.subdistrict IN ("
	"SELECT code FROM subdistrict WHERE code = ?1 UNION SELECT name_zh FROM subdistrict "
	"WHERE code = ?1 UNION SELECT name_pinyin FROM subdistrict WHERE code = ?1))";
struct plan_run {
	struct ledger *l;
	char **keys; /* subdistrict code, compound and month of each row read, with its line */
	long *lines;
	size_t n, cap;
	struct territory t; /* a sub-office's own subdistrict (scoped): its plans only */
	int scoped;
};

/* The line where the same subdistrict, compound and month was read before, else 0. */
static long seen_before(struct plan_run *x, const char *code, const char *compound,
			const char *month, long line)
{
	size_t len = strlen(code) + strlen(compound) + strlen(month) + 3;
	char *key = xmalloc(len);

	snprintf(key, len, "%s\x1f%s\x1f%s", code, compound, month);
	for (size_t i = 0; i < x->n; i++) {
		if (strcmp(x->keys[i], key) == 0) {
			free(key);
			return x->lines[i];
		}
	}
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 64;
		x->keys = xrealloc(x->keys, x->cap * sizeof *x->keys);
		x->lines = xrealloc(x->lines, x->cap * sizeof *x->lines);
	}
	x->keys[x->n] = key;
	x->lines[x->n++] = line;
	return 0;
}

static void plan_run_free(struct plan_run *x)
{
	for (size_t i = 0; i < x->n; i++)
		free(x->keys[i]);
	free(x->keys);
	free(x->lines);
}

static int ask_int(struct ledger *l, const char *sql, const char *a, const char *b,
		   int64_t *out)
{
	sqlite3_stmt *st = ledger_stmt(l, sql);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ledger_db_fail(l, "read");
	return rc == SQLITE_ROW;
}

static int parse_households(const char *s, long *n)
{
	char *end;

	if (!s[0] || strspn(s, "0123456789") != strlen(s) || strlen(s) > 8)
		return -1;
	*n = strtol(s, &end, 10);
	return 0;
}

static int plan_row(void *ctx, long line, char cells[][CSVTAB_CELL_MAX])
{
	struct plan_run *x = ctx;
	char code[64], shown[100], month[PLAN_MONTH_LEN + 1];
	int64_t known = 0;
	long n, before;

	text_fit(cells[P_SUB], 40, 0, shown, sizeof shown);
	if (plan_subdistrict_code(x->l, cells[P_SUB], code, sizeof code) != 1)
		return gw_fail(GW_ERR_INPUT, _("unknown subdistrict '%s'"), shown);
	if (x->scoped && !territory_has(&x->t, code))
		return gw_fail(GW_ERR_INPUT, _("subdistrict '%s' is outside this office's subdistrict (%s): the level above refuses a plan of it"),
			       shown, x->t.code);
	if (plan_month_parse(cells[P_MONTH], month))
		return gw_fail(GW_ERR_INPUT, _("month must be YYYY-MM"));
	if (parse_households(cells[P_HOUSEHOLDS], &n))
		return gw_fail(GW_ERR_INPUT, _("planned households must be a whole number"));
	if (ask_int(x->l, sql_compound_known, code, cells[P_COMPOUND], &known) < 0)
		return -1;
	text_fit(cells[P_COMPOUND], 40, 0, shown, sizeof shown);
	if (!known)
		return gw_fail(GW_ERR_INPUT, _("compound '%s' has no households in that subdistrict"),
			       shown);
	before = seen_before(x, code, cells[P_COMPOUND], month, line);
	if (before)
		return gw_fail(GW_ERR_INPUT, _("compound '%s' and month %s already on line %ld"),
			       shown, month, before);
	return plan_put(x->l, code, cells[P_COMPOUND], month, n, "local");
}

static int import_plan(struct ledger *l, const char *path, enum enc enc)
{
	struct plan_run x = {l, NULL, NULL, 0, 0, {"", ""}, 0};
	long rows;

	if ((x.scoped = territory_own(l, &x.t)) < 0 || ledger_begin(l))
		return cli_fail();
	rows = csvtab_read(path, enc, plan_cols, P__N, plan_row, &x);
	plan_run_free(&x);
	if (rows < 0) {
		ledger_rollback(l);
		return cli_fail();
	}
	if (ledger_commit(l))
		return cli_fail();
	printf(_("%ld plan rows imported\n"), rows);
	return 0;
}

static const char sql_sub_name[] = "SELECT name_zh FROM subdistrict WHERE code = ?1";

/* The subdistrict as a person reads it: its Chinese name under --lang zh, else its code. */
static void sub_label(struct ledger *l, const char *code, char *out, size_t sz)
{
	sqlite3_stmt *st = i18n_is_zh() ? ledger_stmt(l, sql_sub_name) : NULL;

	gw_strlcpy(out, code, sz);
	if (!st)
		return;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && ledger_text(st, 0)[0])
		gw_strlcpy(out, ledger_text(st, 0), sz);
	sqlite3_reset(st);
}

static int show_row(void *ctx, const char *sub, const char *compound, const char *month,
		    long households, const char *origin)
{
	char c[100], s[100], name[100];

	(void)origin;
	sub_label(ctx, sub, name, sizeof name);
	text_fit(name, 12, 1, s, sizeof s);
	text_fit(compound, 24, 1, c, sizeof c);
	printf("%s  %s  %s  %6ld\n", s, c, month, households);
	return 0;
}

static int show(struct ledger *l)
{
	char s[100], c[100];

	text_fit(_("subdistrict"), 12, 1, s, sizeof s);
	text_fit(_("compound"), 24, 1, c, sizeof c);
	printf("%s  %s  %-7s  %s\n", s, c, _("month"), _("planned"));
	return plan_each(l, show_row, l) ? cli_fail() : 0;
}

int cmd_plan(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {{"encoding", required_argument, NULL, 'e'},
					     {0, 0, 0, 0}};
	struct ledger *l;
	int c, rc, enc = ENC_AUTO;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'e' || (enc = enc_parse(optarg)) < 0)
			return cli_usage(usage);
	}
	argc -= optind;
	argv += optind;
	if (!(argc == 0 || (argc == 2 && strcmp(argv[0], "import") == 0)))
		return cli_usage(usage);
	if (cli_open(cli, &l))
		return 1;
	rc = argc == 0 ? show(l) : import_plan(l, argv[1], (enum enc)enc);
	ledger_close(l);
	return cli_finish(rc);
}
