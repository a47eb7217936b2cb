"""What callers get back: immutable views of a case, its materials and its history."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any, Literal

from intake.cases.states import CaseState
from intake.decision import OPEN, MaterialStatus

__all__ = ["MaterialView", "TransitionView", "CaseView"]


@dataclass(frozen=True)
class MaterialView:
    material_id: str
    name: str
    kind: Literal["main", "secondary"]
    status: MaterialStatus
    doc_id: str | None
    reused_from_case: str | None
    doc_types: tuple[str, ...]
    standard: str
    note: str = ""
    checks: dict[str, Any] | None = None  # 四性检测 summary of the document given (archive.checks_summary)


@dataclass(frozen=True)
class TransitionView:
    from_state: CaseState | None
    to_state: CaseState
    actor_name: str
    actor_role: str
    reason: str
    at: dt.datetime


@dataclass(frozen=True)
class CaseView:
    id: str
    matter_id: str
    matter_name: str
    department_id: str
    owner_code: str
    owner_code_type: str
    owner_code_valid: bool
    owner_code_warning: str | None
    """Set when the owner code fails its check (e.g. ``check_mismatch``): shown, never silent."""
    applicant_name: str
    contact_phone: str
    state: CaseState
    received_on: dt.date
    accepted_on: dt.date | None
    committed_due: dt.date | None
    supplement_deadline: dt.date | None
    completed_at: dt.datetime | None
    visits: int
    officer_name: str
    officer_phone: str
    created_at: dt.datetime
    materials: tuple[MaterialView, ...]
    transitions: tuple[TransitionView, ...]
    centre: str | None = None
    """The service centre that opened the case (its clerk's key's centre)."""

    def material(self, material_id: str) -> MaterialView | None:
        return next((m for m in self.materials if m.material_id == material_id), None)

    @property
    def reused(self) -> tuple[MaterialView, ...]:
        return tuple(m for m in self.materials if m.status == "reused")

    @property
    def missing(self) -> tuple[MaterialView, ...]:
        return tuple(m for m in self.materials if m.status in OPEN)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
