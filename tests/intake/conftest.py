"""Fixtures of the intake tests: a real archive (local store + SQLite/PostgreSQL), the shipped
matter catalog and holiday calendar, and a case service on a clock the test controls."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable, Iterator

import pytest

import archive
import intake
from archive import Actor
from intake.cases import CaseService
from intake.matters import Catalog, load_catalog
from intake.workdays import WorkCalendar, load_calendar

ROOT = Path(__file__).resolve().parents[2]
CST = dt.timezone(dt.timedelta(hours=8))

CLERK = Actor(name="王窗口", role="clerk", key_id="k-clerk")
APPROVER = Actor(name="李审批", role="approver", key_id="k-approver")

# a company (USCC passes its check) and its legal representative
COMPANY = "91330302MA2XYZ0001"  # placeholder, replaced below by a code with a correct check character
LEGAL_REP_ID = "440524188001010014"


def _valid_uscc(body17: str) -> str:
    from ocr.identifiers import uscc_check_char

    return body17 + uscc_check_char(body17)


COMPANY = _valid_uscc("91330302MA2AB1C2D")


class Clock:
    """A wall clock the test moves by hand."""

    def __init__(self, start: dt.datetime) -> None:
        self.current = start

    def __call__(self) -> dt.datetime:
        return self.current

    def set(self, day: dt.date, hour: int = 10) -> None:
        self.current = dt.datetime(day.year, day.month, day.day, hour, tzinfo=CST)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(ROOT / "templates" / "matters")


@pytest.fixture(scope="session")
def calendar() -> WorkCalendar:
    return load_calendar(ROOT / "templates" / "calendar")


@pytest.fixture
def engine(db_url: str) -> Iterator:
    eng = archive.make_engine(db_url)
    archive.migrate(eng)
    intake.migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def the_archive(engine, tmp_path: Path) -> archive.Archive:
    return archive.Archive(archive.LocalStore(tmp_path / "objects"), engine)


@pytest.fixture
def clock() -> Clock:
    # Monday 2026-11-23, 10:00 in Wenzhou
    return Clock(dt.datetime(2026, 11, 23, 10, tzinfo=CST))


@pytest.fixture
def cases(engine, catalog: Catalog, the_archive: archive.Archive, calendar: WorkCalendar, clock: Clock) -> CaseService:
    return CaseService(engine, catalog, the_archive, calendar, clock=clock)


@pytest.fixture
def scan() -> Callable[[str], bytes]:
    """A distinct small PNG per label (so each upload is its own archived document)."""
    import io

    from PIL import Image, ImageDraw

    def make(label: str) -> bytes:
        image = Image.new("L", (300, 420), 255)
        draw = ImageDraw.Draw(image)
        draw.text((20, 20), label, fill=0)
        draw.rectangle((10, 10, 290, 410), outline=0)
        out = io.BytesIO()
        image.save(out, "PNG")
        return out.getvalue()

    return make
