#include "photo.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/settings.h"
#include "core/util.h"
#include "sync/hash.h"

char *sync_path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = xmalloc(n);

	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

int sync_open_regular(const char *path, int64_t max, int64_t *size, const char **why)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	struct stat st;

	if (fd < 0) {
		*why = errno == ELOOP || errno == ENXIO ? "not a regular file" : "missing";
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		*why = "not a regular file";
		return -1;
	}
	if (max > 0 && st.st_size > max) {
		close(fd);
		*why = "larger than the limit";
		return -1;
	}
	/* a regular file: reads block as usual from here on */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	*size = (int64_t)st.st_size;
	return fd;
}

int64_t sync_photo_max(struct ledger *l)
{
	return (int64_t)settings_get_int(l, "photo_max_mb") * 1024 * 1024;
}

/* Copies what fd holds (at most max bytes: a file that grows is cut) to out, hashing it. */
static int copy_hashed(int fd, FILE *out, int64_t max, char hex[SYNC_HASH_HEX], int64_t *size)
{
	crypto_generichash_state st;
	unsigned char h[32], buf[65536];
	ssize_t n;
	int rc = 0;

	*size = 0;
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		crypto_generichash_update(&st, buf, (size_t)n);
		*size += n;
		if (max > 0 && *size > max)
			return 4;
		if (out && fwrite(buf, 1, (size_t)n, out) != (size_t)n)
			rc = -1;
	}
	if (n < 0)
		rc = -1;
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(hex, SYNC_HASH_HEX, h, sizeof h);
	return rc;
}

int sync_photo_copy(const char *src, const char *dst, const struct photo *ph, int64_t max)
{
	const char *why = "";
	int64_t size;
	int fd = sync_open_regular(src, max, &size, &why), rc;
	size_t tmp_len = strlen(dst) + 3;
	char *tmp, hex[SYNC_HASH_HEX];
	FILE *out;

	if (fd < 0)
		return strcmp(why, "missing") == 0 ? 1 : why[0] == 'n' ? 3 : 4;
	if (size != ph->size) { /* not the photo recorded: nothing to read */
		close(fd);
		return 2;
	}
	tmp = xmalloc(tmp_len);
	snprintf(tmp, tmp_len, "%s.~", dst); /* same folder, so rename is atomic */
	out = fopen(tmp, "wb");
	rc = out ? copy_hashed(fd, out, max, hex, &size) : -1;
	close(fd);
	if (out && (ferror(out) || fflush(out) || fsync(fileno(out))) && rc == 0)
		rc = -1;
	if (out && fclose(out) && rc == 0)
		rc = -1;
	if (rc == 0 && (size != ph->size || strcmp(hex, ph->hash) != 0))
		rc = 2;
	if (rc == 0 && rename(tmp, dst) != 0)
		rc = -1;
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

char *sync_camera_dir(struct ledger *l)
{
	char camera[1024];
	const char *slash = strrchr(ledger_path(l), '/');
	size_t n;
	char *p;

	if (ledger_meta(l, "camera_dir", camera, sizeof camera) == 1 ||
	    ledger_meta(l, "tui_camera", camera, sizeof camera) == 1)
		return xstrdup(camera);
	if (!slash)
		return xstrdup("camera");
	n = (size_t)(slash - ledger_path(l)) + 8;
	p = xmalloc(n);
	snprintf(p, n, "%.*s/camera", (int)(slash - ledger_path(l)), ledger_path(l));
	return p;
}

int sync_photo_matches(const char *path, const struct photo *ph)
{
	const char *why = "";
	char hex[SYNC_HASH_HEX];
	int64_t size;
	int fd = sync_open_regular(path, 0, &size, &why), rc, err;

	if (fd < 0)
		return strcmp(why, "missing") == 0 && errno != ENOENT ? -1 : 0;
	if (size != ph->size) {
		close(fd);
		return 0;
	}
	rc = copy_hashed(fd, NULL, 0, hex, &size);
	err = errno;
	close(fd);
	errno = err;
	if (rc != 0)
		return -1;
	return size == ph->size && strcmp(hex, ph->hash) == 0;
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
	char *file = sync_path_join(store, ph->hash);
	struct stat st;
	int ok = lstat(file, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == ph->size;

	free(file);
	return ok;
}

void sync_photo_problem(struct sync_photo_problems *p, const char *name, const char *what)
{
	size_t len = strlen(p->list);

	p->n++;
	if (len + 1 < sizeof p->list)
		snprintf(p->list + len, sizeof p->list - len, "%s%s (%s)", len ? ", " : "", name,
			 _(what));
}
