"""Checks a text report's table lines line up in display columns (CJK counted as two)."""
import sys
import unicodedata


def width(s):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
rule = next(i for i, l in enumerate(lines) if l.startswith("---"))
head, body = lines[rule - 1], [l for l in lines[rule + 1:] if l.strip()]
# every column of the rule starts and ends where the header's and the rows' cells do
spans, pos = [], 0
for part in lines[rule].split("  "):
    spans.append((pos, pos + len(part)))
    pos += len(part) + 2
for l in [head] + body:
    cols, out = 0, []
    for ch in l:
        out.append((cols, ch))
        cols += width(ch)
    starts = {c for c, ch in out}
    for a, b in spans[1:]:
        assert a in starts or a >= cols, f"column at {a} cuts a character in: {l!r}"
        # the two-space gap before a column is blank
        gap = [ch for c, ch in out if a - 2 <= c < a]
        assert all(ch == " " for ch in gap), f"no gap before column {a}: {l!r}"
print("ok aligned")
