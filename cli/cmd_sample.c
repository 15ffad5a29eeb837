/* gaswalk sample: the spot-check sample, stratified by subdistrict, drawn from the
 * households that claim compliance, reproducible from its seed. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/util.h"
#include "report/output.h"
#include "report/report.h"
#include "report/sample.h"

static const char usage[] = "sample --per-subdistrict N --seed S [--json]";

static const char sql_compliant[] =
	"SELECT h.account, h.subdistrict, h.compound, h.building, h.unit, h.room "
	"FROM household h JOIN status s ON s.account = h.account "
	"WHERE s.state = 'compliant' ORDER BY h.account";

struct candidate {
	char account[HH_ACCOUNT_MAX + 1];
	char address[400];
	int sub;
};

struct pool {
	struct candidate *c;
	size_t n, cap;
};

static int read_pool(struct rctx *c, struct pool *p)
{
	sqlite3_stmt *st = ledger_stmt(c->l, sql_compliant);
	struct household h;
	int rc;

	if (!st)
		return -1;
	memset(&h, 0, sizeof h);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (p->n == p->cap) {
			p->cap = p->cap ? p->cap * 2 : 256;
			p->c = xrealloc(p->c, p->cap * sizeof *p->c);
		}
		gw_strlcpy(p->c[p->n].account, ledger_text(st, 0), sizeof p->c[0].account);
		p->c[p->n].sub = rctx_sub(c, ledger_text(st, 1));
		gw_strlcpy(h.compound, ledger_text(st, 2), sizeof h.compound);
		gw_strlcpy(h.building, ledger_text(st, 3), sizeof h.building);
		gw_strlcpy(h.unit, ledger_text(st, 4), sizeof h.unit);
		gw_strlcpy(h.room, ledger_text(st, 5), sizeof h.room);
		rlabel_address(&h, p->c[p->n++].address, sizeof p->c[0].address);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(c->l, "read households");
}

/* For each subdistrict in order, draws per_sub of its candidates (kept in account
 * order) with one generator seeded once. */
static size_t draw(const struct rctx *c, const struct pool *p, size_t per_sub, uint64_t seed,
		   size_t *chosen)
{
	size_t *idx = xmalloc((p->n ? p->n : 1) * sizeof *idx), *pick, total = 0;
	uint64_t state = seed;

	pick = xmalloc((p->n ? p->n : 1) * sizeof *pick);
	for (int s = 0; s < c->nsubs; s++) {
		size_t m = 0, k;
		for (size_t i = 0; i < p->n; i++)
			if (p->c[i].sub == s)
				idx[m++] = i;
		k = sample_draw(&state, m, per_sub, pick);
		for (size_t i = 0; i < k; i++)
			chosen[total++] = idx[pick[i]];
	}
	free(idx);
	free(pick);
	return total;
}

static int print_json(const struct rctx *c, const struct pool *p, const size_t *chosen, size_t n,
		      size_t per_sub, uint64_t seed)
{
	json_t *root = json_object(), *list = json_array();
	int rc;

	json_object_set_new(root, "seed", json_integer((json_int_t)seed));
	json_object_set_new(root, "per_subdistrict", json_integer((json_int_t)per_sub));
	for (size_t i = 0; i < n; i++) {
		const struct candidate *k = &p->c[chosen[i]];
		const struct rsub *s = &c->subs[k->sub];
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}", "account", k->account,
						      "subdistrict_code", s->code, "subdistrict",
						      s->name, "address", k->address));
	}
	json_object_set_new(root, "households", list);
	rc = json_dumpf(root, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
	json_decref(root);
	return rc == 0 ? 0 : gw_fail(GW_ERR_IO, "stdout: write failed");
}

static int print_text(const struct rctx *c, const struct pool *p, const size_t *chosen, size_t n,
		      size_t per_sub, uint64_t seed)
{
	char sub[200];
	struct report *r;
	struct rtable *t;
	int rc;

	snprintf(sub, sizeof sub,
		 _("seed %llu, up to %zu per subdistrict, from %zu compliant households"),
		 (unsigned long long)seed, per_sub, p->n);
	r = report_new(_("Spot-check sample"), sub);
	t = report_add_table(r, _("Households to spot-check"));
	rtable_col(t, _("account"), RT_TEXT);
	rtable_col(t, _("subdistrict"), RT_TEXT);
	rtable_col(t, _("address"), RT_TEXT);
	for (size_t i = 0; i < n; i++) {
		rtable_row(t);
		rtable_text(t, p->c[chosen[i]].account);
		rtable_text(t, c->subs[p->c[chosen[i]].sub].name);
		rtable_text(t, p->c[chosen[i]].address);
	}
	rc = report_write(r, RF_TEXT, NULL);
	report_free(r);
	return rc;
}

struct sample_args {
	long long per_sub;
	unsigned long long seed;
	int have_seed, json;
};

static int parse_args(int argc, char **argv, struct sample_args *a)
{
	static const struct option opts[] = {
		{"per-subdistrict", required_argument, NULL, 'n'},
		{"seed", required_argument, NULL, 's'},
		{"json", no_argument, NULL, 'j'},
		{0, 0, 0, 0},
	};
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'n') {
			a->per_sub = strtoll(optarg, &end, 10);
			if (end == optarg || *end || a->per_sub < 1 || a->per_sub > 100000)
				return -1;
		} else if (c == 's') {
			a->seed = strtoull(optarg, &end, 10);
			if (end == optarg || *end || *optarg == '-')
				return -1;
			a->have_seed = 1;
		} else if (c == 'j') {
			a->json = 1;
		} else {
			return -1;
		}
	}
	return optind == argc && a->per_sub > 0 && a->have_seed ? 0 : -1;
}

static int run(struct ledger *l, const struct sample_args *a)
{
	struct pool p = {NULL, 0, 0};
	struct rctx c;
	size_t *chosen = NULL, n;
	int rc = -1;

	if (rctx_open(&c, l, NULL) == 0 && read_pool(&c, &p) == 0) {
		chosen = xmalloc((p.n ? p.n : 1) * sizeof *chosen);
		n = p.n ? draw(&c, &p, (size_t)a->per_sub, a->seed, chosen) : 0;
		rc = a->json ? print_json(&c, &p, chosen, n, (size_t)a->per_sub, a->seed)
			     : print_text(&c, &p, chosen, n, (size_t)a->per_sub, a->seed);
	}
	free(chosen);
	free(p.c);
	rctx_close(&c);
	return rc ? cli_fail() : 0;
}

int cmd_sample(int argc, char **argv, struct cli *cli)
{
	struct sample_args a = {0, 0, 0, 0};
	struct ledger *l;
	int rc;

	if (parse_args(argc, argv, &a))
		return cli_usage(usage);
	if (cli_open(cli, &l))
		return 1;
	rc = run(l, &a);
	ledger_close(l);
	return cli_finish(rc);
}
