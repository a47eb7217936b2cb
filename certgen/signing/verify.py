"""Verify the PAdES signatures of a PDF and say exactly what was checked (frozen dataclasses).

Strict on purpose: the chain must lead to a configured root *with revocation data present* for
every certificate (pyHanko's soft-fail default would call a chain trusted without any), and any
incremental update after a signature other than validation data (DSS / document timestamps) makes
the report ``modified`` — even when the signature bytes themselves are intact.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import threading
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import crl as asn1_crl, ocsp as asn1_ocsp
from pyhanko.pdf_utils.decode_limits import DecodePurpose
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.status import SignatureCoverageLevel

from certgen.errors import NotAPdfError
from certgen.signing.signer import TrustMaterial

log = logging.getLogger("onceonly.certgen.verify")

_ALLOWED_AFTER = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)


@dataclass(frozen=True)
class TimestampReport:
    time: datetime
    intact: bool
    valid: bool
    trusted: bool
    tsa: str


@dataclass(frozen=True)
class SignatureReport:
    """One signature: integrity, trust, timestamp, and what changed after it."""

    field_name: str
    signer: str
    signer_cert_sha256: str
    intact: bool  # the signed byte range hashes to the signed digest
    valid: bool  # the cryptographic signature over it is correct
    trusted: bool  # chain to a configured root, every certificate with revocation data
    revoked: bool
    coverage: str  # ENTIRE_FILE | ENTIRE_REVISION | ...
    modification: str  # NONE | LTA_UPDATES | FORM_FILLING | ANNOTATIONS | OTHER | UNKNOWN
    modified: bool  # something other than validation data was added after signing
    signing_time: datetime | None  # claimed by the signer (not proof)
    timestamp: TimestampReport | None
    pades_level: str  # B-B | B-T | B-LT | B-LTA (as far as the file shows)
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        ts_ok = self.timestamp is None or (self.timestamp.intact and self.timestamp.valid and self.timestamp.trusted)
        return self.intact and self.valid and self.trusted and not self.revoked and not self.modified and ts_ok


@dataclass(frozen=True)
class VerificationReport:
    """The whole file: its hash and one report per signature (empty = unsigned)."""

    sha256: str
    size: int
    signatures: tuple[SignatureReport, ...]

    @property
    def signed(self) -> bool:
        return bool(self.signatures)

    @property
    def ok(self) -> bool:
        return self.signed and all(s.ok for s in self.signatures)


def verify_pdf(data: bytes, trust: TrustMaterial) -> VerificationReport:
    """Check every signature in ``data`` against ``trust``; never raises for a bad signature."""
    sha = hashlib.sha256(data).hexdigest()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise NotAPdfError(f"cannot read PDF: {exc}") from exc
    extra_certs, extra_crls, extra_ocsps = _dss_contents(reader)
    reports = []
    for sig in signatures:
        if sig.sig_object.get("/Type") == "/DocTimeStamp":
            continue
        reports.append(_check(sig, trust, extra_crls, extra_certs, extra_ocsps, lta=_has_doc_ts(signatures)))
    return VerificationReport(sha, len(data), tuple(reports))


def _dss_contents(reader: PdfFileReader) -> tuple[tuple, tuple, tuple]:
    """Certificates, CRLs and OCSP responses embedded in the document security store (B-LT/B-LTA)."""
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except (KeyError, ValueError, PdfError, TypeError):
        return (), (), ()
    try:
        certs = tuple(dss.load_certs())
        crls = tuple(asn1_crl.CertificateList.load(ref.get_object().read_data(DecodePurpose.CRL))
                     for ref in dss.crls)
        ocsps = tuple(asn1_ocsp.OCSPResponse.load(ref.get_object().read_data(DecodePurpose.OCSP_RESPONSE))
                      for ref in dss.ocsps)
    except (KeyError, ValueError, PdfError, TypeError) as exc:
        log.info("unreadable DSS ignored: %s", exc)
        return (), (), ()
    return certs, crls, ocsps


def _has_doc_ts(signatures: list) -> bool:
    return any(s.sig_object.get("/Type") == "/DocTimeStamp" for s in signatures)


def _check(sig, trust: TrustMaterial, crls: tuple, certs: tuple, ocsps: tuple, *, lta: bool) -> SignatureReport:
    problems: list[str] = []
    context = trust.context(extra_crls=crls, extra_certs=certs, extra_ocsps=ocsps)
    ts_context = trust.context(extra_crls=crls, extra_certs=certs, extra_ocsps=ocsps)
    try:
        status = _in_thread(lambda: validate_pdf_signature(sig, context, ts_context))
    except Exception as exc:  # a malformed signature must give a report, not a crash
        log.info("signature %s could not be validated: %s", sig.field_name, exc)
        return SignatureReport(sig.field_name or "", "", "", False, False, False, False, "UNCLEAR", "UNKNOWN",
                               True, None, None, "unknown", (f"validation error: {exc}",))
    cert = status.signing_cert
    modification = status.modification_level
    mod_name = modification.name if modification is not None else "UNKNOWN"
    coverage = status.coverage.name if status.coverage is not None else "UNCLEAR"
    modified = not (
        status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        or (status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and modification in _ALLOWED_AFTER)
    )
    if modified:
        problems.append(f"document changed after signing ({mod_name})")
    if not status.intact:
        problems.append("signed bytes do not match the signature digest")
    if not status.valid:
        problems.append("cryptographic signature invalid")
    if not status.trusted:
        problems.append(f"chain not trusted or revocation data missing ({status.trust_problem_indic})")
    if status.revoked:
        problems.append("signing certificate revoked")
    ts = None
    if status.timestamp_validity is not None:
        tsv = status.timestamp_validity
        ts = TimestampReport(tsv.timestamp, tsv.intact, tsv.valid, tsv.trusted,
                             tsv.signing_cert.subject.human_friendly if tsv.signing_cert else "")
        if not (tsv.intact and tsv.valid and tsv.trusted):
            problems.append("signature timestamp not valid or not trusted")
    has_dss = bool(crls or certs)
    level = "B-LTA" if lta and has_dss else "B-LT" if has_dss and ts else "B-T" if ts else "B-B"
    return SignatureReport(
        field_name=sig.field_name or "", signer=cert.subject.human_friendly,
        signer_cert_sha256=hashlib.sha256(cert.dump()).hexdigest(),
        intact=bool(status.intact), valid=bool(status.valid), trusted=bool(status.trusted),
        revoked=bool(status.revoked), coverage=coverage, modification=mod_name, modified=modified,
        signing_time=status.signer_reported_dt, timestamp=ts, pades_level=level, problems=tuple(problems),
    )


def _in_thread(call):  # type: ignore[no-untyped-def]
    """pyHanko's sync API runs its own event loop; from inside a running loop use a helper thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    box: list = []

    def target() -> None:
        try:
            box.append((True, call()))
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            box.append((False, exc))

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    ok, value = box[0]
    if not ok:
        raise value
    return value
