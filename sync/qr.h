/* qr: QR codes for identities and receipts, as a module matrix (the TUI draws it
 * in curses) or as lines of text with Unicode half blocks (the command line).
 *
 * A code is made as small as its text allows: the smallest version any error
 * correction level reaches, at the highest level that version holds. Capitals,
 * digits and " $%*+-./:" use the compact alphanumeric mode, so a 26-character base32
 * fingerprint and a receipt of up to 47 such characters are version 2 (25 modules):
 * the largest code a 40x15 handheld shows whole, two module rows per text line. */
#ifndef GW_SYNC_QR_H
#define GW_SYNC_QR_H

#include <stddef.h>
#include <stdio.h>

/* Modules per side of the largest code a 40x15 screen holds (version 2). */
#define QR_SCREEN_MODULES 25

/* The modules of text's QR code: a malloc'd size*size array, row by row, 1 = dark,
 * 0 = light; no quiet zone. NULL if text does not fit in any QR code. */
unsigned char *qr_matrix(const char *text, int *size);

/* The code as lines of text, two module rows per line, light modules drawn with
 * ▀ ▄ █ and dark ones as spaces (for light-on-dark terminals), with a quiet zone
 * of quiet modules around it. A malloc'd NULL-terminated array; free with
 * qr_lines_free. qr_lines uses QR_QUIET. */
#define QR_QUIET 2
char **qr_lines(const char *text, int *nlines);
char **qr_lines_quiet(const char *text, int quiet, int *nlines);
void qr_lines_free(char **lines);

/* Columns and lines the code of text takes with a quiet zone of quiet modules;
 * -1 if text does not fit in any QR code. */
int qr_text_size(const char *text, int quiet, int *cols, int *lines);

/* Prints the code of text to f when it fits the terminal f is (its size from the
 * terminal, else from $COLUMNS and $LINES; no size known: it fits), with a quiet
 * zone of 2 modules, or 1 where only that fits. When it does not fit, prints one
 * line saying so and then the text itself. 0 either way; -1 (gw_fail) if the text
 * is too long for any QR code (nothing printed). */
int qr_fprint(FILE *f, const char *text);

/* The export receipt as a terminal shows it and a QR code carries it (receipt format 2,
 * sync/FORMAT.md): "GWR2:<DEV8>:<SEQ>:<H26>", the first 8 characters of the device id
 * in capitals, the bundle's sequence in decimal and the first 16 bytes of the bundle
 * hash (hash_hex: its 64 hex digits) in RFC 4648 base32 capitals without padding: 47
 * characters up to sequence 999999, all alphanumeric, so version 2. -1 (gw_fail) when
 * hash_hex is not hex or out too small. */
#define QR_RECEIPT_MAX 64
int qr_receipt_text(const char *device, long long seq, const char *hash_hex, char *out,
		    size_t outsz);

#endif
