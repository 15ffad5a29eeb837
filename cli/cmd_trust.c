/* gaswalk trust KEY|FILE: the office this ledger sends its bundles to and takes
 * assignment packs from (a terminal's office, or a subdistrict's district). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "sync/keys.h"

static const char usage[] = "trust KEY|FILE";

int cmd_trust(int argc, char **argv, struct cli *cli)
{
	struct sync_identity id;
	char fpr[SYNC_FPR_MAX], name[256];
	struct ledger *l;
	int rc = 0, added;

	if (argc != 2 || argv[1][0] == '-')
		return cli_usage(usage);
	if (sync_identity_arg(argv[1], &id))
		return cli_fail();
	if (strcmp(id.kind, "office") != 0)
		return cli_error(_("%s: a terminal's identity; trust takes an office's"), id.id);
	if (cli_open(cli, &l))
		return 1;
	if (ledger_begin(l) || (added = sync_device_add(l, &id)) < 0 ||
	    ledger_meta_set(l, "upstream", id.id) || ledger_commit(l)) {
		ledger_rollback(l);
		rc = cli_fail();
	} else {
		sync_fingerprint(id.sign_pk, fpr);
		text_clean(id.name, name, sizeof name);
		printf(_("trusting office %s (%s), fingerprint %s%s\n"), name, id.id, fpr,
		       added == 1 ? _(" (already known)") : "");
	}
	ledger_close(l);
	return cli_finish(rc);
}
