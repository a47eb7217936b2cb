"""Plain value types the archive hands out. Frozen: callers never mutate catalog state through them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

OWNER_CODE_TYPES = ("uscc", "id_card")
ROLES = ("clerk", "approver", "applicant", "system", "courier", "admin")


@dataclass(frozen=True)
class Actor:
    """Who is acting: recorded in the access log with every read."""

    name: str
    role: str
    key_id: str | None = None


@dataclass(frozen=True)
class DocumentRecord:
    id: str
    sha256: str
    size: int
    media_type: str
    filename: str | None
    owner_code: str
    owner_code_type: str
    doc_type: str
    case_ref: str | None
    created_at: datetime
    retention_until: datetime
    worm: bool = False


@dataclass(frozen=True)
class IngestResult:
    record: DocumentRecord
    created: bool
    checks: dict | None = field(default=None, compare=False)  # the 四性检测 report written with a new row


@dataclass(frozen=True)
class AccessEntry:
    at: datetime
    actor_name: str
    actor_role: str
    key_id: str | None
    document_id: str | None
    owner_code: str | None
    doc_type: str | None
    case_ref: str | None
    purpose: str | None
    action: str
    result: str
    request_hash: str | None


@dataclass(frozen=True)
class ApiKeyRecord:
    id: str
    name: str
    role: str
    scopes: tuple[str, ...]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    display_name: str | None = None
    """The holder's name as people read it (e.g. 王小红); notices print it as 经办人."""
    centre: str | None = None
    """The service centre (e.g. ``wz-lucheng``) a clerk's or approver's key works for."""
    owner_code: str | None = None
    """The citizen or company (统一社会信用代码 / 身份证号) an ``applicant`` key stands for."""

    @property
    def shown_name(self) -> str:
        return self.display_name or self.name


@dataclass(frozen=True)
class IntegrityProblem:
    kind: str  # missing_object | checksum_mismatch | size_mismatch | unreadable_object | unusable_object
    #            | orphaned_object | bad_metadata | leftover_temp_file
    key: str
    document_id: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class IntegrityReport:
    documents_checked: int
    objects_seen: int
    problems: tuple[IntegrityProblem, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, kind: str) -> int:
        return sum(1 for p in self.problems if p.kind == kind)
