"""Values as a clerk's system needs them: ISO dates, yuan as numbers, codes without noise."""

from __future__ import annotations

import pytest

from ocr import normalise as nz


@pytest.mark.parametrize(("text", "iso"), [
    ("2015年03月12日", "2015-03-12"), ("2015年3月2日", "2015-03-02"), ("2015.03.12", "2015-03-12"),
    ("2015-3-12", "2015-03-12"), ("二〇二五年十一月二日", "2025-11-02"), ("二〇一九年十二月三十一日", "2019-12-31"),
    ("出生 1985 年 3 月 29 日", "1985-03-29"), ("2015年02月30日", None), ("长期", None), ("", None),
])
def test_dates(text: str, iso: str | None) -> None:
    assert nz.parse_date(text) == iso


@pytest.mark.parametrize(("text", "interval"), [
    ("2015年03月12日至2035年03月11日", "2015-03-12/2035-03-11"), ("2015年03月12日至长期", "2015-03-12/.."),
    ("2018.04.02-2038.04.02", "2018-04-02/2038-04-02"), ("自2023年1月1日起至2025年12月31日止。", "2023-01-01/2025-12-31"),
    ("2018.04.02-长期", "2018-04-02/.."), ("2015年03月12日至", None), ("至2035年", None),
])
def test_validity_periods_are_iso_intervals(text: str, interval: str | None) -> None:
    assert nz.parse_date_range(text) == interval


@pytest.mark.parametrize(("text", "yuan"), [
    ("壹佰万元整", 1_000_000.0), ("人民币伍拾万元整", 500_000.0), ("贰仟零伍万元整", 20_050_000.0),
    ("100万元", 1_000_000.0), ("人民币3,500.00元/月", 3500.0), ("每月人民币4200元，按季度支付", 4200.0),
    ("1.5亿元", 150_000_000.0), ("叁仟伍佰元", 3500.0), ("无", None),
])
def test_money_in_yuan(text: str, yuan: float | None) -> None:
    assert nz.parse_money(text) == yuan


def test_chinese_numbers() -> None:
    assert nz.chinese_number("一千二百三十四万五千") == 12_345_000
    assert nz.chinese_number("十五") == 15 and nz.chinese_number("二〇二三") == 2023
    assert nz.chinese_number("abc") is None


def test_names_are_simplified_and_unspaced() -> None:
    assert nz.normalise_name("張  偉") == "张伟"
    assert nz.normalise_name("陳曉東：") == "陈晓东"


def test_codes_map_only_impossible_characters() -> None:
    assert nz.normalise_uscc("9135 02OO 7760-49653a") == "91350200776049653A"
    assert nz.normalise_id_number("44052418800101OO14") == "440524188001010014"
    assert nz.normalise_doc_number("温会验字（2023] 第 12 号") == "温会验字〔2023〕第12号"


def test_scope_separators_are_unified() -> None:
    assert nz.normalise_scope("批发和零售贸易；货物进出口，技术进出口：") == "批发和零售贸易;货物进出口;技术进出口;"
