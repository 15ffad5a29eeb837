/* The streaming CSV state machine (see csv.h). */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

enum csv_state {
	S_FIELD,    /* at the start of a field */
	S_UNQUOTED, /* inside an unquoted field */
	S_QUOTED,   /* inside a quoted field */
	S_QUOTE,    /* a quote inside a quoted field: doubled, or the closing one */
};

struct csv {
	csv_record_fn fn;
	void *ctx;
	enum csv_state state;
	int in_record;  /* a byte of the current record has been read */
	int cr_pending; /* the last byte kept is a CR read outside quotes */
	long line;      /* physical line of the next byte */
	long fi;        /* index of the current field */
	size_t flen;    /* length of the current field */
	struct csv_record rec;
	char buf[CSV_FIELDS_MAX][CSV_FIELD_MAX + 1];
};

struct csv *csv_new(csv_record_fn fn, void *ctx)
{
	struct csv *p = xcalloc(1, sizeof *p);

	p->fn = fn;
	p->ctx = ctx;
	p->line = 1;
	return p;
}

void csv_free(struct csv *p)
{
	free(p);
}

/* Keeps one byte of the current field; 1 when it was kept. */
static int put(struct csv *p, char c)
{
	if (p->fi >= CSV_FIELDS_MAX)
		return 0;
	if (p->flen == CSV_FIELD_MAX) {
		p->rec.flags |= CSV_CUT;
		p->rec.cut |= (uint64_t)1 << p->fi;
		return 0;
	}
	p->buf[p->fi][p->flen++] = c;
	return 1;
}

/* Keeps a byte read outside quotes, remembering a CR that may start a CRLF. */
static void put_unquoted(struct csv *p, char c)
{
	int kept = put(p, c);

	if (kept || c != '\r')
		p->cr_pending = kept && c == '\r';
}

static void end_field(struct csv *p)
{
	if (p->fi < CSV_FIELDS_MAX) {
		p->buf[p->fi][p->flen] = '\0';
		p->rec.field[p->fi] = p->buf[p->fi];
		p->rec.len[p->fi] = p->flen;
	} else {
		p->rec.flags |= CSV_TOO_MANY;
	}
	p->fi++;
	p->flen = 0;
	p->cr_pending = 0;
	p->state = S_FIELD;
}

static int end_record(struct csv *p)
{
	int rc;

	if (p->cr_pending && p->flen > 0)
		p->flen--; /* the CR of a CRLF */
	end_field(p);
	p->rec.nseen = p->fi;
	p->rec.nfields = p->fi < CSV_FIELDS_MAX ? (int)p->fi : CSV_FIELDS_MAX;
	rc = p->fn(p->ctx, &p->rec);
	memset(&p->rec, 0, sizeof p->rec);
	p->fi = 0;
	p->in_record = 0;
	return rc;
}

/* One byte outside quotes (at a field's start, in an unquoted field, after a closing quote). */
static int step_unquoted(struct csv *p, char c)
{
	if (c == ',') {
		end_field(p);
		return 0;
	}
	if (c == '\n')
		return end_record(p);
	if (c == '"' && p->state == S_FIELD) {
		p->state = S_QUOTED;
		return 0;
	}
	put_unquoted(p, c);
	p->state = S_UNQUOTED;
	return 0;
}

static int step(struct csv *p, char c)
{
	if (!p->in_record) {
		p->in_record = 1;
		p->rec.line = p->line;
	}
	if (c == '\0') {
		p->rec.flags |= CSV_NUL;
		return 0;
	}
	switch (p->state) {
	case S_QUOTED:
		if (c == '"')
			p->state = S_QUOTE;
		else
			put(p, c);
		return 0;
	case S_QUOTE:
		if (c == '"') {
			put(p, c);
			p->state = S_QUOTED;
			return 0;
		}
		return step_unquoted(p, c);
	default:
		return step_unquoted(p, c);
	}
}

int csv_feed(struct csv *p, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int rc = step(p, buf[i]);
		if (buf[i] == '\n')
			p->line++;
		if (rc)
			return rc;
	}
	return 0;
}

int csv_finish(struct csv *p)
{
	if (!p->in_record)
		return 0;
	if (p->state == S_QUOTED)
		p->rec.flags |= CSV_UNTERMINATED;
	return end_record(p);
}
