/* gaswalk waive [DEVICE/SEQ PHOTO --reason TEXT]: the photos merge found missing, and
 * the clerk's waiver of one, so its visit is acknowledged without it (logged). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "sync/held.h"

static const char usage[] = "waive [DEVICE/SEQ PHOTO --reason TEXT]";

static int show(void *ctx, const struct visit_id *id, const char *name, const char *hash)
{
	char shown[600];

	(void)ctx;
	text_clean(name, shown, sizeof shown);
	printf(_("%s/%lld  %s  missing (%.16s)\n"), id->device, (long long)id->seq, shown, hash);
	return 0;
}

static int parse_id(const char *s, struct visit_id *id)
{
	const char *slash = strrchr(s, '/');
	char *end;

	if (!slash || slash == s || (size_t)(slash - s) > DEVICE_ID_MAX)
		return -1;
	memcpy(id->device, s, (size_t)(slash - s));
	id->device[slash - s] = '\0';
	id->seq = strtoll(slash + 1, &end, 10);
	return *end || id->seq <= 0 ? -1 : 0;
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
	if (optind != argc && (optind != argc - 2 || !reason || parse_id(argv[optind], &id)))
		return cli_usage(usage);
	if (cli_open(cli, &l))
		return 1;
	if (optind == argc) {
		if (sync_photos_missing(l, show, NULL))
			rc = cli_fail();
	} else if (!(k = sync_keys_load(l)) ||
		   sync_photo_waive(l, k, &id, argv[optind + 1], reason)) {
		rc = cli_fail();
	} else {
		printf(_("photo %s of visit %s/%lld waived\n"), argv[optind + 1], id.device,
		       (long long)id.seq);
	}
	sync_keys_free(k);
	ledger_close(l);
	return cli_finish(rc);
}
