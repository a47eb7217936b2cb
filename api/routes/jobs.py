"""Background jobs: ``GET /api/v1/jobs/{id}`` shows state and progress (pages done / total)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from api.deps import Jobs, Principal, require
from api.schemas import AUTH, JobOut, problems
from intake import Action

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])


@router.get("/{job_id}", response_model=JobOut, responses=problems(*AUTH, 404))
def get_job(job_id: str, jobs: Jobs, principal: Principal = Depends(require(Action.JOB_READ))) -> dict[str, Any]:
    return jobs.get(job_id).to_dict()
