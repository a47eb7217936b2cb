"""With OCR on upload: the clerk watches the job's progress, then sees the type and where fields came from."""

from __future__ import annotations

import io
import re

import pytest

from bench.ocrgen.sheet import FONTS, TITLE_FONT, Sheet
from tests.browser.conftest import Desk
from tests.browser.test_matter import CO

pytestmark = [pytest.mark.browser, pytest.mark.slow]
NAME = "温州仁心大药房有限公司"


def licence_png() -> bytes:
    """One small rendered page: a business licence (营业执照) with the case owner's code and name."""
    sheet = Sheet(150, FONTS[0], size_mm=(210.0, 150.0))
    sheet.centre(22, "营业执照", 26, font=TITLE_FONT)
    sheet.text(25, 45, f"统一社会信用代码　{CO}", 12)
    y = 60
    for key, value in (("名称", NAME), ("类型", "有限责任公司"), ("法定代表人", "张三"), ("住所", "浙江省温州市鹿城区五马街1号")):
        sheet.text(25, y, f"{key}　{value}", 12)
        y += 13
    out = io.BytesIO()
    sheet.image.save(out, "PNG")
    return out.getvalue()


def test_upload_shows_live_ocr_progress_then_type_and_field_sources(desk_with_ocr: Desk) -> None:
    desk = desk_with_ocr
    page = desk.page
    desk.login("clerk")
    page.goto(f"{desk.base}/desk/#/new")
    page.fill("#owner-code", CO)
    page.fill("#applicant-name", NAME)
    page.click("#open-case")
    page.wait_for_function("() => !!document.body.dataset.caseReady")
    page.evaluate("""() => { window.seen = []; new MutationObserver(() => {
        document.querySelectorAll('#upload-list .progress, #upload-list .doctype').forEach(p => window.seen.push(p.textContent)); })
        .observe(document.getElementById('view'), { subtree: true, childList: true, characterData: true }); }""")
    page.set_input_files("#upload-files", [{"name": "营业执照.png", "mimeType": "image/png", "buffer": licence_png()}])
    page.select_option("#upload-pending select", "business_licence")
    page.click("#upload-send")
    page.wait_for_function("() => window.seen.some(t => t.startsWith('识别完成'))", timeout=180_000)
    desk.shot("ocr-done")
    seen = page.evaluate("window.seen")
    assert any(t.startswith(("排队中", "识别中")) for t in seen), seen  # progress was shown while it ran
    assert any(t == "识别完成 1/1 页" for t in seen), seen
    assert "类型：营业执照" in seen, seen  # (seen as it was shown: the case re-renders soon after)
    page.wait_for_function("() => document.querySelector('tr[data-field=company_name] .source')?.textContent.includes('营业执照')",
                           timeout=30_000)
    source = page.text_content("tr[data-field=company_name] .source")
    assert source.startswith("来源：营业执照（") and page.input_value('input[name="company_name"]') == NAME
    assert re.search(r"第 1 页", source)  # the page the value was read on
    page.click("tr[data-field=company_name] .source")
    page.wait_for_function("() => { const i = document.querySelector('#scan img'); return i && i.naturalWidth > 500; }")
    # the box OCR read the name from is outlined on the scan: in the name's row (y 60 mm of 150 mm)
    img, mark = page.locator("#scan img").bounding_box(), page.locator("#scan-highlight").bounding_box()
    assert img and mark and mark["width"] > 0 and mark["height"] > 0
    middle = (mark["y"] + mark["height"] / 2 - img["y"]) / img["height"]
    assert abs(middle - 58 / 150) < 0.06, middle
    desk.shot("field-source-preview")
    # the worker stored the words it read: the document is found by them
    page.goto(f"{desk.base}/desk/#/docs")
    page.fill("#d-text", "仁心大药房")
    page.click("#d-search")
    page.wait_for_selector("#doc-results figure.doc")
    assert page.locator("#doc-results figure.doc").count() == 1
