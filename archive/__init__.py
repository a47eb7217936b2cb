"""The e-archive: immutable originals in an object store, a catalog, audited reads, integrity sweeps.

Public face::

    archive = Archive(LocalStore(path) | S3Store(S3Config(...)), make_engine(url))
    migrate(engine)
    archive.ingest(...), archive.get(...), archive.open(...), archive.read(...), archive.list(...)
    archive.record_access(...), archive.put_derived(...), archive.get_derived(...)
    archive.keys.create(...) / .authenticate(...), archive.access.for_owner(...)
    check_archive(archive) -> IntegrityReport
"""

from archive.catalog import ArchiveBase, make_engine, migrate
from archive.errors import (
    ArchiveError, AuthenticationError, DocumentNotFoundError, EmptyUploadError, IdempotencyConflictError,
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
    "OWNER_CODE_TYPES", "ROLES", "AccessEntry", "Actor", "ApiKeyRecord", "Archive", "ArchiveBase", "BoundedStore",
    "ArchiveError", "AuthenticationError", "DocumentNotFoundError", "DocumentRecord", "EmptyUploadError",
    "IdempotencyConflictError", "IngestResult", "IntegrityCheckError", "IntegrityProblem",
    "IntegrityReport", "InvalidMetadataError", "LocalStore", "ObjectConflictError", "ObjectInfo",
    "ObjectMissingError", "ObjectStore", "RetentionError", "S3Config", "S3Store",
    "StoreUnavailableError", "UnsupportedMediaTypeError", "UploadTooLargeError", "check_archive",
    "make_engine", "migrate", "new_document_id", "object_key",
]
