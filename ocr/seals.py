"""Red seals (公章) found where they are — round or oval red rings — and washed out there only.

A page's red *text* (a red title, a price on a poster, white text on a red band) is not a seal
and is never touched: only a red component shaped like a ring qualifies (near-square bounds, red
pixels all along its outline, a sparse interior). Inside the ring, ink is replaced by the page's
red channel, where red is light and black text printed under the seal stays dark.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

RING_SAMPLES = 72
MIN_RING_FRACTION = 0.6  # of points along the outline that must be red
MAX_INTERIOR_FILL = 0.45  # a filled red disc or a red band is not a seal
MIN_DIAMETER_FRACTION = 0.05  # of the page's short side (a seal is 40 mm on a 210 mm sheet)


@dataclass(frozen=True)
class Seal:
    """An elliptic seal: centre and half-axes, in page pixels."""

    cx: float
    cy: float
    rx: float
    ry: float


def red_mask(image: np.ndarray) -> np.ndarray:
    """Saturated red (seal ink) as a boolean mask."""
    px = image.astype(np.int16)
    r, g, b = px[:, :, 0], px[:, :, 1], px[:, :, 2]
    return (r > 110) & (r - g > 40) & (r - b > 35)


def _ring_fraction(mask: np.ndarray, cx: float, cy: float, rx: float, ry: float) -> float:
    """Fraction of points on the ellipse (at 90 % of its half-axes and at the rim) that are red."""
    h, w = mask.shape
    hits = 0
    for k in range(RING_SAMPLES):
        angle = 2 * math.pi * k / RING_SAMPLES
        for scale in (0.85, 0.92, 0.98):
            x = int(round(cx + scale * rx * math.cos(angle)))
            y = int(round(cy + scale * ry * math.sin(angle)))
            if 0 <= x < w and 0 <= y < h and mask[y, x]:
                hits += 1
                break
    return hits / RING_SAMPLES


def find_seals(image: np.ndarray) -> list[Seal]:
    """Round or oval red rings on the page (none on a page without red)."""
    step = 2 if max(image.shape[:2]) > 1400 else 1
    small = image[::step, ::step]
    mask = red_mask(small)
    short = min(mask.shape)
    if np.count_nonzero(mask) < 0.0005 * mask.size:
        return []
    size = max(3, short // 150)
    closed = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((size, size), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    seals: list[Seal] = []
    for i in range(1, count):
        x, y, w, h, _ = (int(v) for v in stats[i])
        if min(w, h) < MIN_DIAMETER_FRACTION * short or not 0.6 <= w / h <= 1.67:
            continue
        cx, cy, rx, ry = x + w / 2, y + h / 2, w / 2, h / 2
        if _ring_fraction(closed > 0, cx, cy, rx, ry) < MIN_RING_FRACTION:
            continue
        inner = np.zeros(mask.shape, np.uint8)  # a bool array is no image to OpenCV 4 (the paddle venv)
        cv2.ellipse(inner, (int(cx), int(cy)), (max(1, int(rx * 0.6)), max(1, int(ry * 0.6))), 0, 0, 360, 1, -1)
        area = np.count_nonzero(inner)
        if area and np.count_nonzero(mask & (inner > 0)) / area > MAX_INTERIOR_FILL:
            continue
        seals.append(Seal(cx * step, cy * step, rx * step, ry * step))
    return seals


def remove_seals(image: np.ndarray, seals: list[Seal]) -> np.ndarray:
    """A copy of the page with the ink inside each seal washed out (everything else untouched)."""
    out = image.copy()
    region = np.zeros(image.shape[:2], dtype=np.uint8)
    for seal in seals:
        cv2.ellipse(region, (int(seal.cx), int(seal.cy)), (int(seal.rx * 1.06) + 2, int(seal.ry * 1.06) + 2),
                    0, 0, 360, 1, -1)
    inside = region > 0
    # Red ink is light in the red channel (~215); a white point of 200 removes it while black
    # text under the seal (dark in every channel) keeps its contrast.
    washed = cv2.convertScaleAbs(image[:, :, 0], alpha=255.0 / 200.0)
    out[inside] = washed[inside][:, None]
    return out


def seal_touches(seal: Seal, box: tuple[tuple[float, float], ...]) -> bool:
    """Whether a line's box overlaps the seal's bounding rectangle."""
    xs = [p[0] for p in box]
    ys = [p[1] for p in box]
    return (min(xs) < seal.cx + seal.rx and max(xs) > seal.cx - seal.rx
            and min(ys) < seal.cy + seal.ry and max(ys) > seal.cy - seal.ry)
