"""Page geometry and quality: impulse-noise detection and cleaning, orientation, skew, quality.

Orientation is decided from the first full pass: an upright page whose text is horizontal and
confidently read is never read twice. Only a page whose lines are mostly vertical (90°/270°) or
poorly read (possibly 180°) gets a probe: a few of its longest lines are re-recognised under
each candidate rotation (recogniser only, a few small crops) and the page is re-read only if
another rotation wins.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from ocr.types import Box, Line

# A dark pixel with no dark neighbour in its 3×3 neighbourhood is an impulse ("pepper"); text
# strokes, even 1 px wide at 100 dpi, always have dark neighbours. Clean scans and JPEG q30 pages
# stay far below 0.1 %; 3 % salt-and-pepper noise gives over 1 %. Real JPEG photos of documents
# reach 0.3–0.6 % (RapidOCR's check_return_word_len.jpeg: 0.59 %) and read worse when "cleaned".
NOISE_THRESHOLD = 0.008
# A page at or above this level is "speckled": the detector sees it at full size (max_side_len),
# never at the smaller det_page_side of clean scans, whose downscaling merges specks into the
# strokes (own set at 1280 px: salt-and-pepper 96.5 % of fields, 98.3 % at 2000). The generated
# scans measure 0-0.00014 (clean100 up to 0.00044), 3 % salt-and-pepper 0.0126-0.0132; the
# level sits between, well below the denoising threshold, so lighter speckle is covered too. A
# noisy JPEG photo may reach it (0.3-0.6 %): if large, it is detected at 2000 as before.
SPECKLE_LEVEL = 0.002
REREAD_MIN_SCORE = 0.85  # a turned page whose re-read lines score lower is read afresh
_NEIGHBOURS = np.ones((3, 3), dtype=np.float32)
_NEIGHBOURS[1, 1] = 0


def to_gray(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image


def impulse_noise_level(image: np.ndarray) -> float:
    """Fraction of pixels that are isolated dark impulses (0 for a clean page).

    Large pages are sampled on their central quarter (noise from a scanner covers the sheet).
    """
    h, w = image.shape[:2]
    if h * w > 4_000_000:
        image = image[h // 4 : h - h // 4, w // 4 : w - w // 4]
    dark = (to_gray(image) < 110).astype(np.float32)
    neighbours = cv2.filter2D(dark, -1, _NEIGHBOURS, borderType=cv2.BORDER_CONSTANT)
    isolated = np.count_nonzero((dark > 0) & (neighbours < 0.5))
    return float(isolated) / float(dark.size or 1)


def speckled(noise: float) -> bool:
    """Whether a page with this :func:`impulse_noise_level` is detected at full size."""
    return noise >= SPECKLE_LEVEL


def downscale_large(image: np.ndarray, max_side: int) -> tuple[np.ndarray, float]:
    """Shrink a page whose long side exceeds what the engine reads at (it would shrink it anyway);
    done once here, every later step works on fewer pixels."""
    long_side = max(image.shape[:2])
    if long_side <= max_side:
        return image, 1.0
    factor = max_side / long_side
    return cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA), factor


def clean_impulse_noise(image: np.ndarray) -> np.ndarray:
    """Remove salt-and-pepper impulses without touching text strokes. Never call it on clean pages.

    A 3×3 median erodes the 1–2 px strokes of a 150 dpi page (区 read as ×); instead only
    impulses change: a dark pixel with at most one dark neighbour becomes paper, a light pixel with
    six or more dark neighbours (a hole punched into a stroke) becomes ink. Twice, for pairs.
    """
    out = image.copy()
    for _ in range(2):
        dark = (to_gray(out) < 128).astype(np.float32)
        neighbours = cv2.filter2D(dark, -1, _NEIGHBOURS, borderType=cv2.BORDER_CONSTANT)
        pepper = (dark > 0) & (neighbours < 1.5)
        salt = (dark == 0) & (neighbours > 5.5)
        out[pepper] = 255
        out[salt] = 0
    return out


def sharpness(image: np.ndarray) -> float:
    """Variance of the Laplacian of a downscaled grey page (low = blurred)."""
    gray = to_gray(image)
    scale = 1000.0 / max(gray.shape)
    if scale < 1:
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return float(cv2.Laplacian(gray, cv2.CV_64F).var())


# --- rotation ------------------------------------------------------------------------------


def rotate_image(image: np.ndarray, degrees_cw: int) -> np.ndarray:
    """Rotate clockwise by a multiple of 90°."""
    k = (degrees_cw // 90) % 4
    return np.ascontiguousarray(np.rot90(image, k=-k)) if k else image


def rotate_point(x: float, y: float, width: int, height: int, degrees_cw: int) -> tuple[float, float]:
    """Where ``(x, y)`` of a ``width×height`` image lands after rotating it clockwise."""
    k = (degrees_cw // 90) % 4
    if k == 1:
        return (height - 1 - y, x)
    if k == 2:
        return (width - 1 - x, height - 1 - y)
    if k == 3:
        return (y, width - 1 - x)
    return (x, y)


def rotate_box(box: Box, width: int, height: int, degrees_cw: int) -> Box:
    """A line box after the page is rotated clockwise, its points again from the text's top left.

    Rotation keeps the points' clockwise order but moves the start: the new first point is the one
    whose edge to the next runs along the text (the longer edges) left to right.
    """
    pts = [rotate_point(x, y, width, height, degrees_cw) for x, y in box]

    def along(k: int) -> tuple[float, float]:
        (ax, ay), (bx, by) = pts[k], pts[(k + 1) % 4]
        return math.hypot(bx - ax, by - ay), bx - ax

    start = max(range(4), key=lambda k: (along(k)[1] > 0, along(k)[0]))
    a, b, c, d = (pts[(start + i) % 4] for i in range(4))
    return (a, b, c, d)


def box_size(box: Box) -> tuple[float, float]:
    """Width (along the text) and height of a 4-point box."""
    (x0, y0), (x1, y1), (x2, y2) = box[0], box[1], box[2]
    return math.hypot(x1 - x0, y1 - y0), math.hypot(x2 - x1, y2 - y1)


def _is_vertical(box: Box) -> bool:
    xs = [p[0] for p in box]
    ys = [p[1] for p in box]
    return (max(ys) - min(ys)) > 1.5 * (max(xs) - min(xs))


def weighted_score(lines: Sequence[Line]) -> float:
    """Mean line score weighted by the number of characters (0 when there is no text)."""
    total = sum(len(line.text) for line in lines)
    if not total:
        return 0.0
    return sum(line.score * len(line.text) for line in lines) / total


def vertical_fraction(lines: Sequence[Line]) -> float:
    total = sum(len(line.text) for line in lines)
    if not total:
        return 0.0
    return sum(len(line.text) for line in lines if _is_vertical(line.box)) / total


@dataclass(frozen=True)
class OrientationVerdict:
    rotation: int  # degrees clockwise that make the page upright
    probed: bool  # whether the probe ran (False for confidently upright pages)
    scores: dict[int, float]


Recognise = Callable[[list[np.ndarray]], list[tuple[str, float]]]


def needs_orientation_probe(lines: Sequence[Line], *, min_score: float = 0.8) -> bool:
    """True unless the first pass looks upright: mostly horizontal lines read with confidence."""
    if sum(len(x.text) for x in lines) < 4:
        return False  # nothing to orient by
    return vertical_fraction(lines) > 0.4 or _length_weighted_score(lines) < min_score


def _length_weighted_score(lines: Sequence[Line]) -> float:
    """Mean score weighted by each line's length on the page: a sliver of text cut off at the
    image's edge (RapidOCR's ch_doc_server.png: "1113C", 4 px high) must not outweigh the
    large, confidently read words that say the page is upright."""
    weights = [max(box_size(x.box)) for x in lines]
    total = sum(weights)
    return sum(w * x.score for w, x in zip(weights, lines, strict=True)) / total if total else 0.0


def probe_orientation(
    image: np.ndarray, lines: Sequence[Line], recognise: Recognise, *, samples: int = 8
) -> OrientationVerdict:
    """Pick the rotation under which the longest lines read best (recogniser only, no detector)."""
    vertical = vertical_fraction(lines) > 0.5
    candidates = (90, 270) if vertical else (0, 180)
    chosen = sorted(lines, key=lambda x: -max(box_size(x.box)))[:samples]
    height, width = image.shape[:2]
    scores: dict[int, float] = {}
    for rotation in candidates:
        rotated = rotate_image(image, rotation)
        crops: list[np.ndarray] = []
        for line in chosen:
            pts = [rotate_point(x, y, width, height, rotation) for x, y in line.box]
            x0, x1 = int(max(0, min(p[0] for p in pts))), int(math.ceil(max(p[0] for p in pts)))
            y0, y1 = int(max(0, min(p[1] for p in pts))), int(math.ceil(max(p[1] for p in pts)))
            crop = rotated[y0 : y1 + 1, x0 : x1 + 1]
            if crop.size and crop.shape[1] >= crop.shape[0]:
                crops.append(crop)
        if not crops:
            scores[rotation] = 0.0
            continue
        read = recognise(crops)
        total = sum(max(len(t), 1) for t, _ in read)
        scores[rotation] = sum(s * max(len(t), 1) for t, s in read) / total if total else 0.0
    best = max(scores, key=lambda r: scores[r])
    if not vertical and scores.get(0, 0.0) >= scores[best] - 0.02:
        best = 0  # prefer leaving an already horizontal page alone on a near tie
    return OrientationVerdict(best, True, scores)


# --- skew and quality ----------------------------------------------------------------------


def estimate_skew(lines: Sequence[Line]) -> float:
    """Median angle (degrees, positive = clockwise) of the top edges of the longer lines."""
    angles: list[float] = []
    weights: list[float] = []
    for line in lines:
        (x0, y0), (x1, y1) = line.box[0], line.box[1]
        length = math.hypot(x1 - x0, y1 - y0)
        if length < 40 or len(line.text) < 4:
            continue
        angle = math.degrees(math.atan2(y1 - y0, x1 - x0))
        if abs(angle) <= 20:
            angles.append(angle)
            weights.append(length)
    if not angles:
        return 0.0
    order = np.argsort(angles)
    cumulative = np.cumsum(np.asarray(weights)[order])
    return float(np.asarray(angles)[order][int(np.searchsorted(cumulative, cumulative[-1] / 2))])


def page_quality(lines: Sequence[Line], noise: float, *, min_chars: int = 10) -> float:
    """A legibility score in [0, 1]: weighted line confidence, less for heavy noise or little text.

    A page with no readable text scores 0; impulse noise lowers the score even after cleaning.
    """
    chars = sum(len(x.text) for x in lines)
    if chars == 0:
        return 0.0
    score = weighted_score(lines)
    low = sum(len(x.text) for x in lines if x.score < 0.8) / chars
    quality = score * (1.0 - 0.5 * low)
    quality *= min(1.0, chars / float(min_chars))
    quality *= 1.0 - min(0.5, noise * 8.0)
    return max(0.0, min(1.0, quality))
