/* import: the gas company's customer list (CSV) into the household table.
 *
 * Streams the file (decode → csv → one row at a time); memory does not grow with
 * its size (the account numbers seen, to find duplicates, are in a temporary
 * table). The format, its values, the reasons a row is rejected and the warnings
 * are in import/FORMAT.md. */
#ifndef GW_IMPORT_H
#define GW_IMPORT_H

#include <stdint.h>

#include "core/ledger.h"
#include "import/decode.h"

struct import_counts {
	long rows; /* data records read (blank lines not counted) */
	long added, updated, unchanged, rejected;
	long warnings; /* rows imported with a warning (a phone, a short subdistrict name) */
};

struct import_hooks {
	/* A rejected row: file as given, line where the record starts, the reason
	 * (translated; values from the file already neutralised for a terminal). */
	void (*reject)(void *ctx, const char *file, long line, const char *reason);
	/* Called after each read: bytes read so far, file size (0 if unknown). */
	void (*progress)(void *ctx, uint64_t done, uint64_t total, long rows);
	void *ctx;
	/* A row taken with a warning (same form as reject); NULL: printed on stderr. */
	void (*warn)(void *ctx, const char *file, long line, const char *what);
};

struct import_opts {
	enum enc encoding;
	int skip_invalid; /* write the valid rows, report the rest */
	int dry_run;      /* validate and count, write nothing */
	const char *rejects; /* write the rejected rows there (NULL: no file) */
};

enum import_result {
	IMPORT_OK = 0,       /* written (or, dry run, would be written) */
	IMPORT_REJECTED = 1, /* rows rejected without skip_invalid: nothing written */
};

/* Returns an import_result, or -1 (gw_fail) when the file cannot be read, has
 * no usable header, or the ledger fails. Counts are filled in either way;
 * without skip_invalid and with rejections, added/updated/unchanged are 0. */
int import_csv(struct ledger *l, const char *path, const struct import_opts *opts,
	       const struct import_hooks *hooks, struct import_counts *counts);

/* Writes an empty list: the Chinese header, UTF-8 with a byte-order mark, CRLF. */
int import_template(const char *path);

#endif
