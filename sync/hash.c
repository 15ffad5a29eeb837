#include "hash.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"

static void to_hex(const unsigned char *h, char hex[SYNC_HASH_HEX])
{
	sodium_bin2hex(hex, SYNC_HASH_HEX, h, 32);
}

int sync_hash_file(const char *path, char hex[SYNC_HASH_HEX], int64_t *size)
{
	crypto_generichash_state st;
	unsigned char buf[16384], h[32];
	/* no link followed, never blocking on a FIFO, regular files only */
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	struct stat sb;
	ssize_t n;
	int64_t total = 0;

	if (fd < 0)
		return gw_fail(GW_ERR_IO, _("%s: cannot read: %s"), path, strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return gw_fail(GW_ERR_IO, "%s: not a regular file", path);
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		crypto_generichash_update(&st, buf, (size_t)n);
		total += (int64_t)n;
	}
	if (n < 0) {
		int e = errno;
		close(fd);
		return gw_fail(GW_ERR_IO, "%s: read error: %s", path, strerror(e));
	}
	close(fd);
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
