"""Two things the desk draws from the domain: where on the scan a field was read (as fractions of the
page image, whatever rotation OCR applied) and 材料免提交率 per month of receipt (issue 14)."""

from __future__ import annotations

import datetime as dt

import pytest

from intake.metrics.compute import CaseRecord, compute
from intake.ocr_results import OcrResult


def stored(rotation: int, width: int, height: int, box: list[list[float]]) -> dict:
    """An OCR result as the worker stores it: upright page size, the rotation that made it upright."""
    return {"doc_type": "business_licence",
            "pages": [{"index": 0, "width": width, "height": height, "rotation": rotation, "lines": []},
                      {"index": 1, "width": width, "height": height, "rotation": rotation, "lines": []}],
            "fields": {"名称": {"value": "温州仁心", "confidence": 0.9, "page": 1, "box": box}}}


BOX = [[100, 50], [300, 50], [300, 100], [100, 100]]  # on an upright 400 x 200 page


@pytest.mark.parametrize(("rotation", "width", "height", "expected"), [
    (0, 400, 200, (0.25, 0.25, 0.75, 0.5)),
    # the original was turned 90° clockwise to stand upright: it was 200 wide, 400 high
    (90, 400, 200, (0.25, 0.25, 0.5, 0.75)),
    (180, 400, 200, (0.25, 0.5, 0.75, 0.75)),
    (270, 400, 200, (0.5, 0.25, 0.75, 0.75)),
])
def test_a_field_box_is_given_as_fractions_of_the_page_as_stored(rotation, width, height, expected) -> None:
    entry = OcrResult.parse(stored(rotation, width, height, BOX)).fields["名称"]
    assert entry.page == 2  # 1-based, as the page images are numbered
    assert entry.box == pytest.approx(expected)


def test_a_field_without_a_box_or_page_size_has_no_box() -> None:
    data = stored(0, 400, 200, BOX)
    data["fields"]["名称"]["box"] = None
    assert OcrResult.parse(data).fields["名称"].box is None
    data = stored(0, 0, 200, BOX)
    assert OcrResult.parse(data).fields["名称"].box is None
    data["fields"]["名称"].pop("page")
    assert OcrResult.parse(data).fields["名称"].page is None


def record(n: int, day: dt.date, reused: int | None, satisfied: int | None) -> CaseRecord:
    at = dt.datetime.combine(day, dt.time(3), tzinfo=dt.timezone.utc)
    return CaseRecord(case_id=f"c{n}", matter="food-business-licence", department="wz-amr", received_at=at,
                      completed_at=None, kind="promised", committed_days=5, actual_days=None, visits=1,
                      materials_reused=reused, materials_satisfied=satisfied)


def test_no_copy_share_per_month_of_receipt() -> None:
    records = [record(1, dt.date(2026, 3, 2), 2, 4), record(2, dt.date(2026, 3, 30), 0, 4),
               record(3, dt.date(2026, 5, 1), 3, 3), record(4, dt.date(2026, 5, 2), None, None)]  # 4: from a CSV
    months = list(compute(records).to_dict()["reuse_by_month"])
    assert months == [
        {"month": "2026-03", "cases": 2, "reused": 2, "satisfied": 8, "reused_per_case": "1.00", "no_copy_rate": "25.00%"},
        {"month": "2026-05", "cases": 1, "reused": 3, "satisfied": 3, "reused_per_case": "3.00", "no_copy_rate": "100.00%"},
    ]  # April had no case: left out, not 0 %
    assert [m["month"] for m in compute(records, period_from=dt.date(2026, 4, 1)).to_dict()["reuse_by_month"]] == ["2026-05"]


def test_a_case_received_on_the_first_morning_in_china_counts_in_that_month() -> None:
    """08:30 in Wenzhou on 1 April is 00:30 UTC — and 07:30 is still 31 March in UTC."""
    early = record(1, dt.date(2026, 4, 1), 1, 2)
    early = CaseRecord(**{**early.__dict__, "received_at": dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.timezone.utc)})
    naive = CaseRecord(**{**early.__dict__, "case_id": "c2", "received_at": dt.datetime(2026, 3, 31, 23, 30)})  # SQLite
    assert [m["month"] for m in compute([early, naive]).to_dict()["reuse_by_month"]] == ["2026-04"]
