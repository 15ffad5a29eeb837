/* gaswalk record: the command-line twin of the capture form. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/install_check.h"
#include "core/i18n.h"
#include "core/photoname.h"
#include "core/text.h"
#include "core/util.h"
#include "sync/territory.h"
#include "sync/hash.h"

static const char usage[] =
	"record ACCOUNT --outcome O [--hose H] [--valve V] [--alarm A] [--shutoff S] "
	"[--hazard CODE[:GRADE]]... [--install ITEM:PRODUCT:SERIAL:PRICE]... [--photo FILE]... "
	"[--role R] [--actor ID] [--at ISO8601] [--note TEXT] [--supply stopped|restored] "
	"[--supply-hazard CODE] [--notice] [--quick]";

/* Parses "12.5" yuan into fen; -1 if it is not a non-negative amount. */
static int64_t parse_price(const char *s)
{
	char *end;
	double yuan = strtod(s, &end);

	if (end == s || *end || yuan < 0 || yuan > 1e7)
		return -1;
	return (int64_t)(yuan * 100 + 0.5);
}

static int add_hazard(struct ledger *l, struct visit *v, const char *arg)
{
	char code[16];
	const char *colon = strchr(arg, ':');
	int grade;
	size_t n = colon ? (size_t)(colon - arg) : strlen(arg);

	if (n == 0 || n >= sizeof code)
		return cli_error(_("--hazard %s: unknown hazard code"), arg);
	memcpy(code, arg, n);
	code[n] = '\0';
	grade = ledger_hazard_grade(l, code);
	if (grade < 0)
		return cli_error(_("--hazard %s: unknown hazard code (see the checklist)"), arg);
	if (colon) {
		grade = (int)strtol(colon + 1, NULL, 10);
		if (grade < 1 || grade > 3 || strlen(colon + 1) != 1)
			return cli_error(_("--hazard %s: grade must be 1, 2 or 3"), arg);
	}
	for (int i = 0; i < v->nhazards; i++)
		if (!strcmp(v->hazards[i].code, code))
			return cli_error(_("--hazard %s: given twice"), code);
	if (v->nhazards == VISIT_MAX_HAZARDS)
		return cli_error(_("too many hazards"));
	gw_strlcpy(v->hazards[v->nhazards].code, code, sizeof v->hazards[0].code);
	v->hazards[v->nhazards++].grade = grade;
	return 0;
}

static int add_install(struct ledger *l, struct visit *v, const char *arg)
{
	char buf[256], *f[4], *save = NULL, why[256];
	struct install *in;
	int n = 0;

	if (strlen(arg) >= sizeof buf || v->ninstalls == VISIT_MAX_INSTALLS)
		return cli_error(_("--install %s: too long or too many"), arg);
	gw_strlcpy(buf, arg, sizeof buf);
	for (char *t = strtok_r(buf, ":", &save); t && n < 4; t = strtok_r(NULL, ":", &save))
		f[n++] = t;
	if (n != 4 || item_parse(f[0]) < 0)
		return cli_error(_("--install %s: expected ITEM:PRODUCT:SERIAL:PRICE, ITEM one of hose, valve, alarm, shutoff"), arg);
	in = &v->installs[v->ninstalls];
	in->item = (enum item)item_parse(f[0]);
	switch (install_check(l, in->item, f[1], why, sizeof why)) { /* V-STD as a hose: refused */
	case -1: return cli_fail();
	case 1: return cli_error("--install %s: %s", arg, why);
	default: break;
	}
	if (strlen(f[1]) > PRODUCT_MAX || strlen(f[2]) > SERIAL_MAX)
		return cli_error(_("--install %s: product or serial too long"), arg);
	gw_strlcpy(in->product, f[1], sizeof in->product);
	gw_strlcpy(in->serial, f[2], sizeof in->serial);
	in->price_fen = parse_price(f[3]);
	if (in->price_fen < 0)
		return cli_error(_("--install %s: price must be an amount in yuan"), arg);
	v->ninstalls++;
	return 0;
}

static int add_photo(struct visit *v, const char *path)
{
	struct photo *ph;
	const char *base = strrchr(path, '/');

	if (v->nphotos == VISIT_MAX_PHOTOS)
		return cli_error(_("too many photos"));
	ph = &v->photos[v->nphotos];
	base = base ? base + 1 : path;
	if (!photo_name_ok(base))
		return cli_error(_("--photo %s: not a plain file name (no control characters, '..' or leading '.'); rename the file"), path);
	if (sync_hash_file(path, ph->hash, &ph->size) != 0)
		return cli_fail();
	gw_strlcpy(ph->name, base, sizeof ph->name);
	v->nphotos++;
	return 0;
}

static int set_enum(int *dst, int (*parse)(const char *), const char *opt, const char *arg)
{
	int v = parse(arg);

	if (v < 0)
		return cli_error(_("--%s %s: not a value it takes"), opt, arg);
	*dst = v;
	return 0;
}

struct record_args {
	int role_given;
	const char *at;
};

static int parse_option(struct ledger *l, struct visit *v, struct record_args *a, int c)
{
	int tmp = 0, rc = 0;

	switch (c) {
	case 'o': rc = set_enum(&tmp, outcome_parse, "outcome", optarg); v->outcome = (enum outcome)tmp; break;
	case 'H': rc = set_enum(&tmp, hose_parse, "hose", optarg); v->hose = (enum hose)tmp; break;
	case 'v': rc = set_enum(&tmp, devstate_parse, "valve", optarg); v->valve = (enum devstate)tmp; break;
	case 'a': rc = set_enum(&tmp, devstate_parse, "alarm", optarg); v->alarm = (enum devstate)tmp; break;
	case 's': rc = set_enum(&tmp, devstate_parse, "shutoff", optarg); v->shutoff = (enum devstate)tmp; break;
	case 'S': rc = set_enum(&tmp, supply_parse, "supply", optarg); v->supply = (enum supply)tmp; break;
	case 'r': rc = set_enum(&tmp, role_parse, "role", optarg); v->role = (enum role)tmp; a->role_given = 1; break;
	case 'z': return add_hazard(l, v, optarg);
	case 'i': return add_install(l, v, optarg);
	case 'p': return add_photo(v, optarg);
	case 't': a->at = optarg; break;
	case 'N': v->notice = 1; break;
	case 'Q': v->entry_mode = ENTRY_QUICK; break;
	case 'Z':
		if (ledger_hazard_grade(l, optarg) < 0)
			return cli_error(_("--supply-hazard %s: unknown hazard code (see the checklist)"), optarg);
		gw_strlcpy(v->supply_hazard, optarg, sizeof v->supply_hazard);
		break;
	case 'A':
		if (!*optarg || strlen(optarg) > ACTOR_MAX)
			return cli_error(_("--actor: give 1 to %d characters"), ACTOR_MAX);
		gw_strlcpy(v->actor, optarg, sizeof v->actor);
		break;
	case 'n':
		if (strlen(optarg) > NOTE_MAX)
			return cli_error(_("--note: longer than %d bytes"), NOTE_MAX);
		gw_strlcpy(v->note, optarg, sizeof v->note);
		break;
	default: return 2;
	}
	return rc;
}

static int utf8(const char *s)
{
	return text_valid_utf8(s, strlen(s));
}

/* What is stored must print as text later (JSON refuses invalid UTF-8). */
static int texts_valid(const struct visit *v)
{
	int ok = utf8(v->note) && utf8(v->actor);

	for (int i = 0; i < v->ninstalls; i++)
		ok = ok && utf8(v->installs[i].product) && utf8(v->installs[i].serial);
	for (int i = 0; i < v->nphotos; i++)
		ok = ok && utf8(v->photos[i].name);
	return ok;
}

static int finish_visit(struct ledger *l, struct visit *v, const struct record_args *a)
{
	if (!texts_valid(v))
		return cli_error(_("an option's value is not valid UTF-8 text"));
	if (a->at) {
		if (time_parse_user(a->at, &v->at, &v->tz_minutes) != 0)
			return cli_error(_("--at %s: not an ISO 8601 time"), a->at);
	} else {
		v->at = gw_now();
		v->tz_minutes = time_local_offset(v->at);
	}
	if (v->ninstalls && !a->role_given)
		v->role = ROLE_INSTALL;
	if (v->outcome != OUT_ENTERED &&
	    (v->hose || v->valve || v->alarm || v->shutoff || v->nhazards || v->ninstalls))
		return cli_error(_("%s: observations and installs need --outcome entered"), v->account);
	if (v->supply_hazard[0] && v->supply != SUPPLY_STOPPED)
		return cli_error(_("--supply-hazard goes with --supply stopped"));
	if (v->entry_mode == ENTRY_QUICK && (v->nhazards || v->ninstalls || v->supply))
		return cli_error(_("--quick: a quick visit records no hazard, install or supply action"));
	if (!v->actor[0])
		gw_strlcpy(v->actor, ledger_name(l), sizeof v->actor);
	return 0;
}

static int parse_args(int argc, char **argv, struct ledger *l, struct visit *v)
{
	static const struct option opts[] = {
		{"outcome", required_argument, NULL, 'o'}, {"hose", required_argument, NULL, 'H'},
		{"valve", required_argument, NULL, 'v'},   {"alarm", required_argument, NULL, 'a'},
		{"shutoff", required_argument, NULL, 's'}, {"hazard", required_argument, NULL, 'z'},
		{"install", required_argument, NULL, 'i'}, {"photo", required_argument, NULL, 'p'},
		{"role", required_argument, NULL, 'r'},    {"actor", required_argument, NULL, 'A'},
		{"at", required_argument, NULL, 't'},      {"note", required_argument, NULL, 'n'},
		{"supply", required_argument, NULL, 'S'},  {"supply-hazard", required_argument, NULL, 'Z'},
		{"notice", no_argument, NULL, 'N'},        {"quick", no_argument, NULL, 'Q'},
		{0, 0, 0, 0},
	};
	struct record_args a = {0, NULL};
	int c, outcome_given = 0, rc;

	v->outcome = OUT__N;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		outcome_given |= c == 'o';
		if ((rc = parse_option(l, v, &a, c)) != 0)
			return rc;
	}
	if (!outcome_given || optind != argc)
		return 2;
	return finish_visit(l, v, &a);
}

/* 1 when the household is held here; 0 (its error set) when not. */
static int household_exists(struct ledger *l, const char *account)
{
	struct household *h = xmalloc(sizeof *h);
	int rc = household_get(l, account, h) == 0;

	free(h);
	return rc;
}

/* A sub-office's own visits go up in its own feed, under its key: the district counts
 * only its self-checks and spot-checks, and only in its subdistrict, and refuses every
 * roll-up that carries anything else (sync/FORMAT.md, "Relayed evidence"). Such a visit
 * cannot be taken back, so a sub-office that rolls up (it trusts an office above)
 * does not record it. */
static int office_may_record(struct ledger *l, const struct visit *v)
{
	struct territory t;
	char up[64], sub[HH_PLACE_MAX + 1];
	int rc;

	if (strcmp(ledger_kind(l), "office") != 0 || ledger_meta(l, "upstream", up, sizeof up) != 1)
		return 0;
	if (!household_exists(l, v->account))
		return cli_fail(); /* an unknown account first, before what the role may be */
	if (v->role != ROLE_SELF_CHECK && v->role != ROLE_SPOT_CHECK)
		return cli_error(_("%s: an office that rolls its visits up records only self-checks and spot-checks (--role self-check or spot-check): the level above counts no other visit signed by an office"),
				 v->account);
	if ((rc = territory_own_outside(l, v->account, &t, sub, sizeof sub)) < 0)
		return cli_fail();
	if (rc && sub[0]) /* (a household not held here is refused by visit_record) */
		return cli_error(_("%s: in '%s', outside this office's subdistrict (%s): the level above refuses an office's visit there"),
				 v->account, sub, t.code);
	return 0;
}

/* An office's own visits only check: installs and supply actions are the gas company's,
 * recorded on its inspectors' terminals; the level above refuses an office's visit
 * carrying one (sync/relay.c). */
static int office_visit_parts(struct ledger *l, const struct visit *v)
{
	if (strcmp(ledger_kind(l), "office") != 0 ||
	    (v->role != ROLE_SELF_CHECK && v->role != ROLE_SPOT_CHECK) ||
	    (!v->ninstalls && v->supply == SUPPLY_NONE))
		return 0;
	return cli_error(_("%s: an office's %s records no installs and no supply action (those are the gas company's, recorded on its inspectors' terminals)"),
			 v->account, role_name(v->role));
}

/* A terminal whose clock reads earlier than the last pack it loaded was made at has
 * a wrong date: its bundles would be held at the office (sync/FORMAT.md, "Time"). */
static void warn_clock(struct ledger *l)
{
	char buf[32], now[40], pack[40];
	int64_t made;

	if (ledger_meta(l, "pack_created", buf, sizeof buf) != 1)
		return;
	made = strtoll(buf, NULL, 10);
	if (made <= gw_now())
		return;
	time_format_iso(gw_now(), time_local_offset(gw_now()), now, sizeof now);
	time_format_iso(made, time_local_offset(made), pack, sizeof pack);
	fprintf(stderr, _("gaswalk: warning: this terminal's clock reads %s, earlier than the office's last pack (%s); set the date, or the office will hold its bundles\n"),
		now, pack);
}

int cmd_record(int argc, char **argv, struct cli *cli)
{
	struct ledger *l;
	struct visit *v;
	char at[40];
	int rc;

	if (argc < 2 || argv[1][0] == '-')
		return cli_usage(usage);
	if (cli_open(cli, &l))
		return 1;
	v = xcalloc(1, sizeof *v);
	gw_strlcpy(v->account, argv[1], sizeof v->account);
	optind = 2;
	rc = parse_args(argc, argv, l, v);
	if (rc == 2)
		rc = cli_usage(usage);
	else if (rc == 0 && (office_may_record(l, v) != 0 || office_visit_parts(l, v) != 0))
		rc = 1;
	else if (rc == 0 && visit_record(l, v) != 0)
		rc = cli_fail();
	if (rc == 0)
		warn_clock(l);
	if (rc == 0) {
		time_format_iso(v->at, v->tz_minutes, at, sizeof at);
		printf(_("saved visit %s/%lld for %s at %s\n"), v->id.device, (long long)v->id.seq,
		       v->account, at);
	}
	free(v);
	ledger_close(l);
	return cli_finish(rc);
}
