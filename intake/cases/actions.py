"""The clerk's and approver's decisions on a case: accept, accept under 容缺受理, issue a notice,
approve, reject, withdraw. Each applies the pure :func:`intake.decision.decide` to the case's
materials; a notice and the state change it causes are written in one transaction."""

from __future__ import annotations

from dataclasses import replace

from archive import Actor
from intake.cases.allowed import allowed_actions
from intake.cases.report import CaseReport, notice_due_for, warnings_for
from intake.cases.checking import CaseChecks
from intake.cases.form import FormService
from intake.cases.service import CaseService
from intake.cases.views import CaseView
from intake.decision import Decision, decide
from intake.errors import DecisionRefusedError
from intake.notices import NoticeService, NoticeView, PreparedNotice
from intake.overrides import OverrideService

__all__ = ["CaseActions"]


class CaseActions:
    def __init__(self, cases: CaseService, notices: NoticeService, checks: CaseChecks | None = None) -> None:
        self.cases = cases
        self.notices = notices
        self.checks = checks or CaseChecks(cases, FormService(cases), OverrideService(cases.engine, cases.now))

    def evaluate(self, case_id: str, *, supplement_days: int | None = None) -> Decision:
        """What the materials allow today (nothing is changed)."""
        return self.decision_for(self.cases.get(case_id), supplement_days=supplement_days)

    def decision_for(self, case: CaseView, *, supplement_days: int | None = None) -> Decision:
        """The decision for a case already read (no second read)."""
        statuses = {m.material_id: m.status for m in case.materials}
        return decide(
            self.cases.matter_of(case), statuses, received_on=self.cases.today(),
            calendar=self.cases.calendar, supplement_days=supplement_days,
        )

    def report(self, case: CaseView, *, detail: bool = True, role: str | None = None) -> CaseReport:
        """The case with its warnings and notice deadline; with ``detail`` its decision, notices and
        checks (recomputed on every read, so they follow every document and form change), and with
        ``role`` what that role may do now."""
        basic = CaseReport(case=case, warnings=warnings_for(case), notice_due=notice_due_for(case, self.cases.calendar))
        if not detail:
            return basic
        decision = self.decision_for(case)
        review = self.checks.review(case)
        allowed = (allowed_actions(case.state, role, decision, open_blocking=len(review.open))
                   if role is not None else None)
        return replace(basic, decision=decision, notices=tuple(self.notices.for_case(case.id)), review=review,
                       allowed_actions=allowed)

    def accept(self, case_id: str, actor: Actor, reason: str = "") -> CaseView:
        """受理: every material is there (also ends a 容缺 period once the supplement arrived)."""
        decision = self.evaluate(case_id)
        if not decision.complete:
            names = "、".join(m.name for m in decision.missing)
            raise DecisionRefusedError(
                f"{len(decision.missing)} material(s) still missing: {', '.join(m.id for m in decision.missing)}",
                message_zh=f"尚缺材料：{names}", missing=[m.id for m in decision.missing],
            )
        case = self.cases.get(case_id)
        self.cases.check(case, "accepted", actor)
        self.checks.guard(case, "accept")
        return self.cases.transition(case_id, "accepted", actor, reason or "all materials complete")

    def accept_with_deficiency(
        self, case_id: str, actor: Actor, *, supplement_days: int | None = None, reason: str = ""
    ) -> tuple[CaseView, NoticeView]:
        """容缺受理: only secondary materials missing; issue the 容缺受理通知书 with the deadline."""
        case = self.cases.get(case_id)
        decision = self.decision_for(case, supplement_days=supplement_days)
        if decision.outcome != "accept_with_deficiency":
            if decision.complete:
                message, zh = "nothing is missing: accept the case instead", "材料已齐全，请直接受理"
            elif decision.missing_main:
                names = "、".join(m.name for m in decision.missing_main)
                message = f"main material(s) missing: {', '.join(m.id for m in decision.missing_main)}"
                zh = f"主要材料缺失，不能容缺受理：{names}"
            else:
                message, zh = "this matter does not allow 容缺受理", "本事项不适用容缺受理"
            raise DecisionRefusedError(message, message_zh=zh, missing=[m.id for m in decision.missing])
        self.cases.check(case, "accepted_with_deficiency", actor)
        self.checks.guard(case, "accept_with_deficiency")
        notice = self._prepare(case, "deficiency", decision, actor)
        with self.cases.locked(case_id) as (session, row):
            self.cases.move(session, row, "accepted_with_deficiency", actor,
                            reason or f"容缺受理, supplement by {decision.deadline}")
            row.supplement_deadline = decision.deadline
            session.add(notice.row())
        return self.cases.get(case_id), self._view(notice.id)

    def issue_notice(self, case_id: str, actor: Actor, reason: str = "") -> tuple[CaseView, NoticeView]:
        """一次性告知: list every material still missing on one notice."""
        case = self.cases.get(case_id)
        decision = self.decision_for(case)
        if decision.complete:
            raise DecisionRefusedError("nothing is missing: no notice is needed", message_zh="材料已齐全，无需告知补正")
        self.cases.check(case, "notice_issued", actor)
        notice = self._prepare(case, "correction", decision, actor)
        with self.cases.locked(case_id) as (session, row):
            self.cases.move(session, row, "notice_issued", actor,
                            reason or f"一次性告知: {len(decision.missing)} material(s) missing")
            session.add(notice.row())
        return self.cases.get(case_id), self._view(notice.id)

    def approve(self, case_id: str, actor: Actor, reason: str = "") -> CaseView:
        case = self.cases.get(case_id)
        self.cases.check(case, "approved", actor)
        self.checks.guard(case, "approve")
        return self.cases.transition(case_id, "approved", actor, reason or "approved")

    def reject(self, case_id: str, actor: Actor, reason: str) -> CaseView:
        if not reason.strip():
            raise DecisionRefusedError("a rejection needs a reason", message_zh="不予许可须说明理由")
        return self.cases.transition(case_id, "rejected", actor, reason)

    def withdraw(self, case_id: str, actor: Actor, reason: str = "") -> CaseView:
        return self.cases.transition(case_id, "withdrawn", actor, reason or "withdrawn by the applicant")

    def _prepare(self, case: CaseView, kind: str, decision: Decision, actor: Actor) -> PreparedNotice:
        matter = self.cases.matter_of(case)
        return self.notices.prepare(
            kind=kind, case_id=case.id, matter=matter, applicant_name=case.applicant_name,
            owner_code=case.owner_code, owner_code_type=case.owner_code_type, contact_phone=case.contact_phone,
            applied_on=case.received_on, issued_on=self.cases.today(), officer_name=actor.name,
            officer_phone=case.officer_phone, materials=decision.missing, deadline=decision.deadline,
            actor=actor, now=self.cases.now(),
        )

    def _view(self, notice_id: str) -> NoticeView:
        view = self.notices.get(notice_id)
        assert view is not None
        return view
