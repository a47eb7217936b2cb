"""One executor for every store call: its own bounded pool and a total deadline per call.

A frozen object store must not freeze the service. Every call of the wrapped store runs on a pool
of ``max_workers`` threads of its own; a caller waits at most ``deadline_seconds`` for it (whatever
the client's per-attempt timeouts and retries add up to, queueing included), and when as many calls
again are already waiting for a thread the next one is refused at once. Either way the caller gets ``StoreUnavailableError``
(a fast 503 with ``Retry-After``), and the request threads that liveness and non-store routes need
stay free. A call that overran keeps its pool thread until the store answers; it is not counted twice.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import datetime
from typing import BinaryIO, Callable, Iterator, TypeVar

from archive.errors import StoreUnavailableError
from archive.store.api import ObjectInfo, ObjectStore, StagedObject, read_whole

T = TypeVar("T")

RETRY_AFTER_SECONDS = 5
READ_AHEAD = 4
"""Chunks read per pool call: a 1 MiB object costs one hand-over to the pool, not one per chunk."""


class BoundedStore:
    """An ``ObjectStore`` that runs the inner store's calls on a bounded pool with a deadline."""

    def __init__(self, inner: ObjectStore, *, max_workers: int = 8, deadline_seconds: float = 10.0) -> None:
        self.inner = inner
        self.name = inner.name
        self.deadline_seconds = deadline_seconds
        self.max_workers = max_workers
        self._turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()
        self._slots = threading.BoundedSemaphore(2 * max_workers)  # running + queued
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="store")

    def call(self, fn: Callable[..., T], *args: object, **kwargs: object) -> T:
        """Run ``fn`` on the store pool; ``StoreUnavailableError`` when full or past the deadline."""
        if not self._slots.acquire(blocking=False):
            raise StoreUnavailableError("object store busy: too many calls in flight",
                                        retry_after=RETRY_AFTER_SECONDS)
        try:
            future: Future[T] = self._pool.submit(fn, *args, **kwargs)
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(lambda _f: self._slots.release())
        try:
            return future.result(timeout=self.deadline_seconds)
        except FutureTimeout:
            future.cancel()  # still queued: it never runs
            raise StoreUnavailableError(f"object store did not answer within {self.deadline_seconds:g} s",
                                        retry_after=RETRY_AFTER_SECONDS) from None

    async def call_async(self, fn: Callable[..., T], *args: object) -> T:
        """``call`` for a coroutine: the same pool and deadline, without blocking the event loop. A
        waiting coroutine holds no thread, so coroutines queue for the pool (``max_workers`` of them at
        a time per event loop) instead of being refused; the deadline counts the queueing too."""
        try:
            async with asyncio.timeout(self.deadline_seconds):  # no task of its own, unlike wait_for
                return await self._call_queued(fn, *args)
        except TimeoutError:
            raise StoreUnavailableError(f"object store did not answer within {self.deadline_seconds:g} s",
                                        retry_after=RETRY_AFTER_SECONDS) from None

    async def _call_queued(self, fn: Callable[..., T], *args: object) -> T:
        loop = asyncio.get_running_loop()
        turn = self._turns.get(loop)
        if turn is None:
            turn = self._turns[loop] = asyncio.Semaphore(self.max_workers)
        async with turn:
            if not self._slots.acquire(blocking=False):  # the threads' callers filled the pool and its queue
                raise StoreUnavailableError("object store busy: too many calls in flight",
                                            retry_after=RETRY_AFTER_SECONDS)
            try:
                future: Future[T] = self._pool.submit(fn, *args)
            except BaseException:
                self._slots.release()
                raise
            future.add_done_callback(lambda _f: self._slots.release())
            try:
                return await asyncio.wrap_future(future)
            except asyncio.CancelledError:
                future.cancel()  # still queued: it never runs
                raise

    async def read_async(self, key: str, max_bytes: int) -> tuple[bytes, str]:
        """A small object's bytes and SHA-256 (``read_whole``) in one pool call."""
        return await self.call_async(read_whole, self.inner, key, max_bytes)

    # -- the ObjectStore contract ---------------------------------------------------------------
    def put(self, key: str, source: BinaryIO, size: int, sha256: str, *, content_type: str,
            retain_until: datetime | None) -> None:
        self.call(self.inner.put, key, source, size, sha256, content_type=content_type, retain_until=retain_until)

    def stage(self, key: str, source: BinaryIO, size: int, sha256: str, *, content_type: str,
              retain_until: datetime | None) -> StagedObject:
        staged = self.call(self.inner.stage, key, source, size, sha256, content_type=content_type,
                           retain_until=retain_until)
        return _BoundedStaged(self, staged)

    def open(self, key: str) -> Iterator[bytes]:
        def opened() -> tuple[Iterator[bytes], tuple[list[bytes], bool]]:
            chunks = self.inner.open(key)
            return chunks, _take(chunks)  # a small object: opened and read in one pool call

        chunks, first = self.call(opened)
        return self._bounded_iter(chunks, first)

    def _bounded_iter(self, chunks: Iterator[T], first: tuple[list[T], bool] | None = None) -> Iterator[T]:
        done = False
        try:
            batch, done = first if first is not None else self.call(_take, chunks)
            while True:
                yield from batch
                if done:
                    return
                batch, done = self.call(_take, chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None and not done:
                self._pool.submit(close)

    def stat(self, key: str) -> ObjectInfo | None:
        return self.call(self.inner.stat, key)

    def delete(self, key: str) -> None:
        self.call(self.inner.delete, key)

    def keys(self) -> Iterator[str]:
        return self._bounded_iter(self.call(self.inner.keys))

    def ping(self) -> None:
        self.call(self.inner.ping)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def __getattr__(self, name: str) -> object:  # store-specific extras (config, ensure_bucket, root...)
        return getattr(self.inner, name)


def _take(chunks: Iterator[T]) -> tuple[list[T], bool]:
    """Up to ``READ_AHEAD`` items, and whether the iterator is exhausted."""
    batch: list[T] = []
    for item in chunks:
        batch.append(item)
        if len(batch) >= READ_AHEAD:
            return batch, False
    return batch, True


class _BoundedStaged:
    """A staged put whose commit and abort run on the store pool too."""

    def __init__(self, store: BoundedStore, inner: StagedObject) -> None:
        self.store, self.inner = store, inner

    def commit(self) -> None:
        self.store.call(self.inner.commit)

    def abort(self) -> None:
        try:
            self.store.call(self.inner.abort)
        except StoreUnavailableError:  # busy or frozen: queue it anyway (``archive check`` lists leftovers)
            self.store._pool.submit(self.inner.abort)  # noqa: SLF001
