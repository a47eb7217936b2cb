"""Field rules on lines as an engine returns them: no OCR, the layouts of real documents."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from bench.ocrgen.realworld import registration_number
from ocr import Line, Page
from ocr.candidates import merge_readings
from ocr.doctypes import load_doctypes
from ocr.fields import extract_fields
from ocr.seals import find_seals, remove_seals
from ocr.types import box_from_rect
from ocr.values import check_registration_number, cut_at_stop, repair_month_day, strip_leading_label

TYPES = {t.name: t for t in load_doctypes()}


def _cells(*rows: list[tuple[str, float, float]]) -> Page:
    """Rows of (text, x0, x1) cells, 60 px apart, each 40 px high."""
    lines = [Line(text, box_from_rect(x0, 100 + 60 * r, x1, 140 + 60 * r), 0.98)
             for r, row in enumerate(rows) for text, x0, x1 in row]
    return Page(0, 1240, 1754, lines=lines)


def test_birth_date_printed_as_separate_boxes_is_joined() -> None:
    page = _cells([("姓名", 100, 180), ("张三", 220, 320)],
                  [("出生", 100, 180), ("1987", 220, 300), ("年", 320, 350), ("12", 370, 410),
                   ("月", 430, 460), ("13", 480, 520), ("日", 540, 570)])
    fields = extract_fields([page], TYPES["id_card"])
    assert fields["出生"].value == "1987-12-13"


def test_party_role_is_not_part_of_the_name_and_values_stop_at_the_next_label() -> None:
    page = _cells([("出租方", 100, 220)], [("甲方：唐秀英 身份证号码：330106196001010011", 100, 900)],
                  [("承租方：杭州德润餐饮管理有限公司 联系电话：0571-8888888", 100, 1000)])
    fields = extract_fields([page], TYPES["lease_contract"])
    assert fields["出租方"].value == "唐秀英"
    assert fields["承租方"].value == "杭州德润餐饮管理有限公司"


def test_authority_is_not_taken_from_the_annual_report_sentence() -> None:
    page = _cells([("名称", 100, 180), ("杭州德润餐饮管理有限公司", 220, 700)],
                  [("登记机关", 700, 820)],
                  [("市场主体应当于每年1月1日至6月30日通过国家企业信用信息公示系统报送公示年度报告。", 100, 1100)])
    fields = extract_fields([page], TYPES["business_licence"])
    assert fields.get("登记机关") is None or fields["登记机关"].value is None
    if "登记机关" in fields:
        assert "invalid_authority" in fields["登记机关"].flags


def test_label_character_read_into_the_name_is_dropped() -> None:
    page = _cells([("名", 100, 130), ("称上海鼎新贸易有限公司", 200, 700)], [("类型", 100, 180), ("有限责任公司", 220, 500)])
    fields = extract_fields([page], TYPES["business_licence"])
    assert fields["名称"].value == "上海鼎新贸易有限公司"


def test_old_registration_number_is_a_checked_field() -> None:
    import random

    number = registration_number(random.Random(1), "330100")
    page = _cells([("企业法人营业执照", 400, 800)], [(f"注册号：{number}", 700, 1100)],
                  [("名称：杭州德润餐饮管理有限公司", 100, 700)])
    fields = extract_fields([page], TYPES["business_licence"])
    assert fields["注册号"].value == number and fields["注册号"].valid is True
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert not check_registration_number(wrong)


def test_impossible_month_from_a_misread_zero_is_repaired_and_flagged() -> None:
    page = _cells([("营业期限", 100, 220), ("2016年64月25日至长期", 240, 600)])
    field = extract_fields([page], TYPES["business_licence"])["营业期限"]
    assert field.value == "2016-04-25/.." and "repaired_digit" in field.flags
    assert repair_month_day("2016年04月25日") is None  # a possible date is never touched


def test_lease_prose_patterns() -> None:
    page = _cells([("房屋租赁合同", 400, 800)],
                  [("第二条　租赁期限自2024年03月01日起至2027年02月28日止。", 100, 1100)],
                  [("第三条　月租金为人民币4800元，按季支付。", 100, 1000)])
    fields = extract_fields([page], TYPES["lease_contract"])
    assert fields["租赁期限"].value == "2024-03-01/2027-02-28"
    assert fields["租金"].value == 4800.0


@pytest.mark.parametrize(("value", "expected"), [
    ("甲方：唐秀英", "唐秀英"), ("（乙方）：王五", "王五"), ("备注：无", "备注：无")])
def test_strip_leading_label(value: str, expected: str) -> None:
    assert strip_leading_label(value, ["出租方"]) == expected


def test_cut_at_stop() -> None:
    assert cut_at_stop("唐秀英 身份证号码：3301", ["身份证号码"]) == "唐秀英"
    assert cut_at_stop("身份证号码：3301", ["身份证号码"]) == "身份证号码：3301"  # nothing before it


def _page_with(red_text: bool, seal: bool) -> np.ndarray:
    img = Image.new("RGB", (1240, 1754), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 40)
    d.text((100, 300), "登记机关 杭州市市场监督管理局", font=font, fill=(20, 20, 20))
    if red_text:
        d.text((100, 100), "本复印件仅供办理营业执照使用", font=font, fill=(200, 30, 35))
    if seal:
        d.ellipse((400, 200, 640, 440), outline=(215, 40, 45), width=8)
        d.text((470, 300), "★", font=font, fill=(215, 40, 45))
    return np.asarray(img)


def test_seal_found_where_the_red_ring_is_and_red_text_left_alone() -> None:
    assert find_seals(_page_with(red_text=True, seal=False)) == []
    page = _page_with(red_text=True, seal=True)
    seals = find_seals(page)
    assert len(seals) == 1 and abs(seals[0].cx - 520) < 20 and abs(seals[0].rx - 120) < 20
    washed = remove_seals(page, seals)
    assert (washed[100:150, 100:700] == page[100:150, 100:700]).all()  # red text untouched
    ring = washed[200:215, 510:530].astype(int)
    assert (ring.min(axis=2) > 200).all()  # the ring is paper now
    assert washed[300:340, 100:400].min() < 80  # black text under and beside it stays dark


def test_merging_readings_never_drops_a_line_of_the_base_reading() -> None:
    base = [Line("变更登记日期：2018-06-29", box_from_rect(500, 100, 900, 130), 0.93),
            Line("融资", box_from_rect(100, 200, 160, 230), 0.92)]
    other = [Line("变更登记日期:2018-06-29", box_from_rect(502, 101, 901, 131), 0.90),
             Line("最资", box_from_rect(100, 200, 160, 230), 0.95), Line("x", box_from_rect(10, 10, 20, 20), 0.3)]
    merged = merge_readings(base, other)
    assert [x.text for x in merged] == ["变更登记日期：2018-06-29", "最资"]
    assert merged[1].alternatives == ("融资",)
