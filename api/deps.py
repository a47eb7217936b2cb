"""FastAPI dependencies: each intake service as an ``Annotated`` type, the principal, permissions.

Routes declare what they need (``cases: Cases``, ``who: Principal = Depends(require(...))``) and
never see the container; the container lives on ``app.state`` and is read here only.

Every dependency here is ``async``: none blocks (a key not verified in the last second is checked
on the thread pool), and a sync dependency would cost each request one hand-over to that pool.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Annotated, Callable, TypeVar

from fastapi import Depends, Request
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from archive import Actor, Archive, AuthenticationError
from api.container import Container
from api.settings import Settings
from intake import (
    Action, Caller, CaseActions, CaseReach, CaseService, Catalog, DeliveryService, DocumentService, FormService,
    IntakeServices, LicenceService, MetricsService, NoticeService, OcrJobs, ReadContext, WorkCalendar, allowed,
)
from intake.errors import ForbiddenError

T = TypeVar("T")


@dataclass(frozen=True)
class Principal:
    key_id: str
    name: str
    role: str
    scopes: tuple[str, ...]
    centre: str | None = None
    owner_code: str | None = None

    @property
    def actor(self) -> Actor:
        return Actor(name=self.name, role=self.role, key_id=self.key_id)

    @property
    def caller(self) -> Caller:
        return Caller(actor=self.actor, scopes=self.scopes, centre=self.centre, owner_code=self.owner_code)


def _container(request: Request) -> Container:
    return request.app.state.container


async def _settings(request: Request) -> Settings:
    return _container(request).settings


async def _engine(request: Request) -> Engine:
    return _container(request).engine


async def _archive(request: Request) -> Archive:
    return _container(request).archive


def _service(pick: Callable[[IntakeServices], T]) -> Callable[[Request], T]:
    """A dependency giving one intake service (``pick`` reads it off the built services)."""

    async def dependency(request: Request) -> T:
        return pick(_container(request).services)

    return dependency


SettingsDep = Annotated[Settings, Depends(_settings)]
EngineDep = Annotated[Engine, Depends(_engine)]
ArchiveDep = Annotated[Archive, Depends(_archive)]
Documents = Annotated[DocumentService, Depends(_service(lambda s: s.documents))]
Matters = Annotated[Catalog, Depends(_service(lambda s: s.desk.catalog))]
Calendar = Annotated[WorkCalendar, Depends(_service(lambda s: s.desk.calendar))]
Cases = Annotated[CaseService, Depends(_service(lambda s: s.desk.cases))]
Actions = Annotated[CaseActions, Depends(_service(lambda s: s.desk.actions))]
Forms = Annotated[FormService, Depends(_service(lambda s: s.desk.forms))]
Notices = Annotated[NoticeService, Depends(_service(lambda s: s.desk.notices))]
ReformMetrics = Annotated[MetricsService, Depends(_service(lambda s: s.desk.metrics))]
Licences = Annotated[LicenceService, Depends(_service(lambda s: s.licences))]
Delivery = Annotated[DeliveryService, Depends(_service(lambda s: s.delivery))]
Jobs = Annotated[OcrJobs, Depends(_service(lambda s: s.ocr_jobs))]
Reach = Annotated[CaseReach, Depends(_service(lambda s: s.desk.reach))]


async def upload_limit(settings: SettingsDep) -> int:
    return settings.max_upload_bytes


UploadLimit = Annotated[int, Depends(upload_limit)]


async def get_principal(request: Request, archive: ArchiveDep) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("missing Authorization: Bearer <key> header")
    token = token.strip()
    record = archive.keys.cached(token) or await run_in_threadpool(archive.keys.authenticate, token)
    # the display name (王小红) is what notices print as 经办人 and the audit log shows
    principal = Principal(key_id=record.id, name=record.shown_name, role=record.role, scopes=record.scopes,
                          centre=record.centre, owner_code=record.owner_code)
    request.state.principal = principal
    return principal


def require(action: Action) -> Callable[..., Principal]:
    """A dependency that authenticates and refuses (403) every role ``intake.permissions`` does not
    allow to do ``action``."""

    async def dependency(principal: Principal = Depends(get_principal)) -> Principal:
        if not allowed(principal.role, action):
            raise ForbiddenError(f"role {principal.role} may not do this")
        return principal

    return dependency


def require_case(action: Action) -> Callable[..., Principal]:
    """``require(action)``, then the case named by the path's ``{case_id}`` must be in the caller's
    reach (their centre's, or 全城通办 as the policy allows): else 404, exactly as for an unknown
    case. Every such request leaves an access-log row naming the case's owner."""

    def dependency(case_id: str, request: Request, reach: Reach,
                   principal: Principal = Depends(require(action))) -> Principal:
        reach.admit(case_id, caller=principal.caller, context=ReadContext(request_hash=request_hash(request)),
                    action="read_case" if request.method == "GET" else "work_case")
        return principal

    return dependency


def request_hash(request: Request) -> str:
    """A fingerprint of the request for the access log (method, path, query, caller, case, purpose)."""
    scope = request.scope  # what ``request.url`` would give for path and query, without building a URL
    path = scope["path"].replace("?", "%3F").replace("#", "%23").replace("\\", "%5C")
    parts = [
        request.method, path, scope.get("query_string", b"").decode(),
        request.headers.get("authorization", "").partition(" ")[2].split("_")[1:2].__str__(),
        request.headers.get("x-case-ref", ""), request.headers.get("x-purpose", ""),
        request.headers.get("x-request-id", ""),
    ]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


# -- kept for one release, for routes written against the old container (new routes use the above) --
async def get_container(request: Request) -> Container:
    """Deprecated: take the service you need (``cases: Cases``) instead of the container."""
    return _container(request)


def require_roles(*roles: str) -> Callable[..., Principal]:
    """Deprecated: ``require(Action.X)`` reads who may do what from ``intake.permissions``."""

    async def dependency(principal: Principal = Depends(get_principal)) -> Principal:
        if principal.role not in roles:
            raise ForbiddenError(f"role {principal.role} may not do this")
        return principal

    return dependency
