#!/usr/bin/env python3
"""The truth for tests/e2e/import.sh, computed from the test's own input files.

An independent reading of import/FORMAT.md (version 2), for the columns and values
the test's lists use:
  import_expect.py stderr FILE ROOT            the lines `gaswalk import FILE` prints on
                                               stderr (rejections and warnings, in line order)
  import_expect.py rows FILE ROOT              account|category|phone|subdistrict|compound|room|name
                                               of every row it stores, by account
  import_expect.py rejects FILE ROOT           the bytes of the --rejects file, as hex
  import_expect.py fix REJECTS FIXES OUT       the rejects file corrected by FIXES (json
                                               {account: {column: value}}) and the reason
                                               column left as it is
ROOT is the source tree (for data/subdistricts.tsv and data/sectors.tsv)."""
import csv
import io
import json
import re
import sys

CHAR_LIMITS = {"用户编号": 32, "用户名称": 66, "联系电话": 32, "街道": 32, "社区": 32,
               "小区": 32, "楼栋": 32, "单元": 32, "楼层": 32, "房号": 32}
CODE_COLS = {"用户编号", "联系电话", "楼栋", "单元", "楼层", "房号"}
EN = {"用户编号": "account", "用户类型": "category", "气源": "gas", "新建": "new_build",
      "行业": "sector", "用户名称": "name", "联系电话": "phone", "街道": "subdistrict",
      "社区": "community", "小区": "compound", "楼栋": "building", "单元": "unit",
      "楼层": "floor", "房号": "room"}
CATEGORY = {"居民": "residential", "居民用户": "residential", "非居民": "non_residential",
            "非居民用户": "non_residential"}
GAS = {"管道天然气": "pipeline", "天然气": "pipeline", "管道燃气": "pipeline",
       "瓶装液化石油气": "lpg", "液化石油气": "lpg", "瓶装液化气": "lpg", "液化气": "lpg"}


def read_text(path):
    raw = open(path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def records(path):
    """(line where the record starts, fields) for each non-blank record, header first."""
    text = read_text(path)
    out, line = [], 1
    for rec in csv.reader(io.StringIO(text, newline="")):
        start = line
        line += sum(f.count("\n") for f in rec) + 1
        if rec and any(f.strip() for f in rec):
            out.append((start, rec))
    return out


def trim(s):
    return s.strip(" \t\r\n\u00a0\u3000")


def fold(s, code):
    out = []
    for ch in s:
        c = ord(ch)
        if 0xFF01 <= c <= 0xFF5E:
            a = chr(c - 0xFEE0)
            out.append(a if code or a.isalnum() else ch)
        elif c == 0x3000:
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def phone_ok(s):
    mobile = r"1[3-9]\d{9}"
    number = r"(?:\+?86[- ]?)?(?:" + mobile + r"|0\d{2,3}-?\d{7,8}|[2-9]\d{6,7})(?:(?:转|-)\d{1,6})?"
    parts = re.split(r"[/,;、]", s)
    return all(re.fullmatch(number, p.strip().replace(" ", "")) for p in parts)


def subdistricts(root):
    rows = [l.rstrip("\n").split("\t") for l in open(root + "/data/subdistricts.tsv", encoding="utf-8")][1:]
    return sorted((r[0], r[1], r[1][:-2] if r[1].endswith("街道") else r[1], r[2]) for r in rows)


def distance(a, b):
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[len(b)]


def shown(v):
    return v[:24]


def check(path, root):
    """[(line, 'reject'|'warn', text, row dict or None)] and the header."""
    recs = records(path)
    header = [trim(h) for h in recs[0][1]]
    col = {h: i for i, h in enumerate(header) if h in EN}
    sds = subdistricts(root)
    seen, out = {}, []
    for line, rec in recs[1:]:
        if len(rec) != len(header):
            out.append((line, "reject", "wrong number of fields: %d (the header has %d)" % (len(rec), len(header)), None))
            continue
        v = {h: fold(trim(rec[i]), h in CODE_COLS) for h, i in col.items()}
        reason, warns = None, []
        for h in col:
            n = len(v[h])
            if h in CHAR_LIMITS and n > CHAR_LIMITS[h]:
                reason = "field too long: %s (%d characters, at most %d)" % (EN[h], n, CHAR_LIMITS[h])
                break
        acc = v["用户编号"]
        if reason:
            pass
        elif not acc:
            reason = "missing account"
        elif re.fullmatch(r"[+-]?\d+(\.\d*)?[eE][+-]?\d+", acc):
            reason = ("account %s is in scientific notation, as Excel shows a long number: the digits "
                      "are lost; export the list again with the column formatted as text" % acc)
        first = None
        if not reason:
            first = seen.setdefault(acc, line)
            if not v.get("用户类型"):
                reason = "missing category"
            elif v["用户类型"] not in CATEGORY:
                reason = ('unknown category "%s" (expected 居民, 非居民, residential or '
                          'non_residential)' % shown(v["用户类型"]))
        sd = v.get("街道", "")
        if not reason and sd:
            exact = [s for s in sds if s[1] == sd]
            alias = [s for s in sds if sd in (s[2], s[0], s[3])]
            if exact:
                pass
            elif alias:
                warns.append('subdistrict "%s" taken as %s' % (shown(sd), alias[0][1]))
                v["街道"] = alias[0][1]
            else:
                best, near = min((min(distance(sd, s[1]), distance(sd, s[2])), i) for i, s in enumerate(sds))
                name = sds[near][1] if best * 2 <= len(sd) else "-"
                reason = 'unknown subdistrict "%s" (not one of data/subdistricts.tsv; nearest: %s)' % (shown(sd), name)
        if not reason and first != line:
            reason = "duplicate account %s (first on line %d)" % (acc, first)
        if reason:
            out.append((line, "reject", reason, None))
            continue
        if v.get("联系电话") and not phone_ok(v["联系电话"]):
            warns.append('phone "%s" does not look like a phone number (kept as it is)' % shown(v["联系电话"]))
        if warns:
            out.append((line, "warn", "; ".join(warns), v))
        else:
            out.append((line, "ok", "", v))
    return recs, out


def main():
    what, path = sys.argv[1], sys.argv[2]
    if what == "fix":
        fixes = json.loads(sys.argv[3])
        recs = records(path)
        header = recs[0][1]
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(header)
        for _, rec in recs[1:]:
            key = rec[header.index("用户编号")]
            for h, val in fixes.get(key, {}).items():
                rec[header.index(h)] = val
            w.writerow(rec)
        open(sys.argv[4], "wb").write(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
        return
    root = sys.argv[3]
    recs, out = check(path, root)
    name = path.split("/")[-1]
    if what == "stderr":
        for line, kind, text, _ in out:
            if kind == "reject":
                print("%s:%d: %s" % (name, line, text))
            elif kind == "warn":
                print("%s:%d: warning: %s" % (name, line, text))
    elif what == "rows":
        rows = [v for _, kind, _, v in out if v is not None]
        for v in sorted(rows, key=lambda v: v["用户编号"]):
            print("|".join([v["用户编号"], CATEGORY[v["用户类型"]], v.get("联系电话", ""), v.get("街道", ""),
                            v.get("小区", ""), v.get("房号", ""), v.get("用户名称", "")]))
    elif what == "rejects":
        by_line = {line: rec for line, rec in recs}
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(recs[0][1] + ["rejection reason"])
        for line, kind, text, _ in out:
            if kind == "reject":
                rec = by_line[line]
                w.writerow(rec + [""] * (len(recs[0][1]) - len(rec)) + [text])
        sys.stdout.write((b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")).hex())


if __name__ == "__main__":
    main()
