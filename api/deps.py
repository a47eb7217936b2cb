"""FastAPI dependencies: each intake service as an ``Annotated`` type, the principal, permissions.

Routes declare what they need (``cases: Cases``, ``who: Principal = Depends(require(...))``) and
never see the container; the container lives on ``app.state`` and is read here only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Annotated, Callable

from fastapi import Depends, Request
from sqlalchemy import Engine

from archive import Actor, Archive, AuthenticationError
from api.container import Container
from api.settings import Settings
from intake import (
    Action, Caller, CaseActions, CaseService, Catalog, DeliveryService, DocumentService, FormService,
    LicenceService, MetricsService, NoticeService, OcrJobs, WorkCalendar, allowed,
)
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


def _container(request: Request) -> Container:
    return request.app.state.container


def _settings(request: Request) -> Settings:
    return _container(request).settings


def _engine(request: Request) -> Engine:
    return _container(request).engine


def _archive(request: Request) -> Archive:
    return _container(request).archive


def _documents(request: Request) -> DocumentService:
    return _container(request).services.documents


def _catalog(request: Request) -> Catalog:
    return _container(request).services.catalog


def _calendar(request: Request) -> WorkCalendar:
    return _container(request).services.calendar


def _cases(request: Request) -> CaseService:
    return _container(request).services.cases


def _actions(request: Request) -> CaseActions:
    return _container(request).services.actions


def _forms(request: Request) -> FormService:
    return _container(request).services.forms


def _notices(request: Request) -> NoticeService:
    return _container(request).services.notices


def _metrics(request: Request) -> MetricsService:
    return _container(request).services.metrics


def _licences(request: Request) -> LicenceService:
    return _container(request).services.licences


def _delivery(request: Request) -> DeliveryService:
    return _container(request).services.delivery


def _ocr_jobs(request: Request) -> OcrJobs:
    return _container(request).services.ocr_jobs


SettingsDep = Annotated[Settings, Depends(_settings)]
EngineDep = Annotated[Engine, Depends(_engine)]
ArchiveDep = Annotated[Archive, Depends(_archive)]
Documents = Annotated[DocumentService, Depends(_documents)]
Matters = Annotated[Catalog, Depends(_catalog)]
Calendar = Annotated[WorkCalendar, Depends(_calendar)]
Cases = Annotated[CaseService, Depends(_cases)]
Actions = Annotated[CaseActions, Depends(_actions)]
Forms = Annotated[FormService, Depends(_forms)]
Notices = Annotated[NoticeService, Depends(_notices)]
ReformMetrics = Annotated[MetricsService, Depends(_metrics)]
Licences = Annotated[LicenceService, Depends(_licences)]
Delivery = Annotated[DeliveryService, Depends(_delivery)]
Jobs = Annotated[OcrJobs, Depends(_ocr_jobs)]


def upload_limit(settings: SettingsDep) -> int:
    return settings.max_upload_bytes


UploadLimit = Annotated[int, Depends(upload_limit)]


def get_principal(request: Request, archive: ArchiveDep) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("missing Authorization: Bearer <key> header")
    record = archive.keys.authenticate(token.strip())
    principal = Principal(key_id=record.id, name=record.name, role=record.role, scopes=record.scopes)
    request.state.principal = principal
    return principal


def require(action: Action) -> Callable[..., Principal]:
    """A dependency that authenticates and refuses (403) every role ``intake.permissions`` does not
    allow to do ``action``."""

    def dependency(principal: Principal = Depends(get_principal)) -> Principal:
        if not allowed(principal.role, action):
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
