"""Immutable views of delivery data, and the pure rule of what a courier's scan does."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal, get_args

from certgen.labels import mask_name, mask_phone
from intake.delivery.errors import ParcelStateError

DeliveryMethod = Literal["pickup", "download", "courier"]
METHODS: tuple[str, ...] = get_args(DeliveryMethod)
ParcelState = Literal["ready", "picked_up", "delivered", "returned"]
ScanEvent = Literal["picked_up", "delivered", "returned"]
SCAN_EVENTS: tuple[str, ...] = ("picked_up", "delivered", "returned")
ACTIVE_PARCEL_STATES = ("ready", "picked_up")

_NEXT: dict[tuple[str, str], str] = {
    ("ready", "picked_up"): "picked_up",
    ("picked_up", "delivered"): "delivered",
    ("picked_up", "returned"): "returned",
}


def scan_outcome(state: str, event: str) -> str | None:
    """The parcel's new state after a scan, ``None`` for a repeat (idempotent), or ``ParcelStateError``."""
    if event not in SCAN_EVENTS:
        raise ParcelStateError(f"unknown scan event {event!r}; use one of {', '.join(SCAN_EVENTS)}")
    if state == event:
        return None
    target = _NEXT.get((state, event))
    if (state, event) == ("ready", "delivered"):
        raise ParcelStateError(
            "a parcel still at the counter cannot be delivered: scan its pick-up by the courier first",
            message_zh="运单尚未揽收，不能直接签收：请先由快递员扫描揽收", state=state, event=event,
        )
    if target is None:
        raise ParcelStateError(
            f"a parcel that is {state} cannot be scanned as {event}",
            message_zh=f"运单当前状态为 {state}，不能扫描为 {event}",
            state=state,
            event=event,
        )
    return target


@dataclass(frozen=True)
class Parcel:
    waybill: str
    case_id: str
    dispatch_date: dt.date
    state: ParcelState
    recipient_name: str
    recipient_phone: str
    address: str
    contents: tuple[str, ...]
    created_at: dt.datetime
    picked_up_at: dt.datetime | None = None
    picked_up_by: str | None = None
    delivered_at: dt.datetime | None = None
    delivered_by: str | None = None
    returned_at: dt.datetime | None = None
    returned_by: str | None = None
    return_reason: str | None = None
    resolved_at: dt.datetime | None = None

    def as_dict(self, *, masked: bool) -> dict[str, Any]:
        """JSON-ready; ``masked=True`` is what a courier may see: name and phone masked, the address
        in full (the courier must find the door)."""
        name, phone, address = self.recipient_name, self.recipient_phone, self.address
        if masked:
            name, phone = mask_name(name), mask_phone(phone)
        out: dict[str, Any] = {
            "waybill": self.waybill, "case_id": self.case_id, "dispatch_date": self.dispatch_date.isoformat(),
            "state": self.state, "recipient": {"name": name, "phone": phone, "address": address},
            "contents": list(self.contents),
        }
        for key in ("created_at", "picked_up_at", "delivered_at", "returned_at", "resolved_at"):
            value = getattr(self, key)
            out[key] = value.isoformat() if value else None
        for key in ("picked_up_by", "delivered_by", "returned_by", "return_reason"):
            out[key] = getattr(self, key)
        return out


@dataclass(frozen=True)
class ScanResult:
    parcel: Parcel
    event: str
    changed: bool
    """False when the scan repeated one already recorded (nothing changed)."""


@dataclass(frozen=True)
class HandoverLink:
    """A freshly made link. The token is shown once and stored only as a hash."""

    token: str
    case_id: str
    document_ids: tuple[str, ...]
    expires_at: dt.datetime
    max_downloads: int


@dataclass(frozen=True)
class DeliveryOrder:
    case_id: str
    method: DeliveryMethod
    recipient_name: str | None
    recipient_phone: str | None
    address: str | None
    contents: tuple[str, ...]
    updated_by: str
    updated_at: dt.datetime
    parcels: tuple[Parcel, ...] = ()
    handover: HandoverLink | None = None
