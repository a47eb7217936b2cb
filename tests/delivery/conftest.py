"""Fixtures of the delivery tests (archive, cases and clock come from tests/conftest.py): an
issued case, and the delivery services on a clock the test controls."""

from __future__ import annotations

from typing import Callable

import pytest
from sqlalchemy.orm import sessionmaker

from archive import Actor
from intake.cases import CaseView
from intake.delivery import (
    DeliveryConfig, DeliveryService, HandoverConfig, HandoverService, Sender,
)
from ocr.identifiers import uscc_check_char
from tests.archive.corpus import note_pdf

CLERK = Actor(name="王窗口", role="clerk", key_id="k-clerk")
APPROVER = Actor(name="李审批", role="approver", key_id="k-approver")
COURIER = Actor(name="张快递", role="courier", key_id="k-courier")
COMPANY = "91330302MA2AB1C2D" + uscc_check_char("91330302MA2AB1C2D")
PHONE = "13155551907"
ADDRESS = "浙江省温州市鹿城区五马街道解放街123号3幢501室"


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
        body = note_pdf(f"licence of {case_id}")  # a real PDF: uploads are opened by the intake checks
        return the_archive.ingest(body, owner_code=owner_code, owner_code_type="uscc", doc_type="licence",
                                  actor=CLERK, filename="licence.pdf", case_ref=case_id).record.id

    return make
