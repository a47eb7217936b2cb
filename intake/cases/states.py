"""The case (办件) state machine.

::

    created → collecting → accepted ──────────────┐
                        → accepted_with_deficiency → accepted (supplement received)
                        → notice_issued → collecting (applicant brings the materials back)
    accepted → approved | rejected;  approved → issued → delivered
    withdrawn from any state before a decision.

Any other move is refused with ``IllegalTransitionError`` (HTTP 409).
"""

from __future__ import annotations

from typing import Literal, get_args

from intake.errors import ForbiddenError, IllegalTransitionError
from intake.permissions import Action, roles_for

__all__ = [
    "CaseState",
    "STATES",
    "TRANSITIONS",
    "FINISHED",
    "DECISION_ROLES",
    "STATE_ZH",
    "allowed_targets",
    "check_transition",
]

CaseState = Literal[
    "created",
    "collecting",
    "accepted",
    "accepted_with_deficiency",
    "notice_issued",
    "approved",
    "rejected",
    "issued",
    "delivered",
    "withdrawn",
]
STATES: tuple[str, ...] = get_args(CaseState)

TRANSITIONS: dict[str, frozenset[str]] = {
    "created": frozenset({"collecting", "withdrawn"}),
    "collecting": frozenset({"accepted", "accepted_with_deficiency", "notice_issued", "withdrawn"}),
    # a second notice from notice_issued lists only what is still missing
    "notice_issued": frozenset({"collecting", "accepted", "accepted_with_deficiency", "notice_issued", "withdrawn"}),
    "accepted_with_deficiency": frozenset({"accepted", "rejected", "withdrawn"}),
    "accepted": frozenset({"approved", "rejected", "withdrawn"}),
    "approved": frozenset({"issued"}),
    "issued": frozenset({"delivered"}),
    "rejected": frozenset(),
    "delivered": frozenset(),
    "withdrawn": frozenset(),
}

STATE_ZH: dict[str, str] = {
    "created": "已创建",
    "collecting": "收件中",
    "accepted": "已受理",
    "accepted_with_deficiency": "容缺受理",
    "notice_issued": "已一次性告知",
    "approved": "准予许可",
    "rejected": "不予许可",
    "issued": "已发证",
    "delivered": "已送达",
    "withdrawn": "已撤回",
}
"""Each state's Chinese name, as the window and the applicant say it."""

FINISHED: frozenset[str] = frozenset({"approved", "rejected", "issued", "delivered", "withdrawn"})
"""States in which the case is 办结 (a decision was made or the applicant withdrew)."""

DECISION_ROLES: dict[str, frozenset[str]] = {
    "approved": roles_for(Action.CASE_DECIDE),
    "rejected": roles_for(Action.CASE_DECIDE),
}
"""Target states that only some roles may enter; any other state is open to the caller's service."""


def allowed_targets(state: str) -> frozenset[str]:
    return TRANSITIONS.get(state, frozenset())


def check_transition(current: str, target: str, role: str) -> None:
    """Raise unless ``role`` may move a case from ``current`` to ``target``."""
    if target not in STATES:
        raise IllegalTransitionError(
            f"unknown state '{target}'", message_zh=f"未知的办件状态 '{target}'", state=current, target=target
        )
    if target not in allowed_targets(current):
        allowed = sorted(allowed_targets(current))
        raise IllegalTransitionError(
            f"a case in state '{current}' cannot move to '{target}' (allowed: {', '.join(allowed) or 'none'})",
            message_zh=f"办件当前状态为 '{current}'，不能转为 '{target}'",
            state=current,
            target=target,
            allowed=allowed,
        )
    roles = DECISION_ROLES.get(target)
    if roles is not None and role not in roles:
        raise ForbiddenError(
            f"only {' or '.join(sorted(roles))} may move a case to '{target}'",
            message_zh="只有审批人员可以作出审批决定",
        )
