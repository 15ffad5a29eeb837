/* plan: monthly installation plans per compound (按小区（村）分解制定月度安装计划).
 *
 * A plan row says how many households of a compound (subdistrict, compound) the
 * office plans to bring to compliance in a month ("YYYY-MM"). Achieved = households
 * of the compound whose current compliant period began in that month. */
#ifndef GW_PLAN_H
#define GW_PLAN_H

#include "ledger.h"

#define PLAN_MONTH_LEN 7

/* 1 when s is "YYYY-MM" with a month 01..12. */
int plan_month_valid(const char *s);
/* A month as a person types it, "YYYY-MM", "YYYY/MM" or "YYYY/M", as "YYYY-MM"; -1 when none. */
int plan_month_parse(const char *s, char out[PLAN_MONTH_LEN + 1]);
/* The local month of an epoch, "YYYY-MM". */
void plan_month_of(int64_t epoch, char out[PLAN_MONTH_LEN + 1]);

/* The subdistrict table's code for a value given as code, Chinese name (with or without
 * its 街道 suffix) or pinyin (any case); 1 found, 0 not one of the district's. */
int plan_subdistrict_code(struct ledger *l, const char *raw, char *code, size_t sz);

/* Stores (replaces) one plan row; inside the caller's transaction. origin: "local", or
 * the office it came from in a roll-up. Validates the month and households >= 0. */
int plan_put(struct ledger *l, const char *subdistrict, const char *compound, const char *month,
	     long households, const char *origin);

typedef int (*plan_fn)(void *ctx, const char *subdistrict, const char *compound,
		       const char *month, long households, const char *origin);
/* Every plan row by subdistrict, compound, month. */
int plan_each(struct ledger *l, plan_fn fn, void *ctx);

/* The plan of one compound (subdistrict as the household holds it: code, name or pinyin)
 * for a month (NULL: the current month) and what is achieved
 * in it so far (stored status). 1 a plan row exists, 0 none (planned 0), -1 error. */
int plan_for_compound(struct ledger *l, const char *subdistrict, const char *compound,
		      const char *month, long *planned, long *achieved);

#endif
