"""Refuse before reading: authenticate uploads and check their size before the body is read.

An ASGI middleware, so nothing is spooled to disk first (an 84 MB body from a client without a key
used to be read in full before its 401). For every request it caps the body at the upload limit
plus form overhead: a declared ``Content-Length`` over the cap is a 413 at once, and a chunked body
is cut off when it crosses the cap. On the paths that take uploads (``AUTHENTICATED_UPLOADS``) the
key is checked first, so an unauthenticated client is answered 401 without a byte of its body read.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from anyio import to_thread
from starlette.exceptions import HTTPException

from api.errors import problem, status_for
from archive import AuthenticationError, UploadTooLargeError
from standards.errors import CodedError

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

AUTHENTICATED_UPLOADS = frozenset({"/api/v1/documents"})
FORM_OVERHEAD = 64 * 1024
"""Room for the multipart boundaries and the small form fields around the file."""


class _BodyTooLarge(HTTPException):
    def __init__(self) -> None:
        super().__init__(413, "body too large")


class BodyGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        container = scope["app"].state.container
        limit = container.settings.max_upload_bytes
        cap = limit + FORM_OVERHEAD
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", ())}
        refusal = None
        if scope["method"] == "POST" and scope["path"].rstrip("/") in AUTHENTICATED_UPLOADS:
            refusal = await _authentication_refusal(container, headers.get("authorization", ""))
        declared = headers.get("content-length", "")
        if refusal is None and declared.isdigit() and int(declared) > cap:
            refusal = _too_large(limit)
        if refusal is not None:
            await _answer(refusal, scope, receive, send)
            return

        seen = 0
        tripped = started = False

        async def counted() -> Message:
            nonlocal seen, tripped
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > cap:
                    tripped = True
                    raise _BodyTooLarge()
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if not tripped or started:  # once tripped, the app's generic answer is replaced by ours
                started = started or message["type"] == "http.response.start"
                await send(message)

        await self.app(scope, counted, guarded_send)
        if tripped and not started:
            await _answer(_too_large(limit), scope, receive, send)


async def _authentication_refusal(container: Any, header: str) -> CodedError | None:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return AuthenticationError("missing Authorization: Bearer <key> header")
    try:
        await to_thread.run_sync(container.archive.keys.authenticate, token.strip())
    except AuthenticationError as exc:
        return exc
    return None


def _too_large(limit: int) -> UploadTooLargeError:
    return UploadTooLargeError(f"file exceeds the limit of {limit} bytes", limit_bytes=limit)


async def _answer(exc: CodedError, scope: Scope, receive: Receive, send: Send) -> None:
    status = status_for(exc)
    headers = {"WWW-Authenticate": "Bearer", "Connection": "close"} if status == 401 else {"Connection": "close"}
    response = problem(status, exc.code, str(exc), exc.message_zh, instance=scope["path"], headers=headers,
                       **{k: v for k, v in exc.extra.items() if isinstance(v, (str, int))})
    await response(scope, receive, send)
