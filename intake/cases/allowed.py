"""What the caller may do with a case now — pure, so a UI shows only the buttons that will work.

The answer follows the caller's role, the case's state (``states.TRANSITIONS``), what the materials
allow (``intake.decision``) and whether blocking findings are open (``intake.checks``).
"""

from __future__ import annotations

from intake.cases.states import DECISION_ROLES, FINISHED, allowed_targets
from intake.decision import Decision
from intake.permissions import Action, allowed

__all__ = ["ACTIONS", "allowed_actions"]

ACTIONS: tuple[str, ...] = (
    "attach_document", "reject_material", "refresh_reuse", "edit_form", "record_visit", "accept",
    "accept_with_deficiency", "issue_notice", "approve", "reject", "withdraw", "override_check", "issue_licence",
)


def allowed_actions(state: str, role: str, decision: Decision, *, open_blocking: int) -> tuple[str, ...]:
    """The actions (names of :data:`ACTIONS`) ``role`` may take on a case in ``state``.

    ``open_blocking``: the number of blocking findings no approver has overridden.
    """
    targets = allowed_targets(state)
    out: list[str] = []
    clerk, approver = allowed(role, Action.CASE_WORK), allowed(role, Action.CASE_OVERRIDE)
    if clerk and state not in FINISHED:
        out += ["attach_document", "reject_material", "refresh_reuse", "edit_form", "record_visit"]
    if clerk and "accepted" in targets and decision.complete and not open_blocking:
        out.append("accept")
    if clerk and "accepted_with_deficiency" in targets and decision.outcome == "accept_with_deficiency" \
            and not open_blocking:
        out.append("accept_with_deficiency")
    if clerk and "notice_issued" in targets and not decision.complete:
        out.append("issue_notice")
    if role in DECISION_ROLES["approved"] and "approved" in targets and not open_blocking:
        out.append("approve")
    if role in DECISION_ROLES["rejected"] and "rejected" in targets:
        out.append("reject")
    if clerk and "withdrawn" in targets:
        out.append("withdraw")
    if approver and state not in FINISHED and open_blocking:
        out.append("override_check")
    if allowed(role, Action.LICENCE_ISSUE) and state == "approved":
        out.append("issue_licence")
    return tuple(out)
