"""Issuing the licence of an approved case: approved → issued, with the case's materials as evidence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from archive import Actor
from intake.errors import InvalidInputError
from intake.licences.claims import claim_case
from intake.licences.errors import LicenceStateError, UnknownAuthorityError
from intake.licences.from_case import LicenceDraft, authority_for_department, draft_from_case, outside_jurisdiction
from intake.licences.service import LicenceService
from intake.licences.types import IssuedLicence


@dataclass(frozen=True)
class CaseLicencePlan:
    """What the case gives its licence: the draft data, the issuing authority, warnings."""

    draft: LicenceDraft
    authority_code: str
    authority_name: str
    warnings: tuple[dict[str, str], ...]


def plan_case_licence(licences: LicenceService, cases: Any, case: Any, template_id: str, given: dict[str, Any], *,
                      authority_code: str | None = None) -> CaseLicencePlan:
    """Fill the licence from the case (form, matter, owner), choose its department's authority."""
    from intake.cases.form import FormService

    template = licences.templates.get(template_id)
    matter = cases.matter_of(case)
    form = {f.name: f.value for f in FormService(cases).form_of(case)}
    draft = draft_from_case([(f.key, f.required) for f in template.fields], form=form, owner_code=case.owner_code,
                            owner_code_type=case.owner_code_type, applicant_name=case.applicant_name, given=given)
    department = matter.department
    if authority_code:
        authority = licences.config.authority(authority_code)
    else:
        authority = authority_for_department(licences.config.authorities, name=department.name,
                                             authority_code=department.authority_code)
        if authority is None:
            raise UnknownAuthorityError(
                f"the case's department {department.name} is no configured issuing authority",
                message_zh=f"办件所属部门“{department.name}”未配置为发证机关（电子印章）", department=department.id,
                known=[a.name for a in licences.config.authorities])
    warnings = []
    if outside_jurisdiction(case.owner_code, case.owner_code_type, authority.region_code):
        warnings.append({
            "code": "outside_jurisdiction",
            "message_zh": f"申请人登记地（{case.owner_code[2:8]}）不在发证机关“{authority.name}”管辖区域（{authority.region_code}）内",
            "message_en": f"the applicant's registered region {case.owner_code[2:8]} lies outside the jurisdiction "
                          f"{authority.region_code} of {authority.name}"})
    return CaseLicencePlan(draft, authority.code, authority.name, tuple(warnings))


def issue_case_licence(licences: LicenceService, cases: Any, case_id: str, template_id: str,
                       data: dict[str, Any], *, actor: Actor, evidence: Iterable[str] = (),
                       authority_code: str | None = None, supersedes: Iterable[str] = (),
                       format: str = "pdf") -> tuple[IssuedLicence, CaseLicencePlan]:
    """Check the case may become ``issued``, issue its licence made from the case, move it to ``issued``.

    ``cases`` is the case service (``get``, ``check``, ``transition``, ``matter_of``). The values the
    case gives are taken from it; ``data`` only adds or corrects. The holder is the case's applicant;
    the authority its department's; the evidence defaults to the documents provided or reused for
    the case's materials. Required fields the case cannot answer are asked for (422, ``missing``).
    """
    with claim_case(licences.sessions, case_id, actor):  # checks and issuance, one request at a time
        case = cases.get(case_id)
        cases.check(case, "issued", actor)  # 409 unless the case is approved
        holder = str(data.get("holder_code") or case.owner_code).strip().upper()
        if holder != case.owner_code:
            raise InvalidInputError(f"holder_code {holder} is not the applicant {case.owner_code} of case {case_id}",
                                    message_zh="证照持证主体与办件申请人不一致", field="holder_code")
        if licences.issued_document_ids(case_id):
            raise LicenceStateError(f"case {case_id} already has a licence", message_zh="该办件已签发证照")
        plan = plan_case_licence(licences, cases, case, template_id, dict(data), authority_code=authority_code)
        if plan.draft.missing:
            template = licences.templates.get(template_id)
            labels = {f.key: f.label for f in template.fields}
            raise InvalidInputError(
                f"the case does not give these licence fields: {', '.join(plan.draft.missing)}",
                message_zh="证照信息尚缺：" + "、".join(labels.get(k, k) for k in plan.draft.missing),
                missing=list(plan.draft.missing))
        evidence = tuple(evidence) or tuple(m.doc_id for m in case.materials if m.doc_id)
        licence = licences.issue_for_case(case_id, template_id, plan.draft.data, actor=actor, evidence=evidence,
                                          authority_code=plan.authority_code, supersedes=supersedes, format=format)
        cases.transition(case_id, "issued", actor, f"licence {licence.identifier} ({licence.number})")
        return licence, plan


def issue_for_approved_case(licences: LicenceService, cases: Any, case_id: str, template_id: str,
                            data: dict[str, Any], *, actor: Actor, evidence: Iterable[str] = (),
                            authority_code: str | None = None, supersedes: Iterable[str] = (),
                            format: str = "pdf") -> IssuedLicence:
    """:func:`issue_case_licence` without the plan."""
    return issue_case_licence(licences, cases, case_id, template_id, data, actor=actor, evidence=evidence,
                              authority_code=authority_code, supersedes=supersedes, format=format)[0]
