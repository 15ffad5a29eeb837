/* gaswalk waive [DEVICE/SEQ PHOTO --reason TEXT]: the photos merge found missing, and
 * the clerk's waiver of one, so its visit is acknowledged without it (logged). */
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

static const char usage[] = "waive [DEVICE/SEQ PHOTO --reason TEXT]";

static int show(void *ctx, const struct visit_id *id, const char *name, const char *hash)
{
	char shown[600], visit[300];

	cli_visit_label(ctx, id, visit, sizeof visit);
	text_clean(name, shown, sizeof shown);
	printf(_("%s  %s  missing (%.16s)\n"), visit, shown, hash);
	return 0;
}

int cmd_waive(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {{"reason", required_argument, NULL, 'r'},
					     {0, 0, 0, 0}};
	const char *reason = NULL;
	struct sync_keys *k = NULL;
	struct visit_id id;
	struct ledger *l;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'r')
			return cli_usage(usage);
		reason = optarg;
	}
	if (optind != argc && (optind != argc - 2 || !reason))
		return cli_usage(usage);
	if (cli_open(cli, &l))
		return 1;
	if (optind == argc) {
		if (sync_photos_missing(l, show, l))
			rc = cli_fail();
	} else if (cli_visit_arg(l, argv[optind], &id)) {
		rc = 1;
	} else if (!(k = sync_keys_load(l)) ||
		   sync_photo_waive(l, k, &id, argv[optind + 1], reason)) {
		rc = cli_fail();
	} else {
		char shown[600], visit[300];

		cli_visit_label(l, &id, visit, sizeof visit);
		text_clean(argv[optind + 1], shown, sizeof shown);
		printf(_("photo %s of visit %s waived\n"), shown, visit);
	}
	sync_keys_free(k);
	ledger_close(l);
	return cli_finish(rc);
}
