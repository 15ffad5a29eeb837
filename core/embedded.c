#include "embedded.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

const struct embedded_file *embedded_find(const char *name)
{
	for (const struct embedded_file *f = embedded_files; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

#define TSV_MAX_FIELDS 16

static int split_tabs(char *line, char **fields)
{
	int nf = 0;

	fields[nf++] = line;
	for (char *p = line; *p && nf < TSV_MAX_FIELDS; p++)
		if (*p == '\t') {
			*p = '\0';
			fields[nf++] = p + 1;
		}
	return nf;
}

int embedded_tsv(const char *name, int (*fn)(void *ctx, char **fields, int nf), void *ctx)
{
	const struct embedded_file *f = embedded_find(name);
	char *copy, *line, *save = NULL;
	char *fields[TSV_MAX_FIELDS];
	int rows = 0, header = 1;

	if (!f)
		return -1;
	copy = xstrndup((const char *)f->data, f->len);
	for (line = strtok_r(copy, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		if (header) {
			header = 0;
			continue;
		}
		if (fn(ctx, fields, split_tabs(line, fields)) != 0)
			break;
		rows++;
	}
	free(copy);
	return rows;
}
