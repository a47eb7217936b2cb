"""Bodies of the delivery routes: the clerk's choice, parcels, scans, hand-over links."""

from __future__ import annotations

from typing import Any, Literal

from api.schemas.common import Day, Out, Timestamp
from intake import DeliveryOrder
from intake.delivery.views import ParcelState


class RecipientOut(Out):
    name: str | None
    phone: str | None
    address: str | None


class ParcelOut(Out):
    """A parcel; a courier sees the recipient masked (``王**``, ``131****1907``)."""

    waybill: str
    case_id: str
    dispatch_date: Day
    state: ParcelState
    recipient: RecipientOut
    contents: list[str]
    created_at: Timestamp | None
    picked_up_at: Timestamp | None
    delivered_at: Timestamp | None
    returned_at: Timestamp | None
    resolved_at: Timestamp | None
    picked_up_by: str | None
    delivered_by: str | None
    returned_by: str | None
    return_reason: str | None


class HandoverLinkOut(Out):
    """Shown once, when the link is made: the token is never stored in the clear."""

    token: str
    url: str
    expires_at: Timestamp
    max_downloads: int
    document_ids: list[str]


class DeliveryOut(Out):
    case_id: str
    method: Literal["pickup", "download", "courier"]
    recipient: RecipientOut
    contents: list[str]
    updated_by: str
    updated_at: Timestamp
    parcels: list[ParcelOut]
    handover: HandoverLinkOut | None = None


class ParcelListOut(Out):
    items: list[ParcelOut]


class DispatchOut(ParcelListOut):
    date: Day


class ScanOut(Out):
    event: Literal["picked_up", "delivered", "returned"]
    changed: bool
    parcel: ParcelOut


class HandoverDocumentOut(Out):
    id: str
    filename: str | None
    size: int
    media_type: str


class HandoverOut(Out):
    case_id: str
    expires_at: Timestamp
    downloads_left: int
    documents: list[HandoverDocumentOut]


def order_json(order: DeliveryOrder, base_url: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "case_id": order.case_id, "method": order.method,
        "recipient": {"name": order.recipient_name, "phone": order.recipient_phone, "address": order.address},
        "contents": list(order.contents), "updated_by": order.updated_by,
        "updated_at": order.updated_at.isoformat(),
        "parcels": [p.as_dict(masked=False) for p in order.parcels],
    }
    if order.handover is not None:  # the token is shown once, here
        link = order.handover
        body["handover"] = {
            "token": link.token, "url": f"{base_url.rstrip('/')}/api/v1/handover#{link.token}",
            "expires_at": link.expires_at.isoformat(), "max_downloads": link.max_downloads,
            "document_ids": list(link.document_ids),
        }
    return body
