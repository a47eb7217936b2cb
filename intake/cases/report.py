"""What a clerk is told about a case besides its record: warnings, the notice deadline, the decision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from intake.cases.checking import CaseReview
from intake.cases.views import CaseView
from intake.decision import Decision, notice_due
from intake.notices import NoticeView
from intake.workdays import WorkCalendar

__all__ = ["CaseReport", "CaseWarning", "NOTICE_CLOCK_STATES", "notice_due_for", "warnings_for"]

NOTICE_CLOCK_STATES = frozenset({"created", "collecting"})
"""Until accepted or told what is missing, the 5-day limit of 行政许可法 art. 32(4) runs."""


@dataclass(frozen=True)
class CaseWarning:
    code: str
    message_zh: str
    message_en: str


OWNER_CODE_CHECK_FAILED = CaseWarning(
    "owner_code_check_failed", "申请人代码校验位不符，请核对", "the applicant's code fails its check character; verify it",
)


@dataclass(frozen=True)
class CaseReport:
    case: CaseView
    warnings: tuple[CaseWarning, ...]
    notice_due: dt.date | None
    decision: Decision | None = None  # with ``detail`` only
    notices: tuple[NoticeView, ...] | None = None  # with ``detail`` only
    review: CaseReview | None = None  # with ``detail`` only: checks recomputed now, overrides
    allowed_actions: tuple[str, ...] | None = None  # with ``detail`` and the caller's role


def warnings_for(case: CaseView) -> tuple[CaseWarning, ...]:
    return (OWNER_CODE_CHECK_FAILED,) if case.owner_code_warning else ()


def notice_due_for(case: CaseView, calendar: WorkCalendar) -> dt.date | None:
    return notice_due(case.received_on, calendar) if case.state in NOTICE_CLOCK_STATES else None
