/* gaswalk settings [KEY [VALUE]] [--log]: list, show or set the campaign settings. */
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/settings.h"
#include "core/text.h"
#include "core/util.h"

static const char usage[] = "settings [KEY [VALUE]] [--log]";

static const char sql_row[] =
	"SELECT origin, set_by, set_at FROM setting_origin WHERE key = ?";
static const char sql_log[] =
	"SELECT at, key, COALESCE(old, ''), new, origin, who FROM setting_log "
	"WHERE ?1 = '' OR key = ?1 ORDER BY id";

/* Where a setting's value was set: "local" (this ledger) translated, else as stored. */
static const char *source_label(const char *s)
{
	return strcmp(s, "local") == 0 ? _("local") : s;
}

static const char *scope_label(enum setting_scope s)
{
	static const char *const labels[] = {N_("district-wide"), N_("office"), N_("terminal-local")};

	return _(labels[s]);
}

/* "2026-12-02 21:30 by NAME (ORIGIN)" or "default". */
static void origin_text(struct ledger *l, const char *key, char *out, size_t sz)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_row);
	char day[32] = "", who[80];

	gw_strlcpy(out, _("default"), sz);
	if (!st)
		return;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 2) != 0) {
		time_t t = (time_t)sqlite3_column_int64(st, 2);
		strftime(day, sizeof day, "%Y-%m-%d %H:%M", localtime(&t));
		text_clean(ledger_text(st, 1), who, sizeof who);
		snprintf(out, sz, _("%s by %s (%s)"), day, who, source_label(ledger_text(st, 0)));
	}
	sqlite3_reset(st);
}

static void print_one(struct ledger *l, const struct setting_def *d, int verbose)
{
	char value[256], origin[200];

	settings_get_text(l, d->key, value, sizeof value);
	origin_text(l, d->key, origin, sizeof origin);
	if (!verbose) {
		printf("%-40s %-12s %s  [%s]\n", d->key, value, scope_label(d->scope), origin);
		return;
	}
	printf("%s = %s\n", d->key, value);
	printf("  %s: %s\n", _("scope"), scope_label(d->scope));
	if (d->type == SETTING_INT || d->type == SETTING_YUAN)
		printf("  %s: %s %ld..%ld\n", _("type"), _(settings_type_name(d->type)), d->min, d->max);
	else
		printf("  %s: %s\n", _("type"), _(settings_type_name(d->type)));
	printf("  %s: %s\n", _("default"), d->def);
	printf("  %s: %s\n", _("last set"), origin);
	printf("  %s\n", _(d->help));
}

static int print_log(struct ledger *l, const char *key)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_log);
	char who[80], old[80], nv[80];

	if (!st)
		return cli_fail();
	sqlite3_bind_text(st, 1, key ? key : "", -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		time_t t = (time_t)sqlite3_column_int64(st, 0);
		char day[32];
		strftime(day, sizeof day, "%Y-%m-%d %H:%M:%S", localtime(&t));
		text_clean(ledger_text(st, 5), who, sizeof who);
		text_clean(ledger_text(st, 2), old, sizeof old);
		text_clean(ledger_text(st, 3), nv, sizeof nv);
		printf("%s  %s  %s -> %s  %s (%s)\n", day, ledger_text(st, 1), old[0] ? old : "-", nv,
		       who, source_label(ledger_text(st, 4)));
	}
	sqlite3_reset(st);
	return 0;
}

/* The person at the keyboard, for the log: login name @ this ledger's name. */
static void who_am_i(struct ledger *l, char *out, size_t sz)
{
	struct passwd *pw = getpwuid(getuid());

	snprintf(out, sz, "%s@%s", pw && pw->pw_name ? pw->pw_name : "?", ledger_name(l));
}

static int set_one(struct ledger *l, const char *key, const char *value)
{
	char who[200], now[256];

	who_am_i(l, who, sizeof who);
	if (settings_set(l, key, value, who))
		return cli_fail();
	settings_get_text(l, key, now, sizeof now);
	printf("%s = %s\n", key, now);
	return 0;
}

static int run(struct ledger *l, int argc, char **argv, int log)
{
	const struct setting_def *d = argc > 0 ? settings_find(argv[0]) : NULL;

	if (argc > 0 && !d)
		return cli_error("%s: %s", argv[0], _("no such setting (gaswalk settings lists them)"));
	if (log)
		return print_log(l, argc > 0 ? argv[0] : NULL);
	if (argc == 2)
		return set_one(l, argv[0], argv[1]);
	if (argc == 1) {
		print_one(l, d, 1);
		return 0;
	}
	for (size_t i = 0; i < settings_count(); i++)
		print_one(l, settings_at(i), 0);
	return 0;
}

int cmd_settings(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {{"log", no_argument, NULL, 'L'}, {0, 0, 0, 0}};
	struct ledger *l;
	int c, log = 0, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'L')
			return cli_usage(usage);
		log = 1;
	}
	if (argc - optind > 2 || (log && argc - optind > 1))
		return cli_usage(usage);
	if (cli_open(cli, &l))
		return 1;
	rc = run(l, argc - optind, argv + optind, log);
	ledger_close(l);
	return cli_finish(rc);
}
