/* gaswalk log [--verify [--against HEAD]] [--head] [--witnesses]: the merge log, a
 * check of its chain, signatures and witnessed head, and the heads to hold others to. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "sync/audit.h"
#include "sync/keys.h"

static const char usage[] = "log [--verify [--against HEAD]] [--head] [--witnesses]";

enum log_mode { LOG_PRINT, LOG_VERIFY, LOG_HEAD, LOG_WITNESSES };

/* What an entry records, in the language of the messages (the ledger keeps the word). */
static const char *result_label(const char *result)
{
	static const char *const words[][2] = {
		{"merged", N_("merged")},     {"photos", N_("photos")},
		{"held", N_("held")},         {"accepted", N_("accepted")},
		{"rejected", N_("rejected")}, {"waived", N_("waived")},
		{"resolved", N_("resolved")}, {"revoked", N_("revoked")},
		{"rebased", N_("rebased")},   {"successor", N_("successor")},
		{"trust-replaced", N_("trust-replaced")},
	};

	for (size_t i = 0; i < GW_ARRAY_LEN(words); i++)
		if (strcmp(result, words[i][0]) == 0)
			return _(words[i][1]);
	return result;
}

static int print_entry(void *ctx, const struct audit_entry *e, int ok)
{
	char at[40], detail[600], result[64];

	(void)ok;
	(void)ctx;
	time_format_iso(e->at, time_local_offset(e->at), at, sizeof at);
	text_clean(e->detail, detail, sizeof detail);
	text_fit(result_label(e->result), 8, 1, result, sizeof result);
	printf("%lld %s %s %s %lld %.16s %s\n", (long long)e->id, at, result,
	       e->device[0] ? e->device : "-", (long long)e->bundle_seq,
	       e->bundle_hash[0] ? e->bundle_hash : "-", detail);
	return 0;
}

/* "NAME (ID)" of a keyring device, or the id alone when it is unknown here. */
static void device_label(struct ledger *l, const char *id, char *out, size_t outsz)
{
	struct sync_device d;
	char name[160];

	if (sync_device_get(l, id, &d) == 0) {
		text_clean(d.ident.name, name, sizeof name);
		snprintf(out, outsz, "%s (%s)", name, id);
	} else {
		text_clean(id, out, outsz);
	}
	gw_clear_error();
}

static int fault_line(struct ledger *l, const struct audit_check *c)
{
	char by[200] = "";

	if (c->by[0])
		device_label(l, c->by, by, sizeof by);
	switch (c->fault) {
	case AUDIT_CHAIN:
		return cli_error(_("merge log: entry %lld does not match its hash chain (edited or removed)"),
				 (long long)c->bad_id);
	case AUDIT_SIG:
		return cli_error(_("merge log: entry %lld: signature does not match this ledger's key"),
				 (long long)c->bad_id);
	case AUDIT_UNSIGNED:
		return cli_error(_("merge log: entry %lld is not signed (the signed chain began before it)"),
				 (long long)c->bad_id);
	case AUDIT_REWRITTEN:
		if (!c->by[0])
			return cli_error(_("merge log: entry %lld is not the one in the head given (rewritten after that head)"),
					 (long long)c->bad_id);
		return cli_error(_("merge log: entry %lld is not the one %s witnessed (rewritten after its head went up)"),
				 (long long)c->bad_id, by);
	case AUDIT_CUT:
		if (!c->by[0])
			return cli_error(_("merge log: %lld entries, but the head given counts %lld (cut after that head)"),
					 (long long)c->count, (long long)c->head.count);
		return cli_error(_("merge log: %lld entries, but %s witnessed %lld (cut after its head went up)"),
				 (long long)c->count, by, (long long)c->head.count);
	case AUDIT_OK:
		break;
	}
	return 0;
}

static void ok_lines(struct ledger *l, const struct audit_check *c)
{
	char by[200], at[40];

	printf(_("merge log: chain intact, %lld entries, %lld signed by this ledger's key\n"),
	       (long long)c->count, (long long)c->nsigned);
	if (!c->witnessed) {
		printf(_("merge log: never witnessed: no pack from the level above has echoed a head of this log, so there is none to check it against\n"));
	} else if (!c->by[0]) {
		printf(_("merge log: matches the head given: entry %lld, %.16s\n"),
		       (long long)c->head.count, c->head.hash);
	} else {
		device_label(l, c->by, by, sizeof by);
		time_format_iso(c->head_at, time_local_offset(c->head_at), at, sizeof at);
		printf(_("merge log: matches the head %s witnessed (echoed %s): entry %lld, %.16s\n"), by,
		       at, (long long)c->head.count, c->head.hash);
	}
}

/* 0 when h carries this ledger's signature. */
static int head_is_mine(struct ledger *l, const struct audit_head *h)
{
	struct sync_identity me;

	if (sync_identity_self(l, &me))
		return -1;
	return audit_head_check(h, ledger_device_id(l), me.sign_pk);
}

/* The head came down once but is no longer kept here (log_echo deleted or emptied):
 * not a log that was never witnessed. */
static int echo_lost_line(struct ledger *l, const struct audit_check *c)
{
	char by[200];

	device_label(l, c->echo_lost_by, by, sizeof by);
	printf(_("merge log: chain intact, %lld entries, %lld signed by this ledger's key\n"),
	       (long long)c->count, (long long)c->nsigned);
	if (c->echo_lost == 1)
		return cli_error(_("merge log: the witnessed head is missing: %s echoed entry %lld of this log in a pack loaded here, but no echo is kept now (deleted); check the log against the district's copy: gaswalk log --verify --against LINE, with this ledger's line from 'gaswalk log --witnesses' at %s"),
				 by, (long long)c->echo_lost_n, by);
	return cli_error(_("merge log: the witnessed head is missing: %s acknowledged this office's roll-ups up to %lld, each carrying its log head, but no echo of it is kept here (deleted); check the log against the district's copy: gaswalk log --verify --against LINE, with this ledger's line from 'gaswalk log --witnesses' at %s"),
			 by, (long long)c->echo_lost_n, by);
}

static int verify(struct ledger *l, const char *against)
{
	struct audit_head given;
	struct audit_check c;
	char dev[DEVICE_ID_MAX + 1];

	if (against && audit_head_parse(against, &given, dev))
		return cli_error(_("--against: not a merge-log head line (gaswalk-loghead1:…)"));
	if (against && strcmp(dev, ledger_device_id(l)) != 0)
		return cli_error(_("--against: that head is of another ledger's log (%s)"), dev);
	if (against && head_is_mine(l, &given))
		return cli_error(_("--against: that head is not signed by this ledger's key"));
	if (audit_verify(l, against ? &given : NULL, &c))
		return cli_fail();
	if (c.fault)
		return fault_line(l, &c);
	if (!c.witnessed && c.echo_lost)
		return echo_lost_line(l, &c);
	ok_lines(l, &c);
	return 0;
}

static int print_head(struct ledger *l)
{
	struct sync_keys *k = sync_keys_load(l);
	struct audit_head h;
	char line[AUDIT_HEAD_MAX];
	int rc;

	if (!k)
		return cli_fail();
	rc = audit_head_get(l, k, &h);
	sync_keys_free(k);
	if (rc)
		return cli_fail();
	audit_head_format(&h, ledger_device_id(l), line, sizeof line);
	printf("%s\n", line);
	return 0;
}

static int print_witness(void *ctx, const char *device, const struct audit_head *h, int64_t at)
{
	char line[AUDIT_HEAD_MAX], label[200], when[40];

	device_label(ctx, device, label, sizeof label);
	audit_head_format(h, device, line, sizeof line);
	time_format_iso(at, time_local_offset(at), when, sizeof when);
	printf("%s %s %s\n", label, when, line);
	return 0;
}

static int run(struct ledger *l, enum log_mode mode, const char *against)
{
	switch (mode) {
	case LOG_VERIFY:
		return verify(l, against);
	case LOG_HEAD:
		return print_head(l);
	case LOG_WITNESSES:
		return audit_witness_each(l, print_witness, l) ? cli_fail() : 0;
	case LOG_PRINT:
		break;
	}
	return audit_walk(l, print_entry, NULL) < 0 ? cli_fail() : 0;
}

static enum log_mode mode_of(int opt, int *nmodes)
{
	++*nmodes;
	return opt == 'v' ? LOG_VERIFY : opt == 'h' ? LOG_HEAD : LOG_WITNESSES;
}

int cmd_log(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {{"verify", no_argument, NULL, 'v'},
					     {"against", required_argument, NULL, 'a'},
					     {"head", no_argument, NULL, 'h'},
					     {"witnesses", no_argument, NULL, 'w'},
					     {0, 0, 0, 0}};
	enum log_mode mode = LOG_PRINT;
	const char *against = NULL;
	struct ledger *l;
	int c, nmodes = 0, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'a')
			against = optarg;
		else if (c == 'v' || c == 'h' || c == 'w')
			mode = mode_of(c, &nmodes);
		else
			return cli_usage(usage);
	}
	if (optind != argc || nmodes > 1 || (against && mode != LOG_VERIFY))
		return cli_usage(usage);
	if (cli_open(cli, &l))
		return 1;
	rc = run(l, mode, against);
	ledger_close(l);
	return cli_finish(rc);
}
