/* gaswalk revoke DEVICE: refuse that device's bundles from now on (merged ones stay). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/util.h"
#include "sync/audit.h"
#include "sync/keys.h"

static const char usage[] = "revoke DEVICE";

int cmd_revoke(int argc, char **argv, struct cli *cli)
{
	struct sync_device d;
	struct ledger *l;
	char now[24];
	int rc = 0;

	if (argc != 2 || argv[1][0] == '-')
		return cli_usage(usage);
	if (cli_open(cli, &l))
		return 1;
	snprintf(now, sizeof now, "%lld", (long long)gw_now());
	const char *p[] = {now, argv[1]};
	if (sync_device_get(l, argv[1], &d)) {
		rc = cli_fail();
	} else if (d.self) {
		rc = cli_error(_("%s: this ledger's own identity cannot be revoked"), argv[1]);
	} else if (d.revoked_at) {
		printf(_("device %s was already revoked\n"), argv[1]);
	} else if (ledger_begin(l) ||
		   ledger_exec(l, "UPDATE device SET revoked_at = ? WHERE id = ?", 2, p) ||
		   audit_append(l, argv[1], 0, NULL, "revoked", "") || ledger_commit(l)) {
		ledger_rollback(l);
		rc = cli_fail();
	} else {
		printf(_("revoked device %s: its bundles are refused from now on\n"), argv[1]);
	}
	ledger_close(l);
	return cli_finish(rc);
}
