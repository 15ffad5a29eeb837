/* gaswalk init --office NAME [--district | --subdistrict CODE] | --device NAME
 *
 * Makes the ledger and its keys; the device id is derived from the signing key. An
 * office ledger records its level: a district, or a subdistrict office (and which
 * subdistrict, from data/subdistricts.tsv). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/refdata.h"
#include "core/util.h"
#include "sync/keys.h"

static const char usage[] = "init --office NAME [--district | --subdistrict CODE] [--pin] | "
			    "--device NAME [--pin-fd N | --no-pin]";

struct init_args {
	const char *kind, *name, *level, *subdistrict, *pin_fd;
	int no_pin, pin;
};

static int parse_args(int argc, char **argv, struct init_args *a)
{
	static const struct option opts[] = {
		{"office", required_argument, NULL, 'o'},
		{"device", required_argument, NULL, 'd'},
		{"district", no_argument, NULL, 'D'},
		{"subdistrict", required_argument, NULL, 's'},
		{"pin-fd", required_argument, NULL, 'f'},
		{"no-pin", no_argument, NULL, 'n'},
		{"pin", no_argument, NULL, 'p'},
		{0, 0, 0, 0},
	};
	int c;

	memset(a, 0, sizeof *a);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if ((c == 'o' || c == 'd') && !a->kind) {
			a->kind = c == 'o' ? "office" : "terminal";
			a->name = optarg;
		} else if (c == 'D' && !a->level) {
			a->level = "district";
		} else if (c == 's' && !a->level) {
			a->level = "subdistrict";
			a->subdistrict = optarg;
		} else if (c == 'f') {
			a->pin_fd = optarg;
			a->pin = 1;
		} else if (c == 'n') {
			a->no_pin = 1;
		} else if (c == 'p') {
			a->pin = 1;
		} else {
			return -1;
		}
	}
	if (!a->kind || optind != argc || !*a->name || strlen(a->name) > 100)
		return -1;
	if (a->level && strcmp(a->kind, "office") != 0)
		return -1; /* a terminal's territory is its office's */
	if (a->no_pin && (a->pin || strcmp(a->kind, "office") == 0))
		return -1;
	return 0;
}

static int set_level(struct ledger *l, const struct init_args *a)
{
	char code[32] = "";

	if (strcmp(a->kind, "office") != 0)
		return 0;
	if (a->subdistrict) {
		int rc = refdata_subdistrict_code(l, a->subdistrict, code, sizeof code);
		if (rc < 0)
			return cli_fail();
		if (rc > 0)
			return cli_error(_("%s: not one of the district's subdistricts (its code, as "
					   "JSL, or its name, as 建设路街道 or 建设路; the man page lists "
					   "all 14)"),
					 a->subdistrict);
	}
	if (ledger_begin(l) || ledger_meta_set(l, "level", a->level ? a->level : "subdistrict") ||
	    (code[0] && ledger_meta_set(l, "subdistrict", code)) || ledger_commit(l)) {
		ledger_rollback(l);
		return cli_fail();
	}
	return 0;
}

/* The PIN for a new key: from --pin-fd (the command's or the global one), else asked
 * twice on the terminal. Only --no-pin makes a terminal whose keys are under no PIN: with
 * no terminal to ask on and no --pin-fd, init refuses before it makes anything. */
static int new_pin(const struct init_args *a, const char *path, char *pin, size_t n, int *use)
{
	char again[SYNC_PIN_MAX + 2];

	*use = 0;
	if (a->no_pin || (!a->pin && strcmp(a->kind, "office") == 0))
		return 0;
	if (a->pin_fd && sync_pin_fd_arg(a->pin_fd) != 0)
		return cli_fail();
	if (!sync_pin_fd_given() && !isatty(STDIN_FILENO))
		return cli_error(_("%s: no terminal to ask the PIN on: give --pin-fd N, or --no-pin for "
				   "an unprotected terminal; nothing made"),
				 path);
	if (sync_pin_read(_("new PIN (6 or more digits): "), pin, n) != 0)
		return cli_fail();
	if (!sync_pin_fd_given() && (sync_pin_read(_("the PIN again: "), again, sizeof again) != 0 ||
				     strcmp(again, pin) != 0))
		return cli_error(_("the two PINs differ; nothing made"));
	if (!sync_pin_ok(pin))
		return cli_error(_("a PIN is 6 to 32 digits; nothing made"));
	*use = 1;
	return 0;
}

static void remove_ledger(const char *path)
{
	static const char *const suffix[] = {"", "-wal", "-shm", ".key"};
	char p[4096];

	for (size_t i = 0; i < GW_ARRAY_LEN(suffix); i++) {
		snprintf(p, sizeof p, "%s%s", path, suffix[i]);
		unlink(p);
	}
}

static void print_created(struct ledger *l, const struct init_args *a, const char *path)
{
	char fpr[SYNC_FPR_MAX] = "";
	struct sync_identity id;

	if (sync_identity_self(l, &id) == 0)
		sync_fingerprint(id.sign_pk, fpr);
	printf(_("created %s ledger %s for %s (device id %s)\n"),
	       strcmp(a->kind, "office") ? _("terminal") : _("office"), path, a->name,
	       ledger_device_id(l));
	if (strcmp(a->kind, "office") != 0)
		printf(_("fingerprint %s: the office compares it when it enrolls this terminal\n"),
		       fpr);
	else if (a->level && strcmp(a->level, "district") == 0)
		printf(_("level: district\n"));
	else if (a->subdistrict)
		printf(_("level: subdistrict office of %s\n"), a->subdistrict);
	else
		printf(_("level: subdistrict office\n"));
}

int cmd_init(int argc, char **argv, struct cli *cli)
{
	struct init_args a;
	struct ledger *l;
	char pin[SYNC_PIN_MAX + 2];
	int use_pin;

	if (parse_args(argc, argv, &a))
		return cli_usage(usage);
	if (sync_name_check(a.name)) /* before a PIN is asked */
		return cli_fail();
	if (access(cli->db_path, F_OK) != 0 && sync_keys_exist(cli->db_path))
		return cli_error(_("%s.key: a key file already exists; move it away first"),
				 cli->db_path);
	if (new_pin(&a, cli->db_path, pin, sizeof pin, &use_pin) != 0)
		return 1;
	if (ledger_create(cli->db_path, a.kind, a.name, &l) != 0)
		return cli_fail();
	if (sync_keys_create_pin(l, use_pin ? pin : NULL) != 0) {
		cli_fail();
		ledger_close(l);
		return 1;
	}
	if (set_level(l, &a) != 0) {
		ledger_close(l);
		remove_ledger(cli->db_path);
		return 1;
	}
	print_created(l, &a, cli->db_path);
	if (use_pin)
		printf(_("the keys are under the PIN (Argon2id); forgetting it means enrolling again\n"));
	else if (strcmp(a.kind, "office") != 0)
		printf(_("the keys are NOT under a PIN: whoever copies this terminal's files can sign "
			 "as it ('gaswalk pin set' adds one)\n"));
	ledger_close(l);
	return cli_finish(0);
}
