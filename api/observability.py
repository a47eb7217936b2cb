"""Structured JSON log lines and Prometheus metrics for every request."""

from __future__ import annotations

import json
import logging
import os
import sys
import time
import itertools
import secrets
from datetime import datetime, timezone

from prometheus_client import CollectorRegistry, Counter, Histogram

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and every ``extra`` field."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(), "logger": record.name, "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure_logging(level: str = "INFO") -> None:
    root = logging.getLogger("onceonly")
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    root.setLevel(level.upper())
    root.propagate = False


class Metrics:
    """The service's metrics. With ``PROMETHEUS_MULTIPROC_DIR`` set (several API processes, e.g.
    ``onceonly serve --workers 2``), every process writes its values to files there and a scrape of
    any process answers the sum over all of them (prometheus_client's multiprocess mode)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        own: CollectorRegistry | None = self.registry
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            from prometheus_client import multiprocess

            multiprocess.MultiProcessCollector(self.registry)
            own = None  # the values live in the shared files; the collector reads them all
        self.requests = Counter("onceonly_http_requests_total", "HTTP requests",
                                ("method", "route", "status"), registry=own)
        self.latency = Histogram("onceonly_http_request_seconds", "HTTP request latency",
                                 ("method", "route"), registry=own)
        self.bytes_in = Counter("onceonly_upload_bytes_total", "bytes received in uploads", registry=own)


class RequestMiddleware:
    """Request id, one access log line per request, Prometheus counters.

    A plain ASGI middleware (not ``BaseHTTPMiddleware``, which costs a task and a body copy per
    request): it watches the response start for the status and adds ``X-Request-ID``.
    """

    def __init__(self, app, metrics: Metrics) -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self.metrics = metrics
        self.log = logging.getLogger("onceonly.http")
        # unique without a system call per request: a random 64-bit prefix per process, then a counter
        self._prefix, self._ids = secrets.token_hex(8), itertools.count()

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v for k, v in scope["headers"] if k == b"x-request-id"), b"")
        request_id = given.decode("latin-1") or f"{self._prefix}{next(self._ids):016x}"
        start = time.perf_counter()
        status = 500

        async def send_with_id(message) -> None:  # type: ignore[no-untyped-def]
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                message = {**message, "headers": headers + [(b"x-request-id", request_id.encode("latin-1"))]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - start
            route = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.requests.labels(scope["method"], route, str(status)).inc()
            self.metrics.latency.labels(scope["method"], route).observe(elapsed)
            principal = (scope.get("state") or {}).get("principal")
            if self.log.isEnabledFor(logging.INFO):
                self.log.info("request", extra={
                    "request_id": request_id, "method": scope["method"], "path": scope["path"],
                    "status": status, "ms": round(elapsed * 1000, 1),
                    "key_id": getattr(principal, "key_id", None),
                })
