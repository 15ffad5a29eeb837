/* gaswalk list [--pending] [--compound [SUBDISTRICT/]C] [--product CODE] [--json] */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/show.h"
#include "core/catalog.h"
#include "core/compound.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"

static const char usage[] = "list [--pending] [--compound [SUBDISTRICT/]C] [--product CODE] [--json]";

struct list_out {
	json_t *array; /* NULL: text */
	int count;
	struct ledger *l;    /* with product: only households currently fitted with it */
	const char *product; /* (P, issue 16: the walk that replaces a recalled product) */
};

/* The state, with the reason a household still pending was left: vacant, refused at
 * the door, nobody at home (the office sees why a door is not done). */
static const char *state_text(const struct status *st)
{
	static char buf[96];

	if (st->state != ST_PENDING || st->last_outcome < 0 || st->last_outcome == OUT_ENTERED)
		return label_state(st->state);
	snprintf(buf, sizeof buf, _("%s (last visit: %s)"), label_state(st->state),
		 label_outcome((enum outcome)st->last_outcome));
	return buf;
}

static int print_row(void *ctx, const struct household *h, const struct status *st)
{
	struct list_out *out = ctx;
	char addr[512], c_acc[48], c_addr[160], c_name[80];
	int fitted = out->product ? catalog_fitted(out->l, h->account, out->product) : 1;

	if (fitted <= 0)
		return fitted;
	out->count++;
	if (out->array) {
		json_t *row = show_household_json(h);
		json_object_set_new(row, "state", json_string(state_name(st->state)));
		if (st->last_outcome >= 0)
			json_object_set_new(row, "last_outcome",
					    json_string(outcome_name((enum outcome)st->last_outcome)));
		json_array_append_new(out->array, row);
		return 0;
	}
	show_address(h, addr, sizeof addr);
	text_fit(h->account, 14, 1, c_acc, sizeof c_acc);
	text_fit(addr, 30, 1, c_addr, sizeof c_addr);
	text_fit(h->name, 20, 1, c_name, sizeof c_name);
	printf("%s %s %s %s\n", c_acc, c_addr, c_name, state_text(st));
	return 0;
}

int cmd_list(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {
		{"pending", no_argument, NULL, 'p'},
		{"compound", required_argument, NULL, 'c'},
		{"json", no_argument, NULL, 'j'},
		{"product", required_argument, NULL, 'P'},
		{0, 0, 0, 0},
	};
	struct list_filter f = {0};
	struct list_out out = {NULL, 0, NULL, NULL};
	struct compound_ref ref;
	char key[2 * HH_PLACE_MAX + 2];
	const char *compound = NULL;
	struct ledger *l;
	int c, json = 0, rc = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'p')
			f.pending_only = 1;
		else if (c == 'c')
			compound = optarg;
		else if (c == 'j')
			json = 1;
		else if (c == 'P')
			out.product = optarg;
		else
			return cli_usage(usage);
	}
	if (optind != argc)
		return cli_usage(usage);
	if (cli_open(cli, &l))
		return 1;
	if (compound && compound_resolve(l, compound, &ref)) {
		ledger_close(l);
		return cli_fail();
	}
	if (compound) {
		compound_format(&ref, key, sizeof key);
		f.compound = key;
	}
	out.l = l;
	if (json)
		out.array = json_array();
	if (ledger_list(l, &f, print_row, &out) != 0)
		rc = cli_fail();
	else if (json)
		rc = show_json_print(out.array), out.array = NULL;
	json_decref(out.array);
	ledger_close(l);
	return cli_finish(rc);
}
