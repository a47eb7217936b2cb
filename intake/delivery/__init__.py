"""Delivery (送达): pickup, download links and courier parcels with labels and scans."""

from certgen.labels import ZplOptions
from intake.delivery.errors import (
    DeliveryError, DeliveryStateError, HandoverNotFoundError, HandoverRateLimitedError, ParcelNotFoundError,
    ParcelStateError, SenderNotConfiguredError,
)
from intake.delivery.factory import build_delivery
from intake.delivery.handover import HandoverAccess, HandoverConfig, HandoverService
from intake.delivery.ports import CaseGateway, CaseLike, IssuedDocuments
from intake.delivery.senders import Sender, choose_sender
from intake.delivery.service import DeliveryConfig, DeliveryService, Recipient, validate_recipient
from intake.delivery.views import (
    METHODS, SCAN_EVENTS, DeliveryOrder, HandoverLink, Parcel, ScanResult, scan_outcome,
)

__all__ = [
    "METHODS", "SCAN_EVENTS", "CaseGateway", "CaseLike", "DeliveryConfig", "DeliveryError", "DeliveryOrder",
    "DeliveryService", "DeliveryStateError", "HandoverAccess", "HandoverConfig", "HandoverLink",
    "HandoverNotFoundError", "HandoverRateLimitedError", "HandoverService", "IssuedDocuments", "Parcel",
    "ParcelNotFoundError", "ParcelStateError", "Recipient", "ScanResult", "Sender", "SenderNotConfiguredError",
    "choose_sender", "scan_outcome",
    "ZplOptions", "build_delivery", "validate_recipient",
]
