/* provenance: for any visit held, the device that signed it, the manifest covering it and
 * the office that enrolled the device, checked again from what the ledger holds
 * (sync/relay.h, sync/FORMAT.md "Relayed evidence and territories"). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "sync/feed.h"
#include "sync/relay.h"

static int refuse(char *why, size_t whysz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int refuse(char *why, size_t whysz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whysz, fmt, ap);
	va_end(ap);
	return 1;
}

static const char sql_manifest_for[] =
	"SELECT first, last, manifest, sig FROM feed_manifest WHERE device = ?1 AND first <= ?2 "
	"AND last >= ?2 ORDER BY last DESC LIMIT 1";
static const char sql_enrol_get[] = "SELECT text FROM relay_enrolment WHERE device = ?";
/* ---- provenance ---- */

static int enrolment_text(struct ledger *l, const char *device, char *out, size_t outsz)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_enrol_get);
	int rc;

	if (!st)
		return -1;
	out[0] = '\0';
	sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		gw_strlcpy(out, ledger_text(st, 0), outsz);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "relay enrolment");
}

/* The manifest kept here that covers entry seq of device (the latest one). */
static int manifest_for(struct ledger *l, const struct visit_id *id, struct relay_provenance *p)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_manifest_for);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id->device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id->seq);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		p->has_manifest = 1;
		p->first = sqlite3_column_int64(st, 0);
		p->last = sqlite3_column_int64(st, 1);
		gw_strlcpy(p->manifest, ledger_text(st, 2), sizeof p->manifest);
		gw_strlcpy(p->sig, ledger_text(st, 3), sizeof p->sig);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "feed manifests");
}

int relay_provenance(struct ledger *l, const struct visit_id *id, struct relay_provenance *p)
{
	memset(p, 0, sizeof *p);
	if (sync_device_get(l, id->device, &p->device) != 0)
		return gw_last_status() == GW_ERR_NOTFOUND ? GW_ERR_NOTFOUND : -1;
	if (manifest_for(l, id, p))
		return -1;
	if (!p->device.office[0])
		return 0;
	if (sync_device_get(l, p->device.office, &p->office) != 0)
		return gw_last_status() == GW_ERR_NOTFOUND ? (gw_clear_error(), 0) : -1;
	p->has_office = 1;
	return enrolment_text(l, p->device.ident.id, p->enrolment, sizeof p->enrolment);
}

/* Hashes the device's entries 1..last held here into head. 0, 1 (*missing), -1. */
static int feed_from_start(struct ledger *l, const char *device, int64_t last,
			   unsigned char head[FEED_HASH_LEN], int64_t *missing)
{
	struct visit_stream *s = visit_stream_open(l, device, 0);
	struct visit *v = xmalloc(sizeof *v);
	unsigned char e[FEED_HASH_LEN];
	int64_t n = 0;
	int more = s ? visit_stream_next(s, v) : -1, rc = 0;

	memset(head, 0, FEED_HASH_LEN);
	while (more >= 0 && n < last) {
		struct visit_void w;
		struct visit_id id;

		if (more == 1 && v->id.seq == n + 1) {
			feed_entry_visit(v, e);
			more = visit_stream_next(s, v);
		} else {
			gw_strlcpy(id.device, device, sizeof id.device);
			id.seq = n + 1;
			if (void_get(l, &id, &w) != 0) {
				rc = gw_last_status() == GW_ERR_NOTFOUND ? 1 : -1;
				gw_clear_error();
				*missing = id.seq;
				break;
			}
			feed_entry_void(&w, e);
		}
		feed_chain(head, e);
		n++;
	}
	if (more < 0)
		rc = -1;
	if (s)
		visit_stream_close(s);
	free(v);
	return rc;
}

int relay_recheck(struct ledger *l, const struct relay_provenance *p, char *why, size_t whysz)
{
	struct feed_manifest m;
	struct relay_enrolment e;
	unsigned char head[FEED_HASH_LEN];
	int64_t missing = 0;
	int rc;

	if (!p->has_manifest)
		return refuse(why, whysz, "no manifest of %s is kept here", p->device.ident.id);
	if (feed_manifest_parse(p->manifest, &m) ||
	    feed_manifest_verify(p->manifest, p->sig, p->device.ident.sign_pk))
		return refuse(why, whysz, "the manifest kept for %s is not signed by its key",
			      p->device.ident.id);
	if ((rc = feed_from_start(l, p->device.ident.id, m.last, head, &missing)) != 0)
		return rc < 0 ? -1
			      : refuse(why, whysz, "entry %s/%lld is missing here", p->device.ident.id,
				       (long long)missing);
	if (memcmp(head, m.head, FEED_HASH_LEN) != 0)
		return refuse(why, whysz, "the entries of %s held here do not give the head it signed",
			      p->device.ident.id);
	if (!p->has_office)
		return 0;
	if (relay_enrolment_parse(p->enrolment, &e) || strcmp(e.office, p->office.ident.id) != 0 ||
	    strcmp(e.device, p->device.ident.id) != 0 ||
	    relay_enrolment_check(&e, p->office.ident.sign_pk))
		return refuse(why, whysz, "the enrolment of %s is not signed by office %s",
			      p->device.ident.id, p->office.ident.id);
	return 0;
}
