"""The object-store contract every backend meets (local folder, S3)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO, Iterator, Protocol, runtime_checkable

CHUNK_SIZE = 256 * 1024


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    retain_until: datetime | None


@runtime_checkable
class ObjectStore(Protocol):
    """Content-addressed, write-once storage of originals.

    ``put`` never replaces existing bytes with different ones: putting the same bytes again is a
    no-op, different bytes under an existing key raise ``ObjectConflictError``.
    """

    name: str

    def put(
        self, key: str, source: BinaryIO, size: int, sha256: str, *, content_type: str,
        retain_until: datetime | None,
    ) -> None:
        """Store ``size`` bytes read from ``source`` whose SHA-256 (hex) is ``sha256``."""

    def stage(
        self, key: str, source: BinaryIO, size: int, sha256: str, *, content_type: str,
        retain_until: datetime | None,
    ) -> "StagedObject":
        """Do the work of ``put`` that can precede a verdict, leaving the object invisible until
        ``commit()``; ``abort()`` leaves nothing (ingest overlaps this with the intake checks)."""

    def open(self, key: str) -> Iterator[bytes]:
        """Stream the object's bytes in chunks; raises ``ObjectMissingError``."""

    def stat(self, key: str) -> ObjectInfo | None:
        """Size and retention of an object, or None when absent."""

    def delete(self, key: str) -> None:
        """Delete an object; raises ``RetentionError`` while it is retained."""

    def keys(self) -> Iterator[str]:
        """Every object key in the store."""

    def ping(self) -> None:
        """Raise ``StoreUnavailableError`` unless the store answers."""


class StagedObject(Protocol):
    """A put that has been prepared (bytes received, verified, made durable where the store allows)
    but is not yet an object: ``commit`` makes it one, ``abort`` removes every trace."""

    def commit(self) -> None:
        """Make the object visible (and retained)."""

    def abort(self) -> None:
        """Remove what ``stage`` wrote; safe to call once after a failed or skipped commit."""


def object_key(sha256: str) -> str:
    """The object key for content with this SHA-256: identical content is stored once."""
    return f"sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def read_whole(store: ObjectStore, key: str, max_bytes: int) -> tuple[bytes, str]:
    """The object's bytes (at most ``max_bytes`` + 1, so an oversized object shows) and their SHA-256,
    read in one go: one call for a worker thread, the hashing outside the GIL."""
    digest, chunks, size = hashlib.sha256(), [], 0
    stream = store.open(key)
    try:
        for chunk in stream:
            digest.update(chunk)
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                break
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()
    return b"".join(chunks), digest.hexdigest()
