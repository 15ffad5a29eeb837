/* show: households, statuses and visits as text lines or JSON, for status and list. */
#ifndef GW_CLI_SHOW_H
#define GW_CLI_SHOW_H

#include <jansson.h>

#include "core/labels.h"
#include "core/ledger.h"

json_t *show_household_json(const struct household *h);
json_t *show_status_json(const struct household *h, const struct status *st);
json_t *show_visit_json(const struct visit *v);
/* Text from a ledger as a JSON string (invalid UTF-8 bytes become U+FFFD). */
json_t *show_text_json(const char *s);
/* Prints a JSON document on stdout, one line; returns 0 or 1 on a write error. */
int show_json_print(json_t *doc);

/* A device as people know it: its enrolled name (the keyring's), else its id. */
void show_device_name(struct ledger *l, const char *id, char *out, size_t outsz);

/* The address as "compound building-unit-room". */
void show_address(const struct household *h, char *out, size_t outsz);

#endif
