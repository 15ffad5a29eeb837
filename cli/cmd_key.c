/* gaswalk key show [--qr]: this ledger's public identity, for enroll and trust. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "sync/keys.h"
#include "sync/qr.h"

static const char usage[] = "key show [--qr]";

int cmd_key(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {{"qr", no_argument, NULL, 'q'}, {0, 0, 0, 0}};
	struct sync_identity id;
	char line[SYNC_ID_LINE_MAX], fpr[SYNC_FPR_MAX], name[256];
	struct ledger *l;
	int c, qr = 0, rc = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'q')
			return cli_usage(usage);
		qr = 1;
	}
	if (optind != argc - 1 || strcmp(argv[optind], "show") != 0)
		return cli_usage(usage);
	if (cli_open(cli, &l))
		return 1;
	if (sync_identity_self_signed(l, &id) != 0) {
		rc = cli_fail();
	} else {
		sync_identity_format(&id, line, sizeof line);
		sync_fingerprint(id.sign_pk, fpr);
		text_clean(id.name, name, sizeof name);
		printf("%s\n", line);
		printf(_("%s %s (%s), fingerprint %s\n"), strcmp(id.kind, "office") != 0 ? _("terminal") : _("office"),
		       name, id.id, fpr);
		if (qr && qr_fprint(stdout, line) != 0)
			rc = cli_fail();
	}
	ledger_close(l);
	return cli_finish(rc);
}
