#include "relay.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "sync/bundle.h"
#include "sync/territory.h"

#define SIG_B64 90
#define PK_B64 48

static const char sql_arrived_devices[] =
	"SELECT DISTINCT device FROM visit_arrival WHERE n > ?1 AND device <> ?2 ORDER BY device";
static const char sql_last_arrival[] = "SELECT COALESCE(MAX(n), 0) FROM visit_arrival";
static const char sql_arrived_of[] =
	"SELECT seq FROM visit_arrival WHERE n > ?1 AND device = ?2 ORDER BY n LIMIT 1";
static const char sql_enrol_put[] =
	"INSERT INTO relay_enrolment(device, office, text, at) VALUES(?,?,?,?) "
	"ON CONFLICT(device) DO UPDATE SET office = excluded.office, text = excluded.text, "
	"at = excluded.at";
static const char sql_attribute[] =
	"INSERT INTO household_attribution(account, office, bundle_hash, at, fields) "
	"VALUES(?,?,?,?,?)";
/* The first visit arrived after ?1 in the sending office's own feed (?2) whose role is
 * not one an office adds itself (voids are in visit_void, so allowed). */
static const char sql_own_role[] =
	"SELECT a.device, a.seq, e.role, e.account FROM visit_arrival a "
	"JOIN visit e ON e.device = a.device AND e.seq = a.seq "
	"WHERE a.n > ?1 AND a.device = ?2 AND e.role <> 'self-check' AND e.role <> 'spot-check' "
	"ORDER BY a.n LIMIT 1";
/* The first visit of the office's own feed arrived after ?1 that carries installs or a
 * supply action (the gas company's, never an office's). */
static const char sql_own_parts[] =
	"SELECT a.device, a.seq, e.account, e.role, EXISTS(SELECT 1 FROM visit_install i "
	"WHERE i.device = e.device AND i.seq = e.seq) FROM visit_arrival a "
	"JOIN visit e ON e.device = a.device AND e.seq = a.seq "
	"WHERE a.n > ?1 AND a.device = ?2 AND (e.supply IS NOT NULL OR EXISTS(SELECT 1 FROM "
	"visit_install i WHERE i.device = e.device AND i.seq = e.seq)) ORDER BY a.n LIMIT 1";
/* The first void arrived after ?1 in the sending office's own feed (?2) whose visit is
 * neither the office's own nor of a terminal it enrolled; column 4 is 1 when the visit
 * is this ledger's own (?3). */
static const char sql_own_void_scope[] =
	"SELECT a.device, a.seq, w.target_device, w.target_seq, w.target_device = ?3 "
	"FROM visit_arrival a JOIN visit_void w ON w.device = a.device AND w.seq = a.seq "
	"WHERE a.n > ?1 AND a.device = ?2 AND w.target_device <> ?2 AND NOT EXISTS(SELECT 1 "
	"FROM device d WHERE d.id = w.target_device AND d.office = ?2 AND d.kind = 'terminal') "
	"ORDER BY a.n LIMIT 1";
/* How many of a device's entries below ?2 are here (visits and voids share the numbers). */
static const char sql_held_below[] =
	"SELECT (SELECT count(*) FROM visit WHERE device = ?1 AND seq < ?2) + "
	"(SELECT count(*) FROM visit_void WHERE device = ?1 AND seq < ?2)";

/* ---- text forms ---- */

/* Splits s at ':' into exactly n fields (the last takes the rest); -1 otherwise. */
static int split(const char *s, const char **f, size_t *len, int n)
{
	int i;

	f[0] = s;
	for (i = 0; i < n; i++) {
		const char *end = i < n - 1 ? strchr(f[i], ':') : f[i] + strlen(f[i]);

		if (!end)
			return -1;
		len[i] = (size_t)(end - f[i]);
		if (i < n - 1)
			f[i + 1] = end + 1;
	}
	return 0;
}

static int field_str(const char *f, size_t n, char *out, size_t outsz)
{
	if (n == 0 || n >= outsz)
		return -1;
	memcpy(out, f, n);
	out[n] = '\0';
	return 0;
}

static int field_b64(const char *f, size_t n, unsigned char *bin, size_t binlen)
{
	char tmp[SIG_B64];

	return field_str(f, n, tmp, sizeof tmp) || sync_unb64(tmp, bin, binlen) ? -1 : 0;
}

static int field_int(const char *f, size_t n, int64_t *out)
{
	size_t i;

	if (n == 0 || n > 15 || (n > 1 && f[0] == '0'))
		return -1;
	*out = 0;
	for (i = 0; i < n; i++) {
		if (f[i] < '0' || f[i] > '9')
			return -1;
		*out = *out * 10 + (f[i] - '0');
	}
	return 0;
}

static void enrolment_body(const struct relay_enrolment *e, char *out, size_t outsz)
{
	char spk[PK_B64], bpk[PK_B64], name[200];

	sync_b64(e->sign_pk, SYNC_PK_BYTES, spk, sizeof spk);
	sync_b64(e->box_pk, SYNC_PK_BYTES, bpk, sizeof bpk);
	sync_b64((const unsigned char *)e->name, strlen(e->name), name, sizeof name);
	snprintf(out, outsz, "gaswalk-enrol1:%s:%s:%s:%s:%s:%lld", e->office, e->device, spk, bpk,
		 name, (long long)e->at);
}

void relay_enrolment_format(const struct relay_enrolment *e, char *out, size_t outsz)
{
	char sig[SIG_B64];
	size_t n;

	enrolment_body(e, out, outsz);
	sync_b64(e->sig, sizeof e->sig, sig, sizeof sig);
	n = strlen(out);
	snprintf(out + n, outsz - n, ":%s", sig);
}

static int enrolment_name(const char *f, size_t n, char *out, size_t outsz)
{
	char tmp[200];
	size_t got = 0;
	const char *end = NULL;

	if (field_str(f, n, tmp, sizeof tmp) ||
	    sodium_base642bin((unsigned char *)out, outsz - 1, tmp, n, NULL, &got, &end,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    *end || got == 0 || memchr(out, 0, got))
		return -1;
	out[got] = '\0';
	return 0;
}

int relay_enrolment_parse(const char *s, struct relay_enrolment *e)
{
	const char *f[8];
	size_t len[8];

	memset(e, 0, sizeof *e);
	if (split(s, f, len, 8) || len[0] != 14 || memcmp(f[0], "gaswalk-enrol1", 14) != 0 ||
	    field_str(f[1], len[1], e->office, sizeof e->office) ||
	    !sync_device_id_ok(e->office, len[1]) ||
	    field_str(f[2], len[2], e->device, sizeof e->device) ||
	    !sync_device_id_ok(e->device, len[2]) ||
	    field_b64(f[3], len[3], e->sign_pk, SYNC_PK_BYTES) ||
	    field_b64(f[4], len[4], e->box_pk, SYNC_PK_BYTES) ||
	    enrolment_name(f[5], len[5], e->name, sizeof e->name) ||
	    field_int(f[6], len[6], &e->at) || field_b64(f[7], len[7], e->sig, sizeof e->sig))
		return gw_fail(GW_ERR_INPUT, _("not an enrolment (gaswalk-enrol1:…)"));
	return 0;
}

int relay_enrolment_check(const struct relay_enrolment *e, const unsigned char office_pk[SYNC_PK_BYTES])
{
	char body[RELAY_TEXT_MAX], derived[SYNC_ID_CHARS + 1];

	sync_device_id(e->sign_pk, derived);
	if (strcmp(derived, e->device) != 0)
		return -1;
	enrolment_body(e, body, sizeof body);
	return crypto_sign_verify_detached(e->sig, (const unsigned char *)body, strlen(body),
					   office_pk) == 0
		       ? 0
		       : -1;
}

/* ---- evidence written into a roll-up ---- */

static int enrolment_make(struct ledger *l, const struct sync_keys *k, const struct sync_device *d,
			  char out[RELAY_TEXT_MAX])
{
	struct relay_enrolment e;
	char body[RELAY_TEXT_MAX];

	memset(&e, 0, sizeof e);
	gw_strlcpy(e.office, ledger_device_id(l), sizeof e.office);
	gw_strlcpy(e.device, d->ident.id, sizeof e.device);
	memcpy(e.sign_pk, d->ident.sign_pk, SYNC_PK_BYTES);
	memcpy(e.box_pk, d->ident.box_pk, SYNC_PK_BYTES);
	gw_strlcpy(e.name, d->ident.name, sizeof e.name);
	e.at = d->enrolled_at;
	enrolment_body(&e, body, sizeof body);
	crypto_sign_detached(e.sig, NULL, (const unsigned char *)body, strlen(body), k->sign_sk);
	relay_enrolment_format(&e, out, RELAY_TEXT_MAX);
	return 0;
}

int relay_enrolment_make(struct ledger *l, const struct sync_keys *k, const char *device,
			 char out[RELAY_TEXT_MAX])
{
	struct sync_device d;

	if (sync_device_get(l, device, &d) != 0) {
		if (gw_last_status() != GW_ERR_NOTFOUND)
			return -1;
		gw_clear_error();
		return 1;
	}
	if (d.office[0] || d.self || strcmp(d.ident.kind, "terminal") != 0)
		return 1;
	return enrolment_make(l, k, &d, out);
}

/* The enrolment of one device, when this office enrolled it as a terminal. */
static int enrolment_of(struct ledger *l, const struct sync_keys *k, const char *device,
			relay_text_fn fn, void *ctx)
{
	char text[RELAY_TEXT_MAX];
	int rc = relay_enrolment_make(l, k, device, text);

	if (rc)
		return rc < 0 ? -1 : 0;
	return fn(ctx, "enrolment", text) ? -1 : 0;
}

int relay_enrolments_write(struct ledger *l, const struct sync_keys *k, int64_t after,
			   relay_text_fn fn, void *ctx)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_arrived_devices);
	char (*devs)[DEVICE_ID_MAX + 1] = NULL;
	size_t n = 0, cap = 0, i;
	int rc;

	if (!st)
		return -1;
	sync_init();
	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_text(st, 2, ledger_device_id(l), -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap)
			devs = xrealloc(devs, (cap = cap ? 2 * cap : 64) * sizeof *devs);
		gw_strlcpy(devs[n++], ledger_text(st, 0), sizeof *devs);
	}
	sqlite3_reset(st);
	rc = rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "relay enrolments");
	for (i = 0; !rc && i < n; i++)
		rc = enrolment_of(l, k, devs[i], fn, ctx);
	free(devs);
	return rc;
}

/* ---- merge: what a bundle may do ---- */

struct relay {
	struct ledger *l;
	struct sync_device sender;
	int office;               /* the sender is a sub-office (else a terminal) */
	struct territory terr;    /* the office's territory */
	int has_terr;
	char terr_why[200];       /* why it has none */
	char bundle_hash[BUNDLE_HASH_HEX];
	int64_t arrival0;         /* the last arrival number before the bundle */
	int64_t outside;          /* relayed visits outside the territory, kept uncounted */
	int64_t revocations;      /* of its terminals, new here */
	struct revoked_feed {     /* feeds of revoked terminals: nothing new after `after` */
		char device[DEVICE_ID_MAX + 1];
		int64_t after;
	} *revoked;
	size_t nrevoked;
};

static int last_arrival(struct ledger *l, int64_t *n)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_last_arrival);
	int rc;

	if (!st)
		return -1;
	rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : ledger_db_fail(l, "visit arrivals");
}

int relay_begin(struct ledger *l, const struct sync_device *sender, const char *bundle_hash,
		struct relay **out)
{
	struct relay *c = xcalloc(1, sizeof *c);

	sync_init();
	c->l = l;
	c->sender = *sender;
	c->office = strcmp(sender->ident.kind, "office") == 0;
	gw_strlcpy(c->bundle_hash, bundle_hash ? bundle_hash : "", sizeof c->bundle_hash);
	if (c->office) {
		c->has_terr = territory_of(l, sender, &c->terr) == 0;
		if (!c->has_terr)
			gw_strlcpy(c->terr_why, gw_error(), sizeof c->terr_why);
		gw_clear_error();
	}
	if (last_arrival(l, &c->arrival0)) {
		free(c);
		return -1;
	}
	*out = c;
	return 0;
}

void relay_free(struct relay *c)
{
	if (c)
		free(c->revoked);
	free(c);
}

static int keep_enrolment(struct relay *c, const struct relay_enrolment *e, const char *text)
{
	sqlite3_stmt *st = ledger_stmt(c->l, sql_enrol_put);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, e->device, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, e->office, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, e->at);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(c->l, "relay enrolment");
}

/* 1 when the terminal is in this keyring already, enrolled by the sending office with
 * that key (revoked or not: a revoked terminal's entries held here are relayed again
 * until acknowledged), 0 when not, -1 on error. */
static int enrolled_here(struct relay *c, const struct relay_enrolment *e)
{
	struct sync_device d;

	if (sync_device_get(c->l, e->device, &d) != 0) {
		if (gw_last_status() != GW_ERR_NOTFOUND)
			return -1;
		gw_clear_error();
		return 0;
	}
	return strcmp(d.office, c->sender.ident.id) == 0 && strcmp(d.ident.kind, "terminal") == 0 &&
	       sodium_memcmp(d.ident.sign_pk, e->sign_pk, SYNC_PK_BYTES) == 0;
}

/* A terminal the sending office enrolled: into this keyring under that office. */
static int take_enrolment(struct relay *c, const char *text)
{
	struct relay_enrolment e;
	struct sync_identity id;
	struct sync_enrolment how;
	char err[300];
	int rc;

	if (!c->office)
		return gw_fail(GW_ERR_REJECTED, _("a terminal's bundle carries an enrolment"));
	if (relay_enrolment_parse(text, &e))
		return gw_fail(GW_ERR_REJECTED, _("enrolment record: not an enrolment (gaswalk-enrol1:…)"));
	if (strcmp(e.office, c->sender.ident.id) != 0 ||
	    relay_enrolment_check(&e, c->sender.ident.sign_pk))
		return gw_fail(GW_ERR_REJECTED, _("enrolment of %s: not signed by office %s"), e.device,
			      c->sender.ident.id);
	if ((rc = enrolled_here(c, &e)) != 0)
		return rc < 0 ? -1 : keep_enrolment(c, &e, text);
	memset(&id, 0, sizeof id);
	gw_strlcpy(id.id, e.device, sizeof id.id);
	gw_strlcpy(id.kind, "terminal", sizeof id.kind);
	gw_strlcpy(id.name, e.name, sizeof id.name);
	memcpy(id.sign_pk, e.sign_pk, SYNC_PK_BYTES);
	memcpy(id.box_pk, e.box_pk, SYNC_PK_BYTES);
	how = (struct sync_enrolment){"terminal", e.name, NULL, c->sender.ident.id, e.at};
	rc = sync_enroll(c->l, &id, &how);
	if (rc < 0 && gw_last_status() == GW_ERR_DB)
		return -1;
	if (rc < 0) {
		gw_strlcpy(err, gw_error(), sizeof err);
		return gw_fail(GW_ERR_REJECTED, _("enrolment of %s by office %s refused: %s"), e.device,
			       c->sender.ident.id, err);
	}
	return keep_enrolment(c, &e, text);
}

int relay_record(struct relay *c, const char *type, const char *text)
{
	if (strcmp(type, "enrolment") == 0)
		return take_enrolment(c, text);
	return gw_fail(GW_ERR_REJECTED, _("unknown evidence record '%.32s'"), type);
}

/* How many entries of device numbered below `below` this ledger holds. Photos do not
 * count: an entry whose photo is still missing is held all the same. */
static int held_below(struct ledger *l, const char *device, int64_t below, int64_t *n)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_held_below);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, below);
	rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : ledger_db_fail(l, "feed entries");
}

/* A revoked terminal's feed relayed again (its office holds entries the level above has
 * not acknowledged yet): taken only if it brings nothing new, which relay_end() checks
 * from the arrivals after this point. */
static int revoked_feed(struct relay *c, const char *device)
{
	struct revoked_feed *r;

	c->revoked = xrealloc(c->revoked, (c->nrevoked + 1) * sizeof *c->revoked);
	r = &c->revoked[c->nrevoked++];
	gw_strlcpy(r->device, device, sizeof r->device);
	return last_arrival(c->l, &r->after);
}

/* Every entry of a revoked terminal arrived since its feed began is new here: refused. */
static int revoked_new(struct relay *c)
{
	sqlite3_stmt *st;
	int rc = SQLITE_DONE;

	for (size_t i = 0; i < c->nrevoked && rc == SQLITE_DONE; i++) {
		if (!(st = ledger_stmt(c->l, sql_arrived_of)))
			return -1;
		sqlite3_bind_int64(st, 1, c->revoked[i].after);
		sqlite3_bind_text(st, 2, c->revoked[i].device, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			gw_fail(GW_ERR_REJECTED, _("feed of %s: that terminal is revoked, and entry %lld is new here (only its entries held here before are relayed again)"),
				c->revoked[i].device, (long long)sqlite3_column_int64(st, 0));
		sqlite3_reset(st);
	}
	if (rc == SQLITE_ROW)
		return -1;
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(c->l, "revoked terminals");
}

int relay_feed_key(struct relay *c, const char *device, const unsigned char pk[SYNC_PK_BYTES],
		   int64_t first)
{
	int64_t held;
	struct sync_device d;

	if (!c->office)
		return gw_fail(GW_ERR_REJECTED, _("feed of %s: a terminal sends only its own feed"), device);
	if (sync_device_get(c->l, device, &d) != 0) {
		if (gw_last_status() != GW_ERR_NOTFOUND)
			return -1;
		gw_clear_error();
		return gw_fail(GW_ERR_REJECTED, _("feed of %s: no enrolment of that terminal by office %s (evidence stripped, or a terminal made up)"),
			      device, c->sender.ident.id);
	}
	if (strcmp(d.office, c->sender.ident.id) != 0 || strcmp(d.ident.kind, "terminal") != 0)
		return gw_fail(GW_ERR_REJECTED, _("feed of %s: not a terminal of office %s"), device,
			      c->sender.ident.id);
	if (sodium_memcmp(d.ident.sign_pk, pk, SYNC_PK_BYTES) != 0)
		return gw_fail(GW_ERR_REJECTED, _("feed of %s: signed with another key than the one office %s enrolled"),
			      device, c->sender.ident.id);
	if (d.revoked_at && revoked_feed(c, device))
		return -1;
	if (held_below(c->l, device, first, &held))
		return -1;
	if (held < first - 1) {
		long long missing = (long long)first - 1 - (long long)held;

		return gw_fail(GW_ERR_REJECTED, _("feed of %s: relayed from entry %lld, but %lld of the entries before it are not here (dropped)"),
			       device, (long long)first, missing);
	}
	return 0;
}

static int need_territory(struct relay *c)
{
	if (!c->office)
		return gw_fail(GW_ERR_REJECTED, _("a terminal's bundle acts as an office"));
	if (!c->has_terr)
		return gw_fail(GW_ERR_REJECTED, "%s", c->terr_why);
	return 0;
}

/* The sending office as a clerk knows it: the name it was enrolled under here and its
 * territory (name and code), not its key's id. */
static void office_label(const struct relay *c, char *out, size_t outsz)
{
	const struct territory *t = &c->terr;

	if (!c->has_terr)
		snprintf(out, outsz, "%s (%s)", c->sender.ident.name, c->sender.ident.id);
	else if (t->name[0] && strcmp(t->name, t->code) != 0 && strcmp(t->name, c->sender.ident.name) != 0)
		snprintf(out, outsz, "%s (%s, %s)", c->sender.ident.name, t->name, t->code);
	else
		snprintf(out, outsz, "%s (%s)", c->sender.ident.name, t->code);
}

static void cat_field(char *out, const char *s, size_t outsz)
{
	size_t n = strlen(out);

	if (n < outsz)
		gw_strlcpy(out + n, s, outsz - n);
}

/* The names of the fields that differ, comma-separated. */
static void changed_fields(const struct household *o, const struct household *n, char *out,
			   size_t outsz)
{
#define HH_FIELD(f) {#f, o->f, n->f}
	const struct {
		const char *name, *a, *b;
	} f[] = {HH_FIELD(sector),    HH_FIELD(name),     HH_FIELD(phone), HH_FIELD(subdistrict),
		 HH_FIELD(community), HH_FIELD(compound), HH_FIELD(building), HH_FIELD(unit),
		 HH_FIELD(floor),     HH_FIELD(room)};
#undef HH_FIELD
	size_t i;

	out[0] = '\0';
	if (o->category != n->category)
		cat_field(out, "category,", outsz);
	if (o->gas != n->gas)
		cat_field(out, "gas,", outsz);
	if (o->new_build != n->new_build)
		cat_field(out, "new_build,", outsz);
	for (i = 0; i < sizeof f / sizeof *f; i++) {
		if (strcmp(f[i].a, f[i].b) != 0) {
			cat_field(out, f[i].name, outsz);
			cat_field(out, ",", outsz);
		}
	}
	if (out[0])
		out[strlen(out) - 1] = '\0';
}

static int attribute(struct relay *c, const char *account, const char *fields)
{
	sqlite3_stmt *st = ledger_stmt(c->l, sql_attribute);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->sender.ident.id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->bundle_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, gw_now());
	sqlite3_bind_text(st, 5, fields, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(c->l, "household attribution");
}

int relay_household(struct relay *c, const struct household *h)
{
	struct household old;
	char fields[200], office[300];
	int rc = need_territory(c);

	if (rc)
		return rc;
	office_label(c, office, sizeof office);
	if (!territory_has(&c->terr, h->subdistrict))
		return gw_fail(GW_ERR_REJECTED, _("household %s: office %s sends it in '%s', outside its territory; its roll-up is refused whole. Next: that office corrects the household's subdistrict (re-import that row) and exports again"),
			       h->account, office, h->subdistrict);
	rc = household_get(c->l, h->account, &old);
	if (rc && gw_last_status() != GW_ERR_NOTFOUND)
		return -1;
	gw_clear_error();
	if (rc == 0 && !territory_has(&c->terr, old.subdistrict))
		return gw_fail(GW_ERR_REJECTED, _("household %s is in '%s' here, but office %s sends it in '%s'; its roll-up is refused whole. Next: the district's clerk decides where it is: if in '%s', re-import that row here with that subdistrict and merge the roll-up again; if not, that office corrects the row's subdistrict (re-import it) and exports again"),
			       h->account, old.subdistrict, office, h->subdistrict, h->subdistrict);
	if (rc == 0)
		changed_fields(&old, h, fields, sizeof fields);
	else
		gw_strlcpy(fields, "new", sizeof fields);
	return fields[0] ? attribute(c, h->account, fields) : 0;
}

int relay_resolution(struct relay *c, const char *account)
{
	char sub[HH_PLACE_MAX + 1], office[300];
	int rc = need_territory(c);

	if (rc)
		return rc;
	if (territory_household(c->l, account, sub, sizeof sub))
		return -1;
	office_label(c, office, sizeof office);
	if (!territory_has(&c->terr, sub))
		return gw_fail(GW_ERR_REJECTED, _("resolution of a conflict of household %s: in '%s' here, outside the territory of office %s; its roll-up is refused whole. Next: the district's clerk settles that conflict here (gaswalk resolve)"),
			       account, sub, office);
	return 0;
}

/* An office's own feed carries only what an office adds itself: self-checks,
 * spot-checks and voids. A visit of another role there (an inspection recorded at the
 * office) was signed by no terminal, so the district does not count it. */
static int own_roles(struct relay *c)
{
	sqlite3_stmt *st = ledger_stmt(c->l, sql_own_role);
	char office[300];
	int rc;

	if (!st)
		return -1;
	office_label(c, office, sizeof office);
	sqlite3_bind_int64(st, 1, c->arrival0);
	sqlite3_bind_text(st, 2, c->sender.ident.id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		gw_fail(GW_ERR_REJECTED, _("visit %s/%lld: household %s, role '%s' in the own feed of office %s (an office adds only self-checks, spot-checks and voids)"),
			ledger_text(st, 0), (long long)sqlite3_column_int64(st, 1), ledger_text(st, 3),
			ledger_text(st, 2), office);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return -1;
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(c->l, "office's own visits");
}

/* Nor do they carry installs or a supply action: those are the gas company's, done by
 * its inspectors' terminals; an office's visit only checks. */
static int own_parts(struct relay *c)
{
	sqlite3_stmt *st = ledger_stmt(c->l, sql_own_parts);
	char office[300];
	int rc;

	if (!st)
		return -1;
	office_label(c, office, sizeof office);
	sqlite3_bind_int64(st, 1, c->arrival0);
	sqlite3_bind_text(st, 2, c->sender.ident.id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		gw_fail(GW_ERR_REJECTED, sqlite3_column_int(st, 4)
				? _("visit %s/%lld: household %s, a %s of office %s carrying installs (an office's own visits carry no installs and no supply action)")
				: _("visit %s/%lld: household %s, a %s of office %s carrying a supply action (an office's own visits carry no installs and no supply action)"),
			ledger_text(st, 0), (long long)sqlite3_column_int64(st, 1), ledger_text(st, 2),
			ledger_text(st, 3), office);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return -1;
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(c->l, "office's own visits");
}

/* Its voids cancel only what is its to cancel: its own visits and its terminals'. A
 * void of the level above's spot-check, or of another office's visit, would take a
 * failing check out of the count without the one who made it. */
static int own_voids(struct relay *c)
{
	sqlite3_stmt *st = ledger_stmt(c->l, sql_own_void_scope);
	char office[300];
	int rc;

	if (!st)
		return -1;
	office_label(c, office, sizeof office);
	sqlite3_bind_int64(st, 1, c->arrival0);
	sqlite3_bind_text(st, 2, c->sender.ident.id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, ledger_device_id(c->l), -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_int(st, 4))
		gw_fail(GW_ERR_REJECTED, _("void %s/%lld: visit %s/%lld is the district's own: an office voids only its own visits and its terminals'"),
			ledger_text(st, 0), (long long)sqlite3_column_int64(st, 1), ledger_text(st, 2),
			(long long)sqlite3_column_int64(st, 3));
	else if (rc == SQLITE_ROW)
		gw_fail(GW_ERR_REJECTED, _("void %s/%lld: visit %s/%lld is not of a terminal of office %s: an office voids only its own visits and its terminals'"),
			ledger_text(st, 0), (long long)sqlite3_column_int64(st, 1), ledger_text(st, 2),
			(long long)sqlite3_column_int64(st, 3), office);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return -1;
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(c->l, "office's own voids");
}

int relay_plan(struct relay *c, const char *subdistrict, const char *compound,
	       const char *month)
{
	char office[300];
	int rc = need_territory(c);

	if (rc)
		return rc;
	office_label(c, office, sizeof office);
	if (!territory_has(&c->terr, subdistrict))
		return gw_fail(GW_ERR_REJECTED, _("plan of compound %s for %s: in '%s', outside the territory of office %s"),
			       compound, month, subdistrict, office);
	return 0;
}

int relay_revocation(struct relay *c, const unsigned char sign_pk[SYNC_PK_BYTES],
		     const unsigned char *box_pk)
{
	char id[SYNC_ID_CHARS + 1], office[300];
	struct sync_device d;
	int rc = sync_key_revoked(c->l, sign_pk, NULL);

	if (rc)
		return rc < 0 ? -1 : 0; /* revoked here already (it came down from here) */
	sync_device_id(sign_pk, id);
	if ((rc = sync_device_get(c->l, id, &d)) != 0 && gw_last_status() != GW_ERR_NOTFOUND)
		return -1;
	gw_clear_error();
	office_label(c, office, sizeof office);
	if (!c->office || rc || d.self || strcmp(d.office, c->sender.ident.id) != 0 ||
	    strcmp(d.ident.kind, "terminal") != 0 ||
	    sodium_memcmp(d.ident.sign_pk, sign_pk, SYNC_PK_BYTES) != 0)
		return gw_fail(GW_ERR_REJECTED, _("roll-up from %s revokes %s, which is not one of its terminals"),
			       office, id);
	if (box_pk && sodium_memcmp(d.ident.box_pk, box_pk, SYNC_PK_BYTES) != 0)
		return gw_fail(GW_ERR_REJECTED, _("roll-up from %s revokes its terminal %s with another box key than the terminal's"),
			       office, id);
	c->revocations++;
	return 0;
}

const char *relay_sender(const struct relay *c)
{
	return c->sender.ident.id;
}

int64_t relay_revocations(const struct relay *c)
{
	return c ? c->revocations : 0;
}

/* A terminal's visit of a household outside its office's territory: the terminal
 * signed it, so it is kept whole as the terminal's evidence (its feed goes on, and is
 * acknowledged), but the office may not act there, so it is not counted: this ledger
 * voids it under its own key, with the reason. */
static int keep_outside(struct relay *c)
{
	struct visit_id *ids;
	size_t n, i;
	char why[VOID_REASON_MAX + 1];
	int rc;

	if (territory_relayed_outside(c->l, &c->terr, c->sender.ident.id, c->arrival0, &ids, &n))
		return -1;
	snprintf(why, sizeof why, _("outside the territory of office %s (%s): kept as its terminal's evidence, not counted"),
		 c->sender.ident.id, c->terr.code);
	for (i = 0, rc = 0; i < n && rc == 0; i++)
		rc = visit_void_add(c->l, ids[i].device, ids[i].seq, why, NULL, 0, NULL);
	if (rc == 0)
		c->outside += (int64_t)n;
	free(ids);
	return rc;
}

int relay_end(struct relay *c)
{
	int rc;

	if (!c->office)
		return 0;
	if ((rc = need_territory(c)) != 0)
		return rc;
	return revoked_new(c) || territory_check_arrivals(c->l, &c->terr, c->sender.ident.id, c->sender.ident.name, c->arrival0) ||
	       own_roles(c) || own_parts(c) || own_voids(c) || keep_outside(c) ? -1 : 0;
}

int64_t relay_outside(const struct relay *c)
{
	return c ? c->outside : 0;
}
