/* The customer-list import: read, decode, parse, check, upsert (see import.h). */
#include "import.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/settings.h"
#include "core/text.h"
#include "core/util.h"
#include "import/csv.h"
#include "import/fields.h"
#include "import/rejects.h"
#include "import/seen.h"

#define READ_MAX 65536
#define SECTORS_MAX 64
#define SUBDISTRICTS_MAX 64
#define INDEXES_MAX 8
#define SHOWN_COLS 24 /* a value from the file quoted in a reason, at most */

enum col {
	C_ACCOUNT, C_CATEGORY, C_GAS, C_NEW_BUILD, C_SECTOR, C_NAME, C_PHONE, C_SUBDISTRICT,
	C_COMMUNITY, C_COMPOUND, C_BUILDING, C_UNIT, C_FLOOR, C_ROOM, C__N
};

#define HH_TEXT(field) offsetof(struct household, field), sizeof((struct household *)0)->field

/* Header names; where a text column goes (size 0: parsed, not copied) and its limit
 * in characters; how full-width characters are folded. */
static const struct column {
	const char *zh, *en;
	size_t offset, size, chars;
	enum fold_mode fold;
} columns[C__N] = {
	[C_ACCOUNT] = {"用户编号", "account", HH_TEXT(account), 32, FOLD_CODE},
	[C_CATEGORY] = {"用户类型", "category", 0, 0, 0, FOLD_TEXT},
	[C_GAS] = {"气源", "gas", 0, 0, 0, FOLD_TEXT},
	[C_NEW_BUILD] = {"新建", "new_build", 0, 0, 0, FOLD_TEXT},
	[C_SECTOR] = {"行业", "sector", 0, 0, 0, FOLD_TEXT},
	[C_NAME] = {"用户名称", "name", HH_TEXT(name), 66, FOLD_TEXT},
	[C_PHONE] = {"联系电话", "phone", HH_TEXT(phone), 32, FOLD_CODE},
	[C_SUBDISTRICT] = {"街道", "subdistrict", HH_TEXT(subdistrict), 32, FOLD_TEXT},
	[C_COMMUNITY] = {"社区", "community", HH_TEXT(community), 32, FOLD_TEXT},
	[C_COMPOUND] = {"小区", "compound", HH_TEXT(compound), 32, FOLD_TEXT},
	[C_BUILDING] = {"楼栋", "building", HH_TEXT(building), 32, FOLD_CODE},
	[C_UNIT] = {"单元", "unit", HH_TEXT(unit), 32, FOLD_CODE},
	[C_FLOOR] = {"楼层", "floor", HH_TEXT(floor), 32, FOLD_CODE},
	[C_ROOM] = {"房号", "room", HH_TEXT(room), 32, FOLD_CODE},
};

/* Accepted values: Chinese exactly, Latin without regard to case. */
struct value {
	const char *name;
	int v;
};

static const struct value category_values[] = {
	{"居民", CAT_RESIDENTIAL},	    {"居民用户", CAT_RESIDENTIAL},
	{"residential", CAT_RESIDENTIAL}, {"非居民", CAT_NON_RESIDENTIAL},
	{"非居民用户", CAT_NON_RESIDENTIAL}, {"non_residential", CAT_NON_RESIDENTIAL},
	{"non-residential", CAT_NON_RESIDENTIAL}, {NULL, 0},
};

static const struct value gas_values[] = {
	{"管道天然气", GAS_PIPELINE}, {"天然气", GAS_PIPELINE}, {"管道燃气", GAS_PIPELINE},
	{"pipeline", GAS_PIPELINE},   {"瓶装液化石油气", GAS_LPG}, {"液化石油气", GAS_LPG},
	{"瓶装液化气", GAS_LPG},      {"液化气", GAS_LPG},         {"lpg", GAS_LPG},
	{NULL, 0},
};

static const struct value new_build_values[] = {
	{"", 0},  {"否", 0}, {"no", 0},  {"n", 0}, {"0", 0}, {"false", 0},
	{"是", 1}, {"yes", 1}, {"y", 1}, {"1", 1}, {"true", 1}, {NULL, 0},
};

struct sector {
	char code[HH_SECTOR_MAX + 1];
	char name_zh[64], name_en[64];
};

/* A subdistrict of the district (data/subdistricts.tsv): its name, and the name
 * without 街道 (林山寨 for 林山寨街道), taken with a warning. */
struct subdistrict {
	char code[16], name[HH_PLACE_MAX + 1], short_name[HH_PLACE_MAX + 1];
	char pinyin[64];
};

/* A field of the current record, trimmed. */
struct cell {
	const char *s;
	size_t n;
	int cut; /* longer than the parser keeps */
};

struct run {
	struct ledger *l;
	const struct import_opts *opts;
	const struct import_hooks *hooks;
	struct import_counts *counts;
	const char *path;
	char shown_path[512]; /* path neutralised for a terminal */
	struct csv *csv;
	struct seen *seen;
	int header_line;    /* the header has been read (its line, > 0) */
	long ncols;         /* fields in the header */
	int at[C__N];       /* field index of each column, -1 when absent */
	int writing;        /* still upserting (stops at a rejection without skip_invalid) */
	struct decoder *dec;
	int cache_size, cache_set; /* the ledger's page cache before the import */
	int nindexes;              /* secondary indexes dropped for a first import */
	int trigger_dropped;       /* household_change_add too (the changes are added at the end) */
	char index_name[INDEXES_MAX][64];
	char index_sql[INDEXES_MAX][512];
	struct sector sectors[SECTORS_MAX];
	int nsectors;
	struct subdistrict subdistricts[SUBDISTRICTS_MAX];
	int nsubdistricts;
	int account_len;       /* the ledger's accounts' length (0: not known) */
	int account_len_set;   /* it comes from the account_length setting */
	int account_len_file;  /* it comes from the file's own accounts (survey) */
	int fresh;             /* the household table was empty: insert without looking */
	struct rejects *rejects;
	char reason[640];
	char warning[640];
	char cellbuf[CSV_FIELD_MAX + 1];
	char folded[C__N][CSV_FIELD_MAX + 1];
};

/* ---- values ---- */

static int cell_is(const struct cell *c, const char *name)
{
	size_t n = strlen(name);

	if (c->n != n)
		return 0;
	return (unsigned char)name[0] < 0x80 ? !strncasecmp(c->s, name, n) : !memcmp(c->s, name, n);
}

static int value_of(const struct value *vals, const struct cell *c)
{
	for (const struct value *v = vals; v->name; v++)
		if (cell_is(c, v->name))
			return v->v;
	return -1;
}

/* The cell neutralised and cut for quoting in a reason. */
static const char *shown(struct run *x, const struct cell *c, char *out, size_t outsz)
{
	memcpy(x->cellbuf, c->s, c->n);
	x->cellbuf[c->n] = '\0';
	text_fit(x->cellbuf, SHOWN_COLS, 0, out, outsz);
	return out;
}

static const char *col_label(enum col c)
{
	return i18n_is_zh() ? columns[c].zh : columns[c].en;
}

/* Whitespace around a field: ASCII spaces and controls, U+00A0, U+3000. */
static size_t space_at(const char *s, size_t n, int from_end)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!n)
		return 0;
	if (!from_end) {
		if (p[0] == ' ' || (p[0] >= '\t' && p[0] <= '\r'))
			return 1;
		if (n >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
			return 2;
		return n >= 3 && p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80 ? 3 : 0;
	}
	if (p[n - 1] == ' ' || (p[n - 1] >= '\t' && p[n - 1] <= '\r'))
		return 1;
	if (n >= 2 && p[n - 2] == 0xC2 && p[n - 1] == 0xA0)
		return 2;
	return n >= 3 && p[n - 3] == 0xE3 && p[n - 2] == 0x80 && p[n - 1] == 0x80 ? 3 : 0;
}

static struct cell trimmed(const struct csv_record *r, int i)
{
	struct cell c = {"", 0, 0};
	size_t k;

	if (i < 0 || i >= r->nfields)
		return c;
	c.s = r->field[i];
	c.n = r->len[i];
	c.cut = (r->cut >> i) & 1;
	while ((k = space_at(c.s, c.n, 0)) != 0)
		c.s += k, c.n -= k;
	while ((k = space_at(c.s, c.n, 1)) != 0)
		c.n -= k;
	return c;
}

/* ---- the sector table ---- */

static const char sql_sectors[] = "SELECT code, name_zh, name_en FROM sector ORDER BY code";

static int load_sectors(struct run *x)
{
	sqlite3_stmt *st = ledger_stmt(x->l, sql_sectors);
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && x->nsectors < SECTORS_MAX) {
		struct sector *s = &x->sectors[x->nsectors++];
		gw_strlcpy(s->code, (const char *)sqlite3_column_text(st, 0), sizeof s->code);
		gw_strlcpy(s->name_zh, (const char *)sqlite3_column_text(st, 1), sizeof s->name_zh);
		gw_strlcpy(s->name_en, (const char *)sqlite3_column_text(st, 2), sizeof s->name_en);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : ledger_db_fail(x->l, "sectors");
}

/* The sector code a cell names (code, Chinese or English name); NULL if none. */
static const char *sector_of(const struct run *x, const struct cell *c)
{
	for (int i = 0; i < x->nsectors; i++) {
		const struct sector *s = &x->sectors[i];
		if (cell_is(c, s->code) || cell_is(c, s->name_zh) || cell_is(c, s->name_en))
			return s->code;
	}
	return NULL;
}

/* ---- the district's subdistricts ---- */

static const char sql_subdistricts[] =
	"SELECT code, name_zh, name_pinyin FROM subdistrict ORDER BY code";

static int load_subdistricts(struct run *x)
{
	sqlite3_stmt *st = ledger_stmt(x->l, sql_subdistricts);
	static const char suffix[] = "街道";
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && x->nsubdistricts < SUBDISTRICTS_MAX) {
		struct subdistrict *d = &x->subdistricts[x->nsubdistricts++];
		size_t n;
		gw_strlcpy(d->code, ledger_text(st, 0), sizeof d->code);
		gw_strlcpy(d->name, ledger_text(st, 1), sizeof d->name);
		gw_strlcpy(d->pinyin, ledger_text(st, 2), sizeof d->pinyin);
		gw_strlcpy(d->short_name, d->name, sizeof d->short_name);
		n = strlen(d->short_name);
		if (n > strlen(suffix) && !strcmp(d->short_name + n - strlen(suffix), suffix))
			d->short_name[n - strlen(suffix)] = '\0';
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : ledger_db_fail(x->l, "subdistricts");
}

/* The subdistrict a cell names: 1 exactly (*d set), 2 by an alias (short name, code or
 * pinyin: taken with a warning), 0 none (*d the nearest, or NULL). */
static int subdistrict_of(struct run *x, const struct cell *c, const struct subdistrict **d)
{
	int best = 1000;

	*d = NULL;
	for (int i = 0; i < x->nsubdistricts; i++)
		if (cell_is(c, x->subdistricts[i].name))
			return *d = &x->subdistricts[i], 1;
	for (int i = 0; i < x->nsubdistricts; i++) {
		const struct subdistrict *s = &x->subdistricts[i];
		if (cell_is(c, s->short_name) || cell_is(c, s->code) || cell_is(c, s->pinyin))
			return *d = s, 2;
	}
	memcpy(x->cellbuf, c->s, c->n);
	x->cellbuf[c->n] = '\0';
	for (int i = 0; i < x->nsubdistricts; i++) {
		const struct subdistrict *s = &x->subdistricts[i];
		int k = fields_distance(x->cellbuf, s->name), j = fields_distance(x->cellbuf, s->short_name);
		k = j < k ? j : k;
		if (k < best)
			best = k, *d = s;
	}
	if ((size_t)best * 2 > text_chars(x->cellbuf))
		*d = NULL; /* nothing near enough to suggest */
	return 0;
}

/* ---- the ledger's account numbers ---- */

static const char sql_account_len[] =
	"SELECT length(account) AS n FROM (SELECT account FROM household "
	"WHERE account GLOB '[0-9]*' LIMIT 1000) GROUP BY n ORDER BY count(*) DESC, n DESC LIMIT 1";

/* The length accounts have: the account_length setting, else the most common length
 * among (up to 1000 of) the ledger's numeric accounts; 0 when neither says. */
static int load_account_len(struct run *x)
{
	long set = settings_get_int(x->l, "account_length"); /* 0: not fixed */
	sqlite3_stmt *st;
	int rc;

	if (set > 0 && set <= HH_ACCOUNT_MAX) {
		x->account_len = (int)set;
		x->account_len_set = 1;
		return 0;
	}
	if (!(st = ledger_stmt(x->l, sql_account_len)))
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		x->account_len = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : ledger_db_fail(x->l, "accounts");
}

/* ---- the header ---- */

/* The column a header cell names: Chinese exactly; English in any case, '-' or ' ' for '_'. */
static int column_of(const struct cell *c)
{
	char en[32];

	for (int i = 0; i < C__N; i++)
		if (c->n == strlen(columns[i].zh) && !memcmp(c->s, columns[i].zh, c->n))
			return i;
	if (c->n >= sizeof en)
		return -1;
	for (size_t i = 0; i < c->n; i++)
		en[i] = c->s[i] == '-' || c->s[i] == ' ' ? '_' : c->s[i];
	en[c->n] = '\0';
	for (int i = 0; i < C__N; i++)
		if (!strcasecmp(en, columns[i].en))
			return i;
	return -1;
}

static int header_fail(struct run *x, long line, const char *what)
{
	return gw_fail(GW_ERR_INPUT, "%s:%ld: %s", x->shown_path, line, what);
}

static int read_header(struct run *x, const struct csv_record *r)
{
	char msg[256];

	if (r->flags & (CSV_TOO_MANY | CSV_CUT | CSV_NUL | CSV_UNTERMINATED))
		return header_fail(x, r->line, _("the header line is damaged or has more than 64 columns"));
	for (int i = 0; i < C__N; i++)
		x->at[i] = -1;
	for (int i = 0; i < r->nfields; i++) {
		struct cell c = trimmed(r, i);
		int col = column_of(&c);
		if (col < 0)
			continue; /* a column the ledger does not keep */
		if (x->at[col] >= 0) {
			snprintf(msg, sizeof msg, _("column %s/%s appears twice in the header"),
				 columns[col].zh, columns[col].en);
			return header_fail(x, r->line, msg);
		}
		x->at[col] = i;
	}
	for (int col = C_ACCOUNT; col <= C_CATEGORY; col++) {
		if (x->at[col] < 0) {
			snprintf(msg, sizeof msg, _("no %s/%s column in the header"), columns[col].zh,
				 columns[col].en);
			return header_fail(x, r->line, msg);
		}
	}
	x->ncols = r->nseen;
	x->header_line = (int)(r->line > 0 ? r->line : 1);
	return x->rejects ? rejects_header(x->rejects, r, _("rejection reason")) : 0;
}

/* ---- one row ---- */

static int rejectf(struct run *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int rejectf(struct run *x, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(x->reason, sizeof x->reason, fmt, ap);
	va_end(ap);
	return -1;
}

/* The record as a whole: quotes closed, no NUL, as many fields as the header. */
static int check_shape(struct run *x, const struct csv_record *r)
{
	if (r->flags & CSV_UNTERMINATED)
		return rejectf(x, "%s", _("unterminated quoted field (the file ends inside quotes)"));
	if (r->flags & CSV_NUL)
		return rejectf(x, "%s", _("bad encoding (NUL byte)"));
	if (r->nseen != x->ncols)
		return rejectf(x, _("wrong number of fields: %ld (the header has %ld)"), r->nseen,
			       x->ncols);
	return 0;
}

/* Full-width letters and digits (and, in codes, punctuation) to ASCII: the cell then
 * points to the folded copy, trimmed again (a folded U+3000 was trimmed already). */
static void fold_cell(struct run *x, int col, struct cell *c)
{
	if (!c->n || !fields_has_wide(c->s, c->n))
		return;
	c->n = fields_fold(c->s, c->n, columns[col].fold, x->folded[col]);
	c->s = x->folded[col];
}

/* A stored column within its limit in characters (and its storage in bytes). */
static int check_length(struct run *x, int col, const struct cell *c)
{
	size_t chars;

	if (c->n < columns[col].chars && c->n < columns[col].size)
		return 0; /* fewer bytes than the limit: fewer characters too */
	memcpy(x->cellbuf, c->s, c->n);
	x->cellbuf[c->n] = '\0';
	chars = text_chars(x->cellbuf);
	if (chars > columns[col].chars)
		return rejectf(x, _("field too long: %s (%zu characters, at most %zu)"),
			       col_label((enum col)col), chars, columns[col].chars);
	if (c->n >= columns[col].size)
		return rejectf(x, _("field too long: %s (%zu characters in %zu bytes, at most %zu bytes)"),
			       col_label((enum col)col), chars, c->n, columns[col].size - 1);
	return 0;
}

/* Every column the ledger keeps: valid UTF-8, folded, within its limit; text columns copied. */
static int check_cells(struct run *x, const struct csv_record *r, struct cell *cells,
		       struct household *h)
{
	enum enc e = decoder_encoding(x->dec);
	const char *enc = enc_name(e == ENC_AUTO ? ENC_UTF8 : e);

	for (int col = 0; col < C__N; col++) {
		struct cell *c = &cells[col];
		*c = trimmed(r, x->at[col]);
		if (c->cut)
			return rejectf(x, _("field too long: %s (more than %d bytes)"),
				       col_label((enum col)col), CSV_FIELD_MAX);
		if (!text_valid_utf8(c->s, c->n))
			return rejectf(x, _("bad encoding in %s (not valid %s)"),
				       col_label((enum col)col), enc);
		fold_cell(x, col, c);
		if (!columns[col].size)
			continue;
		if (check_length(x, col, c))
			return -1;
		memcpy((char *)h + columns[col].offset, c->s, c->n);
		((char *)h + columns[col].offset)[c->n] = '\0';
	}
	return 0;
}

static int check_sector(struct run *x, const struct cell *c, struct household *h)
{
	const char *code;
	char v[128];

	if (!c->n) {
		if (h->category == CAT_NON_RESIDENTIAL)
			return rejectf(x, "%s", _("non-residential without a sector"));
		return 0;
	}
	code = sector_of(x, c);
	if (!code)
		return rejectf(x, _("unknown sector \"%s\" (see data/sectors.tsv)"),
			       shown(x, c, v, sizeof v));
	if (h->category == CAT_NON_RESIDENTIAL)
		gw_strlcpy(h->sector, code, sizeof h->sector);
	return 0;
}

/* The coded columns: category, gas, new build, sector. */
static int check_values(struct run *x, const struct cell *cells, struct household *h)
{
	int v;
	char s[128];

	if (!cells[C_CATEGORY].n)
		return rejectf(x, _("missing %s"), col_label(C_CATEGORY));
	if ((v = value_of(category_values, &cells[C_CATEGORY])) < 0)
		return rejectf(x, _("unknown category \"%s\" (expected 居民, 非居民, residential or non_residential)"),
			       shown(x, &cells[C_CATEGORY], s, sizeof s));
	h->category = (enum category)v;
	v = x->at[C_GAS] < 0 ? GAS_PIPELINE : value_of(gas_values, &cells[C_GAS]);
	if (v < 0)
		return rejectf(x, _("unknown gas type \"%s\" (expected 管道天然气, 瓶装液化石油气, pipeline or lpg)"),
			       shown(x, &cells[C_GAS], s, sizeof s));
	h->gas = (enum gas)v;
	if ((v = value_of(new_build_values, &cells[C_NEW_BUILD])) < 0)
		return rejectf(x, _("unknown new-build value \"%s\" (expected 是 or 否)"),
			       shown(x, &cells[C_NEW_BUILD], s, sizeof s));
	h->new_build = v;
	return check_sector(x, &cells[C_SECTOR], h);
}

/* Excel's damage to an account: scientific notation, leading zeros dropped. */
static int check_account(struct run *x, const struct cell *c)
{
	char v[128];

	if (!c->n)
		return rejectf(x, "%s", _("missing account"));
	if (fields_sci_notation(c->s, c->n))
		return rejectf(x, _("account %s is in scientific notation, as Excel shows a long "
				    "number: the digits are lost; export the list again with the "
				    "column formatted as text"),
			       shown(x, c, v, sizeof v));
	if (x->account_len && fields_all_digits(c->s, c->n) && (int)c->n < x->account_len)
		return rejectf(x, x->account_len_set
				       ? _("account %s has %zu digits, account_length is %d: leading "
					   "zeros lost? Export the list again with the column "
					   "formatted as text")
				       : x->account_len_file
				       ? _("account %s has %zu digits, most of the file's accounts have "
					   "%d: leading zeros lost? Export the list again with the column "
					   "formatted as text")
				       : _("account %s has %zu digits, the ledger's accounts have %d: "
					   "leading zeros lost? Export the list again with the column "
					   "formatted as text"),
			       shown(x, c, v, sizeof v), c->n, x->account_len);
	return 0;
}

/* A subdistrict given must be one of the district's; a short name is taken with a warning. */
static int check_subdistrict(struct run *x, const struct cell *c, struct household *h)
{
	const struct subdistrict *d;
	char v[128];
	int how;

	if (!c->n)
		return 0; /* none given, as when the column is absent */
	how = subdistrict_of(x, c, &d);
	if (!how)
		return rejectf(x, _("unknown subdistrict \"%s\" (not one of data/subdistricts.tsv; nearest: %s)"),
			       shown(x, c, v, sizeof v), d ? d->name : "-");
	if (how == 2)
		snprintf(x->warning, sizeof x->warning, _("subdistrict \"%s\" taken as %s"),
			 shown(x, c, v, sizeof v), d->name);
	gw_strlcpy(h->subdistrict, d->name, sizeof h->subdistrict);
	return 0;
}

/* A phone that does not look like one is kept, with a warning. */
static void check_phone(struct run *x, const struct cell *c)
{
	char v[128];
	size_t k = strlen(x->warning);

	if (!c->n || fields_phone_ok(c->s, c->n))
		return;
	snprintf(x->warning + k, sizeof x->warning - k, "%s", k ? "; " : "");
	k = strlen(x->warning);
	snprintf(x->warning + k, sizeof x->warning - k,
		 _("phone \"%s\" does not look like a phone number (kept as it is)"),
		 shown(x, c, v, sizeof v));
}

/* Fills h from the record; -1 with x->reason when the row is rejected (-2: the ledger
 * failed); x->warning says what was taken with a warning. */
static int check_row(struct run *x, const struct csv_record *r, struct household *h)
{
	struct cell cells[C__N];
	long first;
	char acc[128];

	memset(h, 0, sizeof *h);
	x->warning[0] = '\0';
	if (check_shape(x, r) || check_cells(x, r, cells, h) || check_account(x, &cells[C_ACCOUNT]))
		return -1;
	first = seen_add(x->seen, cells[C_ACCOUNT].s, cells[C_ACCOUNT].n, r->line);
	if (first < 0)
		return -2;
	if (check_values(x, cells, h) || check_subdistrict(x, &cells[C_SUBDISTRICT], h))
		return -1;
	if (first)
		return rejectf(x, _("duplicate account %s (first on line %ld)"),
			       shown(x, &cells[C_ACCOUNT], acc, sizeof acc), first);
	check_phone(x, &cells[C_PHONE]);
	return 0;
}

/* ---- the run ---- */

static int reject(struct run *x, const struct csv_record *r)
{
	x->counts->rejected++;
	if (!x->opts->skip_invalid && !x->fresh)
		x->writing = 0; /* a first import goes on inserting: its inserts find repeats */
	if (x->hooks && x->hooks->reject)
		x->hooks->reject(x->hooks->ctx, x->shown_path, r->line, x->reason);
	else
		fprintf(stderr, "%s:%ld: %s\n", x->shown_path, r->line, x->reason);
	return x->rejects ? rejects_row(x->rejects, r, x->ncols, x->reason) : 0;
}

static void warn(struct run *x, long line)
{
	x->counts->warnings++;
	if (x->hooks && x->hooks->warn)
		x->hooks->warn(x->hooks->ctx, x->shown_path, line, x->warning);
	else
		fprintf(stderr, "%s:%ld: %s\n", x->shown_path, line, x->warning);
}

/* 0 stored, 1 a repeat the seen set could not tell (a first import's insert found
 * it: rejected), -1 the ledger failed. */
static int store(struct run *x, const struct household *h)
{
	enum upsert_result res;

	if (!x->writing)
		return 0;
	if (x->fresh) {
		if (household_insert(x->l, h) != 0) {
			if (!seen_inexact(x->seen) ||
			    sqlite3_extended_errcode(ledger_sqlite(x->l)) != SQLITE_CONSTRAINT_PRIMARYKEY)
				return -1;
			gw_clear_error();
			return 1;
		}
		x->counts->added++;
		return 0;
	}
	if (household_upsert(x->l, h, &res) != 0)
		return -1;
	if (res == UPSERT_ADDED)
		x->counts->added++;
	else if (res == UPSERT_UPDATED)
		x->counts->updated++;
	else
		x->counts->unchanged++;
	return 0;
}

/* A record with nothing in it (a blank line, or only commas, as Excel ends a sheet). */
static int is_blank(const struct csv_record *r)
{
	if (r->flags)
		return 0;
	for (int i = 0; i < r->nfields; i++)
		if (trimmed(r, i).n)
			return 0;
	return 1;
}

static int on_record(void *ctx, const struct csv_record *r)
{
	struct run *x = ctx;
	struct household h;

	if (is_blank(r))
		return 0;
	if (!x->header_line) {
		return read_header(x, r);
	}
	x->counts->rows++;
	switch (check_row(x, r, &h)) {
	case -2: return -1;
	case -1: return reject(x, r);
	default: break;
	}
	switch (store(x, &h)) {
	case -1: return -1;
	case 1:
		memcpy(x->cellbuf, h.account, strlen(h.account) + 1);
		text_fit(x->cellbuf, SHOWN_COLS, 0, x->warning, sizeof x->warning);
		rejectf(x, _("duplicate account %s (earlier in the file)"), x->warning);
		return reject(x, r);
	default: break;
	}
	if (x->warning[0])
		warn(x, r->line);
	return 0;
}

static int on_decoded(void *ctx, const char *buf, size_t n)
{
	struct run *x = ctx;

	return csv_feed(x->csv, buf, n);
}

static int read_all(struct run *x, int fd, struct decoder *dec, uint64_t total)
{
	char *buf = xmalloc(READ_MAX);
	uint64_t done = 0;
	ssize_t n;
	int rc = 0;

	while (!rc && (n = read(fd, buf, READ_MAX)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = gw_fail(GW_ERR_IO, "%s: %s", x->shown_path, strerror(errno));
			break;
		}
		done += (uint64_t)n;
		rc = decoder_feed(dec, buf, (size_t)n, on_decoded, x);
		if (!rc && x->hooks && x->hooks->progress)
			x->hooks->progress(x->hooks->ctx, done, total, x->counts->rows);
	}
	if (!rc)
		rc = decoder_finish(dec, on_decoded, x);
	if (!rc)
		rc = csv_finish(x->csv);
	free(buf);
	return rc ? -1 : 0;
}

static int open_input(struct run *x, int *fd, uint64_t *size)
{
	struct stat sb;

	*fd = open(x->path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return gw_fail(GW_ERR_INPUT, "%s: %s", x->shown_path, strerror(errno));
	if (fstat(*fd, &sb) != 0 || S_ISDIR(sb.st_mode)) {
		close(*fd);
		return gw_fail(GW_ERR_INPUT, "%s: %s", x->shown_path, _("not a file"));
	}
	*size = S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0;
	return 0;
}

/* A workbook is not a CSV file: XLSX (a ZIP archive) or XLS (an OLE2 compound file). */
static int refuse_workbook(struct run *x, int fd)
{
	unsigned char m[8];
	ssize_t n = pread(fd, m, sizeof m, 0);
	const char *kind = NULL;

	if (n >= 4 && !memcmp(m, "PK\x03\x04", 4))
		kind = "XLSX";
	else if (n == 8 && !memcmp(m, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
		kind = "XLS";
	if (!kind)
		return 0;
	return gw_fail(GW_ERR_INPUT, _("%s: this is an Excel workbook (%s), not a CSV file: open it "
				       "in Excel or WPS, save it as CSV (UTF-8 or GBK) and import that"),
		       x->shown_path, kind);
}

/* ---- the file's own account length, when the ledger gives none ---- */

#define SURVEY_ROWS 10000 /* data rows looked at before deciding */

struct survey {
	struct csv *csv;
	int col;   /* the account column (-1 until the header is read) */
	long rows; /* data rows seen */
	long total; /* all-digit accounts among them */
	long len[HH_ACCOUNT_MAX + 1];
	char folded[CSV_FIELD_MAX + 1];
};

static int survey_record(void *ctx, const struct csv_record *r)
{
	struct survey *sv = ctx;
	struct cell c;

	if (is_blank(r))
		return 0;
	if (sv->col < 0) {
		for (int i = 0; i < r->nfields && sv->col < 0; i++) {
			c = trimmed(r, i);
			if (column_of(&c) == C_ACCOUNT)
				sv->col = i;
		}
		return sv->col < 0; /* no account column: the real pass says so */
	}
	c = trimmed(r, sv->col);
	if (c.n && fields_has_wide(c.s, c.n)) {
		c.n = fields_fold(c.s, c.n, columns[C_ACCOUNT].fold, sv->folded);
		c.s = sv->folded;
	}
	if (c.n && c.n <= HH_ACCOUNT_MAX && fields_all_digits(c.s, c.n)) {
		sv->len[c.n]++;
		sv->total++;
	}
	return ++sv->rows >= SURVEY_ROWS;
}

static int survey_decoded(void *ctx, const char *buf, size_t n)
{
	struct survey *sv = ctx;

	return csv_feed(sv->csv, buf, n);
}

/* The most common length of the all-digit accounts among the file's first SURVEY_ROWS
 * rows, when at least two thirds of them (and 3 or more) have it; else 0. */
static int survey_decide(const struct survey *sv)
{
	int best = 0;

	for (int n = 1; n <= HH_ACCOUNT_MAX; n++)
		if (sv->len[n] >= sv->len[best])
			best = n;
	if (!best || sv->len[best] < 3 || sv->len[best] * 3 < sv->total * 2)
		return 0;
	return best;
}

/* A first look at a regular file's first rows for the account length, when neither the
 * account_length setting nor the ledger's accounts give one; then back to the start. */
static int survey_file(struct run *x, int fd)
{
	struct survey *sv;
	struct decoder *dec;
	char *buf;
	ssize_t n;
	int rc = 0;

	if (x->account_len || lseek(fd, 0, SEEK_SET) != 0 || decoder_new(x->opts->encoding, &dec))
		return 0;
	sv = xcalloc(1, sizeof *sv);
	buf = xmalloc(READ_MAX);
	sv->col = -1;
	sv->csv = csv_new(survey_record, sv);
	while (!rc && (n = read(fd, buf, READ_MAX)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		rc = n < 0 ? -1 : decoder_feed(dec, buf, (size_t)n, survey_decoded, sv);
	}
	if (!rc && !decoder_finish(dec, survey_decoded, sv))
		csv_finish(sv->csv);
	if (sv->col >= 0 && (x->account_len = survey_decide(sv)))
		x->account_len_file = 1;
	csv_free(sv->csv);
	decoder_free(dec);
	free(buf);
	free(sv);
	return lseek(fd, 0, SEEK_SET) == 0 ? 0
					    : gw_fail(GW_ERR_IO, "%s: %s", x->shown_path, strerror(errno));
}

/* Reads the whole file inside the caller's transaction. */
static int run_file(struct run *x)
{
	uint64_t size = 0;
	int fd, rc;

	if (open_input(x, &fd, &size))
		return -1;
	if (refuse_workbook(x, fd) || (size && survey_file(x, fd)) ||
	    decoder_new(x->opts->encoding, &x->dec)) {
		close(fd);
		return -1;
	}
	/* a first import finds repeats beyond the accounts kept in memory by its inserts */
	if (!(x->seen = seen_new(x->l, SEEN_MEMORY_MAX, !x->fresh))) {
		decoder_free(x->dec);
		close(fd);
		return -1;
	}
	x->csv = csv_new(on_record, x);
	rc = read_all(x, fd, x->dec, size);
	if (!rc && !x->header_line)
		rc = gw_fail(GW_ERR_INPUT, "%s: %s", x->shown_path, _("empty file: no header line"));
	csv_free(x->csv);
	seen_free(x->seen);
	decoder_free(x->dec);
	close(fd);
	return rc;
}

/* ---- the transaction, tuned for a bulk load ---- */

static const char sql_cache_get[] = "PRAGMA cache_size";
static const char sql_cache_bulk[] = "PRAGMA cache_size = -32768"; /* 32 MiB */
static const char sql_empty[] = "SELECT NOT EXISTS (SELECT 1 FROM household)";
/* The trigger of schema 0002 that notes each household added, for exports; a first
 * import drops it (only when it is exactly this) and notes them all at the end. */
static const char trigger_name[] = "household_change_add";
static const char trigger_sql[] =
	"CREATE TRIGGER household_change_add AFTER INSERT ON household BEGIN\n"
	"\tINSERT INTO household_change(account) VALUES (NEW.account);\n"
	"END";
static const char sql_trigger[] =
	"SELECT sql = ?1 FROM sqlite_master WHERE type = 'trigger' AND name = ?2";
static const char sql_changes_all[] =
	"INSERT INTO household_change(account) SELECT account FROM household";
static const char sql_indexes[] =
	"SELECT name, sql FROM sqlite_master "
	"WHERE type = 'index' AND tbl_name = 'household' AND sql IS NOT NULL";

static int query_int(struct ledger *l, const char *sql, int *out)
{
	sqlite3_stmt *st = ledger_stmt(l, sql);
	int rc = st ? sqlite3_step(st) : SQLITE_ERROR;

	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(st, 0);
	if (st)
		sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : ledger_db_fail(l, sql);
}

/* Remembers the household table's secondary indexes (names and SQL from the
 * schema itself), so that a first import can build them once at the end. */
static int save_indexes(struct run *x)
{
	sqlite3_stmt *st = ledger_stmt(x->l, sql_indexes);
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *sql = (const char *)sqlite3_column_text(st, 1);
		if (x->nindexes == INDEXES_MAX || strlen(name) >= sizeof x->index_name[0] ||
		    strlen(sql) >= sizeof x->index_sql[0]) {
			x->nindexes = 0; /* unusual schema: keep the indexes as they are */
			break;
		}
		gw_strlcpy(x->index_name[x->nindexes], name, sizeof x->index_name[0]);
		gw_strlcpy(x->index_sql[x->nindexes++], sql, sizeof x->index_sql[0]);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : ledger_db_fail(x->l, "indexes");
}

static int drop_trigger(struct run *x)
{
	sqlite3_stmt *st = ledger_stmt(x->l, sql_trigger);
	int rc, same = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, trigger_sql, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, trigger_name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		same = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ledger_db_fail(x->l, "triggers");
	if (!same)
		return 0;
	x->trigger_dropped = 1;
	return ledger_exec(x->l, "DROP TRIGGER household_change_add", 0, NULL);
}

/* Before the commit: what the trigger would have noted, and the trigger again. */
static int restore_trigger(struct run *x)
{
	if (!x->trigger_dropped)
		return 0;
	return ledger_exec(x->l, sql_changes_all, 0, NULL) || ledger_exec(x->l, trigger_sql, 0, NULL)
		       ? -1
		       : 0;
}

/* Inside the transaction: into an empty household table, rows go in without
 * the secondary indexes, which are rebuilt by sorting before the commit (a
 * rollback restores them). The names come from this ledger's schema. */
static int drop_indexes(struct run *x)
{
	char sql[128];
	int empty = 0;

	if (query_int(x->l, sql_empty, &empty))
		return -1;
	if (!empty)
		return 0;
	x->fresh = 1;
	if (save_indexes(x))
		return -1;
	for (int i = 0; i < x->nindexes; i++) {
		snprintf(sql, sizeof sql, "DROP INDEX \"%s\"", x->index_name[i]);
		if (ledger_exec(x->l, sql, 0, NULL))
			return -1;
	}
	return drop_trigger(x);
}

/* A bigger page cache for the import only (restored by bulk_end), and BEGIN. */
static int bulk_begin(struct run *x)
{
	if (query_int(x->l, sql_cache_get, &x->cache_size) ||
	    ledger_exec(x->l, sql_cache_bulk, 0, NULL))
		return -1;
	x->cache_set = 1;
	if (ledger_begin(x->l))
		return -1;
	if (drop_indexes(x)) {
		ledger_rollback(x->l);
		return -1;
	}
	return 0;
}

static void bulk_end(struct run *x);

/* Builds the dropped indexes (with the usual cache: the sort has its own memory) and commits. */
static int bulk_commit(struct run *x)
{
	bulk_end(x);
	for (int i = 0; i < x->nindexes; i++)
		if (ledger_exec(x->l, x->index_sql[i], 0, NULL)) {
			ledger_rollback(x->l);
			return -1;
		}
	if (restore_trigger(x)) {
		ledger_rollback(x->l);
		return -1;
	}
	if (ledger_commit(x->l)) {
		ledger_rollback(x->l);
		return -1;
	}
	return 0;
}

static void bulk_end(struct run *x)
{
	char sql[64];

	if (!x->cache_set)
		return;
	x->cache_set = 0;
	snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", x->cache_size);
	ledger_exec(x->l, sql, 0, NULL);
}

int import_csv(struct ledger *l, const char *path, const struct import_opts *opts,
	       const struct import_hooks *hooks, struct import_counts *counts)
{
	struct run *x = xcalloc(1, sizeof *x);
	int rc;

	memset(counts, 0, sizeof *counts);
	*x = (struct run){.l = l, .opts = opts, .hooks = hooks, .counts = counts, .path = path,
			  .writing = 1};
	text_clean(path, x->shown_path, sizeof x->shown_path);
	rc = load_sectors(x);
	if (!rc)
		rc = load_subdistricts(x);
	if (!rc)
		rc = load_account_len(x);
	if (!rc && opts->rejects && !(x->rejects = rejects_open(opts->rejects)))
		rc = -1;
	if (!rc)
		rc = bulk_begin(x);
	if (!rc) {
		rc = run_file(x);
		if (!rc && counts->rejected && !opts->skip_invalid)
			rc = IMPORT_REJECTED;
		if (!rc && !opts->dry_run)
			rc = bulk_commit(x);
		else
			ledger_rollback(l);
	}
	bulk_end(x);
	if (rejects_close(x->rejects, rc >= 0) && rc >= 0)
		rc = -1;
	if (rc == IMPORT_REJECTED || rc < 0)
		counts->added = counts->updated = counts->unchanged = 0;
	free(x);
	return rc;
}

int import_template(const char *path)
{
	char line[512] = "\xEF\xBB\xBF";
	size_t n = strlen(line);

	for (int i = 0; i < C__N; i++)
		n += (size_t)snprintf(line + n, sizeof line - n, "%s%s", i ? "," : "", columns[i].zh);
	n += (size_t)snprintf(line + n, sizeof line - n, "\r\n");
	return gw_write_file_atomic(path, line, n);
}
