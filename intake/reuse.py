"""一证通办: archived documents that still satisfy a matter's materials, so no copy is asked for.

A material may be satisfied from the archive when its YAML says ``reuse.allowed`` and the archived
document (same owner code, an accepted type) is still valid:

* ``until_expiry`` — the document's own expiry, read from its OCR fields (有效期限, 营业期限 …),
  lies after today; "长期" never expires. A document whose expiry cannot be read is *not* reused:
  the clerk would otherwise accept an ID card nobody checked.
* ``max_age_days`` — it was archived at most that many days ago (e.g. a lease: 365).

* ``person`` — a material standing for a person reuses only that person's ID card (``intake.roles``).

The deciding parts (:func:`valid_until`, :func:`is_reusable`, ``intake.roles.choose_card``) are pure;
:func:`find_reuse` asks the archive.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from collections.abc import Mapping

from archive import Archive, DocumentRecord
from intake.expiry import last_valid_day
from intake.matters.model import Material, Matter, Reuse
from intake.ocr_results import DERIVED_KIND, OcrResult, as_result
from intake.roles import card_of, choose_card, person_for_role

__all__ = ["ReuseMatch", "ReuseResult", "EXPIRY_LABELS", "LICENCE_TYPE", "parse_expiry", "valid_until", "is_reusable",
           "find_reusable", "find_reuse", "ocr_values"]

LICENCE_TYPE = "business_licence"
_CANDIDATES = 50
"""Newest archived documents looked at per document type, at most."""
_PAGE = 5
"""Documents fetched at first per type (the newest is usually valid)."""
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


@dataclass(frozen=True)
class ReuseResult:
    found: dict[str, ReuseMatch]
    skipped: dict[str, str]
    """Person materials with a valid card in the archive that was not reused, and why (for the clerk)."""


def parse_expiry(text: str) -> dt.date | None:
    """The last valid day in an expiry text (``date.max`` for 长期); see :mod:`intake.expiry`."""
    return last_valid_day(text)


def _ocr_expiry(ocr: OcrResult | None) -> dt.date | None:
    for label in EXPIRY_LABELS:
        value = ocr.value(label) if ocr else ""
        if value:
            parsed = parse_expiry(value)
            if parsed is not None:
                return parsed
    return None


def valid_until(record: DocumentRecord, ocr: OcrResult | Mapping[str, Any] | None, rule: Reuse) -> dt.date | None:
    """The last day the archived document may be reused under ``rule`` (None: cannot tell)."""
    limits: list[dt.date] = []
    if rule.until_expiry:
        expiry = _ocr_expiry(as_result(ocr))
        if expiry is None:
            return None
        limits.append(expiry)
    if rule.max_age_days is not None:
        limits.append(record.created_at.date() + dt.timedelta(days=rule.max_age_days))
    return min(limits) if limits else None


def is_reusable(record: DocumentRecord, ocr: OcrResult | Mapping[str, Any] | None, rule: Reuse, doc_types: tuple[str, ...], today: dt.date) -> bool:
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
    """For each reusable material of ``matter``, the archived document to use (see :func:`find_reuse`)."""
    return find_reuse(archive, matter, owner_code, today, exclude=exclude).found


def find_reuse(
    archive: Archive,
    matter: Matter,
    owner_code: str,
    today: dt.date,
    *,
    exclude: dict[str, set[str]] | None = None,
    form: Mapping[str, str | None] | None = None,
    licence_fields: Mapping[str, str] | None = None,
) -> ReuseResult:
    """For each reusable material of ``matter``, the newest still-valid archived document.

    A material that stands for a person (``person:``) reuses only that person's ID card: the person
    the case names in ``form``, else the legal representative on the business licence (the one
    reused here, or ``licence_fields`` of the one attached to the case). ``exclude`` maps material
    ids to document ids the clerk has rejected for this case. One statement in the usual case (the newest
    documents of every type, their OCR results and failed re-checks), whatever the archive holds.
    """
    exclude = exclude or {}
    wanted = [m for m in matter.materials if m.reuse.allowed]
    types = list(dict.fromkeys(t for m in wanted for t in m.doc_types))
    first = {m.id: _CANDIDATES if m.person else _PAGE for m in wanted}
    per_type = {t: max(first[m.id] for m in wanted if t in m.doc_types) for t in types}
    need_ocr = {t for m in wanted if m.reuse.until_expiry or m.person for t in m.doc_types} | {LICENCE_TYPE}
    # usual case: one statement for the newest documents of every type, the OCR results needed and
    # the failed 四性检测 re-checks
    records, stored, damaged = archive.newest_with_derived(owner_code, types, per_type, DERIVED_KIND, need_ocr)
    done = {t for t, rs in records.items() if len(rs) < per_type[t]}  # types whose every document is here
    ocr: dict[str, OcrResult | None] = _parsed(stored)

    def candidates(doc_type: str, count: int) -> list[DocumentRecord]:
        """The newest ``count`` documents of a type (widened on demand), OCR loaded where needed."""
        have = records.setdefault(doc_type, [])
        if len(have) < count and doc_type not in done:
            more = archive.list(owner_code, doc_type=doc_type, limit=count - len(have), offset=len(have))
            if len(more) < count - len(have):
                done.add(doc_type)
            if more and doc_type in need_ocr:
                ocr.update(_parsed(archive.get_derived_many((r.id for r in more), DERIVED_KIND)))
            damaged.update(archive.failed_rechecks(r.id for r in more))
            have.extend(more)
        return have[:count]

    def usable(material: Material) -> list[DocumentRecord]:
        """Reusable documents for ``material``, newest first: all of them (up to the window) for a
        person's material, else the first found (one small page per type in the usual case)."""
        count = first[material.id]
        while True:
            pool = sorted((r for t in material.doc_types for r in candidates(t, count)),
                          key=lambda r: r.created_at, reverse=True)
            fit = [r for r in pool if r.id not in exclude.get(material.id, set())
                   and r.id not in damaged  # damaged in storage
                   and is_reusable(r, ocr.get(r.id), material.reuse, material.doc_types, today)]
            exhausted = all(t in done for t in material.doc_types)
            if fit and not material.person or exhausted or count >= _CANDIDATES:
                return fit
            count = min(_CANDIDATES, count * 4)

    def take(material: Material, record: DocumentRecord) -> None:
        found[material.id] = ReuseMatch(
            material_id=material.id, doc_id=record.id, doc_type=record.doc_type, first_case=record.case_ref,
            archived_at=record.created_at, valid_until=valid_until(record, ocr.get(record.id), material.reuse),
        )

    found: dict[str, ReuseMatch] = {}
    skipped: dict[str, str] = {}

    for material in (m for m in wanted if not m.person):
        pool = usable(material)
        if pool:
            take(material, pool[0])
    licence = licence_fields
    reused_licence = next((found[m.id] for m in wanted if m.id in found and found[m.id].doc_type == LICENCE_TYPE), None)
    if licence is None and reused_licence is not None:
        licence = ocr_values(ocr.get(reused_licence.doc_id))
    for material in (m for m in wanted if m.person):
        pool = usable(material)
        if not pool:
            continue
        person = person_for_role(material.person, form or {}, licence)  # type: ignore[arg-type]
        by_id = {r.id: r for r in pool}
        cards = [c for c in (card_of(r.id, ocr_values(ocr.get(r.id))) for r in pool) if c is not None]
        choice = choose_card(material.person, person, cards)  # type: ignore[arg-type]
        if choice.doc_id is not None:
            take(material, by_id[choice.doc_id])
        else:
            skipped[material.id] = choice.message_zh
    return ReuseResult(found, skipped)


def ocr_values(ocr: OcrResult | Mapping[str, Any] | None) -> dict[str, str]:
    """``{label: value}`` of an OCR result's fields (empty values left out)."""
    result = as_result(ocr)
    return {label: entry.value for label, entry in result.fields.items() if entry.value} if result else {}


def _parsed(stored: Mapping[str, Mapping[str, Any]]) -> dict[str, OcrResult | None]:
    """Stored OCR results, each parsed once into an ``OcrResult``."""
    return {doc_id: OcrResult.parse(data) for doc_id, data in stored.items()}
