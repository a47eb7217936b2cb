"""OCR results of a document: ``GET /api/v1/documents/{id}/ocr``.

200 with the result when it is ready (and the job that produced it), 202 with the job while it is
queued or running, a problem (422, the job's error code) when it failed, 404 when no OCR exists
(``intake.ocr_results.ocr_outcome`` decides). Reading it is a metadata read of the document:
authorised and audited like one.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from api.deps import Documents, Jobs, Principal, get_principal
from api.headers import Context
from api.schemas import AUTH, OcrOut, problems
from intake import ocr_outcome

router = APIRouter(prefix="/api/v1/documents", tags=["ocr"])


@router.get("/{doc_id}/ocr", response_model=OcrOut, responses={
    202: {"model": OcrOut, "description": "the OCR job is queued or running (see Location)"},
    **problems(*AUTH, 400, 404)})
def get_ocr(
    doc_id: str, context: Context, documents: Documents, jobs: Jobs,
    principal: Principal = Depends(get_principal),
) -> Any:
    record = documents.metadata(doc_id, caller=principal.caller, context=context)
    outcome = ocr_outcome(jobs, record.id)
    pending = outcome.pending_job
    if pending is not None:
        return JSONResponse({"doc_id": record.id, "job": pending.to_dict(), "result": None}, status_code=202,
                            headers={"Location": f"/api/v1/jobs/{pending.id}", "Retry-After": "2"})
    return {"doc_id": record.id, "job": outcome.job.to_dict() if outcome.job else None,
            "result": dict(outcome.result.raw) if outcome.result else None}
