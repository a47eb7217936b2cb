"""Issuing the licence of an approved case: approved → issued, with the case's materials as evidence."""

from __future__ import annotations

from typing import Any, Iterable

from archive import Actor
from intake.errors import InvalidInputError
from intake.licences.claims import claim_case
from intake.licences.errors import LicenceStateError
from intake.licences.service import LicenceService
from intake.licences.types import IssuedLicence


def issue_for_approved_case(licences: LicenceService, cases: Any, case_id: str, template_id: str,
                            data: dict[str, Any], *, actor: Actor, evidence: Iterable[str] = (),
                            authority_code: str | None = None, supersedes: Iterable[str] = (),
                            format: str = "pdf") -> IssuedLicence:
    """Check the case may become ``issued``, issue its licence, then move the case to ``issued``.

    ``cases`` is the case service (``get``, ``check``, ``transition``). The holder is the case's
    applicant (``holder_code`` defaults to the case's owner code and must match it); the evidence
    defaults to the documents provided or reused for the case's materials.
    """
    with claim_case(licences.sessions, case_id, actor):  # checks and issuance, one request at a time
        case = cases.get(case_id)
        cases.check(case, "issued", actor)  # 409 unless the case is approved
        data = dict(data)
        holder = str(data.setdefault("holder_code", case.owner_code)).strip().upper()
        if holder != case.owner_code:
            raise InvalidInputError(f"holder_code {holder} is not the applicant {case.owner_code} of case {case_id}",
                                    message_zh="证照持证主体与办件申请人不一致", field="holder_code")
        if licences.issued_document_ids(case_id):
            raise LicenceStateError(f"case {case_id} already has a licence", message_zh="该办件已签发证照")
        evidence = tuple(evidence) or tuple(m.doc_id for m in case.materials if m.doc_id)
        licence = licences.issue_for_case(case_id, template_id, data, actor=actor, evidence=evidence,
                                          authority_code=authority_code, supersedes=supersedes, format=format)
        cases.transition(case_id, "issued", actor, f"licence {licence.identifier} ({licence.number})")
        return licence
