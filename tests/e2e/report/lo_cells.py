"""What a spreadsheet program makes of gaswalk's CSV and XLSX reports.

usage: lo_cells.py DIR NAME...

For each NAME, DIR holds NAME.csv (the report as gaswalk wrote it), NAME.csv.fods and
NAME.xlsx.fods (LibreOffice Calc's reading of NAME.csv and NAME.xlsx, saved as flat
OpenDocument). Checks, cell by cell, that
  - identifiers (account, phone, serial columns) are text in both, unchanged: leading
    zeros, long digit strings and things like 12E3 kept as written; the only formula
    allowed in the CSV's reading is the ="..." that holds an identifier;
  - a text that starts a formula stays text (the CSV's leading ') and nothing else is
    a formula;
  - percentages and money are numbers, and the number is the one the CSV shows: a
    percentage is its rounded value (13/16 is 0.813, never 0.8125);
  - the XLSX's cells hold the same values, of the same types, as the CSV's.
"""
import csv
import io
import re
import sys
import xml.etree.ElementTree as ET
from fractions import Fraction

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
ID_HEADS = ("account", "phone", "serial")


def q(ns, tag):
    return f"{{{NS[ns]}}}{tag}"


def cell_text(c):
    return "\n".join("".join(p.itertext()) for p in c.findall("text:p", NS))


def fods_sheets(path):
    """Each sheet as rows of (type, value, text, formula); repeated cells expanded."""
    root = ET.parse(path).getroot()
    sheets = []
    for t in root.iter(q("table", "table")):
        rows = []
        for r in t.iter(q("table", "table-row")):
            row = []
            for c in r:
                if c.tag not in (q("table", "table-cell"), q("table", "covered-table-cell")):
                    continue
                n = int(c.get(q("table", "number-columns-repeated"), "1"))
                kind = c.get(q("office", "value-type"), "")
                value = c.get(q("office", "value"))
                cell = (kind, value, cell_text(c), c.get(q("table", "formula")))
                row.extend([cell] * min(n, 64))
            while row and row[-1] == ("", None, "", None):
                row.pop()
            rows.append(row)
        while rows and not rows[-1]:
            rows.pop()
        sheets.append(rows)
    return sheets


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


def unwrap(s):
    m = re.fullmatch(r'="((?:[^"]|"")*)"', s)
    return m.group(1).replace('""', '"') if m else None


def number(s):
    """The number a CSV cell shows, or None: 81.3% -> 0.813, 240.00 -> 240."""
    m = re.fullmatch(r"(-?\d+(?:\.\d+)?)(%?)", s)
    if not m:
        return None
    v = Fraction(m.group(1))
    return v / 100 if m.group(2) else v


def same_number(cell, want, where):
    kind, value, _, formula = cell
    assert formula is None, f"{where}: a formula {formula!r}"
    assert value is not None, f"{where}: {cell} is not a number (expected {want})"
    got = Fraction(value)
    assert abs(got - want) < Fraction(1, 10**9), f"{where}: {got} != {want} ({cell})"


def check_cell(name, fmt, cell, raw, head, where):
    kind, value, text, formula = cell
    if head in ID_HEADS and raw != "":
        ident = unwrap(raw) if fmt == "csv" else raw
        assert ident is not None, f"{where}: identifier {raw!r} not written as =\"...\""
        assert kind == "string" and text == ident, \
            f"{where}: identifier {ident!r} read as {kind} {text!r}"
        if fmt == "csv":
            lit = '"' + ident.replace('"', '""') + '"'
            assert formula in (None, "of:=" + lit), f"{where}: formula {formula!r}"
        else:
            assert formula is None, f"{where}: a formula in the XLSX"
        return
    want = number(raw)
    if want is not None:
        same_number(cell, want, where)
        if raw.endswith("%"):
            assert kind == "percentage", f"{where}: {raw} read as {kind}"
            assert (want * 1000).denominator == 1, f"{where}: not rounded to 0.1%"
        return
    assert formula is None, f"{where}: text {raw!r} became a formula {formula!r}"
    if fmt == "csv" and re.fullmatch(r"\d{4}-\d\d-\d\d( \d\d:\d\d)?", raw):
        # a day or a time: a spreadsheet may take it as a date, showing the same
        assert kind in ("string", "date") and text.startswith(raw), f"{where}: {raw!r} read as {text!r}"
        return
    assert text == raw and kind in ("string", ""), f"{where}: {raw!r} read as {kind} {text!r}"


def check(dirname, name):
    tables = csv_tables(f"{dirname}/{name}.csv")
    titled = len(tables) > 1
    csv_read = fods_sheets(f"{dirname}/{name}.csv.fods")[0]
    xlsx_read = fods_sheets(f"{dirname}/{name}.xlsx.fods")
    assert len(xlsx_read) == len(tables), f"{name}: {len(xlsx_read)} sheets, {len(tables)} tables"
    line = 0
    counted = {"id": 0, "pct": 0}
    for k, t in enumerate(tables):
        head = t[1] if titled else t[0]
        data = t[2:] if titled else t[1:]
        start = line + (2 if titled else 1)
        for i, row in enumerate(data):
            for j, raw in enumerate(row):
                csv_cell = csv_read[start + i][j] if j < len(csv_read[start + i]) else ("", None, "", None)
                x_rows = xlsx_read[k]
                x_cell = x_rows[3 + i][j] if j < len(x_rows[3 + i]) else ("", None, "", None)
                where = f"{name} table {k + 1} row {i + 1} column {head[j]!r}"
                check_cell(name, "csv", csv_cell, raw, head[j], where + " (csv)")
                # the workbook holds the identifier itself, and a formula-like text with
                # the same leading apostrophe as the CSV (report/FORMAT.md)
                plain = unwrap(raw) if head[j] in ID_HEADS and raw else raw
                check_cell(name, "xlsx", x_cell, plain, head[j], where + " (xlsx)")
                counted["id"] += head[j] in ID_HEADS and raw != ""
                counted["pct"] += raw.endswith("%")
        line += len(t) + 1
    return counted


def main():
    dirname, names = sys.argv[1], sys.argv[2:]
    total = {"id": 0, "pct": 0}
    for name in names:
        c = check(dirname, name)
        total = {k: total[k] + c[k] for k in total}
        print(f"ok {name}: {c['id']} identifiers, {c['pct']} percentages as LibreOffice reads them")
    assert total["id"] > 0 and total["pct"] > 0, total


main()
