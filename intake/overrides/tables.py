"""Overrides of blocking findings, one row per decision (never edited or deleted: the audit trail).

Created by the Alembic revision ``intake/migrations/versions/checks_0001_overrides.py``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from intake.db import IntakeBase

__all__ = ["OverrideRow"]


class OverrideRow(IntakeBase):
    __tablename__ = "intake_check_overrides"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("intake_cases.id"), index=True)
    finding_key: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(64))
    material_id: Mapped[str | None] = mapped_column(String(80), nullable=True)
    doc_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    field: Mapped[str | None] = mapped_column(String(80), nullable=True)
    message_zh: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    actor_name: Mapped[str] = mapped_column(String(100))
    actor_role: Mapped[str] = mapped_column(String(32))
    key_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
