#!/usr/bin/env python3
"""Draws the installed app's icons from the same picture as wwwroot/favicon.svg (a circle of people, one seat open).

Plain python3 (zlib, struct), no image library, so anyone can re-run it and get the same bytes:
    python3 build/icons.py
It writes src/BetweenSessions.Groups.Web/wwwroot/icons/*.png. The shapes are drawn from their distance fields, a
half-pixel ramp at every edge, which is enough anti-aliasing for discs and rings.
"""
import math
import os
import struct
import zlib

BACKGROUND = (0xe6, 0xee, 0xee)  # --calm-soft
ACCENT = (0x3c, 0x6e, 0x71)      # --calm-accent

# favicon.svg's picture on its 64-unit grid: four seats taken, one open (a ring), on a rounded square.
SEATS = [(32, 12), (51, 26), (44, 48), (20, 48)]
OPEN_SEAT = (13, 26)
SEAT_RADIUS = 6
RING_WIDTH = 3
CORNER = 14
GRID = 64

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "BetweenSessions.Groups.Web", "wwwroot", "icons")


def coverage(distance_inside, scale):
    """How much of a pixel a shape covers, from the distance (in pixels) of the pixel's centre inside its edge."""
    return max(0.0, min(1.0, distance_inside * scale + 0.5))


def draw(size, *, rounded, picture_fraction):
    """One icon: RGBA rows. rounded: transparent corners as the favicon (else a full square, for platforms that cut
    their own shape). picture_fraction: how much of the side the 64-unit picture takes, centred (a maskable icon keeps
    it inside the safe circle)."""
    unit = size * picture_fraction / GRID           # pixels per grid unit
    offset = (size - size * picture_fraction) / 2    # where the picture's grid starts
    rows = []
    for y in range(size):
        row = bytearray()
        for x in range(size):
            px, py = x + 0.5, y + 0.5
            # The background: a rounded square over the whole icon, or all of it.
            if rounded:
                half = size / 2
                r = CORNER * size / GRID
                qx, qy = abs(px - half) - (half - r), abs(py - half) - (half - r)
                outside = math.hypot(max(qx, 0), max(qy, 0)) + min(max(qx, qy), 0) - r
                alpha = coverage(-outside, 1)
            else:
                alpha = 1.0
            # The picture on top, in grid units.
            gx, gy = (px - offset) / unit, (py - offset) / unit
            ink = 0.0
            for cx, cy in SEATS:
                ink = max(ink, coverage(SEAT_RADIUS - math.hypot(gx - cx, gy - cy), unit))
            ring = RING_WIDTH / 2 - abs(math.hypot(gx - OPEN_SEAT[0], gy - OPEN_SEAT[1]) - SEAT_RADIUS)
            ink = max(ink, coverage(ring, unit))
            colour = [round(b + (a - b) * ink) for a, b in zip(ACCENT, BACKGROUND)]
            row += bytes(colour) + bytes([round(alpha * 255)])
        rows.append(bytes(row))
    return rows


def png(rows, size):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 on every row
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


ICONS = [
    # name, size, rounded corners, share of the side the picture takes
    ("icon-192.png", 192, True, 1.0),            # the manifest's "any" icons: the favicon, larger
    ("icon-512.png", 512, True, 1.0),
    # Android cuts its own shape (a circle, a squircle) from a maskable icon and keeps only the middle 80 %: a full
    # square background, the picture shrunk so the outer seats stay inside that circle.
    ("icon-maskable-512.png", 512, False, 0.85),
    # iOS rounds the corners itself and shows transparent corners as black: a full square.
    ("apple-touch-icon.png", 180, False, 0.85),
]

if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for name, size, rounded, fraction in ICONS:
        with open(os.path.join(OUT, name), "wb") as file:
            file.write(png(draw(size, rounded=rounded, picture_fraction=fraction), size))
        print(f"wrote {name} ({size}x{size})")
