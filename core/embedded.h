/* embedded: files built into the binary (the schema migrations and the data files). */
#ifndef GW_EMBEDDED_H
#define GW_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *name; /* base name, e.g. "0001_ledger.sql" */
	const unsigned char *data; /* NUL-terminated */
	size_t len;
};

/* Terminated by an entry with name NULL; sorted by the build (names in order). */
extern const struct embedded_file embedded_files[];

/* The file with that base name, or NULL. */
const struct embedded_file *embedded_find(const char *name);

/* Iterates the TSV rows of an embedded file after its header line: calls fn with
 * the fields of each row (tabs split, at most maxf). Returns the row count. */
int embedded_tsv(const char *name, int (*fn)(void *ctx, char **fields, int nf), void *ctx);

#endif
