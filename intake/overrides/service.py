"""Approvers override a named blocking finding with a reason; every override is kept and shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from archive import Actor, read_sessions
from intake.checks import Finding
from intake.errors import ForbiddenError, InvalidInputError
from intake.overrides.tables import OverrideRow
from intake.permissions import Action, roles_for

__all__ = ["OVERRIDE_ROLES", "OverrideView", "OverrideService", "find_finding"]

OVERRIDE_ROLES = roles_for(Action.CASE_OVERRIDE)


@dataclass(frozen=True)
class OverrideView:
    key: str
    code: str
    material_id: str | None
    doc_id: str | None
    field: str | None
    message_zh: str
    reason: str
    actor_name: str
    actor_role: str
    at: dt.datetime


def find_finding(findings: Sequence[Finding], *, code: str, material_id: str | None, doc_id: str | None,
                 field: str | None) -> Finding:
    """The blocking finding an override names (pure); 422 when the case has no such finding."""
    for finding in findings:
        if (finding.severity == "blocking" and finding.code == code and finding.material_id == material_id
                and (doc_id is None or finding.doc_id == doc_id) and (field is None or finding.field == field)):
            return finding
    raise InvalidInputError(
        f"the case has no open blocking finding '{code}' on {material_id or field or 'the case'}",
        message_zh=f"本办件无此待处理的核验问题（{code}）", code_named=code, material_id=material_id,
    )


class OverrideService:
    def __init__(self, engine: Engine, clock) -> None:  # type: ignore[no-untyped-def]
        self.sessions: sessionmaker[Session] = sessionmaker(engine, expire_on_commit=False)
        self.reads: sessionmaker[Session] = read_sessions(engine)
        self.clock = clock

    def record(self, case_id: str, finding: Finding, reason: str, actor: Actor) -> OverrideView:
        if actor.role not in OVERRIDE_ROLES:
            raise ForbiddenError("only an approver may override a blocking finding",
                                 message_zh="只有审批人员可以对核验问题作出例外处理")
        if not reason.strip():
            raise InvalidInputError("an override needs a reason", message_zh="例外处理须说明理由")
        row = OverrideRow(
            case_id=case_id, finding_key=finding.key, code=finding.code, material_id=finding.material_id,
            doc_id=finding.doc_id, field=finding.field, message_zh=finding.message_zh, reason=reason.strip(),
            actor_name=actor.name, actor_role=actor.role, key_id=actor.key_id, at=self.clock(),
        )
        with self.sessions.begin() as session:
            session.add(row)
        return _view(row)

    def for_case(self, case_id: str) -> tuple[OverrideView, ...]:
        with self.reads() as session:
            rows = session.scalars(select(OverrideRow).where(OverrideRow.case_id == case_id).order_by(OverrideRow.id))
            return tuple(_view(r) for r in rows)


def _view(row: OverrideRow) -> OverrideView:
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=dt.timezone.utc)
    return OverrideView(row.finding_key, row.code, row.material_id, row.doc_id, row.field, row.message_zh,
                        row.reason, row.actor_name, row.actor_role, at)
