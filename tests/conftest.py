"""Shared fixtures: databases (SQLite, and PostgreSQL when configured), a real S3 server, the app.

With ``CI=true`` a test that needs a service (marked ``postgres``, ``s3``, ``hsm``, ``paddle`` or ``browser``) may not
skip: its skip is turned into a failure, so a missing service can never pass silently.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import create_engine, text

SERVICE_MARKERS = ("postgres", "s3", "hsm", "paddle", "queue", "browser")
IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_URL = os.environ.get("ONCEONLY_TEST_POSTGRES_URL", "")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and any(item.get_closest_marker(m) for m in SERVICE_MARKERS):
        report.outcome = "failed"
        report.longrepr = f"CI=true: a test needing a service was skipped: {report.longrepr}"


# Tests run in parallel processes (pytest-xdist, ``--dist loadgroup`` in scripts/test.sh). Everything a
# test makes is its own (tmp folders, random PostgreSQL databases, free ports) except what lives in one
# shared service under a fixed name: the brokers' ``ocr`` and ``maintenance`` queues, where one test's
# worker would take another test's job, and the PaddleOCR model cache. Tests sharing one of those run
# one after another in the same process.
SHARED_RESOURCE_GROUPS = {"queue": "brokers", "paddle": "paddle-cache"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        for marker, group in SHARED_RESOURCE_GROUPS.items():
            if item.get_closest_marker(marker):
                item.add_marker(pytest.mark.xdist_group(name=group))
                break


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- databases -----------------------------------------------------------------------------------
def _postgres_database() -> Iterator[str]:
    if not POSTGRES_URL:
        pytest.skip("ONCEONLY_TEST_POSTGRES_URL is not set")
    name = f"oo_test_{secrets.token_hex(6)}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    base, _, _ = POSTGRES_URL.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def unused_port() -> int:
    """A loopback port nothing listens on (for servers a test starts)."""
    return free_port()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, then a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'catalog.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'catalog.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from _postgres_database()


# -- S3 (moto's standalone server on loopback) ------------------------------------------------------
class MotoServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.endpoint = f"127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://{self.endpoint}/moto-api/", timeout=1)
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("moto server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture(scope="session")
def s3_server() -> Iterator[MotoServer]:
    """A real S3 server (moto) on a free loopback port for the whole session."""
    server = MotoServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def s3_config(s3_server: MotoServer):  # type: ignore[no-untyped-def]
    from archive import S3Config

    return S3Config(
        endpoint=s3_server.endpoint, bucket=f"t-{secrets.token_hex(6)}", access_key="test",
        secret_key="test-secret", timeout_seconds=5, retries=1, retention_days=1,
    )


# -- the application -------------------------------------------------------------------------------
@pytest.fixture
def settings(tmp_path: Path, db_url: str):  # type: ignore[no-untyped-def]
    from api.settings import Settings

    return Settings(data_dir=tmp_path / "data", database_url=db_url, max_upload_bytes=2 * 1024 * 1024,
                    public_base_url="http://testserver", ocr_on_upload=False)


@pytest.fixture
def container(settings):  # type: ignore[no-untyped-def]
    from api.container import build_container

    built = build_container(settings)
    yield built
    built.close()


@pytest.fixture
def app_client(container):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(create_app(container=container)) as client:
        yield client


@pytest.fixture
def make_key(container) -> Callable[..., str]:  # type: ignore[no-untyped-def]
    def make(role: str, scopes: tuple[str, ...] | list[str] = (), *, name: str | None = None,
             expires_in_days: int | None = None, centre: str | None = None, owner_code: str | None = None) -> str:
        plaintext, _ = container.archive.keys.create(
            name=name or f"{role}-{secrets.token_hex(3)}", role=role, scopes=tuple(scopes),
            expires_in_days=expires_in_days, centre=centre, owner_code=owner_code,
        )
        return plaintext

    return make


@pytest.fixture
def bearer() -> Callable[[str], dict[str, str]]:
    """``bearer(key)`` -> the Authorization header for that key."""
    return lambda key: {"Authorization": f"Bearer {key}"}


@pytest.fixture
def moto_factory() -> Iterator[Callable[[], MotoServer]]:
    """Make extra, not yet started S3 servers (for outage tests); all are stopped afterwards."""
    servers: list[MotoServer] = []

    def make() -> MotoServer:
        server = MotoServer()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


# -- real files ------------------------------------------------------------------------------------
@pytest.fixture
def scan_png() -> bytes:
    image = Image.new("L", (620, 877), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 580, 837), outline=0, width=3)
    for row in range(12):
        draw.line((80, 120 + row * 55, 540, 120 + row * 55), fill=60, width=2)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def scan_pdf() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    canvas.drawString(72, 720, "Lease contract, page 1")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


# --- the domain on a real archive: shared by the intake, delivery and licence tests ---------------

ROOT = Path(__file__).resolve().parents[1]
CST = dt.timezone(dt.timedelta(hours=8))


class Clock:
    """A wall clock the test moves by hand."""

    def __init__(self, start: dt.datetime) -> None:
        self.current = start

    def __call__(self) -> dt.datetime:
        return self.current

    def set(self, day: dt.date, hour: int = 10) -> None:
        self.current = dt.datetime(day.year, day.month, day.day, hour, tzinfo=CST)

    def advance(self, **delta: float) -> None:
        self.current += dt.timedelta(**delta)


@pytest.fixture(scope="session")
def catalog():  # type: ignore[no-untyped-def]
    from intake.matters import load_catalog

    return load_catalog(ROOT / "templates" / "matters")


@pytest.fixture(scope="session")
def calendar():  # type: ignore[no-untyped-def]
    from intake.workdays import load_calendar

    return load_calendar(ROOT / "templates" / "calendar")


@pytest.fixture
def engine(db_url: str) -> Iterator:
    """A migrated database (archive and intake tables)."""
    import archive
    import intake

    eng = archive.make_engine(db_url)
    archive.migrate(eng)
    intake.migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def the_archive(engine, tmp_path: Path):  # type: ignore[no-untyped-def]
    import archive

    return archive.Archive(archive.LocalStore(tmp_path / "objects"), engine)


@pytest.fixture
def clock() -> Clock:
    return Clock(dt.datetime(2026, 11, 23, 10, tzinfo=CST))  # Monday 2026-11-23, 10:00 in Wenzhou


@pytest.fixture
def cases(engine, catalog, the_archive, calendar, clock: Clock):  # type: ignore[no-untyped-def]
    from intake.cases import CaseService

    return CaseService(engine, catalog, the_archive, calendar, clock=clock)
