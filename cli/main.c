/* gaswalk: git-style subcommands, dispatched from one table. */
#include <getopt.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "sync/keys.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv, struct cli *cli);
	const char *summary;
};

static const struct command commands[] = {
	{"init", cmd_init, N_("create a ledger: --office NAME | --device NAME")},
	{"import", cmd_import, N_("import the gas company's customer list (CSV)")},
	{"record", cmd_record, N_("record a visit from the command line")},
	{"status", cmd_status, N_("show one household's status")},
	{"list", cmd_list, N_("list households in walking order")},
	{"demo", cmd_demo, N_("build a synthetic demo district")},
	{"tui", cmd_tui, N_("the handheld's screens: walk, capture, install")},
	{"report", cmd_report, N_("reports: weekly ranking sector funding prices valves ...")},
	{"sample", cmd_sample, N_("draw the spot-check sample")},
	{"key", cmd_key, N_("show this ledger's public identity, or make new keys: key show [--qr] | key new [--replace]")},
	{"trust", cmd_trust, N_("trust the office to send bundles to: trust KEY|FILE")},
	{"trust-replace", cmd_trust_replace, N_("replace the trusted office, on purpose: trust-replace KEY|FILE [--yes]")},
	{"enroll", cmd_enroll, N_("add a terminal (or at a district a sub-office) to the keyring: enroll FILE|KEY --name NAME")},
	{"revoke", cmd_revoke, N_("refuse a device's bundles from now on")},
	{"assign", cmd_assign, N_("write an assignment pack for a terminal")},
	{"load", cmd_load, N_("apply an assignment pack from the office")},
	{"export", cmd_export, N_("write the next bundle of unacknowledged records")},
	{"verify", cmd_verify, N_("check bundles without merging them")},
	{"merge", cmd_merge, N_("merge bundles into the ledger")},
	{"conflicts", cmd_conflicts, N_("list conflicting visits")},
	{"resolve", cmd_resolve, N_("settle a conflict: resolve ID --keep VISIT")},
	{"log", cmd_log, N_("print or verify the merge log")},
	{"provenance", cmd_provenance, N_("who signed a visit, and the enrolments behind it: provenance DEVICE/SEQ")},
	{"void", cmd_void, N_("cancel a mistaken visit: void DEVICE/SEQ --reason TEXT")},
	{"held", cmd_held, N_("bundles held for their times: list, accept or reject")},
	{"waive", cmd_waive, N_("photos missing here: list, or waive one with a reason")},
	{"settings", cmd_settings, N_("list, show or set the campaign settings")},
	{"catalog", cmd_catalog, N_("the product catalog: catalog list | import FILE.csv")},
	{"plan", cmd_plan, N_("monthly compound plans: plan [import FILE.csv]")},
	{"pin", cmd_pin, N_("put the keys under a PIN, or change it: pin set|change [--pin-fd N]")},

};

static const char main_args[] = "[--db FILE] [--lang zh|en] [--pin-fd N] COMMAND [ARGS]";

/* The global usage line, its hint in the language of the messages. */
static const char *main_usage(void)
{
	static char line[200];

	snprintf(line, sizeof line, "%s  %s", main_args, _("(gaswalk --help lists the commands)"));
	return line;
}

static int print_help(void)
{
	printf("%s gaswalk %s\n\n", _("usage:"), main_usage());
	for (size_t i = 0; i < GW_ARRAY_LEN(commands); i++)
		printf("  %-10s %s\n", commands[i].name, _(commands[i].summary));
	return cli_finish(0);
}

/* Set for "gaswalk COMMAND --help": the command's usage goes to stdout and is no error. */
static int help_requested;

static const struct command *find_command(const char *name, size_t len)
{
	for (size_t i = 0; i < GW_ARRAY_LEN(commands); i++)
		if (strlen(commands[i].name) == len && strncmp(commands[i].name, name, len) == 0)
			return &commands[i];
	return NULL;
}

int cli_usage(const char *usage)
{
	const struct command *c;

	if (!help_requested) {
		fprintf(stderr, "%s gaswalk %s\n", _("usage:"), usage);
		return 2;
	}
	printf("%s gaswalk %s\n", _("usage:"), usage);
	c = find_command(usage, strcspn(usage, " "));
	if (c)
		printf("%s\n", _(c->summary));
	return cli_finish(0);
}

/* An error line echoes what the user, a CSV or a bundle gave (an account, a file
 * name): cleaned, so it never sends an escape sequence to the terminal. */
static void print_error_line(const char *msg)
{
	char clean[2048];

	text_clean(msg, clean, sizeof clean);
	fprintf(stderr, "gaswalk: %s\n", clean);
}

int cli_fail(void)
{
	print_error_line(gw_error());
	return 1;
}

int cli_error(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	print_error_line(msg);
	return 1;
}

int cli_finish(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (status == 0) /* a failing command has said its one line already */
			perror("gaswalk: stdout");
		return status ? status : 1;
	}
	return status;
}

int cli_open(struct cli *cli, struct ledger **l)
{
	if (ledger_open(cli->db_path, l) != 0)
		return cli_fail();
	if (sync_keyring_upgrade(*l) != 0) { /* once after schema 0007: ids from keys */
		cli_fail();
		ledger_close(*l);
		*l = NULL;
		return 1;
	}
	/* a person at a terminal whose keys are under no PIN is told, once a command */
	if (isatty(STDERR_FILENO) && strcmp(ledger_kind(*l), "terminal") == 0 &&
	    sync_keys_protected(*l) == 0)
		fprintf(stderr, "gaswalk: %s\n",
			_("note: this terminal's keys are under no PIN ('gaswalk pin set' adds one)"));
	return 0;
}

static int parse_globals(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"lang", required_argument, NULL, 'l'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{"pin-fd", required_argument, NULL, 'p'},
		{0, 0, 0, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': /* a terminal's key under a PIN reads it from there */
			if (sync_pin_fd_arg(optarg) != 0)
				return -2;
			break;
		case 'd':
			cli->db_path = optarg;
			break;
		case 'l':
			if (strcmp(optarg, "zh") != 0 && strcmp(optarg, "en") != 0)
				return -2;
			cli->lang = optarg;
			break;
		case 'h':
			return -1;
		case 'V':
			return -3;
		default:
			return -2;
		}
	}
	return optind;
}

static int is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

int main(int argc, char **argv)
{
	struct cli cli = {"gaswalk.db", NULL};
	int first;

	/* past a file size limit a write fails with EFBIG instead of killing us mid-write */
	signal(SIGXFSZ, SIG_IGN);
	first = parse_globals(argc, argv, &cli);

	i18n_init(cli.lang);
	if (first == -1)
		return print_help();
	if (first == -3) {
		printf("gaswalk %s (schema %d)\n", GASWALK_VERSION, ledger_schema_version());
		return cli_finish(0);
	}
	if (first < 0 || first >= argc)
		return cli_usage(main_usage());
	for (size_t i = 0; i < GW_ARRAY_LEN(commands); i++) {
		if (strcmp(argv[first], commands[i].name) != 0)
			continue;
		optind = 0; /* re-initialise getopt for the command */
		if (first + 1 < argc && is_help(argv[first + 1])) {
			/* every command answers an option it does not take with its usage */
			char *help_argv[] = {argv[first], argv[first + 1], NULL};
			help_requested = 1;
			opterr = 0;
			return commands[i].fn(2, help_argv, &cli);
		}
		return commands[i].fn(argc - first, argv + first, &cli);
	}
	fprintf(stderr, "gaswalk: '%s' %s\n", argv[first], _("is not a command; see gaswalk --help"));
	return 2;
}
