/* route: the walk of the day as the terminal holds it — compounds, buildings, units,
 * doors — with done/total counts. A door is "done" once a visit reached a conclusion
 * there (entered, refused or vacant); "not at home" leaves it pending. */
#ifndef GW_ROUTE_H
#define GW_ROUTE_H

#include "ledger.h"

/* One compound, building or unit and its progress. */
struct route_group {
	char name[HH_PLACE_MAX + 1];
	int done, total;
	int lacking; /* doors where a visit found a required device missing */
	/* A compound is (subdistrict, compound): at the compound level "街道/小区", the
	 * name to pass back as `compound` (a name alone matches that name in any
	 * subdistrict); at the other levels the same as name. */
	char key[2 * HH_PLACE_MAX + 2];
};

/* One door of a unit, with what the door list marks. */
struct route_door {
	char account[HH_ACCOUNT_MAX + 1];
	char name[HH_NAME_MAX + 1];
	char floor[HH_PLACE_MAX + 1];
	char room[HH_PLACE_MAX + 1];
	enum category category;
	enum gas gas;
	enum state state;
	enum hose hose;
	enum devstate valve, alarm, shutoff;
	int last_outcome; /* enum outcome, -1 never visited */
	int done;
	int lacking; /* a required device found missing */
};

typedef int (*route_group_fn)(void *ctx, const struct route_group *g);
typedef int (*route_door_fn)(void *ctx, const struct route_door *d);

/* Doors done and doors in all, over every household the terminal holds. */
int route_day(struct ledger *l, int *done, int *total);
/* Households with a visit (not voided) recorded since that time: the day's doors. */
int route_today(struct ledger *l, int64_t since, int *visited);
/* Groups in walking order. compound/building select the level: both NULL lists
 * compounds, compound alone lists its buildings, both list the building's units.
 * compound: a route_group.key ("街道/小区") or a compound's name alone. */
int route_groups(struct ledger *l, const char *compound, const char *building,
		 route_group_fn fn, void *ctx);
/* The doors of one unit in walking order (floor, then room). pending_only: 0 all,
 * 1 not done, 2 lacking a required device (an installer's to-do). */
int route_doors(struct ledger *l, const char *compound, const char *building, const char *unit,
		int pending_only, route_door_fn fn, void *ctx);

#endif
