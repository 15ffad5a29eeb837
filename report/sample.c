/* The spot-check draw: splitmix64 and a partial Fisher-Yates shuffle. */
#include "report/sample.h"

#include <stdlib.h>

#include "core/demo.h"
#include "core/util.h"

/* splitmix64, the generator core/demo.c keeps for everyone's reproducible draws. */
uint64_t sample_next(uint64_t *state)
{
	return demo_rand(state);
}

uint64_t sample_below(uint64_t *state, uint64_t bound)
{
	uint64_t threshold = (0 - bound) % bound, r;

	do
		r = sample_next(state);
	while (r < threshold);
	return r % bound;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

size_t sample_draw(uint64_t *state, size_t n, size_t k, size_t *out)
{
	size_t *perm;

	if (k > n)
		k = n;
	perm = xmalloc((n ? n : 1) * sizeof *perm);
	for (size_t i = 0; i < n; i++)
		perm[i] = i;
	for (size_t i = 0; i < k; i++) {
		size_t j = i + (size_t)sample_below(state, (uint64_t)(n - i));
		size_t t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
		out[i] = perm[i];
	}
	free(perm);
	qsort(out, k, sizeof *out, cmp_size);
	return k;
}
