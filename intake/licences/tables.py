"""Registry tables: every issued licence, and the per-issuer sequences its numbers come from."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from intake.db import IntakeBase


class LicenceRow(IntakeBase):
    __tablename__ = "licences"
    __table_args__ = (UniqueConstraint("number", "template_id", name="uq_licences_number"),)

    identifier: Mapped[str] = mapped_column(String(120), primary_key=True)
    number: Mapped[str] = mapped_column(String(80), nullable=False)
    template_id: Mapped[str] = mapped_column(String(64), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    holder_name: Mapped[str] = mapped_column(String(200), nullable=False)
    holder_code: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    authority_name: Mapped[str] = mapped_column(String(200), nullable=False)
    authority_code: Mapped[str] = mapped_column(String(32), nullable=False)
    issue_date: Mapped[date] = mapped_column(Date, nullable=False)
    valid_from: Mapped[date] = mapped_column(Date, nullable=False)
    valid_until: Mapped[date | None] = mapped_column(Date)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    document_id: Mapped[str] = mapped_column(String(64), nullable=False)
    case_id: Mapped[str | None] = mapped_column(String(64), index=True)
    evidence: Mapped[list] = mapped_column(JSON, nullable=False)
    permit_numbers: Mapped[list] = mapped_column(JSON, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # valid | revoked | superseded
    status_reason: Mapped[str | None] = mapped_column(Text)
    superseded_by: Mapped[str | None] = mapped_column(String(120))
    status_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status_changed_by: Mapped[str | None] = mapped_column(String(100))
    issued_by: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class LicenceSequenceRow(IntakeBase):
    """One counter per issuer and sequence name; bumped by a single atomic UPDATE."""

    __tablename__ = "licence_sequences"

    issuer_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, nullable=False)


class CaseClaimRow(IntakeBase):
    """Held while one request signs and archives a case's licence (see ``claims.claim_case``)."""

    __tablename__ = "licence_case_claims"

    case_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    token: Mapped[str] = mapped_column(String(32), nullable=False)
    claimed_by: Mapped[str] = mapped_column(String(100), nullable=False)
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
