/* gaswalk load PACK [--trust FINGERPRINT]: apply an assignment pack from the office. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/devarg.h"
#include "core/i18n.h"
#include "core/util.h"
#include "sync/keys.h"
#include "sync/pack.h"
#include "sync/prune.h"

static const char usage[] = "load PACK [--trust FINGERPRINT] [--pin-fd N]";

/* Households no longer assigned, their records acknowledged, leave the terminal. A
 * failure here loses nothing and fails nothing: the next pack tries again. */
static void prune(struct ledger *l)
{
	struct prune_report p;

	if (sync_prune(l, &p) != 0) {
		fprintf(stderr, "gaswalk: %s\n", gw_error());
		return;
	}
	if (p.households)
		printf(_("%lld households no longer assigned removed with their %lld visits (freed "
			 "pages overwritten)\n"),
		       (long long)p.households, (long long)p.visits);
	if (p.kept)
		printf(_("%lld households no longer assigned kept until the office acknowledges their "
			 "visits\n"),
		       (long long)p.kept);
	if (p.photos)
		printf(_("%lld of their photos deleted from the camera folder\n"), (long long)p.photos);
	if (p.photos_failed) /* the first one named; the ledger is pruned all the same */
		fprintf(stderr, _("gaswalk: %s; photos of households no longer assigned not deleted: "
				  "%lld\n"),
			p.photo_error, (long long)p.photos_failed);
}

int cmd_load(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {{"trust", required_argument, NULL, 't'},
					     {"pin-fd", required_argument, NULL, 'f'},
					     {0, 0, 0, 0}};
	const char *fpr = NULL;
	struct pack_report r;
	struct sync_keys *k;
	struct ledger *l;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'f' && sync_pin_fd_arg(optarg) != 0)
			return cli_fail(); /* the PIN of a terminal's key: read from fd N */
		else if (c == 't')
			fpr = optarg;
		else if (c != 'f')
			return cli_usage(usage);
	}
	if (optind != argc - 1)
		return cli_usage(usage);
	if (cli_open(cli, &l))
		return 1;
	if (!(k = sync_keys_load(l)) || sync_load(l, k, argv[optind], fpr, &r)) {
		rc = cli_fail();
	} else {
		char office[300];

		cli_device_label(l, r.office, office, sizeof office);
		if (r.trusted_now)
			printf(_("now trusting office %s (fingerprint given)\n"), office);
		if (r.fork)
			fprintf(stderr, "gaswalk: !!! %s\n", r.fork_why);
		printf(_("loaded pack %lld from office %s: %lld households, %lld visits; records up to %lld acknowledged\n"),
		       (long long)r.seq, office, (long long)r.households, (long long)r.visits,
		       (long long)r.ack);
		prune(l); /* the pack declared the whole assignment: the rest goes (issue 17) */
	}
	sync_keys_free(k);
	ledger_close(l);
	return cli_finish(rc);
}
