"""Catalog tables: documents, the access log, API keys, idempotency keys, derived data."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class ArchiveBase(DeclarativeBase):
    """Declarative base of the archive's own tables (prefixed ``archive_``)."""


class DocumentRow(ArchiveBase):
    __tablename__ = "archive_documents"
    __table_args__ = (
        UniqueConstraint("owner_code", "doc_type", "sha256", name="uq_archive_documents_owner_type_sha256"),
        Index("ix_archive_documents_owner_type", "owner_code", "doc_type"),
        Index("ix_archive_documents_owner_type_created", "owner_code", "doc_type", "created_at"),  # reuse: newest first
        Index("ix_archive_documents_sha256", "sha256"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    media_type: Mapped[str] = mapped_column(String(64), nullable=False)
    filename: Mapped[str | None] = mapped_column(String(255))
    owner_code: Mapped[str] = mapped_column(String(32), nullable=False)
    owner_code_type: Mapped[str] = mapped_column(String(16), nullable=False)
    doc_type: Mapped[str] = mapped_column(String(64), nullable=False)
    case_ref: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    retention_until: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    worm: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_by: Mapped[str | None] = mapped_column(String(64))


class AccessLogRow(ArchiveBase):
    __tablename__ = "archive_access_log"
    __table_args__ = (
        Index("ix_archive_access_log_owner", "owner_code", "at"),
        Index("ix_archive_access_log_document", "document_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    actor_name: Mapped[str] = mapped_column(String(128), nullable=False)
    actor_role: Mapped[str] = mapped_column(String(16), nullable=False)
    key_id: Mapped[str | None] = mapped_column(String(32))
    document_id: Mapped[str | None] = mapped_column(String(32))
    owner_code: Mapped[str | None] = mapped_column(String(32))
    doc_type: Mapped[str | None] = mapped_column(String(64))
    case_ref: Mapped[str | None] = mapped_column(String(64))
    purpose: Mapped[str | None] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(32), nullable=False)
    result: Mapped[str] = mapped_column(String(32), nullable=False)
    request_hash: Mapped[str | None] = mapped_column(String(64))


class ApiKeyRow(ArchiveBase):
    __tablename__ = "archive_api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(128), nullable=False)
    display_name: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    scopes: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    centre: Mapped[str | None] = mapped_column(String(64))
    owner_code: Mapped[str | None] = mapped_column(String(32))
    secret_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class IdempotencyRow(ArchiveBase):
    __tablename__ = "archive_idempotency_keys"

    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    document_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("archive_documents.id", name="fk_archive_idem_document"), nullable=False
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class DerivedRow(ArchiveBase):
    """Reproducible data derived from a document (e.g. OCR results); never the original itself."""

    __tablename__ = "archive_derived"

    document_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("archive_documents.id", name="fk_archive_derived_document"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    data: Mapped[str] = mapped_column(Text, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
