"""Plain values the licence service hands out (frozen)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from certgen.signing import VerificationReport


@dataclass(frozen=True)
class IssuedLicence:
    identifier: str
    number: str
    template_id: str
    name: str
    holder_name: str
    holder_code: str
    authority_name: str
    authority_code: str
    issue_date: date
    valid_from: date
    valid_until: date | None
    sha256: str
    document_id: str
    case_id: str | None
    evidence: tuple[str, ...]
    permit_numbers: tuple[dict[str, Any], ...]
    status: str  # valid | revoked | superseded (stored); see ``effective_status``
    status_reason: str | None
    superseded_by: str | None
    status_changed_at: datetime | None
    issued_by: str
    created_at: datetime
    warnings: tuple[str, ...] = ()

    def effective_status(self, today: date) -> str:
        """valid | expired | revoked | superseded, as a verifier should report it today."""
        if self.status != "valid":
            return self.status
        if self.valid_until is not None and self.valid_until < today:
            return "expired"
        return "valid"


@dataclass(frozen=True)
class LicenceCheck:
    """The answer to "is this PDF a genuine, current licence?"."""

    report: VerificationReport  # signatures: intact, trusted, timestamp, modified
    licence: IssuedLicence | None  # the registry entry whose issued PDF has exactly this hash
    status: str  # valid | expired | revoked | superseded | unknown
    claimed_identifier: str | None  # from the embedded JSON (may be forged; hash decides)
    matched_revision: bool = False  # the registry matched a signed revision (later: validation data only)

    @property
    def genuine(self) -> bool:
        return self.report.ok and self.licence is not None

    @property
    def verdict(self) -> str:
        """One word for people: valid, expired, revoked, superseded, modified, invalid, foreign or unknown.

        ``foreign``: every signature is intact and cryptographically valid but not by a signer this
        service trusts (another issuer) — genuine, just not ours; never called invalid.
        """
        if not self.report.signed:
            return "unsigned"
        if any(s.modified for s in self.report.signatures) and all(s.intact for s in self.report.signatures):
            return "modified"
        if (all(s.genuine_but_untrusted or s.ok for s in self.report.signatures)
                and any(s.genuine_but_untrusted for s in self.report.signatures)):
            return "foreign"
        if not self.report.ok:
            return "invalid"
        if self.licence is None:
            return "unknown"
        return self.status
