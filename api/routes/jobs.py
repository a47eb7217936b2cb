"""Background jobs: ``GET /api/v1/jobs/{id}`` shows state and progress (pages done / total)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from api.container import Container
from api.deps import Principal, get_container, require_roles
from intake.ocr_jobs import OcrJobNotFoundError

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])


@router.get("/{job_id}")
def get_job(
    job_id: str,
    principal: Principal = Depends(require_roles("clerk", "approver", "admin", "system")),
    container: Container = Depends(get_container),
) -> dict[str, Any]:
    jobs = getattr(container, "ocr_jobs", None)
    if jobs is None:
        raise OcrJobNotFoundError(f"OCR job {job_id} not found")
    return jobs.get(job_id).to_dict()
