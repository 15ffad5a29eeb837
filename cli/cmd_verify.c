/* gaswalk verify FILE...: every check merge makes (sync/merge.c runs the merge in a
 * transaction it rolls back), without touching the ledger. */
#include "cli/cli.h"

int cmd_verify(int argc, char **argv, struct cli *cli)
{
	if (argc < 2 || argv[1][0] == '-')
		return cli_usage("verify FILE...");
	return cli_finish(cli_merge_run(cli, argc, argv, 1));
}
