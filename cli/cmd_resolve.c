/* gaswalk resolve ID --keep DEVICE/SEQ: settle a conflict; the other visit is set aside. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/devarg.h"
#include "core/i18n.h"
#include "core/util.h"
#include "sync/audit.h"
#include "sync/conflict.h"

static const char usage[] = "resolve ID --keep DEVICE/SEQ";

int cmd_resolve(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {{"keep", required_argument, NULL, 'k'}, {0, 0, 0, 0}};
	struct visit_id keep;
	const char *keep_arg = NULL;
	struct ledger *l;
	char *end, detail[96], kept[300];
	long long id;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'k')
			return cli_usage(usage);
		keep_arg = optarg;
	}
	if (!keep_arg || optind != argc - 1)
		return cli_usage(usage);
	id = strtoll(argv[optind], &end, 10);
	if (*end || id <= 0)
		return cli_usage(usage);
	if (cli_open(cli, &l))
		return 1;
	if (cli_visit_arg(l, keep_arg, &keep)) {
		ledger_close(l);
		return 1;
	}
	snprintf(detail, sizeof detail, _("conflict %lld: kept %s/%lld"), id, keep.device,
		 (long long)keep.seq);
	if (ledger_begin(l) || conflict_resolve(l, id, &keep) ||
	    audit_append(l, NULL, 0, NULL, "resolved", detail) || ledger_commit(l)) {
		ledger_rollback(l);
		rc = cli_fail();
	} else {
		cli_visit_label(l, &keep, kept, sizeof kept);
		printf(_("conflict %lld resolved: kept visit %s\n"), id, kept);
	}
	ledger_close(l);
	return cli_finish(rc);
}
