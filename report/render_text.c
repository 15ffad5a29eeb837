/* Text: aligned tables for a terminal, wide (CJK) characters counted as two columns. */
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/i18n.h"
#include "core/util.h"
#include "report/table.h"

#define TEXT_MAX_COL 40 /* a text column wider than this is cut with "…" */
#define CELL_BUF 1024

static int cell_width(const struct rtable *t, size_t row, int col)
{
	char buf[CELL_BUF];

	rcell_format(rtable_cell(t, row, col), t->cols[col].type, buf, sizeof buf);
	return text_width(buf);
}

/* The width of each column: its widest cell or header, text capped at TEXT_MAX_COL. */
static int *column_widths(const struct rtable *t)
{
	int *w = xcalloc((size_t)t->ncols + 1, sizeof *w);

	for (int c = 0; c < t->ncols; c++) {
		w[c] = text_width(t->cols[c].head);
		for (size_t r = 0; r < t->nrows; r++) {
			int cw = cell_width(t, r, c);
			if (cw > w[c])
				w[c] = cw;
		}
		if (w[c] > TEXT_MAX_COL)
			w[c] = TEXT_MAX_COL;
	}
	return w;
}

/* Writes s in exactly w columns, right-aligned for numbers. */
static void put_cell(FILE *f, const char *s, int w, int right, int last)
{
	char buf[CELL_BUF * 2];
	int pad;

	text_fit(s, w, 0, buf, sizeof buf);
	pad = w - text_width(buf);
	if (right)
		fprintf(f, "%*s%s", pad, "", buf);
	else if (last)
		fputs(buf, f);
	else
		fprintf(f, "%s%*s", buf, pad, "");
	if (!last)
		fputs("  ", f);
}

static void put_rule(FILE *f, const int *w, int ncols)
{
	for (int c = 0; c < ncols; c++) {
		for (int k = 0; k < w[c]; k++)
			fputc('-', f);
		if (c + 1 < ncols)
			fputs("  ", f);
	}
	fputc('\n', f);
}

static void put_table(FILE *f, const struct rtable *t)
{
	int *w = column_widths(t);
	char buf[CELL_BUF];

	text_clean(t->title, buf, sizeof buf);
	fprintf(f, "\n%s\n", buf);
	if (t->note) {
		text_clean(t->note, buf, sizeof buf);
		fprintf(f, "%s\n", buf);
	}
	for (int c = 0; c < t->ncols; c++)
		put_cell(f, t->cols[c].head, w[c], !rtype_is_text(t->cols[c].type), c + 1 == t->ncols);
	fputc('\n', f);
	put_rule(f, w, t->ncols);
	for (size_t r = 0; r < t->nrows; r++) {
		for (int c = 0; c < t->ncols; c++) {
			rcell_format(rtable_cell(t, r, c), t->cols[c].type, buf, sizeof buf);
			put_cell(f, buf, w[c], !rtype_is_text(t->cols[c].type), c + 1 == t->ncols);
		}
		fputc('\n', f);
	}
	free(w);
}

int render_text(const struct report *r, FILE *f)
{
	char buf[CELL_BUF];

	text_clean(r->title, buf, sizeof buf);
	fprintf(f, "%s\n", buf);
	if (*r->subtitle) {
		text_clean(r->subtitle, buf, sizeof buf);
		fprintf(f, "%s\n", buf);
	}
	for (size_t i = 0; i < r->ntables; i++)
		put_table(f, r->tables[i]);
	return ferror(f) ? gw_fail(GW_ERR_IO, _("write failed")) : 0;
}
