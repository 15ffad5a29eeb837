/* devarg: a device or a visit as a person types it (DEVICE or DEVICE/SEQ, DEVICE a
 * name the keyring knows, OFFICE/NAME, or an id) and as the listings show it. */
#ifndef GW_CLI_DEVARG_H
#define GW_CLI_DEVARG_H

#include <stddef.h>

#include "core/ledger.h"

/* DEVICE/SEQ to a visit id, the device resolved to its id first (this ledger's own
 * name too). An unknown or ambiguous name, or no /SEQ: one line on stderr, returns 1. */
int cli_visit_arg(struct ledger *l, const char *arg, struct visit_id *id);

/* The keyring's name of a device as cli_visit_arg takes it back (OFFICE/NAME when
 * another device has that name too), neutralised; "" when it has none. */
void cli_device_name(struct ledger *l, const char *id, char *out, size_t outsz);

/* A device as listings show it: "NAME (ID)" when the keyring names it, else "ID";
 * the name neutralised (it came in a bundle). */
void cli_device_label(struct ledger *l, const char *id, char *out, size_t outsz);

/* A visit as listings show it: "NAME/SEQ (ID)" when the keyring names its device,
 * else "ID/SEQ"; either form is taken back by cli_visit_arg. */
void cli_visit_label(struct ledger *l, const struct visit_id *id, char *out, size_t outsz);

#endif
