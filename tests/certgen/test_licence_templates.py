"""Licence templates load and validate; licences render with embedded fonts, QR, annex pages, JSON data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from certgen.licences import (
    LicenceContent, LicenceDataError, Permit, TemplateError, TemplateSet, UnknownTemplateError, attach_json,
    check_data, example_data, licence_json, parse_template, read_json, render_licence,
)

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "licences"
REQUIRED_TYPES = {"food_business", "drug_business", "medical_device_business", "medical_device_filing",
                  "food_drug_business", "social_group", "private_non_enterprise"}


@pytest.fixture(scope="module")
def templates() -> TemplateSet:
    return TemplateSet.load(TEMPLATES)


def content_for(template, data=None, **overrides) -> LicenceContent:  # type: ignore[no-untyped-def]
    checked = check_data(template, data or example_data(template))
    permits = tuple(Permit(p.kind, template.permit_kind(p.kind).label, f"P-{p.kind}", p.scope, date(2031, 1, 1))
                    for p in checked.permits)
    values = dict(
        template=template, values=checked.values, number="JY23303020000154",
        identifier="1.2.156.3005.2.11100000000013338W009.11330302MB01234564.2026000001.001.7",
        authority_name="温州市鹿城区市场监督管理局", authority_code="11330302MB01234564",
        issue_date=date(2026, 11, 22), valid_from=date(2026, 11, 22), valid_until=date(2031, 11, 21),
        verify_url="https://verify.example.gov.cn/verify/1.2.156.3005.2.X", permits=permits,
    )
    values.update(overrides)
    return LicenceContent(**values)


def test_every_required_licence_type_has_a_valid_template(templates: TemplateSet) -> None:
    assert REQUIRED_TYPES <= set(templates.ids())
    merged = templates.get("food_drug_business")
    assert merged.merged and {p.key for p in merged.permit_kinds} >= {"food_business", "drug_retail",
                                                                      "medical_device_business",
                                                                      "medical_device_filing"}
    assert templates.get("social_group").layout.page == "A3" and templates.get("social_group").layout.landscape
    assert templates.get("medical_device_filing").validity_years is None


def test_template_errors_name_the_file_and_the_key(tmp_path: Path) -> None:
    raw = yaml.safe_load((TEMPLATES / "food_business.yaml").read_text("utf-8"))
    raw["layout"]["qr"]["x"] = 290  # off the page
    with pytest.raises(TemplateError, match=r"broken.yaml: layout.qr: lies outside the page"):
        parse_template(raw, "broken.yaml")
    raw = yaml.safe_load((TEMPLATES / "food_business.yaml").read_text("utf-8"))
    raw["number"]["pattern"] = "JY{nonexistent}{seq}"
    with pytest.raises(TemplateError, match=r"number.pattern: uses \{nonexistent\}"):
        parse_template(raw, "broken.yaml")
    raw = yaml.safe_load((TEMPLATES / "food_business.yaml").read_text("utf-8"))
    raw["fields"][0]["kind"] = "colour"
    with pytest.raises(TemplateError, match=r"fields\[0\].kind"):
        parse_template(raw, "broken.yaml")


def test_unknown_type_is_a_clear_error(templates: TemplateSet) -> None:
    with pytest.raises(UnknownTemplateError, match="known"):
        templates.get("fishing_licence")


def test_bad_data_lists_every_problem(templates: TemplateSet) -> None:
    template = templates.get("food_business")
    data = example_data(template)
    del data["holder_name"]
    data["holder_code"] = "12345"
    data["main_business"] = "奶茶店"
    data["surprise"] = 1
    with pytest.raises(LicenceDataError) as caught:
        check_data(template, data)
    assert set(caught.value.problems) == {"holder_name", "holder_code", "main_business", "surprise"}
    assert "经营者名称为必填项" in caught.value.message_zh


def test_a_uscc_with_a_wrong_check_character_is_kept_with_a_warning(templates: TemplateSet) -> None:
    template = templates.get("food_business")
    data = dict(example_data(template), holder_code="91350211M0000XUF46")  # real, registered, fails check
    assert check_data(template, data).warnings


@pytest.mark.parametrize("template_id", sorted(REQUIRED_TYPES))
def test_each_licence_renders_with_fonts_embedded_and_a_readable_qr(template_id, templates, tmp_path, checks):  # type: ignore[no-untyped-def]
    content = content_for(templates.get(template_id))
    path = tmp_path / "licence.pdf"
    path.write_bytes(attach_json(render_licence(content), licence_json(content)))
    assert checks.all_fonts_embedded(path), checks.pdffonts_rows(path)
    assert checks.qr_texts(path, tmp_path) == [content.verify_url]


def test_long_business_scope_continues_on_annex_pages_and_nothing_is_cut(templates, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    template = templates.get("food_business")
    items = "；".join(f"经营项目第{i}项热食类食品制售" for i in range(1, 180))
    content = content_for(template, dict(example_data(template), business_items=items))
    path = tmp_path / "long.pdf"
    path.write_bytes(render_licence(content))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert int(next(l for l in pages.splitlines() if l.startswith("Pages:")).split()[1]) >= 2
    assert "附页" in text and "（续见附页）" in text
    # read only the value column of every page, in order: the whole text must be there, in one piece
    mm = 72 / 25.4
    body = template.layout.body
    width_mm, height_mm = template.layout.size_mm
    page_count = int(next(l for l in pages.splitlines() if l.startswith("Pages:")).split()[1])
    values = ""
    for page in range(1, page_count + 1):
        top, bottom = (body.y - 5, body.bottom + 2) if page == 1 else (38, height_mm - 20)
        values += subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), "-x", str(int((body.x + body.label_width) * mm) - 2),
             "-y", str(int(top * mm)), "-W", str(int((body.width - body.label_width) * mm) + 4),
             "-H", str(int((bottom - top) * mm)), str(path), "-"],
            capture_output=True, text=True, check=True).stdout
    assert items in "".join(values.split())


def test_merged_licence_shows_the_holder_once_and_each_permit_with_its_own_number(templates, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    template = templates.get("food_drug_business")
    content = content_for(template)
    path = tmp_path / "merged.pdf"
    path.write_bytes(render_licence(content))
    flat = "".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    assert flat.count(content.values["holder_name"]) == 1
    for permit in content.permits:
        assert permit.label in flat and permit.number in flat


def test_json_attachment_reads_back_equal(templates, tmp_path, checks) -> None:  # type: ignore[no-untyped-def]
    import json

    content = content_for(templates.get("food_drug_business"))
    data = licence_json(content)
    pdf = attach_json(render_licence(content), data)
    assert read_json(pdf) == data
    path = tmp_path / "a.pdf"
    path.write_bytes(pdf)
    assert json.loads(checks.qpdf_attachment(path, "licence.json")) == data
    assert data["metadata"]["证照编号"] == content.number and data["metadata"]["持证主体代码类型"] == "001"
    import pikepdf

    with pikepdf.open(path) as doc:
        assert doc.attachments["licence.json"].relationship == pikepdf.Name.Data
        assert len(doc.Root.AF) == 1
