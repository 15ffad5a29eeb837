/* text: UTF-8 decoding, display width (CJK two columns), neutralising and fitting. */
#ifndef GW_TEXT_H
#define GW_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Decodes one code point from s (at most n bytes). Returns its length in bytes,
 * or 0 with *cp = 0xFFFD (and length 1 consumed by callers) for an invalid sequence. */
size_t text_decode(const char *s, size_t n, uint32_t *cp);

/* 1 when s holds n bytes of valid UTF-8 (no overlongs, no surrogates). */
int text_valid_utf8(const char *s, size_t n);

/* Columns a code point takes: 0 for combining marks, 2 for East Asian wide. */
int text_cp_width(uint32_t cp);

/* Columns a UTF-8 string takes once neutralised (see text_clean). */
int text_width(const char *s);

/* Copies s into out (always terminated, never a partial character), replacing
 * control characters and escape sequences with visible placeholders: C0 and DEL
 * as ^X, C1 controls, bidi overrides and invalid bytes as U+FFFD. */
void text_clean(const char *s, char *out, size_t outsz);

/* Cleans s and fits it in cols columns: cut with "…" when too wide, never
 * halving a wide character. With pad, fills with spaces to exactly cols. */
void text_fit(const char *s, int cols, int pad, char *out, size_t outsz);

/* Number of code points (for "field too long" checks). */
size_t text_chars(const char *s);

#endif
