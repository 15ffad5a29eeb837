/* rules: what the plan requires of each household, and the fold from visits to status.
 *
 * The plan's table (plan/README.md):
 *   non-residential, pipeline or LPG: alarm with linked shut-off, metal hose
 *   residential pipeline, new build or existing: self-closing valve, metal hose; alarm encouraged
 *   residential LPG: metal hose; alarm encouraged
 * "Metal hose" is met by a metal hose, or by no hose at all (a hard-piped appliance).
 */
#ifndef GW_RULES_H
#define GW_RULES_H

#include "model.h"

enum need { NEED_NONE, NEED_ENCOURAGED, NEED_REQUIRED };

enum need rules_need(enum category c, enum gas g, int new_build, enum item it);

/* Which deadline setting applies: "nonresidential_deadline" or "residential_deadline". */
const char *rules_deadline_key(enum category c);

struct status {
	enum state state;
	enum hose hose;
	enum devstate valve, alarm, shutoff;
	unsigned missing; /* bit per enum item that is required and not met */
	int visits;
	int open_hazards; /* grade 1 or 2, still open */
	struct hazard hazards[VISIT_MAX_HAZARDS]; /* all open, grade 3 too */
	int nhazards;
	struct visit_id last;
	int64_t last_at;
	int last_outcome; /* enum outcome, -1 when never visited */
	int64_t compliant_at; /* when it last became compliant, 0 if not */
	enum supply supply;   /* last supply action, SUPPLY_NONE if never */
};

/* A visit as the fold, the rectification orders, the suspensions and the conflicts read
 * it: no photos, no note, no actor; its hazards and installs point into the struct visit
 * it was made from (visit_lean_from) or into the pools of a struct visit_set
 * (visit_load_lean, core/ledger.h). About 200 bytes instead of 7.7 KB, so one household
 * with tens of thousands of visits folds in a few MB. */
struct visit_lean {
	struct visit_id id, base;
	char account[HH_ACCOUNT_MAX + 1];
	enum role role;
	int64_t at;
	enum outcome outcome;
	enum hose hose;
	enum devstate valve, alarm, shutoff;
	enum supply supply;
	char supply_hazard[HAZARD_CODE_MAX + 1];
	enum entry_mode entry_mode;
	int voided;
	int nhazards, ninstalls;
	const struct hazard *hazards;
	const struct install *installs;
};

/* o's parts point into v's: v must outlive o. */
void visit_lean_from(struct visit_lean *o, const struct visit *v);

/* 1 when the item's observed value satisfies the requirement. */
int rules_item_met(enum item it, const struct status *st);

/* Folds visits (any order; the array is sorted in place) into st; voided visits
 * (v->voided) are left out.
 * Deterministic: visits are applied in (time, device, seq) order. Within that
 * order a later observation replaces an earlier one, except that an item an
 * installer fitted is only undone by an observation made from a base that
 * already knew of the install (the causal rule for conflicting terminals). */
void rules_fold(const struct household *h, struct visit *v, size_t n, struct status *st);
/* The same over lean visits (sorted in place into fold order). */
void rules_fold_lean(const struct household *h, struct visit_lean *v, size_t n, struct status *st);

/* 1 when fitting the item removes the hazard (a new metal hose ends "rubber hose in
 * use"); the fold and the rectification orders both use it. */
int rules_hazard_fixed_by(const char *code, enum item it);

/* 1 when the visit states the household's whole hazard picture at that time: an
 * entered visit, not an install that lists no hazard, not one entered the quick way. */
int rules_is_picture(const struct visit_lean *v);

/* NULL when the visit's own fields fit together, else why not (English, for
 * gw_fail): a quick visit records no hazard, install or supply action; a supply
 * hazard goes with a supply stop. */
const char *rules_visit_invalid(const struct visit *v);

/* Sorts visits into fold order. */
void rules_sort(struct visit *v, size_t n);
void rules_sort_lean(struct visit_lean *v, size_t n);

/* The missing items as names joined by commas, e.g. "valve,hose". */
void rules_missing_str(unsigned missing, char *out, size_t outsz);

#endif
