#include "records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/photoname.h"
#include "core/i18n.h"
#include "core/util.h"
#include "sync/keys.h"

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
	if (v->notice)
		json_object_set_new(o, "notice", json_true());
	if (v->entry_mode == ENTRY_QUICK)
		set_str(o, "entry", "quick");
	if (v->supply_hazard[0])
		set_str(o, "supply_hazard", v->supply_hazard);
	if (v->base.seq)
		json_object_set_new(o, "base", json_pack("[sI]", v->base.device,
							 (json_int_t)v->base.seq));
	if (v->carried.seq)
		json_object_set_new(o, "carried", json_pack("[sI]", v->carried.device,
							    (json_int_t)v->carried.seq));
	return parts_json(v, o);
}

static int tuple_str(json_t *t, size_t i, char *out, size_t max);
static int tuple_int(json_t *t, size_t i, int64_t lo, int64_t hi, int64_t *out);

json_t *record_void(const struct visit_void *w)
{
	char at[40];

	time_format_iso(w->at, w->tz_minutes, at, sizeof at);
	return json_pack("{ss ss sI ss s[sI] ss ss ss}", "type", "void", "device", w->id.device,
			 "seq", (json_int_t)w->id.seq, "account", w->account, "target",
			 w->target.device, (json_int_t)w->target.seq, "actor", w->actor, "at", at,
			 "reason", w->reason);
}

int record_to_void(json_t *o, struct visit_void *w)
{
	json_t *t = json_object_get(o, "target");
	char at[48];

	memset(w, 0, sizeof *w);
	if (record_str(o, "device", w->id.device, DEVICE_ID_MAX) ||
	    !record_device_id_ok(w->id.device) || record_int(o, "seq", &w->id.seq) ||
	    w->id.seq <= 0 || record_str(o, "account", w->account, HH_ACCOUNT_MAX) ||
	    !w->account[0] || record_str(o, "actor", w->actor, ACTOR_MAX) ||
	    record_str(o, "at", at, sizeof at - 1) ||
	    record_str(o, "reason", w->reason, VOID_REASON_MAX) || !w->reason[0])
		return sync_fail_ctx("void record");
	if (time_parse_iso(at, &w->at, &w->tz_minutes) != 0)
		return gw_fail(GW_ERR_REJECTED, _("void record: bad time"));
	if (!t || !json_is_array(t) || json_array_size(t) != 2 ||
	    tuple_str(t, 0, w->target.device, DEVICE_ID_MAX) ||
	    !record_device_id_ok(w->target.device) ||
	    tuple_int(t, 1, 1, INT64_MAX, &w->target.seq))
		return gw_fail(GW_ERR_REJECTED, _("void record: bad target"));
	return 0;
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

/* ---- a visit written directly (export's hot path): the same JSON as
 * record_visit() gives, without building a tree per visit ---- */

struct jbuf {
	char *p;
	size_t len, cap;
	int heap; /* p is malloc'd */
};

/* p starts as the caller's buffer (or NULL); once outgrown, a malloc'd copy. */
static void jb_grow(struct jbuf *b, size_t more)
{
	char *old = b->p;
	size_t oldcap = b->cap;

	if (b->len + more <= b->cap)
		return;
	while (b->len + more > b->cap)
		b->cap = b->cap ? b->cap * 2 : 4096;
	if (oldcap && !b->heap) {
		b->p = xmalloc(b->cap);
		memcpy(b->p, old, b->len);
	} else {
		b->p = xrealloc(b->p, b->cap);
	}
	b->heap = 1;
}

static void jb_raw(struct jbuf *b, const char *s, size_t n)
{
	jb_grow(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

#define jb_lit(b, s) jb_raw((b), "" s, sizeof(s) - 1)

/* A JSON string: quotes, backslashes and control characters escaped, UTF-8 as is. */
static void jb_str(struct jbuf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = strlen(s);

	jb_grow(b, 6 * n + 2);
	b->p[b->len++] = '"';
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c >= 0x20 && *c != '"' && *c != '\\' && *c != 0x7f) {
			b->p[b->len++] = (char)*c;
			continue;
		}
		b->p[b->len++] = '\\';
		switch (*c) {
		case '"': b->p[b->len++] = '"'; break;
		case '\\': b->p[b->len++] = '\\'; break;
		case '\n': b->p[b->len++] = 'n'; break;
		case '\t': b->p[b->len++] = 't'; break;
		case '\r': b->p[b->len++] = 'r'; break;
		default:
			memcpy(b->p + b->len, "u00", 3);
			b->p[b->len + 3] = hex[*c >> 4];
			b->p[b->len + 4] = hex[*c & 15];
			b->len += 5;
		}
	}
	b->p[b->len++] = '"';
}

static void jb_int(struct jbuf *b, int64_t v)
{
	char tmp[24];
	size_t n = sizeof tmp;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do
		tmp[--n] = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		tmp[--n] = '-';
	jb_raw(b, tmp + n, sizeof tmp - n);
}

/* ,"key":"value" (nothing when value is NULL) */
static void jb_field(struct jbuf *b, const char *key, const char *value)
{
	if (!value)
		return;
	jb_lit(b, ",\"");
	jb_raw(b, key, strlen(key));
	jb_lit(b, "\":");
	jb_str(b, value);
}

static void visit_parts(struct jbuf *b, const struct visit *v)
{
	jb_lit(b, ",\"hazards\":[");
	for (int i = 0; i < v->nhazards; i++) {
		if (i)
			jb_lit(b, ",");
		jb_lit(b, "[");
		jb_str(b, v->hazards[i].code);
		jb_lit(b, ",");
		jb_int(b, v->hazards[i].grade);
		jb_lit(b, "]");
	}
	jb_lit(b, "],\"installs\":[");
	for (int i = 0; i < v->ninstalls; i++) {
		const struct install *x = &v->installs[i];
		if (i)
			jb_lit(b, ",");
		jb_lit(b, "[");
		jb_str(b, item_name(x->item) ? item_name(x->item) : "");
		jb_lit(b, ",");
		jb_str(b, x->product);
		jb_lit(b, ",");
		jb_str(b, x->serial);
		jb_lit(b, ",");
		jb_int(b, x->price_fen);
		jb_lit(b, "]");
	}
	jb_lit(b, "],\"photos\":[");
	for (int i = 0; i < v->nphotos; i++) {
		if (i)
			jb_lit(b, ",");
		jb_lit(b, "[");
		jb_str(b, v->photos[i].name);
		jb_lit(b, ",");
		jb_int(b, v->photos[i].size);
		jb_lit(b, ",");
		jb_str(b, v->photos[i].hash);
		jb_lit(b, "]");
	}
	jb_lit(b, "]}\n");
}

/* Writes into buf (size cap) while it fits, else into a malloc'd copy. */
static char *visit_line(const struct visit *v, char *buf, size_t cap, size_t *len)
{
	struct jbuf b = {buf, 0, cap, 0};
	char at[40];

	time_format_iso(v->at, v->tz_minutes, at, sizeof at);
	jb_lit(&b, "{\"type\":\"visit\"");
	jb_field(&b, "device", v->id.device);
	jb_lit(&b, ",\"seq\":");
	jb_int(&b, v->id.seq);
	jb_field(&b, "account", v->account);
	jb_field(&b, "actor", v->actor);
	jb_field(&b, "role", role_name(v->role));
	jb_field(&b, "at", at);
	jb_field(&b, "outcome", outcome_name(v->outcome));
	jb_field(&b, "hose", hose_name(v->hose));
	jb_field(&b, "valve", devstate_name(v->valve));
	jb_field(&b, "alarm", devstate_name(v->alarm));
	jb_field(&b, "shutoff", devstate_name(v->shutoff));
	jb_field(&b, "supply", supply_name(v->supply));
	jb_field(&b, "note", v->note);
	if (v->notice)
		jb_lit(&b, ",\"notice\":true");
	jb_field(&b, "entry", v->entry_mode == ENTRY_QUICK ? "quick" : NULL);
	jb_field(&b, "supply_hazard", v->supply_hazard[0] ? v->supply_hazard : NULL);
	if (v->base.seq) {
		jb_lit(&b, ",\"base\":[");
		jb_str(&b, v->base.device);
		jb_lit(&b, ",");
		jb_int(&b, v->base.seq);
		jb_lit(&b, "]");
	}
	if (v->carried.seq) {
		jb_lit(&b, ",\"carried\":[");
		jb_str(&b, v->carried.device);
		jb_lit(&b, ",");
		jb_int(&b, v->carried.seq);
		jb_lit(&b, "]");
	}
	visit_parts(&b, v);
	jb_grow(&b, 1);
	b.p[b.len] = '\0'; /* not counted */
	*len = b.len;
	return b.p;
}

/* A void's line: the canonical form feed entries are hashed in, members in this order. */
char *record_void_line(const struct visit_void *w, size_t *len)
{
	struct jbuf b = {NULL, 0, 0, 0};
	char at[40];

	time_format_iso(w->at, w->tz_minutes, at, sizeof at);
	jb_lit(&b, "{\"type\":\"void\"");
	jb_field(&b, "device", w->id.device);
	jb_lit(&b, ",\"seq\":");
	jb_int(&b, w->id.seq);
	jb_field(&b, "account", w->account);
	jb_lit(&b, ",\"target\":[");
	jb_str(&b, w->target.device);
	jb_lit(&b, ",");
	jb_int(&b, w->target.seq);
	jb_lit(&b, "]");
	jb_field(&b, "actor", w->actor);
	jb_field(&b, "at", at);
	jb_field(&b, "reason", w->reason);
	jb_lit(&b, "}\n");
	jb_grow(&b, 1);
	b.p[b.len] = '\0';
	*len = b.len;
	return b.p;
}

char *record_visit_line(const struct visit *v, size_t *len)
{
	char small[64]; /* outgrown by every line: the tests see the switch to the heap */
	char *line = visit_line(v, small, sizeof small, len);

	if (line == small) {
		line = xmalloc(*len + 1);
		memcpy(line, small, *len + 1);
	}
	return line;
}

int record_put_visit(struct bundle_writer *w, const struct visit *v)
{
	char buf[8192], *line;
	size_t len;
	int rc;

	line = visit_line(v, buf, sizeof buf, &len);
	rc = bundle_writer_put(w, line, len);
	if (line != buf)
		free(line);
	return rc;
}

/* ---- reading ---- */

json_t *record_parse(const char *line, size_t len, const char **type)
{
	json_error_t err;
	json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &err), *t;

	if (!o || !json_is_object(o) || !(t = json_object_get(o, "type")) || !json_is_string(t)) {
		json_decref(o);
		gw_fail(GW_ERR_REJECTED, _("a record is not a JSON object with a type"));
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
		return gw_fail(GW_ERR_REJECTED, _("record field %s: missing, not text or too long"), key);
	memcpy(out, json_string_value(s), json_string_length(s) + 1);
	return 0;
}

int record_int(json_t *o, const char *key, int64_t *out)
{
	json_t *n = json_object_get(o, key);

	if (!n || !json_is_integer(n))
		return gw_fail(GW_ERR_REJECTED, _("record field %s: missing or not an integer"), key);
	*out = json_integer_value(n);
	return 0;
}

int record_device_id_ok(const char *s)
{
	return sync_device_id_ok(s, strlen(s)); /* derived, or legacy for old visits */
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
		return gw_fail(GW_ERR_REJECTED, _("record field %s: unknown value"), key);
	return 0;
}

static int req_enum(json_t *o, const char *key, int (*parse)(const char *), int *out)
{
	json_t *s = json_object_get(o, key);

	if (!s || !json_is_string(s) || (*out = parse(json_string_value(s))) < 0)
		return gw_fail(GW_ERR_REJECTED, _("record field %s: unknown value"), key);
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
		return gw_fail(GW_ERR_REJECTED, _("record field %s: not a list or too long"), key);
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
			return gw_fail(GW_ERR_REJECTED, _("record field hazards: bad entry"));
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
			return gw_fail(GW_ERR_REJECTED, _("record field installs: bad entry"));
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
			return gw_fail(GW_ERR_REJECTED, _("record field photos: bad entry (unsafe name?)"));
		}
	}
	json_decref(a);
	return 0;
}

static int parse_id(json_t *o, const char *name, struct visit_id *id)
{
	json_t *b = json_object_get(o, name);

	if (!b || json_is_null(b))
		return 0;
	if (!json_is_array(b) || json_array_size(b) != 2 ||
	    tuple_str(b, 0, id->device, DEVICE_ID_MAX) ||
	    !record_device_id_ok(id->device) || tuple_int(b, 1, 1, INT64_MAX, &id->seq))
		return gw_fail(GW_ERR_REJECTED, _("record field %s: bad value"), name);
	return 0;
}

/* base, and carried (a successor's copy: the original's id) */
static int parse_base(json_t *o, struct visit *v)
{
	return parse_id(o, "base", &v->base) || parse_id(o, "carried", &v->carried) ? -1 : 0;
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

/* notice, entry and supply_hazard (format 2): optional. */
static int parse_flags(json_t *o, struct visit *v)
{
	json_t *n = json_object_get(o, "notice"), *e = json_object_get(o, "entry");

	if (n && !json_is_boolean(n))
		return gw_fail(GW_ERR_REJECTED, _("record field notice: not true or false"));
	v->notice = json_is_true(n);
	if (e && (!json_is_string(e) || strcmp(json_string_value(e), "quick") != 0))
		return gw_fail(GW_ERR_REJECTED, _("record field entry: unknown value"));
	v->entry_mode = e ? ENTRY_QUICK : ENTRY_FORM;
	if (json_object_get(o, "supply_hazard") &&
	    (record_str(o, "supply_hazard", v->supply_hazard, HAZARD_CODE_MAX) || !v->supply_hazard[0]))
		return gw_fail(GW_ERR_REJECTED, _("record field supply_hazard: bad value"));
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
		return gw_fail(GW_ERR_REJECTED, _("visit record: bad time"));
	if (parse_enums(o, v) || parse_flags(o, v) || parse_base(o, v) || parse_hazards(o, v) ||
	    parse_installs(o, v) || parse_photos(o, v))
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

/* ---- a visit line read directly (merge's hot path): what json_loadb() with
 * JSON_REJECT_DUPLICATES and then record_to_visit() accept, without a tree.
 * Everything else, invalid or only unusual (a float, a nested value under an
 * unknown key, an escaped unknown key), is left to that path, which also writes
 * the one error message: this reader decides "accept" only. ---- */

struct jcur {
	const unsigned char *p, *end;
};

/* Where a string goes: p NULL when it is only checked. */
struct jout {
	char *p;
	size_t len, max;
};

static void jc_blank(struct jcur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\n' || *c->p == '\t' || *c->p == '\r'))
		c->p++;
}

/* The next byte after blanks, -1 at the end. */
static int jc_peek(struct jcur *c)
{
	jc_blank(c);
	return c->p < c->end ? *c->p : -1;
}

/* Consumes ch when it comes next (after blanks). */
static int jc_eat(struct jcur *c, int ch)
{
	if (jc_peek(c) != ch)
		return 0;
	c->p++;
	return 1;
}

static int jo_put(struct jout *o, const void *s, size_t n)
{
	if (n > o->max - o->len)
		return -1;
	if (o->p)
		memcpy(o->p + o->len, s, n);
	o->len += n;
	return 0;
}

/* Length of the multi-byte UTF-8 sequence at p when jansson accepts it (no
 * overlong form, no surrogate, at most U+10FFFF), else 0. */
static size_t utf8_seq(const unsigned char *p, const unsigned char *end)
{
	size_t n = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2;
	uint32_t cp = *p & (0x3fu >> (n - 1));

	if (*p < 0xc2 || *p > 0xf4 || (size_t)(end - p) < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3fu);
	}
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000))
		return 0;
	return n;
}

static size_t utf8_put(uint32_t cp, unsigned char *u)
{
	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | cp >> 6);
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | cp >> 12);
		u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	u[0] = (unsigned char)(0xf0 | cp >> 18);
	u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	u[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

static int hex4(const unsigned char *p, const unsigned char *end, uint32_t *out)
{
	uint32_t v = 0;

	if (end - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		unsigned c = p[i];
		if (c >= '0' && c <= '9')
			v = v << 4 | (c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v = v << 4 | ((c | 0x20) - 'a' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* \uXXXX at *pp (after the 'u'), with the low half of a surrogate pair; jansson
 * refuses \u0000 and lone surrogates. */
static int jc_uescape(const unsigned char **pp, const unsigned char *end, struct jout *o)
{
	const unsigned char *p = *pp;
	uint32_t cp, lo;
	unsigned char u[4];

	if (hex4(p, end, &cp) || cp == 0 || (cp >= 0xdc00 && cp <= 0xdfff))
		return -1;
	p += 4;
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || hex4(p + 2, end, &lo) ||
		    lo < 0xdc00 || lo > 0xdfff)
			return -1;
		p += 6;
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	*pp = p;
	return jo_put(o, u, utf8_put(cp, u));
}

/* The escape at *pp (a backslash), decoded. */
static int jc_escape(const unsigned char **pp, const unsigned char *end, struct jout *o)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const unsigned char *p = *pp + 1;
	const char *k;

	if (p == end)
		return -1;
	if (*p == 'u') {
		*pp = p + 1;
		return jc_uescape(pp, end, o);
	}
	k = *p ? strchr(from, *p) : NULL;
	if (!k)
		return -1;
	*pp = p + 1;
	return jo_put(o, &to[k - from], 1);
}

/* A string, decoded into o (NUL-terminated when o->p); -1 when the next value is
 * not a string jansson accepts, holds a NUL, or is longer than o->max bytes. */
static int jc_str(struct jcur *c, struct jout *o)
{
	const unsigned char *p, *run, *end = c->end;
	size_t n;

	if (jc_peek(c) != '"')
		return -1;
	p = c->p + 1;
	for (;;) {
		for (run = p; p < end && *p >= 0x20 && *p != '"' && *p != '\\'; p += n)
			if ((n = *p < 0x80 ? 1 : utf8_seq(p, end)) == 0)
				return -1;
		if (jo_put(o, run, (size_t)(p - run)) || p == end)
			return -1;
		if (*p == '"')
			break;
		if (*p != '\\' || jc_escape(&p, end, o)) /* a control character or a bad escape */
			return -1;
	}
	c->p = p + 1;
	if (o->p)
		o->p[o->len] = '\0';
	return 0;
}

static int jc_text(struct jcur *c, char *out, size_t max)
{
	struct jout o = {out, 0, max};

	return jc_str(c, &o);
}

/* An integer as jansson reads one: no leading zero, no fraction or exponent
 * (a real: -1 here), no overflow. */
static int jc_int(struct jcur *c, int64_t *out)
{
	const unsigned char *p, *end = c->end;
	uint64_t u = 0, lim = INT64_MAX;
	int neg;

	jc_blank(c);
	p = c->p;
	neg = p < end && *p == '-';
	p += neg;
	lim += (uint64_t)neg;
	if (p == end || *p < '0' || *p > '9')
		return -1;
	if (*p == '0')
		p++;
	else
		for (; p < end && *p >= '0' && *p <= '9'; p++) {
			unsigned d = *p - '0';
			if (u > (lim - d) / 10)
				return -1;
			u = u * 10 + d;
		}
	if (p < end && ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' || *p == 'E'))
		return -1;
	*out = !neg ? (int64_t)u : u == lim ? INT64_MIN : -(int64_t)u;
	c->p = p;
	return 0;
}

static int jc_word(struct jcur *c, const char *w)
{
	size_t n = strlen(w);

	jc_blank(c);
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n) != 0)
		return -1;
	c->p += n;
	return 0;
}

/* The value of a member this reader does not use: a scalar jansson accepts;
 * -1 for an array, an object or a real (left to jansson). */
static int jc_skip(struct jcur *c)
{
	struct jout none = {NULL, 0, SIZE_MAX};
	int64_t i;

	switch (jc_peek(c)) {
	case '"': return jc_str(c, &none);
	case 't': return jc_word(c, "true");
	case 'f': return jc_word(c, "false");
	case 'n': return jc_word(c, "null");
	default: return jc_int(c, &i);
	}
}

/* The members of a visit, in the order visit_line() writes them. */
enum vkey {
	VK_TYPE, VK_DEVICE, VK_SEQ, VK_ACCOUNT, VK_ACTOR, VK_ROLE, VK_AT, VK_OUTCOME, VK_HOSE,
	VK_VALVE, VK_ALARM, VK_SHUTOFF, VK_SUPPLY, VK_NOTE, VK_NOTICE, VK_ENTRY, VK_SUPPLY_HAZARD,
	VK_BASE, VK_CARRIED, VK_HAZARDS, VK_INSTALLS, VK_PHOTOS, VK__N
};
#define VKEY(s) {s, sizeof(s) - 1}
static const struct {
	const char *name;
	size_t len;
} vkeys[VK__N] = {
	VKEY("type"),  VKEY("device"), VKEY("seq"),	  VKEY("account"), VKEY("actor"),
	VKEY("role"),  VKEY("at"),     VKEY("outcome"),  VKEY("hose"),	   VKEY("valve"),
	VKEY("alarm"), VKEY("shutoff"), VKEY("supply"), VKEY("note"),	   VKEY("notice"),
	VKEY("entry"), VKEY("supply_hazard"), VKEY("base"), VKEY("carried"),
	VKEY("hazards"), VKEY("installs"), VKEY("photos")};
#define VK_REQUIRED                                                                      \
	(1u << VK_TYPE | 1u << VK_DEVICE | 1u << VK_SEQ | 1u << VK_ACCOUNT | 1u << VK_ACTOR | \
	 1u << VK_AT | 1u << VK_NOTE)

/* The enumerated members: role and outcome required, the others optional. */
enum { VE_ROLE, VE_OUTCOME, VE_HOSE, VE_VALVE, VE_ALARM, VE_SHUTOFF, VE_SUPPLY, VE__N };
#define VLINE_OTHERS 8 /* unknown members kept for the duplicate check; more: jansson's */
#define VLINE_KEY_MAX 63

struct vline {
	struct jcur c;
	struct visit *v;
	uint32_t seen;  /* 1 << enum vkey */
	unsigned given; /* 1 << VE_*: given as a string (not null) */
	int last;       /* the last member found: the next one is usually the one after */
	int nothers;
	char type[8], at[48], entry[8];
	char names[VE__N][16];
	char others[VLINE_OTHERS][VLINE_KEY_MAX + 1];
};

static int vline_key(struct vline *l, const char *key, size_t n)
{
	for (int i = 1; i <= VK__N; i++) {
		int k = (l->last + i) % VK__N;
		if (vkeys[k].len == n && memcmp(vkeys[k].name, key, n) == 0)
			return l->last = k;
	}
	return -1;
}

/* An unknown member's name: -1 when seen before (jansson rejects the duplicate). */
static int vline_other(struct vline *l, const char *key, size_t n)
{
	for (int i = 0; i < l->nothers; i++)
		if (strcmp(l->others[i], key) == 0)
			return -1;
	if (l->nothers == VLINE_OTHERS)
		return -1;
	memcpy(l->others[l->nothers++], key, n + 1);
	return 0;
}

static int vline_enum(struct vline *l, int e)
{
	if (jc_peek(&l->c) == 'n')
		return jc_word(&l->c, "null");
	l->given |= 1u << e;
	return jc_text(&l->c, l->names[e], sizeof l->names[e] - 1);
}

static int vline_base(struct vline *l, struct visit_id *b)
{

	if (jc_peek(&l->c) == 'n')
		return jc_word(&l->c, "null");
	if (!jc_eat(&l->c, '[') || jc_text(&l->c, b->device, DEVICE_ID_MAX) ||
	    !record_device_id_ok(b->device) || !jc_eat(&l->c, ',') || jc_int(&l->c, &b->seq) ||
	    b->seq < 1 || !jc_eat(&l->c, ']'))
		return -1;
	return 0;
}

static int vline_hazard(struct vline *l, int i)
{
	struct hazard *hz = &l->v->hazards[i];
	int64_t g;

	if (jc_text(&l->c, hz->code, HAZARD_CODE_MAX) || !hz->code[0] || !jc_eat(&l->c, ',') ||
	    jc_int(&l->c, &g) || g < 1 || g > 3)
		return -1;
	hz->grade = (int)g;
	return 0;
}

static int vline_install(struct vline *l, int i)
{
	struct install *in = &l->v->installs[i];
	char item[16];
	int it;

	if (jc_text(&l->c, item, sizeof item - 1) || (it = item_parse(item)) < 0 ||
	    !jc_eat(&l->c, ',') || jc_text(&l->c, in->product, PRODUCT_MAX) ||
	    !jc_eat(&l->c, ',') || jc_text(&l->c, in->serial, SERIAL_MAX) ||
	    !jc_eat(&l->c, ',') || jc_int(&l->c, &in->price_fen) || in->price_fen < 0)
		return -1;
	in->item = (enum item)it;
	return 0;
}

static int vline_photo(struct vline *l, int i)
{
	struct photo *ph = &l->v->photos[i];

	if (jc_text(&l->c, ph->name, PHOTO_NAME_MAX) || !record_photo_name_ok(ph->name) ||
	    !jc_eat(&l->c, ',') || jc_int(&l->c, &ph->size) || ph->size < 0 ||
	    !jc_eat(&l->c, ',') || jc_text(&l->c, ph->hash, HASH_HEX_MAX) || !hex64_ok(ph->hash))
		return -1;
	return 0;
}

/* A list of at most max tuples, each read by part. */
static int vline_list(struct vline *l, int max, int (*part)(struct vline *, int), int *n)
{
	if (!jc_eat(&l->c, '['))
		return -1;
	if (jc_eat(&l->c, ']'))
		return 0;
	do {
		if (*n == max || !jc_eat(&l->c, '[') || part(l, *n) || !jc_eat(&l->c, ']'))
			return -1;
		(*n)++;
	} while (jc_eat(&l->c, ','));
	return jc_eat(&l->c, ']') ? 0 : -1;
}

static int vline_member(struct vline *l, int k)
{
	struct visit *v = l->v;

	if (l->seen & 1u << k)
		return -1;
	l->seen |= 1u << k;
	switch (k) {
	case VK_TYPE: return jc_text(&l->c, l->type, sizeof l->type - 1);
	case VK_DEVICE: return jc_text(&l->c, v->id.device, DEVICE_ID_MAX);
	case VK_SEQ: return jc_int(&l->c, &v->id.seq);
	case VK_ACCOUNT: return jc_text(&l->c, v->account, HH_ACCOUNT_MAX);
	case VK_ACTOR: return jc_text(&l->c, v->actor, ACTOR_MAX);
	case VK_AT: return jc_text(&l->c, l->at, sizeof l->at - 1);
	case VK_NOTE: return jc_text(&l->c, v->note, NOTE_MAX);
	case VK_NOTICE:
		v->notice = jc_peek(&l->c) == 't';
		return jc_word(&l->c, v->notice ? "true" : "false");
	case VK_ENTRY:
		v->entry_mode = ENTRY_QUICK;
		return jc_text(&l->c, l->entry, sizeof l->entry - 1) || strcmp(l->entry, "quick") != 0 ? -1 : 0;
	case VK_SUPPLY_HAZARD:
		return jc_text(&l->c, v->supply_hazard, HAZARD_CODE_MAX) || !v->supply_hazard[0] ? -1 : 0;
	case VK_ROLE: return vline_enum(l, VE_ROLE);
	case VK_OUTCOME: return vline_enum(l, VE_OUTCOME);
	case VK_HOSE: return vline_enum(l, VE_HOSE);
	case VK_VALVE: return vline_enum(l, VE_VALVE);
	case VK_ALARM: return vline_enum(l, VE_ALARM);
	case VK_SHUTOFF: return vline_enum(l, VE_SHUTOFF);
	case VK_SUPPLY: return vline_enum(l, VE_SUPPLY);
	case VK_BASE: return vline_base(l, &v->base);
	case VK_CARRIED: return vline_base(l, &v->carried);
	case VK_HAZARDS: return vline_list(l, VISIT_MAX_HAZARDS, vline_hazard, &v->nhazards);
	case VK_INSTALLS: return vline_list(l, VISIT_MAX_INSTALLS, vline_install, &v->ninstalls);
	default: return vline_list(l, VISIT_MAX_PHOTOS, vline_photo, &v->nphotos);
	}
}

/* The object, each member read as its name comes; nothing but blanks after it. */
static int vline_object(struct vline *l)
{
	char key[VLINE_KEY_MAX + 1];
	int k;

	if (!jc_eat(&l->c, '{'))
		return -1;
	if (jc_eat(&l->c, '}'))
		return -1; /* no type */
	do {
		struct jout o = {key, 0, VLINE_KEY_MAX};
		if (jc_str(&l->c, &o) || !jc_eat(&l->c, ':'))
			return -1;
		k = vline_key(l, key, o.len);
		if (k >= 0 ? vline_member(l, k) : vline_other(l, key, o.len) || jc_skip(&l->c))
			return -1;
	} while (jc_eat(&l->c, ','));
	return jc_eat(&l->c, '}') && jc_peek(&l->c) < 0 ? 0 : -1;
}

/* opt_enum()'s and req_enum()'s rules: required ones present, optional ones absent
 * or null (0) or known (> 0). */
static int vline_enums(struct vline *l)
{
	static int (*const parse[VE__N])(const char *) = {
		role_parse, outcome_parse, hose_parse, devstate_parse,
		devstate_parse, devstate_parse, supply_parse};
	int val[VE__N];
	struct visit *v = l->v;

	for (int e = 0; e < VE__N; e++) {
		int required = e == VE_ROLE || e == VE_OUTCOME;
		val[e] = l->given & 1u << e ? parse[e](l->names[e]) : required ? -1 : 0;
		if (val[e] < 0 || (!required && val[e] == 0 && l->given & 1u << e))
			return -1;
	}
	v->role = (enum role)val[VE_ROLE];
	v->outcome = (enum outcome)val[VE_OUTCOME];
	v->hose = (enum hose)val[VE_HOSE];
	v->valve = (enum devstate)val[VE_VALVE];
	v->alarm = (enum devstate)val[VE_ALARM];
	v->shutoff = (enum devstate)val[VE_SHUTOFF];
	v->supply = (enum supply)val[VE_SUPPLY];
	return 0;
}

int record_line_to_visit(const char *line, size_t len, struct visit *v)
{
	struct vline l;

	memset(v, 0, sizeof *v);
	if (!line)
		return 1;
	l.c.p = (const unsigned char *)line;
	l.c.end = l.c.p + len;
	l.v = v;
	l.seen = 0;
	l.given = 0;
	l.last = VK__N - 1;
	l.nothers = 0;
	l.type[0] = l.at[0] = '\0';
	if (vline_object(&l) || (l.seen & VK_REQUIRED) != VK_REQUIRED ||
	    strcmp(l.type, "visit") != 0 || !record_device_id_ok(v->id.device) || v->id.seq <= 0 ||
	    !v->account[0] || time_parse_iso(l.at, &v->at, &v->tz_minutes) != 0 || vline_enums(&l))
		return 1;
	return 0;
}
