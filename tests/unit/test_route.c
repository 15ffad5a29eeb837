/* core/route.c and core/refdata.c: the walk's groups and doors with done/total
 * (not at home stays to do), the checklist by applies_to, the catalog, open orders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/ledger.h"
#include "core/refdata.h"
#include "core/route.h"
#include "core/util.h"
#include "tests/unit/fixture.h"

struct fx {
	struct tmp_ledger t;
	struct ledger *l;
};

static void add(struct ledger *l, const char *account, const char *compound, const char *building,
		const char *floor, const char *room, enum category c, enum gas g)
{
	struct household h = fixture_household(account, c, g);
	enum upsert_result res;

	gw_strlcpy(h.name, account, sizeof h.name);
	gw_strlcpy(h.compound, compound, sizeof h.compound);
	gw_strlcpy(h.building, building, sizeof h.building);
	gw_strlcpy(h.unit, "1", sizeof h.unit);
	gw_strlcpy(h.floor, floor, sizeof h.floor);
	gw_strlcpy(h.room, room, sizeof h.room);
	assert_int_equal(household_upsert(l, &h, &res), 0);
}

static void visit(struct ledger *l, const char *account, enum outcome o, const char *hazard)
{
	struct visit *v = calloc(1, sizeof *v);

	gw_strlcpy(v->account, account, sizeof v->account);
	gw_strlcpy(v->actor, "t", sizeof v->actor);
	v->outcome = o;
	v->at = 1700000000 + o;
	if (hazard) {
		gw_strlcpy(v->hazards[0].code, hazard, sizeof v->hazards[0].code);
		v->hazards[0].grade = 2;
		v->nhazards = 1;
	}
	assert_int_equal(visit_record(l, v), 0);
	free(v);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	if (tmp_ledger_open(&f->t, "terminal", "T1") != 0)
		return -1;
	f->l = f->t.l;
	add(f->l, "1", "B-court", "10", "2", "201", CAT_RESIDENTIAL, GAS_PIPELINE);
	add(f->l, "2", "B-court", "2", "10", "1001", CAT_RESIDENTIAL, GAS_PIPELINE);
	add(f->l, "3", "B-court", "2", "9", "901", CAT_RESIDENTIAL, GAS_LPG);
	add(f->l, "4", "A-court", "1", "1", "101", CAT_NON_RESIDENTIAL, GAS_LPG);
	visit(f->l, "2", OUT_ENTERED, "H01");
	visit(f->l, "3", OUT_NOT_HOME, NULL);
	visit(f->l, "4", OUT_REFUSED, NULL);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	tmp_ledger_close(&f->t);
	free(f);
	return 0;
}

struct seen {
	char text[512];
	size_t len;
};

static void seen_add(struct seen *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void seen_add(struct seen *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	s->len += (size_t)vsnprintf(s->text + s->len, sizeof s->text - s->len, fmt, ap);
	va_end(ap);
}

static int group_seen(void *ctx, const struct route_group *g)
{
	seen_add(ctx, "%s:%d/%d ", g->name, g->done, g->total);
	return 0;
}

static int door_seen(void *ctx, const struct route_door *d)
{
	seen_add(ctx, "%s:%d:%d ", d->room, d->done, d->last_outcome);
	return 0;
}

static void test_groups(void **state)
{
	struct fx *f = *state;
	struct seen s = {"", 0};
	int done, total;

	assert_int_equal(route_day(f->l, &done, &total), 0);
	assert_int_equal(done, 2); /* entered and refused; not at home stays to do */
	assert_int_equal(total, 4);
	assert_int_equal(route_groups(f->l, NULL, NULL, group_seen, &s), 0);
	assert_string_equal(s.text, "A-court:1/1 B-court:1/3 ");
	s.len = 0;
	assert_int_equal(route_groups(f->l, "B-court", NULL, group_seen, &s), 0);
	assert_string_equal(s.text, "2:1/2 10:0/1 "); /* buildings in number order */
	s.len = 0;
	assert_int_equal(route_groups(f->l, "B-court", "2", group_seen, &s), 0);
	assert_string_equal(s.text, "1:1/2 ");
}

static void test_doors(void **state)
{
	struct fx *f = *state;
	struct seen s = {"", 0};

	assert_int_equal(route_doors(f->l, "B-court", "2", "1", 0, door_seen, &s), 0);
	assert_string_equal(s.text, "901:0:1 1001:1:0 "); /* floor 9 before floor 10 */
	s.len = 0;
	assert_int_equal(route_doors(f->l, "B-court", "2", "1", 1, door_seen, &s), 0);
	assert_string_equal(s.text, "901:0:1 ");
}

static int checklist_seen(void *ctx, const struct checklist_item *c)
{
	seen_add(ctx, "%s ", c->code);
	return 0;
}

static void test_checklist(void **state)
{
	struct fx *f = *state;
	struct seen s = {"", 0};

	assert_int_equal(refdata_checklist(f->l, CAT_NON_RESIDENTIAL, GAS_LPG, 0, checklist_seen, &s), 0);
	assert_non_null(strstr(s.text, "H16 ")); /* non_residential */
	assert_non_null(strstr(s.text, "H20 ")); /* lpg */
	assert_null(strstr(s.text, "H15 "));     /* residential only */
	assert_null(strstr(s.text, "H19 "));     /* pipeline only */
	s.len = 0;
	s.text[0] = '\0';
	assert_int_equal(refdata_checklist(f->l, CAT_RESIDENTIAL, GAS_PIPELINE, 0, checklist_seen, &s), 0);
	assert_non_null(strstr(s.text, "H15 "));
	assert_non_null(strstr(s.text, "H19 "));
	assert_null(strstr(s.text, "H16 "));
	assert_null(strstr(s.text, "H20 "));
}

static int catalog_seen(void *ctx, const struct catalog_entry *e)
{
	seen_add(ctx, "%s=%lld:%s ", e->code, (long long)e->price_fen, e->name);
	return 0;
}

static void test_catalog(void **state)
{
	struct fx *f = *state;
	struct seen s = {"", 0};

	assert_int_equal(refdata_catalog(f->l, ITEM_ALARM, 1, catalog_seen, &s), 0);
	assert_string_equal(s.text, "A-COM=60000:工商业点型可燃气体探测器（通用） "
				    "A-HOME=15000:家用可燃气体探测器（通用） ");
}

static int rect_seen(void *ctx, const struct rectification *r)
{
	seen_add(ctx, "%s g%d %lld %s", r->code, r->grade, (long long)(r->deadline - r->opened_at),
		 r->name);
	return 0;
}

static void test_rectifications(void **state)
{
	struct fx *f = *state;
	struct seen s = {"", 0};

	assert_int_equal(refdata_rectifications(f->l, "2", 0, rect_seen, &s), 0);
	assert_string_equal(s.text, "H01 g2 2592000 gas pipe loaded or wrapped with wires");
	visit(f->l, "2", OUT_ENTERED, NULL); /* a later visit that finds none clears it */
	s.len = 0;
	s.text[0] = '\0';
	assert_int_equal(refdata_rectifications(f->l, "2", 0, rect_seen, &s), 0);
	assert_string_equal(s.text, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_doors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checklist, setup, teardown),
		cmocka_unit_test_setup_teardown(test_catalog, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rectifications, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
