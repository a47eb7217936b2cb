"""The hot route, called without the framework's per-request machinery: ``GET /api/v1/documents/{id}/content``.

Under load, routing (a regex per route, over every router), dependency solving and the exception
and telemetry layers FastAPI puts around each request cost more CPU than the fetch itself (a profile
under wrk: about half the process's time). This ASGI middleware, inside the request log and metrics,
recognises the one path and calls the route's own function (``api.routes.documents.get_content``)
with its dependencies resolved by the same dependency functions (principal, read context,
document service); errors are answered by the same handlers (``api.errors``). Nothing about the
answer differs — the route stays declared (OpenAPI, and every other method of that path) — and
nothing is decided here: authentication, the read rule and the audit row are where they always are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from starlette.requests import Request

from api.deps import get_principal
from api.errors import domain_error, unexpected_error
from api.headers import read_context
from api.routes.documents import get_content
from standards.errors import CodedError

Scope = dict[str, Any]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]

PATH = re.compile(r"/api/v1/documents/([^/]+)/content")
ROUTE = "/api/v1/documents/{doc_id}/content"


@dataclass(frozen=True)
class RouteLabel:
    """What the request log and metrics read off ``scope["route"]``: the route's path template."""

    path: str


LABEL = RouteLabel(ROUTE)


class ContentFastPath:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        match = PATH.fullmatch(scope["path"]) if scope["type"] == "http" and scope["method"] == "GET" else None
        if match is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        scope["route"] = LABEL  # the metrics' route label, as if routed
        scope.setdefault("path_params", {"doc_id": match.group(1)})
        try:
            container = scope["app"].state.container
            principal = await get_principal(request, container.archive)
            headers = request.headers
            context = await read_context(request, headers.get("x-case-ref"), headers.get("x-purpose"))
            response = await get_content(match.group(1), context, documents=container.services.documents,
                                         principal=principal)
        except CodedError as exc:
            response = await domain_error(request, exc)
        except Exception as exc:  # noqa: BLE001 - answered as every other route's unexpected error
            response = await unexpected_error(request, exc)
        await response(scope, receive, send)

