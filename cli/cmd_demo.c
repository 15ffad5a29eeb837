/* gaswalk demo [--households N] [--seed S] [--no-tui] */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/show.h"
#include "core/demo.h"
#include "core/i18n.h"
#include "core/util.h"
#include "sync/keys.h"
#include "tui/tui.h"

static const char usage[] = "demo [--households N] [--seed S] [--no-tui]";

static void print_summary(const char *path, const struct demo_summary *s)
{
	printf(_("demo district in %s: %ld households in %ld compounds, %ld visits\n"), path,
	       s->households, s->compounds, s->visits);
	printf(_("  residential: %ld pipeline, %ld LPG; non-residential: %ld pipeline, %ld LPG\n"),
	       s->by_category[CAT_RESIDENTIAL][GAS_PIPELINE], s->by_category[CAT_RESIDENTIAL][GAS_LPG],
	       s->by_category[CAT_NON_RESIDENTIAL][GAS_PIPELINE],
	       s->by_category[CAT_NON_RESIDENTIAL][GAS_LPG]);
	for (int st = 0; st < ST__N; st++)
		printf("  %s: %ld\n", label_state((enum state)st), s->by_state[st]);
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* The demo ends on the field terminal's screens when there is a terminal to draw on. */
static int open_tui(struct ledger *l)
{
	struct tui_options o = {NULL, 0};

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		printf("%s\n", _("(not a terminal: the field screens open with 'gaswalk tui')"));
		return 0;
	}
	fflush(stdout);
	if (tui_run(l, &o) != 0)
		return cli_fail();
	return 0;
}

int cmd_demo(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {
		{"households", required_argument, NULL, 'n'},
		{"seed", required_argument, NULL, 's'},
		{"no-tui", no_argument, NULL, 'T'},
		{0, 0, 0, 0},
	};
	struct demo_options o = {2000, 1, 0, 60};
	struct demo_summary sum;
	struct ledger *l;
	long seed = 1;
	int c, no_tui = 0, rc = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'n' && parse_long(optarg, 1, 5000000, &o.households) == 0)
			continue;
		if (c == 's' && parse_long(optarg, 0, 0x7fffffffL, &seed) == 0)
			continue;
		if (c == 'T') {
			no_tui = 1;
			continue;
		}
		return cli_usage(usage);
	}
	if (optind != argc)
		return cli_usage(usage);
	o.seed = (uint64_t)seed;
	o.today = gw_now();
	if (ledger_create(cli->db_path, "terminal", "demo", &l) != 0)
		return cli_fail();
	if (sync_keys_create(l) != 0 || demo_generate(l, &o, &sum) != 0) {
		rc = cli_fail();
	} else {
		print_summary(cli->db_path, &sum);
		rc = no_tui ? 0 : open_tui(l);
	}
	ledger_close(l);
	return cli_finish(rc);
}
