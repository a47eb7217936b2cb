"""Several readings of one page merged line by line, so a cleaning step can never lose text.

When a step changed the page (seal washed out, noise cleaned, page enlarged for tiny text), the
reading of the page as it came stays a candidate: lines that overlap are one line, and the
better-read version wins (higher engine score); a line only one reading found is kept when it
was read with confidence. The losing text is kept as ``Line.alternatives`` so that fields can
prefer it when only it passes validation (an identifier whose check character holds).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from ocr.types import Box, Line, box_bounds

SAME_LINE_IOU = 0.5
KEEP_SINGLE_SCORE = 0.8  # a line only one reading found is kept from this score on

#: Below this median box height (px) the detector misses and the recogniser blurs small text:
#: the page is enlarged so that its text is about TARGET_TEXT_PX high. Typical A4 text is 17–25 px
#: at 100 dpi and a phone photo's is larger; only really small print is enlarged.
MIN_TEXT_PX = 14.0
TARGET_TEXT_PX = 26.0
MAX_UPSCALE = 3.0
SECOND_LOOK_SCORE = 0.93  # lines read below this score are re-recognised from a taller cut


def box_iou(a: Box, b: Box) -> float:
    ax0, ay0, ax1, ay1 = box_bounds(a)
    bx0, by0, bx1, by1 = box_bounds(b)
    ix = max(0.0, min(ax1, bx1) - max(ax0, bx0))
    iy = max(0.0, min(ay1, by1) - max(ay0, by0))
    inter = ix * iy
    union = (ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter
    return inter / union if union > 0 else 0.0


def _overlap_of_smaller(a: Box, b: Box) -> float:
    ax0, ay0, ax1, ay1 = box_bounds(a)
    bx0, by0, bx1, by1 = box_bounds(b)
    ix = max(0.0, min(ax1, bx1) - max(ax0, bx0))
    iy = max(0.0, min(ay1, by1) - max(ay0, by0))
    smaller = min((ax1 - ax0) * (ay1 - ay0), (bx1 - bx0) * (by1 - by0))
    return ix * iy / smaller if smaller > 0 else 0.0


def _better(a: Line, b: Line) -> bool:
    """Whether ``b`` is a better reading of the same line than ``a``."""
    if not a.text:
        return bool(b.text)
    if not b.text:
        return False
    return b.score > a.score + 0.01 or (abs(b.score - a.score) <= 0.01 and len(b.text) > len(a.text))


def merge_readings(primary: Sequence[Line], other: Sequence[Line]) -> list[Line]:
    """One list of lines from two readings of the same page (boxes in the same pixels)."""
    out: list[Line] = []
    used: set[int] = set()
    for line in primary:
        best, best_iou = -1, SAME_LINE_IOU
        for j, cand in enumerate(other):
            if j in used:
                continue
            iou = box_iou(line.box, cand.box)
            if iou > best_iou:
                best, best_iou = j, iou
        if best < 0:
            out.append(line)
            continue
        used.add(best)
        cand = other[best]
        win, lose = (cand, line) if _better(line, cand) else (line, cand)
        alternatives = tuple(t for t in (lose.text, *lose.alternatives, *win.alternatives) if t and t != win.text)
        out.append(Line(win.text, win.box, win.score, alternatives))
    for j, cand in enumerate(other):
        if j in used or not cand.text or cand.score < KEEP_SINGLE_SCORE:
            continue
        if any(_overlap_of_smaller(cand.box, x.box) > 0.5 for x in out if x.text):
            continue
        out.append(cand)
    return out


def median_text_height(lines: Sequence[Line]) -> float | None:
    """Median height (px, across the text) of the lines read with some confidence."""
    heights = []
    for line in lines:
        if not line.text or line.score < 0.5:
            continue
        x0, y0, x1, y1 = box_bounds(line.box)
        heights.append(min(x1 - x0, y1 - y0))
    return statistics.median(heights) if heights else None


def upscale_factor(lines: Sequence[Line], long_side: int, max_side: int) -> float:
    """How much to enlarge a page so its text is legible: 1.0 unless the detected text is tiny.

    A small page where nothing was detected is tried once at twice its size.
    """
    height = median_text_height(lines)
    if height is None:
        factor = 2.0 if long_side <= 1200 else 1.0
    elif height >= MIN_TEXT_PX:
        return 1.0
    else:
        factor = min(MAX_UPSCALE, TARGET_TEXT_PX / max(height, 4.0))
    factor = min(factor, max_side / max(long_side, 1))
    return factor if factor >= 1.25 else 1.0


def scale_box(box: Box, factor: float) -> Box:
    (a, b, c, d) = box
    return ((a[0] * factor, a[1] * factor), (b[0] * factor, b[1] * factor),
            (c[0] * factor, c[1] * factor), (d[0] * factor, d[1] * factor))


def pad_box(box: Box, fraction: float, width: int, height: int) -> Box:
    """The box grown across the text by ``fraction`` of its height on each side (within the page)."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = box
    dx, dy = (x3 - x0) * fraction, (y3 - y0) * fraction

    def clip(x: float, y: float) -> tuple[float, float]:
        return (min(max(x, 0.0), width - 1.0), min(max(y, 0.0), height - 1.0))

    return (clip(x0 - dx, y0 - dy), clip(x1 - dx, y1 - dy), clip(x2 + dx, y2 + dy), clip(x3 + dx, y3 + dy))


DOUBTFUL_SCORE = 0.9  # a line read below this score suggests the detector clipped or split it
DOUBTFUL_SHARE = 0.1  # ...and a page with more than this share of its characters in such lines


def doubtful_reading(lines: list[Line]) -> bool:
    """Whether a page's reading suggests its detector missed or clipped text: nothing found, or
    more than ``DOUBTFUL_SHARE`` of the characters read in lines scored under ``DOUBTFUL_SCORE``."""
    chars = sum(len(x.text) for x in lines)
    if chars == 0:
        return True
    weak = sum(len(x.text) for x in lines if x.score < DOUBTFUL_SCORE)
    return weak > DOUBTFUL_SHARE * chars
