/* Writing a rendered report: to stdout, or to a file through a temporary name,
 * fsynced and renamed, so a reader never sees half a report. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/util.h"
#include "report/output.h"
#include "report/xlsx_lib.h"

static int render_to(const struct report *r, enum report_format fmt, FILE *f)
{
	switch (fmt) {
	case RF_TEXT:
		return render_text(r, f);
	case RF_CSV:
		return render_csv(r, f);
	case RF_HTML:
		return render_html(r, f);
	default:
		return gw_fail(GW_ERR_USAGE, _(_("--format xlsx needs -o FILE")));
	}
}

/* To stdout: rendered straight into it (a failed write is reported at the end). */
static int write_stdout(const struct report *r, enum report_format fmt)
{
	int rc = render_to(r, fmt, stdout);

	if (fflush(stdout) != 0 && rc == 0)
		rc = gw_fail(GW_ERR_IO, _("stdout: %s"), strerror(errno));
	return rc;
}

/* To a file: rendered into a temporary file beside it, fsynced, renamed over it. */
static int write_file(const struct report *r, enum report_format fmt, const char *path)
{
	char *tmp;
	int fd = gw_tmp_beside(path, &tmp), rc;
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (!f) {
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
			free(tmp);
		}
		return fd < 0 ? -1 : gw_fail(GW_ERR_IO, _("%s: cannot write: %s"), path, strerror(errno));
	}
	errno = 0;
	rc = render_to(r, fmt, f);
	/* a full disk: name the file and the reason, not the renderer's "write failed" */
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0)
		rc = gw_fail(GW_ERR_IO, _("%s: cannot write: %s"), path, strerror(errno ? errno : EIO));
	if (fclose(f) != 0 && rc == 0)
		rc = gw_fail(GW_ERR_IO, _("%s: cannot write: %s"), path, strerror(errno));
	if (rc == 0 && rename(tmp, path) != 0)
		rc = gw_fail(GW_ERR_IO, _("%s: cannot write: %s"), path, strerror(errno));
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

static int write_stream(const struct report *r, enum report_format fmt, const char *path)
{
	return path ? write_file(r, fmt, path) : write_stdout(r, fmt);
}

static int fsync_path(const char *path)
{
	int fd = open(path, O_RDONLY);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* libxlsxwriter writes a whole file by name: write a temporary one, then rename it.
 * The library is loaded first, so that without it nothing at all is created. */
static int write_xlsx(const struct report *r, const char *path)
{
	char *tmp;
	int fd, rc = -1;

	if (!xlsx_lib_load())
		return -1;
	fd = gw_tmp_beside(path, &tmp);
	if (fd < 0)
		return -1;
	close(fd);
	if (render_xlsx(r, tmp) == 0) {
		if (fsync_path(tmp) == 0 && rename(tmp, path) == 0)
			rc = 0;
		else
			gw_fail(GW_ERR_IO, _("%s: cannot write: %s"), path, strerror(errno));
	} else {
		char why[256];

		gw_strlcpy(why, gw_error(), sizeof why); /* name the file asked for, not tmp */
		gw_fail(GW_ERR_IO, _("%s: cannot write: %s"), path, why);
	}
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

int report_format_parse(const char *s)
{
	static const char *const names[] = {"text", "csv", "xlsx", "html"};

	for (int i = 0; i < (int)GW_ARRAY_LEN(names); i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

int report_write(const struct report *r, enum report_format fmt, const char *path)
{
	if (fmt == RF_XLSX) {
		if (!path)
			return gw_fail(GW_ERR_USAGE, _("--format xlsx needs -o FILE"));
		return write_xlsx(r, path);
	}
	return write_stream(r, fmt, path);
}
