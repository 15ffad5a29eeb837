"""Expected report numbers for tests/e2e/report.sh, derived from the per-household
states and the installs the test writes out, then checked against the CSV, XLSX,
HTML and text outputs of every report kind.

usage: expect.py states.tsv installs.tsv OUTDIR AS_OF_DAY"""
import csv
import datetime as dt
import html.parser
import io
import os
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

ROOT = os.environ["GASWALK_ROOT"]
states_tsv, installs_tsv, out, as_of = sys.argv[1:5]
D2 = dt.date.fromisoformat(as_of)
D1 = D2 - dt.timedelta(days=7)


def tsv(path, header=True):
    rows = [l.rstrip("\n").split("\t") for l in open(path, encoding="utf-8") if l.strip()]
    if not header:
        return rows
    return [dict(zip(rows[0], r)) for r in rows[1:]]


HH = tsv(states_tsv)
INSTALLS = [dict(zip(["account", "day", "item", "product", "actor", "price"], r))
            for r in tsv(installs_tsv, header=False)]
SUBS = {r["code"]: r["name_pinyin"] for r in tsv(f"{ROOT}/data/subdistricts.tsv")}
SECTORS = {r["code"]: r for r in tsv(f"{ROOT}/data/sectors.tsv")}
SETTINGS = {r["key"]: r["value"] for r in tsv(f"{ROOT}/data/campaign-defaults.tsv")}
CATALOG = {r["code"]: int(round(float(r["price_yuan"]) * 100)) for r in tsv(f"{ROOT}/data/catalog.tsv")}
HOUSE = {h["account"]: h for h in HH}
CODES = sorted({h["sub"] for h in HH})
CAT_LABEL = {"residential": "residential", "non_residential": "non-residential"}
STATE_LABEL = {"compliant": "compliant", "pending": "pending", "hazard_open": "hazard open",
               "refused": "refused", "never_reached": "not reached"}


def day(key):
    return dt.date.fromisoformat(SETTINGS[key])


def pct(num, den):
    return "" if den == 0 else "%.1f%%" % (num / den * 100)


def money(fen):
    return "%d.%02d" % (fen // 100, fen % 100)


def half_up(x):
    return int(x + 0.5)


def share(key):
    a, b = SETTINGS[key].split("/")
    return int(a) / int(b)


def of(sub=None, cat=None):
    return [h for h in HH if (sub is None or h["sub"] == sub) and (cat is None or h["category"] == cat)]


def count(hs, col, state):
    return sum(1 for h in hs if h[col] == state)


# ---- expected tables: lists of rows of strings, as the CSV shows them ----

def ranking():
    rows = []
    for code in CODES:
        hs = of(code)
        res, non = of(code, "residential"), of(code, "non_residential")
        rows.append([code, len(hs), count(hs, "d2", "compliant"),
                     pct(count(hs, "d2", "compliant"), len(hs)),
                     pct(count(res, "d2", "compliant"), len(res)),
                     pct(count(non, "d2", "compliant"), len(non))])
    rows.sort(key=lambda r: (-r[2] / r[1], r[0]))
    dl = [str((day("residential_deadline") - D2).days), str((day("nonresidential_deadline") - D2).days)]
    table, rank = [], 0
    for i, r in enumerate(rows):
        if i == 0 or r[2] * rows[i - 1][1] != rows[i - 1][2] * r[1]:
            rank = i + 1
        table.append([str(rank), SUBS[r[0]], str(r[1]), str(r[2])] + r[3:] + dl)
    res, non = of(None, "residential"), of(None, "non_residential")
    c = count(HH, "d2", "compliant")
    table.append(["", "district total", str(len(HH)), str(c), pct(c, len(HH)),
                  pct(count(res, "d2", "compliant"), len(res)),
                  pct(count(non, "d2", "compliant"), len(non))] + dl)
    return [table]


def week_row(name, cat, hs, installs):
    v2 = len(hs) - count(hs, "d2", "never_reached")
    v1 = len(hs) - count(hs, "d1", "never_reached")
    c2, c1 = count(hs, "d2", "compliant"), count(hs, "d1", "compliant")
    return [name, cat, str(len(hs)), str(v2), str(c2), str(count(hs, "d2", "pending")),
            str(count(hs, "d2", "hazard_open")), str(count(hs, "d2", "refused")),
            str(count(hs, "d2", "never_reached")), str(installs), str(v2 - v1), str(c2 - c1),
            pct(c2, len(hs))]


def installs_in_week(hs):
    accounts = {h["account"] for h in hs}
    return sum(1 for i in INSTALLS if i["account"] in accounts
               and D1 < dt.date.fromisoformat(i["day"]) <= D2)


def weekly():
    table = []
    for code in CODES:
        for cat in ("residential", "non_residential"):
            hs = of(code, cat)
            if hs:
                table.append(week_row(SUBS[code], CAT_LABEL[cat], hs, installs_in_week(hs)))
        table.append(week_row(SUBS[code], "all", of(code), installs_in_week(of(code))))
    table.append(week_row("district total", "all", HH, installs_in_week(HH)))
    return [table]


def sector():
    non = of(None, "non_residential")
    used = sorted({h["sector"] for h in non}, key=lambda s: (SECTORS[s]["bureau_en"], s))
    t1 = []
    for s in used:
        hs = [h for h in non if h["sector"] == s]
        c = count(hs, "d2", "compliant")
        t1.append([SECTORS[s]["name_en"], SECTORS[s]["bureau_en"], str(len(hs)), str(c),
                   str(len(hs) - c), pct(c, len(hs))])
    c = count(non, "d2", "compliant")
    t1.append(["all sectors", "", str(len(non)), str(c), str(len(non) - c), pct(c, len(non))])
    lag = sorted((h for h in non if h["d2"] != "compliant"),
                 key=lambda h: (SECTORS[h["sector"]]["bureau_en"], h["sector"], h["account"]))
    t2 = [[SECTORS[h["sector"]]["bureau_en"], SECTORS[h["sector"]]["name_en"], SUBS[h["sub"]],
           h["account"], None, None, STATE_LABEL[h["d2"]], None] for h in lag]
    return [t1, t2]


def counted_installs():
    return [i for i in INSTALLS if dt.date.fromisoformat(i["day"]) <= D2]


def funding():
    keys = ["share_city", "share_district", "share_resident", "share_gas_company"]
    per = {}
    for i in counted_installs():
        h = HOUSE[i["account"]]
        if h["category"] != "residential" or h["new_build"] != "0" or i["item"] not in ("valve", "hose"):
            continue
        p = per.setdefault(h["sub"], {"hh": set(), "valve": 0, "hose": 0, "cost": 0})
        p["hh"].add(h["account"])
        p[i["item"]] += 1
        p["cost"] += int(i["price"]) * 100

    def row(name, p):
        n = len(p["hh"])
        return [name, str(n), str(p["valve"]), str(p["hose"]), money(p["cost"]),
                money(half_up(p["cost"] / n))] + [money(half_up(p["cost"] * share(k))) for k in keys]
    table = [row(SUBS[c], per[c]) for c in CODES if c in per]
    total = {"hh": set().union(*(p["hh"] for p in per.values())),
             "valve": sum(p["valve"] for p in per.values()),
             "hose": sum(p["hose"] for p in per.values()),
             "cost": sum(p["cost"] for p in per.values())}
    table.append(row("district total", total))
    return [table]


def neutral(s):
    return "'" + s if s[:1] in ("=", "+", "-", "@") else s


def prices():
    thr = float(SETTINGS.get("price_outlier_percent", 20))
    groups = {}
    for i in counted_installs():
        groups.setdefault((i["product"].encode(), i["actor"].encode()), []).append(i)
    t1, t2 = [], []
    for (prod, actor), items in sorted(groups.items()):
        ps = [int(i["price"]) * 100 for i in items]
        cat = CATALOG[items[0]["product"]]
        avg = half_up(sum(ps) / len(ps))
        out_n = sum(1 for p in ps if abs(p - cat) > cat * thr / 100)
        t1.append([items[0]["product"], items[0]["item"], neutral(items[0]["actor"]), str(len(ps)),
                   money(min(ps)), money(avg), money(max(ps)), money(cat), pct(avg - cat, cat),
                   str(out_n)])
        for i, p in zip(items, ps):
            if abs(p - cat) > cat * thr / 100:
                t2.append([None, i["account"], neutral(i["actor"]), i["product"], None, money(p),
                           money(cat), pct(p - cat, cat)])
    return [t1, t2]


def add_years(d, n):
    try:
        return d.replace(year=d.year + n)
    except ValueError:
        return d.replace(year=d.year + n, day=28)


def valves():
    life = int(SETTINGS["valve_service_life_years"])
    until = add_years(D2, 10)  # --months 120
    last = {}
    for i in counted_installs():
        if i["item"] == "valve":
            last[i["account"]] = i
    rows = []
    for a, i in last.items():
        inst = dt.date.fromisoformat(i["day"])
        end = add_years(inst, life)
        if end <= until:
            rows.append((end, a, [SUBS[HOUSE[a]["sub"]], a, None, "V-STD", None, i["day"],
                                  end.isoformat(), str((end - D2).days)]))
    return [[r[2] for r in sorted(rows, key=lambda r: (r[0], r[1]))]]


def suspensions():
    return [[["Linshanzhai", "N1", "'=HYPERLINK(\"http://x\")", "catering", "2023-09-13 10:00",
              "2023-09-16 10:00", "", "37", "not restored in time"]]]


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
    return [t1, t2]


def overdue():
    rows = []
    for h in sorted(HH, key=lambda h: h["account"]):
        dl = day("residential_deadline" if h["category"] == "residential" else "nonresidential_deadline")
        if h["d2"] != "compliant" and D2 > dl:
            rows.append([SUBS[h["sub"]], h["account"], CAT_LABEL[h["category"]], None, None,
                         STATE_LABEL[h["d2"]], None, dl.isoformat(), str((D2 - dl).days)])
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


def csv_data(path, ntables):
    tables = csv_tables(path)
    assert len(tables) == ntables, f"{path}: {len(tables)} tables"
    return [t[2:] if ntables > 1 else t[1:] for t in tables], [t[1] if ntables > 1 else t[0] for t in tables]


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
        return "%.1f%%" % (num * 100)
    if fmt == "0.00":
        return "%.2f" % num
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
