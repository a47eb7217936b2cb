"""Pre-fill a matter's form from every source, each value carrying where it came from.

Sources, in the order a value is shown when they agree: the clerk's input, OCR fields of documents
uploaded for this case, OCR fields of archived (reused) documents, and the case itself (the
applicant's code, name and phone). When sources disagree the field is a *conflict*: it stays empty
until the clerk resolves it by choosing a value. 统一社会信用代码 and 身份证号 fields are checked
(GB 32100 / GB 11643); a failed check is flagged, never silently accepted or dropped.

This module decides only; gathering the candidates is done by ``intake.cases.form``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from intake.matters.model import FormField, Matter
from ocr import LOW_CONFIDENCE, check_id_card, check_uscc, normalise_code

__all__ = ["Source", "Candidate", "FilledField", "LOW_CONFIDENCE", "prefill", "normalise_value", "check_value"]

Source = Literal["clerk", "ocr", "archive", "case"]
"""An OCR value read with less confidence than this is shown for the clerk to check."""
_PRIORITY: dict[str, int] = {"clerk": 0, "ocr": 1, "archive": 2, "case": 3}


@dataclass(frozen=True)
class Candidate:
    """One value for one form field from one source."""

    field: str
    value: str
    source: Source
    doc_id: str | None = None
    doc_type: str | None = None
    label: str | None = None
    """The label the value had on its document (e.g. 统一社会信用代码)."""
    confidence: float | None = None
    page: int | None = None
    """OCR values: the page (1-based) of the document the value was read on."""
    box: tuple[float, float, float, float] | None = None
    """OCR values: where on that page, ``(x0, y0, x1, y1)`` as fractions of the page image."""


@dataclass(frozen=True)
class FilledField:
    name: str
    label: str
    type: str
    required: bool
    value: str | None
    source: Source | None
    """Where the shown value came from (the best-ranked source that gave it)."""
    sources: tuple[Source, ...]
    """Every source that agrees with the shown value."""
    candidates: tuple[Candidate, ...]
    conflict: bool
    """The sources disagree (true even after the clerk resolved it, so the history shows)."""
    resolved: bool
    valid: bool | None
    """Identifier fields only: whether the value passes its check; None for other fields."""
    check_reason: str | None
    confidence: float | None = None
    """OCR confidence of the shown value when it was only read by OCR (no other source agrees)."""

    @property
    def low_confidence(self) -> bool:
        return self.confidence is not None and self.confidence < LOW_CONFIDENCE

    @property
    def needs_attention(self) -> bool:
        return ((self.conflict and not self.resolved) or self.valid is False or (self.required and not self.value)
                or self.low_confidence)


def normalise_value(value: str, field_type: str) -> str:
    """The form two values are compared in: identifiers canonical, text without spacing/width."""
    if field_type in ("uscc", "id_card"):
        return normalise_code(value)
    folded = unicodedata.normalize("NFKC", value or "")
    return re.sub(r"\s+", "", folded)


def check_value(value: str, field_type: str) -> tuple[bool | None, str | None]:
    """(valid, reason) for identifier fields; (None, None) for any other type."""
    if field_type == "uscc":
        result = check_uscc(value)
    elif field_type == "id_card":
        result = check_id_card(value)
    else:
        return None, None
    return result.valid, result.reason


def _fill(form_field: FormField, candidates: list[Candidate], resolution: str | None) -> FilledField:
    kind = form_field.type
    ranked = sorted(candidates, key=lambda c: _PRIORITY[c.source])
    distinct: dict[str, list[Candidate]] = {}
    for candidate in ranked:
        if candidate.value.strip():
            distinct.setdefault(normalise_value(candidate.value, kind), []).append(candidate)
    conflict = len(distinct) > 1
    value: str | None = None
    agreeing: list[Candidate] = []
    if resolution is not None:
        key = normalise_value(resolution, kind)
        agreeing = distinct.get(key, [])
        value = agreeing[0].value.strip() if agreeing else resolution.strip()
        source: Source | None = agreeing[0].source if agreeing else "clerk"
    elif len(distinct) == 1:
        agreeing = next(iter(distinct.values()))
        value, source = agreeing[0].value.strip(), agreeing[0].source
    else:
        source = None
    if value is not None and kind in ("uscc", "id_card"):
        value = normalise_code(value)
    valid, reason = check_value(value, kind) if value else (None, None)
    confirmed = resolution is not None or any(c.source != "ocr" for c in agreeing)
    confidences = [c.confidence for c in agreeing if c.source == "ocr" and c.confidence is not None]
    return FilledField(
        name=form_field.name, label=form_field.label, type=kind, required=form_field.required, value=value,
        source=source, sources=tuple(dict.fromkeys(c.source for c in agreeing)) or ((source,) if source else ()),
        candidates=tuple(ranked), conflict=conflict, resolved=resolution is not None, valid=valid,
        check_reason=reason, confidence=None if confirmed or not confidences else max(confidences),
    )


def prefill(
    matter: Matter, candidates: Iterable[Candidate], resolutions: Mapping[str, str] | None = None
) -> tuple[FilledField, ...]:
    """Every form field of ``matter``, filled from ``candidates`` and the clerk's ``resolutions``."""
    by_field: dict[str, list[Candidate]] = {f.name: [] for f in matter.fields}
    for candidate in candidates:
        if candidate.field in by_field:
            by_field[candidate.field].append(candidate)
    resolutions = resolutions or {}
    return tuple(_fill(f, by_field[f.name], resolutions.get(f.name)) for f in matter.fields)
