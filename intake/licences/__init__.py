"""Licences (证照): issuance from approved cases or imported data, the registry, verification.

    service = LicenceService(engine, archive, LicensingConfig(...))
    issued = service.issue_for_case(case_id, "food_business", data, actor=actor, evidence=[doc ids])
    issued = issue_for_approved_case(service, cases, case_id, "food_business", data, actor=actor)  # + approved → issued
    service.revoke(identifier, reason=..., actor=...); service.supersede(old, by=new, actor=...)
    check = check_licence_pdf(service, pdf_bytes)    # signatures + registry status by hash
"""

from intake.licences.casework import CaseLicencePlan, issue_case_licence, issue_for_approved_case, plan_case_licence
from intake.licences.config import Authority, LicensingConfig, SignerPool, trust_material
from intake.licences.errors import (
    IssuanceFailedError, LicenceNotFoundError, LicenceStateError, UnknownAuthorityError,
)
from intake.licences.sequences import SequenceUnavailableError, next_value
from intake.licences.service import LicenceService, add_years
from intake.licences.types import IssuedLicence, LicenceCheck
from intake.licences.verification import check_licence_pdf, public_status

__all__ = [
    "CaseLicencePlan", "issue_case_licence", "plan_case_licence",
    "Authority", "IssuanceFailedError", "IssuedLicence", "LicenceCheck", "LicenceNotFoundError",
    "LicenceService", "LicenceStateError", "LicensingConfig", "SequenceUnavailableError", "SignerPool",
    "UnknownAuthorityError", "add_years", "check_licence_pdf", "issue_for_approved_case", "next_value", "public_status", "trust_material",
]
