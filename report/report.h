/* report: the report kinds, and what they share: the subdistricts, the settings,
 * calendar days, and each household's state as of the report's date. */
#ifndef GW_REPORT_REPORT_H
#define GW_REPORT_REPORT_H

#include <stdio.h>

#include "core/ledger.h"
#include "core/rules.h"
#include "report/table.h"

#define RSUB_MAX_NAME 96

struct rsub {
	char code[RSUB_MAX_NAME + 1]; /* the subdistrict table's code, or the raw name */
	char name[RSUB_MAX_NAME + 1]; /* shown: Chinese name or pinyin per --lang */
	int known;                    /* 0: a name the subdistrict table does not have */
};

/* A raw household.subdistrict value and the subdistrict it means. */
struct rsub_alias {
	char *raw;
	int sub;
};

#define RCAT_DEFAULT (-1) /* the category whose deadline is next (report/FORMAT.md) */
#define RCAT_ALL CAT__N

struct rctx {
	struct ledger *l;
	int64_t as_of;    /* the last second counted */
	int as_of_day;    /* local calendar day of as_of, days since 1970-01-01 */
	int64_t newest;   /* the newest visit's time */
	int months;       /* --months for the valves report */
	int households;   /* --households: funding lists each household's shares */
	int category;     /* --category: RCAT_DEFAULT, RCAT_ALL or an enum category */
	int in_txn;       /* the report's read transaction is open */
	FILE *trace;      /* GASWALK_TRACE_SQL: the statements run (report/context.c) */
	struct rsub *subs;
	int nsubs;
	struct rsub_alias *alias;
	int nalias;
};

/* as_of_day "YYYY-MM-DD" or NULL for today. */
int rctx_open(struct rctx *c, struct ledger *l, const char *as_of_day);
void rctx_close(struct rctx *c);
/* The subdistrict a raw household value means (an index into subs). */
int rctx_sub(const struct rctx *c, const char *raw);
/* A setting as text; def when unset. */
void rctx_setting(struct rctx *c, const char *key, const char *def, char *out, size_t outsz);
/* A setting that is a date: its day number; 1 found, 0 unset or not a date. */
int rctx_setting_day(struct rctx *c, const char *key, int *day);
/* A share like "1/3" or "0.25" as a fraction; def when unset or unreadable. */
double rctx_share(struct rctx *c, const char *key, double def);
/* A share like "1/3", "0.25" or "2" as an exact fraction num/den (den > 0, num >= 0);
 * 0 when set and unreadable (then num/den are left as given, the default). */
int rctx_fraction(struct rctx *c, const char *key, int64_t *num, int64_t *den);
double rctx_number(struct rctx *c, const char *key, double def);

/* ---- calendar days (local time) ---- */
int rday_parse(const char *s, int *day); /* "YYYY-MM-DD" */
void rday_format(int day, char *out, size_t outsz);
int rday_of(int64_t epoch);                /* the local day of a moment */
int rday_add_months(int day, int months);  /* clamped to the month's last day */
void rtime_format(int64_t epoch, char *out, size_t outsz); /* "YYYY-MM-DD HH:MM" local */

/* ---- states as of a moment ---- */

/* The states reports count: the rules' states (enum state), with "pending" split in
 * two: vacant (pending, and the last visit found the home vacant) and the rest. */
#define RS_VACANT ST__N
#define RS__N (ST__N + 1)

/* The report state of a folded status. */
int rstate_of(const struct status *st);

struct rcount {
	int64_t n[RS__N];
	int64_t entered; /* households whose door was opened: a visit with outcome entered */
	int64_t total;
};

/* Counts households per subdistrict and category by state (RS_*) as of `as_of`
 * (rstate_entered then adds those entered).
 * out has c->nsubs * CAT__N entries, index sub * CAT__N + category. */
int rstate_counts(struct rctx *c, int64_t as_of, struct rcount *out);
int rstate_entered(struct rctx *c, int64_t as_of, struct rcount *out);

struct rhouse {
	struct household h;
	int sub;
	int state; /* RS_*: an enum state or RS_VACANT */
	unsigned missing;
};

/* Calls fn for each household (category -1: all) in account order with its state
 * as of c->as_of. */
typedef int (*rhouse_fn)(void *ctx, const struct rhouse *hh);
int rstate_each(struct rctx *c, int category, rhouse_fn fn, void *ctx);

/* ---- labels ---- */
const char *rlabel_category(enum category cat);
const char *rlabel_state(int st); /* an RS_* state */
const char *rlabel_item(const char *item); /* "hose", "valve", ... */
void rlabel_missing(unsigned missing, char *out, size_t outsz);
void rlabel_address(const struct household *h, char *out, size_t outsz);
void rsubtitle(const struct rctx *c, char *out, size_t outsz);

/* ---- the kinds ---- */
typedef struct report *(*report_kind_fn)(struct rctx *c);
struct report *report_weekly(struct rctx *c);
struct report *report_ranking(struct rctx *c);
struct report *report_sector(struct rctx *c);
struct report *report_funding(struct rctx *c);
struct report *report_prices(struct rctx *c);
struct report *report_valves(struct rctx *c);
struct report *report_suspensions(struct rctx *c);
struct report *report_acceptance(struct rctx *c);
struct report *report_overdue(struct rctx *c);
/* P's kinds (report/rectify.c plan.c products.c revisits.c). */
struct report *report_rectifications(struct rctx *c);
struct report *report_plan(struct rctx *c);
struct report *report_products(struct rctx *c);
struct report *report_revisits(struct rctx *c);
/* The weekly's community table (report/community.c): per subdistrict and community, the
 * states, the households told of the policy (visit.notice) up to the moment and after
 * week_start (the end of the day before the week). 0 added, -1 error. */
int report_weekly_communities(struct rctx *c, struct report *r, int64_t week_start);
/* Acceptance's table of self-check failures and the state of their orders. */
void report_selfcheck_table(struct rctx *c, struct report *r);
/* Options of those kinds: the plan's month ("YYYY-MM", NULL: the as-of month); the
 * products report's product code ("" or NULL: all) and serial range (NULL: open). */
void report_plan_month(const char *month);
void report_products_filter(const char *product, const char *serial_from, const char *serial_to);
/* "YYYY-MM-DD HH:MM" local, as rtime_format writes it, without printf (long lists);
 * returns the local day number (report/rectify.c). */
int rminute_text(int64_t at, char out[17]);
/* Serials compared run by run, digits as numbers (report/FORMAT.md, products). */
int report_serial_cmp(const char *a, const char *b);

#endif
