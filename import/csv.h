/* csv: a streaming RFC 4180 parser, fed any bytes in pieces of any size.
 *
 * A small state machine: fields separated by commas, records by LF or CRLF,
 * quoted fields may hold commas, doubled quotes and line breaks. Memory is
 * fixed (CSV_FIELDS_MAX fields of at most CSV_FIELD_MAX bytes), whatever the
 * input: longer fields are cut and marked, extra fields counted and dropped,
 * NUL bytes dropped and marked, a quote left open at the end marked.
 * Lenient where Excel is sloppy: a quote inside an unquoted field, or text
 * after a closing quote, is kept as data. */
#ifndef GW_CSV_H
#define GW_CSV_H

#include <stddef.h>
#include <stdint.h>

#define CSV_FIELD_MAX 4096
#define CSV_FIELDS_MAX 64

enum csv_flag {
	CSV_CUT = 1u << 0,          /* a field was longer than CSV_FIELD_MAX (see cut) */
	CSV_NUL = 1u << 1,          /* a NUL byte was dropped */
	CSV_UNTERMINATED = 1u << 2, /* the input ended inside a quoted field */
	CSV_TOO_MANY = 1u << 3,     /* more than CSV_FIELDS_MAX fields (nseen counts them) */
};

struct csv_record {
	long line;    /* physical line (1-based) where the record starts */
	int nfields;  /* fields kept, at most CSV_FIELDS_MAX */
	long nseen;   /* fields in the input */
	unsigned flags;
	uint64_t cut; /* bit i: field i was cut at CSV_FIELD_MAX bytes */
	const char *field[CSV_FIELDS_MAX]; /* NUL-terminated */
	size_t len[CSV_FIELDS_MAX];
};

/* Called for each record; a non-zero return stops the parser and is returned
 * by csv_feed/csv_finish. */
typedef int (*csv_record_fn)(void *ctx, const struct csv_record *r);

struct csv;

struct csv *csv_new(csv_record_fn fn, void *ctx);
void csv_free(struct csv *p);
/* Parses n more bytes. Returns 0, or what the callback returned to stop. */
int csv_feed(struct csv *p, const char *buf, size_t n);
/* Ends the input: emits a last record not ended by a line break. */
int csv_finish(struct csv *p);

#endif
