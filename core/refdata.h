/* refdata: the reference tables a capture form offers — the hazard checklist that
 * applies to a household, the product catalog — and a household's open
 * rectification orders. Names come in Chinese or English as asked. */
#ifndef GW_REFDATA_H
#define GW_REFDATA_H

#include "ledger.h"

#define REFDATA_NAME_MAX 200

struct checklist_item {
	char code[HAZARD_CODE_MAX + 1];
	int grade; /* the default grade */
	char name[REFDATA_NAME_MAX + 1];
};

struct catalog_entry {
	char code[PRODUCT_MAX + 1];
	enum item item;
	char name[REFDATA_NAME_MAX + 1];
	char standard[64];
	int64_t price_fen;
	int fits; /* enum category the product is made for, -1 any (schema 0012) */
};

struct rectification {
	char code[HAZARD_CODE_MAX + 1];
	int grade;
	int64_t opened_at;
	int64_t deadline; /* 0: none (grade 3 advice) */
	char name[REFDATA_NAME_MAX + 1];
};

typedef int (*checklist_fn)(void *ctx, const struct checklist_item *c);
typedef int (*catalog_fn)(void *ctx, const struct catalog_entry *e);
typedef int (*rectification_fn)(void *ctx, const struct rectification *r);

/* Checklist items whose applies_to fits the household: all, its category, its gas. */
int refdata_checklist(struct ledger *l, enum category c, enum gas g, int zh, checklist_fn fn,
		      void *ctx);
/* Catalog products for one item, by code. */
int refdata_catalog(struct ledger *l, enum item it, int zh, catalog_fn fn, void *ctx);
/* Rectification orders of a household not yet cleared, oldest first. */
int refdata_rectifications(struct ledger *l, const char *account, int zh, rectification_fn fn,
			   void *ctx);

/* 1 when a serial was fitted at a household other than account (other receives it),
 * 0 when not, -1 error. */
int refdata_serial_fitted(struct ledger *l, const char *serial, const char *account, char *other,
			  size_t othersz);
/* A sector's name (the code itself when the table does not know it). */
int refdata_sector_name(struct ledger *l, const char *code, int zh, char *out, size_t outsz);
/* The code of one of the district's subdistricts as a person types it: its code in any
 * case (JSL, jsl), its name (建设路街道), its name without 街道 (建设路) or its pinyin
 * (Jianshelu). 0 found (code filled), 1 none, -1 database error. */
int refdata_subdistrict_code(struct ledger *l, const char *typed, char *code, size_t codesz);

#endif
