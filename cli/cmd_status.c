/* gaswalk status ACCOUNT [--json] */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/show.h"
#include "core/i18n.h"
#include "core/overrule.h"
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

static void print_visit(const struct visit *v)
{
	char at[40], what[200];

	time_format_iso(v->at, v->tz_minutes, at, sizeof at);
	snprintf(what, sizeof what, "%.16s %s %s %s", at, role_name(v->role),
		 label_outcome(v->outcome), v->actor);
	line("", what);
}

static void print_text(const struct household *h, const struct status *st, const struct visit *v,
		       size_t n)
{
	char addr[512], buf[64];

	show_address(h, addr, sizeof addr);
	line(_("account"), h->account);
	line(_("name"), h->name);
	line(_("address"), addr);
	snprintf(buf, sizeof buf, "%s / %s%s", category_name(h->category), gas_name(h->gas),
		 h->new_build ? " / new" : "");
	line(_("category"), buf);
	if (h->sector[0])
		line(_("sector"), h->sector);
	line(_("status"), label_state(st->state));
	print_items(h, st, NEED_REQUIRED, _("required"));
	print_items(h, st, NEED_ENCOURAGED, _("encouraged"));
	for (int i = 0; i < st->nhazards; i++) {
		snprintf(buf, sizeof buf, "%s (%d)", st->hazards[i].code, st->hazards[i].grade);
		line(_("hazard"), buf);
	}
	snprintf(buf, sizeof buf, "%d", st->visits);
	line(_("visits"), buf);
	for (size_t i = 0; i < n; i++)
		print_visit(&v[i]);
}

static int print_json(const struct household *h, const struct status *st, const struct visit *v,
		      size_t n)
{
	json_t *doc = show_household_json(h), *visits = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(visits, show_visit_json(&v[i]));
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
			rc = print_json(&h, &st, v, n);
		else
			print_text(&h, &st, v, n);
	}
	free(v);
	ledger_close(l);
	return cli_finish(rc);
}
