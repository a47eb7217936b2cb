"""What the checks read (facts of a case and its documents) and what they say (findings)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Severity", "Finding", "DocumentFacts", "CaseFacts"]

Severity = Literal["blocking", "warning"]


@dataclass(frozen=True)
class Finding:
    """One thing wrong with a case. ``blocking`` findings stop 受理/容缺受理/批准 until fixed or
    overridden by an approver with a reason; ``warning`` ones are shown and never stop anything."""

    code: str
    severity: Severity
    material_id: str | None
    doc_id: str | None
    message_zh: str
    message_en: str
    field: str | None = None
    """The form field concerned (form findings)."""

    @property
    def key(self) -> str:
        """What an override names: the same finding on the same document (or field) again."""
        return f"{self.code}:{self.material_id or ''}:{self.doc_id or self.field or ''}"

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "material_id": self.material_id, "doc_id": self.doc_id,
                "field": self.field, "key": self.key, "message_zh": self.message_zh, "message_en": self.message_en}


@dataclass(frozen=True)
class DocumentFacts:
    """A document attached to (or reused for) one material, as its OCR read it."""

    material_id: str
    doc_id: str
    doc_type: str
    """The type given at upload."""
    detected_type: str | None
    """The type the OCR classified it as (None: no OCR result or not classified)."""
    fields: Mapping[str, str]
    """``{OCR label: value}``."""
    archived_on: dt.date
    reused: bool = False


@dataclass(frozen=True)
class CaseFacts:
    owner_code: str
    owner_code_type: str
    applicant_name: str
    today: dt.date
    form: Mapping[str, str | None] = field(default_factory=dict)
    """The form's current values by field name."""
