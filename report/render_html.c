/* HTML: one self-contained page (no network, no external fonts or scripts), tables
 * plus inline SVG charts, printable on A4. Every data value is HTML-escaped. */
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "report/table.h"

#define CELL_BUF 4096
#define CHART_W 900
#define CHART_LABEL_W 170
#define CHART_BAR_H 18
#define CHART_GAP 6
#define CHART_TOP 30

/* The bar colour of the ranking chart, and the state colours of the stacked chart. */
static const char bar_colour[] = "#0066cc";
static const char *const stack_colours[RCHART_MAX_SERIES] = {"#2e9d4f", "#f0b400", "#d62728",
							     "#8c564b", "#6a3d9a", "#9e9e9e"};

static const char style[] =
	"<style>\n"
	"@page { size: A4; margin: 12mm; }\n"
	"body { font-family: 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei', "
	"sans-serif; font-size: 10pt; color: #222; margin: 16px; }\n"
	"h1 { font-size: 16pt; margin: 0 0 4px; } h2 { font-size: 12pt; margin: 18px 0 4px; }\n"
	".sub, .note { color: #555; margin: 2px 0; }\n"
	"table { border-collapse: collapse; margin: 6px 0; }\n"
	"th, td { border: 1px solid #bbb; padding: 2px 6px; }\n"
	"th { background: #ddebf7; } td.num { text-align: right; }\n"
	"tr.total td { font-weight: bold; }\n"
	"svg { display: block; margin: 6px 0; max-width: 100%; height: auto; }\n"
	"svg text { font-size: 12px; }\n"
	"@media print { body { margin: 0; } svg { break-inside: avoid; } "
	"h2, p.note { break-after: avoid; } "
	"thead { display: table-header-group; } tr { break-inside: avoid; } "
	"th { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }\n"
	"</style>\n";

static void put_escaped(FILE *f, const char *s)
{
	char clean[CELL_BUF];

	text_clean(s, clean, sizeof clean);
	for (const char *p = clean; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*p, f);
		}
	}
}

static int charted(const struct rtable *t, size_t r)
{
	return !(t->flags[r] & RROW_NOCHART);
}

static int chart_rows(const struct rtable *t)
{
	int n = 0;

	for (size_t r = 0; r < t->nrows; r++)
		n += charted(t, r);
	return n;
}

static void svg_open(FILE *f, const struct rtable *t, int rows, int legend)
{
	int h = CHART_TOP + rows * (CHART_BAR_H + CHART_GAP) + (legend ? 30 : 10);

	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		   "viewBox=\"0 0 %d %d\" role=\"img\"><title>", CHART_W, h, CHART_W, h);
	put_escaped(f, t->chart.title ? t->chart.title : t->title);
	fputs("</title>\n<text x=\"0\" y=\"16\" font-weight=\"bold\">", f);
	put_escaped(f, t->chart.title ? t->chart.title : t->title);
	fputs("</text>\n", f);
}

static void svg_label(FILE *f, int y, const char *label)
{
	char fit[256];

	text_fit(label, 22, 0, fit, sizeof fit);
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", CHART_LABEL_W - 6,
		y + CHART_BAR_H - 4);
	put_escaped(f, fit);
	fputs("</text>", f);
}

/* Horizontal bars of one percentage column, 0 to 100%. */
static void bar_chart(FILE *f, const struct rtable *t)
{
	int span = CHART_W - CHART_LABEL_W - 70, i = 0, vc = t->chart.value_cols[0];
	char buf[64];

	svg_open(f, t, chart_rows(t), 0);
	for (size_t r = 0; r < t->nrows; r++) {
		const struct rcell *c = rtable_cell(t, r, vc);
		int y = CHART_TOP + i * (CHART_BAR_H + CHART_GAP), w;
		if (!charted(t, r))
			continue;
		i++;
		svg_label(f, y, rtable_cell(t, r, t->chart.label_col)->s);
		w = c->null ? 0 : (int)(c->f * span + 0.5);
		fprintf(f, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
			   "fill=\"%s\"/>", CHART_LABEL_W, y, w, CHART_BAR_H, bar_colour);
		rcell_format(c, RT_PERCENT, buf, sizeof buf);
		fprintf(f, "<text x=\"%d\" y=\"%d\">%s</text>\n", CHART_LABEL_W + w + 4,
			y + CHART_BAR_H - 4, buf);
	}
	fputs("</svg>\n", f);
}

static int64_t row_sum(const struct rtable *t, size_t r)
{
	int64_t sum = 0;

	for (int k = 0; k < t->chart.nvalues; k++)
		sum += rtable_cell(t, r, t->chart.value_cols[k])->i;
	return sum;
}

static void stack_legend(FILE *f, const struct rtable *t, int y)
{
	int x = CHART_LABEL_W;

	for (int k = 0; k < t->chart.nvalues; k++) {
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
			   "<text x=\"%d\" y=\"%d\">", x, y, stack_colours[k], x + 16, y + 11);
		put_escaped(f, t->cols[t->chart.value_cols[k]].head);
		fputs("</text>\n", f);
		x += 16 + 12 * text_width(t->cols[t->chart.value_cols[k]].head) / 2 + 24;
	}
}

static void stack_row(FILE *f, const struct rtable *t, size_t r, int y, double scale)
{
	double x = CHART_LABEL_W;

	svg_label(f, y, rtable_cell(t, r, t->chart.label_col)->s);
	for (int k = 0; k < t->chart.nvalues; k++) {
		double w = (double)rtable_cell(t, r, t->chart.value_cols[k])->i * scale;
		if (w <= 0)
			continue;
		fprintf(f, "<rect class=\"seg\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
			   "fill=\"%s\"/>", x, y, w, CHART_BAR_H, stack_colours[k]);
		x += w;
	}
	fprintf(f, "<text x=\"%.1f\" y=\"%d\">%lld</text>\n", x + 4, y + CHART_BAR_H - 4,
		(long long)row_sum(t, r));
}

/* One bar per charted row, split by the value columns, scaled to the largest row. */
static void stack_chart(FILE *f, const struct rtable *t)
{
	int span = CHART_W - CHART_LABEL_W - 70, rows = chart_rows(t), i = 0;
	int64_t max = 1;

	for (size_t r = 0; r < t->nrows; r++)
		if (charted(t, r) && row_sum(t, r) > max)
			max = row_sum(t, r);
	svg_open(f, t, rows, 1);
	for (size_t r = 0; r < t->nrows; r++)
		if (charted(t, r))
			stack_row(f, t, r, CHART_TOP + i++ * (CHART_BAR_H + CHART_GAP),
				  (double)span / (double)max);
	stack_legend(f, t, CHART_TOP + rows * (CHART_BAR_H + CHART_GAP) + 6);
	fputs("</svg>\n", f);
}

static void put_rows(FILE *f, const struct rtable *t)
{
	char buf[CELL_BUF];

	for (size_t r = 0; r < t->nrows; r++) {
		fputs(t->flags[r] & RROW_TOTAL ? "<tr class=\"total\">" : "<tr>", f);
		for (int c = 0; c < t->ncols; c++) {
			rcell_format(rtable_cell(t, r, c), t->cols[c].type, buf, sizeof buf);
			fputs(rtype_is_text(t->cols[c].type) ? "<td>" : "<td class=\"num\">", f);
			put_escaped(f, buf);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
}

static void put_table(FILE *f, const struct rtable *t)
{
	fputs("<section>\n<h2>", f);
	put_escaped(f, t->title);
	fputs("</h2>\n", f);
	if (t->note) {
		fputs("<p class=\"note\">", f);
		put_escaped(f, t->note);
		fputs("</p>\n", f);
	}
	if (t->chart.kind == RCHART_BAR && chart_rows(t))
		bar_chart(f, t);
	else if (t->chart.kind == RCHART_STACK && chart_rows(t))
		stack_chart(f, t);
	fputs("<table>\n<thead><tr>", f);
	for (int c = 0; c < t->ncols; c++) {
		fputs("<th>", f);
		put_escaped(f, t->cols[c].head);
		fputs("</th>", f);
	}
	fputs("</tr></thead>\n<tbody>\n", f);
	put_rows(f, t);
	fputs("</tbody>\n</table>\n</section>\n", f);
}

int render_html(const struct report *r, FILE *f)
{
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		   "<title>", i18n_is_zh() ? "zh-CN" : "en");
	put_escaped(f, r->title);
	fprintf(f, "</title>\n%s</head>\n<body>\n<h1>", style);
	put_escaped(f, r->title);
	fputs("</h1>\n<p class=\"sub\">", f);
	put_escaped(f, r->subtitle);
	fputs("</p>\n", f);
	for (size_t i = 0; i < r->ntables; i++)
		put_table(f, r->tables[i]);
	fputs("</body>\n</html>\n", f);
	return ferror(f) ? gw_fail(GW_ERR_IO, _("write failed")) : 0;
}
