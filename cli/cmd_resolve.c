/* gaswalk resolve ID --keep DEVICE/SEQ: settle a conflict; the other visit is set aside. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/util.h"
#include "sync/audit.h"
#include "sync/conflict.h"

static const char usage[] = "resolve ID --keep DEVICE/SEQ";

static int parse_visit_id(const char *s, struct visit_id *id)
{
	const char *slash = strchr(s, '/');
	char *end;

	if (!slash || slash - s > DEVICE_ID_MAX)
		return -1;
	memcpy(id->device, s, (size_t)(slash - s));
	id->device[slash - s] = '\0';
	id->seq = strtoll(slash + 1, &end, 10);
	return *end || id->seq <= 0 ? -1 : 0;
}

int cmd_resolve(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {{"keep", required_argument, NULL, 'k'}, {0, 0, 0, 0}};
	struct visit_id keep;
	const char *keep_arg = NULL;
	struct ledger *l;
	char *end, detail[96];
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
	if (*end || id <= 0 || parse_visit_id(keep_arg, &keep))
		return cli_usage(usage);
	if (cli_open(cli, &l))
		return 1;
	snprintf(detail, sizeof detail, "conflict %lld: kept %s/%lld", id, keep.device,
		 (long long)keep.seq);
	if (ledger_begin(l) || conflict_resolve(l, id, &keep) ||
	    audit_append(l, NULL, 0, NULL, "resolved", detail) || ledger_commit(l)) {
		ledger_rollback(l);
		rc = cli_fail();
	} else {
		printf(_("conflict %lld resolved: kept visit %s/%lld\n"), id, keep.device,
		       (long long)keep.seq);
	}
	ledger_close(l);
	return cli_finish(rc);
}
