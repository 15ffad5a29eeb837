#include "hash.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"

static void to_hex(const unsigned char *h, char hex[SYNC_HASH_HEX])
{
	sodium_bin2hex(hex, SYNC_HASH_HEX, h, 32);
}

int sync_hash_file(const char *path, char hex[SYNC_HASH_HEX], int64_t *size)
{
	crypto_generichash_state st;
	unsigned char buf[16384], h[32];
	FILE *f = fopen(path, "rb");
	size_t n;
	int64_t total = 0;

	if (!f)
		return gw_fail(GW_ERR_IO, "%s: cannot read: %s", path, strerror(errno));
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		crypto_generichash_update(&st, buf, n);
		total += (int64_t)n;
	}
	if (ferror(f)) {
		fclose(f);
		return gw_fail(GW_ERR_IO, "%s: read error: %s", path, strerror(errno));
	}
	fclose(f);
	crypto_generichash_final(&st, h, sizeof h);
	to_hex(h, hex);
	*size = total;
	return 0;
}

void sync_hash_buf(const void *data, size_t len, char hex[SYNC_HASH_HEX])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof h, data, len, NULL, 0);
	to_hex(h, hex);
}
