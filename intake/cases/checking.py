"""The checks of one case: gather its facts (form, each document's OCR result), run the pure
:func:`intake.checks.run_checks`, apply the approvers' overrides, and guard the decisions.

Nothing is stored: findings are recomputed on every read, so they follow every new document, form
value or OCR result at once (and an override stays tied to the document it was given for).
"""

from __future__ import annotations

from dataclasses import dataclass

from archive import Actor
from intake.cases.form import FormService
from intake.cases.service import CaseService
from intake.cases.views import CaseView
from intake.checks import CaseFacts, DocumentFacts, Finding, blocking, run_checks
from intake.errors import CaseChecksOpenError, ForbiddenError
from intake.overrides import OVERRIDE_ROLES, OverrideService, OverrideView, find_finding
from intake.ocr_results import DERIVED_KIND
from intake.prefill import FilledField
from intake.reuse import ocr_values

__all__ = ["CaseReview", "CaseChecks"]


@dataclass(frozen=True)
class CaseReview:
    findings: tuple[Finding, ...]
    overrides: tuple[OverrideView, ...]
    open: tuple[Finding, ...]
    """Blocking findings not overridden: they stop 受理 / 容缺受理 / 批准."""

    def overridden(self, finding: Finding) -> OverrideView | None:
        return next((o for o in reversed(self.overrides) if o.key == finding.key), None)

    def to_list(self) -> list[dict]:
        out = []
        for finding in self.findings:
            item = finding.to_dict()
            override = self.overridden(finding) if finding.severity == "blocking" else None
            item["overridden"] = override is not None
            item["override"] = None if override is None else {
                "reason": override.reason, "by": override.actor_name, "role": override.actor_role,
                "at": override.at.isoformat()}
            out.append(item)
        return out


class CaseChecks:
    def __init__(self, cases: CaseService, forms: FormService, overrides: OverrideService) -> None:
        self.cases = cases
        self.forms = forms
        self.overrides = overrides

    def load(self, case: CaseView) -> tuple[dict, dict]:
        """The records and OCR results of every document the case's materials hold (one query)."""
        ids = [m.doc_id for m in case.materials if m.doc_id and m.status in ("provided", "reused")]
        return self.cases.archive.records_with_derived(ids, DERIVED_KIND)

    def documents(self, case: CaseView, loaded: tuple[dict, dict] | None = None) -> list[DocumentFacts]:
        attached = [m for m in case.materials if m.doc_id and m.status in ("provided", "reused")]
        records, ocr = loaded or self.load(case)
        out = []
        for material in attached:
            record = records.get(material.doc_id or "")
            if record is None:
                continue
            result = ocr.get(record.id) or {}
            detected = result.get("doc_type")
            out.append(DocumentFacts(
                material_id=material.material_id, doc_id=record.id, doc_type=record.doc_type,
                detected_type=detected if isinstance(detected, str) and detected else None,
                fields=ocr_values(result), archived_on=record.created_at.date(), reused=material.status == "reused",
            ))
        return out

    def review(self, case: CaseView, form: tuple[FilledField, ...] | None = None) -> CaseReview:
        loaded = self.load(case)
        form = self.forms.form_of(case, loaded) if form is None else form
        facts = CaseFacts(owner_code=case.owner_code, owner_code_type=case.owner_code_type,
                          applicant_name=case.applicant_name, today=self.cases.today(),
                          form={f.name: f.value for f in form})
        findings = run_checks(self.cases.matter_of(case), facts, form, self.documents(case, loaded))
        overrides = self.overrides.for_case(case.id)
        return CaseReview(findings, overrides, blocking(findings, {o.key for o in overrides}))

    def guard(self, case: CaseView, action: str) -> None:
        """Raise 409 ``case_checks_open`` listing every open blocking finding."""
        review = self.review(case)
        if review.open:
            names = "；".join(f.message_zh for f in review.open)
            raise CaseChecksOpenError(
                f"{len(review.open)} blocking finding(s) open; fix them or have an approver override them: "
                + "; ".join(f.message_en for f in review.open),
                message_zh=f"尚有{len(review.open)}项核验问题未解决：{names}", action=action,
                open=[f.to_dict() for f in review.open],
            )

    def override(self, case_id: str, *, code: str, material_id: str | None, doc_id: str | None, field: str | None,
                 reason: str, actor: Actor) -> CaseReview:
        """An approver accepts a named blocking finding, with a reason (audited, shown on the case)."""
        if actor.role not in OVERRIDE_ROLES:
            raise ForbiddenError("only an approver may override a blocking finding",
                                 message_zh="只有审批人员可以对核验问题作出例外处理")
        case = self.cases.get(case_id)
        review = self.review(case)
        finding = find_finding(review.open, code=code, material_id=material_id, doc_id=doc_id, field=field)
        self.overrides.record(case_id, finding, reason, actor)
        self.cases.note(case_id, actor, f"override {finding.key}: {reason.strip()}")
        return self.review(case)
