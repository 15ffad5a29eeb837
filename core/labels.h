/* labels: the model's values as a person reads them, in the language of the messages. */
#ifndef GW_LABELS_H
#define GW_LABELS_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "rules.h"

const char *label_outcome(enum outcome o);
const char *label_outcome_short(int o); /* -1: never visited */
const char *label_hose(enum hose h);
const char *label_devstate(enum devstate d);
const char *label_item(enum item it);
const char *label_item_short(enum item it); /* fits a 12-column label */
const char *label_state(enum state s);
const char *label_role(enum role r);
const char *label_category(enum category c);
const char *label_gas(enum gas g);
const char *label_need(enum need n);
/* The day of an epoch in local time, "YYYY-MM-DD", and with the time "MM-DD HH:MM". */
void label_day(int64_t epoch, char *out, size_t outsz);
void label_when(int64_t epoch, char *out, size_t outsz);
/* A comma-separated list of field names as the ledger keeps them (a conflict's
 * "outcome,valve", a household change's "phone,room" or "new"), each as a person reads
 * it in the language of the messages; a name it does not know is kept as it is. */
void label_fields(const char *csv, char *out, size_t outsz);

#endif
