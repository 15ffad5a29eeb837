/* gaswalk provenance DEVICE/SEQ: the device that signed a visit, the manifest that
 * covers it, and the enrolments that make that device an office's own, each checked
 * again from what this ledger holds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/devarg.h"
#include "core/i18n.h"
#include "core/labels.h"
#include "core/text.h"
#include "core/util.h"
#include "sync/keys.h"
#include "sync/relay.h"

static const char usage[] = "provenance DEVICE/SEQ";

static void when(int64_t t, char *out, size_t outsz)
{
	time_format_iso(t, time_local_offset(t), out, outsz);
}

/* The role a keyring entry has here, in the language of the messages. */
static const char *kind_label(const struct sync_device *d)
{
	if (d->self)
		return _("this ledger");
	return strcmp(d->ident.kind, "office") == 0 ? _("office") : _("terminal");
}

static void print_device(const char *what, const struct sync_device *d)
{
	char name[160], at[40];

	text_clean(d->ident.name, name, sizeof name);
	when(d->enrolled_at, at, sizeof at);
	printf(_("%s: %s '%s' (%s), enrolled %s\n"), what, kind_label(d), name, d->ident.id, at);
}

static void print_visit(const struct visit *v)
{
	char at[40], account[80];

	text_clean(v->account, account, sizeof account);
	time_format_iso(v->at, v->tz_minutes, at, sizeof at);
	printf(_("visit %s/%lld: household %s, %s, %s, %s\n"), v->id.device, (long long)v->id.seq,
	       account, at, label_role(v->role), label_outcome(v->outcome));
}

/* A voided visit is held but not counted: by whom, and why. */
static int print_void(struct ledger *l, const struct visit *v)
{
	struct visit_void w;
	char reason[VOID_REASON_MAX + 1];
	int rc;

	if (!v->voided)
		return 0;
	if ((rc = void_get_for(l, &v->id, &w)) <= 0)
		return rc;
	text_clean(w.reason, reason, sizeof reason);
	printf(_("not counted: voided by %s/%lld: %s\n"), w.id.device, (long long)w.id.seq, reason);
	return 0;
}

static int show(struct ledger *l, const struct visit *v)
{
	struct relay_provenance p;
	char why[300];
	int rc;

	if ((rc = relay_provenance(l, &v->id, &p)) != 0)
		return rc == GW_ERR_NOTFOUND
			       ? cli_error(_("visit %s/%lld: its device is not in this ledger's keyring"),
					   v->id.device, (long long)v->id.seq)
			       : cli_fail();
	print_visit(v);
	if (print_void(l, v))
		return cli_fail();
	print_device(_("signed by"), &p.device);
	if (p.device.self) {
		printf(_("recorded in this ledger, under its own key\n"));
		return 0;
	}
	if (p.has_manifest)
		printf(_("manifest covering entries %lld..%lld: %s\n"), (long long)p.first,
		       (long long)p.last, p.manifest);
	if (p.has_office) {
		print_device(_("enrolled by"), &p.office);
		printf(_("territory of %s: %s\n"), p.office.ident.id,
		       p.office.subdistrict[0] ? p.office.subdistrict : "-");
		printf(_("enrolment signed by the office: %s\n"), p.enrolment[0] ? p.enrolment : "-");
	}
	if ((rc = relay_recheck(l, &p, why, sizeof why)) < 0)
		return cli_fail();
	if (rc)
		return cli_error(_("visit %s/%lld: not checkable back to its device: %s"), v->id.device,
				 (long long)v->id.seq, why);
	printf(_("checked: entries 1..%lld of %s hash to the head it signed%s\n"),
	       (long long)p.last, p.device.ident.id,
	       p.has_office ? _(", and the office's signature on its enrolment holds") : "");
	return 0;
}

int cmd_provenance(int argc, char **argv, struct cli *cli)
{
	struct ledger *l;
	struct visit *v;
	struct visit_id id;
	int rc;

	if (argc != 2 || argv[1][0] == '-')
		return cli_usage(usage);
	if (cli_open(cli, &l))
		return 1;
	v = xmalloc(sizeof *v);
	if ((rc = cli_visit_arg(l, argv[1], &id)) == 0) {
		if (visit_get(l, &id, v) != 0)
			rc = cli_fail();
		else
			rc = show(l, v);
	}
	free(v);
	ledger_close(l);
	return cli_finish(rc);
}
