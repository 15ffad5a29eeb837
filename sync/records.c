#include "records.h"

#include <stdio.h>
#include <string.h>

#include "core/photoname.h"
#include "core/util.h"

int sync_fail_ctx(const char *ctx)
{
	char msg[512];
	enum gw_status st = gw_last_status();

	gw_strlcpy(msg, gw_error(), sizeof msg);
	return gw_fail(st == GW_OK ? GW_ERR_REJECTED : st, "%s: %s", ctx, msg);
}

static void set_str(json_t *o, const char *key, const char *s)
{
	json_object_set_new(o, key, json_string(s));
}

static void set_opt(json_t *o, const char *key, const char *s)
{
	if (s)
		set_str(o, key, s);
}

static json_t *parts_json(const struct visit *v, json_t *o)
{
	json_t *hz = json_array(), *in = json_array(), *ph = json_array();

	for (int i = 0; i < v->nhazards; i++)
		json_array_append_new(hz, json_pack("[si]", v->hazards[i].code, v->hazards[i].grade));
	for (int i = 0; i < v->ninstalls; i++) {
		const struct install *x = &v->installs[i];
		json_array_append_new(in, json_pack("[sssI]", item_name(x->item), x->product,
						    x->serial, (json_int_t)x->price_fen));
	}
	for (int i = 0; i < v->nphotos; i++)
		json_array_append_new(ph, json_pack("[sIs]", v->photos[i].name,
						    (json_int_t)v->photos[i].size, v->photos[i].hash));
	json_object_set_new(o, "hazards", hz);
	json_object_set_new(o, "installs", in);
	json_object_set_new(o, "photos", ph);
	return o;
}

json_t *record_visit(const struct visit *v)
{
	json_t *o = json_object();
	char at[40];

	time_format_iso(v->at, v->tz_minutes, at, sizeof at);
	set_str(o, "type", "visit");
	set_str(o, "device", v->id.device);
	json_object_set_new(o, "seq", json_integer(v->id.seq));
	set_str(o, "account", v->account);
	set_str(o, "actor", v->actor);
	set_str(o, "role", role_name(v->role));
	set_str(o, "at", at);
	set_str(o, "outcome", outcome_name(v->outcome));
	set_opt(o, "hose", hose_name(v->hose));
	set_opt(o, "valve", devstate_name(v->valve));
	set_opt(o, "alarm", devstate_name(v->alarm));
	set_opt(o, "shutoff", devstate_name(v->shutoff));
	set_opt(o, "supply", supply_name(v->supply));
	set_str(o, "note", v->note);
	if (v->base.seq)
		json_object_set_new(o, "base", json_pack("[sI]", v->base.device,
							 (json_int_t)v->base.seq));
	return parts_json(v, o);
}

json_t *record_household(const struct household *h)
{
	return json_pack("{ss ss ss ss sb ss ss ss ss ss ss ss ss ss ss}", "type", "household",
			 "account", h->account, "category", category_name(h->category), "gas",
			 gas_name(h->gas), "new_build", h->new_build, "sector", h->sector, "name",
			 h->name, "phone", h->phone, "subdistrict", h->subdistrict, "community",
			 h->community, "compound", h->compound, "building", h->building, "unit",
			 h->unit, "floor", h->floor, "room", h->room);
}

int record_put(struct bundle_writer *w, json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII * 0);
	int rc;

	json_decref(o);
	if (!s)
		return gw_fail(GW_ERR_IO, "out of memory writing a record");
	rc = bundle_writer_put(w, s, strlen(s));
	if (rc == 0)
		rc = bundle_writer_put(w, "\n", 1);
	free(s);
	return rc;
}

/* ---- reading ---- */

json_t *record_parse(const char *line, size_t len, const char **type)
{
	json_error_t err;
	json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &err), *t;

	if (!o || !json_is_object(o) || !(t = json_object_get(o, "type")) || !json_is_string(t)) {
		json_decref(o);
		gw_fail(GW_ERR_REJECTED, "a record is not a JSON object with a type");
		return NULL;
	}
	*type = json_string_value(t);
	return o;
}

int record_str(json_t *o, const char *key, char *out, size_t max)
{
	json_t *s = json_object_get(o, key);

	if (!s || !json_is_string(s) || json_string_length(s) > max ||
	    strlen(json_string_value(s)) != json_string_length(s))
		return gw_fail(GW_ERR_REJECTED, "record field %s: missing, not text or too long", key);
	memcpy(out, json_string_value(s), json_string_length(s) + 1);
	return 0;
}

int record_int(json_t *o, const char *key, int64_t *out)
{
	json_t *n = json_object_get(o, key);

	if (!n || !json_is_integer(n))
		return gw_fail(GW_ERR_REJECTED, "record field %s: missing or not an integer", key);
	*out = json_integer_value(n);
	return 0;
}

int record_device_id_ok(const char *s)
{
	if (strlen(s) != DEVICE_ID_MAX)
		return 0;
	for (; *s; s++)
		if (!strchr("0123456789abcdef", *s))
			return 0;
	return 1;
}

int record_photo_name_ok(const char *name)
{
	return photo_name_ok(name);
}

static int hex64_ok(const char *s)
{
	if (strlen(s) != 64)
		return 0;
	for (; *s; s++)
		if (!strchr("0123456789abcdef", *s))
			return 0;
	return 1;
}

/* An optional enum member: absent or null is 0 (unknown). */
static int opt_enum(json_t *o, const char *key, int (*parse)(const char *), int *out)
{
	json_t *s = json_object_get(o, key);

	*out = 0;
	if (!s || json_is_null(s))
		return 0;
	if (!json_is_string(s) || (*out = parse(json_string_value(s))) <= 0)
		return gw_fail(GW_ERR_REJECTED, "record field %s: unknown value", key);
	return 0;
}

static int req_enum(json_t *o, const char *key, int (*parse)(const char *), int *out)
{
	json_t *s = json_object_get(o, key);

	if (!s || !json_is_string(s) || (*out = parse(json_string_value(s))) < 0)
		return gw_fail(GW_ERR_REJECTED, "record field %s: unknown value", key);
	return 0;
}

static int array_of(json_t *o, const char *key, size_t max, json_t **out)
{
	*out = json_object_get(o, key);
	if (!*out)
		*out = json_array();
	else
		json_incref(*out);
	if (!json_is_array(*out) || json_array_size(*out) > max) {
		json_decref(*out);
		return gw_fail(GW_ERR_REJECTED, "record field %s: not a list or too long", key);
	}
	return 0;
}

static int tuple_str(json_t *t, size_t i, char *out, size_t max)
{
	json_t *s = json_array_get(t, i);

	if (!s || !json_is_string(s) || json_string_length(s) > max ||
	    strlen(json_string_value(s)) != json_string_length(s))
		return -1;
	memcpy(out, json_string_value(s), json_string_length(s) + 1);
	return 0;
}

static int tuple_int(json_t *t, size_t i, int64_t lo, int64_t hi, int64_t *out)
{
	json_t *n = json_array_get(t, i);

	if (!n || !json_is_integer(n) || json_integer_value(n) < lo || json_integer_value(n) > hi)
		return -1;
	*out = json_integer_value(n);
	return 0;
}

static int parse_hazards(json_t *o, struct visit *v)
{
	json_t *a, *t;
	size_t i;
	int64_t g;

	if (array_of(o, "hazards", VISIT_MAX_HAZARDS, &a))
		return -1;
	json_array_foreach(a, i, t) {
		struct hazard *hz = &v->hazards[v->nhazards++];
		if (!json_is_array(t) || json_array_size(t) != 2 ||
		    tuple_str(t, 0, hz->code, HAZARD_CODE_MAX) || !hz->code[0] ||
		    tuple_int(t, 1, 1, 3, &g)) {
			json_decref(a);
			return gw_fail(GW_ERR_REJECTED, "record field hazards: bad entry");
		}
		hz->grade = (int)g;
	}
	json_decref(a);
	return 0;
}

static int parse_installs(json_t *o, struct visit *v)
{
	json_t *a, *t;
	size_t i;
	char item[16];

	if (array_of(o, "installs", VISIT_MAX_INSTALLS, &a))
		return -1;
	json_array_foreach(a, i, t) {
		struct install *in = &v->installs[v->ninstalls++];
		if (!json_is_array(t) || json_array_size(t) != 4 || tuple_str(t, 0, item, 15) ||
		    item_parse(item) < 0 || tuple_str(t, 1, in->product, PRODUCT_MAX) ||
		    tuple_str(t, 2, in->serial, SERIAL_MAX) ||
		    tuple_int(t, 3, 0, INT64_MAX, &in->price_fen)) {
			json_decref(a);
			return gw_fail(GW_ERR_REJECTED, "record field installs: bad entry");
		}
		in->item = (enum item)item_parse(item);
	}
	json_decref(a);
	return 0;
}

static int parse_photos(json_t *o, struct visit *v)
{
	json_t *a, *t;
	size_t i;

	if (array_of(o, "photos", VISIT_MAX_PHOTOS, &a))
		return -1;
	json_array_foreach(a, i, t) {
		struct photo *ph = &v->photos[v->nphotos++];
		if (!json_is_array(t) || json_array_size(t) != 3 ||
		    tuple_str(t, 0, ph->name, PHOTO_NAME_MAX) || !record_photo_name_ok(ph->name) ||
		    tuple_int(t, 1, 0, INT64_MAX, &ph->size) ||
		    tuple_str(t, 2, ph->hash, HASH_HEX_MAX) || !hex64_ok(ph->hash)) {
			json_decref(a);
			return gw_fail(GW_ERR_REJECTED, "record field photos: bad entry (unsafe name?)");
		}
	}
	json_decref(a);
	return 0;
}

static int parse_base(json_t *o, struct visit *v)
{
	json_t *b = json_object_get(o, "base");

	if (!b || json_is_null(b))
		return 0;
	if (!json_is_array(b) || json_array_size(b) != 2 ||
	    tuple_str(b, 0, v->base.device, DEVICE_ID_MAX) ||
	    !record_device_id_ok(v->base.device) || tuple_int(b, 1, 1, INT64_MAX, &v->base.seq))
		return gw_fail(GW_ERR_REJECTED, "record field base: bad value");
	return 0;
}

static int parse_enums(json_t *o, struct visit *v)
{
	int role = 0, outcome = 0, hose = 0, valve = 0, alarm = 0, shutoff = 0, supply = 0;

	if (req_enum(o, "role", role_parse, &role) || req_enum(o, "outcome", outcome_parse, &outcome) ||
	    opt_enum(o, "hose", hose_parse, &hose) || opt_enum(o, "valve", devstate_parse, &valve) ||
	    opt_enum(o, "alarm", devstate_parse, &alarm) ||
	    opt_enum(o, "shutoff", devstate_parse, &shutoff) ||
	    opt_enum(o, "supply", supply_parse, &supply))
		return -1;
	v->role = (enum role)role;
	v->outcome = (enum outcome)outcome;
	v->hose = (enum hose)hose;
	v->valve = (enum devstate)valve;
	v->alarm = (enum devstate)alarm;
	v->shutoff = (enum devstate)shutoff;
	v->supply = (enum supply)supply;
	return 0;
}

int record_to_visit(json_t *o, struct visit *v)
{
	char at[48];

	memset(v, 0, sizeof *v);
	if (record_str(o, "device", v->id.device, DEVICE_ID_MAX) ||
	    !record_device_id_ok(v->id.device) || record_int(o, "seq", &v->id.seq) ||
	    v->id.seq <= 0 || record_str(o, "account", v->account, HH_ACCOUNT_MAX) ||
	    !v->account[0] || record_str(o, "actor", v->actor, ACTOR_MAX) ||
	    record_str(o, "at", at, sizeof at - 1) || record_str(o, "note", v->note, NOTE_MAX))
		return sync_fail_ctx("visit record");
	if (time_parse_iso(at, &v->at, &v->tz_minutes) != 0)
		return gw_fail(GW_ERR_REJECTED, "visit record: bad time");
	if (parse_enums(o, v) || parse_base(o, v) || parse_hazards(o, v) || parse_installs(o, v) ||
	    parse_photos(o, v))
	{
		char ctx[48];
		snprintf(ctx, sizeof ctx, "visit %s/%lld", v->id.device, (long long)v->id.seq);
		return sync_fail_ctx(ctx);
	}
	return 0;
}

int record_to_household(json_t *o, struct household *h)
{
	json_t *nb = json_object_get(o, "new_build");
	int cat = 0, gas = 0;

	memset(h, 0, sizeof *h);
	if (record_str(o, "account", h->account, HH_ACCOUNT_MAX) || !h->account[0] ||
	    req_enum(o, "category", category_parse, &cat) || req_enum(o, "gas", gas_parse, &gas) ||
	    !nb || !json_is_boolean(nb) || record_str(o, "sector", h->sector, HH_SECTOR_MAX) ||
	    record_str(o, "name", h->name, HH_NAME_MAX) ||
	    record_str(o, "phone", h->phone, HH_PHONE_MAX) ||
	    record_str(o, "subdistrict", h->subdistrict, HH_PLACE_MAX) ||
	    record_str(o, "community", h->community, HH_PLACE_MAX) ||
	    record_str(o, "compound", h->compound, HH_PLACE_MAX) ||
	    record_str(o, "building", h->building, HH_PLACE_MAX) ||
	    record_str(o, "unit", h->unit, HH_PLACE_MAX) ||
	    record_str(o, "floor", h->floor, HH_PLACE_MAX) ||
	    record_str(o, "room", h->room, HH_PLACE_MAX))
		return sync_fail_ctx("household record");
	h->category = (enum category)cat;
	h->gas = (enum gas)gas;
	h->new_build = json_is_true(nb);
	return 0;
}
