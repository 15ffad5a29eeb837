/* csvtab: a small CSV table (a catalog, a plan) read whole, as the customer list is:
 * UTF-8 or GB18030 (detected or forced), with or without a byte-order mark, CRLF,
 * quoted fields; columns mapped by header, Chinese or English, in any order. Each
 * data row reaches the callback as one trimmed cell per known column ("" when the
 * column is absent). The first problem stops the read with one line naming the file
 * and line (gw_fail): the caller rolls back its transaction. */
#ifndef GW_CLI_CSVTAB_H
#define GW_CLI_CSVTAB_H

#include "import/decode.h"

#define CSVTAB_COLS_MAX 16
#define CSVTAB_CELL_MAX 512

struct csvtab_col {
	const char *zh, *en;
	int required;
};

/* cells[i] for column i; return 0 to go on, -1 with gw_fail's reason (no file or line:
 * csvtab prefixes them). */
typedef int (*csvtab_fn)(void *ctx, long line, char cells[][CSVTAB_CELL_MAX]);

/* Returns the number of data rows read, or -1 (gw_fail: "FILE:LINE: reason"). */
long csvtab_read(const char *path, enum enc enc, const struct csvtab_col *cols, int ncols,
		 csvtab_fn fn, void *ctx);

#endif
