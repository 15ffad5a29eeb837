"""Expected tables for tests/e2e/plan_duties.sh, computed from the test's own inputs: the
households and catalog and plans in the ledger, and every visit the test recorded
(visits.log, one `gaswalk record` argument list a line). Checks the CSV, XLSX, HTML and
text outputs of report rectifications, plan (two months), products (all, and a recall by
product and serial range) and revisits.

usage: plan_duties.py visits.log OUTDIR AS_OF_DAY
       plan_duties.py --suspensions visits.log     (expected suspension rows)"""
import csv
import datetime as dt
import html.parser
import io
import os
import re
import sqlite3
import sys
import time
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from fractions import Fraction

ROOT = os.environ["GASWALK_ROOT"]
DB = sqlite3.connect("gaswalk.db")


def tsv(path):
    rows = [l.rstrip("\n").split("\t") for l in open(path, encoding="utf-8") if l.strip()]
    return [dict(zip(rows[0], r)) for r in rows[1:]]


SUBS = tsv(f"{ROOT}/data/subdistricts.tsv")
SUB_CODES = sorted(s["code"] for s in SUBS)
SUB_OF = {}
for s in SUBS:
    for k in ("code", "name_zh", "name_pinyin"):
        SUB_OF[s[k]] = s["code"]
PINYIN = {s["code"]: s["name_pinyin"] for s in SUBS}
CHECK = {r["code"]: r for r in tsv(f"{ROOT}/data/checklist.tsv")}
FIX = {"H06": {"hose"}, "H07": {"hose"}, "H08": {"hose"}, "H09": {"hose"}, "H10": {"hose"},
       "H16": {"alarm", "shutoff"}, "H17": {"shutoff"}, "H18": {"alarm"}, "H19": {"valve"}}
LEAKS = {"H03", "H22"}

HH = {}
for row in DB.execute("SELECT account, category, gas, name, phone, subdistrict, community, "
                      "compound, building, unit, room FROM household ORDER BY account"):
    h = dict(zip(["account", "category", "gas", "name", "phone", "sub", "community", "compound",
                  "building", "unit", "room"], row))
    h["code"] = SUB_OF[h["sub"]]
    h["address"] = f"{h['compound']} {h['building']}-{h['unit']}-{h['room']}"
    HH[h["account"]] = h


def epoch(s):
    return int(time.mktime(dt.datetime.fromisoformat(s).timetuple()))


def local(e):
    return dt.datetime.fromtimestamp(e)


def read_visits(path):
    visits = []
    for n, line in enumerate(open(path, encoding="utf-8")):
        args = line.split()
        v = {"account": args[0], "n": n, "hazards": [], "installs": [], "role": "inspect"}
        i = 1
        while i < len(args):
            if args[i] in ("--notice", "--quick"):
                v[args[i][2:]] = True
                i += 1
                continue
            k, val = args[i][2:], args[i + 1]
            i += 2
            if k == "hazard":
                code, _, grade = val.partition(":")
                v["hazards"].append((code, int(grade or CHECK[code]["grade"])))
            elif k == "install":
                item, product, serial, price = val.split(":")
                v["installs"].append({"item": item, "product": product, "serial": serial,
                                      "fen": int(Fraction(price) * 100)})
            else:
                v[k] = val
        v["at"] = epoch(v["at"])
        visits.append(v)
    visits.sort(key=lambda v: (v["at"], v["n"]))
    return visits


# ---- the rules, as plain as the test's visits need ----

def is_picture(v):
    return v["outcome"] == "entered" and (v["role"] != "install" or v["hazards"])


def clears(v, code):
    if v["outcome"] != "entered":
        return False
    if is_picture(v):
        return code not in [c for c, _ in v["hazards"]]
    return any(i["item"] in FIX.get(code, ()) for i in v["installs"])


def required(h):
    if h["category"] == "non_residential":
        return ["hose", "alarm", "shutoff"]
    return ["hose", "valve"] if h["gas"] == "pipeline" else ["hose"]


def fold(h, visits):
    """compliant_at (0: not compliant) after the visits."""
    seen, hazards, since = {}, [], 0
    for v in visits:
        if v["outcome"] != "entered":
            continue
        for k in ("hose", "valve", "alarm", "shutoff"):
            if k in v:
                seen[k] = v[k]
        for i in v["installs"]:
            seen[i["item"]] = "metal" if i["item"] == "hose" else "ok"
        if v["role"] == "install" and not v["hazards"]:
            hazards = [(c, g) for c, g in hazards
                       if not any(i["item"] in FIX.get(c, ()) for i in v["installs"])]
        else:
            hazards = list(v["hazards"])
        ok = all(seen.get(k) == ("metal" if k == "hose" else "ok") for k in required(h))
        if ok and not [c for c, g in hazards if g <= 2]:
            since = since or v["at"]
        else:
            since = 0
    return since


def state(h, visits):
    """The household's state (report/FORMAT.md, States) after the visits."""
    if not visits:
        return "never_reached"
    seen, hazards = {}, []
    for v in visits:
        if v["outcome"] != "entered":
            continue
        for k in ("hose", "valve", "alarm", "shutoff"):
            if k in v:
                seen[k] = v[k]
        for i in v["installs"]:
            seen[i["item"]] = "metal" if i["item"] == "hose" else "ok"
        if v["role"] == "install" and not v["hazards"]:
            hazards = [(c, g) for c, g in hazards
                       if not any(i["item"] in FIX.get(c, ()) for i in v["installs"])]
        else:
            hazards = list(v["hazards"])
    if [c for c, g in hazards if g <= 2]:
        return "hazard_open"
    if all(seen.get(k) == ("metal" if k == "hose" else "ok") for k in required(h)):
        return "compliant"
    last = visits[-1]["outcome"]
    return {"refused": "refused", "vacant": "vacant"}.get(last, "pending")


def communities(visits, as_of):
    """The weekly's table 2: states and households told, per community."""
    week_start = as_of - 7 * 86400
    keys = ["total", "visited", "compliant", "pending", "hazard_open", "refused", "vacant",
            "never_reached", "told", "week"]
    per = {}
    for acc, h in HH.items():
        vs = [v for v in visits if v["account"] == acc and v["at"] <= as_of]
        c = per.setdefault((SUB_CODES.index(h["code"]), h["community"]), dict.fromkeys(keys, 0))
        st = state(h, vs)
        c["total"] += 1
        c[st] += 1
        c["visited"] += st != "never_reached"
        c["told"] += any(v.get("notice") for v in vs)
        c["week"] += any(v.get("notice") and v["at"] > week_start for v in vs)

    def row(a, b, c):
        return [a, b] + [str(c[k]) for k in keys] + [rate(c["compliant"], c["total"])]

    rows, total = [], dict.fromkeys(keys, 0)
    subs = sorted({k[0] for k in per})
    for s in subs:
        sub = dict.fromkeys(keys, 0)
        for k in sorted(k for k in per if k[0] == s):
            rows.append(row(PINYIN[SUB_CODES[s]], k[1], per[k]))
            for f in keys:
                sub[f] += per[k][f]
        rows.append(row(PINYIN[SUB_CODES[s]], "all communities", sub))
        for f in keys:
            total[f] += sub[f]
    rows.append(row("district total", "all", total))
    return rows


def orders(visits):
    """Every rectification order: account, code, grade, opened, cleared (0), actor."""
    out = []
    for acc in HH:
        open_ = []
        for v in [v for v in visits if v["account"] == acc]:
            for o in list(open_):
                if clears(v, o["code"]):
                    o["cleared"] = v["at"]
                    open_.remove(o)
            if is_picture(v):
                for code, grade in v["hazards"]:
                    if code not in [o["code"] for o in open_]:
                        o = {"account": acc, "code": code, "grade": grade, "opened": v["at"],
                             "cleared": 0, "actor": v["actor"]}
                        open_.append(o)
                        out.append(o)
    return out


def suspensions(visits):
    rows = []
    for acc in sorted(HH):
        vs = [v for v in visits if v["account"] == acc]
        stop = None
        open_serious = []
        for v in vs:
            open_serious = [c for c in open_serious if not clears_supply(v, c)]
            if is_picture(v):
                open_serious += [c for c, g in v["hazards"] if g <= 2 and c not in open_serious]
            if v.get("supply") == "stopped" and not stop:
                named = [v["supply-hazard"]] if "supply-hazard" in v else list(open_serious)
                stop = {"hz": named, "named": bool(named), "cleared": "", "restored": ""}
                continue
            if not stop:
                continue
            stop["hz"] = [c for c in stop["hz"] if not clears_supply(v, c)]
            if not stop["cleared"] and ((stop["named"] and not stop["hz"]) or
                                        (not stop["named"] and is_picture(v) and not open_serious)):
                stop["cleared"] = v["at"]
            if v.get("supply") == "restored":
                stop["restored"] = v["at"]
                rows.append((acc, stop["cleared"], stop["restored"]))
                stop = None
        if stop:
            rows.append((acc, stop["cleared"], ""))
    return rows


def clears_supply(v, code):
    if v["outcome"] != "entered":
        return False
    if is_picture(v):
        return clears(v, code)
    return code not in LEAKS and clears(v, code)


# ---- expected tables ----

def hm(e):
    return local(e).strftime("%Y-%m-%d %H:%M") if e else ""


def rate(num, den):
    if den == 0:
        return ""
    t = (Fraction(num, den) * 1000 + Fraction(1, 2)).__floor__()
    return "%d.%d%%" % (t // 10, t % 10)


def rectifications(visits, as_of, days):
    grade_label = {1: "grade 1", 2: "grade 2", 3: "grade 3 (advice)"}
    tally, listed = {}, []
    for o in orders(visits):
        if o["opened"] > as_of:
            continue
        h = HH[o["account"]]
        cleared = o["cleared"] if o["cleared"] and o["cleared"] <= as_of else 0
        dl = o["opened"] + days[o["grade"]] * 86400 if days.get(o["grade"]) else 0
        t = tally.setdefault((h["code"], o["grade"]), [0, 0, 0, 0, 0, 0])
        t[0] += 1
        if cleared:
            t[3] += 1
            t[4] += bool(dl and cleared > dl)
            t[5] += cleared - o["opened"]
        else:
            t[1] += 1
            late = bool(dl and as_of > dl)
            t[2] += late
            over = (local(as_of).date() - local(dl).date()).days if late else ""
            listed.append((SUB_CODES.index(h["code"]), dl or float("inf"), o["account"], o["code"],
                           [PINYIN[h["code"]], o["account"], h["address"], o["code"],
                            CHECK[o["code"]]["name_en"], str(o["grade"]), hm(o["opened"]), hm(dl),
                            str(over), "overdue" if late else "open", o["actor"]]))

    def row(name, label, t):
        avg = str((Fraction(t[5], t[3] * 3600) + Fraction(1, 2)).__floor__()) if t[3] else ""
        return [name, label] + [str(x) for x in t[:5]] + [avg]

    t1, total = [], [0] * 6
    for code in SUB_CODES:
        sub = [0] * 6
        for g in (1, 2, 3):
            if (code, g) in tally:
                t1.append(row(PINYIN[code], grade_label[g], tally[(code, g)]))
                sub = [a + b for a, b in zip(sub, tally[(code, g)])]
        if sub[0]:
            t1.append(row(PINYIN[code], "all", sub))
            total = [a + b for a, b in zip(total, sub)]
    t1.append(row("district total", "all", total))
    return [t1, [r[-1] for r in sorted(listed, key=lambda r: r[:4])]]


def plan(visits, as_of, month):
    plans = {}
    for code, compound, m, n in DB.execute(
            "SELECT subdistrict, compound, month, households FROM plan WHERE month <= ? "
            "ORDER BY month", (month,)):
        p = plans.setdefault((code, compound), {"first": m, "planned": 0, "sum": 0, "hh": 0,
                                                "got": 0, "got_sum": 0, "community": None})
        p["sum"] += n
        if m == month:
            p["planned"] = n
    for h in sorted(HH.values(), key=lambda h: (h["compound"], h["sub"], h["account"])):
        p = plans.get((h["code"], h["compound"]))
        if not p:
            continue
        p["hh"] += 1
        p["community"] = p["community"] or h["community"]
        since = fold(h, [v for v in visits if v["account"] == h["account"] and v["at"] <= as_of])
        if since:
            m = local(since).strftime("%Y-%m")
            p["got"] += m == month
            p["got_sum"] += p["first"] <= m <= month

    def row(names, p):
        return names + [str(p["hh"]), str(p["planned"]), str(p["got"]), rate(p["got"], p["planned"]),
                        str(p["sum"]), str(p["got_sum"]), rate(p["got_sum"], p["sum"]),
                        "behind plan" if p["got"] < p["planned"] else ""]

    keys = sorted(plans, key=lambda k: (SUB_CODES.index(k[0]), plans[k]["community"], k[1]))
    rows, zero = [], {"hh": 0, "planned": 0, "got": 0, "sum": 0, "got_sum": 0}
    com, sub, total = dict(zero), dict(zero), dict(zero)
    for i, k in enumerate(keys):
        p = plans[k]
        nxt = plans[keys[i + 1]] if i + 1 < len(keys) else None
        rows.append(row([PINYIN[k[0]], p["community"], k[1]], p))
        for s in (com, sub):
            for f in zero:
                s[f] += p[f]
        if not nxt or keys[i + 1][0] != k[0] or nxt["community"] != p["community"]:
            rows.append(row([PINYIN[k[0]], p["community"], "all compounds"], com))
            com = dict(zero)
        if not nxt or keys[i + 1][0] != k[0]:
            rows.append(row([PINYIN[k[0]], "all communities", "all compounds"], sub))
            for f in zero:
                total[f] += sub[f]
            sub = dict(zero)
    rows.append(row(["district total", "", ""], total))
    return [rows]


def serial_key(s):
    return [(0, int(x), "") if x.isdigit() else (1, 0, x.upper())
            for x in re.findall(r"\d+|\D", s)]


def products(visits, as_of, product="", lo=None, hi=None):
    current = {}
    for v in visits:
        if v["at"] > as_of:
            continue
        for i in v["installs"]:
            current[(v["account"], i["item"])] = dict(i, at=v["at"], actor=v["actor"])
    fitted = []
    for (acc, item), i in current.items():
        if product and i["product"] != product:
            continue
        if lo and serial_key(i["serial"]) < serial_key(lo):
            continue
        if hi and serial_key(i["serial"]) > serial_key(hi):
            continue
        h = HH[acc]
        fitted.append(((i["product"], serial_key(i["serial"]), i["serial"], acc),
                       [PINYIN[h["code"]], acc, h["name"], h["address"], item, i["product"],
                        i["serial"], hm(i["at"]), i["actor"], "%d.%02d" % divmod(i["fen"], 100)]))
    t1 = []
    for code, item, name, brand, model in DB.execute(
            "SELECT c.code, c.item, c.name_en, COALESCE(e.brand, ''), COALESCE(e.model, '') "
            "FROM catalog c LEFT JOIN catalog_extra e USING (code) WHERE ? = '' OR c.code = ? "
            "ORDER BY c.code", (product, product)):
        t1.append([code, item, name, brand, model, str(sum(1 for _, r in fitted if r[5] == code))])
    return [t1, [r for _, r in sorted(fitted)]]


def revisits(visits, as_of):
    rows = []
    for acc, h in HH.items():
        vs = [v for v in visits if v["account"] == acc and v["at"] <= as_of]
        away = [v["at"] for v in vs if v["outcome"] == "not-home"]
        if not away or any(v["outcome"] == "entered" for v in vs):
            continue
        days = [local(a).strftime("%Y-%m-%d") for a in away]
        rows.append(((SUB_CODES.index(h["code"]), h["compound"], away[0], acc),
                     [PINYIN[h["code"]], h["community"], h["compound"], acc, h["name"],
                      h["address"], h["phone"], str(len(away)), days[0],
                      str((local(as_of).date() - local(away[0]).date()).days), " ".join(days)]))
    return [[r for _, r in sorted(rows)]]


# ---- reading the outputs ----

def unwrap(c):
    m = re.fullmatch(r'="((?:[^"]|"")*)"', c)
    return m.group(1).replace('""', '"') if m else c


def unneutral(c):
    return c[1:] if c[:2] in ("'=", "'+", "'-", "'@") else c


def csv_tables(path):
    raw = open(path, "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path}: no byte-order mark"
    assert b"\r\n" in raw, f"{path}: no CRLF"
    tables, cur = [], []
    for r in list(csv.reader(io.StringIO(raw[3:].decode("utf-8")))) + [[]]:
        if r:
            cur.append([unneutral(unwrap(c)) for c in r])
        elif cur:
            tables.append(cur)
            cur = []
    return tables


NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def xlsx_tables(path):
    z = zipfile.ZipFile(path)
    strings = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            strings.append("".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")))
    styles = ET.fromstring(z.read("xl/styles.xml"))
    fmts = {int(f.get("numFmtId")): f.get("formatCode") for f in styles.iter(f"{{{NS['m']}}}numFmt")}
    xfs = [int(x.get("numFmtId", 0)) for x in styles.find("m:cellXfs", NS)]
    out, i = [], 1
    while f"xl/worksheets/sheet{i}.xml" in z.namelist():
        rows = {}
        for c in ET.fromstring(z.read(f"xl/worksheets/sheet{i}.xml")).iter(f"{{{NS['m']}}}c"):
            r = int(re.sub(r"[A-Z]+", "", c.get("r")))
            col = sum((ord(ch) - 64) * 26 ** k
                      for k, ch in enumerate(reversed(re.match(r"[A-Z]+", c.get("r")).group(0)))) - 1
            v = c.find("m:v", NS)
            if c.get("t") == "s":
                val = strings[int(v.text)]
            elif v is not None:
                num, fmt = float(v.text), fmts.get(xfs[int(c.get("s", 0))], "")
                if "%" in fmt:
                    t = round(num * 1000)
                    val = "%d.%d%%" % (t // 10, t % 10)
                elif fmt == "0.00":
                    val = "%d.%02d" % divmod(round(num * 100), 100)
                else:
                    val = str(int(num))
            else:
                val = ""
            rows.setdefault(r, {})[col] = unneutral(val)
        width = max(len(rows.get(3, {})), 1)
        out.append([[rows[r].get(c, "") for c in range(width)] for r in sorted(rows) if r >= 3])
        i += 1
    return out


class Cells(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self.row, self.cell, self.bars = [], None, None, 0

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = ""
        elif tag == "rect" and dict(attrs).get("class") == "bar":
            self.bars += 1

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr":
            self.tables[-1].append(self.row)

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def width(s):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def cut(s, cols=40):
    """A text cell as the text format shows it: cut to 40 display columns with an ellipsis."""
    if width(s) <= cols:
        return s
    while width(s) > cols - 1:
        s = s[:-1]
    return s + "…"


def compare(what, got, want):
    assert len(got) == len(want), f"{what}: {len(got)} rows, expected {len(want)}\n{got}\n{want}"
    for g, w in zip(got, want):
        assert g == w, f"{what}:\n got  {g}\n want {w}"


def check(kind, out, want, bars=None, only=None):
    """Every table of the report, or with only=N its table N (0-based) alone."""
    tables = csv_tables(f"{out}/{kind}.csv")
    multi = len(tables) > 1
    if only is not None:
        check_one(kind, out, want, only, tables)
        return
    assert len(tables) == len(want), f"{kind} csv: {len(tables)} tables"
    data = [t[2:] if multi else t[1:] for t in tables]
    heads = [t[1] if multi else t[0] for t in tables]
    for g, w in zip(data, want):
        compare(f"{kind} csv", g, w)
    x = xlsx_tables(f"{out}/{kind}.xlsx")
    assert len(x) == len(want), f"{kind} xlsx: {len(x)} sheets"
    for s, h, w in zip(x, heads, want):
        assert s[0] == h, f"{kind} xlsx header {s[0]} vs {h}"
        compare(f"{kind} xlsx", s[1:], w)
    p = Cells()
    p.feed(open(f"{out}/{kind}.html", encoding="utf-8").read())
    assert len(p.tables) == len(want), f"{kind} html: {len(p.tables)} tables"
    for t, w in zip(p.tables, want):
        compare(f"{kind} html", t[1:], w)
    if bars is not None:
        assert p.bars == bars, f"{kind} html: {p.bars} bars, expected {bars}"
    lines = [re.split(r"\s{2,}", l.strip()) for l in open(f"{out}/{kind}.txt", encoding="utf-8")]
    for w in want:
        for r in w:
            cells = [cut(c) for c in r if c != ""]
            assert cells in lines, f"{kind} text: no line {cells}"
    print(f"ok {kind}: {sum(len(w) for w in want)} rows in csv, xlsx, html and text")


def check_one(kind, out, want, n, tables):
    compare(f"{kind} csv table {n + 1}", tables[n][2:], want)
    sheet = xlsx_tables(f"{out}/{kind}.xlsx")[n]
    assert sheet[0] == tables[n][1], f"{kind} xlsx header"
    compare(f"{kind} xlsx table {n + 1}", sheet[1:], want)
    p = Cells()
    p.feed(open(f"{out}/{kind}.html", encoding="utf-8").read())
    compare(f"{kind} html table {n + 1}", p.tables[n][1:], want)
    lines = [re.split(r"\s{2,}", l.strip()) for l in open(f"{out}/{kind}.txt", encoding="utf-8")]
    for r in want:
        cells = [cut(c) for c in r if c != ""]
        assert cells in lines, f"{kind} text: no line {cells}"
    print(f"ok {kind} table {n + 1}: {len(want)} rows in csv, xlsx, html and text")


def main():
    if sys.argv[1] == "--suspensions":
        for acc, c, r in suspensions(read_visits(sys.argv[2])):
            print(acc, c, r)
        return
    visits = read_visits(sys.argv[1])
    out, day = sys.argv[2], sys.argv[3]
    as_of = epoch(day + "T23:59:59")
    days = {g: int(DB.execute("SELECT value FROM setting WHERE key = ?",
                              (f"rectify_days_grade{g}",)).fetchone()[0]) for g in (1, 2)}
    check("rectifications", out, rectifications(visits, as_of, days))
    sep = plan(visits, as_of, day[:7])
    check("plan", out, sep, bars=sum(1 for r in sep[0] if r[2] not in ("all compounds", "")))
    check("plan10", out, plan(visits, as_of, "2023-10"))
    check("products", out, products(visits, as_of))
    check("recall", out, products(visits, as_of, "H-SS15", "HS2023B0010", "hs2023b150"))
    check("revisits", out, revisits(visits, as_of))
    check("weekly", out, communities(visits, as_of), only=1)


main()
