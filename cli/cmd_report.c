/* gaswalk report: bulletins, rankings and lists, as text, CSV, XLSX or HTML. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/util.h"
#include "report/output.h"
#include "report/report.h"

static const char usage[] =
	"report KIND [--as-of YYYY-MM-DD] [--format text|csv|xlsx|html] [-o FILE] [--months N]\n"
	"  KIND: weekly ranking sector funding prices valves suspensions acceptance overdue";

static const struct {
	const char *name;
	report_kind_fn fn;
} kinds[] = {
	{"weekly", report_weekly},	   {"ranking", report_ranking},
	{"sector", report_sector},	   {"funding", report_funding},
	{"prices", report_prices},	   {"valves", report_valves},
	{"suspensions", report_suspensions}, {"acceptance", report_acceptance},
	{"overdue", report_overdue},
};

struct report_args {
	report_kind_fn kind;
	const char *as_of, *out;
	int format, months;
};

static int parse_months(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	return end == s || *end || n < 0 || n > 1200 ? -1 : (int)n;
}

static int parse_args(int argc, char **argv, struct report_args *a)
{
	static const struct option opts[] = {
		{"as-of", required_argument, NULL, 'a'}, {"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'}, {"months", required_argument, NULL, 'm'},
		{0, 0, 0, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		int day;

		if (c == 'a' && rday_parse(optarg, &day))
			return -1;
		if (c == 'a')
			a->as_of = optarg;
		else if (c == 'f' && (a->format = report_format_parse(optarg)) < 0)
			return -1;
		else if (c == 'o')
			a->out = optarg;
		else if (c == 'm' && (a->months = parse_months(optarg)) < 0)
			return -1;
		else if (c != 'f' && c != 'm')
			return -1;
	}
	if (optind + 1 != argc)
		return -1;
	for (size_t i = 0; i < GW_ARRAY_LEN(kinds); i++)
		if (!strcmp(argv[optind], kinds[i].name))
			a->kind = kinds[i].fn;
	return a->kind ? 0 : -1;
}

static int run(struct ledger *l, const struct report_args *a)
{
	struct rctx c;
	struct report *r = NULL;
	int rc = 1;

	if (rctx_open(&c, l, a->as_of) == 0) {
		c.months = a->months;
		r = a->kind(&c);
		if (r && report_write(r, (enum report_format)a->format, a->out) == 0)
			rc = 0;
	}
	if (rc)
		cli_fail();
	report_free(r);
	rctx_close(&c);
	return rc;
}

int cmd_report(int argc, char **argv, struct cli *cli)
{
	struct report_args a = {NULL, NULL, NULL, RF_TEXT, 12};
	struct ledger *l;
	int rc;

	if (parse_args(argc, argv, &a))
		return cli_usage(usage);
	if (a.format == RF_XLSX && !a.out) {
		cli_error(_("--format xlsx writes a file: give -o FILE"));
		return 2;
	}
	if (cli_open(cli, &l))
		return 1;
	rc = run(l, &a);
	ledger_close(l);
	return cli_finish(rc);
}
