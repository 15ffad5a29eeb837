/* A small CSV table read whole: decode, parse, map the header, hand over rows. */
#include "cli/csvtab.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "import/csv.h"

struct tab {
	const char *path;
	char shown[200];
	const struct csvtab_col *cols;
	int ncols;
	int at[CSVTAB_COLS_MAX]; /* field index of each column, -1 absent */
	long nfields, rows;
	int header;
	csvtab_fn fn;
	void *ctx;
	char cells[CSVTAB_COLS_MAX][CSVTAB_CELL_MAX];
};

static int fail_at(struct tab *t, long line, const char *reason)
{
	return gw_fail(GW_ERR_INPUT, "%s:%ld: %s", t->shown, line, reason);
}

/* A cell without the spaces around it (ASCII, U+00A0, U+3000). */
static void trim(const char *s, size_t n, char *out, size_t sz)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n >= 3 && !memcmp(s, "\xe3\x80\x80", 3))
		s += 3, n -= 3;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	while (n >= 3 && !memcmp(s + n - 3, "\xe3\x80\x80", 3))
		n -= 3;
	while (n >= 2 && !memcmp(s + n - 2, "\xc2\xa0", 2))
		n -= 2;
	if (n >= sz)
		n = sz - 1;
	memcpy(out, s, n);
	out[n] = 0;
}

static int column_of(struct tab *t, const char *name)
{
	for (int c = 0; c < t->ncols; c++)
		if (strcmp(name, t->cols[c].zh) == 0 || strcasecmp(name, t->cols[c].en) == 0)
			return c;
	return -1;
}

static int read_header(struct tab *t, const struct csv_record *r)
{
	char name[CSVTAB_CELL_MAX], msg[600], shown[100];

	for (int c = 0; c < t->ncols; c++)
		t->at[c] = -1;
	for (int i = 0; i < r->nfields; i++) {
		int c;
		trim(r->field[i], r->len[i], name, sizeof name);
		if ((c = column_of(t, name)) < 0)
			continue; /* a column gaswalk does not keep */
		if (t->at[c] >= 0) {
			text_fit(name, 40, 0, shown, sizeof shown);
			snprintf(msg, sizeof msg, _("column %s appears twice"), shown);
			return fail_at(t, r->line, msg);
		}
		t->at[c] = i;
	}
	for (int c = 0; c < t->ncols; c++) {
		if (t->cols[c].required && t->at[c] < 0) {
			snprintf(msg, sizeof msg, _("no %s (%s) column in the header"), t->cols[c].zh,
				 t->cols[c].en);
			return fail_at(t, r->line, msg);
		}
	}
	t->nfields = r->nseen;
	t->header = 1;
	return 0;
}

static int is_blank(const struct csv_record *r)
{
	for (int i = 0; i < r->nfields; i++)
		if (r->len[i] && strspn(r->field[i], " \t\r") != r->len[i])
			return 0;
	return 1;
}

static int check_shape(struct tab *t, const struct csv_record *r)
{
	char msg[200];

	if (r->flags & CSV_UNTERMINATED)
		return fail_at(t, r->line, _("unterminated quoted field (the file ends inside quotes)"));
	if (r->flags & (CSV_NUL | CSV_CUT))
		return fail_at(t, r->line, _("bad field (NUL byte or too long)"));
	if (r->nseen != t->nfields) {
		snprintf(msg, sizeof msg, _("wrong number of fields: %ld (the header has %ld)"), r->nseen,
			 t->nfields);
		return fail_at(t, r->line, msg);
	}
	return 0;
}

static int on_record(void *ctx, const struct csv_record *r)
{
	struct tab *t = ctx;

	if (is_blank(r))
		return 0;
	if (!t->header)
		return read_header(t, r);
	if (check_shape(t, r))
		return -1;
	for (int c = 0; c < t->ncols; c++) {
		int i = t->at[c];
		t->cells[c][0] = 0;
		if (i < 0)
			continue;
		if (!text_valid_utf8(r->field[i], r->len[i]))
			return fail_at(t, r->line, _("bad encoding (not valid UTF-8 or GB18030)"));
		if (r->len[i] >= CSVTAB_CELL_MAX)
			return fail_at(t, r->line, _("field too long"));
		trim(r->field[i], r->len[i], t->cells[c], CSVTAB_CELL_MAX);
	}
	t->rows++;
	if (t->fn(t->ctx, r->line, t->cells)) {
		char reason[600];
		gw_strlcpy(reason, gw_error(), sizeof reason);
		return fail_at(t, r->line, reason);
	}
	return 0;
}

static int on_decoded(void *ctx, const char *buf, size_t n)
{
	return csv_feed(ctx, buf, n);
}

static int feed(struct tab *t, int fd, struct decoder *dec, struct csv *p)
{
	char buf[65536];
	ssize_t n;
	int rc = 0;

	while (!rc && (n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return gw_fail(GW_ERR_IO, "%s: %s", t->shown, strerror(errno));
		rc = decoder_feed(dec, buf, (size_t)n, on_decoded, p);
	}
	if (!rc)
		rc = decoder_finish(dec, on_decoded, p);
	if (!rc)
		rc = csv_finish(p);
	return rc ? -1 : 0;
}

long csvtab_read(const char *path, enum enc enc, const struct csvtab_col *cols, int ncols,
		 csvtab_fn fn, void *ctx)
{
	struct tab *t = xcalloc(1, sizeof *t);
	struct decoder *dec = NULL;
	struct stat sb;
	struct csv *p;
	long rows = -1;
	int fd;

	*t = (struct tab){.path = path, .cols = cols, .ncols = ncols, .fn = fn, .ctx = ctx};
	text_fit(path, 80, 0, t->shown, sizeof t->shown);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		gw_fail(GW_ERR_INPUT, "%s: %s", t->shown, strerror(errno));
	} else if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		gw_fail(GW_ERR_INPUT, "%s: %s", t->shown, _("not a file"));
	} else if (decoder_new(enc, &dec) == 0) {
		p = csv_new(on_record, t);
		if (feed(t, fd, dec, p) == 0) {
			if (!t->header)
				gw_fail(GW_ERR_INPUT, "%s: %s", t->shown, _("empty file: no header line"));
			else
				rows = t->rows;
		}
		csv_free(p);
		decoder_free(dec);
	}
	if (fd >= 0)
		close(fd);
	free(t);
	return rows;
}
