"""Background jobs: ``GET /api/v1/jobs/{id}`` shows state and progress (pages done / total)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from api.deps import Jobs, Principal, require
from api.headers import Context
from api.schemas import AUTH, JobOut, problems
from intake import Action, job_for

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])


@router.get("/{job_id}", response_model=JobOut, responses=problems(*AUTH, 400, 404))
def get_job(job_id: str, jobs: Jobs, context: Context,
            principal: Principal = Depends(require(Action.JOB_READ))) -> dict[str, Any]:
    return job_for(jobs, job_id, caller=principal.caller, context=context).to_dict()
