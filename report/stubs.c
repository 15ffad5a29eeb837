#include "report/report.h"
#include "core/util.h"
#include "cli/cli.h"
#define STUB(n) struct report *report_##n(struct rctx *c) { (void)c; gw_fail(GW_ERR_USAGE, "not yet"); return NULL; }
STUB(sector) STUB(funding) STUB(prices) STUB(valves) STUB(suspensions) STUB(acceptance) STUB(overdue)
CLI_COMMAND(sample) { (void)argc; (void)argv; (void)cli; return 2; }
