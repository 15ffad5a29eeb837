#include "cli/show.h"

#include <stdio.h>

#include "core/i18n.h"
#include "core/util.h"

void show_address(const struct household *h, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s %s-%s-%s", h->compound, h->building, h->unit, h->room);
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *show_household_json(const struct household *h)
{
	return json_pack("{s:s, s:s, s:s, s:b, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
			 "account", h->account, "category", category_name(h->category), "gas",
			 gas_name(h->gas), "new_build", h->new_build, "sector",
			 h->sector[0] ? json_string(h->sector) : json_null(), "name", h->name,
			 "phone", h->phone, "subdistrict", h->subdistrict, "community",
			 h->community, "compound", h->compound, "building", h->building, "unit",
			 h->unit, "floor", h->floor, "room", h->room);
}

static json_t *items_json(const struct household *h, enum need need)
{
	json_t *a = json_array();

	for (int it = 0; it < ITEM__N; it++)
		if (rules_need(h->category, h->gas, h->new_build, (enum item)it) == need)
			json_array_append_new(a, json_string(item_name((enum item)it)));
	return a;
}

json_t *show_status_json(const struct household *h, const struct status *st)
{
	json_t *missing = json_array(), *hz = json_array();

	for (int it = 0; it < ITEM__N; it++)
		if (st->missing & (1u << it))
			json_array_append_new(missing, json_string(item_name((enum item)it)));
	for (int i = 0; i < st->nhazards; i++)
		json_array_append_new(hz, json_pack("{s:s, s:i}", "code", st->hazards[i].code,
						    "grade", st->hazards[i].grade));
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:i, s:i, s:o}", "state",
			 state_name(st->state), "hose", str_or_null(hose_name(st->hose)), "valve",
			 str_or_null(devstate_name(st->valve)), "alarm",
			 str_or_null(devstate_name(st->alarm)), "shutoff",
			 str_or_null(devstate_name(st->shutoff)), "required",
			 items_json(h, NEED_REQUIRED), "encouraged", items_json(h, NEED_ENCOURAGED),
			 "missing", missing, "visits", st->visits, "open_hazards", st->open_hazards,
			 "hazards", hz);
}

json_t *show_visit_json(const struct visit *v)
{
	json_t *hz = json_array(), *in = json_array(), *ph = json_array();
	char at[40];

	for (int i = 0; i < v->nhazards; i++)
		json_array_append_new(hz, json_pack("{s:s, s:i}", "code", v->hazards[i].code,
						    "grade", v->hazards[i].grade));
	for (int i = 0; i < v->ninstalls; i++)
		json_array_append_new(in, json_pack("{s:s, s:s, s:s, s:f}", "item",
						    item_name(v->installs[i].item), "product",
						    v->installs[i].product, "serial",
						    v->installs[i].serial, "price",
						    (double)v->installs[i].price_fen / 100.0));
	for (int i = 0; i < v->nphotos; i++)
		json_array_append_new(ph, json_pack("{s:s, s:I, s:s}", "name", v->photos[i].name,
						    "size", (json_int_t)v->photos[i].size, "hash",
						    v->photos[i].hash));
	time_format_iso(v->at, v->tz_minutes, at, sizeof at);
	return json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
			 "s:s}",
			 "device", v->id.device, "seq", (json_int_t)v->id.seq, "actor", v->actor,
			 "role", role_name(v->role), "at", at, "outcome", outcome_name(v->outcome),
			 "hose", str_or_null(hose_name(v->hose)), "valve",
			 str_or_null(devstate_name(v->valve)), "alarm",
			 str_or_null(devstate_name(v->alarm)), "shutoff",
			 str_or_null(devstate_name(v->shutoff)), "supply",
			 str_or_null(supply_name(v->supply)), "hazards", hz, "installs", in,
			 "photos", ph, "note", v->note);
}

int show_json_print(json_t *doc)
{
	int rc = json_dumpf(doc, stdout, JSON_COMPACT) == 0 ? 0 : 1;

	json_decref(doc);
	if (rc == 0)
		putchar('\n');
	return rc;
}
