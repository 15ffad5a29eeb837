/* An install's product against the catalog (see install_check.h). */
#include "install_check.h"

#include <stdio.h>

#include "i18n.h"
#include "labels.h"

int install_check(struct ledger *l, enum item it, const char *product, char *why, size_t whysz)
{
	enum item actual;
	int64_t price;
	int found = ledger_catalog_item(l, product, &actual, &price);

	if (found < 0)
		return -1;
	if (!found) {
		snprintf(why, whysz, _("product %s is not in the catalog"), product);
		return 1;
	}
	if (actual == it)
		return 0;
	snprintf(why, whysz, _("product %s is a %s, not a %s"), product, label_item(actual),
		 label_item(it));
	return 1;
}
