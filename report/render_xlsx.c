/* XLSX: a real workbook (libxlsxwriter, loaded on first use: xlsx_lib.h), one
 * worksheet per table. Numbers are numbers, rates are percentages (0.0%), money is
 * yuan (0.00); strings are always written as strings, with the same apostrophe as CSV
 * before a formula-like start. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/text.h"
#include "core/i18n.h"
#include "core/util.h"
#include "report/table.h"
#include "report/xlsx_lib.h"

#define XLSX_HEAD_ROW 2 /* rows 0-1: title and note; 2: header; data below, frozen */
#define XLSX_MAX_WIDTH 60
#define CELL_BUF 4096

static const struct xlsx_lib *xl; /* set by render_xlsx() before any other call */

struct xfmt {
	lxw_format *title, *head, *pct, *money, *bold, *bold_pct, *bold_money;
};

static void make_formats(lxw_workbook *wb, struct xfmt *x)
{
	x->title = xl->workbook_add_format(wb);
	xl->format_set_bold(x->title);
	xl->format_set_font_size(x->title, 14);
	x->head = xl->workbook_add_format(wb);
	xl->format_set_bold(x->head);
	xl->format_set_bg_color(x->head, 0xDDEBF7);
	xl->format_set_border(x->head, LXW_BORDER_THIN);
	xl->format_set_text_wrap(x->head);
	x->pct = xl->workbook_add_format(wb);
	xl->format_set_num_format(x->pct, "0.0%");
	x->money = xl->workbook_add_format(wb);
	xl->format_set_num_format(x->money, "0.00");
	x->bold = xl->workbook_add_format(wb);
	xl->format_set_bold(x->bold);
	x->bold_pct = xl->workbook_add_format(wb);
	xl->format_set_bold(x->bold_pct);
	xl->format_set_num_format(x->bold_pct, "0.0%");
	x->bold_money = xl->workbook_add_format(wb);
	xl->format_set_bold(x->bold_money);
	xl->format_set_num_format(x->bold_money, "0.00");
}

/* "1 title" cut to Excel's 31 characters, without the characters it forbids. */
static void sheet_name(size_t i, const char *title, char *out, size_t outsz)
{
	char raw[256];
	size_t len = 0, chars = 0;
	uint32_t cp;

	snprintf(raw, sizeof raw, "%zu %s", i + 1, title);
	for (const char *p = raw; *p && chars < 31;) {
		size_t k = text_decode(p, strlen(p), &cp);
		if (!k)
			break;
		if (!strchr("[]:*?/\\'", *p) && len + k < outsz) {
			memcpy(out + len, p, k);
			len += k;
			chars++;
		}
		p += k;
	}
	out[len] = '\0';
}

static void put_string(lxw_worksheet *ws, int row, int col, const char *s, lxw_format *f)
{
	char clean[CELL_BUF + 1];

	if (rcell_formula_like(s)) {
		clean[0] = '\'';
		gw_strlcpy(clean + 1, s, sizeof clean - 1);
		s = clean;
	}
	xl->worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, s, f);
}

static void put_cell(lxw_worksheet *ws, int row, int col, const struct rcell *c, enum rtype type,
		     const struct xfmt *x, int bold)
{
	lxw_row_t r = (lxw_row_t)row;
	lxw_col_t k = (lxw_col_t)col;

	if (c->null) {
		xl->worksheet_write_blank(ws, r, k, bold ? x->bold : NULL);
		return;
	}
	switch (type) {
	case RT_TEXT:
	case RT_ID:
		put_string(ws, row, col, c->s ? c->s : "", bold ? x->bold : NULL);
		break;
	case RT_INT:
		xl->worksheet_write_number(ws, r, k, (double)c->i, bold ? x->bold : NULL);
		break;
	case RT_PERCENT:
		/* the rounded value the other formats show: 0.813 for 81.3% */
		xl->worksheet_write_number(ws, r, k, (double)c->i / 1000.0,
				       bold ? x->bold_pct : x->pct);
		break;
	case RT_MONEY:
		xl->worksheet_write_number(ws, r, k, (double)c->i / 100.0,
				       bold ? x->bold_money : x->money);
		break;
	}
}

static void set_widths(lxw_worksheet *ws, const struct rtable *t)
{
	char buf[CELL_BUF];

	for (int c = 0; c < t->ncols; c++) {
		int w = text_width(t->cols[c].head);
		for (size_t r = 0; r < t->nrows; r++) {
			rcell_format(rtable_cell(t, r, c), t->cols[c].type, buf, sizeof buf);
			if (text_width(buf) > w)
				w = text_width(buf);
		}
		w += 2;
		xl->worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
				     w > XLSX_MAX_WIDTH ? XLSX_MAX_WIDTH : w, NULL);
	}
}

static void put_sheet(lxw_workbook *wb, const struct report *rep, size_t i, const struct xfmt *x)
{
	const struct rtable *t = rep->tables[i];
	char name[128], line[1024];
	lxw_worksheet *ws;

	sheet_name(i, t->title, name, sizeof name);
	ws = xl->workbook_add_worksheet(wb, name);
	snprintf(line, sizeof line, "%s — %s", rep->title, t->title);
	put_string(ws, 0, 0, line, x->title);
	snprintf(line, sizeof line, "%s%s%s", rep->subtitle, t->note ? "; " : "",
		 t->note ? t->note : "");
	put_string(ws, 1, 0, line, NULL);
	for (int c = 0; c < t->ncols; c++)
		put_string(ws, XLSX_HEAD_ROW, c, t->cols[c].head, x->head);
	for (size_t r = 0; r < t->nrows; r++)
		for (int c = 0; c < t->ncols; c++)
			put_cell(ws, XLSX_HEAD_ROW + 1 + (int)r, c, rtable_cell(t, r, c),
				 t->cols[c].type, x, t->flags[r] & RROW_TOTAL);
	set_widths(ws, t);
	xl->worksheet_freeze_panes(ws, XLSX_HEAD_ROW + 1, 0);
	xl->worksheet_set_landscape(ws);
	xl->worksheet_set_paper(ws, 9); /* A4 */
	xl->worksheet_fit_to_pages(ws, 1, 0);
}

/* libxlsxwriter prints its own "[ERROR]" lines to stderr when a write fails (a full
 * disk): close the workbook with stderr pointed at /dev/null so the user reads our one
 * line only. Returns its error; *sys gets errno as it was right after. */
static lxw_error close_quietly(lxw_workbook *wb, int *sys)
{
	int saved = dup(STDERR_FILENO), null = open("/dev/null", O_WRONLY);
	lxw_error err;

	fflush(stderr);
	if (saved >= 0 && null >= 0)
		dup2(null, STDERR_FILENO);
	errno = 0;
	err = xl->workbook_close(wb);
	*sys = errno;
	fflush(stderr);
	if (saved >= 0 && null >= 0)
		dup2(saved, STDERR_FILENO);
	if (saved >= 0)
		close(saved);
	if (null >= 0)
		close(null);
	return err;
}

/* On failure the message is the reason only: the caller names the file. */
int render_xlsx(const struct report *r, const char *path)
{
	lxw_workbook_options opts = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
	lxw_doc_properties props = {.title = r->title, .subject = r->subtitle,
				    .author = "gaswalk"};
	lxw_workbook *wb;
	struct xfmt x;
	lxw_error err;
	int sys;

	xl = xlsx_lib_load();
	if (!xl)
		return -1;
	wb = xl->workbook_new_opt(path, &opts);
	if (!wb)
		return gw_fail(GW_ERR_IO, _("cannot create the workbook"));
	make_formats(wb, &x);
	xl->workbook_set_properties(wb, &props);
	for (size_t i = 0; i < r->ntables; i++)
		put_sheet(wb, r, i, &x);
	err = close_quietly(wb, &sys);
	if (err != LXW_NO_ERROR)
		return gw_fail(GW_ERR_IO, "%s", sys ? strerror(sys) : xl->lxw_strerror(err));
	return 0;
}
