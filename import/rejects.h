/* rejects: the rejected rows of an import written back as a CSV file to correct
 * and import again — the file's own header plus a reason column, each row's
 * fields as they were read. UTF-8 with a byte-order mark and CRLF line ends, as
 * Excel opens it; no formula guard, so that the values come back unchanged.
 * Written to a temporary name beside the target, fsynced and renamed at the end. */
#ifndef GW_REJECTS_H
#define GW_REJECTS_H

#include "import/csv.h"

struct rejects;

/* NULL (gw_fail) when the temporary file cannot be made. */
struct rejects *rejects_open(const char *path);
/* The header record and the name of the reason column. */
int rejects_header(struct rejects *rj, const struct csv_record *r, const char *reason_col);
/* One rejected record: padded with empty fields to ncols, then the reason. */
int rejects_row(struct rejects *rj, const struct csv_record *r, long ncols, const char *reason);
/* keep: rename into place; else remove. Returns 0, or -1 (gw_fail) on a write error. */
int rejects_close(struct rejects *rj, int keep);

#endif
