/* settings: the campaign settings, each with a type, a range, a default and a scope.
 *
 * The scope says where a setting is set and where it travels (report/FORMAT.md,
 * "Settings"): district-wide settings are set at the district, travel down to the
 * subdistrict offices and their terminals and win over any office value; office
 * settings are set at a subdistrict office and travel to its terminals; terminal-local
 * settings never travel. Every change is validated and logged (setting_log). */
#ifndef GW_SETTINGS_H
#define GW_SETTINGS_H

#include <stddef.h>

#include "ledger.h"

enum setting_type {
	SETTING_INT,   /* a whole number within [min, max] */
	SETTING_DATE,  /* YYYY-MM-DD */
	SETTING_SHARE, /* a fraction 0..1 written "1/3" or "0.25" */
	SETTING_YUAN,  /* an amount of money in yuan, at most two decimals, within [min, max] */
};

enum setting_scope { SETTING_DISTRICT, SETTING_OFFICE, SETTING_TERMINAL };

struct setting_def {
	const char *key;
	enum setting_type type;
	enum setting_scope scope;
	long min, max;
	const char *def;  /* the built-in default, used when the ledger holds no value */
	const char *help; /* one line, English (translated through _() when shown) */
};

/* The definition of key, NULL when it is not a setting. */
const struct setting_def *settings_find(const char *key);
/* The definitions, in the documented order. */
size_t settings_count(void);
const struct setting_def *settings_at(size_t i);

const char *settings_scope_name(enum setting_scope s);
const char *settings_type_name(enum setting_type t);

/* The ledger's value of key, else its built-in default; 1 value found or defaulted,
 * 0 key unknown (out ""). */
int settings_get_text(struct ledger *l, const char *key, char *out, size_t sz);
/* An integer setting's value (an unreadable stored value gives the default). */
long settings_get_int(struct ledger *l, const char *key);

/* Checks value against key's type and range; on success writes its canonical spelling
 * to canon. -1 with the failure recorded (one line naming the key and the rule). */
int settings_check(const char *key, const char *value, char *canon, size_t sz);

/* Sets a setting on this ledger, as a user does: validated, logged with who and when,
 * one transaction. Refused on a terminal for a setting that is not terminal-local, and
 * at an office for a district-wide setting that the district has already sent. */
int settings_set(struct ledger *l, const char *key, const char *value, const char *who);

/* A setting arriving in a pack or roll-up; origin "district" or "office". Inside the
 * caller's transaction. Refuses unknown and terminal-local keys and invalid values;
 * an office value does not replace one the district sent. 0 stored or kept, -1 refused. */
int settings_receive(struct ledger *l, const char *key, const char *value, const char *origin);

/* Every setting a pack carries down (district-wide and office ones, never terminal-
 * local), with its value (stored or default) and where it came from: the origin it
 * arrived with, else "district" for a district-wide setting of a district ledger (meta
 * level), else "office". */
typedef int (*settings_fn)(void *ctx, const char *key, const char *value, const char *scope,
			   const char *origin);
int settings_each_travelling(struct ledger *l, settings_fn fn, void *ctx);

#endif
