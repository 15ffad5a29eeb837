/* model: the ledger's records as C types, and their names on the command line. */
#ifndef GW_MODEL_H
#define GW_MODEL_H

#include <stddef.h>
#include <stdint.h>

enum category { CAT_RESIDENTIAL, CAT_NON_RESIDENTIAL, CAT__N };
enum gas { GAS_PIPELINE, GAS_LPG, GAS__N };
enum role { ROLE_INSPECT, ROLE_INSTALL, ROLE_RECHECK, ROLE_SELF_CHECK, ROLE_SPOT_CHECK, ROLE__N };
enum outcome { OUT_ENTERED, OUT_NOT_HOME, OUT_REFUSED, OUT_VACANT, OUT__N };
/* OBS_UNKNOWN: not recorded in this visit (stored as NULL). */
enum hose { HOSE_UNKNOWN, HOSE_METAL, HOSE_NON_METAL, HOSE_NONE, HOSE__N };
enum devstate { DEV_UNKNOWN, DEV_OK, DEV_ABSENT, DEV_FAULTY, DEV_NA, DEV__N };
enum supply { SUPPLY_NONE, SUPPLY_STOPPED, SUPPLY_RESTORED, SUPPLY__N };
enum item { ITEM_HOSE, ITEM_VALVE, ITEM_ALARM, ITEM_SHUTOFF, ITEM__N };
enum state { ST_COMPLIANT, ST_PENDING, ST_HAZARD_OPEN, ST_REFUSED, ST_NEVER_REACHED, ST__N };
/* How a visit was entered: the full form, or the quick two-key way ("all ok" /
 * "not at home"): a quick visit states no hazard picture, clears no hazard and
 * restores no supply (core/rules.c). */
enum entry_mode { ENTRY_FORM, ENTRY_QUICK, ENTRY__N };

/* Field limits, in bytes of UTF-8 (the import reports longer fields). */
#define HH_ACCOUNT_MAX 32
#define HH_NAME_MAX 200
#define HH_PHONE_MAX 32
#define HH_PLACE_MAX 96
#define HH_SECTOR_MAX 24
#define DEVICE_ID_MAX 26 /* derived ids (sync/keys.h); legacy ids are 16 */
#define ACTOR_MAX 64
#define NOTE_MAX 1000
#define PRODUCT_MAX 16
#define SERIAL_MAX 64
#define PHOTO_NAME_MAX 255
#define HASH_HEX_MAX 64
#define HAZARD_CODE_MAX 7
#define VISIT_MAX_HAZARDS 32
#define VISIT_MAX_INSTALLS 8
#define VISIT_MAX_PHOTOS 16

struct household {
	char account[HH_ACCOUNT_MAX + 1];
	enum category category;
	enum gas gas;
	int new_build;
	char sector[HH_SECTOR_MAX + 1]; /* "" for residential */
	char name[HH_NAME_MAX + 1];
	char phone[HH_PHONE_MAX + 1];
	char subdistrict[HH_PLACE_MAX + 1];
	char community[HH_PLACE_MAX + 1];
	char compound[HH_PLACE_MAX + 1];
	char building[HH_PLACE_MAX + 1];
	char unit[HH_PLACE_MAX + 1];
	char floor[HH_PLACE_MAX + 1];
	char room[HH_PLACE_MAX + 1];
};

struct visit_id {
	char device[DEVICE_ID_MAX + 1];
	int64_t seq; /* 0: none */
};

struct hazard {
	char code[HAZARD_CODE_MAX + 1];
	int grade;
};

struct install {
	enum item item;
	char product[PRODUCT_MAX + 1];
	char serial[SERIAL_MAX + 1];
	int64_t price_fen;
};

struct photo {
	char name[PHOTO_NAME_MAX + 1];
	int64_t size;
	char hash[HASH_HEX_MAX + 1];
};

struct visit {
	struct visit_id id;
	char account[HH_ACCOUNT_MAX + 1];
	char actor[ACTOR_MAX + 1];
	enum role role;
	int64_t at;     /* seconds since the epoch, UTC */
	int tz_minutes; /* offset of the local time it was recorded in */
	enum outcome outcome;
	enum hose hose;
	enum devstate valve, alarm, shutoff;
	enum supply supply;
	char supply_hazard[HAZARD_CODE_MAX + 1]; /* with SUPPLY_STOPPED: the hazard that caused
						  * the stop ("" none given) */
	int notice;                  /* 1: the policy notice was given to the household */
	enum entry_mode entry_mode;  /* ENTRY_QUICK: recorded the quick way */
	int voided;                  /* read back only: a void record cancels this visit */
	int nhazards, ninstalls, nphotos;
	struct hazard hazards[VISIT_MAX_HAZARDS];
	struct install installs[VISIT_MAX_INSTALLS];
	struct photo photos[VISIT_MAX_PHOTOS];
	char note[NOTE_MAX + 1];
	struct visit_id base;
	struct visit_id carried; /* a successor's copy (key new): the original's id; seq 0 none */
};

/* A void: a later record of device id.device (its own sequence number id.seq, in the
 * same numbering as its visits) that cancels visit `target` of household `account`,
 * with a reason. A terminal voids its own visits; an office any visit of its territory.
 * A voided visit stays in the ledger but drops out of the fold and of any conflict. */
#define VOID_REASON_MAX 500
struct visit_void {
	struct visit_id id;
	struct visit_id target;
	char account[HH_ACCOUNT_MAX + 1];
	char actor[ACTOR_MAX + 1];
	int64_t at;
	int tz_minutes;
	char reason[VOID_REASON_MAX + 1];
};

/* Command-line names ("non-home", "self-check", ...); NULL for UNKNOWN values. */
const char *category_name(enum category c);
const char *gas_name(enum gas g);
const char *role_name(enum role r);
const char *outcome_name(enum outcome o);
const char *hose_name(enum hose h);
const char *devstate_name(enum devstate d);
const char *supply_name(enum supply s);
const char *item_name(enum item i);
const char *state_name(enum state s);
const char *entry_mode_name(enum entry_mode e); /* "form", "quick" */

/* Parse a command-line or stored name; -1 when it is none of them. */
int category_parse(const char *s);
int gas_parse(const char *s);
int role_parse(const char *s);
int outcome_parse(const char *s);
int hose_parse(const char *s);
int devstate_parse(const char *s);
int supply_parse(const char *s);
int item_parse(const char *s);
int state_parse(const char *s);
int entry_mode_parse(const char *s);

/* A parsed value, or 0 (the UNKNOWN of enums that have one) for a name it does not know. */
static inline int enum_or_unknown(int v)
{
	return v < 0 ? 0 : v;
}

/* ISO 8601 "YYYY-MM-DD[THH:MM[:SS]][Z|±HH[:MM]]"; local time when no zone. */
int time_parse_iso(const char *s, int64_t *epoch, int *tz_minutes);
/* Formats as "YYYY-MM-DDTHH:MM:SS+08:00" in the given offset. */
void time_format_iso(int64_t epoch, int tz_minutes, char *out, size_t outsz);
/* The local offset in minutes at that time. */
int time_local_offset(int64_t epoch);
/* The end of the local day "YYYY-MM-DD" or "YYYY/MM/DD" (its last second), for --as-of. */
int time_parse_day_end(const char *day, int64_t *epoch);
/* A day as a person types it: YYYY-MM-DD, or YYYY/MM/DD (month and day may have one
 * digit: 2023/1/5, as spreadsheets write it). 0, or -1 when it is not a real date. */
int time_parse_date(const char *s, int *y, int *m, int *d);
/* time_parse_iso for what a person types: the date part may also be YYYY/MM/DD
 * (2023/11/30 10:00). Stored and exchanged times stay ISO 8601 (time_parse_iso). */
int time_parse_user(const char *s, int64_t *epoch, int *tz_minutes);

#endif
