"""OCR results as the domain reads them: parsed once from the archive, typed, never re-parsed.

The OCR job stores ``ocr.Result.to_dict()`` with the document (``archive.put_derived(doc_id,
DERIVED_KIND, ...)``). ``read_ocr`` turns it into an ``OcrResult``; case matching, pre-fill and
reuse read ``doc_type`` and ``fields`` from it. ``ocr_outcome`` is what a reader of a document's
OCR is told: ready, still pending, failed (an error) or absent (an error).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from archive import Archive
from intake.errors import OcrFailedError, OcrJobNotFoundError
from intake.ocr_jobs import DERIVED_KIND, PENDING, JobState, JobView, OcrJobs

__all__ = ["DERIVED_KIND", "OcrField", "OcrOutcome", "OcrResult", "as_result", "ocr_outcome", "read_ocr"]


Fraction = tuple[float, float, float, float]
"""``(x0, y0, x1, y1)`` as fractions of the page as stored (before OCR turned it upright)."""


@dataclass(frozen=True)
class OcrField:
    value: str
    confidence: float | None = None
    page: int | None = None
    """The page (1-based) the value was read on."""
    box: Fraction | None = None
    """Where on that page, as fractions of the original page (what the page images show)."""


@dataclass(frozen=True)
class OcrResult:
    doc_type: str | None
    fields: Mapping[str, OcrField] = field(default_factory=dict)
    raw: Mapping[str, Any] = field(default_factory=dict)
    """The stored JSON as it is (what the API shows)."""

    @classmethod
    def parse(cls, data: Mapping[str, Any] | None) -> OcrResult | None:
        """``None`` for nothing stored (or an empty result); unknown shapes read as no fields."""
        if not data:
            return None
        detected = data.get("doc_type")
        fields: dict[str, OcrField] = {}
        pages = {p.get("index"): p for p in data.get("pages") or () if isinstance(p, Mapping)}
        for label, entry in (data.get("fields") or {}).items():
            if isinstance(entry, Mapping):
                confidence = entry.get("confidence")
                index = entry.get("page")
                page = pages.get(index) if isinstance(index, int) else None
                fields[str(label)] = OcrField(
                    str(entry.get("value") or "").strip(),
                    float(confidence) if isinstance(confidence, (int, float)) else None,
                    index + 1 if isinstance(index, int) else None, _fraction(entry.get("box"), page))
        return cls(detected if isinstance(detected, str) and detected else None, fields, data)

    def value(self, label: str) -> str:
        entry = self.fields.get(label)
        return entry.value if entry else ""


def _fraction(box: Any, page: Mapping[str, Any] | None) -> Fraction | None:
    """A box in upright page pixels as fractions of the page as stored (undoing OCR's rotation)."""
    try:
        width, height = float(page["width"]), float(page["height"])  # type: ignore[index]
        points = [(float(x) / width, float(y) / height) for x, y in box]
        turns = (-int(page.get("rotation") or 0) // 90) % 4  # type: ignore[union-attr]
    except (TypeError, ValueError, KeyError, ZeroDivisionError):
        return None
    for _ in range(turns):  # each a quarter turn clockwise: (x, y) -> (1 - y, x)
        points = [(1 - y, x) for x, y in points]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return (round(max(0.0, min(xs)), 4), round(max(0.0, min(ys)), 4),
            round(min(1.0, max(xs)), 4), round(min(1.0, max(ys)), 4))


def as_result(ocr: OcrResult | Mapping[str, Any] | None) -> OcrResult | None:
    """Accept a stored mapping where an ``OcrResult`` is expected (parsed here, once)."""
    return ocr if isinstance(ocr, OcrResult) or ocr is None else OcrResult.parse(ocr)


def read_ocr(archive: Archive, doc_id: str) -> OcrResult | None:
    return OcrResult.parse(archive.get_derived(doc_id, DERIVED_KIND))


@dataclass(frozen=True)
class OcrOutcome:
    doc_id: str
    job: JobView | None
    result: OcrResult | None

    @property
    def pending_job(self) -> JobView | None:
        """The job still queued or running (then there is no result yet), else None."""
        return self.job if self.job is not None and self.job.state in PENDING else None


def ocr_outcome(jobs: OcrJobs, doc_id: str) -> OcrOutcome:
    """The OCR of a document: pending (its job is queued or running), ready, or an error:
    ``OcrFailedError`` (the latest job failed, with its code) or ``OcrJobNotFoundError``."""
    job = jobs.latest_for(doc_id)
    result = read_ocr(jobs.archive, doc_id)
    if job is not None and job.state in PENDING:
        return OcrOutcome(doc_id, job, None)
    if job is not None and job.state == JobState.FAILED:
        raise OcrFailedError(job.error_message or "OCR failed", code=job.error_code, job=job.to_dict())
    if result is None:
        raise OcrJobNotFoundError(f"document {doc_id} has no OCR result")
    return OcrOutcome(doc_id, job, result)
