/* CSV: UTF-8 with a byte-order mark (Excel in China reads it right), RFC 4180
 * quoting, and text cells that would start a formula prefixed with an apostrophe. */
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "report/table.h"

#define CELL_BUF 4096

static void put_field(FILE *f, const char *s, int text)
{
	int quote = strpbrk(s, ",\"\r\n") != NULL;

	if (quote)
		fputc('"', f);
	if (text && rcell_formula_like(s))
		fputc('\'', f);
	if (!quote) {
		fputs(s, f);
		return;
	}
	for (const char *p = s, *q; *p; p = q + 1) {
		q = strchr(p, '"');
		if (!q) {
			fputs(p, f);
			break;
		}
		fwrite(p, 1, (size_t)(q - p + 1), f);
		fputc('"', f); /* the quote doubled */
	}
	fputc('"', f);
}

/* An identifier as ="..." (a formula giving the text): a spreadsheet opening the CSV
 * keeps it as text, leading zeros and all digits; the value inside is a string
 * literal, so nothing in it is evaluated. Empty or with control characters: as text. */
static int put_id(FILE *f, const char *s)
{
	if (!*s)
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return 0;
	fputs("\"=\"\"", f);
	for (const char *p = s, *q; *p; p = q + 1) {
		q = strchr(p, '"');
		if (!q) {
			fputs(p, f);
			break;
		}
		fwrite(p, 1, (size_t)(q - p), f);
		fputs("\"\"\"\"", f); /* a quote: "" in the formula, each doubled for CSV */
	}
	fputs("\"\"\"", f);
	return 1;
}

static void put_table(FILE *f, const struct rtable *t, int titled)
{
	char buf[CELL_BUF];

	if (titled) {
		put_field(f, t->title, 1);
		fputs("\r\n", f);
	}
	for (int c = 0; c < t->ncols; c++) {
		if (c)
			fputc(',', f);
		put_field(f, t->cols[c].head, 1);
	}
	fputs("\r\n", f);
	for (size_t r = 0; r < t->nrows; r++) {
		for (int c = 0; c < t->ncols; c++) {
			if (c)
				fputc(',', f);
			rcell_format(rtable_cell(t, r, c), t->cols[c].type, buf, sizeof buf);
			if (t->cols[c].type != RT_ID || !put_id(f, buf))
				put_field(f, buf, rtype_is_text(t->cols[c].type));
		}
		fputs("\r\n", f);
	}
}

int render_csv(const struct report *r, FILE *f)
{
	fputs("\xEF\xBB\xBF", f);
	for (size_t i = 0; i < r->ntables; i++) {
		if (i)
			fputs("\r\n", f);
		put_table(f, r->tables[i], r->ntables > 1);
	}
	return ferror(f) ? gw_fail(GW_ERR_IO, _("write failed")) : 0;
}
