"""Finds the bars of a chart in a PNG screenshot: decodes the PNG (zlib, no PIL) and
counts the separate horizontal bands of pixels of one colour.

usage: pngbars.py FILE.png RRGGBB MIN_BANDS"""
import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    assert depth == 8 and ctype in (2, 6) and interlace == 0, (depth, ctype, interlace)
    bpp = 3 if ctype == 2 else 4
    raw, stride = zlib.decompress(idat), w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


path, colour, min_bands = sys.argv[1], bytes.fromhex(sys.argv[2]), int(sys.argv[3])
w, h, bpp, rows = decode(path)
hits = [sum(1 for x in range(w) if r[x * bpp:x * bpp + 3] == colour) for r in rows]
bands, inside = 0, False
for n in hits:
    if n >= 5 and not inside:
        bands += 1
    inside = n >= 5
total = sum(hits)
assert bands >= min_bands, f"{path}: {bands} bands of #{sys.argv[2]} ({total} pixels), expected {min_bands}"
print(f"ok {bands} bars, {total} pixels of #{sys.argv[2]}")
