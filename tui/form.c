/* Forms: rows of choices (Left/Right or a digit picks; the digits are shown under
 * the form, and a digit moves on to the next row), text fields (typed or scanned;
 * Enter moves on) and buttons, scrolled to keep the focus in view. */
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "core/util.h"
#include "tui/internal.h"

struct form_row *form_add(struct form *f, enum row_kind kind, const char *label)
{
	struct form_row *r;

	if (f->n == FORM_MAX_ROWS)
		die("form: too many rows");
	r = &f->rows[f->n++];
	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->label = label;
	return r;
}

int form_focus(const struct form *f)
{
	return f->focus;
}

/* Moves the focus by step (+1/-1) to the next visible row; wraps around. */
static void move_focus(struct form *f, int step)
{
	for (int i = 0; i < f->n; i++) {
		f->focus = (f->focus + step + f->n) % f->n;
		if (!f->rows[f->focus].hidden)
			return;
	}
}

void form_fix_focus(struct form *f)
{
	if (f->focus >= f->n)
		f->focus = 0;
	if (f->n && f->rows[f->focus].hidden)
		move_focus(f, 1);
}

static enum form_result choice_key(struct form_row *r, const struct tui_event *ev)
{
	switch (ev->act) {
	case ACT_LEFT:
		r->value = (r->value + r->nopts - 1) % r->nopts;
		return FORM_CHANGED;
	case ACT_RIGHT:
		r->value = (r->value + 1) % r->nopts;
		return FORM_CHANGED;
	case ACT_DIGIT:
		if (ev->digit < 1 || ev->digit > r->nopts)
			return FORM_CONSUMED;
		r->value = ev->digit - 1;
		return FORM_CHANGED;
	default:
		return FORM_IGNORED;
	}
}

enum form_result form_key(struct form *f, const struct tui_event *ev)
{
	struct form_row *r = &f->rows[f->focus];

	if (ev->act == ACT_UP || ev->act == ACT_DOWN) {
		move_focus(f, ev->act == ACT_UP ? -1 : 1);
		return FORM_CONSUMED;
	}
	if (r->kind == ROW_CHOICE && ev->act == ACT_ENTER) {
		move_focus(f, 1);
		return FORM_CONSUMED;
	}
	if (r->kind == ROW_CHOICE) {
		enum form_result res = choice_key(r, ev);
		if (res == FORM_CHANGED && ev->act == ACT_DIGIT)
			move_focus(f, 1); /* a digit answers the row: on to the next */
		return res;
	}
	if (r->kind == ROW_TEXT) {
		if (field_key(r->field, ev))
			return FORM_CHANGED;
		if (ev->act == ACT_ENTER) { /* a scanner ends with Enter: move on */
			move_focus(f, 1);
			return FORM_CONSUMED;
		}
		return ev->act == ACT_DIGIT || ev->act == ACT_TEXT ? FORM_CONSUMED : FORM_IGNORED;
	}
	if (ev->act == ACT_ENTER || ev->act == ACT_RIGHT)
		return FORM_PRESSED;
	return FORM_IGNORED;
}

/* Index among visible rows, so hidden rows take no line. */
static int visible_index(const struct form *f, int row)
{
	int k = 0;

	for (int i = 0; i < row; i++)
		k += !f->rows[i].hidden;
	return k;
}

static int label_width(const struct form *f, int cols)
{
	int w = 0;

	for (int i = 0; i < f->n; i++)
		if (!f->rows[i].hidden && f->rows[i].kind != ROW_BUTTON &&
		    text_width(f->rows[i].label) > w)
			w = text_width(f->rows[i].label);
	return w + 1 < cols / 2 ? w + 1 : cols / 2;
}

static void draw_row(const struct form_row *r, int focus, int y, int lw, int cols)
{
	char buf[256];
	enum look look = focus ? LOOK_SELECTED : LOOK_NORMAL;

	if (r->kind == ROW_BUTTON) {
		snprintf(buf, sizeof buf, "[%s]%s%s", r->label, r->info[0] ? " " : "", r->info);
		dpy_put(y, 0, cols, buf, look);
		return;
	}
	dpy_put(y, 0, lw, r->label, LOOK_NORMAL);
	if (r->kind == ROW_TEXT) {
		field_draw(r->field, y, lw + 1, cols - lw - 1, focus);
		return;
	}
	snprintf(buf, sizeof buf, "%s%s%s", focus ? "<" : " ", r->opts[r->value], focus ? ">" : "");
	dpy_put(y, lw, cols - lw, buf, look);
}

/* "1未查 2金属管 3非金属管 4无软管": what each digit picks on the focused row. */
static void draw_numbers(const struct form_row *r, int y, int cols)
{
	char buf[512];
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < r->nopts && i < 9 && len < sizeof buf; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%d%s", i ? " " : "", i + 1,
					r->opts[i]);
	dpy_put(y, 0, cols, buf, LOOK_DIM);
}

void form_draw(struct form *f, int top, int rows, int cols)
{
	int fv = visible_index(f, f->focus);

	if (f->n && f->rows[f->focus].kind == ROW_CHOICE && rows > 2) {
		rows--; /* the last line says what the digits pick */
		draw_numbers(&f->rows[f->focus], top + rows, cols);
	}

	if (fv < f->top)
		f->top = fv;
	if (fv >= f->top + rows)
		f->top = fv - rows + 1;
	if (f->top < 0)
		f->top = 0;
	for (int i = 0, lw = label_width(f, cols); i < f->n; i++) {
		int v = visible_index(f, i) - f->top;
		if (f->rows[i].hidden || v < 0 || v >= rows)
			continue;
		draw_row(&f->rows[i], i == f->focus, top + v, lw, cols);
	}
	draw_scroll_marks(top, rows, f->top, visible_index(f, f->n));
}
