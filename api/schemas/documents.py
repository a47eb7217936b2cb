"""Bodies of the document, access-log, OCR and job routes."""

from __future__ import annotations

from typing import Any, Literal

from api.schemas.common import Out, Timestamp
from api.schemas.derive import out_model
from archive import AccessEntry, DocumentRecord


DocumentOut = out_model(DocumentRecord, "DocumentOut", checks=(dict[str, Any] | None, None))
"""``checks`` (on a single document) summarises its 四性检测 report: state, flags, repaired, re-check."""
UploadOut = out_model(DocumentRecord, "UploadOut", created=(bool, ...))
"""``created`` is false when the same bytes (or the same ``Idempotency-Key``) were archived before."""


class ChecksOut(Out):
    """The 四性检测 report of one object: usability, security, integrity, authenticity, re-check."""

    document_id: str
    summary: dict[str, Any]


class DocumentPageOut(Out):
    items: list[DocumentOut]
    limit: int
    offset: int
    has_more: bool


AccessEntryOut = out_model(AccessEntry, renamed=(("actor_name", "who"), ("actor_role", "role")),
                           omitted=("owner_code",))


class AccessLogOut(Out):
    owner_code: str
    items: list[AccessEntryOut]


class JobProgressOut(Out):
    pages_done: int
    pages_total: int | None


class JobErrorOut(Out):
    code: str | None
    message: str | None


class JobOut(Out):
    id: str
    kind: Literal["ocr"]
    doc_id: str
    state: Literal["queued", "running", "done", "failed"]
    progress: JobProgressOut
    doc_type: str | None
    error: JobErrorOut | None
    created_at: Timestamp | None
    started_at: Timestamp | None
    finished_at: Timestamp | None


class OcrOut(Out):
    """``result`` is the OCR of the document (pages, lines, document type, fields) once ``job`` is done."""

    doc_id: str
    job: JobOut | None
    result: dict[str, Any] | None


def document_json(record: DocumentRecord) -> dict[str, Any]:
    return {
        "id": record.id, "sha256": record.sha256, "size": record.size, "media_type": record.media_type,
        "filename": record.filename, "owner_code": record.owner_code,
        "owner_code_type": record.owner_code_type, "doc_type": record.doc_type, "case_ref": record.case_ref,
        "created_at": record.created_at.isoformat(), "retention_until": record.retention_until.isoformat(),
        "worm": record.worm,
    }
