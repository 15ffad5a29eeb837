/* util: allocation that never fails, the error status of the last call, die(). */
#ifndef GW_UTIL_H
#define GW_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define GW_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Recoverable failures: one code per kind, its message from one X-macro. */
#define GW_STATUS_LIST(X)                                        \
	X(GW_OK, "ok")                                           \
	X(GW_ERR_USAGE, "wrong usage")                           \
	X(GW_ERR_INPUT, "bad input")                             \
	X(GW_ERR_NOTFOUND, "not found")                          \
	X(GW_ERR_DB, "ledger error")                             \
	X(GW_ERR_IO, "input/output error")                       \
	X(GW_ERR_NEWER, "ledger made by a newer gaswalk")        \
	X(GW_ERR_REJECTED, "rejected")

enum gw_status {
#define GW_STATUS_ENUM(name, msg) name,
	GW_STATUS_LIST(GW_STATUS_ENUM)
#undef GW_STATUS_ENUM
};

const char *gw_status_msg(enum gw_status st);

/* Records the last failure (one line) and returns -1, so callers can
 * "return gw_fail(GW_ERR_INPUT, ...)". */
int gw_fail(enum gw_status st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *gw_error(void);
enum gw_status gw_last_status(void);
void gw_clear_error(void);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* The absolute form of an existing path (malloc'd); a copy of it as given when it does
 * not resolve. Folders remembered in a ledger stay right from any working directory. */
char *gw_abspath(const char *path);
char *xstrndup(const char *s, size_t n);

/* Copies at most size-1 bytes and always terminates; returns strlen(src). */
size_t gw_strlcpy(char *dst, const char *src, size_t size);

/* Called by die() before it prints, so a curses screen can be restored. */
void gw_set_die_hook(void (*hook)(void));
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Creates "PATH.tmpXXXXXX" beside path (mode 0600) for a write-then-rename; returns
 * its descriptor and sets *tmp (free it), or -1 with the failure recorded. */
int gw_tmp_beside(const char *path, char **tmp);

/* Writes data to path through a temporary file in the same folder, fsynced and renamed. */
int gw_write_file_atomic(const char *path, const void *data, size_t len);

/* Seconds since the epoch. Only the test build (test-bin/gaswalk, -DGW_TEST_CLOCK) takes
 * GASWALK_NOW (epoch seconds) instead, and stops on a value it cannot read. */
int64_t gw_now(void);
/* The test build's idle-lock time in seconds (GASWALK_IDLE_SECONDS); 0 in the
 * installed binary, which has no such override. */
long gw_test_idle_seconds(void);
/* The test build's file for a report's traced statements (GASWALK_TRACE_SQL, used by the
 * report benchmark); NULL in the installed binary: statements carry residents' names and
 * phones with their bound values, and no environment variable may send them to a file. */
const char *gw_test_trace_path(void);

#endif
