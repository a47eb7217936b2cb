"""A per-process cache of what a fetch by ID reads from the catalog: the record and its re-check verdict.

A document's catalog row never changes after intake (nothing updates or deletes it), so caching it
is safe for as long as the process lives. What can change is the verdict of the last 四性检测
re-check (``onceonly archive check``, usually another process): a document that fails it must stop
being served. So an entry lives ``seconds`` at most (``CACHE_SECONDS`` by default): **a failed
re-check stops a document being served within that many seconds in every process**, and at once in
the process that wrote the verdict (``forget``). Only documents that were found and served are
cached; an unknown ID is asked of the catalog every time, and so is a document whose bytes could
not be read or did not match (the sweep is about to fail it: its verdict then counts at once).

An entry used after half its life is *due*: ``get`` still answers with it and tells ``on_due`` (the
catalog batcher, ``archive.fetch_batch``), which re-reads it in the background, so a document in use
is never missed for expiry alone.
"""

from __future__ import annotations

import random
import threading
import time
from typing import Callable

from archive.types import DocumentRecord

CACHE_SECONDS = 5.0
MAX_ENTRIES = 20_000
"""About 10 MB of records at most; the oldest entries go first when it is full."""


class FetchCache:
    def __init__(self, seconds: float = CACHE_SECONDS, *, max_entries: int = MAX_ENTRIES,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.max_entries = max_entries
        self._clock = clock
        self._entries: dict[str, tuple[float, float, DocumentRecord, bool]] = {}
        self._lock = threading.Lock()
        self._forgot_at = float("-inf")
        self._due: set[str] = set()
        self.on_due: Callable[[str], None] | None = None
        """Called (once, until ``refreshed``) with the id of an entry used after half its life."""
        self.misses = 0
        """Asks answered None (unknown or expired): each one went to the catalog."""

    def get(self, doc_id: str) -> tuple[DocumentRecord, bool] | None:
        """The cached record and whether its last re-check failed, or None (unknown or expired)."""
        entry = self._entries.get(doc_id)
        if entry is None:
            self.misses += 1
            return None
        expires, due_at, record, failed = entry
        now = self._clock()
        if now >= expires:
            self._entries.pop(doc_id, None)
            self.misses += 1
            return None
        if now >= due_at and self.on_due is not None and doc_id not in self._due:
            self._due.add(doc_id)
            self.on_due(doc_id)
        return record, failed

    def put(self, record: DocumentRecord, failed: bool, *, read_at: float) -> None:
        """Remember what the catalog answered; ``read_at`` (this cache's clock) is taken *before* the
        catalog read, so an entry never outlives its bound because the read was slow."""
        if self.seconds <= 0:
            return
        with self._lock:
            if read_at <= self._forgot_at:  # a verdict changed while this was read: it may be stale
                return
            while len(self._entries) >= self.max_entries:
                self._entries.pop(next(iter(self._entries)), None)
            # each entry lives a random 80-100 % of the bound: entries cached together (a burst, a
            # restart) do not all expire together and send their reads to the catalog in one burst
            life = self.seconds * (1 - 0.2 * random.random())
            self._entries[record.id] = (read_at + life, read_at + life / 2, record, failed)

    def now(self) -> float:
        return self._clock()

    def forget(self, doc_id: str) -> None:
        """Drop one entry (its verdict changed in this process)."""
        with self._lock:
            self._forgot_at = self._clock()
            self._entries.pop(doc_id, None)

    def drop(self, doc_id: str) -> None:
        """Drop one entry the catalog no longer has (nothing else changes)."""
        self._entries.pop(doc_id, None)

    def refreshed(self, doc_ids: list[str]) -> None:
        """These ids were re-read (or the attempt failed): they may be reported due again."""
        self._due.difference_update(doc_ids)

    def clear(self) -> None:
        self._entries.clear()
