#include "cli/devarg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "sync/keys.h"

/* OFFICE/NAME with OFFICE this ledger (its name or id): a device it enrolled itself
 * (the keyring knows such devices under no office). 0, or -1 with the error set. */
static int own_terminal(struct ledger *l, const char *dev, struct sync_device *d)
{
	const char *slash = strrchr(dev, '/');
	size_t n = slash ? (size_t)(slash - dev) : 0;

	if (!slash || gw_last_status() != GW_ERR_NOTFOUND)
		return -1;
	if ((strlen(ledger_name(l)) != n || strncmp(dev, ledger_name(l), n) != 0) &&
	    (strlen(ledger_device_id(l)) != n || strncmp(dev, ledger_device_id(l), n) != 0))
		return -1;
	if (sync_device_resolve(l, slash + 1, d) != 0)
		return -1;
	if (d->office[0] == '\0' && !d->self)
		return 0;
	return gw_fail(GW_ERR_NOTFOUND, "%s: not enrolled here", dev);
}

/* The device part resolved to an id: 0, or 1 after one line on stderr. */
static int device_arg(struct ledger *l, const char *arg, const char *dev, char *out, size_t outsz)
{
	struct sync_device d;
	char shown[160];

	if (!strcmp(dev, ledger_name(l)) || !strcmp(dev, ledger_device_id(l))) {
		gw_strlcpy(out, ledger_device_id(l), outsz);
		return 0;
	}
	if (sync_device_resolve(l, dev, &d) == 0 || own_terminal(l, dev, &d) == 0) {
		gw_strlcpy(out, d.ident.id, outsz);
		return 0;
	}
	text_clean(dev, shown, sizeof shown);
	if (gw_last_status() == GW_ERR_INPUT) {
		gw_clear_error();
		return cli_error(_("visit %s: more than one device is named '%s'; give OFFICE/NAME or the device id"),
				 arg, shown);
	}
	if (gw_last_status() != GW_ERR_NOTFOUND)
		return cli_fail();
	gw_clear_error();
	if (sync_device_id_ok(dev, strlen(dev))) { /* a device no longer (or never) enrolled */
		gw_strlcpy(out, dev, outsz);
		return 0;
	}
	return cli_error(_("visit %s: no device named '%s' and none with that id in this ledger's keyring"),
			 arg, shown);
}

int cli_visit_arg(struct ledger *l, const char *arg, struct visit_id *id)
{
	const char *slash = strrchr(arg, '/');
	char dev[256], *end;

	if (!slash || slash == arg || (size_t)(slash - arg) >= sizeof dev)
		return cli_error(_("%s: give the visit as DEVICE/SEQ"), arg);
	memcpy(dev, arg, (size_t)(slash - arg));
	dev[slash - arg] = '\0';
	id->seq = strtoll(slash + 1, &end, 10);
	if (!slash[1] || *end || id->seq <= 0)
		return cli_error(_("%s: give the visit as DEVICE/SEQ"), arg);
	return device_arg(l, arg, dev, id->device, sizeof id->device);
}

void cli_device_name(struct ledger *l, const char *id, char *out, size_t outsz)
{
	struct sync_device d, o;
	char name[300];

	out[0] = '\0';
	if (sync_device_get(l, id, &d) != 0 || !d.ident.name[0] || !strcmp(d.ident.name, id)) {
		gw_clear_error();
		return;
	}
	gw_strlcpy(name, d.ident.name, sizeof name);
	if (sync_device_resolve(l, d.ident.name, &o) != 0 || strcmp(o.ident.id, id) != 0) {
		gw_clear_error();
		if (d.office[0] && sync_device_get(l, d.office, &o) == 0 && o.ident.name[0])
			snprintf(name, sizeof name, "%s/%s", o.ident.name, d.ident.name);
		else
			name[0] = '\0'; /* no name that leads back to it: the id alone */
		gw_clear_error();
	}
	text_clean(name, out, outsz);
}

void cli_device_label(struct ledger *l, const char *id, char *out, size_t outsz)
{
	char name[160];

	cli_device_name(l, id, name, sizeof name);
	if (name[0])
		snprintf(out, outsz, _("%s (%s)"), name, id);
	else
		gw_strlcpy(out, id, outsz);
}

void cli_visit_label(struct ledger *l, const struct visit_id *id, char *out, size_t outsz)
{
	char name[160];

	cli_device_name(l, id->device, name, sizeof name);
	if (name[0])
		snprintf(out, outsz, _("%s/%lld (%s)"), name, (long long)id->seq, id->device);
	else
		snprintf(out, outsz, "%s/%lld", id->device, (long long)id->seq);
}
