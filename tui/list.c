/* A scrolling selection shared by the list screens. */
#include "tui/internal.h"

void list_scroll(struct list *ls, int rows)
{
	if (ls->sel >= ls->n)
		ls->sel = ls->n - 1;
	if (ls->sel < 0)
		ls->sel = 0;
	if (rows < 1)
		rows = 1;
	if (ls->top > ls->sel)
		ls->top = ls->sel;
	if (ls->sel >= ls->top + rows)
		ls->top = ls->sel - rows + 1;
	if (ls->top > ls->n - rows)
		ls->top = ls->n - rows;
	if (ls->top < 0)
		ls->top = 0;
}

int list_key(struct list *ls, const struct tui_event *ev, int rows)
{
	int old = ls->sel;

	switch (ev->act) {
	case ACT_UP:
		ls->sel--; /* no wrap: ↑ on the first row stays there (a door list's 101) */
		break;
	case ACT_DOWN:
		ls->sel++;
		break;
	case ACT_LEFT:
		ls->sel -= rows;
		break;
	case ACT_RIGHT:
		ls->sel += rows;
		break;
	default:
		return 0;
	}
	list_scroll(ls, rows);
	return ls->sel != old || ev->act == ACT_LEFT || ev->act == ACT_RIGHT;
}
