"""Group commit of access-log rows: many requests' rows in one INSERT and one COMMIT.

A request hands its row to the process's writer thread and waits until the transaction holding it
is committed; only then does it go on (and serve what it read). So nothing is ever served
unaudited, and a failed write fails the request exactly as a direct write would. While the writer
commits one batch the next one fills, so an idle service adds no delay and a busy one pays one
commit for dozens of reads. A batch that fails is retried row by row: only the bad row's request
sees the error. A coroutine waits the same way (``write_async``) without holding a thread: the
writer wakes it through its event loop.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Any

from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session, sessionmaker  # the sessions' engine is the one written to

from archive.catalog.models import AccessLogRow
from archive.queue_threads import QueueThreads

log = logging.getLogger("onceonly.archive.audit")

MAX_BATCH = 256
LINGER_SECONDS = 0.001
BUSY_SECONDS = 0.005
WAIT_SECONDS = 60.0
"""The longest a request waits for its row to be committed before failing (a stuck database)."""


class _Pending:
    __slots__ = ("row", "done", "error", "loop", "future")

    def __init__(self, row: dict[str, Any], loop: asyncio.AbstractEventLoop | None = None) -> None:
        self.row = row
        self.done = threading.Event()
        self.error: BaseException | None = None
        self.loop = loop
        self.future: asyncio.Future[None] | None = loop.create_future() if loop is not None else None

    def finish(self) -> None:
        """Wake the waiter: a thread on ``done``, a coroutine through its event loop."""
        self.done.set()
        if self.loop is not None:
            try:
                self.loop.call_soon_threadsafe(_settle, self.future, self.error)
            except RuntimeError:  # the loop is closed: nobody is waiting any more
                pass


def _settle(future: asyncio.Future[None], error: BaseException | None) -> None:
    if future.done():  # the waiter gave up (timeout, cancelled)
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(error)


class GroupCommit(QueueThreads[_Pending]):
    """``writers`` writer threads per process (started on first use, again after a fork), 1 by
    default. A second writer on PostgreSQL let a row go at once instead of waiting for the commit in
    progress, but every commit costs far more CPU than a row (round trip, WAL flush, thread and
    interpreter-lock hand-overs): with few reads in flight it made one commit per read, and an
    interleaved A/B on 2 cores (bench/fetch.py's service, 2 processes) gave one writer 18 % more
    fetches/s at 10 clients and no worse at 100 (docs/scale.md).

    **Linger when busy**: a row that arrives within ``BUSY_SECONDS`` of the last commit waits
    ``LINGER_SECONDS`` for the rows behind it, so a busy writer commits fuller batches; a row on an
    idle service (nothing committed for longer) goes at once."""

    def __init__(self, sessions: sessionmaker[Session], *, writers: int | None = None) -> None:
        super().__init__()
        self._sessions = sessions
        self.writers = writers
        self.linger_seconds = LINGER_SECONDS
        self.batches = 0
        self.rows = 0
        self._last_commit = float("-inf")
        self._local = threading.local()  # PostgreSQL: each writer thread's own connection

    def write(self, row: dict[str, Any]) -> None:
        """Insert one access-log row (column -> value); returns once it is committed, or raises."""
        self._ensure_writer()
        pending = _Pending(row)
        self._queue.put(pending)
        if not pending.done.wait(WAIT_SECONDS):
            raise TimeoutError("the access log was not written in time; the read is refused")
        if pending.error is not None:
            raise pending.error

    async def write_async(self, row: dict[str, Any]) -> None:
        """``write`` for a coroutine: the event loop goes on serving while the row is committed."""
        self._ensure_writer()
        pending = _Pending(row, asyncio.get_running_loop())
        self._queue.put(pending)
        assert pending.future is not None
        try:
            async with asyncio.timeout(WAIT_SECONDS):
                await pending.future
        except TimeoutError:
            raise TimeoutError("the access log was not written in time; the read is refused") from None

    def _ensure_writer(self) -> None:
        self._ensure_threads(self.writers or 1, "access-log-writer", self._run)

    def _run(self) -> None:
        source = self._queue
        try:
            while (batch := self._next_batch(source, MAX_BATCH, self._linger)) is not None:
                self._commit(batch)
        finally:
            connection = getattr(self._local, "connection", None)
            if connection is not None:
                connection.close()

    def _linger(self, _first: _Pending) -> None:
        if self.linger_seconds > 0 and time.monotonic() - self._last_commit < BUSY_SECONDS:
            time.sleep(self.linger_seconds)  # busy: let the rows right behind this one join it

    def _commit(self, batch: list[_Pending]) -> None:
        try:
            self._insert([p.row for p in batch])
            self.batches += 1
            self.rows += len(batch)
        except Exception as exc:  # noqa: BLE001 - every waiter must wake up, each with its own outcome
            if len(batch) == 1:
                batch[0].error = exc
            else:
                log.warning("access-log batch of %d failed; writing its rows one by one", len(batch))
                for pending in batch:
                    try:
                        self._insert([pending.row])
                    except Exception as one:  # noqa: BLE001
                        pending.error = one
        finally:
            self._last_commit = time.monotonic()
            for pending in batch:
                pending.finish()

    def _insert(self, rows: list[dict[str, Any]]) -> None:
        # one multi-row INSERT in autocommit: atomic, and one round trip (no BEGIN, no COMMIT)
        engine = self._sessions.kw["bind"]
        if engine.dialect.name == "postgresql":
            self._insert_direct(engine, rows)
            return
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(insert(AccessLogRow).values(rows))

    def _insert_direct(self, engine: Engine, rows: list[dict[str, Any]]) -> None:
        """PostgreSQL: the writer thread's own autocommit connection, one prepared statement whatever
        the batch size (``unnest`` of one array per column). Through the pool and SQLAlchemy's
        execution each batch cost more interpreter time than the server spent on it (per-thread CPU,
        docs/scale.md); a connection that fails is closed and the next batch opens another."""
        connection = getattr(self._local, "connection", None)
        if connection is None or connection.closed:
            cargs, cparams = engine.dialect.create_connect_args(engine.url)
            connection = engine.dialect.loaded_dbapi.connect(*cargs, **cparams)
            connection.autocommit = True
            self._local.connection = connection
        try:
            connection.execute(_UNNEST_INSERT, [[row.get(c) for row in rows] for c in _COLUMNS], prepare=True)
        except Exception:
            if connection.broken:  # gone: closed here, and the next batch connects afresh
                connection.close()
                self._local.connection = None
            raise


_COLUMNS = tuple(c.name for c in AccessLogRow.__table__.columns if c.name != "id")
_UNNEST_INSERT = (
    f"INSERT INTO {AccessLogRow.__tablename__} ({', '.join(_COLUMNS)}) SELECT * FROM unnest("
    + ", ".join(f"%s::{'timestamptz' if c == 'at' else 'text'}[]" for c in _COLUMNS) + ")"
)

