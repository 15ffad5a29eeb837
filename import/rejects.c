/* The file of rejected rows (see rejects.h). */
#include "rejects.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/text.h"
#include "core/util.h"

struct rejects {
	FILE *f;
	char *path, *tmp;
};

struct rejects *rejects_open(const char *path)
{
	struct rejects *rj = xcalloc(1, sizeof *rj);
	int fd = gw_tmp_beside(path, &rj->tmp);

	if (fd < 0) {
		free(rj);
		return NULL;
	}
	fchmod(fd, 0644);
	rj->f = fdopen(fd, "w");
	if (!rj->f) {
		gw_fail(GW_ERR_IO, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(rj->tmp);
		free(rj->tmp);
		free(rj);
		return NULL;
	}
	rj->path = xstrdup(path);
	fputs("\xEF\xBB\xBF", rj->f);
	return rj;
}

/* One field, quoted when it holds a comma, a quote, a line break or surrounding
 * spaces; invalid UTF-8 (0xFF from a bad GB18030 sequence) becomes U+FFFD. */
static void put_field(FILE *f, const char *s, size_t n)
{
	int quote = n && (s[0] == ' ' || s[n - 1] == ' ');
	size_t i = 0, k;
	uint32_t cp;

	for (size_t j = 0; j < n && !quote; j++)
		quote = s[j] == ',' || s[j] == '"' || s[j] == '\n' || s[j] == '\r';
	if (quote)
		putc('"', f);
	while (i < n) {
		k = text_decode(s + i, n - i, &cp);
		if (!k) {
			fputs("\xEF\xBF\xBD", f);
			i++;
			continue;
		}
		if (s[i] == '"')
			putc('"', f);
		fwrite(s + i, 1, k, f);
		i += k;
	}
	if (quote)
		putc('"', f);
}

static void put_record(FILE *f, const struct csv_record *r, long ncols)
{
	long n = r->nfields > ncols ? r->nfields : ncols;

	for (long i = 0; i < n; i++) {
		if (i)
			putc(',', f);
		if (i < r->nfields)
			put_field(f, r->field[i], r->len[i]);
	}
}

int rejects_header(struct rejects *rj, const struct csv_record *r, const char *reason_col)
{
	put_record(rj->f, r, r->nfields);
	putc(',', rj->f);
	put_field(rj->f, reason_col, strlen(reason_col));
	fputs("\r\n", rj->f);
	return ferror(rj->f) ? gw_fail(GW_ERR_IO, "%s: %s", rj->path, strerror(errno)) : 0;
}

int rejects_row(struct rejects *rj, const struct csv_record *r, long ncols, const char *reason)
{
	put_record(rj->f, r, ncols);
	putc(',', rj->f);
	put_field(rj->f, reason, strlen(reason));
	fputs("\r\n", rj->f);
	return ferror(rj->f) ? gw_fail(GW_ERR_IO, "%s: %s", rj->path, strerror(errno)) : 0;
}

int rejects_close(struct rejects *rj, int keep)
{
	int rc = 0;

	if (!rj)
		return 0;
	if (fflush(rj->f) != 0 || ferror(rj->f) || fsync(fileno(rj->f)) != 0)
		rc = -1;
	if (fclose(rj->f) != 0)
		rc = -1;
	if (keep && !rc && rename(rj->tmp, rj->path) != 0)
		rc = -1;
	if (rc)
		gw_fail(GW_ERR_IO, "%s: cannot write: %s", rj->path, strerror(errno));
	if (rc || !keep)
		unlink(rj->tmp);
	free(rj->tmp);
	free(rj->path);
	free(rj);
	return rc;
}
