/* The model's values as a person reads them, in the language of the messages. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "labels.h"

#include "i18n.h"

static const char *pick(const char *const *labels, int n, int v)
{
	return v >= 0 && v < n ? _(labels[v]) : "-";
}

#define LABELS(fn, type, ...)                                                 \
	const char *fn(type v)                                                \
	{                                                                     \
		static const char *const l[] = {__VA_ARGS__};                 \
		return pick(l, (int)(sizeof l / sizeof l[0]), (int)v);        \
	}

LABELS(label_outcome, enum outcome, N_("entered"), N_("not at home"), N_("refused"),
       N_("vacant"))
LABELS(label_outcome_short, int, N_("In"), N_("NH"), N_("Ref"), N_("Vac"))
LABELS(label_hose, enum hose, N_("not seen"), N_("metal"), N_("non-metal"), N_("no hose"))
LABELS(label_devstate, enum devstate, N_("not seen"), N_("ok"), N_("absent"), N_("faulty"),
       N_("n/a"))
LABELS(label_item, enum item, N_("metal hose"), N_("self-closing valve"), N_("leak alarm"),
       N_("linked shut-off"))
LABELS(label_item_short, enum item, N_("Metal hose"), N_("Valve"), N_("Leak alarm"),
       N_("Shut-off"))
LABELS(label_state, enum state, N_("compliant"), N_("pending"), N_("hazard open"),
       N_("refused"), N_("never reached"))
LABELS(label_role, enum role, N_("inspector"), N_("installer"), N_("recheck"),
       N_("self-check"), N_("spot-check"))
LABELS(label_category, enum category, N_("residential"), N_("non-residential"))
LABELS(label_gas, enum gas, N_("pipeline gas"), N_("bottled LPG"))
LABELS(label_need, enum need, N_("not needed"), N_("encouraged"), N_("required"))

void label_day(int64_t epoch, char *out, size_t outsz)
{
	time_t t = (time_t)epoch;
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(out, outsz, "%Y-%m-%d", &tm);
}

void label_when(int64_t epoch, char *out, size_t outsz)
{
	time_t t = (time_t)epoch;
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(out, outsz, "%m-%d %H:%M", &tm);
}

/* The fields a conflict or a household change names, and how a person reads them. */
static const char *field_label(const char *name, size_t n)
{
	static const char *const fields[][2] = {
		{"outcome", N_("outcome")},       {"hose", N_("hose")},
		{"valve", N_("valve")},           {"alarm", N_("alarm")},
		{"shutoff", N_("shutoff")},       {"supply", N_("supply")},
		{"hazards", N_("hazards")},       {"installs", N_("installs")},
		{"new", N_("new")},               {"category", N_("category")},
		{"gas", N_("gas")},               {"new_build", N_("new_build")},
		{"sector", N_("sector")},         {"name", N_("name")},
		{"phone", N_("phone")},           {"subdistrict", N_("subdistrict")},
		{"community", N_("community")},   {"compound", N_("compound")},
		{"building", N_("building")},     {"unit", N_("unit")},
		{"floor", N_("floor")},           {"room", N_("room")},
	};

	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (strlen(fields[i][0]) == n && strncmp(name, fields[i][0], n) == 0)
			return _(fields[i][1]);
	return NULL;
}

void label_fields(const char *csv, char *out, size_t outsz)
{
	const char *sep = i18n_is_zh() ? "、" : ",";
	size_t len = 0;

	if (outsz)
		out[0] = '\0';
	for (const char *p = csv; *p && len + 1 < outsz;) {
		size_t n = strcspn(p, ",");
		const char *l = field_label(p, n);
		int w = l ? snprintf(out + len, outsz - len, "%s%s", len ? sep : "", l)
			  : snprintf(out + len, outsz - len, "%s%.*s", len ? sep : "", (int)n, p);

		if (w < 0 || (size_t)w >= outsz - len)
			break;
		len += (size_t)w;
		p += n + (p[n] == ',');
	}
}
