"""Bodies of the licence, verification and PKI routes (also printed by ``onceonly licence`` / ``verify``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from api.schemas.common import Day, Out, Timestamp
from certgen.signing import VerificationReport
from intake import IssuedLicence, LicenceCheck

VERDICT_ZH = {
    "valid": "有效", "expired": "已过期", "revoked": "已吊销/撤销", "superseded": "已被新证照替代",
    "modified": "签名后被修改", "invalid": "签名无效", "unknown": "签名可信，但本系统未登记该文件",
    "foreign": "签名完好，但不是本系统签发的证照", "unsigned": "未签名",
}
VERDICT_EN = {
    "valid": "valid", "expired": "expired", "revoked": "revoked", "superseded": "superseded by a newer licence",
    "modified": "changed after signing", "invalid": "signature invalid",
    "unknown": "trusted signature, but this file is not in the registry",
    "foreign": "valid signature, not issued by this service", "unsigned": "not signed",
}


class NamedCode(Out):
    name: str
    code: str


class LicenceOut(Out):
    identifier: str
    number: str
    type: str
    name: str
    holder: NamedCode
    authority: NamedCode
    issue_date: Day
    valid_from: Day
    valid_until: Day | None
    status: str
    status_reason: str | None
    superseded_by: str | None
    sha256: str
    document_id: str
    case_id: str | None
    evidence: list[str]
    permits: list[dict[str, Any]]
    issued_by: str
    created_at: Timestamp
    warnings: list[str]
    case_warnings: list[CaseWarningOut] | None = None
    """Issued from a case: what the case made the service warn about (e.g. outside_jurisdiction)."""
    sources: dict[str, Any] | None = None
    """Issued from a case: where each licence value came from (form, matter, owner, given)."""


class CaseWarningOut(Out):
    code: str
    message_zh: str
    message_en: str


class LicenceDraftOut(Out):
    """What an approved case gives its licence: values and their sources, what is still missing, the issuer."""

    case_id: str
    type: str
    labels: dict[str, str]
    """Each field's label as printed on the licence (经营者名称, …), by field key."""
    data: dict[str, Any]
    sources: dict[str, Any]
    missing: list[str]
    authority: NamedCode
    warnings: list[CaseWarningOut]


class LicenceTypeOut(Out):
    id: str
    name: str
    merged: bool
    permit_kinds: list[str]


class TimestampCheckOut(Out):
    time: Timestamp
    intact: bool
    valid: bool
    trusted: bool
    tsa: str | None


class SignatureCheckOut(Out):
    field: str
    signer: str | None
    signer_cert_sha256: str | None
    intact: bool
    valid: bool
    trusted: bool
    revoked: bool | None
    coverage: str | None
    modification: str | None
    modified: bool
    signing_time: Timestamp | None
    timestamp: TimestampCheckOut | None
    pades_level: str | None
    problems: list[str]
    ok: bool


class DocTimestampCheckOut(Out):
    """A document timestamp (/DocTimeStamp, PAdES B-LTA), validated like a signature."""

    field: str
    time: Timestamp | None
    intact: bool
    valid: bool
    trusted: bool
    tsa: str | None
    coverage: str | None
    modification: str | None
    problems: list[str]
    ok: bool


class ReportOut(Out):
    sha256: str
    size: int
    signed: bool
    ok: bool
    signatures: list[SignatureCheckOut]
    doc_timestamps: list[DocTimestampCheckOut]


class CheckedLicenceOut(Out):
    identifier: str
    number: str
    name: str
    holder_name: str
    authority: str
    issue_date: Day
    valid_until: Day | None
    status_reason: str | None
    superseded_by: str | None
    sha256: str


class CheckOut(Out):
    """The verdict on an uploaded PDF: its signatures checked and the registry's status by its hash."""

    verdict: str
    verdict_zh: str
    verdict_en: str
    genuine: bool
    registry_status: str | None
    matched_revision: bool
    claimed_identifier: str | None
    licence: CheckedLicenceOut | None
    report: ReportOut


class PublicStatusOut(CheckedLicenceOut):
    status: str
    status_zh: str


def licence_json(lic: IssuedLicence, today: date | None = None) -> dict[str, Any]:
    return {
        "identifier": lic.identifier, "number": lic.number, "type": lic.template_id, "name": lic.name,
        "holder": {"name": lic.holder_name, "code": lic.holder_code},
        "authority": {"name": lic.authority_name, "code": lic.authority_code},
        "issue_date": lic.issue_date.isoformat(), "valid_from": lic.valid_from.isoformat(),
        "valid_until": lic.valid_until.isoformat() if lic.valid_until else None,
        "status": lic.effective_status(today) if today else lic.status, "status_reason": lic.status_reason,
        "superseded_by": lic.superseded_by, "sha256": lic.sha256, "document_id": lic.document_id,
        "case_id": lic.case_id, "evidence": list(lic.evidence), "permits": list(lic.permit_numbers),
        "issued_by": lic.issued_by, "created_at": lic.created_at.isoformat(), "warnings": list(lic.warnings),
    }


def report_json(report: VerificationReport) -> dict[str, Any]:
    return {
        "sha256": report.sha256, "size": report.size, "signed": report.signed, "ok": report.ok,
        "signatures": [{
            "field": s.field_name, "signer": s.signer, "signer_cert_sha256": s.signer_cert_sha256,
            "intact": s.intact, "valid": s.valid, "trusted": s.trusted, "revoked": s.revoked,
            "coverage": s.coverage, "modification": s.modification, "modified": s.modified,
            "signing_time": s.signing_time.isoformat() if s.signing_time else None,
            "timestamp": None if s.timestamp is None else {
                "time": s.timestamp.time.isoformat(), "intact": s.timestamp.intact, "valid": s.timestamp.valid,
                "trusted": s.timestamp.trusted, "tsa": s.timestamp.tsa},
            "pades_level": s.pades_level, "problems": list(s.problems), "ok": s.ok,
        } for s in report.signatures],
        "doc_timestamps": [{
            "field": t.field_name, "time": t.time.isoformat() if t.time else None, "intact": t.intact,
            "valid": t.valid, "trusted": t.trusted, "tsa": t.tsa, "coverage": t.coverage,
            "modification": t.modification, "problems": list(t.problems), "ok": t.ok,
        } for t in report.doc_timestamps],
    }


def check_json(check: LicenceCheck) -> dict[str, Any]:
    lic = check.licence
    return {
        "verdict": check.verdict, "verdict_zh": VERDICT_ZH.get(check.verdict, check.verdict),
        "verdict_en": VERDICT_EN.get(check.verdict, check.verdict),
        "genuine": check.genuine, "registry_status": check.status, "matched_revision": check.matched_revision,
        "claimed_identifier": check.claimed_identifier,
        "licence": None if lic is None else {
            "identifier": lic.identifier, "number": lic.number, "name": lic.name, "holder_name": lic.holder_name,
            "authority": lic.authority_name, "issue_date": lic.issue_date.isoformat(),
            "valid_until": lic.valid_until.isoformat() if lic.valid_until else None,
            "status_reason": lic.status_reason, "superseded_by": lic.superseded_by, "sha256": lic.sha256,
        },
        "report": report_json(check.report),
    }


def public_status_json(lic: IssuedLicence, status: str) -> dict[str, Any]:
    return {"identifier": lic.identifier, "status": status, "status_zh": VERDICT_ZH.get(status, status),
            "number": lic.number, "name": lic.name, "holder_name": lic.holder_name,
            "authority": lic.authority_name, "issue_date": lic.issue_date.isoformat(),
            "valid_until": lic.valid_until.isoformat() if lic.valid_until else None,
            "status_reason": lic.status_reason, "superseded_by": lic.superseded_by, "sha256": lic.sha256}
