/* The bundle reader against damaged and hostile input: every byte flipped in
 * turn, every truncation, a body that inflates far beyond its declared size,
 * an over-long record. Each one rejected with a message, the ledger unchanged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/ledger.h"
#include "core/util.h"
#include "sync/bundle.h"
#include "sync/export.h"
#include "sync/keys.h"
#include "sync/merge.h"

struct fixture {
	char dir[64];
	struct ledger *office, *term;
	struct sync_keys *office_keys, *term_keys;
	char *bundle;
	unsigned char *data;
	size_t len;
};

static const char households[] =
	"INSERT INTO household(account, category, gas, compound) VALUES ('A1', 'residential', 'pipeline', 'C1')";

static void make(const char *path, const char *kind, struct ledger **l, struct sync_keys **k)
{
	assert_int_equal(ledger_create(path, kind, kind, l), 0);
	assert_int_equal(sync_keys_create(*l), 0);
	*k = sync_keys_load(*l);
	assert_non_null(*k);
	assert_int_equal(ledger_exec(*l, households, 0, NULL), 0);
}

static void introduce(struct fixture *f)
{
	struct sync_identity o, t;

	assert_int_equal(sync_identity_self(f->office, &o), 0);
	assert_int_equal(sync_identity_self(f->term, &t), 0);
	assert_int_equal(sync_device_add(f->office, &t), 0);
	assert_int_equal(sync_device_add(f->term, &o), 0);
	assert_int_equal(ledger_meta_set(f->term, "upstream", o.id), 0);
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf = xmalloc(1 << 20);

	assert_non_null(fp);
	*len = fread(buf, 1, 1 << 20, fp);
	fclose(fp);
	return buf;
}

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	struct export_report r;
	struct visit v;

	snprintf(f->dir, sizeof f->dir, "/tmp/gw-unit-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(chdir(f->dir), 0);
	make("office.db", "office", &f->office, &f->office_keys);
	make("term.db", "terminal", &f->term, &f->term_keys);
	introduce(f);
	memset(&v, 0, sizeof v);
	gw_strlcpy(v.account, "A1", sizeof v.account);
	gw_strlcpy(v.actor, "tester", sizeof v.actor);
	v.outcome = OUT_ENTERED;
	v.valve = DEV_OK;
	v.at = gw_now() - 60; /* after its enrolment, which is now: merge holds a visit dated before */
	assert_int_equal(visit_record(f->term, &v), 0);
	assert_int_equal(sync_export(f->term, f->term_keys, ".", NULL, &r), 0);
	f->bundle = r.path;
	f->data = slurp(f->bundle, &f->len);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	sync_keys_free(f->office_keys);
	sync_keys_free(f->term_keys);
	ledger_close(f->office);
	ledger_close(f->term);
	snprintf(cmd, sizeof cmd, "%s", f->dir);
	/* remove the files this test made */
	const char *files[] = {"office.db", "office.db-wal", "office.db-shm", "office.db.key",
			       "term.db", "term.db-wal", "term.db-shm", "term.db.key", "bad.gwb"};
	for (size_t i = 0; i < GW_ARRAY_LEN(files); i++)
		unlink(files[i]);
	unlink(f->bundle);
	assert_int_equal(chdir("/"), 0);
	rmdir(cmd);
	free(f->bundle);
	free(f->data);
	free(f);
	return 0;
}

static int64_t count(struct ledger *l, const char *sql)
{
	sqlite3_stmt *st = ledger_stmt(l, sql);
	int64_t n;

	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

static const char sql_visits[] = "SELECT count(*) FROM visit";
static const char sql_bundles[] = "SELECT count(*) FROM bundle_in";

static void write_bad(const unsigned char *data, size_t len)
{
	FILE *fp = fopen("bad.gwb", "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static void expect_rejected(struct fixture *f)
{
	struct merge_report r;

	assert_int_equal(sync_merge(f->office, f->office_keys, "bad.gwb", 0, &r), 0);
	assert_int_equal(r.outcome, MERGE_REJECTED);
	assert_true(strlen(r.why) > 10);
}

static void test_each_byte_flipped(void **state)
{
	struct fixture *f = *state;
	unsigned char *copy = xmalloc(f->len);
	struct merge_report r;

	for (size_t i = 0; i < f->len; i++) {
		memcpy(copy, f->data, f->len);
		copy[i] ^= 0xff;
		write_bad(copy, f->len);
		expect_rejected(f);
	}
	free(copy);
	assert_int_equal(count(f->office, sql_visits), 0);
	assert_int_equal(count(f->office, sql_bundles), 0);
	/* and the bundle itself still merges */
	assert_int_equal(sync_merge(f->office, f->office_keys, f->bundle, 0, &r), 0);
	assert_int_equal(r.outcome, MERGE_MERGED);
	assert_int_equal(count(f->office, sql_visits), 1);
}

static void test_each_truncation(void **state)
{
	struct fixture *f = *state;

	for (size_t len = 0; len < f->len; len++) {
		write_bad(f->data, len);
		expect_rejected(f);
	}
	assert_int_equal(count(f->office, sql_visits), 0);
	assert_int_equal(count(f->office, sql_bundles), 0);
}

/* Writes a bundle of n lines of the given length, signed by the terminal. */
static void write_hostile(struct fixture *f, size_t nlines, size_t line_len, uint64_t declared)
{
	struct bundle_header h;
	struct bundle_writer *w;
	struct sync_identity o;
	char hash[BUNDLE_HASH_HEX], *line = xmalloc(line_len + 1);

	memset(&h, 0, sizeof h);
	assert_int_equal(sync_identity_self(f->office, &o), 0);
	h.kind = BUNDLE_VISITS;
	gw_strlcpy(h.sender, ledger_device_id(f->term), sizeof h.sender);
	gw_strlcpy(h.recipient, o.id, sizeof h.recipient);
	memcpy(h.sender_pk, f->term_keys->sign_pk, SYNC_PK_BYTES);
	h.seq = 7;
	assert_int_equal(bundle_writer_open("bad.gwb", &h, o.box_pk, &w), 0);
	memset(line, ' ', line_len);
	line[line_len] = '\n';
	for (size_t i = 0; i < nlines; i++)
		assert_int_equal(bundle_writer_put(w, line, line_len + 1), 0);
	if (declared)
		bundle_writer_declare_plain(w, declared);
	assert_int_equal(bundle_writer_finish(w, 0, 0, 0, f->term_keys, hash), 0);
	free(line);
}

static long max_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void test_inflates_beyond_declared(void **state)
{
	struct fixture *f = *state;
	struct merge_report r;
	long before;

	write_hostile(f, 256 * 1024, 255, 1000); /* 64 MiB of blanks declared as 1000 bytes */
	before = max_rss_kb();
	assert_int_equal(sync_merge(f->office, f->office_keys, "bad.gwb", 0, &r), 0);
	assert_int_equal(r.outcome, MERGE_REJECTED);
	assert_non_null(strstr(r.why, "inflates beyond"));
	assert_true(max_rss_kb() - before < 16 * 1024);
	assert_int_equal(count(f->office, sql_visits), 0);
}

static void test_record_too_long(void **state)
{
	struct fixture *f = *state;
	struct merge_report r;

	write_hostile(f, 1, 2 << 20, 0);
	assert_int_equal(sync_merge(f->office, f->office_keys, "bad.gwb", 0, &r), 0);
	assert_int_equal(r.outcome, MERGE_REJECTED);
	assert_non_null(strstr(r.why, "longer than 1 MiB"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_each_byte_flipped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_each_truncation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inflates_beyond_declared, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record_too_long, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
