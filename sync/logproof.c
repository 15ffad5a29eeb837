#include "logproof.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/i18n.h"
#include "core/util.h"
#include "sync/records.h"

/* Longest fields of an entry read from a record (gaswalk writes details of at most
 * 1.6 KB). */
#define ENTRY_TEXT_MAX 4096
#define ENTRY_SIG_MAX 100

struct put {
	struct bundle_writer *w;
	int64_t n;
};

/* A detail that is not valid UTF-8 (a message cut inside a character) cannot be a
 * JSON string: it travels as "detail_hex", its bytes in hex. */
static int put_detail(json_t *o, const char *detail)
{
	size_t n = strlen(detail);
	char *hex;
	int rc;

	if (text_valid_utf8(detail, n))
		return json_object_set_new(o, "detail", json_string(detail));
	hex = xmalloc(2 * n + 1);
	sodium_bin2hex(hex, 2 * n + 1, (const unsigned char *)detail, n);
	rc = json_object_set_new(o, "detail_hex", json_string(hex));
	free(hex);
	return rc;
}

static int put_entry(void *ctx, const struct audit_entry *e, int ok)
{
	struct put *p = ctx;
	json_t *o = json_pack("{ss sI sI ss sI ss ss ss ss}", "type", "logentry", "id",
			      (json_int_t)e->id, "at", (json_int_t)e->at, "device", e->device,
			      "bundle_seq", (json_int_t)e->bundle_seq, "bundle_hash",
			      e->bundle_hash, "result", e->result, "prev_hash", e->prev_hash,
			      "sig", e->sig);

	(void)ok;
	p->n++;
	if (!o || put_detail(o, e->detail)) {
		json_decref(o);
		return gw_fail(GW_ERR_DB, "merge log entry %lld: a field that is not text",
			       (long long)e->id);
	}
	return record_put(p->w, o) ? -1 : 0;
}

int logproof_put(struct ledger *l, const struct sync_keys *k, struct bundle_writer *w,
		 const char *to, int64_t *n)
{
	struct put p = {w, 0};
	struct audit_head echo, h;
	char text[AUDIT_HEAD_MAX];
	int rc = audit_echo_get(l, to, &echo);

	if (rc != 0 && rc != GW_ERR_NOTFOUND)
		return -1;
	gw_clear_error();
	if (audit_each_after(l, rc == 0 ? echo.count : 0, put_entry, &p) ||
	    audit_head_get(l, k, &h))
		return -1;
	*n = p.n;
	audit_head_format(&h, ledger_device_id(l), text, sizeof text);
	return record_put(w, json_pack("{ss ss}", "type", "loghead", "head", text));
}

struct entry_text {
	char device[DEVICE_ID_MAX + 1], bundle_hash[BUNDLE_HASH_HEX], result[32];
	char detail[ENTRY_TEXT_MAX + 1], prev_hash[BUNDLE_HASH_HEX], sig[ENTRY_SIG_MAX + 1];
};

/* "detail", or "detail_hex" (exactly one of them). */
static int get_detail(json_t *o, char *out)
{
	char hex[2 * ENTRY_TEXT_MAX + 1];
	size_t n;

	if (!json_object_get(o, "detail_hex"))
		return record_str(o, "detail", out, ENTRY_TEXT_MAX);
	if (json_object_get(o, "detail") || record_str(o, "detail_hex", hex, sizeof hex - 1) ||
	    sodium_hex2bin((unsigned char *)out, ENTRY_TEXT_MAX, hex, strlen(hex), NULL, &n,
			   NULL) != 0 ||
	    strlen(hex) != 2 * n || memchr(out, '\0', n))
		return -1;
	out[n] = '\0';
	return 0;
}

static int entry_of(json_t *o, struct entry_text *t, struct audit_entry *e)
{
	memset(e, 0, sizeof *e);
	if (record_int(o, "id", &e->id) || record_int(o, "at", &e->at) ||
	    record_int(o, "bundle_seq", &e->bundle_seq) ||
	    record_str(o, "device", t->device, sizeof t->device - 1) ||
	    record_str(o, "bundle_hash", t->bundle_hash, sizeof t->bundle_hash - 1) ||
	    record_str(o, "result", t->result, sizeof t->result - 1) ||
	    get_detail(o, t->detail) ||
	    record_str(o, "prev_hash", t->prev_hash, sizeof t->prev_hash - 1) ||
	    record_str(o, "sig", t->sig, sizeof t->sig - 1))
		return gw_fail(GW_ERR_REJECTED, _("bad logentry record"));
	e->device = t->device;
	e->bundle_hash = t->bundle_hash;
	e->result = t->result;
	e->detail = t->detail;
	e->prev_hash = t->prev_hash;
	e->hash = "";
	e->sig = t->sig;
	return 0;
}

int logproof_entry(struct audit_proof *p, json_t *o)
{
	struct entry_text *t = xmalloc(sizeof *t);
	struct audit_entry e;
	char why[320];
	int rc = entry_of(o, t, &e);

	if (rc == 0 && audit_proof_entry(p, &e, why, sizeof why))
		rc = gw_fail(GW_ERR_REJECTED, "%s", why);
	free(t);
	return rc;
}

int logproof_head(struct audit_proof *p, json_t *o, const char *sender)
{
	char text[AUDIT_HEAD_MAX], dev[DEVICE_ID_MAX + 1], why[512];
	struct audit_head h;
	int rc;

	if (record_str(o, "head", text, sizeof text - 1) || audit_head_parse(text, &h, dev) ||
	    strcmp(dev, sender) != 0)
		return gw_fail(GW_ERR_REJECTED, _("loghead record: bad head"));
	rc = audit_proof_end(p, &h, why, sizeof why);
	return rc > 0 ? gw_fail(GW_ERR_REJECTED, "%s", why) : rc; /* 2: held (audit_proof_held) */
}
