/* gaswalk conflicts [--json]: visits that disagree, recorded from the same base. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/devarg.h"
#include "core/i18n.h"
#include "core/labels.h"
#include "core/text.h"
#include "core/util.h"

static const char usage[] = "conflicts [--json] [--all]";

static const char sql_list[] =
	"SELECT id, account, a_device, a_seq, b_device, b_seq, fields, "
	"COALESCE(keep_device, ''), COALESCE(keep_seq, 0), resolved_at IS NOT NULL "
	"FROM conflict WHERE ?1 OR resolved_at IS NULL ORDER BY account, a_device, a_seq, b_device, b_seq";

/* The device's name (as 'resolve --keep' takes it), or null when the keyring has none. */
static json_t *name_json(struct ledger *l, const char *device)
{
	char name[160];
	json_t *j;

	cli_device_name(l, device, name, sizeof name);
	return name[0] && (j = json_string(name)) ? j : json_null();
}

static json_t *row_json(struct ledger *l, sqlite3_stmt *st)
{
	char a[40], b[40], keep[40];

	snprintf(a, sizeof a, "%s/%lld", ledger_text(st, 2), (long long)sqlite3_column_int64(st, 3));
	snprintf(b, sizeof b, "%s/%lld", ledger_text(st, 4), (long long)sqlite3_column_int64(st, 5));
	snprintf(keep, sizeof keep, "%s/%lld", ledger_text(st, 7), (long long)sqlite3_column_int64(st, 8));
	return json_pack("{sI ss ss ss ss so so so}", "id", (json_int_t)sqlite3_column_int64(st, 0),
			 "account", ledger_text(st, 1), "a", a, "b", b, "fields", ledger_text(st, 6), "kept",
			 sqlite3_column_int(st, 9) ? json_string(keep) : json_null(), "a_name",
			 name_json(l, ledger_text(st, 2)), "b_name", name_json(l, ledger_text(st, 4)));
}

/* Column c (device) and c + 1 (seq) as a visit label. */
static void visit_at(struct ledger *l, sqlite3_stmt *st, int c, char *out, size_t outsz)
{
	struct visit_id id;

	gw_strlcpy(id.device, ledger_text(st, c), sizeof id.device);
	id.seq = sqlite3_column_int64(st, c + 1);
	cli_visit_label(l, &id, out, outsz);
}

static void row_text(struct ledger *l, sqlite3_stmt *st)
{
	char account[80], a[300], b[300], keep[300], fields[300];

	text_clean(ledger_text(st, 1), account, sizeof account);
	visit_at(l, st, 2, a, sizeof a);
	visit_at(l, st, 4, b, sizeof b);
	label_fields(ledger_text(st, 6), fields, sizeof fields);
	printf(_("conflict %lld: %s: %s vs %s differ on %s"), (long long)sqlite3_column_int64(st, 0),
	       account, a, b, fields);
	if (sqlite3_column_int(st, 9)) {
		visit_at(l, st, 7, keep, sizeof keep);
		printf(_(" (resolved: kept %s)"), keep);
	}
	putchar('\n');
}

int cmd_conflicts(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
					     {"all", no_argument, NULL, 'a'}, {0, 0, 0, 0}};
	json_t *list = json_array();
	struct ledger *l;
	sqlite3_stmt *st;
	int c, json = 0, all = 0, rc = 0, n = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'j')
			json = 1;
		else if (c == 'a')
			all = 1;
		else
			return json_decref(list), cli_usage(usage);
	}
	if (optind != argc)
		return json_decref(list), cli_usage(usage);
	if (cli_open(cli, &l))
		return json_decref(list), 1;
	if (!(st = ledger_stmt(l, sql_list))) {
		rc = cli_fail();
	} else {
		sqlite3_bind_int(st, 1, all);
		for (; sqlite3_step(st) == SQLITE_ROW; n++) {
			if (json)
				json_array_append_new(list, row_json(l, st));
			else
				row_text(l, st);
		}
		sqlite3_reset(st);
		if (json) {
			json_dumpf(list, stdout, JSON_INDENT(2));
			putchar('\n');
		} else if (n == 0) {
			printf(_("no open conflicts\n"));
		}
	}
	json_decref(list);
	ledger_close(l);
	return cli_finish(rc);
}
