/* libFuzzer target for the plan's duties parsers (make fuzz / make fuzz-check).
 *
 * The first byte picks what the rest is:
 *   0  a catalog or plan CSV file (cli/csvtab.c: decode, header mapping, rows), whose
 *      cells go through the value checks a row gets (month, price, households);
 *   1  a setting's value, checked against every setting's type and range;
 *   2  two serial numbers, split at the first NUL, compared both ways (the recall rule). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/csvtab.h"
#include "core/catalog.h"
#include "core/plan.h"
#include "core/settings.h"
#include "core/util.h"
#include "report/report.h"

static const struct csvtab_col cols[] = {
	{"街道", "subdistrict", 1}, {"小区", "compound", 0}, {"月份", "month", 0},
	{"计划户数", "households", 0}, {"单价", "price", 0},
};

static int row(void *ctx, long line, char cells[][CSVTAB_CELL_MAX])
{
	char m[PLAN_MONTH_LEN + 1];
	int64_t fen;

	(void)ctx;
	(void)line;
	if (plan_month_parse(cells[2], m) == 0 && !plan_month_valid(m))
		abort();
	if (catalog_price_fen(cells[4], &fen) == 0 && fen < 0)
		abort();
	return cells[0][0] == '!' ? gw_fail(GW_ERR_INPUT, "stop") : 0;
}

static void csv_file(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/fuzz-duties-XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0)
		return;
	if (write(fd, data, size) == (ssize_t)size)
		csvtab_read(path, ENC_AUTO, cols, (int)GW_ARRAY_LEN(cols), row, NULL);
	close(fd);
	unlink(path);
}

static void setting_value(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);
	char canon[64];

	memcpy(s, data, size);
	s[size] = 0;
	for (size_t i = 0; i < settings_count(); i++)
		if (settings_check(settings_at(i)->key, s, canon, sizeof canon) == 0 &&
		    settings_check(settings_at(i)->key, canon, canon, sizeof canon) != 0)
			abort(); /* the canonical spelling is itself valid */
	free(s);
}

static void serials(const uint8_t *data, size_t size)
{
	char *a = xmalloc(size + 1);
	const char *b;

	memcpy(a, data, size);
	a[size] = 0;
	b = strlen(a) < size ? a + strlen(a) + 1 : a + size;
	if ((report_serial_cmp(a, b) > 0) != (report_serial_cmp(b, a) < 0) ||
	    report_serial_cmp(a, a) != 0)
		abort();
	free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	switch (data[0] % 3) {
	case 0:
		csv_file(data + 1, size - 1);
		break;
	case 1:
		setting_value(data + 1, size - 1);
		break;
	default:
		serials(data + 1, size - 1);
		break;
	}
	gw_clear_error();
	return 0;
}
