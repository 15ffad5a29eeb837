#include "keys.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/settings.h"
#include "core/util.h"

#define KEYFILE_MAGIC "GWKEY001"
#define KEYFILE_LEN (8 + SYNC_SIGN_SK_BYTES + 2 * SYNC_PK_BYTES)
/* Under a PIN (FORMAT.md "Keys"): magic | alg u32 | opslimit u64 | memlimit u64 |
 * tries u32 | salt 16 | nonce 24 | secretbox of the 128 secret bytes above (+16). */
#define WRAPPED_MAGIC "GWKEY002"
#define SECRET_LEN (SYNC_SIGN_SK_BYTES + 2 * SYNC_PK_BYTES)
#define W_ALG 8
#define W_OPS 12
#define W_MEM 20
#define W_TRIES 28
#define W_SALT 32
#define W_NONCE (W_SALT + crypto_pwhash_SALTBYTES)
#define W_BOX (W_NONCE + crypto_secretbox_NONCEBYTES)
#define WRAPPED_LEN (W_BOX + crypto_secretbox_MACBYTES + SECRET_LEN)
/* Argon2id at 64 MiB and 3 passes: fixed, and written in the file. */
#define PIN_OPSLIMIT 3
#define PIN_MEMLIMIT ((size_t)64 << 20)
#define ID_PREFIX "gaswalk-id2:"
#define ID_DOMAIN "gaswalk device id v1" /* hashed with its NUL */
#define ID_BYTES 16

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

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

/* Strict: only the one spelling sync_b64 writes (libsodium's decoder also takes some
 * bytes above 0x7f for letters, which would give a signed line two spellings). */
int sync_unb64(const char *s, unsigned char *bin, size_t n)
{
	size_t got = 0;
	const char *end = NULL;
	char again[256];

	if (sodium_base642bin(bin, n, s, strlen(s), NULL, &got, &end,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    got != n || *end)
		return -1;
	if (sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING) > sizeof again)
		return 0; /* longer than any key or signature: not checked again */
	sync_b64(bin, n, again, sizeof again);
	return strcmp(again, s) == 0 ? 0 : -1;
}

/* ---- ids and fingerprints ---- */

void sync_base32_16(const unsigned char in[16], char out[SYNC_ID_CHARS + 1])
{
	unsigned int acc = 0, bits = 0;
	size_t o = 0;

	for (size_t i = 0; i < ID_BYTES; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			out[o++] = b32[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits)
		out[o++] = b32[(acc << (5 - bits)) & 31];
	out[o] = '\0';
}

void sync_device_id(const unsigned char sign_pk[SYNC_PK_BYTES], char out[SYNC_ID_CHARS + 1])
{
	unsigned char h[32];
	crypto_generichash_state st;

	sync_init();
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	crypto_generichash_update(&st, (const unsigned char *)ID_DOMAIN, sizeof ID_DOMAIN);
	crypto_generichash_update(&st, sign_pk, SYNC_PK_BYTES);
	crypto_generichash_final(&st, h, sizeof h);
	sync_base32_16(h, out);
}

void sync_fingerprint(const unsigned char sign_pk[SYNC_PK_BYTES], char out[SYNC_FPR_MAX])
{
	sync_device_id(sign_pk, out);
}

static int b32_value(char c)
{
	const char *p = c ? strchr(b32, c) : NULL;

	return p ? (int)(p - b32) : -1;
}

int sync_device_id_ok(const char *s, size_t n)
{
	if (n == 16) { /* legacy: random lowercase hex from before migration 0007 */
		for (size_t i = 0; i < n; i++)
			if (!s[i] || !strchr("0123456789abcdef", s[i]))
				return 0;
		return 1;
	}
	if (n != SYNC_ID_CHARS)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (b32_value(s[i]) < 0)
			return 0;
	return (b32_value(s[n - 1]) & 3) == 0; /* 128 bits: the last 2 bits are padding */
}

int sync_fingerprint_norm(const char *in, char out[SYNC_FPR_MAX])
{
	size_t o = 0;

	for (; *in; in++) {
		char c = *in;
		if (c == ' ' || c == '-')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (o == SYNC_ID_CHARS)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return sync_device_id_ok(out, o) && o == SYNC_ID_CHARS ? 0 : -1;
}

/* ---- this ledger's key file ---- */

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
	int rc = lstat(p, &sb) == 0;

	free(p);
	return rc;
}

static int write_keyfile(const char *path, const struct sync_keys *k)
{
	unsigned char *buf = secret_alloc(KEYFILE_LEN);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600), rc = -1;

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

/* The line's text up to (not including) ":SIG". */
static void identity_body(const struct sync_identity *id, char *out, size_t outsz);

/* Signs this ledger's identity line and keeps it in meta "identity". */
static int store_identity(struct ledger *l, const struct sync_keys *k)
{
	struct sync_identity id;
	char line[SYNC_ID_LINE_MAX];

	memset(&id, 0, sizeof id);
	sync_device_id(k->sign_pk, id.id);
	gw_strlcpy(id.kind, ledger_kind(l), sizeof id.kind);
	gw_strlcpy(id.name, ledger_name(l), sizeof id.name);
	memcpy(id.sign_pk, k->sign_pk, SYNC_PK_BYTES);
	memcpy(id.box_pk, k->box_pk, SYNC_PK_BYTES);
	sync_identity_sign(&id, k->sign_sk);
	sync_identity_format(&id, line, sizeof line);
	return ledger_meta_set(l, "identity", line);
}

static int write_keyfile_new(const char *path, const struct sync_keys *k, const char *pin);

int sync_keys_create(struct ledger *l)
{
	return sync_keys_create_pin(l, NULL);
}

int sync_keys_create_pin(struct ledger *l, const char *pin)
{
	struct sync_keys *k;
	char *path = sync_keys_path(ledger_path(l)), id[SYNC_ID_CHARS + 1];
	int rc;

	sync_init();
	if (pin && !sync_pin_ok(pin)) {
		free(path);
		return gw_fail(GW_ERR_INPUT, "a PIN is %d to %d digits", SYNC_PIN_MIN, SYNC_PIN_MAX);
	}
	k = secret_alloc(sizeof *k);
	crypto_sign_keypair(k->sign_pk, k->sign_sk);
	crypto_box_keypair(k->box_pk, k->box_sk);
	sync_device_id(k->sign_pk, id);
	rc = pin ? write_keyfile_new(path, k, pin) : write_keyfile(path, k);
	if (rc == 0 && (ledger_begin(l) || ledger_set_device_id(l, id) || store_public(l, k) ||
			store_identity(l, k) || ledger_meta_set(l, "keyring", "2") ||
			ledger_meta_set(l, "key_pin", pin ? "1" : "0") || ledger_commit(l))) {
		ledger_rollback(l);
		unlink(path);
		rc = -1;
	}
	sync_keys_free(k);
	free(path);
	return rc;
}

/* The plain layout (an office, or a terminal made with --no-pin). */
static int read_plain(const char *path, const unsigned char *buf, size_t n, struct sync_keys *k)
{
	if (n != KEYFILE_LEN || memcmp(buf, KEYFILE_MAGIC, 8) != 0)
		return gw_fail(GW_ERR_INPUT, "%s: not a gaswalk key file", path);
	memcpy(k->sign_sk, buf + 8, SYNC_SIGN_SK_BYTES);
	memcpy(k->box_sk, buf + 8 + SYNC_SIGN_SK_BYTES, SYNC_PK_BYTES);
	memcpy(k->box_pk, buf + 8 + SYNC_SIGN_SK_BYTES + SYNC_PK_BYTES, SYNC_PK_BYTES);
	crypto_sign_ed25519_sk_to_pk(k->sign_pk, k->sign_sk);
	return 0;
}

static int unwrap(struct ledger *l, const char *path, const unsigned char *buf, size_t n,
		  struct sync_keys *k);

static int plain_refused(struct ledger *l, const char *path);

static int read_keyfile(struct ledger *l, const char *path, int fd, struct sync_keys *k)
{
	unsigned char *buf = secret_alloc(WRAPPED_LEN + 1);
	ssize_t got = read(fd, buf, WRAPPED_LEN + 1);
	int rc;

	if (got == WRAPPED_LEN && memcmp(buf, WRAPPED_MAGIC, 8) == 0)
		rc = unwrap(l, path, buf, (size_t)got, k);
	else if (plain_refused(l, path))
		rc = -1;
	else
		rc = read_plain(path, buf, got < 0 ? 0 : (size_t)got, k);
	sodium_free(buf);
	return rc;
}

/* The file itself, the user's, private: else refused with advice. */
static int keyfile_open(const char *path)
{
	struct stat sb;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0 && errno == ELOOP)
		return gw_fail(GW_ERR_INPUT,
			       "%s: a symbolic link; refused — key files are never read through "
			       "links: put the key file itself beside the ledger",
			       path);
	if (fd < 0)
		return gw_fail(GW_ERR_IO, _("%s: cannot read the key file: %s"), path, strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return gw_fail(GW_ERR_INPUT, "%s: not a regular file; refused", path);
	}
	if (sb.st_uid != geteuid()) {
		close(fd);
		return gw_fail(GW_ERR_INPUT,
			       "%s: owned by another user (uid %u); refused — the key file must "
			       "belong to the user who runs gaswalk: copy it as that user, then "
			       "'chmod 600'",
			       path, (unsigned)sb.st_uid);
	}
	if (sb.st_mode & 077) {
		close(fd);
		return gw_fail(GW_ERR_INPUT,
			       "%s: key file readable by others; refused — run 'chmod 600 %s' if "
			       "nobody else could have copied it, else make new keys",
			       path, path);
	}
	return fd;
}

/* The secrets must be the halves of this ledger's public keys. */
static int keys_match(struct ledger *l, const char *path, const struct sync_keys *k)
{
	struct sync_device self;
	unsigned char bpk[SYNC_PK_BYTES];

	if (sync_device_get(l, ledger_device_id(l), &self))
		return -1;
	crypto_scalarmult_base(bpk, k->box_sk);
	if (sodium_memcmp(bpk, k->box_pk, SYNC_PK_BYTES) != 0 ||
	    sodium_memcmp(self.ident.box_pk, k->box_pk, SYNC_PK_BYTES) != 0 ||
	    sodium_memcmp(self.ident.sign_pk, k->sign_pk, SYNC_PK_BYTES) != 0)
		return gw_fail(GW_ERR_INPUT,
			       "%s: not this ledger's keys (they do not match its public keys); "
			       "refused — put back the key file made with this ledger",
			       path);
	return 0;
}

/* A terminal's key file gone: destroyed after the last wrong PIN, or lost. -1 with the
 * next step, else 0 (keyfile_open says what else is wrong). */
static int key_missing(struct ledger *l, const char *path)
{
	struct stat sb;

	if (lstat(path, &sb) == 0 || errno != ENOENT || strcmp(ledger_kind(l), "terminal") != 0)
		return 0;
	return gw_fail(GW_ERR_INPUT,
		       _("%s: the key of this terminal was destroyed after %ld wrong PINs (or is "
			 "missing): take the terminal to the office: 'gaswalk key new', then the "
			 "clerk enrolls it with 'enroll --successor'"),
		       path, settings_get_int(l, "pin_max_tries"));
}

/* A key file under no PIN where this terminal's key was made under one (meta key_pin):
 * a swapped file must not open a terminal under a PIN. */
static int plain_refused(struct ledger *l, const char *path)
{
	char v[4];

	if (ledger_meta(l, "key_pin", v, sizeof v) != 1 || strcmp(v, "1") != 0)
		return 0;
	return gw_fail(GW_ERR_INPUT,
		       _("%s: a key file under no PIN, but this terminal's key was made under one: "
			 "refused; take the terminal to the office: 'gaswalk key new --replace', then "
			 "the clerk enrolls it with 'enroll --successor'"),
		       path);
}

/* Records that this ledger's key is under a PIN (or not), outside any other write. */
static int note_pin(struct ledger *l, const char *v)
{
	char cur[4];

	if (ledger_meta(l, "key_pin", cur, sizeof cur) == 1 && strcmp(cur, v) == 0)
		return 0;
	return ledger_meta_set(l, "key_pin", v);
}

/* A ledger migrated from before 0007 has no signed identity line yet. */
static int sign_self_once(struct ledger *l, const struct sync_keys *k)
{
	char line[16];
	int rc = ledger_meta(l, "identity", line, sizeof line);

	if (rc != 0)
		return rc > 0 ? 0 : -1;
	return store_identity(l, k);
}

struct sync_keys *sync_keys_load(struct ledger *l)
{
	char *path = sync_keys_path(ledger_path(l));
	struct sync_keys *k = NULL;
	int fd;

	sync_init();
	fd = key_missing(l, path) ? -1 : keyfile_open(path);
	if (fd >= 0) {
		k = secret_alloc(sizeof *k);
		if (read_keyfile(l, path, fd, k) || keys_match(l, path, k) || sign_self_once(l, k)) {
			sodium_free(k);
			k = NULL;
		}
		close(fd);
	}
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

/* 1 if the name was escaped exactly as escape_name writes it: one spelling per name,
 * so a line formatted again is the line that was signed. */
static int canonical_name(const char *name, const char *field, size_t n)
{
	char again[400];

	escape_name(name, again, sizeof again);
	return strlen(again) == n && memcmp(again, field, n) == 0;
}

static void identity_body(const struct sync_identity *id, char *out, size_t outsz)
{
	char name[400], spk[64], bpk[64];

	escape_name(id->name, name, sizeof name);
	sync_b64(id->sign_pk, SYNC_PK_BYTES, spk, sizeof spk);
	sync_b64(id->box_pk, SYNC_PK_BYTES, bpk, sizeof bpk);
	snprintf(out, outsz, ID_PREFIX "%s:%s:%s:%s:%s", id->id, id->kind, name, spk, bpk);
}

void sync_identity_sign(struct sync_identity *id, const unsigned char sign_sk[SYNC_SIGN_SK_BYTES])
{
	char body[SYNC_ID_LINE_MAX];

	identity_body(id, body, sizeof body);
	crypto_sign_detached(id->sig, NULL, (const unsigned char *)body, strlen(body), sign_sk);
}

void sync_identity_format(const struct sync_identity *id, char *out, size_t outsz)
{
	char body[SYNC_ID_LINE_MAX], sig[100];

	identity_body(id, body, sizeof body);
	sync_b64(id->sig, SYNC_SIG_BYTES, sig, sizeof sig);
	if ((size_t)snprintf(out, outsz, "%s:%s", body, sig) >= outsz)
		out[0] = '\0'; /* never a line cut short: it would not verify anyway */
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

static int parse_b64(const char *s, size_t n, unsigned char *out, size_t outn)
{
	char buf[128];

	if (n >= sizeof buf)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return sync_unb64(buf, out, outn);
}

/* The start of a line, fit to quote in an error message. */
static void shown_of(const char *line, char shown[48])
{
	snprintf(shown, 48, "%.40s", line);
	for (char *p = shown; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
}

static int parse_fields(const char *line, const char *const *f, const size_t *len,
			struct sync_identity *id, const char *shown)
{
	if (len[1] != SYNC_ID_CHARS || !sync_device_id_ok(f[1], len[1]))
		return gw_fail(GW_ERR_INPUT, "'%s...': bad device id", shown);
	memcpy(id->id, f[1], len[1]);
	if (!((len[2] == 8 && memcmp(f[2], "terminal", 8) == 0) ||
	      (len[2] == 6 && memcmp(f[2], "office", 6) == 0)))
		return gw_fail(GW_ERR_INPUT, "'%s...': kind must be terminal or office", shown);
	memcpy(id->kind, f[2], len[2]);
	if (unescape_name(f[3], len[3], id->name, sizeof id->name) || !id->name[0] ||
	    !canonical_name(id->name, f[3], len[3]))
		return gw_fail(GW_ERR_INPUT, "'%s...': bad name", shown);
	if (parse_b64(f[4], len[4], id->sign_pk, SYNC_PK_BYTES) ||
	    parse_b64(f[5], len[5], id->box_pk, SYNC_PK_BYTES) ||
	    parse_b64(f[6], len[6], id->sig, SYNC_SIG_BYTES))
		return gw_fail(GW_ERR_INPUT, "'%s...': bad key", shown);
	(void)line;
	return 0;
}

int sync_identity_parse(const char *line, struct sync_identity *id)
{
	const char *f[7];
	size_t len[7];
	char shown[48], derived[SYNC_ID_CHARS + 1];

	memset(id, 0, sizeof *id);
	shown_of(line, shown);
	if (strncmp(line, "gaswalk-id1:", 12) == 0)
		return gw_fail(GW_ERR_INPUT,
			       "'%s...': an identity from an older gaswalk (gaswalk-id1); run "
			       "'gaswalk key show' again on that device with this version",
			       shown);
	if (strlen(line) >= SYNC_ID_LINE_MAX || split(line, f, len, 7) ||
	    strncmp(line, ID_PREFIX, strlen(ID_PREFIX)) != 0)
		return gw_fail(GW_ERR_INPUT, _("'%s...': not a gaswalk identity (gaswalk-id2:...)"), shown);
	if (parse_fields(line, f, len, id, shown))
		return -1;
	sync_init();
	sync_device_id(id->sign_pk, derived);
	if (strcmp(derived, id->id) != 0)
		return gw_fail(GW_ERR_INPUT,
			       "identity %s: the id is not the one its key gives (%s); refused",
			       id->id, derived);
	if (crypto_sign_verify_detached(id->sig, (const unsigned char *)line,
					(size_t)(f[6] - 1 - line), id->sign_pk) != 0)
		return gw_fail(GW_ERR_INPUT,
			       "identity %s: its signature does not verify (the line was altered); "
			       "refused",
			       id->id);
	return 0;
}

int sync_identity_arg(const char *arg, struct sync_identity *id)
{
	char line[SYNC_ID_LINE_MAX + 2];
	FILE *f;
	size_t n;

	if (strncmp(arg, "gaswalk-id", 10) == 0)
		return sync_identity_parse(arg, id);
	f = fopen(arg, "r");
	if (!f)
		return gw_fail(GW_ERR_INPUT, _("%s: neither an identity (gaswalk-id2:...) nor a file: %s"),
			       arg, strerror(errno));
	if (!fgets(line, sizeof line, f))
		line[0] = '\0';
	fclose(f);
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	return sync_identity_parse(line, id);
}

/* ---- the keyring ---- */

/* A device row; revoked_at is the key's revocation (at least 1 when revoked). */
#define DEVICE_COLS                                                                         \
	"d.id, d.name, d.kind, COALESCE(d.sign_pk, ''), COALESCE(d.box_pk, ''), "            \
	"COALESCE((SELECT max(r.revoked_at, 1) FROM revoked_key r WHERE r.sign_pk = d.sign_pk), " \
	"CASE WHEN d.revoked_at IS NULL THEN 0 ELSE max(d.revoked_at, 1) END), "             \
	"d.last_seq, COALESCE(d.legacy_id, ''), d.office, COALESCE(d.subdistrict, ''), "     \
	"d.enrolled_at"

static const char sql_device_get[] =
	"SELECT " DEVICE_COLS " FROM device d WHERE d.id = ?1 OR d.legacy_id = ?1";
static const char sql_device_by_key[] = "SELECT " DEVICE_COLS " FROM device d WHERE d.sign_pk = ?";
static const char sql_device_by_name[] =
	"SELECT " DEVICE_COLS " FROM device d WHERE d.name = ?1 ORDER BY d.office = '' DESC, d.id";
static const char sql_device_qualified[] =
	"SELECT " DEVICE_COLS " FROM device d JOIN device o ON o.id = d.office "
	"WHERE d.name = ?2 AND (o.name = ?1 OR o.id = ?1)";

static void device_from_row(sqlite3_stmt *st, struct sync_device *d)
{
	const char *kind = ledger_text(st, 2);

	memset(d, 0, sizeof *d);
	gw_strlcpy(d->ident.id, ledger_text(st, 0), sizeof d->ident.id);
	gw_strlcpy(d->ident.name, ledger_text(st, 1), sizeof d->ident.name);
	d->self = strcmp(kind, "self") == 0;
	gw_strlcpy(d->ident.kind, kind, sizeof d->ident.kind);
	sync_unb64(ledger_text(st, 3), d->ident.sign_pk, SYNC_PK_BYTES);
	sync_unb64(ledger_text(st, 4), d->ident.box_pk, SYNC_PK_BYTES);
	d->revoked_at = sqlite3_column_int64(st, 5);
	d->last_seq = sqlite3_column_int64(st, 6);
	gw_strlcpy(d->legacy_id, ledger_text(st, 7), sizeof d->legacy_id);
	gw_strlcpy(d->office, ledger_text(st, 8), sizeof d->office);
	gw_strlcpy(d->subdistrict, ledger_text(st, 9), sizeof d->subdistrict);
	d->enrolled_at = sqlite3_column_int64(st, 10);
}

/* Runs a device query with up to two text parameters: the number of rows (the first
 * one in d), or -1. */
static int device_query(struct ledger *l, const char *sql, const char *a, const char *b,
			struct sync_device *d)
{
	sqlite3_stmt *st = ledger_stmt(l, sql);
	int rc, n = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT);
	if (b)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (n++ == 0)
			device_from_row(st, d);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ledger_db_fail(l, "keyring");
	return n;
}

int sync_device_get(struct ledger *l, const char *id, struct sync_device *d)
{
	int n = device_query(l, sql_device_get, id, NULL, d);

	if (n < 0)
		return -1;
	return n ? 0 : gw_fail(GW_ERR_NOTFOUND, _("device %s: not in the keyring"), id);
}

int sync_device_by_key(struct ledger *l, const unsigned char sign_pk[SYNC_PK_BYTES],
		       struct sync_device *d)
{
	char spk[64];
	int n;

	sync_b64(sign_pk, SYNC_PK_BYTES, spk, sizeof spk);
	n = device_query(l, sql_device_by_key, spk, NULL, d);
	if (n < 0)
		return -1;
	return n ? 0 : gw_fail(GW_ERR_NOTFOUND, _("key %.8s...: not in the keyring"), spk);
}

int sync_device_resolve(struct ledger *l, const char *arg, struct sync_device *d)
{
	const char *slash = strrchr(arg, '/');
	int n;

	if ((n = device_query(l, sql_device_get, arg, NULL, d)) != 0)
		return n < 0 ? -1 : 0;
	/* a name several devices share is never guessed: a terminal a sub-office named like
	 * another office must not make 'revoke NAME' hit the office */
	if ((n = device_query(l, sql_device_by_name, arg, NULL, d)) > 1)
		return gw_fail(GW_ERR_INPUT,
			       _("%s: %d devices have that name; give OFFICE/NAME or the device id"),
			       arg, n);
	if (n != 0)
		return n < 0 ? -1 : 0;
	if (slash && slash > arg && slash[1]) {
		char *office = xstrdup(arg);

		office[slash - arg] = '\0';
		n = device_query(l, sql_device_qualified, office, slash + 1, d);
		free(office);
		if (n != 0)
			return n < 0 ? -1 : 0;
	}
	return gw_fail(GW_ERR_NOTFOUND, _("device %s: not in the keyring"), arg);
}

/* ---- enrolment ---- */

static void time_text(int64_t t, char out[32])
{
	time_format_iso(t, time_local_offset(t), out, 32);
}

int sync_key_revoked(struct ledger *l, const unsigned char sign_pk[SYNC_PK_BYTES], int64_t *at)
{
	sqlite3_stmt *st = ledger_stmt(l, "SELECT max(revoked_at, 1) FROM revoked_key "
					  "WHERE sign_pk = ?1 OR box_pk = ?1");
	char spk[64];
	int rc;

	if (!st)
		return -1;
	sync_b64(sign_pk, SYNC_PK_BYTES, spk, sizeof spk);
	sqlite3_bind_text(st, 1, spk, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && at)
		*at = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ledger_db_fail(l, "keyring");
	return rc == SQLITE_ROW;
}

/* Neither key of id may ever have been revoked. */
static int check_not_revoked(struct ledger *l, const struct sync_identity *id)
{
	char when[32];
	int64_t at = 0;
	int rc = sync_key_revoked(l, id->sign_pk, &at);

	if (rc == 0)
		rc = sync_key_revoked(l, id->box_pk, &at);
	if (rc <= 0)
		return rc;
	time_text(at, when);
	return gw_fail(GW_ERR_INPUT,
		       "%s: this key was revoked on %s; a revoked key is never enrolled again, "
		       "under any id or name",
		       id->id, when);
}

/* 1: the same key with the same role and name is there already. */
static int check_known(struct ledger *l, const struct sync_identity *id,
		       const struct sync_enrolment *e)
{
	struct sync_device d = {0};
	int rc = sync_device_by_key(l, id->sign_pk, &d);

	if (rc != 0)
		return gw_last_status() == GW_ERR_NOTFOUND ? 0 : -1;
	if (d.self)
		return gw_fail(GW_ERR_INPUT, _("%s: that is this ledger's own identity"), id->id);
	if (strcmp(d.ident.kind, e->role) == 0 && strcmp(d.ident.name, e->name) == 0 &&
	    strcmp(d.office, e->office ? e->office : "") == 0)
		return 1;
	return gw_fail(GW_ERR_INPUT, _("%s: already enrolled as %s '%s'; refused"), id->id,
		       strcmp(d.ident.kind, "terminal") == 0 ? _("terminal")
		       : strcmp(d.ident.kind, "office") == 0 ? _("office")
							    : d.ident.kind,
		       d.ident.name);
}

/* The characters that read as '/' (fullwidth, division and fraction slashes, the big
 * solidus): a name holding one could pass for OFFICE/NAME on a screen. */
static int has_slash_lookalike(const char *name)
{
	static const char *const looks[] = {"\xef\xbc\x8f", "\xe2\x88\x95", "\xe2\x81\x84",
					    "\xe2\xa7\xb8"};

	for (size_t i = 0; i < sizeof looks / sizeof looks[0]; i++)
		if (strstr(name, looks[i]))
			return 1;
	return 0;
}

int sync_name_check(const char *name)
{
	const unsigned char *p = (const unsigned char *)name;

	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return gw_fail(GW_ERR_INPUT, _("a device name may not hold control characters"));
	if (strchr(name, '/') || has_slash_lookalike(name))
		return gw_fail(GW_ERR_INPUT, _("device name '%s': a name may not contain '/' (OFFICE/NAME is how another office's device is named)"),
			       name);
	return 0;
}

static int check_name_free(struct ledger *l, const struct sync_enrolment *e)
{
	sqlite3_stmt *st = ledger_stmt(l, "SELECT id FROM device WHERE office = ? AND name = ?");
	char taken[DEVICE_ID_MAX + 1] = "";
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, e->office ? e->office : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, e->name, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		gw_strlcpy(taken, ledger_text(st, 0), sizeof taken);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ledger_db_fail(l, "keyring");
	if (rc == SQLITE_ROW)
		return gw_fail(GW_ERR_INPUT, _("name %s is already taken by device %s; choose another"),
			       e->name, taken);
	return 0;
}

int sync_enroll(struct ledger *l, const struct sync_identity *id, const struct sync_enrolment *e)
{
	char spk[64], bpk[64], at[24];
	int rc;

	if (strcmp(e->role, "terminal") != 0 && strcmp(e->role, "office") != 0)
		return gw_fail(GW_ERR_INPUT, "%s: unknown role", e->role);
	if (check_not_revoked(l, id) || (rc = check_known(l, id, e)) < 0)
		return -1;
	if (rc == 1)
		return 1;
	if (sync_name_check(e->name) || check_name_free(l, e))
		return -1;
	sync_b64(id->sign_pk, SYNC_PK_BYTES, spk, sizeof spk);
	sync_b64(id->box_pk, SYNC_PK_BYTES, bpk, sizeof bpk);
	snprintf(at, sizeof at, "%lld", (long long)(e->at ? e->at : gw_now()));
	const char *p[] = {id->id, e->name, e->role, spk, bpk, at, e->office ? e->office : "",
			   e->subdistrict};
	return ledger_exec(l,
			   "INSERT INTO device(id, name, kind, sign_pk, box_pk, enrolled_at, office, "
			   "subdistrict) VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
			   8, p);
}

int sync_device_add(struct ledger *l, const struct sync_identity *id)
{
	struct sync_enrolment e = {id->kind, id->name, NULL, NULL, 0};

	return sync_enroll(l, id, &e);
}

/* ---- revocation by key ---- */

int sync_revoke_key(struct ledger *l, const unsigned char sign_pk[SYNC_PK_BYTES],
		    const unsigned char *box_pk, int64_t at, const char *by)
{
	char spk[64], bpk[64], when[24];
	int rc = sync_key_revoked(l, sign_pk, NULL);

	if (rc != 0)
		return rc;
	sync_b64(sign_pk, SYNC_PK_BYTES, spk, sizeof spk);
	if (box_pk)
		sync_b64(box_pk, SYNC_PK_BYTES, bpk, sizeof bpk);
	snprintf(when, sizeof when, "%lld", (long long)(at > 0 ? at : 1));
	const char *p[] = {spk, box_pk ? bpk : NULL, when, by ? by : ""};
	const char *q[] = {when, spk};
	if (ledger_exec(l,
			"INSERT INTO revoked_key(sign_pk, box_pk, revoked_at, by_office) "
			"VALUES(?, ?, ?, ?)",
			4, p) ||
	    ledger_exec(l, "UPDATE device SET revoked_at = ? WHERE sign_pk = ? AND revoked_at IS NULL",
			2, q))
		return -1;
	return 0;
}

int sync_revocations_each(struct ledger *l, int64_t after, sync_revocation_fn fn, void *ctx)
{
	sqlite3_stmt *st = ledger_stmt(l, "SELECT n, sign_pk, COALESCE(box_pk, ''), revoked_at, "
					  "by_office FROM revoked_key WHERE n > ? ORDER BY n");
	unsigned char spk[SYNC_PK_BYTES], bpk[SYNC_PK_BYTES];
	int rc = SQLITE_DONE, stop = 0;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, after);
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(bpk, 0, sizeof bpk);
		if (sync_unb64(ledger_text(st, 1), spk, sizeof spk))
			continue;
		sync_unb64(ledger_text(st, 2), bpk, sizeof bpk);
		stop = fn(ctx, sqlite3_column_int64(st, 0), spk, bpk, sqlite3_column_int64(st, 3),
			  ledger_text(st, 4));
	}
	if (!stop && rc != SQLITE_DONE) {
		sqlite3_reset(st);
		return ledger_db_fail(l, "keyring");
	}
	sqlite3_reset(st);
	return stop ? stop : 0;
}

/* ---- the trusted office ---- */

int sync_upstream(struct ledger *l, struct sync_device *d)
{
	char up[DEVICE_ID_MAX + 1];
	int rc = ledger_meta(l, "upstream", up, sizeof up);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return gw_fail(GW_ERR_NOTFOUND, "this ledger trusts no office yet");
	return sync_device_get(l, up, d);
}

int sync_trust(struct ledger *l, const struct sync_identity *id, int replace)
{
	struct sync_device cur;
	struct sync_enrolment e = {"office", id->name, NULL, NULL, 0};
	char name[sizeof id->name + 32];

	if (strcmp(id->kind, "office") != 0)
		return gw_fail(GW_ERR_INPUT, "%s: a terminal's identity; only an office can be trusted",
			       id->id);
	if (sync_upstream(l, &cur) == 0) {
		if (sodium_memcmp(cur.ident.sign_pk, id->sign_pk, SYNC_PK_BYTES) == 0)
			return 1;
		if (!replace)
			return gw_fail(GW_ERR_INPUT,
				       "this ledger already trusts office %s (%s); replacing it is "
				       "done only with 'gaswalk trust-replace'",
				       cur.ident.name, cur.ident.id);
	} else if (gw_last_status() != GW_ERR_NOTFOUND) {
		return -1;
	}
	if (sync_device_by_key(l, id->sign_pk, &cur) == 0) {
		if (cur.self || strcmp(cur.ident.kind, "office") != 0)
			return gw_fail(GW_ERR_INPUT, "%s: enrolled here as %s, not an office", id->id,
				       cur.ident.kind);
		if (check_not_revoked(l, id))
			return -1;
		return ledger_meta_set(l, "upstream", cur.ident.id);
	}
	if (gw_last_status() != GW_ERR_NOTFOUND)
		return -1;
	/* a name already used in this keyring gets the id beside it */
	if (check_name_free(l, &e) != 0) {
		snprintf(name, sizeof name, "%s (%.8s)", id->name, id->id);
		e.name = name;
	}
	if (sync_enroll(l, id, &e) < 0 || ledger_meta_set(l, "upstream", id->id))
		return -1;
	return 0;
}

/* ---- upgrade of a keyring from before 0007 ---- */

/* Moves one entry to the id its key gives; the old id stays as legacy_id. */
static int rederive(struct ledger *l, const char *old, const char *spk_b64, int self)
{
	unsigned char pk[SYNC_PK_BYTES];
	char id[SYNC_ID_CHARS + 1], up[DEVICE_ID_MAX + 1];

	if (sync_unb64(spk_b64, pk, sizeof pk))
		return 0; /* no usable key: nothing to derive from */
	sync_device_id(pk, id);
	if (strcmp(id, old) == 0)
		return 0;
	const char *p[] = {old, id};
	if (self) {
		if (ledger_set_device_id(l, id) || ledger_meta_set(l, "next_seq", "1") ||
		    ledger_meta_set(l, "legacy_device_id", old))
			return -1;
		return ledger_exec(l, "UPDATE device SET legacy_id = ?1 WHERE id = ?2", 2, p);
	}
	if (ledger_exec(l, "UPDATE device SET legacy_id = ?1, id = ?2 WHERE id = ?1", 2, p))
		return -1;
	if (ledger_meta(l, "upstream", up, sizeof up) == 1 && strcmp(up, old) == 0)
		return ledger_meta_set(l, "upstream", id);
	return 0;
}

static int rederive_all(struct ledger *l)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(ledger_sqlite(l),
			       "SELECT id, sign_pk, kind = 'self' FROM device "
			       "WHERE sign_pk IS NOT NULL AND legacy_id IS NULL AND length(id) = 16",
			       -1, &st, NULL) != SQLITE_OK)
		return ledger_db_fail(l, "keyring");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char old[DEVICE_ID_MAX + 1], spk[64];

		gw_strlcpy(old, ledger_text(st, 0), sizeof old);
		gw_strlcpy(spk, ledger_text(st, 1), sizeof spk);
		if (rederive(l, old, spk, sqlite3_column_int(st, 2))) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "keyring");
}

int sync_keyring_upgrade(struct ledger *l)
{
	char v[8];
	int rc = ledger_meta(l, "keyring", v, sizeof v);

	if (rc < 0)
		return -1;
	if (rc == 1 && strcmp(v, "2") == 0)
		return 0;
	sync_init();
	if (ledger_begin(l))
		return -1;
	if (rederive_all(l) || ledger_meta_set(l, "keyring", "2") || ledger_commit(l)) {
		ledger_rollback(l);
		return -1;
	}
	return 0;
}

/* ---- this ledger's identity ---- */

int sync_identity_self(struct ledger *l, struct sync_identity *id)
{
	struct sync_device d;
	char line[SYNC_ID_LINE_MAX];
	int rc = ledger_meta(l, "identity", line, sizeof line);

	if (rc < 0)
		return -1;
	if (rc == 1) {
		if (sync_identity_parse(line, id) != 0) {
			char why[256];

			gw_strlcpy(why, gw_error(), sizeof why);
			return gw_fail(GW_ERR_DB, "%s: this ledger's identity line is damaged: %s",
				       ledger_path(l), why);
		}
		return 0;
	}
	/* migrated and not signed yet: sync_keys_load signs it */
	if (sync_device_get(l, ledger_device_id(l), &d))
		return -1;
	*id = d.ident;
	gw_strlcpy(id->kind, ledger_kind(l), sizeof id->kind);
	return 0;
}

int sync_identity_self_signed(struct ledger *l, struct sync_identity *id)
{
	struct sync_keys *k;

	if (sync_identity_self(l, id) != 0)
		return -1;
	if (!sodium_is_zero(id->sig, sizeof id->sig))
		return 0;
	if (!(k = sync_keys_load(l)))
		return -1;
	sync_keys_free(k);
	return sync_identity_self(l, id);
}

/* ---- the key under a PIN ---- */

static char *pin_cached; /* sodium_malloc'd; the PIN that unlocked the key, for this process */
static int pin_fd = -1;

int sync_pin_ok(const char *pin)
{
	size_t n = strlen(pin);

	if (n < SYNC_PIN_MIN || n > SYNC_PIN_MAX)
		return 0;
	for (; *pin; pin++)
		if (*pin < '0' || *pin > '9')
			return 0;
	return 1;
}

void sync_pin_from_fd(int fd)
{
	pin_fd = fd;
}

int sync_pin_fd_arg(const char *arg)
{
	char *end;
	long fd;

	errno = 0;
	fd = strtol(arg, &end, 10);
	if (errno || end == arg || *end || fd < 0 || fd > 1023 || fcntl((int)fd, F_GETFD) < 0)
		return gw_fail(GW_ERR_INPUT, _("--pin-fd %s: not an open file descriptor"), arg);
	pin_fd = (int)fd;
	return 0;
}

int sync_pin_fd_given(void)
{
	return pin_fd >= 0;
}

static void pin_forget(void)
{
	if (pin_cached)
		sodium_free(pin_cached);
	pin_cached = NULL;
}

void sync_pin_use(const char *pin)
{
	pin_forget();
	sync_init();
	pin_cached = secret_alloc(SYNC_PIN_MAX + 1);
	gw_strlcpy(pin_cached, pin, SYNC_PIN_MAX + 1);
}

/* One line from fd, without its newline; -1 at end of input or if too long. */
static int read_line(int fd, char *out, size_t n)
{
	size_t o = 0;
	char c;
	ssize_t r;

	while ((r = read(fd, &c, 1)) == 1 && c != '\n') {
		if (o + 1 >= n)
			return -1;
		out[o++] = c;
	}
	if (r < 0 || (r == 0 && o == 0))
		return -1;
	if (o && out[o - 1] == '\r')
		o--;
	out[o] = '\0';
	return 0;
}

/* Asks on the terminal, without echo. */
static int read_tty(const char *prompt, char *out, size_t n)
{
	struct termios old, quiet;
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	if (tcgetattr(fd, &old) != 0) {
		close(fd);
		return -1;
	}
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(fd, TCSAFLUSH, &quiet);
	rc = write(fd, prompt, strlen(prompt)) < 0 ? -1 : read_line(fd, out, n);
	tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0)
		rc = -1;
	close(fd);
	return rc;
}

int sync_pin_read(const char *prompt, char *out, size_t n)
{
	if (pin_fd >= 0) {
		if (read_line(pin_fd, out, n) != 0)
			return gw_fail(GW_ERR_INPUT, _("--pin-fd %d: no PIN to read"), pin_fd);
		return 0;
	}
	if (!isatty(STDIN_FILENO) || read_tty(prompt, out, n) != 0)
		return gw_fail(GW_ERR_INPUT, _("no PIN given: type it on the terminal, or give --pin-fd N"));
	return 0;
}

static uint64_t get_le(const unsigned char *p, int bytes)
{
	uint64_t v = 0;

	for (int i = bytes - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static void put_le(unsigned char *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Writes a whole key file beside path and renames it over path (0600, no links). */
static int write_keyfile_atomic(const char *path, const unsigned char *buf, size_t n)
{
	size_t len = strlen(path) + 8;
	char *tmp = xmalloc(len);
	int fd, rc = -1;

	snprintf(tmp, len, "%s.new", path);
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0 && write(fd, buf, n) == (ssize_t)n && fsync(fd) == 0)
		rc = 0;
	if (fd >= 0 && close(fd) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -1;
	if (rc != 0) {
		int err = errno;

		unlink(tmp);
		gw_fail(GW_ERR_IO, "%s: cannot write: %s", path, strerror(err));
	}
	free(tmp);
	return rc;
}

static int derive(unsigned char key[crypto_secretbox_KEYBYTES], const char *pin,
		  const unsigned char *salt, uint64_t ops, size_t mem, int alg)
{
	if (crypto_pwhash(key, crypto_secretbox_KEYBYTES, pin, strlen(pin), salt, ops, mem, alg) != 0)
		return gw_fail(GW_ERR_IO, "not enough memory to derive the key from the PIN");
	return 0;
}

/* The key file's bytes for k under pin. */
static int wrap(const struct sync_keys *k, const char *pin, unsigned char *out)
{
	unsigned char *key = secret_alloc(crypto_secretbox_KEYBYTES);
	unsigned char *plain = secret_alloc(SECRET_LEN);
	int rc;

	memcpy(out, WRAPPED_MAGIC, 8); /* NOLINT(bugprone-not-null-terminated-result) */
	put_le(out + W_ALG, crypto_pwhash_ALG_ARGON2ID13, 4);
	put_le(out + W_OPS, PIN_OPSLIMIT, 8);
	put_le(out + W_MEM, PIN_MEMLIMIT, 8);
	put_le(out + W_TRIES, 0, 4);
	randombytes_buf(out + W_SALT, crypto_pwhash_SALTBYTES);
	randombytes_buf(out + W_NONCE, crypto_secretbox_NONCEBYTES);
	memcpy(plain, k->sign_sk, SYNC_SIGN_SK_BYTES);
	memcpy(plain + SYNC_SIGN_SK_BYTES, k->box_sk, SYNC_PK_BYTES);
	memcpy(plain + SYNC_SIGN_SK_BYTES + SYNC_PK_BYTES, k->box_pk, SYNC_PK_BYTES);
	rc = derive(key, pin, out + W_SALT, PIN_OPSLIMIT, PIN_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13);
	if (rc == 0)
		crypto_secretbox_easy(out + W_BOX, plain, SECRET_LEN, out + W_NONCE, key);
	sodium_free(plain);
	sodium_free(key);
	return rc;
}

int sync_keys_write_pin(struct ledger *l, const struct sync_keys *k, const char *pin)
{
	unsigned char *buf = secret_alloc(WRAPPED_LEN);
	char *path = sync_keys_path(ledger_path(l));
	int rc;

	if (!sync_pin_ok(pin))
		rc = gw_fail(GW_ERR_INPUT, "a PIN is %d to %d digits", SYNC_PIN_MIN, SYNC_PIN_MAX);
	else
		rc = wrap(k, pin, buf) || write_keyfile_atomic(path, buf, WRAPPED_LEN) ? -1 : 0;
	if (rc == 0)
		sync_pin_use(pin);
	if (rc == 0 && note_pin(l, "1") != 0)
		rc = -1;
	sodium_free(buf);
	free(path);
	return rc;
}

int sync_keys_protected(struct ledger *l)
{
	char *path = sync_keys_path(ledger_path(l));
	char magic[8];
	int fd = key_missing(l, path) ? -1 : keyfile_open(path), rc = -1;

	if (fd >= 0) {
		rc = read(fd, magic, 8) == 8 && memcmp(magic, WRAPPED_MAGIC, 8) == 0;
		close(fd);
	}
	if (rc == 0 && plain_refused(l, path))
		rc = -1;
	if (rc == 1) /* a key wrapped before key_pin was recorded: from now on it is */
		(void)note_pin(l, "1");
	free(path);
	return rc;
}

/* After the last wrong PIN: the wrapped key is overwritten, then removed. */
static int destroy(const char *path, long tries)
{
	unsigned char junk[WRAPPED_LEN];

	randombytes_buf(junk, sizeof junk);
	write_keyfile_atomic(path, junk, sizeof junk);
	unlink(path);
	return gw_fail(GW_ERR_INPUT,
		       _("%s: %ld wrong PINs: the key is destroyed; take the terminal to the office: "
			 "'gaswalk key new', then the clerk enrolls it with 'enroll --successor'"),
		       path, tries);
}

int sync_keys_destroy(const char *db_path)
{
	char *path = sync_keys_path(db_path);
	unsigned char junk[512];
	struct stat sb;
	int fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC), rc = 0;

	/* written over in place (not replaced by a new file), so the old blocks hold noise */
	if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
		for (off_t done = 0; done < sb.st_size;) {
			size_t n = (size_t)(sb.st_size - done) < sizeof junk ? (size_t)(sb.st_size - done) : sizeof junk;
			randombytes_buf(junk, n);
			if (write(fd, junk, n) != (ssize_t)n)
				break;
			done += (off_t)n;
		}
		fsync(fd);
	}
	if (fd >= 0)
		close(fd);
	if (unlink(path) != 0 && errno != ENOENT)
		rc = gw_fail(GW_ERR_IO, "%s: cannot remove: %s", path, strerror(errno));
	free(path);
	return rc;
}

/* Seconds to wait after `tries` wrong PINs before the next try: longer after each past
 * the second, counted from the last try (the key file's change), so a PIN screen can say
 * so and the wait is not paid twice (the count survives a kill). */
static long wait_left(uint64_t tries, const struct stat *sb)
{
	long wait = tries >= 3 ? (long)(tries - 2 > 30 ? 30 : tries - 2) : 0;
	time_t now = time(NULL);

	if (wait && now >= sb->st_mtime && now - sb->st_mtime < wait)
		return wait - (long)(now - sb->st_mtime);
	return wait && now < sb->st_mtime ? wait : 0; /* a clock set back waits it all */
}

static void back_off(const char *path, uint64_t tries)
{
	struct stat sb;
	long s;

	if (stat(path, &sb) == 0 && (s = wait_left(tries, &sb)) > 0)
		sleep((unsigned)s);
}

int sync_pin_state(struct ledger *l, struct sync_pin_state *st)
{
	char *path = sync_keys_path(ledger_path(l));
	unsigned char buf[W_SALT];
	struct stat sb;
	int fd = keyfile_open(path), rc = -1;

	memset(st, 0, sizeof *st);
	st->max = settings_get_int(l, "pin_max_tries");
	if (fd >= 0 && fstat(fd, &sb) == 0 && read(fd, buf, sizeof buf) == (ssize_t)sizeof buf &&
	    memcmp(buf, WRAPPED_MAGIC, 8) == 0) {
		st->used = (long)get_le(buf + W_TRIES, 4);
		st->wait = wait_left(get_le(buf + W_TRIES, 4), &sb);
		rc = 0;
	}
	if (fd >= 0)
		close(fd);
	free(path);
	return rc;
}

static int set_tries(const char *path, const unsigned char *buf, uint64_t tries)
{
	unsigned char copy[WRAPPED_LEN];
	int rc;

	memcpy(copy, buf, WRAPPED_LEN);
	put_le(copy + W_TRIES, tries, 4);
	rc = write_keyfile_atomic(path, copy, WRAPPED_LEN);
	sodium_memzero(copy, sizeof copy);
	return rc;
}

/* The parameters written in the file, bounded: a hostile file costs no more. */
static int params_ok(uint64_t alg, uint64_t ops, uint64_t mem)
{
	return alg == crypto_pwhash_ALG_ARGON2ID13 && ops >= 3 && ops <= 16 &&
	       mem >= ((uint64_t)32 << 20) && mem <= ((uint64_t)1 << 30);
}

static int open_box(const unsigned char *buf, const char *pin, struct sync_keys *k)
{
	unsigned char *key = secret_alloc(crypto_secretbox_KEYBYTES);
	unsigned char *plain = secret_alloc(SECRET_LEN);
	int rc = derive(key, pin, buf + W_SALT, get_le(buf + W_OPS, 8), (size_t)get_le(buf + W_MEM, 8),
			(int)get_le(buf + W_ALG, 4));

	if (rc == 0 && crypto_secretbox_open_easy(plain, buf + W_BOX, SECRET_LEN + crypto_secretbox_MACBYTES,
						   buf + W_NONCE, key) != 0)
		rc = 1;
	if (rc == 0) {
		memcpy(k->sign_sk, plain, SYNC_SIGN_SK_BYTES);
		memcpy(k->box_sk, plain + SYNC_SIGN_SK_BYTES, SYNC_PK_BYTES);
		memcpy(k->box_pk, plain + SYNC_SIGN_SK_BYTES + SYNC_PK_BYTES, SYNC_PK_BYTES);
		crypto_sign_ed25519_sk_to_pk(k->sign_pk, k->sign_sk);
	}
	sodium_free(plain);
	sodium_free(key);
	return rc;
}

static int unwrap(struct ledger *l, const char *path, const unsigned char *buf, size_t n,
		  struct sync_keys *k)
{
	uint64_t tries = get_le(buf + W_TRIES, 4);
	long max = settings_get_int(l, "pin_max_tries");
	char *pin = secret_alloc(SYNC_PIN_MAX + 2);
	int rc;

	(void)n;
	if (!params_ok(get_le(buf + W_ALG, 4), get_le(buf + W_OPS, 8), get_le(buf + W_MEM, 8))) {
		sodium_free(pin);
		return gw_fail(GW_ERR_INPUT, _("%s: unknown PIN parameters; refused"), path);
	}
	if (pin_cached) {
		gw_strlcpy(pin, pin_cached, SYNC_PIN_MAX + 2);
	} else if (sync_pin_read(_("PIN: "), pin, SYNC_PIN_MAX + 2) != 0) {
		sodium_free(pin);
		return -1;
	}
	if (!sync_pin_ok(pin)) { /* no PIN at all (a lone Enter, 3 digits): not a try */
		sodium_free(pin);
		pin_forget();
		return gw_fail(GW_ERR_INPUT, _("%s: a PIN is %d to %d digits; this entry was not counted"),
			       path, SYNC_PIN_MIN, SYNC_PIN_MAX);
	}
	back_off(path, tries);
	/* counted before trying: a kill during the derivation still counts */
	if (set_tries(path, buf, tries + 1) != 0) {
		sodium_free(pin);
		return -1;
	}
	rc = open_box(buf, pin, k);
	if (rc == 0 && set_tries(path, buf, 0) == 0) {
		sync_pin_use(pin);
		(void)note_pin(l, "1"); /* a key wrapped before key_pin was recorded */
	}
	sodium_free(pin);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return 0;
	pin_forget();
	if ((long)tries + 1 >= max)
		return destroy(path, (long)tries + 1);
	return gw_fail(GW_ERR_INPUT, _("%s: wrong PIN (%ld of %ld tries; after the last the key is destroyed)"),
		       path, (long)tries + 1, max);
}

/* A new key file under a PIN (O_EXCL, like the plain one). */
static int write_keyfile_new(const char *path, const struct sync_keys *k, const char *pin)
{
	unsigned char *buf = secret_alloc(WRAPPED_LEN);
	int fd = -1, rc = wrap(k, pin, buf);

	if (rc == 0 && (fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0)
		rc = gw_fail(GW_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
	if (fd >= 0) {
		if (write(fd, buf, WRAPPED_LEN) != WRAPPED_LEN || fsync(fd) != 0)
			rc = -1;
		if (close(fd) != 0 || rc != 0) {
			unlink(path);
			rc = gw_fail(GW_ERR_IO, "%s: cannot write", path);
		}
	}
	if (rc == 0)
		sync_pin_use(pin);
	sodium_free(buf);
	return rc;
}

/* ---- successors: a terminal whose key was destroyed, enrolled again ---- */

/* One entry of the old feed, renumbered into the new one: the record, its parts and
 * every reference to it. */
static const char *const sql_renumber[] = {
	"UPDATE visit_hazard SET device = ?3, seq = ?4 WHERE device = ?1 AND seq = ?2",
	"UPDATE visit_install SET device = ?3, seq = ?4 WHERE device = ?1 AND seq = ?2",
	"UPDATE photo SET device = ?3, seq = ?4 WHERE device = ?1 AND seq = ?2",
	"UPDATE visit_arrival SET device = ?3, seq = ?4 WHERE device = ?1 AND seq = ?2",
	/* the copy names its original (the first, through several successions) */
	("UPDATE visit SET device = ?3, seq = ?4, carried_device = coalesce(carried_device, ?1), "
	 "carried_seq = coalesce(carried_seq, CAST(?2 AS INTEGER)) WHERE device = ?1 AND seq = ?2"),
	"UPDATE visit_void SET device = ?3, seq = ?4 WHERE device = ?1 AND seq = ?2",
	"UPDATE visit SET base_device = ?3, base_seq = ?4 WHERE base_device = ?1 AND base_seq = ?2",
	"UPDATE visit_void SET target_device = ?3, target_seq = ?4 WHERE target_device = ?1 AND target_seq = ?2",
};

static int renumber(struct ledger *l, const char *old, int64_t seq, const char *now, int64_t n)
{
	char a[24], b[24];
	const char *p[4];

	snprintf(a, sizeof a, "%lld", (long long)seq);
	snprintf(b, sizeof b, "%lld", (long long)n);
	p[0] = old;
	p[1] = a;
	p[2] = now;
	p[3] = b;
	for (size_t i = 0; i < GW_ARRAY_LEN(sql_renumber); i++)
		if (ledger_exec(l, sql_renumber[i], 4, p))
			return -1;
	return 0;
}

/* The old feed's records the office never acknowledged become the first records of
 * the new feed, so the successor's first bundle carries them; n: how many. */
static int carry_unsent(struct ledger *l, const char *old, int64_t *n)
{
	sqlite3_stmt *st = NULL;
	char ack[24] = "0";
	int64_t *seqs = NULL;
	size_t k = 0, cap = 0;
	int rc;

	*n = 0;
	if (ledger_meta(l, "ack_n", ack, sizeof ack) < 0 ||
	    sqlite3_prepare_v2(ledger_sqlite(l),
			       "SELECT seq FROM visit WHERE device = ?1 AND seq > ?2 UNION "
			       "SELECT seq FROM visit_void WHERE device = ?1 AND seq > ?2 ORDER BY 1",
			       -1, &st, NULL) != SQLITE_OK)
		return ledger_db_fail(l, "successor");
	sqlite3_bind_text(st, 1, old, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, strtoll(ack, NULL, 10));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (k == cap)
			seqs = xrealloc(seqs, (cap = cap ? 2 * cap : 64) * sizeof *seqs);
		seqs[k++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(seqs);
		return ledger_db_fail(l, "successor");
	}
	for (size_t i = 0; i < k; i++)
		if (renumber(l, old, seqs[i], ledger_device_id(l), (int64_t)i + 1)) {
			free(seqs);
			return -1;
		}
	free(seqs);
	*n = (int64_t)k;
	return 0;
}

int sync_successor_mark(struct ledger *l, const char *old_id, int64_t *carried)
{
	char next[24];
	static const char *const fresh[] = {"ack_n", "export_created", "export_last"};

	/* parts are moved after their visit: the checks wait for the commit */
	if (ledger_begin(l) || ledger_exec(l, "PRAGMA defer_foreign_keys = ON", 0, NULL) ||
	    ledger_meta_set(l, "predecessor_id", old_id) || carry_unsent(l, old_id, carried))
		goto fail;
	snprintf(next, sizeof next, "%lld", (long long)*carried + 1);
	if (ledger_meta_set(l, "next_seq", next))
		goto fail;
	for (size_t i = 0; i < GW_ARRAY_LEN(fresh); i++) /* a new feed, never sent */
		if (ledger_meta_set(l, fresh[i], "0"))
			goto fail;
	if (ledger_exec(l, "DELETE FROM meta WHERE key IN ('ack_head', 'export_head', 'bundle_hash')", 0, NULL) ||
	    ledger_commit(l))
		goto fail;
	return 0;
fail:
	ledger_rollback(l);
	return -1;
}

/* meta key of a succession at the office */
static void successor_key(const char *id, char *out, size_t n)
{
	snprintf(out, n, "successor_of:%s", id);
}

int sync_successor_of(struct ledger *l, const char *id, char old[DEVICE_ID_MAX + 1])
{
	char key[64];
	int rc;

	successor_key(id, key, sizeof key);
	rc = ledger_meta(l, key, old, DEVICE_ID_MAX + 1);
	return rc < 0 ? -1 : rc;
}

int sync_enroll_successor(struct ledger *l, const struct sync_identity *id,
			  const struct sync_enrolment *e, const struct sync_device *old)
{
	char key[64];
	int rc;

	if (old->self || strcmp(old->ident.kind, "terminal") != 0 || old->office[0])
		return gw_fail(GW_ERR_INPUT, _("%s: not a terminal this office enrolled; no successor for it"),
			       old->ident.id);
	if (strcmp(e->role, "terminal") != 0)
		return gw_fail(GW_ERR_INPUT, _("a successor is a terminal"));
	if (sync_revoke_key(l, old->ident.sign_pk, old->ident.box_pk, gw_now(), "") < 0 ||
	    (rc = sync_enroll(l, id, e)) < 0)
		return -1;
	successor_key(id->id, key, sizeof key);
	if (ledger_meta_set(l, key, old->ident.id))
		return -1;
	return rc;
}
