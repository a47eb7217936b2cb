"""A courier label a courier can deliver (issue 11, defect 7).

The clerk ships the licence of a case of 温州市市场监督管理局. The label masks the recipient's name
and phone (隐私面单) but prints the full address; the sender is the case's department with its
address (never "未配置"); and a parcel cannot jump from the counter to "delivered".
"""

from __future__ import annotations

import subprocess

import pytest
from sqlalchemy.orm import sessionmaker

from intake.delivery import (
    DeliveryConfig, DeliveryService, ParcelStateError, Recipient, Sender, SenderNotConfiguredError, choose_sender,
)
from intake.matters import Department

from .conftest import ADDRESS, COURIER, PHONE


def _ship(delivery, issued_case, licence_pdf):  # type: ignore[no-untyped-def]
    case = issued_case()
    licence_pdf(case.id)
    from .conftest import CLERK

    order = delivery.set_delivery(case.id, "courier", actor=CLERK, recipient=Recipient("王小明", PHONE, ADDRESS))
    return order.parcels[-1]


def test_the_label_masks_name_and_phone_shows_the_address_and_the_departments_sender(
    engine, cases, handover, clock, issued_case, licence_pdf, tmp_path
) -> None:
    delivery = DeliveryService(sessionmaker(engine, expire_on_commit=False), cases, handover, DeliveryConfig(),
                               clock=clock)  # nothing configured: the department's own address is used
    parcel = _ship(delivery, issued_case, licence_pdf)
    path = tmp_path / "label.pdf"
    path.write_bytes(delivery.labels_pdf([parcel]))
    text = "".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    assert ADDRESS in text  # the full address, never 浙江省温州市鹿城区****
    assert "王**" in text and "131****1907" in text and "王小明" not in text and PHONE not in text
    assert "温州市市场监督管理局" in text and "温州市鹿城区市民中心行政审批窗口" in text  # the case's department
    assert "未配置" not in text
    zpl = delivery.labels_zpl([parcel])
    assert PHONE not in zpl


def test_a_sender_configured_per_department_wins_and_none_at_all_refuses_the_label() -> None:
    department = Department(id="wz-amr", name="温州市市场监督管理局", short="温市监", address="温州市府东路1号")
    own = Sender("温州市市场监督管理局寄递中心", "0577-1", "温州市鹿城区府东路500号")
    assert choose_sender(department, {"wz-amr": own}, Sender()) == own
    assert choose_sender(department, {}, Sender()).address == "温州市府东路1号"
    with pytest.raises(SenderNotConfiguredError):
        choose_sender(Department(id="x", name="某局", short="某"), {}, Sender())


def test_a_parcel_at_the_counter_cannot_be_scanned_delivered(delivery, issued_case, licence_pdf) -> None:
    parcel = _ship(delivery, issued_case, licence_pdf)
    with pytest.raises(ParcelStateError) as refused:
        delivery.scan(parcel.waybill, "delivered", actor=COURIER)
    assert "揽收" in refused.value.message_zh
    assert delivery.parcel(parcel.waybill).state == "ready"
    delivery.scan(parcel.waybill, "picked_up", actor=COURIER)
    assert delivery.scan(parcel.waybill, "delivered", actor=COURIER).parcel.state == "delivered"
