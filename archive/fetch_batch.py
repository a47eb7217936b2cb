"""Catalog reads of fetch by ID in batches: concurrent cache misses answered by one query, and hot
entries refreshed ahead of their expiry off the request path.

Without it, every miss was one query on a thread of its own: after a restart, or each time a hot
entry expired (every few seconds for every document in use), hundreds of single-row reads queued
for a few pool threads, each thread fighting the busy event loop for the interpreter lock on every
socket wait. Those requests were the slow tail of fetch by ID (bench/fetch.py: p99 at 100 clients
fell by a third with the misses gone). Here a reader thread takes every id waiting, up to
``MAX_BATCH``, reads them with one statement (``records_with_derived``: each record and its 四性检测
report), fills the cache, and wakes the waiting coroutines through their event loops; while it reads,
the next batch fills — the same pattern as the access log's group commit.

Refresh ahead: an entry used after half its life (``FetchCache.get`` reports it due) is re-read in
the next batch while the request goes on with the entry, which is still within its bound. The bound
itself is unchanged: nothing is served on what the catalog said more than ``seconds`` ago.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Callable

from archive.fetch_cache import FetchCache
from archive.queue_threads import QueueThreads
from archive.types import DocumentRecord

log = logging.getLogger("onceonly.archive")

MAX_BATCH = 500
"""Ids per statement: under SQLite's bound-parameter limit; one array parameter on PostgreSQL."""
READERS = 2
"""Reader threads per process: one batch is read while the next one fills."""

Row = tuple[DocumentRecord | None, bool]
LookupMany = Callable[[list[str]], dict[str, tuple[DocumentRecord, bool]]]


class _Waiting:
    __slots__ = ("doc_id", "loop", "future")

    def __init__(self, doc_id: str, loop: asyncio.AbstractEventLoop | None) -> None:
        self.doc_id = doc_id
        self.loop = loop  # None: a refresh nobody waits for
        self.future: asyncio.Future[Row] | None = loop.create_future() if loop is not None else None

    def settle(self, row: Row | None, error: BaseException | None) -> None:
        if self.loop is None:
            return
        try:
            self.loop.call_soon_threadsafe(_settle, self.future, row, error)
        except RuntimeError:  # the loop is closed: nobody is waiting any more
            pass


def _settle(future: asyncio.Future[Row], row: Row | None, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(row)  # type: ignore[arg-type]


class CatalogBatcher(QueueThreads[_Waiting]):
    """What ``AsyncFetch.fetch_row_async`` asks on a cache miss, and what refreshes due entries."""

    def __init__(self, lookup_many: LookupMany, cache: Callable[[], FetchCache], *, readers: int = READERS,
                 max_batch: int = MAX_BATCH) -> None:
        """``cache``: the cache to fill, asked at each batch (its owner may replace it)."""
        super().__init__()
        self._lookup_many = lookup_many
        self._cache_of = cache
        self._readers = readers
        self._max_batch = max_batch
        self.batches = 0
        self.ids = 0

    async def row(self, doc_id: str) -> Row:
        """The record (None: unknown) and whether its last re-check failed, read in the next batch."""
        self._ensure_readers()
        waiting = _Waiting(doc_id, asyncio.get_running_loop())
        self._queue.put(waiting)
        assert waiting.future is not None
        return await waiting.future

    def refresh(self, doc_id: str) -> None:
        """Re-read a cached entry in the next batch; nobody waits for it."""
        self._ensure_readers()
        self._queue.put(_Waiting(doc_id, None))

    def _ensure_readers(self) -> None:
        self._ensure_threads(self._readers, "catalog-batch", self._run)

    def _run(self) -> None:
        source = self._queue
        while (batch := self._next_batch(source, self._max_batch)) is not None:
            self._read(batch)

    def _read(self, batch: list[_Waiting]) -> None:
        ids = list(dict.fromkeys(w.doc_id for w in batch))
        cache = self._cache_of()
        read_at = cache.now()  # before the read: an entry never outlives its bound
        try:
            found = self._lookup_many(ids)
        except Exception as exc:  # noqa: BLE001 - every waiter wakes up with the error; refreshes just lapse
            log.warning("catalog batch of %d ids failed: %s", len(ids), exc)
            for waiting in batch:
                waiting.settle(None, exc)
            cache.refreshed(ids)
            return
        self.batches += 1
        self.ids += len(ids)
        for doc_id in ids:
            hit = found.get(doc_id)
            if hit is not None:
                cache.put(hit[0], hit[1], read_at=read_at)
            else:
                cache.drop(doc_id)
        cache.refreshed(ids)
        for waiting in batch:
            hit = found.get(waiting.doc_id)
            waiting.settle(hit if hit is not None else (None, False), None)
