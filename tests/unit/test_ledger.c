/* The ledger file: creation, migrations, a newer schema refused untouched,
 * recording, derived status, rectifications, suspensions and re-upserts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/ledger.h"
#include "tests/unit/fixture.h"
#include "core/util.h"

struct fx {
	struct tmp_ledger t;
	struct ledger *l;
	char path[96];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	if (tmp_ledger_open(&f->t, "terminal", "T1") != 0)
		return -1;
	f->l = f->t.l;
	gw_strlcpy(f->path, f->t.path, sizeof f->path);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	f->t.l = f->l; /* a test may have closed it and set f->l to NULL */
	tmp_ledger_close(&f->t);
	free(f);
	return 0;
}

static struct household hh(const char *account, enum category c, enum gas g)
{
	struct household h = fixture_household(account, c, g);

	gw_strlcpy(h.name, "张三", sizeof h.name);
	gw_strlcpy(h.compound, "幸福小区", sizeof h.compound);
	gw_strlcpy(h.building, "1", sizeof h.building);
	gw_strlcpy(h.unit, "1", sizeof h.unit);
	gw_strlcpy(h.floor, "3", sizeof h.floor);
	gw_strlcpy(h.room, "301", sizeof h.room);
	return h;
}

static struct visit visit_at(const char *account, int64_t at, enum outcome o)
{
	struct visit v;

	memset(&v, 0, sizeof v);
	gw_strlcpy(v.account, account, sizeof v.account);
	gw_strlcpy(v.actor, "tester", sizeof v.actor);
	v.at = at;
	v.tz_minutes = 480;
	v.outcome = o;
	return v;
}

static void test_seeded_reference_data(void **state)
{
	struct fx *f = *state;
	char buf[64];
	enum item it;
	int64_t price;

	assert_int_equal(ledger_hazard_grade(f->l, "H03"), 1);
	assert_int_equal(ledger_hazard_grade(f->l, "H99"), -1);
	assert_true(ledger_sector_known(f->l, "catering"));
	assert_false(ledger_sector_known(f->l, "bakery"));
	assert_int_equal(ledger_catalog_item(f->l, "V-STD", &it, &price), 1);
	assert_int_equal(it, ITEM_VALVE);
	assert_int_equal(price, 12000);
	assert_int_equal(ledger_setting(f->l, "residential_deadline", buf, sizeof buf), 1);
	assert_string_equal(buf, "2023-10-31");
	assert_int_equal(ledger_setting(f->l, "share_city", buf, sizeof buf), 1);
	assert_string_equal(buf, "1/3");
	assert_int_equal(strlen(ledger_device_id(f->l)), 16);
	assert_string_equal(ledger_kind(f->l), "terminal");
}

static void test_create_refuses_existing(void **state)
{
	struct fx *f = *state;
	struct ledger *l2;

	assert_int_equal(ledger_create(f->path, "office", "O", &l2), -1);
	assert_non_null(strstr(gw_error(), "already exists"));
}

static void test_newer_schema_refused_untouched(void **state)
{
	struct fx *f = *state;
	struct ledger *l2;
	struct stat before, after;
	char v[64];

	snprintf(v, sizeof v, "PRAGMA user_version = %d", ledger_schema_version() + 1);
	assert_int_equal(sqlite3_exec(ledger_sqlite(f->l), v, NULL, NULL, NULL), SQLITE_OK);
	ledger_close(f->l);
	f->l = NULL;
	assert_int_equal(stat(f->path, &before), 0);
	assert_int_equal(ledger_open(f->path, &l2), -1);
	assert_int_equal(gw_last_status(), GW_ERR_NEWER);
	assert_non_null(strstr(gw_error(), "newer gaswalk"));
	assert_int_equal(stat(f->path, &after), 0);
	assert_int_equal(before.st_size, after.st_size);
	assert_int_equal(before.st_mtime, after.st_mtime);
}

static void test_open_missing_says_init(void **state)
{
	struct ledger *l2;

	(void)state;
	assert_int_equal(ledger_open("/tmp/definitely-not-here.db", &l2), -1);
	assert_non_null(strstr(gw_error(), "gaswalk init"));
}

static void test_upsert_results(void **state)
{
	struct fx *f = *state;
	struct household h = hh("A1", CAT_RESIDENTIAL, GAS_PIPELINE), got;
	enum upsert_result r;

	assert_int_equal(household_upsert(f->l, &h, &r), 0);
	assert_int_equal(r, UPSERT_ADDED);
	assert_int_equal(household_upsert(f->l, &h, &r), 0);
	assert_int_equal(r, UPSERT_UNCHANGED);
	gw_strlcpy(h.phone, "13800000000", sizeof h.phone);
	assert_int_equal(household_upsert(f->l, &h, &r), 0);
	assert_int_equal(r, UPSERT_UPDATED);
	assert_int_equal(household_get(f->l, "A1", &got), 0);
	assert_string_equal(got.phone, "13800000000");
	assert_string_equal(got.name, "张三");
	assert_int_equal(household_get(f->l, "nope", &got), -1);
	assert_int_equal(gw_last_status(), GW_ERR_NOTFOUND);
}

static void test_record_status_and_base(void **state)
{
	struct fx *f = *state;
	struct household h = hh("A2", CAT_RESIDENTIAL, GAS_LPG);
	struct visit v1 = visit_at("A2", 1698717600, OUT_NOT_HOME), v2;
	struct status st;
	enum upsert_result r;

	assert_int_equal(household_upsert(f->l, &h, &r), 0);
	assert_int_equal(visit_record(f->l, &v1), 0);
	assert_int_equal(v1.id.seq, 1);
	assert_int_equal(v1.base.seq, 0);
	v2 = visit_at("A2", 1698717700, OUT_ENTERED);
	v2.hose = HOSE_METAL;
	assert_int_equal(visit_record(f->l, &v2), 0);
	assert_int_equal(v2.id.seq, 2);
	assert_int_equal(v2.base.seq, 1); /* the last visit it knew of */
	assert_string_equal(v2.base.device, ledger_device_id(f->l));
	assert_int_equal(status_get(f->l, "A2", 0, &h, &st), 0);
	assert_int_equal(st.state, ST_COMPLIANT);
	assert_int_equal(status_get(f->l, "A2", 1698717650, &h, &st), 0);
	assert_int_equal(st.state, ST_PENDING); /* as of before the second visit */
	/* a visit for an unknown household is refused, and nothing is written */
	v2 = visit_at("ZZ", 1698717700, OUT_ENTERED);
	assert_int_equal(visit_record(f->l, &v2), -1);
}

static int count(struct ledger *l, const char *sql)
{
	sqlite3_stmt *st;
	int n = -1;

	sqlite3_prepare_v2(ledger_sqlite(l), sql, -1, &st, NULL);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void test_rectifications_and_suspensions(void **state)
{
	struct fx *f = *state;
	struct household h = hh("B1", CAT_NON_RESIDENTIAL, GAS_PIPELINE);
	struct visit v = visit_at("B1", 1000000, OUT_ENTERED);
	enum upsert_result r;

	assert_int_equal(household_upsert(f->l, &h, &r), 0);
	gw_strlcpy(v.hazards[0].code, "H03", sizeof v.hazards[0].code);
	v.hazards[0].grade = 1;
	gw_strlcpy(v.hazards[1].code, "H01", sizeof v.hazards[1].code);
	v.hazards[1].grade = 2;
	v.nhazards = 2;
	v.supply = SUPPLY_STOPPED;
	assert_int_equal(visit_record(f->l, &v), 0);
	assert_int_equal(count(f->l, "SELECT count(*) FROM rectification WHERE cleared_at IS NULL"), 2);
	assert_int_equal(count(f->l, "SELECT deadline - opened_at FROM rectification WHERE code='H01'"),
			 30 * 86400);
	assert_int_equal(count(f->l, "SELECT count(*) FROM suspension WHERE cleared_at IS NULL"), 1);
	v = visit_at("B1", 1100000, OUT_ENTERED);
	v.role = ROLE_RECHECK;
	assert_int_equal(visit_record(f->l, &v), 0);
	assert_int_equal(count(f->l, "SELECT count(*) FROM rectification WHERE cleared_at = 1100000"), 2);
	assert_int_equal(count(f->l, "SELECT cleared_at FROM suspension"), 1100000);
	v = visit_at("B1", 1150000, OUT_ENTERED);
	v.supply = SUPPLY_RESTORED;
	assert_int_equal(visit_record(f->l, &v), 0);
	assert_int_equal(count(f->l, "SELECT restored_at FROM suspension"), 1150000);
}

static void test_category_change_refreshes_status(void **state)
{
	struct fx *f = *state;
	struct household h = hh("C1", CAT_RESIDENTIAL, GAS_LPG);
	struct visit v = visit_at("C1", 1000, OUT_ENTERED);
	enum upsert_result r;

	assert_int_equal(household_upsert(f->l, &h, &r), 0);
	v.hose = HOSE_METAL;
	assert_int_equal(visit_record(f->l, &v), 0);
	assert_int_equal(count(f->l, "SELECT state = 'compliant' FROM status WHERE account='C1'"), 1);
	h.gas = GAS_PIPELINE; /* now a valve is required too */
	assert_int_equal(household_upsert(f->l, &h, &r), 0);
	assert_int_equal(count(f->l, "SELECT state = 'pending' FROM status WHERE account='C1'"), 1);
	assert_int_equal(count(f->l, "SELECT count(*) FROM visit WHERE account='C1'"), 1);
}

/* A visit with i hazards, i % 3 installs and i % 2 photos (i from 0). */
static struct visit visit_with_parts(const char *account, int i)
{
	struct visit v = visit_at(account, 1698717600 + i * 60, OUT_ENTERED);

	v.role = i % 2 ? ROLE_INSTALL : ROLE_INSPECT;
	for (int k = 0; k < i % 4; k++) {
		snprintf(v.hazards[k].code, sizeof v.hazards[k].code, "H0%d", 4 - k);
		v.hazards[k].grade = 1 + k % 3;
	}
	v.nhazards = i % 4;
	for (int k = 0; k < i % 3; k++) {
		v.installs[k].item = k ? ITEM_VALVE : ITEM_HOSE;
		gw_strlcpy(v.installs[k].product, "P1", sizeof v.installs[k].product);
		snprintf(v.installs[k].serial, sizeof v.installs[k].serial, "SN-%d-%d", i, k);
		v.installs[k].price_fen = 100 * i + k;
	}
	v.ninstalls = i % 3;
	if (i % 2) {
		snprintf(v.photos[0].name, sizeof v.photos[0].name, "IMG_%04d.jpg", i);
		v.photos[0].size = 1000 + i;
		memset(v.photos[0].hash, 'a' + i % 6, 64);
		v.nphotos = 1;
	}
	return v;
}

static void assert_same_visit(const struct visit *a, const struct visit *b)
{
	assert_string_equal(a->id.device, b->id.device);
	assert_int_equal(a->id.seq, b->id.seq);
	assert_string_equal(a->account, b->account);
	assert_int_equal(a->at, b->at);
	assert_int_equal(a->tz_minutes, b->tz_minutes);
	assert_int_equal(a->role, b->role);
	assert_int_equal(a->nhazards, b->nhazards);
	for (int k = 0; k < a->nhazards; k++) {
		assert_string_equal(a->hazards[k].code, b->hazards[k].code);
		assert_int_equal(a->hazards[k].grade, b->hazards[k].grade);
	}
	assert_int_equal(a->ninstalls, b->ninstalls);
	for (int k = 0; k < a->ninstalls; k++) {
		assert_int_equal(a->installs[k].item, b->installs[k].item);
		assert_string_equal(a->installs[k].serial, b->installs[k].serial);
		assert_int_equal(a->installs[k].price_fen, b->installs[k].price_fen);
	}
	assert_int_equal(a->nphotos, b->nphotos);
	for (int k = 0; k < a->nphotos; k++) {
		assert_string_equal(a->photos[k].name, b->photos[k].name);
		assert_string_equal(a->photos[k].hash, b->photos[k].hash);
	}
}

/* The export's one-pass reader gives each visit above the cut exactly as visit_get()
 * does, parts included, and nothing at or below the cut. */
static void test_visit_stream_matches_visit_get(void **state)
{
	struct fx *f = *state;
	struct household h = hh("S1", CAT_RESIDENTIAL, GAS_PIPELINE);
	struct visit *v = malloc(sizeof *v), *got = malloc(sizeof *got);
	struct visit_stream *vs;
	enum upsert_result r;
	int64_t seen = 0;

	assert_int_equal(household_upsert(f->l, &h, &r), 0);
	for (int i = 0; i < 12; i++) {
		*v = visit_with_parts("S1", i);
		assert_int_equal(visit_record(f->l, v), 0);
	}
	vs = visit_stream_open(f->l, ledger_device_id(f->l), 5);
	assert_non_null(vs);
	while (visit_stream_next(vs, v) == 1) {
		assert_int_equal(v->id.seq, 6 + seen++);
		assert_int_equal(visit_get(f->l, &v->id, got), 0);
		assert_same_visit(v, got);
	}
	visit_stream_close(vs);
	assert_int_equal(seen, 7);
	vs = visit_stream_open(f->l, "0000000000000000", 0); /* another device: none */
	assert_int_equal(visit_stream_next(vs, v), 0);
	visit_stream_close(vs);
	free(v);
	free(got);
}

/* Visits load with their parts whether the parts column says which (set when stored)
 * or is NULL (visits stored before schema 0005): then the part tables are asked. */
static void test_visit_load_parts_column(void **state)
{
	struct fx *f = *state;
	struct household h = hh("P1", CAT_RESIDENTIAL, GAS_PIPELINE);
	struct visit *v = malloc(sizeof *v), *got;
	enum upsert_result r;
	size_t n;

	assert_int_equal(household_upsert(f->l, &h, &r), 0);
	for (int i = 0; i < 6; i++) {
		*v = visit_with_parts("P1", i);
		assert_int_equal(visit_record(f->l, v), 0);
	}
	assert_int_equal(count(f->l, "SELECT sum(parts) FROM visit"), 0 + 7 + 3 + 5 + 2 + 7);
	for (int pass = 0; pass < 2; pass++) {
		assert_int_equal(visit_load(f->l, "P1", 0, &got, &n), 0);
		assert_int_equal(n, 6);
		for (size_t k = 0; k < n; k++) {
			*v = visit_with_parts("P1", (int)got[k].id.seq - 1);
			assert_int_equal(got[k].nhazards, v->nhazards);
			assert_int_equal(got[k].ninstalls, v->ninstalls);
			assert_int_equal(got[k].nphotos, v->nphotos);
		}
		free(got);
		assert_int_equal(sqlite3_exec(ledger_sqlite(f->l), "UPDATE visit SET parts = NULL",
					      NULL, NULL, NULL), SQLITE_OK);
	}
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_seeded_reference_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_refuses_existing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_refused_untouched, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_missing_says_init, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upsert_results, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record_status_and_base, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rectifications_and_suspensions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_category_change_refreshes_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_visit_stream_matches_visit_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_visit_load_parts_column, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
