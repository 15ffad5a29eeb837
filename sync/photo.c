#include "photo.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"
#include "sync/hash.h"

char *sync_path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = xmalloc(n);

	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* Copies src to dst through a temporary file (fsynced, renamed), hashing what it
 * copies; 0 copied and matching, 1 missing, 2 not matching, -1 failed. */
int sync_photo_copy(const char *src, const char *dst, const struct photo *ph)
{
	FILE *in = fopen(src, "rb"), *out;
	size_t tmp_len = strlen(dst) + 3;
	char *tmp, hex[SYNC_HASH_HEX], buf[65536];
	crypto_generichash_state st;
	unsigned char h[32];
	int64_t size = 0;
	size_t n;
	int rc = 0;

	if (!in)
		return 1;
	tmp = xmalloc(tmp_len);
	snprintf(tmp, tmp_len, "%s.~", dst); /* same folder, so rename is atomic */
	out = fopen(tmp, "wb");
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	while (out && (n = fread(buf, 1, sizeof buf, in)) > 0) {
		crypto_generichash_update(&st, (unsigned char *)buf, n);
		size += (int64_t)n;
		if (fwrite(buf, 1, n, out) != n)
			rc = -1;
	}
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	if (!out || ferror(in) || fflush(out) || fsync(fileno(out)))
		rc = -1;
	if (out && fclose(out))
		rc = -1;
	fclose(in);
	if (rc == 0 && (size != ph->size || strcmp(hex, ph->hash) != 0))
		rc = 2;
	if (rc == 0 && rename(tmp, dst) != 0)
		rc = -1;
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

char *sync_photo_store(struct ledger *l)
{
	size_t n = strlen(ledger_path(l)) + 8;
	char *p = xmalloc(n);

	snprintf(p, n, "%s.photos", ledger_path(l));
	if (mkdir(p, 0700) != 0 && errno != EEXIST)
		gw_fail(GW_ERR_IO, "%s: cannot create: %s", p, strerror(errno));
	return p;
}

int sync_photo_stored(const char *store, const struct photo *ph)
{
	char *file = sync_path_join(store, ph->hash), hex[SYNC_HASH_HEX];
	int64_t size;
	int ok = sync_hash_file(file, hex, &size) == 0 && size == ph->size &&
		 strcmp(hex, ph->hash) == 0;

	free(file);
	return ok;
}

void sync_photo_problem(struct sync_photo_problems *p, const char *name, const char *what)
{
	size_t len = strlen(p->list);

	p->n++;
	if (len + 1 < sizeof p->list)
		snprintf(p->list + len, sizeof p->list - len, "%s%s (%s)", len ? ", " : "", name,
			 what);
}
