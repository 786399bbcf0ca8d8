"""Draws the app icons (a compass rose in a rounded square) as PNG with the standard library only.
Run once: python tools/make_icons.py. The PNGs are committed under static/icons/."""

import math
import struct
import zlib
from pathlib import Path

BRAND = (31, 95, 91)
LIGHT = (247, 245, 240)
ACCENT = (180, 83, 42)


def png(path: Path, size: int, *, maskable: bool) -> None:
    rows = []
    c = size / 2
    radius = size * (0.5 if maskable else 0.47)
    corner = 0 if maskable else size * 0.2
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            dx, dy = x + 0.5 - c, y + 0.5 - c
            # rounded square background
            qx, qy = max(abs(dx) - (radius - corner), 0), max(abs(dy) - (radius - corner), 0)
            inside = math.hypot(qx, qy) <= corner if corner else (abs(dx) <= radius and abs(dy) <= radius)
            if not inside:
                row += bytes((0, 0, 0, 0))
                continue
            colour = BRAND
            r = math.hypot(dx, dy)
            scale = size * (0.28 if maskable else 0.34)
            # compass needle: a diamond, north half accent, south half light
            if abs(dx) / (scale * 0.28) + abs(dy) / scale <= 1:
                colour = ACCENT if dy < 0 else LIGHT
            elif abs(r - scale * 1.12) < size * 0.025:
                colour = LIGHT
            row += bytes((*colour, 255))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw)
                     + chunk(b"IEND", b""))


if __name__ == "__main__":
    out = Path(__file__).resolve().parents[1] / "static" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    png(out / "icon-192.png", 192, maskable=False)
    png(out / "icon-512.png", 512, maskable=False)
    png(out / "icon-maskable-512.png", 512, maskable=True)
