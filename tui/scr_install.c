/* Confirm installs: the item fitted, the catalog product (the one made for this
 * customer first), its serial (scanned; a serial fitted elsewhere on this terminal
 * warns), the price (the catalog's until a digit is typed) and the date; F2 keeps
 * the item and takes another in the same visit. The status updates at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/install_check.h"
#include "core/refdata.h"
#include "core/util.h"
#include "tui/internal.h"

enum { R_ITEM, R_PRODUCT, R_SERIAL, R_PRICE, R_DATE, R_PHOTOS, R_SAVE };

struct install_form {
	struct ledger *l;
	struct draft d;
	struct form form;
	struct field serial, price, date;
	enum item items[ITEM__N];
	struct status st;
	struct catalog_entry products[FORM_MAX_OPTS];
	int nproducts, shown_item, shown_product;
	int price_fresh; /* the catalog's price: the first digit typed replaces it */
	int discard_armed;
};

static int add_product(void *ctx, const struct catalog_entry *e)
{
	struct install_form *f = ctx;

	if (f->nproducts < FORM_MAX_OPTS)
		f->products[f->nproducts++] = *e;
	return 0;
}

static void set_price(struct install_form *f, int64_t fen)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%lld.%02lld", (long long)(fen / 100), (long long)(fen % 100));
	field_set(&f->price, buf);
	f->price_fresh = 1;
}

/* The product made for this customer (a household detector for a household), else
 * the first that fits any customer, else the first. */
static int default_product(const struct install_form *f)
{
	for (int i = 0; i < f->nproducts; i++)
		if (f->products[i].fits == (int)f->d.h.category)
			return i;
	for (int i = 0; i < f->nproducts; i++)
		if (f->products[i].fits < 0)
			return i;
	return 0;
}

/* Reloads the products of the chosen item (the serial scanned for another item is
 * cleared); the price follows the product. */
static int sync_choices(struct install_form *f, struct tui *t)
{
	struct form_row *item = &f->form.rows[R_ITEM], *prod = &f->form.rows[R_PRODUCT];

	if (item->value != f->shown_item) {
		f->nproducts = 0;
		if (refdata_catalog(t->l, f->items[item->value], i18n_is_zh(), add_product, f))
			return -1;
		prod->nopts = 0;
		for (int i = 0; i < f->nproducts; i++)
			prod->opts[prod->nopts++] = f->products[i].name;
		if (!prod->nopts)
			prod->opts[prod->nopts++] = _("(none in the catalog)");
		prod->value = default_product(f);
		if (f->shown_item >= 0)
			field_set(&f->serial, "");
		f->shown_item = item->value;
		f->shown_product = -1;
	}
	if (prod->value != f->shown_product && f->nproducts) {
		set_price(f, f->products[prod->value].price_fen);
		f->shown_product = prod->value;
	}
	snprintf(f->form.rows[R_PHOTOS].info, sizeof f->form.rows[0].info, _("%d attached"),
		 f->d.v.nphotos);
	return 0;
}

static int added(const struct install_form *f, enum item it)
{
	for (int k = 0; k < f->d.v.ninstalls; k++)
		if (f->d.v.installs[k].item == it)
			return 1;
	return 0;
}

/* The first required item still missing and not added to this visit; -1 none. */
static int next_missing(const struct install_form *f, const struct form_row *r)
{
	const struct household *h = &f->d.h;

	for (int i = 0; i < r->nopts; i++) {
		enum item it = f->items[i];
		if (rules_need(h->category, h->gas, h->new_build, it) == NEED_REQUIRED &&
		    (f->st.missing & (1u << it)) && !added(f, it))
			return i;
	}
	return -1;
}

/* The items the household can have, the first missing required one chosen. */
static void build_items(struct install_form *f, struct tui *t, struct form_row *r)
{
	const struct household *h = &f->d.h;
	int choose;

	if (status_get(t->l, h->account, 0, h, &f->st) != 0)
		memset(&f->st, 0, sizeof f->st);
	for (int it = 0; it < ITEM__N; it++) {
		if (rules_need(h->category, h->gas, h->new_build, (enum item)it) == NEED_NONE)
			continue;
		f->items[r->nopts] = (enum item)it;
		r->opts[r->nopts++] = label_item((enum item)it);
	}
	choose = next_missing(f, r);
	r->value = choose < 0 ? 0 : choose;
}

static void build_form(struct install_form *f, struct tui *t)
{
	char today[16];

	build_items(f, t, form_add(&f->form, ROW_CHOICE, _("Item")));
	form_add(&f->form, ROW_CHOICE, _("Product"));
	field_init(&f->serial, SERIAL_MAX, 0);
	field_init(&f->price, 12, 1);
	field_init(&f->date, 10, 1);
	tui_today(today, sizeof today);
	field_set(&f->date, today);
	form_add(&f->form, ROW_TEXT, _("Serial"))->field = &f->serial;
	form_add(&f->form, ROW_TEXT, _("Price"))->field = &f->price;
	form_add(&f->form, ROW_TEXT, _("Date"))->field = &f->date;
	form_add(&f->form, ROW_BUTTON, _("Photos"));
	form_add(&f->form, ROW_BUTTON, _("Save"));
	f->form.focus = R_SERIAL; /* item and product are usually right: scan first */
	f->shown_item = -1;
}

static void *install_open(struct tui *t, const void *arg)
{
	struct install_form *f = xcalloc(1, sizeof *f);

	if (household_get(t->l, arg, &f->d.h) != 0) {
		tui_error(t);
		free(f);
		return NULL;
	}
	f->l = t->l;
	f->d.began = gw_now();
	gw_strlcpy(f->d.v.account, f->d.h.account, sizeof f->d.v.account);
	build_form(f, t);
	if (sync_choices(f, t) != 0)
		tui_error(t);
	return f;
}

static void install_close(void *self)
{
	free(self);
}

/* "Added: valve SV1, alarm AL-77" above the form while a visit holds items. */
static int draw_added(const struct install_form *f, int y, int cols)
{
	char line[512];
	size_t len;

	if (!f->d.v.ninstalls)
		return 0;
	len = (size_t)snprintf(line, sizeof line, "%s", _("Added: "));
	for (int k = 0; k < f->d.v.ninstalls && len < sizeof line; k++)
		len += (size_t)snprintf(line + len, sizeof line - len, "%s%s %s", k ? _(", ") : "",
					label_item(f->d.v.installs[k].item),
					f->d.v.installs[k].serial);
	dpy_put(y, 0, cols, line, LOOK_OK);
	return 1;
}

static void install_draw(void *self, struct tui *t)
{
	struct install_form *f = self;
	char title[HH_NAME_MAX + HH_PLACE_MAX + 8];
	int top = tui_body_top(), rows = tui_body_rows(), n;

	if (sync_choices(f, t) != 0)
		tui_error(t);
	snprintf(title, sizeof title, "%s %s", f->d.h.room, f->d.h.name);
	tui_title(title, _("install"));
	n = draw_added(f, top, dpy_cols());
	form_draw(&f->form, top + n, rows - n, dpy_cols());
}

/* "120", "120.5", "120.50" yuan to fen; -1 when not an amount. */
static int64_t parse_price(const char *s)
{
	int64_t yuan = 0, fen = 0;
	int frac = -1;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s == '.' && frac < 0) {
			frac = 0;
		} else if (*s >= '0' && *s <= '9' && frac < 0 && yuan < 100000000) {
			yuan = yuan * 10 + (*s - '0');
		} else if (*s >= '0' && *s <= '9' && frac >= 0 && frac < 2) {
			fen = fen * 10 + (*s - '0');
			frac++;
		} else {
			return -1;
		}
	}
	if (frac == 1)
		fen *= 10;
	return yuan * 100 + fen;
}

/* The visit time: now when the date is today, else noon of that day; the date as a
 * person types it (YYYY-MM-DD or YYYY/MM/DD), not after today. */
static int install_time(const char *date, int64_t *at, int *tz)
{
	char today[16], iso[32];
	int y, m, d;

	if (time_parse_date(date, &y, &m, &d) != 0)
		return -1;
	snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
	tui_today(today, sizeof today);
	if (!strcmp(iso, today)) {
		*at = gw_now();
		*tz = time_local_offset(*at);
		return 0;
	}
	if (strcmp(iso, today) > 0)
		return -1;
	gw_strlcpy(iso + 10, "T12:00", sizeof iso - 10);
	return time_parse_iso(iso, at, tz);
}

/* The product must be of the item it is fitted as (a valve is no hose). */
static int product_wrong(struct install_form *f)
{
	char why[200];
	int rc = install_check(f->l, f->items[f->form.rows[R_ITEM].value],
			       f->products[f->form.rows[R_PRODUCT].value].code, why, sizeof why);

	if (rc == 1)
		gw_fail(GW_ERR_INPUT, "%s", why);
	return rc != 0;
}

/* Checks the item on the form and adds it to the visit. */
static int add_current(struct install_form *f)
{
	struct visit *v = &f->d.v;
	struct install *in;

	if (!f->nproducts)
		return gw_fail(GW_ERR_INPUT, "%s", _("No product of this item in the catalog."));
	if (!f->serial.buf[0])
		return gw_fail(GW_ERR_INPUT, "%s", _("Scan or type the serial number."));
	for (int k = 0; k < v->ninstalls; k++)
		if (!strcmp(v->installs[k].serial, f->serial.buf))
			return gw_fail(GW_ERR_INPUT, "%s", _("This serial is in this visit already."));
	if (v->ninstalls == VISIT_MAX_INSTALLS)
		return gw_fail(GW_ERR_INPUT, "%s", _("Too many items for one visit."));
	in = &v->installs[v->ninstalls];
	if (product_wrong(f))
		return -1;
	in->price_fen = parse_price(f->price.buf);
	if (in->price_fen < 0)
		return gw_fail(GW_ERR_INPUT, "%s", _("The price is not an amount in yuan."));
	in->item = f->items[f->form.rows[R_ITEM].value];
	gw_strlcpy(in->product, f->products[f->form.rows[R_PRODUCT].value].code,
		   sizeof in->product);
	gw_strlcpy(in->serial, f->serial.buf, sizeof in->serial);
	v->ninstalls++;
	return 0;
}

static int fill_visit(struct install_form *f, struct tui *t)
{
	struct visit *v = &f->d.v;

	if ((f->serial.buf[0] || !v->ninstalls) && add_current(f) != 0)
		return -1;
	if (install_time(f->date.buf, &v->at, &v->tz_minutes) != 0) {
		v->ninstalls -= f->serial.buf[0] != '\0'; /* the form still shows it */
		return gw_fail(GW_ERR_INPUT, "%s", _("The date must be YYYY-MM-DD, not after today."));
	}
	v->outcome = OUT_ENTERED;
	v->role = ROLE_INSTALL;
	v->entry_mode = ENTRY_FORM;
	gw_strlcpy(v->actor, t->actor, sizeof v->actor);
	return 0;
}

/* F2: this item is kept; the form goes on to the next missing one, serial empty. */
static void add_item(struct install_form *f, struct tui *t)
{
	struct form_row *item = &f->form.rows[R_ITEM];
	int next;

	if (add_current(f) != 0) {
		tui_error(t);
		return;
	}
	field_set(&f->serial, "");
	next = next_missing(f, item);
	if (next >= 0)
		item->value = next;
	f->form.focus = R_SERIAL;
	tui_message(t, LOOK_OK, _("Added %s; scan the next item."),
		    label_item(f->d.v.installs[f->d.v.ninstalls - 1].item));
}

static void saved_message(struct install_form *f, struct tui *t, const struct status *st)
{
	if (f->d.v.ninstalls == 1)
		tui_message(t, LOOK_OK, _("Saved: %s fitted; now %s."),
			    label_item(f->d.v.installs[0].item), label_state(st->state));
	else
		tui_message(t, LOOK_OK, _("Saved: %d items fitted; now %s."), f->d.v.ninstalls,
			    label_state(st->state));
}

int install_save(void *self, struct tui *t)
{
	struct install_form *f = self;
	struct status st;
	int had = f->d.v.ninstalls;

	if (fill_visit(f, t) != 0) {
		tui_error(t);
		return -1;
	}
	if (visit_record(t->l, &f->d.v) != 0) {
		tui_error(t);
		f->d.v.ninstalls = had;
		return -1;
	}
	t->gen++;
	if (status_get(t->l, f->d.h.account, 0, &f->d.h, &st) != 0)
		st.state = ST_PENDING;
	saved_message(f, t, &st);
	tui_pop(t);
	return 0;
}

int install_dirty(const void *self)
{
	const struct install_form *f = self;

	return f->serial.buf[0] || f->d.v.ninstalls || f->d.v.nphotos;
}

static void back(struct install_form *f, struct tui *t)
{
	if (install_dirty(f) && !f->discard_armed) {
		f->discard_armed = 1;
		tui_message(t, LOOK_ERROR, "%s", _("Not saved. Esc again to discard, F1 to save."));
		return;
	}
	tui_pop(t);
}

/* Warns when the serial was fitted at another household of this terminal. */
static void check_serial(struct install_form *f, struct tui *t)
{
	char other[HH_ACCOUNT_MAX + 1];

	if (f->serial.buf[0] &&
	    refdata_serial_fitted(t->l, f->serial.buf, f->d.h.account, other, sizeof other) == 1)
		tui_message(t, LOOK_ERROR, _("Serial %s was fitted at household %s already."),
			    f->serial.buf, other);
}

/* A scanner's code that is no account is this item's serial, whatever has the focus. */
static void scanned(struct install_form *f, struct tui *t, const char *code)
{
	field_set(&f->serial, code);
	tui_message(t, LOOK_OK, _("Serial %s scanned."), f->serial.buf);
	check_serial(f, t);
}

/* The catalog price is replaced by the first digit typed over it. */
static void price_key(struct install_form *f, const struct tui_event *ev)
{
	if (ev->act == ACT_DIGIT || ev->act == ACT_TEXT) {
		if (f->price_fresh)
			field_set(&f->price, "");
	}
	if (ev->act != ACT_UP && ev->act != ACT_DOWN)
		f->price_fresh = 0;
}

static void install_key(void *self, struct tui *t, const struct tui_event *ev)
{
	struct install_form *f = self;
	int row = form_focus(&f->form);

	if (ev->act != ACT_BACK)
		f->discard_armed = 0;
	switch (ev->act) {
	case ACT_SAVE: install_save(f, t); return;
	case ACT_BACK: back(f, t); return;
	case ACT_ADD: add_item(f, t); return;
	case ACT_SCAN: scanned(f, t, ev->code); return;
	case ACT_PHOTOS: tui_push(t, &screen_photos, &f->d); return;
	default: break;
	}
	if (row == R_PRICE)
		price_key(f, ev);
	if (row == R_SERIAL && ev->act == ACT_ENTER)
		check_serial(f, t);
	if (form_key(&f->form, ev) != FORM_PRESSED)
		return;
	if (row == R_PHOTOS)
		tui_push(t, &screen_photos, &f->d);
	else if (row == R_SAVE)
		install_save(f, t);
}

const struct screen screen_install = {"install", KM_INSTALL, install_open, install_draw,
				      install_key, install_close};
