/* catalog: the product catalog (a gas company's approved products), one row per code. */
#ifndef GW_CATALOG_H
#define GW_CATALOG_H

#include "ledger.h"

struct catalog_row {
	char code[PRODUCT_MAX + 1];
	enum item item;
	char name_zh[200], name_en[200], brand[100], model[100], standard[64];
	int64_t price_fen;
};

/* Parses a price in yuan ("120", "99.5", "99.50") into fen; -1 when not one. */
int catalog_price_fen(const char *s, int64_t *fen);
/* Stores (adds or replaces) one product; inside the caller's transaction.
 * *added: 1 when the code was new. */
int catalog_put(struct ledger *l, const struct catalog_row *r, int *added);

/* 1 when the household's current item of the product's kind (its latest install of that
 * item, voided visits left out) is that product, 0 when not, -1 on error. */
int catalog_fitted(struct ledger *l, const char *account, const char *product);

typedef int (*catalog_row_fn)(void *ctx, const struct catalog_row *r);
/* Every product by code. */
int catalog_each(struct ledger *l, catalog_row_fn fn, void *ctx);

#endif
