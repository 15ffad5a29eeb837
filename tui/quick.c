/* The two-key doors: "entered, everything required present and working, no new
 * hazard" and "not at home", each one key from the route or the card. The quick
 * "all ok" is never recorded over an open hazard or a stopped supply (it would say
 * nothing about them), and asks first when a device was missing or faulty last time. */
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "tui/internal.h"

/* Why a quick "all ok" cannot be recorded here (into buf), NULL when it can. The keys
 * that open the full form are named from the bindings table: on the card its own key,
 * on the door list Enter (the card) then that key. */
static const char *refusal(const struct tui *t, const struct status *st, char *buf,
			   size_t bufsz)
{
	enum keymap card = t->role == ROLE_INSTALL ? KM_CARD_INSTALL : KM_CARD;
	const char *form = keys_name(card, ACT_CAPTURE);
	int on_card = t->km == KM_CARD || t->km == KM_CARD_INSTALL;

	if (st->nhazards == 0 && st->supply != SUPPLY_STOPPED)
		return NULL;
	if (on_card)
		snprintf(buf, bufsz,
			 st->nhazards > 0 ? _("A hazard is open here: record this visit with %s.")
					  : _("The gas supply is stopped here: record this visit with %s."),
			 form);
	else
		snprintf(buf, bufsz,
			 st->nhazards > 0 ? _("A hazard is open here: %s, %s to record it.")
					  : _("Supply stopped here: %s, %s to record it."),
			 keys_name(KM_DOORS, ACT_ENTER), form);
	return buf;
}

/* 1 when the last visit found a device missing or faulty (or a non-metal hose). */
static int found_wanting(const struct status *st)
{
	return st->hose == HOSE_NON_METAL || st->valve == DEV_ABSENT || st->valve == DEV_FAULTY ||
	       st->alarm == DEV_ABSENT || st->alarm == DEV_FAULTY || st->shutoff == DEV_ABSENT ||
	       st->shutoff == DEV_FAULTY;
}

static enum devstate ok_if_required(const struct household *h, enum item it)
{
	return rules_need(h->category, h->gas, h->new_build, it) == NEED_REQUIRED ? DEV_OK
										   : DEV_UNKNOWN;
}

static void fill(struct visit *v, struct tui *t, const struct household *h, enum outcome o)
{
	memset(v, 0, sizeof *v);
	gw_strlcpy(v->account, h->account, sizeof v->account);
	gw_strlcpy(v->actor, t->actor, sizeof v->actor);
	v->role = t->role;
	v->at = gw_now();
	v->tz_minutes = time_local_offset(v->at);
	v->outcome = o;
	v->entry_mode = ENTRY_QUICK;
	if (o != OUT_ENTERED)
		return;
	v->hose = rules_need(h->category, h->gas, h->new_build, ITEM_HOSE) == NEED_REQUIRED
			  ? HOSE_METAL
			  : HOSE_UNKNOWN;
	v->valve = ok_if_required(h, ITEM_VALVE);
	v->alarm = ok_if_required(h, ITEM_ALARM);
	v->shutoff = ok_if_required(h, ITEM_SHUTOFF);
}

int quick_visit(struct tui *t, const char *account, enum action act, int confirmed)
{
	struct household h;
	struct status st;
	struct visit v;
	const char *why;
	char buf[256];
	enum outcome o = act == ACT_QUICK_OK ? OUT_ENTERED : OUT_NOT_HOME;

	if (household_get(t->l, account, &h) != 0 || status_get(t->l, account, 0, &h, &st) != 0) {
		tui_error(t);
		return -1;
	}
	if (o == OUT_ENTERED && (why = refusal(t, &st, buf, sizeof buf))) {
		tui_message(t, LOOK_ERROR, "%s", why);
		return -1;
	}
	if (o == OUT_ENTERED && found_wanting(&st) && !confirmed) {
		tui_message(t, LOOK_ERROR, "%s",
			    _("Last visit found a device missing or faulty. F3 again: all ok now."));
		return 1;
	}
	fill(&v, t, &h, o);
	if (visit_record(t->l, &v) != 0) {
		tui_error(t);
		return -1;
	}
	if (status_get(t->l, account, 0, &h, &st) != 0)
		st.visits = 0;
	tui_message(t, LOOK_OK, _("Saved: %s %s (visit %d here)."), h.room,
		    label_outcome(o), st.visits);
	tui_visit_saved(t, account);
	return 0;
}
