"""OCR results of a document: ``GET /api/v1/documents/{id}/ocr``.

200 with the result when it is ready (and the job that produced it), 202 with the job while it is
queued or running, a problem (422, the job's error code) when it failed, 404 when no OCR exists.
Reading it is a metadata read of the document: authorised and audited like one.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import unquote

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse

from api.container import Container
from api.deps import Principal, get_container, get_principal, request_hash
from api.errors import problem
from intake.documents import ReadContext
from intake.ocr_jobs import OcrJobNotFoundError

router = APIRouter(prefix="/api/v1/documents", tags=["ocr"])


@router.get("/{doc_id}/ocr")
def get_ocr(
    doc_id: str, request: Request,
    x_case_ref: Annotated[str | None, Header()] = None,
    x_purpose: Annotated[str | None, Header(description="why; percent-encoded UTF-8")] = None,
    principal: Principal = Depends(get_principal), container: Container = Depends(get_container),
) -> Any:
    context = ReadContext(case_ref=unquote(x_case_ref) if x_case_ref else None,
                          purpose=unquote(x_purpose) if x_purpose else None, request_hash=request_hash(request))
    record = container.documents.metadata(doc_id, caller=principal.caller, context=context)
    jobs = getattr(container, "ocr_jobs", None)
    job = jobs.latest_for(record.id) if jobs is not None else None
    result = container.archive.get_derived(record.id, "ocr")
    if job is not None and job.state in ("queued", "running"):
        return JSONResponse({"doc_id": record.id, "job": job.to_dict(), "result": None}, status_code=202,
                            headers={"Location": f"/api/v1/jobs/{job.id}", "Retry-After": "2"})
    if job is not None and job.state == "failed":
        return problem(422, job.error_code or "ocr_failed", job.error_message or "OCR failed",
                       "文字识别失败", instance=request.url.path, job=job.to_dict())
    if result is None:
        raise OcrJobNotFoundError(f"document {record.id} has no OCR result")
    return {"doc_id": record.id, "job": job.to_dict() if job else None, "result": result}
