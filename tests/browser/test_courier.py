"""The courier's phone screen when the courier moves on quickly (the desk must not raise)."""

from __future__ import annotations

import time
from typing import Any

from archive import Actor
from ocr.identifiers import uscc_check_char
from tests.browser.conftest import Api, Desk

CLERK = Actor(name="王小红", role="clerk")
APPROVER = Actor(name="李审批", role="approver")
BODY = "91330302MA2AB1C2D"


def issued_case_with_parcel(desk: Desk, http: Api) -> str:
    cases = desk.container.services.delivery.cases
    case = cases.create(matter_id="food-business-licence", owner_code=BODY + uscc_check_char(BODY), actor=CLERK,
                        applicant_name="王小明", contact_phone="13155551907")
    for target in ("accepted", "approved", "issued"):
        case = cases.transition(case.id, target, APPROVER if target == "approved" else CLERK, "test")
    answer = http("POST", f"/api/v1/cases/{case.id}/delivery", json={
        "method": "courier", "recipient": {"name": "王小明", "phone": "13155551907",
                                           "address": "浙江省温州市鹿城区五马街道解放街123号3幢501室"}})
    return str(answer["parcels"][-1]["waybill"])


def test_leaving_the_courier_page_right_after_a_scan_is_safe(desk: Desk, http: Api) -> None:
    """After a scan the page refreshes its parcel list; if the courier has left by the time the list
    arrives, there is nothing to update (this raised "Cannot set properties of null" in the desk)."""
    page = desk.page
    waybill = issued_case_with_parcel(desk, http)
    desk.login("courier")
    page.wait_for_selector(f'#parcels li[data-waybill="{waybill}"]')
    slow: list[Any] = []

    def hold(route: Any) -> None:  # the refresh's list request answers only after the courier has left
        slow.append(route)

    page.route("**/api/v1/parcels", hold)
    page.fill("#scan-waybill", waybill)
    page.click("#scan-pickup")
    page.wait_for_function("() => document.querySelector('#scan-result').textContent.includes('已揽收')")
    deadline = time.monotonic() + 10
    while not slow and time.monotonic() < deadline:  # the refresh starts 300 ms after the scan
        page.wait_for_timeout(50)
    assert slow, "the courier page did not refresh its list after the scan"
    page.evaluate("location.hash = '#/key'")
    page.wait_for_selector("#key-input")
    slow[0].continue_()
    page.unroute("**/api/v1/parcels")
    page.wait_for_timeout(500)  # the held list arrives on a page that is gone; the fixture checks for errors
    assert page.is_visible("#key-input")
