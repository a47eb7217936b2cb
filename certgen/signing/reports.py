"""What verification proved, as frozen dataclasses: one per signature, one per document timestamp."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TimestampReport:
    time: datetime
    intact: bool
    valid: bool
    trusted: bool
    tsa: str


@dataclass(frozen=True)
class DocTimestampReport:
    """A /DocTimeStamp (PAdES B-LTA): its token intact and valid, its TSA trusted, its revision covered."""

    field_name: str
    time: datetime | None
    intact: bool
    valid: bool
    trusted: bool
    tsa: str
    coverage: str  # ENTIRE_FILE | ENTIRE_REVISION | ...
    modification: str  # what changed after it: NONE | LTA_UPDATES | ...
    revision_end: int  # byte offset where the timestamped revision ends
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and not self.problems


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
    pades_level: str  # B-B | B-T | B-LT | B-LTA: what the checks proved, not what the file claims
    problems: tuple[str, ...]
    revision_end: int = 0  # byte offset where the signed revision ends

    @property
    def ok(self) -> bool:
        ts_ok = self.timestamp is None or (self.timestamp.intact and self.timestamp.valid and self.timestamp.trusted)
        return self.intact and self.valid and self.trusted and not self.revoked and not self.modified and ts_ok

    @property
    def genuine_but_untrusted(self) -> bool:
        """Cryptographically fine and unchanged, but not by a signer this service trusts (a foreign issuer)."""
        return self.intact and self.valid and not self.trusted and not self.modified and not self.revoked


@dataclass(frozen=True)
class VerificationReport:
    """The whole file: its hash, one report per signature (empty = unsigned), every document timestamp."""

    sha256: str
    size: int
    signatures: tuple[SignatureReport, ...]
    doc_timestamps: tuple[DocTimestampReport, ...] = ()
    #: SHA-256 of every signed revision (the file as it was when each signature / timestamp was made)
    revision_sha256: tuple[str, ...] = ()

    @property
    def signed(self) -> bool:
        return bool(self.signatures)

    @property
    def ok(self) -> bool:
        return (self.signed and all(s.ok for s in self.signatures)
                and all(t.ok for t in self.doc_timestamps))
