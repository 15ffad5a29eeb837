/* Encoding detection and streaming conversion to UTF-8 (see decode.h). */
#include "decode.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/text.h"
#include "core/util.h"

#define DETECT_MAX 65536 /* the sample auto-detection looks at */
#define STAGE_MAX 16384  /* input converted per iconv round */
#define OUT_MAX 32768    /* converted output handed on per call */
#define PEND_MAX 8       /* an incomplete sequence kept for the next read */
#define BAD_BYTE '\xff'  /* stands for an invalid sequence: never valid UTF-8 */

struct decoder {
	enum enc enc; /* ENC_AUTO until decided */
	int started;  /* the first bytes (a byte-order mark?) are past */
	unsigned char head[3];
	size_t nhead;
	char *sample; /* auto: bytes from the first non-ASCII one, until decided */
	size_t nsample;
	iconv_t cd;
	int emitted; /* converted output has been handed on (U+FEFF check done) */
	char pend[PEND_MAX];
	size_t npend;
	char stage[PEND_MAX + STAGE_MAX];
	char out[OUT_MAX];
	size_t nout;
};

int enc_parse(const char *s)
{
	if (!strcasecmp(s, "auto"))
		return ENC_AUTO;
	if (!strcasecmp(s, "utf-8") || !strcasecmp(s, "utf8"))
		return ENC_UTF8;
	if (!strcasecmp(s, "gb18030") || !strcasecmp(s, "gbk") || !strcasecmp(s, "gb2312"))
		return ENC_GB18030;
	return -1;
}

const char *enc_name(enum enc e)
{
	return e == ENC_UTF8 ? "UTF-8" : e == ENC_GB18030 ? "GB18030" : "auto";
}

/* Length of the UTF-8 sequence a lead byte starts; 0 if it starts none. */
static size_t utf8_need(unsigned char b)
{
	return b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
}

/* 1 when s[0..n) is the start of a sequence that needs more bytes than n. */
static int utf8_cut(const unsigned char *s, size_t n)
{
	if (utf8_need(s[0]) <= n)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return 1;
}

enum enc enc_detect(const unsigned char *s, size_t n, int at_eof)
{
	size_t i = 0, valid = 0, invalid = 0, k;
	uint32_t cp;

	while (i < n) {
		k = text_decode((const char *)s + i, n - i, &cp);
		if (k) {
			valid += cp >= 0x80;
			i += k;
		} else if (!at_eof && utf8_cut(s + i, n - i)) {
			break;
		} else {
			invalid++;
			i++;
		}
	}
	return invalid == 0 || (valid > 0 && invalid * 16 <= valid) ? ENC_UTF8 : ENC_GB18030;
}

int decoder_new(enum enc forced, struct decoder **out)
{
	struct decoder *d = xcalloc(1, sizeof *d);

	d->enc = forced;
	d->cd = iconv_open("UTF-8", "GB18030");
	if (d->cd == (iconv_t)-1) { // NOLINT(performance-no-int-to-ptr): iconv's failure value
		free(d);
		*out = NULL;
		return gw_fail(GW_ERR_IO, "iconv cannot convert GB18030 to UTF-8 on this system");
	}
	*out = d;
	return 0;
}

void decoder_free(struct decoder *d)
{
	if (!d)
		return;
	iconv_close(d->cd);
	free(d->sample);
	free(d);
}

enum enc decoder_encoding(const struct decoder *d)
{
	return d->enc;
}

/* Hands on the converted output; drops a U+FEFF (a GB18030 byte-order mark) at the start. */
static int flush_out(struct decoder *d, decode_fn fn, void *ctx)
{
	const char *p = d->out;
	size_t n = d->nout;

	d->nout = 0;
	if (!d->emitted && n) {
		d->emitted = 1;
		if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
			p += 3, n -= 3;
	}
	return n ? fn(ctx, p, n) : 0;
}

static int put_bad(struct decoder *d, decode_fn fn, void *ctx)
{
	int rc = 0;

	if (d->nout == OUT_MAX)
		rc = flush_out(d, fn, ctx);
	d->out[d->nout++] = BAD_BYTE;
	return rc;
}

/* Converts stage[0..n); an incomplete sequence at the end goes to pend. */
static int convert_stage(struct decoder *d, size_t n, decode_fn fn, void *ctx)
{
	char *ip = d->stage;
	size_t il = n;
	int rc = 0;

	while (il && !rc) {
		char *op = d->out + d->nout;
		size_t ol = OUT_MAX - d->nout;
		size_t r = iconv(d->cd, &ip, &il, &op, &ol);
		int err = r == (size_t)-1 ? errno : 0;

		d->nout = (size_t)(op - d->out);
		if (err == E2BIG) {
			rc = flush_out(d, fn, ctx);
		} else if (err == EINVAL && il < PEND_MAX) {
			memcpy(d->pend, ip, il);
			d->npend = il;
			il = 0;
		} else if (err) { /* EILSEQ: skip one byte */
			rc = put_bad(d, fn, ctx);
			ip++, il--;
		}
	}
	return rc ? rc : flush_out(d, fn, ctx);
}

static int convert(struct decoder *d, const char *in, size_t n, decode_fn fn, void *ctx)
{
	int rc = 0;

	while (n && !rc) {
		size_t k = n < STAGE_MAX ? n : STAGE_MAX, have = d->npend;

		memcpy(d->stage, d->pend, have);
		memcpy(d->stage + have, in, k);
		d->npend = 0;
		rc = convert_stage(d, have + k, fn, ctx);
		in += k, n -= k;
	}
	return rc;
}

/* Once the encoding is known: UTF-8 passes, GB18030 is converted. */
static int pass(struct decoder *d, const char *in, size_t n, decode_fn fn, void *ctx)
{
	return d->enc == ENC_UTF8 ? fn(ctx, in, n) : convert(d, in, n, fn, ctx);
}

/* Auto: decides on the sample, then sends it the decided way. */
static int decide(struct decoder *d, int at_eof, decode_fn fn, void *ctx)
{
	size_t n = d->nsample;

	d->enc = enc_detect((const unsigned char *)d->sample, n, at_eof);
	d->nsample = 0;
	return pass(d, d->sample, n, fn, ctx);
}

static size_t ascii_prefix(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && !(s[i] & 0x80))
		i++;
	return i;
}

/* Auto, undecided: ASCII reads the same either way and passes; from the first
 * other byte on, bytes are sampled until DETECT_MAX of them decide. */
static int sample(struct decoder *d, const char **in, size_t *n, decode_fn fn, void *ctx)
{
	size_t k;
	int rc = 0;

	if (!d->nsample) {
		k = ascii_prefix(*in, *n);
		if (k && (rc = fn(ctx, *in, k)) != 0)
			return rc;
		*in += k, *n -= k;
		if (!*n)
			return 0;
		if (!d->sample)
			d->sample = xmalloc(DETECT_MAX);
	}
	k = DETECT_MAX - d->nsample < *n ? DETECT_MAX - d->nsample : *n;
	memcpy(d->sample + d->nsample, *in, k);
	d->nsample += k;
	*in += k, *n -= k;
	return d->nsample == DETECT_MAX ? decide(d, 0, fn, ctx) : 0;
}

static int route(struct decoder *d, const char *in, size_t n, decode_fn fn, void *ctx)
{
	int rc = 0;

	while (n && d->enc == ENC_AUTO && !rc)
		rc = sample(d, &in, &n, fn, ctx);
	return rc || !n ? rc : pass(d, in, n, fn, ctx);
}

/* The first three bytes: a UTF-8 byte-order mark decides UTF-8 and is dropped. */
static int start(struct decoder *d, decode_fn fn, void *ctx)
{
	d->started = 1;
	if (d->enc != ENC_GB18030 && d->nhead == 3 && !memcmp(d->head, "\xEF\xBB\xBF", 3)) {
		d->enc = ENC_UTF8;
		return 0;
	}
	return route(d, (const char *)d->head, d->nhead, fn, ctx);
}

int decoder_feed(struct decoder *d, const char *in, size_t n, decode_fn fn, void *ctx)
{
	while (!d->started && n) {
		d->head[d->nhead++] = (unsigned char)*in++;
		n--;
		if (d->nhead == sizeof d->head) {
			int rc = start(d, fn, ctx);
			if (rc)
				return rc;
		}
	}
	return n ? route(d, in, n, fn, ctx) : 0;
}

int decoder_finish(struct decoder *d, decode_fn fn, void *ctx)
{
	int rc = 0;

	if (!d->started)
		rc = start(d, fn, ctx);
	if (!rc && d->enc == ENC_AUTO && d->nsample)
		rc = decide(d, 1, fn, ctx);
	if (!rc && d->npend) {
		d->npend = 0;
		rc = put_bad(d, fn, ctx);
		if (!rc)
			rc = flush_out(d, fn, ctx);
	}
	iconv(d->cd, NULL, NULL, NULL, NULL);
	return rc;
}
