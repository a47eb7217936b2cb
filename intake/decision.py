"""The decision: given a matter and the state of a case's materials, what happens next.

A pure function — no database, no clock, no archive — so every combination can be tested.

* every material is satisfied → the case can be accepted (``accept``);
* only secondary (容缺-eligible) materials are missing and the matter allows 容缺受理 →
  it may be accepted with a deficiency (``accept_with_deficiency``) and a supplement deadline;
* any main material missing (or 容缺 not allowed) → a one-time notice (``notice``) listing every gap.

The supplement deadline is counted in working days from the day of receipt and never lies beyond
the matter's committed time limit (承诺时限).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from intake.matters.model import Material, Matter
from intake.workdays import WorkCalendar

__all__ = ["MaterialStatus", "Decision", "decide", "notice_due", "OPEN", "SATISFIED", "NOTICE_WITHIN_DAYS"]

MaterialStatus = Literal["missing", "provided", "reused", "rejected"]
"""``rejected``: the clerk refused what was given (or a reused document); it counts as missing."""

SATISFIED: frozenset[str] = frozenset({"provided", "reused"})
"""A material in one of these states is there (given now, or reused from the archive)."""
OPEN: frozenset[str] = frozenset({"missing", "rejected"})
"""A material in one of these states is still to be given."""

Outcome = Literal["accept", "accept_with_deficiency", "notice"]

NOTICE_WITHIN_DAYS = 5
"""行政许可法 art. 32(4): gaps must be told within 5 days, or the application counts as accepted."""


def notice_due(received_on: dt.date, calendar: WorkCalendar) -> dt.date:
    """The last day a one-time notice may be given for an application received on ``received_on``."""
    return calendar.add_workdays(received_on, NOTICE_WITHIN_DAYS)


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    missing_main: tuple[Material, ...]
    missing_secondary: tuple[Material, ...]
    deficiency_allowed: bool
    deadline: dt.date | None
    """Supplement deadline when ``deficiency_allowed`` (else None)."""
    deadline_days: int | None

    @property
    def missing(self) -> tuple[Material, ...]:
        """Every missing material, main first, in the matter's order."""
        return self.missing_main + self.missing_secondary

    @property
    def complete(self) -> bool:
        return not self.missing


def decide(
    matter: Matter,
    statuses: Mapping[str, MaterialStatus],
    *,
    received_on: dt.date,
    calendar: WorkCalendar,
    supplement_days: int | None = None,
) -> Decision:
    """Decide for ``matter`` given each material's status (absent ids count as missing).

    ``supplement_days`` asks for a specific supplement period (working days); it is capped at the
    matter's committed time. Without it the matter's default ``deficiency.supplement_days`` is used.
    """
    if supplement_days is not None and supplement_days < 1:
        raise ValueError("supplement_days must be at least 1")
    missing = [m for m in matter.materials if statuses.get(m.id, "missing") not in SATISFIED]
    missing_main = tuple(m for m in missing if m.kind == "main")
    missing_secondary = tuple(m for m in missing if m.kind == "secondary")

    if not missing:
        return Decision("accept", (), (), False, None, None)

    # a same-day matter (committed time 0) has no room for a supplement period
    allowed = matter.deficiency.allowed and not missing_main and matter.time_limits.committed_days > 0
    if not allowed:
        return Decision("notice", missing_main, missing_secondary, False, None, None)

    wanted = supplement_days if supplement_days is not None else matter.deficiency.supplement_days
    committed = matter.time_limits.committed_days
    days = min(wanted, committed)
    deadline = calendar.add_workdays(received_on, days)
    return Decision("accept_with_deficiency", (), missing_secondary, True, deadline, days)
