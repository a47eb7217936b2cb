"""Result types of the ocr package: lines, pages, fields and the document result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

#: Four corner points ``[[x, y], ...]`` clockwise from top-left, in page pixels (upright page).
Box = tuple[tuple[float, float], tuple[float, float], tuple[float, float], tuple[float, float]]


def box_from_rect(x0: float, y0: float, x1: float, y1: float) -> Box:
    """A 4-point box from an axis-aligned rectangle."""
    return ((x0, y0), (x1, y0), (x1, y1), (x0, y1))


def box_bounds(box: Box) -> tuple[float, float, float, float]:
    """The axis-aligned bounds ``(x0, y0, x1, y1)`` of a box."""
    xs = [p[0] for p in box]
    ys = [p[1] for p in box]
    return min(xs), min(ys), max(xs), max(ys)


def round_box(box: Box) -> list[list[float]]:
    return [[round(x, 1), round(y, 1)] for x, y in box]


@dataclass(frozen=True)
class Line:
    """One line of text as read, with its box on the (upright) page and the engine's score."""

    text: str
    box: Box
    score: float
    #: Other readings of the same line (e.g. of the page before a seal was washed out), worse by
    #: score; fields may take one when only it passes validation. Not part of ``to_dict``.
    alternatives: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "box": round_box(self.box), "score": round(self.score, 4)}


@dataclass
class Page:
    """One page: its size in pixels, the rotation applied to make it upright, lines in reading order.

    ``source`` is ``"ocr"`` when the engine read it and ``"text_layer"`` when a born-digital PDF
    page's own text was used. ``quality`` is in [0, 1] (1 = clean, legible page).
    """

    index: int
    width: int
    height: int
    rotation: int = 0
    skew: float = 0.0
    quality: float = 0.0
    source: Literal["ocr", "text_layer"] = "ocr"
    denoised: bool = False
    lines: list[Line] = field(default_factory=list)
    error: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "index": self.index,
            "width": self.width,
            "height": self.height,
            "rotation": self.rotation,
            "skew": round(self.skew, 2),
            "quality": round(self.quality, 3),
            "source": self.source,
            "denoised": self.denoised,
            "lines": [line.to_dict() for line in self.lines],
        }
        if self.error:
            data["error"] = self.error
        return data


@dataclass
class Field:
    """One extracted field. ``value`` is normalised; ``raw`` is the text as read.

    ``valid`` is set for identifiers (check character and cross-checks), else None.
    ``flags`` name anything the clerk should look at (``low_confidence``, ``check_mismatch``,
    ``birth_date_mismatch``, ``sex_mismatch``, ...); ``review`` is True when any flag is set.
    """

    value: object
    raw: str
    confidence: float
    page: int
    box: Box | None
    valid: bool | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def review(self) -> bool:
        return bool(self.flags)

    def to_dict(self) -> dict[str, object]:
        return {
            "value": self.value,
            "raw": self.raw,
            "confidence": round(self.confidence, 4),
            "page": self.page,
            "box": round_box(self.box) if self.box else None,
            "valid": self.valid,
            "flags": list(self.flags),
            "review": self.review,
        }


@dataclass
class DocumentResult:
    """Everything read from one input file."""

    doc_type: str
    doc_type_confidence: float
    pages: list[Page]
    fields: dict[str, Field]
    pairs: dict[str, Field] = field(default_factory=dict)
    engine: str = ""

    @property
    def text(self) -> str:
        return "\n".join(page.text for page in self.pages)

    def to_dict(self) -> dict[str, object]:
        return {
            "doc_type": self.doc_type,
            "doc_type_confidence": round(self.doc_type_confidence, 4),
            "engine": self.engine,
            "pages": [page.to_dict() for page in self.pages],
            "fields": {k: f.to_dict() for k, f in self.fields.items()},
            "pairs": {k: f.to_dict() for k, f in self.pairs.items()},
        }
