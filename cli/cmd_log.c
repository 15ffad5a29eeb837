/* gaswalk log [--verify]: the merge log, and a check of its hash chain. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "sync/audit.h"

static const char usage[] = "log [--verify]";

static int print_entry(void *ctx, const struct audit_entry *e, int ok)
{
	char at[40], detail[600];

	(void)ok;
	if (ctx)
		return 0;
	time_format_iso(e->at, time_local_offset(e->at), at, sizeof at);
	text_clean(e->detail, detail, sizeof detail);
	printf("%lld %s %-8s %s %lld %.16s %s\n", (long long)e->id, at, e->result,
	       e->device[0] ? e->device : "-", (long long)e->bundle_seq,
	       e->bundle_hash[0] ? e->bundle_hash : "-", detail);
	return 0;
}

int cmd_log(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {{"verify", no_argument, NULL, 'v'}, {0, 0, 0, 0}};
	struct ledger *l;
	int c, verify = 0, rc = 0;
	int64_t bad;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'v')
			return cli_usage(usage);
		verify = 1;
	}
	if (optind != argc)
		return cli_usage(usage);
	if (cli_open(cli, &l))
		return 1;
	bad = audit_walk(l, print_entry, verify ? &verify : NULL);
	if (bad < 0)
		rc = cli_fail();
	else if (bad > 0)
		rc = cli_error(_("merge log: entry %lld does not match its hash chain (edited or removed)"),
			       (long long)bad);
	else if (verify)
		printf(_("merge log: chain intact\n"));
	ledger_close(l);
	return cli_finish(rc);
}
