#include "ledger.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "embedded.h"
#include "i18n.h"
#include "util.h"

#define LEDGER_BUSY_MS 10000

#define LEDGER_STMT_CACHE 256 /* above the number of ledger_stmt call sites (169), so a
				  * merge that uses every kind of record never fills it */

struct ledger {
	sqlite3 *db;
	struct {
		const char *sql; /* the caller's static string: compared by address */
		sqlite3_stmt *st;
	} cache[LEDGER_STMT_CACHE];
	char *path;
	char device_id[DEVICE_ID_MAX + 1];
	char name[128];
	char kind[16];
	int rectify_days;
	int rectify_days1; /* grade 1 (setting rectify_days_grade1, schema 0011) */
};

/* SQLite's message, with the system's reason when a full, read-only or failing disk
 * is behind it ("unable to open database file" alone does not tell a user what to do).
 * SQLite's saved errno can be overwritten by later probes, so a read-only file system
 * is asked of the file system itself. */
static const char *db_errmsg(const struct ledger *l, char *buf, size_t size)
{
	int e = sqlite3_system_errno(l->db), code = sqlite3_errcode(l->db);
	struct statvfs vfs;

	if ((code == SQLITE_CANTOPEN || code == SQLITE_READONLY || code == SQLITE_IOERR) &&
	    statvfs(l->path, &vfs) == 0 && (vfs.f_flag & ST_RDONLY))
		e = EROFS;
	if (e != ENOSPC && e != EROFS && e != EFBIG && e != EIO && e != EDQUOT && e != EACCES)
		return sqlite3_errmsg(l->db);
	snprintf(buf, size, "%s (%s)", sqlite3_errmsg(l->db), strerror(e));
	return buf;
}

static int db_fail(struct ledger *l, const char *what)
{
	char buf[256];

	return gw_fail(GW_ERR_DB, "%s: %s: %s", l->path, what, db_errmsg(l, buf, sizeof buf));
}

sqlite3 *ledger_sqlite(struct ledger *l) { return l->db; }
const char *ledger_path(const struct ledger *l) { return l->path; }
const char *ledger_device_id(const struct ledger *l) { return l->device_id; }
const char *ledger_name(const struct ledger *l) { return l->name; }
const char *ledger_kind(const struct ledger *l) { return l->kind; }
int ledger_rectify_days(const struct ledger *l) { return l->rectify_days; }
int ledger_rectify_days_grade1(const struct ledger *l) { return l->rectify_days1; }

static int exec_plain(struct ledger *l, const char *sql)
{
	char *msg = NULL, buf[256];

	if (sqlite3_exec(l->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		gw_fail(GW_ERR_DB, "%s: %s", l->path,
			sqlite3_system_errno(l->db) || !msg ? db_errmsg(l, buf, sizeof buf) : msg);
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int ledger_begin(struct ledger *l) { return exec_plain(l, "BEGIN IMMEDIATE"); }
int ledger_commit(struct ledger *l) { return exec_plain(l, "COMMIT"); }

void ledger_rollback(struct ledger *l)
{
	if (!sqlite3_get_autocommit(l->db))
		sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
}

static sqlite3_stmt *prepare(struct ledger *l, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v3(l->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		db_fail(l, "prepare");
		return NULL;
	}
	return st;
}

sqlite3_stmt *ledger_stmt(struct ledger *l, const char *sql)
{
	for (int i = 0; i < LEDGER_STMT_CACHE; i++) {
		if (l->cache[i].sql == sql) {
			sqlite3_reset(l->cache[i].st);
			sqlite3_clear_bindings(l->cache[i].st);
			return l->cache[i].st;
		}
		if (!l->cache[i].sql) {
			sqlite3_stmt *st = prepare(l, sql);
			if (st) {
				l->cache[i].sql = sql;
				l->cache[i].st = st;
			}
			return st;
		}
	}
	die("statement cache full");
}

const char *ledger_text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return t ? (const char *)t : "";
}

int ledger_db_fail(struct ledger *l, const char *what)
{
	return db_fail(l, what);
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

int ledger_exec(struct ledger *l, const char *sql, int nparams, const char *const *params)
{
	sqlite3_stmt *st = prepare(l, sql);
	int rc;

	if (!st)
		return -1;
	for (int i = 0; i < nparams; i++)
		bind_text(st, i + 1, params[i]);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(l, "write");
}

/* Reads one text column of the first row; 1 found, 0 not found, -1 error. */
static int query_text(struct ledger *l, const char *sql, const char *arg, char *out, size_t outsz)
{
	sqlite3_stmt *st = prepare(l, sql);
	int rc, found = 0;

	if (!st)
		return -1;
	bind_text(st, 1, arg);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);
		gw_strlcpy(out, t ? (const char *)t : "", outsz);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = db_fail(l, "read");
	}
	sqlite3_finalize(st);
	return found;
}

int ledger_setting(struct ledger *l, const char *key, char *out, size_t outsz)
{
	return query_text(l, "SELECT value FROM setting WHERE key = ?", key, out, outsz);
}

int ledger_setting_set(struct ledger *l, const char *key, const char *value)
{
	const char *p[] = {key, value};

	return ledger_exec(l,
			   "INSERT INTO setting(key, value) VALUES(?, ?) "
			   "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
			   2, p);
}

int ledger_meta(struct ledger *l, const char *key, char *out, size_t outsz)
{
	return query_text(l, "SELECT value FROM meta WHERE key = ?", key, out, outsz);
}

int ledger_meta_set(struct ledger *l, const char *key, const char *value)
{
	const char *p[] = {key, value};

	return ledger_exec(l,
			   "INSERT INTO meta(key, value) VALUES(?, ?) "
			   "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
			   2, p);
}

/* ---- migrations ---- */

static int migration_number(const char *name)
{
	if (strlen(name) < 9 || strcmp(name + strlen(name) - 4, ".sql") != 0)
		return 0;
	return (int)strtol(name, NULL, 10);
}

int ledger_schema_version(void)
{
	int v = 0;

	for (const struct embedded_file *f = embedded_files; f->name; f++)
		if (migration_number(f->name) > v)
			v = migration_number(f->name);
	return v;
}

static int user_version(struct ledger *l)
{
	sqlite3_stmt *st = prepare(l, "PRAGMA user_version");
	int v = -1;

	if (st && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int apply_migration(struct ledger *l, int n)
{
	char pragma[48];

	for (const struct embedded_file *f = embedded_files; f->name; f++) {
		if (migration_number(f->name) != n)
			continue;
		/* then the connection reloads the schema: a migration may rewrite table
		 * texts in place (0003), and a later ALTER TABLE edits a text at offsets
		 * taken from the text as it was loaded */
		if (exec_plain(l, (const char *)f->data) != 0 ||
		    exec_plain(l, "PRAGMA writable_schema = RESET") != 0)
			return -1;
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", n);
		return exec_plain(l, pragma);
	}
	return gw_fail(GW_ERR_DB, "migration %d is missing from this build", n);
}

static int migrate(struct ledger *l)
{
	int have = user_version(l), want = ledger_schema_version();

	if (have < 0)
		return db_fail(l, "cannot read the schema version");
	if (have > want)
		return gw_fail(GW_ERR_NEWER,
			       "%s: made by a newer gaswalk (schema %d, this one knows %d); "
			       "left untouched — use a newer gaswalk",
			       l->path, have, want);
	if (have == want)
		return 0;
	if (ledger_begin(l) != 0)
		return -1;
	for (int n = have + 1; n <= want; n++)
		if (apply_migration(l, n) != 0) {
			ledger_rollback(l);
			return -1;
		}
	return ledger_commit(l);
}

/* ---- seeding the reference data from the embedded plan files ---- */

struct seed {
	struct ledger *l;
	const char *sql;
	int nfields;
	int failed;
};

static int seed_row(void *ctx, char **fields, int nf)
{
	struct seed *s = ctx;
	sqlite3_stmt *st;

	if (nf < s->nfields)
		return 0;
	st = prepare(s->l, s->sql);
	if (!st)
		return s->failed = 1;
	for (int i = 0; i < s->nfields; i++)
		bind_text(st, i + 1, fields[i]);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_fail(s->l, "seed");
		s->failed = 1;
	}
	sqlite3_finalize(st);
	return s->failed;
}

static int seed_table(struct ledger *l, const char *file, const char *sql, int nfields)
{
	struct seed s = {l, sql, nfields, 0};

	if (embedded_tsv(file, seed_row, &s) < 0)
		return gw_fail(GW_ERR_DB, "%s is missing from this build", file);
	return s.failed ? -1 : 0;
}

static int seed(struct ledger *l)
{
	static const char extra[] =
		"INSERT INTO setting(key, value, source) VALUES "
		"('rectify_days_grade2', '30', 'assumption: common practice for a grade-2 notice')";

	if (seed_table(l, "subdistricts.tsv", "INSERT INTO subdistrict VALUES(?,?,?)", 3) ||
	    seed_table(l, "sectors.tsv", "INSERT INTO sector VALUES(?,?,?,?,?)", 5) ||
	    seed_table(l, "checklist.tsv", "INSERT INTO hazard_item VALUES(?,?,?,?,?)", 5) ||
	    seed_table(l, "catalog.tsv",
		       "INSERT INTO catalog VALUES(?,?,?,?,?,CAST(ROUND(?*100) AS INTEGER))", 6) ||
	    seed_table(l, "campaign-defaults.tsv", "INSERT INTO setting VALUES(?,?,?)", 3))
		return -1;
	return exec_plain(l, extra);
}

/* ---- open and create ---- */

static int set_pragmas(struct ledger *l)
{
	sqlite3_busy_timeout(l->db, LEDGER_BUSY_MS);
	return exec_plain(l, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; "
			     "PRAGMA synchronous = FULL; PRAGMA cache_size = -8000");
}

static int load_identity(struct ledger *l)
{
	char buf[32];

	if (ledger_meta(l, "device_id", l->device_id, sizeof l->device_id) != 1 ||
	    ledger_meta(l, "name", l->name, sizeof l->name) != 1 ||
	    ledger_meta(l, "kind", l->kind, sizeof l->kind) != 1)
		return gw_fail(GW_ERR_DB, "%s: not a gaswalk ledger (no identity)", l->path);
	l->rectify_days = 30;
	if (ledger_setting(l, "rectify_days_grade2", buf, sizeof buf) == 1)
		l->rectify_days = (int)strtol(buf, NULL, 10);
	l->rectify_days1 = 1;
	if (ledger_setting(l, "rectify_days_grade1", buf, sizeof buf) == 1)
		l->rectify_days1 = (int)strtol(buf, NULL, 10);
	return 0;
}

static struct ledger *ledger_new(const char *path)
{
	struct ledger *l = xcalloc(1, sizeof *l);

	l->path = xstrdup(path);
	return l;
}

static int open_db(struct ledger *l, int flags)
{
	char buf[256];

	/* one thread uses a connection: no mutex on every call */
	if (sqlite3_open_v2(l->path, &l->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		gw_fail(GW_ERR_DB, "%s: cannot open: %s", l->path,
			l->db ? db_errmsg(l, buf, sizeof buf) : "out of memory");
		return -1;
	}
	sqlite3_extended_result_codes(l->db, 1);
	return 0;
}

/* A ledger made before files were created 0600 (or copied with a loose umask) is made
 * private when its owner opens it, with its -wal and -shm (names, phones, addresses). */
static void make_private(const char *path, const struct stat *sb)
{
	static const char *const suffix[] = {"", "-wal", "-shm"};
	size_t n = strlen(path) + 8;
	char *p;

	if (sb->st_uid != geteuid() || !(sb->st_mode & 077))
		return;
	p = xmalloc(n);
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		struct stat fs;
		snprintf(p, n, "%s%s", path, suffix[i]);
		if (lstat(p, &fs) == 0 && S_ISREG(fs.st_mode) && fs.st_uid == geteuid())
			(void)chmod(p, fs.st_mode & 0700);
	}
	free(p);
}

int ledger_open(const char *path, struct ledger **out)
{
	struct ledger *l;
	struct stat sb;

	*out = NULL;
	if (stat(path, &sb) != 0)
		return gw_fail(GW_ERR_INPUT, _("%s: no ledger here; create one with 'gaswalk init'"),
			       path);
	make_private(path, &sb);
	l = ledger_new(path);
	if (open_db(l, SQLITE_OPEN_READWRITE) || set_pragmas(l) || migrate(l) || load_identity(l)) {
		ledger_close(l);
		return -1;
	}
	*out = l;
	return 0;
}

/* A placeholder id until sync_keys_create derives the real one from the key (the
 * 16 hex characters of ledgers made before schema 0007). */
static void random_id(char *out)
{
	unsigned char b[8];

	if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b)
		die("no randomness available");
	for (size_t i = 0; i < sizeof b; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static int write_identity(struct ledger *l, const char *kind, const char *name)
{
	char now[24];

	random_id(l->device_id);
	snprintf(now, sizeof now, "%lld", (long long)gw_now());
	const char *p[] = {l->device_id, name, now};
	if (ledger_meta_set(l, "device_id", l->device_id) || ledger_meta_set(l, "name", name) ||
	    ledger_meta_set(l, "kind", kind) || ledger_meta_set(l, "next_seq", "1") ||
	    ledger_meta_set(l, "created_at", now))
		return -1;
	return ledger_exec(l,
			   "INSERT INTO device(id, name, kind, enrolled_at) VALUES(?, ?, 'self', ?)",
			   3, p);
}

int ledger_set_device_id(struct ledger *l, const char *id)
{
	const char *p[] = {id, l->device_id};

	if (strlen(id) > DEVICE_ID_MAX)
		return gw_fail(GW_ERR_INPUT, "%s: device id too long", id);
	if (ledger_exec(l, "UPDATE device SET id = ? WHERE id = ? AND kind = 'self'", 2, p) ||
	    ledger_meta_set(l, "device_id", id))
		return -1;
	gw_strlcpy(l->device_id, id, sizeof l->device_id);
	return 0;
}

static void remove_db_files(const char *path)
{
	size_t n = strlen(path) + 8;
	char *p = xmalloc(n);

	unlink(path);
	snprintf(p, n, "%s-wal", path);
	unlink(p);
	snprintf(p, n, "%s-shm", path);
	unlink(p);
	free(p);
}

/* The new ledger file, mode 0600, made before SQLite opens it: SQLite gives the -wal,
 * -shm and journal files it makes beside it the database file's mode, so no file of a
 * ledger (names, phones, addresses) is readable by other users. */
static int create_private(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0)
		return gw_fail(errno == EEXIST ? GW_ERR_INPUT : GW_ERR_IO, "%s: cannot create: %s",
			       path, strerror(errno));
	close(fd);
	return 0;
}

int ledger_create(const char *path, const char *kind, const char *name, struct ledger **out)
{
	struct ledger *l;
	struct stat sb;

	*out = NULL;
	if (stat(path, &sb) == 0)
		return gw_fail(GW_ERR_INPUT, "%s: a ledger already exists here; left untouched", path);
	if (create_private(path))
		return -1; /* nothing of ours to remove */
	l = ledger_new(path);
	if (open_db(l, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) || set_pragmas(l) ||
	    migrate(l) || ledger_begin(l))
		goto fail;
	if (seed(l) || write_identity(l, kind, name) || ledger_commit(l)) {
		ledger_rollback(l);
		goto fail;
	}
	if (load_identity(l))
		goto fail;
	*out = l;
	return 0;
fail:
	ledger_close(l);
	remove_db_files(path);
	return -1;
}

void ledger_close(struct ledger *l)
{
	if (!l)
		return;
	for (int i = 0; i < LEDGER_STMT_CACHE && l->cache[i].sql; i++)
		sqlite3_finalize(l->cache[i].st);
	if (l->db)
		sqlite3_close_v2(l->db);
	free(l->path);
	free(l);
}

/* ---- reference data ---- */

static const char sql_hazard_grade[] = "SELECT grade FROM hazard_item WHERE code = ?";
static const char sql_sector_known[] = "SELECT 1 FROM sector WHERE code = ?";
static const char sql_catalog_item[] = "SELECT item, price_fen FROM catalog WHERE code = ?";

/* Steps a cached statement bound to one text key; 1 row, 0 none, -1 error. */
static int lookup(struct ledger *l, const char *sql, const char *key, sqlite3_stmt **out)
{
	sqlite3_stmt *st = ledger_stmt(l, sql);
	int rc;

	*out = st;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return 1;
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(l, "read");
}

int ledger_hazard_grade(struct ledger *l, const char *code)
{
	sqlite3_stmt *st;
	int grade = -1;

	if (lookup(l, sql_hazard_grade, code, &st) == 1) {
		grade = sqlite3_column_int(st, 0);
		sqlite3_reset(st);
	}
	return grade;
}

int ledger_sector_known(struct ledger *l, const char *code)
{
	sqlite3_stmt *st;
	int found = lookup(l, sql_sector_known, code, &st);

	if (found == 1)
		sqlite3_reset(st);
	return found == 1;
}

int ledger_catalog_item(struct ledger *l, const char *code, enum item *it, int64_t *price_fen)
{
	sqlite3_stmt *st;
	int found = lookup(l, sql_catalog_item, code, &st);

	if (found == 1) {
		*it = (enum item)item_parse((const char *)sqlite3_column_text(st, 0));
		*price_fen = sqlite3_column_int64(st, 1);
		sqlite3_reset(st);
	}
	return found;
}
