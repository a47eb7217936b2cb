"""Fetch by ID for a coroutine: catalog (or its cache), verified bytes, committed audit row — in that order.

The event loop never blocks and no request thread is held: catalog reads (cache misses, and entries
refreshed ahead of expiry) are batched by ``archive.fetch_batch`` — one statement for every id
waiting, on a reader thread of its own; the object is read and hashed in one store-pool call; the
access-log row goes through the group commit and is awaited. The bytes are returned only once the row saying so is committed,
exactly like the streaming path (:meth:`archive.service.Archive.open`): every outcome — not found,
failed re-check, integrity error, ok — leaves its row, and a row that cannot be written fails the read.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Callable

from archive.audit import AccessLog
from archive.checks import CHECKS_KIND
from archive.derived import _failed
from archive.errors import DocumentFailedCheckError, DocumentNotFoundError, IntegrityCheckError
from archive.fetch_batch import CatalogBatcher
from archive.fetch_cache import FetchCache
from archive.store.api import ObjectStore, object_key, read_whole
from archive.types import Actor, DocumentRecord

log = logging.getLogger("onceonly.archive")


class AsyncFetch:
    """A mixin of :class:`archive.service.Archive` (which provides store, access log, lookups, log)."""

    store: ObjectStore
    access: AccessLog
    catalog_batcher: CatalogBatcher
    _fetch_cache: FetchCache
    records_with_derived: Callable[[list[str], str], tuple[dict[str, DocumentRecord], dict[str, dict]]]
    """From :class:`archive.reads.CatalogReads`."""

    @property
    def fetch_cache(self) -> FetchCache:
        return self._fetch_cache

    @fetch_cache.setter
    def fetch_cache(self, cache: FetchCache) -> None:
        """A cache (again: tests swap in one with a clock of their own), its due entries refreshed by
        this archive's batcher."""
        if getattr(self, "catalog_batcher", None) is None:
            self.catalog_batcher = CatalogBatcher(self._rows_with_verdicts, lambda: self._fetch_cache)
        cache.on_due = self.catalog_batcher.refresh
        self._fetch_cache = cache

    def _rows_with_verdicts(self, doc_ids: list[str]) -> dict[str, tuple[DocumentRecord, bool]]:
        """Each known record of ``doc_ids`` and whether its last re-check failed: one statement."""
        records, reports = self.records_with_derived(doc_ids, CHECKS_KIND)
        return {doc_id: (record, _failed(reports.get(doc_id))) for doc_id, record in records.items()}

    def fetch_row(self, doc_id: str) -> tuple[DocumentRecord | None, bool]:
        """The record and whether its last re-check failed: from the cache, else the catalog (one round trip)."""
        cached = self.fetch_cache.get(doc_id)
        if cached is not None:
            return cached
        read_at = self.fetch_cache.now()
        found = self._rows_with_verdicts([doc_id]).get(doc_id)
        if found is None:
            return None, False
        self.fetch_cache.put(*found, read_at=read_at)
        return found

    async def fetch_row_async(self, doc_id: str) -> tuple[DocumentRecord | None, bool]:
        cached = self.fetch_cache.get(doc_id)
        if cached is not None:
            return cached
        return await self.catalog_batcher.row(doc_id)

    async def read_async(
        self, doc_id: str, *, actor: Actor, max_bytes: int, case_ref: str | None = None,
        purpose: str | None = None, request_hash: str | None = None, action: str = "read_content",
    ) -> tuple[DocumentRecord, bytes | None]:
        """The record and its verified bytes, the access-log row committed; ``None`` for the bytes of a
        document over ``max_bytes`` — then nothing was read or logged: stream it with ``open``."""
        record, failed = await self.fetch_row_async(doc_id)
        audit = {"actor": actor, "action": action, "case_ref": case_ref, "purpose": purpose,
                 "request_hash": request_hash}
        if record is None:
            await self.audit_async(None, doc_id, result="not_found", **audit)
            raise DocumentNotFoundError(f"document {doc_id} not found")
        if failed:
            await self.audit_async(record, doc_id, result="failed_check", **audit)
            raise DocumentFailedCheckError(f"document {doc_id} failed its last archive re-check; not served",
                                           document=doc_id)
        if record.size > max_bytes:
            return record, None
        result = "aborted"
        try:
            data, sha256 = await self._read_whole(object_key(record.sha256), record.size)
            result = "ok" if len(data) == record.size and sha256 == record.sha256 else "integrity_error"
        finally:
            if result != "ok":  # bytes missing or altered: the next fetch asks the catalog for a verdict
                self.fetch_cache.forget(record.id)
            await self.audit_async(record, doc_id, result=result, **audit)
        if result != "ok":
            log.error("integrity error", extra={"document_id": record.id, "sha256": record.sha256})
            raise IntegrityCheckError(f"document {record.id}: stored bytes do not match their SHA-256")
        return record, data

    async def _read_whole(self, key: str, size: int) -> tuple[bytes, str]:
        reader = getattr(self.store, "read_async", None)
        if reader is not None:
            return await reader(key, size)
        return await asyncio.get_running_loop().run_in_executor(None, read_whole, self.store, key, size)

    async def audit_async(
        self, record: DocumentRecord | None, doc_id: str, *, actor: Actor, action: str, result: str,
        case_ref: str | None, purpose: str | None, request_hash: str | None,
    ) -> None:
        """Write one access-log row about this document (``record``: None when unknown) and wait for its commit."""
        await self.access.record_async(
            actor=actor, action=action, result=result,
            document_id=record.id if record else (doc_id[:32] if doc_id else None),
            owner_code=record.owner_code if record else None, doc_type=record.doc_type if record else None,
            case_ref=case_ref, purpose=purpose, request_hash=request_hash,
        )
