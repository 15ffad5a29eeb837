"""Reads a QR code drawn in half blocks from a screen dump on stdin and checks it is
well formed: square, the three finder patterns where they belong, and with --invert
(the command line draws light modules as ink) a light quiet zone of at least one
module all round.

usage: tui_qrcheck.py [--invert] [--fit COLSxROWS] [--max-version N] [EXPECTED]
  --fit COLSxROWS   the dump is a whole screen of that size and the code lies in it
  --max-version N   the code is version N or smaller (2: what a 40x15 screen holds)
  EXPECTED          zbar must read exactly this text from the modules"""
import argparse
import os
import subprocess
import sys
import tempfile

UP, LOW, FULL = "\u2580", "\u2584", "\u2588"
BLOCKS = (UP, LOW, FULL)

ap = argparse.ArgumentParser()
ap.add_argument("--invert", action="store_true")
ap.add_argument("--fit")
ap.add_argument("--max-version", type=int)
ap.add_argument("expected", nargs="?")
args = ap.parse_args()

screen = sys.stdin.read().split("\n")
if screen and screen[-1] == "":
    screen.pop()


def width(s):
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


if args.fit:
    cols, nrows = (int(v) for v in args.fit.split("x"))
    if len(screen) > nrows:
        sys.exit("the dump has %d lines, the screen %d" % (len(screen), nrows))
    for n, l in enumerate(screen, 1):
        if width(l) > cols:
            sys.exit("line %d is %d columns wide, the screen %d" % (n, width(l), cols))

idx = [n for n, l in enumerate(screen) if any(c in l for c in BLOCKS)]
if not idx:
    sys.exit("no QR code on the screen")
if idx != list(range(idx[0], idx[-1] + 1)):
    sys.exit("the code's lines are not together (wrapped or cut?)")
rows = [screen[n] for n in idx]
start = min(min(l.find(c) for c in BLOCKS if c in l) for l in rows)
end = max(max(l.rfind(c) for c in BLOCKS if c in l) for l in rows) + 1
ink = []  # module rows, True where a block's half is drawn
for l in rows:
    seg = l[start:end].ljust(end - start)
    ink.append([c in (UP, FULL) for c in seg])
    ink.append([c in (LOW, FULL) for c in seg])

if args.invert:
    # the ink is light: the quiet zone is drawn; inside it dark = no ink
    while ink and not any(ink[-1]):
        ink.pop()  # the half line below the code
    while ink and not any(ink[0]):
        ink.pop(0)
    grid = [[not v for v in r] for r in ink]

    def strip_light(g):
        """Cuts the light rows and columns on each side; the fewest cut on any side."""
        cut = [0, 0, 0, 0]
        while g and not any(g[0]):
            g = g[1:]
            cut[0] += 1
        while g and not any(g[-1]):
            g = g[:-1]
            cut[1] += 1
        while g and g[0] and not any(r[0] for r in g):
            g = [r[1:] for r in g]
            cut[2] += 1
        while g and g[0] and not any(r[-1] for r in g):
            g = [r[:-1] for r in g]
            cut[3] += 1
        return g, min(cut)

    grid, quiet = strip_light(grid)
    if quiet < 1:
        sys.exit("no light quiet zone around the code")
else:
    grid = ink
    while grid and not any(grid[-1]):
        grid.pop()
    while grid and not any(grid[0]):
        grid.pop(0)
    w = max(len(r) for r in grid)
    while w and not any(r[w - 1] for r in grid):
        w -= 1
    first = min(r.index(True) for r in grid if True in r)
    grid = [r[first:w] for r in grid]

n = len(grid)
wdt = max(len(r) for r in grid) if grid else 0
grid = [r + [False] * (wdt - len(r)) for r in grid]
if n != wdt or n < 21 or (n - 21) % 4:
    sys.exit("not a QR symbol: %d x %d modules" % (n, wdt))


def finder(y, x):
    for dy in range(7):
        for dx in range(7):
            ring = max(abs(dy - 3), abs(dx - 3))
            if grid[y + dy][x + dx] != (ring != 2):
                return False
    return True


if not (finder(0, 0) and finder(0, n - 7) and finder(n - 7, 0)):
    sys.exit("finder patterns missing")
version = (n - 17) // 4
print("QR version %d, %d modules" % (version, n))
if args.max_version and version > args.max_version:
    sys.exit("version %d: more than the %d a 40x15 screen holds" % (version, args.max_version))

# With an expected text: render the modules as an image and let zbar read it back.
if args.expected is not None:
    scale, border = 8, 4
    side = (n + 2 * border) * scale
    pixels = bytearray(b"\xff" * side * side)
    for y in range(n):
        for x in range(n):
            if grid[y][x]:
                for dy in range(scale):
                    row = ((y + border) * scale + dy) * side
                    start_px = row + (x + border) * scale
                    pixels[start_px:start_px + scale] = b"\x00" * scale
    fd, path = tempfile.mkstemp(suffix=".pgm")
    with os.fdopen(fd, "wb") as f:
        f.write(b"P5 %d %d 255\n" % (side, side) + bytes(pixels))
    try:
        got = subprocess.run(["zbarimg", "--raw", "-q", path], capture_output=True,
                             text=True).stdout.strip()
    finally:
        os.unlink(path)
    if got != args.expected:
        sys.exit("QR code reads %r, expected %r" % (got, args.expected))
    print("QR code reads %s" % got)
