"""The OCR job table: one row per job; also the outbox (``published_at``) and the lease."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from intake.db import IntakeBase


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


PENDING = frozenset({JobState.QUEUED, JobState.RUNNING})
FINISHED = frozenset({JobState.DONE, JobState.FAILED})


class OcrJobRow(IntakeBase):
    __tablename__ = "intake_ocr_jobs"

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    doc_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    state: Mapped[str] = mapped_column(sa.String(16), index=True)
    pages_done: Mapped[int] = mapped_column(sa.Integer, default=0)
    pages_total: Mapped[int | None] = mapped_column(sa.Integer, nullable=True)
    doc_type: Mapped[str | None] = mapped_column(sa.String(64), nullable=True)
    error_code: Mapped[str | None] = mapped_column(sa.String(64), nullable=True)
    error_message: Mapped[str | None] = mapped_column(sa.Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True), nullable=True)
    # outbox: NULL until the dispatcher handed the job to the queue
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True), nullable=True)
    # lease: who holds the job (host:pid:nonce) and until when; renewed while it runs
    lease_owner: Mapped[str | None] = mapped_column(sa.String(96), nullable=True)
    lease_expires_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True), nullable=True)
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
