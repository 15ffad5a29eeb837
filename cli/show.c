#include "cli/show.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "sync/keys.h"

void show_device_name(struct ledger *l, const char *id, char *out, size_t outsz)
{
	struct sync_device d;

	if (sync_device_get(l, id, &d) == 0 && d.ident.name[0])
		gw_strlcpy(out, d.ident.name, outsz);
	else
		gw_strlcpy(out, id, outsz);
}

void show_address(const struct household *h, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s %s-%s-%s", h->compound, h->building, h->unit, h->room);
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* Text from a ledger (a CSV, a bundle, a file name): jansson refuses invalid UTF-8, and
 * json_pack then drops the whole object, so invalid bytes become U+FFFD here. */
static json_t *jtext(const char *s)
{
	size_t n = strlen(s), o = 0;
	char *buf;
	json_t *j;

	if (text_valid_utf8(s, n))
		return json_string(s);
	buf = xmalloc(3 * n + 1);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = text_decode(s + i, n - i, &cp);

		if (k == 0) {
			memcpy(buf + o, "\xEF\xBF\xBD", 3);
			o += 3;
			i++;
		} else {
			memcpy(buf + o, s + i, k);
			o += k;
			i += k;
		}
	}
	buf[o] = '\0';
	j = json_string(buf);
	free(buf);
	return j ? j : json_string("");
}

json_t *show_text_json(const char *s)
{
	return jtext(s);
}

json_t *show_household_json(const struct household *h)
{
	return json_pack("{s:o, s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			 "account", jtext(h->account), "category", category_name(h->category),
			 "gas", gas_name(h->gas), "new_build", h->new_build, "sector",
			 h->sector[0] ? jtext(h->sector) : json_null(), "name", jtext(h->name),
			 "phone", jtext(h->phone), "subdistrict", jtext(h->subdistrict),
			 "community", jtext(h->community), "compound", jtext(h->compound),
			 "building", jtext(h->building), "unit", jtext(h->unit), "floor",
			 jtext(h->floor), "room", jtext(h->room));
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
		json_array_append_new(in, json_pack("{s:s, s:o, s:o, s:f}", "item",
						    item_name(v->installs[i].item), "product",
						    jtext(v->installs[i].product), "serial",
						    jtext(v->installs[i].serial), "price",
						    (double)v->installs[i].price_fen / 100.0));
	for (int i = 0; i < v->nphotos; i++)
		json_array_append_new(ph, json_pack("{s:o, s:I, s:s}", "name",
						    jtext(v->photos[i].name),
						    "size", (json_int_t)v->photos[i].size, "hash",
						    v->photos[i].hash));
	time_format_iso(v->at, v->tz_minutes, at, sizeof at);
	return json_pack("{s:s, s:I, s:o, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
			 "s:o}",
			 "device", v->id.device, "seq", (json_int_t)v->id.seq, "actor", jtext(v->actor),
			 "role", role_name(v->role), "at", at, "outcome", outcome_name(v->outcome),
			 "hose", str_or_null(hose_name(v->hose)), "valve",
			 str_or_null(devstate_name(v->valve)), "alarm",
			 str_or_null(devstate_name(v->alarm)), "shutoff",
			 str_or_null(devstate_name(v->shutoff)), "supply",
			 str_or_null(supply_name(v->supply)), "hazards", hz, "installs", in,
			 "photos", ph, "note", jtext(v->note));
}

int show_json_print(json_t *doc)
{
	int rc = json_dumpf(doc, stdout, JSON_COMPACT) == 0 ? 0 : 1;

	json_decref(doc);
	if (rc == 0)
		putchar('\n');
	return rc;
}
