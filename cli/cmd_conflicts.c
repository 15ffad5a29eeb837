/* gaswalk conflicts [--json]: visits that disagree, recorded from the same base. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"

static const char usage[] = "conflicts [--json] [--all]";

static const char sql_list[] =
	"SELECT id, account, a_device, a_seq, b_device, b_seq, fields, "
	"COALESCE(keep_device, ''), COALESCE(keep_seq, 0), resolved_at IS NOT NULL "
	"FROM conflict WHERE ?1 OR resolved_at IS NULL ORDER BY account, a_device, a_seq, b_device, b_seq";

static json_t *row_json(sqlite3_stmt *st)
{
	char a[40], b[40], keep[40];

	snprintf(a, sizeof a, "%s/%lld", ledger_text(st, 2), (long long)sqlite3_column_int64(st, 3));
	snprintf(b, sizeof b, "%s/%lld", ledger_text(st, 4), (long long)sqlite3_column_int64(st, 5));
	snprintf(keep, sizeof keep, "%s/%lld", ledger_text(st, 7), (long long)sqlite3_column_int64(st, 8));
	return json_pack("{sI ss ss ss ss so}", "id", (json_int_t)sqlite3_column_int64(st, 0),
			 "account", ledger_text(st, 1), "a", a, "b", b, "fields", ledger_text(st, 6), "kept",
			 sqlite3_column_int(st, 9) ? json_string(keep) : json_null());
}

static void row_text(sqlite3_stmt *st)
{
	char account[80];

	text_clean(ledger_text(st, 1), account, sizeof account);
	printf(_("conflict %lld: %s: %s/%lld vs %s/%lld differ on %s"),
	       (long long)sqlite3_column_int64(st, 0), account, ledger_text(st, 2),
	       (long long)sqlite3_column_int64(st, 3), ledger_text(st, 4),
	       (long long)sqlite3_column_int64(st, 5), ledger_text(st, 6));
	if (sqlite3_column_int(st, 9))
		printf(_(" (resolved: kept %s/%lld)"), ledger_text(st, 7), (long long)sqlite3_column_int64(st, 8));
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
				json_array_append_new(list, row_json(st));
			else
				row_text(st);
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
