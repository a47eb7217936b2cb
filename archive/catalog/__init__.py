"""The catalog: SQLAlchemy models and migrations of the archive's tables."""

from archive.catalog.db import make_engine, migrate
from archive.catalog.models import AccessLogRow, ApiKeyRow, ArchiveBase, DerivedRow, DocumentRow, IdempotencyRow

__all__ = [
    "AccessLogRow", "ApiKeyRow", "ArchiveBase", "DerivedRow", "DocumentRow", "IdempotencyRow",
    "make_engine", "migrate",
]
