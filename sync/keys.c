#include "keys.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"

#define KEYFILE_MAGIC "GWKEY001"
#define KEYFILE_LEN (8 + SYNC_SIGN_SK_BYTES + 2 * SYNC_PK_BYTES)

int sync_init(void)
{
	if (sodium_init() < 0)
		die("libsodium cannot start");
	return 0;
}

/* Guarded memory for secrets; never returns NULL. */
static void *secret_alloc(size_t n)
{
	void *p = sodium_malloc(n);

	if (!p)
		die("out of memory for keys");
	return p;
}

void sync_b64(const unsigned char *bin, size_t n, char *out, size_t outsz)
{
	sodium_bin2base64(out, outsz, bin, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int sync_unb64(const char *s, unsigned char *bin, size_t n)
{
	size_t got = 0;
	const char *end = NULL;

	if (sodium_base642bin(bin, n, s, strlen(s), NULL, &got, &end,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    got != n || *end)
		return -1;
	return 0;
}

char *sync_keys_path(const char *db_path)
{
	size_t n = strlen(db_path) + 5;
	char *p = xmalloc(n);

	snprintf(p, n, "%s.key", db_path);
	return p;
}

int sync_keys_exist(const char *db_path)
{
	char *p = sync_keys_path(db_path);
	struct stat sb;
	int rc = stat(p, &sb) == 0;

	free(p);
	return rc;
}

static int write_keyfile(const char *path, const struct sync_keys *k)
{
	unsigned char *buf = secret_alloc(KEYFILE_LEN);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600), rc = -1;

	if (fd < 0) {
		sodium_free(buf);
		return gw_fail(GW_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
	}
	memcpy(buf, KEYFILE_MAGIC, 8); /* NOLINT(bugprone-not-null-terminated-result) */
	memcpy(buf + 8, k->sign_sk, SYNC_SIGN_SK_BYTES);
	memcpy(buf + 8 + SYNC_SIGN_SK_BYTES, k->box_sk, SYNC_PK_BYTES);
	memcpy(buf + 8 + SYNC_SIGN_SK_BYTES + SYNC_PK_BYTES, k->box_pk, SYNC_PK_BYTES);
	if (write(fd, buf, KEYFILE_LEN) == KEYFILE_LEN && fsync(fd) == 0)
		rc = 0;
	if (close(fd) != 0)
		rc = -1;
	sodium_free(buf);
	if (rc) {
		int err = errno;

		unlink(path); /* half a key file would block the next init */
		return gw_fail(GW_ERR_IO, "%s: cannot write: %s", path, strerror(err));
	}
	return 0;
}

static int store_public(struct ledger *l, const struct sync_keys *k)
{
	char spk[64], bpk[64];

	sync_b64(k->sign_pk, SYNC_PK_BYTES, spk, sizeof spk);
	sync_b64(k->box_pk, SYNC_PK_BYTES, bpk, sizeof bpk);
	const char *p[] = {spk, bpk, ledger_device_id(l)};
	return ledger_exec(l, "UPDATE device SET sign_pk = ?, box_pk = ? WHERE id = ?", 3, p);
}

int sync_keys_create(struct ledger *l)
{
	struct sync_keys *k;
	char *path = sync_keys_path(ledger_path(l));
	int rc;

	sync_init();
	k = secret_alloc(sizeof *k);
	crypto_sign_keypair(k->sign_pk, k->sign_sk);
	crypto_box_keypair(k->box_pk, k->box_sk);
	rc = write_keyfile(path, k);
	if (rc == 0)
		rc = store_public(l, k);
	sync_keys_free(k);
	free(path);
	return rc;
}

static int read_keyfile(const char *path, int fd, struct sync_keys *k)
{
	unsigned char *buf = secret_alloc(KEYFILE_LEN + 1);
	ssize_t got = read(fd, buf, KEYFILE_LEN + 1);
	int rc = 0;

	if (got != KEYFILE_LEN || memcmp(buf, KEYFILE_MAGIC, 8) != 0) {
		rc = gw_fail(GW_ERR_INPUT, "%s: not a gaswalk key file", path);
	} else {
		memcpy(k->sign_sk, buf + 8, SYNC_SIGN_SK_BYTES);
		memcpy(k->box_sk, buf + 8 + SYNC_SIGN_SK_BYTES, SYNC_PK_BYTES);
		memcpy(k->box_pk, buf + 8 + SYNC_SIGN_SK_BYTES + SYNC_PK_BYTES, SYNC_PK_BYTES);
		crypto_sign_ed25519_sk_to_pk(k->sign_pk, k->sign_sk);
	}
	sodium_free(buf);
	return rc;
}

struct sync_keys *sync_keys_load(struct ledger *l)
{
	char *path = sync_keys_path(ledger_path(l));
	struct sync_keys *k = NULL;
	struct stat sb;
	int fd;

	sync_init();
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		gw_fail(GW_ERR_IO, "%s: cannot read the key file: %s", path, strerror(errno));
	} else if (fstat(fd, &sb) != 0 || (sb.st_mode & 077)) {
		gw_fail(GW_ERR_INPUT,
			"%s: key file readable by others; refused — run 'chmod 600 %s' if nobody "
			"else could have copied it, else make new keys",
			path, path);
	} else {
		k = secret_alloc(sizeof *k);
		if (read_keyfile(path, fd, k) != 0) {
			sodium_free(k);
			k = NULL;
		}
	}
	if (fd >= 0)
		close(fd);
	free(path);
	return k;
}

void sync_keys_free(struct sync_keys *k)
{
	if (k)
		sodium_free(k); /* wipes before freeing */
}

/* ---- identity lines ---- */

static int needs_escape(unsigned char c)
{
	return c <= 0x20 || c == 0x7f || c == ':' || c == '%';
}

static void escape_name(const char *s, char *out, size_t outsz)
{
	size_t o = 0;

	for (; *s && o + 4 < outsz; s++) {
		unsigned char c = (unsigned char)*s;
		if (needs_escape(c))
			o += (size_t)snprintf(out + o, outsz - o, "%%%02X", c);
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int unescape_name(const char *s, size_t n, char *out, size_t outsz)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned int c = (unsigned char)s[i];
		if (o + 1 >= outsz)
			return -1;
		if (c == '%') {
			if (i + 2 >= n || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0)
				return -1;
			c = (unsigned)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		}
		if (c < 0x20 || c == 0x7f)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return 0;
}

void sync_identity_format(const struct sync_identity *id, char *out, size_t outsz)
{
	char name[400], spk[64], bpk[64];

	escape_name(id->name, name, sizeof name);
	sync_b64(id->sign_pk, SYNC_PK_BYTES, spk, sizeof spk);
	sync_b64(id->box_pk, SYNC_PK_BYTES, bpk, sizeof bpk);
	snprintf(out, outsz, "gaswalk-id1:%s:%s:%s:%s:%s", id->id, id->kind, name, spk, bpk);
}

static int valid_device_id(const char *s, size_t n)
{
	if (n != DEVICE_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdef", s[i]) || !s[i])
			return 0;
	return 1;
}

/* Splits "a:b:c" into exactly n fields (pointers into s, with lengths). */
static int split(const char *s, const char **f, size_t *len, int n)
{
	int k = 0;

	for (const char *p = s;; p++) {
		if (*p == ':' || *p == '\0') {
			if (k == n)
				return -1;
			f[k] = s;
			len[k++] = (size_t)(p - s);
			s = p + 1;
		}
		if (*p == '\0')
			break;
	}
	return k == n ? 0 : -1;
}

static int parse_key(const char *s, size_t n, unsigned char *out)
{
	char buf[64];

	if (n >= sizeof buf)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return sync_unb64(buf, out, SYNC_PK_BYTES);
}

int sync_identity_parse(const char *line, struct sync_identity *id)
{
	const char *f[6];
	size_t len[6];
	char shown[80];

	memset(id, 0, sizeof *id);
	snprintf(shown, sizeof shown, "%.40s", line);
	for (char *p = shown; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
	if (split(line, f, len, 6) || len[0] != 11 || memcmp(f[0], "gaswalk-id1", 11) != 0)
		return gw_fail(GW_ERR_INPUT, "'%s...': not a gaswalk identity (gaswalk-id1:...)", shown);
	if (!valid_device_id(f[1], len[1]))
		return gw_fail(GW_ERR_INPUT, "'%s...': bad device id", shown);
	memcpy(id->id, f[1], len[1]);
	if (!((len[2] == 8 && memcmp(f[2], "terminal", 8) == 0) ||
	      (len[2] == 6 && memcmp(f[2], "office", 6) == 0)))
		return gw_fail(GW_ERR_INPUT, "'%s...': kind must be terminal or office", shown);
	memcpy(id->kind, f[2], len[2]);
	if (unescape_name(f[3], len[3], id->name, sizeof id->name) || !id->name[0])
		return gw_fail(GW_ERR_INPUT, "'%s...': bad name", shown);
	if (parse_key(f[4], len[4], id->sign_pk) || parse_key(f[5], len[5], id->box_pk))
		return gw_fail(GW_ERR_INPUT, "'%s...': bad key", shown);
	return 0;
}

void sync_fingerprint(const unsigned char sign_pk[SYNC_PK_BYTES], char out[SYNC_FPR_MAX])
{
	unsigned char h[8];
	char hex[17];

	crypto_generichash(h, sizeof h, sign_pk, SYNC_PK_BYTES, NULL, 0);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	snprintf(out, SYNC_FPR_MAX, "%.4s-%.4s-%.4s-%.4s", hex, hex + 4, hex + 8, hex + 12);
}

/* ---- the keyring ---- */

static const char sql_device_get[] =
	"SELECT id, name, kind, COALESCE(sign_pk, ''), COALESCE(box_pk, ''), "
	"COALESCE(revoked_at, 0), last_seq FROM device WHERE id = ?";

static void device_from_row(sqlite3_stmt *st, struct sync_device *d)
{
	const char *kind = (const char *)sqlite3_column_text(st, 2);

	memset(d, 0, sizeof *d);
	gw_strlcpy(d->ident.id, (const char *)sqlite3_column_text(st, 0), sizeof d->ident.id);
	gw_strlcpy(d->ident.name, (const char *)sqlite3_column_text(st, 1), sizeof d->ident.name);
	d->self = strcmp(kind, "self") == 0;
	gw_strlcpy(d->ident.kind, kind, sizeof d->ident.kind);
	sync_unb64((const char *)sqlite3_column_text(st, 3), d->ident.sign_pk, SYNC_PK_BYTES);
	sync_unb64((const char *)sqlite3_column_text(st, 4), d->ident.box_pk, SYNC_PK_BYTES);
	d->revoked_at = sqlite3_column_int64(st, 5);
	d->last_seq = sqlite3_column_int64(st, 6);
}

int sync_device_get(struct ledger *l, const char *id, struct sync_device *d)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_device_get);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		device_from_row(st, d);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return ledger_db_fail(l, "keyring");
	return gw_fail(GW_ERR_NOTFOUND, "device %s: not in the keyring", id);
}

int sync_identity_self(struct ledger *l, struct sync_identity *id)
{
	struct sync_device d;

	if (sync_device_get(l, ledger_device_id(l), &d))
		return -1;
	*id = d.ident;
	gw_strlcpy(id->kind, ledger_kind(l), sizeof id->kind);
	return 0;
}

int sync_device_add(struct ledger *l, const struct sync_identity *id)
{
	struct sync_device d;
	char spk[64], bpk[64], now[24];

	if (strcmp(id->id, ledger_device_id(l)) == 0)
		return gw_fail(GW_ERR_INPUT, "%s: that is this ledger's own identity", id->id);
	if (sync_device_get(l, id->id, &d) == 0) {
		if (memcmp(d.ident.sign_pk, id->sign_pk, SYNC_PK_BYTES) != 0 ||
		    memcmp(d.ident.box_pk, id->box_pk, SYNC_PK_BYTES) != 0)
			return gw_fail(GW_ERR_INPUT,
				       "device %s is already in the keyring with other keys; refused",
				       id->id);
		return 1;
	}
	if (gw_last_status() != GW_ERR_NOTFOUND)
		return -1;
	sync_b64(id->sign_pk, SYNC_PK_BYTES, spk, sizeof spk);
	sync_b64(id->box_pk, SYNC_PK_BYTES, bpk, sizeof bpk);
	snprintf(now, sizeof now, "%lld", (long long)gw_now());
	const char *p[] = {id->id, id->name, id->kind, spk, bpk, now};
	return ledger_exec(l,
			   "INSERT INTO device(id, name, kind, sign_pk, box_pk, enrolled_at) "
			   "VALUES(?, ?, ?, ?, ?, ?)",
			   6, p);
}

int sync_identity_arg(const char *arg, struct sync_identity *id)
{
	char line[SYNC_ID_LINE_MAX + 2];
	FILE *f;
	size_t n;

	if (strncmp(arg, "gaswalk-id1:", 12) == 0)
		return sync_identity_parse(arg, id);
	f = fopen(arg, "r");
	if (!f)
		return gw_fail(GW_ERR_INPUT, "%s: neither an identity (gaswalk-id1:...) nor a file: %s",
			       arg, strerror(errno));
	if (!fgets(line, sizeof line, f))
		line[0] = '\0';
	fclose(f);
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	return sync_identity_parse(line, id);
}
