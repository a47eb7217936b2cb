"""真实性 at intake: a signed PDF's signatures are validated when it is received, and the result kept.

The archive finds the signatures (it only parses); this module holds the trust material, so the
validation happens here, with certgen's strict verifier, and is written into the document's
``checks`` report. A signature that does not validate is a flag for the clerk, never a refusal:
the original is evidence either way.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable

from archive import CHECKS_KIND, Actor, Archive, DocumentRecord
from certgen import verify_pdf
from certgen.signing import TrustMaterial

SignatureCheck = Callable[[bytes], dict[str, Any]]


def signature_check(trust: Callable[[], TrustMaterial]) -> SignatureCheck:
    """A check validating every signature of a PDF against the trust ``trust()`` returns."""

    def check(pdf: bytes) -> dict[str, Any]:
        try:
            report = verify_pdf(pdf, trust())
        except Exception as exc:  # noqa: BLE001 - an unreadable signature is a finding, not a crash
            return {"ok": False, "error": type(exc).__name__, "signatures": []}
        return {"ok": report.ok, "signatures": [
            {"field": s.field_name, "signer": s.signer, "intact": s.intact, "valid": s.valid,
             "trusted": s.trusted, "revoked": s.revoked, "modified": s.modified, "pades_level": s.pades_level,
             "problems": list(s.problems)} for s in report.signatures]}

    return check


def validate_signatures(archive: Archive, record: DocumentRecord, actor: Actor, check: SignatureCheck,
                        report: dict[str, Any] | None = None) -> None:
    """If the intake report (``report``, else the stored one) found signatures in ``record``, validate
    them and keep the result."""
    report = report if report is not None else archive.get_derived(record.id, CHECKS_KIND)
    if not report or not (report.get("authenticity") or {}).get("signatures"):
        return
    pdf = archive.read(record.id, actor=actor, purpose="四性检测：签名验证", action="check")
    result = check(pdf) | {"checked_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    report["authenticity"]["validated"] = result
    archive.put_derived(record.id, CHECKS_KIND, report)
