"""A clerk chooses courier delivery, the courier scans the parcel, the case becomes delivered."""

from __future__ import annotations

import datetime as dt

import pytest

from certgen.waybill import S10Scheme, WaybillCheckDigitError
from intake.delivery import (
    DeliveryStateError, ParcelNotFoundError, ParcelStateError, Recipient, scan_outcome,
)
from intake.errors import InvalidInputError

from archive import Actor

DAY = dt.date(2026, 11, 23)
CLERK = Actor(name="王窗口", role="clerk", key_id="k-clerk")
COURIER = Actor(name="张快递", role="courier", key_id="k-courier")
PHONE = "13155551907"
ADDRESS = "浙江省温州市鹿城区五马街道解放街123号3幢501室"


def courier_to(delivery, case, **kw):
    return delivery.set_delivery(case.id, "courier", actor=CLERK,
                                 recipient=Recipient("王小明", PHONE, ADDRESS), dispatch_date=DAY, **kw)


def test_courier_delivery_allocates_a_valid_waybill_and_lists_it_for_the_day(delivery, issued_case):
    case = issued_case()
    order = courier_to(delivery, case)
    assert order.method == "courier" and len(order.parcels) == 1
    parcel = order.parcels[0]
    assert S10Scheme().validate(parcel.waybill) == parcel.waybill
    assert parcel.state == "ready" and parcel.recipient_phone == PHONE
    assert [p.waybill for p in delivery.dispatch_list(DAY)] == [parcel.waybill]
    assert delivery.dispatch_list(DAY + dt.timedelta(days=1)) == []


def test_pickup_then_delivered_scan_moves_the_case_and_rescans_change_nothing(delivery, issued_case, cases, clock):
    case = issued_case()
    waybill = courier_to(delivery, case).parcels[0].waybill

    first = delivery.scan(waybill, "picked_up", actor=COURIER)
    assert first.changed and first.parcel.state == "picked_up"
    assert first.parcel.picked_up_by == "张快递"
    again = delivery.scan(waybill, "picked_up", actor=COURIER)
    assert not again.changed and again.parcel.picked_up_at == first.parcel.picked_up_at

    clock.advance(hours=5)
    done = delivery.scan(waybill.lower(), "delivered", actor=COURIER)
    assert done.changed and done.parcel.state == "delivered"
    assert done.parcel.delivered_at == clock()
    assert cases.get(case.id).state == "delivered"
    assert not delivery.scan(waybill, "delivered", actor=COURIER).changed
    with pytest.raises(ParcelStateError):
        delivery.scan(waybill, "returned", actor=COURIER)


def test_returned_parcel_goes_back_to_the_clerk_and_its_number_is_never_reused(delivery, issued_case, cases):
    case = issued_case()
    old = courier_to(delivery, case).parcels[0].waybill
    delivery.scan(old, "picked_up", actor=COURIER)
    returned = delivery.scan(old, "returned", actor=COURIER, note="查无此人")
    assert returned.parcel.state == "returned" and returned.parcel.return_reason == "查无此人"
    assert [p.waybill for p in delivery.clerk_queue()] == [old]
    assert cases.get(case.id).state == "issued"
    assert old not in [p.waybill for p in delivery.dispatch_list(DAY)]

    # the clerk corrects the address: a new parcel with a new number; the queue is cleared
    order = delivery.set_delivery(case.id, "courier", actor=CLERK, dispatch_date=DAY,
                                  recipient=Recipient("王小明", PHONE, "浙江省温州市鹿城区府前街1号"))
    numbers = [p.waybill for p in order.parcels]
    assert len(numbers) == 2 and numbers[0] == old and numbers[1] != old
    assert delivery.clerk_queue() == []
    assert [p.waybill for p in delivery.dispatch_list(DAY)] == [numbers[1]]


def test_waybill_numbers_differ_across_many_cases(delivery, issued_case):
    numbers = [courier_to(delivery, issued_case()).parcels[0].waybill for _ in range(5)]
    assert len(set(numbers)) == 5


def test_changing_a_not_yet_picked_up_parcel_retires_its_number(delivery, issued_case):
    case = issued_case()
    first = courier_to(delivery, case).parcels[0].waybill
    second = courier_to(delivery, case).parcels[-1].waybill
    assert first != second
    assert [p.waybill for p in delivery.dispatch_list(DAY)] == [second]
    with pytest.raises(ParcelStateError):
        delivery.scan(first, "picked_up", actor=COURIER)


def test_a_parcel_on_its_way_cannot_be_redirected(delivery, issued_case):
    case = issued_case()
    delivery.scan(courier_to(delivery, case).parcels[0].waybill, "picked_up", actor=COURIER)
    with pytest.raises(DeliveryStateError):
        courier_to(delivery, case)


def test_unknown_and_malformed_waybills(delivery):
    with pytest.raises(ParcelNotFoundError):
        delivery.scan("EA999999995CN", "picked_up", actor=COURIER)
    with pytest.raises(WaybillCheckDigitError):
        delivery.scan("EA999999996CN", "picked_up", actor=COURIER)


def test_courier_needs_an_address_and_a_plausible_phone(delivery, issued_case):
    case = issued_case()
    with pytest.raises(InvalidInputError) as info:
        delivery.set_delivery(case.id, "courier", actor=CLERK, recipient=Recipient("王小明", "abc", ""))
    assert info.value.extra["fields"] == ["recipient.phone", "recipient.address"]
    with pytest.raises(InvalidInputError):
        delivery.set_delivery(case.id, "drone", actor=CLERK)
    assert delivery.get(case.id) is None, "nothing half-written"


def test_method_chosen_before_issue_makes_the_parcel_only_once_issued(delivery, issued_case, cases):
    case = issued_case("approved")
    order = courier_to(delivery, case)
    assert order.method == "courier" and order.parcels == ()
    cases.transition(case.id, "issued", CLERK, "licence signed")
    assert len(courier_to(delivery, case).parcels) == 1


def test_closed_cases_take_no_delivery(delivery, issued_case, cases):
    case = issued_case("accepted")
    cases.transition(case.id, "withdrawn", CLERK, "applicant withdrew")
    with pytest.raises(DeliveryStateError):
        courier_to(delivery, case)


@pytest.mark.parametrize(
    "state, event, outcome",
    [("ready", "picked_up", "picked_up"),
     ("picked_up", "delivered", "delivered"), ("picked_up", "returned", "returned"),
     ("delivered", "delivered", None), ("returned", "returned", None), ("picked_up", "picked_up", None)],
)
def test_scan_rules(state, event, outcome):
    assert scan_outcome(state, event) == outcome


@pytest.mark.parametrize("state, event", [("ready", "returned"), ("ready", "delivered"), ("delivered", "picked_up"),
                                          ("returned", "delivered"), ("ready", "lost")])
def test_impossible_scans(state, event):
    with pytest.raises(ParcelStateError):
        scan_outcome(state, event)


def test_dispatch_labels_pdf_and_zpl_carry_every_parcel(delivery, issued_case):
    numbers = [courier_to(delivery, issued_case()).parcels[0].waybill for _ in range(2)]
    parcels = delivery.dispatch_list(DAY)
    pdf = delivery.labels_pdf(parcels)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 0
    zpl = delivery.labels_zpl(parcels, "76x130")
    assert zpl.count("^XA") == 2 and all(f"^FD{n}^FS" in zpl for n in numbers)
    assert PHONE not in zpl


def test_concurrent_allocations_never_share_a_number(engine, delivery):
    """Four threads allocate at once (real row locks on PostgreSQL, the writer lock on SQLite)."""
    import threading

    from sqlalchemy.orm import sessionmaker

    from intake.delivery.waybills import allocate_waybill

    sessions = sessionmaker(engine)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(10):
                for attempt in range(20):
                    try:
                        with sessions.begin() as session:
                            numbers.append(allocate_waybill(session, delivery.scheme))
                        break
                    except Exception as exc:  # SQLite may report "database is locked": retry
                        if "locked" not in str(exc) or attempt == 19:
                            raise
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(numbers) == 40 and len(set(numbers)) == 40


def test_scan_time_is_recorded_and_never_in_the_future(delivery, issued_case, clock):
    waybill = courier_to(delivery, issued_case()).parcels[0].waybill
    with pytest.raises(InvalidInputError):
        delivery.scan(waybill, "picked_up", actor=COURIER, at=clock() + dt.timedelta(hours=1))
    local = dt.datetime(2026, 11, 23, 9, 30)  # naive: read as China time
    result = delivery.scan(waybill, "picked_up", actor=COURIER, at=local)
    assert result.parcel.picked_up_at == local.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))
