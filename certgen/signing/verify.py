"""Verify the PAdES signatures and document timestamps of a PDF; say exactly what was checked.

Strict on purpose: the chain must lead to a configured root *with revocation data present* for
every certificate (pyHanko's soft-fail default would call a chain trusted without any), and any
incremental update after a signature other than validation data (DSS / document timestamps) makes
the report ``modified`` — even when the signature bytes themselves are intact. Every /DocTimeStamp
is validated too (token intact, TSA trusted, revision covered); the PAdES level reported is the one
the checks proved. Nothing a malformed file does inside pyHanko escapes as an exception other than
``NotAPdfError`` / ``EncryptedPdfError``.
"""

from __future__ import annotations

import hashlib
import io
import logging

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import SignatureCoverageLevel

from certgen.errors import EncryptedPdfError, NotAPdfError
from certgen.signing.dss import dss_contents, in_thread
from certgen.signing.reports import DocTimestampReport, SignatureReport, TimestampReport, VerificationReport
from certgen.signing.signer import TrustMaterial

log = logging.getLogger("onceonly.certgen.verify")

_ALLOWED_AFTER = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)
_COVERED = (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION)


def verify_pdf(data: bytes, trust: TrustMaterial) -> VerificationReport:
    """Check every signature and document timestamp in ``data`` against ``trust``.

    Raises ``EncryptedPdfError`` for an encrypted file and ``NotAPdfError`` for one whose structure
    cannot be read; a bad signature or timestamp is reported, never raised.
    """
    sha = hashlib.sha256(data).hexdigest()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        encrypted = reader.encrypted
    except Exception as exc:  # noqa: BLE001 - pyHanko raises many kinds (even AssertionError)
        raise NotAPdfError(f"cannot read PDF: {type(exc).__name__}") from exc
    if encrypted:
        raise EncryptedPdfError("the PDF is encrypted; its signatures cannot be checked")
    try:
        readable, unreadable = _collect(reader)
        certs, crls, ocsps = dss_contents(reader)
    except Exception as exc:  # noqa: BLE001
        raise NotAPdfError(f"cannot read the PDF's signature fields: {type(exc).__name__}") from exc
    context = lambda: trust.context(extra_crls=crls, extra_certs=certs, extra_ocsps=ocsps)  # noqa: E731
    doc_ts = tuple(_check_doc_ts(s, context()) for s in readable if _is_doc_ts(s))
    has_dss = bool(crls or certs or ocsps)
    reports = [_check(s, context, has_dss, doc_ts) for s in readable if not _is_doc_ts(s)]
    reports += [_unreadable(name, problem) for name, problem in unreadable]
    revisions = tuple(hashlib.sha256(data[:end]).hexdigest()
                      for end in sorted({_revision_end(s) for s in readable} - {0}) if end <= len(data))
    return VerificationReport(sha, len(data), tuple(reports), doc_ts, revisions)


def _collect(reader: PdfFileReader) -> tuple[list[EmbeddedPdfSignature], list[tuple[str, str]]]:
    """Every filled signature field; those pyHanko cannot even parse are kept as 'unreadable'."""
    readable, unreadable = [], []
    for name, _value, field in enumerate_sig_fields(reader, filled_status=True):
        try:
            readable.append(EmbeddedPdfSignature(reader, field, name))
        except Exception as exc:  # noqa: BLE001 - a damaged CMS blob, a missing /ByteRange, ...
            unreadable.append((name or "", f"signature cannot be parsed ({type(exc).__name__})"))
    readable.sort(key=lambda s: s.signed_revision)
    return readable, unreadable


def _is_doc_ts(sig: EmbeddedPdfSignature) -> bool:
    return sig.sig_object.get("/Type") == "/DocTimeStamp"


def _revision_end(sig: EmbeddedPdfSignature) -> int:
    try:
        a, b, c, d = (int(x) for x in sig.byte_range)
        return c + d
    except Exception:  # noqa: BLE001
        return 0


def _unreadable(name: str, problem: str) -> SignatureReport:
    return SignatureReport(name, "", "", False, False, False, False, "UNCLEAR", "UNKNOWN", True, None, None,
                           "none", (problem,))


def _check_doc_ts(sig: EmbeddedPdfSignature, context) -> DocTimestampReport:  # type: ignore[no-untyped-def]
    end = _revision_end(sig)
    try:
        status = in_thread(lambda: validate_pdf_timestamp(sig, context))
    except Exception as exc:  # noqa: BLE001
        log.info("document timestamp %s could not be validated: %s", sig.field_name, exc)
        return DocTimestampReport(sig.field_name or "", None, False, False, False, "", "UNCLEAR", "UNKNOWN", end,
                                  (f"document timestamp cannot be validated ({type(exc).__name__})",))
    problems = []
    if not status.intact:
        problems.append("document timestamp does not match the bytes it covers")
    if not status.valid:
        problems.append("document timestamp token signature invalid")
    if not status.trusted:
        problems.append("document timestamp TSA not trusted")
    modification = status.modification_level
    if status.coverage not in _COVERED or (
            status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and modification not in _ALLOWED_AFTER):
        problems.append("document changed after the document timestamp")
    tsa = status.signing_cert.subject.human_friendly if status.signing_cert else ""
    return DocTimestampReport(
        sig.field_name or "", status.timestamp, bool(status.intact), bool(status.valid), bool(status.trusted), tsa,
        status.coverage.name if status.coverage is not None else "UNCLEAR",
        modification.name if modification is not None else "UNKNOWN", end, tuple(problems))


def _check(sig: EmbeddedPdfSignature, context, has_dss: bool,  # type: ignore[no-untyped-def]
           doc_ts: tuple[DocTimestampReport, ...]) -> SignatureReport:
    problems: list[str] = []
    end = _revision_end(sig)
    try:
        status = in_thread(lambda: validate_pdf_signature(sig, context(), context()))
    except Exception as exc:  # noqa: BLE001 - a malformed signature must give a report, not a crash
        log.info("signature %s could not be validated: %s", sig.field_name, exc)
        return _unreadable(sig.field_name or "", f"validation error ({type(exc).__name__})")
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
    later_ts = [t for t in doc_ts if t.revision_end > end]
    if any(not t.ok for t in later_ts):
        problems.append("a document timestamp after this signature does not verify")
    return SignatureReport(
        field_name=sig.field_name or "", signer=cert.subject.human_friendly,
        signer_cert_sha256=hashlib.sha256(cert.dump()).hexdigest(),
        intact=bool(status.intact), valid=bool(status.valid), trusted=bool(status.trusted),
        revoked=bool(status.revoked), coverage=coverage, modification=mod_name, modified=modified,
        signing_time=status.signer_reported_dt, timestamp=ts,
        pades_level=_level(status, ts, has_dss, later_ts), problems=tuple(problems), revision_end=end,
    )


def _level(status, ts: TimestampReport | None, has_dss: bool,  # type: ignore[no-untyped-def]
           later_ts: list[DocTimestampReport]) -> str:
    """The PAdES level proven: a level counts only when what it adds verified."""
    if not (status.intact and status.valid):
        return "none"
    if ts is None or not (ts.intact and ts.valid and ts.trusted):
        return "B-B"
    if not (has_dss and status.trusted):
        return "B-T"
    if later_ts and all(t.ok for t in later_ts):
        return "B-LTA"
    return "B-LT"
