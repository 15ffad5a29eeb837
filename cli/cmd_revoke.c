/* gaswalk revoke DEVICE: refuse that device's key from now on, under any id or name
 * (what it sent before stays). DEVICE: its name, OFFICE/NAME or its id. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "sync/audit.h"
#include "sync/keys.h"

static const char usage[] = "revoke DEVICE";

static int revoke(struct ledger *l, const struct sync_device *d)
{
	char detail[200];

	snprintf(detail, sizeof detail, "%s %s", d->ident.kind, d->ident.name);
	if (ledger_begin(l) ||
	    sync_revoke_key(l, d->ident.sign_pk, d->ident.box_pk, gw_now(), "") < 0 ||
	    audit_append(l, d->ident.id, 0, NULL, "revoked", detail) || ledger_commit(l)) {
		ledger_rollback(l);
		return -1;
	}
	return 0;
}

int cmd_revoke(int argc, char **argv, struct cli *cli)
{
	struct sync_device d;
	struct ledger *l;
	char name[256];
	int rc = 0;

	if (argc != 2 || argv[1][0] == '-')
		return cli_usage(usage);
	if (cli_open(cli, &l))
		return 1;
	if (sync_device_resolve(l, argv[1], &d)) {
		rc = cli_fail();
	} else if (d.self) {
		rc = cli_error(_("%s: this ledger's own identity cannot be revoked"), argv[1]);
	} else if (d.revoked_at) {
		printf(_("device %s was already revoked\n"), d.ident.id);
	} else if (revoke(l, &d)) {
		rc = cli_fail();
	} else {
		text_clean(d.ident.name, name, sizeof name);
		printf(_("revoked %s (%s): its key is refused from now on, under any id or name\n"),
		       name, d.ident.id);
	}
	ledger_close(l);
	return cli_finish(rc);
}
