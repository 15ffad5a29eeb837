/* search: finding a household from what a keypad, a keyboard or a scanner typed — an
 * account, a room, a name (as text or as pinyin on the keypad: 王建国 is "954",
 * "92645426486", "wjg"), the last digits of a phone, a fragment of the address.
 * The households are read once into an index (walking order), so each keystroke is a
 * pass over memory, not a query. */
#ifndef GW_SEARCH_H
#define GW_SEARCH_H

#include <stddef.h>

#include "ledger.h"

/* Why a household matched, best first. */
enum search_why {
	SEARCH_ACCOUNT, /* the account, whole (rank 0) or a fragment */
	SEARCH_ROOM,    /* the room, whole */
	SEARCH_NAME,    /* the name, whole or its start: as text or in pinyin */
	SEARCH_PHONE,   /* the phone's last four digits (or a longer run of its digits) */
	SEARCH_OTHER    /* a fragment: of the address, or pinyin from a later character */
};

/* One household of the index, as a result list shows it. */
struct search_entry {
	const char *account, *name, *compound, *building, *unit, *floor, *room;
	char phone_tail[5]; /* the phone's last four digits ("" without a phone) */
	int done;           /* a visit reached a conclusion (entered, refused, vacant) */
};

struct search_hit {
	const struct search_entry *e; /* owned by the index */
	enum search_why why;
	int rank; /* 0 best .. 4 */
};

struct search_index;

/* Reads every household with its done state; NULL on error (gw_fail set). */
struct search_index *search_index_load(struct ledger *l);
void search_index_free(struct search_index *ix);
int search_index_count(const struct search_index *ix);

/* The households matching query, best rank first, walking order within a rank: up to
 * max into hits. Returns how many match in all (may exceed max); 0 for "". */
int search_find(struct search_index *ix, const char *query, struct search_hit *hits, int max);

/* A door typed on the route (digits or letters, then Enter): the household whose
 * account is typed, else the one whose room it is within the place given (compound,
 * building, unit: NULL for any, narrowest first). Returns 1 with its account copied,
 * 0 when none, 2 when several rooms match (the caller may open search with the text),
 * -1 on a database error. */
int search_door(struct ledger *l, const char *typed, const char *compound,
		const char *building, const char *unit, char *account, size_t accountsz);

#endif
