"""Match a document to a case's checklist: which material may it satisfy? Pure functions.

A document's types are the one given at upload and, when the OCR found another, the one OCR
detected (a clerk who uploaded a "scan" still gets it matched to the lease it is).
"""

from __future__ import annotations

from archive import DocumentRecord
from intake.cases.views import CaseView
from intake.decision import OPEN
from intake.errors import WrongDocumentTypeError
from intake.matters import Material, Matter
from intake.ocr_results import OcrResult

__all__ = ["document_types", "check_accepts", "choose_material"]



def document_types(record: DocumentRecord, ocr: OcrResult | None) -> tuple[str, ...]:
    detected = ocr.doc_type if ocr else None
    if detected and detected != record.doc_type:
        return (record.doc_type, detected)
    return (record.doc_type,)


def check_accepts(material: Material, types: tuple[str, ...]) -> None:
    """Raise unless one of ``types`` is accepted for ``material`` (422 listing the accepted types)."""
    if not set(types) & set(material.doc_types):
        raise WrongDocumentTypeError(
            f"a document of type '{types[0]}' cannot satisfy '{material.name}'; "
            f"accepted types: {', '.join(material.doc_types)}",
            message_zh=f"“{material.name}”须提交以下类型的材料：{'、'.join(material.doc_types)}",
            material=material.id, doc_type=types[0], accepted_types=list(material.doc_types),
        )


def choose_material(matter: Matter, case: CaseView, types: tuple[str, ...]) -> Material:
    """The first still-missing material (main before secondary, in checklist order) the document fits."""
    open_ids = {m.material_id for m in case.materials if m.status in OPEN}
    candidates = [m for m in matter.materials if m.id in open_ids and set(types) & set(m.doc_types)]
    candidates.sort(key=lambda m: m.kind != "main")
    if candidates:
        return candidates[0]
    wanted = {m.id: list(m.doc_types) for m in matter.materials if m.id in open_ids}
    raise WrongDocumentTypeError(
        f"no missing material of this case accepts a document of type '{types[0]}'",
        message_zh="该文件类型不符合本办件尚缺的任何材料",
        doc_type=types[0], missing_materials=wanted,
    )
