"""Documents: upload once, fetch by ID (metadata and verified bytes), list an owner's documents."""

from __future__ import annotations

from typing import Annotated, Any, Iterator

from fastapi import APIRouter, Depends, File, Form, Header, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from archive import UploadTooLargeError, checks_summary
from api.deps import Documents, Principal, UploadLimit, get_principal, require
from api.headers import Context
from api.paging import Page
from api.schemas import (
    AUTH, ChecksOut, DocumentOut, DocumentPageOut, UploadOut, binary, document_json, problems, responses,
)
from intake import Action

router = APIRouter(prefix="/api/v1/documents", tags=["documents"], responses=problems(*AUTH))

BUFFER_LIMIT = 8 * 1024 * 1024
"""Objects up to this size are verified before the first byte is sent; larger ones stream."""


async def _limit_body(request: Request, limit: UploadLimit) -> None:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + 64 * 1024:
        raise UploadTooLargeError(f"file exceeds the limit of {limit} bytes", limit_bytes=limit)


@router.post("", status_code=201, dependencies=[Depends(_limit_body)], response_model=UploadOut,
             responses={200: {"model": UploadOut, "description": "already archived (same bytes or Idempotency-Key)"},
                        **problems(400, 403, 409, 413, 415, 503)})
def upload_document(
    request: Request,
    file: Annotated[UploadFile, File(description="the scan: PDF, JPEG, PNG, TIFF or HEIC")],
    owner_code: Annotated[str, Form(description="统一社会信用代码 or 身份证号 of the owner")],
    doc_type: Annotated[str, Form(description="document type, e.g. business_licence")],
    case_ref: Annotated[str | None, Form()] = None,
    owner_code_type: Annotated[str | None, Form(description="uscc or id_card; inferred when absent")] = None,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
    *, documents: Documents, principal: Principal = Depends(require(Action.DOCUMENT_UPLOAD)),
) -> JSONResponse:
    result = documents.upload(
        file.file, caller=principal.caller, owner_code=owner_code, doc_type=doc_type,
        owner_code_type=owner_code_type or None, filename=file.filename, case_ref=case_ref or None,
        idempotency_key=idempotency_key,
    )
    request.app.state.metrics.bytes_in.inc(result.record.size if result.created else 0)
    body = document_json(result.record) | {"created": result.created}
    return JSONResponse(body, status_code=201 if result.created else 200,
                        headers={"Location": f"/api/v1/documents/{result.record.id}"})


@router.get("", response_model=DocumentPageOut, responses=problems(400, 422))
def list_documents(
    owner_code: str, page: Page, context: Context, doc_type: str | None = None,
    *, documents: Documents, principal: Principal = Depends(get_principal),
) -> dict[str, Any]:
    records = documents.list(owner_code, caller=principal.caller, context=context, doc_type=doc_type,
                             limit=page.limit + 1, offset=page.offset)
    return {"items": [document_json(r) for r in records[:page.limit]], "limit": page.limit,
            "offset": page.offset, "has_more": len(records) > page.limit}


@router.get("/search", response_model=DocumentPageOut, responses=problems(400, 403, 422))
def search_documents(
    page: Page, context: Context,
    owner_code: Annotated[str | None, Query(max_length=40, description="统一社会信用代码 or 身份证号")] = None,
    doc_type: Annotated[str | None, Query(max_length=64)] = None,
    text: Annotated[str | None, Query(max_length=100, description="words read from the document (OCR)")] = None,
    *, documents: Documents, principal: Principal = Depends(get_principal),
) -> dict[str, Any]:
    """Documents by owner, type and OCR text, newest first; every owner answered is audited.

    ``system`` keys state case and purpose, name the owner and see only their scopes' types."""
    records = documents.search(caller=principal.caller, context=context, owner_code=owner_code, doc_type=doc_type,
                               text=text, limit=page.limit + 1, offset=page.offset)
    return {"items": [document_json(r) for r in records[:page.limit]], "limit": page.limit,
            "offset": page.offset, "has_more": len(records) > page.limit}


@router.get("/{doc_id}", response_model=DocumentOut, responses=problems(400, 404, 503))
def get_document(
    doc_id: str, context: Context, *, documents: Documents, principal: Principal = Depends(get_principal),
) -> dict[str, Any]:
    record = documents.metadata(doc_id, caller=principal.caller, context=context)
    return document_json(record) | {"checks": documents.checks_summary(record)}


@router.get("/{doc_id}/checks", response_model=ChecksOut, responses=problems(400, 404, 503))
def get_checks(
    doc_id: str, context: Context, *, documents: Documents, principal: Principal = Depends(get_principal),
) -> dict[str, Any]:
    """The 四性检测 report: usability, security, integrity, authenticity, and the last re-check."""
    report = documents.checks(doc_id, caller=principal.caller, context=context)
    return {"document_id": doc_id, **report, "summary": checks_summary(report)}


@router.get("/{doc_id}/content", response_class=Response, responses=responses(
    binary("application/pdf", "image/jpeg", "image/png", "image/tiff", "image/heic",
           description="the original bytes, verified against their SHA-256"), 400, 404, 409, 503))
async def get_content(
    doc_id: str, context: Context, *, documents: Documents, principal: Principal = Depends(get_principal),
) -> Response:
    # up to BUFFER_LIMIT on the event loop: verified and audited before anything is sent, no request thread
    record, body = await documents.read_async(doc_id, caller=principal.caller, context=context,
                                              max_bytes=BUFFER_LIMIT)
    headers = {"ETag": f'"{record.sha256}"', "X-Content-SHA256": record.sha256,
               "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff",
               "Content-Disposition": "attachment"}
    if body is not None:
        return Response(body, media_type=record.media_type, headers=headers)
    record, chunks = await run_in_threadpool(documents.open, doc_id, caller=principal.caller, context=context)
    headers["Content-Length"] = str(record.size)
    return StreamingResponse(_closing(chunks), media_type=record.media_type, headers=headers)


def _closing(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Stream; an integrity error at the end aborts the response so the client never sees it complete."""
    yield from chunks
