"""Cases (办件): open, read, collect materials, fill the form, decide, print notices.

Clerks act on cases; approvers approve or reject; ``system`` keys, couriers and applicants do not
see cases at all (403). Routes only translate HTTP to the case desk and back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, Query, Response
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, Field

from api.container import Container
from api.deps import Principal, get_container, require_roles
from intake.cases import STATE_ZH, CaseView, allowed_actions
from intake.cases.desk import CaseDesk
from intake.decision import Decision, notice_due
from intake.errors import NoticeNotFoundError
from intake.notices import NoticeView
from intake.prefill import FilledField

router = APIRouter(prefix="/api/v1/cases", tags=["cases"])

VIEWERS = ("clerk", "approver", "admin")
CLERKS = ("clerk", "admin")
APPROVERS = ("approver", "admin")


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


class OverrideIn(BaseModel):
    code: str = Field(min_length=1, max_length=64)
    material_id: str | None = Field(default=None, max_length=80)
    doc_id: str | None = Field(default=None, max_length=64)
    field: str | None = Field(default=None, max_length=80)
    reason: str = Field(min_length=1, max_length=1000)


def _desk(container: Container) -> CaseDesk:
    return container.desk


def decision_json(decision: Decision) -> dict[str, Any]:
    return {
        "outcome": decision.outcome,
        "missing_main": [m.id for m in decision.missing_main],
        "missing_secondary": [m.id for m in decision.missing_secondary],
        "deficiency_allowed": decision.deficiency_allowed,
        "deadline": decision.deadline.isoformat() if decision.deadline else None,
    }


def case_json(desk: CaseDesk, case: CaseView, *, detail: bool = True, role: str | None = None) -> dict[str, Any]:
    body = jsonable_encoder(asdict(case))
    body["state_zh"] = STATE_ZH.get(case.state, case.state)
    body["warnings"] = (
        [{"code": "owner_code_check_failed", "message_zh": "申请人代码校验位不符，请核对",
          "message_en": "the applicant's code fails its check character; verify it"}]
        if case.owner_code_warning else []
    )
    # until accepted or told what is missing, the 5-day limit of 行政许可法 art. 32(4) runs
    body["notice_due"] = (notice_due(case.received_on, desk.calendar).isoformat()
                          if case.state in ("created", "collecting") else None)
    if detail:
        decision = desk.actions.decision_for(case)
        review = desk.checks.review(case)  # recomputed on every read: follows every document and form change
        body["decision"] = decision_json(decision)
        body["notices"] = [notice_json(n) for n in desk.notices.for_case(case.id)]
        body["checks"] = review.to_list()
        body["checks_open"] = [f.key for f in review.open]
        body["overrides"] = jsonable_encoder([asdict(o) for o in review.overrides])
        if role is not None:
            body["allowed_actions"] = list(allowed_actions(case.state, role, decision, open_blocking=len(review.open)))
    return body


def notice_json(notice: NoticeView) -> dict[str, Any]:
    return jsonable_encoder(asdict(notice))


def form_json(fields: tuple[FilledField, ...]) -> dict[str, Any]:
    out = []
    for f in fields:
        item = jsonable_encoder(asdict(f))
        item["needs_attention"] = f.needs_attention
        item["low_confidence"] = f.low_confidence
        out.append(item)
    return {"fields": out, "conflicts": [f.name for f in fields if f.conflict and not f.resolved],
            "invalid": [f.name for f in fields if f.valid is False]}


@router.post("", status_code=201)
def create_case(body: CaseIn, container: Container = Depends(get_container),
                who: Principal = Depends(require_roles(*CLERKS))) -> dict[str, Any]:
    desk = _desk(container)
    case = desk.cases.create(
        matter_id=body.matter_id, owner_code=body.owner_code, owner_code_type=body.owner_code_type,
        actor=who.actor, applicant_name=body.applicant_name, contact_phone=body.contact_phone,
        officer_phone=body.officer_phone, visits=body.visits,
    )
    return case_json(desk, case, role=who.role)


@router.get("")
def list_cases(
    state: str | None = Query(default=None, max_length=32), matter_id: str | None = Query(default=None, max_length=80),
    department_id: str | None = Query(default=None, max_length=80),
    owner_code: str | None = Query(default=None, max_length=40),
    limit: int = Query(default=50, ge=1, le=500), offset: int = Query(default=0, ge=0),
    container: Container = Depends(get_container), _: Principal = Depends(require_roles(*VIEWERS)),
) -> dict[str, Any]:
    desk = _desk(container)
    cases = desk.cases.list(state=state, matter_id=matter_id, department_id=department_id, owner_code=owner_code,
                            limit=limit, offset=offset)
    return {"cases": [case_json(desk, c, detail=False) for c in cases]}


@router.get("/overdue")
def overdue_supplements(on: dt.date | None = None, container: Container = Depends(get_container),
                        _: Principal = Depends(require_roles(*VIEWERS))) -> dict[str, Any]:
    """Cases accepted under 容缺受理 whose supplement deadline has passed."""
    desk = _desk(container)
    day = on or desk.cases.today()
    cases = desk.cases.list(overdue_on=day, limit=500)
    return {"on": day.isoformat(), "cases": [case_json(desk, c, detail=False) for c in cases]}


@router.get("/{case_id}")
def get_case(case_id: str, container: Container = Depends(get_container),
             _: Principal = Depends(require_roles(*VIEWERS))) -> dict[str, Any]:
    desk = _desk(container)
    return case_json(desk, desk.cases.get(case_id), role=who.role)


@router.post("/{case_id}/documents")
def hand_in_document(case_id: str, body: AttachIn, container: Container = Depends(get_container),
                     who: Principal = Depends(require_roles(*CLERKS))) -> dict[str, Any]:
    """Attach a document to the first still-missing material its type (declared or OCR-detected) fits."""
    desk = _desk(container)
    return case_json(desk, desk.cases.attach_document(case_id, None, body.doc_id, who.actor), role=who.role)


@router.post("/{case_id}/materials/{material_id}")
def attach_document(case_id: str, material_id: str, body: AttachIn, container: Container = Depends(get_container),
                    who: Principal = Depends(require_roles(*CLERKS))) -> dict[str, Any]:
    desk = _desk(container)
    return case_json(desk, desk.cases.attach_document(case_id, material_id, body.doc_id, who.actor), role=who.role)


@router.post("/{case_id}/materials/{material_id}/reject")
def reject_material(case_id: str, material_id: str, body: ReasonIn, container: Container = Depends(get_container),
                    who: Principal = Depends(require_roles(*CLERKS))) -> dict[str, Any]:
    desk = _desk(container)
    return case_json(desk, desk.cases.reject_material(case_id, material_id, who.actor, body.reason), role=who.role)


@router.post("/{case_id}/visits")
def record_visit(case_id: str, container: Container = Depends(get_container),
                 who: Principal = Depends(require_roles(*CLERKS))) -> dict[str, Any]:
    """The applicant came to the window (again): counted for 零次跑率."""
    desk = _desk(container)
    return case_json(desk, desk.cases.record_visit(case_id, who.actor), role=who.role)


@router.post("/{case_id}/reuse")
def refresh_reuse(case_id: str, container: Container = Depends(get_container),
                  who: Principal = Depends(require_roles(*CLERKS))) -> dict[str, Any]:
    """一证通办 again: documents archived since the case was opened satisfy what is still missing."""
    desk = _desk(container)
    return case_json(desk, desk.cases.refresh_reuse(case_id, who.actor), role=who.role)


@router.get("/{case_id}/form")
def get_form(case_id: str, container: Container = Depends(get_container),
             _: Principal = Depends(require_roles(*VIEWERS))) -> dict[str, Any]:
    return form_json(_desk(container).forms.form(case_id))


@router.put("/{case_id}/form")
def set_form_values(case_id: str, body: FormIn, container: Container = Depends(get_container),
                    who: Principal = Depends(require_roles(*CLERKS))) -> dict[str, Any]:
    return form_json(_desk(container).forms.set_values(case_id, body.values, who.actor))


@router.post("/{case_id}/form/{field}/resolve")
def resolve_conflict(case_id: str, field: str, body: ResolveIn, container: Container = Depends(get_container),
                     who: Principal = Depends(require_roles(*CLERKS))) -> dict[str, Any]:
    return form_json(_desk(container).forms.resolve(case_id, field, body.value, who.actor))


@router.post("/{case_id}/accept")
def accept(case_id: str, body: ReasonIn | None = None, container: Container = Depends(get_container),
           who: Principal = Depends(require_roles(*CLERKS))) -> dict[str, Any]:
    desk = _desk(container)
    return case_json(desk, desk.actions.accept(case_id, who.actor, body.reason if body else ""), role=who.role)


@router.post("/{case_id}/accept-with-deficiency")
def accept_with_deficiency(case_id: str, body: DeficiencyIn | None = None,
                           container: Container = Depends(get_container),
                           who: Principal = Depends(require_roles(*CLERKS))) -> dict[str, Any]:
    desk = _desk(container)
    body = body or DeficiencyIn()
    case, notice = desk.actions.accept_with_deficiency(case_id, who.actor, supplement_days=body.supplement_days,
                                                       reason=body.reason)
    return {"case": case_json(desk, case, role=who.role), "notice": notice_json(notice)}


@router.post("/{case_id}/notice")
def issue_notice(case_id: str, body: ReasonIn | None = None, container: Container = Depends(get_container),
                 who: Principal = Depends(require_roles(*CLERKS))) -> dict[str, Any]:
    desk = _desk(container)
    case, notice = desk.actions.issue_notice(case_id, who.actor, body.reason if body else "")
    return {"case": case_json(desk, case, role=who.role), "notice": notice_json(notice)}


@router.get("/{case_id}/notices/{notice_id}/pdf")
def notice_pdf(case_id: str, notice_id: str, container: Container = Depends(get_container),
               who: Principal = Depends(require_roles(*VIEWERS))) -> Response:
    desk = _desk(container)
    notice = desk.notices.get(notice_id)
    if notice is None or notice.case_id != case_id:
        raise NoticeNotFoundError(f"case {case_id} has no notice {notice_id}", notice=notice_id)
    pdf = container.archive.read(notice.doc_id, actor=who.actor, case_ref=case_id, purpose=f"打印告知书 {notice.number}")
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="notice-{notice_id}.pdf"'})


@router.post("/{case_id}/approve")
def approve(case_id: str, body: ReasonIn | None = None, container: Container = Depends(get_container),
            who: Principal = Depends(require_roles(*APPROVERS))) -> dict[str, Any]:
    desk = _desk(container)
    return case_json(desk, desk.actions.approve(case_id, who.actor, body.reason if body else ""), role=who.role)


@router.post("/{case_id}/checks/override")
def override_check(case_id: str, body: OverrideIn, container: Container = Depends(get_container),
                   who: Principal = Depends(require_roles(*APPROVERS))) -> dict[str, Any]:
    """An approver accepts one named blocking finding, with a reason (kept and shown on the case)."""
    desk = _desk(container)
    desk.checks.override(case_id, code=body.code, material_id=body.material_id, doc_id=body.doc_id,
                         field=body.field, reason=body.reason, actor=who.actor)
    return case_json(desk, desk.cases.get(case_id), role=who.role)


@router.post("/{case_id}/reject")
def reject(case_id: str, body: ReasonIn, container: Container = Depends(get_container),
           who: Principal = Depends(require_roles(*APPROVERS))) -> dict[str, Any]:
    desk = _desk(container)
    return case_json(desk, desk.actions.reject(case_id, who.actor, body.reason), role=who.role)


@router.post("/{case_id}/withdraw")
def withdraw(case_id: str, body: ReasonIn | None = None, container: Container = Depends(get_container),
             who: Principal = Depends(require_roles(*CLERKS))) -> dict[str, Any]:
    desk = _desk(container)
    return case_json(desk, desk.actions.withdraw(case_id, who.actor, body.reason if body else ""), role=who.role)
