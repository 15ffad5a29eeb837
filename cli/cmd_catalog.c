/* gaswalk catalog list | import FILE.csv [--encoding E]: the product catalog. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "cli/csvtab.h"
#include "core/catalog.h"
#include "core/i18n.h"
#include "core/labels.h"
#include "core/text.h"
#include "core/util.h"

static const char usage[] = "catalog list | import FILE.csv [--encoding auto|utf-8|gb18030]";

enum { K_CODE, K_ITEM, K_NAME, K_NAME_EN, K_BRAND, K_MODEL, K_STANDARD, K_PRICE, K__N };

static const struct csvtab_col catalog_cols[K__N] = {
	{"产品编码", "code", 1},    {"类别", "item", 1},     {"产品名称", "name", 1},
	{"英文名称", "name_en", 0}, {"品牌", "brand", 0},    {"型号", "model", 0},
	{"执行标准", "standard", 1}, {"单价", "price", 1},
};

/* The item a cell names: English or Chinese. */
static int item_of(const char *s)
{
	static const struct {
		const char *name;
		enum item item;
	} names[] = {
		{"软管", ITEM_HOSE},    {"金属软管", ITEM_HOSE}, {"自闭阀", ITEM_VALVE},
		{"阀门", ITEM_VALVE},   {"报警器", ITEM_ALARM},  {"燃气报警器", ITEM_ALARM},
		{"切断阀", ITEM_SHUTOFF}, {"紧急切断阀", ITEM_SHUTOFF},
	};
	int it = item_parse(s);

	for (size_t i = 0; it < 0 && i < GW_ARRAY_LEN(names); i++)
		if (strcmp(s, names[i].name) == 0)
			it = (int)names[i].item;
	return it;
}

/* A product code: 1..16 of A-Z a-z 0-9 - _ . / */
static int code_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= PRODUCT_MAX &&
	       strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_./") == n;
}

struct catalog_run {
	struct ledger *l;
	long added, updated;
};

static int copy_cell(char *dst, size_t sz, const char *src, const char *what)
{
	if (strlen(src) >= sz)
		return gw_fail(GW_ERR_INPUT, _("%s too long (at most %zu bytes)"), what, sz - 1);
	gw_strlcpy(dst, src, sz);
	return 0;
}

static int catalog_row(void *ctx, long line, char cells[][CSVTAB_CELL_MAX])
{
	struct catalog_run *x = ctx;
	struct catalog_row r;
	char shown[100];
	int it, added;

	(void)line;
	memset(&r, 0, sizeof r);
	text_fit(cells[K_CODE], 30, 0, shown, sizeof shown);
	if (!code_ok(cells[K_CODE]))
		return gw_fail(GW_ERR_INPUT, _("bad product code '%s' (1-16 letters, digits, - _ . /)"),
			       shown);
	gw_strlcpy(r.code, cells[K_CODE], sizeof r.code);
	text_fit(cells[K_ITEM], 30, 0, shown, sizeof shown);
	if ((it = item_of(cells[K_ITEM])) < 0)
		return gw_fail(GW_ERR_INPUT, _("unknown item '%s' (软管 自闭阀 报警器 切断阀)"), shown);
	r.item = (enum item)it;
	if (!cells[K_NAME][0] || !cells[K_STANDARD][0])
		return gw_fail(GW_ERR_INPUT, _("a product needs its name and its standard"));
	text_fit(cells[K_PRICE], 30, 0, shown, sizeof shown);
	if (catalog_price_fen(cells[K_PRICE], &r.price_fen))
		return gw_fail(GW_ERR_INPUT, _("bad price '%s' (yuan, at most two decimals)"), shown);
	if (copy_cell(r.name_zh, sizeof r.name_zh, cells[K_NAME], _("name")) ||
	    copy_cell(r.name_en, sizeof r.name_en,
		      cells[K_NAME_EN][0] ? cells[K_NAME_EN] : cells[K_NAME], _("name")) ||
	    copy_cell(r.brand, sizeof r.brand, cells[K_BRAND], _("brand")) ||
	    copy_cell(r.model, sizeof r.model, cells[K_MODEL], _("model")) ||
	    copy_cell(r.standard, sizeof r.standard, cells[K_STANDARD], _("standard")))
		return -1;
	if (catalog_put(x->l, &r, &added))
		return -1;
	*(added ? &x->added : &x->updated) += 1;
	return 0;
}

static int import_catalog(struct ledger *l, const char *path, enum enc enc)
{
	struct catalog_run x = {l, 0, 0};

	if (ledger_begin(l))
		return cli_fail();
	if (csvtab_read(path, enc, catalog_cols, K__N, catalog_row, &x) < 0) {
		ledger_rollback(l);
		return cli_fail();
	}
	if (ledger_commit(l))
		return cli_fail();
	printf(_("catalog: %ld added, %ld updated\n"), x.added, x.updated);
	return 0;
}

static int list_row(void *ctx, const struct catalog_row *r)
{
	char name[200], brand[120], std[80], item[64];

	(void)ctx;
	text_fit(i18n_is_zh() ? label_item(r->item) : item_name(r->item), i18n_is_zh() ? 10 : 7, 1,
		 item, sizeof item);
	text_fit(i18n_is_zh() ? r->name_zh : r->name_en, 30, 1, name, sizeof name);
	text_fit(r->brand[0] ? r->brand : "-", 12, 1, brand, sizeof brand);
	text_fit(r->standard, 14, 1, std, sizeof std);
	printf("%-16s %s %s %s %s %8lld.%02lld\n", r->code, item, name, brand, std,
	       (long long)(r->price_fen / 100), (long long)(r->price_fen % 100));
	return 0;
}

int cmd_catalog(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {{"encoding", required_argument, NULL, 'e'},
					     {0, 0, 0, 0}};
	struct ledger *l;
	int c, rc, enc = ENC_AUTO;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'e' || (enc = enc_parse(optarg)) < 0)
			return cli_usage(usage);
	}
	argc -= optind;
	argv += optind;
	if (!((argc == 1 && strcmp(argv[0], "list") == 0) ||
	      (argc == 2 && strcmp(argv[0], "import") == 0)))
		return cli_usage(usage);
	if (cli_open(cli, &l))
		return 1;
	rc = argc == 1 ? (catalog_each(l, list_row, NULL) ? cli_fail() : 0)
		       : import_catalog(l, argv[1], (enum enc)enc);
	ledger_close(l);
	return cli_finish(rc);
}
