/* gaswalk init --office NAME | --device NAME */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/util.h"
#include "sync/keys.h"

static const char usage[] = "init --office NAME | --device NAME";

int cmd_init(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {
		{"office", required_argument, NULL, 'o'},
		{"device", required_argument, NULL, 'd'},
		{0, 0, 0, 0},
	};
	const char *kind = NULL, *name = NULL;
	struct ledger *l;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'o' && c != 'd')
			return cli_usage(usage);
		if (kind)
			return cli_usage(usage);
		kind = c == 'o' ? "office" : "terminal";
		name = optarg;
	}
	if (!kind || optind != argc || !*name || strlen(name) > 100)
		return cli_usage(usage);
	if (access(cli->db_path, F_OK) != 0 && sync_keys_exist(cli->db_path))
		return cli_error(_("%s.key: a key file already exists; move it away first"),
				 cli->db_path);
	if (ledger_create(cli->db_path, kind, name, &l) != 0)
		return cli_fail();
	if (sync_keys_create(l) != 0) {
		cli_fail();
		ledger_close(l);
		return 1;
	}
	printf(_("created %s ledger %s for %s (device id %s)\n"),
	       strcmp(kind, "office") ? _("terminal") : _("office"), cli->db_path, name,
	       ledger_device_id(l));
	ledger_close(l);
	return cli_finish(0);
}
