"""Service centres: a clerk or approver sees and acts on their own centre's cases only.

A key names its centre (``wz-lucheng``); a case carries the centre of the clerk who opened it.
A centre-bound caller (``intake.permissions.CENTRE_BOUND``) reaches a case when it is their
centre's, or when its matter is 全城通办 (``citywide: true`` in its YAML) and the citywide policy
names their centre. Everyone else with the grant (``admin``) reaches every case. A case out of
reach answers exactly like an unknown one (404 ``case_not_found``), so a probe learns nothing,
and leaves a ``denied`` row in the access log; every case read or action in reach leaves a row
naming the case's owner (the case is their data).

Keys and cases without a centre (made before centres existed) form a centre of their own: a
single-centre installation needs no configuration.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select

from intake.cases.service import CaseService
from intake.cases.tables import CaseRow
from intake.cases.views import CaseView
from intake.errors import CaseNotFoundError
from intake.permissions import centre_bound
from intake.reads import Caller, OwnerReads, ReadContext
from ocr import normalise_code

__all__ = ["CentrePolicy", "CaseReach"]


@dataclass(frozen=True)
class CentrePolicy:
    """Which centres may accept and work 全城通办 matters opened at any centre of the city."""

    citywide_centres: frozenset[str] = frozenset()

    @classmethod
    def of(cls, centres: Iterable[str]) -> "CentrePolicy":
        return cls(frozenset(c.strip().lower() for c in centres if c.strip()))

    def accepts_citywide(self, centre: str | None) -> bool:
        return centre is not None and centre in self.citywide_centres


class CaseReach:
    """Which cases a caller may see and act on; the one place the centre rule is decided."""

    def __init__(self, cases: CaseService, policy: CentrePolicy | None = None) -> None:
        self.cases = cases
        self.policy = policy or CentrePolicy()
        self.reads = OwnerReads(cases.archive)

    def _citywide_matters(self) -> list[str]:
        return [m.id for m in self.cases.catalog if m.citywide]

    def within(self, caller: Caller) -> ColumnElement[bool] | None:
        """The cases the caller reaches, as a condition on ``intake_cases`` (None: every case)."""
        if not centre_bound(caller.role):
            return None
        mine = CaseRow.centre == caller.centre if caller.centre else CaseRow.centre.is_(None)
        citywide = self._citywide_matters() if self.policy.accepts_citywide(caller.centre) else []
        return or_(mine, CaseRow.matter_id.in_(citywide)) if citywide else mine

    def reaches(self, caller: Caller, case: CaseView) -> bool:
        return self._reaches(caller, case.centre, case.matter_id)

    def _reaches(self, caller: Caller, centre: str | None, matter_id: str) -> bool:
        if not centre_bound(caller.role) or centre == caller.centre:
            return True
        return self.policy.accepts_citywide(caller.centre) and matter_id in self._citywide_matters()

    def admit(self, case_id: str, *, caller: Caller, context: ReadContext, action: str = "read_case") -> None:
        """Pass if the caller reaches the case, else ``CaseNotFoundError`` exactly as for an unknown id.

        Audited either way: ``ok`` naming the owner, or ``denied`` / ``not_found`` naming nobody. Reads
        three columns only (it runs before every request on one case)."""
        here = replace(context, case_ref=context.case_ref or case_id)
        with self.cases.sessions() as session:
            row = session.execute(select(CaseRow.centre, CaseRow.matter_id, CaseRow.owner_code)
                                  .where(CaseRow.id == case_id)).first()
        if row is None or not self._reaches(caller, row.centre, row.matter_id):
            self.reads.record(caller, here, action=action, owner_code=None,
                              result="not_found" if row is None else "denied")
            raise CaseNotFoundError(f"case {case_id} not found", message_zh=f"办件 {case_id} 不存在", case=case_id)
        self.reads.record(caller, here, action=action, owner_code=row.owner_code)

    def open(self, case_id: str, *, caller: Caller, context: ReadContext, action: str = "read_case") -> CaseView:
        """The case, if the caller reaches it (``admit``)."""
        self.admit(case_id, caller=caller, context=context, action=action)
        return self.cases.get(case_id)

    def list(self, *, caller: Caller, context: ReadContext, centre: str | None = None,
             **filters: Any) -> list[CaseView]:
        """Cases the caller reaches matching ``filters`` (``CaseService.list``'s), narrowed to ``centre``
        when given; one access-log row per owner listed."""
        condition = self.within(caller)
        if centre:
            at = CaseRow.centre == centre.strip().lower()
            condition = at if condition is None else and_(condition, at)
        found = self.cases.list(within=condition, **filters)
        for owner in sorted({case.owner_code for case in found}):
            self.reads.record(caller, context, action="list_cases", owner_code=owner)
        return found

    def sees_owner(self, caller: Caller, owner_code: str) -> bool:
        """Whether the caller reaches a case of this owner (always, for a caller not bound to a centre)."""
        condition = self.within(caller)
        if condition is None:
            return True
        query = select(exists().where(CaseRow.owner_code == normalise_code(owner_code), condition))
        with self.cases.sessions() as session:
            return bool(session.scalar(query))
