"""Fetch by ID reads the catalog in batches (``archive.fetch_batch``): a burst of cache misses — a
restart under load — costs a few statements, not one per request; entries in use are re-read ahead
of their expiry, so a hot document is never a miss, and a verdict written elsewhere still arrives
within the cache's bound."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest

from archive import Archive, DocumentFailedCheckError
from archive.fetch_batch import CatalogBatcher
from archive.fetch_cache import FetchCache
from tests.archive.test_fetch_async import CLERK, Clock, _archive, _close, _fail_recheck, _ingest, _png


def _wait_for(condition, seconds: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the catalog batch did not run in time"
        time.sleep(0.01)


def test_a_burst_of_misses_is_read_in_a_few_statements(db_url: str, tmp_path: Path) -> None:
    archive = _archive(db_url, tmp_path)
    ids = [_ingest(archive, (i, 40, 90)) for i in range(40)]
    archive.fetch_cache.clear()  # a process just started: nothing cached

    async def burst() -> list:
        return await asyncio.gather(*(archive.fetch_row_async(doc_id) for doc_id in ids + ["0" * 32, "bad id"]))

    rows = asyncio.run(burst())
    assert [record.id for record, _ in rows[:40]] == ids  # each waiter gets its own record ...
    assert all(failed is False for _, failed in rows[:40])
    assert rows[40] == (None, False) and rows[41] == (None, False)  # ... unknown ids come back unknown
    assert archive.catalog_batcher.batches <= 8, archive.catalog_batcher.batches  # not 42 statements
    assert archive.catalog_batcher.ids == 42
    before = archive.catalog_batcher.batches
    assert asyncio.run(archive.read_async(ids[3], actor=CLERK, max_bytes=1 << 20))[1] == _png((3, 40, 90))
    assert archive.catalog_batcher.batches == before  # now cached
    _close(archive)


def test_an_entry_in_use_is_refreshed_before_it_expires(db_url: str, tmp_path: Path) -> None:
    archive = _archive(db_url, tmp_path)
    clock = Clock()
    archive.fetch_cache = FetchCache(5.0, clock=clock)
    doc_id = _ingest(archive)
    batcher = archive.catalog_batcher

    def fetch() -> bytes | None:
        return asyncio.run(archive.read_async(doc_id, actor=CLERK, max_bytes=1 << 20))[1]

    assert fetch() == _png() and batcher.batches == 1  # the miss
    clock.now += 1.0
    assert fetch() == _png() and batcher.batches == 1  # young: a plain hit
    clock.now += 2.0  # past half its life: served from the cache and re-read behind the request
    assert fetch() == _png()
    _wait_for(lambda: batcher.batches == 2)
    clock.now += 3.0  # 6 s after the first read: the first entry would have expired; the refreshed one is alive
    assert fetch() == _png()
    assert archive.fetch_cache.misses == 1  # only the first fetch waited for the catalog
    _close(archive)


def test_a_verdict_written_elsewhere_arrives_by_the_refresh(db_url: str, tmp_path: Path) -> None:
    archive = _archive(db_url, tmp_path)
    clock = Clock()
    archive.fetch_cache = FetchCache(5.0, clock=clock)
    elsewhere = Archive(archive.store, archive.engine)  # the re-check sweep in another process
    doc_id = _ingest(archive)
    assert archive.fetch_row(doc_id)[1] is False
    _fail_recheck(elsewhere, doc_id)
    clock.now += 3.0
    assert archive.fetch_row(doc_id)[1] is False  # the cached verdict, still within its bound; refresh asked
    _wait_for(lambda: archive.catalog_batcher.batches == 1)
    with pytest.raises(DocumentFailedCheckError):  # before the old entry's expiry: the refresh brought it
        asyncio.run(archive.read_async(doc_id, actor=CLERK, max_bytes=1 << 20))
    _close(archive)


def test_entries_falling_due_one_by_one_are_re_read_together(db_url: str, tmp_path: Path) -> None:
    """Requests touch entries one at a time, so they fall due one at a time; read at once, each
    took a statement of its own. They are gathered, and a hot set of 30 is re-read in a few."""
    archive = _archive(db_url, tmp_path)
    clock = Clock()
    archive.fetch_cache = FetchCache(5.0, clock=clock)
    ids = [_ingest(archive, (i, 90, 40)) for i in range(30)]
    batcher = archive.catalog_batcher

    async def fetch_all() -> None:
        for doc_id in ids:  # one after another, as requests arrive
            await archive.read_async(doc_id, actor=CLERK, max_bytes=1 << 20)

    asyncio.run(fetch_all())
    cold = batcher.batches  # the 30 first misses, one by one (each waited for its own read)
    clock.now += 3.0  # every entry past half its life
    asyncio.run(fetch_all())
    _wait_for(lambda: batcher.ids >= 60)
    assert batcher.batches - cold <= 3, batcher.batches - cold  # not 30 statements
    clock.now += 3.0  # the first entries would have expired; the refreshed ones are alive
    asyncio.run(fetch_all())
    assert archive.fetch_cache.misses == 30  # only the cold reads waited for the catalog
    _close(archive)


def test_a_miss_does_not_wait_behind_refreshes_being_gathered(db_url: str, tmp_path: Path) -> None:
    archive = _archive(db_url, tmp_path)
    clock = Clock()
    archive.fetch_cache = FetchCache(5.0, clock=clock)
    hot, cold = _ingest(archive, (1, 1, 1)), _ingest(archive, (2, 2, 2))
    batcher = archive.catalog_batcher
    batcher.refresh_gather_seconds = 3.0  # one reader will sleep on the refresh marker
    archive.fetch_row(hot)  # read directly, not by the batcher
    clock.now += 3.0
    archive.fetch_row(hot)  # due: its refresh is being gathered
    record, _ = asyncio.run(asyncio.wait_for(archive.fetch_row_async(cold), 10))
    assert record is not None and record.id == cold
    # answered by the other reader in one statement that also re-read the due entry, without waiting
    # for the gathering to end
    assert (batcher.batches, batcher.ids) == (1, 2)
    assert archive.fetch_cache._entries[hot][0] >= clock.now + 3.0  # refreshed: it lives from now on
    _close(archive)


def test_a_failed_catalog_read_wakes_every_waiter_with_the_error() -> None:
    cache = FetchCache(5.0)
    calls: list[list[str]] = []
    gate = threading.Event()

    def broken(ids: list[str]) -> dict:
        calls.append(ids)
        gate.wait(5)
        raise ConnectionError("catalog unreachable")

    batcher = CatalogBatcher(broken, lambda: cache, readers=1)

    async def waiters() -> list:
        tasks = [asyncio.ensure_future(batcher.row(f"{n:032x}")) for n in range(5)]
        await asyncio.sleep(0.05)
        gate.set()
        return await asyncio.gather(*tasks, return_exceptions=True)

    outcomes = asyncio.run(asyncio.wait_for(waiters(), 10))
    assert all(isinstance(o, ConnectionError) for o in outcomes)  # nobody hangs, nobody gets a record
    assert sum(len(c) for c in calls) == 5
    readers = list(batcher._threads)
    batcher.close()
    assert readers and not any(t.is_alive() for t in readers)
