/* gaswalk tui [--camera DIR]: the handheld's screens. */
#include <getopt.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/util.h"
#include "tui/tui.h"

static const char usage[] = "tui [--camera DIR]";

int cmd_tui(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {
		{"camera", required_argument, NULL, 'c'},
		{"exit-after-draw", no_argument, NULL, 'x'}, /* hidden: for timing */
		{0, 0, 0, 0},
	};
	struct tui_options o = {NULL, 0};
	struct ledger *l;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'c')
			o.camera_dir = optarg;
		else if (c == 'x')
			o.exit_after_draw = 1;
		else
			return cli_usage(usage);
	}
	if (optind != argc)
		return cli_usage(usage);
	if (!isatty(STDIN_FILENO) && !o.exit_after_draw)
		return cli_error("%s", _("tui needs a terminal"));
	if (cli_open(cli, &l))
		return 1;
	rc = tui_run(l, &o);
	if (rc != 0)
		cli_fail();
	ledger_close(l);
	return rc;
}
