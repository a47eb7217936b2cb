"""Daemon threads draining one queue in batches, per process: what the access log's group commit and
the fetch path's catalog batcher share.

The threads start on first use, and again in a forked child (which gets a fresh queue: the parent's
items are not its own). ``close`` puts one ``None`` per thread; a thread finishes the batch it holds,
then stops.
"""

from __future__ import annotations

import os
import queue
import threading
from typing import Callable, Generic, TypeVar

T = TypeVar("T")


class QueueThreads(Generic[T]):
    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[T | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._pid = 0
        self._threads: list[threading.Thread] = []

    def _ensure_threads(self, count: int, name: str, target: Callable[[], None]) -> None:
        if self._threads and self._pid == os.getpid():
            return
        with self._lock:
            if not self._threads or self._pid != os.getpid():  # a forked child starts its own
                if self._pid != os.getpid():
                    self._queue = queue.SimpleQueue()
                self._pid = os.getpid()
                self._threads = [threading.Thread(target=target, name=f"{name}-{n}", daemon=True)
                                 for n in range(count)]
                for thread in self._threads:
                    thread.start()

    def close(self) -> None:
        """Stop this process's threads once the items queued before are handled."""
        with self._lock:
            if self._threads and self._pid == os.getpid():
                for _ in self._threads:
                    self._queue.put(None)
                for thread in self._threads:
                    thread.join(10)
            self._threads = []

    @staticmethod
    def _next_batch(source: queue.SimpleQueue[T | None], limit: int,
                    gather: Callable[[T], None] | None = None) -> list[T] | None:
        """Wait for an item, then take every item waiting behind it, up to ``limit``; None: stop.
        ``gather`` runs with the first item before the rest are taken (a linger)."""
        first = source.get()
        if first is None:
            return None
        if gather is not None:
            gather(first)
        batch = [first]
        while len(batch) < limit:
            try:
                more = source.get_nowait()
            except queue.Empty:
                break
            if more is None:
                source.put(None)  # handle this batch, then stop
                break
            batch.append(more)
        return batch
