"""Generic ``label → value`` pairs of any form: ``标签：值`` lines and table rows of cells.

Used for application forms (where the pairs are the fields) and kept beside the typed fields of
every other document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ocr import normalise as nz
from ocr.identifiers import check_as_read
from ocr.layout import group_rows
from ocr.types import Field, Line, Page

_LABEL = re.compile(r"^[\u4e00-\u9fff（）()/、]{2,12}$")
_COLON_SPLIT = re.compile(r"^([^：:]{2,12})[：:](.*)$")


def _looks_like_label(text: str) -> bool:
    compact = nz.strip_all_space(text).rstrip("：:")
    return bool(_LABEL.match(compact)) and not compact.endswith(("。", "，"))


def _field(raw: str, line: Line, page: int, label: str = "") -> Field:
    """A pair's value; identifiers (by their label) are normalised and checked like typed fields."""
    value: str = nz.compact(raw)
    valid: bool | None = None
    flags = [] if line.score >= 0.85 else ["low_confidence"]
    confidence = line.score
    kind = "uscc" if "信用代码" in label else "id_card" if ("身份证" in label or "身份号码" in label) else None
    if kind is not None:
        check = check_as_read(kind, raw)
        value, valid = check.value, check.valid
        if not check.valid:
            flags.append(check.reason or "invalid")
            confidence *= 0.5
    return Field(value, raw, confidence, page, line.box, valid, flags)


def extract_pairs(pages: Sequence[Page]) -> dict[str, Field]:
    """Every label → value pair found; the first occurrence of a label wins."""
    pairs: dict[str, Field] = {}
    for page in pages:
        for row in group_rows(page.lines, page.skew):
            cells = row.lines
            if (len(cells) >= 2 and not any(c in line.text for line in cells for c in "：:")
                    and all(_looks_like_label(cells[j].text) for j in range(0, len(cells) - 1, 2))):
                for j in range(0, len(cells) - 1, 2):  # a table row: label, value, label, value
                    label = nz.strip_all_space(cells[j].text)
                    pairs.setdefault(label, _field(cells[j + 1].text, cells[j + 1], page.index, label))
                continue
            i = 0
            while i < len(cells):
                line = cells[i]
                text = nz.compact(line.text)
                match = _COLON_SPLIT.match(text)
                if match and _looks_like_label(match.group(1)):
                    label, value = nz.strip_all_space(match.group(1)), match.group(2).strip()
                    if not value and i + 1 < len(cells) and not _looks_like_label(cells[i + 1].text):
                        value = nz.compact(cells[i + 1].text)
                        i += 1
                    if value:
                        pairs.setdefault(label, _field(value, line, page.index, label))
                    i += 1
                    continue
                if (_looks_like_label(text) and len(nz.strip_all_space(text)) <= 8
                        and i + 1 < len(cells) and not _looks_like_label(cells[i + 1].text)):
                    label = nz.strip_all_space(text).rstrip("：:")
                    pairs.setdefault(label, _field(cells[i + 1].text, cells[i + 1], page.index, label))
                    i += 2
                    continue
                i += 1
    return pairs
