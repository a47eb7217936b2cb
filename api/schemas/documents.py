"""Bodies of the document, access-log, OCR and job routes."""

from __future__ import annotations

from typing import Any, Literal

from api.schemas.common import Out, Timestamp
from archive import DocumentRecord


class DocumentOut(Out):
    id: str
    sha256: str
    size: int
    media_type: str
    filename: str | None
    owner_code: str
    owner_code_type: str
    doc_type: str
    case_ref: str | None
    created_at: Timestamp
    retention_until: Timestamp
    worm: bool


class UploadOut(DocumentOut):
    created: bool
    """False when the same bytes (or the same ``Idempotency-Key``) were already archived: 200, not 201."""


class DocumentPageOut(Out):
    items: list[DocumentOut]
    limit: int
    offset: int
    has_more: bool


class AccessEntryOut(Out):
    at: Timestamp
    who: str
    role: str
    key_id: str | None
    document_id: str | None
    doc_type: str | None
    case_ref: str | None
    purpose: str | None
    action: str
    result: str
    request_hash: str | None


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
