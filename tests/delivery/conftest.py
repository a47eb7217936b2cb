"""Fixtures of the delivery tests: a real archive and case service (SQLite and PostgreSQL), an
issued case, and the delivery services on a clock the test controls."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable, Iterator

import pytest
from sqlalchemy.orm import sessionmaker

import archive
import intake
from archive import Actor
from intake.cases import CaseService, CaseView
from intake.delivery import (
    DeliveryConfig, DeliveryService, HandoverConfig, HandoverService, Sender,
)
from intake.matters import load_catalog
from intake.workdays import load_calendar
from ocr.identifiers import uscc_check_char

ROOT = Path(__file__).resolve().parents[2]
CST = dt.timezone(dt.timedelta(hours=8))
CLERK = Actor(name="王窗口", role="clerk", key_id="k-clerk")
APPROVER = Actor(name="李审批", role="approver", key_id="k-approver")
COURIER = Actor(name="张快递", role="courier", key_id="k-courier")
COMPANY = "91330302MA2AB1C2D" + uscc_check_char("91330302MA2AB1C2D")
PHONE = "13155551907"
ADDRESS = "浙江省温州市鹿城区五马街道解放街123号3幢501室"


class Clock:
    def __init__(self, start: dt.datetime) -> None:
        self.current = start

    def __call__(self) -> dt.datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += dt.timedelta(**delta)


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
    return Clock(dt.datetime(2026, 11, 23, 10, tzinfo=CST))


@pytest.fixture
def cases(engine, the_archive, clock) -> CaseService:
    return CaseService(engine, load_catalog(ROOT / "templates" / "matters"), the_archive,
                       load_calendar(ROOT / "templates" / "calendar"), clock=clock)


@pytest.fixture
def handover(engine, the_archive, cases, clock) -> HandoverService:
    return HandoverService(sessionmaker(engine, expire_on_commit=False), the_archive, cases,
                           config=HandoverConfig(client_max_failures=5, token_max_failures=8), clock=clock)


@pytest.fixture
def delivery(engine, cases, handover, clock) -> DeliveryService:
    config = DeliveryConfig(sender=Sender("温州市鹿城区行政审批服务局", "0577-88960000", "浙江省温州市鹿城区府东路1号"))
    return DeliveryService(sessionmaker(engine, expire_on_commit=False), cases, handover, config, clock=clock)


@pytest.fixture
def issued_case(cases) -> Callable[..., CaseView]:
    """A case of the food-business matter moved up to ``issued`` (or the state asked for)."""

    def make(state: str = "issued", owner_code: str = COMPANY) -> CaseView:
        case = cases.create(matter_id="food-business-licence", owner_code=owner_code, actor=CLERK,
                            applicant_name="王小明", contact_phone=PHONE)
        path = ["accepted", "approved", "issued"]
        for target in path[: path.index(state) + 1] if state in path else []:
            actor = APPROVER if target == "approved" else CLERK
            case = cases.transition(case.id, target, actor, "test")
        return case

    return make


@pytest.fixture
def licence_pdf(the_archive) -> Callable[[str, str], str]:
    """Archive a small PDF as the case's issued licence; returns its document ID."""

    def make(case_id: str, owner_code: str = COMPANY) -> str:
        body = f"%PDF-1.4\n% licence of {case_id}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".encode()
        return the_archive.ingest(body, owner_code=owner_code, owner_code_type="uscc", doc_type="licence",
                                  actor=CLERK, filename="licence.pdf", case_ref=case_id).record.id

    return make
