/* gaswalk key show [--qr]: this ledger's public identity, for enroll and trust.
 * gaswalk key new [--replace] [--pin-fd N | --no-pin]: new keys for a terminal whose key
 * was destroyed (wrong PINs) or lost, or (--replace) whose key is still there but was
 * revoked (a lost terminal found again): the old key file is destroyed first. The
 * office enrolls it as the successor of the old identity (enroll --successor). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "sync/keys.h"
#include "sync/qr.h"

static const char usage[] = "key show [--qr] | key new [--replace] [--pin-fd N | --no-pin]";

static int show(struct ledger *l, int qr)
{
	struct sync_identity id;
	char line[SYNC_ID_LINE_MAX], fpr[SYNC_FPR_MAX], name[256];

	if (sync_identity_self_signed(l, &id) != 0)
		return cli_fail();
	sync_identity_format(&id, line, sizeof line);
	sync_fingerprint(id.sign_pk, fpr);
	text_clean(id.name, name, sizeof name);
	printf("%s\n", line);
	printf(_("%s %s (%s), fingerprint %s\n"), strcmp(id.kind, "office") != 0 ? _("terminal") : _("office"),
	       name, id.id, fpr);
	/* the fingerprint: 26 alphanumerics, a version-2 code that fits 40x15 */
	if (qr && qr_fprint(stdout, fpr) != 0)
		return cli_fail();
	return 0;
}

/* The PIN for the new key: --pin-fd (the command's or the global one), else asked twice
 * on the terminal; none only with --no-pin (as init --device). */
static int new_pin(const char *path, const char *fd, int no_pin, char *pin, size_t n, int *use)
{
	char again[SYNC_PIN_MAX + 2];

	*use = 0;
	if (no_pin)
		return 0;
	if (fd && sync_pin_fd_arg(fd) != 0)
		return cli_fail();
	if (!sync_pin_fd_given() && !isatty(STDIN_FILENO))
		return cli_error(_("%s: no terminal to ask the PIN on: give --pin-fd N, or --no-pin for "
				   "an unprotected terminal; nothing made"),
				 path);
	if (sync_pin_read(_("new PIN (6 or more digits): "), pin, n) != 0)
		return cli_fail();
	if (!sync_pin_fd_given() &&
	    (sync_pin_read(_("the PIN again: "), again, sizeof again) != 0 || strcmp(again, pin) != 0))
		return cli_error(_("the two PINs differ; nothing made"));
	if (!sync_pin_ok(pin))
		return cli_error(_("a PIN is 6 to 32 digits; nothing made"));
	*use = 1;
	return 0;
}

static int renew(struct ledger *l, const char *fd, int no_pin, int replace)
{
	char old[DEVICE_ID_MAX + 1], pin[SYNC_PIN_MAX + 2];
	int64_t carried = 0;
	int use;

	if (strcmp(ledger_kind(l), "terminal") != 0)
		return cli_error(_("%s: key new is for a terminal"), ledger_path(l));
	if (!replace && sync_keys_exist(ledger_path(l)))
		return cli_error(_("%s.key: the key is still there; key new is for a terminal whose key "
				   "was destroyed or lost (a terminal found after its key was revoked: "
				   "key new --replace)"),
				 ledger_path(l));
	if (replace && !sync_keys_exist(ledger_path(l)))
		return cli_error(_("%s.key: no key to replace; use key new"), ledger_path(l));
	if (new_pin(ledger_path(l), fd, no_pin, pin, sizeof pin, &use) != 0)
		return 1;
	gw_strlcpy(old, ledger_device_id(l), sizeof old);
	if (replace && sync_keys_destroy(ledger_path(l)) != 0)
		return cli_fail();
	if (replace)
		printf(_("the old key (%s) is destroyed\n"), old);
	if (sync_keys_create_pin(l, use ? pin : NULL) != 0 ||
	    sync_successor_mark(l, old, &carried) != 0)
		return cli_fail();
	printf(_("new keys: device id and fingerprint %s; the office enrolls it with\n"
		 "  gaswalk enroll FILE --name NAME --successor %s\n"),
	       ledger_device_id(l), old);
	printf(_("%lld records not yet acknowledged go with the first bundle\n"), (long long)carried);
	return 0;
}

int cmd_key(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {{"qr", no_argument, NULL, 'q'},
					     {"pin-fd", required_argument, NULL, 'f'},
					     {"no-pin", no_argument, NULL, 'n'},
					     {"replace", no_argument, NULL, 'r'},
					     {0, 0, 0, 0}};
	const char *fd = NULL;
	struct ledger *l;
	int c, qr = 0, no_pin = 0, replace = 0, rc, is_new;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'q')
			qr = 1;
		else if (c == 'f')
			fd = optarg;
		else if (c == 'n')
			no_pin = 1;
		else if (c == 'r')
			replace = 1;
		else
			return cli_usage(usage);
	}
	if (optind != argc - 1 || (strcmp(argv[optind], "show") != 0 && strcmp(argv[optind], "new") != 0))
		return cli_usage(usage);
	is_new = strcmp(argv[optind], "new") == 0;
	if ((is_new && qr) || (!is_new && (fd || no_pin || replace)) || (fd && no_pin))
		return cli_usage(usage);
	if (cli_open(cli, &l))
		return 1;
	rc = is_new ? renew(l, fd, no_pin, replace) : show(l, qr);
	ledger_close(l);
	return cli_finish(rc);
}
