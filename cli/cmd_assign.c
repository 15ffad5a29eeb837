/* gaswalk assign --device D [--compound [SUBDISTRICT/]C]... -o PACK */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/compound.h"
#include "core/i18n.h"
#include "core/util.h"
#include "sync/pack.h"

static const char usage[] = "assign --device D --compound [SUBDISTRICT/]C... -o PACK";

#define KEY_SIZE (2 * HH_PLACE_MAX + 2)

/* Each --compound as "subdistrict/compound" (a compound is (subdistrict, compound):
 * a name two subdistricts have is refused with the choices). keys: n * KEY_SIZE. */
static int resolve_compounds(struct ledger *l, char **compounds, int n, char *keys)
{
	struct compound_ref ref;

	for (int i = 0; i < n; i++) {
		if (compound_resolve(l, compounds[i], &ref))
			return -1;
		compound_format(&ref, keys + (size_t)i * KEY_SIZE, KEY_SIZE);
		compounds[i] = keys + (size_t)i * KEY_SIZE;
	}
	return 0;
}

int cmd_assign(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {{"device", required_argument, NULL, 'd'},
					     {"compound", required_argument, NULL, 'c'},
					     {0, 0, 0, 0}};
	const char *device = NULL, *out = NULL;
	char **compounds = xcalloc((size_t)argc, sizeof *compounds);
	char *keys = xcalloc((size_t)argc, KEY_SIZE);
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
		free(keys);
		return cli_usage(usage);
	}
	if (cli_open(cli, &l)) {
		free(compounds);
		free(keys);
		return 1;
	}
	k = NULL;
	if (resolve_compounds(l, compounds, n, keys) || !(k = sync_keys_load(l)) ||
	    sync_assign(l, k, device, compounds, n, out, &r)) {
		rc = cli_fail();
	} else {
		printf(_("pack %s for %s: sequence %lld, %lld households, %lld visits, acknowledging its records up to %lld\n"),
		       out, device, (long long)r.seq, (long long)r.households, (long long)r.visits,
		       (long long)r.ack);
		printf(_("hash %s\n"), r.hash);
	}
	sync_keys_free(k);
	ledger_close(l);
	free(compounds);
	free(keys);
	return cli_finish(rc);
}
