/* gaswalk export [-o DIR] [--photos DIR]: the next bundle, and its receipt. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "sync/export.h"
#include "sync/keys.h"
#include "sync/qr.h"

static const char usage[] = "export [-o DIR] [--photos CAMERA_DIR] [--pin-fd N]";

static void print_receipt(struct ledger *l, const struct export_report *r)
{
	char line[256], list[600];

	printf(_("bundle %s\n"), r->path);
	printf(_("sequence %lld: %lld visits, %lld households, %lld photos\n"), (long long)r->seq,
	       (long long)r->visits, (long long)r->households, (long long)r->photos);
	printf(_("hash %s\n"), r->hash);
	if (r->bad_photos.n) {
		text_clean(r->bad_photos.list, list, sizeof list);
		fprintf(stderr, _("gaswalk: warning: %d photos not copied: %s\n"), r->bad_photos.n, list);
	}
	sync_receipt(l, r, line, sizeof line);
	printf("%s\n", line);
	qr_fprint(stdout, line);
}

static int run(struct ledger *l, const char *dir, const char *photos)
{
	struct export_report r;
	struct sync_keys *k = sync_keys_load(l);
	int rc;

	if (!k)
		return cli_fail();
	rc = sync_export(l, k, dir, photos, &r);
	sync_keys_free(k);
	/* remembered once an export with it worked: a failed export changes nothing */
	if (rc == 0 && photos) {
		char *abs = gw_abspath(photos);
		if (ledger_meta_set(l, "camera_dir", abs))
			rc = -1;
		free(abs);
	}
	if (rc != 0) {
		sync_export_report_free(&r);
		return cli_fail();
	}
	if (r.nothing)
		printf(_("nothing to export: every record up to %lld is acknowledged\n"),
		       (long long)r.acked);
	else
		print_receipt(l, &r);
	if (r.outside) /* a sub-office's roll-up carries only its own territory */
		printf(_("%lld households outside subdistrict %s not sent\n"), (long long)r.outside,
		       r.territory);
	sync_export_report_free(&r);
	return 0;
}

int cmd_export(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {{"photos", required_argument, NULL, 'p'},
					     {"pin-fd", required_argument, NULL, 'f'},
					     {0, 0, 0, 0}};
	const char *dir = ".", *photos = NULL;
	struct ledger *l;
	int c, rc;

	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (c == 'o')
			dir = optarg;
		else if (c == 'p')
			photos = optarg;
		else if (c == 'f' && sync_pin_fd_arg(optarg) != 0)
			return cli_fail(); /* the PIN of a terminal's key: read from fd N */
		else if (c != 'f')
			return cli_usage(usage);
	}
	if (optind != argc)
		return cli_usage(usage);
	if (cli_open(cli, &l))
		return 1;
	rc = run(l, dir, photos);
	ledger_close(l);
	return cli_finish(rc);
}
