/* gaswalk assign --device D [--compound C]... -o PACK */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/util.h"
#include "sync/pack.h"

static const char usage[] = "assign --device D --compound C... -o PACK";

int cmd_assign(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {{"device", required_argument, NULL, 'd'},
					     {"compound", required_argument, NULL, 'c'},
					     {0, 0, 0, 0}};
	const char *device = NULL, *out = NULL;
	char **compounds = xcalloc((size_t)argc, sizeof *compounds);
	struct pack_report r;
	struct sync_keys *k;
	struct ledger *l;
	int c, n = 0, rc = 0, bad = 0;

	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (c == 'd')
			device = optarg;
		else if (c == 'c')
			compounds[n++] = optarg;
		else if (c == 'o')
			out = optarg;
		else
			bad = 1;
	}
	if (bad || !device || !out || optind != argc) {
		free(compounds);
		return cli_usage(usage);
	}
	if (cli_open(cli, &l)) {
		free(compounds);
		return 1;
	}
	if (!(k = sync_keys_load(l)) || sync_assign(l, k, device, compounds, n, out, &r)) {
		rc = cli_fail();
	} else {
		printf(_("pack %s for %s: sequence %lld, %lld households, %lld visits, acknowledging bundle %lld\n"),
		       out, device, (long long)r.seq, (long long)r.households, (long long)r.visits,
		       (long long)r.ack);
		printf(_("hash %s\n"), r.hash);
	}
	sync_keys_free(k);
	ledger_close(l);
	free(compounds);
	return cli_finish(rc);
}
