/* Naming a compound by (subdistrict, compound) (see compound.h). */
#include "compound.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "util.h"

#define CHOICES_MAX 8 /* subdistricts named in an "ambiguous" message, at most */

static const char sql_where[] =
	"SELECT DISTINCT subdistrict FROM household WHERE compound = ?1 ORDER BY subdistrict";
static const char sql_exists[] =
	"SELECT 1 FROM household WHERE subdistrict = ?1 AND compound = ?2 LIMIT 1";
/* A subdistrict by its full name, or by its name without 街道. */
static const char sql_subdistrict[] =
	"SELECT name_zh FROM subdistrict WHERE name_zh = ?1 OR name_zh = ?1 || '街道' "
	"UNION ALL SELECT ?1 LIMIT 1";

void compound_format(const struct compound_ref *r, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s/%s", r->subdistrict, r->compound);
}

static int step_text(struct ledger *l, sqlite3_stmt *st, char *out, size_t outsz)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		gw_strlcpy(out, ledger_text(st, 0), outsz);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ledger_db_fail(l, "compound");
	return rc == SQLITE_ROW;
}

/* "subdistrict/compound": 1 when it holds households (*out set), 0 not, -1 error. */
static int qualified(struct ledger *l, const char *arg, struct compound_ref *out)
{
	const char *slash = strchr(arg, '/');
	char sd[HH_PLACE_MAX + 1];
	sqlite3_stmt *st;
	int rc;

	if (!slash || (size_t)(slash - arg) > HH_PLACE_MAX || strlen(slash + 1) > HH_PLACE_MAX)
		return 0;
	memcpy(sd, arg, (size_t)(slash - arg));
	sd[slash - arg] = '\0';
	if (!(st = ledger_stmt(l, sql_subdistrict)))
		return -1;
	sqlite3_bind_text(st, 1, sd, -1, SQLITE_TRANSIENT);
	if ((rc = step_text(l, st, out->subdistrict, sizeof out->subdistrict)) <= 0)
		return rc;
	gw_strlcpy(out->compound, slash + 1, sizeof out->compound);
	if (!(st = ledger_stmt(l, sql_exists)))
		return -1;
	sqlite3_bind_text(st, 1, out->subdistrict, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, out->compound, -1, SQLITE_STATIC);
	return step_text(l, st, sd, sizeof sd);
}

/* A name alone: the subdistricts that have it. */
static int by_name(struct ledger *l, const char *arg, struct compound_ref *out)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_where);
	char choices[CHOICES_MAX * (2 * HH_PLACE_MAX + 4)] = "";
	int rc, n = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		size_t k = strlen(choices);
		if (n == 0)
			gw_strlcpy(out->subdistrict, ledger_text(st, 0), sizeof out->subdistrict);
		if (n < CHOICES_MAX)
			snprintf(choices + k, sizeof choices - k, "%s%s/%s", n ? ", " : "",
				 ledger_text(st, 0), arg);
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ledger_db_fail(l, "compound");
	if (n == 0)
		return gw_fail(GW_ERR_NOTFOUND, _("compound %s: no households"), arg);
	if (n > 1)
		return gw_fail(GW_ERR_INPUT,
			       _("compound %s is in %d subdistricts; name one as 街道/小区: %s"), arg,
			       n, choices);
	gw_strlcpy(out->compound, arg, sizeof out->compound);
	return 0;
}

int compound_resolve(struct ledger *l, const char *arg, struct compound_ref *out)
{
	int rc;

	memset(out, 0, sizeof *out);
	if (strlen(arg) > HH_PLACE_MAX * 2 + 1)
		return gw_fail(GW_ERR_NOTFOUND, _("compound %s: no households"), arg);
	rc = qualified(l, arg, out);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	return by_name(l, arg, out);
}
