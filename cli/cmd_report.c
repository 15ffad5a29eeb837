/* gaswalk report: bulletins, rankings and lists, as text, CSV, XLSX or HTML. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/plan.h"
#include "core/util.h"
#include "report/attribution.h"
#include "report/output.h"
#include "report/report.h"

static const char usage[] =
	"report KIND [--as-of DATE] [--format text|csv|xlsx|html] [-o FILE] [--months N]\n"
	"       [--category residential|non-residential|all] [--households]\n"
	"       [--month YYYY-MM] [--product CODE] [--serial-from A] [--serial-to B]\n"
	"  KIND: weekly ranking sector funding prices valves suspensions acceptance overdue\n"
	"        rectifications plan products revisits household-changes\n"
	"  DATE: YYYY-MM-DD or YYYY/MM/DD; --category: the ranking's population (default: the\n"
	"  category whose deadline comes next); --households: funding lists each household";

static const struct {
	const char *name;
	report_kind_fn fn;
} kinds[] = {
	{"weekly", report_weekly},	   {"ranking", report_ranking},
	{"sector", report_sector},	   {"funding", report_funding},
	{"prices", report_prices},	   {"valves", report_valves},
	{"suspensions", report_suspensions}, {"acceptance", report_acceptance},
	{"overdue", report_overdue},
	{"rectifications", report_rectifications}, {"plan", report_plan},
	{"products", report_products}, {"revisits", report_revisits},
	{"household-changes", report_household_changes},
};

/* --month (plan), --product, --serial-from, --serial-to (products). */
static const char *opt_month, *opt_product, *opt_from, *opt_to;
static char month_buf[PLAN_MONTH_LEN + 1];

static int parse_p_opt(int c)
{
	switch (c) {
	case 'M':
		opt_month = month_buf;
		return plan_month_parse(optarg, month_buf);
	case 'p':
		opt_product = optarg;
		return 0;
	case 'F':
		opt_from = optarg;
		return 0;
	case 'T':
		opt_to = optarg;
		return 0;
	default:
		return -1;
	}
}

/* Hands the options to their kind; -1 when given to another kind. */
static int apply_p_opts(report_kind_fn kind)
{
	if (opt_month && kind != report_plan)
		return -1;
	if ((opt_product || opt_from || opt_to) && kind != report_products)
		return -1;
	report_plan_month(opt_month);
	report_products_filter(opt_product, opt_from, opt_to);
	return 0;
}

struct report_args {
	report_kind_fn kind;
	const char *as_of, *out;
	int format, months, category, households;
	char day[16]; /* --as-of as YYYY-MM-DD */
};

static int parse_months(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	return end == s || *end || n < 0 || n > 1200 ? -1 : (int)n;
}

static int parse_category(const char *s)
{
	if (!strcmp(s, "all"))
		return RCAT_ALL;
	if (!strcmp(s, "non-residential"))
		return CAT_NON_RESIDENTIAL;
	return category_parse(s); /* residential, non_residential; -1 otherwise */
}

/* "YYYY-MM-DD" or "YYYY/MM/DD" into out as YYYY-MM-DD; -1 when neither. */
static int parse_day(const char *s, char *out, size_t outsz)
{
	int day;

	gw_strlcpy(out, s, outsz);
	if (strlen(out) == 10 && out[4] == '/' && out[7] == '/')
		out[4] = out[7] = '-';
	return rday_parse(out, &day);
}

static int parse_opt(int c, struct report_args *a)
{
	switch (c) {
	case 'a':
		a->as_of = a->day;
		return parse_day(optarg, a->day, sizeof a->day);
	case 'f':
		return (a->format = report_format_parse(optarg)) < 0 ? -1 : 0;
	case 'o':
		a->out = optarg;
		return 0;
	case 'm':
		return (a->months = parse_months(optarg)) < 0 ? -1 : 0;
	case 'c':
		return (a->category = parse_category(optarg)) < 0 ? -1 : 0;
	case 'h':
		a->households = 1;
		return 0;
	default:
		return parse_p_opt(c);
	}
}

/* A wrong option value gets one line naming it (-2); anything else the usage (-1). */
static int bad_value(int c, const char *value)
{
	static const struct {
		int c;
		const char *opt, *want;
	} hints[] = {
		{'a', "--as-of", N_("a date, YYYY-MM-DD or YYYY/MM/DD")},
		{'f', "--format", N_("text, csv, xlsx or html")},
		{'m', "--months", N_("a number of months from 0 to 1200")},
		{'c', "--category", N_("residential, non-residential or all")},
		{'M', "--month", N_("a month, YYYY-MM")},
	};

	for (size_t i = 0; i < GW_ARRAY_LEN(hints); i++)
		if (hints[i].c == c && value) {
			cli_error(_("report: %s %s: expected %s"), hints[i].opt, value,
				  _(hints[i].want));
			return -2;
		}
	return -1;
}

static int parse_args(int argc, char **argv, struct report_args *a)
{
	static const struct option opts[] = {
		{"as-of", required_argument, NULL, 'a'}, {"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'}, {"months", required_argument, NULL, 'm'},
		{"category", required_argument, NULL, 'c'}, {"households", no_argument, NULL, 'h'},
		{"month", required_argument, NULL, 'M'}, {"product", required_argument, NULL, 'p'},
		{"serial-from", required_argument, NULL, 'F'}, {"serial-to", required_argument, NULL, 'T'},
		{0, 0, 0, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1)
		if (parse_opt(c, a))
			return bad_value(c, optarg);
	if (optind + 1 != argc)
		return -1;
	for (size_t i = 0; i < GW_ARRAY_LEN(kinds); i++)
		if (!strcmp(argv[optind], kinds[i].name))
			a->kind = kinds[i].fn;
	if (a->households && a->kind != report_funding)
		return -1;
	if (a->category != RCAT_DEFAULT && a->kind != report_ranking)
		return -1;
	if (a->kind && apply_p_opts(a->kind))
		return -1;
	return a->kind ? 0 : -1;
}

static int run(struct ledger *l, const struct report_args *a)
{
	struct rctx c;
	struct report *r = NULL;
	int rc = 1;

	if (rctx_open(&c, l, a->as_of) == 0) {
		c.months = a->months;
		c.category = a->category;
		c.households = a->households;
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
	struct report_args a = {NULL, NULL, NULL, RF_TEXT, 12, RCAT_DEFAULT, 0, ""};
	struct ledger *l;
	int rc;

	if ((rc = parse_args(argc, argv, &a)) != 0 || !a.kind)
		return rc == -2 ? 2 : cli_usage(usage);
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
