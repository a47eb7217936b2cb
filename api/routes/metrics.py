"""Reform metrics (改革指标) for managers: from the service's own cases, or from an uploaded export."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Query, Request

from api.deps import Principal, ReformMetrics, require
from api.schemas import AUTH, MetricsImportOut, MetricsOut, problems
from intake.errors import MetricsImportError
from intake import Action, decode_csv

router = APIRouter(prefix="/api/v1/metrics", tags=["metrics"])

MANAGERS = Depends(require(Action.METRICS_READ))
MAX_CSV_BYTES = 20 * 1024 * 1024


@router.get("", response_model=MetricsOut, responses=problems(*AUTH))
def metrics(
    from_: dt.date | None = Query(default=None, alias="from"), to: dt.date | None = None,
    department: str | None = Query(default=None, max_length=80), matter: str | None = Query(default=None, max_length=80),
    *, service: ReformMetrics, _: Principal = MANAGERS,
) -> dict[str, Any]:
    figures = service.from_cases(period_from=from_, period_to=to, department=department, matter=matter)
    return figures.to_dict()


@router.post("/import", response_model=MetricsImportOut, responses=problems(*AUTH), openapi_extra={
    "requestBody": {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}})
async def metrics_from_csv(
    request: Request, skip_bad: bool = False, from_: dt.date | None = Query(default=None, alias="from"),
    to: dt.date | None = None, department: str | None = Query(default=None, max_length=80),
    matter: str | None = Query(default=None, max_length=80),
    *, service: ReformMetrics, _: Principal = MANAGERS,
) -> dict[str, Any]:
    """Figures from a CSV export sent as the request body (``text/csv``); bad rows by row number."""
    data = await request.body()
    if len(data) > MAX_CSV_BYTES:
        raise MetricsImportError("the CSV file is too large", message_zh="CSV 文件过大")
    figures, result = service.from_csv(
        decode_csv(data), skip_bad=skip_bad, period_from=from_, period_to=to, department=department, matter=matter)
    body = figures.to_dict()
    body["import"] = {"rows": result.rows, "counted": len(result.records), "skipped_rows": list(result.bad_rows),
                      "errors": [str(e) for e in result.errors]}
    return body
