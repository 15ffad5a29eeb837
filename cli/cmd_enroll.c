/* gaswalk enroll FILE|KEY --name NAME [--fingerprint FPR] [--office --subdistrict CODE]
 *
 * Adds a device to this office's keyring. The role is the office's choice, never the
 * identity line's: a terminal, or (only at a district, with --office) a sub-office
 * whose territory is the subdistrict given. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "sync/audit.h"
#include "sync/keys.h"

static const char usage[] = "enroll FILE|KEY --name NAME [--fingerprint FPR] "
			    "[--office --subdistrict CODE | --successor OLD]";

struct enroll_args {
	const char *arg, *name, *fpr, *subdistrict, *successor;
	int office;
};

static int parse_args(int argc, char **argv, struct enroll_args *a)
{
	static const struct option opts[] = {{"name", required_argument, NULL, 'n'},
					     {"fingerprint", required_argument, NULL, 'f'},
					     {"office", no_argument, NULL, 'o'},
					     {"subdistrict", required_argument, NULL, 's'},
					     {"successor", required_argument, NULL, 'S'},
					     {0, 0, 0, 0}};
	int c;

	memset(a, 0, sizeof *a);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'n')
			a->name = optarg;
		else if (c == 'f')
			a->fpr = optarg;
		else if (c == 'o')
			a->office = 1;
		else if (c == 's')
			a->subdistrict = optarg;
		else if (c == 'S')
			a->successor = optarg;
		else
			return -1;
	}
	if (!a->name || !*a->name || strlen(a->name) > 100 || optind != argc - 1 ||
	    !a->office != !a->subdistrict || (a->office && a->successor))
		return -1;
	a->arg = argv[optind];
	return 0;
}

/* The fingerprint read off the device's screen must be this identity's. */
static int check_fingerprint(const struct enroll_args *a, const struct sync_identity *id)
{
	char want[SYNC_FPR_MAX], have[SYNC_FPR_MAX];

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

/* The ledger and the line must agree with the role asked for. */
static int check_role(struct ledger *l, const struct enroll_args *a, const struct sync_identity *id,
		      char *code, size_t n)
{
	char level[16] = "";

	if (strcmp(ledger_kind(l), "office") != 0)
		return cli_error(_("%s: only an office ledger enrolls devices"), ledger_path(l));
	if (!a->office) {
		if (strcmp(id->kind, "office") == 0)
			return cli_error(_("%s is an office's identity: a sub-office is enrolled at "
					   "a district with --office --subdistrict CODE"),
					 id->id);
		return 0;
	}
	if (strcmp(id->kind, "office") != 0)
		return cli_error(_("%s is a terminal's identity; a terminal is never enrolled as "
				   "an office"),
				 id->id);
	if (ledger_meta(l, "level", level, sizeof level) < 0 || strcmp(level, "district") != 0)
		return cli_error(_("%s: sub-offices are enrolled only at a district ledger "
				   "(init --office NAME --district)"),
				 ledger_path(l));
	sqlite3_stmt *st = ledger_stmt(l, "SELECT code FROM subdistrict WHERE code = ?1 OR name_zh = ?1");
	if (!st)
		return cli_fail();
	sqlite3_bind_text(st, 1, a->subdistrict, -1, SQLITE_TRANSIENT);
	int found = sqlite3_step(st) == SQLITE_ROW;
	if (found)
		gw_strlcpy(code, ledger_text(st, 0), n);
	sqlite3_reset(st);
	if (!found)
		return cli_error(_("%s: not a subdistrict of data/subdistricts.tsv (give its code or "
				   "its name)"),
				 a->subdistrict);
	return 0;
}

/* A successor: the old terminal's key is revoked, the succession logged. */
static int enroll_successor(struct ledger *l, const struct enroll_args *a,
			    const struct sync_identity *id, const struct sync_enrolment *e)
{
	struct sync_device old;
	char detail[256], name[256];
	int rc;

	if (sync_device_resolve(l, a->successor, &old))
		return -1;
	snprintf(detail, sizeof detail, _("%s succeeds %s (%s)"), id->id, old.ident.id, old.ident.name);
	if ((rc = sync_enroll_successor(l, id, e, &old)) < 0 ||
	    audit_append(l, id->id, 0, NULL, "successor", detail))
		return -1;
	text_clean(old.ident.name, name, sizeof name);
	printf(_("%s succeeds %s (%s): the old key is revoked; the visits it had not yet sent may "
		 "come with the new one\n"),
	       id->id, old.ident.id, name);
	return rc;
}

static int enroll(struct ledger *l, const struct enroll_args *a, const struct sync_identity *id,
		  const char *code)
{
	struct sync_enrolment e = {a->office ? "office" : "terminal", a->name,
				   a->office ? code : NULL, NULL, 0};
	int added;

	if (ledger_begin(l) ||
	    (added = a->successor ? enroll_successor(l, a, id, &e) : sync_enroll(l, id, &e)) < 0 ||
	    ledger_commit(l)) {
		ledger_rollback(l);
		return -1;
	}
	return added;
}

int cmd_enroll(int argc, char **argv, struct cli *cli)
{
	struct enroll_args a;
	struct sync_identity id;
	char fpr[SYNC_FPR_MAX], shown[256], code[32] = "";
	struct ledger *l;
	int rc = 0, added;

	if (parse_args(argc, argv, &a))
		return cli_usage(usage);
	if (sync_identity_arg(a.arg, &id))
		return cli_fail();
	if (check_fingerprint(&a, &id))
		return 1;
	if (cli_open(cli, &l))
		return 1;
	if (check_role(l, &a, &id, code, sizeof code)) {
		rc = 1;
	} else if ((added = enroll(l, &a, &id, code)) < 0) {
		rc = cli_fail();
	} else {
		sync_fingerprint(id.sign_pk, fpr);
		text_clean(a.name, shown, sizeof shown);
		printf(added == 1 ? _("%s %s (%s) was already enrolled, fingerprint %s\n")
				  : _("enrolled %s %s (%s), fingerprint %s\n"),
		       a.office ? _("office") : _("terminal"), shown, id.id, fpr);
		if (a.office)
			printf(_("territory: subdistrict %s\n"), code);
	}
	ledger_close(l);
	return cli_finish(rc);
}
