"""What a courier label says, validated once when it is built from plain data."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from certgen.errors import LabelDataError
from certgen.labels.masking import address_district, mask_address, mask_name, mask_phone

_PHONE = re.compile(r"^[+\d][\d\s\-()]{5,24}$")
_WAYBILL = re.compile(r"^[A-Z0-9]{6,30}$")


@dataclass(frozen=True)
class Party:
    """A sender or recipient with the full, unmasked details."""

    name: str
    phone: str
    address: str

    @classmethod
    def from_dict(cls, data: Any, where: str) -> Party:
        if not isinstance(data, dict):
            raise LabelDataError(f"{where} must be an object", message_zh=f"{where} 必须是对象")
        values = {}
        for key in ("name", "phone", "address"):
            value = data.get(key)
            if not isinstance(value, str) or not value.strip():
                raise LabelDataError(
                    f"{where}.{key} is required", message_zh=f"缺少 {where}.{key}"
                )
            if len(value) > 200:
                raise LabelDataError(f"{where}.{key} is too long", message_zh=f"{where}.{key} 过长")
            values[key] = value.strip()
        if not _PHONE.match(values["phone"]):
            raise LabelDataError(
                f"{where}.phone is not a phone number", message_zh=f"{where}.phone 不是有效电话号码"
            )
        return cls(**values)


@dataclass(frozen=True)
class MaskedRecipient:
    """The recipient as printed: what a courier may see."""

    name: str
    phone: str
    address: str


@dataclass(frozen=True)
class LabelData:
    """Everything one label shows. The recipient is masked by the renderer, never by the caller."""

    waybill: str
    sender: Party
    recipient: Party
    contents: tuple[str, ...]
    case_ref: str
    carrier: str = "EMS"
    date: str = ""
    destination: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def masked_recipient(self) -> MaskedRecipient:
        return MaskedRecipient(
            name=mask_name(self.recipient.name),
            phone=mask_phone(self.recipient.phone),
            address=" ".join(self.recipient.address.split()),  # a courier must find the door
        )

    @property
    def destination_text(self) -> str:
        """Routing text printed large: the given destination or the recipient's city and district."""
        return self.destination or address_district(self.recipient.address) or mask_address(
            self.recipient.address
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["contents"] = list(self.contents)
        return data

    @classmethod
    def from_dict(cls, data: Any) -> LabelData:
        """Validate plain (JSON) data; raise ``LabelDataError`` naming the bad key."""
        if not isinstance(data, dict):
            raise LabelDataError("label data must be a JSON object", message_zh="面单数据必须是 JSON 对象")
        waybill = data.get("waybill")
        if not isinstance(waybill, str) or not _WAYBILL.match(waybill.strip().upper()):
            raise LabelDataError(
                "waybill must be 6-30 letters or digits", message_zh="waybill 运单号必须为 6-30 位字母或数字"
            )
        contents = data.get("contents")
        if isinstance(contents, str):
            contents = [contents]
        if (
            not isinstance(contents, list)
            or not contents
            or not all(isinstance(c, str) and c.strip() for c in contents)
        ):
            raise LabelDataError(
                "contents must be a non-empty list of strings", message_zh="contents 内件必须是非空字符串列表"
            )
        case_ref = data.get("case_ref")
        if not isinstance(case_ref, str) or not case_ref.strip() or len(case_ref) > 64:
            raise LabelDataError("case_ref is required (at most 64 characters)", message_zh="缺少 case_ref 办件编号")
        optional = {}
        for key in ("carrier", "date", "destination"):
            value = data.get(key)
            if value is None:
                continue
            if not isinstance(value, str) or len(value) > 60:
                raise LabelDataError(f"{key} must be a short string", message_zh=f"{key} 必须是短字符串")
            optional[key] = value.strip()
        return cls(
            waybill=waybill.strip().upper(),
            sender=Party.from_dict(data.get("sender"), "sender"),
            recipient=Party.from_dict(data.get("recipient"), "recipient"),
            contents=tuple(c.strip() for c in contents),
            case_ref=case_ref.strip(),
            **optional,
        )


EXAMPLE: dict[str, Any] = {
    "waybill": "EA123456785CN",
    "carrier": "中国邮政 EMS",
    "date": "2026-11-22",
    "case_ref": "WZ-2026-000123",
    "sender": {
        "name": "温州市鹿城区行政审批服务局",
        "phone": "0577-88960000",
        "address": "浙江省温州市鹿城区府东路 1 号市民中心 B 区",
    },
    "recipient": {
        "name": "王小明",
        "phone": "13155551907",
        "address": "浙江省温州市鹿城区五马街道解放街 123 号 3 幢 501 室",
    },
    "contents": ["行政许可决定书", "许可证正本"],
}
"""A valid input for ``onceonly label --example``."""
