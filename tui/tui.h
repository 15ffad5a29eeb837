/* tui: the handheld's screens (walk, household card, capture, install, search,
 * photos, device identity) on a terminal of 40x15 and up. */
#ifndef GW_TUI_H
#define GW_TUI_H

#include "core/ledger.h"

struct tui_options {
	const char *camera_dir; /* NULL: the one remembered in the ledger, else ./camera */
	int exit_after_draw;    /* draw the first route screen and return (timing) */
};

/* Runs the screens until the user quits; 0 on a normal exit, 1 on a failure
 * (its one-line message left in gw_error()). */
int tui_run(struct ledger *l, const struct tui_options *o);

#endif
