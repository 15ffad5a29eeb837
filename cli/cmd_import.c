/* gaswalk import FILE.csv [--encoding auto|utf-8|gb18030] [--skip-invalid] [--dry-run]
 *                [--rejects FILE]
 * gaswalk import --template FILE */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "import/import.h"

static const char usage[] =
	"import FILE.csv [--encoding auto|utf-8|gb18030] [--skip-invalid] [--dry-run] "
	"[--rejects FILE]\n"
	"       import --template FILE";

#define PROGRESS_MIN_BYTES (1u << 20) /* smaller files finish before a bar helps */
#define PROGRESS_EVERY_NS 100000000L  /* at most ten redraws a second */
#define BAR_WIDTH 20

struct progress {
	int on;    /* stderr is a terminal */
	int shown; /* the bar is on the screen now */
	struct timespec last;
};

static long elapsed_ns(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000000000L + (b->tv_nsec - a->tv_nsec);
}

static void progress_clear(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = 0;
}

static void on_progress(void *ctx, uint64_t done, uint64_t total, long rows)
{
	struct progress *p = ctx;
	struct timespec now;
	char bar[BAR_WIDTH + 1];
	int pct, fill;

	if (!p->on || total < PROGRESS_MIN_BYTES)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (p->shown && elapsed_ns(&p->last, &now) < PROGRESS_EVERY_NS)
		return;
	p->last = now;
	pct = done >= total ? 100 : (int)(done * 100 / total);
	fill = pct * BAR_WIDTH / 100;
	memset(bar, '#', (size_t)fill);
	memset(bar + fill, '-', (size_t)(BAR_WIDTH - fill));
	bar[BAR_WIDTH] = '\0';
	fprintf(stderr, "\r%s [%s] %3d%% ", _("importing"), bar, pct);
	fprintf(stderr, _("%ld rows"), rows);
	fputs("\033[K", stderr);
	fflush(stderr);
	p->shown = 1;
}

static void on_reject(void *ctx, const char *file, long line, const char *reason)
{
	progress_clear(ctx);
	fprintf(stderr, "%s:%ld: %s\n", file, line, reason);
}

static void on_warn(void *ctx, const char *file, long line, const char *what)
{
	progress_clear(ctx);
	fprintf(stderr, _("%s:%ld: warning: %s\n"), file, line, what);
}

static void print_summary(const char *file, const struct import_opts *o,
			  const struct import_counts *c)
{
	if (o->dry_run)
		printf(ngettext("%s: %ld row checked: %ld would be added, %ld updated, %ld unchanged, "
				"%ld rejected; nothing written (dry run)\n",
				"%s: %ld rows checked: %ld would be added, %ld updated, %ld unchanged, "
				"%ld rejected; nothing written (dry run)\n",
				(unsigned long)c->rows),
		       file, c->rows, c->added, c->updated, c->unchanged, c->rejected);
	else
		printf(ngettext("%s: %ld row: %ld added, %ld updated, %ld unchanged, %ld rejected\n",
				"%s: %ld rows: %ld added, %ld updated, %ld unchanged, %ld rejected\n",
				(unsigned long)c->rows),
		       file, c->rows, c->added, c->updated, c->unchanged, c->rejected);
}

static int parse_args(int argc, char **argv, struct import_opts *o, const char **template)
{
	static const struct option opts[] = {
		{"encoding", required_argument, NULL, 'e'},
		{"skip-invalid", no_argument, NULL, 's'},
		{"dry-run", no_argument, NULL, 'n'},
		{"rejects", required_argument, NULL, 'r'},
		{"template", required_argument, NULL, 't'},
		{0, 0, 0, 0},
	};
	int c, e, other = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'e' && (e = enc_parse(optarg)) >= 0)
			o->encoding = (enum enc)e;
		else if (c == 's')
			o->skip_invalid = 1;
		else if (c == 'n')
			o->dry_run = 1;
		else if (c == 'r')
			o->rejects = optarg;
		else if (c == 't')
			*template = optarg;
		else
			return -1;
		other += c != 't';
	}
	if (*template)
		return optind == argc && !other ? 0 : -1;
	return optind == argc - 1 ? 0 : -1;
}

static int write_template(const char *path)
{
	char shown[512];

	if (import_template(path))
		return cli_fail();
	text_clean(path, shown, sizeof shown);
	printf(_("%s: an empty customer list with the Chinese header (UTF-8, opens in Excel)\n"),
	       shown);
	printf("%s\n", _("街道/subdistrict: one of the district's subdistricts, listed in man gaswalk "
			 "(import) and data/subdistricts.tsv"));
	return cli_finish(0);
}

int cmd_import(int argc, char **argv, struct cli *cli)
{
	struct import_opts o = {ENC_AUTO, 0, 0, NULL};
	struct progress p = {isatty(STDERR_FILENO), 0, {0, 0}};
	struct import_hooks hooks = {on_reject, on_progress, &p, on_warn};
	struct import_counts c;
	struct ledger *l;
	const char *template = NULL;
	char file[512];
	int rc;

	if (parse_args(argc, argv, &o, &template))
		return cli_usage(usage);
	if (template)
		return write_template(template);
	text_clean(argv[optind], file, sizeof file);
	if (cli_open(cli, &l))
		return 1;
	rc = import_csv(l, argv[optind], &o, &hooks, &c);
	progress_clear(&p);
	ledger_close(l);
	if (rc < 0)
		return cli_fail();
	if (o.rejects && c.rejected) {
		char shown[512];
		text_clean(o.rejects, shown, sizeof shown);
		printf(ngettext("%ld rejected row written to %s, its reason in the last column: "
				"correct it there and import that file\n",
				"%ld rejected rows written to %s, each reason in the last column: "
				"correct them there and import that file\n",
				(unsigned long)c.rejected),
		       c.rejected, shown);
	}
	if (rc == IMPORT_REJECTED)
		return cli_error(_("%s: %ld of %ld rows rejected, so nothing was written; correct "
				   "them and import again, or add --skip-invalid to import the other rows"),
				 file, c.rejected, c.rows);
	print_summary(file, &o, &c);
	return cli_finish(0);
}
