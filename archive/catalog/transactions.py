"""Transactions that read and then write: they hold the write lock from their first statement.

With Python's sqlite3 driver as configured (its default), the statements before a transaction's
first write run outside any transaction, and the write lock is taken only at that write: a check
made by such a read ("still valid", "no row yet") is not protected by the write that follows, and
another process may commit in between. The few transactions that decide on what they read
(sequence claims, licence status changes) therefore begin with ``BEGIN IMMEDIATE``: it waits (busy
timeout) for the write lock and holds it from the first statement to the commit. Everything else
keeps deferred transactions, so reads never queue behind writes and a read nested in another read
cannot wait for itself (taking the lock in every transaction did: commit d389158). Keep these
transactions short: no signing, rendering or store calls inside, no other session opened inside.
PostgreSQL needs nothing special here (row locks and unique constraints serialise the writers).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A Core connection in a transaction that already holds the write lock; committed on success."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.rollback()
            raise
        connection.commit()


@contextmanager
def write_session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """An ORM session whose transaction already holds the write lock; committed on success."""
    with sessions() as session:
        connection = session.connection()
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        session.commit()


def read_engine(engine: Engine) -> Engine:
    """``engine`` for reads only: on PostgreSQL in autocommit, so a read costs its statements' round
    trips and no ``BEGIN``/``ROLLBACK`` around them (the same pool). Each statement then sees what
    was committed when it started — what every statement of a READ COMMITTED transaction (the
    default) sees anyway, so a read loses no consistency it had. Never write through it. SQLite's
    driver begins no transaction for a ``SELECT``: the engine itself."""
    if engine.dialect.name == "sqlite":
        return engine
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def read_sessions(engine: Engine) -> sessionmaker[Session]:
    """ORM sessions over :func:`read_engine` (for reads only)."""
    return sessionmaker(read_engine(engine), expire_on_commit=False)
