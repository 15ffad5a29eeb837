/* Shared by test_records_fast.c and tests/fuzz/fuzz_record.c: the direct visit
 * reader (record_line_to_visit) against the jansson path (record_parse, then
 * record_to_visit), field by field. Header-only. */
#ifndef GW_TEST_VISIT_SAME_H
#define GW_TEST_VISIT_SAME_H

#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "sync/records.h"

static inline int visit_same_id(const struct visit_id *a, const struct visit_id *b)
{
	return strcmp(a->device, b->device) == 0 && a->seq == b->seq;
}

static inline int visit_same_parts(const struct visit *a, const struct visit *b)
{
	if (a->nhazards != b->nhazards || a->ninstalls != b->ninstalls || a->nphotos != b->nphotos)
		return 0;
	for (int i = 0; i < a->nhazards; i++)
		if (strcmp(a->hazards[i].code, b->hazards[i].code) != 0 ||
		    a->hazards[i].grade != b->hazards[i].grade)
			return 0;
	for (int i = 0; i < a->ninstalls; i++) {
		const struct install *x = &a->installs[i], *y = &b->installs[i];
		if (x->item != y->item || strcmp(x->product, y->product) != 0 ||
		    strcmp(x->serial, y->serial) != 0 || x->price_fen != y->price_fen)
			return 0;
	}
	for (int i = 0; i < a->nphotos; i++) {
		const struct photo *x = &a->photos[i], *y = &b->photos[i];
		if (strcmp(x->name, y->name) != 0 || x->size != y->size ||
		    strcmp(x->hash, y->hash) != 0)
			return 0;
	}
	return 1;
}

/* 1 when every field of the two visits is equal (strings as strings). */
static inline int visit_same(const struct visit *a, const struct visit *b)
{
	return visit_same_id(&a->id, &b->id) && strcmp(a->account, b->account) == 0 &&
	       strcmp(a->actor, b->actor) == 0 && a->role == b->role && a->at == b->at &&
	       a->tz_minutes == b->tz_minutes && a->outcome == b->outcome && a->hose == b->hose &&
	       a->valve == b->valve && a->alarm == b->alarm && a->shutoff == b->shutoff &&
	       a->supply == b->supply && strcmp(a->note, b->note) == 0 &&
	       a->notice == b->notice && a->entry_mode == b->entry_mode &&
	       strcmp(a->supply_hazard, b->supply_hazard) == 0 &&
	       visit_same_id(&a->base, &b->base) && visit_same_id(&a->carried, &b->carried) &&
	       visit_same_parts(a, b);
}

enum { SLOW_BAD_JSON = -2, SLOW_OTHER_TYPE = 2 };

/* The jansson path: 0 a visit, -1 an invalid visit record, SLOW_OTHER_TYPE another
 * record, SLOW_BAD_JSON not an object with a type. */
static inline int visit_slow(const char *line, size_t len, struct visit *v)
{
	const char *type;
	json_t *o = record_parse(line, len, &type);
	int rc;

	if (!o)
		return SLOW_BAD_JSON;
	rc = strcmp(type, "visit") == 0 ? record_to_visit(o, v) : SLOW_OTHER_TYPE;
	json_decref(o);
	return rc;
}

/* Both paths on one line: 1 when they agree (the fast one accepts exactly what the
 * slow one accepts, with the same fields; rejects with the same message; or
 * declines). *fast and *slow get their results. */
static inline int visit_paths_agree(const char *line, size_t len, int *fast, int *slow)
{
	struct visit *a = xmalloc(sizeof *a), *b = xmalloc(sizeof *b);
	char msg[512] = "";
	int ok = 1;

	*fast = record_line_to_visit(line, len, a);
	if (*fast < 0)
		gw_strlcpy(msg, gw_error(), sizeof msg);
	*slow = visit_slow(line, len, b);
	if (*fast == 0)
		ok = *slow == 0 && visit_same(a, b);
	else if (*fast < 0)
		ok = *slow == -1 && strcmp(msg, gw_error()) == 0;
	else
		ok = *fast == 1;
	free(a);
	free(b);
	return ok;
}

#endif
