"""Licences: issue (from an approved case or imported data), look up, download, revoke, supersede."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from api.deps import Cases, Licences, Principal, Reach, require
from api.headers import Context
from api.paging import Page
from api.schemas import (
    AUTH, LicenceDraftOut, LicenceOut, LicenceTypeOut, binary, licence_json, problems, responses,
)
from intake import Action, issue_case_licence, licence_content_for, licence_for, licences_for, plan_case_licence

router = APIRouter(prefix="/api/v1/licences", tags=["licences"])

ISSUER = Annotated[Principal, Depends(require(Action.LICENCE_ISSUE))]
READER = Annotated[Principal, Depends(require(Action.LICENCE_READ))]


class IssueIn(BaseModel):
    type: str = Field(min_length=1, max_length=64, description="template id, e.g. food_business")
    data: dict[str, Any]
    case_id: str | None = Field(default=None, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")
    evidence: list[str] = Field(default_factory=list, max_length=100, description="archive document ids")
    authority_code: str | None = Field(default=None, max_length=32)
    supersedes: list[str] = Field(default_factory=list, max_length=20)
    format: Literal["pdf", "ofd"] = Field(default="pdf", description="pdf (PAdES) or ofd (GB/T 33190, SM2 seal)")


class RevokeIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


class SupersedeIn(BaseModel):
    by: str = Field(min_length=1, max_length=120, description="identifier of the replacing licence")


@router.get("/types", response_model=list[LicenceTypeOut], responses=problems())
def list_types(service: Licences) -> list[dict[str, Any]]:
    """Template ids that can be issued (no authentication: this is public information)."""
    return service.types()


@router.get("/types/{template_id}/example", response_model=dict[str, Any], responses=problems(404))
def example(template_id: str, service: Licences) -> dict[str, Any]:
    return service.example(template_id)


@router.get("/draft", response_model=LicenceDraftOut, responses=problems(*AUTH, 400, 404))
def draft(case_id: Annotated[str, Query(max_length=64)], type: Annotated[str, Query(max_length=80)],
          service: Licences, cases: Cases, reach: Reach, context: Context, who: ISSUER) -> dict[str, Any]:
    """The licence the case would get: values it gives (and from where), fields still to ask, the authority."""
    case = reach.open(case_id, caller=who.caller, context=context)  # the caller's centre's (404 otherwise)
    plan = plan_case_licence(service, cases, case, type, {})
    labels = {f.key: f.label for f in service.templates.get(type).fields}
    return {"case_id": case_id, "type": type, "labels": labels, "data": plan.draft.data, "sources": plan.draft.sources,
            "missing": list(plan.draft.missing), "authority": {"code": plan.authority_code, "name": plan.authority_name},
            "warnings": list(plan.warnings)}


@router.post("", status_code=201, response_model=LicenceOut, responses=problems(*AUTH, 400, 404, 409, 503))
def issue(body: IssueIn, service: Licences,
          cases: Cases, reach: Reach, context: Context, principal: ISSUER) -> dict[str, Any]:
    if body.case_id:  # the case must be approved; it becomes issued; the licence is made from the case
        reach.open(body.case_id, caller=principal.caller, context=context, action="work_case")
        lic, plan = issue_case_licence(service, cases, body.case_id, body.type, body.data,
                                       actor=principal.actor, evidence=body.evidence,
                                       authority_code=body.authority_code, supersedes=body.supersedes,
                                       format=body.format)
        out = licence_json(lic, service.today())
        out["warnings"] += [w["message_en"] for w in plan.warnings]
        return out | {"case_warnings": list(plan.warnings), "sources": plan.draft.sources}
    else:
        lic = service.issue(body.type, body.data, actor=principal.actor, evidence=body.evidence,
                            authority_code=body.authority_code, supersedes=body.supersedes, format=body.format)
    return licence_json(lic, service.today())


@router.get("", response_model=list[LicenceOut], responses=problems(*AUTH, 400))
def list_licences(service: Licences, principal: READER, context: Context, page: Page,
                  holder_code: Annotated[str | None, Query(max_length=32)] = None,
                  case_id: Annotated[str | None, Query(max_length=64)] = None) -> list[dict[str, Any]]:
    today = service.today()
    return [licence_json(lic, today) for lic in
            licences_for(service, caller=principal.caller, context=context, holder_code=holder_code,
                         case_id=case_id, limit=page.limit, offset=page.offset)]


@router.get("/{identifier}", response_model=LicenceOut, responses=problems(*AUTH, 400, 404))
def get_licence(identifier: str, service: Licences, principal: READER, context: Context) -> dict[str, Any]:
    return licence_json(licence_for(service, identifier, caller=principal.caller, context=context), service.today())


@router.get("/{identifier}/content", response_class=Response,
            responses=responses(binary("application/pdf", "application/ofd",
                                       description="the signed PDF (or sealed OFD) as issued"), *AUTH, 400, 404, 503))
def content(identifier: str, service: Licences, principal: READER, context: Context) -> Response:
    """The signed PDF (or sealed OFD) exactly as issued (every read is in the archive's access log)."""
    lic, data = licence_content_for(service, identifier, caller=principal.caller, context=context)
    ext, media = ("ofd", "application/ofd") if data[:4] == b"PK\x03\x04" else ("pdf", "application/pdf")
    return Response(data, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="licence-{lic.number.encode("ascii", "ignore").decode() or "file"}.{ext}"',
        "X-Content-SHA256": lic.sha256,
    })


@router.post("/{identifier}/revoke", response_model=LicenceOut, responses=problems(*AUTH, 404, 409))
def revoke(identifier: str, body: RevokeIn, service: Licences,
           principal: ISSUER) -> dict[str, Any]:
    return licence_json(service.revoke(identifier, reason=body.reason, actor=principal.actor), service.today())


@router.post("/{identifier}/supersede", response_model=LicenceOut, responses=problems(*AUTH, 404, 409))
def supersede(identifier: str, body: SupersedeIn, service: Licences,
              principal: ISSUER) -> dict[str, Any]:
    return licence_json(service.supersede(identifier, by=body.by, actor=principal.actor), service.today())
