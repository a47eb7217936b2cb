"""The catalog: SQLAlchemy models and migrations of the archive's tables."""

from archive.catalog.db import make_engine, migrate
from archive.catalog.models import AccessLogRow, ApiKeyRow, ArchiveBase, DerivedRow, DocumentRow, IdempotencyRow
from archive.catalog.transactions import read_engine, read_sessions, write_session, write_transaction

__all__ = [
    "AccessLogRow", "ApiKeyRow", "ArchiveBase", "DerivedRow", "DocumentRow", "IdempotencyRow",
    "make_engine", "migrate", "read_engine", "read_sessions", "write_session", "write_transaction",
]
