"""一证通办: archived documents that still satisfy a matter's materials, so no copy is asked for.

A material may be satisfied from the archive when its YAML says ``reuse.allowed`` and the archived
document (same owner code, an accepted type) is still valid:

* ``until_expiry`` — the document's own expiry, read from its OCR fields (有效期限, 营业期限 …),
  lies after today; "长期" never expires. A document whose expiry cannot be read is *not* reused:
  the clerk would otherwise accept an ID card nobody checked.
* ``max_age_days`` — it was archived at most that many days ago (e.g. a lease: 365).

The deciding part (:func:`valid_until`, :func:`is_reusable`) is pure; :func:`find_reusable` asks
the archive.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from archive import Archive, DocumentRecord
from intake.expiry import last_valid_day
from intake.matters.model import Matter, Reuse

__all__ = ["ReuseMatch", "EXPIRY_LABELS", "parse_expiry", "valid_until", "is_reusable", "find_reusable"]

EXPIRY_LABELS: tuple[str, ...] = ("有效期限", "有效期至", "有效期", "营业期限", "证件有效期", "租赁期限")


@dataclass(frozen=True)
class ReuseMatch:
    material_id: str
    doc_id: str
    doc_type: str
    first_case: str | None
    """The case the document first came with (``DocumentRecord.case_ref``)."""
    archived_at: dt.datetime
    valid_until: dt.date | None
    """Last day of validity (``date.max`` for 长期); None when only an age rule applied."""


def parse_expiry(text: str) -> dt.date | None:
    """The last valid day in an expiry text (``date.max`` for 长期); see :mod:`intake.expiry`."""
    return last_valid_day(text)


def _ocr_expiry(ocr: dict | None) -> dt.date | None:
    fields = (ocr or {}).get("fields") or {}
    for label in EXPIRY_LABELS:
        entry = fields.get(label)
        if isinstance(entry, dict) and entry.get("value"):
            parsed = parse_expiry(str(entry["value"]))
            if parsed is not None:
                return parsed
    return None


def valid_until(record: DocumentRecord, ocr: dict | None, rule: Reuse) -> dt.date | None:
    """The last day the archived document may be reused under ``rule`` (None: cannot tell)."""
    limits: list[dt.date] = []
    if rule.until_expiry:
        expiry = _ocr_expiry(ocr)
        if expiry is None:
            return None
        limits.append(expiry)
    if rule.max_age_days is not None:
        limits.append(record.created_at.date() + dt.timedelta(days=rule.max_age_days))
    return min(limits) if limits else None


def is_reusable(record: DocumentRecord, ocr: dict | None, rule: Reuse, doc_types: tuple[str, ...], today: dt.date) -> bool:
    """Whether ``record`` may satisfy a material with ``rule`` and accepted ``doc_types`` today."""
    if not rule.allowed or record.doc_type not in doc_types:
        return False
    until = valid_until(record, ocr, rule)
    return until is not None and until >= today


def find_reusable(
    archive: Archive,
    matter: Matter,
    owner_code: str,
    today: dt.date,
    *,
    exclude: dict[str, set[str]] | None = None,
) -> dict[str, ReuseMatch]:
    """For each reusable material of ``matter``, the newest still-valid archived document.

    ``exclude`` maps material ids to document ids the clerk has rejected for this case.
    Documents issued by the service itself for the case (notices) are never of an accepted type.
    """
    exclude = exclude or {}
    cache: dict[str, list[DocumentRecord]] = {}
    ocr_cache: dict[str, dict | None] = {}
    found: dict[str, ReuseMatch] = {}
    for material in matter.materials:
        if not material.reuse.allowed:
            continue
        candidates: list[DocumentRecord] = []
        for doc_type in material.doc_types:
            if doc_type not in cache:
                cache[doc_type] = archive.list(owner_code, doc_type=doc_type, limit=50)
            candidates.extend(cache[doc_type])
        candidates.sort(key=lambda r: r.created_at, reverse=True)
        for record in candidates:
            if record.id in exclude.get(material.id, set()):
                continue
            if material.reuse.until_expiry and record.id not in ocr_cache:
                ocr_cache[record.id] = archive.get_derived(record.id, "ocr")
            ocr = ocr_cache.get(record.id)
            if is_reusable(record, ocr, material.reuse, material.doc_types, today):
                found[material.id] = ReuseMatch(
                    material_id=material.id,
                    doc_id=record.id,
                    doc_type=record.doc_type,
                    first_case=record.case_ref,
                    archived_at=record.created_at,
                    valid_until=valid_until(record, ocr, material.reuse),
                )
                break
    return found
