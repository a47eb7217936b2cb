"""Where a field was read, outlined on the scan; documents found by the words on them (issue 14)."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import Api, Desk
from tests.browser.test_find import PERSON
from tests.browser.test_matter import CO, NAME

pytestmark = pytest.mark.browser

LINE = [[40, 40], [400, 40], [400, 76], [40, 76]]  # where the name stands on the 600 x 400 scan


def read_as(desk: Desk, doc_id: str, fields: dict[str, tuple[str, list[list[float]]]]) -> None:
    """Store an OCR result for the document as the OCR worker does (result and searchable text)."""
    desk.container.archive.put_derived(doc_id, "ocr", {
        "doc_type": "business_licence",
        "pages": [{"index": 0, "width": 600, "height": 400, "rotation": 0,
                   "lines": [{"text": f"{k} {v}", "box": box, "score": 0.95} for k, (v, box) in fields.items()]}],
        "fields": {k: {"value": v, "confidence": 0.95, "page": 0, "box": box} for k, (v, box) in fields.items()}})
    desk.container.archive.put_text(doc_id, "\n".join(f"{k} {v}" for k, (v, _) in fields.items()))


def test_a_field_source_names_its_document_and_outlines_the_box_it_was_read_from(desk: Desk, http: Api) -> None:
    page = desk.page
    case = http("POST", "/api/v1/cases", json={"matter_id": "food-business-licence", "owner_code": CO, "applicant_name": ""})
    doc = http.upload(case, "business_licence", "营业执照 温州仁心食品有限公司")
    read_as(desk, doc, {"名称": (NAME, LINE), "住所": ("浙江省温州市鹿城区五马街1号", [[40, 300], [560, 300], [560, 330], [40, 330]])})
    desk.login("clerk")
    desk.open_case(case["id"])
    source = page.locator("tr[data-field=company_name] .source")
    assert source.text_content() == "来源：营业执照（名称，第 1 页）"
    assert page.input_value('input[name="company_name"]') == NAME
    source.click()
    page.wait_for_function("() => { const i = document.querySelector('#scan img'); return i && i.complete && i.naturalWidth > 500; }")
    assert page.text_content("#scan h4") == "营业执照（名称，第 1 页）"
    img = page.locator("#scan img").bounding_box()
    mark = page.locator("#scan-highlight").bounding_box()
    assert img and mark
    # the outline sits where the name was read: 40..400 of 600 across, 40..76 of 400 down
    assert abs((mark["x"] - img["x"]) / img["width"] - 40 / 600) < 0.01
    assert abs(mark["width"] / img["width"] - 360 / 600) < 0.01
    assert abs((mark["y"] - img["y"]) / img["height"] - 40 / 400) < 0.01
    assert abs(mark["height"] / img["height"] - 36 / 400) < 0.01
    desk.shot("field-box")
    page.locator("tr[data-field=address] .source").click()  # another field: the outline moves with it
    page.wait_for_function("() => { const i = document.querySelector('#scan img'); return i && i.complete && i.naturalWidth > 500; }")
    moved = page.locator("#scan-highlight").bounding_box()
    img = page.locator("#scan img").bounding_box()
    assert moved and img and abs((moved["y"] - img["y"]) / img["height"] - 300 / 400) < 0.01
    page.set_viewport_size({"width": 800, "height": 900})  # narrow: the scan goes below the form, the box with it
    page.wait_for_timeout(100)
    img, moved = page.locator("#scan img").bounding_box(), page.locator("#scan-highlight").bounding_box()
    assert img and moved and abs((moved["y"] - img["y"]) / img["height"] - 300 / 400) < 0.01
    desk.shot("field-box-address")


def test_documents_are_found_by_the_words_read_from_them(desk: Desk, http: Api) -> None:
    page = desk.page
    food = http("POST", "/api/v1/cases", json={"matter_id": "food-business-licence", "owner_code": CO, "applicant_name": NAME})
    drug = http("POST", "/api/v1/cases", json={"matter_id": "drug-retail-licence", "owner_code": PERSON, "applicant_name": "李四"})
    lic = http.upload(food, "business_licence", "营业执照 甲")
    read_as(desk, lic, {"名称": (NAME, LINE), "住所": ("温州市鹿城区五马街1号", LINE)})
    card = http.upload(drug, "id_card", "身份证 乙")
    read_as(desk, card, {"姓名": ("李四", LINE), "住址": ("温州市鹿城区五马街2号", LINE)})
    lease = http.upload(food, "lease_contract", "租赁合同 丙")
    read_as(desk, lease, {"房屋坐落": ("温州市瓯海区娄桥街道", LINE)})
    desk.login("clerk")

    def search(**fields: str) -> list[str]:
        page.goto(f"{desk.base}/desk/#/docs")
        page.wait_for_selector("#d-text")
        for name, value in fields.items():
            if name == "type":
                page.select_option("#d-type", value)
            else:
                page.fill(f"#d-{name}", value)
        page.evaluate("delete document.body.dataset.docsListed")
        page.click("#d-search")
        page.wait_for_function("() => document.body.dataset.docsListed === location.hash && location.hash.length > 7")
        return page.eval_on_selector_all("figure.doc", "fs => fs.map(f => f.dataset.doc)")

    assert set(search(text="五马街")) == {lic, card}  # any owner's documents, by the words on them
    page.wait_for_function("() => [...document.querySelectorAll('figure.doc img')].every(i => i.complete && i.naturalWidth > 0)")
    assert PERSON in page.text_content("#doc-results") and food["id"] in page.text_content("#doc-results")
    desk.shot("document-text-search")
    assert search(text="五马街", owner=PERSON) == [card]
    page.click(f"figure.doc[data-doc='{card}']")  # a result opens its scan beside the list
    page.wait_for_function("() => { const i = document.querySelector('#scan .sheet img'); return i && i.naturalWidth > 0; }")
    assert search(text="温州市", type="lease_contract") == [lease]
    assert search(text="不存在的字") == [] and page.text_content("#no-docs") == "没有找到文件"
    assert search(owner=CO) and set(search(owner=CO)) == {lic, lease}
    # the owner can see who searched their documents
    page.goto(f"{desk.base}/desk/#/log")
    page.fill("#l-owner", PERSON)
    page.click("#l-search")
    page.wait_for_selector("table tbody tr")
    assert "检索文件" in page.text_content("table")
    actions = page.eval_on_selector_all("table tbody tr td:nth-child(4)", "tds => tds.map(t => t.textContent)")
    assert actions and not [a for a in actions if re.fullmatch(r"[a-z_]+", a)], actions  # every action in Chinese
    purposes = page.eval_on_selector_all("table tbody tr td:nth-child(7)", "tds => tds.map(t => t.textContent)")
    assert "窗口预览原件 (desk preview)" in purposes  # the clerk's preview says why, in Chinese first
