"""Reads a QR code drawn in half blocks from a screen dump on stdin and checks it is
well formed: square, a quiet zone, and the three finder patterns where they belong."""
import sys

UP, LOW, FULL = "\u2580", "\u2584", "\u2588"
rows = [l for l in sys.stdin.read().split("\n") if any(c in l for c in (UP, LOW, FULL))]
if not rows:
    sys.exit("no QR code on the screen")
start = min(min(l.find(c) for c in (UP, LOW, FULL) if c in l) for l in rows)
grid = []
for l in rows:
    top, bottom = [], []
    for c in l[start:]:
        top.append(c in (UP, FULL))
        bottom.append(c in (LOW, FULL))
    grid += [top, bottom]
while grid and not any(grid[-1]):
    grid.pop()
width = max(len(r) for r in grid)
grid = [r + [False] * (width - len(r)) for r in grid]
while width and not any(r[width - 1] for r in grid):
    width -= 1
n = len(grid)
if n != width or (n - 21) % 4:
    sys.exit("not a QR symbol: %d x %d modules" % (n, width))

def finder(y, x):
    for dy in range(7):
        for dx in range(7):
            ring = max(abs(dy - 3), abs(dx - 3))
            if grid[y + dy][x + dx] != (ring != 2):
                return False
    return True

if not (finder(0, 0) and finder(0, n - 7) and finder(n - 7, 0)):
    sys.exit("finder patterns missing")
print("QR version %d, %d modules" % ((n - 17) // 4, n))

# With an expected text: render the modules as an image and let zbar read it back.
if len(sys.argv) > 1:
    import os, subprocess, tempfile
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
    if got != sys.argv[1]:
        sys.exit("QR code reads %r, expected %r" % (got, sys.argv[1]))
    print("QR code reads %s" % got)
