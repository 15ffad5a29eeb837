/* gaswalk pin set|change [--pin-fd N]: put this ledger's secret keys under a PIN, or
 * change the PIN (Argon2id, sync/keys.c). From --pin-fd: `set` reads the new PIN,
 * `change` the current PIN then the new one, one a line; else both are asked on the
 * terminal (the new one twice). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/util.h"
#include "sync/keys.h"

static const char usage[] = "pin set|change [--pin-fd N]";

static int read_new(int from_fd, char *pin, size_t n)
{
	char again[SYNC_PIN_MAX + 2];

	if (sync_pin_read(_("new PIN (6 or more digits): "), pin, n) != 0)
		return cli_fail();
	if (!from_fd && (sync_pin_read(_("the PIN again: "), again, sizeof again) != 0 ||
			 strcmp(again, pin) != 0))
		return cli_error(_("the two PINs differ; nothing changed"));
	if (!sync_pin_ok(pin))
		return cli_error(_("a PIN is 6 to 32 digits; nothing changed"));
	return 0;
}

static int run(struct ledger *l, int change, int from_fd)
{
	char pin[SYNC_PIN_MAX + 2];
	struct sync_keys *k;
	int prot = sync_keys_protected(l), rc;

	if (prot < 0)
		return cli_fail();
	if (prot && !change)
		return cli_error(_("%s: the keys are under a PIN already; use 'gaswalk pin change'"),
				 ledger_path(l));
	if (!prot && change)
		return cli_error(_("%s: the keys are under no PIN yet; use 'gaswalk pin set'"),
				 ledger_path(l));
	if (!(k = sync_keys_load(l))) /* asks for the current PIN when there is one */
		return cli_fail();
	rc = read_new(from_fd, pin, sizeof pin);
	if (rc == 0 && sync_keys_write_pin(l, k, pin) != 0)
		rc = cli_fail();
	sync_keys_free(k);
	if (rc == 0)
		printf(change ? _("PIN changed\n")
			      : _("the keys are under the PIN now (Argon2id); forgetting it means "
				  "enrolling again\n"));
	return rc;
}

int cmd_pin(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {{"pin-fd", required_argument, NULL, 'f'}, {0, 0, 0, 0}};
	const char *fd = NULL;
	struct ledger *l;
	int c, change, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'f')
			return cli_usage(usage);
		fd = optarg;
	}
	if (optind != argc - 1 || (strcmp(argv[optind], "set") != 0 && strcmp(argv[optind], "change") != 0))
		return cli_usage(usage);
	change = strcmp(argv[optind], "change") == 0;
	if (fd && sync_pin_fd_arg(fd) != 0)
		return cli_fail();
	if (cli_open(cli, &l))
		return 1;
	rc = run(l, change, fd != NULL);
	ledger_close(l);
	return cli_finish(rc);
}
