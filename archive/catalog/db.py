"""Engine creation and migrations for the catalog (SQLite embedded, PostgreSQL in production)."""

from __future__ import annotations

import time
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError

_MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
IDLE_PING_SECONDS = 5.0
"""A pooled server connection idle longer than this is pinged before use (a restarted server's
dead connections are replaced); a busy pool's connections are not, which saves one round trip per
checkout — the biggest single cost of a fetch by ID with ``pool_pre_ping``."""


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine tuned for the backend: WAL + busy timeout on SQLite; on servers a pool of 10 (+20)
    whose connections are pinged when they were idle (``IDLE_PING_SECONDS``)."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    engine = create_engine(url, echo=echo, pool_size=10, max_overflow=20, pool_recycle=3600)

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_connection, record) -> None:  # type: ignore[no-untyped-def]
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy) -> None:  # type: ignore[no-untyped-def]
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:  # noqa: BLE001 - any failure: the pool replaces the connection
            raise DisconnectionError("pooled connection is dead") from exc

    return engine


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection_engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the archive's tables to the newest revision."""
    command.upgrade(alembic_config(engine), "heads")  # one branch per feature
