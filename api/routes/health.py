"""Liveness, readiness (database and object store) and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from api.deps import ArchiveDep, EngineDep
from api.schemas import HealthOut, ReadyOut, problems
from api.schemas import text as text_body

router = APIRouter(tags=["operations"])


@router.get("/healthz", response_model=HealthOut, responses=problems())
async def healthz() -> dict[str, str]:
    """The process is up (async: it never waits for a worker thread, nor behind the store)."""
    return {"status": "ok"}


@router.get("/readyz", response_model=ReadyOut,
            responses={503: {"model": ReadyOut, "description": "not ready"}, **problems()})
def readyz(engine: EngineDep, archive: ArchiveDep) -> JSONResponse:
    """Ready when the catalog database answers and the store can take an upload (``ping`` checks
    what uploads need: for S3 the bucket exists, has its default retention, and accepts writes)."""
    checks: dict[str, str] = {}
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - readiness reports, never raises
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        archive.store.ping()
        checks["store"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["store"] = f"error: {type(exc).__name__}"
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse({"status": "ready" if ready else "not_ready", "checks": checks},
                        status_code=200 if ready else 503)


@router.get("/metrics", response_class=Response,
            responses={200: text_body(CONTENT_TYPE_LATEST, "Prometheus text exposition"), **problems()})
def metrics(request: Request) -> Response:
    return Response(generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST)
