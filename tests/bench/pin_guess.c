/* One offline PIN guess against a key file under a PIN: one Argon2id derivation with
 * the file's parameters plus one secretbox open, as an attacker with the file runs it.
 * Usage: pin_guess KEYFILE N  -> prints the best seconds per guess over N guesses. */
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t le(const unsigned char *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 8) | p[n];
	return v;
}

int main(int argc, char **argv)
{
	unsigned char b[216], key[32], out[128];
	double best = 1e9;
	FILE *f;

	if (argc != 3 || sodium_init() < 0 || !(f = fopen(argv[1], "rb")) || fread(b, 1, sizeof b, f) != sizeof b)
		return 2;
	fclose(f);
	for (int i = 0; i < atoi(argv[2]); i++) {
		char pin[12];
		struct timespec t0, t1;

		snprintf(pin, sizeof pin, "%06d", i);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (crypto_pwhash(key, sizeof key, pin, 6, b + 32, le(b + 12, 8), (size_t)le(b + 20, 8),
				  (int)le(b + 8, 4)) != 0)
			return 1;
		if (crypto_secretbox_open_easy(out, b + 72, 144, b + 48, key) == 0)
			printf("found %s\n", pin);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double t = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (t < best)
			best = t;
	}
	printf("%.3f\n", best);
	return 0;
}
