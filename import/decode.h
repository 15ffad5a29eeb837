/* decode: the input's encoding, detected or forced, turned into UTF-8 as a stream.
 *
 * UTF-8 (a byte-order mark is dropped) passes through unchanged; GB18030 (and
 * so GBK and GB2312) goes through iconv with fixed buffers, keeping a sequence
 * split between two reads for the next one. An invalid sequence becomes the
 * byte 0xFF in the output, which is never valid UTF-8, so whoever checks the
 * decoded fields finds it on the right line. */
#ifndef GW_DECODE_H
#define GW_DECODE_H

#include <stddef.h>

enum enc { ENC_AUTO, ENC_UTF8, ENC_GB18030 };

/* Receives decoded UTF-8; a non-zero return stops decoding and is passed back. */
typedef int (*decode_fn)(void *ctx, const char *buf, size_t n);

struct decoder;

/* "auto", "utf-8" (or "utf8"), "gb18030" (or "gbk", "gb2312"); -1 if none. */
int enc_parse(const char *s);
/* "UTF-8", "GB18030", or "auto" while undecided. */
const char *enc_name(enum enc e);

/* Guesses the encoding of a sample holding non-ASCII bytes: UTF-8 when its
 * multibyte sequences are valid UTF-8 (allowing a sequence cut at the end of
 * the sample unless at_eof, and one stray invalid byte per 16 valid characters,
 * so that a UTF-8 list with a damaged row is still read as UTF-8), else GB18030. */
enum enc enc_detect(const unsigned char *s, size_t n, int at_eof);

/* forced: ENC_AUTO to detect. Fails (gw_fail) if iconv lacks GB18030. */
int decoder_new(enum enc forced, struct decoder **out);
void decoder_free(struct decoder *d);
int decoder_feed(struct decoder *d, const char *in, size_t n, decode_fn fn, void *ctx);
/* Flushes what is held back (an incomplete sequence at the end becomes 0xFF). */
int decoder_finish(struct decoder *d, decode_fn fn, void *ctx);
/* The encoding in use (ENC_AUTO until the first non-ASCII byte decides it). */
enum enc decoder_encoding(const struct decoder *d);

#endif
