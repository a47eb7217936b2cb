"""The one decoder of free-text request headers (``X-Purpose``, ``X-Case-Ref``) into a read context.

Clients send Chinese purposes three ways: RFC 8187 (``UTF-8''%E9%A3%9F...``), bare percent-encoding,
or raw UTF-8 bytes (which ASGI hands over as latin-1 characters). All three become the same text;
anything that is not valid UTF-8, or holds control characters, is refused with 400 — an audit log
that cannot be read is no evidence.
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import unquote_to_bytes

from fastapi import Depends, Header, Request

from api.deps import request_hash
from intake import ReadContext
from intake.errors import UnreadableHeaderError

_RFC8187 = re.compile(r"^(?i:utf-8)'[A-Za-z0-9-]*'(.*)$", re.DOTALL)
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def decode_header_text(value: str | None, name: str) -> str | None:
    """The header's text, or None when absent or blank; ``InvalidInputError`` (400) when unreadable."""
    if value is None or not value.strip():
        return None
    try:
        raw = value.encode("latin-1")  # what the client sent, byte for byte
    except UnicodeEncodeError:
        raw = value.encode("utf-8")
    text_form = raw.decode("latin-1")
    match = _RFC8187.match(text_form)
    if match:
        raw = unquote_to_bytes(match.group(1))
    elif _PERCENT.search(text_form):
        raw = unquote_to_bytes(text_form)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _unreadable(name) from None
    if _CONTROL.search(text):
        raise _unreadable(name)
    return text.strip() or None


def _unreadable(name: str) -> UnreadableHeaderError:
    return UnreadableHeaderError(f"{name} must be UTF-8 text (raw, percent-encoded or RFC 8187 UTF-8'')")


async def read_context(
    request: Request,
    x_case_ref: Annotated[str | None, Header(description="the case this read serves (required for system keys)")] = None,
    x_purpose: Annotated[str | None, Header(description="why; UTF-8, percent-encoded or RFC 8187 (required for system keys)")] = None,
) -> ReadContext:
    return ReadContext(case_ref=decode_header_text(x_case_ref, "X-Case-Ref"),
                       purpose=decode_header_text(x_purpose, "X-Purpose"), request_hash=request_hash(request))


Context = Annotated[ReadContext, Depends(read_context)]
