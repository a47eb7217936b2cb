"""Cases (办件): open, read, collect materials, fill the form, decide, print notices.

Clerks act on cases; approvers approve or reject; ``system`` keys, couriers and applicants do not
see cases at all (403). A clerk or approver reaches only their own service centre's cases (and
全城通办 ones as the policy allows): any other answers 404 like an unknown case
(``intake.cases.centres``). Routes only translate HTTP to the case desk and back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from api.deps import Actions, Cases, Forms, Notices, Principal, Reach, require, require_case
from api.headers import Context
from api.paging import Page
from api.schemas import (
    AUTH, CaseListOut, CaseOut, CaseWithNoticeOut, FormOut, OverdueOut, binary, case_json, form_json, notice_json,
    problems, responses,
)
from intake import Action

router = APIRouter(prefix="/api/v1/cases", tags=["cases"], responses=problems(*AUTH))

VIEWERS = Depends(require(Action.CASE_READ))
CLERKS = Depends(require(Action.CASE_WORK))
# routes on one case: the grant, then the case's centre (404 out of reach; audited)
CASE_VIEWERS = Depends(require_case(Action.CASE_READ))
CASE_CLERKS = Depends(require_case(Action.CASE_WORK))
CASE_APPROVERS = Depends(require_case(Action.CASE_DECIDE))


class OverrideIn(BaseModel):
    code: str = Field(min_length=1, max_length=64)
    material_id: str | None = Field(default=None, max_length=80)
    doc_id: str | None = Field(default=None, max_length=64)
    field: str | None = Field(default=None, max_length=80)
    reason: str = Field(min_length=1, max_length=1000)


class CaseIn(BaseModel):
    matter_id: str = Field(min_length=1, max_length=80)
    owner_code: str = Field(min_length=1, max_length=40)
    owner_code_type: str | None = Field(default=None, pattern="^(uscc|id_card)$")
    applicant_name: str = Field(default="", max_length=200)
    contact_phone: str = Field(default="", max_length=40)
    officer_phone: str = Field(default="", max_length=40)
    visits: int = Field(default=1, ge=0, le=100)


class AttachIn(BaseModel):
    doc_id: str = Field(min_length=1, max_length=64)


class ReasonIn(BaseModel):
    reason: str = Field(default="", max_length=1000)


class DeficiencyIn(ReasonIn):
    supplement_days: int | None = Field(default=None, ge=1, le=60)


class FormIn(BaseModel):
    values: dict[str, str] = Field(max_length=100)


class ResolveIn(BaseModel):
    value: str = Field(min_length=1, max_length=2000)


@router.post("", status_code=201, response_model=CaseOut, responses=problems(404))
def create_case(body: CaseIn, cases: Cases, actions: Actions, who: Principal = CLERKS) -> dict[str, Any]:
    case = cases.create(
        matter_id=body.matter_id, owner_code=body.owner_code, owner_code_type=body.owner_code_type,
        actor=who.actor, applicant_name=body.applicant_name, contact_phone=body.contact_phone,
        officer_phone=body.officer_phone, visits=body.visits, centre=who.centre,
    )
    return case_json(actions.report(case, role=who.role))


@router.get("", response_model=CaseListOut, responses=problems(400))
def list_cases(
    actions: Actions, page: Page,
    state: str | None = Query(default=None, max_length=32), matter_id: str | None = Query(default=None, max_length=80),
    department_id: str | None = Query(default=None, max_length=80),
    owner_code: str | None = Query(default=None, max_length=40),
    centre: str | None = Query(default=None, max_length=64, description="the service centre's cases (admin; "
                               "a clerk or approver sees their own centre's anyway)"),
    received_from: dt.date | None = Query(default=None, alias="from", description="received on or after (收件日期)"),
    received_to: dt.date | None = Query(default=None, alias="to", description="received on or before"),
    q: str | None = Query(default=None, max_length=100, description="part of the applicant's name or case number"),
    *, reach: Reach, context: Context, who: Principal = VIEWERS,
) -> dict[str, Any]:
    found = reach.list(caller=who.caller, context=context, centre=centre, state=state, matter_id=matter_id,
                       department_id=department_id, owner_code=owner_code, received_from=received_from,
                       received_to=received_to, text=q, limit=page.limit, offset=page.offset)
    return {"cases": [case_json(actions.report(c, detail=False)) for c in found]}


@router.get("/overdue", response_model=OverdueOut, responses=problems(400))
def overdue_supplements(cases: Cases, actions: Actions, reach: Reach, context: Context, on: dt.date | None = None,
                        who: Principal = VIEWERS) -> dict[str, Any]:
    """Cases accepted under 容缺受理 whose supplement deadline has passed (of the caller's reach)."""
    day = on or cases.today()
    found = reach.list(caller=who.caller, context=context, overdue_on=day, limit=500)
    return {"on": day.isoformat(), "cases": [case_json(actions.report(c, detail=False)) for c in found]}


@router.get("/{case_id}", response_model=CaseOut, responses=problems(404))
def get_case(case_id: str, cases: Cases, actions: Actions, who: Principal = CASE_VIEWERS) -> dict[str, Any]:
    return case_json(actions.report(cases.get(case_id), role=who.role))


@router.post("/{case_id}/documents", response_model=CaseOut, responses=problems(404, 409))
def hand_in_document(case_id: str, body: AttachIn, cases: Cases, actions: Actions,
                     who: Principal = CASE_CLERKS) -> dict[str, Any]:
    """Attach a document to the first still-missing material its type (declared or OCR-detected) fits."""
    return case_json(actions.report(cases.attach_document(case_id, None, body.doc_id, who.actor), role=who.role))


@router.post("/{case_id}/materials/{material_id}", response_model=CaseOut, responses=problems(404, 409))
def attach_document(case_id: str, material_id: str, body: AttachIn, cases: Cases, actions: Actions,
                    who: Principal = CASE_CLERKS) -> dict[str, Any]:
    return case_json(actions.report(cases.attach_document(case_id, material_id, body.doc_id, who.actor), role=who.role))


@router.post("/{case_id}/materials/{material_id}/reject", response_model=CaseOut, responses=problems(404, 409))
def reject_material(case_id: str, material_id: str, body: ReasonIn, cases: Cases, actions: Actions,
                    who: Principal = CASE_CLERKS) -> dict[str, Any]:
    return case_json(actions.report(cases.reject_material(case_id, material_id, who.actor, body.reason), role=who.role))


@router.post("/{case_id}/visits", response_model=CaseOut, responses=problems(404, 409))
def record_visit(case_id: str, cases: Cases, actions: Actions, who: Principal = CASE_CLERKS) -> dict[str, Any]:
    """The applicant came to the window (again): counted for 零次跑率."""
    return case_json(actions.report(cases.record_visit(case_id, who.actor), role=who.role))


@router.post("/{case_id}/reuse", response_model=CaseOut, responses=problems(404, 409))
def refresh_reuse(case_id: str, cases: Cases, actions: Actions, who: Principal = CASE_CLERKS) -> dict[str, Any]:
    """一证通办 again: documents archived since the case was opened satisfy what is still missing."""
    return case_json(actions.report(cases.refresh_reuse(case_id, who.actor), role=who.role))


@router.get("/{case_id}/form", response_model=FormOut, responses=problems(404))
def get_form(case_id: str, forms: Forms, _: Principal = CASE_VIEWERS) -> dict[str, Any]:
    return form_json(forms.form(case_id))


@router.put("/{case_id}/form", response_model=FormOut, responses=problems(404, 409))
def set_form_values(case_id: str, body: FormIn, forms: Forms, who: Principal = CASE_CLERKS) -> dict[str, Any]:
    return form_json(forms.set_values(case_id, body.values, who.actor))


@router.post("/{case_id}/form/{field}/resolve", response_model=FormOut, responses=problems(404, 409))
def resolve_conflict(case_id: str, field: str, body: ResolveIn, forms: Forms,
                     who: Principal = CASE_CLERKS) -> dict[str, Any]:
    return form_json(forms.resolve(case_id, field, body.value, who.actor))


@router.post("/{case_id}/accept", response_model=CaseOut, responses=problems(404, 409))
def accept(case_id: str, actions: Actions, body: ReasonIn | None = None, who: Principal = CASE_CLERKS) -> dict[str, Any]:
    return case_json(actions.report(actions.accept(case_id, who.actor, body.reason if body else ""), role=who.role))


@router.post("/{case_id}/accept-with-deficiency", response_model=CaseWithNoticeOut,
             responses=problems(404, 409, 503))
def accept_with_deficiency(case_id: str, actions: Actions, body: DeficiencyIn | None = None,
                           who: Principal = CASE_CLERKS) -> dict[str, Any]:
    body = body or DeficiencyIn()
    case, notice = actions.accept_with_deficiency(case_id, who.actor, supplement_days=body.supplement_days,
                                                  reason=body.reason)
    return {"case": case_json(actions.report(case, role=who.role)), "notice": notice_json(notice)}


@router.post("/{case_id}/notice", response_model=CaseWithNoticeOut, responses=problems(404, 409, 503))
def issue_notice(case_id: str, actions: Actions, body: ReasonIn | None = None,
                 who: Principal = CASE_CLERKS) -> dict[str, Any]:
    case, notice = actions.issue_notice(case_id, who.actor, body.reason if body else "")
    return {"case": case_json(actions.report(case, role=who.role)), "notice": notice_json(notice)}


@router.get("/{case_id}/notices/{notice_id}/pdf", response_class=Response,
            responses=responses(binary("application/pdf", description="the archived notice"), 404, 503))
def notice_pdf(case_id: str, notice_id: str, notices: Notices, who: Principal = CASE_VIEWERS) -> Response:
    notice, pdf = notices.pdf_for_case(case_id, notice_id, actor=who.actor)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="notice-{notice_id}.pdf"'})


@router.post("/{case_id}/approve", response_model=CaseOut, responses=problems(404, 409))
def approve(case_id: str, actions: Actions, body: ReasonIn | None = None, who: Principal = CASE_APPROVERS) -> dict[str, Any]:
    return case_json(actions.report(actions.approve(case_id, who.actor, body.reason if body else ""), role=who.role))


@router.post("/{case_id}/checks/override", response_model=CaseOut, responses=problems(404, 409))
def override_check(case_id: str, body: OverrideIn, cases: Cases, actions: Actions,
                   who: Principal = CASE_APPROVERS) -> dict[str, Any]:
    """An approver accepts one named blocking finding, with a reason (kept and shown on the case)."""
    actions.checks.override(case_id, code=body.code, material_id=body.material_id, doc_id=body.doc_id,
                            field=body.field, reason=body.reason, actor=who.actor)
    return case_json(actions.report(cases.get(case_id), role=who.role))


@router.post("/{case_id}/reject", response_model=CaseOut, responses=problems(404, 409))
def reject(case_id: str, body: ReasonIn, actions: Actions, who: Principal = CASE_APPROVERS) -> dict[str, Any]:
    return case_json(actions.report(actions.reject(case_id, who.actor, body.reason), role=who.role))


@router.post("/{case_id}/withdraw", response_model=CaseOut, responses=problems(404, 409))
def withdraw(case_id: str, actions: Actions, body: ReasonIn | None = None, who: Principal = CASE_CLERKS) -> dict[str, Any]:
    return case_json(actions.report(actions.withdraw(case_id, who.actor, body.reason if body else ""), role=who.role))
