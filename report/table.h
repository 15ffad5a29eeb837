/* table: what a report computes, once, before any format sees it.
 *
 * A report is a title and one or more tables; a table has typed columns and rows
 * of cells. The four renderers (render_*.c) only turn this model into bytes, so a
 * number is the same in every format by construction. */
#ifndef GW_REPORT_TABLE_H
#define GW_REPORT_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum rtype {
	RT_TEXT,    /* s */
	RT_INT,     /* i */
	RT_PERCENT, /* i, tenths of a percent rounded half up (813: 81.3%); f = i / 1000 */
	RT_MONEY,   /* i, in fen (1/100 yuan) */
	RT_ID,      /* s, an identifier (account, phone, serial): text a spreadsheet must
		     * not turn into a number; CSV writes it as ="..." */
};

struct rcell {
	char *s;
	int64_t i;
	double f;
	int null; /* no value (a rate over nothing): an empty cell */
};

struct rcolumn {
	char *head;
	enum rtype type;
};

/* Charts drawn by the HTML renderer. */
enum rchart_kind { RCHART_NONE, RCHART_BAR, RCHART_STACK };
#define RCHART_MAX_SERIES 6

struct rchart {
	enum rchart_kind kind;
	int label_col;                        /* the bar's label */
	int value_cols[RCHART_MAX_SERIES];    /* BAR: one percent column; STACK: int columns */
	int nvalues;
	char *title;
};

#define RROW_NOCHART 1 /* a detail or total row the chart leaves out */
#define RROW_TOTAL 2   /* a total row (bold in HTML and XLSX) */

struct rarena; /* the table's strings, in large blocks (table.c) */

struct rtable {
	char *title;
	char *note;
	int ncols;
	struct rcolumn *cols;
	size_t nrows, cap;
	struct rcell *cells; /* nrows * ncols, row-major */
	unsigned char *flags; /* per row: RROW_* */
	int filled;           /* cells filled in the last row */
	struct rarena *arena; /* where the text cells' strings live */
	struct rchart chart;
};

struct report {
	char *title;
	char *subtitle; /* the as-of date and what it counts */
	size_t ntables;
	struct rtable **tables;
};

struct report *report_new(const char *title, const char *subtitle);
void report_free(struct report *r);
struct rtable *report_add_table(struct report *r, const char *title);
void rtable_note(struct rtable *t, const char *note);
void rtable_col(struct rtable *t, const char *head, enum rtype type);

/* A table's columns as data: headings marked N_() and translated here. */
struct rcol {
	const char *head;
	enum rtype type;
};
void rtable_cols(struct rtable *t, const struct rcol *cols, size_t n);

/* Starts a new row; the cells are then added left to right. */
void rtable_row(struct rtable *t);
void rtable_row_flags(struct rtable *t, unsigned flags); /* of the last row */
void rtable_text(struct rtable *t, const char *s);
void rtable_int(struct rtable *t, int64_t v);
void rtable_money(struct rtable *t, int64_t fen);
void rtable_id(struct rtable *t, const char *s);
/* num / den as a percentage, rounded half up (away from zero) to a tenth of a percent
 * from the exact fraction; an empty cell when den is 0. */
void rtable_rate(struct rtable *t, int64_t num, int64_t den);
void rtable_pct(struct rtable *t, double fraction);

/* num / den rounded half up (away from zero) to an integer, exactly; den > 0. */
int64_t rround_div(int64_t num, int64_t den);
void rtable_null(struct rtable *t);

const struct rcell *rtable_cell(const struct rtable *t, size_t row, int col);

/* A cell as text, the same in text, CSV and HTML: integers plain, money as yuan
 * with two decimals, percentages with one decimal and "%" (the rounded value the
 * cell holds), empty cells as "". */
void rcell_format(const struct rcell *c, enum rtype type, char *out, size_t outsz);

/* 1 for the column types that hold strings (text, identifiers). */
int rtype_is_text(enum rtype type);

/* 1 when a string cell would start a spreadsheet formula (= + - @ tab CR; a lone "-"
 * or "+" is none). */
int rcell_formula_like(const char *s);

/* Renderers. text/csv/html write to f; xlsx writes a workbook at path. */
int render_text(const struct report *r, FILE *f);
int render_csv(const struct report *r, FILE *f);
int render_html(const struct report *r, FILE *f);
int render_xlsx(const struct report *r, const char *path);

#endif
