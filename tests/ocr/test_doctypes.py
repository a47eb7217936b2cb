"""Document types are data: templates validated on load, errors naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from ocr import Line, Page, TemplateError
from ocr.doctypes import classify, load_doctypes
from ocr.types import box_from_rect

REQUIRED = {"business_licence", "id_card", "lease_contract", "food_business_licence", "drug_business_licence",
            "health_certificate", "articles", "capital_report", "application_form"}


def _page(*texts: str) -> Page:
    lines = [Line(t, box_from_rect(100, 100 + 60 * i, 900, 140 + 60 * i), 0.99) for i, t in enumerate(texts)]
    return Page(0, 1240, 1754, lines=lines)


def test_every_required_type_has_a_template_with_printed_labels_as_keys() -> None:
    types = {t.name: t for t in load_doctypes()}
    assert REQUIRED <= set(types)
    assert [f.key for f in types["business_licence"].fields] == [
        "名称", "统一社会信用代码", "类型", "法定代表人", "注册资本", "成立日期", "营业期限", "住所", "经营范围", "登记机关", "注册号"]
    assert [f.key for f in types["id_card"].fields] == [
        "姓名", "性别", "民族", "出生", "住址", "公民身份号码", "签发机关", "有效期限"]
    assert [f.key for f in types["lease_contract"].fields] == ["出租方", "承租方", "房屋坐落", "租赁期限", "租金"]


@pytest.mark.parametrize(("texts", "expected"), [
    (("营业执照", "统一社会信用代码 91350200776049653A", "注册资本 壹佰万元整", "营业期限 长期"), "business_licence"),
    (("姓名 张三", "公民身份号码 440524188001010014", "住址 广东省"), "id_card"),
    (("房屋租赁合同", "出租方：李四", "承租方：王五"), "lease_contract"),
    (("食品经营许可证", "许可证编号 JY13301127352214"), "food_business_licence"),
    (("会议纪要", "时间：2024年1月1日"), "other"),
])
def test_classification(texts: tuple[str, ...], expected: str) -> None:
    verdict = classify([_page(*texts)], load_doctypes())
    assert verdict.doc_type == expected and 0 < verdict.confidence <= 1


def test_an_application_form_for_a_food_licence_is_not_the_licence() -> None:
    verdict = classify([_page("食品经营许可申请书", "申请人名称 某公司", "统一社会信用代码 913502")], load_doctypes())
    assert verdict.doc_type == "application_form"


@pytest.mark.parametrize(("body", "key"), [
    ("doc_type: Bad-Name\nclassify: {keywords: {a: 1}}\n", "doc_type"),
    ("doc_type: x\nclassify: {keywords: {a: one}}\n", "classify.keywords"),
    ("doc_type: x\nclassify: {regexes: [{pattern: '(', weight: 1}]}\n", "classify.regexes[0].pattern"),
    ("doc_type: x\nclassify: {}\nfields: [{key: 名称, type: colour}]\n", "fields[0].type"),
    ("doc_type: x\nclassify: [1, 2]\n", "classify"),
    ("doc_type: x\n  bad: [yaml\n", "(file)"),
])
def test_template_errors_name_the_file_and_the_key(tmp_path: Path, body: str, key: str) -> None:
    (tmp_path / "broken.yaml").write_text(body, encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        load_doctypes(tmp_path)
    assert info.value.extra["key"] == key and "broken.yaml" in str(info.value)
    assert info.value.message_zh
