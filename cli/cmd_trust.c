/* gaswalk trust KEY|FILE [--fingerprint FPR]: the office this ledger sends its bundles
 * to and takes assignment packs from (a terminal's office, or a subdistrict's
 * district), set once. gaswalk trust-replace KEY|FILE [--fingerprint FPR] [--yes]:
 * changing it later, on purpose: it says what changes and asks. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "sync/audit.h"
#include "sync/keys.h"

static const char usage[] = "trust KEY|FILE [--fingerprint FPR]";
static const char usage_replace[] = "trust-replace KEY|FILE [--fingerprint FPR] [--yes]";

struct trust_args {
	const char *arg, *fpr;
	int yes;
};

static int parse_args(int argc, char **argv, struct trust_args *a, int replace)
{
	static const struct option opts[] = {{"fingerprint", required_argument, NULL, 'f'},
					     {"yes", no_argument, NULL, 'y'},
					     {0, 0, 0, 0}};
	int c;

	memset(a, 0, sizeof *a);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'f')
			a->fpr = optarg;
		else if (c == 'y' && replace)
			a->yes = 1;
		else
			return -1;
	}
	if (optind != argc - 1)
		return -1;
	a->arg = argv[optind];
	return 0;
}

/* The identity, with the fingerprint read off the office's screen when given. */
static int read_identity(const struct trust_args *a, struct sync_identity *id)
{
	char want[SYNC_FPR_MAX], have[SYNC_FPR_MAX];

	if (sync_identity_arg(a->arg, id))
		return cli_fail();
	if (strcmp(id->kind, "office") != 0)
		return cli_error(_("%s: a terminal's identity; trust takes an office's"), id->id);
	if (!a->fpr)
		return 0;
	if (sync_fingerprint_norm(a->fpr, want) != 0)
		return cli_error(_("%s: not a fingerprint (26 letters A-Z and digits 2-7)"), a->fpr);
	sync_fingerprint(id->sign_pk, have);
	if (strcmp(want, have) != 0)
		return cli_error(_("fingerprint %s given, but this identity's is %s; refused — the "
				   "file is not the identity shown on the device's screen"),
				 want, have);
	return 0;
}

static void print_trusting(const struct sync_identity *id, int known)
{
	char fpr[SYNC_FPR_MAX], name[256];

	sync_fingerprint(id->sign_pk, fpr);
	text_clean(id->name, name, sizeof name);
	printf(_("trusting office %s (%s), fingerprint %s%s\n"), name, id->id, fpr,
	       known ? _(" (already known)") : "");
}

int cmd_trust(int argc, char **argv, struct cli *cli)
{
	struct trust_args a;
	struct sync_identity id;
	struct ledger *l;
	int rc = 0, added;

	if (parse_args(argc, argv, &a, 0))
		return cli_usage(usage);
	if (read_identity(&a, &id))
		return 1;
	if (cli_open(cli, &l))
		return 1;
	if (ledger_begin(l) || (added = sync_trust(l, &id, 0)) < 0 || ledger_commit(l)) {
		ledger_rollback(l);
		rc = cli_fail();
	} else {
		print_trusting(&id, added == 1);
	}
	ledger_close(l);
	return cli_finish(rc);
}

/* What replacing the office changes, and the question. */
static void print_change(const struct sync_device *cur, const struct sync_identity *id)
{
	char fpr[SYNC_FPR_MAX], name[256];

	text_clean(cur->ident.name, name, sizeof name);
	sync_fingerprint(cur->ident.sign_pk, fpr);
	printf(_("now trusted:  office %s (fingerprint %s)\n"), name, fpr);
	text_clean(id->name, name, sizeof name);
	sync_fingerprint(id->sign_pk, fpr);
	printf(_("replaced by:  office %s (fingerprint %s)\n"), name, fpr);
	printf(_("from now on bundles are sealed to the new office, and packs are taken only "
		 "from it; the old office's packs are refused\n"));
}

/* 1 when the user confirms on the terminal. */
static int confirmed(void)
{
	char line[32];

	printf(_("replace the trusted office? [y/N] "));
	fflush(stdout);
	if (!isatty(STDIN_FILENO) || !fgets(line, sizeof line, stdin))
		return 0;
	line[strcspn(line, "\r\n")] = '\0';
	return strcmp(line, "y") == 0 || strcmp(line, "yes") == 0 || strcmp(line, "Y") == 0 ||
	       strcmp(line, "是") == 0;
}

static int replace(struct ledger *l, const struct sync_identity *id, int yes)
{
	struct sync_device cur;
	char detail[200];

	if (sync_upstream(l, &cur) != 0)
		return gw_last_status() == GW_ERR_NOTFOUND
			       ? cli_error(_("this ledger trusts no office yet; use 'gaswalk trust'"))
			       : cli_fail();
	if (strcmp(cur.ident.id, id->id) == 0) {
		print_trusting(id, 1);
		return 0;
	}
	print_change(&cur, id);
	if (!yes && !confirmed()) {
		printf("\n");
		return cli_error(_("not replaced: confirm on the terminal, or give --yes"));
	}
	snprintf(detail, sizeof detail, _("trusted office %s replaced by %s"), cur.ident.id, id->id);
	if (ledger_begin(l) || sync_trust(l, id, 1) < 0 ||
	    audit_append(l, id->id, 0, NULL, "trust-replaced", detail) || ledger_commit(l)) {
		ledger_rollback(l);
		return cli_fail();
	}
	print_trusting(id, 0);
	return 0;
}

int cmd_trust_replace(int argc, char **argv, struct cli *cli)
{
	struct trust_args a;
	struct sync_identity id;
	struct ledger *l;
	int rc;

	if (parse_args(argc, argv, &a, 1))
		return cli_usage(usage_replace);
	if (read_identity(&a, &id))
		return 1;
	if (cli_open(cli, &l))
		return 1;
	rc = replace(l, &id, a.yes);
	ledger_close(l);
	return cli_finish(rc);
}
