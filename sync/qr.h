/* qr: QR codes for identities and receipts, as a module matrix (the TUI draws it
 * in curses) or as lines of text with Unicode half blocks (the command line). */
#ifndef GW_SYNC_QR_H
#define GW_SYNC_QR_H

/* The modules of text's QR code (byte mode, level M): a malloc'd size*size array,
 * row by row, 1 = dark, 0 = light; no quiet zone. NULL if text does not fit. */
unsigned char *qr_matrix(const char *text, int *size);

/* The code as lines of text, two module rows per line, light modules drawn with
 * ▀ ▄ █ and dark ones as spaces (for light-on-dark terminals), with a quiet zone
 * of QR_QUIET modules. A malloc'd NULL-terminated array; free with qr_lines_free. */
#define QR_QUIET 2
char **qr_lines(const char *text, int *nlines);
void qr_lines_free(char **lines);

#include <stdio.h>
/* Prints the code's lines to f; -1 if the text does not fit in a QR code. */
int qr_fprint(FILE *f, const char *text);

#endif
