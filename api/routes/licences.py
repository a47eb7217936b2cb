"""Licences: issue (from an approved case or imported data), look up, download, revoke, supersede."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from api.container import Container
from api.deps import Principal, get_container, require_roles
from intake.licences import IssuedLicence, LicenceService
from intake.licences.casework import issue_case_licence, plan_case_licence

router = APIRouter(prefix="/api/v1/licences", tags=["licences"])

ISSUERS = ("approver", "admin")
READERS = ("clerk", "approver", "admin", "system")


class IssueIn(BaseModel):
    type: str = Field(min_length=1, max_length=64, description="template id, e.g. food_business")
    data: dict[str, Any]
    case_id: str | None = Field(default=None, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")
    evidence: list[str] = Field(default_factory=list, max_length=100, description="archive document ids")
    authority_code: str | None = Field(default=None, max_length=32)
    supersedes: list[str] = Field(default_factory=list, max_length=20)


class RevokeIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


class SupersedeIn(BaseModel):
    by: str = Field(min_length=1, max_length=120, description="identifier of the replacing licence")


def licence_json(lic: IssuedLicence, today: Any = None) -> dict[str, Any]:
    return {
        "identifier": lic.identifier, "number": lic.number, "type": lic.template_id, "name": lic.name,
        "holder": {"name": lic.holder_name, "code": lic.holder_code},
        "authority": {"name": lic.authority_name, "code": lic.authority_code},
        "issue_date": lic.issue_date.isoformat(), "valid_from": lic.valid_from.isoformat(),
        "valid_until": lic.valid_until.isoformat() if lic.valid_until else None,
        "status": lic.effective_status(today) if today else lic.status, "status_reason": lic.status_reason,
        "superseded_by": lic.superseded_by, "sha256": lic.sha256, "document_id": lic.document_id,
        "case_id": lic.case_id, "evidence": list(lic.evidence), "permits": list(lic.permit_numbers),
        "issued_by": lic.issued_by, "created_at": lic.created_at.isoformat(), "warnings": list(lic.warnings),
    }


def _service(container: Container = Depends(get_container)) -> LicenceService:
    return container.licences


@router.get("/types")
def list_types(service: Annotated[LicenceService, Depends(_service)]) -> list[dict[str, Any]]:
    """Template ids that can be issued (no authentication: this is public information)."""
    return service.types()


@router.get("/types/{template_id}/example")
def example(template_id: str, service: Annotated[LicenceService, Depends(_service)]) -> dict[str, Any]:
    return service.example(template_id)


@router.get("/draft")
def draft(case_id: Annotated[str, Query(max_length=64)], type: Annotated[str, Query(max_length=80)],
          service: Annotated[LicenceService, Depends(_service)], container: Annotated[Container, Depends(get_container)],
          _: Annotated[Principal, Depends(require_roles(*ISSUERS))]) -> dict[str, Any]:
    """The licence the case would get: values it gives (and from where), fields still to ask, the authority."""
    plan = plan_case_licence(service, container.cases, container.cases.get(case_id), type, {})
    return {"case_id": case_id, "type": type, "data": plan.draft.data, "sources": plan.draft.sources,
            "missing": list(plan.draft.missing), "authority": {"code": plan.authority_code, "name": plan.authority_name},
            "warnings": list(plan.warnings)}


@router.post("", status_code=201)
def issue(body: IssueIn, service: Annotated[LicenceService, Depends(_service)],
          container: Annotated[Container, Depends(get_container)],
          principal: Annotated[Principal, Depends(require_roles(*ISSUERS))]) -> dict[str, Any]:
    if body.case_id and container.cases is not None:  # the case must be approved; it becomes issued
        lic, plan = issue_case_licence(service, container.cases, body.case_id, body.type, body.data,
                                       actor=principal.actor, evidence=body.evidence,
                                       authority_code=body.authority_code, supersedes=body.supersedes)
        body = licence_json(lic, service.today())
        body["warnings"] += [w["message_en"] for w in plan.warnings]
        return body | {"case_warnings": list(plan.warnings), "sources": plan.draft.sources}
    elif body.case_id:
        lic = service.issue_for_case(body.case_id, body.type, body.data, actor=principal.actor,
                                     evidence=body.evidence, authority_code=body.authority_code,
                                     supersedes=body.supersedes)
    else:
        lic = service.issue(body.type, body.data, actor=principal.actor, evidence=body.evidence,
                            authority_code=body.authority_code, supersedes=body.supersedes)
    return licence_json(lic, service.today())


@router.get("")
def list_licences(service: Annotated[LicenceService, Depends(_service)],
                  _: Annotated[Principal, Depends(require_roles(*READERS))],
                  holder_code: Annotated[str | None, Query(max_length=32)] = None,
                  case_id: Annotated[str | None, Query(max_length=64)] = None,
                  limit: Annotated[int, Query(ge=1, le=500)] = 50,
                  offset: Annotated[int, Query(ge=0)] = 0) -> list[dict[str, Any]]:
    today = service.today()
    return [licence_json(lic, today) for lic in
            service.list(holder_code=holder_code, case_id=case_id, limit=limit, offset=offset)]


@router.get("/{identifier}")
def get_licence(identifier: str, service: Annotated[LicenceService, Depends(_service)],
                _: Annotated[Principal, Depends(require_roles(*READERS))]) -> dict[str, Any]:
    return licence_json(service.get(identifier), service.today())


@router.get("/{identifier}/content")
def content(identifier: str, service: Annotated[LicenceService, Depends(_service)],
            principal: Annotated[Principal, Depends(require_roles(*READERS))]) -> Response:
    """The signed PDF exactly as issued (every read is in the archive's access log)."""
    lic = service.get(identifier)
    data = service.content(identifier, actor=principal.actor)
    return Response(data, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="licence-{lic.number.encode("ascii", "ignore").decode() or "file"}.pdf"',
        "X-Content-SHA256": lic.sha256,
    })


@router.post("/{identifier}/revoke")
def revoke(identifier: str, body: RevokeIn, service: Annotated[LicenceService, Depends(_service)],
           principal: Annotated[Principal, Depends(require_roles(*ISSUERS))]) -> dict[str, Any]:
    return licence_json(service.revoke(identifier, reason=body.reason, actor=principal.actor), service.today())


@router.post("/{identifier}/supersede")
def supersede(identifier: str, body: SupersedeIn, service: Annotated[LicenceService, Depends(_service)],
              principal: Annotated[Principal, Depends(require_roles(*ISSUERS))]) -> dict[str, Any]:
    return licence_json(service.supersede(identifier, by=body.by, actor=principal.actor), service.today())
