"""The e-archive: immutable originals in an object store, a catalog, audited reads, integrity sweeps.

Public face::

    archive = Archive(LocalStore(path) | S3Store(S3Config(...)), make_engine(url))
    migrate(engine)
    archive.ingest(...), archive.get(...), archive.open(...), archive.read(...), archive.list(...)
    archive.record_access(...), archive.put_derived(...), archive.get_derived(...)
    archive.keys.create(...) / .authenticate(...), archive.access.for_owner(...)
    check_archive(archive, recheck=CheckLimits(...)) -> IntegrityReport   # 四性检测 re-run
    Archive(..., checks=CheckLimits(...)): intake checks before anything is stored
"""

from archive.catalog import (
    ArchiveBase, make_engine, migrate, read_engine, read_sessions, write_session, write_transaction,
)
from archive.checks import CHECKS_KIND, CheckLimits, summary as checks_summary
from archive.search import TEXT_KIND
from archive.errors import (
    ArchiveError, AuthenticationError, DocumentFailedCheckError, DocumentNotFoundError, DocumentUnusableError,
    EmptyUploadError, IdempotencyConflictError,
    IntegrityCheckError, InvalidMetadataError, ObjectConflictError, ObjectMissingError, RetentionError,
    StoreUnavailableError, UnsupportedMediaTypeError, UploadTooLargeError,
)
from archive.integrity import check_archive
from archive.service import Archive, new_document_id
from archive.store import BoundedStore, LocalStore, ObjectInfo, ObjectStore, S3Config, S3Store, object_key
from archive.types import (
    OWNER_CODE_TYPES, ROLES, AccessEntry, Actor, ApiKeyRecord, DocumentRecord, IngestResult,
    IntegrityProblem, IntegrityReport,
)

__all__ = [
    "CHECKS_KIND", "TEXT_KIND", "OWNER_CODE_TYPES", "ROLES", "AccessEntry", "Actor", "ApiKeyRecord", "Archive", "ArchiveBase",
    "ArchiveError", "AuthenticationError", "CheckLimits", "DocumentFailedCheckError", "DocumentNotFoundError",
    "DocumentRecord", "DocumentUnusableError", "EmptyUploadError",
    "IdempotencyConflictError", "IngestResult", "IntegrityCheckError", "IntegrityProblem",
    "IntegrityReport", "InvalidMetadataError", "LocalStore", "ObjectConflictError", "ObjectInfo",
    "ObjectMissingError", "ObjectStore", "RetentionError", "S3Config", "S3Store",
    "StoreUnavailableError", "UnsupportedMediaTypeError", "UploadTooLargeError", "check_archive", "checks_summary",
    "make_engine", "migrate", "new_document_id", "object_key", "read_engine", "read_sessions", "write_session",
    "write_transaction",
]
