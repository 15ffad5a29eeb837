"""Expected report numbers for tests/e2e/report.sh, derived from the test's own inputs:
the per-household states written by hand, and every visit and install the test recorded
(visits.tsv, installs.tsv). Rates and money are computed with exact fractions and
rounded half up (四舍五入), then checked against the CSV, XLSX, HTML and text outputs of
every report kind.

usage: expect.py states.tsv visits.tsv installs.tsv OUTDIR AS_OF_DAY"""
import csv
import datetime as dt
import html.parser
import io
import os
import re
import sys
import xml.etree.ElementTree as ET
import zipfile
from fractions import Fraction

ROOT = os.environ["GASWALK_ROOT"]
states_tsv, visits_tsv, installs_tsv, out, as_of = sys.argv[1:6]
D2 = dt.date.fromisoformat(as_of)
D1 = D2 - dt.timedelta(days=7)
D0 = dt.date(2022, 6, 30)
COL = {D0: "d0", D1: "d1", D2: "d2"}


def tsv(path, header=True):
    rows = [l.rstrip("\n").split("\t") for l in open(path, encoding="utf-8") if l.strip()]
    if not header:
        return rows
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def when(s):
    return dt.datetime.fromisoformat(s)


def end_of(day):
    return dt.datetime.combine(day, dt.time(23, 59, 59))


HH = tsv(states_tsv)
VISITS = [dict(zip(["account", "at", "outcome"], r)) for r in tsv(visits_tsv, header=False)]
INSTALLS = [dict(zip(["account", "at", "item", "product", "actor", "price", "serial"], r))
            for r in tsv(installs_tsv, header=False)]
for n, i in enumerate(INSTALLS):
    i["fen"] = int(Fraction(i["price"]) * 100)
    i["n"] = n
SUBS = {r["code"]: r["name_pinyin"] for r in tsv(f"{ROOT}/data/subdistricts.tsv")}
SECTORS = {r["code"]: r for r in tsv(f"{ROOT}/data/sectors.tsv")}
SETTINGS = {r["key"]: r["value"] for r in tsv(f"{ROOT}/data/campaign-defaults.tsv")}
CATALOG = {r["code"]: int(Fraction(r["price_yuan"]) * 100) for r in tsv(f"{ROOT}/data/catalog.tsv")}
HOUSE = {h["account"]: h for h in HH}
CODES = sorted({h["sub"] for h in HH})
CAT_LABEL = {"residential": "residential", "non_residential": "non-residential"}
STATE_LABEL = {"compliant": "compliant", "pending": "pending", "hazard_open": "hazard open",
               "refused": "refused", "never_reached": "never reached", "vacant": "vacant"}
ITEM_LABEL = {"hose": "hose", "valve": "valve", "alarm": "alarm", "shutoff": "shutoff"}


def day(key):
    return dt.date.fromisoformat(SETTINGS[key])


def half_up(x):
    """An exact Fraction rounded to the nearest integer, halves away from zero."""
    x = Fraction(x)
    sign = -1 if x < 0 else 1
    a = abs(x)
    q, r = divmod(a.numerator, a.denominator)
    return sign * (q + (1 if 2 * r >= a.denominator else 0))


def pct(num, den):
    if den == 0:
        return ""
    t = half_up(Fraction(num * 1000, den))
    return "%s%d.%d%%" % ("-" if t < 0 else "", abs(t) // 10, abs(t) % 10)


def money(fen):
    return "%s%d.%02d" % ("-" if fen < 0 else "", abs(fen) // 100, abs(fen) % 100)


def ident(s):
    return s


def last_outcome(h, d):
    vs = [v for v in VISITS if v["account"] == h["account"] and when(v["at"]) <= end_of(d)]
    return max(vs, key=lambda v: when(v["at"]))["outcome"] if vs else None


def state(h, d):
    """The report state: the rules' state, pending split into vacant and the rest."""
    st = h[COL[d]]
    if st == "pending" and last_outcome(h, d) == "vacant":
        return "vacant"
    return st


def entered(h, d):
    return any(v["account"] == h["account"] and v["outcome"] == "entered"
               and when(v["at"]) <= end_of(d) for v in VISITS)


def of(sub=None, cat=None):
    return [h for h in HH if (sub is None or h["sub"] == sub) and (cat is None or h["category"] == cat)]


def count(hs, d, st):
    return sum(1 for h in hs if state(h, d) == st)


# ---- expected tables: lists of rows of strings, as the CSV shows them ----

def ranked_category(d, category):
    if category != "default":
        return category
    dl = {"non_residential": day("nonresidential_deadline"), "residential": day("residential_deadline")}
    nxt = [c for c in dl if dl[c] >= d]
    return min(nxt, key=lambda c: dl[c]) if nxt else max(dl, key=lambda c: dl[c])


def ranking(d=D2, category="default"):
    cat = ranked_category(d, category)
    pop = (lambda code: of(code)) if cat == "all" else (lambda code: of(code, cat))
    points = Fraction(SETTINGS.get("vacant_flag_points", "5"))
    dist = pop(None)
    dist_share = Fraction(count(dist, d, "vacant"), len(dist)) if dist else 0

    def cells(hs, code, flagged):
        res, non = of(code, "residential"), of(code, "non_residential")
        allh = of(code)
        c, v = count(hs, d, "compliant"), count(hs, d, "vacant")
        flag = ""
        if flagged and hs and Fraction(v, len(hs)) - dist_share > points / 100:
            flag = "vacant share high"
        return [str(len(hs)), str(sum(1 for h in hs if entered(h, d))), str(c), str(v),
                pct(c, len(hs)), pct(v, len(hs)), flag,
                pct(count(res, d, "compliant"), len(res)),
                pct(count(non, d, "compliant"), len(non)),
                pct(count(allh, d, "compliant"), len(allh)),
                str((day("residential_deadline") - d).days),
                str((day("nonresidential_deadline") - d).days)]

    rows = []
    for code in CODES:
        hs = pop(code)
        rate = Fraction(count(hs, d, "compliant"), len(hs)) if hs else None
        rows.append((rate, code, hs))
    rows.sort(key=lambda r: (r[0] is None, -(r[0] or 0), r[1]))
    table, rank = [], 0
    for i, (rate, code, hs) in enumerate(rows):
        if rate is not None and (i == 0 or rows[i - 1][0] != rate):
            rank = i + 1
        table.append([str(rank) if rate is not None else "", SUBS[code]] + cells(hs, code, True))
    table.append(["", "district total"] + cells(dist, None, False))
    return [table]


def week_row(name, cat, hs, installs):
    v2 = len(hs) - count(hs, D2, "never_reached")
    v1 = len(hs) - count(hs, D1, "never_reached")
    c2, c1 = count(hs, D2, "compliant"), count(hs, D1, "compliant")
    return [name, cat, str(len(hs)), str(v2), str(sum(1 for h in hs if entered(h, D2))), str(c2),
            str(count(hs, D2, "pending")), str(count(hs, D2, "hazard_open")),
            str(count(hs, D2, "refused")), str(count(hs, D2, "vacant")),
            str(count(hs, D2, "never_reached")), str(installs), str(v2 - v1), str(c2 - c1),
            pct(c2, len(hs))]


def installs_in_week(hs):
    accounts = {h["account"] for h in hs}
    return sum(1 for i in INSTALLS if i["account"] in accounts
               and end_of(D1) < when(i["at"]) <= end_of(D2))


def weekly():
    table = []
    for code in CODES:
        for cat in ("residential", "non_residential"):
            hs = of(code, cat)
            if hs:
                table.append(week_row(SUBS[code], CAT_LABEL[cat], hs, installs_in_week(hs)))
        table.append(week_row(SUBS[code], "all", of(code), installs_in_week(of(code))))
    table.append(week_row("district total", "all", HH, installs_in_week(HH)))
    # table 2, by community (the test's households have none: "-"); the one visit recorded
    # with --notice (R13's, 2023-09-03, before the week) counts as notified to date
    notice = {"R13": when("2023-09-03T11:00")}

    def com_row(name, com, hs):
        told = [h for h in hs if h["account"] in notice and notice[h["account"]] <= end_of(D2)]
        week = [h for h in told if notice[h["account"]] > end_of(D1)]
        return [name, com, str(len(hs)), str(len(hs) - count(hs, D2, "never_reached"))] + \
            [str(count(hs, D2, st)) for st in ("compliant", "pending", "hazard_open", "refused",
                                               "vacant", "never_reached")] + \
            [str(len(told)), str(len(week)), pct(count(hs, D2, "compliant"), len(hs))]
    t2 = []
    for code in CODES:
        t2.append(com_row(SUBS[code], "-", of(code)))
        t2.append(com_row(SUBS[code], "all communities", of(code)))
    t2.append(com_row("district total", "all", HH))
    return [table, t2]


def sector():
    non = of(None, "non_residential")
    used = sorted({h["sector"] for h in non}, key=lambda s: (SECTORS[s]["bureau_en"], s))
    t1 = []
    for s in used:
        hs = [h for h in non if h["sector"] == s]
        c = count(hs, D2, "compliant")
        t1.append([SECTORS[s]["name_en"], SECTORS[s]["bureau_en"], str(len(hs)), str(c),
                   str(len(hs) - c), str(count(hs, D2, "vacant")), pct(c, len(hs))])
    c = count(non, D2, "compliant")
    t1.append(["all sectors", "", str(len(non)), str(c), str(len(non) - c),
               str(count(non, D2, "vacant")), pct(c, len(non))])
    lag = sorted((h for h in non if h["d2"] != "compliant"),
                 key=lambda h: (SECTORS[h["sector"]]["bureau_en"], h["sector"], h["account"]))
    t2 = [[SECTORS[h["sector"]]["bureau_en"], SECTORS[h["sector"]]["name_en"], SUBS[h["sub"]],
           h["account"], None, None, None, STATE_LABEL[state(h, D2)], None] for h in lag]
    return [t1, t2]


def counted_installs():
    return [i for i in INSTALLS if when(i["at"]) <= end_of(D2)]


SHARE_KEYS = ["share_city", "share_district", "share_resident", "share_gas_company"]


def split(cost):
    """Largest remainder: floors of cost x share, the fen left over one each to the
    largest remainders, ties to the parties in the plan's order."""
    shares = [Fraction(SETTINGS[k]) for k in SHARE_KEYS]
    total = sum(shares)
    exact = [cost * s / total for s in shares]
    parts = [int(x) for x in exact]  # cost >= 0: int() floors
    left = cost - sum(parts)
    order = sorted(range(4), key=lambda k: (-(exact[k] - parts[k]), k))
    for k in order[:left]:
        parts[k] += 1
    assert sum(parts) == cost
    return parts


def funding_houses():
    per = {}
    for i in counted_installs():
        h = HOUSE[i["account"]]
        if h["category"] != "residential" or h["new_build"] != "0" or i["item"] not in ("valve", "hose"):
            continue
        p = per.setdefault(h["account"], {"valve": 0, "hose": 0, "cost": 0})
        p[i["item"]] += 1
        p["cost"] += i["fen"]
    for p in per.values():
        p["parts"] = split(p["cost"])
    return per


def funding():
    per_house = funding_houses()
    per = {}
    for a, p in per_house.items():
        s = per.setdefault(HOUSE[a]["sub"], {"hh": 0, "valve": 0, "hose": 0, "cost": 0, "parts": [0] * 4})
        s["hh"] += 1
        for k in ("valve", "hose", "cost"):
            s[k] += p[k]
        s["parts"] = [x + y for x, y in zip(s["parts"], p["parts"])]

    def row(name, p):
        return [name, str(p["hh"]), str(p["valve"]), str(p["hose"]), money(p["cost"]),
                money(half_up(Fraction(p["cost"], p["hh"])))] + [money(x) for x in p["parts"]]
    t1 = [row(SUBS[c], per[c]) for c in CODES if c in per]
    total = {"hh": sum(p["hh"] for p in per.values()),
             "valve": sum(p["valve"] for p in per.values()),
             "hose": sum(p["hose"] for p in per.values()),
             "cost": sum(p["cost"] for p in per.values()),
             "parts": [sum(p["parts"][k] for p in per.values()) for k in range(4)]}
    t1.append(row("district total", total))
    t2 = []
    for a in sorted(per_house, key=lambda a: a.encode()):
        p = per_house[a]
        t2.append([SUBS[HOUSE[a]["sub"]], a, None, None, str(p["valve"]), str(p["hose"]),
                   money(p["cost"])] + [money(x) for x in p["parts"]])
    t2.append(["district total", "", "", "", str(total["valve"]), str(total["hose"]),
               money(total["cost"])] + [money(x) for x in total["parts"]])
    # the money adds up: every party's column and every row
    assert sum(total["parts"]) == total["cost"]
    return [t1, t2]


def neutral(s):
    return "'" + s if s[:1] in ("=", "+", "-", "@") else s


def residential_audit(i):
    h = HOUSE[i["account"]]
    return h["category"] == "residential" and h["new_build"] == "0" and i["item"] in ("valve", "hose")


def outlier(i):
    cat = CATALOG.get(i["product"])
    thr = Fraction(SETTINGS.get("price_outlier_percent", "20"))
    return cat is not None and cat > 0 and abs(i["fen"] - cat) * 100 > cat * thr


def group_rows(items, keyf, with_actor):
    groups = {}
    for i in items:
        groups.setdefault(keyf(i), []).append(i)
    rows = []
    for key in sorted(groups, key=lambda k: [x.encode() for x in k]):
        g = groups[key]
        ps = [i["fen"] for i in g]
        cat = CATALOG.get(g[0]["product"])
        row = [g[0]["product"], ITEM_LABEL[g[0]["item"]]]
        if with_actor:
            row.append(neutral(g[0]["actor"]))
        row += [str(len(ps)), money(min(ps)), money(half_up(Fraction(sum(ps), len(ps)))), money(max(ps)),
                money(cat) if cat is not None else "",
                pct(sum(ps) - len(ps) * cat, len(ps) * cat) if cat is not None else "",
                str(sum(1 for i in g if outlier(i)))]
        rows.append(row)
    return rows


def prices():
    items = counted_installs()
    res = [i for i in items if residential_audit(i)]
    others = [i for i in items if not residential_audit(i)]
    t1 = []
    groups = {}
    for i in res:
        groups.setdefault((i["actor"], i["item"]), []).append(i)
    for key in sorted(groups, key=lambda k: (k[0].encode(), k[1])):
        g = groups[key]
        withcat = [i for i in g if i["product"] in CATALOG]
        charged = sum(i["fen"] for i in g)
        cat = sum(CATALOG[i["product"]] for i in withcat)
        above = sum(max(i["fen"] - CATALOG[i["product"]], 0) for i in withcat)
        t1.append([neutral(key[0]), ITEM_LABEL[key[1]], str(len(g)), money(charged),
                   money(cat), money(above),
                   pct(sum(i["fen"] for i in withcat) - cat, cat), str(sum(1 for i in g if outlier(i)))])
    t2 = group_rows(res, lambda i: (i["product"], i["item"]), False)
    t3 = group_rows(others, lambda i: (i["product"], i["item"], i["actor"]), True)
    t4 = []
    for i in sorted((i for i in items if outlier(i)), key=lambda i: (when(i["at"]), i["account"], i["n"])):
        cat = CATALOG[i["product"]]
        t4.append([when(i["at"]).strftime("%Y-%m-%d %H:%M"), i["account"],
                   CAT_LABEL[HOUSE[i["account"]]["category"]], neutral(i["actor"]), i["product"],
                   i["serial"], money(i["fen"]), money(cat), pct(i["fen"] - cat, cat)])
    t5 = []
    by_serial = {}
    for i in items:
        by_serial.setdefault(i["serial"], set()).add(i["account"])
    dup = [i for i in items if len(by_serial[i["serial"]]) > 1]
    for i in sorted(dup, key=lambda i: (i["serial"].encode(), when(i["at"]), i["account"])):
        t5.append([i["serial"], i["product"], i["account"], when(i["at"]).strftime("%Y-%m-%d %H:%M"),
                   neutral(i["actor"])])
    assert t5, "the test fits one serial at two households"
    return [t1, t2, t3, t4, t5]


def add_years(d, n):
    try:
        return d.replace(year=d.year + n)
    except ValueError:
        return d.replace(year=d.year + n, day=28)


def valves():
    life = int(SETTINGS["valve_service_life_years"])
    until = add_years(D2, 10)  # --months 120
    last = {}
    for i in sorted(counted_installs(), key=lambda i: when(i["at"])):
        if i["item"] == "valve":
            last[i["account"]] = i
    rows = []
    for a, i in last.items():
        inst = when(i["at"]).date()
        end = add_years(inst, life)
        if end <= until:
            rows.append((end, a, [SUBS[HOUSE[a]["sub"]], a, None, i["product"], i["serial"],
                                  inst.isoformat(), end.isoformat(), str((end - D2).days)]))
    return [[r[2] for r in sorted(rows, key=lambda r: (r[0], r[1]))]]


def suspensions():
    return [[["Linshanzhai", "N1", "'=HYPERLINK(\"http://x\")", SECTORS["catering"]["name_en"],
              "2023-09-13 10:00", "2023-09-16 10:00", "", "37", "not restored in time"]]]


def acceptance():
    self_checked = {"MFL": 1}
    spots = {"R1": ("2023-09-16 11:00", True), "R8": ("2023-09-16 12:00", False)}
    dl = [str((day("selfcheck_deadline") - D2).days), str((day("spotcheck_deadline") - D2).days)]
    t1, tot = [], [0, 0, 0, 0]
    for code in CODES:
        hs = of(code)
        sc = self_checked.get(code, 0)
        sp = [a for a in spots if HOUSE[a]["sub"] == code]
        ps = sum(1 for a in sp if spots[a][1])
        t1.append([SUBS[code], str(len(hs)), str(sc), pct(sc, len(hs)), dl[0], str(len(sp)), str(ps),
                   pct(ps, len(sp)), dl[1]])
        tot = [tot[0] + len(hs), tot[1] + sc, tot[2] + len(sp), tot[3] + ps]
    t1.append(["district total", str(tot[0]), str(tot[1]), pct(tot[1], tot[0]), dl[0], str(tot[2]),
               str(tot[3]), pct(tot[3], tot[2]), dl[1]])
    t2 = [[SUBS[HOUSE[a]["sub"]], a, spots[a][0], "pass" if spots[a][1] else "fail",
           STATE_LABEL["compliant" if spots[a][1] else "pending"], None] for a in sorted(spots)]
    # table 3, the self-checks that failed: the test's one self-check (R8) found all well
    return [t1, t2, []]


def overdue():
    rows = []
    for h in sorted(HH, key=lambda h: h["account"]):
        dl = day("residential_deadline" if h["category"] == "residential" else "nonresidential_deadline")
        if h["d2"] != "compliant" and D2 > dl:
            rows.append([SUBS[h["sub"]], h["account"], CAT_LABEL[h["category"]], None, None, None,
                         STATE_LABEL[state(h, D2)], None, dl.isoformat(), str((D2 - dl).days)])
    return [rows]


# ---- reading the outputs ----

def csv_tables(path):
    raw = open(path, "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path}: no byte-order mark"
    rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"))))
    tables, cur = [], []
    for r in rows + [[]]:
        if r:
            cur.append(r)
        elif cur:
            tables.append(cur)
            cur = []
    return tables


ID_HEADS = ("account", "phone", "serial")


def unwrap_ids(path, head, rows):
    """Identifier columns are written ="..." (report/FORMAT.md): a spreadsheet keeps them
    as text; a script takes the text between the quotes, "" meaning "."""
    ids = [k for k, h in enumerate(head) if h in ID_HEADS]
    for r in rows:
        for k in ids:
            if k < len(r) and r[k] != "":
                m = re.fullmatch(r'="((?:[^"]|"")*)"', r[k])
                assert m, f"{path}: identifier {r[k]!r} not written as =\"...\""
                r[k] = m.group(1).replace('""', '"')
    return rows


def csv_data(path, ntables):
    tables = csv_tables(path)
    assert len(tables) == ntables, f"{path}: {len(tables)} tables"
    heads = [t[1] if ntables > 1 else t[0] for t in tables]
    data = [t[2:] if ntables > 1 else t[1:] for t in tables]
    return [unwrap_ids(path, h, d) for h, d in zip(heads, data)], heads


def compare(kind, fmt, got, want):
    assert len(got) == len(want), f"{kind} {fmt}: {len(got)} rows, expected {len(want)}\n{got}\n{want}"
    for g, w in zip(got, want):
        assert len(g) == len(w), f"{kind} {fmt}: row {g} vs {w}"
        for a, b in zip(g, w):
            assert b is None or a == b, f"{kind} {fmt}: {a!r} != {b!r} in row {g}"


NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def xlsx_sheets(path):
    z = zipfile.ZipFile(path)
    strings = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            strings.append("".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")))
    styles = ET.fromstring(z.read("xl/styles.xml"))
    fmts = {int(f.get("numFmtId")): f.get("formatCode") for f in styles.iter(f"{{{NS['m']}}}numFmt")}
    xfs = [int(x.get("numFmtId", 0)) for x in styles.find("m:cellXfs", NS)]
    sheets = []
    i = 1
    while f"xl/worksheets/sheet{i}.xml" in z.namelist():
        root = ET.fromstring(z.read(f"xl/worksheets/sheet{i}.xml"))
        assert root.find(".//m:pane[@state='frozen']", NS) is not None, f"{path}: no frozen header"
        rows = {}
        for c in root.iter(f"{{{NS['m']}}}c"):
            r = int(re.sub(r"[A-Z]+", "", c.get("r")))
            v = c.find("m:v", NS)
            assert c.find("m:f", NS) is None, f"{path}: a formula"
            if c.get("t") == "s":
                val = strings[int(v.text)]
            elif v is not None:
                val = (float(v.text), fmts.get(xfs[int(c.get("s", 0))], ""))
            else:
                val = ""
            rows.setdefault(r, {})[col_index(c.get("r"))] = val
        sheets.append(rows)
        i += 1
    return sheets


def xlsx_text(val):
    """A workbook cell shown the way the CSV shows it."""
    if isinstance(val, str):
        return val
    num, fmt = val
    if "%" in fmt:
        # the workbook holds the rounded value the other formats show (0.813 for 81.3%),
        # so a spreadsheet's own display rounding cannot give another number
        t = round(num * 1000)
        assert abs(num * 1000 - t) < 1e-9, f"percentage stored unrounded: {num!r}"
        return "%s%d.%d%%" % ("-" if t < 0 else "", abs(t) // 10, abs(t) % 10)
    if fmt == "0.00":
        t = round(num * 100)
        assert abs(num * 100 - t) < 1e-9, f"money stored beyond the fen: {num!r}"
        return "%s%d.%02d" % ("-" if t < 0 else "", abs(t) // 100, abs(t) % 100)
    assert num == int(num), val
    return str(int(num))


def check_xlsx(kind, path, want_tables, heads, csv_rows):
    sheets = xlsx_sheets(path)
    assert len(sheets) == len(want_tables), f"{path}: {len(sheets)} sheets"
    for s, (rows, want, head, crow) in enumerate(zip(sheets, want_tables, heads, csv_rows)):
        ncol = len(head)
        assert [rows.get(3, {}).get(c, "") for c in range(ncol)] == head, f"{path}: header {rows.get(3)}"
        got = [[xlsx_text(rows[r].get(c, "")) for c in range(ncol)] for r in sorted(rows) if r > 3]
        compare(kind, "xlsx", got, want)
        assert got == crow, f"{kind}: xlsx and csv differ"
        for r in sorted(rows):
            for c, v in rows[r].items():
                if r > 3 and isinstance(v, str) and v.endswith("%"):
                    raise AssertionError(f"{path}: percentage {v} written as text")


class Cells(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self.row, self.cell, self.svg, self.bars, self.segs = [], None, None, 0, 0, 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = ""
        elif tag == "svg":
            self.svg += 1
        elif tag == "rect" and a.get("class") == "bar":
            self.bars += 1
        elif tag == "rect" and a.get("class") == "seg":
            self.segs += 1
        assert tag not in ("script", "link", "img", "iframe"), f"external or active content: {tag}"

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr":
            self.tables[-1].append(self.row)

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def check_html(kind, path, want_tables, csv_rows):
    text = open(path, encoding="utf-8").read()
    assert "@page { size: A4" in text and "@media print" in text, f"{path}: no print CSS"
    assert not re.search(r"(src|href)\s*=|url\(|@import", text), f"{path}: a reference to load"
    assert "&quot;http://x&quot;" in text or kind != "suspensions", f"{path}: a name not escaped"
    p = Cells()
    p.feed(text)
    assert len(p.tables) == len(want_tables), f"{path}: {len(p.tables)} tables"
    for t, want, crow in zip(p.tables, want_tables, csv_rows):
        got = [[c[1:] if c[:2] in ("'=", "'+", "'-", "'@") else c for c in r] for r in t[1:]]
        plain = [[c[1:] if c[:2] in ("'=", "'+", "'-", "'@") else c for c in r] for r in crow]
        assert got == plain, f"{kind}: html and csv differ\n{got}\n{plain}"
    return p


def unneutral(c):
    """The CSV's apostrophe is for spreadsheets; text and HTML show the value as is."""
    return c[1:] if c[:2] in ("'=", "'+", "'-", "'@") else c


def check_text(kind, path, csv_rows):
    lines = open(path, encoding="utf-8").read().split("\n")
    for row in csv_rows[0]:
        cells = [c for c in row if c != ""]
        if not any(re.split(r"\s{2,}", l.strip()) == cells for l in lines):
            raise AssertionError(f"{kind} text: no line with {cells}")


def check_ranking_days():
    for name, d, cat, who in (("ranking-2022-06-30", D0, "default", "non-residential users"),
                              ("ranking-2022-07-01", dt.date(2022, 7, 1), "default", "residential users"),
                              ("ranking-all", D2, "all", "all households")):
        got, _ = csv_data(f"{out}/{name}.csv", 1)
        compare(name, "csv", got[0], ranking(d, cat)[0])
        print(f"ok {name}: ranked on {who}")


COL[dt.date(2022, 7, 1)] = "d0"  # no visit between D0 and the day after
KINDS = {"weekly": weekly, "ranking": ranking, "sector": sector, "funding": funding,
         "prices": prices, "valves": valves, "suspensions": suspensions,
         "acceptance": acceptance, "overdue": overdue}

for kind, fn in KINDS.items():
    want = fn()
    got, heads = csv_data(f"{out}/{kind}.csv", len(want))
    for g, w in zip(got, want):
        compare(kind, "csv", g, w)
    check_xlsx(kind, f"{out}/{kind}.xlsx", want, heads, got)
    p = check_html(kind, f"{out}/{kind}.html", want, got)
    if kind == "ranking":
        assert p.svg == 1 and p.bars == len(CODES), f"ranking: {p.svg} charts, {p.bars} bars"
    if kind == "weekly":
        assert p.svg == 1 and p.segs >= len(CODES), f"weekly: {p.svg} charts, {p.segs} segments"
    check_text(kind, f"{out}/{kind}.txt", [[[unneutral(c) for c in r] for r in got[0]]])
    print(f"ok {kind}: {sum(len(w) for w in want)} rows in csv, xlsx, html and text")
check_ranking_days()


def check_money_sums():
    """Finance sums the columns: in the CSV as written, every household's parts add up
    to its cost to the fen, and every column of households adds up to the total row."""
    (t1, t2), _ = csv_data(f"{out}/funding.csv", 2)
    fen = lambda s: int(Fraction(s) * 100)
    for r in t2:
        assert sum(fen(x) for x in r[7:11]) == fen(r[6]), f"funding: parts of {r} do not add up"
    for k in range(4, 11):
        assert sum(fen(r[k]) for r in t2[:-1]) == fen(t2[-1][k]), f"funding: column {k} sum"
    for k in (2, 3, 4, 6, 7, 8, 9):
        assert sum(fen(r[k]) for r in t1[:-1]) == fen(t1[-1][k]), f"funding: table 1 column {k}"
    for k in range(6, 10):
        assert fen(t1[-1][k]) == sum(fen(r[k + 1]) for r in t2[:-1])
    print(f"ok funding: {len(t2) - 1} households' shares add up to the fen")


check_money_sums()
