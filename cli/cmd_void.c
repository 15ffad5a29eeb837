/* gaswalk void DEVICE/SEQ --reason TEXT: cancel a mistaken visit by a later record. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/devarg.h"
#include "core/i18n.h"
#include "core/util.h"
#include "sync/keys.h"
#include "sync/territory.h"

static const char usage[] = "void DEVICE/SEQ --reason TEXT [--actor ID]";

/* An office that rolls up voids only its own visits and those of the terminals it
 * enrolled: the level above refuses a roll-up whose own feed voids another's (the level
 * above's own checks, another office's visits), and the void cannot be taken back. */
static int office_may_void_device(struct ledger *l, const struct visit_id *target)
{
	char up[DEVICE_ID_MAX + 1], label[300];
	struct sync_device d;
	int rc;

	if (ledger_meta(l, "upstream", up, sizeof up) != 1 ||
	    strcmp(target->device, ledger_device_id(l)) == 0)
		return 0;
	rc = sync_device_get(l, target->device, &d);
	if (rc && gw_last_status() != GW_ERR_NOTFOUND)
		return cli_fail();
	gw_clear_error();
	if (rc == 0 && !d.self && !d.office[0] && strcmp(d.ident.kind, "terminal") == 0)
		return 0;
	cli_visit_label(l, target, label, sizeof label);
	if (strcmp(target->device, up) == 0)
		return cli_error(_("visit %s is the level above's own: an office voids only its own visits and its terminals' (the level above refuses the roll-up)"),
				 label);
	return cli_error(_("visit %s is not of a terminal this office enrolled: an office voids only its own visits and its terminals' (the level above refuses the roll-up)"),
			 label);
}

/* A sub-office voids only in its own subdistrict: the level above refuses a roll-up
 * whose own feed voids a visit elsewhere, and the void cannot be taken back. */
static int office_may_void(struct ledger *l, const struct visit_id *target)
{
	struct territory t;
	struct visit *v = xmalloc(sizeof *v);
	char sub[HH_PLACE_MAX + 1];
	int rc = visit_get(l, target, v), held = rc == 0;

	if (rc != 0) {
		gw_clear_error(); /* not here: visit_void_record says so */
		rc = 0;
	} else {
		rc = territory_own_outside(l, v->account, &t, sub, sizeof sub);
	}
	if (rc > 0)
		rc = cli_error(_("visit %s/%lld: household %s is in '%s', outside this office's subdistrict (%s): the level above refuses an office's void there"),
			       target->device, (long long)target->seq, v->account, sub, t.code);
	else if (rc < 0)
		rc = cli_fail();
	else if (held) /* held here: whose it is */
		rc = office_may_void_device(l, target);
	free(v);
	return rc;
}

int cmd_void(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {{"reason", required_argument, NULL, 'r'},
					     {"actor", required_argument, NULL, 'A'},
					     {0, 0, 0, 0}};
	const char *reason = NULL, *actor = NULL;
	struct visit_void w;
	struct visit_id target = {"", 0};
	struct ledger *l;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'r')
			reason = optarg;
		else if (c == 'A')
			actor = optarg;
		else
			return cli_usage(usage);
	}
	if (!reason || optind != argc - 1)
		return cli_usage(usage);
	if (cli_open(cli, &l))
		return 1;
	rc = cli_visit_arg(l, argv[optind], &target);
	if (rc == 0 && strcmp(ledger_kind(l), "office") == 0)
		rc = office_may_void(l, &target);
	if (rc == 0 && visit_void_record(l, target.device, target.seq, reason, actor, 0, &w))
		rc = cli_fail();
	if (rc == 0)
		printf(_("voided visit %s/%lld of %s (void %s/%lld)\n"), w.target.device,
		       (long long)w.target.seq, w.account, w.id.device, (long long)w.id.seq);
	ledger_close(l);
	return cli_finish(rc);
}
