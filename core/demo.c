/* The demo district: the 14 subdistricts of the plan, compounds of several buildings,
 * Chinese names, a realistic mix of users, and a history of visits with every outcome. */
#include "demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "util.h"

#define DEMO_DEVICES 6
#define DEMO_DAYS 70

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
				       "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗",
				       "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧"};
static const char *const given[] = {"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军",
				    "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞",
				    "平", "刚", "桂英", "建华", "玉兰", "国强", "淑珍", "志刚", "红梅",
				    "子涵", "浩然", "欣怡", "梓轩", "雨桐", "德明", "秋菊"};
static const char *const compound_heads[] = {"幸福", "建设", "棉纺", "锦绣", "阳光", "和平",
					     "桐柏", "金色", "绿城", "中原", "华山", "嵩山",
					     "秦岭", "伏牛", "颍河", "碧水"};
static const char *const compound_tails[] = {"小区", "花园", "家属院", "新村", "公寓", "苑"};
static const char *const shops[][2] = {
	{"catering", "饭店"},   {"catering", "面馆"},      {"catering", "烩面馆"},
	{"industry", "机械厂"}, {"education", "小学"},     {"education", "幼儿园"},
	{"elder_care", "养老院"}, {"medical", "诊所"},     {"culture", "文化中心"},
	{"other", "便利店"},
};

static uint64_t next(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

uint64_t demo_rand(uint64_t *state)
{
	return next(state);
}

static unsigned pick(uint64_t *s, unsigned n)
{
	return (unsigned)(next(s) % n);
}

static int chance(uint64_t *s, unsigned percent)
{
	return pick(s, 100) < percent;
}

struct subdistricts {
	char name[14][48];
	int n;
};

static int collect_subdistrict(void *ctx, char **f, int nf)
{
	struct subdistricts *sd = ctx;

	if (nf >= 2 && sd->n < 14)
		gw_strlcpy(sd->name[sd->n++], f[1], sizeof sd->name[0]);
	return 0;
}

struct gen {
	struct ledger *l;
	const struct demo_options *o;
	struct demo_summary *sum;
	uint64_t rng;
	struct subdistricts sd;
	char devices[DEMO_DEVICES][DEVICE_ID_MAX + 1];
	int64_t dev_seq[DEMO_DEVICES];
};

static void person_name(struct gen *g, char *out, size_t n)
{
	snprintf(out, n, "%s%s", surnames[pick(&g->rng, GW_ARRAY_LEN(surnames))],
		 given[pick(&g->rng, GW_ARRAY_LEN(given))]);
}

static void make_household(struct gen *g, struct household *h, long idx, const char *compound,
			   int sd, int building, int unit, int floor, int door)
{
	unsigned r = pick(&g->rng, 100);

	memset(h, 0, sizeof *h);
	snprintf(h->account, sizeof h->account, "%02d%08ld", sd + 1, idx + 1);
	h->category = r < 4 ? CAT_NON_RESIDENTIAL : CAT_RESIDENTIAL;
	h->gas = (r >= 4 && r < 14) || r == 3 ? GAS_LPG : GAS_PIPELINE;
	h->new_build = h->category == CAT_RESIDENTIAL && chance(&g->rng, 8);
	if (h->category == CAT_NON_RESIDENTIAL) {
		unsigned k = pick(&g->rng, GW_ARRAY_LEN(shops));
		gw_strlcpy(h->sector, shops[k][0], sizeof h->sector);
		snprintf(h->name, sizeof h->name, "%s%s", compound_heads[pick(&g->rng, 16)],
			 shops[k][1]);
	} else {
		person_name(g, h->name, sizeof h->name);
	}
	snprintf(h->phone, sizeof h->phone, "13%09u", (unsigned)(next(&g->rng) % 1000000000u));
	gw_strlcpy(h->subdistrict, g->sd.name[sd], sizeof h->subdistrict);
	snprintf(h->community, sizeof h->community, "%.*s社区", 6, compound);
	gw_strlcpy(h->compound, compound, sizeof h->compound);
	snprintf(h->building, sizeof h->building, "%d号楼", building);
	snprintf(h->unit, sizeof h->unit, "%d单元", unit);
	snprintf(h->floor, sizeof h->floor, "%d", floor);
	snprintf(h->room, sizeof h->room, "%d%02d", floor, door);
}

/* ---- visits ---- */

static void base_visit(struct gen *g, struct visit *v, const struct household *h, int dev,
		       int64_t at, enum role role)
{
	memset(v, 0, sizeof *v);
	gw_strlcpy(v->id.device, g->devices[dev], sizeof v->id.device);
	v->id.seq = ++g->dev_seq[dev];
	gw_strlcpy(v->account, h->account, sizeof v->account);
	snprintf(v->actor, sizeof v->actor, "%s%02d", role == ROLE_INSTALL ? "installer" : "inspector",
		 dev + 1);
	v->role = role;
	v->at = at;
	v->tz_minutes = 480;
}

static void observe(struct gen *g, struct visit *v, const struct household *h)
{
	v->outcome = OUT_ENTERED;
	v->hose = chance(&g->rng, 45) ? HOSE_METAL : (chance(&g->rng, 85) ? HOSE_NON_METAL : HOSE_NONE);
	if (rules_need(h->category, h->gas, h->new_build, ITEM_VALVE) != NEED_NONE)
		v->valve = h->new_build || chance(&g->rng, 30) ? DEV_OK : DEV_ABSENT;
	v->alarm = chance(&g->rng, h->category == CAT_NON_RESIDENTIAL ? 60 : 15) ? DEV_OK : DEV_ABSENT;
	if (rules_need(h->category, h->gas, h->new_build, ITEM_SHUTOFF) != NEED_NONE)
		v->shutoff = v->alarm == DEV_OK && chance(&g->rng, 70) ? DEV_OK : DEV_ABSENT;
	if (v->hose == HOSE_NON_METAL && chance(&g->rng, 40)) {
		gw_strlcpy(v->hazards[v->nhazards].code, "H06", sizeof v->hazards[0].code);
		v->hazards[v->nhazards++].grade = 2;
	}
	if (chance(&g->rng, 3)) {
		gw_strlcpy(v->hazards[v->nhazards].code, chance(&g->rng, 50) ? "H03" : "H10",
			   sizeof v->hazards[0].code);
		v->hazards[v->nhazards++].grade = 1;
	}
}

static void add_install(struct visit *v, enum item it, const char *product, int64_t price,
			long serial)
{
	struct install *in = &v->installs[v->ninstalls++];

	in->item = it;
	gw_strlcpy(in->product, product, sizeof in->product);
	snprintf(in->serial, sizeof in->serial, "SN%08ld", serial);
	in->price_fen = price;
}

/* The installer fits whatever is missing and required; hazards found are fixed. */
static void install_missing(struct gen *g, struct visit *v, const struct household *h,
			    const struct visit *seen)
{
	int64_t wobble = (int64_t)pick(&g->rng, 21) * 100 - 1000;

	v->outcome = OUT_ENTERED;
	if (seen->hose != HOSE_METAL && seen->hose != HOSE_NONE)
		add_install(v, ITEM_HOSE, "H-SS15", 12000 + wobble, (long)v->id.seq);
	if (rules_need(h->category, h->gas, h->new_build, ITEM_VALVE) == NEED_REQUIRED &&
	    seen->valve != DEV_OK)
		add_install(v, ITEM_VALVE, "V-STD", 12000 + wobble, (long)v->id.seq);
	if (h->category == CAT_NON_RESIDENTIAL && seen->alarm != DEV_OK)
		add_install(v, ITEM_ALARM, "A-COM", 60000, (long)v->id.seq);
	if (h->category == CAT_NON_RESIDENTIAL && seen->shutoff != DEV_OK)
		add_install(v, ITEM_SHUTOFF, "A-COM", 0, (long)v->id.seq);
}

static int store(struct gen *g, struct visit *v)
{
	g->sum->visits++;
	return visit_insert_raw(g->l, v);
}

static int64_t day_time(struct gen *g, int day)
{
	/* 09:00 to 18:00 local (UTC+8) on a day counted back from today */
	const int64_t hour = 3600, day_secs = 86400;
	int64_t midnight = (g->o->today + 8 * hour) / day_secs * day_secs - 8 * hour;

	return midnight - (DEMO_DAYS - day) * day_secs + 9 * hour + (int64_t)pick(&g->rng, 9 * 3600);
}

static int history(struct gen *g, const struct household *h, struct visit *v, struct visit *w)
{
	int dev = (int)pick(&g->rng, DEMO_DEVICES - 1), day = (int)pick(&g->rng, DEMO_DAYS - 14);
	unsigned r = pick(&g->rng, 100);

	base_visit(g, v, h, dev, day_time(g, day), ROLE_INSPECT);
	if (r < 12) { /* nobody home, maybe a second try */
		v->outcome = OUT_NOT_HOME;
		if (store(g, v) || !chance(&g->rng, 50))
			return 0;
		base_visit(g, w, h, dev, day_time(g, day + 7), ROLE_RECHECK);
		w->base = v->id;
		w->outcome = OUT_NOT_HOME;
		return store(g, w);
	}
	if (r < 17) {
		v->outcome = OUT_REFUSED;
		return store(g, v);
	}
	if (r < 19) {
		v->outcome = OUT_VACANT;
		return store(g, v);
	}
	observe(g, v, h);
	if (store(g, v) || !chance(&g->rng, 70))
		return 0;
	base_visit(g, w, h, DEMO_DEVICES - 1, day_time(g, day + 1 + (int)pick(&g->rng, 12)),
		   ROLE_INSTALL);
	w->base = v->id;
	install_missing(g, w, h, v);
	return w->ninstalls ? store(g, w) : 0;
}

/* ---- the walk through the district ---- */

static int add_household(struct gen *g, struct household *h, struct visit *v, struct visit *w)
{
	enum upsert_result res;

	if (household_upsert(g->l, h, &res))
		return -1;
	g->sum->households++;
	g->sum->by_category[h->category][h->gas]++;
	if (!chance(&g->rng, (unsigned)g->o->visits_percent))
		return 0;
	if (history(g, h, v, w) || status_refresh(g->l, h->account))
		return -1;
	return 0;
}

static int build_compound(struct gen *g, int sd, long *idx, struct visit *v, struct visit *w)
{
	char compound[HH_PLACE_MAX + 1];
	int buildings = 2 + (int)pick(&g->rng, 3), units = 1 + (int)pick(&g->rng, 2);
	int floors = 5 + (int)pick(&g->rng, 8), doors = 2;
	long c = g->sum->compounds++, pairs = 16 * (long)GW_ARRAY_LEN(compound_tails);
	long cap = g->o->households / 14 > 20 ? g->o->households / 14 : 20, end;
	struct household h;

	/* unique names: every head with every tail, then numbered phases */
	snprintf(compound, sizeof compound, "%s%s", compound_heads[c % 16],
		 compound_tails[(c / 16) % (long)GW_ARRAY_LEN(compound_tails)]);
	if (c >= pairs)
		snprintf(compound + strlen(compound), sizeof compound - strlen(compound), "%ld期",
			 c / pairs + 1);
	/* small districts get small compounds, so that every subdistrict has some */
	end = *idx + cap < g->o->households ? *idx + cap : g->o->households;
	for (int b = 1; b <= buildings; b++)
		for (int u = 1; u <= units; u++)
			for (int f = 1; f <= floors; f++)
				for (int d = 1; d <= doors; d++) {
					if (*idx >= end)
						return 0;
					make_household(g, &h, (*idx)++, compound, sd, b, u, f, d);
					if (add_household(g, &h, v, w))
						return -1;
				}
	return 0;
}

static const char sql_states[] = "SELECT state, count(*) FROM status GROUP BY state";

static int count_states(struct ledger *l, struct demo_summary *s)
{
	sqlite3_stmt *st = ledger_stmt(l, sql_states);
	long reached = 0;
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int k = state_parse((const char *)sqlite3_column_text(st, 0));
		if (k >= 0) {
			s->by_state[k] = sqlite3_column_int64(st, 1);
			reached += s->by_state[k];
		}
	}
	sqlite3_reset(st);
	s->by_state[ST_NEVER_REACHED] = s->households - reached;
	return rc == SQLITE_DONE ? 0 : ledger_db_fail(l, "count");
}

int demo_generate(struct ledger *l, const struct demo_options *o, struct demo_summary *s)
{
	struct gen g = {.l = l, .o = o, .sum = s, .rng = o->seed};
	struct visit *v = xmalloc(2 * sizeof *v);
	long idx = 0;
	int rc = 0;

	memset(s, 0, sizeof *s);
	embedded_tsv("subdistricts.tsv", collect_subdistrict, &g.sd);
	for (int d = 0; d < DEMO_DEVICES; d++)
		snprintf(g.devices[d], sizeof g.devices[d], "de%014llx",
			 (unsigned long long)(next(&g.rng) >> 8));
	if (ledger_begin(l)) {
		free(v);
		return -1;
	}
	while (rc == 0 && idx < o->households)
		rc = build_compound(&g, (int)(s->compounds % g.sd.n), &idx, v, v + 1);
	if (rc == 0)
		rc = count_states(l, s);
	if (rc == 0)
		rc = ledger_commit(l);
	if (rc != 0)
		ledger_rollback(l);
	free(v);
	return rc;
}
