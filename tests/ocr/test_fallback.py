"""A fast detector in front of the thorough one: when its reading or its fields fall short."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import rapidocr
from PIL import Image

from ocr import EngineConfig, Line, OcrConfig, Reader
from ocr.doctypes import load_doctypes
from ocr.candidates import doubtful_reading
from ocr.pipeline import fields_doubtful
from ocr.types import DocumentResult, Field, box_from_rect

SMALL_DET = Path(rapidocr.__file__).parent / "models" / "PP-OCRv6_det_small.onnx"
TYPES = load_doctypes()


def _line(text: str, score: float) -> Line:
    return Line(text, box_from_rect(0, 0, 20 * len(text), 30), score)


def test_a_page_read_with_confidence_is_not_detected_again() -> None:
    assert not doubtful_reading([_line("统一社会信用代码", 0.99), _line("名称上海某某有限公司", 0.97)])


def test_nothing_found_or_many_doubtful_characters_sends_the_page_to_the_fallback() -> None:
    assert doubtful_reading([])
    assert doubtful_reading([_line("", 0.0)])
    assert doubtful_reading([_line("统一社会信用代码", 0.99), _line("名称上海某某有限公司", 0.62)])


def _result(doc_type: str, fields: dict[str, Field]) -> DocumentResult:
    return DocumentResult(doc_type, 1.0, [], fields)


def _field(value: object, valid: bool | None = None, flags: list[str] | None = None) -> Field:
    return Field(value, str(value), 0.98, 0, None, valid, flags or [])


def test_fields_that_fall_short_ask_for_the_thorough_detector() -> None:
    licence = next(t for t in TYPES if t.name == "business_licence")
    every = {spec.key: _field("x") for spec in licence.fields}
    assert not fields_doubtful(_result("business_licence", every), TYPES)
    one_absent = {k: v for k, v in every.items() if k != "注册号"}  # the old 注册号 may be absent
    assert not fields_doubtful(_result("business_licence", one_absent), TYPES)
    two_absent = {k: v for k, v in one_absent.items() if k != "名称"}
    assert fields_doubtful(_result("business_licence", two_absent), TYPES)
    assert fields_doubtful(_result("business_licence", {**every, "统一社会信用代码": _field("X", valid=False)}), TYPES)
    assert fields_doubtful(_result("business_licence", {**every, "成立日期": _field(None)}), TYPES)
    assert not fields_doubtful(_result("other", {}), TYPES)


def test_the_thorough_pass_merges_the_fallback_detectors_lines(render) -> None:  # type: ignore[no-untyped-def]
    data, truth = render("health_certificate", 3)
    reader = Reader(OcrConfig(engine=EngineConfig(threads=2, det_model=str(SMALL_DET), det_fallback=True)))
    engine = reader.engine
    assert engine.has_fallback  # type: ignore[attr-defined]
    image = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    first = engine.read(image)
    engine.thorough = True  # type: ignore[attr-defined]
    try:
        both = engine.read(image)
    finally:
        engine.thorough = False  # type: ignore[attr-defined]
    assert {x.text for x in first if x.score > 0.9} <= {x.text for x in both}  # the same detector: nothing lost
    result = reader.read(data)
    assert result.doc_type == "health_certificate"
    assert result.fields["姓名"].value == truth.fields["姓名"]
