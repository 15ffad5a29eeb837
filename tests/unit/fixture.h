/* Shared by the unit tests: a ledger in a fresh temporary folder, removed whole
 * afterwards, a household with the fields a test needs, and a plain visit. Header-only. */
#ifndef GW_TEST_FIXTURE_H
#define GW_TEST_FIXTURE_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ledger.h"
#include "core/util.h"

struct tmp_ledger {
	char dir[64];
	char path[96]; /* dir/t.db */
	struct ledger *l;
};

/* 0 on success; kind "terminal" or "office". */
static inline int tmp_ledger_open(struct tmp_ledger *t, const char *kind, const char *name)
{
	gw_strlcpy(t->dir, "/tmp/gaswalk-unit-XXXXXX", sizeof t->dir);
	if (!mkdtemp(t->dir))
		return -1;
	snprintf(t->path, sizeof t->path, "%s/t.db", t->dir);
	return ledger_create(t->path, kind, name, &t->l);
}

static inline int tmp_remove_entry(const char *path, const struct stat *sb, int flag,
				   struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Closes the ledger and removes the folder with everything a test put in it. */
static inline void tmp_ledger_close(struct tmp_ledger *t)
{
	ledger_close(t->l);
	t->l = NULL;
	nftw(t->dir, tmp_remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* A household: non-residential ones get a sector (the schema requires it). */
static inline struct household fixture_household(const char *account, enum category c, enum gas g)
{
	struct household h;

	memset(&h, 0, sizeof h);
	gw_strlcpy(h.account, account, sizeof h.account);
	h.category = c;
	h.gas = g;
	if (c == CAT_NON_RESIDENTIAL)
		gw_strlcpy(h.sector, "catering", sizeof h.sector);
	return h;
}

/* A plain visit: an inspector entered household H0000001 (device 0123456789abcdef, 42). */
static inline void fixture_visit(struct visit *v)
{
	memset(v, 0, sizeof *v);
	gw_strlcpy(v->id.device, "0123456789abcdef", sizeof v->id.device);
	v->id.seq = 42;
	gw_strlcpy(v->account, "H0000001", sizeof v->account);
	gw_strlcpy(v->actor, "inspector", sizeof v->actor);
	v->role = ROLE_INSPECT;
	v->at = 1690000000;
	v->outcome = OUT_ENTERED;
}

#endif
