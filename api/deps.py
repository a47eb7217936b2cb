"""FastAPI dependencies: the container, the authenticated principal, role checks."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Callable

from fastapi import Depends, Request

from archive import Actor, AuthenticationError
from api.container import Container
from intake.documents import Caller
from intake.errors import ForbiddenError


@dataclass(frozen=True)
class Principal:
    key_id: str
    name: str
    role: str
    scopes: tuple[str, ...]

    @property
    def actor(self) -> Actor:
        return Actor(name=self.name, role=self.role, key_id=self.key_id)

    @property
    def caller(self) -> Caller:
        return Caller(actor=self.actor, scopes=self.scopes)


def get_container(request: Request) -> Container:
    return request.app.state.container


def get_principal(request: Request, container: Container = Depends(get_container)) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("missing Authorization: Bearer <key> header")
    record = container.archive.keys.authenticate(token.strip())
    # the display name (王小红) is what notices print as 经办人 and the audit log shows
    principal = Principal(key_id=record.id, name=record.shown_name, role=record.role, scopes=record.scopes)
    request.state.principal = principal
    return principal


def require_roles(*roles: str) -> Callable[..., Principal]:
    """A dependency that authenticates and refuses (403) every role not listed."""

    def dependency(principal: Principal = Depends(get_principal)) -> Principal:
        if principal.role not in roles:
            raise ForbiddenError(f"role {principal.role} may not do this")
        return principal

    return dependency


def request_hash(request: Request) -> str:
    """A fingerprint of the request for the access log (method, path, query, caller, case, purpose)."""
    parts = [
        request.method, request.url.path, request.url.query,
        request.headers.get("authorization", "").partition(" ")[2].split("_")[1:2].__str__(),
        request.headers.get("x-case-ref", ""), request.headers.get("x-purpose", ""),
        request.headers.get("x-request-id", ""),
    ]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()
