/* The one bindings table: every key of the keypad (digits, arrows, Enter, Esc,
 * F1-F4) to an action, per keymap, and the legend each screen shows from it. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "core/i18n.h"
#include "core/util.h"
#include "tui/internal.h"

#define KEY_ESC 27

struct binding {
	enum keymap km;
	unsigned lo, hi; /* a key or a range of keys */
	int is_char;      /* lo..hi are characters from get_wch, not KEY_ codes */
	enum action act;
	const char *keyname; /* shown in the legend when label is set */
	const char *label;
};

static const struct binding bindings[] = {
	/* screen keys first: they win over the generic ones below */
	{KM_ROUTE, KEY_F(1), KEY_F(1), 0, ACT_SEARCH, "F1", N_("Find")},
	{KM_ROUTE, KEY_F(2), KEY_F(2), 0, ACT_PENDING, "F2", N_("Todo")},
	{KM_ROUTE, KEY_F(3), KEY_F(3), 0, ACT_DEVICE, "F3", N_("Device")},
	{KM_ROUTE, KEY_F(4), KEY_F(4), 0, ACT_WHO, "F4", N_("User")},
	{KM_ROUTE, KEY_ESC, KEY_ESC, 1, ACT_BACK, "Esc", N_("Back")},
	/* the doors of a unit: the two common outcomes in one key each */
	{KM_DOORS, KEY_F(1), KEY_F(1), 0, ACT_SEARCH, "F1", N_("Find")},
	{KM_DOORS, KEY_F(2), KEY_F(2), 0, ACT_PENDING, "F2", N_("Todo")},
	/* TRANSLATORS: key legend: entered, everything required present and working */
	{KM_DOORS, KEY_F(3), KEY_F(3), 0, ACT_QUICK_OK, "F3", N_("All ok")},
	/* TRANSLATORS: key legend: nobody at home (short) */
	{KM_DOORS, KEY_F(4), KEY_F(4), 0, ACT_QUICK_NOHOME, "F4", N_("Out")},
	{KM_DOORS, KEY_ESC, KEY_ESC, 1, ACT_BACK, "Esc", N_("Back")},
	{KM_CARD, KEY_F(1), KEY_F(1), 0, ACT_CAPTURE, "F1", N_("Visit")},
	{KM_CARD, KEY_F(2), KEY_F(2), 0, ACT_VOID, "F2", N_("Record")},
	{KM_CARD, KEY_F(3), KEY_F(3), 0, ACT_QUICK_OK, "F3", N_("All ok")},
	{KM_CARD, KEY_F(4), KEY_F(4), 0, ACT_QUICK_NOHOME, "F4", N_("Out")},
	{KM_CARD, KEY_ESC, KEY_ESC, 1, ACT_BACK, "Esc", N_("Back")},
	{KM_CARD_INSTALL, KEY_F(1), KEY_F(1), 0, ACT_INSTALL, "F1", N_("Install")},
	{KM_CARD_INSTALL, KEY_F(2), KEY_F(2), 0, ACT_VOID, "F2", N_("Record")},
	{KM_CARD_INSTALL, KEY_F(3), KEY_F(3), 0, ACT_CAPTURE, "F3", N_("Visit")},
	{KM_CARD_INSTALL, KEY_ESC, KEY_ESC, 1, ACT_BACK, "Esc", N_("Back")},
	{KM_CAPTURE, KEY_F(1), KEY_F(1), 0, ACT_SAVE, "F1", N_("Save")},
	{KM_CAPTURE, KEY_F(2), KEY_F(2), 0, ACT_HAZARDS, "F2", N_("Hazards")},
	{KM_CAPTURE, KEY_F(3), KEY_F(3), 0, ACT_PHOTOS, "F3", N_("Photos")},
	{KM_CAPTURE, KEY_ESC, KEY_ESC, 1, ACT_BACK, "Esc", N_("Back")},
	/* the visit form when nobody let us in: no hazards to mark */
	{KM_FORM_SHORT, KEY_F(1), KEY_F(1), 0, ACT_SAVE, "F1", N_("Save")},
	{KM_FORM_SHORT, KEY_F(3), KEY_F(3), 0, ACT_PHOTOS, "F3", N_("Photos")},
	{KM_FORM_SHORT, KEY_ESC, KEY_ESC, 1, ACT_BACK, "Esc", N_("Back")},
	{KM_INSTALL, KEY_F(1), KEY_F(1), 0, ACT_SAVE, "F1", N_("Save")},
	/* TRANSLATORS: key legend: keep this item and fit another in the same visit */
	{KM_INSTALL, KEY_F(2), KEY_F(2), 0, ACT_ADD, "F2", N_("Add item")},
	{KM_INSTALL, KEY_F(3), KEY_F(3), 0, ACT_PHOTOS, "F3", N_("Photos")},
	{KM_INSTALL, KEY_ESC, KEY_ESC, 1, ACT_BACK, "Esc", N_("Back")},
	{KM_WHO, KEY_F(1), KEY_F(1), 0, ACT_SAVE, "F1", N_("Start")},
	{KM_WHO, KEY_ESC, KEY_ESC, 1, ACT_BACK, "Esc", N_("Back")},
	{KM_SEARCH, '\n', '\n', 1, ACT_ENTER, "Ent", N_("Open")},
	{KM_SEARCH, KEY_ESC, KEY_ESC, 1, ACT_BACK, "Esc", N_("Back")},
	{KM_CHECKLIST, '\n', '\n', 1, ACT_ENTER, "Ent", N_("Mark")},
	{KM_CHECKLIST, KEY_LEFT, KEY_RIGHT, 0, ACT_NONE, "\xe2\x86\x90\xe2\x86\x92", N_("Grade")},
	{KM_CHECKLIST, KEY_ESC, KEY_ESC, 1, ACT_BACK, "Esc", N_("Done")},
	{KM_PHOTOS, '\n', '\n', 1, ACT_ENTER, "Ent", N_("Attach")},
	{KM_PHOTOS, KEY_F(1), KEY_F(1), 0, ACT_REFRESH, "F1", N_("Reload")},
	{KM_PHOTOS, KEY_ESC, KEY_ESC, 1, ACT_BACK, "Esc", N_("Done")},
	{KM_DEVICE, KEY_ESC, KEY_ESC, 1, ACT_BACK, "Esc", N_("Back")},
	/* TRANSLATORS: key legend: cancel the chosen visit (a void record) */
	{KM_HISTORY, '\n', '\n', 1, ACT_ENTER, "Ent", N_("Void")},
	{KM_HISTORY, KEY_ESC, KEY_ESC, 1, ACT_BACK, "Esc", N_("Back")},
	{KM_VOID, KEY_F(1), KEY_F(1), 0, ACT_SAVE, "F1", N_("Void it")},
	{KM_VOID, KEY_ESC, KEY_ESC, 1, ACT_BACK, "Esc", N_("Back")},
	/* "not saved" when a scan opens another household: any other key stays */
	{KM_ASK, KEY_F(1), KEY_F(1), 0, ACT_SAVE, "F1", N_("Save")},
	{KM_ASK, KEY_ESC, KEY_ESC, 1, ACT_DISCARD, "Esc", N_("Discard")},
	{KM_ASK, KEY_F(2), KEY_F(2), 0, ACT_STAY, "F2", N_("Stay")},
	/* every screen */
	{KM_ANY, KEY_UP, KEY_UP, 0, ACT_UP, NULL, NULL},
	{KM_ANY, KEY_DOWN, KEY_DOWN, 0, ACT_DOWN, NULL, NULL},
	{KM_ANY, KEY_LEFT, KEY_LEFT, 0, ACT_LEFT, NULL, NULL},
	{KM_ANY, KEY_RIGHT, KEY_RIGHT, 0, ACT_RIGHT, NULL, NULL},
	{KM_ANY, KEY_ENTER, KEY_ENTER, 0, ACT_ENTER, "Enter", NULL}, /* named in hints */
	{KM_ANY, '\n', '\n', 1, ACT_ENTER, NULL, NULL},
	{KM_ANY, '\r', '\r', 1, ACT_ENTER, NULL, NULL},
	{KM_ANY, KEY_ESC, KEY_ESC, 1, ACT_BACK, NULL, NULL},
	{KM_ANY, KEY_BACKSPACE, KEY_BACKSPACE, 0, ACT_ERASE, NULL, NULL},
	{KM_ANY, KEY_DC, KEY_DC, 0, ACT_ERASE, NULL, NULL},
	{KM_ANY, 8, 8, 1, ACT_ERASE, NULL, NULL},
	{KM_ANY, 127, 127, 1, ACT_ERASE, NULL, NULL},
	{KM_ANY, KEY_RESIZE, KEY_RESIZE, 0, ACT_RESIZE, NULL, NULL},
	{KM_ANY, '0', '9', 1, ACT_DIGIT, NULL, NULL},
};

static void char_text(unsigned key, struct tui_event *ev)
{
	mbstate_t ps;
	char buf[MB_LEN_MAX];
	size_t n;

	memset(&ps, 0, sizeof ps);
	n = wcrtomb(buf, (wchar_t)key, &ps);
	if (n < sizeof ev->text) { /* also false for (size_t)-1 */
		memcpy(ev->text, buf, n);
		ev->text[n] = '\0';
	}
}

static int matches(const struct binding *b, enum keymap km, int is_char, unsigned key)
{
	return (b->km == km || b->km == KM_ANY) && b->is_char == is_char && key >= b->lo &&
	       key <= b->hi && b->act != ACT_NONE;
}

void keys_map(enum keymap km, int is_char, unsigned key, struct tui_event *ev)
{
	memset(ev, 0, sizeof *ev);
	if (is_char && key >= 0x20 && key != 0x7F && iswprint((wint_t)key))
		char_text(key, ev);
	for (size_t i = 0; i < GW_ARRAY_LEN(bindings); i++) {
		if (!matches(&bindings[i], km, is_char, key))
			continue;
		ev->act = bindings[i].act;
		if (ev->act == ACT_DIGIT)
			ev->digit = (int)(key - '0');
		return;
	}
	ev->act = ev->text[0] ? ACT_TEXT : ACT_NONE;
}

const char *keys_name(enum keymap km, enum action act)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < GW_ARRAY_LEN(bindings); i++)
			if (bindings[i].km == (pass ? KM_ANY : km) && bindings[i].act == act &&
			    bindings[i].keyname)
				return bindings[i].keyname;
	return "?";
}

void keys_legend(enum keymap km, char *out, size_t outsz)
{
	size_t len = 0;

	if (outsz)
		out[0] = '\0';
	for (size_t i = 0; i < GW_ARRAY_LEN(bindings); i++) {
		const struct binding *b = &bindings[i];
		int n;
		if (b->km != km || !b->label)
			continue;
		n = snprintf(out + len, outsz - len, "%s%s%s", len ? " " : "", b->keyname,
			     _(b->label));
		if (n < 0 || (size_t)n >= outsz - len)
			break;
		len += (size_t)n;
	}
}
