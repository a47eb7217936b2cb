"""Pages in layouts our templates were not written for, read end to end (a few pages only).

The layouts are those of documents as they circulate (``bench/ocrgen/realworld.py``): a lease in
running prose, the 2019 SAMR licence with its QR code and the seal over 登记机关, an ID-card
copy whose 出生 is printed as separate boxes under a red purpose line, white text on a
transparent PNG. RapidOCR's own test images are not shipped in any installed package, so they
are measured by ``bench/ocr_eval.py`` from a local copy, not here.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from bench.ocrgen.data import Faker
from bench.ocrgen.realworld import LAYOUTS, as_photo, white_on_transparent
from bench.ocrgen.sheet import FONTS, Sheet


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def test_a_lease_written_in_prose_gives_parties_premises_term_and_rent(reader) -> None:  # type: ignore[no-untyped-def]
    rendered = LAYOUTS["prose_lease"](Faker(5), Sheet(150, FONTS[1]))
    result = reader.read(_png(rendered.image))
    assert result.doc_type == "lease_contract"
    for key in ("出租方", "承租方", "房屋坐落", "租赁期限", "租金"):
        assert key in result.fields, key
        assert result.fields[key].value == rendered.fields[key], key
    assert not result.fields["出租方"].value.startswith(("甲方", "出租"))  # the label is not the value


def test_2019_licence_photo_keeps_the_authority_under_its_seal_and_no_label_in_the_name(reader) -> None:  # type: ignore[no-untyped-def]
    import random

    rendered = LAYOUTS["samr_2019"](Faker(8), Sheet(150, FONTS[0]))
    result = reader.read(as_photo(rendered.image, random.Random(8)))
    assert result.doc_type == "business_licence"
    fields = result.fields
    assert fields["登记机关"].value == rendered.fields["登记机关"]  # not the annual-report sentence
    assert fields["名称"].value == rendered.fields["名称"]  # no "称" from the spaced label
    assert fields["统一社会信用代码"].valid is True
    assert fields["营业期限"].value == rendered.fields["营业期限"]


def test_id_copy_with_split_date_boxes_and_red_purpose_line(reader) -> None:  # type: ignore[no-untyped-def]
    rendered = LAYOUTS["id_copy_split_date"](Faker(3), Sheet(150, FONTS[2]))
    result = reader.read(_png(rendered.image))
    assert result.fields["出生"].value == rendered.fields["出生"]  # 1987 | 年 | 12 | 月 | 13 | 日 joined
    assert result.fields["公民身份号码"].valid is True
    assert result.fields["住址"].value == rendered.fields["住址"]  # the watermark is not a line of it
    assert "仅供办理营业执照使用" in result.text.replace(" ", "")  # red text is text, not a seal


@pytest.mark.parametrize("text", ["浙江省政务服务网"])
def test_white_text_on_a_transparent_png_is_read(reader, text: str) -> None:  # type: ignore[no-untyped-def]
    data, _ = white_on_transparent(text, FONTS[0])
    assert reader.read(data).text.replace(" ", "") == text
