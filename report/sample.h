/* sample: the spot-check draw, reproducible from its seed (splitmix64, never rand()). */
#ifndef GW_REPORT_SAMPLE_H
#define GW_REPORT_SAMPLE_H

#include <stddef.h>
#include <stdint.h>

/* The next number of the splitmix64 sequence kept in *state. */
uint64_t sample_next(uint64_t *state);
/* A uniform number below bound (> 0), without modulo bias. */
uint64_t sample_below(uint64_t *state, uint64_t bound);
/* Chooses k distinct indices of 0..n-1 (all of them when k >= n) into out, in
 * ascending order; returns how many. */
size_t sample_draw(uint64_t *state, size_t n, size_t k, size_t *out);

#endif
