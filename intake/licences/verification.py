"""Is this PDF a genuine, current licence? Signatures (strict) + the registry, by hash."""

from __future__ import annotations

import hashlib
from typing import Callable

from certgen import verify_pdf
from certgen.identifiers import parse_identifier
from certgen.licences import ATTACHMENT_NAME, read_json
from certgen.signing import VerificationReport
from certgen.ofd import looks_like_ofd, read_attachment, verify_ofd
from intake.licences.service import LicenceService
from intake.licences.types import IssuedLicence, LicenceCheck


def check_licence_pdf(service: LicenceService, pdf: bytes) -> LicenceCheck:
    """Verify every signature against the configured trust and look the exact bytes up in the registry.

    An OFD licence (a ZIP) is checked by ``certgen.ofd.verify_ofd`` against the SM2 root instead."""
    if looks_like_ofd(pdf):
        return check_licence_ofd(service, pdf)
    return _with_registry(service, pdf, verify_pdf(pdf, service.signers.trust), read_json)


def check_licence_ofd(service: LicenceService, ofd: bytes) -> LicenceCheck:
    """Every digest, dataHash, both SM2 signatures, the chain to the SM2 root; then the registry by hash."""
    return _with_registry(service, ofd, verify_ofd(ofd, service.ofd_sealers.trust),
                          lambda data: read_attachment(data, ATTACHMENT_NAME))


def _with_registry(service: LicenceService, data: bytes, report: VerificationReport,
                   read: Callable[[bytes], dict | None]) -> LicenceCheck:
    """The registry entry of exactly these bytes, and the identifier the embedded JSON claims."""
    licence = service.by_sha256(hashlib.sha256(data).hexdigest())
    matched_revision = False
    if licence is None and report.ok:
        # only validation data (DSS, document timestamps) was added after the signatures: the licence
        # issued is one of the signed revisions, newest first
        for revision in reversed(report.revision_sha256):
            licence = service.by_sha256(revision)
            if licence is not None:
                matched_revision = True
                break
    claimed = None
    try:
        value = ((read(data) or {}).get("metadata") or {}).get("证照标识")
        claimed = value if isinstance(value, str) else None
    except Exception:  # an unreadable attachment is just "no claim"
        claimed = None
    status = licence.effective_status(service.today()) if licence else "unknown"
    return LicenceCheck(report=report, licence=licence, status=status, claimed_identifier=claimed,
                        matched_revision=matched_revision)


def public_status(service: LicenceService, identifier: str) -> tuple[IssuedLicence, str]:
    """The registry entry and its status today, for the public page the QR code opens."""
    parse_identifier(identifier)  # a malformed identifier is a 422, not a lookup
    licence = service.get(identifier)
    return licence, licence.effective_status(service.today())

