/* gaswalk status ACCOUNT [--json] */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/show.h"
#include "core/i18n.h"
#include "core/overrule.h"
#include "core/refdata.h"
#include "core/text.h"
#include "core/util.h"

static const char usage[] = "status ACCOUNT [--json]";

/* One labelled line, the value neutralised so data never reaches the terminal raw. */
static void line(const char *label, const char *value)
{
	char clean[1024];

	text_clean(value ? value : "-", clean, sizeof clean);
	printf("%-*s %s\n", 14 - (text_width(label) - (int)strlen(label)), label, clean);
}

static void print_items(const struct household *h, const struct status *st, enum need need,
			const char *label)
{
	char buf[256] = "";
	size_t len = 0;

	for (int it = 0; it < ITEM__N; it++) {
		if (rules_need(h->category, h->gas, h->new_build, (enum item)it) != need)
			continue;
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s%s", len ? ", " : "",
					label_item((enum item)it),
					st->visits && !rules_item_met((enum item)it, st) ? " ✗" : "");
		if (len >= sizeof buf)
			break;
	}
	line(label, buf[0] ? buf : "-");
}

/* The hazard names of the checklist, for the codes a visit or the status gives. */
struct names {
	struct checklist_item *it;
	size_t n;
};

static int keep_name(void *ctx, const struct checklist_item *c)
{
	struct names *nm = ctx;

	nm->it = xrealloc(nm->it, (nm->n + 1) * sizeof *nm->it);
	nm->it[nm->n++] = *c;
	return 0;
}

static const char *hazard_name(const struct names *nm, const char *code)
{
	for (size_t i = 0; i < nm->n; i++)
		if (!strcmp(nm->it[i].code, code))
			return nm->it[i].name;
	return "";
}

static void print_hazard(const struct names *nm, const char *label, const struct hazard *hz)
{
	char buf[REFDATA_NAME_MAX + 64], grade[32];

	snprintf(grade, sizeof grade, _("grade %d"), hz->grade);
	snprintf(buf, sizeof buf, "%s %s (%s)", hz->code, hazard_name(nm, hz->code), grade);
	line(label, buf);
}

static void print_install(const struct install *in)
{
	char buf[256], serial[128];

	snprintf(serial, sizeof serial, _("serial %s"), in->serial);
	snprintf(buf, sizeof buf, "%s %s %s %" PRId64 ".%02" PRId64, label_item(in->item),
		 in->product, serial, in->price_fen / 100, in->price_fen % 100);
	line(_("  install"), buf);
}

/* A voided visit stays listed, marked, with the void's reason: it is not counted. */
static void print_void(struct ledger *l, const struct visit *v)
{
	struct visit_void w;

	if (!v->voided)
		return;
	if (void_get_for(l, &v->id, &w) == 1)
		line(_("  voided"), w.reason);
	else
		line(_("  voided"), "-");
	gw_clear_error();
}

static void print_visit(struct ledger *l, const struct names *nm, const struct visit *v)
{
	char at[40], what[400], dev[160];

	time_format_iso(v->at, v->tz_minutes, at, sizeof at);
	show_device_name(l, v->id.device, dev, sizeof dev);
	if (!strcmp(dev, v->actor))
		dev[0] = '\0'; /* recorded at the office under its own name */
	snprintf(what, sizeof what, "%.16s %s %s %s%s%s%s", at, label_role(v->role),
		 label_outcome(v->outcome), v->actor, dev[0] ? " (" : "", dev, dev[0] ? ")" : "");
	line("", what);
	print_void(l, v);
	for (int i = 0; i < v->ninstalls; i++)
		print_install(&v->installs[i]);
	for (int i = 0; i < v->nhazards; i++)
		print_hazard(nm, _("  hazard"), &v->hazards[i]);
	if (v->supply != SUPPLY_NONE)
		line(_("  supply"),
		     v->supply == SUPPLY_STOPPED ? _("supply stopped") : _("supply restored"));
	for (int i = 0; i < v->nphotos; i++)
		line(_("  photo"), v->photos[i].name);
	if (v->notice)
		line(_("  notice"), _("policy notice given"));
	if (v->note[0])
		line(_("  note"), v->note);
}

/* The state as reports name it: a pending household whose last visit found the home
 * vacant is "vacant". */
static const char *state_label(const struct status *st)
{
	if (st->state == ST_PENDING && st->last_outcome == OUT_VACANT)
		return label_outcome(OUT_VACANT);
	return label_state(st->state);
}

static void print_head(struct ledger *l, const struct household *h, const struct status *st)
{
	char addr[512], buf[256], sector[REFDATA_NAME_MAX + 1];

	show_address(h, addr, sizeof addr);
	line(_("account"), h->account);
	line(_("name"), h->name);
	if (h->phone[0])
		line(_("phone"), h->phone);
	line(_("subdistrict"), h->subdistrict);
	line(_("address"), addr);
	snprintf(buf, sizeof buf, "%s / %s%s%s", label_category(h->category), label_gas(h->gas),
		 h->new_build ? " / " : "", h->new_build ? _("new build") : "");
	line(_("category"), buf);
	if (h->sector[0]) {
		refdata_sector_name(l, h->sector, i18n_is_zh(), sector, sizeof sector);
		line(_("sector"), sector);
	}
	line(_("status"), state_label(st));
}

static void print_text(struct ledger *l, const struct household *h, const struct status *st,
		       const struct visit *v, size_t n)
{
	struct names nm = {NULL, 0};
	char buf[64];

	refdata_checklist(l, h->category, h->gas, i18n_is_zh(), keep_name, &nm);
	print_head(l, h, st);
	print_items(h, st, NEED_REQUIRED, _("required"));
	print_items(h, st, NEED_ENCOURAGED, _("encouraged"));
	for (int i = 0; i < st->nhazards; i++)
		print_hazard(&nm, _("hazard"), &st->hazards[i]);
	snprintf(buf, sizeof buf, "%d", st->visits);
	line(_("visits"), buf);
	for (size_t i = 0; i < n; i++)
		print_visit(l, &nm, &v[i]);
	free(nm.it);
}

/* "voided" on every visit; a voided one also gets the void's reason and id. */
static json_t *visit_json(struct ledger *l, const struct visit *v)
{
	json_t *j = show_visit_json(v);
	struct visit_void w;
	char by[40];

	json_object_set_new(j, "voided", json_boolean(v->voided));
	if (v->voided && void_get_for(l, &v->id, &w) == 1) {
		snprintf(by, sizeof by, "%s/%lld", w.id.device, (long long)w.id.seq);
		json_object_set_new(j, "void_reason", show_text_json(w.reason));
		json_object_set_new(j, "voided_by", json_string(by));
	}
	gw_clear_error();
	return j;
}

static int print_json(struct ledger *l, const struct household *h, const struct status *st,
		      const struct visit *v, size_t n)
{
	json_t *doc = show_household_json(h), *visits = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(visits, visit_json(l, &v[i]));
	json_object_set_new(doc, "status", show_status_json(h, st));
	json_object_set_new(doc, "visits", visits);
	return show_json_print(doc);
}

int cmd_status(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {{"json", no_argument, NULL, 'j'}, {0, 0, 0, 0}};
	struct household h;
	struct status st;
	struct visit *v = NULL;
	struct ledger *l;
	size_t n = 0;
	int c, json = 0, rc = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'j')
			return cli_usage(usage);
		json = 1;
	}
	if (optind != argc - 1)
		return cli_usage(usage);
	if (cli_open(cli, &l))
		return 1;
	if (household_get(l, argv[optind], &h) || visit_load(l, h.account, 0, &v, &n) ||
	    status_drop_overruled(l, h.account, v, &n)) {
		rc = cli_fail();
	} else {
		rules_fold(&h, v, n, &st); /* sorts v into the fold's order */
		if (json)
			rc = print_json(l, &h, &st, v, n);
		else
			print_text(l, &h, &st, v, n);
	}
	free(v);
	ledger_close(l);
	return cli_finish(rc);
}
