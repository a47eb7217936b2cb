"""Tables of cases (办件), their transitions, materials and clerk input (notices: intake/notices.py).

Created by the Alembic revision ``intake/migrations/versions/cases_0001_cases.py``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from intake.db import IntakeBase

__all__ = ["CaseRow", "TransitionRow", "CaseMaterialRow", "FieldInputRow"]


class CaseRow(IntakeBase):
    __tablename__ = "intake_cases"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    matter_id: Mapped[str] = mapped_column(String(80), index=True)
    department_id: Mapped[str] = mapped_column(String(80), index=True)
    owner_code: Mapped[str] = mapped_column(String(32), index=True)
    owner_code_type: Mapped[str] = mapped_column(String(16))
    owner_code_valid: Mapped[bool] = mapped_column(Boolean)
    owner_code_warning: Mapped[str | None] = mapped_column(String(64), nullable=True)
    applicant_name: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    state: Mapped[str] = mapped_column(String(32), index=True)
    centre: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)  # case_centres_0001
    received_on: Mapped[dt.date] = mapped_column(Date)
    accepted_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    committed_due: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    supplement_deadline: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    visits: Mapped[int] = mapped_column(Integer, default=1)
    officer_name: Mapped[str] = mapped_column(String(100), default="")
    officer_phone: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class TransitionRow(IntakeBase):
    __tablename__ = "intake_case_transitions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("intake_cases.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(32), nullable=True)
    to_state: Mapped[str] = mapped_column(String(32))
    actor_name: Mapped[str] = mapped_column(String(100))
    actor_role: Mapped[str] = mapped_column(String(32))
    key_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class CaseMaterialRow(IntakeBase):
    __tablename__ = "intake_case_materials"
    __table_args__ = (UniqueConstraint("case_id", "material_id", name="uq_intake_case_material"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("intake_cases.id"), index=True)
    material_id: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(16))  # missing | provided | reused | rejected
    doc_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reused_from_case: Mapped[str | None] = mapped_column(String(64), nullable=True)
    rejected_doc_ids: Mapped[list] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class FieldInputRow(IntakeBase):
    """A value the clerk typed (``kind='clerk'``) or chose to settle a conflict (``'resolution'``)."""

    __tablename__ = "intake_case_field_inputs"
    __table_args__ = (UniqueConstraint("case_id", "field", "kind", name="uq_intake_case_field_input"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("intake_cases.id"), index=True)
    field: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(Text)
    actor_name: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
