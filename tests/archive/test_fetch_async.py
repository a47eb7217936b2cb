"""The event-loop fetch (``Archive.read_async``) keeps the streaming path's promises: bytes only once
their access-log row is committed, every outcome audited, a row that cannot be written fails the
read; the catalog rows it reuses (``archive.fetch_cache``) stop a document that failed its re-check
within the stated bound (at once in the process that wrote the verdict); coroutines wait for the
store pool instead of being refused."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import create_engine, text

from archive import (
    CHECKS_KIND, Actor, Archive, BoundedStore, DocumentFailedCheckError, DocumentNotFoundError, IntegrityCheckError,
    LocalStore, make_engine, migrate, object_key,
)
from archive.fetch_cache import FetchCache
from tests.archive.test_read_fast_path import access_rows, one_bad_row_in_a_held_batch

CLERK = Actor(name="王窗口", role="clerk", key_id="k-clerk")
USCC = "91330302MA2AB1C2D8"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _archive(url: str, tmp_path: Path, *, store: object | None = None) -> Archive:
    engine = make_engine(url)
    migrate(engine)
    return Archive(store or LocalStore(tmp_path / "objects"), engine)  # type: ignore[arg-type]


def _png(colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), colour).save(out, format="PNG")
    return out.getvalue()


def _ingest(archive: Archive, colour: tuple[int, int, int] = (200, 30, 30)) -> str:
    return archive.ingest(_png(colour), owner_code=USCC, owner_code_type="uscc", doc_type="lease_contract",
                          actor=CLERK).record.id


def _close(*archives: Archive) -> None:
    for archive in archives:
        archive.access.close()
        archive.catalog_batcher.close()
        archive.engine.dispose()


def _fail_recheck(archive: Archive, doc_id: str) -> None:
    report = archive.get_derived(doc_id, CHECKS_KIND) or {"version": 1, "ok": True}
    report["recheck"] = {"ok": False, "checked_at": "2026-12-01T00:00:00+00:00",
                         "problem": {"kind": "unusable", "detail": "no longer opens"}}
    archive.put_derived(doc_id, CHECKS_KIND, report)


def test_every_concurrent_coroutine_gets_its_bytes_only_after_its_row_is_committed(db_url: str, tmp_path: Path) -> None:
    archive = _archive(db_url, tmp_path)
    doc_id = _ingest(archive)
    missing: list[str] = []

    async def reader(n: int) -> None:
        tag = f"{n:064d}"
        record, body = await archive.read_async(doc_id, actor=CLERK, max_bytes=1 << 20, request_hash=tag)
        assert body == _png() and record.id == doc_id
        if access_rows(archive, request_hash=tag) != 1:  # looked up on another connection
            missing.append(tag)

    async def main() -> None:
        await asyncio.gather(*(reader(n) for n in range(24)))

    asyncio.run(main())
    assert missing == []
    assert access_rows(archive, document_id=doc_id, action="read_content", result="ok") == 24
    _close(archive)


def test_unknown_damaged_and_oversized_documents(db_url: str, tmp_path: Path) -> None:
    archive = _archive(db_url, tmp_path)
    doc_id = _ingest(archive)
    record = archive.lookup(doc_id)
    assert record is not None

    async def read(doc: str, max_bytes: int = 1 << 20) -> tuple[object, bytes | None]:
        return await archive.read_async(doc, actor=CLERK, max_bytes=max_bytes)

    with pytest.raises(DocumentNotFoundError):
        asyncio.run(read("doesnotexist"))
    assert access_rows(archive, document_id="doesnotexist", result="not_found") == 1
    # too big for one piece: nothing read, nothing logged (the caller streams it with ``open``)
    assert asyncio.run(read(doc_id, max_bytes=record.size - 1)) == (record, None)
    assert access_rows(archive, document_id=doc_id) == 0
    path = archive.store._path(object_key(record.sha256))  # type: ignore[attr-defined]
    path.chmod(0o644)
    path.write_bytes(_png((1, 2, 3)))  # bit rot behind the catalog's back
    with pytest.raises(IntegrityCheckError):
        asyncio.run(read(doc_id))
    assert access_rows(archive, document_id=doc_id, result="integrity_error") == 1
    _close(archive)


def test_a_failed_recheck_written_elsewhere_stops_serving_within_the_cache_time(db_url: str, tmp_path: Path) -> None:
    archive = _archive(db_url, tmp_path)
    clock = Clock()
    archive.fetch_cache = FetchCache(5.0, clock=clock)
    elsewhere = Archive(archive.store, make_engine(db_url))  # the re-check sweep: another process
    doc_id = _ingest(archive)

    def fetch() -> bytes | None:
        return asyncio.run(archive.read_async(doc_id, actor=CLERK, max_bytes=1 << 20))[1]

    assert fetch() == _png()  # now cached
    _fail_recheck(elsewhere, doc_id)
    clock.now += 3.9
    assert fetch() == _png()  # within the bound the cached verdict may still be used ...
    clock.now += 1.1
    with pytest.raises(DocumentFailedCheckError):  # ... and not one moment after it
        fetch()
    with pytest.raises(DocumentFailedCheckError):  # the streaming path reads the same verdict
        archive.read(doc_id, actor=CLERK)
    assert access_rows(archive, document_id=doc_id, result="failed_check") == 2
    _close(archive, elsewhere)


def test_a_failed_recheck_written_in_this_process_stops_serving_at_once(db_url: str, tmp_path: Path) -> None:
    archive = _archive(db_url, tmp_path)
    doc_id = _ingest(archive)
    assert archive.read(doc_id, actor=CLERK) == _png()  # cached
    _fail_recheck(archive, doc_id)
    with pytest.raises(DocumentFailedCheckError):
        asyncio.run(archive.read_async(doc_id, actor=CLERK, max_bytes=1 << 20))
    _close(archive)


def test_with_the_cache_off_every_fetch_reads_the_catalog(db_url: str, tmp_path: Path) -> None:
    archive = _archive(db_url, tmp_path)
    archive.fetch_cache = FetchCache(0)
    elsewhere = Archive(archive.store, make_engine(db_url))
    doc_id = _ingest(archive)
    assert archive.read(doc_id, actor=CLERK) == _png()
    _fail_recheck(elsewhere, doc_id)
    with pytest.raises(DocumentFailedCheckError):
        archive.read(doc_id, actor=CLERK)
    _close(archive, elsewhere)


def test_coroutines_queue_for_a_small_store_pool_instead_of_being_refused(db_url: str, tmp_path: Path) -> None:
    archive = _archive(db_url, tmp_path, store=BoundedStore(LocalStore(tmp_path / "objects"), max_workers=2))
    ids = [_ingest(archive, (n, 10, 10)) for n in range(6)]

    async def main() -> list[bytes | None]:
        reads = [archive.read_async(ids[n % 6], actor=CLERK, max_bytes=1 << 20) for n in range(40)]
        return [body for _, body in await asyncio.gather(*reads)]

    bodies = asyncio.run(main())  # 40 at once on 2 threads (+2 queued for the threads' callers)
    assert bodies == [_png((n % 6, 10, 10)) for n in range(40)]
    _close(archive)


@pytest.mark.postgres
def test_on_postgresql_a_read_whose_row_cannot_be_written_is_not_served(postgres_url: str, tmp_path: Path) -> None:
    archive = _archive(postgres_url, tmp_path)
    archive.access.group.writers = 1  # one writer, so the rows held back below form one batch
    doc_id = _ingest(archive)
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(
            "CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN IF NEW.action = 'poison' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$"))
        connection.execute(text("CREATE TRIGGER refuse_poison BEFORE INSERT ON archive_access_log "
                                "FOR EACH ROW EXECUTE FUNCTION refuse_poison()"))
    with pytest.raises(Exception, match="refused"):
        asyncio.run(archive.read_async(doc_id, actor=CLERK, max_bytes=1 << 20, action="poison"))
    with pytest.raises(Exception, match="refused"):
        archive.read(doc_id, actor=CLERK, action="poison")
    assert asyncio.run(archive.read_async(doc_id, actor=CLERK, max_bytes=1 << 20))[1] == _png()

    # one bad row in a batch fails only its own request: hold the table so the rows queue up
    with admin.connect() as lock:
        lock.execute(text("BEGIN"))
        lock.execute(text("LOCK TABLE archive_access_log IN EXCLUSIVE MODE"))
        one_bad_row_in_a_held_batch(archive, release=lambda: lock.execute(text("ROLLBACK")))
    admin.dispose()
    _close(archive)


@pytest.mark.postgres
def test_on_postgresql_the_access_log_writer_survives_its_connection_being_killed(postgres_url: str,
                                                                                 tmp_path: Path) -> None:
    """The writer keeps a connection of its own; a server that drops it (restart, admin) costs at most
    the reads whose rows were on it, and the next read is audited on a new connection."""
    archive = _archive(postgres_url, tmp_path)
    doc_id = _ingest(archive)
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    assert asyncio.run(archive.read_async(doc_id, actor=CLERK, max_bytes=1 << 20))[1] == _png()
    with admin.connect() as connection:  # every other backend of this database, the writer's too
        killed = connection.execute(text(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()) AS t")).scalar_one()
    assert killed >= 1
    archive.engine.dispose()  # the pool's connections were killed too: that is the pool's test, not this one
    failures = 0
    for _ in range(3):
        try:
            assert archive.read(doc_id, actor=CLERK) == _png()
        except Exception:  # noqa: BLE001 - a read on the dead connection may fail, and is not served
            failures += 1
    assert failures <= 1
    assert access_rows(archive, document_id=doc_id, action="read_content", result="ok") == 1 + 3 - failures
    admin.dispose()
    _close(archive)
