"""Delivery tables (all prefixed ``delivery_``); the Alembic revision ``delivery_0001`` creates them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from intake.db import IntakeBase

TZ = DateTime(timezone=True)


class DeliveryOrderRow(IntakeBase):
    """How a case's results reach the applicant: one row per case."""

    __tablename__ = "delivery_orders"

    case_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    method: Mapped[str] = mapped_column(String(16))  # pickup | download | courier
    recipient_name: Mapped[str | None] = mapped_column(String(200))
    recipient_phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(300))
    contents: Mapped[list] = mapped_column(JSON)
    updated_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(TZ)
    updated_at: Mapped[datetime] = mapped_column(TZ)


class ParcelRow(IntakeBase):
    """One shipment with one waybill number; a returned parcel keeps its number forever."""

    __tablename__ = "delivery_parcels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    waybill: Mapped[str] = mapped_column(String(40), unique=True)
    case_id: Mapped[str] = mapped_column(String(32), index=True)
    dispatch_date: Mapped[date] = mapped_column(Date, index=True)
    state: Mapped[str] = mapped_column(String(16), index=True)  # ready|picked_up|delivered|returned
    recipient_name: Mapped[str] = mapped_column(String(200))
    recipient_phone: Mapped[str] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(String(300))
    contents: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(TZ)
    created_by: Mapped[str] = mapped_column(String(100))
    picked_up_at: Mapped[datetime | None] = mapped_column(TZ)
    picked_up_by: Mapped[str | None] = mapped_column(String(100))
    delivered_at: Mapped[datetime | None] = mapped_column(TZ)
    delivered_by: Mapped[str | None] = mapped_column(String(100))
    returned_at: Mapped[datetime | None] = mapped_column(TZ)
    returned_by: Mapped[str | None] = mapped_column(String(100))
    return_reason: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None] = mapped_column(TZ)  # a clerk handled the returned parcel


class ScanRow(IntakeBase):
    """Every scan a courier made, including repeats (``effective`` is false for those)."""

    __tablename__ = "delivery_scans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    waybill: Mapped[str] = mapped_column(String(40), index=True)
    event: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(TZ)
    courier: Mapped[str] = mapped_column(String(100))
    key_id: Mapped[str | None] = mapped_column(String(64))
    effective: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)


class WaybillCounterRow(IntakeBase):
    """The last serial handed out per numbering scheme; it only ever grows."""

    __tablename__ = "delivery_waybill_counters"

    scheme: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_serial: Mapped[int] = mapped_column(Integer)


class HandoverLinkRow(IntakeBase):
    """A download link for the applicant; only the token's SHA-256 is stored."""

    __tablename__ = "delivery_handover_links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(32), index=True)
    document_ids: Mapped[list] = mapped_column(JSON)
    suffix_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(TZ)
    created_by: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[datetime] = mapped_column(TZ)
    max_downloads: Mapped[int] = mapped_column(Integer)
    downloads: Mapped[int] = mapped_column(Integer)
    revoked_at: Mapped[datetime | None] = mapped_column(TZ)


class HandoverFailureRow(IntakeBase):
    """Failed hand-over attempts, per client and per token, for rate limiting across replicas."""

    __tablename__ = "delivery_handover_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject: Mapped[str] = mapped_column(String(100), index=True)
    at: Mapped[datetime] = mapped_column(TZ, index=True)
