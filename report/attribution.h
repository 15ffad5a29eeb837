/* The district's list of household changes made by sub-offices' roll-ups, each
 * attributed to its office (report/attribution.c; kept by sync/relay.c). */
#ifndef GW_REPORT_ATTRIBUTION_H
#define GW_REPORT_ATTRIBUTION_H

#include "report/report.h"

struct report *report_household_changes(struct rctx *c);

#endif
