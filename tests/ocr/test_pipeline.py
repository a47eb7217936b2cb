"""A clerk's scans read end to end: type, fields with ISO dates / yuan / checked identifiers.

Kept to a handful of pages (each costs a few seconds of CPU); accuracy over the whole generated
set is measured by ``bench/ocr_eval.py``, not here.
"""

from __future__ import annotations

import pytest

from ocr import DocumentResult, check_id_card
from ocr.identifiers import id_card_check_char
from tests.ocr.ocr_helpers import born_digital_pdf


def _assert_fields(result: DocumentResult, expected: dict[str, object]) -> None:
    for key, value in expected.items():
        assert key in result.fields, f"{key} not found"
        got = result.fields[key]
        assert got.value == value, f"{key}: {got.value!r} != {value!r}"
        assert got.box is not None and got.page == 0 and 0 < got.confidence <= 1


def test_clean_business_licence_is_typed_and_every_field_read(reader, render) -> None:  # type: ignore[no-untyped-def]
    data, truth = render("business_licence", 11, dpi=150, font=2)
    result = reader.read(data)
    assert result.doc_type == "business_licence" and result.doc_type_confidence > 0.8
    _assert_fields(result, truth.fields)
    uscc = result.fields["统一社会信用代码"]
    assert uscc.valid is True and uscc.flags == []
    assert isinstance(result.fields["注册资本"].value, float)  # yuan as a number
    page = result.pages[0]
    assert page.rotation == 0 and page.quality > 0.9 and not page.denoised


def test_upside_down_id_card_copy_is_turned_and_cross_checked(reader, render) -> None:  # type: ignore[no-untyped-def]
    data, truth = render("id_card", 21, dpi=150, font=0, condition="rot180")
    result = reader.read(data)
    assert result.pages[0].rotation == 180
    assert result.doc_type == "id_card"
    _assert_fields(result, truth.fields)
    number = result.fields["公民身份号码"]
    assert number.valid is True
    assert result.fields["出生"].value == check_id_card(number.value).birth_date.isoformat()  # type: ignore[union-attr]


@pytest.mark.parametrize(("kind", "condition"), [("business_licence", "rot90"), ("lease_contract", "rot180")])
def test_a_turned_page_is_detected_once_and_its_lines_read_again(reader, render, monkeypatch, kind, condition) -> None:  # type: ignore[no-untyped-def]
    """Turned pages cost one detection: the first pass's lines are re-recognised, not re-detected."""
    data, truth = render(kind, 23, dpi=150, font=3, condition=condition)
    detections = []
    original = reader.engine.read
    monkeypatch.setattr(reader.engine, "read",
                        lambda image, **options: detections.append(image.shape) or original(image, **options))
    result = reader.read(data)
    assert len(detections) == 1
    assert result.pages[0].rotation in ((90, 270) if condition == "rot90" else (180,))
    assert result.doc_type == kind
    _assert_fields(result, truth.fields)
    for line in result.pages[0].lines:  # boxes in the upright page, text running left to right
        (x0, y0), (x1, y1) = line.box[0], line.box[1]
        assert x1 > x0 and abs(y1 - y0) < (x1 - x0)
        assert 0 <= x0 <= result.pages[0].width and 0 <= y0 <= result.pages[0].height


def test_id_number_with_a_wrong_check_character_is_flagged_never_valid(reader, render, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import bench.ocrgen.data as gen

    def wrong_id(self, region, born, male):  # type: ignore[no-untyped-def]
        body = f"{region}{born:%Y%m%d}{'123' if male else '124'}"
        good = id_card_check_char(body)
        return body + ("0" if good != "0" else "1")

    monkeypatch.setattr(gen.Faker, "id_number", wrong_id)
    data, truth = render("id_card", 5, dpi=150, font=1)
    result = reader.read(data)
    number = result.fields["公民身份号码"]
    assert number.value == truth.fields["公民身份号码"]
    assert number.valid is False and "check_mismatch" in number.flags and number.review
    assert number.confidence <= 0.5


def test_noisy_scan_is_cleaned_and_read(reader, render) -> None:  # type: ignore[no-untyped-def]
    data, truth = render("food_business_licence", 8, dpi=150, font=3, condition="saltpepper")
    result = reader.read(data)
    assert result.pages[0].denoised
    assert result.doc_type == "food_business_licence"
    found = sum(result.fields.get(k) is not None and result.fields[k].value == v for k, v in truth.fields.items())
    assert found >= len(truth.fields) - 1


def test_born_digital_pdf_uses_its_text_layer_and_reports_progress(reader) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[int, int]] = []
    result = reader.read(born_digital_pdf(3), progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert [p.source for p in result.pages] == ["text_layer"] * 3
    assert result.doc_type == "business_licence"
    fields = {k: f.value for k, f in result.fields.items()}
    assert fields["统一社会信用代码"] == "91350200776049653A"
    assert fields["法定代表人"] == "张伟"  # traditional characters in a name are simplified
    assert fields["注册资本"] == 500000.0
    assert fields["成立日期"] == "2015-03-12" and fields["营业期限"] == "2015-03-12/.."
    assert result.fields["名称"].confidence == 1.0


@pytest.mark.parametrize("field", ["统一社会信用代码"])
def test_a_misread_identifier_is_never_valid(field: str) -> None:
    from ocr.fields import _normalise
    from ocr.doctypes import FieldSpec

    spec = FieldSpec(field, (field,), "uscc")
    value, valid, flags = _normalise(spec, "9135O2OO776O49653B")  # O read for 0 and a wrong check
    assert value == "91350200776049653B" and valid is False and flags == ["check_mismatch"]
