"""The 四性检测 report of one object: plain JSON stored beside it as the derived file ``checks``.

Sections: ``authenticity`` (真实性: signatures found; their validation is added by the caller that
holds the trust material), ``integrity`` (完整性: SHA-256, size, metadata completeness),
``usability`` (可用性), ``security`` (安全性). ``ok`` is False only when re-checking finds the
stored object no longer good (bit rot); at ingest an unusable file is refused instead.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from archive.checks.limits import CheckLimits
from archive.checks.security import check_type, scan_pdf
from archive.checks.usability import check_usable

CHECKS_KIND = "checks"
VERSION = 1
_REQUIRED_METADATA = ("owner_code", "doc_type", "source", "case_ref")


def run_checks(
    data: bytes, media_type: str, *, sha256: str, filename: str | None, metadata: dict[str, Any],
    limits: CheckLimits,
) -> dict[str, Any]:
    """Check one upload; raise ``DocumentUnusableError`` when it must be refused, else the report."""
    type_info = check_type(data, media_type, filename)
    usability = check_usable(data, media_type, limits, inspect=scan_pdf)  # one parse of a PDF for both
    security: dict[str, Any] = {"ok": True, **type_info, "active_content": [], "flagged": False}
    signatures = 0
    if usability.inspected is not None:
        scan = dict(usability.inspected)
        signatures = scan.pop("signatures")
        security.update(scan)
    return {
        "version": VERSION, "checked_at": _now(), "ok": True,
        "authenticity": {"signatures": signatures, "validated": None},
        "integrity": {"ok": True, "sha256": sha256, "size": len(data), "metadata": metadata_section(metadata)},
        "usability": usability.as_dict(),
        "security": security,
    }


def metadata_section(metadata: dict[str, Any]) -> dict[str, Any]:
    """Which of the archival metadata (owner, type, source, case) are present."""
    missing = [key for key in _REQUIRED_METADATA if not metadata.get(key)]
    return {"complete": not missing, "missing": missing}


def summary(report: dict[str, Any] | None) -> dict[str, Any] | None:
    """A few words for a list or a case material: state, flags, repaired, signatures."""
    if report is None:
        return None
    security = report.get("security") or {}
    usability = report.get("usability") or {}
    recheck = report.get("recheck") or {}
    authenticity = report.get("authenticity") or {}
    ok = bool(report.get("ok", False)) and recheck.get("ok", True)
    flags = list(security.get("active_content") or [])
    if usability.get("repaired"):
        flags.append("repaired")
    if not (report.get("integrity") or {}).get("metadata", {}).get("complete", True):
        flags.append("metadata_incomplete")
    validated = authenticity.get("validated")
    if validated is not None and not validated.get("ok", False):
        flags.append("signature_not_valid")
    return {"state": "passed" if ok and not flags else "flagged" if ok else "failed", "ok": ok,
            "flags": flags, "signatures": authenticity.get("signatures", 0),
            "checked_at": recheck.get("checked_at") or report.get("checked_at")}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
