/* Confirm an install: the item fitted, the catalog product, its serial (scanned),
 * the price (the catalog's by default) and the date. The status updates at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/refdata.h"
#include "core/util.h"
#include "tui/internal.h"

enum { R_ITEM, R_PRODUCT, R_SERIAL, R_PRICE, R_DATE, R_PHOTOS, R_SAVE };

struct install_form {
	struct draft d;
	struct form form;
	struct field serial, price, date;
	enum item items[ITEM__N];
	struct catalog_entry products[FORM_MAX_OPTS];
	int nproducts, shown_item, shown_product;
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
}

/* Reloads the products of the chosen item; the price follows the product. */
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
		prod->value = 0;
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

/* The items the household can have, the first missing required one chosen. */
static void build_items(struct install_form *f, struct tui *t, struct form_row *r)
{
	const struct household *h = &f->d.h;
	struct status st;
	int choose = -1;

	if (status_get(t->l, h->account, 0, h, &st) != 0)
		memset(&st, 0, sizeof st);
	for (int it = 0; it < ITEM__N; it++) {
		enum need need = rules_need(h->category, h->gas, h->new_build, (enum item)it);
		if (need == NEED_NONE)
			continue;
		if (choose < 0 && need == NEED_REQUIRED && (st.missing & (1u << it)))
			choose = r->nopts;
		f->items[r->nopts] = (enum item)it;
		r->opts[r->nopts++] = label_item((enum item)it);
	}
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

static void install_draw(void *self, struct tui *t)
{
	struct install_form *f = self;
	char title[HH_NAME_MAX + HH_PLACE_MAX + 8];

	if (sync_choices(f, t) != 0)
		tui_error(t);
	snprintf(title, sizeof title, "%s %s", f->d.h.room, f->d.h.name);
	tui_title(title, _("install"));
	form_draw(&f->form, tui_body_top(), tui_body_rows(), dpy_cols());
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

/* The visit time: now when the date is today, else noon of that day. */
static int install_time(const char *date, int64_t *at, int *tz)
{
	char today[16], iso[32];

	tui_today(today, sizeof today);
	if (!strcmp(date, today)) {
		*at = gw_now();
		*tz = time_local_offset(*at);
		return 0;
	}
	if (strlen(date) != 10 || strcmp(date, today) > 0)
		return -1;
	snprintf(iso, sizeof iso, "%sT12:00", date);
	return time_parse_iso(iso, at, tz);
}

static int fill_visit(struct install_form *f, struct tui *t)
{
	struct visit *v = &f->d.v;
	struct install *in = &v->installs[0];

	if (!f->nproducts)
		return gw_fail(GW_ERR_INPUT, "%s", _("No product of this item in the catalog."));
	if (!f->serial.buf[0])
		return gw_fail(GW_ERR_INPUT, "%s", _("Scan or type the serial number."));
	in->price_fen = parse_price(f->price.buf);
	if (in->price_fen < 0)
		return gw_fail(GW_ERR_INPUT, "%s", _("The price is not an amount in yuan."));
	if (install_time(f->date.buf, &v->at, &v->tz_minutes) != 0)
		return gw_fail(GW_ERR_INPUT, "%s", _("The date must be YYYY-MM-DD, not after today."));
	in->item = f->items[f->form.rows[R_ITEM].value];
	gw_strlcpy(in->product, f->products[f->form.rows[R_PRODUCT].value].code,
		   sizeof in->product);
	gw_strlcpy(in->serial, f->serial.buf, sizeof in->serial);
	v->ninstalls = 1;
	v->outcome = OUT_ENTERED;
	v->role = ROLE_INSTALL;
	gw_strlcpy(v->actor, t->actor, sizeof v->actor);
	return 0;
}

static void save(struct install_form *f, struct tui *t)
{
	struct status st;

	if (fill_visit(f, t) != 0 || visit_record(t->l, &f->d.v) != 0) {
		tui_error(t);
		return;
	}
	t->gen++;
	if (status_get(t->l, f->d.h.account, 0, &f->d.h, &st) != 0)
		st.state = ST_PENDING;
	tui_message(t, LOOK_OK, _("Saved: %s fitted; now %s."), label_item(f->d.v.installs[0].item),
		    label_state(st.state));
	tui_pop(t);
}

static void back(struct install_form *f, struct tui *t)
{
	if ((f->serial.buf[0] || f->d.v.nphotos) && !f->discard_armed) {
		f->discard_armed = 1;
		tui_message(t, LOOK_ERROR, "%s", _("Not saved. Esc again to discard, F1 to save."));
		return;
	}
	tui_pop(t);
}

static void install_key(void *self, struct tui *t, const struct tui_event *ev)
{
	struct install_form *f = self;
	int row = form_focus(&f->form);

	if (ev->act != ACT_BACK)
		f->discard_armed = 0;
	switch (ev->act) {
	case ACT_SAVE: save(f, t); return;
	case ACT_BACK: back(f, t); return;
	case ACT_PHOTOS: tui_push(t, &screen_photos, &f->d); return;
	default: break;
	}
	if (form_key(&f->form, ev) != FORM_PRESSED)
		return;
	if (row == R_PHOTOS)
		tui_push(t, &screen_photos, &f->d);
	else if (row == R_SAVE)
		save(f, t);
}

const struct screen screen_install = {"install", KM_INSTALL, install_open, install_draw,
				      install_key, install_close};
