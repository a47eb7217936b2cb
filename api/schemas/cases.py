"""Bodies of the case routes (办件), the matter catalog and the reform metrics."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal

from fastapi.encoders import jsonable_encoder

from pydantic import Field

from api.schemas.common import Day, Out
from api.schemas.derive import out_model
from intake import (
    STATE_ZH, CaseReport, CaseView, CaseWarning, Decision, FilledField, MaterialView, NoticeView, TransitionView,
)


MaterialOut = out_model(MaterialView)
TransitionOut = out_model(TransitionView)
WarningOut = out_model(CaseWarning, "WarningOut")
NoticeOut = out_model(NoticeView)


class DecisionOut(Out):
    outcome: Literal["accept", "accept_with_deficiency", "notice"]
    missing_main: list[str]
    missing_secondary: list[str]
    deficiency_allowed: bool
    deadline: Day | None


class CheckOverrideOut(Out):
    reason: str
    by: str
    role: str
    at: str


class FindingOut(Out):
    """A finding of the checks (核验): a document or form value that does not fit the case."""

    code: str
    severity: Literal["blocking", "warning"]
    material_id: str | None
    doc_id: str | None
    field: str | None
    key: str
    message_zh: str
    message_en: str
    overridden: bool
    override: CheckOverrideOut | None


CaseOut = out_model(
    CaseView, "CaseOut", warnings=(list[WarningOut], ...), notice_due=(Day | None, None),  # type: ignore[valid-type]
    decision=(DecisionOut | None, None), notices=(list[NoticeOut] | None, None),  # type: ignore[valid-type]
    state_zh=(str, ...), checks=(list[FindingOut] | None, None), checks_open=(list[str] | None, None),  # type: ignore[valid-type]
    overrides=(list[dict[str, Any]] | None, None), allowed_actions=(list[str] | None, None),
)
"""A case (办件); ``decision``, ``notices``, ``checks`` and ``allowed_actions`` (for the caller's role)
come with a single case, not in lists; ``state_zh`` names the state in Chinese."""


class CaseListOut(Out):
    cases: list[CaseOut]


class OverdueOut(Out):
    on: Day
    cases: list[CaseOut]


class CaseWithNoticeOut(Out):
    case: CaseOut
    notice: NoticeOut


FilledFieldOut = out_model(FilledField, "FilledFieldOut", needs_attention=(bool, ...), low_confidence=(bool, ...))


class FormOut(Out):
    fields: list[FilledFieldOut]
    conflicts: list[str]
    invalid: list[str]


def decision_json(decision: Decision) -> dict[str, Any]:
    return {
        "outcome": decision.outcome,
        "missing_main": [m.id for m in decision.missing_main],
        "missing_secondary": [m.id for m in decision.missing_secondary],
        "deficiency_allowed": decision.deficiency_allowed,
        "deadline": decision.deadline.isoformat() if decision.deadline else None,
    }


def case_json(report: CaseReport) -> dict[str, Any]:
    body = jsonable_encoder(asdict(report.case))
    body["state_zh"] = STATE_ZH.get(report.case.state, report.case.state)
    body["warnings"] = [asdict(w) for w in report.warnings]
    body["notice_due"] = report.notice_due.isoformat() if report.notice_due else None
    if report.decision is not None:
        body["decision"] = decision_json(report.decision)
    if report.notices is not None:
        body["notices"] = [notice_json(n) for n in report.notices]
    if report.review is not None:
        body["checks"] = report.review.to_list()
        body["checks_open"] = [f.key for f in report.review.open]
        body["overrides"] = jsonable_encoder([asdict(o) for o in report.review.overrides])
    if report.allowed_actions is not None:
        body["allowed_actions"] = list(report.allowed_actions)
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


# -- matters and metrics -------------------------------------------------------------------------
class MatterSummaryOut(Out):
    id: str
    name: str
    department: dict[str, Any]
    composite: list[str]
    immediate: bool
    licence_type: str | None = None
    """The licence template an approved case of this matter is issued (GET /api/v1/licences/types)."""
    time_limits: dict[str, Any]
    materials_count: int
    materials_before: int | None
    material_reduction: str | None
    main_count: int
    secondary_count: int


class MatterListOut(Out):
    matters: list[MatterSummaryOut]


class MatterOut(MatterSummaryOut):
    """The matter's whole definition (materials, form fields, …) and a summary of each component."""

    materials: list[dict[str, Any]]
    components: list[MatterSummaryOut]


class MatterFiguresOut(Out):
    matter: str
    name: str
    materials_before: int | None
    materials_now: int | None
    material_reduction: str | None
    statutory_days: int | None
    committed_days: int | None
    time_compression: str | None


class ReuseOut(Out):
    """How much the archive spared applicants: 材料免提交率 = reused / satisfied materials."""

    matter: str | None
    cases: int
    reused: int
    satisfied: int
    reused_per_case: str | None
    no_copy_rate: str | None


class ReuseMonthOut(Out):
    month: str
    cases: int
    reused: int
    satisfied: int
    reused_per_case: str | None
    no_copy_rate: str | None


class MetricsOut(Out):
    """Reform metrics (改革指标); rates as percentages with two decimals (``"12.50%"``)."""

    period_from: Day | None
    period_to: Day | None
    department: str | None
    matter: str | None
    total: int
    immediate: int
    immediate_share: str | None
    promised: int
    promised_finished: int
    early: int
    early_rate: str | None
    average_days: str | None
    speedup_rate: str | None
    zero_visit: int
    zero_visit_rate: str | None
    matters: list[MatterFiguresOut]
    reuse: ReuseOut | None = None
    """材料免提交率 over the counted cases (None: no case's materials are known, e.g. a CSV export)."""
    reuse_by_matter: list[ReuseOut] = []
    reuse_by_month: list[ReuseMonthOut] = []
    """材料免提交率 per month of receipt, oldest first; months without counted cases are left out."""


class ImportSummaryOut(Out):
    rows: int
    counted: int
    skipped_rows: list[int]
    errors: list[str]


class MetricsImportOut(MetricsOut):
    import_: ImportSummaryOut = Field(alias="import")
