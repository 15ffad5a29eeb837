/* fields: what the import does to one value of the customer list before it is
 * stored — full-width characters folded to ASCII, phones and accounts checked for
 * the damage Excel does, a subdistrict name compared with the district's. Pure
 * functions on UTF-8, no ledger (import/FORMAT.md says which column gets what). */
#ifndef GW_FIELDS_H
#define GW_FIELDS_H

#include <stddef.h>

enum fold_mode {
	FOLD_TEXT, /* full-width letters and digits, the ideographic space */
	FOLD_CODE, /* also full-width punctuation (－ ＃ （ ） ／ ＋ …): accounts, phones, rooms */
};

/* Copies s[0..n) into out (at least n + 1 bytes), folding full-width forms
 * (U+FF01..U+FF5E) to ASCII as mode says and U+3000 to a space; returns the new
 * length. The result is never longer than the input. */
size_t fields_fold(const char *s, size_t n, enum fold_mode mode, char *out);
/* 1 when s[0..n) holds a character fields_fold would change (a quick pre-check). */
int fields_has_wide(const char *s, size_t n);

/* 1 when s looks like one or more Chinese phone numbers: mobile (11 digits from 1),
 * landline (7 or 8 digits, with an area code 0XX(X) and an extension or not), a
 * service number (95xxx, 400/800); "+86" allowed; numbers separated by / , ; 、 or
 * spaces. Digits may be grouped by '-' or spaces. */
int fields_phone_ok(const char *s, size_t n);

/* 1 when s is a number in scientific notation as Excel shows a long one
 * (7.00003E+08, 1.2e10): an account damaged beyond repair. */
int fields_sci_notation(const char *s, size_t n);
/* 1 when s[0..n) is only ASCII digits (n > 0). */
int fields_all_digits(const char *s, size_t n);

/* Edit distance between two UTF-8 strings, in characters (at most 64 of each are
 * compared; longer strings count as far apart). */
int fields_distance(const char *a, const char *b);

#endif
