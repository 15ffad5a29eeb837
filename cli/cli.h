/* cli: the subcommands, one file each, dispatched from the table in main.c. */
#ifndef GW_CLI_H
#define GW_CLI_H

#include "core/ledger.h"

struct cli {
	const char *db_path;
	const char *lang;
};

/* Opens the ledger named by --db; on failure prints the one-line error. */
int cli_open(struct cli *cli, struct ledger **l);
/* Prints "usage: gaswalk USAGE" to stderr and returns 2. */
int cli_usage(const char *usage);
/* Prints the last failure as "gaswalk: ..." on stderr and returns 1. */
int cli_fail(void);
/* Prints a formatted one-line error and returns 1. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Checks stdout was written completely; returns the exit status to use. */
int cli_finish(int status);

#define CLI_COMMAND(name) int cmd_##name(int argc, char **argv, struct cli *cli)

CLI_COMMAND(init);
CLI_COMMAND(import);
CLI_COMMAND(record);
CLI_COMMAND(status);
CLI_COMMAND(list);
CLI_COMMAND(demo);
CLI_COMMAND(tui);
CLI_COMMAND(report);
CLI_COMMAND(sample);
CLI_COMMAND(key);
CLI_COMMAND(trust);
CLI_COMMAND(trust_replace);
CLI_COMMAND(pin);
CLI_COMMAND(enroll);
CLI_COMMAND(revoke);
CLI_COMMAND(assign);
CLI_COMMAND(load);
CLI_COMMAND(export);
CLI_COMMAND(verify);
CLI_COMMAND(merge);
CLI_COMMAND(conflicts);
CLI_COMMAND(resolve);
CLI_COMMAND(log);
CLI_COMMAND(provenance);
CLI_COMMAND(void);
CLI_COMMAND(held);
CLI_COMMAND(waive);
CLI_COMMAND(settings);
CLI_COMMAND(catalog);
CLI_COMMAND(plan);
/* merge and verify: one summary line per bundle (cli/cmd_merge.c). */
int cli_merge_run(struct cli *cli, int argc, char **argv, int verify_only);

#endif
