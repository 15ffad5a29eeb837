/* gaswalk merge FILE...: one summary line per bundle (verify shares it). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/devarg.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "sync/merge.h"

static void progress(int done, int total)
{
	int width = 30, fill = total ? done * width / total : width;

	fprintf(stderr, "\r[%.*s%*s] %d/%d", fill, "##############################", width - fill, "",
		done, total);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

static void print_ok(struct ledger *l, const char *path, const struct merge_report *r)
{
	char shown[512], dev[300];

	cli_device_label(l, r->device, dev, sizeof dev);

	text_clean(path, shown, sizeof shown);
	if (r->outcome == MERGE_ALREADY && !r->photos_picked) {
		printf(_("%s: already merged (device %s, bundle %lld); nothing changed\n"), shown,
		       dev, (long long)r->seq);
		return;
	}
	if (r->outcome == MERGE_ALREADY) {
		printf(_("%s: already merged (device %s, bundle %lld)\n"), shown, dev,
		       (long long)r->seq);
		return;
	}
	if (r->outcome == MERGE_VERIFIED)
		printf(_("%s: ok (device %s, bundle %lld): %lld visits, %lld households, %lld photos\n"),
		       shown, dev, (long long)r->seq, (long long)r->visits_dup,
		       (long long)r->households, (long long)r->photos);
	else
		printf(_("%s: merged (device %s, bundle %lld): %lld new visits, %lld already there, %lld households, %lld photos\n"),
		       shown, dev, (long long)r->seq, (long long)r->visits_new,
		       (long long)r->visits_dup, (long long)r->households, (long long)r->photos);
	if (r->conflicts)
		printf(_("%s: %lld new conflicts; see 'gaswalk conflicts'\n"), shown, (long long)r->conflicts);
	if (r->outside && r->outcome != MERGE_VERIFIED)
		printf(_("%s: %lld visits of households outside the territory of office %s kept as its terminals' evidence, not counted (voided here)\n"),
		       shown, (long long)r->outside, dev);
	if (r->rejected_kept && r->outcome != MERGE_VERIFIED)
		printf(_("%s: %lld visits the clerk rejected before kept as evidence, not counted (voided here)\n"),
		       shown, (long long)r->rejected_kept);
	if (r->revocations && r->outcome != MERGE_VERIFIED)
		printf(_("%s: %lld revocations of its terminals (office %s)\n"), shown,
		       (long long)r->revocations, dev);
	if (r->carried && r->outcome != MERGE_VERIFIED) {
		char from[300];

		text_clean(r->carried_from, from, sizeof from);
		printf(_("%s: %lld carried visits already held from %s, not counted again (voided here)\n"),
		       shown, (long long)r->carried, from);
	}
	if (r->gap[0])
		printf("%s: %s\n", shown, r->gap);
}

/* Returns 1 when the bundle was rejected or a photo is missing. */
static int report(struct ledger *l, const char *path, const struct merge_report *r)
{
	char why[600], list[600], shown[512], dev[300];

	cli_device_label(l, r->device, dev, sizeof dev);

	text_clean(path, shown, sizeof shown);
	if (r->outcome == MERGE_REJECTED) {
		text_clean(r->why, why, sizeof why);
		if (r->fork)
			fprintf(stderr, "gaswalk: !!! %s\n", why);
		else
			fprintf(stderr, _("gaswalk: rejected: %s\n"), why);
		printf(_("%s: rejected\n"), shown);
		return 1;
	}
	if (r->outcome == MERGE_HELD) {
		text_clean(r->why, why, sizeof why);
		fprintf(stderr, _("gaswalk: held: %s\n"), why);
		if (r->held_id)
			printf(_("%s: held whole as %lld (device %s, bundle %lld); see 'gaswalk held'\n"),
			       shown, (long long)r->held_id, dev, (long long)r->seq);
		else
			printf(_("%s: would be held (device %s, bundle %lld)\n"), shown, dev,
			       (long long)r->seq);
		return 1;
	}
	print_ok(l, path, r);
	if (r->flagged.n) {
		text_clean(r->flagged.list, list, sizeof list);
		fprintf(stderr, _("gaswalk: %s: warning: %d installs flagged: %s\n"), shown,
			r->flagged.n, list);
	}
	if (r->photos_picked)
		printf(_("%s: %lld photos missing before came with it\n"), shown,
		       (long long)r->photos_picked);
	if (r->bad_photos.n) {
		text_clean(r->bad_photos.list, list, sizeof list);
		fprintf(stderr, _("gaswalk: %s: %d photos missing or not matching: %s\n"), shown,
			r->bad_photos.n, list);
		return 1;
	}
	return 0;
}

struct run {
	struct ledger *l;
	int bad, tty, done, total;
};

static void merged(void *ctx, const char *path, const struct merge_report *r)
{
	struct run *run = ctx;

	run->bad |= report(run->l, path, r);
	if (run->tty)
		progress(++run->done, run->total);
}

/* verify: each bundle checked on its own; merge: sync_merge_many() (groups). */
static int each(struct ledger *l, const struct sync_keys *k, int argc, char **argv,
		int verify_only, struct run *run)
{
	struct merge_report r;

	if (!verify_only)
		return sync_merge_many(l, k, argv + 1, argc - 1, merged, run);
	for (int i = 1; i < argc; i++) {
		if (sync_merge(l, k, argv[i], 1, &r) != 0)
			return -1;
		merged(run, argv[i], &r);
	}
	return 0;
}

int cli_merge_run(struct cli *cli, int argc, char **argv, int verify_only)
{
	struct ledger *l;
	struct sync_keys *k;
	struct run run = {NULL, 0, isatty(2) && argc > 3, 0, argc - 1};

	if (cli_open(cli, &l))
		return 1;
	run.l = l;
	if (!(k = sync_keys_load(l))) {
		ledger_close(l);
		return cli_fail();
	}
	if (!verify_only && sync_merge_batch_begin(l)) {
		sync_keys_free(k);
		ledger_close(l);
		return cli_fail();
	}
	if (each(l, k, argc, argv, verify_only, &run) != 0)
		run.bad = cli_fail();
	if (!verify_only && sync_merge_batch_end(l))
		run.bad = cli_fail();
	sync_keys_free(k);
	ledger_close(l);
	return run.bad;
}

int cmd_merge(int argc, char **argv, struct cli *cli)
{
	if (argc < 2 || argv[1][0] == '-')
		return cli_usage("merge FILE...");
	return cli_finish(cli_merge_run(cli, argc, argv, 0));
}
