#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char last_error[512];
static enum gw_status last_status;
static void (*die_hook)(void);

static const char *const status_msgs[] = {
#define GW_STATUS_MSG(name, msg) msg,
	GW_STATUS_LIST(GW_STATUS_MSG)
#undef GW_STATUS_MSG
};

const char *gw_status_msg(enum gw_status st)
{
	if ((size_t)st >= GW_ARRAY_LEN(status_msgs))
		return "unknown error";
	return status_msgs[st];
}

int gw_fail(enum gw_status st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof last_error, fmt, ap);
	va_end(ap);
	last_status = st;
	return -1;
}

const char *gw_error(void)
{
	return last_error[0] ? last_error : gw_status_msg(last_status);
}

enum gw_status gw_last_status(void)
{
	return last_status;
}

void gw_clear_error(void)
{
	last_error[0] = '\0';
	last_status = GW_OK;
}

void gw_set_die_hook(void (*hook)(void))
{
	die_hook = hook;
}

_Noreturn void die(const char *fmt, ...)
{
	va_list ap;

	if (die_hook)
		die_hook();
	fputs("gaswalk: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory (%zu bytes)", n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die("out of memory");
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		die("out of memory (%zu bytes)", n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *gw_abspath(const char *path)
{
	char *abs = realpath(path, NULL);

	return abs ? abs : xstrdup(path);
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

size_t gw_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int gw_tmp_beside(const char *path, char **tmp)
{
	size_t n = strlen(path) + 16;
	int fd;

	*tmp = xmalloc(n);
	snprintf(*tmp, n, "%s.tmpXXXXXX", path);
	fd = mkstemp(*tmp);
	if (fd < 0) {
		gw_fail(GW_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
		free(*tmp);
		*tmp = NULL;
	}
	return fd;
}

int gw_write_file_atomic(const char *path, const void *data, size_t len)
{
	char *tmp;
	int fd = gw_tmp_beside(path, &tmp), rc = -1;

	if (fd < 0)
		return -1;
	if (write_all(fd, data, len) == 0 && fsync(fd) == 0) {
		if (close(fd) == 0 && rename(tmp, path) == 0)
			rc = 0;
		fd = -1;
	}
	if (rc != 0) {
		gw_fail(GW_ERR_IO, "%s: cannot write: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(tmp);
	}
	free(tmp);
	return rc;
}

#ifdef GW_TEST_CLOCK
/* The test clock: only the binary the tests run ($(BUILD)/test-bin/gaswalk, built with
 * -DGW_TEST_CLOCK) reads GASWALK_NOW, and a value that is not a whole number of
 * seconds since 1970 stops it rather than being read as 0. The installed gaswalk has
 * no clock override at all. */
static int64_t test_clock(const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v <= 0)
		die("GASWALK_NOW='%.40s': not a time in seconds since 1970; refused", s);
	return (int64_t)v;
}
#endif

long gw_test_idle_seconds(void)
{
#ifdef GW_TEST_CLOCK
	const char *s = getenv("GASWALK_IDLE_SECONDS");

	if (s && *s)
		return test_clock(s) > 0 ? (long)test_clock(s) : 0;
#endif
	return 0;
}

const char *gw_test_trace_path(void)
{
#ifdef GW_TEST_CLOCK
	const char *s = getenv("GASWALK_TRACE_SQL");

	if (s && *s)
		return s;
#endif
	return NULL;
}

int64_t gw_now(void)
{
#ifdef GW_TEST_CLOCK
	const char *s = getenv("GASWALK_NOW");

	if (s && *s)
		return test_clock(s);
#endif
	return (int64_t)time(NULL);
}
