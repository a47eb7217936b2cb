"""The data a notice carries (DOMAIN.md §4). Plain values: certgen knows nothing of cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from certgen.errors import NoticeDataError

__all__ = ["NoticeItem", "NoticeData", "NoticeDataError", "NoticeKind", "TITLES"]

NoticeKind = Literal["correction", "deficiency"]

TITLES: dict[str, str] = {
    "correction": "一次性告知书（补正材料通知书）",
    "deficiency": "容缺受理通知书",
}


@dataclass(frozen=True)
class NoticeItem:
    """One material that must be supplemented, with the standard it must meet."""

    name: str
    standard: str
    kind: Literal["main", "secondary"] = "main"


@dataclass(frozen=True)
class NoticeData:
    kind: NoticeKind
    number: str
    """Agency abbreviation + [year] + sequence, e.g. ``温市监补字〔2026〕第0007号``."""
    department_name: str
    applicant_name: str
    owner_code: str
    contact_phone: str
    matter_name: str
    case_id: str
    applied_on: dt.date
    issued_on: dt.date
    officer_name: str
    officer_phone: str
    legal_basis: str
    items: tuple[NoticeItem, ...]
    department_address: str = ""
    department_phone: str = ""
    # 容缺受理通知书 only
    deadline: dt.date | None = None
    supplement_methods: tuple[str, ...] = ()
    consequence: str = ""
    committed_days: int | None = None
    #: False prints a clear "unsigned" mark on every page (no e-seal has been applied)
    will_be_signed: bool = False
    copies: tuple[str, ...] = field(default=())

    def validate(self) -> None:
        missing = [
            name
            for name in ("number", "department_name", "applicant_name", "matter_name", "legal_basis", "officer_name")
            if not str(getattr(self, name) or "").strip()
        ]
        if not self.items:
            missing.append("items")
        if self.kind == "deficiency":
            if self.deadline is None:
                missing.append("deadline")
            if not self.supplement_methods:
                missing.append("supplement_methods")
            if not self.consequence.strip():
                missing.append("consequence")
        if missing:
            raise NoticeDataError(
                f"notice data lacks: {', '.join(missing)}", message_zh=f"告知书缺少以下内容：{'、'.join(missing)}"
            )

    @property
    def title(self) -> str:
        return TITLES[self.kind]

    @property
    def copy_labels(self) -> tuple[str, ...]:
        """One page per copy: the 容缺受理通知书 is issued in two (applicant, file)."""
        if self.copies:
            return self.copies
        if self.kind == "deficiency":
            return ("第一联：申请人留存", "第二联：存档")
        return ("申请人留存",)
