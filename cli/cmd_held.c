/* gaswalk held [--all] | held accept|reject ID --reason TEXT: bundles held whole for
 * their time bounds (sync/FORMAT.md, "Time"), and the clerk's decision on each. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/devarg.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "sync/held.h"

static const char usage[] = "held [--all] | held accept|reject ID --reason TEXT";

static int show(void *ctx, const struct held_bundle *b)
{
	char at[40], reason[600], why[600], dev[300];

	cli_device_label(ctx, b->device, dev, sizeof dev);
	time_format_iso(b->held_at, time_local_offset(b->held_at), at, sizeof at);
	text_clean(b->reason, reason, sizeof reason);
	printf(_("%lld  %s, bundle %lld  held %s: %s\n"), (long long)b->id, dev, (long long)b->seq,
	       at, reason);
	if (b->decision[0]) {
		text_clean(b->why, why, sizeof why);
		printf(_("    %s: %s\n"), strcmp(b->decision, "accepted") ? _("rejected") : _("accepted"),
		       why);
	}
	return 0;
}

static int list(struct cli *cli, int all)
{
	struct ledger *l;
	int rc = 0;

	if (cli_open(cli, &l))
		return 1;
	if (sync_held_each(l, all, show, l))
		rc = cli_fail();
	ledger_close(l);
	return cli_finish(rc);
}

static int decide(struct cli *cli, int accept, const char *id_arg, const char *reason)
{
	struct merge_report r;
	struct sync_keys *k = NULL;
	struct ledger *l;
	char *end;
	long long id = strtoll(id_arg, &end, 10);
	int rc = 0;

	if (*end || id <= 0)
		return cli_usage(usage);
	if (cli_open(cli, &l))
		return 1;
	if (!(k = sync_keys_load(l)) || sync_held_decide(l, k, id, accept, reason, &r))
		rc = cli_fail();
	else if (accept)
		printf(_("held bundle %lld accepted and merged: %lld new visits, %lld already there\n"),
		       id, (long long)r.visits_new, (long long)r.visits_dup);
	else
		printf(_("held bundle %lld rejected\n"), id);
	sync_keys_free(k);
	ledger_close(l);
	return cli_finish(rc);
}

int cmd_held(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {{"all", no_argument, NULL, 'a'},
					     {"reason", required_argument, NULL, 'r'},
					     {0, 0, 0, 0}};
	const char *reason = NULL;
	int c, all = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'a')
			all = 1;
		else if (c == 'r')
			reason = optarg;
		else
			return cli_usage(usage);
	}
	if (optind == argc && !reason)
		return list(cli, all);
	if (optind != argc - 2 || !reason || all ||
	    (strcmp(argv[optind], "accept") != 0 && strcmp(argv[optind], "reject") != 0))
		return cli_usage(usage);
	return decide(cli, strcmp(argv[optind], "accept") == 0, argv[optind + 1], reason);
}
