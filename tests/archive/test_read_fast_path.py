"""The fetch fast path keeps its promises: key records believed for at most a second (revocation by
another process takes effect then; in the revoking process at once), and access-log rows written by
group commit — a reader returns only once its row is committed, a failed write fails the read
(nothing is served unaudited), and one bad row in a batch fails only its own request."""

from __future__ import annotations

import io
import sqlite3
import threading
from pathlib import Path
from typing import Callable

import pytest
from PIL import Image
from sqlalchemy import func, select

from archive import Actor, Archive, AuthenticationError, LocalStore, make_engine, migrate
from archive.catalog.models import AccessLogRow
from archive.keys import CACHE_SECONDS, ApiKeys

CLERK = Actor(name="王窗口", role="clerk", key_id="k-clerk")


def _archive(url: str, tmp_path: Path) -> Archive:
    engine = make_engine(url)
    migrate(engine)
    return Archive(LocalStore(tmp_path / "objects"), engine)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def access_rows(archive: Archive, **where: str) -> int:
    """How many access-log rows match ``where`` (column=value)."""
    with archive.sessions() as session:
        query = select(func.count()).select_from(AccessLogRow)
        for column, value in where.items():
            query = query.where(getattr(AccessLogRow, column) == value)
        return session.scalar(query) or 0


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_key_revoked_elsewhere_stops_working_within_the_cache_time(db_url: str, tmp_path: Path) -> None:
    archive = _archive(db_url, tmp_path)
    clock = Clock()
    here = ApiKeys(archive.sessions, clock=clock)
    elsewhere = ApiKeys(archive.sessions)  # another API process on the same catalog
    plain, record = here.create(name="desk-1", role="clerk", display_name="王小红")
    assert here.authenticate(plain) == record  # the whole record, every field
    assert here.cached(plain) == record
    elsewhere.revoke(record.id)
    clock.now += CACHE_SECONDS / 2
    assert here.authenticate(plain).id == record.id  # believed for less than CACHE_SECONDS
    clock.now += CACHE_SECONDS
    assert here.cached(plain) is None
    with pytest.raises(AuthenticationError, match="revoked"):
        here.authenticate(plain)
    with pytest.raises(AuthenticationError, match="revoked"):
        here.authenticate(plain)  # a refusal is never cached as a success
    archive.engine.dispose()


def test_a_key_revoked_in_this_process_stops_at_once(db_url: str, tmp_path: Path) -> None:
    archive = _archive(db_url, tmp_path)
    plain, record = archive.keys.create(name="desk-2", role="clerk")
    archive.keys.authenticate(plain)
    archive.keys.revoke(record.id)
    with pytest.raises(AuthenticationError, match="revoked"):
        archive.keys.authenticate(plain)
    wrong = plain[:-2] + ("aa" if not plain.endswith("aa") else "bb")
    with pytest.raises(AuthenticationError, match="unknown"):
        archive.keys.authenticate(wrong)  # the cache is keyed by the whole key, not its id
    archive.engine.dispose()


def test_a_key_moved_to_another_centre_acts_for_it_at_once(db_url: str, tmp_path: Path) -> None:
    archive = _archive(db_url, tmp_path)
    plain, record = archive.keys.create(name="desk-3", role="clerk", centre="wz-lucheng")
    assert archive.keys.authenticate(plain).centre == "wz-lucheng"  # now cached
    archive.keys.set_centre(record.id, "wz-ouhai")
    assert archive.keys.authenticate(plain).centre == "wz-ouhai"  # not the cached centre
    archive.engine.dispose()


def test_every_concurrent_reader_returns_only_after_its_row_is_committed(db_url: str, tmp_path: Path) -> None:
    archive = _archive(db_url, tmp_path)
    doc = archive.ingest(_png(), owner_code="91330302MA2AB1C2D8", owner_code_type="uscc",
                         doc_type="lease_contract", actor=CLERK).record
    missing: list[str] = []

    def reader(n: int) -> None:
        tag = f"{n:064d}"
        archive.read(doc.id, actor=CLERK, request_hash=tag)
        if access_rows(archive, request_hash=tag) != 1:  # looked up on another connection
            missing.append(tag)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert missing == []
    assert access_rows(archive, document_id=doc.id, action="read_content", result="ok") == 24
    archive.access.close()
    archive.engine.dispose()


def _poison(path: Path) -> sqlite3.Connection:
    """A real database refusal: a trigger that aborts any access-log row whose action is ``poison``."""
    raw = sqlite3.connect(path, timeout=30)
    raw.execute("CREATE TRIGGER refuse_poison BEFORE INSERT ON archive_access_log WHEN NEW.action = 'poison' "
                "BEGIN SELECT RAISE(ABORT, 'refused'); END")
    raw.commit()
    return raw


def test_a_read_whose_row_cannot_be_written_is_not_served(tmp_path: Path) -> None:
    path = tmp_path / "catalog.db"
    archive = _archive(f"sqlite:///{path}", tmp_path)
    doc = archive.ingest(_png(), owner_code="91330302MA2AB1C2D8", owner_code_type="uscc",
                         doc_type="lease_contract", actor=CLERK).record
    raw = _poison(path)
    with pytest.raises(Exception, match="refused"):
        archive.read(doc.id, actor=CLERK, action="poison")
    assert archive.read(doc.id, actor=CLERK) == _png()  # the writer lives on
    raw.close()
    archive.access.close()
    archive.engine.dispose()


def test_one_bad_row_in_a_batch_fails_only_its_own_request(tmp_path: Path) -> None:
    path = tmp_path / "catalog.db"
    archive = _archive(f"sqlite:///{path}", tmp_path)
    raw = _poison(path)
    raw.execute("BEGIN IMMEDIATE")  # hold the write lock: the writer waits with its first row
    one_bad_row_in_a_held_batch(archive, release=raw.rollback)
    raw.close()
    archive.access.close()
    archive.engine.dispose()


def one_bad_row_in_a_held_batch(archive: Archive, *, release: Callable[[], None]) -> None:
    """With the access log's table held by the caller (``release`` lets go), ten reads queue their
    rows; the fifth is refused by the database. Only the fifth fails; the nine go in one batch."""
    group = archive.access.group
    outcome: dict[int, str] = {}

    def write(n: int) -> None:
        try:
            archive.access.record(actor=CLERK, action="poison" if n == 5 else "reuse", result="ok",
                                  request_hash=f"{n:064d}")
            outcome[n] = "ok"
        except Exception as exc:  # noqa: BLE001 - the refusal is the point
            outcome[n] = str(exc)

    first = threading.Thread(target=write, args=(0,))
    first.start()
    calm = 0
    while calm < 5:  # the writer took row 0 and waits on the lock: its queue stays empty a while
        # (the writer thread exists a moment before row 0 is queued, so one empty look is not enough)
        calm = calm + 1 if group._threads and not group._queue.qsize() else 0
        threading.Event().wait(0.05)
    rest = [threading.Thread(target=write, args=(n,)) for n in range(1, 10)]
    for t in rest:
        t.start()
    for _ in range(1000):  # the nine queued behind it: they go in one batch
        if group._queue.qsize() >= 9:
            break
        threading.Event().wait(0.01)
    assert group._queue.qsize() == 9, "the writer took rows while it should hold the lock"
    release()
    for t in [first, *rest]:
        t.join()
    assert "refused" in outcome.pop(5)
    assert outcome == {n: "ok" for n in range(10) if n != 5}
    assert access_rows(archive, action="reuse") == 9


@pytest.mark.postgres
def test_a_pooled_connection_killed_while_idle_is_replaced_before_use(postgres_url: str,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """No ping per checkout (a round trip per fetch), but an idle connection is pinged: a server
    that dropped it (restart, idle timeout) costs no request."""
    from sqlalchemy import create_engine, text

    import archive.catalog.db as db

    engine = make_engine(postgres_url)
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")

    def backend() -> int:
        with engine.connect() as connection:
            return connection.execute(text("SELECT pg_backend_pid()")).scalar_one()

    def kill(pid: int) -> None:
        with admin.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    try:
        monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)  # every checkout counts as idle
        first = backend()
        kill(first)
        assert backend() != first  # pinged, found dead, replaced: the caller never saw it
        monkeypatch.setattr(db, "IDLE_PING_SECONDS", 3600.0)  # busy pool: no ping
        second = backend()
        kill(second)
        with pytest.raises(Exception):
            backend()  # unpinged, the dead connection fails once ...
        assert backend() != second  # ... and the pool replaces it
    finally:
        engine.dispose()
        admin.dispose()
