"""Whose name and address a courier label gives as the sender: the case's department. Pure.

Order: a sender configured for the department id, else the department as the matter catalog
describes it (name, phone, address), else the service-wide fallback. A label is never printed
without a sender address (a parcel that cannot be returned is refused, not sent).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from intake.delivery.errors import SenderNotConfiguredError
from intake.matters import Department

__all__ = ["Sender", "choose_sender"]


@dataclass(frozen=True)
class Sender:
    """The issuing authority as printed on labels."""

    name: str = "行政审批服务局"
    phone: str = "0577-88960000"
    address: str = ""  # no default address: each department's comes from the matter catalog


def choose_sender(department: Department, configured: Mapping[str, Sender], fallback: Sender) -> Sender:
    chosen = configured.get(department.id)
    if chosen is None and department.address.strip():
        chosen = Sender(department.name, department.phone or fallback.phone, department.address)
    chosen = chosen or fallback
    if not chosen.address.strip() or not chosen.name.strip():
        raise SenderNotConfiguredError(
            f"no sender address is configured for department {department.id}",
            message_zh=f"未为“{department.name}”配置寄件人地址，不能打印面单", department=department.id,
        )
    return chosen
