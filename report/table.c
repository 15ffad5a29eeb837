/* The report model: typed columns, rows of cells, built once per report. */
#include "table.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"

struct report *report_new(const char *title, const char *subtitle)
{
	struct report *r = xcalloc(1, sizeof *r);

	r->title = xstrdup(title);
	r->subtitle = xstrdup(subtitle ? subtitle : "");
	return r;
}

/* The strings of a table's cells, copied into blocks of 64 KiB that are freed with the
 * table: a report can hold a million of them. */
#define ARENA_BLOCK 65536

struct rarena {
	struct rarena *next;
	size_t used, cap;
	char data[];
};

static char *arena_strdup(struct rtable *t, const char *s)
{
	size_t n = strlen(s) + 1;
	struct rarena *a = t->arena;
	char *p;

	if (!a || a->cap - a->used < n) {
		size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		a = xmalloc(sizeof *a + cap);
		a->next = t->arena;
		a->used = 0;
		a->cap = cap;
		t->arena = a;
	}
	p = a->data + a->used;
	memcpy(p, s, n);
	a->used += n;
	return p;
}

static void table_free(struct rtable *t)
{
	while (t->arena) {
		struct rarena *next = t->arena->next;
		free(t->arena);
		t->arena = next;
	}
	for (int c = 0; c < t->ncols; c++)
		free(t->cols[c].head);
	free(t->cells);
	free(t->flags);
	free(t->cols);
	free(t->title);
	free(t->note);
	free(t->chart.title);
	free(t);
}

void report_free(struct report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->ntables; i++)
		table_free(r->tables[i]);
	free(r->tables);
	free(r->title);
	free(r->subtitle);
	free(r);
}

struct rtable *report_add_table(struct report *r, const char *title)
{
	struct rtable *t = xcalloc(1, sizeof *t);

	t->title = xstrdup(title);
	r->tables = xrealloc(r->tables, (r->ntables + 1) * sizeof(struct rtable *));
	r->tables[r->ntables++] = t;
	return t;
}

void rtable_note(struct rtable *t, const char *note)
{
	free(t->note);
	t->note = xstrdup(note);
}

void rtable_col(struct rtable *t, const char *head, enum rtype type)
{
	if (t->nrows)
		die("rtable_col after the first row");
	t->cols = xrealloc(t->cols, (size_t)(t->ncols + 1) * sizeof *t->cols);
	t->cols[t->ncols].head = xstrdup(head);
	t->cols[t->ncols++].type = type;
}

void rtable_cols(struct rtable *t, const struct rcol *cols, size_t n)
{
	for (size_t i = 0; i < n; i++)
		rtable_col(t, _(cols[i].head), cols[i].type);
}

void rtable_row(struct rtable *t)
{
	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->cells = xrealloc(t->cells, t->cap * (size_t)t->ncols * sizeof *t->cells);
		t->flags = xrealloc(t->flags, t->cap);
	}
	t->flags[t->nrows] = 0;
	memset(&t->cells[t->nrows * (size_t)t->ncols], 0, (size_t)t->ncols * sizeof *t->cells);
	t->nrows++;
	t->filled = 0;
}

void rtable_row_flags(struct rtable *t, unsigned flags)
{
	if (t->nrows)
		t->flags[t->nrows - 1] = (unsigned char)flags;
}

static struct rcell *next_cell(struct rtable *t)
{
	if (!t->nrows || t->filled >= t->ncols)
		die("report table: more cells than columns");
	return &t->cells[(t->nrows - 1) * (size_t)t->ncols + (size_t)t->filled++];
}

void rtable_text(struct rtable *t, const char *s)
{
	struct rcell *c = next_cell(t);

	c->s = arena_strdup(t, s ? s : "");
}

void rtable_int(struct rtable *t, int64_t v)
{
	next_cell(t)->i = v;
}

void rtable_money(struct rtable *t, int64_t fen)
{
	next_cell(t)->i = fen;
}

void rtable_id(struct rtable *t, const char *s)
{
	rtable_text(t, s);
}

int64_t rround_div(int64_t num, int64_t den)
{
	int neg = (num < 0) != (den < 0);
	uint64_t n = num < 0 ? (uint64_t)0 - (uint64_t)num : (uint64_t)num;
	uint64_t d = den < 0 ? (uint64_t)0 - (uint64_t)den : (uint64_t)den;
	uint64_t q;

	if (d == 0)
		return 0; /* no quotient: callers never divide by nothing */
	q = n / d + (n % d >= d - n % d); /* remainder >= half: up */
	return neg ? -(int64_t)q : (int64_t)q;
}

static void set_permille(struct rcell *c, int64_t permille)
{
	c->i = permille;
	c->f = (double)permille / 1000.0;
}

void rtable_pct(struct rtable *t, double fraction)
{
	set_permille(next_cell(t), (int64_t)llround(fraction * 1000.0));
}

void rtable_rate(struct rtable *t, int64_t num, int64_t den)
{
	struct rcell *c = next_cell(t);

	if (den == 0)
		c->null = 1;
	else
		set_permille(c, rround_div(num * 1000, den));
}

void rtable_null(struct rtable *t)
{
	next_cell(t)->null = 1;
}

const struct rcell *rtable_cell(const struct rtable *t, size_t row, int col)
{
	return &t->cells[row * (size_t)t->ncols + (size_t)col];
}

/* A number of `point` decimals (0: an integer) then `suffix`, e.g. 8125, 2, "" ->
 * "81.25"; written by hand because reports format hundreds of thousands of them. */
static void format_fixed(int64_t v, int point, const char *suffix, char *out, size_t outsz)
{
	char digits[24], buf[48];
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	int n = 0, k = 0;

	do {
		digits[n++] = (char)('0' + a % 10);
		a /= 10;
	} while (a || n <= point);
	if (v < 0)
		buf[k++] = '-';
	while (n > 0) {
		if (n == point)
			buf[k++] = '.';
		buf[k++] = digits[--n];
	}
	while (*suffix && k < (int)sizeof buf - 1)
		buf[k++] = *suffix++;
	buf[k] = '\0';
	gw_strlcpy(out, buf, outsz);
}

void rcell_format(const struct rcell *c, enum rtype type, char *out, size_t outsz)
{
	if (c->null) {
		gw_strlcpy(out, "", outsz);
		return;
	}
	switch (type) {
	case RT_TEXT:
	case RT_ID:
		gw_strlcpy(out, c->s ? c->s : "", outsz);
		break;
	case RT_INT:
		format_fixed(c->i, 0, "", out, outsz);
		break;
	case RT_PERCENT:
		format_fixed(c->i, 1, "%", out, outsz);
		break;
	case RT_MONEY:
		format_fixed(c->i, 2, "", out, outsz);
		break;
	}
}

int rtype_is_text(enum rtype type)
{
	return type == RT_TEXT || type == RT_ID;
}

int rcell_formula_like(const char *s)
{
	if (!s || ((*s == '-' || *s == '+') && !s[1]))
		return 0; /* a lone "-" (nothing) is no formula */
	return *s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r';
}
