"""Reading order: lines grouped into rows (tolerant of skew), rows top to bottom, left to right."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ocr.types import Line


@dataclass
class Row:
    """Lines sharing a baseline band, left to right. ``y``/``height`` are in deskewed coordinates."""

    lines: list[Line]
    y: float
    height: float

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)


def _deskewed(line: Line, skew_deg: float) -> tuple[float, float, float, float]:
    """Centre x, centre y, left x and height of a line after undoing the page skew."""
    cx = sum(p[0] for p in line.box) / 4
    cy = sum(p[1] for p in line.box) / 4
    a = math.radians(-skew_deg)
    rx = cx * math.cos(a) - cy * math.sin(a)
    ry = cx * math.sin(a) + cy * math.cos(a)
    (x0, y0), (x3, y3) = line.box[0], line.box[3]
    height = max(1.0, math.hypot(x3 - x0, y3 - y0))
    width = math.hypot(line.box[1][0] - x0, line.box[1][1] - y0)
    return rx, ry, rx - width / 2, height


def group_rows(lines: Sequence[Line], skew_deg: float = 0.0) -> list[Row]:
    """Group lines into rows: a line joins a row when its centre lies within the row's band."""
    items = sorted(((_deskewed(x, skew_deg), x) for x in lines), key=lambda t: t[0][1])
    rows: list[tuple[list[tuple[float, Line]], float, float]] = []  # (left-x + line), y, height
    for (_, cy, left, height), line in items:
        placed = False
        for i in range(len(rows) - 1, max(-1, len(rows) - 4), -1):
            members, ry, rh = rows[i]
            if abs(cy - ry) <= 0.5 * min(rh, height):
                members.append((left, line))
                n = len(members)
                rows[i] = (members, ry + (cy - ry) / n, max(rh, height))
                placed = True
                break
        if not placed:
            rows.append(([(left, line)], cy, height))
    return [Row([ln for _, ln in sorted(m, key=lambda t: t[0])], y, h) for m, y, h in rows]


def reading_order(lines: Sequence[Line], skew_deg: float = 0.0) -> list[Line]:
    """Lines in reading order (rows top to bottom, each row left to right)."""
    return [line for row in group_rows(lines, skew_deg) for line in row.lines]
