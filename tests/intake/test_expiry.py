"""Every way OCR and clerks write a validity period gives the right last day (or "cannot tell")."""

from __future__ import annotations

import datetime as dt

import pytest

from intake.expiry import PERMANENT, last_valid_day, parse_validity

D = dt.date


@pytest.mark.parametrize(("text", "last_day"), [
    # ISO 8601 intervals, as OCR stores 营业期限 / 有效期限
    ("2015-11-18/2035-11-17", D(2035, 11, 17)),
    ("2015-11-18/..", PERMANENT),  # 营业期限 …至长期: the defect of issue 11
    ("2015-11-18 / ..", PERMANENT),
    ("../2030-01-01", D(2030, 1, 1)),
    # Chinese
    ("长期", PERMANENT),
    ("長期", PERMANENT),
    ("永久", PERMANENT),
    ("不约定期限", PERMANENT),
    ("无固定期限", PERMANENT),
    ("长期有效", PERMANENT),
    ("2019年03月01日至长期", PERMANENT),
    ("2019年3月1日至不约定期限", PERMANENT),
    ("自2015年11月18日至2035年11月17日止", D(2035, 11, 17)),
    ("2015年11月18日至2035年11月17日", D(2035, 11, 17)),
    ("至2030年5月1日", D(2030, 5, 1)),
    ("至2030年5月1日止", D(2030, 5, 1)),
    ("有效期至2036年3月1日", D(2036, 3, 1)),
    # ID cards
    ("2016.03.01-2036.03.01", D(2036, 3, 1)),
    ("2016.03.01—2036.03.01", D(2036, 3, 1)),
    ("2016.03.01－2036.03.01", D(2036, 3, 1)),
    ("２０１６．０３．０１－２０３６．０３．０１", D(2036, 3, 1)),  # full-width
    ("20160301-20360301", D(2036, 3, 1)),
    ("2016.03.01-长期", PERMANENT),
    ("2016/3/1~2036/3/1", D(2036, 3, 1)),
    # a single date is the end
    ("2036-03-01", D(2036, 3, 1)),
    ("2036年3月1日", D(2036, 3, 1)),
])
def test_every_written_form_gives_its_last_day(text: str, last_day: dt.date) -> None:
    assert last_valid_day(text) == last_day


@pytest.mark.parametrize("text", [
    "", "   ", "有效", "营业期限", "2015年11月18日起", "2015-11-18至", "2015-11-18/", "2015.11.18-",
    "2023-02-30/2033-02-29",  # impossible dates are not guessed around
    "2035-11-17/2015-11-18",  # an end before the start
    "2015年13月01日至2035年11月17日",
])
def test_what_cannot_be_told_for_sure_is_none(text: str) -> None:
    assert last_valid_day(text) is None


def test_the_period_keeps_its_start_and_says_whether_a_day_is_covered() -> None:
    period = parse_validity("2015-11-18/..")
    assert period is not None and period.start == D(2015, 11, 18) and period.permanent
    assert period.covers(D(2099, 1, 1)) and not period.covers(D(2015, 11, 17))
    lease = parse_validity("2025年1月1日至2025年12月31日")
    assert lease is not None and lease.covers(D(2025, 6, 1)) and not lease.covers(D(2026, 1, 1))


def test_a_long_term_business_licence_read_by_ocr_is_reused_not_treated_as_expired() -> None:
    """The story of defect 1: 营业期限 ``…至长期`` is stored as ``2015-11-18/..``."""
    from archive import DocumentRecord
    from intake.matters.model import Reuse
    from intake.reuse import is_reusable

    record = DocumentRecord(
        id="d1", sha256="0" * 64, size=1, media_type="image/png", filename=None, owner_code="X",
        owner_code_type="uscc", doc_type="business_licence", case_ref=None,
        created_at=dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc),
        retention_until=dt.datetime(2055, 1, 1, tzinfo=dt.timezone.utc),
    )
    ocr = {"fields": {"营业期限": {"value": "2015-11-18/.."}}}
    assert is_reusable(record, ocr, Reuse(allowed=True, until_expiry=True), ("business_licence",), D(2026, 11, 23))
