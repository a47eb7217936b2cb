"""The FastAPI application factory."""

from __future__ import annotations

import gc
from contextlib import asynccontextmanager
from typing import AsyncIterator

from fastapi import FastAPI

from api.body_guard import BodyGuard
from api.container import Container, build_container
from api.errors import install_error_handlers
from api.fetch_path import ContentFastPath
from api.observability import Metrics, RequestMiddleware, configure_logging
from api.routes import discover_routers
from api.settings import Settings


def create_app(settings: Settings | None = None, *, container: Container | None = None,
               freeze_gc: bool = False) -> FastAPI:
    """The application; ``freeze_gc`` for a server process that runs only this app (``onceonly serve``)."""
    settings = settings or (container.settings if container else Settings())
    configure_logging(settings.log_level)
    own_container = container is None
    container = container or build_container(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        container.start()
        if freeze_gc:
            # what exists now (modules, routes, templates, keys) lives as long as the process: moved out
            # of the collector's sight, a full collection scans only what requests made (bench/fetch.py,
            # p99 at 100 clients: 333 ms before, 278 and 219 ms after; docs/scale.md)
            gc.collect()
            gc.freeze()
        try:
            yield
        finally:
            if own_container:
                container.close()

    app = FastAPI(
        title="OnceOnly", version="0.1.0", lifespan=lifespan,
        description="最多跑一次: e-archive, OCR intake, signed e-licences, delivery. Auth: `Authorization: Bearer <key>`.",
        # no OpenTelemetry here (metrics are Prometheus, api.observability): FastAPI's native telemetry
        # would only look up the global providers on every request, which showed in the profile
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.container = container
    app.state.metrics = Metrics()
    app.add_middleware(ContentFastPath)  # innermost: fetch by ID logged, counted and guarded like any route
    app.add_middleware(BodyGuard)  # inside the request log: refusals are logged and counted
    app.add_middleware(RequestMiddleware, metrics=app.state.metrics)
    install_error_handlers(app)
    for router in discover_routers():
        app.include_router(router)
    return app
