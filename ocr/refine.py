"""Second chances for a field whose labelled value is missing or does not hold up.

* prose: regexes of the document type (named group ``value``) over a page's reading-order text,
  for values printed in running sentences (``租赁期限自…起至…止``);
* split boxes: a date printed in separate boxes (``1987 | 年 | 12 | 月 | 13 | 日``) joined from
  the cells after its label;
* alternatives: an identifier read otherwise by another reading of the same line
  (``Line.alternatives``) is taken when only that reading passes its check character.
"""

from __future__ import annotations

from collections.abc import Sequence

from ocr import normalise as nz
from ocr.doctypes import FieldSpec
from ocr.identifiers import check_as_read
from ocr.types import Box, Line, Page, box_bounds


def reading_text(page: Page) -> str:
    """The page's lines in reading order, joined without separators (as printed prose runs)."""
    return "".join(nz.strip_all_space(line.text) for line in page.lines)


def prose_value(pages: Sequence[Page], spec: FieldSpec) -> tuple[str, int, float] | None:
    """(raw value, page, score) from the first prose pattern that matches, else None."""
    for page in pages:
        text = reading_text(page)
        for pattern in spec.prose:
            match = pattern.search(text)
            if match and match.group("value"):
                scores = [x.score for x in page.lines if x.text] or [0.0]
                return match.group("value"), page.index, min(1.0, sum(scores) / len(scores))
    return None


def joined_cells(cells: Sequence[Line], start: int, stop_labels: Sequence[str]) -> str:
    """Texts of ``cells[start:]`` joined, up to the next cell that begins with a label."""
    parts: list[str] = []
    for line in cells[start:]:
        compact = nz.to_simplified(nz.strip_all_space(line.text))
        if parts and any(compact.startswith(label) for label in stop_labels):
            break
        parts.append(compact)
    return "".join(parts)


def _overlaps(a: Box, b: Box) -> bool:
    ax0, ay0, ax1, ay1 = box_bounds(a)
    bx0, by0, bx1, by1 = box_bounds(b)
    return min(ax1, bx1) > max(ax0, bx0) and min(ay1, by1) > max(ay0, by0)


def valid_alternative(pages: Sequence[Page], page: int, box: Box | None, spec: FieldSpec) -> str | None:
    """Another reading of the field's line whose identifier passes its check, else None."""
    if box is None or spec.type not in ("uscc", "id_card"):
        return None
    for line in pages[page].lines if page < len(pages) else ():
        if not line.alternatives or not _overlaps(line.box, box):
            continue
        for text in line.alternatives:
            compact = nz.strip_all_space(text).upper()
            match = spec.pattern.search(compact) if spec.pattern else None
            raw = match.group(0) if match else compact
            if check_as_read(spec.type, raw).valid:  # type: ignore[arg-type]
                return raw
    return None

