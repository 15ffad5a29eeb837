/* gaswalk enroll FILE|KEY --name NAME: add a terminal (or a sub-office) to the keyring. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "sync/keys.h"

static const char usage[] = "enroll FILE|KEY --name NAME";

int cmd_enroll(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {{"name", required_argument, NULL, 'n'}, {0, 0, 0, 0}};
	struct sync_identity id;
	const char *name = NULL;
	char fpr[SYNC_FPR_MAX], shown[256];
	struct ledger *l;
	int c, rc = 0, added;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'n')
			return cli_usage(usage);
		name = optarg;
	}
	if (!name || !*name || strlen(name) >= sizeof id.name || optind != argc - 1)
		return cli_usage(usage);
	if (sync_identity_arg(argv[optind], &id))
		return cli_fail();
	gw_strlcpy(id.name, name, sizeof id.name);
	if (cli_open(cli, &l))
		return 1;
	if (strcmp(ledger_kind(l), "office") != 0) {
		ledger_close(l);
		return cli_error(_("%s: only an office ledger enrolls devices"), cli->db_path);
	}
	if (ledger_begin(l) || (added = sync_device_add(l, &id)) < 0 || ledger_commit(l)) {
		ledger_rollback(l);
		rc = cli_fail();
	} else {
		sync_fingerprint(id.sign_pk, fpr);
		text_clean(id.name, shown, sizeof shown);
		printf(added == 1 ? _("%s %s (%s) was already enrolled, fingerprint %s\n")
				  : _("enrolled %s %s (%s), fingerprint %s\n"),
		       id.kind, shown, id.id, fpr);
	}
	ledger_close(l);
	return cli_finish(rc);
}
