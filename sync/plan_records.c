/* Compound plans travel up in roll-ups. */
#include "sync/plan_records.h"

#include <string.h>

#include "core/plan.h"
#include "core/util.h"
#include "sync/keys.h"
#include "sync/records.h"

struct put {
	struct bundle_writer *w;
};

static int put_one(void *ctx, const char *sub, const char *compound, const char *month,
		   long households, const char *origin)
{
	struct put *p = ctx;

	(void)origin;
	return record_put(p->w, json_pack("{ss ss ss ss sI}", "type", "plan", "subdistrict", sub,
					  "compound", compound, "month", month, "households",
					  (json_int_t)households));
}

int plan_records_put(struct ledger *l, struct bundle_writer *w)
{
	struct put p = {w};

	return plan_each(l, put_one, &p);
}

/* A sub-office sends only the plans of its own subdistrict. */
static int in_territory(struct ledger *l, const char *sender, const char *sub)
{
	struct sync_device d;

	if (!l || sync_device_get(l, sender, &d) != 0)
		return 1; /* verify only, or no keyring row: the bundle checks refuse it already */
	return !d.subdistrict[0] || strcmp(d.subdistrict, sub) == 0;
}

int plan_record_sink(struct ledger *l, json_t *o, const char *sender, int sender_is_office)
{
	char sub[64], compound[HH_PLACE_MAX + 1], month[16];
	int64_t n;

	if (!sender_is_office)
		return gw_fail(GW_ERR_REJECTED, "plan records come only from offices");
	if (record_str(o, "subdistrict", sub, sizeof sub - 1) ||
	    record_str(o, "compound", compound, sizeof compound - 1) ||
	    record_str(o, "month", month, sizeof month - 1) || record_int(o, "households", &n) ||
	    !plan_month_valid(month) || n < 0 || n > 10000000 || !compound[0])
		return gw_fail(GW_ERR_REJECTED, "bad plan record");
	if (!in_territory(l, sender, sub))
		return gw_fail(GW_ERR_REJECTED, "plan of %s/%s: outside the sender's subdistrict",
			       sub, compound);
	return l ? plan_put(l, sub, compound, month, (long)n, sender) : 0;
}
