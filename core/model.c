#include "model.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const category_names[] = {"residential", "non_residential"};
static const char *const gas_names[] = {"pipeline", "lpg"};
static const char *const role_names[] = {"inspect", "install", "recheck", "self-check",
					  "spot-check"};
static const char *const outcome_names[] = {"entered", "not-home", "refused", "vacant"};
static const char *const hose_names[] = {NULL, "metal", "non-metal", "none"};
static const char *const devstate_names[] = {NULL, "ok", "absent", "faulty", "na"};
static const char *const supply_names[] = {NULL, "stopped", "restored"};
static const char *const item_names[] = {"hose", "valve", "alarm", "shutoff"};
static const char *const state_names[] = {"compliant", "pending", "hazard_open", "refused",
					  "never_reached"};
static const char *const entry_mode_names[] = {"form", "quick"};

#define GW_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const char *name_of(const char *const *names, int n, int v)
{
	return v >= 0 && v < n ? names[v] : NULL;
}

static int parse_of(const char *const *names, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (names[i] && strcmp(names[i], s) == 0)
			return i;
	return -1;
}

#define NAMED(type, arr)                                                  \
	const char *type##_name(enum type v)                             \
	{                                                                \
		return name_of(arr, (int)GW_LEN(arr), (int)v);                \
	}                                                                \
	int type##_parse(const char *s)                                  \
	{                                                                \
		return parse_of(arr, (int)GW_LEN(arr), s);                    \
	}

NAMED(category, category_names)
NAMED(gas, gas_names)
NAMED(role, role_names)
NAMED(outcome, outcome_names)
NAMED(hose, hose_names)
NAMED(devstate, devstate_names)
NAMED(supply, supply_names)
NAMED(item, item_names)
NAMED(state, state_names)
NAMED(entry_mode, entry_mode_names)

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : mdays[m - 1];
}

static int parse_date(const char *s, int *y, int *m, int *d)
{
	if (digits(s, 4, y) || s[4] != '-' || digits(s + 5, 2, m) || s[7] != '-' ||
	    digits(s + 8, 2, d))
		return -1;
	if (*m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
		return -1;
	return 0;
}

int time_local_offset(int64_t epoch)
{
	time_t t = (time_t)epoch;
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return 0;
	return (int)(tm.tm_gmtoff / 60);
}

/* Local wall time to epoch, through mktime (honours TZ). */
static int64_t local_to_epoch(int y, int mo, int d, int h, int mi, int s, int *tz)
{
	struct tm tm = {0};
	time_t t;

	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	*tz = (int)(tm.tm_gmtoff / 60);
	return (int64_t)t;
}

static int parse_zone(const char *z, int *tz)
{
	int hh, mm = 0, sign;

	if (strcmp(z, "Z") == 0) {
		*tz = 0;
		return 0;
	}
	if (*z != '+' && *z != '-')
		return -1;
	sign = *z == '-' ? -1 : 1;
	if (digits(z + 1, 2, &hh))
		return -1;
	z += 3;
	if (*z == ':')
		z++;
	if (*z && (digits(z, 2, &mm) || z[2]))
		return -1;
	if (hh > 14 || mm > 59)
		return -1;
	*tz = sign * (hh * 60 + mm);
	return 0;
}

int time_parse_iso(const char *s, int64_t *epoch, int *tz_minutes)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, tz;
	const char *p = s + 10;

	if (strlen(s) < 10 || parse_date(s, &y, &mo, &d))
		return -1;
	if (*p == 'T' || *p == ' ') {
		if (digits(p + 1, 2, &h) || p[3] != ':' || digits(p + 4, 2, &mi))
			return -1;
		p += 6;
		if (*p == ':') {
			if (digits(p + 1, 2, &sec))
				return -1;
			p += 3;
		}
		if (h > 23 || mi > 59 || sec > 60)
			return -1;
	}
	if (*p == '\0') {
		*epoch = local_to_epoch(y, mo, d, h, mi, sec, &tz);
		*tz_minutes = tz;
		return 0;
	}
	if (parse_zone(p, &tz))
		return -1;
	*epoch = days_from_civil(y, mo, d) * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60 + sec -
		 (int64_t)tz * 60;
	*tz_minutes = tz;
	return 0;
}

/* "YYYY/M/D" with one or two digits of month and day, as a spreadsheet writes it. */
static int parse_date_slashes(const char *s, int *y, int *m, int *d, size_t *len)
{
	size_t i = 5, k;

	if (digits(s, 4, y) || s[4] != '/')
		return -1;
	for (k = i; k < i + 2 && isdigit((unsigned char)s[k]); k++)
		;
	if (k == i || s[k] != '/' || digits(s + i, (int)(k - i), m))
		return -1;
	for (i = k + 1, k = i; k < i + 2 && isdigit((unsigned char)s[k]); k++)
		;
	if (k == i || digits(s + i, (int)(k - i), d))
		return -1;
	if (*m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
		return -1;
	*len = k;
	return 0;
}

int time_parse_date(const char *s, int *y, int *m, int *d)
{
	size_t len;

	if (strlen(s) == 10 && parse_date(s, y, m, d) == 0)
		return 0;
	return parse_date_slashes(s, y, m, d, &len) == 0 && s[len] == '\0' ? 0 : -1;
}

int time_parse_user(const char *s, int64_t *epoch, int *tz_minutes)
{
	char buf[64];
	int y, m, d;
	size_t len;

	if (parse_date_slashes(s, &y, &m, &d, &len) != 0)
		return time_parse_iso(s, epoch, tz_minutes);
	if (strlen(s + len) + 11 > sizeof buf)
		return -1;
	snprintf(buf, sizeof buf, "%04d-%02d-%02d%s", y, m, d, s + len);
	return time_parse_iso(buf, epoch, tz_minutes);
}

int time_parse_day_end(const char *day, int64_t *epoch)
{
	int y, m, d, tz;

	if (time_parse_date(day, &y, &m, &d))
		return -1;
	*epoch = local_to_epoch(y, m, d, 23, 59, 59, &tz);
	return 0;
}

/* The general case, through the C library. */
static void format_iso_libc(int64_t epoch, int tz_minutes, char *out, size_t outsz)
{
	time_t t = (time_t)(epoch + (int64_t)tz_minutes * 60);
	struct tm tm;
	int off = tz_minutes < 0 ? -tz_minutes : tz_minutes;

	gmtime_r(&t, &tm);
	snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 tz_minutes < 0 ? '-' : '+', off / 60, off % 60);
}

static void put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

/* Every visit stored or exported is formatted: days to civil date without stdio
 * (H. Hinnant's algorithm), the C library only for years outside 0..9999. */
void time_format_iso(int64_t epoch, int tz_minutes, char *out, size_t outsz)
{
	int64_t t = epoch + (int64_t)tz_minutes * 60;
	int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400, sec = t - days * 86400;
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);
	int off = tz_minutes < 0 ? -tz_minutes : tz_minutes;

	if (y < 0 || y > 9999 || off / 60 > 99 || outsz < 26) {
		format_iso_libc(epoch, tz_minutes, out, outsz);
		return;
	}
	put2(out, (int)(y / 100));
	put2(out + 2, (int)(y % 100));
	out[4] = '-';
	put2(out + 5, (int)m);
	out[7] = '-';
	put2(out + 8, (int)d);
	out[10] = 'T';
	put2(out + 11, (int)(sec / 3600));
	out[13] = ':';
	put2(out + 14, (int)(sec / 60 % 60));
	out[16] = ':';
	put2(out + 17, (int)(sec % 60));
	out[19] = tz_minutes < 0 ? '-' : '+';
	put2(out + 20, off / 60);
	out[22] = ':';
	put2(out + 23, off % 60);
	out[25] = '\0';
}
