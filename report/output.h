/* output: a report rendered in one format, to stdout or atomically to a file. */
#ifndef GW_REPORT_OUTPUT_H
#define GW_REPORT_OUTPUT_H

#include "report/table.h"

enum report_format { RF_TEXT, RF_CSV, RF_XLSX, RF_HTML };

int report_format_parse(const char *s); /* -1 when unknown */
/* path NULL: stdout (not for xlsx). */
int report_write(const struct report *r, enum report_format fmt, const char *path);

#endif
