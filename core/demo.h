/* demo: a deterministic synthetic district for demonstrations, tests and benchmarks. */
#ifndef GW_DEMO_H
#define GW_DEMO_H

#include <stdint.h>

#include "ledger.h"

struct demo_options {
	long households;
	uint64_t seed;
	int64_t today;      /* visits fall in the ten weeks before this day */
	int visits_percent; /* share of households visited at least once */
};

struct demo_summary {
	long households, visits;
	long by_category[CAT__N][GAS__N];
	long by_state[ST__N];
	long compounds;
};

/* Fills an empty ledger; one transaction. */
int demo_generate(struct ledger *l, const struct demo_options *o, struct demo_summary *s);

/* splitmix64: the generator behind every random choice (also for others' samples). */
uint64_t demo_rand(uint64_t *state);

#endif
