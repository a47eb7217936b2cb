"""The clerk's web desk: one static page and its script (no build step), served from ``api/desk``."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, RedirectResponse, Response

from starlette.exceptions import HTTPException

router = APIRouter(tags=["desk"], include_in_schema=False)

_ASSETS = Path(__file__).resolve().parent.parent / "desk"
_FILES = {"core.js": "text/javascript", "lists.js": "text/javascript", "case.js": "text/javascript",
          "after.js": "text/javascript", "desk.css": "text/css"}
_SECURITY = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' blob: data:; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
}


@router.get("/")
def root() -> RedirectResponse:
    return RedirectResponse("/desk/")


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(status_code=204)


@router.get("/desk/")
def desk() -> FileResponse:
    return FileResponse(_ASSETS / "index.html", media_type="text/html", headers=_SECURITY)


@router.get("/desk/static/{name}")
def asset(name: str) -> FileResponse:
    if name not in _FILES:  # a fixed list: the name is never used to build a path
        raise HTTPException(404, f"no desk asset {name}")
    return FileResponse(_ASSETS / name, media_type=_FILES[name], headers=_SECURITY)
