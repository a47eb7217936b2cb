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
the background while the request goes on with the entry, which is still within its bound. Due ids
are gathered for ``REFRESH_GATHER_SECONDS`` (or ride along with the next batch of misses) and read
together: entries fall due one by one as requests touch them, so read at once each took a statement
of its own — a tenth of a core per process at 10 clients on 200 documents (docs/scale.md). The
bound itself is unchanged: nothing is served on what the catalog said more than ``seconds`` ago.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Callable

from archive.fetch_cache import FetchCache
from archive.queue_threads import QueueThreads
from archive.types import DocumentRecord

log = logging.getLogger("onceonly.archive")

MAX_BATCH = 500
"""Ids per statement: under SQLite's bound-parameter limit; one array parameter on PostgreSQL."""
READERS = 2
"""Reader threads per process: one batch is read while the next one fills."""
REFRESH_GATHER_SECONDS = 0.2
"""How long due ids are gathered before they are re-read (a tenth of an entry's shortest half life)."""

Row = tuple[DocumentRecord | None, bool]
LookupMany = Callable[[list[str]], dict[str, tuple[DocumentRecord, bool]]]


class _Waiting:
    __slots__ = ("doc_id", "loop", "future")

    def __init__(self, doc_id: str | None, loop: asyncio.AbstractEventLoop | None) -> None:
        self.doc_id = doc_id  # None: the marker that due ids are waiting to be re-read
        self.loop = loop  # None: nobody waits
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
        self.refresh_gather_seconds = REFRESH_GATHER_SECONDS
        self._due: set[str] = set()
        self._due_lock = threading.Lock()
        self._marker_queued = False
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
        """Re-read a cached entry soon (gathered with other due ids); nobody waits for it."""
        self._ensure_readers()
        with self._due_lock:
            self._due.add(doc_id)
            if self._marker_queued:
                return
            self._marker_queued = True
        self._queue.put(_Waiting(None, None))

    def _ensure_readers(self) -> None:
        self._ensure_threads(self._readers, "catalog-batch", self._run)

    def _run(self) -> None:
        source = self._queue
        while (batch := self._next_batch(source, self._max_batch, self._gather)) is not None:
            self._read([w for w in batch if w.doc_id is not None])

    def _gather(self, first: _Waiting) -> None:
        if first.doc_id is None and self.refresh_gather_seconds > 0:
            time.sleep(self.refresh_gather_seconds)  # the other reader serves misses meanwhile

    def _take_due(self, room: int) -> list[str]:
        """Up to ``room`` due ids; a marker is queued again for any left behind."""
        with self._due_lock:
            taken = [self._due.pop() for _ in range(min(room, len(self._due)))]
            self._marker_queued = bool(self._due)  # else the next due id queues a marker
        if self._marker_queued:
            self._queue.put(_Waiting(None, None))
        return taken

    def _read(self, batch: list[_Waiting]) -> None:
        ids = list(dict.fromkeys(w.doc_id for w in batch if w.doc_id is not None))
        asked = set(ids)
        ids += [i for i in self._take_due(max(0, self._max_batch - len(ids))) if i not in asked]
        if not ids:
            return
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
