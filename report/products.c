/* Recalls (产品质量监督): the households fitted with a product, or a range of serials. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "report/report.h"

/* Each household's current item of each kind: its latest install up to the moment. */
static const char sql_fitted[] =
	"SELECT h.account, h.subdistrict, h.name, h.compound, h.building, h.unit, h.room, "
	"f.item, f.product, f.serial, f.price_fen, f.at_epoch, f.actor FROM ("
	"SELECT v.account, x.item, x.product, x.serial, x.price_fen, v.at_epoch, v.actor, "
	"row_number() OVER (PARTITION BY v.account, x.item ORDER BY v.at_epoch DESC, "
	"v.device DESC, v.seq DESC, x.n DESC) AS k "
	"FROM visit_install x JOIN visit v ON v.device = x.device AND v.seq = x.seq "
	"WHERE v.at_epoch <= ?1 AND NOT " VISIT_VOIDED("v") ") f JOIN household h ON h.account = f.account "
	"WHERE f.k = 1 AND (?2 = '' OR f.product = ?2)";

static const char sql_catalog[] =
	"SELECT c.code, c.item, c.name_zh, c.name_en, COALESCE(e.brand, ''), "
	"COALESCE(e.model, '') FROM catalog c LEFT JOIN catalog_extra e ON e.code = c.code "
	"WHERE ?1 = '' OR c.code = ?1 ORDER BY c.code";

static const char *want_product = "", *want_from, *want_to;

void report_products_filter(const char *product, const char *serial_from, const char *serial_to)
{
	want_product = product ? product : "";
	want_from = serial_from;
	want_to = serial_to;
}

/* Serials compare run by run: a run of digits against a run of digits by its number
 * (leading zeros ignored), anything else byte by byte with ASCII letters folded to
 * capitals; a digit run sorts before a letter. "A9" < "A10" < "a11" < "B1". */
static int digit_run_cmp(const char **pa, const char **pb)
{
	const char *a = *pa, *b = *pb;
	size_t na, nb;
	int c;

	while (*a == '0' && isdigit((unsigned char)a[1]))
		a++;
	while (*b == '0' && isdigit((unsigned char)b[1]))
		b++;
	for (na = 0; isdigit((unsigned char)a[na]); na++)
		;
	for (nb = 0; isdigit((unsigned char)b[nb]); nb++)
		;
	if (na != nb)
		return na < nb ? -1 : 1;
	c = memcmp(a, b, na);
	*pa = a + na;
	*pb = b + nb;
	return c < 0 ? -1 : c > 0;
}

int report_serial_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		int da = isdigit((unsigned char)*a), db = isdigit((unsigned char)*b);
		if (da && db) {
			int c = digit_run_cmp(&a, &b);
			if (c)
				return c;
			continue;
		}
		if (da != db)
			return da ? -1 : 1;
		int ca = toupper((unsigned char)*a), cb = toupper((unsigned char)*b);
		if (ca != cb)
			return ca < cb ? -1 : 1;
		a++, b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

struct fitted {
	char account[HH_ACCOUNT_MAX + 1], name[HH_NAME_MAX + 1];
	char address[4 * HH_PLACE_MAX];
	char item[16], product[PRODUCT_MAX + 1], serial[SERIAL_MAX + 1], actor[ACTOR_MAX + 1];
	int sub;
	int64_t price, at;
};

struct fits {
	struct fitted *f;
	size_t n, cap;
};

static int in_range(const char *serial)
{
	return (!want_from || report_serial_cmp(serial, want_from) >= 0) &&
	       (!want_to || report_serial_cmp(serial, want_to) <= 0);
}

static void fitted_from(struct rctx *c, sqlite3_stmt *st, struct fitted *f)
{
	static struct household h; /* only the address fields are set (zeroed once) */

	gw_strlcpy(f->account, ledger_text(st, 0), sizeof f->account);
	f->sub = rctx_sub(c, ledger_text(st, 1));
	gw_strlcpy(f->name, ledger_text(st, 2), sizeof f->name);
	gw_strlcpy(h.compound, ledger_text(st, 3), sizeof h.compound);
	gw_strlcpy(h.building, ledger_text(st, 4), sizeof h.building);
	gw_strlcpy(h.unit, ledger_text(st, 5), sizeof h.unit);
	gw_strlcpy(h.room, ledger_text(st, 6), sizeof h.room);
	rlabel_address(&h, f->address, sizeof f->address);
	gw_strlcpy(f->item, ledger_text(st, 7), sizeof f->item);
	gw_strlcpy(f->product, ledger_text(st, 8), sizeof f->product);
	gw_strlcpy(f->serial, ledger_text(st, 9), sizeof f->serial);
	f->price = sqlite3_column_int64(st, 10);
	f->at = sqlite3_column_int64(st, 11);
	gw_strlcpy(f->actor, ledger_text(st, 12), sizeof f->actor);
}

static int read_fitted(struct rctx *c, struct fits *out)
{
	sqlite3_stmt *st = ledger_stmt(c->l, sql_fitted);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, c->as_of);
	sqlite3_bind_text(st, 2, want_product, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!in_range(ledger_text(st, 9)))
			continue;
		if (out->n == out->cap) {
			out->cap = out->cap ? 2 * out->cap : 256;
			out->f = xrealloc(out->f, out->cap * sizeof *out->f);
		}
		fitted_from(c, st, &out->f[out->n++]);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(c->l, "read installs");
}

static int cmp_fitted(const void *pa, const void *pb)
{
	const struct fitted *a = pa, *b = pb;
	int c = strcmp(a->product, b->product);

	if (!c)
		c = report_serial_cmp(a->serial, b->serial);
	if (!c)
		c = strcmp(a->serial, b->serial);
	return c ? c : strcmp(a->account, b->account);
}

/* ---- table 1: per product ---- */

static int64_t count_product(const struct fits *fs, const char *code)
{
	int64_t n = 0;

	for (size_t i = 0; i < fs->n; i++)
		n += strcmp(fs->f[i].product, code) == 0;
	return n;
}

static int product_table(struct rctx *c, struct report *r, const struct fits *fs)
{
	struct rtable *t = report_add_table(r, _("Products fitted"));
	sqlite3_stmt *st = ledger_stmt(c->l, sql_catalog);
	int rc;
	static const struct rcol cols[] = {
		{N_("product"), RT_TEXT}, {N_("item"), RT_TEXT},  {N_("name"), RT_TEXT},
		{N_("brand"), RT_TEXT},   {N_("model"), RT_TEXT}, {N_("households"), RT_INT},
	};

	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, want_product, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rtable_row(t);
		rtable_text(t, ledger_text(st, 0));
		rtable_text(t, rlabel_item(ledger_text(st, 1)));
		rtable_text(t, ledger_text(st, i18n_is_zh() ? 2 : 3));
		rtable_text(t, ledger_text(st, 4));
		rtable_text(t, ledger_text(st, 5));
		rtable_int(t, count_product(fs, ledger_text(st, 0)));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(c->l, "read catalog");
}

/* ---- table 2: the households ---- */

/* An item's label, translated once per kind (the list can hold every household). */
static const char *item_label(const char *item)
{
	static const char *label[ITEM__N];
	int it = item_parse(item);

	if (it < 0)
		return rlabel_item(item);
	if (!label[it])
		label[it] = rlabel_item(item);
	return label[it];
}

static void fitted_row(struct rctx *c, struct rtable *t, const struct fitted *f)
{
	char when[17];

	rtable_row(t);
	rtable_text(t, c->subs[f->sub].name);
	rtable_id(t, f->account);
	rtable_text(t, f->name);
	rtable_text(t, f->address);
	rtable_text(t, item_label(f->item));
	rtable_text(t, f->product);
	rtable_id(t, f->serial);
	rminute_text(f->at, when);
	rtable_text(t, when);
	rtable_text(t, f->actor);
	rtable_money(t, f->price);
}

static void household_table(struct rctx *c, struct report *r, const struct fits *fs)
{
	struct rtable *t = report_add_table(r, _("Households fitted"));
	char note[400];
	static const struct rcol cols[] = {
		{N_("subdistrict"), RT_TEXT}, {N_("account"), RT_ID},     {N_("name"), RT_TEXT},
		{N_("address"), RT_TEXT},     {N_("item"), RT_TEXT},      {N_("product"), RT_TEXT},
		{N_("serial"), RT_ID},        {N_("installed"), RT_TEXT}, {N_("installer"), RT_TEXT},
		{N_("price"), RT_MONEY},
	};

	snprintf(note, sizeof note, _("product: %s; serials from %s to %s; each household's current "
				      "item (its latest install of that kind)"),
		 want_product[0] ? want_product : _("all"), want_from ? want_from : "-",
		 want_to ? want_to : "-");
	rtable_note(t, note);
	rtable_cols(t, cols, GW_ARRAY_LEN(cols));
	for (size_t i = 0; i < fs->n; i++)
		fitted_row(c, t, &fs->f[i]);
}

struct report *report_products(struct rctx *c)
{
	struct fits fs = {NULL, 0, 0};
	struct report *r = NULL;
	char sub[200];

	if (read_fitted(c, &fs) == 0) {
		if (fs.n)
			qsort(fs.f, fs.n, sizeof *fs.f, cmp_fitted);
		rsubtitle(c, sub, sizeof sub);
		r = report_new(_("Products fitted, for a recall"), sub);
		if (product_table(c, r, &fs) == 0)
			household_table(c, r, &fs);
		else
			report_free(r), r = NULL;
	}
	free(fs.f);
	return r;
}
